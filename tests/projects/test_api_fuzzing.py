"""The API documents tell the truth (issue 19): schemathesis, an independent fuzzer, runs with all
its checks against the production server of each project kind that serves an OpenAPI document,
and finds nothing. The projects' own suites fuzz in-process; this is the served app, over HTTP.
Each framework has one kind without users (the API open to anyone) and one with users, the
default, fuzzed with the first admin's token.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.projects import contract
from tests.projects.test_django import DJANGO
from tests.projects.test_fastapi import FASTAPI
from tests.support import generate, postgres_database, run, serve

pytestmark = pytest.mark.project

# Enough to reach every check on every operation, and the stateful phase's links between them.
EXAMPLES_PER_OPERATION = 25


@dataclass(frozen=True)
class Kind:
    framework: contract.Framework
    answers: dict[str, str]
    document: str
    # FastAPI serves its documents in production only when asked.
    env: dict[str, str]


KINDS = {
    "fastapi-sqlite-open": Kind(FASTAPI, {"auth": "none"}, "/openapi.json", {"API_DOCS": "true"}),
    "fastapi-postgresql": Kind(
        FASTAPI, {"database": "postgresql"}, "/openapi.json", {"API_DOCS": "true"}
    ),
    "django-ninja-open": Kind(DJANGO, {"api": "ninja", "auth": "none"}, "/api/openapi.json", {}),
    "django-drf-postgresql": Kind(
        DJANGO, {"api": "drf", "database": "postgresql"}, "/api/openapi.json", {}
    ),
}


@contextlib.contextmanager
def database_url(kind: Kind, tmp_path: Path) -> Iterator[str]:
    if kind.answers.get("database") == "postgresql":
        with postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'app.db'}"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_schemathesis_finds_nothing_against_production(name: str, tmp_path: Path) -> None:
    kind = KINDS[name]
    framework = kind.framework
    project = generate(tmp_path / framework.package, name.split("-")[0], **kind.answers)
    with database_url(kind, tmp_path) as url:
        env = contract.production_env(url, WEB_CONCURRENCY="2", SMTP_HOST="127.0.0.1", **kind.env)
        contract.prepare(project, framework, env)
        users = kind.answers.get("auth") != "none"
        if users:
            contract.create_admin(project, name.split("-")[0], framework.package, env)
        with serve(project, env, package=framework.package) as base:
            if users:
                framework = contract.signed_in(base, framework)
            headers = [f"--header={k}: {v}" for k, v in framework.request_headers.items()]
            if users:
                # Signing out (DELETE /api/tokens/current) would revoke the one token every
                # later request carries; the projects' own in-process fuzzing covers it, with
                # a database of its own per case.
                headers.append("--exclude-path=/api/tokens/current")
            # The project's own schemathesis (a dev dependency), every check, every phase.
            output = run(
                project,
                *("uv", "run", "--quiet", "st", "run", f"{base}{kind.document}"),
                *("--checks=all", f"--max-examples={EXAMPLES_PER_OPERATION}", "--no-color"),
                *headers,
            )
    summary = output[output.index("SUMMARY") :]
    print(f"{name}:\n{summary}")  # the summary issue 19 asks for (pytest -s shows it)
    assert "No issues found" in summary, output[-6000:]
    assert "Failures" not in summary
