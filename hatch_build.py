"""Build hook: put the release history of the templates into the wheel and the sdist.

From a git checkout, the bundle is made from the history (see scaffold.releases); an sdist
already carries it at src/scaffold/_data/templates.bundle, so a wheel built from it reuses it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PACKAGED = "src/scaffold/_data/templates.bundle"


class TemplateBundleHook(BuildHookInterface):  # type: ignore[type-arg]  # generic in hatchling only
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return  # a development install renders from the checkout itself
        root = Path(self.root)
        if (root / ".git").exists():
            sys.path.insert(0, str(root / "src"))
            from scaffold.releases import build_bundle

            bundle = Path(tempfile.mkdtemp(prefix="scaffold-build-")) / "templates.bundle"
            build_bundle(root, bundle)
        elif (root / PACKAGED).is_file():
            bundle = root / PACKAGED
        else:
            raise RuntimeError("no git history and no packaged bundle: cannot build scaffold")
        inside = "scaffold/_data/templates.bundle" if self.target_name == "wheel" else PACKAGED
        build_data["force_include"][str(bundle)] = inside
