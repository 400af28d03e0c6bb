"""Ctrl-C, SIGTERM and two runs at once, on real processes: one line, the exit code, no debris.

Each run gets a TMPDIR of its own, which must be empty afterwards (copier's clones included).
Signals are sent at moments found by watching the file system, not after fixed sleeps.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from scaffold.source import SOURCE_ENV

STOPS = {
    signal.SIGINT: (130, "scaffold: interrupted; nothing was written"),
    signal.SIGTERM: (143, "scaffold: terminated; nothing was written"),
}


def start(args: list[str], template: Path, tmp: Path, cwd: Path) -> subprocess.Popen[str]:
    tmp.mkdir(exist_ok=True)
    env = {**os.environ, SOURCE_ENV: str(template), "TMPDIR": str(tmp)}
    return subprocess.Popen(
        [sys.executable, "-m", "scaffold", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str]) -> bool:
    """Poll until condition holds; False if the process ended first."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.005)
    raise AssertionError("the moment to signal never came")


def partials(parent: Path) -> list[Path]:
    return [p for p in parent.rglob("*.partial")]


def assert_complete(project: Path) -> None:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["framework"] == "fastapi"
    head = subprocess.run(
        ["git", "log", "--format=%s"], cwd=project, capture_output=True, text=True
    )
    assert head.stdout == "Initial commit\n"


def catches_sigterm(pid: int) -> bool:
    """True once the process has its SIGTERM handler: the first thing scaffold does."""
    status = Path(f"/proc/{pid}/status").read_text()
    caught = int(
        next(line for line in status.splitlines() if line.startswith("SigCgt:")).split()[1], 16
    )
    return bool(caught & (1 << (signal.SIGTERM - 1)))


MOMENTS: dict[str, Callable[[Path, int], bool]] = {
    "while importing": lambda parent, pid: catches_sigterm(pid),
    "staging made": lambda parent, pid: bool(partials(parent)),
    "files rendered": lambda parent, pid: any((p / "README.md").exists() for p in partials(parent)),
    "git running": lambda parent, pid: any((p / ".git").exists() for p in partials(parent)),
}


@pytest.mark.parametrize("sig", list(STOPS), ids=lambda s: s.name)
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_a_signal_part_way_leaves_nothing(
    sig: signal.Signals, moment: str, mini_template: Path, tmp_path: Path
) -> None:
    projects = tmp_path / "projects"
    projects.mkdir()
    child = start(
        ["new", "fastapi", "svc", "--defaults"], mini_template, tmp_path / "tmp", projects
    )
    reached = wait_for(lambda: MOMENTS[moment](projects, child.pid), child)
    if reached:
        child.send_signal(sig)
    _, stderr = child.communicate(timeout=120)
    code, line = STOPS[sig]
    if child.returncode == 0:  # it finished before the signal landed: then it is whole
        assert_complete(projects / "svc")
    else:
        assert child.returncode == code, stderr
        assert stderr.strip().splitlines() == [line]
        if any(projects.iterdir()):  # the signal came after the project was in place
            assert_complete(projects / "svc")
    assert partials(projects) == []
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("existing", [False, True], ids=["new directory", "empty directory"])
def test_two_runs_on_one_destination_one_wins(
    existing: bool, mini_template: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "projects" / "svc"
    dest.parent.mkdir()
    if existing:
        dest.mkdir()
    runs = [
        start(
            ["new", "fastapi", str(dest), "--defaults"],
            mini_template,
            tmp_path / f"tmp{n}",
            tmp_path,
        )
        for n in range(2)
    ]
    # communicate() reads both pipes to the end and closes them.
    outputs = [run.communicate(timeout=300) for run in runs]
    results = [(run.returncode, stderr) for run, (_, stderr) in zip(runs, outputs, strict=True)]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    (loser,) = [stderr for code, stderr in results if code == 2]
    assert loser.strip().splitlines() == [
        f"scaffold: error: destination {dest} exists and is not empty"
    ]
    assert_complete(dest)
    assert partials(tmp_path / "projects") == []
    assert sorted(p.name for p in dest.parent.iterdir()) == ["svc"]
    for n in range(2):
        assert list((tmp_path / f"tmp{n}").iterdir()) == []
