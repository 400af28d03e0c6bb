"""What the page is sent: the catalog, a resolved choice and a preview's files, as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scaffold.web.picker import DEFAULT_DEST, Resolved

if TYPE_CHECKING:
    from scaffold.web.engine import Picker


def describe_catalog(picker: Picker) -> dict[str, Any]:
    """Frameworks, questions (help, choices, which frameworks ask them) and presets."""
    from scaffold import __version__

    catalog = picker.catalog
    return {
        "version": __version__,
        "git": picker.has_git,
        "dest": DEFAULT_DEST,
        "frameworks": [{"name": n, "label": label} for n, label in catalog.frameworks.items()],
        "questions": [
            {
                "name": q.name,
                "help": q.help,
                "details": q.details,
                "type": q.type,
                "choices": [{"label": label, "value": v} for label, v in q.choices.items()],
                "frameworks": sorted(q.frameworks) if q.frameworks is not None else None,
            }
            for q in catalog.questions
            if not q.hidden and q.name != "framework"
        ],
        "presets": [
            {"name": p.name, "help": p.help, "answers": p.answers} for p in picker.presets.values()
        ],
    }


def describe_resolved(resolved: Resolved) -> dict[str, Any]:
    return {
        "fields": [
            {"name": f.name, "value": f.value, "default": f.default, "error": f.error}
            for f in resolved.fields
        ],
        "clash": resolved.clash,
        "problem": resolved.problem,
        "data": resolved.data,
        "command": resolved.command,
    }


def describe_tree(files: dict[str, int]) -> list[dict[str, Any]]:
    return [{"path": path, "size": size} for path, size in files.items()]
