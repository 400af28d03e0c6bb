"""Requests per second on `/api/notes` of the production server, metrics on and off.

    uv run python bench/metrics.py [--frameworks fastapi flask ...] [--rounds 3] [--seconds 10]

For each framework: a default project (SQLite, generated into a temporary folder), migrated,
with 20 notes; then, in alternating rounds, the production command (`python -m <package>`,
WEB_CONCURRENCY=2) with METRICS_PORT set and with METRICS_PORT=0, each loaded by
`wrk -t2 -c50` for the given seconds. Prints each round's req/s and the medians, and the CPU
time the server's processes spent per request (user+sys, read from /proc before and after the
load). On a shared machine req/s follows whatever else runs (rounds here have swung between
350 and 900 req/s); the CPU time per request much less, so its on/off ratio is the steadier
figure of what metrics cost. Needs wrk and Linux's /proc.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MIGRATE = {
    "django": ["python", "manage.py", "migrate", "--noinput"],
    "fastapi": ["alembic", "upgrade", "head"],
    "flask": ["flask", "db", "upgrade"],
    "pyramid": ["alembic", "upgrade", "head"],
}
# Django's production redirects plain HTTP; the requests come as from its TLS proxy.
HEADERS = {"django": {"X-Forwarded-Proto": "https"}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(cwd: Path, *command: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    connection = HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        return connection.getresponse().status
    finally:
        connection.close()


def wait_for(port: int) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/health/live") == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"no answer on port {port}: see the server's log (server.log)")


def session_cpu_seconds(session: int) -> float:
    """User+sys CPU seconds of the live processes in a session (the server and its workers)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process has gone
            continue
        if int(fields[3]) == session:  # after the name: state ppid pgrp session ...
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def requests_per_second(
    project: Path, env: dict[str, str], headers: dict[str, str], seconds: int
) -> tuple[float, float]:
    """(req/s, the server's CPU milliseconds per request) of one round."""
    port = free_port()
    server_env = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        ["uv", "run", "--quiet", "python", "-m", project.name],
        cwd=project,
        env=server_env,
        stdout=(project.parent / "server.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        try:
            wait_for(port)
        except SystemExit:
            print((project.parent / "server.log").read_text()[-3000:])
            raise
        header_args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
        cpu_before = session_cpu_seconds(server.pid)
        out = subprocess.run(
            ["wrk", "-t2", "-c50", f"-d{seconds}s", *header_args, f"{base}/api/notes"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        cpu = session_cpu_seconds(server.pid) - cpu_before
        if "Non-2xx" in out:
            raise SystemExit(f"errors under load:\n{out}")
        match = re.search(r"Requests/sec:\s+([\d.]+)", out)
        count = re.search(r"(\d+) requests in", out)
        if match is None or count is None:
            raise SystemExit(f"no figure from wrk:\n{out}")
        return float(match.group(1)), cpu * 1000 / int(count.group(1))
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)


def bench(framework: str, workdir: Path, rounds: int, seconds: int) -> None:
    package = f"{framework}_bench"
    project = workdir / package
    subprocess.run(
        # The notes API open to anyone: what metrics cost, without a token check per request.
        [
            *(sys.executable, "-m", "scaffold", "new", framework, str(project), "--defaults"),
            *("--data", "auth=none"),
        ],
        check=True,
        capture_output=True,
    )
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": f"sqlite:///{project / 'bench.db'}",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("VIRTUAL_ENV", None)
    run(project, "uv", "sync", "--quiet", env=env)
    run(project, "uv", "run", "--quiet", *MIGRATE[framework], env=env)
    headers = HEADERS.get(framework, {})
    # 20 notes, so that the list has something to serialise.
    port = free_port()
    seed_env = {**env, "HOST": "127.0.0.1", "PORT": str(port), "METRICS_PORT": "0"}
    server = subprocess.Popen(
        ["uv", "run", "--quiet", "python", "-m", package],
        cwd=project,
        env=seed_env,
        stdout=(project.parent / "server.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        try:
            wait_for(port)
        except SystemExit:
            print((project.parent / "server.log").read_text()[-3000:])
            raise
        for number in range(20):
            body = json.dumps({"title": f"note {number}", "body": "text " * 20}).encode()
            json_headers = {"Content-Type": "application/json", **headers}
            if request(port, "POST", "/api/notes", body, json_headers) != 201:
                raise SystemExit("could not create the notes")
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)

    on: list[tuple[float, float]] = []
    off: list[tuple[float, float]] = []
    for _ in range(rounds):
        on_env = {**env, "METRICS_PORT": str(free_port())}
        on.append(requests_per_second(project, on_env, headers, seconds))
        off.append(requests_per_second(project, {**env, "METRICS_PORT": "0"}, headers, seconds))
    for name, figures in (("on ", on), ("off", off)):
        rates = [round(rate) for rate, _ in figures]
        costs = [round(cost, 2) for _, cost in figures]
        print(
            f"{framework}: metrics {name} {rates} req/s, median {median(figures, 0):.0f};"
            f" CPU ms/request {costs}, median {median(figures, 1):.2f}"
        )
    print(
        f"{framework}: on/off req/s {median(on, 0) / median(off, 0):.3f},"
        f" CPU per request {median(on, 1) / median(off, 1):.3f}"
    )


def median(figures: list[tuple[float, float]], column: int) -> float:
    return statistics.median(figure[column] for figure in figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--frameworks", nargs="+", default=["fastapi", "flask", "pyramid", "django"]
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-metrics-") as workdir:
        for framework in args.frameworks:
            bench(framework, Path(workdir), args.rounds, args.seconds)


if __name__ == "__main__":
    main()
