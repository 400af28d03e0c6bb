"""The answers file as the project's record, and hand edits to it.

copier renders the old template version from the answers file, so an answer edited there by
hand is taken as if the project had always had it: files it would have added count as deleted
by the user and never arrive (half applied). To tell a hand edit from what scaffold wrote, the
answers file carries a digest of the answers it recorded (a comment line, which copier and
YAML ignore); the answers it recorded are found again in the file's git history, as the newest
committed version whose answers match that digest.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from scaffold.answers import ANSWERS_FILE
from scaffold.catalog import shown
from scaffold.errors import RefusedError, ScaffoldError
from scaffold.gitutil import git

# Written by templates/_shared/project/answers.yml.jinja.
_DIGEST = re.compile(r"^# answers digest: sha256:([0-9a-f]{64})$", re.MULTILINE)


def user_answers(answers: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answers.items() if not str(k).startswith("_")}


def answers_digest(answers: dict[str, Any]) -> str:
    """What the answers file template computes: sha256 of the sorted JSON of the answers."""
    text = json.dumps(user_answers(answers), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def recorded_digest(text: str) -> str | None:
    found = _DIGEST.search(text)
    return found[1] if found else None


@dataclass(frozen=True)
class HandEdit:
    """Answers changed by hand since scaffold last wrote the file."""

    changed: dict[str, Any]  # key -> the value typed by hand
    recorded: dict[str, Any]  # the answers scaffold last wrote
    recorded_text: str  # the answers file as scaffold last wrote it (from git history)

    def as_data(self) -> list[str]:
        return [f"{key}={shown(value)}" for key, value in self.changed.items()]


def find_hand_edit(project: Path) -> HandEdit | None:
    """The hand edit of the project's committed answers file, or None when there is none.

    A file without a digest (written by scaffold 0.1.0) cannot be checked: None.
    """
    text = (project / ANSWERS_FILE).read_text(encoding="utf-8")
    digest = recorded_digest(text)
    if digest is None:
        return None
    now = _load(text)
    if answers_digest(now) == digest:
        return None
    recorded = _recorded_version(project, digest)
    if recorded is None:
        raise RefusedError(
            f"{ANSWERS_FILE} was edited by hand and the version scaffold wrote is not in the "
            "git history; restore it (git log -p -- .copier-answers.yml), then change answers "
            "with `scaffold update --data KEY=VALUE`"
        )
    before = user_answers(_load(recorded))
    after = user_answers(now)
    removed = sorted(before.keys() - after.keys())
    if removed:
        raise RefusedError(
            f"{ANSWERS_FILE} was edited by hand: {', '.join(removed)} removed; restore the "
            "file from git and change answers with `scaffold update --data KEY=VALUE`"
        )
    changed = {k: v for k, v in after.items() if before.get(k, _MISSING) != v}
    return HandEdit(changed=changed, recorded=before, recorded_text=recorded)


_MISSING = object()


def _load(text: str) -> dict[str, Any]:
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError:
        raise RefusedError(f"{ANSWERS_FILE} is not valid YAML; restore it from git") from None
    return loaded if isinstance(loaded, dict) else {}


def _recorded_version(project: Path, digest: str) -> str | None:
    try:
        commits = git(project, "log", "--format=%H", "--", ANSWERS_FILE).split()
    except ScaffoldError:
        return None
    for commit in commits:
        text = git(project, "show", f"{commit}:{ANSWERS_FILE}")
        try:
            answers = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        if (
            isinstance(answers, dict)
            and recorded_digest(text) == digest
            and answers_digest(answers) == digest
        ):
            return text
    return None
