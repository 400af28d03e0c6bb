"""Option constraints (C7): kept in the question files, checked before anything is written
for --data, --data-file, presets and update --data, with one line naming the clashing answers."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import copier
import pytest
from typer.testing import CliRunner

from scaffold.catalog import Constraint, load_catalog
from scaffold.cli import app
from tests.support import REPO

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("use_mini_template")
CLASH = (
    "scaffold: error: kubernetes=true needs docker=true, not docker=false: "
    "the manifests deploy the container image that docker builds"
)


def refused(tmp_path: Path, *args: str) -> None:
    before = sorted(tmp_path.rglob("*"))
    result = runner.invoke(app, list(args))
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == CLASH
    assert sorted(tmp_path.rglob("*")) == before


def test_the_constraint_lives_in_the_question_files() -> None:
    catalog = load_catalog(REPO)
    assert catalog.clash({"kubernetes": True, "docker": False})
    assert catalog.clash({"kubernetes": True, "docker": True}) is None
    assert catalog.clash({"kubernetes": False, "docker": False}) is None
    assert catalog.clash({"kubernetes": True}) is None  # docker not known yet
    assert catalog.question("kubernetes").when == "{{ docker }}"  # not even asked without it


def test_a_constraint_can_name_several_answers_that_fit() -> None:
    catalog = load_catalog(REPO)
    assert catalog.clash({"update_bot": True, "ci": "none"}) == (
        "update_bot=true needs ci=github or ci=gitlab, not ci=none: "
        "the update runs as a scheduled CI job"
    )
    assert catalog.clash({"update_bot": True, "ci": "gitlab"}) is None
    assert catalog.clash({"update_bot": False, "ci": "none"}) is None
    assert catalog.question("update_bot").when == "{{ ci != 'none' }}"


def test_update_bot_without_ci_is_refused(tmp_path: Path) -> None:
    before = sorted(tmp_path.rglob("*"))
    args = ["new", "flask", str(tmp_path / "p"), "--defaults", "-d", "ci=none"]
    result = runner.invoke(app, [*args, "-d", "update_bot=true"])
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().startswith("scaffold: error: update_bot=true needs ci=github")
    assert sorted(tmp_path.rglob("*")) == before


def test_data(tmp_path: Path) -> None:
    dest = str(tmp_path / "p")
    refused(
        tmp_path, "new", "flask", dest, "--defaults", "-d", "kubernetes=true", "-d", "docker=no"
    )


def test_data_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("docker: false\nkubernetes: true\n")
    dest = str(tmp_path / "p")
    refused(tmp_path, "new", "django", dest, "--defaults", "--data-file", str(answers))


def test_preset_with_data(tmp_path: Path) -> None:
    dest = str(tmp_path / "p")
    args = ["new", "fastapi", dest, "--defaults", "--preset", "production", "-d", "docker=false"]
    refused(tmp_path, *args)


def test_preset_file(tmp_path: Path) -> None:
    preset = tmp_path / "team.yml"
    preset.write_text("docker: false\nkubernetes: true\n")
    refused(tmp_path, "new", "pyramid", str(tmp_path / "p"), "--defaults", "--preset", str(preset))


def test_preview_is_refused_too(tmp_path: Path) -> None:
    dest = str(tmp_path / "p")
    args = ["new", "flask", dest, "--preview", "--defaults", "-d", "kubernetes=1", "-d", "docker=0"]
    refused(tmp_path, *args)


def test_answers_that_fit_are_taken(tmp_path: Path) -> None:
    dest = tmp_path / "p"
    args = ["new", "flask", str(dest), "--defaults", "--no-git", "-d", "docker=false"]
    result = runner.invoke(app, [*args, "-d", "kubernetes=false"])
    assert result.exit_code == 0, result.output


def test_update_data(tmp_path: Path) -> None:
    dest = tmp_path / "p"
    args = ["new", "flask", str(dest), "--defaults", "-d", "kubernetes=true"]
    assert runner.invoke(app, args).exit_code == 0
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=dest, capture_output=True, text=True)
    refused(tmp_path, "update", str(dest), "--data", "docker=false")
    after = subprocess.run(["git", "rev-parse", "HEAD"], cwd=dest, capture_output=True, text=True)
    assert head.stdout == after.stdout
    assert not subprocess.run(
        ["git", "status", "--porcelain"], cwd=dest, capture_output=True, text=True
    ).stdout


def _values(name: str) -> list[object]:
    question = load_catalog(REPO).question(name)
    return [True, False] if question.type == "bool" else list(question.choices.values())


def _copier_refusal(template: Path, dest: Path, answers: dict[str, object]) -> str | None:
    """What plain copier says about these --data answers: its validator's message, or None."""
    try:
        copier.run_copy(
            str(template),
            dest,
            data={"framework": "fastapi", **answers},
            defaults=True,
            quiet=True,
            vcs_ref="HEAD",
        )
    except ValueError as error:
        match = re.fullmatch(r"Validation error for question '\w+': (.*)", str(error), re.DOTALL)
        assert match, error
        return match[1].strip()
    return None


@pytest.mark.parametrize(
    "constraint", load_catalog(REPO).constraints, ids=lambda c: f"{c.question}-needs"
)
def test_plain_copier_refuses_exactly_what_scaffold_refuses(
    constraint: Constraint, mini_template: Path, tmp_path: Path
) -> None:
    """One rule: copier's validator on the question and scaffold's `needs` agree on every
    combination of the answers they name, message included."""
    names = [constraint.question, *constraint.needs]
    for number, values in enumerate(itertools.product(*(_values(name) for name in names))):
        answers = dict(zip(names, values, strict=True))
        dest = tmp_path / f"p{number}"
        assert _copier_refusal(mini_template, dest, answers) == constraint.clash(answers), answers
        assert dest.exists() != bool(constraint.clash(answers))  # refused: nothing written
