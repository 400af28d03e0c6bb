"""The contract's checks on a generated project, the same for every framework (G3-G7, G10).

A framework's test module describes its projects with a `Framework` (package, the commands that
prepare production, how its server logs) and calls these checks from short test functions; only
what is specific to one framework stays in its own module.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.projects.tcp_proxy import TcpProxy
from tests.support import (
    REDIS_URL,
    free_port,
    http,
    project_env,
    psql,
    require_redis,
    run,
    serve,
    server_log,
    server_process,
    tool,
)

# The server's own log lines: the pid that SIGTERM goes to, and a clean shutdown.
# The supervisor's with several workers (it logs first), else the one server's.
UVICORN_PID = r"Started (?:parent|server) process \[(\d+)\]"
UVICORN_SHUTDOWN = r"Finished server process \[\d+\]"
GUNICORN_PID = r"Listening at: \S+ \((\d+)\)"
GUNICORN_SHUTDOWN = r"Shutting down: Master"


@dataclass(frozen=True)
class Framework:
    """What differs between the frameworks, as far as the shared checks care."""

    package: str
    # What runs (under `uv run --quiet`) before production starts: compose's migrate service,
    # and for Django the image build's collectstatic first.
    prepare_commands: tuple[tuple[str, ...], ...]
    # A pattern on the server's log whose group 1 is the pid of the process SIGTERM goes to
    # (gunicorn's master, uvicorn's server), and one the message of a clean shutdown matches.
    server_pid: str
    shutdown_message: str
    # Headers every request but the health probes carries: Django's production redirects plain
    # HTTP to HTTPS, so its requests come as from the TLS-terminating proxy it trusts.
    request_headers: Mapping[str, str] = field(default_factory=dict)
    # The table of the example feature, dropped under the running app to cause a server error.
    notes_table: str = "notes"


SECURITY_HEADERS = (
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "content-security-policy",
    "cross-origin-opener-policy",
)
HSTS = "strict-transport-security"  # production, and only over HTTPS: see assert_health
JSON = {"Content-Type": "application/json"}
# Common to the four frameworks; each adds its own (gunicorn's settings, Django's secret rule).
BAD_CONFIGURATIONS: list[tuple[dict[str, str], str]] = [
    ({"PORT": "not-a-number"}, "PORT"),
    ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ({"APP_ENV": "staging"}, "APP_ENV"),
    ({"APP_ENV": "production", "DEBUG": "true"}, "DEBUG"),
]
# The one SECRET_KEY rule, in the frameworks that sign sessions and CSRF tokens with it (FastAPI's
# JSON API signs nothing and asks for no key).
SECRET_KEY_BAD_CONFIGURATIONS: list[tuple[dict[str, str], str]] = [
    ({"APP_ENV": "production", "SECRET_KEY": "short"}, "SECRET_KEY"),
    ({"APP_ENV": "production", "SECRET_KEY": "change-me"}, "SECRET_KEY"),
    ({"APP_ENV": "production", "SECRET_KEY": "change-me-to-a-long-random-string"}, "SECRET_KEY"),
    ({"APP_ENV": "production", "SECRET_KEY": "changeme-" + "x" * 40}, "SECRET_KEY"),
    ({"APP_ENV": "production", "SECRET_KEY": "a" * 64}, "SECRET_KEY"),
    ({"APP_ENV": "production", "SECRET_KEY": "k3v9QpX2zL7m" * 6}, "SECRET_KEY"),
]
GUNICORN_BAD_CONFIGURATIONS: list[tuple[dict[str, str], str]] = [
    ({"GRACEFUL_TIMEOUT": "soon"}, "GRACEFUL_TIMEOUT"),
]


# --- Production: environment, preparation, requests --------------------------------------------


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        # Servers of several tests run at once: none may take the fixed default port 9464.
        # The metrics tests pass a free port of their own.
        "METRICS_PORT": "0",
        **extra,
    }


def prepare(project: Path, framework: Framework, env: dict[str, str]) -> None:
    """What the image build and compose's migrate service do before the app starts."""
    run(project, "uv", "sync", "--quiet")
    for command in framework.prepare_commands:
        run(project, "uv", "run", "--quiet", *command, env=env)


