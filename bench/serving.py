"""Requests per second of each generated app's /health/live against its bare framework.

    uv run python bench/serving.py [--frameworks fastapi flask ...] [--rounds 3] [--duration 5]

Projects are generated from this checkout; SCAFFOLD_TEMPLATE_SOURCE=<another clone> measures
the templates of another version (an earlier commit, say) the same way.

For each framework: generate a project with the defaults, start its production server (the
Dockerfile's command, `python -m <package>`, with APP_ENV=production, so JSON logs at INFO)
and a bare app of the same framework (one JSON route) on the same server: the project's own
server configuration (uvicorn with uvloop and httptools, or gunicorn's asgi workers through
a2wsgi) with the same worker count, only the app swapped. Each is loaded with
`wrk -t2 -c50 -d<duration>s`, alternating A B A B so that load from other work on the machine
falls on both; prints each run, the medians and the ratio generated / bare.

On a machine others load too, req/s swings with their work. Each run also measures the CPU
time the server's processes used per request (user + system, from /proc): the cost that sets
req/s when the CPU is the limit, and steadier under contention. Its ratio is bare / generated.

A third server, the generated app at LOG_LEVEL=DEBUG, writes a JSON access line for every
probe too: what the access log costs on a request that is logged (any non-probe path at INFO).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

SCAFFOLD = [sys.executable, "-m", "scaffold"]
ENV = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV"}}
WRK = ["wrk", "-t2", "-c50"]
PATH = "/health/live"

# The bare apps: one route answering {"status": "ok"}, the framework's plainest way.
BARE_APPS = {
    "fastapi": """
from fastapi import FastAPI

app = FastAPI()


@app.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}
""",
    "flask": """
from flask import Flask

app = Flask(__name__)


@app.get("/health/live")
def live() -> dict[str, str]:
    return {"status": "ok"}
""",
    "pyramid": """
from pyramid.config import Configurator


def live(request):
    return {"status": "ok"}


config = Configurator()
config.add_route("live", "/health/live")
config.add_view(live, route_name="live", renderer="json")
app = config.make_wsgi_app()
""",
    # Its own settings module (DJANGO_SETTINGS_MODULE=bare_app): the project's server
    # imports the project's WSGI module, which would otherwise name the project's settings.
    "django": """
from django.core.wsgi import get_wsgi_application
from django.http import JsonResponse
from django.urls import path

DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = __name__
MIDDLEWARE: list[str] = []
SECRET_KEY = "bare-" * 10


def live(request):
    return JsonResponse({"status": "ok"})


urlpatterns = [path("health/live", live)]


def __getattr__(name):
    # The server imports `app` after settings are read from this module.
    if name == "app":
        return get_wsgi_application()
    raise AttributeError(name)
""",
}

# The project's own server settings, serving the bare app instead of the project's.
UVICORN_SERVER = """
import uvicorn

from {package}.server import GRACEFUL_SHUTDOWN_SECONDS
from {package}.settings import load_settings

