"""What the templates offer: the frameworks and the questions each one asks.

Read from the question files themselves, in the order copier.yml includes them, so that the
CLI's list, its answer checks and copier's prompts can never disagree, in content or order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scaffold.errors import AnswerError, TemplateSourceError, UsageError

CONFIG_FILE = "copier.yml"
_FRAMEWORK_CONDITION = re.compile(r"framework\s*==\s*['\"](\w+)['\"]")


@dataclass(frozen=True)
class Question:
    name: str
    help: str
    type: str
    default: Any
    choices: dict[str, Any] = field(default_factory=dict)  # label -> value
    frameworks: frozenset[str] | None = None  # None: asked for every framework
    hidden: bool = False  # never asked (secret or computed)
    when: Any = True  # copier's condition, as written (Jinja text, or a bool)
    details: str = ""  # the longer help `?` shows at the prompt (scaffold's own key)

    def applies_to(self, framework: str) -> bool:
        return self.frameworks is None or framework in self.frameworks


@dataclass(frozen=True)
class Constraint:
    """An answer that needs others: ``kubernetes: true`` needs ``docker: true``.

    Written beside the question in its file (``needs:``), so that copier ignores it and every
    entry point of scaffold (prompts, --data, data files, presets, update) checks the same rule.
    A list names the answers that do: ``update_bot: true`` needs ``ci`` in ``[github, gitlab]``.
    """

    question: str
    answer: Any
    needs: dict[str, Any]
    because: str

    @property
    def names(self) -> list[str]:
        """The answers this constraint ties together."""
        return [self.question, *self.needs]

    def clash(self, answers: dict[str, Any]) -> str | None:
        """One line naming the answers that clash, or None (also when one is not known yet)."""
        if self.question not in answers or answers[self.question] != self.answer:
            return None
        for key, wanted in self.needs.items():
            allowed = wanted if isinstance(wanted, list) else [wanted]
            if key in answers and answers[key] not in allowed:
                fits = " or ".join(f"{key}={shown(value)}" for value in allowed)
                return (
                    f"{self.question}={shown(self.answer)} needs {fits}, "
                    f"not {key}={shown(answers[key])}: {self.because}"
                )
        return None


def shown(value: Any) -> str:
    """An answer as --data takes it (true, false, text)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


@dataclass(frozen=True)
class Catalog:
    questions: tuple[Question, ...]
    constraints: tuple[Constraint, ...] = ()

    @property
    def frameworks(self) -> dict[str, str]:
        """Framework name -> the label shown at the prompt."""
        question = self.question("framework")
        return {value: label for label, value in question.choices.items()}

    def question(self, name: str) -> Question:
        for question in self.questions:
            if question.name == name:
                return question
        raise KeyError(name)

    def options(self, framework: str) -> list[Question]:
        """The questions a project of this framework is asked, after the framework itself."""
        return [
            q
            for q in self.questions
            if q.name != "framework" and not q.hidden and q.applies_to(framework)
        ]

    def check_framework(self, framework: str) -> None:
        if framework not in self.frameworks:
            known = ", ".join(sorted(self.frameworks))
            raise UsageError(f"unknown framework {framework!r}; choose one of: {known}")

    def check_answers(
        self, framework: str | None, answers: dict[str, Any], *, ignore_unasked: bool = False
    ) -> None:
        """Refuse answers to questions that do not exist or do not apply to this framework.

        With ``ignore_unasked`` (a preset made for every framework), an answer to a question
        this framework does not ask is let through: it is simply never used.
        """
        known = {q.name for q in self.questions if not q.hidden}
        names = {
            q.name
            for q in self.questions
            if (framework is None or q.applies_to(framework)) and not q.hidden
        }
        for key, value in answers.items():
            if ignore_unasked and key in known - names:
                continue
            if key not in names:
                raise AnswerError(f"unknown answer key {key!r} for {framework or 'any framework'}")
            question = self.question(key)
            allowed = list(question.choices.values())
            if allowed and value not in allowed:
                choices = ", ".join(str(v) for v in allowed)
                raise AnswerError(f"invalid answer {key}={value!r}; choose one of: {choices}")

    def broken(self, answers: dict[str, Any]) -> Constraint | None:
        """The first constraint these answers break; None when they fit."""
        for constraint in self.constraints:
            if constraint.clash(answers):
                return constraint
        return None

    def clash(self, answers: dict[str, Any]) -> str | None:
        """The first constraint these answers break, as one line; None when they fit."""
        broken = self.broken(answers)
        return broken.clash(answers) if broken else None

    def check_constraints(self, answers: dict[str, Any]) -> None:
        found = self.clash(answers)
        if found:
            raise AnswerError(found)


