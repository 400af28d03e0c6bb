"""What the CLI prints: the closing summary of `new` and the catalog of `list`."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from scaffold.catalog import Catalog
from scaffold.generate import NewProject
from scaffold.presets import Preset

# How to run each framework's project in development, and its tests. The generated README
# says the same (a render test holds the two together).
RUN_COMMANDS = {
    "django": "uv sync && uv run python manage.py migrate && uv run python manage.py runserver",
    "fastapi": "uv sync && uv run alembic upgrade head && uv run python -m {package}",
    "flask": "uv sync && uv run flask db upgrade && uv run flask run --debug",
    "pyramid": "uv sync && uv run alembic upgrade head && uv run python -m {package}",
}
TEST_COMMAND = "uv run pytest"


def run_command(framework: str, package: str) -> str:
    return RUN_COMMANDS[framework].format(package=package)


def describe_new_project(project: NewProject, *, cwd: Path) -> str:
    try:
        shown = project.path.relative_to(cwd)
    except ValueError:
        shown = project.path
    package = str(project.answers.get("package_name", ""))
    return "\n".join(
        [
            f"Created {project.answers.get('project_name', shown)} "
            f"({project.framework}) in {shown}{os.sep}",
            "",
            "Run it:",
            f"  cd {shlex.quote(str(shown))}",
            f"  {run_command(project.framework, package)}",
            "Test it:",
            f"  {TEST_COMMAND}",
        ]
    )


def describe_catalog(catalog: Catalog, presets: dict[str, Preset] | None = None) -> str:
    lines: list[str] = []
    for framework, label in catalog.frameworks.items():
        lines.append(f"{framework}: {label}")
        for question in catalog.options(framework):
            if question.choices:
                values = " | ".join(str(v) for v in question.choices.values())
                lines.append(f"  {question.name} [{values}] (default {question.default})")
            elif question.type == "bool":
                lines.append(f"  {question.name} [true | false] (default {question.default})")
            else:
                lines.append(f"  {question.name}: {question.help}")
        lines.append("")
    if presets:
        lines.append("presets (scaffold new --preset NAME; the rest keeps its default):")
        for preset in presets.values():
            chosen = ", ".join(f"{key}={value}" for key, value in preset.answers.items())
            lines.append(f"  {preset.name}: {preset.help}")
            lines.append(f"    {chosen or 'every default'}")
    return "\n".join(lines).rstrip()
