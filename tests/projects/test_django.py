"""The Django template: generated projects serve as the contract says.

Each test generates a real project (git init and first commit included), so these are slow.
They are made without users (auth=none), the API open to anyone; the default, with users
and tokens, meets the same production checks in test_auth, test_hostile_clients and
test_drain.
The checks every framework shares are in tests/projects/contract.py; what stays here is
Django's own: the HTTPS redirect, the HTML pages and CSRF, deploy checks and migrations, the
API layers (Django's views, DRF, Ninja) and the Celery worker.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path

import pytest

from scaffold.summary import production_commands
from tests.projects import contract
from tests.support import (
    REDIS_URL,
    generate,
    http,
    postgres_database,
    project_env,
    require_redis,
    run,
    serve,
)

# Meant to run this module on one worker, each project fixture generated once (see the
# note on loadgroup in pyproject.toml: not in effect with pytest 9.2).
pytestmark = [pytest.mark.project, pytest.mark.xdist_group("django")]

PACKAGE = "django_app"
MIGRATE = ("python", "manage.py", "migrate", "--noinput")
DJANGO = contract.Framework(
    package=PACKAGE,
    prepare_commands=(("python", "manage.py", "collectstatic", "--noinput"), MIGRATE),
    server_pid=contract.GUNICORN_PID,
    shutdown_message=contract.GUNICORN_SHUTDOWN,
    # What the TLS-terminating proxy in front of production adds (gunicorn trusts 127.0.0.1);
    # without it, production redirects everything but /health/ to HTTPS.
    request_headers={"X-Forwarded-Proto": "https"},
    notes_table="notes_note",
)
# compose's worker service and the README run it so.
WORKER_COMMAND = (
    "uv",
    "run",
    "--quiet",
    "celery",
    "-A",
    f"{PACKAGE}.worker",
    "worker",
    "--loglevel=INFO",
)
# Django's own refusals, beyond those every framework shares.
DJANGO_BAD_CONFIGURATIONS: list[tuple[dict[str, str], str]] = [
    ({"DATABASE_URL": "mysql://localhost/app"}, "DATABASE_URL"),
    # Long enough for the others, not for Django's own rule (50 characters).
    ({"APP_ENV": "production", "SECRET_KEY": "k3v9QpX2zL7mW4tRb8YnH1sDf6GcJ0aE"}, "SECRET_KEY"),
    ({"APP_ENV": "production", "SECRET_KEY": "change-me-" + "x" * 50}, "SECRET_KEY"),
]


def manage(project: Path, *args: str, env: dict[str, str]) -> str:
    return run(project, "uv", "run", "--quiet", "python", "manage.py", *args, env=env)


def unfollowed(url: str) -> tuple[int, dict[str, str]]:
    """Status and headers of a GET, without following a redirect."""
    host_port, path = url.split("://", 1)[1].split("/", 1)
    connection = HTTPConnection(host_port, timeout=10)
    try:
        connection.request("GET", "/" + path)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


@pytest.fixture(scope="module")
def sqlite_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("django-sqlite") / PACKAGE, "django", auth="none")


@pytest.fixture(scope="module")
def postgres_drf_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        tmp_path_factory.mktemp("django-pg-drf") / PACKAGE,
        "django",
        auth="none",
        database="postgresql",
        api="drf",
    )


@pytest.fixture(scope="module")
def ninja_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Django Ninja, with Celery on Redis."""
    return generate(
        tmp_path_factory.mktemp("django-ninja") / PACKAGE,
        "django",
        auth="none",
        api="ninja",
        background_tasks="celery",
    )


