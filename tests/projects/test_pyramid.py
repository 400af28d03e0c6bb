"""The Pyramid template: generated projects serve as the contract says.

Each test generates a real project (git init and first commit included), so these are slow.
They are made without users (auth=none), the API open to anyone; the default, with users
and tokens, meets the same production checks in test_auth, test_hostile_clients and
test_drain.
Two projects cover both answers of the template's own question: SQLite with Jinja2 (the
defaults) and PostgreSQL with Chameleon. The checks every framework shares are in
tests/projects/contract.py.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.projects import contract
from tests.support import generate, http, postgres_database, run, serve

# Meant to run this module on one worker, each project fixture generated once (see the
# note on loadgroup in pyproject.toml: not in effect with pytest 9.2).
pytestmark = [pytest.mark.project, pytest.mark.xdist_group("pyramid")]

PACKAGE = "pyramid_app"
PYRAMID = contract.Framework(
    package=PACKAGE,
    prepare_commands=(("alembic", "upgrade", "head"),),
    server_pid=contract.GUNICORN_PID,
    shutdown_message=contract.GUNICORN_SHUTDOWN,
)


@pytest.fixture(scope="module")
def sqlite_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("pyramid-sqlite") / PACKAGE, "pyramid", auth="none")


@pytest.fixture(scope="module")
def postgres_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        tmp_path_factory.mktemp("pyramid-pg") / PACKAGE,
        "pyramid",
        auth="none",
        database="postgresql",
        template_language="chameleon",
    )


@pytest.fixture(scope="module")
def celery_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PostgreSQL, Celery on Redis and the Kubernetes manifests."""
    return generate(
        tmp_path_factory.mktemp("pyramid-celery") / PACKAGE,
        "pyramid",
        auth="none",
        database="postgresql",
        background_tasks="celery",
        kubernetes=True,
    )


@pytest.fixture(scope="module")
def cache_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        tmp_path_factory.mktemp("pyramid-cache") / PACKAGE, "pyramid", auth="none", cache="redis"
    )


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


# Their own checks (uv sync, ruff, mypy, pytest) run in test_matrix.py, whose rows cover these
# projects' answers: here, what the checks do not see.
def test_the_template_language_picks_the_page_templates(
    sqlite_project: Path, postgres_project: Path
) -> None:
    assert (sqlite_project / f"src/{PACKAGE}/notes/templates/notes.jinja2").is_file()
    assert (postgres_project / f"src/{PACKAGE}/notes/templates/notes.pt").is_file()
    assert not (postgres_project / f"src/{PACKAGE}/notes/templates/notes.jinja2").exists()


def test_celery_and_kubernetes_files(celery_project: Path) -> None:
    contract.assert_celery_and_kubernetes_files(
        celery_project, PYRAMID, ["alembic", "upgrade", "head"]
    )


def test_production_server_on_sqlite(sqlite_project: Path, tmp_path: Path) -> None:
    database = tmp_path / "app.db"
    env = contract.production_env(f"sqlite:///{database}", WEB_CONCURRENCY="2")
    # The secret written to .env at generation is strong enough for production.
    del env["SECRET_KEY"]
    contract.prepare(sqlite_project, PYRAMID, env)
    with serve(sqlite_project, env, package=PACKAGE) as base:
        contract.assert_health(base)
        contract.assert_request_ids(base)
        contract.assert_notes_api(base, PYRAMID)
        contract.assert_problems(base, PYRAMID)
        assert_html_page(base)
        contract.assert_server_error_hidden(base, PYRAMID, database)
    contract.assert_server_error_logged(sqlite_project)
    contract.assert_clean_shutdown_logged(sqlite_project, PYRAMID)


