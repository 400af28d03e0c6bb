"""The users option (issue 16): `none` renders no accounts at all; `users` renders the shared
accounts code where the framework uses it (SQLAlchemy models, migration 0002, credentials, mail),
the login throttle in all four (over Redis when the project has Redis), its tests, and the
Users section of the README, in every framework."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from scaffold.catalog import load_catalog
from tests.render.rendered import dependency_names, render, texts
from tests.render.test_render import LEFTOVER, PAGE_TEMPLATES
from tests.support import REPO

CATALOG = load_catalog(REPO)
SQLALCHEMY = ("fastapi", "flask", "pyramid")
SHARED_SQLALCHEMY_FILES = (
    "src/sample_app/users/models.py",
    "src/sample_app/users/credentials.py",
    "src/sample_app/mail.py",
    "tests/users/test_credentials.py",
)


@pytest.mark.parametrize("framework", CATALOG.frameworks)
def test_no_users_renders_no_accounts(framework: str, tmp_path: Path) -> None:
    project = render(tmp_path, framework, {"auth": "none", "docker": True, "kubernetes": True})
    files = texts(project)
    assert "src/sample_app/throttle.py" not in files
    assert not any(name.startswith("src/sample_app/users/") for name in files) or (
        framework == "django"  # Django's users app holds the admin's user model either way
    )
    for name, text in files.items():
        for word in ("SMTP_HOST", "/api/tokens", "createadmin", "throttle", "argon2id"):
            assert word not in text, f"{name} mentions {word}"
    # Django hashes its admin's password with Argon2 either way.
    assert ("argon2-cffi" in dependency_names(project)) == (framework == "django")


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"database": "postgresql", "cache": "redis"},
        {"background_tasks": "celery", "python_version": "3.13"},
    ],
    ids=["sqlite-memory", "postgresql-cache", "celery"],
)
@pytest.mark.parametrize("framework", CATALOG.frameworks)
def test_users_render_accounts_tokens_and_the_throttle(
    framework: str, answers: dict[str, str], tmp_path: Path
) -> None:
    project = render(tmp_path, framework, {**answers, "auth": "users"})
    files = texts(project)
    # Code for a newer Python may use syntax this interpreter cannot parse (PEP 695 generics).
    version = tuple(int(n) for n in answers.get("python_version", "3.11").split("."))
    parseable_here = version <= sys.version_info[:2]
    for name, text in files.items():
        if Path(name).suffix not in PAGE_TEMPLATES:
            assert not LEFTOVER.search(text), f"unrendered Jinja in {name}"
        if name.endswith(".py") and parseable_here:
            compile(text, name, "exec")

    throttle = files["src/sample_app/throttle.py"]
    has_redis = bool(answers.get("cache") == "redis" or answers.get("background_tasks"))
    assert ("class RedisCounter" in throttle) == has_redis
    assert "def test_the_limit_closes_the_window(" in files["tests/test_throttle.py"]
    if framework in SQLALCHEMY:
        for name in SHARED_SQLALCHEMY_FILES:
            assert name in files, name
        assert "owner_id" in files["src/sample_app/notes/models.py"]
        assert (
            'down_revision: str | None = "0001"'
            in files["src/sample_app/migrations/versions/0002_create_users.py"]
        )
        assert "def test_users_arrive_without_losing_a_note(" in files["tests/test_migrations.py"]

    readme = files["README.md"]
    assert "## Users" in readme
    assert "/api/tokens" in readme
    assert "Authorization: Bearer" in readme
    names = dependency_names(project)
    assert any(name.startswith(("argon2-cffi", "django[argon2]")) for name in names), names
    assert (
        "smtp_host"
        in files[
            "src/sample_app/settings/base.py"
            if framework == "django"
            else "src/sample_app/settings.py"
        ]
    )