@pytest.fixture(scope="module")
def celery_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PostgreSQL, Celery on Redis and the Kubernetes manifests."""
    return generate(
        tmp_path_factory.mktemp("django-celery") / PACKAGE,
        "django",
        auth="none",
        database="postgresql",
        background_tasks="celery",
        kubernetes=True,
    )


@pytest.fixture(scope="module")
def cache_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        tmp_path_factory.mktemp("django-cache") / PACKAGE, "django", auth="none", cache="redis"
    )


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


# Their own checks (uv sync, ruff, mypy, pytest) run in test_matrix.py, whose rows cover these
# projects' answers: here, what the checks do not see.
def test_celery_and_kubernetes_files(celery_project: Path) -> None:
    contract.assert_celery_and_kubernetes_files(celery_project, DJANGO, list(MIGRATE))
    assert "kubectl apply -k k8s/" in (celery_project / "README.md").read_text()


def test_celery_worker_runs_the_example_task(celery_project: Path, postgres_url: str) -> None:
    """The worker command compose and the README give: Django set up, the task taken from Redis."""
    require_redis()
    env = contract.production_env(postgres_url, REDIS_URL=REDIS_URL)
    run(celery_project, "uv", "sync", "--quiet")
    worker = subprocess.Popen(
        [*WORKER_COMMAND, "--pool=solo"],  # compose's worker, in one process
        cwd=celery_project,
        env=project_env(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        script = (
            "import django; django.setup()\n"
            f"from {PACKAGE}.tasks import count_words\n"
            "print(count_words.delay('one two three').get(timeout=30))\n"
        )
        output = run(
            celery_project,
            "uv",
            "run",
            "--quiet",
            "python",
            "-c",
            script,
            env={**env, "DJANGO_SETTINGS_MODULE": f"{PACKAGE}.settings.base"},
            timeout=120,
        )
        assert output.strip().splitlines()[-1] == "3"
    finally:
        worker.send_signal(signal.SIGTERM)
        log, _ = worker.communicate(timeout=60)
    assert "Counted 3 words" in log, log


def test_readiness_names_redis_when_it_is_down(celery_project: Path, postgres_url: str) -> None:
    contract.assert_readiness_names_redis_when_it_is_down(celery_project, DJANGO, postgres_url)


@pytest.mark.parametrize("fixture", ["sqlite_project", "postgres_drf_project", "ninja_project"])
def test_deploy_checks_and_migrations_are_clean(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    project: Path = request.getfixturevalue(fixture)
    run(project, "uv", "sync", "--quiet")
    env = contract.production_env("sqlite:///unused.db", ALLOWED_HOSTS="app.example.com")
    output = manage(project, "check", "--deploy", "--fail-level", "DEBUG", env=env)
    assert "System check identified no issues (0 silenced)." in output
    settings = (project / "src" / PACKAGE / "settings" / "base.py").read_text()
    assert "SILENCED_SYSTEM_CHECKS" not in settings
    manage(project, "makemigrations", "--check", "--dry-run", env=env)


@pytest.fixture(scope="module")
def default_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every answer its default: users on."""
    return generate(tmp_path_factory.mktemp("django-default") / PACKAGE, "django")


@pytest.mark.parametrize(
    ("fixture", "database", "auth"),
    [("postgres_drf_project", "postgresql", "none"), ("default_project", "sqlite", "users")],
    ids=["postgresql", "default"],
)
def test_readme_production_steps_work(
    fixture: str, database: str, auth: str, request: pytest.FixtureRequest
) -> None:
    """The production steps the README gives (and `scaffold new` prints), as written:
    production refuses to start without DATABASE_URL for PostgreSQL, or SMTP_HOST with users,
    so they name them."""
    project: Path = request.getfixturevalue(fixture)
    readme = (project / "README.md").read_text()
    steps = production_commands("django", PACKAGE, database, auth)
    deploy_check = steps[0].replace("collectstatic --noinput", "check --deploy")
    for command in [*steps, deploy_check]:
        assert command in readme, command
    run(project, "uv", "sync", "--quiet")
    collect_env, collect = split_command(steps[0])
    assert ("DATABASE_URL" in collect_env) == (database == "postgresql")
    assert ("SMTP_HOST" in collect_env) == (auth == "users")
    run(project, *collect, env=collect_env)
    check_env, check = split_command(deploy_check)
    # The README's check, given the host names a real deployment sets.
    checked = run(project, *check, env={**check_env, "ALLOWED_HOSTS": "example.com"})
    assert "no issues" in checked
    serve_env, served = split_command(steps[1])
    assert served == ["uv", "run", "python", "-m", PACKAGE]
    # Servers of several tests run at once: none may take the fixed default metrics port.
    with serve(project, {**serve_env, "METRICS_PORT": "0"}, package=PACKAGE) as base:
        assert http(f"{base}/health/live")[0] == 200


