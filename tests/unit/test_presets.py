"""Presets: named answer sets from the catalog, or a user's file, through the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from typer.testing import CliRunner

from scaffold.catalog import Catalog, load_catalog
from scaffold.cli import app
from scaffold.presets import load_presets
from tests.support import REPO

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("use_mini_template")


def recorded(project: Path) -> dict[str, object]:
    answers: dict[str, object] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return answers


def test_the_named_presets_exist_and_answer_real_questions() -> None:
    presets = load_presets(REPO)
    assert {"minimal", "recommended", "production"} <= set(presets)
    catalog = load_catalog(REPO)
    for preset in presets.values():
        for framework in catalog.frameworks:
            catalog.check_answers(framework, preset.answers, ignore_unasked=True)


@pytest.mark.parametrize("name", ["minimal", "recommended", "production"])
def test_preset_answers_are_recorded(tmp_path: Path, name: str) -> None:
    dest = tmp_path / "app"
    result = runner.invoke(app, ["new", "flask", str(dest), "--defaults", "--preset", name])
    assert result.exit_code == 0, result.output
    answers = recorded(dest)
    catalog = load_catalog(REPO)
    expected = {
        q.name: q.default
        for q in catalog.options("flask")
        if (q.choices or q.type == "bool") and q.name != "python_version"  # see test_new
    }
    expected.update(load_presets(REPO)[name].answers)
    if not expected["docker"]:
        del expected["kubernetes"]  # asked only with docker: not recorded without it
    if expected["ci"] == "none":
        del expected["update_bot"]  # asked only with CI: not recorded without it
    elif not isinstance(expected["update_bot"], bool):  # the default, on with CI
        expected["update_bot"] = True
    assert {key: answers[key] for key in expected} == expected


def test_data_wins_over_the_preset(tmp_path: Path) -> None:
    dest = tmp_path / "app"
    args = ["new", "fastapi", str(dest), "--defaults", "--preset", "production"]
    result = runner.invoke(app, [*args, "--data", "kubernetes=false"])
    assert result.exit_code == 0, result.output
    assert recorded(dest)["kubernetes"] is False
    assert recorded(dest)["database"] == "postgresql"


def test_a_users_preset_file(tmp_path: Path) -> None:
    team = tmp_path / "team.yml"
    team.write_text("database: postgresql\nci: gitlab\napi: drf\n")  # api: Django's only
    dest = tmp_path / "app"
    result = runner.invoke(app, ["new", "pyramid", str(dest), "--defaults", "--preset", str(team)])
    assert result.exit_code == 0, result.output
    assert recorded(dest)["ci"] == "gitlab"
    assert "api" not in recorded(dest)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nonsense: 1\n", "unknown answer key 'nonsense'"),
        ("database: oracle\n", "invalid answer database='oracle'"),
    ],
)
def test_a_bad_preset_file_is_refused_with_one_line(
    tmp_path: Path, content: str, message: str
) -> None:
    team = tmp_path / "team.yml"
    team.write_text(content)
    dest = tmp_path / "app"
    result = runner.invoke(app, ["new", "flask", str(dest), "--defaults", "--preset", str(team)])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not dest.exists()


def test_an_unknown_preset_names_the_known_ones(tmp_path: Path) -> None:
    result = runner.invoke(app, ["new", "flask", str(tmp_path / "x"), "--preset", "huge"])
    assert result.exit_code == 2
    assert "unknown preset 'huge'; choose one of: minimal, recommended, production" in result.output


def test_list_shows_the_presets_with_their_answers() -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    assert "  production: " in result.output
    assert "database=postgresql, background_tasks=celery" in result.output
    assert "docker=false, ci=none" in result.output  # written as --data takes them


def test_recommended_names_the_questions_own_defaults() -> None:
    """Choosing `recommended` settles the same questions as the other presets, each with the
    default its question offers: the two files must not drift apart."""
    presets = load_presets(REPO)
    catalog = load_catalog(REPO)
    recommended = presets["recommended"].answers
    assert set(recommended) == set(presets["minimal"].answers) == set(presets["production"].answers)
    assert recommended == {name: _default(catalog, name, recommended) for name in recommended}


def _default(catalog: Catalog, name: str, answers: dict[str, Any]) -> Any:
    """A question's default; one computed from other answers (update_bot's from ci) is
    computed from the preset's."""
    question = catalog.question(name)
    if not (isinstance(question.default, str) and "{{" in question.default):
        return question.default
    rendered = (
        jinja2.Environment(autoescape=True).from_string(question.default).render(**answers).strip()
    )
    return rendered == "True" if question.type == "bool" else rendered
