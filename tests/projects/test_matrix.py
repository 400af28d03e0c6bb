"""Every framework over an all-pairs set of its options: each combination generates a project
that passes its own checks (G13), against the real PostgreSQL and Redis where chosen.

The combinations are computed from the question files (tests.matrix), so a new option joins
by itself. Run them spread over workers: `uv run pytest tests/projects/test_matrix.py -n 2`;
the session ends with the matrix and each combination's result and time.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest

from scaffold.catalog import load_catalog
from tests.conftest import FRAMEWORKS
from tests.matrix import (
    RESULT_PROPERTY,
    SURFACE_OPTIONS,
    all_pairs,
    allowed_by,
    code_options,
    describe,
    matrix,
    matrix_options,
    spread,
    uncovered_pairs,
)
from tests.support import REDIS_URL, REPO, generate, postgres_database, require_redis, run_checks

# The options G13 names; the catalog may add more, never fewer.
CONTRACT_OPTIONS = {
    "python_version",
    "database",
    "background_tasks",
    "docker",
    "ci",
    "kubernetes",
    "license",
}
FRAMEWORK_OPTIONS = {"django": {"api"}, "pyramid": {"template_language"}}
MAX_COMBINATIONS = 10


def _combinations() -> list[Any]:
    catalog = load_catalog(REPO)
    return [
        pytest.param(framework, answers, id=f"{framework}-{number:02d}")
        for framework in FRAMEWORKS
        for number, answers in enumerate(matrix(framework, catalog), start=1)
    ]


# --- the matrix itself (fast) -----------------------------------------------------------


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_matrix_covers_every_pair_of_option_values(framework: str) -> None:
    catalog = load_catalog(REPO)
    options = matrix_options(framework)
    rows = matrix(framework)
    expected = CONTRACT_OPTIONS | FRAMEWORK_OPTIONS.get(framework, set())
    assert {name for name, _ in options} >= expected
    assert not uncovered_pairs(code_options(framework), rows, allowed_by(catalog))
    for name, values in options:  # every value of a surface option is checked for real once
        if name in SURFACE_OPTIONS:
            assert {row[name] for row in rows} == set(values), name
    assert all(catalog.clash(row) is None for row in rows)  # the CLI would refuse a clash
    for row in rows:  # each row answers every option with one of its values
        assert row.keys() == {name for name, _ in options}
        assert all(row[name] in values for name, values in options)
    assert len(rows) <= MAX_COMBINATIONS
    assert matrix(framework) == rows, "the matrix must be the same on every run and worker"


def test_uncovered_pairs_finds_a_missing_pair() -> None:
    options = [("a", (1, 2)), ("b", ("x", "y")), ("c", (True, False))]
    rows = all_pairs(options)
    assert not uncovered_pairs(options, rows)
    assert len(rows) == 4  # the optimum for three two-valued options
    assert uncovered_pairs(options, rows[1:])


def test_a_constraint_keeps_its_pairs_out_of_the_matrix() -> None:
    options = [("docker", (True, False)), ("kubernetes", (True, False)), ("ci", ("a", "b"))]

    def allowed(answers: dict[str, Any]) -> bool:
        return not (answers.get("kubernetes") is True and answers.get("docker") is False)

    rows = all_pairs(options, allowed)
    assert all(allowed(row) for row in rows)
    assert not uncovered_pairs(options, rows, allowed)
    assert uncovered_pairs(options, rows) == {(0, False, 1, True)}  # the refused pair only


def test_spread_gives_each_value_a_row_and_keeps_the_constraints() -> None:
    rows = [{"python": n} for n in range(4)]
    options = [("docker", (True, False)), ("kubernetes", (True, False)), ("ci", ("a", "b", "c"))]

    def allowed(answers: dict[str, Any]) -> bool:
        return not (answers.get("kubernetes") is True and answers.get("docker") is False)

    spread_rows = spread(rows, options, allowed)
    assert [row["python"] for row in spread_rows] == [0, 1, 2, 3]
    assert all(allowed(row) for row in spread_rows)
    assert {row["ci"] for row in spread_rows} == {"a", "b", "c"}
    assert {row["kubernetes"] for row in spread_rows} == {True, False}
    assert spread([{"docker": False}], options[1:], allowed) == [
        {"docker": False, "kubernetes": False, "ci": "a"}  # True gives way to the next value
    ]


def test_a_new_option_joins_the_matrix() -> None:
    options = [*matrix_options("fastapi"), ("new_option", ("one", "two", "three"))]
    rows = all_pairs(options)
    assert not uncovered_pairs(options, rows)
    assert {row["new_option"] for row in rows} == {"one", "two", "three"}


# --- each combination, generated and checked (slow) -------------------------------------


@pytest.mark.project
@pytest.mark.parametrize(("framework", "answers"), _combinations())
def test_combination_passes_its_own_checks(
    framework: str,
    answers: dict[str, Any],
    tmp_path: Path,
    request: pytest.FixtureRequest,
    record_property: Any,
) -> None:
    test_id = request.node.callspec.id
    record_property(RESULT_PROPERTY, {"id": test_id, "answers": describe(answers)})
    env: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        if answers.get("background_tasks") == "celery" or answers.get("cache") == "redis":
            require_redis()
            # CI=true: the project's Redis tests (a task on a real worker, the cache) must run,
            # not skip.
            env.update(REDIS_URL=REDIS_URL, CI="true")
        if answers.get("database") == "postgresql":
            env["TEST_DATABASE_URL"] = stack.enter_context(postgres_database())
        project = generate(tmp_path / f"matrix-{test_id}", framework, **answers)
        run_checks(project, env=env)
