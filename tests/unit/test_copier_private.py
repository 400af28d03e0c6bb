"""copier's internals that scaffold relies on (scaffold.copier_private), exercised with real
copier: when a copier release renames or reshapes one of them, these fail and say which."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from scaffold.catalog import load_catalog
from scaffold.copier_private import (
    QUESTION_FIELDS,
    CopierQuestion,
    question_specs,
    template_config,
    template_worker,
)
from tests.answers import slugs


@pytest.mark.parametrize(
    ("module", "name", "members"),
    [
        ("copier._main", "Worker", ["template", "jinja_env", "_render_context"]),
        ("copier._main", "Worker", ["_external_data", "__enter__", "__exit__"]),
        ("copier._user_data", "Question", ["get_when", "get_default", "get_type_name"]),
        ("copier._user_data", "Question", ["parse_answer", "validate_answer", "cast_answer"]),
        ("copier._user_data", "Question", ["render_value"]),
        ("copier._user_data", "AnswersMap", []),
        ("copier._template", "load_template_config", []),
    ],
)
def test_the_private_names_scaffold_uses_exist(module: str, name: str, members: list[str]) -> None:
    found = getattr(importlib.import_module(module), name, None)
    assert found is not None, f"copier no longer has {module}.{name}"
    for member in members:
        assert hasattr(found, member), f"copier's {name} no longer has {member}"


@pytest.mark.parametrize(
    ("module", "name", "parameters"),
    [
        (
            "copier._user_data",
            "Question",
            {"answers", "context", "jinja_env", "settings", "var_name", *QUESTION_FIELDS},
        ),
        ("copier._user_data", "AnswersMap", {"user", "user_defaults", "metadata", "external"}),
        (
            "copier._main",
            "Worker",
            {"src_path", "dst_path", "vcs_ref", "defaults", "quiet", "settings"},
        ),
    ],
)
def test_the_constructors_take_what_scaffold_passes(
    module: str, name: str, parameters: set[str]
) -> None:
    cls = getattr(importlib.import_module(module), name)
    taken = set(inspect.signature(cls).parameters)
    assert parameters <= taken, f"copier's {name} no longer takes {parameters - taken}"


def test_the_questions_come_in_copier_s_order(mini_template: Path, tmp_path: Path) -> None:
    catalog = [question.name for question in load_catalog(mini_template).questions]
    with template_worker(str(mini_template), tmp_path / "p", "HEAD") as worker:
        assert list(question_specs(worker)) == catalog
    config = template_config(mini_template / "copier.yml")
    assert [key for key in config if not key.startswith("_")] == catalog


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=slugs)
def test_a_question_renders_over_the_answers_so_far(
    mini_template: Path, tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    dest = tmp_path_factory.mktemp("dest") / "folder-name"
    with template_worker(str(mini_template), dest, "HEAD") as worker:
        specs = question_specs(worker)

        def question(
            key: str, answers: dict[str, object], start: dict[str, object]
        ) -> CopierQuestion:
            return CopierQuestion(worker, key, specs[key], answers, start)

        assert question("project_name", {}, {}).default() == "folder-name"  # the Jinja default
        assert question("project_name", {}, {"project_name": name}).default() == name
        slug = question("project_slug", {"framework": "flask", "project_name": name}, {})
        assert slug.default() == name  # a slug is its own slug
        assert slug.help == load_catalog(mini_template).question("project_slug").help

        kubernetes = question("kubernetes", {"docker": False}, {})
        assert (kubernetes.when(), kubernetes.type_name) == (False, "bool")
        assert question("kubernetes", {"docker": True}, {}).when() is True
        assert kubernetes.cast("true") is True
        with pytest.raises(ValueError, match="Validation error for question 'kubernetes'"):
            kubernetes.validate(True)
        kubernetes.validate(False)
