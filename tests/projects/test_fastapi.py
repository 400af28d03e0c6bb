"""The FastAPI template: generated projects serve as the contract says.

Each test generates a real project (git init and first commit included), so these are slow.
They are made without users (auth=none), the API open to anyone; the default, with users
and tokens, meets the same production checks in test_auth, test_hostile_clients and
test_drain.
The checks every framework shares are in tests/projects/contract.py.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.projects import contract
from tests.support import generate, http, postgres_database, run, serve, tool

# Meant to run this module on one worker, each project fixture generated once (see the
# note on loadgroup in pyproject.toml: not in effect with pytest 9.2).
pytestmark = [pytest.mark.project, pytest.mark.xdist_group("fastapi")]

PACKAGE = "fastapi_app"
FASTAPI = contract.Framework(
    package=PACKAGE,
    prepare_commands=(("alembic", "upgrade", "head"),),
    server_pid=contract.UVICORN_PID,
    shutdown_message=contract.UVICORN_SHUTDOWN,
)


@pytest.fixture(scope="module")
def sqlite_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("fastapi-sqlite") / PACKAGE, "fastapi", auth="none")


@pytest.fixture(scope="module")
def postgres_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        tmp_path_factory.mktemp("fastapi-pg") / PACKAGE,
        "fastapi",
        auth="none",
        database="postgresql",
    )


@pytest.fixture(scope="module")
def options_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every option away from its default at once."""
    return generate(
        tmp_path_factory.mktemp("fastapi-options") / PACKAGE,
        "fastapi",
        auth="none",
        database="postgresql",
        background_tasks="celery",
        kubernetes=True,
        ci="gitlab",
        python_version="3.11",
        license="Apache-2.0",
    )


@pytest.fixture(scope="module")
def cache_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        tmp_path_factory.mktemp("fastapi-cache") / PACKAGE, "fastapi", auth="none", cache="redis"
    )


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


# Their own checks (uv sync, ruff, mypy, pytest) run in test_matrix.py, whose rows cover these
# projects' answers: here, what the checks do not see.
def test_options_project_files_pass_their_linters(options_project: Path) -> None:
    contract.assert_celery_and_kubernetes_files(
        options_project, FASTAPI, ["alembic", "upgrade", "head"]
    )
    version = run(options_project, "uv", "run", "--quiet", "python", "--version")
    assert version.startswith("Python 3.11")
    assert not (options_project / ".github").exists()
    assert (options_project / "LICENSE").read_text().lstrip().startswith("Apache License")
    for name, args in (
        ("kubernetes-validate", ["--strict", "--quiet", *sorted(manifests(options_project))]),
        ("check-jsonschema", ["--builtin-schema", "vendor.gitlab-ci", ".gitlab-ci.yml"]),
        ("check-jsonschema", ["--builtin-schema", "vendor.compose-spec", "compose.yaml"]),
        ("hadolint", ["Dockerfile"]),
    ):
        run(options_project, tool(name), *args)


def manifests(project: Path) -> list[str]:
    return [
        str(path.relative_to(project))
        for path in (project / "k8s").glob("*.yaml")
        if path.name != "kustomization.yaml"
    ]


def test_production_server_on_sqlite(sqlite_project: Path, tmp_path: Path) -> None:
    database = tmp_path / "app.db"
    env = contract.production_env(f"sqlite:///{database}")
    # FastAPI asks for no SECRET_KEY (its JSON API signs nothing): none is given, and its .env
    # has none either.
    del env["SECRET_KEY"]
    contract.prepare(sqlite_project, FASTAPI, env)
    with serve(sqlite_project, env, package=PACKAGE) as base:
        contract.assert_health(base)
        contract.assert_request_ids(base)
        contract.assert_notes_api(base, FASTAPI)
        contract.assert_problems(base, FASTAPI)
        # The API documents (and / that leads to them) are off in production by default.
        for path in ("/docs", "/redoc", "/openapi.json", "/"):
            status, headers, _ = http(f"{base}{path}")
            assert status == 404, path
            contract.assert_security_headers(headers)
        contract.assert_server_error_hidden(base, FASTAPI, database)
    contract.assert_server_error_logged(sqlite_project)
    contract.assert_clean_shutdown_logged(sqlite_project, FASTAPI)


