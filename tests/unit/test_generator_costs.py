"""What keeps `scaffold new` quick, held where it can fail: no prompt library is loaded for a
run that asks nothing, and few git processes. (The times themselves: bench/generator.py.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from scaffold.source import SOURCE_ENV
from tests.support import REPO

PROMPT_LIBRARIES = ("prompt_toolkit", "questionary")

# What a run with --defaults may start: clone the template once, read it, init and commit the
# project, and, from a checkout with uncommitted changes, its snapshot (seven more). It was 75:
# copier asked git for core.fileMode once per file written, and cloned the template twice.
MOST_GIT_PROCESSES = 28


def _new(dest: Path, env: dict[str, str], *options: str) -> subprocess.CompletedProcess[str]:
    probe = (
        "import atexit, sys\n"
        "from scaffold.cli import app\n"
        "loaded = lambda: sorted({m.split('.')[0] for m in sys.modules} & "
        f"{set(PROMPT_LIBRARIES)!r})\n"
        "atexit.register(lambda: print('prompt libraries loaded:', loaded()))\n"
        "app(sys.argv[1:])\n"
    )
    command = [sys.executable, "-c", probe, "new", "fastapi", str(dest), *options]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def _git_shim(tmp_path: Path) -> tuple[Path, Path]:
    """A `git` first on PATH that logs each invocation, then runs the real one."""
    real = subprocess.run(["which", "git"], capture_output=True, text=True, check=True).stdout
    shim, log = tmp_path / "shim", tmp_path / "git-calls.log"
    shim.mkdir()
    (shim / "git").write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec {real.strip()} "$@"\n'
    )
    (shim / "git").chmod(0o755)
    return shim, log


def test_new_with_defaults_loads_no_prompt_library_and_starts_few_git_processes(
    tmp_path: Path,
) -> None:
    shim, log = _git_shim(tmp_path)
    env = {**os.environ, SOURCE_ENV: str(REPO), "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"}
    done = _new(tmp_path / "api", env, "--defaults", "--no-lock")
    assert done.returncode == 0, done.stderr
    assert "prompt libraries loaded: []" in done.stdout
    calls = log.read_text().splitlines()
    assert len(calls) <= MOST_GIT_PROCESSES, "\n".join(calls)
    assert sum("core.fileMode" in call for call in calls) <= 1, "\n".join(calls)
    assert sum(call.startswith("clone") for call in calls) <= 2, "\n".join(calls)  # +snapshot
