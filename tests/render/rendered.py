"""A rendered project and what the render tests of one option read in it."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

from scaffold.generate import NewProject, new_project


def new(tmp_path: Path, framework: str, answers: dict[str, Any]) -> NewProject:
    """What `scaffold new --defaults --no-lock` makes with these answers, without git."""
    return new_project(
        tmp_path / "sample-app",
        framework=framework,
        answers=answers,
        defaults=True,
        git=False,
        lock=False,
    )


def render(tmp_path: Path, framework: str, answers: dict[str, Any]) -> Path:
    """The rendered project's directory."""
    return new(tmp_path, framework, answers).path


def texts(project: Path) -> dict[str, str]:
    """Every file's text, by its path in the project."""
    return {
        path.relative_to(project).as_posix(): path.read_text(encoding="utf-8")
        for path in project.rglob("*")
        if path.is_file()
    }


def dependency_names(project: Path) -> set[str]:
    """The names of the project's runtime dependencies, without their versions."""
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    return {requirement.split(">=")[0] for requirement in pyproject["project"]["dependencies"]}


def compose(project: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((project / "compose.yaml").read_text())
    return loaded
