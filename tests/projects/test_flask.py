"""The Flask template: generated projects serve as the contract says.

Each test generates a real project (git init and first commit included), so these are slow.
They are made without users (auth=none), the API open to anyone; the default, with users
and tokens, meets the same production checks in test_auth, test_hostile_clients and
test_drain.
The checks every framework shares are in tests/projects/contract.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.projects import contract
from tests.support import generate, postgres_database, serve

# Meant to run this module on one worker, each project fixture generated once (see the
# note on loadgroup in pyproject.toml: not in effect with pytest 9.2).
pytestmark = [pytest.mark.project, pytest.mark.xdist_group("flask")]

PACKAGE = "flask_app"
FLASK = contract.Framework(
    package=PACKAGE,
    prepare_commands=(("flask", "db", "upgrade"),),
    server_pid=contract.GUNICORN_PID,
    shutdown_message=contract.GUNICORN_SHUTDOWN,
)


@pytest.fixture(scope="module")
def sqlite_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("flask-sqlite") / PACKAGE, "flask", auth="none")


@pytest.fixture(scope="module")
def postgres_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        tmp_path_factory.mktemp("flask-pg") / PACKAGE, "flask", auth="none", database="postgresql"
    )


@pytest.fixture(scope="module")
def celery_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PostgreSQL, Celery on Redis and the Kubernetes manifests."""
    return generate(
        tmp_path_factory.mktemp("flask-celery") / PACKAGE,
        "flask",
        auth="none",
        database="postgresql",
        background_tasks="celery",
        kubernetes=True,
    )


@pytest.fixture(scope="module")
def cache_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        tmp_path_factory.mktemp("flask-cache") / PACKAGE, "flask", auth="none", cache="redis"
    )


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


# Their own checks (uv sync, ruff, mypy, pytest) run in test_matrix.py, whose rows cover these
# projects' answers: here, what the checks do not see.
def test_celery_and_kubernetes_files(celery_project: Path) -> None:
    contract.assert_celery_and_kubernetes_files(
        celery_project, FLASK, ["flask", "--app", PACKAGE, "db", "upgrade"]
    )


def test_production_server_on_sqlite(sqlite_project: Path, tmp_path: Path) -> None:
    database = tmp_path / "app.db"
    env = contract.production_env(f"sqlite:///{database}", WEB_CONCURRENCY="2")
    # The secret written to .env at generation is strong enough for production.
    del env["SECRET_KEY"]
    contract.prepare(sqlite_project, FLASK, env)
    with serve(sqlite_project, env, package=PACKAGE) as base:
        contract.assert_health(base)
        contract.assert_request_ids(base)
        contract.assert_notes_api(base, FLASK)
        contract.assert_problems(base, FLASK)
        contract.assert_server_error_hidden(base, FLASK, database)
    contract.assert_server_error_logged(sqlite_project)
    contract.assert_clean_shutdown_logged(sqlite_project, FLASK)


def test_sigterm_lets_a_request_in_flight_finish(sqlite_project: Path, tmp_path: Path) -> None:
    env = contract.production_env(f"sqlite:///{tmp_path / 'app.db'}")
    contract.assert_sigterm_drains_in_flight_request(sqlite_project, FLASK, env)


def test_readiness_follows_a_postgresql_outage(postgres_project: Path, postgres_url: str) -> None:
    contract.assert_readiness_follows_a_postgresql_outage(postgres_project, FLASK, postgres_url)


def test_readiness_names_redis_when_it_is_down(celery_project: Path, postgres_url: str) -> None:
    contract.assert_readiness_names_redis_when_it_is_down(celery_project, FLASK, postgres_url)


@pytest.mark.parametrize(
    ("env", "variable"),
    contract.BAD_CONFIGURATIONS
    + contract.SECRET_KEY_BAD_CONFIGURATIONS
    + contract.GUNICORN_BAD_CONFIGURATIONS,
)
def test_start_up_refuses_bad_configuration(
    sqlite_project: Path, env: dict[str, str], variable: str
) -> None:
    contract.assert_start_up_refused(sqlite_project, FLASK, env, variable)


def test_start_up_names_a_missing_secret_key(sqlite_project: Path, tmp_path: Path) -> None:
    contract.assert_start_up_names_a_missing_secret_key(sqlite_project, FLASK, tmp_path)


def test_env_file_holds_a_fresh_secret_and_is_ignored(
    sqlite_project: Path, postgres_project: Path
) -> None:
    contract.assert_env_file_fresh_and_ignored(sqlite_project, postgres_project)


def test_project_speaks_of_itself_only(sqlite_project: Path) -> None:
    contract.assert_speaks_of_itself_only(
        sqlite_project, readme_variables=("DATABASE_URL", "TRUSTED_PROXIES")
    )
    # `flask` commands find the app through the tracked .flaskenv.
    assert os.access(sqlite_project / ".flaskenv", os.R_OK)


def test_container_and_ci_files_pass_their_linters(postgres_project: Path) -> None:
    contract.assert_container_and_ci_files(postgres_project, FLASK)


def test_metrics_of_both_workers_add_up(sqlite_project: Path, tmp_path: Path) -> None:
    env = contract.production_env(f"sqlite:///{tmp_path / 'app.db'}")
    contract.assert_metrics_add_up_across_workers(sqlite_project, FLASK, env, tmp_path / "metrics")


def test_the_cache_serves_the_list_and_outlives_redis(cache_project: Path, tmp_path: Path) -> None:
    contract.assert_the_cache_serves_the_list_and_outlives_redis(
        cache_project, FLASK, tmp_path / "app.db"
    )
