"""The Flask template: generated projects pass their own checks and serve as the contract says.

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
)

pytestmark = pytest.mark.project

PACKAGE = "flask_app"
SECURITY_HEADERS = (
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "content-security-policy",
    "cross-origin-opener-policy",
    "strict-transport-security",  # production
)


def production_env(database_url: str) -> dict[str, str]:
    return {
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": "2",
    }


def migrate(project: Path, env: dict[str, str]) -> None:
    """What compose's migrate service does before the app starts."""
    run(project, "uv", "run", "--quiet", "flask", "db", "upgrade", env=env)


def assert_security_headers(headers: dict[str, str]) -> None:
    missing = [name for name in SECURITY_HEADERS if name not in headers]
    assert not missing, f"missing security headers: {missing}"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def assert_problem(
    status: int, headers: dict[str, str], body: bytes, expected: int
) -> dict[str, Any]:
    assert status == expected, body
    assert headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = json.loads(body)
    assert problem["status"] == expected
    assert problem["request_id"] == headers["x-request-id"]
    assert "Traceback" not in body.decode()
    assert_security_headers(headers)
    return problem


@pytest.fixture(scope="module")
def sqlite_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("flask-sqlite") / PACKAGE, "flask")


@pytest.fixture(scope="module")
def postgres_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("flask-pg") / PACKAGE, "flask", database="postgresql")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


def test_sqlite_project_passes_its_checks(sqlite_project: Path) -> None:
    run_checks(sqlite_project)


def test_postgresql_project_passes_its_checks(postgres_project: Path, postgres_url: str) -> None:
    run_checks(postgres_project, env={"TEST_DATABASE_URL": postgres_url})


def test_production_server_on_sqlite(sqlite_project: Path, tmp_path: Path) -> None:
    database = tmp_path / "app.db"
    env = production_env(f"sqlite:///{database}")
    run(sqlite_project, "uv", "sync", "--quiet")
    migrate(sqlite_project, env)
    with serve(sqlite_project, env, package=PACKAGE) as base:
        status, headers, body = http(f"{base}/health/live")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        assert_security_headers(headers)

        status, headers, body = http(f"{base}/health/ready")
        assert status == 200, body

        # Request ids: a valid one is echoed, a missing or bad one replaced.
        assert (
            http(f"{base}/health/live", headers={"X-Request-ID": "e2e-42"})[1]["x-request-id"]
            == "e2e-42"
        )
        generated = http(f"{base}/health/live", headers={"X-Request-ID": "bad id!"})[1]
        assert generated["x-request-id"] not in ("", "bad id!")

        # The feature over HTTP, and problem+json for what goes wrong.
        status, headers, body = http(
            f"{base}/api/notes",
            "POST",
            json.dumps({"title": "hello"}).encode(),
            {"Content-Type": "application/json"},
        )
        assert status == 201, body
        note_id = json.loads(body)["id"]
        assert http(f"{base}/api/notes/{note_id}")[0] == 200
        assert_problem(*http(f"{base}/api/notes/999999"), expected=404)
        assert_problem(*http(f"{base}/no/such/route"), expected=404)
        invalid = assert_problem(
            *http(
                f"{base}/api/notes",
                "POST",
                json.dumps({"title": ""}).encode(),
                {"Content-Type": "application/json"},
            ),
            expected=422,
        )
        assert invalid["errors"][0]["field"] == "title"
        assert_problem(*http(f"{base}/api/notes", headers={"Host": "evil.example"}), expected=400)

        # A server error: the table disappears under the running app.
        with sqlite3.connect(database) as connection:
            connection.execute("DROP TABLE notes")
        problem = assert_problem(
            *http(f"{base}/api/notes", headers={"X-Request-ID": "e2e-500"}), expected=500
        )
        assert "notes" not in problem["detail"]
        assert "sqlite" not in json.dumps(problem).lower()

    # JSON log lines, the request id on each, the traceback logged (not shown).
    lines = [json.loads(line) for line in server_log(sqlite_project).splitlines() if line]
    access = [line for line in lines if line.get("request_id") == "e2e-500"]
    assert any(line.get("status") == 500 and line.get("path") == "/api/notes" for line in access)
    assert any("no such table" in line.get("exception", "") for line in access)


