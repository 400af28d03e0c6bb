"""Any answers the validators accept render a project whose files parse, whose text answers read
back as they were typed, and which ruff passes (contract C9): names with quotes, backslashes,
braces, Markdown and HTML in them, non-ASCII text, values at the length limits."""

from __future__ import annotations

import ast
import html
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from scaffold.catalog import load_catalog
from scaffold.generate import new_project
from tests.answers import accepted, emails, packages, slugs, text
from tests.support import REPO

CATALOG = load_catalog(REPO)
RUFF = [sys.executable, "-m", "ruff"]
HERE = f"{sys.version_info.major}.{sys.version_info.minor}"  # compile() can read this one


def options(framework: str) -> st.SearchStrategy[dict[str, Any]]:
    """One value for each choice and yes/no question of the framework."""
    drawn: dict[str, st.SearchStrategy[Any]] = {}
    for question in CATALOG.options(framework):
        if question.name == "python_version":
            continue
        if question.choices:
            drawn[question.name] = st.sampled_from(list(question.choices.values()))
        elif question.type == "bool":
            drawn[question.name] = st.booleans()
    return st.fixed_dictionaries(drawn)


def markdown_text(tokens: list[Any]) -> str:
    """The plain text of one inline token; anything but text means the Markdown was read."""
    kinds = {child.type for child in tokens}
    assert kinds <= {"text"}, kinds
    return "".join(child.content for child in tokens)


def check_files(project: Path) -> None:
    for path in project.rglob("*"):
        if not path.is_file() or ".git" in path.parts:
            continue
        content = path.read_text(encoding="utf-8")
        if path.suffix == ".toml":
            tomllib.loads(content)
        elif path.suffix in {".yml", ".yaml"}:
            list(yaml.safe_load_all(content))
        elif path.suffix == ".json":
            json.loads(content)
        elif path.suffix == ".py":
            compile(content, str(path), "exec")


def check_round_trips(
    project: Path, framework: str, answers: dict[str, Any], chosen: dict[str, Any]
) -> None:
    name, description = answers["project_name"], answers["description"]
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert pyproject["description"] == description
    assert pyproject["authors"] == [
        {"name": answers["author_name"], "email": answers["author_email"]}
    ]

    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert {key: recorded[key] for key in answers} == answers

    tokens = MarkdownIt().parse((project / "README.md").read_text(encoding="utf-8"))
    assert tokens[0].type == "heading_open"
    assert markdown_text(tokens[1].children or []) == name.strip()
    if description.strip():
        assert tokens[3].type == "paragraph_open"
        assert markdown_text(tokens[4].children or []) == description.strip()

    package = project / "src" / answers["package_name"]
    if framework != "pyramid":  # Pyramid's package docstring says what its module does
        docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text()), clean=False)
        assert " ".join((docstring or "").split()) == " ".join(f"{name}: {description}".split())
    for page in package.glob("templates/base.html"):
        title = re.search(
            r"\{% block title %\}(.*)\{% endblock %\}", page.read_text(encoding="utf-8")
        )
        assert title is not None
        assert "{" not in title[1]
        assert html.unescape(title[1]) == name
    api = {"fastapi": ("app.py", "FastAPI"), "django": ("api.py", "ProblemsNinjaAPI")}.get(
        framework
    )
    if api and (framework == "fastapi" or chosen.get("api") == "ninja"):
        module, call = api
        found = {
            keyword.arg: ast.literal_eval(keyword.value)
            for node in ast.walk(ast.parse((package / module).read_text()))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == call
            for keyword in node.keywords
            if keyword.arg in {"title", "description"}
        }
        assert found["title"] == name
        assert found.get("description", description) == description
    if framework == "django" and chosen.get("api") == "drf":
        settings = ast.parse((package / "settings" / "base.py").read_text())
        spectacular = next(
            ast.literal_eval(node.value)
            for node in settings.body
            if isinstance(node, ast.Assign)
            and getattr(node.targets[0], "id", None) == "SPECTACULAR_SETTINGS"
        )
        assert spectacular["TITLE"] == name


def check_ruff(project: Path) -> None:
    for command in (["check", "--no-fix", "--output-format", "concise"], ["format", "--check"]):
        result = subprocess.run(
            [*RUFF, *command, "--no-cache", "."],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"ruff {command[0]}:\n{result.stdout[-5000:]}"


@pytest.mark.parametrize("framework", sorted(CATALOG.frameworks))
def test_any_accepted_answers_make_a_clean_project(framework: str) -> None:
    @settings(
        max_examples=12,
        deadline=None,
        # Each example renders a project: shrinking a failure would take many minutes, and the
        # example as found is readable enough.
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(
        name=text,
        slug=slugs,
        package=packages,
        description=text,
        author=text,
        email=emails,
        chosen=options(framework),
    )
    def render(
        name: str,
        slug: str,
        package: str,
        description: str,
        author: str,
        email: str,
        chosen: dict[str, Any],
    ) -> None:
        answers = {
            "project_name": name,
            "project_slug": slug,
            "package_name": package,
            "description": description,
            "author_name": author,
            "author_email": email,
        }
        assume(accepted(framework, answers))
        assume(CATALOG.clash(chosen) is None)  # options that clash are refused up front
        python = HERE if HERE in CATALOG.question("python_version").choices.values() else None
        with TemporaryDirectory() as tmp:
            project = new_project(
                Path(tmp) / "project",
                framework=framework,
                answers={**answers, **chosen, **({"python_version": python} if python else {})},
                defaults=True,
                git=False,
                lock=False,
            ).path
            check_files(project)
            check_round_trips(project, framework, answers, chosen)
            check_ruff(project)

    render()
