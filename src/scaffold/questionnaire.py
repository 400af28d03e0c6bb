"""The questions as copier sees them: their conditions, defaults, choices and validators.

copier renders the Jinja in the question files (``when``, ``default``, ``validator``); this
module asks copier's own ``Question`` to do it (through scaffold.copier_private, the one module
that touches copier's internals), question by question, over the answers given
so far, so that scaffold's prompts, its summary and its non-interactive runs compute exactly
what ``copier copy`` would. Nothing is written: the project is rendered later from the final
answers, with copier asking nothing. Imported only by commands that render (it loads copier).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaffold.clones import one_clone_per_version
from scaffold.copier_api import copier_errors
from scaffold.copier_private import CopierQuestion, question_specs, template_worker
from scaffold.errors import AnswerError
from scaffold.source import TemplateSource

_VALIDATION = re.compile(r"Validation error for question '\w+': (.*)", re.DOTALL)


@dataclass(frozen=True)
class Asked:
    """One question as it stands, given the answers before it."""

    name: str
    help: str
    type: str  # "bool", "str", ...
    default: Any
    choices: list[tuple[str, Any]]  # (label, value), in the file's order; [] for free text
    details: str = ""  # the longer explanation `?` shows (scaffold's own key; copier ignores it)


class Questionnaire:
    """copier's questions for one destination, rendered on demand."""

    def __init__(self, worker: Any, starting: dict[str, Any]) -> None:
        self._worker = worker
        self._starting = starting  # where questions start (preset, destination name)
        specs = question_specs(worker)
        self._specs: dict[str, dict[str, Any]] = {
            name: spec
            for name, spec in specs.items()
            if not spec.get("secret") and spec.get("when", True) is not False
        }

    @property
    def names(self) -> list[str]:
        """The questions in the order copier asks them (secret and computed ones left out)."""
        return list(self._specs)

    def _question(
        self, name: str, answers: dict[str, Any], prefer: dict[str, Any]
    ) -> CopierQuestion:
        spec = self._specs[name]
        return CopierQuestion(self._worker, name, spec, answers, {**self._starting, **prefer})

    def applies(self, name: str, answers: dict[str, Any]) -> bool:
        return bool(self._question(name, answers, {}).when())

    def asked(
        self, name: str, answers: dict[str, Any], prefer: dict[str, Any] | None = None
    ) -> Asked:
        """The question with its default rendered over ``answers`` (``prefer`` wins)."""
        question = self._question(name, answers, prefer or {})
        choices = _choices(self._specs[name].get("choices"), question)
        details = str(self._specs[name].get("details") or "").strip()
        return Asked(name, question.help, question.type_name, question.default(), choices, details)

    def error(self, name: str, answers: dict[str, Any], value: Any) -> str | None:
        """What the question's validator says about value, or None when it takes it."""
        try:
            self._question(name, answers, {}).validate(value)
        except ValueError as error:
            match = _VALIDATION.match(str(error))
            return (match[1] if match else str(error)).strip()
        return None

    def check(self, name: str, answers: dict[str, Any], value: Any) -> None:
        message = self.error(name, answers, value)
        if message:
            # Only answers given up front are checked here (a prompt asks again): say how to
            # give another.
            raise AnswerError(f"invalid {name}: {message} Choose another with --data {name}=...")

    def dependents(self, name: str) -> list[str]:
        """The questions whose condition, default or choices use this answer, transitively."""
        found: list[str] = []
        todo = [name]
        while todo:
            current = todo.pop()
            word = re.compile(rf"\b{re.escape(current)}\b")
            for other, spec in self._specs.items():
                if other in found or other == name:
                    continue
                text = " ".join(str(spec.get(k, "")) for k in ("when", "default", "choices"))
                if word.search(text):
                    found.append(other)
                    todo.append(other)
        return [n for n in self._specs if n in found]

    def resolve(self, fixed: dict[str, Any]) -> dict[str, Any]:
        """Every answer without asking: the fixed ones (checked), defaults for the rest."""
        answers: dict[str, Any] = {}
        for name in self.names:
            if not self.applies(name, answers):
                continue
            if name in fixed:
                self.check(name, answers, fixed[name])
                answers[name] = fixed[name]
                continue
            default = self.asked(name, answers).default
            self.check(name, answers, default)
            answers[name] = default
        return answers


def _choices(raw: Any, question: CopierQuestion) -> list[tuple[str, Any]]:
    if isinstance(raw, dict):
        return [(str(label), question.cast(value)) for label, value in raw.items()]
    if isinstance(raw, list):
        return [(str(value), question.cast(value)) for value in raw]
    return []


@contextmanager
def questionnaire(
    source: TemplateSource, dest: Path, starting: dict[str, Any]
) -> Iterator[Questionnaire]:
    """The template's questions for a project at dest (copier reads the template once)."""
    with (
        copier_errors(),
        one_clone_per_version(),
        template_worker(source.url, dest, source.vcs_ref) as worker,
    ):
        yield Questionnaire(worker, starting)
