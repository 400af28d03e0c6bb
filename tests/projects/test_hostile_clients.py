"""The production command under hostile clients (contract G14), in each of the four frameworks.

One project and one running server per framework, shared by the module's tests: the server is
the real production command (`python -m <package>`), started by `server_process`. The projects
have users (the default), and the requests carry the first admin's token.
"""

from __future__ import annotations

import json
import re
import socket
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.answers import note_bodies, note_titles
from tests.projects import contract
from tests.projects.test_django import DJANGO
from tests.projects.test_fastapi import FASTAPI
from tests.projects.test_flask import FLASK
from tests.projects.test_pyramid import PYRAMID
from tests.support import generate, http, server_process

pytestmark = pytest.mark.project

FRAMEWORKS = {"django": DJANGO, "fastapi": FASTAPI, "flask": FLASK, "pyramid": PYRAMID}
IDLE_CONNECTIONS = 200
STALLED_CONNECTIONS = 20
PROBE_SECONDS = 10
PROBE_TIMEOUT = 1.0
LARGE_BODY = 50 * 1024 * 1024
MAX_REQUEST_BYTES = 1024 * 1024  # the projects' default
# Past every database's integers (SQLite's and PostgreSQL's are 64-bit at most).
HUGE_NUMBER = "9" * 23
FORGED_HOSTS = ("localhost:@evil.example", "127.0.0.1:80@evil.example", "localhost/evil.example")
# Seconds a client has to send its request's headers: longer than the stalled clients are
# held open below, short enough to wait for.
REQUEST_TIMEOUT = 12


@dataclass(frozen=True)
class Running:
    framework: contract.Framework
    base: str
    pid: int

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])


# Meant to run each framework's tests on one worker, its project generated and served once
# (see the note on loadgroup in pyproject.toml: not in effect with pytest 9.2).
@pytest.fixture(
    scope="module",
    params=[
        pytest.param(name, marks=pytest.mark.xdist_group(f"hostile-{name}"))
        for name in sorted(FRAMEWORKS)
    ],
)
def running(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Running]:
    framework = FRAMEWORKS[request.param]
    root = tmp_path_factory.mktemp(f"hostile-{request.param}")
    project = generate(root / framework.package, request.param)  # with users: the default
    env = contract.production_env(
        f"sqlite:///{root / 'app.db'}",
        WEB_CONCURRENCY="2",
        REQUEST_TIMEOUT=str(REQUEST_TIMEOUT),
        SMTP_HOST="127.0.0.1",  # production with users needs one; nothing here sends mail
    )
    contract.prepare(project, framework, env)
    contract.create_admin(project, request.param, framework.package, env)
    with server_process(project, env, package=framework.package) as (process, base):
        yield Running(contract.signed_in(base, framework), base, process.pid)


def open_connections(port: int, count: int, first_bytes: bytes = b"") -> list[socket.socket]:
    connections = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        if first_bytes:
            connection.sendall(first_bytes)
        connections.append(connection)
    return connections


def test_health_answers_while_clients_stall(running: Running) -> None:
    """200 connections that send nothing and 20 that stop half way through their request
    line and headers: /health/live keeps answering within a second, and the API too."""
    partial = b"GET /api/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
    held = open_connections(running.port, IDLE_CONNECTIONS)
    held += open_connections(running.port, STALLED_CONNECTIONS, partial)
    try:
        slowest, deadline = 0.0, time.monotonic() + PROBE_SECONDS
        while time.monotonic() < deadline:
            started = time.monotonic()
            status = http_with_timeout(f"{running.base}/health/live", PROBE_TIMEOUT)
            slowest = max(slowest, time.monotonic() - started)
            assert status == 200, f"/health/live answered {status} with {len(held)} held open"
            time.sleep(0.2)
        assert slowest < PROBE_TIMEOUT, slowest
        status, _, body = contract.get(f"{running.base}/api/notes", running.framework)
        assert status == 200, body
    finally:
        for connection in held:
            connection.close()


