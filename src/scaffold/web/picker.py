"""The page's choice, checked as the CLI checks --data and resolved as `scaffold new
--defaults` resolves it: question by question, over copier's own conditions, defaults and
validators (scaffold.questionnaire), so that the page can never disagree with the command.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from scaffold.catalog import Catalog, coerce_answer, shown
from scaffold.errors import AnswerError, UsageError
from scaffold.questionnaire import Questionnaire

DEFAULT_DEST = "my-project"  # what the CLI offers when it asks for the folder
ALWAYS_GIVEN = ("python_version",)  # its default is the running Python: not the same everywhere


@dataclass(frozen=True)
class Choice:
    """What the page asks for: a framework, the folder's name and the answers given so far."""

    framework: str
    dest: str
    answers: dict[str, Any]  # coerced to each question's type, as --data coerces them


@dataclass(frozen=True)
class Field:
    """One question as it stands for the current answers."""

    name: str
    value: Any
    default: Any
    error: str | None  # the validator's message, as the prompt shows it


@dataclass(frozen=True)
class Resolved:
    fields: list[Field]  # the questions that apply, in the order copier asks them
    clash: str | None  # the first option constraint the answers break
    data: dict[str, str]  # the --data answers that reproduce the project (framework left out)
    command: str

    @property
    def answers(self) -> dict[str, Any]:
        return {f.name: f.value for f in self.fields}

    @property
    def problem(self) -> str | None:
        """The line `scaffold new` would stop with for these answers, or None."""
        for field in self.fields:
            if field.error:
                how = f"Choose another with --data {field.name}=..."
                return f"invalid {field.name}: {field.error} {how}"
        return self.clash


def parse_choice(body: Any, catalog: Catalog) -> Choice:
    """The page's JSON body, refused with the CLI's own lines where the CLI has one."""
    if not isinstance(body, dict):
        raise UsageError("expected a JSON object with framework, dest and answers")
    unknown = sorted(set(body) - {"framework", "dest", "answers"})
    if unknown:
        raise UsageError(f"unknown field {unknown[0]!r}; expected framework, dest and answers")
    framework = body.get("framework")
    if not isinstance(framework, str):
        raise UsageError("framework must be text: django, fastapi, flask or pyramid")
    catalog.check_framework(framework)
    dest = check_dest(body.get("dest", DEFAULT_DEST))
    raw = body.get("answers", {})
    if not isinstance(raw, dict):
        raise UsageError("answers must be an object of KEY: VALUE")
    answers = {str(key): _coerced(catalog, str(key), value) for key, value in raw.items()}
    answers.pop("framework", None)
    catalog.check_answers(framework, answers)
    return Choice(framework, dest, answers)


def _coerced(catalog: Catalog, key: str, value: Any) -> Any:
    try:
        question = catalog.question(key)
    except KeyError:
        raise AnswerError(f"unknown answer key {key!r}") from None
    if question.hidden:  # the secret key is made fresh for each project, never chosen
        raise AnswerError(f"unknown answer key {key!r}")
    return coerce_answer(question, value)


def check_dest(dest: Any) -> str:
    """The folder's name: one plain path component (the page makes no directories)."""
    if not isinstance(dest, str) or not dest.strip():
        raise UsageError("give the destination folder's name")
    name = dest.strip()
    path = PurePosixPath(name)
    if len(path.parts) != 1 or name in {".", ".."} or "\\" in name or len(name) > 100:
        raise UsageError(f"the destination {name!r} must be one folder name, not a path")
    return name


def resolve(questions: Questionnaire, catalog: Catalog, choice: Choice) -> Resolved:
    """Every answer for this choice: the given ones checked, defaults for the rest.

    As Questionnaire.resolve, but every validator's message is kept instead of stopping at
    the first, so the page can show each beside its question.
    """
    answers: dict[str, Any] = {"framework": choice.framework}
    fields: list[Field] = []
    data: dict[str, str] = {}
    for name in questions.names:
        if name == "framework" or not questions.applies(name, answers):
            continue
        default = questions.asked(name, answers).default
        value = choice.answers.get(name, default)
        error = questions.error(name, answers, value)  # over the answers before it, as copier
        answers[name] = value
        fields.append(Field(name, value, default, error))
        if value != default or name in ALWAYS_GIVEN:
            data[name] = shown(value)
    return Resolved(fields, catalog.clash(answers), data, command_line(choice, data))


def command_line(choice: Choice, data: dict[str, str]) -> str:
    """`scaffold new` with the answers that differ from what it would work out itself.

    Each default depends only on the answers before it, so leaving out an answer equal to its
    default makes the command compute the same one (--defaults asks nothing).
    """
    words = ["scaffold", "new", choice.framework, choice.dest, "--defaults"]
    for key, value in data.items():
        words += ["--data", f"{key}={value}"]
    return shlex.join(words)


def starting_answers(catalog: Catalog, dest: str) -> dict[str, Any]:
    """Where `scaffold new` starts: the folder's name and the Python it runs on."""
    from scaffold.generate import _running_python

    return {"project_name": dest, **_running_python(catalog)}