def split_command(command: str) -> tuple[dict[str, str], list[str]]:
    """`NAME=value ... uv run ...` as its environment and its arguments."""
    assignments, _, rest = command.partition(" uv run ")
    env = dict(assignment.split("=", 1) for assignment in assignments.split())
    return env, ["uv", "run", *rest.split()]


def test_production_server_on_sqlite(sqlite_project: Path, tmp_path: Path) -> None:
    database = tmp_path / "app.db"
    env = contract.production_env(f"sqlite:///{database}", WEB_CONCURRENCY="2")
    # The secret written to .env at generation is strong enough for production.
    del env["SECRET_KEY"]
    contract.prepare(sqlite_project, DJANGO, env)
    with serve(sqlite_project, env, package=PACKAGE) as base:
        contract.assert_health(base)
        assert_plain_http_redirected(base)
        contract.assert_request_ids(base)
        contract.assert_notes_api(base, DJANGO)
        assert_html_page(base)
        contract.assert_problems(base, DJANGO)
        status, headers, _ = contract.get(f"{base}/no/such/route", DJANGO, Accept="text/html")
        assert (status, headers["content-type"].split(";")[0]) == (404, "text/html")
        contract.assert_server_error_hidden(base, DJANGO, database)
        status, _, body = contract.get(f"{base}/notes", DJANGO, Accept="text/html")
        assert status == 500
        assert "notes_note" not in body.decode()
        assert "Traceback" not in body.decode()
    contract.assert_server_error_logged(sqlite_project)
    contract.assert_clean_shutdown_logged(sqlite_project, DJANGO)


def assert_plain_http_redirected(base: str) -> None:
    """Everything but the health probes, over plain HTTP, is redirected to HTTPS."""
    status, headers = unfollowed(f"{base}/api/notes")
    assert status == 301
    assert headers["location"].startswith("https://")
    contract.assert_security_headers(headers)


def assert_html_page(base: str) -> None:
    """The notes page: served with its static files, escaped, its form CSRF-protected."""
    status, headers, body = contract.send_json(
        f"{base}/api/notes", DJANGO, {"title": "<script>alert(1)</script>"}
    )
    assert status == 201, body
    assert headers["location"] == f"/api/notes/{json.loads(body)['id']}"
    status, headers, body = contract.get(f"{base}/notes", DJANGO)
    assert status == 200
    contract.assert_security_headers(headers)
    page = body.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert 'name="csrfmiddlewaretoken"' in page
    stylesheet = re.search(r'href="(/static/[^"]+)"', page)
    assert stylesheet, page
    assert contract.get(f"{base}{stylesheet[1]}", DJANGO)[0] == 200
    form = {**DJANGO.request_headers, "Content-Type": "application/x-www-form-urlencoded"}
    assert http(f"{base}/notes", "POST", b"title=forged", form)[0] == 403


def test_readiness_follows_a_postgresql_outage(
    postgres_drf_project: Path, postgres_url: str
) -> None:
    # psycopg's pool reconnects on its own schedule: ready again within seconds.
    contract.assert_readiness_follows_a_postgresql_outage(
        postgres_drf_project, DJANGO, postgres_url, recovery_seconds=30
    )


def test_ninja_project_serves_its_api_docs_and_tasks(ninja_project: Path, tmp_path: Path) -> None:
    require_redis()
    env = contract.production_env(
        f"sqlite:///{tmp_path / 'app.db'}", WEB_CONCURRENCY="1", REDIS_URL=REDIS_URL
    )
    contract.prepare(ninja_project, DJANGO, env)
    with serve(ninja_project, env, package=PACKAGE) as base:
        status, _, body = http(f"{base}/health/ready")
        assert (status, json.loads(body)["checks"]) == (200, {"database": "ok", "redis": "ok"})
        status, headers, body = contract.send_json(f"{base}/api/notes", DJANGO, {"title": "ninja"})
        assert status == 201, body
        assert headers["location"] == f"/api/notes/{json.loads(body)['id']}"
        invalid = contract.assert_problem(
            *contract.send_json(f"{base}/api/notes", DJANGO, {"title": ""}), expected=422
        )
        assert invalid["errors"][0]["field"] == "title"
        contract.assert_problem(*contract.get(f"{base}/api/notes/999999", DJANGO), expected=404)
        status, headers, _ = contract.get(f"{base}/api/docs", DJANGO)
        assert status == 200
        contract.assert_security_headers(headers)
        assert contract.get(f"{base}/api/openapi.json", DJANGO)[0] == 200


