"""Answers that cannot make a working project are refused before anything is written, with
one line that says why and how to answer instead (contract C5, C9): names that shadow a
package the project installs, and text answers that are not one line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from scaffold.cli import app

pytestmark = pytest.mark.usefixtures("use_mini_template")

# (framework, answer, what the message says). Transitive dependencies come first: they broke
# projects on 0.1.0 (uv sync, ruff's import sorting, mypy's Django plugin).
SHADOWING = [
    ("flask", "package_name=click", '"click" would shadow the package of that name'),
    ("flask", "package_name=werkzeug", "would shadow"),
    ("fastapi", "package_name=anyio", '"anyio" would shadow'),
    ("fastapi", "package_name=starlette", "would shadow"),
    ("pyramid", "package_name=webob", '"webob" would shadow'),
    ("pyramid", "package_name=zope", '"zope" would shadow'),
    ("pyramid", "package_name=pyramid_tm", "would shadow"),
    ("django", "package_name=argon2", '"argon2" would shadow'),
    ("django", "package_name=corsheaders", '"corsheaders" would shadow'),
    ("django", "package_name=rest_framework", "would shadow"),
    ("django", "package_name=ninja", "would shadow"),
    ("fastapi", "package_name=celery", "would shadow"),  # with Celery switched on later
    ("flask", "package_name=tests", "one of the project's own directories"),
    ("flask", "project_slug=flask", '"flask" is a package the project installs'),
    ("fastapi", "project_slug=pydantic", "would depend on itself"),
    ("django", "project_slug=celery", "would depend on itself"),
    ("pyramid", "project_slug=zope-sqlalchemy", "would depend on itself"),
]

NOT_ONE_LINE = [
    ("project_name=My\nAPI", "Write the project name on one line"),
    ("description=First line\nsecond line", "Write the description on one line"),
    ("description=tab\there", "Write the description on one line"),
    ("author_name=Zoë\u2028O'Brien", "Write the author name on one line"),
    ("author_email=you\r@example.com", "Write the email address on one line"),
]
# Addresses the build backend would fail on (it reads them with email.headerregistry).
NOT_AN_ADDRESS = ['a"b\\c@example.com', "zo\u00eb@example.com", "a..b@example.com", "you@example"]


def refused(framework: str, answer: str, tmp_path: Path) -> str:
    """The one line scaffold new prints when it refuses the answer; nothing is written."""
    result = CliRunner().invoke(
        app, ["new", framework, str(tmp_path / "p"), "--defaults", "--data", answer]
    )
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
    return lines[0]


@pytest.mark.parametrize(("framework", "answer", "says"), SHADOWING)
def test_shadowing_names_are_refused(
    framework: str, answer: str, says: str, tmp_path: Path
) -> None:
    key = answer.partition("=")[0]
    line = refused(framework, answer, tmp_path)
    assert line.startswith(f"scaffold: error: invalid {key}: ")
    assert says in line
    assert line.endswith(f"Choose another with --data {key}=...")


@pytest.mark.parametrize(("answer", "says"), NOT_ONE_LINE)
def test_text_answers_are_one_line(answer: str, says: str, tmp_path: Path) -> None:
    key = answer.partition("=")[0]
    line = refused("flask", answer, tmp_path)
    assert line.startswith(f"scaffold: error: invalid {key}: {says}")


@pytest.mark.parametrize("address", NOT_AN_ADDRESS)
def test_addresses_packaging_rejects_are_refused(address: str, tmp_path: Path) -> None:
    line = refused("flask", f"author_email={address}", tmp_path)
    assert "Enter an email address like you@example.com" in line


def test_a_destination_named_after_a_dependency_is_refused_with_the_way_out(
    tmp_path: Path,
) -> None:
    # The slug defaults to the directory's name.
    result = CliRunner().invoke(app, ["new", "flask", str(tmp_path / "flask"), "--defaults"])
    assert result.exit_code == 2
    assert "invalid project_slug" in result.stderr
    assert "--data project_slug=..." in result.stderr


@pytest.mark.parametrize(
    ("framework", "answer"),
    [
        ("django", "package_name=click_app"),
        ("fastapi", "package_name=flask"),  # Flask is no part of a FastAPI project
        ("flask", "project_slug=fastapi"),
    ],
)
def test_names_of_other_frameworks_packages_are_accepted(
    framework: str, answer: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        app, ["new", framework, str(tmp_path / "p"), "--defaults", "--no-git", "--data", answer]
    )
    assert result.exit_code == 0, result.output


def test_a_long_project_name_gives_names_within_the_limits(tmp_path: Path) -> None:
    name = "Inventory Reconciliation " * 3 + "Service"
    result = CliRunner().invoke(
        app,
        [
            "new",
            "flask",
            str(tmp_path / "p"),
            "--defaults",
            "--no-git",
            "--no-lock",
            "-d",
            f"project_name={name}",
        ],
    )
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((tmp_path / "p" / ".copier-answers.yml").read_text())
    assert answers["project_name"] == name
    assert answers["project_slug"] == "inventory-reconciliation-inventory-recon"  # 40
    assert answers["package_name"] == "inventory_reconciliation_invento"  # 32
