"""scaffold new --preview: the project rendered into a temporary place, its files listed.

The same answers and the same rendering as a real run (the answers file names the same
source); nothing is written at the destination, and the temporary copy is removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from scaffold.clones import one_clone_per_version
from scaffold.errors import UsageError
from scaffold.generate import Request, choose, render
from scaffold.scratch import scratch_dir
from scaffold.snapshot import record_source, renderable


@dataclass(frozen=True)
class Preview:
    root: Path  # the rendered project, removed when the context ends
    framework: str
    files: dict[str, int]  # relative POSIX path -> size in bytes, sorted

    def read(self, name: str) -> bytes:
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or str(path) not in self.files:
            raise UsageError(f"the project would have no file {name!r}; see --preview")
        return (self.root / path).read_bytes()


@contextmanager
def previewed(req: Request) -> Iterator[Preview]:
    """Render the request into a temporary directory, for as long as the context lasts."""
    with scratch_dir("scaffold-preview-") as work:
        target = work / req.dest.name
        with one_clone_per_version(), renderable(req.source) as rendered_from:
            answers = choose(req, rendered_from)
            render(rendered_from, target, answers)
        record_source(target, req.source)
        files = {
            path.relative_to(target).as_posix(): path.stat().st_size
            for path in sorted(target.rglob("*"))
            if path.is_file() and not path.is_symlink()
        }
        yield Preview(target, str(answers["framework"]), dict(sorted(files.items())))


def file_tree(name: str, files: dict[str, int]) -> str:
    """The files as an indented tree, directories first-seen order, each file with its size."""
    lines = [f"{name}/"]
    shown: set[tuple[str, ...]] = set()
    width = max((len(p.split("/")[-1]) + 2 * p.count("/") for p in files), default=0) + 4
    for path, size in files.items():
        parts = tuple(path.split("/"))
        for depth in range(1, len(parts)):
            if parts[:depth] not in shown:
                shown.add(parts[:depth])
                lines.append(f"{'  ' * depth}{parts[depth - 1]}/")
        entry = f"{'  ' * len(parts)}{parts[-1]}"
        lines.append(f"{entry:<{width}}{size:>8} B")
    total = sum(files.values())
    lines.append(f"{len(files)} files, {total} bytes")
    return "\n".join(lines)
