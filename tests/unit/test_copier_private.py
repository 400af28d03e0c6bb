"""copier's internals that scaffold relies on (scaffold.copier_private), exercised with real
copier: when a copier release renames or reshapes one of them, these fail and say which."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from scaffold.catalog import load_catalog
from scaffold.copier_private import (
    PROMPT_IMPORTS,
    QUESTION_FIELDS,
    CopierQuestion,
    _file_mode_setting,
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
        ("copier._vcs", "is_git_bundle", []),
        ("copier._main", "Worker", ["_sync_git_index_executable_bit", "subproject"]),
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


def _imports_from(package: str, roots: set[str]) -> dict[str, set[str]]:
    """module -> names that the package's modules import from modules under roots."""
    found: dict[str, set[str]] = {}
    for path in Path(importlib.util.find_spec(package).origin).parent.rglob("*.py"):  # type: ignore[arg-type,union-attr]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module.split(".")[0] in roots:
                    found.setdefault(node.module, set()).update(a.name for a in node.names)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] in roots:
                        found.setdefault(alias.name, set()).add("*")
    return found


def test_copier_imports_from_its_prompt_libraries_only_what_scaffold_stands_in_for() -> None:
    # A copier release that imports more from them would load them again on every run.
    roots = {module.split(".")[0] for module in PROMPT_IMPORTS} - {"pygments"}
    expected = {m: set(names) for m, names in PROMPT_IMPORTS.items() if m.split(".")[0] in roots}
    assert _imports_from("copier", roots) == expected
    pygments = _imports_from("copier", {"pygments"})
    assert pygments == {"pygments.lexers.data": set(PROMPT_IMPORTS["pygments.lexers.data"])}


def test_loading_copier_leaves_the_prompt_libraries_unloaded() -> None:
    probe = (
        "import sys\n"
        "from scaffold.copier_private import load_copier\n"
        "copier = load_copier()\n"
        "import copier._user_data, copier._template\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'questionary', 'prompt_toolkit'} or m.startswith('pygments.lexers')))\n"
        "print(copier.run_copy.__module__)\n"
        # The stand-ins are gone: an import of the library gets the real one.
        "import questionary\n"
        "print(questionary.__file__ is not None)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["[]", "copier._main", "True"]


def test_copier_s_choice_reads_like_questionary_s() -> None:
    from questionary.prompts.common import Choice

    from scaffold.copier_private import _Choice

    for args, kwargs in [(("a", "b"), {"disabled": ""}), (("a",), {}), (("a", None), {})]:
        ours, theirs = _Choice(*args, **kwargs), Choice(*args, **kwargs)
        assert (ours.title, ours.value, ours.disabled) == (
            theirs.title,
            theirs.value,
            theirs.disabled,
        )


def test_file_mode_is_asked_the_way_copier_asks_it(tmp_path: Path) -> None:
    from copier._main import Worker

    source = inspect.getsource(Worker._sync_git_index_executable_bit)
    assert '"config", "--type=bool", "--get", "core.fileMode"' in source
    assert "subproject.local_abspath" in source
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "config", "core.fileMode", "no"], check=True)
    assert _file_mode_setting(tmp_path) == "false"  # normalised, as copier reads it
    assert _file_mode_setting(tmp_path / "missing") == ""
