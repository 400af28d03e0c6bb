"""The FastAPI template: generated projects pass their own checks and serve as the contract says.

Each test generates a real project (git init and first commit included), so these are slow.
"""

from __future__ import annotations

import contextlib
import json
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
    tool,
)

pytestmark = pytest.mark.project

PACKAGE = "fastapi_app"
SECURITY_HEADERS = (
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "content-security-policy",
    "cross-origin-opener-policy",
    "strict-transport-security",  # production
)
JSON = {"Content-Type": "application/json"}


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        **extra,
    }


def migrate(project: Path, env: dict[str, str]) -> None:
    """What compose's migrate service does before the app starts."""
    run(project, "uv", "run", "--quiet", "alembic", "upgrade", "head", env=env)


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


def post_json(url: str, payload: object) -> tuple[int, dict[str, str], bytes]:
    return http(url, "POST", json.dumps(payload).encode(), JSON)


def log_lines(project: Path) -> list[dict[str, Any]]:
    """The server's stdout, which in production is one JSON object a line."""
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
    return generate(tmp_path_factory.mktemp("fastapi-sqlite") / PACKAGE, "fastapi")


@pytest.fixture(scope="module")
def postgres_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        tmp_path_factory.mktemp("fastapi-pg") / PACKAGE, "fastapi", database="postgresql"
    )


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
    # The secret written to .env at generation is strong enough for production.
    del env["SECRET_KEY"]
    run(sqlite_project, "uv", "sync", "--quiet")
    migrate(sqlite_project, env)
    with serve(sqlite_project, env, package=PACKAGE) as base:
        # Health: live, ready; security headers (HSTS too: production) on a 200.
        status, headers, body = http(f"{base}/health/live")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        assert_security_headers(headers)
        status, _, body = http(f"{base}/health/ready")
        assert (status, json.loads(body)) == (200, {"status": "ok", "checks": {"database": "ok"}})
        # Probes call by IP: health answers whatever the Host header.
        assert http(f"{base}/health/live", headers={"Host": "10.1.2.3"})[0] == 200

        # Request ids: a valid one is echoed, a missing or invalid one replaced.
        echoed = http(f"{base}/health/live", headers={"X-Request-ID": "e2e-42"})[1]
        assert echoed["x-request-id"] == "e2e-42"
        for incoming in ({}, {"X-Request-ID": "bad id!"}, {"X-Request-ID": "x" * 129}):
            generated = http(f"{base}/health/live", headers=incoming)[1]["x-request-id"]
            assert re.fullmatch(r"[0-9a-f]{32}", generated), generated

        # The example feature over HTTP.
        status, headers, body = post_json(f"{base}/api/notes", {"title": "hello", "body": "b"})
        assert status == 201, body
        note = json.loads(body)
        assert headers["location"] == f"/api/notes/{note['id']}"
        assert http(f"{base}/api/notes/{note['id']}")[0] == 200
        status, _, body = http(
            f"{base}/api/notes/{note['id']}", "PATCH", json.dumps({"body": "c"}).encode(), JSON
        )
        assert (status, json.loads(body)["body"]) == (200, "c")
        status, _, body = http(f"{base}/api/notes?page=1&size=10")
        listing = json.loads(body)
        assert (listing["page"], listing["size"], listing["total"]) == (1, 10, 1)
        assert http(f"{base}/api/notes/{note['id']}", "DELETE")[0] == 204

        # Problems: 404 (missing note, unknown route), 422 with field errors, 400 bad host.
        missing = assert_problem(*http(f"{base}/api/notes/999999"), expected=404)
        assert missing["instance"] == "/api/notes/999999"
        assert_problem(*http(f"{base}/no/such/route"), expected=404)
        invalid = assert_problem(*post_json(f"{base}/api/notes", {"title": ""}), expected=422)
        assert invalid["errors"][0]["field"] == "title"
        assert_problem(*http(f"{base}/api/notes", headers={"Host": "evil.example"}), expected=400)

        # OpenAPI docs.
        status, headers, _ = http(f"{base}/docs")
        assert status == 200
        assert_security_headers(headers)
        assert http(f"{base}/openapi.json")[0] == 200

        # A server error: the table disappears under the running app.
        with sqlite3.connect(database) as connection:
            connection.execute("DROP TABLE notes")
        problem = assert_problem(
            *http(f"{base}/api/notes", headers={"X-Request-ID": "e2e-500"}), expected=500
        )
        assert problem["detail"] == "An unexpected error occurred."
        assert "notes" not in json.dumps(problem).replace("/api/notes", "")
        assert "sqlite" not in json.dumps(problem).lower()

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
    # SIGTERM: uvicorn drained and stopped cleanly.
    assert any("Finished server process" in line.get("message", "") for line in lines)


