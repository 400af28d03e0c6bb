"""Every framework renders with every value of every option: nothing left unrendered, the
expected files present, every Python, YAML and TOML file parseable, the README in step with
what `scaffold new` prints.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.licenses import canonicalize_license_expression

from scaffold.catalog import load_catalog
from scaffold.generate import new_project
from scaffold.summary import (
    TEST_COMMAND,
    production_commands,
    run_command,
    service_commands,
    worker_command,
)
from tests.matrix import SURFACE_OPTIONS
from tests.render.rendered import new
from tests.support import REPO

CATALOG = load_catalog(REPO)
# Jinja left behind, outside the project's own page templates; ${{ }} is GitHub Actions syntax.
LEFTOVER = re.compile(r"(?<!\$)\{\{|\{%|\{#")
PAGE_TEMPLATES = {".html", ".jinja2", ".pt", ".jinja"}
# The files a surface option (tests.matrix.SURFACE_OPTIONS) may change, beside pyproject's
# license line: what deploys, documents or licenses the project. uv sync, ruff, mypy and
# pytest read none of them (the build copies README.md into the metadata unread), which is
# why the project matrix need not pair these options.
SURFACE_FILES = re.compile(
    r"\.copier-answers\.yml|README\.md|LICENSE|Dockerfile|\.dockerignore|compose\.yaml"
    r"|\.gitlab-ci\.yml|\.github/.+|k8s/.+"
)
SURFACE_NAMES = (
    "README",
    "LICENSE",
    "Dockerfile",
    "dockerignore",
    "compose.y",
    ".github",
    "gitlab-ci",
    "k8s",
)


def option_sets(framework: str) -> list[dict[str, Any]]:
    """Defaults, then each non-default value of each choice or boolean question once."""
    sets: list[dict[str, Any]] = [{}]
    for question in CATALOG.options(framework):
        values = list(question.choices.values()) or (
            [True, False] if question.type == "bool" else []
        )
        sets += [{question.name: v} for v in values if v != question.default]
    return sets


CASES = [
    pytest.param(
        fw, answers, id=f"{fw}-" + ("-".join(f"{k}={v}" for k, v in answers.items()) or "defaults")
    )
    for fw in CATALOG.frameworks
    for answers in option_sets(fw)
]


def project_files(project: Path) -> dict[str, bytes]:
    """Every file by its path in the project, less the .env and its fresh secret."""
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in project.rglob("*")
        if path.is_file() and path.name != ".env"
    }


@pytest.fixture(scope="session")
def default_files(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict[str, bytes]]:
    """A framework's project with every default answer, rendered once a worker."""
    renders: dict[str, dict[str, bytes]] = {}

    def files(framework: str) -> dict[str, bytes]:
        if framework not in renders:
            made = new_project(
                tmp_path_factory.mktemp(f"defaults-{framework}") / "sample-app",
                framework=framework,
                defaults=True,
                git=False,
                lock=False,
            )
            renders[framework] = project_files(made.path)
        return renders[framework]

    return files


def without_license_line(pyproject: bytes) -> list[str]:
    return [line for line in pyproject.decode().splitlines() if not line.startswith("license =")]


def assert_only_surface_files_differ(files: dict[str, bytes], defaults: dict[str, bytes]) -> None:
    changed = {
        name for name in files.keys() | defaults.keys() if files.get(name) != defaults.get(name)
    }
    if "pyproject.toml" in changed:
        assert without_license_line(files["pyproject.toml"]) == without_license_line(
            defaults["pyproject.toml"]
        ), "a surface option changed pyproject.toml beyond its license"
        license_ = tomllib.loads(files["pyproject.toml"].decode())["project"]["license"]
        canonicalize_license_expression(license_)  # what uv sync's build would refuse
        changed.remove("pyproject.toml")
    assert all(SURFACE_FILES.fullmatch(name) for name in changed), sorted(changed)


