"""Where the templates come from.

A development checkout renders from its own git repository (working tree included); an
installed package renders from the release bundle it carries.
``SCAFFOLD_TEMPLATE_SOURCE`` overrides both, for tests and for template authors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from scaffold.errors import TemplateSourceError

SOURCE_ENV = "SCAFFOLD_TEMPLATE_SOURCE"
_CHECKOUT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class TemplateSource:
    url: str  # what copier is given and records as _src_path
    root: Path  # a directory holding copier.yml and templates/, for reading questions
    vcs_ref: str | None  # None: copier takes the newest release tag


def _is_checkout(path: Path) -> bool:
    return (path / "copier.yml").is_file() and (path / ".git").exists()


def template_source() -> TemplateSource:
    override = os.environ.get(SOURCE_ENV)
    if override:
        path = Path(override).expanduser()
        if _is_checkout(path):
            return TemplateSource(url=str(path), root=path, vcs_ref="HEAD")
        raise TemplateSourceError(f"{SOURCE_ENV}={override} is not a template repository")
    if _is_checkout(_CHECKOUT):
        return TemplateSource(url=str(_CHECKOUT), root=_CHECKOUT, vcs_ref="HEAD")
    raise TemplateSourceError(
        "no templates found: run scaffold from its source checkout or set " + SOURCE_ENV
    )
