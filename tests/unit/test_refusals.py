"""Contract C5: bad input gets one line on stderr, a non-zero exit, no traceback, no files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold import generate
from scaffold.cli import app

pytestmark = pytest.mark.usefixtures("use_mini_template")


def refuse(args: list[str], *, code: int, says: str, tmp_path: Path) -> None:
    """Run scaffold; it must refuse with one line and leave tmp_path as it was."""
    before = sorted(tmp_path.rglob("*"))
    result = CliRunner().invoke(app, args)
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("scaffold: error: ")
    assert says in lines[0]
    assert "Traceback" not in result.output
    assert sorted(tmp_path.rglob("*")) == before


def test_unknown_framework(tmp_path: Path) -> None:
    refuse(
        ["new", "rails", str(tmp_path / "p"), "--defaults"],
        code=2,
        says="unknown framework 'rails'",
        tmp_path=tmp_path,
    )


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("project_slug=My Project", "invalid project_slug: Use lowercase letters"),
        ("project_slug=-api", "invalid project_slug"),
        ("package_name=my-api", "invalid package_name: Use a Python identifier"),
        ("package_name=2fast", "invalid package_name"),
        ("package_name=class", '"class" is a Python keyword'),
        ("package_name=json", '"json" is a module of Python\'s standard library'),
        ("package_name=asyncio", "standard library"),
        ("package_name=fastapi", '"fastapi" would shadow the package of that name'),
        ("package_name=sqlalchemy", "would shadow"),
        ("author_email=nobody", "invalid author_email"),
        ("package_name=" + "p" * 33, "Keep it to 32 characters or fewer"),
        ("project_slug=" + "s" * 41, "Keep it to 40 characters or fewer"),
    ],
)
def test_invalid_names(answer: str, says: str, tmp_path: Path) -> None:
    refuse(
        ["new", "fastapi", str(tmp_path / "p"), "--defaults", "--data", answer],
        code=2,
        says=says,
        tmp_path=tmp_path,
    )


def test_invalid_choice(tmp_path: Path) -> None:
    refuse(
        ["new", "fastapi", str(tmp_path / "p"), "--defaults", "-d", "database=oracle"],
        code=2,
        says="invalid answer database='oracle'",
        tmp_path=tmp_path,
    )


def test_destination_not_empty(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    refuse(
        ["new", "fastapi", str(tmp_path / "taken"), "--defaults"],
        code=2,
        says="exists and is not empty",
        tmp_path=tmp_path,
    )
    assert (tmp_path / "taken" / "notes.txt").read_text() == "mine"


def test_destination_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    refuse(
        ["new", "fastapi", str(tmp_path / "file"), "--defaults"],
        code=2,
        says="exists and is not empty",
        tmp_path=tmp_path,
    )


def test_unreadable_data_file(tmp_path: Path) -> None:
    refuse(
        [
            "new",
            "fastapi",
            str(tmp_path / "p"),
            "--defaults",
            "--data-file",
            str(tmp_path / "missing.yml"),
        ],
        code=2,
        says="cannot read data file",
        tmp_path=tmp_path,
    )


def test_data_file_that_is_not_yaml_mapping(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("- just\n- a list\n")
    refuse(
        ["new", "fastapi", str(tmp_path / "p"), "--defaults", "--data-file", str(bad)],
        code=2,
        says="cannot read data file",
        tmp_path=tmp_path,
    )


def test_unknown_answer_key(tmp_path: Path) -> None:
    refuse(
        ["new", "fastapi", str(tmp_path / "p"), "--defaults", "-d", "colour=blue"],
        code=2,
        says="unknown answer key 'colour'",
        tmp_path=tmp_path,
    )


def test_answer_for_another_framework(tmp_path: Path) -> None:
    refuse(
        ["new", "flask", str(tmp_path / "p"), "--defaults", "-d", "api=drf"],
        code=2,
        says="unknown answer key 'api' for flask",
        tmp_path=tmp_path,
    )


def test_malformed_data(tmp_path: Path) -> None:
    refuse(
        ["new", "fastapi", str(tmp_path / "p"), "--defaults", "-d", "database"],
        code=2,
        says="--data expects KEY=VALUE",
        tmp_path=tmp_path,
    )


def test_no_terminal_for_an_interactive_run(tmp_path: Path) -> None:
    # CliRunner's stdin is not a terminal, as in a pipe or a CI job.
    refuse(["new", "fastapi", str(tmp_path / "p")], code=1, says="no terminal", tmp_path=tmp_path)


def test_git_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    refuse(
        ["new", "fastapi", str(tmp_path / "p"), "--defaults"],
        code=1,
        says="git is not installed",
        tmp_path=tmp_path,
    )


def test_interrupt_part_way_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(generate, "initial_commit", interrupted)
    result = CliRunner().invoke(app, ["new", "fastapi", str(tmp_path / "a" / "b"), "--defaults"])
    assert result.exit_code == 130
    assert "nothing was written" in result.stderr
    assert list(tmp_path.iterdir()) == []


# copier leaves a directory iterator open when rendering fails; that leak is not under test.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_render_error_part_way_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scaffold.source import SOURCE_ENV
    from tests.conftest import make_template_repo

    broken = make_template_repo(
        tmp_path / "broken-template",
        {"fastapi": {"zz_late.txt.jinja": "{{ no_such_answer.attribute }}"}},
    )
    monkeypatch.setenv(SOURCE_ENV, str(broken))
    projects = tmp_path / "projects"
    projects.mkdir()
    result = CliRunner().invoke(app, ["new", "fastapi", str(projects / "p"), "--defaults"])
    assert result.exit_code != 0
    assert list(projects.iterdir()) == []