def test_readiness_follows_a_postgresql_outage(postgres_project: Path, postgres_url: str) -> None:
    name = postgres_url.rsplit("/", 1)[1]
    env = production_env(postgres_url)
    run(postgres_project, "uv", "sync", "--quiet")
    migrate(postgres_project, env)
    with serve(postgres_project, env, package=PACKAGE) as base:
        assert http(f"{base}/health/ready")[0] == 200
        psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        try:
            for _ in range(4):  # each worker notices on its own
                status, _, body = http(f"{base}/health/ready")
                assert status == 503, body
                assert json.loads(body)["checks"] == {"database": "unavailable"}
            assert http(f"{base}/health/live")[0] == 200
            assert_problem(*http(f"{base}/api/notes"), expected=500)
        finally:
            psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        for _ in range(4):
            assert http(f"{base}/health/ready")[0] == 200


def test_sigterm_lets_a_request_in_flight_finish(sqlite_project: Path, tmp_path: Path) -> None:
    env = {**production_env(f"sqlite:///{tmp_path / 'app.db'}"), "WEB_CONCURRENCY": "1"}
    run(sqlite_project, "uv", "sync", "--quiet")
    migrate(sqlite_project, env)
    body = json.dumps({"title": "in flight"}).encode()
    head = (
        "POST /api/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
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


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PORT": "not-a-number"}, "PORT"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"APP_ENV": "production", "DEBUG": "true"}, "DEBUG"),
        ({"APP_ENV": "production", "SECRET_KEY": "change-me"}, "SECRET_KEY"),
        ({"APP_ENV": "production", "SECRET_KEY": "changeme-" + "x" * 40}, "SECRET_KEY"),
    ],
)
def test_start_up_refuses_bad_configuration(
    sqlite_project: Path, env: dict[str, str], variable: str
) -> None:
    run(sqlite_project, "uv", "sync", "--quiet")
    result = start(sqlite_project, env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr


def test_start_up_names_a_missing_secret_key(sqlite_project: Path, tmp_path: Path) -> None:
    run(sqlite_project, "uv", "sync", "--quiet")
    # Started outside the project, the process finds no .env and so no SECRET_KEY.
    result = start(sqlite_project, {}, cwd=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "SECRET_KEY" in lines[0]


def test_project_speaks_of_itself_only(sqlite_project: Path) -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=sqlite_project, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:
        if name in {".copier-answers.yml", "README.md"}:
            continue
        text = (sqlite_project / name).read_text(errors="replace").lower()
        for word in ("scaffold", "copier", "template repo"):
            assert word not in text, f"{name} mentions {word}"
    assert ".env" not in tracked
    assert (sqlite_project / ".env").is_file()
    assert os.access(sqlite_project / ".flaskenv", os.R_OK)


@pytest.fixture(scope="module")
def celery_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PostgreSQL, Celery on Redis and the Kubernetes manifests."""
    return generate(
        tmp_path_factory.mktemp("flask-celery") / PACKAGE,
        "flask",
        database="postgresql",
        background_tasks="celery",
        kubernetes=True,
    )


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
    assert "command: " + json.dumps(["flask", "--app", PACKAGE, "db", "upgrade"]) in job
    assert "REDIS_URL" in (celery_project / "k8s" / "configmap.yaml").read_text()


def test_readiness_names_redis_when_it_is_down(celery_project: Path, postgres_url: str) -> None:
    require_redis()
    env = production_env(postgres_url)
    run(celery_project, "uv", "sync", "--quiet")
    migrate(celery_project, env)
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