def test_sigterm_drains_in_flight_requests(sqlite_project: Path, tmp_path: Path) -> None:
    env = contract.production_env(f"sqlite:///{tmp_path / 'app.db'}")
    contract.assert_sigterm_drains_in_flight_request(sqlite_project, FASTAPI, env)


# More requests at once than the server has database connections: they wait for one in turn.
CONCURRENT_CLIENTS = 40
POOL_SIZE = 2


def assert_requests_beyond_the_pool_all_answered(project: Path, database_url: str) -> None:
    """G8, G10: with DATABASE_POOL_SIZE well below the requests in flight, every request (reads
    and writes mixed) is answered, none with 500 or a timeout: the async path neither deadlocks
    nor gives up while it waits for a pooled connection."""
    env = contract.production_env(
        database_url, WEB_CONCURRENCY="1", DATABASE_POOL_SIZE=str(POOL_SIZE)
    )
    contract.prepare(project, FASTAPI, env)
    with serve(project, env, package=PACKAGE) as base:

        def create_or_list(number: int) -> int:
            if number % 2:
                payload = {"title": f"Note {number}", "body": "words " * 20}
                return contract.send_json(f"{base}/api/notes", FASTAPI, payload)[0]
            return contract.get(f"{base}/api/notes?size=20", FASTAPI)[0]

        with ThreadPoolExecutor(max_workers=CONCURRENT_CLIENTS) as clients:
            statuses = Counter(clients.map(create_or_list, range(5 * CONCURRENT_CLIENTS)))
        assert statuses == {201: 100, 200: 100}
        status, _, body = contract.get(f"{base}/api/notes?size=1", FASTAPI)
        assert (status, json.loads(body)["total"]) == (200, 100)


def test_requests_beyond_the_pool_on_sqlite(sqlite_project: Path, tmp_path: Path) -> None:
    assert_requests_beyond_the_pool_all_answered(sqlite_project, f"sqlite:///{tmp_path / 'app.db'}")


def test_requests_beyond_the_pool_on_postgresql(postgres_project: Path, postgres_url: str) -> None:
    assert_requests_beyond_the_pool_all_answered(postgres_project, postgres_url)


def test_readiness_follows_a_postgresql_outage(postgres_project: Path, postgres_url: str) -> None:
    contract.assert_readiness_follows_a_postgresql_outage(postgres_project, FASTAPI, postgres_url)


def test_readiness_names_redis_when_it_is_down(options_project: Path, postgres_url: str) -> None:
    contract.assert_readiness_names_redis_when_it_is_down(options_project, FASTAPI, postgres_url)


@pytest.mark.parametrize(("env", "variable"), contract.BAD_CONFIGURATIONS)
def test_start_up_refuses_bad_configuration(
    sqlite_project: Path, env: dict[str, str], variable: str
) -> None:
    contract.assert_start_up_refused(sqlite_project, FASTAPI, env, variable)


def test_env_file_is_ignored_and_holds_no_secret_key(
    sqlite_project: Path, postgres_project: Path
) -> None:
    contract.assert_env_file_fresh_and_ignored(sqlite_project, postgres_project, signs=False)


def test_project_speaks_of_itself_only(sqlite_project: Path) -> None:
    contract.assert_speaks_of_itself_only(sqlite_project)


def test_container_and_ci_files_pass_their_linters(postgres_project: Path) -> None:
    contract.assert_container_and_ci_files(postgres_project, FASTAPI)


def test_metrics_of_both_workers_add_up(sqlite_project: Path, tmp_path: Path) -> None:
    env = contract.production_env(f"sqlite:///{tmp_path / 'app.db'}")
    contract.assert_metrics_add_up_across_workers(
        sqlite_project, FASTAPI, env, tmp_path / "metrics"
    )


def test_the_cache_serves_the_list_and_outlives_redis(cache_project: Path, tmp_path: Path) -> None:
    contract.assert_the_cache_serves_the_list_and_outlives_redis(
        cache_project, FASTAPI, tmp_path / "app.db"
    )
