"""Where `scaffold new` writes, and the one-line refusals when it cannot (contract C2, C5)."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold import source
from scaffold.cli import app
from tests.unit.test_update import make_history

pytestmark = pytest.mark.usefixtures("use_mini_template")


def refused(args: list[str], *, says: str, watch: Path, code: int = 2) -> None:
    before = sorted(watch.rglob("*"))
    result = CliRunner().invoke(app, args)
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("scaffold: error: "), result.stderr
    assert says in lines[0]
    assert sorted(watch.rglob("*")) == before


def test_dot_fills_the_current_directory_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "team-api"
    here.mkdir()
    inode = here.stat().st_ino
    monkeypatch.chdir(here)
    result = CliRunner().invoke(app, ["new", "fastapi", ".", "--defaults"])
    assert result.exit_code == 0, result.output
    assert here.stat().st_ino == inode  # the shell's current directory is still the same one
    assert Path.cwd() == here
    assert (here / "src" / "team_api" / "__init__.py").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["team-api"]
    assert not any(p.name.endswith(".partial") for p in here.iterdir())
    assert "Created team-api (fastapi)" in result.output


def test_a_dangling_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    refused(
        ["new", "flask", str(tmp_path / "link"), "--defaults"],
        says="is a symbolic link to nothing",
        watch=tmp_path,
    )
    assert (tmp_path / "link").is_symlink()


def test_a_destination_under_proc_is_refused(tmp_path: Path) -> None:
    refused(
        ["new", "flask", "/proc/scaffold-test/app", "--defaults"],
        says="cannot create the project at /proc/scaffold-test/app",
        watch=tmp_path,
    )


@pytest.mark.parametrize("length", [300, 5000])
def test_a_path_too_long_is_refused(tmp_path: Path, length: int) -> None:
    name = "/".join(["d" * 200] * (length // 200)) if length > 255 * 2 else "n" * length
    refused(
        ["new", "pyramid", str(tmp_path / name), "--defaults"],
        says="File name too long",
        watch=tmp_path,
    )


@contextlib.contextmanager
def unwritable(directory: Path) -> Iterator[None]:
    """A directory nobody can create anything in; root too (it ignores the mode bits)."""
    directory.mkdir()
    directory.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable:
        subprocess.run(["chattr", "+i", str(directory)], check=True)
    try:
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(directory)], check=True)
        directory.chmod(0o755)


def test_a_parent_that_is_not_writable_is_refused(tmp_path: Path) -> None:
    with unwritable(tmp_path / "locked"):
        for dest in (tmp_path / "locked" / "p", tmp_path / "locked" / "a" / "b"):
            refused(
                ["new", "django", str(dest), "--defaults"],
                says=f"cannot create the project at {dest}",
                watch=tmp_path,
            )


@pytest.mark.parametrize("command", ["update", "check"])
def test_a_malformed_answers_file_is_refused(command: str, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / ".copier-answers.yml").write_text("_commit: v1\n_src_path: [unclosed\n")
    refused(
        [command, str(project)],
        says=f"{project / '.copier-answers.yml'} is not valid YAML",
        watch=tmp_path,
    )


def test_no_arguments_and_no_terminal_is_refused(tmp_path: Path) -> None:
    refused(["new"], says="give the destination", watch=tmp_path)


@pytest.mark.parametrize("command", [["list"], ["new", "fastapi", "p", "--defaults"]])
def test_an_unusable_data_home_is_refused(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed scaffold puts its templates under XDG_DATA_HOME; a file there is no use."""
    bundle = make_history(tmp_path / "history").bundle
    monkeypatch.delenv(source.SOURCE_ENV)
    monkeypatch.setattr(source, "_CHECKOUT", tmp_path / "not-a-checkout")
    monkeypatch.setattr("scaffold.bundle.packaged_bundle", lambda: bundle)
    home = tmp_path / "home"
    home.mkdir()
    (home / "data").write_text("a file, not a directory")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.chdir(home)
    refused(command, says="cannot write scaffold's templates to", watch=home)


@pytest.mark.parametrize(
    "command", [["list"], ["new", "fastapi", "p", "--defaults"], ["check", "p"]]
)
def test_a_read_only_home_is_refused(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed scaffold with no XDG_DATA_HOME puts its templates under ~/.local/share."""
    bundle = make_history(tmp_path / "history").bundle
    monkeypatch.delenv(source.SOURCE_ENV)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setattr(source, "_CHECKOUT", tmp_path / "not-a-checkout")
    monkeypatch.setattr("scaffold.bundle.packaged_bundle", lambda: bundle)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    with unwritable(tmp_path / "home"):
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        refused(command, says="cannot write scaffold's templates to", watch=tmp_path)
