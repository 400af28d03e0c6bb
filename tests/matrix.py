"""The option matrix: an all-pairs covering set of answers for each framework.

The options come from the question files (scaffold.catalog), so a new choice or bool question
joins the matrix by itself. Testing every combination would take thousands of projects; every
pair of values of every two options takes a handful per framework, and most option bugs are
interactions of two options (celery with postgresql, a Python version with an API layer, ...).

Pairs are taken among the options that change what the project's own checks read (code,
dependencies, tests). The deployment and paperwork options (SURFACE_OPTIONS) change only files
those checks never open; tests/render/test_render.py holds that for every value at render
level, where the linters of those files also run. In the matrix each of their values still
gets a row, so every value is generated and checked for real at least once.

Also a small pytest plugin (registered by tests/conftest.py) that prints the matrix
with its results at the end of the session and writes it to a file under the pytest tmp dir;
it runs on the xdist controller, fed by the reports the workers send.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any, cast

import pytest

from scaffold.catalog import Catalog, load_catalog
from tests.support import REPO

Option = tuple[str, tuple[Any, ...]]  # question name, its values in the catalog's order
Pair = tuple[int, Any, int, Any]  # option index, value, later option index, value
Allowed = Callable[[dict[str, Any]], bool]  # do these (partial) answers fit the constraints?


def _anything(answers: dict[str, Any]) -> bool:
    return True


def allowed_by(catalog: Catalog) -> Allowed:
    """The catalog's constraints as a test on answers (a clash needs both answers present)."""
    return lambda answers: catalog.clash(answers) is None


# Options whose values change only Dockerfiles, CI and Kubernetes files, the README, the
# LICENSE and pyproject's license line: none of them is read by uv sync, ruff, mypy or pytest.
SURFACE_OPTIONS = frozenset({"docker", "ci", "update_bot", "kubernetes", "license"})

RESULT_PROPERTY = "matrix_combination"
RESULTS_FILE = "matrix-results.txt"


def matrix_options(framework: str, catalog: Catalog | None = None) -> list[Option]:
    """Every question of the framework with a closed set of answers: choices and bools."""
    catalog = catalog or load_catalog(REPO)
    options: list[Option] = []
    for question in catalog.options(framework):
        if question.choices:
            options.append((question.name, tuple(question.choices.values())))
        elif question.type == "bool":
            options.append((question.name, (True, False)))
    return options


def _pairs(options: Sequence[Option], allowed: Allowed = _anything) -> set[Pair]:
    """Every pair of values of two options, less the pairs the constraints refuse."""
    return {
        (i, a, j, b)
        for (i, (name_i, values_i)), (j, (name_j, values_j)) in combinations(enumerate(options), 2)
        for a in values_i
        for b in values_j
        if allowed({name_i: a, name_j: b})
    }


def _covered(row: dict[int, Any]) -> set[Pair]:
    return {(i, row[i], j, row[j]) for i, j in combinations(sorted(row), 2)}


def all_pairs(options: Sequence[Option], allowed: Allowed = _anything) -> list[dict[str, Any]]:
    """A small set of combinations covering every pair of values, always the same one.

    Greedy: each new combination starts from the first pair not yet covered (pairs of the
    options with the most values first, since they bound the size), then gives each other
    option the value that covers the most uncovered pairs with the values already chosen,
    among the values the constraints allow beside them.
    """
    order = sorted(range(len(options)), key=lambda i: -len(options[i][1]))
    uncovered = _pairs(options, allowed)
    rank = {index: position for position, index in enumerate(order)}
    rows: list[dict[str, Any]] = []
    while uncovered:
        i, a, j, b = min(
            uncovered,
            key=lambda p: (
                rank[p[0]] + rank[p[2]],
                options[p[0]][1].index(p[1]),
                options[p[2]][1].index(p[3]),
            ),
        )
        row = {i: a, j: b}
        for k in order:
            if k in row:
                continue
            named = {options[n][0]: v for n, v in row.items()}
            fitting = [v for v in options[k][1] if allowed({**named, options[k][0]: v})]
            if not fitting:
                raise ValueError(f"no value of {options[k][0]} fits {named}")
            gains = [len(_covered({**row, k: value}) & uncovered) for value in fitting]
            row[k] = fitting[gains.index(max(gains))]  # the first value that covers most
        uncovered -= _covered(row)
        rows.append({options[k][0]: row[k] for k in range(len(options))})
    return rows


