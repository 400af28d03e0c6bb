"""--data-file answers get the checks and coercions --data answers get (contract C2, C5)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from scaffold.cli import app

pytestmark = pytest.mark.usefixtures("use_mini_template")
BOOL_WORDS = {"true", "yes", "y", "1", "on", "false", "no", "n", "0", "off"}


def refused(tmp_path: Path, content: str, *args: str) -> str:
    """Run `new` with the data file; it must refuse with one line, exit 2, and write nothing."""
    data_file = tmp_path / "answers.yml"
    data_file.write_text(content)
    before = sorted(tmp_path.rglob("*"))
    dest = str(tmp_path / "p")
    result = CliRunner().invoke(
        app, ["new", *args, dest, "--defaults", "--data-file", str(data_file)]
    )
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("scaffold: error: "), result.stderr
    assert sorted(tmp_path.rglob("*")) == before
    return lines[0]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("docker: maybe\n", "invalid answer docker='maybe'; expected true or false"),
        ("description: [1, 2]\n", "invalid answer description=[1, 2]; expected text"),
        ("project_name: {a: 1}\n", "expected text"),
        ("license: yes\n", "invalid answer license=True; expected text"),
        ("database: oracle\n", "invalid answer database='oracle'; choose one of: sqlite"),
        ("python_version: 3.10\n", "invalid answer python_version='3.1'; choose one of"),
        ("colour: blue\n", "unknown answer key 'colour'"),
        ("secret_key: mine\n", "unknown answer key 'secret_key'"),
    ],
)
def test_bad_answers_in_a_data_file_are_refused(content: str, says: str, tmp_path: Path) -> None:
    assert says in refused(tmp_path, content, "fastapi")


def test_unknown_key_refused_when_the_framework_is_still_to_be_asked(tmp_path: Path) -> None:
    assert "unknown answer key 'colour'" in refused(tmp_path, "colour: blue\n")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(word=st.text(min_size=1, max_size=20).filter(lambda w: w.strip().lower() not in BOOL_WORDS))
def test_any_other_word_for_a_yes_no_question_is_refused(word: str, tmp_path: Path) -> None:
    content = yaml.safe_dump({"kubernetes": word})
    assert "invalid answer kubernetes=" in refused(tmp_path, content, "flask")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.lists(st.text(max_size=10), max_size=3)
    | st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2)
)
def test_lists_and_mappings_for_a_text_question_are_refused(value: object, tmp_path: Path) -> None:
    content = yaml.safe_dump({"description": value})
    assert "expected text" in refused(tmp_path, content, "django")


def test_yaml_booleans_words_and_numbers_are_taken(tmp_path: Path) -> None:
    data_file = tmp_path / "answers.yml"
    data_file.write_text("docker: yes\nkubernetes: 'on'\npython_version: 3.13\ndescription: 2026\n")
    dest = tmp_path / "svc"
    result = CliRunner().invoke(
        app, ["new", "fastapi", str(dest), "--defaults", "--data-file", str(data_file)]
    )
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["docker"] is True
    assert answers["kubernetes"] is True
    assert answers["python_version"] == "3.13"
    assert answers["description"] == "2026"


def test_update_data_is_checked_the_same_way(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["update", str(tmp_path), "--data", "docker=maybe"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "scaffold: error: invalid answer docker='maybe'; expected true or false"
    )