def _parse_choices(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return dict(raw)
    if isinstance(raw, list):
        return {str(value): value for value in raw}
    return {}


def _parse_frameworks(when: Any) -> frozenset[str] | None:
    if when is None or when is True:
        return None
    found = _FRAMEWORK_CONDITION.findall(str(when))
    return frozenset(found) if found else None


@dataclass(frozen=True)
class _Include:
    pattern: str


class _IncludeLoader(yaml.SafeLoader):
    """Reads copier.yml's `!include PATTERN` documents as the pattern itself."""


def _include(loader: yaml.SafeLoader, node: yaml.Node) -> _Include:
    if not isinstance(node, yaml.ScalarNode):
        raise TypeError(f"!include takes a file pattern, not {type(node).__name__}")
    return _Include(str(loader.construct_scalar(node)))


_IncludeLoader.add_constructor("!include", _include)


def question_files(template_root: Path) -> list[Path]:
    """The question files, in the order copier.yml includes them (copier asks in this order)."""
    config = (template_root / CONFIG_FILE).read_text(encoding="utf-8")
    files: list[Path] = []
    for document in yaml.load_all(config, Loader=_IncludeLoader):
        if isinstance(document, _Include):
            # Within one glob copier follows the file system's order; sorting is our best guess,
            # which is why copier.yml names each file in a document of its own.
            files += sorted(template_root.glob(document.pattern))
    return files


def load_catalog(template_root: Path) -> Catalog:
    """Read every question file under the template root, in the order copier asks them."""
    questions: list[Question] = []
    constraints: list[Constraint] = []
    for path in question_files(template_root):
        try:
            document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            reason = str(error).splitlines()[0]
            raise TemplateSourceError(f"cannot read the question file {path}: {reason}") from None
        for name, spec in document.items():
            if name.startswith("_"):
                continue
            when = spec.get("when")
            questions.append(
                Question(
                    name=name,
                    help=str(spec.get("help", "")),
                    type=str(spec.get("type", "str")),
                    default=spec.get("default"),
                    choices=_parse_choices(spec.get("choices")),
                    frameworks=_parse_frameworks(when),
                    hidden=bool(spec.get("secret")) or when is False,
                    when=True if when is None else when,
                    details=str(spec.get("details") or "").strip(),
                )
            )
            constraints += _parse_constraints(name, spec.get("needs"), path)
    return Catalog(tuple(questions), tuple(constraints))


def _parse_constraints(name: str, raw: Any, path: Path) -> list[Constraint]:
    """``needs: [{answer: true, needs: {docker: true}, because: ...}]`` under a question."""
    found: list[Constraint] = []
    for entry in raw or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("needs"), dict):
            raise TemplateSourceError(f"{path}: {name}: needs takes answer, needs and because")
        found.append(
            Constraint(name, entry.get("answer", True), entry["needs"], str(entry.get("because")))
        )
    return found


_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def coerce_answer(question: Question, value: object) -> Any:
    """Turn an answer given on the command line (text) or in a data file (YAML) into the
    question's type, or refuse it: the same rules for both, before anything is written."""
    if question.type == "bool":
        answer = _as_bool(value)
        if answer is None:
            raise AnswerError(f"invalid answer {question.name}={value!r}; expected true or false")
        return answer
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise AnswerError(f"invalid answer {question.name}={value!r}; expected text")
    text = str(value)
    allowed = [str(v) for v in question.choices.values()]
    if allowed and text not in allowed:
        raise AnswerError(
            f"invalid answer {question.name}={text!r}; choose one of: {', '.join(allowed)}"
        )
    return text


def _as_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str | int) and str(value).strip().lower() in _TRUE | _FALSE:
        return str(value).strip().lower() in _TRUE
    return None