@pytest.mark.parametrize("framework", CATALOG.frameworks)
def test_no_python_file_reads_a_surface_file(
    framework: str, default_files: Callable[[str], dict[str, bytes]]
) -> None:
    """What makes a surface option safe to leave out of the pairs: no code or test names one
    of its files (a comment may)."""
    for name, content in default_files(framework).items():
        if not name.endswith(".py"):
            continue
        tokens = tokenize.tokenize(io.BytesIO(content).readline)
        strings = [token.string for token in tokens if token.type == tokenize.STRING]
        named = [s for s in strings for surface in SURFACE_NAMES if surface in s]
        assert not named, f"{name} names {named}"


@pytest.mark.parametrize(("framework", "answers"), CASES)
def test_renders(
    framework: str,
    answers: dict[str, Any],
    tmp_path: Path,
    default_files: Callable[[str], dict[str, bytes]],
) -> None:
    made = new(tmp_path, framework, answers)
    project = made.path
    package = "sample_app"
    files = [p for p in project.rglob("*") if p.is_file()]
    assert (project / "src" / package / "__init__.py").is_file()
    if answers.keys() <= SURFACE_OPTIONS:  # the defaults, or one surface option changed
        assert_only_surface_files_differ(project_files(project), default_files(framework))
    for required in (
        "pyproject.toml",
        "README.md",
        ".gitignore",
        ".env",
        ".env.example",
        ".editorconfig",
        ".pre-commit-config.yaml",
        ".copier-answers.yml",
        "LICENSE",
    ):
        assert (project / required).is_file(), required
    assert not (project / "tests").exists() or any((project / "tests").rglob("test_*.py"))

    # Code for a newer Python may use syntax this interpreter cannot parse (PEP 695 generics).
    version = tuple(int(n) for n in str(made.answers["python_version"]).split("."))
    parseable_here = version <= sys.version_info[:2]
    for path in files:
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(project)
        if path.suffix not in PAGE_TEMPLATES:
            assert not LEFTOVER.search(text), f"unrendered Jinja in {rel}"
        assert "scaffold new" not in text or rel.name in {"README.md"}, rel
        if path.suffix == ".py" and parseable_here:
            compile(text, str(rel), "exec")
        elif path.suffix in {".yml", ".yaml"}:
            list(yaml.safe_load_all(text))
        elif path.suffix == ".toml":
            tomllib.loads(text)
        assert "{{" not in str(rel) and "{%" not in str(rel), rel

    readme = (project / "README.md").read_text()
    assert run_command(framework, package) in readme
    assert TEST_COMMAND in readme
    # The next steps `scaffold new` prints follow the options, and the README says the same.
    printed = [
        *service_commands(made.answers),
        worker_command(made.answers) or TEST_COMMAND,
        *production_commands(
            framework, package, made.answers["database"], made.answers.get("auth", "none")
        ),
    ]
    for command in printed:
        assert command in readme, command
    assert ("createdb" in readme) is (made.answers["database"] == "postgresql")
    assert ("celery -A" in readme) is (made.answers["background_tasks"] == "celery")
    # Each Markdown heading starts a line of its own, after a blank one (outside code blocks).
    prose = re.sub(r"^```.*?^```", "", readme, flags=re.M | re.S)
    glued = [line for line in prose.splitlines() if re.search(r"[^#\s]\s*#{2,6} [A-Z]", line)]
    assert not glued, glued
    assert not re.search(r"[^\n]\n#{1,6} ", prose), "a heading without a blank line before it"

    docker = answers.get("docker", True)
    assert (project / "Dockerfile").is_file() is docker
    assert (project / "compose.yaml").is_file() is docker
    ci = answers.get("ci", "github")
    assert (project / ".github" / "workflows").is_dir() is (ci == "github")
    assert (project / ".gitlab-ci.yml").is_file() is (ci == "gitlab")
    # The update job: on by default with CI, never without it.
    update_bot = answers.get("update_bot", ci != "none") and ci != "none"
    assert made.answers.get("update_bot", False) is update_bot
    github_job = project / ".github" / "workflows" / "update.yml"
    assert github_job.is_file() is (update_bot and ci == "github")
    if ci == "gitlab":
        pipeline = yaml.safe_load((project / ".gitlab-ci.yml").read_text())
        assert ("update" in pipeline) is update_bot
    assert ("### Update pull requests" in readme) is (update_bot and ci == "github")
    assert ("### Update merge requests" in readme) is (update_bot and ci == "gitlab")