def http_with_timeout(url: str, timeout: float) -> int | str:
    """The status of a GET, or what went wrong (a timeout) as text."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return int(response.status)
    except OSError as error:
        return repr(error)


@pytest.mark.parametrize("host", FORGED_HOSTS)
def test_forged_hosts_are_refused(running: Running, host: str) -> None:
    headers = {**running.framework.request_headers, "Host": host}
    status, _, body = http(f"{running.base}/api/notes", headers=headers)
    assert status == 400, body


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (the server and its workers)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(found[1]) if found else 0
    return total


def send_large_body(running: Running, *, chunked: bool) -> bytes:
    """POST a 50 MB JSON body in 1 MB pieces; return the start of the answer."""
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {LARGE_BODY}"
    head = "".join(f"{k}: {v}\r\n" for k, v in running.framework.request_headers.items())
    request = (
        f"POST /api/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"{head}{framing}\r\n\r\n"
    ).encode()
    piece = b"x" * (1024 * 1024)
    with socket.create_connection(("127.0.0.1", running.port), timeout=10) as connection:
        connection.sendall(request)
        try:
            for _ in range(LARGE_BODY // len(piece)):
                connection.sendall(b"%x\r\n%b\r\n" % (len(piece), piece) if chunked else piece)
            if chunked:
                connection.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed the connection: what should happen
        return connection.recv(200)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_large_body_is_refused_before_it_is_read(running: Running, chunked: bool) -> None:
    before = tree_rss_kib(running.pid)
    answer = send_large_body(running, chunked=chunked)
    assert answer.startswith(b"HTTP/1.1 413"), answer
    grown = tree_rss_kib(running.pid) - before
    assert grown < 20 * 1024, f"the server grew by {grown} KiB"


def post_chunked(running: Running, body: bytes) -> tuple[int, dict[str, str], bytes]:
    """POST a body to /api/notes with `Transfer-Encoding: chunked` (no Content-Length), in
    64 KiB chunks; return the status, headers (lower-cased names) and body of the answer."""
    headers = {**running.framework.request_headers, "Content-Type": "application/json"}
    pieces = (body[at : at + 64 * 1024] for at in range(0, len(body), 64 * 1024))
    connection = HTTPConnection("127.0.0.1", running.port, timeout=10)
    try:
        connection.request("POST", "/api/notes", pieces, headers, encode_chunked=True)
        response = connection.getresponse()
        answer = {name.lower(): value for name, value in response.getheaders()}
        return response.status, answer, response.read()
    finally:
        connection.close()


@settings(
    max_examples=5, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(title=note_titles, text=note_bodies)
def test_a_chunked_note_within_the_limit_is_read_whole(
    running: Running, title: str, text: str
) -> None:
    """A note sent chunked, padded with JSON whitespace to exactly MAX_REQUEST_BYTES: the app
    reads all of it (WSGI apps used to get such a body as empty, or not at all)."""
    note = json.dumps({"title": title, "body": text}).encode()
    status, _, answer = post_chunked(running, note + b" " * (MAX_REQUEST_BYTES - len(note)))
    assert status == 201, answer
    created = json.loads(answer)
    assert (created["title"], created["body"]) == (title, text)
    stored = contract.get(f"{running.base}/api/notes/{created['id']}", running.framework)
    assert json.loads(stored[2])["title"] == title


def test_a_chunked_body_past_the_limit_is_refused_as_a_problem(running: Running) -> None:
    answer = post_chunked(running, b" " * (MAX_REQUEST_BYTES + 1))
    problem = contract.assert_problem(*answer, expected=413)
    assert str(MAX_REQUEST_BYTES) in problem["detail"]


def test_numbers_past_the_bounds_are_refused(running: Running) -> None:
    """An id no row can have is not found; a page or size past the bounds is invalid."""
    url = f"{running.base}/api/notes"
    contract.assert_problem(*contract.get(f"{url}/{HUGE_NUMBER}", running.framework), expected=404)
    for field in ("page", "size"):
        answer = contract.get(f"{url}?{field}={HUGE_NUMBER}", running.framework)
        problem = contract.assert_problem(*answer, expected=422)
        assert problem["errors"][0]["field"] == field


def test_a_connection_without_a_request_is_closed_after_the_request_timeout(
    running: Running,
) -> None:
    """A client that connects and sends nothing, or half a request, holds its socket no
    longer than REQUEST_TIMEOUT; a request and the keep-alive after it are served as usual."""
    idle, partial = open_connections(running.port, 2, b"")
    partial.sendall(b"GET /api/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    started = time.monotonic()
    try:
        for connection in (idle, partial):
            connection.settimeout(REQUEST_TIMEOUT + 10)
            assert connection.recv(100) == b"", "the server answered instead of closing"
        closed_after = time.monotonic() - started
        assert REQUEST_TIMEOUT - 1 <= closed_after < REQUEST_TIMEOUT + 5, closed_after
    finally:
        idle.close()
        partial.close()
    assert http(f"{running.base}/health/live")[0] == 200


def test_health_answers_after_the_stalled_clients_left(running: Running) -> None:
    assert http(f"{running.base}/health/live")[0] == 200
