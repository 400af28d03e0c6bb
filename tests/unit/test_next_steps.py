"""The steps printed after `scaffold new` follow the options chosen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from scaffold.generate import NewProject
from scaffold.lock import LockResult
from scaffold.summary import describe_new_project


def printed(framework: str, **answers: Any) -> str:
    project = NewProject(
        path=Path("/work/team-api"),
        framework=framework,
        answers={
            "project_name": "Team API",
            "package_name": "team_api",
            "database": "sqlite",
            "background_tasks": "none",
            **answers,
        },
        lock=LockResult(locked=True),
    )
    return describe_new_project(project, cwd=Path("/work"))


@pytest.mark.parametrize("framework", ["django", "fastapi", "flask", "pyramid"])
def test_sqlite_without_tasks_needs_no_services(framework: str) -> None:
    text = printed(framework)
    assert text.startswith(f"Created Team API ({framework}) in team-api/")
    assert "createdb" not in text and "redis-server" not in text and "celery" not in text
    assert "  cd team-api\n" in text


def test_postgresql_asks_for_the_database_first() -> None:
    text = printed("fastapi", database="postgresql")
    assert text.index("createdb -h localhost -U postgres team_api") < text.index("uv sync")


def test_celery_starts_redis_and_a_worker() -> None:
    text = printed("flask", background_tasks="celery")
    assert text.index("redis-server") < text.index("uv sync")
    worker = "uv run celery -A team_api.worker worker --loglevel=INFO"
    assert text.index("uv sync") < text.index(worker)


def test_django_collects_static_files_for_production() -> None:
    text = printed("django")
    collect = "APP_ENV=production uv run python manage.py collectstatic --noinput"
    assert text.index(collect) < text.index("APP_ENV=production uv run python -m team_api")
    assert "collectstatic" not in printed("flask")


def test_django_production_names_its_postgresql_database() -> None:
    # Production refuses to start a PostgreSQL project without DATABASE_URL.
    text = printed("django", database="postgresql")
    database = "DATABASE_URL=postgresql+psycopg://postgres:postgres@localhost:5432/team_api"
    production = text.split("In production:\n", 1)[1].splitlines()
    assert len(production) == 2
    assert all(f"APP_ENV=production {database} uv run" in line for line in production)
    assert "DATABASE_URL" not in printed("django")
