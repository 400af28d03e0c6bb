"""Serve the picker on one address: loopback unless told otherwise, one line to say where."""

from __future__ import annotations

import socket
import sys
import threading
import webbrowser

from scaffold.errors import UsageError

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def listening_socket(host: str, port: int) -> socket.socket:
    """Bound before the server starts, so that a taken port is one line, and port 0 works."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as error:
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
    return sock


def allowed_hosts(host: str) -> list[str]:
    """Host headers the server answers: its own names on loopback (a rebound DNS name gets 400)."""
    if host in LOOPBACK:
        return ["127.0.0.1", "localhost", "[::1]", "::1"]
    return ["*"]


def serve(host: str, port: int, *, open_browser: bool) -> None:
    import uvicorn

    from scaffold.web.app import create_app
    from scaffold.web.engine import Picker

    sock = listening_socket(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/"

    def ready() -> None:
        print(f"scaffold web: serving {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
        if open_browser:
            threading.Timer(0.5, webbrowser.open, [url]).start()

    app = create_app(Picker(), allowed_hosts(host), ready)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    if host not in LOOPBACK:
        print(f"scaffold web: listening on {host}, beyond this machine", file=sys.stderr)
    server.run(sockets=[sock])