def uncovered_pairs(
    options: Sequence[Option], rows: Sequence[dict[str, Any]], allowed: Allowed = _anything
) -> set[Pair]:
    """The allowed pairs of values no row has (empty when the rows cover every one)."""
    left = _pairs(options, allowed)
    for row in rows:
        left -= _covered({i: row[name] for i, (name, _) in enumerate(options)})
    return left


def spread(
    rows: Sequence[dict[str, Any]], options: Sequence[Option], allowed: Allowed = _anything
) -> list[dict[str, Any]]:
    """Each row gets a value of each option, in turn, so that every value lands in some row
    when there are rows enough; a value the constraints refuse beside the row gives way to the
    next one."""
    spread_rows = []
    for number, row in enumerate(rows):
        row = dict(row)
        for name, values in options:
            turn = number % len(values)
            fitting = [v for v in values[turn:] + values[:turn] if allowed({**row, name: v})]
            if not fitting:
                raise ValueError(f"no value of {name} fits {row}")
            row[name] = fitting[0]
        spread_rows.append(row)
    return spread_rows


def code_options(framework: str, catalog: Catalog | None = None) -> list[Option]:
    """The options whose pairs the matrix covers: all but the surface ones."""
    return [o for o in matrix_options(framework, catalog) if o[0] not in SURFACE_OPTIONS]


def matrix(framework: str, catalog: Catalog | None = None) -> list[dict[str, Any]]:
    """The combinations for a framework: every pair of values of two code options, every value
    of each surface option somewhere; none of them breaks a constraint of the catalog."""
    catalog = catalog or load_catalog(REPO)
    options = matrix_options(catalog=catalog, framework=framework)
    allowed = allowed_by(catalog)
    rows = all_pairs(code_options(framework, catalog), allowed)
    surface = [option for option in options if option[0] in SURFACE_OPTIONS]
    return [
        {name: row[name] for name, _ in options}  # in the questions' order
        for row in spread(rows, surface, allowed)
    ]


def describe(answers: dict[str, Any]) -> str:
    return " ".join(f"{name}={value}" for name, value in answers.items())


# --- the report plugin -------------------------------------------------------------------


class MatrixReport:
    """Collects each matrix test's answers, outcome and time; prints and saves the table."""

    def __init__(self) -> None:
        self.lines: dict[str, tuple[str, str, float]] = {}  # test id -> (answers, outcome, s)

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        properties = dict(report.user_properties)
        combination = cast("dict[str, Any] | None", properties.get(RESULT_PROPERTY))
        if combination is None:
            return
        test_id, answers = combination["id"], combination["answers"]
        _, outcome, seconds = self.lines.get(test_id, (answers, "passed", 0.0))
        seconds += report.duration
        if report.failed:
            outcome = "FAILED" if report.when == "call" else f"ERROR ({report.when})"
        elif report.skipped and outcome == "passed":
            outcome = "skipped"
        self.lines[test_id] = (answers, outcome, seconds)

    @pytest.hookimpl
    def pytest_terminal_summary(
        self, terminalreporter: Any, exitstatus: int, config: pytest.Config
    ) -> None:
        if not self.lines:
            return
        table = [
            f"{test_id:<12} {outcome:<8} {seconds:7.1f}s  {answers}"
            for test_id, (answers, outcome, seconds) in sorted(self.lines.items())
        ]
        passed = sum(1 for _, outcome, _ in self.lines.values() if outcome == "passed")
        footer = f"{passed}/{len(self.lines)} combinations passed"
        path = self._results_path(config)
        terminalreporter.write_sep("=", "option matrix")
        for line in [*table, footer]:
            terminalreporter.write_line(line)
        if path is not None:
            path.write_text("\n".join([*table, footer]) + "\n")
            terminalreporter.write_line(f"written to {path}")

    @staticmethod
    def _results_path(config: pytest.Config) -> Path | None:
        factory = getattr(config, "_tmp_path_factory", None)
        if factory is None:
            return None
        return Path(factory.getbasetemp()) / RESULTS_FILE


def register_matrix_report(config: pytest.Config) -> None:
    if not config.pluginmanager.has_plugin("scaffold-matrix-report"):
        config.pluginmanager.register(MatrixReport(), "scaffold-matrix-report")
