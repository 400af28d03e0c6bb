"""Asking the questions, then a summary of every answer before anything is written.

The questions, their defaults and their validators come from the question files through
copier (scaffold.questionnaire); scaffold.terminal draws each one. This module holds the flow:
the preset first, the questions left open in order, constraints checked as answers come, and
the summary where any answer can be changed.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from typing import Any

from scaffold.catalog import Catalog, shown
from scaffold.errors import CancelledError, MissingToolError
from scaffold.presets import Preset
from scaffold.questionnaire import Questionnaire
from scaffold.terminal import ask, select, terminal_width

CREATE, CHANGE, CANCEL = "create", "change", "cancel"
_ACTIONS = [
    ("Create the project", CREATE),
    ("Change an answer", CHANGE),
    ("Cancel: write nothing", CANCEL),
]
EVERY_QUESTION = "Answer every question"
NO_TERMINAL = "no terminal to ask the questions in; pass --defaults or answer with --data"


def collect_answers(
    questions: Questionnaire,
    catalog: Catalog,
    fixed: dict[str, Any],
    *,
    preset: dict[str, Any] | None = None,
    presets: dict[str, Preset] | None = None,
    accept: bool = False,
    echo: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Ask what ``fixed`` leaves open, then show the summary until the user creates or cancels.

    A preset (``preset``, or one picked first from ``presets``) fills in its answers: they are
    not asked, and the summary can change them. Nothing asked (every answer given) means no
    summary; ``accept`` (--yes) shows it and goes on.
    """
    filled = dict(preset or {})
    offered = preset is None and _worth_offering(questions, presets or {}, fixed)
    if offered:
        if not sys.stdin.isatty():
            raise MissingToolError(NO_TERMINAL)
        filled = _pick_preset(presets or {})
    answers, asked = _ask_open(questions, catalog, fixed, filled, {}, {})
    catalog.check_answers(str(answers["framework"]), fixed)
    if not asked and not offered:
        return answers
    while True:
        catalog.check_constraints({**answers, **fixed})
        echo(summary(answers))
        if accept:
            return answers
        action = select("What next?", _ACTIONS, CREATE)
        if action == CREATE:
            return answers
        if action == CANCEL:
            raise CancelledError("cancelled; nothing was written")
        name = select("Which answer?", _answer_choices(answers), next(iter(answers)))
        fixed = {key: value for key, value in fixed.items() if key != name}
        prefer = {name: answers[name]}
        for key in [name, *questions.dependents(name)]:
            if key in filled:  # asked now, starting from the preset's answer
                prefer.setdefault(key, filled.pop(key))
            if key not in fixed:
                answers.pop(key, None)
        answers, _ = _ask_open(questions, catalog, fixed, filled, answers, prefer)
        catalog.check_answers(str(answers["framework"]), fixed)


def _worth_offering(
    questions: Questionnaire, presets: dict[str, Preset], fixed: dict[str, Any]
) -> bool:
    """Whether a preset could settle a question the command line leaves open (one that
    applies: with --data docker=false, a preset's kubernetes answer settles nothing)."""
    return any(
        key not in fixed and questions.applies(key, {**preset.answers, **fixed})
        for preset in presets.values()
        for key in preset.answers
    )


def _pick_preset(presets: dict[str, Preset]) -> dict[str, Any]:
    """The first question: which preset fills in the answers, or none (every question asked)."""
    pad = max(len(name) for name in presets) + 2
    room = max(terminal_width() - pad - 4, 20)  # " » " before the label, the last column free
    choices: list[tuple[str, Any]] = [(EVERY_QUESTION, "")]  # no preset: every question
    choices += [
        (f"{name + ':':<{pad}}{textwrap.shorten(preset.help, room)}", name)
        for name, preset in presets.items()
    ]
    message = "Start from a preset? It fills in its answers; the summary can change any of them."
    chosen = select(message, choices, "")
    return dict(presets[chosen].answers) if chosen else {}


def _ask_open(
    questions: Questionnaire,
    catalog: Catalog,
    fixed: dict[str, Any],
    filled: dict[str, Any],
    answered: dict[str, Any],
    prefer: dict[str, Any],
) -> tuple[dict[str, Any], bool]:
    """Go through the questions in order: keep answers given or filled in, ask the others
    that apply. A preset's answer that does not fit (it clashes with a --data answer, say) is
    asked, starting from it, so the reason shows at the prompt."""
    answers: dict[str, Any] = {}
    asked = False
    for name in questions.names:
        if not questions.applies(name, answers):
            continue
        so_far = dict(answers)
        error = _checker(questions, catalog, fixed, name, so_far)
        if name in answered:
            answers[name] = answered[name]
        elif name in fixed:
            questions.check(name, answers, fixed[name])
            answers[name] = fixed[name]
        elif name in filled and not error(filled[name]):
            answers[name] = filled[name]
        else:
            if not sys.stdin.isatty():
                raise MissingToolError(NO_TERMINAL)
            start = {**prefer, name: filled[name]} if name in filled else prefer
            answers[name] = ask(questions.asked(name, so_far, start), error)
            asked = True
    return answers, asked


def _checker(
    questions: Questionnaire,
    catalog: Catalog,
    fixed: dict[str, Any],
    name: str,
    so_far: dict[str, Any],
) -> Callable[[Any], str | None]:
    """The question's own validator, then the constraints: an answer that clashes with one
    given on the command line (which no prompt asks again) is refused here, with the reason,
    rather than after the last question."""

    def error(value: Any) -> str | None:
        found = questions.error(name, so_far, value)
        if found:
            return found
        answers = {**fixed, **so_far, name: value}
        broken = catalog.broken(answers)
        if broken is None:
            return None
        given = [f"{key}={shown(fixed[key])}" for key in broken.names if key in fixed]
        where = f" ({', '.join(given)} given on the command line)" if given else ""
        return f"{broken.clash(answers)}{where}"

    return error


def summary(answers: dict[str, Any]) -> str:
    width = terminal_width()
    pad = max(len(name) for name in answers) + 2
    lines = ["", "Summary of your answers:"]
    for name, value in answers.items():
        shown = _shown(value)
        lines += textwrap.wrap(
            shown,
            width=max(width - 2, pad + 20),
            initial_indent=f"  {name:<{pad}}",
            subsequent_indent=" " * (pad + 2),
        ) or [f"  {name}"]
    return "\n".join(lines)


def _answer_choices(answers: dict[str, Any]) -> list[tuple[str, Any]]:
    pad = max(len(name) for name in answers) + 2
    room = max(terminal_width() - pad - 8, 10)
    return [
        (f"{name:<{pad}}{textwrap.shorten(_shown(v), room)}", name) for name, v in answers.items()
    ]


def _shown(value: Any) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)
