"""The Django template: generated projects pass their own checks and serve as the contract says.

Each test generates a real project (git init and first commit included), so these are slow.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import pytest

from tests.support import (
    POSTGRES_URL,
    REDIS_URL,
    free_port,
    generate,
    http,
    postgres_database,
    project_env,
    require_redis,
    run,
    run_checks,
    serve,
    server_log,
    tool,
)

pytestmark = pytest.mark.project

PACKAGE = "django_app"
SECURITY_HEADERS = (
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "content-security-policy",
    "cross-origin-opener-policy",
    "strict-transport-security",  # production
)
JSON = {"Content-Type": "application/json"}
# What the TLS-terminating proxy in front of production adds (gunicorn trusts 127.0.0.1);
# without it, production redirects everything but /health/ to HTTPS.
HTTPS = {"X-Forwarded-Proto": "https"}
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


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        **extra,
    }


def manage(project: Path, *args: str, env: dict[str, str]) -> str:
    return run(project, "uv", "run", "--quiet", "python", "manage.py", *args, env=env)


def prepare(project: Path, env: dict[str, str]) -> None:
    """What the image build (collectstatic) and compose's migrate service do."""
    run(project, "uv", "sync", "--quiet")
    manage(project, "collectstatic", "--noinput", env=env)
    manage(project, "migrate", "--noinput", env=env)


def assert_security_headers(headers: dict[str, str]) -> None:
    missing = [name for name in SECURITY_HEADERS if name not in headers]
    assert not missing, f"missing security headers: {missing}"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def assert_problem(
    status: int, headers: dict[str, str], body: bytes, expected: int
) -> dict[str, Any]:
    assert status == expected, body
    assert headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = json.loads(body)
    assert problem["status"] == expected
    assert problem["type"] == "about:blank"
    assert problem["request_id"] == headers["x-request-id"]
    assert "traceback" not in body.decode().lower()
    assert_security_headers(headers)
    return problem


def post_json(url: str, payload: object, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return http(url, "POST", json.dumps(payload).encode(), {**JSON, **HTTPS, **headers})


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return http(url, headers={**HTTPS, **headers})


def unfollowed(url: str) -> tuple[int, dict[str, str]]:
    """Status and headers of a GET, without following a redirect."""
    host_port = url.split("://", 1)[1].split("/", 1)[0]
    connection = HTTPConnection(host_port, timeout=10)
    try:
        connection.request("GET", "/" + url.split("://", 1)[1].split("/", 1)[1])
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def log_lines(project: Path) -> list[dict[str, Any]]:
    """The server's output, which in production is one JSON object a line."""
    lines = []
    for line in server_log(project).splitlines():
        if line.strip():
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError:
                pytest.fail(f"a log line is not JSON: {line!r}", pytrace=False)
    return lines


@pytest.fixture(scope="module")
def sqlite_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("django-sqlite") / PACKAGE, "django")


@pytest.fixture(scope="module")
def postgres_drf_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        tmp_path_factory.mktemp("django-pg-drf") / PACKAGE,
        "django",
        database="postgresql",
        api="drf",
    )


@pytest.fixture(scope="module")
def ninja_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Django Ninja, with Celery on Redis."""
    return generate(
        tmp_path_factory.mktemp("django-ninja") / PACKAGE,
        "django",
        api="ninja",
        background_tasks="celery",
    )


@pytest.fixture(scope="module")
def celery_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PostgreSQL, Celery on Redis and the Kubernetes manifests."""
    return generate(
        tmp_path_factory.mktemp("django-celery") / PACKAGE,
        "django",
        database="postgresql",
        background_tasks="celery",
        kubernetes=True,
    )


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


def test_default_project_passes_its_checks(sqlite_project: Path) -> None:
    run_checks(sqlite_project)


def test_postgresql_drf_project_passes_its_checks(
    postgres_drf_project: Path, postgres_url: str
) -> None:
    run_checks(postgres_drf_project, env={"TEST_DATABASE_URL": postgres_url})


def test_ninja_celery_project_passes_its_checks(ninja_project: Path) -> None:
    require_redis()  # its readiness test and a task on a real worker need Redis
    run_checks(ninja_project, env={"REDIS_URL": REDIS_URL})