def get(url: str, framework: Framework, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return http(url, headers={**framework.request_headers, **headers})


def send_json(
    url: str, framework: Framework, payload: object, method: str = "POST"
) -> tuple[int, dict[str, str], bytes]:
    return http(url, method, json.dumps(payload).encode(), {**JSON, **framework.request_headers})


# --- Users (auth=users, the default): the first admin and a token for the API -------------------

ADMIN_EMAIL = "First.Admin@Example.com"
ADMIN_PASSWORD = "a long admin passphrase"


def admin_command(name: str, package: str, email: str = ADMIN_EMAIL) -> tuple[str, ...]:
    """Each framework's way to make the first admin; the password comes from the environment
    (see admin_env)."""
    if name == "django":
        return ("python", "manage.py", "createsuperuser", "--noinput", "--email", email)
    if name == "flask":
        return ("flask", "createadmin", "--email", email)
    return ("python", "-m", package, "createadmin", "--email", email)


def admin_env(env: Mapping[str, str]) -> dict[str, str]:
    return {
        **env,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
        "DJANGO_SUPERUSER_USERNAME": "admin",
    }


def create_admin(project: Path, name: str, package: str, env: Mapping[str, str]) -> str:
    """Make the first admin with the project's own command; what the command printed."""
    command = admin_command(name, package)
    return run(project, "uv", "run", "--quiet", *command, env=admin_env(env))


def signed_in(base: str, framework: Framework) -> Framework:
    """The framework with the admin's bearer token on every request but the health probes."""
    credentials = {"email": ADMIN_EMAIL.lower(), "password": ADMIN_PASSWORD}
    status, _, body = send_json(f"{base}/api/tokens", framework, credentials)
    assert status == 201, body
    token = json.loads(body)["token"]
    headers = {**framework.request_headers, "Authorization": f"Bearer {token}"}
    return dataclasses.replace(framework, request_headers=headers)


# --- Assertions on one response -----------------------------------------------------------------


def assert_security_headers(headers: dict[str, str]) -> None:
    """G7: on every response, errors included."""
    missing = [name for name in SECURITY_HEADERS if name not in headers]
    assert not missing, f"missing security headers: {missing}"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def assert_problem(
    status: int, headers: dict[str, str], body: bytes, expected: int
) -> dict[str, Any]:
    """G5: an RFC 9457 problem carrying the request id, no traceback; returns it."""
    assert status == expected, body
    assert headers["content-type"].startswith("application/problem+json")
    problem: dict[str, Any] = json.loads(body)
    assert problem["status"] == expected
    assert problem["type"] == "about:blank"
    assert problem["request_id"] == headers["x-request-id"]
    assert "traceback" not in body.decode().lower()
    assert_security_headers(headers)
    return problem


# --- Checks on a running production server ------------------------------------------------------


def assert_health(base: str) -> None:
    """G6, G10: live and ready over plain HTTP, whatever the Host (probes come by IP)."""
    status, headers, body = http(f"{base}/health/live")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    assert_security_headers(headers)
    # HSTS only on what came over HTTPS: here, through the TLS-terminating proxy it trusts.
    assert HSTS not in headers
    secure = http(f"{base}/health/live", headers={"X-Forwarded-Proto": "https"})[1]
    assert secure[HSTS].startswith("max-age=")
    status, _, body = http(f"{base}/health/ready")
    assert (status, json.loads(body)) == (200, {"status": "ok", "checks": {"database": "ok"}})
    assert http(f"{base}/health/live", headers={"Host": "10.1.2.3"})[0] == 200
    assert http(f"{base}/health/live", headers={"Host": "10.1.2.3:8000"})[0] == 200
    assert http(f"{base}/health/ready", headers={"Host": "10.1.2.3"})[0] == 200


def assert_request_ids(base: str) -> None:
    """G4: a valid incoming X-Request-ID is echoed, a missing or invalid one replaced."""
    echoed = http(f"{base}/health/live", headers={"X-Request-ID": "e2e-42"})[1]
    assert echoed["x-request-id"] == "e2e-42"
    for incoming in ({}, {"X-Request-ID": "bad id!"}, {"X-Request-ID": "x" * 129}):
        generated = http(f"{base}/health/live", headers=incoming)[1]["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", generated), generated


def assert_notes_api(base: str, framework: Framework) -> None:
    """G9 over HTTP: create, read, update, list (paginated), delete; leaves no note behind."""
    status, headers, body = send_json(
        f"{base}/api/notes", framework, {"title": "hello", "body": "b"}
    )
    assert status == 201, body
    note = json.loads(body)
    path = f"/api/notes/{note['id']}"
    assert headers["location"] in (path, f"{base}{path}")
    assert get(f"{base}{path}", framework)[0] == 200
    status, _, body = send_json(f"{base}{path}", framework, {"body": "c"}, method="PATCH")
    assert (status, json.loads(body)["body"]) == (200, "c")
    listing = json.loads(get(f"{base}/api/notes?page=1&size=10", framework)[2])
    assert (listing["page"], listing["size"], listing["total"]) == (1, 10, 1)
    assert http(f"{base}{path}", "DELETE", headers=dict(framework.request_headers))[0] == 204


def assert_problems(base: str, framework: Framework) -> None:
    """G5, G7: 404 (missing note, unknown route), 422 with field errors, 400 for a bad Host."""
    missing = assert_problem(*get(f"{base}/api/notes/999999", framework), expected=404)
    assert missing["instance"] == "/api/notes/999999"
    unknown = f"{base}/no/such/route"
    assert_problem(*get(unknown, framework, Accept="application/json"), expected=404)
    invalid = assert_problem(
        *send_json(f"{base}/api/notes", framework, {"title": ""}), expected=422
    )
    assert invalid["errors"][0]["field"] == "title"
    assert_problem(*get(f"{base}/api/notes", framework, Host="evil.example"), expected=400)


def assert_server_error_hidden(base: str, framework: Framework, database: Path) -> None:
    """G5: the notes table disappears under the running app; the 500 shows no internals.

    Its request id is ``e2e-500``, for `assert_server_error_logged` after the server stops.
    """
    with sqlite3.connect(database) as connection:
        connection.execute(f"DROP TABLE {framework.notes_table}")
    problem = assert_problem(
        *get(f"{base}/api/notes", framework, **{"X-Request-ID": "e2e-500"}), expected=500
    )
    assert problem["detail"] == "An unexpected error occurred."
    shown = json.dumps(problem)
    assert framework.notes_table not in shown.replace("/api/notes", "")
    assert "sqlite" not in shown.lower()


# --- Checks on the log of a stopped server ------------------------------------------------------


def log_lines(project: Path) -> list[dict[str, Any]]:
    """The server's output, which in production is one JSON object a line (nothing else)."""
    lines = []
    for line in server_log(project).splitlines():
        if line.strip():
            try:
                lines.append(json.loads(line))
            except json.JSONDecodeError:
                pytest.fail(f"a log line is not JSON: {line!r}", pytrace=False)
    return lines


def assert_server_error_logged(project: Path) -> None:
    """G4, G5: the access line of the 500 has its fields and request id; the traceback is logged."""
    lines = log_lines(project)
    access = [line for line in lines if line.get("request_id") == "e2e-500"]
    # The whole log's end goes with a failure: the 500's line was once missing (1 run in 3), and
    # what the server wrote after it is what tells why.
    assert any(
        line.get("status") == 500
        and line.get("method") == "GET"
        and line.get("path") == "/api/notes"
        and isinstance(line.get("duration_ms"), int | float)
        for line in access
    ), (access, lines[-15:])
    assert any("no such table" in line.get("exception", "") for line in access), access


def assert_clean_shutdown_logged(project: Path, framework: Framework) -> None:
    """G10: after SIGTERM the server drained and said so."""
    messages = [str(line.get("message", "")) for line in log_lines(project)]
    assert any(re.fullmatch(framework.shutdown_message, m) for m in messages), messages[-10:]


# --- Whole scenarios ----------------------------------------------------------------------------


def raw_note_post(framework: Framework, title: str = "in flight") -> bytes:
    """A whole POST /api/notes as bytes, for tests that send it over a socket in parts."""
    body = json.dumps({"title": title}).encode()
    head = "".join(
        f"{name}: {value}\r\n"
        for name, value in {
            "Host": "127.0.0.1",
            **JSON,
            **framework.request_headers,
            "Content-Length": str(len(body)),
        }.items()
    )
    return f"POST /api/notes HTTP/1.1\r\n{head}\r\n".encode() + body


def assert_sigterm_drains_in_flight_request(
    project: Path, framework: Framework, env: dict[str, str]
) -> None:
    """G10: a request under way when SIGTERM arrives still gets its answer; then the server
    exits by itself, cleanly."""
    env = {**env, "WEB_CONCURRENCY": "1"}
    prepare(project, framework, env)
    request = raw_note_post(framework)
    with server_process(project, env, package=framework.package) as (process, base):
        found = re.search(framework.server_pid, server_log(project))
        assert found, server_log(project)
        port = int(base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
            connection.sendall(request[:-5])  # the server is now reading this request
            time.sleep(0.5)
            os.kill(int(found[1]), signal.SIGTERM)
            time.sleep(1)
            assert process.poll() is None, "the server exited with a request in flight"
            connection.sendall(request[-5:])
            answer = connection.recv(65536)
        assert answer.startswith(b"HTTP/1.1 201"), answer
        # uvicorn finishes its shutdown, then re-raises the signal it caught (uv passes it on).
        assert process.wait(timeout=30) in (0, -signal.SIGTERM, 128 + signal.SIGTERM)
    assert_clean_shutdown_logged(project, framework)


def assert_readiness_follows_a_postgresql_outage(
    project: Path, framework: Framework, postgres_url: str, *, recovery_seconds: float = 0
) -> None:
    """G6: ready answers 503 naming the database, fast, while it is away, and 200 again after.

    ``recovery_seconds``: how long the app may take to see the database back (0: at once).
    """
    name = postgres_url.rsplit("/", 1)[1]  # one postgres_database() made up
    env = production_env(postgres_url, WEB_CONCURRENCY="2")
    prepare(project, framework, env)
    with serve(project, env, package=framework.package) as base:
        assert http(f"{base}/health/ready")[0] == 200
        assert send_json(f"{base}/api/notes", framework, {"title": "before"})[0] == 201
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
            status, headers, body = get(f"{base}/api/notes", framework)
            problem = assert_problem(status, headers, body, expected=503)
            assert int(headers["retry-after"]) > 0
            assert "psycopg" not in json.dumps(problem).lower()
        finally:
            psql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        started, answers = time.monotonic(), list[int]()
        while answers[-4:] != [200] * 4:
            answers.append(http(f"{base}/health/ready")[0])
            assert answers[-1] == 200 or time.monotonic() - started < recovery_seconds, answers
        # Every worker serves again, none with a connection lost in the outage: with two
        # workers, a dozen requests reach both (each picks up whichever connection its
        # pool kept from before).
        for _ in range(12):
            status, _, body = get(f"{base}/api/notes", framework)
            assert status == 200, body
            assert json.loads(body)["total"] == 1, body


def assert_readiness_names_redis_when_it_is_down(
    project: Path, framework: Framework, postgres_url: str
) -> None:
    """G6 with Celery: ready checks Redis too, and names it when it does not answer."""
    require_redis()
    env = production_env(postgres_url)
    prepare(project, framework, env)
    with serve(project, {**env, "REDIS_URL": REDIS_URL}, package=framework.package) as base:
        status, _, body = http(f"{base}/health/ready")
        assert status == 200, body
        assert json.loads(body) == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
    closed = f"redis://127.0.0.1:{free_port()}/0"
    with serve(project, {**env, "REDIS_URL": closed}, package=framework.package) as base:
        status, _, body = http(f"{base}/health/ready")
        assert status == 503, body
        assert json.loads(body) == {
            "status": "unavailable",
            "checks": {"database": "ok", "redis": "unavailable"},
        }
        assert http(f"{base}/health/live")[0] == 200


# --- The cache (issue 15) ------------------------------------------------------------------------

# A Redis database of the cache tests' own, apart from the one other tests use.
CACHE_TEST_DB = 9


def notes_total(base: str, framework: Framework) -> int:
    status, _, body = get(f"{base}/api/notes", framework)
    assert status == 200, body
    total: int = json.loads(body)["total"]
    return total


def cache_check(base: str) -> tuple[int, str]:
    status, _, body = http(f"{base}/health/ready")
    return status, json.loads(body)["checks"].get("cache")


def assert_the_cache_serves_the_list_and_outlives_redis(
    project: Path, framework: Framework, database: Path
) -> None:
    """With cache=redis, on the production server with a TCP proxy between the app and Redis:
    the list is read from the cache until a write drops it; with Redis gone (the proxy stopped)
    the list still answers, at once, and ready answers 503 naming the cache; with Redis back,
    ready answers 200 again."""
    require_redis()
    redis = urlsplit(REDIS_URL)
    with TcpProxy((redis.hostname or "127.0.0.1", redis.port or 6379)) as proxy:
        cache_url = f"redis://127.0.0.1:{proxy.port}/{CACHE_TEST_DB}"
        env = production_env(f"sqlite:///{database}", WEB_CONCURRENCY="1", CACHE_URL=cache_url)
        prepare(project, framework, env)
        with serve(project, env, package=framework.package) as base:
            assert cache_check(base) == (200, "ok")
            assert send_json(f"{base}/api/notes", framework, {"title": "first"})[0] == 201
            assert notes_total(base, framework) == 1
            # A note written behind the app's back: the list read from the cache misses it...
            with sqlite3.connect(database) as connection:
                connection.execute(
                    f"INSERT INTO {framework.notes_table} (title, body, created_at, updated_at)"
                    " VALUES ('behind', '', '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
                )
            assert notes_total(base, framework) == 1
            # ...until a write through the app drops the cached list.
            assert send_json(f"{base}/api/notes", framework, {"title": "second"})[0] == 201
            assert notes_total(base, framework) == 3

            proxy.stop()
            for _ in range(3):
                started = time.monotonic()
                assert notes_total(base, framework) == 3
                assert time.monotonic() - started < 1, "a cache that is gone slows the list"
            assert cache_check(base) == (503, "unavailable")
            assert json.loads(http(f"{base}/health/ready")[2])["checks"]["database"] == "ok"

            proxy.start()
            deadline = time.monotonic() + 10
            while cache_check(base) != (200, "ok"):
                assert time.monotonic() < deadline, "ready did not recover with Redis"
                time.sleep(0.2)
            assert notes_total(base, framework) == 3


# --- Metrics across workers (G15) ----------------------------------------------------------------


def metrics_samples(port: int) -> dict[str, float]:
    """`name{labels}` -> value, from the metrics port's text format (comments left out)."""
    _, _, body = http(f"http://127.0.0.1:{port}/metrics")
    samples = {}
    for line in body.decode().splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


def notes_listed(samples: dict[str, float]) -> float:
    return sum(
        value
        for name, value in samples.items()
        if name.startswith("http_requests_total{") and 'route="/api/notes"' in name
    )


def assert_metrics_add_up_across_workers(
    project: Path, framework: Framework, env: dict[str, str], multiprocess_dir: Path
) -> None:
    """The production command with 2 workers: the metrics port shows the requests of both,
    summed, by route template; the public port does not serve /metrics."""
    metrics_port = free_port()
    prepare(project, framework, env)
    env = {
        **env,
        "WEB_CONCURRENCY": "2",
        "METRICS_PORT": str(metrics_port),
        # Set for the server only: the server makes it; other commands would write into it.
        "PROMETHEUS_MULTIPROC_DIR": str(multiprocess_dir),
    }
    with serve(project, env, package=framework.package) as base:
        sent = 0
        # New connections until both workers have answered some (the kernel picks the worker).
        while len({path.stem for path in multiprocess_dir.glob("counter_*.db")}) < 2:
            assert sent < 400, f"one worker answered all {sent} requests"
            for _ in range(10):
                assert get(f"{base}/api/notes", framework)[0] == 200
            sent += 10
        # A request is counted once its response has gone out (FastAPI counts after the last
        # byte is sent): the last one may be counted a moment after its client read it.
        deadline = time.monotonic() + 5
        while True:
            samples = metrics_samples(metrics_port)
            counted = (notes_listed(samples), samples["http_requests_in_progress"])
            if counted == (sent, 0) or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert counted == (sent, 0), f"sent {sent}, counted (listed, in flight) {counted}"
        assert get(f"{base}/metrics", framework)[0] == 404
        item = get(f"{base}/api/notes/424242", framework)
        assert item[0] == 404
        item_series = [name for name in metrics_samples(metrics_port) if "424242" in name]
        assert item_series == []


# --- Start-up refusals (G3) ---------------------------------------------------------------------


def start(
    project: Path, framework: Framework, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The production command, expected to refuse to start."""
    full_env = project_env()
    full_env.pop("SECRET_KEY", None)  # only the test's values and the project's .env count
    full_env.update(env)
    return subprocess.run(
        ["uv", "run", "--quiet", "--project", str(project), "python", "-m", framework.package],
        cwd=cwd or project,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_refused(result: subprocess.CompletedProcess[str], variable: str) -> None:
    """A non-zero exit and one line on stderr naming the variable; no traceback anywhere."""
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


def assert_start_up_refused(
    project: Path, framework: Framework, env: dict[str, str], variable: str
) -> None:
    run(project, "uv", "sync", "--quiet")
    assert_refused(start(project, framework, env), variable)


def assert_start_up_names_a_missing_secret_key(
    project: Path, framework: Framework, elsewhere: Path
) -> None:
    run(project, "uv", "sync", "--quiet")
    # Started outside the project, the process finds no .env and so no SECRET_KEY.
    assert_refused(start(project, framework, {}, cwd=elsewhere), "SECRET_KEY")


# --- Files of a generated project (G1, G3, G11, G12, G13) ---------------------------------------


def git_files(project: Path) -> list[str]:
    return subprocess.run(
        ["git", "ls-files"], cwd=project, capture_output=True, text=True, check=True
    ).stdout.split()


def dotenv_values(project: Path) -> dict[str, str]:
    return dict(
        line.split("=", 1)
        for line in (project / ".env").read_text().splitlines()
        if line and not line.startswith("#")
    )


def assert_env_file_fresh_and_ignored(
    project: Path, other: Path, *, min_secret_length: int = 32, signs: bool = True
) -> None:
    """G3: each project's .env has its own strong secret, for development; git ignores it and
    no tracked file holds the secret. A project that signs nothing (`signs=False`, FastAPI)
    has no SECRET_KEY at all."""
    if signs:
        secret = dotenv_values(project)["SECRET_KEY"]
        assert len(secret) >= min_secret_length
        assert secret != dotenv_values(other)["SECRET_KEY"]
    for each in (project, other):
        values = dotenv_values(each)
        assert values["APP_ENV"] == "development"
        assert ("SECRET_KEY" in values) == signs
        assert ("SECRET_KEY" in (each / ".env.example").read_text()) == signs
        ignored = subprocess.run(["git", "check-ignore", "--quiet", ".env"], cwd=each, check=False)
        assert ignored.returncode == 0, ".env is not ignored by git"
        tracked = git_files(each)
        assert ".env" not in tracked
        assert ".env.example" in tracked
        for name in tracked:
            assert not signs or values["SECRET_KEY"] not in (each / name).read_text(
                errors="replace"
            )


def assert_speaks_of_itself_only(
    *projects: Path, readme_variables: tuple[str, ...] = ("DATABASE_URL",)
) -> None:
    """No word of where it came from, but where the project is updated from it: the answers
    file, the README's update section and the update pull requests' workflow. The README's
    table documents the variables."""
    for project in projects:
        for name in git_files(project):
            if name in {".copier-answers.yml", "README.md", ".github/workflows/update.yml"}:
                continue
            text = (project / name).read_text(errors="replace").lower()
            for word in ("scaffold", "copier", "template repo"):
                assert word not in text, f"{name} mentions {word}"
        readme = (project / "README.md").read_text()
        assert "scaffold update" in readme
        for variable in readme_variables:
            assert f"| `{variable}` |" in readme, variable


def assert_container_and_ci_files(project: Path, framework: Framework) -> None:
    """G11, G12 for the default answers (Docker, GitHub Actions) and PostgreSQL."""
    run(project, tool("hadolint"), "Dockerfile")
    run(project, tool("actionlint"))
    dockerfile = (project / "Dockerfile").read_text()
    assert f'CMD ["python", "-m", "{framework.package}"]' in dockerfile
    assert "uv sync --locked --no-dev" in dockerfile
    workflow = (project / ".github/workflows/ci.yml").read_text()
    assert "postgres:" in workflow
    assert "TEST_DATABASE_URL" in workflow


def assert_celery_and_kubernetes_files(
    project: Path, framework: Framework, migrate_command: list[str]
) -> None:
    """G13: Celery's modules and compose worker; the Kubernetes migrate job and config."""
    src = project / "src" / framework.package
    assert (src / "tasks.py").is_file()
    assert (src / "worker.py").is_file()
    compose = (project / "compose.yaml").read_text()
    assert f'"celery", "-A", "{framework.package}.worker", "worker"' in compose
    job = (project / "k8s" / "migrate-job.yaml").read_text()
    assert "command: " + json.dumps(migrate_command) in job
    assert "REDIS_URL" in (project / "k8s" / "configmap.yaml").read_text()
