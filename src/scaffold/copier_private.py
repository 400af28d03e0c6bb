"""Every use of copier's internals, in one place (copier 9.x exports only run_copy, run_update
and run_recopy).

scaffold asks the questions itself (summary, presets, live constraints) but must compute each
question's condition, default, choices and validator exactly as ``copier copy`` would. copier
has no public API for that, so this module drives its private ``Worker`` (the template loaded
for one destination, its Jinja environment and render context) and ``Question`` (one question
rendered over an answers map). tests/unit/test_copier_private.py exercises each function here
with real copier: a copier release that renames or reshapes any of them fails there, naming
what moved, before a user sees it. Imported only by commands that render.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# What copier's Question takes from a question file (the rest, such as scaffold's `needs`
# and `details`, copier's question loader ignores; the constructor would refuse it).
QUESTION_FIELDS = frozenset(
    {
        "choices",
        "multiselect",
        "default",
        "help",
        "multiline",
        "placeholder",
        "qmark",
        "secret",
        "type",
        "validator",
        "when",
        "ask",
    }
)


@contextmanager
def template_worker(url: str, dest: Path, vcs_ref: str | None) -> Iterator[Any]:
    """copier's Worker for a copy of the template into dest, asking nothing, writing nothing."""
    from copier._main import Worker

    with Worker(src_path=url, dst_path=dest, vcs_ref=vcs_ref, defaults=True, quiet=True) as worker:
        yield worker


def question_specs(worker: Any) -> dict[str, dict[str, Any]]:
    """The template's questions as copier loaded them, in the order it asks them."""
    specs: dict[str, dict[str, Any]] = worker.template.questions_data
    return specs


class CopierQuestion:
    """One question rendered by copier over the answers given so far."""

    def __init__(
        self,
        worker: Any,
        name: str,
        spec: dict[str, Any],
        answers: dict[str, Any],
        user_defaults: dict[str, Any],
    ) -> None:
        from copier._user_data import AnswersMap, Question

        worker.answers = AnswersMap(
            user=dict(answers),
            user_defaults=dict(user_defaults),
            metadata=worker.template.metadata,
            external=worker._external_data(),
        )
        self._question = Question(
            answers=worker.answers,
            context=worker._render_context(),
            jinja_env=worker.jinja_env,
            settings=worker.settings,
            var_name=name,
            **{key: value for key, value in spec.items() if key in QUESTION_FIELDS},
        )

    @property
    def help(self) -> str:
        return str(self._question.help)

    @property
    def type_name(self) -> str:
        return str(self._question.get_type_name())

    def when(self) -> bool:
        return bool(self._question.get_when())

    def default(self) -> Any:
        """The rendered default; one its own validator refuses is offered all the same."""
        question = self._question
        try:
            return question.get_default()
        except ValueError:
            return question.parse_answer(question.render_value(question.default))

    def cast(self, value: Any) -> Any:
        return self._question.cast_answer(value)

    def validate(self, value: Any) -> None:
        """Raise copier's ValueError ("Validation error for question ...") when refused."""
        question = self._question
        question.validate_answer(question.parse_answer(value))


def template_config(config: Path) -> dict[str, Any]:
    """copier.yml as copier reads it (its !include documents merged in order)."""
    from copier._template import load_template_config

    loaded: dict[str, Any] = load_template_config(config)
    return loaded
