"""`scaffold web` from the command line: the extra's absence, the address, --help's cost."""

from __future__ import annotations

import socket
import subprocess
import sys

from scaffold.web import INSTALL_HINT

WITHOUT_EXTRA = (
    "import sys, runpy\n"
    "sys.modules['starlette'] = None  # as if the web extra were not installed\n"
    "sys.argv = ['scaffold', 'web']\n"
    "runpy.run_module('scaffold', run_name='__main__')\n"
)


def test_without_the_extra_one_line_says_how_to_install_it() -> None:
    result = subprocess.run([sys.executable, "-c", WITHOUT_EXTRA], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == f"scaffold: error: {INSTALL_HINT}\n"
    assert "scaffold-web[web]" in result.stderr
    assert result.stdout == ""


def test_a_taken_port_is_one_line_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "scaffold", "web", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr.startswith(f"scaffold: error: cannot listen on 127.0.0.1:{port}: ")
    assert len(result.stderr.splitlines()) == 1
