"""What the READMEs say about plain `copier update`, held against copier itself.

The history (tests/unit/test_update.py) has two releases; 0.2.0 changes config.yml, drops
old.txt and carries a migration. The projects' README gives one command and lists how it
differs from `scaffold update`; each difference is run here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.source import SOURCE_ENV
from tests.support import REPO
from tests.unit.test_update import History, edit, generate, git, make_history, release_v2

COMMAND = "uvx copier update --defaults --trust"
README_MACRO = REPO / "templates/_shared/project/readme.jinja"


@pytest.fixture
def edited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[History, Path]:
    """A project on 0.1.0 whose user changed config.yml (0.2.0 changes the same line) and
    old.txt (0.2.0 drops it), committed; then release 0.2.0."""
    history = make_history(tmp_path)
    monkeypatch.setenv(SOURCE_ENV, str(history.bundle))
    project = generate(tmp_path)
    edit(project, "config.yml", "workers: 2", "workers: 8")
    edit(project, "old.txt", "drops", "drops, and my notes")
    git(project, "commit", "--quiet", "-am", "my edits")
    release_v2(history)
    return history, project


def copier_update(project: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """`copier update` as the README has users run it (copier's own command line, no terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "copier", "update", *options],
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_readme_gives_the_command_and_the_differences() -> None:
    text = README_MACRO.read_text()
    assert f"```sh\n{COMMAND}\n```" in text
    for difference in ("exits 4", "exits 0 even when it leaves conflict markers", "deletes a file"):
        assert difference in text


def test_the_readme_command_runs_without_a_terminal_and_differs_as_said(
    edited: tuple[History, Path],
) -> None:
    _, project = edited
    result = copier_update(project, *COMMAND.split()[3:])
    assert result.returncode == 0, result.stderr  # conflicts and all
    assert "<<<<<<< before updating" in (project / "config.yml").read_text()
    assert "UU config.yml" in git(project, "status", "--porcelain")
    assert not (project / "old.txt").exists()  # the user's change went with it, unannounced
    git(project, "checkout", "HEAD", "--", "old.txt")  # as the README says to get it back
    assert "and my notes" in (project / "old.txt").read_text()


def test_without_defaults_or_trust_copier_stops(edited: tuple[History, Path]) -> None:
    _, project = edited
    head = git(project, "rev-parse", "HEAD")
    untrusted = copier_update(project, "--defaults")
    assert untrusted.returncode == 4  # 0.2.0 carries a migration
    assert git(project, "status", "--porcelain") == ""
    asks = copier_update(project, "--trust")
    assert asks.returncode == 1
    assert "Interactive session required" in asks.stderr + asks.stdout
    # It stops only after the new version's migration ran: the answers file is left changed.
    assert git(project, "status", "--porcelain") == " M .copier-answers.yml\n"
    assert git(project, "rev-parse", "HEAD") == head


def test_scaffold_update_differs_where_the_readme_says(edited: tuple[History, Path]) -> None:
    _, project = edited
    result = CliRunner().invoke(app, ["update", str(project)])
    assert result.exit_code == 1  # the conflict is an error
    assert "config.yml" in result.stderr
    assert "and my notes" in (project / "old.txt").read_text()  # kept


def test_copier_refuses_a_clash_through_the_questions_validator(
    edited: tuple[History, Path],
) -> None:
    _, project = edited
    clash = ["--data", "kubernetes=true", "--data", "docker=false"]
    refused = CliRunner().invoke(app, ["update", str(project), *clash])
    assert refused.exit_code == 2
    assert "kubernetes=true needs docker=true" in refused.stderr
    assert git(project, "status", "--porcelain") == ""
    # Plain copier refuses it too (the validator on the question), with its own traceback.
    copier_says = copier_update(project, "--defaults", "--trust", *clash)
    assert copier_says.returncode != 0
    assert "Validation error for question 'kubernetes'" in copier_says.stderr
    assert not (project / "k8s").exists()
