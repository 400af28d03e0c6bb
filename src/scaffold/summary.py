"""What the CLI prints: the closing summary of `new` and the catalog of `list`."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Any

from scaffold.catalog import Catalog, shown
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
# The development database server the generated settings default to.
LOCAL_POSTGRESQL = "postgresql+psycopg://postgres:postgres@localhost:5432"
# A mail catcher on this machine (mailpit's SMTP port, as in compose), for password resets.
LOCAL_SMTP = "SMTP_HOST=localhost SMTP_PORT=1025"


def run_command(framework: str, package: str) -> str:
    return RUN_COMMANDS[framework].format(package=package)


def service_commands(answers: dict[str, Any]) -> list[str]:
    """What to start, and create, before the first run (the README says the same)."""
    package = str(answers.get("package_name", ""))
    commands = []
    if answers.get("database") == "postgresql":
        commands.append(f"createdb -h localhost -U postgres {package}")
    if answers.get("background_tasks") == "celery":
        commands.append("redis-server --daemonize yes")
    return commands


def worker_command(answers: dict[str, Any]) -> str | None:
    if answers.get("background_tasks") != "celery":
        return None
    return f"uv run celery -A {answers.get('package_name', '')}.worker worker --loglevel=INFO"


def production_commands(
    framework: str, package: str, database: str = "sqlite", auth: str = "none"
) -> list[str]:
    """The steps a production start needs beyond the server (the README has them too).

    Django serves its static files from what collectstatic gathered, with production's settings.
    Production refuses to guess a PostgreSQL database or, with users, a mail server: the
    commands name the local development ones (the database `createdb` made, a mail catcher
    on localhost), for the user to replace with theirs.
    """
    if framework != "django":
        return []
    production = "APP_ENV=production"
    if database == "postgresql":
        production += f" DATABASE_URL={LOCAL_POSTGRESQL}/{package}"
    if auth == "users":
        production += f" {LOCAL_SMTP}"
    return [
        f"{production} uv run python manage.py collectstatic --noinput",
        f"{production} uv run python -m {package}",
    ]


def describe_new_project(project: NewProject, *, cwd: Path) -> str:
    try:
        shown = project.path.relative_to(cwd)
    except ValueError:
        shown = project.path
    answers = project.answers
    package = str(answers.get("package_name", ""))
    lines = [
        f"Created {answers.get('project_name', shown)} ({project.framework}) in {shown}{os.sep}",
        "",
    ]
    services = service_commands(answers)
    if services:
        lines += ["Start the services it uses:", *(f"  {command}" for command in services)]
    lines += [
        "Run it:",
        f"  cd {shlex.quote(str(shown))}",
        f"  {run_command(project.framework, package)}",
    ]
    worker = worker_command(answers)
    if worker:
        lines.append(f"  {worker}   # the Celery worker, in a second terminal")
    lines += ["Test it:", f"  {TEST_COMMAND}"]
    production = production_commands(
        project.framework,
        package,
        str(answers.get("database", "sqlite")),
        str(answers.get("auth", "none")),
    )
    if production:
        lines += ["In production:", *(f"  {command}" for command in production)]
    return "\n".join(lines)


def describe_lock_failure(project: NewProject) -> str | None:
    """One line when uv.lock could not be written, saying how to write it later."""
    if project.lock.locked or not project.lock.reason or "--no-lock" in project.lock.reason:
        return None
    return (
        f"scaffold: warning: uv.lock was not written ({project.lock.reason}); "
        "run `uv lock` in the project and commit uv.lock before the first push"
    )


def describe_catalog(catalog: Catalog, presets: dict[str, Preset] | None = None) -> str:
    lines: list[str] = []
    for framework, label in catalog.frameworks.items():
        lines.append(f"{framework}: {label}")
        for question in catalog.options(framework):
            default = _default_shown(question.default)
            if question.choices:
                values = " | ".join(str(v) for v in question.choices.values())
                lines.append(f"  {question.name} [{values}] (default {default})")
            elif question.type == "bool":
                lines.append(f"  {question.name} [true | false] (default {default})")
            else:
                lines.append(f"  {question.name}: {question.help}")
        lines.append("")
    if presets:
        lines.append(
            "presets (scaffold new --preset NAME, or the first question asked), filling in:"
        )
        for preset in presets.values():
            chosen = ", ".join(f"{key}={shown(value)}" for key, value in preset.answers.items())
            lines.append(f"  {preset.name}: {preset.help}")
            lines.append(f"    {chosen or 'every default'}")
    return "\n".join(lines).rstrip()


def _default_shown(default: object) -> str:
    """A default as text; one computed from earlier answers shows its expression, without the
    Jinja braces (``update_bot``'s is ``ci != 'none'``)."""
    text = str(default).lower() if isinstance(default, bool) else str(default)
    match = re.fullmatch(r"\{\{\s*(.*?)\s*\}\}", text)
    return match[1] if match else text
