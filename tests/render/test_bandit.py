"""Contract G7: bandit finds nothing of medium or high severity in a project's src, with every
option that adds code on (users, PostgreSQL, Celery, the Redis cache, tracing), in each
framework and each of its own variants."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.render.rendered import render

EVERYTHING_ON = {
    # 3.11: bandit parses with this interpreter, which takes no newer syntax (PEP 695 generics).
    "python_version": "3.11",
    "database": "postgresql",
    "background_tasks": "celery",
    "cache": "redis",
    "tracing": "opentelemetry",
    "auth": "users",
}
VARIANTS: list[tuple[str, dict[str, Any]]] = [
    ("django", {"api": "none"}),
    ("django", {"api": "drf"}),
    ("django", {"api": "ninja"}),
    ("fastapi", {}),
    ("flask", {}),
    ("pyramid", {"template_language": "jinja2"}),
    ("pyramid", {"template_language": "chameleon"}),
]


@pytest.mark.parametrize(
    ("framework", "variant"),
    VARIANTS,
    ids=[f"{fw}-{'-'.join(map(str, v.values())) or 'all'}" for fw, v in VARIANTS],
)
def test_bandit_finds_nothing_of_medium_or_high_severity(
    framework: str, variant: dict[str, Any], tmp_path: Path
) -> None:
    project = render(tmp_path, framework, {**EVERYTHING_ON, **variant})
    result = subprocess.run(
        [
            *(sys.executable, "-m", "bandit", "--quiet", "--recursive", "--format", "json"),
            *("--severity-level", "medium", str(project / "src")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    assert report["errors"] == [], report["errors"]  # every file was read
    assert report["metrics"]["_totals"]["loc"] > 500, "bandit read next to nothing"
    found = [
        f"{issue['filename']}:{issue['line_number']} {issue['test_id']} {issue['issue_text']}"
        for issue in report["results"]
    ]
    assert found == []
