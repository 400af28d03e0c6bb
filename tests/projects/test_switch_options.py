"""Switching options on later (G13, C3): a project made with the defaults gets Celery,
PostgreSQL, tracing, the cache, Docker and Kubernetes through `scaffold update --data`, is
committed, and passes its own checks against the real PostgreSQL and Redis.

The update renders the old and the new project from the same template commit, so it changes
nothing but the answers. That commit is a snapshot of this checkout's working tree in a fresh
repository: a project made from a checkout with uncommitted changes records a commit copier
made in a temporary clone, which no update can find again.
"""

from __future__ import annotations

import secrets
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scaffold.answers import read_project_answers
from scaffold.catalog import load_catalog
from scaffold.cli import app
from scaffold.source import SOURCE_ENV
from scaffold.update import update_project
from tests.projects import contract
from tests.support import (
    REDIS_URL,
    REPO,
    generate,
    postgres_database,
    require_redis,
    run,
    run_checks,
)

pytestmark = pytest.mark.project

# Off at generation, on through the update.
OFF = {
    "database": "sqlite",
    "background_tasks": "none",
    "tracing": "none",
    "cache": "none",
    "docker": False,
    "kubernetes": False,
}
ON = {
    "database": "postgresql",
    "background_tasks": "celery",
    "tracing": "opentelemetry",
    "cache": "redis",
    "docker": True,
    "kubernetes": True,
}
# The framework whose switch goes through the command line; the others call the library.
THROUGH_CLI = "fastapi"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture(scope="module")
def template_snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's files as they are now (tracked and new, not ignored), committed."""
    snapshot = tmp_path_factory.mktemp("template") / "scaffold"
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # skips files deleted in the working tree
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(snapshot, "init", "--quiet")
    git(snapshot, "add", "--all")
    git(snapshot, "commit", "--quiet", "-m", "templates as they are in the working tree")
    return snapshot


@pytest.fixture
def from_snapshot(template_snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(SOURCE_ENV, str(template_snapshot))
    return template_snapshot


def test_the_switched_options_default_to_off_or_are_turned_off() -> None:
    """The start is the defaults, except docker, turned off at generation so the switch is real."""
    catalog = load_catalog(REPO)
    for name, value in OFF.items():
        assert catalog.question(name).default == value or name == "docker", name
        assert value not in {None, ON[name]}


def switch_on(project: Path, framework: str) -> list[str]:
    """The update, as a user would run it; returns the files it changed."""
    if framework == THROUGH_CLI:
        data = [f"{name}={str(value).lower()}" for name, value in ON.items()]
        args = ["update", str(project), *(arg for pair in data for arg in ("-d", pair))]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, f"scaffold {' '.join(args)}\n{result.output}"
        assert "file(s) changed" in result.output, result.output
        return git(project, "status", "--porcelain", "--untracked-files=all").splitlines()
    update = update_project(project, data=dict(ON))
    assert not update.conflicts, update.conflicts
    assert not update.kept, update.kept
    return update.changed


@pytest.mark.parametrize("framework", sorted(load_catalog(REPO).frameworks))
@pytest.mark.usefixtures("from_snapshot")
def test_switching_options_on_later_passes_the_checks(framework: str, tmp_path: Path) -> None:
    require_redis()
    project = generate(tmp_path / f"switch-{framework}", framework, docker=False)
    before: dict[str, Any] = read_project_answers(project)
    # Kubernetes is not asked without Docker, so it is not recorded: it is simply off.
    assert {name: before.get(name, False) for name in OFF} == OFF
    assert not (project / "Dockerfile").exists()
    assert not (project / "k8s").exists()

    changed = switch_on(project, framework)

    assert changed, "the update changed nothing"
    after = read_project_answers(project)
    assert {name: after[name] for name in ON} == ON
    assert {k: v for k, v in after.items() if k not in ON} == {
        k: v for k, v in before.items() if k not in ON
    }, "the update changed answers it was not given"
    for path in ("Dockerfile", "compose.yaml", "k8s"):
        assert (project / path).exists(), f"{path} missing after switching docker/kubernetes on"
    pyproject = (project / "pyproject.toml").read_text()
    assert "celery" in pyproject
    assert "psycopg" in pyproject
    assert "opentelemetry-sdk" in pyproject
    assert (project / "src" / before["package_name"] / "cache.py").is_file()
    assert (project / "tests" / "test_cache.py").is_file()
    leftovers = [p.name for p in project.rglob("*") if p.suffix in {".rej", ".orig"}]
    assert not leftovers, leftovers

    git(project, "add", "--all")
    message = "Switch on PostgreSQL, Celery, tracing, the cache, Docker, Kubernetes"
    git(project, "commit", "--quiet", "-m", message)
    assert not git(project, "status", "--porcelain")

    with postgres_database() as database_url:
        run_checks(project, env={"TEST_DATABASE_URL": database_url, "REDIS_URL": REDIS_URL})


# --- Users switched on later (issue 16) ---------------------------------------------------------

MIGRATE = {
    "django": ("python", "manage.py", "migrate", "--noinput"),
    "fastapi": ("alembic", "upgrade", "head"),
    "flask": ("flask", "db", "upgrade"),
    "pyramid": ("alembic", "upgrade", "head"),
}
NOTES_TABLE = {"django": "notes_note"}


@pytest.mark.parametrize("framework", sorted(load_catalog(REPO).frameworks))
@pytest.mark.usefixtures("from_snapshot")
def test_users_switched_on_later_give_the_notes_to_the_first_admin(
    framework: str, tmp_path: Path
) -> None:
    project = generate(tmp_path / f"later-{framework}", framework, auth="none")
    package = str(read_project_answers(project)["package_name"])
    database = tmp_path / "notes.db"
    env = {
        "APP_ENV": "development",
        "SECRET_KEY": "k" + secrets.token_urlsafe(48),
        "DATABASE_URL": f"sqlite:///{database}",
        "METRICS_PORT": "0",
    }
    migrate = ("uv", "run", "--quiet", *MIGRATE[framework])
    run(project, "uv", "sync", "--quiet")
    run(project, *migrate, env=env)
    table = NOTES_TABLE.get(framework, "notes")
    with sqlite3.connect(database) as connection:  # notes written while the API was open
        for title in ("before users", "also before"):
            connection.execute(
                f"INSERT INTO {table} (title, body, created_at, updated_at)"
                " VALUES (?, '', '2025-01-01 00:00:00', '2025-01-01 00:00:00')",
                (title,),
            )

    update = update_project(project, data={"auth": "users"})
    assert not update.conflicts, update.conflicts
    git(project, "add", "--all")
    git(project, "commit", "--quiet", "-m", "Switch users on")
    run(project, "uv", "sync", "--quiet")
    run(project, *migrate, env=env)
    with sqlite3.connect(database) as connection:
        owners = connection.execute(f"SELECT title, owner_id FROM {table}").fetchall()
    assert sorted(owners) == [("also before", None), ("before users", None)]

    contract.create_admin(project, framework, package, env)
    with sqlite3.connect(database) as connection:
        users = "users_user" if framework == "django" else "users"
        [(admin_id,)] = connection.execute(
            f"SELECT id FROM {users} WHERE lower(email) = ?", (contract.ADMIN_EMAIL.lower(),)
        ).fetchall()
        owners = connection.execute(f"SELECT title, owner_id FROM {table}").fetchall()
    assert sorted(owners) == [("also before", admin_id), ("before users", admin_id)]