def assert_html_page(base: str) -> None:
    """The notes page: escaped output, a Secure session cookie, a CSRF-checked form."""
    status, _, body = contract.send_json(
        f"{base}/api/notes", PYRAMID, {"title": "<script>alert(1)</script>"}
    )
    assert status == 201, body
    status, headers, body = http(f"{base}/notes")
    page = body.decode()
    assert status == 200
    contract.assert_security_headers(headers)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    cookie = headers["set-cookie"]
    for flag in ("secure", "httponly", "samesite=lax"):
        assert flag in cookie.lower(), cookie
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    session = {"Cookie": cookie.split(";", 1)[0]}
    contract.assert_problem(
        *http(f"{base}/notes", "POST", b"title=forged", {**form, **session}), expected=400
    )
    status, headers, _ = http(
        f"{base}/notes",
        "POST",
        f"title=from+the+form&csrf_token={match.group(1)}".encode(),
        {**form, **session},
    )
    assert status == 200  # urllib followed the 303 back to the page
    assert http(f"{base}/api/notes")[2].count(b'"title"') == 2


def test_sigterm_lets_a_request_in_flight_finish(sqlite_project: Path, tmp_path: Path) -> None:
    env = contract.production_env(f"sqlite:///{tmp_path / 'app.db'}")
    contract.assert_sigterm_drains_in_flight_request(sqlite_project, PYRAMID, env)


def test_readiness_follows_a_postgresql_outage(postgres_project: Path, postgres_url: str) -> None:
    contract.assert_readiness_follows_a_postgresql_outage(postgres_project, PYRAMID, postgres_url)


def test_readiness_names_redis_when_it_is_down(celery_project: Path, postgres_url: str) -> None:
    contract.assert_readiness_names_redis_when_it_is_down(celery_project, PYRAMID, postgres_url)


@pytest.mark.parametrize(
    ("env", "variable"),
    contract.BAD_CONFIGURATIONS
    + contract.SECRET_KEY_BAD_CONFIGURATIONS
    + contract.GUNICORN_BAD_CONFIGURATIONS,
)
def test_start_up_refuses_bad_configuration(
    sqlite_project: Path, env: dict[str, str], variable: str
) -> None:
    contract.assert_start_up_refused(sqlite_project, PYRAMID, env, variable)


def test_start_up_names_a_missing_secret_key(sqlite_project: Path, tmp_path: Path) -> None:
    contract.assert_start_up_names_a_missing_secret_key(sqlite_project, PYRAMID, tmp_path)


def test_development_ini_only_names_the_app_and_the_server(sqlite_project: Path) -> None:
    ini = configparser.ConfigParser()
    ini.read(sqlite_project / "development.ini")
    assert ini.sections() == ["app:main", "server:main"]
    assert dict(ini["app:main"]) == {"use": f"egg:{PACKAGE.replace('_', '-')}"}
    # pserve's loader finds main() through the entry point and builds the app from the env.
    run(sqlite_project, "uv", "sync", "--quiet")
    script = "from pyramid.paster import get_app; print(type(get_app('development.ini')).__name__)"
    assert run(sqlite_project, "uv", "run", "--quiet", "python", "-c", script).strip() == "Router"


def test_env_file_holds_a_fresh_secret_and_is_ignored(
    sqlite_project: Path, postgres_project: Path
) -> None:
    contract.assert_env_file_fresh_and_ignored(sqlite_project, postgres_project)


def test_project_speaks_of_itself_only(sqlite_project: Path) -> None:
    contract.assert_speaks_of_itself_only(
        sqlite_project, readme_variables=("DATABASE_URL", "TRUSTED_PROXIES")
    )
    assert "template_language: jinja2" in (sqlite_project / ".copier-answers.yml").read_text()


def test_container_and_ci_files_pass_their_linters(postgres_project: Path) -> None:
    contract.assert_container_and_ci_files(postgres_project, PYRAMID)


def test_metrics_of_both_workers_add_up(sqlite_project: Path, tmp_path: Path) -> None:
    env = contract.production_env(f"sqlite:///{tmp_path / 'app.db'}")
    contract.assert_metrics_add_up_across_workers(
        sqlite_project, PYRAMID, env, tmp_path / "metrics"
    )


def test_the_cache_serves_the_list_and_outlives_redis(cache_project: Path, tmp_path: Path) -> None:
    contract.assert_the_cache_serves_the_list_and_outlives_redis(
        cache_project, PYRAMID, tmp_path / "app.db"
    )