def test_readiness_follows_a_postgresql_outage(postgres_project: Path, postgres_url: str) -> None:
    name = postgres_url.rsplit("/", 1)[1]
    env = production_env(postgres_url, WEB_CONCURRENCY="2")
    run(postgres_project, "uv", "sync", "--quiet")
    migrate(postgres_project, env)
    with serve(postgres_project, env, package=PACKAGE) as base:
        assert http(f"{base}/health/ready")[0] == 200
        assert post_json(f"{base}/api/notes", {"title": "before"})[0] == 201
        psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        try:
            for _ in range(4):  # each worker notices on its own
                status, _, body = http(f"{base}/health/ready")
                assert status == 503, body
                assert json.loads(body) == {
                    "status": "unavailable",
                    "checks": {"database": "unavailable"},
                }
            assert http(f"{base}/health/live")[0] == 200
            problem = assert_problem(*http(f"{base}/api/notes"), expected=500)
            assert "psycopg" not in json.dumps(problem).lower()
        finally:
            psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        for _ in range(4):
            assert http(f"{base}/health/ready")[0] == 200
        assert json.loads(http(f"{base}/api/notes")[2])["total"] == 1


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
        ({"APP_ENV": "production", "DEBUG": "true"}, "DEBUG"),
        ({"APP_ENV": "production", "SECRET_KEY": "short"}, "SECRET_KEY"),
        (
            {"APP_ENV": "production", "SECRET_KEY": "change-me-to-a-long-random-string"},
            "SECRET_KEY",
        ),
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


def dotenv_secret(project: Path) -> str:
    values = dict(
        line.split("=", 1)
        for line in (project / ".env").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert values["APP_ENV"] == "development"
    return values["SECRET_KEY"]


def test_env_file_holds_a_fresh_secret_and_is_ignored(
    sqlite_project: Path, postgres_project: Path
) -> None:
    secret = dotenv_secret(sqlite_project)
    assert len(secret) >= 32
    assert secret != dotenv_secret(postgres_project)
    for project in (sqlite_project, postgres_project):
        ignored = subprocess.run(
            ["git", "check-ignore", "--quiet", ".env"], cwd=project, check=False
        )
        assert ignored.returncode == 0, ".env is not ignored by git"
        tracked = git_files(project)
        assert ".env" not in tracked
        assert ".env.example" in tracked
        for name in tracked:
            assert dotenv_secret(project) not in (project / name).read_text(errors="replace")


def git_files(project: Path) -> list[str]:
    return subprocess.run(
        ["git", "ls-files"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()


def test_project_speaks_of_itself_only(sqlite_project: Path) -> None:
    for name in git_files(sqlite_project):
        if name in {".copier-answers.yml", "README.md"}:
            continue
        text = (sqlite_project / name).read_text(errors="replace").lower()
        for word in ("scaffold", "copier", "template repo"):
            assert word not in text, f"{name} mentions {word}"
    readme = (sqlite_project / "README.md").read_text()
    assert "scaffold update" in readme
    assert "| `DATABASE_URL` |" in readme


def test_container_and_ci_files_pass_their_linters(postgres_project: Path) -> None:
    """hadolint and actionlint accept the Dockerfile and the workflow."""
    run(postgres_project, tool("hadolint"), "Dockerfile")
    run(postgres_project, tool("actionlint"))
    dockerfile = (postgres_project / "Dockerfile").read_text()
    assert f'CMD ["python", "-m", "{PACKAGE}"]' in dockerfile
    assert "uv sync --locked --no-dev" in dockerfile
    workflow = (postgres_project / ".github/workflows/ci.yml").read_text()
    assert "postgres:" in workflow
    assert "TEST_DATABASE_URL" in workflow


@pytest.fixture(scope="module")
def options_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every option away from its default at once."""
    return generate(
        tmp_path_factory.mktemp("fastapi-options") / PACKAGE,
        "fastapi",
        database="postgresql",
        background_tasks="celery",
        kubernetes=True,
        ci="gitlab",
        python_version="3.11",
        license="Apache-2.0",
    )


def test_options_project_passes_its_checks(options_project: Path, postgres_url: str) -> None:
    require_redis()
    run_checks(options_project, env={"TEST_DATABASE_URL": postgres_url, "REDIS_URL": REDIS_URL})
    version = run(options_project, "uv", "run", "--quiet", "python", "--version")
    assert version.startswith("Python 3.11")
    assert not (options_project / ".github").exists()
    assert (options_project / "LICENSE").read_text().lstrip().startswith("Apache License")
    compose = (options_project / "compose.yaml").read_text()
    assert f'"celery", "-A", "{PACKAGE}.worker", "worker"' in compose
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


def test_sigterm_drains_in_flight_requests(sqlite_project: Path, tmp_path: Path) -> None:
    """A request under way when SIGTERM arrives still gets its answer; then the server exits."""
    env = production_env(f"sqlite:///{tmp_path / 'app.db'}")
    run(sqlite_project, "uv", "sync", "--quiet")
    migrate(sqlite_project, env)
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(sqlite_project / ".venv/bin/python"), "-m", PACKAGE],
            cwd=sqlite_project,
            env=project_env({**env, "HOST": "127.0.0.1", "PORT": str(port)}),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_live(f"http://127.0.0.1:{port}", process, log)
        body = json.dumps({"title": "written during shutdown"}).encode()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(
                b"POST /api/notes HTTP/1.1\r\nHost: localhost\r\n"
                b"Content-Type: application/json\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body[:5]
            )
            time.sleep(0.5)
            process.send_signal(signal.SIGTERM)
            time.sleep(1)
            assert process.poll() is None, "the server exited with a request in flight"
            connection.sendall(body[5:])
            response = connection.recv(65536)
        assert response.startswith(b"HTTP/1.1 201"), response
        # uvicorn finishes its shutdown, then re-raises the signal it caught.
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert "Finished server process" in log.read_text()


def wait_until_live(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited {process.returncode}:\n{log.read_text()}", pytrace=False)
        with contextlib.suppress(OSError):
            if http(f"{base}/health/live")[0] == 200:
                return
        time.sleep(0.2)
    pytest.fail(f"server did not start:\n{log.read_text()}", pytrace=False)