def test_celery_kubernetes_project_passes_its_checks(
    celery_project: Path, postgres_url: str
) -> None:
    require_redis()
    # CI=true: the project's Redis tests (a real worker) must run, not skip.
    env = {"TEST_DATABASE_URL": postgres_url, "REDIS_URL": REDIS_URL, "CI": "true"}
    run_checks(celery_project, env=env)
    src = celery_project / "src" / PACKAGE
    assert (src / "tasks.py").is_file()
    assert (src / "worker.py").is_file()
    compose = (celery_project / "compose.yaml").read_text()
    assert f'"celery", "-A", "{PACKAGE}.worker", "worker"' in compose
    job = (celery_project / "k8s" / "migrate-job.yaml").read_text()
    assert "command: " + json.dumps(["python", "manage.py", "migrate", "--noinput"]) in job
    assert "REDIS_URL" in (celery_project / "k8s" / "configmap.yaml").read_text()
    assert "kubectl apply -k k8s/" in (celery_project / "README.md").read_text()


def test_celery_worker_runs_the_example_task(celery_project: Path, postgres_url: str) -> None:
    """The worker command compose and the README give: Django set up, the task taken from Redis."""
    require_redis()
    env = production_env(postgres_url, REDIS_URL=REDIS_URL)
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
    require_redis()
    env = production_env(postgres_url)
    prepare(celery_project, env)
    with serve(celery_project, {**env, "REDIS_URL": REDIS_URL}, package=PACKAGE) as base:
        status, _, body = http(f"{base}/health/ready")
        assert status == 200, body
        assert json.loads(body)["checks"] == {"database": "ok", "redis": "ok"}
    closed = f"redis://127.0.0.1:{free_port()}/0"
    with serve(celery_project, {**env, "REDIS_URL": closed}, package=PACKAGE) as base:
        status, _, body = http(f"{base}/health/ready")
        assert status == 503, body
        assert json.loads(body) == {
            "status": "unavailable",
            "checks": {"database": "ok", "redis": "unavailable"},
        }
        assert http(f"{base}/health/live")[0] == 200


