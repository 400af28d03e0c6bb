"""The project's record: answers edited by hand in .copier-answers.yml, and conflict markers
an earlier update left that were committed by mistake."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.record import answers_digest, recorded_digest
from scaffold.source import SOURCE_ENV
from tests import answers
from tests.templating import render_file
from tests.unit.test_update import History, edit, generate, git, make_history, release_v2

ANSWERS_TEMPLATE = "templates/_shared/project/answers.yml.jinja"
KUBE = {"{% if kubernetes %}kube{% endif %}/app.yaml.jinja": "name: {{ project_slug }}\n"}


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> History:
    made = make_history(tmp_path / "history", extra=KUBE)
    monkeypatch.setenv(SOURCE_ENV, str(made.bundle))
    return made


def files(project: Path) -> dict[str, bytes]:
    """Every file git sees (tracked and new, not ignored), with its content."""
    names = git(project, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    return {n: (project / n).read_bytes() for n in names.split("\0") if (project / n).is_file()}


def hand_edit(project: Path, old: str, new: str) -> None:
    edit(project, ".copier-answers.yml", old, new)
    git(project, "commit", "--quiet", "-am", "edit the answers by hand")


@pytest.mark.parametrize("new_release", [False, True], ids=["same-version", "new-version"])
def test_a_hand_edit_is_applied_as_data_would(
    history: History, tmp_path: Path, new_release: bool
) -> None:
    by_hand = generate(tmp_path / "a")
    by_data = generate(tmp_path / "b")
    hand_edit(by_hand, "kubernetes: false", "kubernetes: true")
    if new_release:
        release_v2(history)

    edited = CliRunner().invoke(app, ["update", str(by_hand)])
    switched = CliRunner().invoke(app, ["update", str(by_data), "-d", "kubernetes=true"])

    assert edited.exit_code == 0, (edited.stdout, edited.stderr)
    assert switched.exit_code == 0, (switched.stdout, switched.stderr)
    assert (by_hand / "kube/app.yaml").read_text() == "name: proj\n"  # not half applied
    assert files(by_hand) == files(by_data)
    headline = edited.stdout.splitlines()[0]
    assert "kubernetes=true (edited by hand in the answers file: kubernetes)" in headline
    if not new_release:
        assert headline.startswith("Applied kubernetes=true")
    # Recorded again: committed, the project is current with nothing left to apply.
    git(by_hand, "add", "--all")
    git(by_hand, "commit", "--quiet", "-m", "update")
    again = CliRunner().invoke(app, ["update", str(by_hand)])
    assert again.exit_code == 0 and "nothing changed" in again.stdout


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("docker: true", "docker: false", "kubernetes=true needs docker=true"),
        ("database: sqlite", "database: oracle", "invalid answer database='oracle'"),
        ("license: MIT", "license: MIT\ncolour: red", "unknown answer key 'colour'"),
    ],
)
def test_a_hand_edit_that_data_would_refuse_is_refused(
    history: History, tmp_path: Path, old: str, new: str, says: str
) -> None:
    project = generate(tmp_path, kubernetes="true")
    hand_edit(project, old, new)
    head = git(project, "rev-parse", "HEAD")
    result = CliRunner().invoke(app, ["update", str(project)])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert says in result.stderr
    assert git(project, "rev-parse", "HEAD") == head
    assert git(project, "status", "--porcelain") == ""


def conflicted_and_committed(history: History, tmp_path: Path) -> Path:
    project = generate(tmp_path)
    edit(project, "config.yml", "workers: 2", "workers: 8")
    (project / "notes.rst").write_text("Notes\n=======\n\nAn underline is no conflict.\n")
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "my edits")
    release_v2(history)
    assert CliRunner().invoke(app, ["update", str(project)]).exit_code == 1
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "update, markers and all")
    return project


def test_committed_markers_are_found_by_check_and_refused_by_update(
    history: History, tmp_path: Path
) -> None:
    project = conflicted_and_committed(history, tmp_path)
    head = git(project, "rev-parse", "HEAD")

    check = CliRunner().invoke(app, ["check", str(project)])
    assert check.exit_code == 2, check.stdout  # current, but needs attention
    assert "conflict markers from an earlier update are committed in: config.yml" in check.stdout
    assert "up to date" not in check.stdout

    update = CliRunner().invoke(app, ["update", str(project), "-d", "database=postgresql"])
    assert update.exit_code == 2
    assert update.stderr.strip() == (
        "scaffold: error: conflict markers from an earlier update are committed in 1 file(s): "
        "config.yml; resolve the <<<<<<< blocks and commit, then update"
    )
    assert git(project, "rev-parse", "HEAD") == head
    assert git(project, "status", "--porcelain") == ""

    set_version = history.repo / "pyproject.toml"
    set_version.write_text(set_version.read_text().replace("0.2.0", "0.3.0"))
    history.release("0.3.0")
    behind = CliRunner().invoke(app, ["check", str(project)])
    assert behind.exit_code == 1
    assert "config.yml" in behind.stdout and "an update is available" in behind.stdout

    (project / "config.yml").write_text("port: 8000\nworkers: 8\ntimeout: 30\n")  # resolved
    git(project, "commit", "--quiet", "-am", "resolve")
    resolved = CliRunner().invoke(app, ["check", str(project)])
    assert resolved.exit_code == 1 and "conflict markers" not in resolved.stdout


@settings(max_examples=60, deadline=None)
@given(description=answers.text, name=answers.text, docker=st.booleans())
def test_the_digest_written_is_the_digest_read(description: str, name: str, docker: bool) -> None:
    """Whatever the user typed, the answers file's digest line matches the answers it holds:
    no answer reads as edited by hand."""
    recorded = {
        "_commit": "v0.1.0",
        "_src_path": "~/.local/share/scaffold/templates.bundle",
        "description": description,
        "project_name": name,
        "docker": docker,
        "python_version": "3.12",
    }
    text = render_file(ANSWERS_TEMPLATE, {"_copier_answers": recorded})
    assert yaml.safe_load(text) == recorded
    assert recorded_digest(text) == answers_digest(recorded)
    by_hand = text.replace(f"docker: {str(docker).lower()}", f"docker: {str(not docker).lower()}")
    assert yaml.safe_load(by_hand)["docker"] is not docker
    assert recorded_digest(by_hand) != answers_digest(yaml.safe_load(by_hand))
