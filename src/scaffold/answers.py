"""Answers given on the command line (--data KEY=VALUE) or in a file (--data-file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from scaffold.catalog import Catalog, coerce_answer
from scaffold.errors import AnswerError, DestinationError, UsageError

ANSWERS_FILE = ".copier-answers.yml"


def parse_data(pairs: list[str], catalog: Catalog) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--data expects KEY=VALUE, got {pair!r}")
        answers[key] = _answer(catalog, key, value)
    return answers


def _answer(catalog: Catalog, key: str, value: object) -> Any:
    try:
        question = catalog.question(key)
    except KeyError:
        raise AnswerError(f"unknown answer key {key!r}") from None
    if question.hidden:
        raise AnswerError(f"unknown answer key {key!r}")
    return coerce_answer(question, value)


def read_data_file(path: Path, catalog: Catalog) -> dict[str, Any]:
    """The answers in a YAML file, checked and coerced like --data's."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise UsageError(f"cannot read data file {path}: {reason}") from None
    except yaml.YAMLError as error:
        raise UsageError(f"cannot read data file {path}: not valid YAML ({error})") from None
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise UsageError(f"cannot read data file {path}: expected KEY: VALUE lines")
    return {str(key): _answer(catalog, str(key), value) for key, value in content.items()}


def read_project_answers(project: Path) -> dict[str, Any]:
    """The answers a generated project recorded, or {} when it has none."""
    path = project / ANSWERS_FILE
    if not path.is_file():
        return {}
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise DestinationError(f"cannot read {path}: {reason}") from None
    except yaml.YAMLError:
        raise DestinationError(f"{path} is not valid YAML; restore it from git") from None
    return content if isinstance(content, dict) else {}
