"""Render every framework with a few option sets from two git refs and diff the trees.

    uv run python scripts/render_diff.py [BASE_REF] [--worktree]

BASE_REF (default `main`) is exported with `git archive`; the other side is this checkout's
work tree (uncommitted changes included). Prints one line per project: identical, or the
files that differ (with a unified diff under --verbose). Exit 1 when anything differs.
"""

from __future__ import annotations

import difflib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import copier

REPO = Path(__file__).resolve().parents[1]
FIXED = {"project_name": "Shop Floor", "author_name": "A. Person", "secret_key": "x" * 50}
OPTION_SETS: list[dict[str, object]] = [
    {},
    {"database": "postgresql", "background_tasks": "celery", "ci": "gitlab"},
    {"docker": True, "kubernetes": True, "ci": "github", "update_bot": True},
]
EXTRA = {
    "django": [{"api": "drf"}, {"api": "none"}],
    "pyramid": [{"template_language": "chameleon"}],
}


def export(ref: str, dest: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")


def copy_worktree(dest: Path) -> None:
    files = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-co", "--exclude-standard", "-z"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    for name in filter(None, files):
        source = REPO / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())


def render(template: Path, dest: Path, data: dict[str, object]) -> None:
    copier.run_copy(str(template), str(dest), data=data, defaults=True, quiet=True, unsafe=True)


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in sys.argv
    base_ref = args[0] if args else "main"
    differing = 0
    projects = [
        (f"{framework}-{number}", {"framework": framework, **FIXED, **options}, options)
        for framework in ("django", "fastapi", "flask", "pyramid")
        for number, options in enumerate(OPTION_SETS + EXTRA.get(framework, []))
    ]
    with tempfile.TemporaryDirectory() as tmp:
        # Both sides render from the same path, so that the answers files record the same source.
        template = Path(tmp, "template")
        for side, fill in (
            ("base", lambda: export(base_ref, template)),
            ("head", lambda: copy_worktree(template)),
        ):
            shutil.rmtree(template, ignore_errors=True)
            template.mkdir()
            fill()
            for name, data, _ in projects:
                render(template, Path(tmp, side, name), data)
        for name, _, options in projects:
            old, new = tree(Path(tmp, "base", name)), tree(Path(tmp, "head", name))
            changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
            label = f"{name} {options or 'defaults'}"
            if not changed:
                print(f"{label}: identical ({len(new)} files)")
                continue
            differing += 1
            print(f"{label}: {len(changed)} of {len(new)} files differ")
            for path in changed:
                state = "added" if path not in old else "removed" if path not in new else "changed"
                print(f"    {state}: {path}")
                if verbose and state == "changed":
                    diff = difflib.unified_diff(
                        old[path].decode().splitlines(),
                        new[path].decode().splitlines(),
                        f"{base_ref}/{path}",
                        f"worktree/{path}",
                        lineterm="",
                        n=1,
                    )
                    print("\n".join("        " + line for line in diff))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