@pytest.mark.parametrize("fixture", ["sqlite_project", "postgres_drf_project", "ninja_project"])
def test_deploy_checks_and_migrations_are_clean(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    project: Path = request.getfixturevalue(fixture)
    run(project, "uv", "sync", "--quiet")
    env = production_env("sqlite:///unused.db", ALLOWED_HOSTS="app.example.com")
    output = manage(project, "check", "--deploy", "--fail-level", "DEBUG", env=env)
    assert "System check identified no issues (0 silenced)." in output
    settings = (project / "src" / PACKAGE / "settings" / "base.py").read_text()
    assert "SILENCED_SYSTEM_CHECKS" not in settings
    manage(project, "makemigrations", "--check", "--dry-run", env=env)


def test_production_server_on_sqlite(sqlite_project: Path, tmp_path: Path) -> None:
    database = tmp_path / "app.db"
    env = production_env(f"sqlite:///{database}", WEB_CONCURRENCY="2")
    # The secret written to .env at generation is strong enough for production.
    del env["SECRET_KEY"]
    prepare(sqlite_project, env)
    with serve(sqlite_project, env, package=PACKAGE) as base:
        # Health over plain HTTP, by IP (any Host header): live, ready; headers, HSTS included.
        status, headers, body = http(f"{base}/health/live")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        assert_security_headers(headers)
        status, _, body = http(f"{base}/health/ready")
        assert (status, json.loads(body)) == (200, {"status": "ok", "checks": {"database": "ok"}})
        assert http(f"{base}/health/live", headers={"Host": "10.1.2.3:8000"})[0] == 200
        assert http(f"{base}/health/ready", headers={"Host": "10.1.2.3"})[0] == 200
        # Everything else over plain HTTP is redirected to HTTPS.
        status, headers = unfollowed(f"{base}/api/notes")
        assert status == 301
        assert headers["location"].startswith("https://")
        assert_security_headers(headers)

        # Request ids: a valid one is echoed, a missing or invalid one replaced.
        echoed = http(f"{base}/health/live", headers={"X-Request-ID": "e2e-42"})[1]
        assert echoed["x-request-id"] == "e2e-42"
        for incoming in ({}, {"X-Request-ID": "bad id!"}, {"X-Request-ID": "x" * 129}):
            generated = http(f"{base}/health/live", headers=incoming)[1]["x-request-id"]
            assert re.fullmatch(r"[0-9a-f]{32}", generated), generated

        # The example feature over HTTP(S).
        status, headers, body = post_json(f"{base}/api/notes", {"title": "hello", "body": "b"})
        assert status == 201, body
        note = json.loads(body)
        assert headers["location"] == f"/api/notes/{note['id']}"
        assert get(f"{base}/api/notes/{note['id']}")[0] == 200
        status, _, body = http(
            f"{base}/api/notes/{note['id']}",
            "PATCH",
            json.dumps({"body": "c"}).encode(),
            {**JSON, **HTTPS},
        )
        assert (status, json.loads(body)["body"]) == (200, "c")
        listing = json.loads(get(f"{base}/api/notes?page=1&size=10")[2])
        assert (listing["page"], listing["size"], listing["total"]) == (1, 10, 1)
        assert http(f"{base}/api/notes/{note['id']}", "DELETE", headers=HTTPS)[0] == 204

        # The HTML page: served with its static files, escaped, its form CSRF-protected.
        post_json(f"{base}/api/notes", {"title": "<script>alert(1)</script>"})
        status, headers, body = get(f"{base}/notes")
        assert status == 200
        assert_security_headers(headers)
        page = body.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert(1)" not in page
        assert 'name="csrfmiddlewaretoken"' in page
        stylesheet = re.search(r'href="(/static/[^"]+)"', page)
        assert stylesheet, page
        assert get(f"{base}{stylesheet[1]}")[0] == 200
        form = b"title=forged"
        status, _, _ = http(
            f"{base}/notes",
            "POST",
            form,
            {**HTTPS, "Content-Type": "application/x-www-form-urlencoded"},
        )
        assert status == 403

        # Problems: 404 (missing note, unknown route), 422 with field errors, 400 bad host.
        missing = assert_problem(*get(f"{base}/api/notes/999999"), expected=404)
        assert missing["instance"] == "/api/notes/999999"
        assert_problem(*get(f"{base}/no/such/route", Accept="application/json"), expected=404)
        status, headers, body = get(f"{base}/no/such/route", Accept="text/html")
        assert (status, headers["content-type"].split(";")[0]) == (404, "text/html")
        invalid = assert_problem(*post_json(f"{base}/api/notes", {"title": ""}), expected=422)
        assert invalid["errors"][0]["field"] == "title"
        assert_problem(*get(f"{base}/api/notes", Host="evil.example"), expected=400)

        # A server error: the table disappears under the running app.
        with sqlite3.connect(database) as connection:
            connection.execute("DROP TABLE notes_note")
        problem = assert_problem(
            *get(f"{base}/api/notes", **{"X-Request-ID": "e2e-500"}), expected=500
        )
        assert problem["detail"] == "An unexpected error occurred."
        assert "notes_note" not in json.dumps(problem)
        assert "sqlite" not in json.dumps(problem).lower()
        status, _, body = get(f"{base}/notes", Accept="text/html")
        assert status == 500
        assert "notes_note" not in body.decode()
        assert "Traceback" not in body.decode()

    # JSON log lines: access fields and the request id; the traceback is logged, not shown.
    lines = log_lines(sqlite_project)
    access = [line for line in lines if line.get("request_id") == "e2e-500"]
    assert any(
        line.get("status") == 500
        and line.get("method") == "GET"
        and line.get("path") == "/api/notes"
        and isinstance(line.get("duration_ms"), int | float)
        for line in access
    ), access
    assert any("no such table" in line.get("exception", "") for line in access), access
    # SIGTERM: gunicorn let the workers finish and shut down cleanly.
    assert any("Shutting down" in line.get("message", "") for line in lines)


def test_readiness_follows_a_postgresql_outage(
    postgres_drf_project: Path, postgres_url: str
) -> None:
    name = postgres_url.rsplit("/", 1)[1]
    env = production_env(postgres_url, WEB_CONCURRENCY="2")
    prepare(postgres_drf_project, env)
    with serve(postgres_drf_project, env, package=PACKAGE) as base:
        assert http(f"{base}/health/ready")[0] == 200
        assert post_json(f"{base}/api/notes", {"title": "before"})[0] == 201
        psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        try:
            for _ in range(4):  # each worker notices on its own
                started = time.monotonic()
                status, _, body = http(f"{base}/health/ready")
                assert status == 503, body
                assert json.loads(body) == {
                    "status": "unavailable",
                    "checks": {"database": "unavailable"},
                }
                assert time.monotonic() - started < 8, "the readiness check has no short timeout"
            assert http(f"{base}/health/live")[0] == 200
            problem = assert_problem(*get(f"{base}/api/notes"), expected=500)
            assert "psycopg" not in json.dumps(problem).lower()
        finally:
            psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        # psycopg's pool reconnects on its own schedule: ready again within seconds.
        started, answers = time.monotonic(), list[int]()
        while answers[-4:] != [200] * 4:
            assert time.monotonic() - started < 30, answers
            answers.append(http(f"{base}/health/ready")[0])
        assert json.loads(get(f"{base}/api/notes")[2])["total"] == 1


def test_ninja_project_serves_its_api_docs_and_tasks(ninja_project: Path, tmp_path: Path) -> None:
    require_redis()
    env = production_env(
        f"sqlite:///{tmp_path / 'app.db'}", WEB_CONCURRENCY="1", REDIS_URL=REDIS_URL
    )
    prepare(ninja_project, env)
    with serve(ninja_project, env, package=PACKAGE) as base:
        status, _, body = http(f"{base}/health/ready")
        assert (status, json.loads(body)["checks"]) == (200, {"database": "ok", "redis": "ok"})
        status, headers, body = post_json(f"{base}/api/notes", {"title": "ninja"})
        assert status == 201, body
        assert headers["location"] == f"/api/notes/{json.loads(body)['id']}"
        invalid = assert_problem(*post_json(f"{base}/api/notes", {"title": ""}), expected=422)
        assert invalid["errors"][0]["field"] == "title"
        assert_problem(*get(f"{base}/api/notes/999999"), expected=404)
        status, headers, _ = get(f"{base}/api/docs")
        assert status == 200
        assert_security_headers(headers)
        assert get(f"{base}/api/openapi.json")[0] == 200


def test_sigterm_lets_a_request_in_flight_finish(sqlite_project: Path, tmp_path: Path) -> None:
    env = production_env(f"sqlite:///{tmp_path / 'app.db'}", WEB_CONCURRENCY="1")
    prepare(sqlite_project, env)
    body = json.dumps({"title": "in flight"}).encode()
    head = (
        "POST /api/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"X-Forwarded-Proto: https\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with serve(sqlite_project, env, package=PACKAGE) as base:
        master = int(re.findall(r"Listening at: \S+ \((\d+)\)", server_log(sqlite_project))[0])
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
            connection.sendall(head + body[:5])  # the worker is now reading this request
            time.sleep(0.5)
            os.kill(master, signal.SIGTERM)
            time.sleep(1)
            connection.sendall(body[5:])
            answer = connection.recv(4096)
        assert answer.startswith(b"HTTP/1.1 201"), answer
    assert "Shutting down" in server_log(sqlite_project)


def psql(sql: str) -> None:
    command = ["psql", POSTGRES_URL, "-v", "ON_ERROR_STOP=1", "-tAc", sql]
    subprocess.run(command, check=True, capture_output=True, timeout=30)


def start(
    project: Path, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The production command, expected to refuse to start."""
    full_env = project_env()
    full_env.pop("SECRET_KEY", None)  # only the test's values and the project's .env count
    full_env.update(env)
    return subprocess.run(
        ["uv", "run", "--quiet", "--project", str(project), "python", "-m", PACKAGE],
        cwd=cwd or project,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess[str], variable: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PORT": "not-a-number"}, "PORT"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"APP_ENV": "staging"}, "APP_ENV"),
        ({"DATABASE_URL": "mysql://localhost/app"}, "DATABASE_URL"),
        ({"APP_ENV": "production", "DEBUG": "true"}, "DEBUG"),
        ({"APP_ENV": "production", "SECRET_KEY": "short"}, "SECRET_KEY"),
        # Long enough for the others, not for Django's own rule (50 characters).
        ({"APP_ENV": "production", "SECRET_KEY": "k3v9QpX2zL7mW4tRb8YnH1sDf6GcJ0aE"}, "SECRET_KEY"),
        ({"APP_ENV": "production", "SECRET_KEY": "change-me-" + "x" * 50}, "SECRET_KEY"),
    ],
)
def test_start_up_refuses_bad_configuration(
    sqlite_project: Path, env: dict[str, str], variable: str
) -> None:
    run(sqlite_project, "uv", "sync", "--quiet")
    assert_refused(start(sqlite_project, env), variable)


def test_start_up_names_a_missing_secret_key(sqlite_project: Path, tmp_path: Path) -> None:
    run(sqlite_project, "uv", "sync", "--quiet")
    # Started outside the project, the process finds no .env and so no SECRET_KEY.
    assert_refused(start(sqlite_project, {}, cwd=tmp_path), "SECRET_KEY")


def test_manage_py_names_a_bad_variable_too(sqlite_project: Path) -> None:
    run(sqlite_project, "uv", "sync", "--quiet")
    full_env = project_env({"APP_ENV": "production", "DEBUG": "true"})
    result = subprocess.run(
        ["uv", "run", "--quiet", "python", "manage.py", "check"],
        cwd=sqlite_project,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert_refused(result, "DEBUG")


def dotenv_values(project: Path) -> dict[str, str]:
    return dict(
        line.split("=", 1)
        for line in (project / ".env").read_text().splitlines()
        if line and not line.startswith("#")
    )


def git_files(project: Path) -> list[str]:
    return subprocess.run(
        ["git", "ls-files"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()


def test_env_file_holds_a_fresh_secret_and_is_ignored(
    sqlite_project: Path, ninja_project: Path
) -> None:
    secret = dotenv_values(sqlite_project)["SECRET_KEY"]
    assert dotenv_values(sqlite_project)["APP_ENV"] == "development"
    assert len(secret) >= 50  # Django's check --deploy wants 50
    assert secret != dotenv_values(ninja_project)["SECRET_KEY"]
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", ".env"], cwd=sqlite_project, check=False
    )
    assert ignored.returncode == 0, ".env is not ignored by git"
    tracked = git_files(sqlite_project)
    assert ".env" not in tracked
    assert ".env.example" in tracked
    for name in tracked:
        assert secret not in (sqlite_project / name).read_text(errors="replace")


def test_project_speaks_of_itself_only(sqlite_project: Path, ninja_project: Path) -> None:
    for project in (sqlite_project, ninja_project):
        for name in git_files(project):
            if name in {".copier-answers.yml", "README.md"}:
                continue
            text = (project / name).read_text(errors="replace").lower()
            for word in ("scaffold", "copier", "template repo"):
                assert word not in text, f"{name} mentions {word}"
    readme = (sqlite_project / "README.md").read_text()
    assert "scaffold update" in readme
    assert "| `DATABASE_URL` |" in readme
    assert "| `TRUSTED_PROXIES` |" in readme


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
    run(postgres_drf_project, tool("hadolint"), "Dockerfile")
    run(postgres_drf_project, tool("actionlint"))
    dockerfile = (postgres_drf_project / "Dockerfile").read_text()
    assert f'CMD ["python", "-m", "{PACKAGE}"]' in dockerfile
    assert "uv sync --locked --no-dev" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    compose = (postgres_drf_project / "compose.yaml").read_text()
    assert '["python", "manage.py", "migrate", "--noinput"]' in compose
    workflow = (postgres_drf_project / ".github/workflows/ci.yml").read_text()
    assert "postgres:" in workflow
    assert "TEST_DATABASE_URL" in workflow
