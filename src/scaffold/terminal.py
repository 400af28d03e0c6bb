"""Drawing one question in the terminal: a list of choices, yes/no, or a line of text.

Texts wrap to the terminal's width, validation messages show while typing and Enter is refused
until the answer passes, yes/no takes y, yes, n, no or Enter only, Ctrl-D cancels like Ctrl-C,
and `?` prints a question's details above it.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from typing import Any

from scaffold.errors import CancelledError
from scaffold.questionnaire import Asked

_YES, _NO = ("y", "yes"), ("n", "no")
_YES_NO_HELP = "Answer y, yes, n or no (Enter takes the default)."


def terminal_width() -> int:
    return shutil.get_terminal_size((80, 24)).columns


def wrapped(text: str, width: int, indent: str = "  ") -> str:
    return "\n".join(textwrap.wrap(text, width=max(width - 1, 20), subsequent_indent=indent))


DETAILS_HINT = "(? shows more)"


def _with_hint(help_text: str, details: str) -> str:
    return f"{help_text} {DETAILS_HINT}" if details else help_text


def _show_details(details: str) -> None:
    """The longer explanation, printed above the prompt, which is drawn again below it."""
    from prompt_toolkit.application import run_in_terminal

    width = max(terminal_width() - 1, 20)
    text = textwrap.fill(
        " ".join(details.split()), width, initial_indent="  ", subsequent_indent="  "
    )
    run_in_terminal(lambda: print(text))


def ask(question: Asked, error: Callable[[Any], str | None]) -> Any:
    """One question: a list of choices, yes/no, or text."""
    if question.choices:
        default = question.default
        while True:
            value = select(question.help, question.choices, default, question.details)
            problem = error(value)
            if not problem:
                return value
            print(wrapped(f"  ! {problem}", terminal_width(), "    "))  # and the question again
            default = value
    if question.type == "bool":
        return _yes_no(question, error)
    return _text(question, error)


def select(message: str, choices: list[tuple[str, Any]], default: Any, details: str = "") -> Any:
    import questionary

    values = [value for _, value in choices]
    prompt = questionary.select(
        wrapped(_with_hint(message, details), terminal_width() - 2),
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
        fragments = [("bold", wrapped(f"? {help_line}", width) + "\n")]
        problem, pending = check(app.current_buffer.text)
        if problem and (tried[0] == app.current_buffer.text or not pending):
            fragments.append(("fg:ansired", wrapped(f"  ! {problem}", width, "    ") + "\n"))
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
