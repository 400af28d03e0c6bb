"""scaffold new locks the dependencies into the first commit, or says in one line why not."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.source import SOURCE_ENV
from tests.conftest import FRAMEWORKS, make_template_repo

PYPROJECT = """\
[project]
name = "{{ project_slug }}"
version = "0.1.0"
requires-python = ">={{ python_version }}"
dependencies = [%s]
"""


def template_with(tmp_path: Path, dependencies: str) -> Path:
    files = {"pyproject.toml.jinja": PYPROJECT % dependencies}
    return make_template_repo(tmp_path / "template", {fw: files for fw in FRAMEWORKS})


def tracked(project: Path) -> list[str]:
    result = subprocess.run(
        ["git", "ls-files"], cwd=project, capture_output=True, text=True, check=True
    )
    return result.stdout.split()


def new(tmp_path: Path, *extra: str) -> tuple[Path, str, str]:
    dest = tmp_path / "svc"
    result = CliRunner().invoke(app, ["new", "flask", str(dest), "--defaults", *extra])
    assert result.exit_code == 0, result.output
    return dest, result.stdout, result.stderr


def test_the_lock_is_in_the_first_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOURCE_ENV, str(template_with(tmp_path, "")))
    project, _, stderr = new(tmp_path)
    assert "uv.lock" in tracked(project)
    assert 'name = "svc"' in (project / "uv.lock").read_text()
    assert stderr.strip().splitlines() == ["Locking the dependencies (uv lock)..."]
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True, check=True
    )
    assert status.stdout == ""


def test_no_lock_leaves_it_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOURCE_ENV, str(template_with(tmp_path, "")))
    project, _, stderr = new(tmp_path, "--no-lock")
    assert not (project / "uv.lock").exists()
    assert stderr == ""


def test_an_unresolvable_lock_still_writes_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A name no index has: both the online and the offline attempt fail.
    template = template_with(tmp_path, '"no-such-package-anywhere-7f3a9c>=1"')
    monkeypatch.setenv(SOURCE_ENV, str(template))
    project, stdout, stderr = new(tmp_path)
    assert "pyproject.toml" in tracked(project)
    assert "uv.lock" not in tracked(project)
    warning = stderr.strip().splitlines()[-1]
    assert warning.startswith("scaffold: warning: uv.lock was not written (")
    assert warning.endswith("run `uv lock` in the project and commit uv.lock before the first push")
    assert "Run it:" in stdout


def test_without_uv_the_project_is_written_and_the_user_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SOURCE_ENV, str(template_with(tmp_path, "")))
    git = shutil.which("git")
    assert git is not None
    only_git = tmp_path / "bin"
    only_git.mkdir()
    (only_git / "git").symlink_to(git)
    monkeypatch.setenv("PATH", str(only_git))
    project, _, stderr = new(tmp_path)
    assert "uv.lock" not in tracked(project)
    assert stderr.strip().splitlines() == [
        "scaffold: warning: uv.lock was not written (uv is not installed); "
        "run `uv lock` in the project and commit uv.lock before the first push"
    ]