if __name__ == "__main__":
    settings = load_settings()
    uvicorn.run(
        "bare_app:app",
        host=settings.host,
        port=settings.port,
        workers=settings.web_concurrency,
        loop="uvloop",
        http="{package}.server:HeaderTimeoutProtocol",
        log_config=None,
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
"""
GUNICORN_SERVER = """
from a2wsgi import WSGIMiddleware

from {package}.__main__ import APP_THREADS, Server


class BareServer(Server):
    def load(self):
        from bare_app import app

        return WSGIMiddleware(app, workers=APP_THREADS)


if __name__ == "__main__":
    from {package}.settings import load_settings

    BareServer(load_settings()).run()
"""


@dataclass
class Variant:
    label: str
    command: list[str]
    env: dict[str, str]
    rates: list[float] = field(default_factory=list)
    cpu_per_request: list[float] = field(default_factory=list)  # microseconds
    errors: int = 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{PATH}", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"no answer on port {port}:\n{log.read_text()[-2000:]}")


def cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) used so far by every process in the process group pgid."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # After "(command)": state, ppid, pgrp, ..., utime and stime at 11 and 12.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(port: int, seconds: int) -> tuple[float, int, int]:
    """Requests per second, requests answered, failed requests (socket errors, non-2xx)."""
    out = subprocess.run(
        [*WRK, f"-d{seconds}s", f"http://127.0.0.1:{port}{PATH}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    answered = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    failed = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, answered, failed + (int(non_2xx[1]) if non_2xx else 0)


def project_env(workers: int, **extra: str) -> dict[str, str]:
    return {
        **ENV,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "HOST": "127.0.0.1",
        "PORT": str(free_port()),
        # Metrics on, as in production, each server on a port of its own.
        "METRICS_PORT": str(free_port()),
        "WEB_CONCURRENCY": str(workers),
        "PYTHONUNBUFFERED": "1",
        # Production with users (the default) needs a mail server; a probe sends no mail.
        "SMTP_HOST": "127.0.0.1",
        **extra,
    }


def generate(work: Path, framework: str) -> tuple[Path, str]:
    dest = work / f"{framework}-app"
    quiet = {"env": ENV, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([*SCAFFOLD, "new", framework, str(dest), "--defaults"], **quiet)  # type: ignore[call-overload]
    subprocess.run(["uv", "sync", "--quiet", "--no-dev"], cwd=dest, **quiet)  # type: ignore[call-overload]
    package = f"{framework}_app"
    if framework == "django":  # its production steps: static files collected first
        static = [str(dest / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput"]
        subprocess.run(static, cwd=dest, **{**quiet, "env": project_env(1)})  # type: ignore[call-overload]
    (dest / "bare_app.py").write_text(BARE_APPS[framework])
    server = UVICORN_SERVER if framework == "fastapi" else GUNICORN_SERVER
    (dest / "bare_server.py").write_text(server.format(package=package))
    return dest, package


def bench_framework(work: Path, framework: str, rounds: int, seconds: int) -> None:
    project, package = generate(work, framework)
    python = str(project / ".venv" / "bin" / "python")
    workers = 1 if framework == "fastapi" else 2 * (os.cpu_count() or 1) + 1
    variants = [
        Variant("generated", [python, "-m", package], project_env(workers, LOG_LEVEL="INFO")),
        Variant(
            "bare",
            [python, "bare_server.py"],
            project_env(workers, LOG_LEVEL="INFO", DJANGO_SETTINGS_MODULE="bare_app"),
        ),
        Variant(
            "generated, probes logged (DEBUG)",
            [python, "-m", package],
            project_env(workers, LOG_LEVEL="DEBUG"),
        ),
    ]
    processes = []
    try:
        for variant in variants:
            log = work / f"{framework}-{variant.env['PORT']}.log"
            process = subprocess.Popen(
                variant.command,
                cwd=project,
                env=variant.env,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            processes.append(process)
            wait_until_up(int(variant.env["PORT"]), process, log)
            wrk(int(variant.env["PORT"]), 1)  # warm up: imports, connections, caches
        for _ in range(rounds):
            for variant, process in zip(variants, processes, strict=True):
                cpu_before = cpu_seconds(process.pid)
                rate, answered, failed = wrk(int(variant.env["PORT"]), seconds)
                cpu = cpu_seconds(process.pid) - cpu_before
                variant.rates.append(rate)
                variant.cpu_per_request.append(cpu / max(answered, 1) * 1e6)
                variant.errors += failed
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
    report(framework, workers, variants)


def report(framework: str, workers: int, variants: list[Variant]) -> None:
    bare = statistics.median(variants[1].rates)
    bare_cpu = statistics.median(variants[1].cpu_per_request)
    print(f"\n{framework} ({workers} worker{'s' if workers > 1 else ''}), GET {PATH}:")
    for variant in variants:
        median = statistics.median(variant.rates)
        cpu = statistics.median(variant.cpu_per_request)
        runs = " ".join(f"{rate:.0f}" for rate in variant.rates)
        print(
            f"  {variant.label:34} {median:6.0f} req/s  ratio {median / bare:.2f}"
            f"  | CPU {cpu:5.0f} us/request  ratio {bare_cpu / cpu:.2f}"
            f"  | failed {variant.errors}  req/s runs: {runs}"
        )
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument(
        "--frameworks", nargs="*", default=["fastapi", "flask", "django", "pyramid"]
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, ", end="")
    print(f"wrk -t2 -c50 -d{args.duration}s, {args.rounds} rounds A B A B")
    work = Path(tempfile.mkdtemp(prefix="scaffold-serving-"))
    try:
        for framework in args.frameworks:
            bench_framework(work, framework, args.rounds, args.duration)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