def test_sigterm_lets_a_request_in_flight_finish(sqlite_project: Path, tmp_path: Path) -> None:
    env = contract.production_env(f"sqlite:///{tmp_path / 'app.db'}")
    contract.assert_sigterm_drains_in_flight_request(sqlite_project, DJANGO, env)


@pytest.mark.parametrize(
    ("env", "variable"),
    contract.BAD_CONFIGURATIONS
    + contract.SECRET_KEY_BAD_CONFIGURATIONS
    + contract.GUNICORN_BAD_CONFIGURATIONS
    + DJANGO_BAD_CONFIGURATIONS,
)
def test_start_up_refuses_bad_configuration(
    sqlite_project: Path, env: dict[str, str], variable: str
) -> None:
    contract.assert_start_up_refused(sqlite_project, DJANGO, env, variable)


def test_start_up_names_a_missing_secret_key(sqlite_project: Path, tmp_path: Path) -> None:
    contract.assert_start_up_names_a_missing_secret_key(sqlite_project, DJANGO, tmp_path)


def test_manage_py_names_a_bad_variable_too(sqlite_project: Path) -> None:
    run(sqlite_project, "uv", "sync", "--quiet")
    result = subprocess.run(
        ["uv", "run", "--quiet", "python", "manage.py", "check"],
        cwd=sqlite_project,
        env=project_env({"APP_ENV": "production", "DEBUG": "true"}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    contract.assert_refused(result, "DEBUG")


def test_env_file_holds_a_fresh_secret_and_is_ignored(
    sqlite_project: Path, ninja_project: Path
) -> None:
    # Django's check --deploy wants 50 characters.
    contract.assert_env_file_fresh_and_ignored(sqlite_project, ninja_project, min_secret_length=50)


def test_project_speaks_of_itself_only(sqlite_project: Path, ninja_project: Path) -> None:
    contract.assert_speaks_of_itself_only(
        sqlite_project, ninja_project, readme_variables=("DATABASE_URL", "TRUSTED_PROXIES")
    )


def test_api_layers_differ_only_where_they_should(
    sqlite_project: Path, postgres_drf_project: Path, ninja_project: Path
) -> None:
    notes = Path("src") / PACKAGE / "notes"
    assert (sqlite_project / notes / "schemas.py").exists()
    assert (postgres_drf_project / notes / "serializers.py").exists()
    assert not (postgres_drf_project / notes / "schemas.py").exists()
    assert (ninja_project / "src" / PACKAGE / "api.py").exists()
    assert not (sqlite_project / "src" / PACKAGE / "api.py").exists()
    answers = (postgres_drf_project / ".copier-answers.yml").read_text()
    assert "api: drf" in answers
    assert (ninja_project / "src" / PACKAGE / "tasks.py").exists()
    assert (ninja_project / "src" / PACKAGE / "worker.py").exists()
    assert not (sqlite_project / "src" / PACKAGE / "tasks.py").exists()
    compose = (ninja_project / "compose.yaml").read_text()
    assert f'"celery", "-A", "{PACKAGE}.worker", "worker"' in compose


def test_container_and_ci_files_pass_their_linters(postgres_drf_project: Path) -> None:
    """hadolint and actionlint accept the Dockerfile and the workflow."""
    contract.assert_container_and_ci_files(postgres_drf_project, DJANGO)
    assert "collectstatic --noinput" in (postgres_drf_project / "Dockerfile").read_text()
    compose = (postgres_drf_project / "compose.yaml").read_text()
    assert json.dumps(list(MIGRATE)) in compose


def test_metrics_of_both_workers_add_up(sqlite_project: Path, tmp_path: Path) -> None:
    env = contract.production_env(f"sqlite:///{tmp_path / 'app.db'}")
    del env["SECRET_KEY"]  # the one in .env is strong enough for production
    contract.assert_metrics_add_up_across_workers(sqlite_project, DJANGO, env, tmp_path / "metrics")


def test_the_cache_serves_the_list_and_outlives_redis(cache_project: Path, tmp_path: Path) -> None:
    contract.assert_the_cache_serves_the_list_and_outlives_redis(
        cache_project, DJANGO, tmp_path / "app.db"
    )
