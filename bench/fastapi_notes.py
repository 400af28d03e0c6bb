"""Requests per second and p99 latency of a generated FastAPI app's `GET /api/notes?size=20`.

    uv run python bench/fastapi_notes.py [--against main] [--rounds 3] [--duration 10]
                                         [--databases sqlite postgresql] [--workers 1]

Generates two projects with default answers: A from the templates of git ref `--against`
(default main), B from this checkout's templates (work tree included). Each gets 20 notes and
its production command (`python -m <package>`, APP_ENV=production) on 127.0.0.1, then
`wrk -t2 -c50` runs against A and B in turn, A B A B ..., so that load from elsewhere on the
machine falls on both alike. Beside them runs "bare": the least app on the same stack (FastAPI,
SQLAlchemy's asyncio ORM and driver, uvicorn with uvloop and httptools), reading B's notes with
the same query and answering the same JSON, with no middleware, logging or metrics: the most
this stack gives in as many processes. Prints every run (req/s, p99, failed requests, and the
server's CPU milliseconds per request, which depends less on what else the machine runs), then
the medians, B/A and B/bare per database. --workers sets WEB_CONCURRENCY (and bare's workers).
Needs wrk and, for PostgreSQL, psql reaching SCAFFOLD_TEST_POSTGRES (default: this machine's).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
POSTGRES_ADMIN = os.environ.get(
    "SCAFFOLD_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ENV = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH"}}
ENV["UV_NO_PROGRESS"] = "1"
NOTES = 20
PATH = f"/api/notes?size={NOTES}"


def sh(*command: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        command, cwd=cwd, env={**ENV, **(env or {})}, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"`{' '.join(command)}` exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result.stdout


def template_checkout(work: Path, ref: str) -> Path:
    """A clone of this repository at ref, to render A's templates from."""
    clone = work / f"templates-{re.sub(r'[^A-Za-z0-9]', '-', ref)}"
    sh("git", "clone", "--quiet", "--no-checkout", str(REPO), str(clone))
    sh("git", "-C", str(clone), "checkout", "--quiet", ref)
    return clone


def asks_for_auth(templates: Path) -> bool:
    """Whether templates (a checkout) have the auth question: older ones have no users."""
    common = templates / "templates" / "_shared" / "questions" / "common.yml"
    return re.search(r"(?m)^auth:", common.read_text(encoding="utf-8")) is not None


def generate(dest: Path, database: str, source: Path | None) -> Path:
    env = {"SCAFFOLD_TEMPLATE_SOURCE": str(source)} if source else {}
    # The notes API open to anyone, as the issue measured it: the data path, no token check.
    no_users = ["--data", "auth=none"] if asks_for_auth(source or REPO) else []
    sh(
        sys.executable, "-m", "scaffold", "new", "fastapi", str(dest), "--defaults", "--yes",
        "--data", f"project_name={dest.name}", "--data", f"database={database}", *no_users,
        cwd=REPO, env=env,
    )  # fmt: skip
    sh("uv", "sync", "--quiet", cwd=dest)
    return dest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(url: str, body: dict[str, str] | None = None) -> int:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data else {}
    sent = urllib.request.Request(url, data, headers)  # noqa: S310 - http://127.0.0.1 only
    with urllib.request.urlopen(sent, timeout=10) as answer:  # noqa: S310
        return int(answer.status)


@contextlib.contextmanager
def database_url(project: Path, database: str) -> Iterator[str]:
    if database == "sqlite":
        yield f"sqlite:///{project.parent / (project.name + '.db')}"
        return
    name = f"bench_{project.name}"
    base = POSTGRES_ADMIN.rsplit("/", 1)[0]
    sh("psql", POSTGRES_ADMIN, "-qc", f'DROP DATABASE IF EXISTS "{name}"')
    sh("psql", POSTGRES_ADMIN, "-qc", f'CREATE DATABASE "{name}"')
    try:
        yield f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    finally:
        sh("psql", POSTGRES_ADMIN, "-qc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and its children so far (Linux)."""
    total = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += cpu_seconds(int(child))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return total + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    base: str
    pid: int
    database_url: str = ""


# The bare app: B's notes, its query and its page's JSON, and nothing else.
BARE_APP = """
import os
from datetime import datetime

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    body: Mapped[str]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class NoteRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    title: str
    body: str
    created_at: datetime
    updated_at: datetime


class NotePage(BaseModel):
    items: list[NoteRead]
    page: int
    size: int
    total: int


engine = create_async_engine(os.environ["BARE_DATABASE_URL"], pool_size=10, max_overflow=0)
sessions = async_sessionmaker(engine, expire_on_commit=False)
app = FastAPI()


@app.get("/api/notes")
async def list_notes(page: int = 1, size: int = 20) -> NotePage:
    async with sessions() as session:
        query = select(Note, func.count().over()).order_by(Note.id.desc())
        rows = (await session.execute(query.offset((page - 1) * size).limit(size))).all()
    items = [NoteRead.model_validate(note) for note, _ in rows]
    return NotePage(items=items, page=page, size=size, total=rows[0][1] if rows else 0)
"""


def wait_for(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        with contextlib.suppress(OSError):
            if request(url) == 200:
                return
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"{url} did not answer; see {log}")
        time.sleep(0.2)


def stop(server: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):  # one that did not start is gone
        os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=60)


