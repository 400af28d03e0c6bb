"""scaffold new, list and --version through Typer's CliRunner, on a small real template."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from scaffold.catalog import load_catalog
from scaffold.cli import app
from tests.support import REPO

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("use_mini_template")


def git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=project, capture_output=True, text=True, check=True
    ).stdout


def test_new_with_defaults_generates_commits_and_summarises(tmp_path: Path) -> None:
    dest = tmp_path / "my-api"
    result = runner.invoke(app, ["new", "fastapi", str(dest), "--defaults"])
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["framework"] == "fastapi"
    assert answers["project_name"] == "my-api"
    assert answers["package_name"] == "my_api"
    assert "secret_key" not in answers
    assert (dest / "src/my_api/__init__.py").is_file()
    assert git(dest, "status", "--porcelain") == ""
    assert git(dest, "log", "--format=%s") == "Initial commit\n"
    assert "uv run pytest" in result.output
    assert "cd " in result.output
    assert "Created my-api (fastapi)" in result.output


def test_env_holds_a_fresh_secret_and_is_not_tracked(tmp_path: Path) -> None:
    secrets = []
    for name in ("one", "two"):
        assert (
            runner.invoke(app, ["new", "flask", str(tmp_path / name), "--defaults"]).exit_code == 0
        )
        env = (tmp_path / name / ".env").read_text()
        secrets.append(env.split("SECRET_KEY=", 1)[1].strip())
        assert ".env" not in git(tmp_path / name, "ls-files").split()
    assert secrets[0] != secrets[1]
    assert all(len(secret) >= 50 for secret in secrets)


def test_env_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    dest = tmp_path / "private"
    assert runner.invoke(app, ["new", "flask", str(dest), "--defaults"]).exit_code == 0
    assert stat.S_IMODE((dest / ".env").stat().st_mode) == 0o600


def test_the_project_directory_has_the_permissions_mkdir_would_give(tmp_path: Path) -> None:
    # The work area it is made in is a temporary directory; the project must not stay private.
    dest = tmp_path / "shared"
    previous = os.umask(0o022)
    try:
        assert runner.invoke(app, ["new", "flask", str(dest), "--defaults"]).exit_code == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(dest.stat().st_mode) == 0o755


def test_data_and_data_file_answer_questions(tmp_path: Path) -> None:
    data_file = tmp_path / "answers.yml"
    data_file.write_text("database: postgresql\ndescription: Notes for teams\n")
    dest = tmp_path / "svc"
    result = runner.invoke(
        app,
        [
            "new",
            "pyramid",
            str(dest),
            "--defaults",
            "--data-file",
            str(data_file),
            "-d",
            "docker=false",
            "--data",
            "package_name=notes_svc",
        ],
    )
    assert result.exit_code == 0, result.output
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["database"] == "postgresql"
    assert answers["docker"] is False
    assert answers["package_name"] == "notes_svc"
    assert answers["description"] == "Notes for teams"


def test_no_git_leaves_the_project_uncommitted(tmp_path: Path) -> None:
    dest = tmp_path / "plain"
    assert (
        runner.invoke(app, ["new", "pyramid", str(dest), "--defaults", "--no-git"]).exit_code == 0
    )
    assert (dest / "README.md").is_file()
    assert not (dest / ".git").exists()


def test_empty_existing_destination_is_used(tmp_path: Path) -> None:
    dest = tmp_path / "empty"
    dest.mkdir()
    assert runner.invoke(app, ["new", "fastapi", str(dest), "--defaults"]).exit_code == 0
    assert (dest / "README.md").is_file()


def test_list_shows_every_framework_and_its_options() -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    frameworks = load_catalog(REPO).frameworks
    assert len(frameworks) >= 3
    for framework in frameworks:
        assert f"{framework}: " in result.output
    assert "database [sqlite | postgresql] (default sqlite)" in result.output
    assert "update_bot [true | false] (default ci != 'none')" in result.output
    assert "secret_key" not in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("scaffold ")


def test_help_does_not_import_copier() -> None:
    code = (
        "import sys, runpy\n"
        "sys.argv = ['scaffold', '--help']\n"
        "try:\n    runpy.run_module('scaffold', run_name='__main__')\n"
        "except SystemExit as done:\n    assert done.code == 0, done.code\n"
        "loaded = {'copier', 'jinja2', 'starlette', 'uvicorn'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
    assert "web" in result.stdout  # the picker is listed, its server not loaded


def test_the_default_python_is_the_one_scaffold_runs_on(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    assert runner.invoke(app, ["new", "flask", str(dest), "--defaults"]).exit_code == 0
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    offered = load_catalog(REPO).question("python_version").choices.values()
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert answers["python_version"] == (here if here in offered else "3.12")
