"""The Pyramid template: generated projects pass their own checks and serve as the contract says.

Each test generates a real project (git init and first commit included), so these are slow.
Two projects cover both answers of the template's own question: SQLite with Jinja2 (the
defaults) and PostgreSQL with Chameleon.
"""

from __future__ import annotations

import configparser
import json
import re
import secrets
import sqlite3
import subprocess
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

PACKAGE = "pyramid_app"
SECURITY_HEADERS = (
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "content-security-policy",
    "cross-origin-opener-policy",
    "strict-transport-security",  # production
)
JSON_HEADERS = {"Content-Type": "application/json"}


def production_env(database_url: str) -> dict[str, str]:
    return {
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "WEB_CONCURRENCY": "2",
    }


def migrate(project: Path, env: dict[str, str]) -> None:
    """What compose's migrate service does before the app starts."""
    run(project, "uv", "run", "--quiet", "alembic", "upgrade", "head", env=env)


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
    return generate(tmp_path_factory.mktemp("pyramid-sqlite") / PACKAGE, "pyramid")


@pytest.fixture(scope="module")
def postgres_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(
        tmp_path_factory.mktemp("pyramid-pg") / PACKAGE,
        "pyramid",
        database="postgresql",
        template_language="chameleon",
    )


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database() as url:
        yield url


def test_sqlite_jinja2_project_passes_its_checks(sqlite_project: Path) -> None:
    assert (sqlite_project / f"src/{PACKAGE}/notes/templates/notes.jinja2").is_file()
    run_checks(sqlite_project)


def test_postgresql_chameleon_project_passes_its_checks(
    postgres_project: Path, postgres_url: str
) -> None:
    assert (postgres_project / f"src/{PACKAGE}/notes/templates/notes.pt").is_file()
    assert not (postgres_project / f"src/{PACKAGE}/notes/templates/notes.jinja2").exists()
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
        assert (status, json.loads(body)["checks"]) == (200, {"database": "ok"}), body

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
            json.dumps({"title": "<script>alert(1)</script>"}).encode(),
            JSON_HEADERS,
        )
        assert status == 201, body
        note_id = json.loads(body)["id"]
        assert http(f"{base}/api/notes/{note_id}")[0] == 200
        status, _, body = http(f"{base}/api/notes?page=1&size=5")
        assert (status, json.loads(body)["total"]) == (200, 1)
        assert_problem(*http(f"{base}/api/notes/999999"), expected=404)
        assert_problem(*http(f"{base}/no/such/route"), expected=404)
        invalid = assert_problem(
            *http(f"{base}/api/notes", "POST", json.dumps({"title": ""}).encode(), JSON_HEADERS),
            expected=422,
        )
        assert invalid["errors"][0]["field"] == "title"
        assert_problem(*http(f"{base}/api/notes", headers={"Host": "evil.example"}), expected=400)
        # Health probes come by IP address: no host check there.
        assert http(f"{base}/health/live", headers={"Host": "10.1.2.3:8000"})[0] == 200

        # The HTML page: escaped output, a Secure session cookie, a CSRF-checked form.
        status, headers, body = http(f"{base}/notes")
        page = body.decode()
        assert status == 200
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert(1)</script>" not in page
        cookie = headers["set-cookie"]
        for flag in ("secure", "httponly", "samesite=lax"):
            assert flag in cookie.lower(), cookie
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match is not None
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        session = {"Cookie": cookie.split(";", 1)[0]}
        assert_problem(
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

        # A server error: the table disappears under the running app.
        with sqlite3.connect(database) as connection:
            connection.execute("DROP TABLE notes")
        problem = assert_problem(
            *http(f"{base}/api/notes", headers={"X-Request-ID": "e2e-500"}), expected=500
        )
        assert "notes" not in problem["detail"]
        assert "sqlite" not in json.dumps(problem).lower()

    # JSON log lines, the request id on each, the traceback logged (not shown).
    log = server_log(sqlite_project)
    assert "Traceback" not in log.split("{", 1)[0], "something wrote to the log before the app"
    lines = [json.loads(line) for line in log.splitlines() if line]
    access = [line for line in lines if line.get("request_id") == "e2e-500"]
    assert any(line.get("status") == 500 and line.get("path") == "/api/notes" for line in access)
    assert any("no such table" in line.get("exception", "") for line in access)
    # SIGTERM: gunicorn let the workers finish and shut down cleanly.
    assert any(line.get("message") == "Shutting down: Master" for line in lines)


def test_readiness_follows_a_postgresql_outage(postgres_project: Path, postgres_url: str) -> None:
    name = postgres_url.rsplit("/", 1)[1]
    env = production_env(postgres_url)
    run(postgres_project, "uv", "sync", "--quiet")
    migrate(postgres_project, env)
    with serve(postgres_project, env, package=PACKAGE) as base:
        assert http(f"{base}/health/ready")[0] == 200
        status, _, body = http(
            f"{base}/api/notes", "POST", json.dumps({"title": "kept"}).encode(), JSON_HEADERS
        )
        assert status == 201, body
        psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        psql(  # the name is one postgres_database() made up
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
        )
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
        status, _, body = http(f"{base}/api/notes")
        assert (status, json.loads(body)["total"]) == (200, 1)


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
        ({"GRACEFUL_TIMEOUT": "soon"}, "GRACEFUL_TIMEOUT"),
        ({"APP_ENV": "staging"}, "APP_ENV"),
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


def test_development_ini_only_names_the_app_and_the_server(sqlite_project: Path) -> None:
    ini = configparser.ConfigParser()
    ini.read(sqlite_project / "development.ini")
    assert ini.sections() == ["app:main", "server:main"]
    assert dict(ini["app:main"]) == {"use": f"egg:{PACKAGE.replace('_', '-')}"}
    # pserve's loader finds main() through the entry point and builds the app from the env.
    run(sqlite_project, "uv", "sync", "--quiet")
    script = "from pyramid.paster import get_app; print(type(get_app('development.ini')).__name__)"
    assert run(sqlite_project, "uv", "run", "--quiet", "python", "-c", script).strip() == "Router"


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
    assert "template_language: jinja2" in (sqlite_project / ".copier-answers.yml").read_text()


@pytest.fixture(scope="module")
def celery_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PostgreSQL, Celery on Redis and the Kubernetes manifests."""
    return generate(
        tmp_path_factory.mktemp("pyramid-celery") / PACKAGE,
        "pyramid",
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
    assert "command: " + json.dumps(["alembic", "upgrade", "head"]) in job
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