@contextlib.contextmanager
def serving_bare(project: Path, of: Server, workers: int) -> Iterator[Server]:
    """The bare app in project's environment, over the database that `of` serves."""
    app_dir = project.parent / "bare"
    app_dir.mkdir(exist_ok=True)
    (app_dir / "bare_app.py").write_text(BARE_APP, encoding="utf-8")
    url = of.database_url.replace("sqlite:", "sqlite+aiosqlite:", 1)
    port = free_port()
    log = project.parent / "bare.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            ["uv", "run", "--quiet", "python", "-m", "uvicorn", "--app-dir", str(app_dir),
             "bare_app:app", "--host", "127.0.0.1", "--port", str(port), "--workers",
             str(workers), "--loop", "uvloop", "--http", "httptools", "--no-access-log",
             "--log-level", "warning"],
            cwd=project, env={**ENV, "BARE_DATABASE_URL": url}, stdout=output,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}{PATH}", server, log)
        yield Server(base, server.pid, url)
    finally:
        stop(server)


@contextlib.contextmanager
def serving(project: Path, database: str, workers: int) -> Iterator[Server]:
    """The production command on a free port, with 20 notes."""
    with database_url(project, database) as url:
        env = {"APP_ENV": "production", "DATABASE_URL": url, "WEB_CONCURRENCY": str(workers)}
        sh("uv", "run", "--quiet", "alembic", "upgrade", "head", cwd=project, env=env)
        port, metrics = free_port(), str(free_port())
        log = (project.parent / f"{project.name}.log").open("w")
        server = subprocess.Popen(
            ["uv", "run", "--quiet", "python", "-m", project.name],
            cwd=project,
            # A and B run at once: each serves its metrics on a port of its own.
            env={**ENV, **env, "HOST": "127.0.0.1", "PORT": str(port), "METRICS_PORT": metrics},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(f"{base}/health/live", server, Path(log.name))
            for number in range(NOTES):
                request(f"{base}/api/notes", {"title": f"Note {number}", "body": "x" * 200})
            yield Server(base, server.pid, url)
        finally:
            stop(server)
            log.close()


Result = tuple[float, float, int, float]


def wrk(server: Server, duration: int) -> Result:
    """Requests per second, p99 in milliseconds, failed requests (errors and non-2xx) and the
    server's CPU milliseconds per request."""
    cpu_before = cpu_seconds(server.pid)
    out = sh("wrk", "-t2", "-c50", f"-d{duration}s", "--latency", server.base + PATH)
    cpu = cpu_seconds(server.pid) - cpu_before
    done = int(re.search(r"(\d+) requests in", out)[1])  # type: ignore[index]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out).groups()  # type: ignore[union-attr]
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = r"(?:Non-2xx or 3xx responses:|connect|read|write|timeout) (\d+)"
    failed = sum(int(n) for n in re.findall(errors, out))
    return rate, p99, failed, 1000 * cpu / max(done, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", default="main", help="git ref of the A templates")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--databases", nargs="*", default=["sqlite", "postgresql"])
    parser.add_argument("--workers", type=int, default=1, help="server processes of each")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    work = Path(tempfile.mkdtemp(prefix="bench-notes-"))
    print(f"GET {PATH} with {NOTES} notes, wrk -t2 -c50 -d{args.duration}s, "
          f"A = templates of {args.against}, B = this checkout, bare = the stack alone; "
          f"{args.workers} server process(es) each; {os.cpu_count()} CPUs")  # fmt: skip
    try:
        source = template_checkout(work, args.against)
        for database in args.databases:
            bench_database(work, database, source, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def bench_database(work: Path, database: str, source: Path, args: argparse.Namespace) -> None:
    projects = {
        "A": generate(work / f"a_{database}", database, source),
        "B": generate(work / f"b_{database}", database, None),
    }
    names = ("A", "B", "bare")
    results: dict[str, list[Result]] = {name: [] for name in names}
    with (
        serving(projects["A"], database, args.workers) as a,
        serving(projects["B"], database, args.workers) as b,
        serving_bare(projects["B"], b, args.workers) as bare,
    ):
        servers = {"A": a, "B": b, "bare": bare}
        for server in servers.values():  # warm up each: imports, pools, caches
            wrk(server, 2)
        for round_number in range(1, args.rounds + 1):
            for name, server in servers.items():
                rate, p99, failed, cpu = result = wrk(server, args.duration)
                results[name].append(result)
                print(f"  {database} round {round_number} {name:>4}: {rate:8.1f} req/s  "
                      f"p99 {p99:7.1f} ms  failed {failed}  cpu {cpu:5.2f} ms/req")  # fmt: skip
    medians = {
        name: tuple(statistics.median(run[i] for run in results[name]) for i in (0, 1, 3))
        for name in names
    }
    summary = " | ".join(
        f"{name} {rate:.0f} req/s p99 {p99:.1f} ms cpu {cpu:.2f} ms/req"
        for name, (rate, p99, cpu) in medians.items()
    )
    rate_a, rate_b, rate_bare = (medians[name][0] for name in names)
    print(f"{database}: {summary} | B/A req/s {rate_b / rate_a:.2f}x | "
          f"B/bare req/s {rate_b / rate_bare:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
