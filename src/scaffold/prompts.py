"""Asking the questions in a terminal, then a summary of every answer before anything is written.

The questions, their defaults and their validators come from the question files through
copier (scaffold.questionnaire); this module only draws them. Texts wrap to the terminal's
width, validation messages show while typing and Enter is refused until the answer passes,
yes/no takes y, yes, n, no or Enter only, and Ctrl-D cancels like Ctrl-C.
"""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Callable
from typing import Any

from scaffold.catalog import Catalog, shown
from scaffold.errors import CancelledError, MissingToolError
from scaffold.presets import Preset
from scaffold.questionnaire import Asked, Questionnaire

_YES, _NO = ("y", "yes"), ("n", "no")
_YES_NO_HELP = "Answer y, yes, n or no (Enter takes the default)."
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
        action = _select("What next?", _ACTIONS, CREATE)
        if action == CREATE:
            return answers
        if action == CANCEL:
            raise CancelledError("cancelled; nothing was written")
        name = _select("Which answer?", _answer_choices(answers), next(iter(answers)))
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
    room = max(_width() - pad - 6, 20)
    choices: list[tuple[str, Any]] = [(EVERY_QUESTION, "")]  # no preset: every question
    choices += [
        (f"{name + ':':<{pad}}{textwrap.shorten(preset.help, room)}", name)
        for name, preset in presets.items()
    ]
    message = "Start from a preset? It fills in its answers; the summary can change any of them."
    chosen = _select(message, choices, "")
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
    that apply."""
    answers: dict[str, Any] = {}
    asked = False
    for name in questions.names:
        if not questions.applies(name, answers):
            continue
        if name in answered:
            answers[name] = answered[name]
        elif name in fixed or name in filled:
            value = fixed[name] if name in fixed else filled[name]
            questions.check(name, answers, value)
            answers[name] = value
        else:
            if not sys.stdin.isatty():
                raise MissingToolError(NO_TERMINAL)
            so_far = dict(answers)
            answers[name] = ask(
                questions.asked(name, so_far, prefer),
                _checker(questions, catalog, fixed, name, so_far),
            )
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
    width = _width()
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
    room = max(_width() - pad - 8, 10)
    return [
        (f"{name:<{pad}}{textwrap.shorten(_shown(v), room)}", name) for name, v in answers.items()
    ]


def _shown(value: Any) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def _width() -> int:
    return shutil.get_terminal_size((80, 24)).columns


def _wrapped(text: str, width: int, indent: str = "  ") -> str:
    return "\n".join(textwrap.wrap(text, width=max(width - 1, 20), subsequent_indent=indent))


DETAILS_HINT = "(? shows more)"


def _with_hint(help_text: str, details: str) -> str:
    return f"{help_text} {DETAILS_HINT}" if details else help_text


def _show_details(details: str) -> None:
    """The longer explanation, printed above the prompt, which is drawn again below it."""
    from prompt_toolkit.application import run_in_terminal

    width = max(_width() - 1, 20)
    text = textwrap.fill(
        " ".join(details.split()), width, initial_indent="  ", subsequent_indent="  "
    )
    run_in_terminal(lambda: print(text))


def ask(question: Asked, error: Callable[[Any], str | None]) -> Any:
    """One question: a list of choices, yes/no, or text."""
    if question.choices:
        default = question.default
        while True:
            value = _select(question.help, question.choices, default, question.details)
            problem = error(value)
            if not problem:
                return value
            print(_wrapped(f"  ! {problem}", _width(), "    "))  # and the question again
            default = value
    if question.type == "bool":
        return _yes_no(question, error)
    return _text(question, error)


def _select(message: str, choices: list[tuple[str, Any]], default: Any, details: str = "") -> Any:
    import questionary

    values = [value for _, value in choices]
    prompt = questionary.select(
        _wrapped(_with_hint(message, details), _width() - 2),
        choices=[questionary.Choice(title=label, value=value) for label, value in choices],
        default=default if default in values else None,
        qmark="?",
        instruction=" ",
    )

    def cancel(event: Any) -> None:
        event.app.exit(exception=EOFError)

    keys = prompt.application.key_bindings
    keys.add("c-d", eager=True)(cancel)  # type: ignore[union-attr]
    if details:
        keys.add("?", eager=True)(lambda event: _show_details(details))  # type: ignore[union-attr]

    try:
        return prompt.unsafe_ask()
    except EOFError:
        raise CancelledError("cancelled; nothing was written") from None


def _yes_no(question: Asked, error: Callable[[Any], str | None]) -> bool:
    hint = "[Y/n]" if question.default else "[y/N]"

    def check(text: str) -> tuple[str | None, bool]:
        word = text.strip().lower()
        if word in ("", *_YES, *_NO):
            return error(question.default if not word else word in _YES), False
        partial = any(choice.startswith(word) for choice in (*_YES, *_NO))
        return _YES_NO_HELP, partial  # a word on its way to yes or no is not shown as wrong yet

    word = _line(question, f"{question.name} {hint}", "", check).strip().lower()
    return bool(question.default) if not word else word in _YES


def _text(question: Asked, error: Callable[[Any], str | None]) -> str:
    default = "" if question.default is None else str(question.default)
    return _line(question, question.name, default, lambda text: (error(text), False))


def _line(
    question: Asked,
    label: str,
    default: str,
    check: Callable[[str], tuple[str | None, bool]],
) -> str:
    """A one-line answer under the wrapped help; the validator's message shows live."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.application import get_app
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.key_binding import KeyBindings

    tried: list[str | None] = [None]  # the text Enter was refused on

    def message() -> FormattedText:
        app = get_app()
        width = app.output.get_size().columns
        help_line = _with_hint(question.help, question.details)
        fragments = [("bold", _wrapped(f"? {help_line}", width) + "\n")]
        problem, pending = check(app.current_buffer.text)
        if problem and (tried[0] == app.current_buffer.text or not pending):
            fragments.append(("fg:ansired", _wrapped(f"  ! {problem}", width, "    ") + "\n"))
        fragments.append(("", f"  {label}: "))
        return FormattedText(fragments)

    keys = KeyBindings()

    @keys.add("enter", eager=True)
    def _(event: Any) -> None:
        buffer = event.current_buffer
        if check(buffer.text)[0]:
            tried[0] = buffer.text  # refused: the message shows, and Enter moves nowhere
            return
        buffer.validate_and_handle()

    shown = [False]  # whether `?` has shown the details at this text prompt

    @keys.add("?", eager=True)
    def _(event: Any) -> None:
        buffer = event.current_buffer
        # A yes/no answer has no use for `?`. In text, the first `?` on an answer not yet
        # typed shows the details; after that, or within typed text, it is a character.
        untouched = buffer.text in ("", default) and not shown[0]
        if question.details and (question.type == "bool" or untouched):
            shown[0] = True
            _show_details(question.details)
        else:
            buffer.insert_text("?")

    @keys.add("c-d", eager=True)
    def _(event: Any) -> None:
        buffer = event.current_buffer
        if buffer.cursor_position < len(buffer.text):
            buffer.delete()  # Ctrl-D inside the text deletes, as in a shell
            return
        event.app.exit(exception=EOFError)

    session: PromptSession[str] = PromptSession(message, key_bindings=keys)
    try:
        return session.prompt(default=default)
    except EOFError:
        raise CancelledError("cancelled; nothing was written") from None
