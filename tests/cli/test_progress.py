"""scaffold new tells what it is doing after the questions: in a real terminal each step is a
status line that the next replaces and the end erases; in a pipe only the slow step (locking)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect

from scaffold.progress import ERASE_LINE
from scaffold.source import SOURCE_ENV
from tests.cli.test_interactive import finish, spawn
from tests.conftest import FRAMEWORKS, make_template_repo

PYPROJECT = """\
[project]
name = "{{ project_slug }}"
version = "0.1.0"
requires-python = ">={{ python_version }}"
dependencies = []
"""
STEPS = [
    "Writing the project files...",
    "Locking the dependencies (uv lock)...",
    "Making the first commit (git)...",
]


def lockable_template(tmp_path: Path) -> Path:
    files = {"pyproject.toml.jinja": PYPROJECT}
    return make_template_repo(tmp_path / "template", {fw: files for fw in FRAMEWORKS})


def test_each_step_shows_in_a_terminal_and_is_erased(tmp_path: Path) -> None:
    template = lockable_template(tmp_path)
    child = spawn(["new", "flask", str(tmp_path / "svc"), "--defaults"], template)
    for step in STEPS:
        child.expect_exact(step)
        # The next step, or the end, erases the line before anything else is written.
        child.expect_exact(ERASE_LINE)
    child.expect_exact("Run it:")
    assert finish(child) == 0
    assert (tmp_path / "svc" / "uv.lock").is_file()


def test_in_a_pipe_only_the_slow_step_is_printed(tmp_path: Path) -> None:
    template = lockable_template(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "scaffold", "new", "flask", str(tmp_path / "svc"), "--defaults"],
        env={**os.environ, SOURCE_ENV: str(template)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["Locking the dependencies (uv lock)..."]
    assert ERASE_LINE not in result.stdout + result.stderr


def test_an_error_after_a_step_leaves_only_its_line(tmp_path: Path) -> None:
    # A template file that cannot render: the error comes after "Writing the project files...".
    files = {"pyproject.toml.jinja": PYPROJECT, "broken.txt.jinja": "{{ no_such_answer.part }}"}
    template = make_template_repo(tmp_path / "template", {fw: files for fw in FRAMEWORKS})
    dest = tmp_path / "svc"
    child = spawn(["new", "flask", str(dest), "--defaults"], template)
    child.expect_exact("Writing the project files...")
    child.expect(pexpect.EOF)
    # The status line is erased before the error is written, so the error is all that stays.
    assert (child.before or "").startswith(ERASE_LINE + "scaffold: ")
    assert len((child.before or "").strip().splitlines()) == 1, child.before
    child.close()
    assert child.exitstatus not in (0, None)
    assert not dest.exists()
