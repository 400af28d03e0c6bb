"""Presets: named answer sets kept beside the questions, or a user's own YAML file of answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scaffold.errors import UsageError

PRESETS_FILE = Path("templates", "_shared", "questions", "presets.yml")


@dataclass(frozen=True)
class Preset:
    name: str
    help: str
    answers: dict[str, Any] = field(default_factory=dict)


def load_presets(template_root: Path) -> dict[str, Preset]:
    """The template's presets by name, in the file's order ({} for a template without any)."""
    path = template_root / PRESETS_FILE
    if not path.is_file():
        return {}
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        name: Preset(name=name, help=str(spec.get("help", "")), answers=spec.get("answers") or {})
        for name, spec in document.items()
    }


def resolve_preset(name_or_file: str, template_root: Path) -> Preset:
    """A preset by name, or a user's file of answers (a path: it names an existing file)."""
    presets = load_presets(template_root)
    if name_or_file in presets:
        return presets[name_or_file]
    path = Path(name_or_file).expanduser()
    if path.is_file():
        from scaffold.answers import read_data_file
        from scaffold.catalog import load_catalog

        answers = read_data_file(path, load_catalog(template_root))
        return Preset(name=str(path), help=f"answers from {path}", answers=answers)
    known = ", ".join(presets) or "none"
    raise UsageError(f"unknown preset {name_or_file!r}; choose one of: {known}, or give a file")
