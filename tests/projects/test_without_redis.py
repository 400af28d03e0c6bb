"""A user's machine without Redis: a project whose options use it (Celery and the cache) passes
its own tests there, those that need Redis skipping and saying why; only CI (CI=true) makes
them fail. Nothing else in the suite may count on Redis being up."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FRAMEWORKS
from tests.support import generate, run

# A port nothing listens on: each connection is refused at once, as on a machine without Redis.
NO_REDIS = "redis://127.0.0.1:1/0"
# Django's OpenAPI fuzz test comes with an API layer; it reads /health/ready too.
EXTRA_ANSWERS = {"django": {"api": "drf"}}


@pytest.mark.project
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_without_redis_its_tests_skip_and_say_why(framework: str, tmp_path: Path) -> None:
    project = generate(
        tmp_path / "no-redis",
        framework,
        background_tasks="celery",
        cache="redis",
        **EXTRA_ANSWERS.get(framework, {}),
    )
    run(project, "uv", "sync", "--quiet")
    output = run(
        project,
        *("uv", "run", "--quiet", "pytest", "-q", "-p", "no:cacheprovider", "-rs"),
        env={"REDIS_URL": NO_REDIS, "CI": ""},
    )
    assert "skipped" in output
    assert f"Redis does not answer at {NO_REDIS}" in output
    assert "start Redis or set REDIS_URL" in output
