"""The generated CI passes on the first commit: a fresh clone runs the workflow's own commands.

For each framework and both CI kinds, the project's first commit is cloned as a CI checkout
would be, and the GitHub job's `run:` steps (with the job's `env:`) or the GitLab jobs'
`before_script:` and `script:` lines (with their `variables:`) run in order, in bash with `-e`
as the runners do. This machine's PostgreSQL and Redis stand in for the service containers:
only the host part of their URLs changes, and each case gets a database of its own.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from tests.answers import accepted, emails, packages, slugs, text
from tests.support import (
    POSTGRES_URL,
    REDIS_URL,
    generate,
    psql,
    require_postgres,
    require_redis,
    run,
)

pytestmark = pytest.mark.project

# Half the cases use the PostgreSQL and Redis services, so that both CI kinds are seen with them.
CASES = [
    pytest.param("django", "github", {}, id="django-github"),
    pytest.param("django", "gitlab", {"database": "postgresql"}, id="django-gitlab-postgresql"),
    pytest.param("fastapi", "github", {"background_tasks": "celery"}, id="fastapi-github-celery"),
    pytest.param("fastapi", "gitlab", {}, id="fastapi-gitlab"),
    pytest.param(
        "flask",
        "github",
        {"database": "postgresql", "background_tasks": "celery"},
        id="flask-github-postgresql-celery",
    ),
    pytest.param("flask", "gitlab", {"background_tasks": "celery"}, id="flask-gitlab-celery"),
    pytest.param("pyramid", "github", {"database": "postgresql"}, id="pyramid-github-postgresql"),
    pytest.param(
        "pyramid",
        "gitlab",
        {"database": "postgresql", "background_tasks": "celery"},
        id="pyramid-gitlab-postgresql-celery",
    ),
]


@pytest.fixture
def database_name() -> Iterator[str]:
    """A database name for this case alone; the project's tests create it, this drops it."""
    name = f"ci_{uuid.uuid4().hex[:12]}"
    yield name
    with contextlib.suppress(OSError, subprocess.CalledProcessError):  # no server: no database
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stand_in(value: str, database: str) -> str:
    """A service URL from the CI file, pointed at this machine's server of the same kind."""
    if value.startswith("postgresql"):
        scheme = value.split("://", 1)[0]
        netloc = POSTGRES_URL.split("://", 1)[1].split("/", 1)[0]
        return f"{scheme}://{netloc}/{database}"
    if value.startswith("redis://"):
        return REDIS_URL
    return value


def first_commit_clone(project: Path, dest: Path) -> Path:
    assert run(project, "git", "log", "--format=%s").splitlines() == ["Initial commit"]
    subprocess.run(["git", "clone", "--quiet", str(project), str(dest)], check=True)
    assert (dest / "uv.lock").is_file(), "uv.lock is not in the first commit"
    return dest


def sh(clone: Path, line: str, env: dict[str, str]) -> None:
    """One CI line, in bash with -e as the runners run it."""
    run(clone, "bash", "-e", "-o", "pipefail", "-c", line, env=env, timeout=900)


def run_github(clone: Path, database: str) -> list[str]:
    workflow = yaml.safe_load((clone / ".github/workflows/ci.yml").read_text())
    (job,) = workflow["jobs"].values()
    env = {
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        **{k: stand_in(str(v), database) for k, v in job.get("env", {}).items()},
    }
    ran = []
    for step in job["steps"]:
        if "uses" in step:
            if step["uses"].startswith("astral-sh/setup-uv"):  # the Python it provides
                env["UV_PYTHON"] = str(step["with"]["python-version"])
            continue
        sh(clone, step["run"], env)
        ran.append(step["run"])
    return ran


def _source_is(condition: str, source: str) -> bool:
    """A rule's `if:`, in the one form the generated pipelines use:
    `$CI_PIPELINE_SOURCE == "..."`, alone or joined with `||`."""
    sources = [
        re.fullmatch(r'\s*\$CI_PIPELINE_SOURCE == "(\w+)"\s*', part)
        for part in condition.split("||")
    ]
    assert all(sources), f"a rule this test does not understand: {condition}"
    return any(found[1] == source for found in sources if found)


def runs_in(pipeline: dict[str, Any], job: dict[str, Any], source: str) -> bool:
    """Whether GitLab adds the job to a pipeline started by source ("push", "schedule"): its
    rules, or those of the hidden job it extends; without rules, every pipeline but a merge
    request's."""
    rules = job.get("rules", pipeline.get(job.get("extends", ""), {}).get("rules"))
    if rules is None:
        return source != "merge_request_event"
    for rule in rules:
        if "if" not in rule or _source_is(rule["if"], source):
            return bool(rule.get("when", "on_success") != "never")
    return False


def run_gitlab(clone: Path, database: str) -> list[str]:
    pipeline: dict[str, Any] = yaml.safe_load((clone / ".gitlab-ci.yml").read_text())
    default = pipeline["default"]
    python = re.search(r"[:-]python(\d+\.\d+)-", default["image"])
    assert python, default["image"]
    jobs = [
        job
        for job in pipeline.values()
        if isinstance(job, dict) and "script" in job and runs_in(pipeline, job, "push")
    ]
    ran = []
    for stage in pipeline["stages"]:
        for job in jobs:
            if job.get("stage", "test") != stage:
                continue
            variables = {**pipeline.get("variables", {}), **job.get("variables", {})}
            env = {
                "CI": "true",
                "GITLAB_CI": "true",
                **{k: stand_in(str(v), database) for k, v in variables.items()},
                "UV_PYTHON": python.group(1),
                # GitLab's cache of .uv-cache between jobs; here the one cache the tests share.
                "UV_CACHE_DIR": os.environ.get("UV_CACHE_DIR", str(Path.home() / ".cache/uv")),
            }
            for line in [*job.get("before_script", default["before_script"]), *job["script"]]:
                sh(clone, line, env)
                ran.append(line)
    return ran


# The project's own words, as a user types them: one draw per case (each costs a whole CI run).
identity = st.fixed_dictionaries(
    {
        "project_name": text,
        "project_slug": slugs,
        "package_name": packages,
        "description": text,
        "author_name": text,
        "author_email": emails,
    }
)


@pytest.mark.parametrize(("framework", "ci", "answers"), CASES)
@settings(
    max_examples=1,
    deadline=None,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(words=identity)
def test_the_first_commit_passes_its_own_ci(
    framework: str,
    ci: str,
    answers: dict[str, str],
    words: dict[str, str],
    tmp_path: Path,
    database_name: str,
) -> None:
    assume(accepted(framework, words))
    if answers.get("database") == "postgresql":
        require_postgres()
    if answers.get("background_tasks") == "celery":
        require_redis()
    work = Path(tempfile.mkdtemp(dir=tmp_path))  # hypothesis may run the test again
    project = generate(work / "team-app", framework, ci=ci, **words, **answers)
    clone = first_commit_clone(project, work / "checkout")

    ran = run_github(clone, database_name) if ci == "github" else run_gitlab(clone, database_name)

    assert any("uv sync --locked" in line for line in ran)
    assert any("pytest" in line for line in ran) and any("mypy" in line for line in ran)
    if ci == "gitlab":  # the artifacts the tests job reports
        assert (clone / "report.xml").is_file() and (clone / "coverage.xml").is_file()
    # CI changed nothing tracked: the lock it installed from is the one committed.
    assert run(clone, "git", "status", "--porcelain", "--untracked-files=no") == ""
