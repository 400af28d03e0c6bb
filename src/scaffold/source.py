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
        if path.is_file():
            return bundle_source(path, url=override)
        raise TemplateSourceError(f"{SOURCE_ENV}={override} is not a template repository")
    if _is_checkout(_CHECKOUT):
        return TemplateSource(url=str(_CHECKOUT), root=_CHECKOUT, vcs_ref="HEAD")
    return installed_source()


def bundle_source(bundle: Path, *, url: str, ref: str | None = None) -> TemplateSource:
    """A bundle file as the source; ref defaults to its newest release."""
    from scaffold.bundle import bundle_tags, newest_tag, unpacked_root

    tags = bundle_tags(bundle)
    if not tags:
        raise TemplateSourceError(f"the template bundle {bundle} holds no release")
    ref = ref or newest_tag(tags)
    return TemplateSource(url=url, root=unpacked_root(bundle, ref), vcs_ref=ref)


def installed_source() -> TemplateSource:
    """The bundle this installed scaffold carries, put at the stable per-user path."""
    from scaffold.bundle import (
        BUNDLE_NAME,
        data_home,
        install_bundle,
        packaged_bundle,
        recorded_path,
    )

    packaged = packaged_bundle()
    if packaged is None:
        raise TemplateSourceError(
            "this installation carries no templates; reinstall scaffold or set " + SOURCE_ENV
        )
    installed = install_bundle(packaged, data_home() / BUNDLE_NAME)
    return bundle_source(installed, url=recorded_path(installed), ref=_release_for(installed))


def _release_for(bundle: Path) -> str:
    """This scaffold's own release tag; a development build takes the newest release before it."""
    from packaging.version import Version

    from scaffold import __version__
    from scaffold.bundle import bundle_tags
    from scaffold.releases import TAG_PREFIX

    ours = Version(__version__)
    tags = [t for t in bundle_tags(bundle) if Version(t.removeprefix(TAG_PREFIX)) <= ours]
    if not tags:
        raise TemplateSourceError(f"the template bundle {bundle} has no release for {ours}")
    return max(tags, key=lambda tag: Version(tag.removeprefix(TAG_PREFIX)))
