"""Every package a project depends on, for every option, is refused as its package name and its
distribution name: the validators' list (templates/_shared/questions/names.jinja) must keep up
with the templates' pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest

from scaffold.catalog import load_catalog
from tests.support import REPO
from tests.templating import render_file, validator_error

CATALOG = load_catalog(REPO)
# Every option that adds dependencies, on; the alternatives that replace each other, in turn.
ALL_ON = {
    "database": "postgresql",
    "background_tasks": "celery",
    "tracing": "opentelemetry",
    "cache": "redis",
    "auth": "users",
    "kubernetes": True,
}
VARIANTS: dict[str, list[dict[str, Any]]] = {
    "django": [{"api": "drf"}, {"api": "ninja"}],
    "fastapi": [{}],
    "flask": [{}],
    "pyramid": [{"template_language": "jinja2"}, {"template_language": "chameleon"}],
}
# Distributions whose import name is not their name with hyphens as underscores.
IMPORT_NAMES = {
    "argon2_cffi": "argon2",
    "beautifulsoup4": "bs4",
    "django_cors_headers": "corsheaders",
    "django_ninja": "ninja",
    "djangorestframework": "rest_framework",
    "psycopg_binary": "psycopg",
    "python_dateutil": "dateutil",
    "python_dotenv": "dotenv",
    "pyyaml": "yaml",
    "zope_sqlalchemy": "zope",
}


def answers(framework: str, options: dict[str, Any]) -> dict[str, Any]:
    defaults = {
        q.name: q.default
        for q in CATALOG.options(framework)
        if not str(q.default).startswith("{{") and q.default is not None
    }
    return {
        **defaults,
        "framework": framework,
        "project_name": "Probe",
        "project_slug": "probe",
        "package_name": "probe",
        "description": "Probe.",
        **ALL_ON,
        **options,
    }


def dependencies(framework: str, options: dict[str, Any]) -> list[str]:
    """The distribution names in the rendered pyproject.toml, normalized (PEP 503)."""
    pyproject = tomllib.loads(
        render_file(f"templates/{framework}/pyproject.toml.jinja", answers(framework, options))
    )
    requirements = pyproject["project"]["dependencies"] + pyproject["dependency-groups"]["dev"]
    names = (re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0] for requirement in requirements)
    return [re.sub(r"[-_.]+", "-", name).lower() for name in names]


DEPENDENCIES = {
    (framework, dist)
    for framework, variants in VARIANTS.items()
    for options in variants
    for dist in dependencies(framework, options)
}


def test_every_option_is_covered() -> None:
    option_names = {q.name for fw in VARIANTS for q in CATALOG.options(fw) if q.choices}
    assert {"database", "background_tasks", "tracing", "api", "template_language"} <= option_names
    assert {dist for _, dist in DEPENDENCIES} >= {
        "psycopg",
        "celery",
        "redis",
        "djangorestframework",
        "django-ninja",
        "pyramid-chameleon",
        "pyramid-jinja2",
        "opentelemetry-sdk",
        "opentelemetry-instrumentation-django",
        "opentelemetry-instrumentation-fastapi",
        "opentelemetry-instrumentation-flask",
        "opentelemetry-instrumentation-pyramid",
        "argon2-cffi",
        "flask-login",
    }


@pytest.mark.parametrize(("framework", "dist"), sorted(DEPENDENCIES))
def test_dependency_names_are_refused(framework: str, dist: str) -> None:
    module = dist.replace("-", "_")
    slug_error = validator_error("project_slug", dist, framework=framework)
    assert "installs" in slug_error, f"{dist} is not refused as a slug for {framework}"
    for name in {module, IMPORT_NAMES.get(module, module)}:
        package_error = validator_error("package_name", name, framework=framework)
        # Names past the package name's length (opentelemetry_instrumentation_...) are refused
        # for that first.
        refused = "would shadow" in package_error or "characters or fewer" in package_error
        assert refused, f"{name} is not refused for {framework}"
