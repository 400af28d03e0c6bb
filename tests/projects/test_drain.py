"""SIGTERM under load and a database outage, against the production command (contract G6,
G10), in each of the four frameworks.

One PostgreSQL project per framework serves both tests; the app reaches its database through a
TCP proxy started here, so that the test can take the database away and give it back.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path

import pytest

from tests.projects import contract
from tests.projects.test_django import DJANGO
from tests.projects.test_fastapi import FASTAPI
from tests.projects.test_flask import FLASK
from tests.projects.test_pyramid import PYRAMID
from tests.support import generate, http, postgres_database, server_log, server_process

pytestmark = pytest.mark.project

FRAMEWORKS = {"django": DJANGO, "fastapi": FASTAPI, "flask": FLASK, "pyramid": PYRAMID}
DRAIN_SECONDS = 2
CLIENTS = 8
# How long a load balancer goes on sending after its probe saw 503.
BALANCER_LAG = 0.3


class Proxy:
    """A TCP proxy on 127.0.0.1 in front of PostgreSQL that can refuse and drop connections."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self.listener: socket.socket | None = None
        self.pairs: list[tuple[socket.socket, socket.socket]] = []
        self.lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        """The database goes away: new connections are refused, open ones are dropped."""
        if self.listener is not None:
            # shutdown() stops the listening at once; close() alone waits for the accept().
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for pair in pairs:
            for end in pair:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self.lock:
                self.pairs.append((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@dataclass(frozen=True)
class Project:
    framework: contract.Framework
    path: Path
    env: dict[str, str]
    proxy: Proxy


# Meant to run each framework's tests on one worker, its project generated and served once
# (see the note on loadgroup in pyproject.toml: not in effect with pytest 9.2).
@pytest.fixture(
    scope="module",
    params=[
        pytest.param(name, marks=pytest.mark.xdist_group(f"drain-{name}"))
        for name in sorted(FRAMEWORKS)
    ],
)
def project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Project]:
    framework = FRAMEWORKS[request.param]
    root = tmp_path_factory.mktemp(f"drain-{request.param}")
    path = generate(root / framework.package, request.param, database="postgresql")  # users on
    with postgres_database() as url:
        head, name = url.rsplit("/", 1)
        host, port = head.rsplit("@", 1)[1].rsplit(":", 1)
        proxy = Proxy((host, int(port)))
        proxy.start()
        proxied = f"{head.rsplit(':', 1)[0]}:{proxy.port}/{name}"
        env = contract.production_env(
            proxied,
            WEB_CONCURRENCY="2",
            DRAIN_SECONDS=str(DRAIN_SECONDS),
            SMTP_HOST="127.0.0.1",  # production with users needs one; nothing here sends mail
        )
        contract.prepare(path, framework, env)
        contract.create_admin(path, request.param, framework.package, env)
        try:
            yield Project(framework, path, env, proxy)
        finally:
            proxy.stop()


def load(base: str, framework: contract.Framework, stop: threading.Event) -> list[str]:
    """GET /api/notes over kept-alive connections until `stop`; each outcome as text."""
    port = int(base.rsplit(":", 1)[1])
    outcomes: list[str] = []
    headers = dict(framework.request_headers)
    connection: HTTPConnection | None = None
    while not stop.is_set():
        try:
            connection = connection or HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", "/api/notes", headers=headers)
            response = connection.getresponse()
            response.read()
            outcomes.append(str(response.status))
            if response.getheader("connection", "").lower() == "close":
                connection.close()
                connection = None
        except OSError as error:
            outcomes.append(repr(error))
            if connection is not None:
                connection.close()
            connection = None
    if connection is not None:
        connection.close()
    return outcomes


def test_sigterm_under_load_fails_no_request(project: Project) -> None:
    """SIGTERM under load: /health/ready turns 503 while every request is still answered;
    the balancer stops sending; a slow request under way finishes after the server stopped
    accepting; then the server exits by itself."""
    with server_process(project.path, project.env, package=project.framework.package) as (
        process,
        base,
    ):
        framework = contract.signed_in(base, project.framework)
        slow_request = contract.raw_note_post(framework)
        found = re.search(framework.server_pid, server_log(project.path))
        assert found, server_log(project.path)
        port = int(base.rsplit(":", 1)[1])
        stop = threading.Event()
        results: list[list[str]] = [[] for _ in range(CLIENTS)]
        clients = [
            threading.Thread(target=lambda out=out: out.extend(load(base, framework, stop)))
            for out in results
        ]
        for client in clients:
            client.start()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as slow:
            slow.sendall(slow_request[:-5])
            time.sleep(1)
            os.kill(int(found[1]), signal.SIGTERM)
            signalled = time.monotonic()
            readiness = []
            while not readiness or readiness[-1] != 503:  # the balancer's probe
                readiness.append(http(f"{base}/health/ready")[0])
                assert time.monotonic() - signalled < DRAIN_SECONDS, readiness
                time.sleep(0.1)
            time.sleep(BALANCER_LAG)
            stop.set()
            for client in clients:
                client.join(timeout=30)
            # Past the drain the server accepts no more, but the request under way is answered.
            time.sleep(max(0.0, signalled + DRAIN_SECONDS + 1 - time.monotonic()))
            assert process.poll() is None, "the server exited with a request in flight"
            slow.sendall(slow_request[-5:])
            answer = slow.recv(65536)
        assert answer.startswith(b"HTTP/1.1 201"), answer
        outcomes = [outcome for result in results for outcome in result]
        failed = [outcome for outcome in outcomes if outcome != "200"]
        assert outcomes and not failed, (len(outcomes), failed[:5])
        assert process.wait(timeout=60) in (0, -signal.SIGTERM, 128 + signal.SIGTERM)
    contract.assert_clean_shutdown_logged(project.path, framework)


def timed_get(url: str, framework: contract.Framework) -> tuple[float, int, dict[str, str], bytes]:
    started = time.monotonic()
    status, headers, body = contract.get(url, framework)
    return time.monotonic() - started, status, headers, body


def test_database_outage_answers_503_with_retry_after(project: Project) -> None:
    """The database goes away under the running app: the API answers 503 problem+json with
    Retry-After within a second, liveness stays fast; the database comes back: 200 again."""
    with server_process(project.path, project.env, package=project.framework.package) as (_, base):
        framework = contract.signed_in(base, project.framework)
        assert contract.send_json(f"{base}/api/notes", framework, {"title": "before"})[0] == 201
        project.proxy.stop()
        try:
            for _ in range(6):  # each worker and each pooled connection finds out on its own
                took, status, headers, body = timed_get(f"{base}/api/notes", framework)
                problem = contract.assert_problem(status, headers, body, expected=503)
                assert int(headers["retry-after"]) > 0, headers
                assert "psycopg" not in json.dumps(problem).lower()
                assert took < 1.0, f"the 503 took {took:.2f} s"
            live = [timed_get(f"{base}/health/live", framework) for _ in range(10)]
            assert all(status == 200 for _, status, _, _ in live)
            times = sorted(took for took, _, _, _ in live)
            # The median, since this machine is shared: one probe may wait for a core.
            assert times[len(times) // 2] < 0.1, f"/health/live took {times} s, database down"
            assert times[-1] < 1.0, f"/health/live took {times} s with the database down"
            assert http(f"{base}/health/ready")[0] == 503
        finally:
            project.proxy.start()
        deadline, answers = time.monotonic() + 15, list[int]()
        while answers[-4:] != [200] * 4:
            answers.append(contract.get(f"{base}/api/notes", framework)[0])
            assert time.monotonic() < deadline, answers
            time.sleep(0.1)
