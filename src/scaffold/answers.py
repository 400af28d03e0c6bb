"""Answers given on the command line (--data KEY=VALUE) or in a file (--data-file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from scaffold.catalog import Catalog, coerce_answer
from scaffold.errors import AnswerError, UsageError

ANSWERS_FILE = ".copier-answers.yml"


def parse_data(pairs: list[str], catalog: Catalog) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--data expects KEY=VALUE, got {pair!r}")
        try:
            question = catalog.question(key)
        except KeyError:
            raise AnswerError(f"unknown answer key {key!r}") from None
        answers[key] = coerce_answer(question, value)
    return answers


def read_data_file(path: Path) -> dict[str, Any]:
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
    return {str(key): value for key, value in content.items()}


def read_project_answers(project: Path) -> dict[str, Any]:
    """The answers a generated project recorded, or {} when it has none."""
    path = project / ANSWERS_FILE
    if not path.is_file():
        return {}
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    return content if isinstance(content, dict) else {}
