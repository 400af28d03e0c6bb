"""A development checkout as copier should see it: its working tree, minus nested repositories.

copier renders a local checkout's uncommitted changes by committing its whole working tree in
a throwaway clone (`git add -A`). A project generated inside the checkout (the README's first
command, run in a clone) is a git repository of its own there; `git add -A` records it as a
submodule, and copier's `git submodule update` then fails, for that run and every later one.
So scaffold commits the working tree itself, leaving such repositories out, in a throwaway
clone, and copier renders that commit. The checkout itself is only read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import yaml

from scaffold.answers import ANSWERS_FILE
from scaffold.errors import TemplateSourceError
from scaffold.gitutil import git
from scaffold.scratch import scratch_dir
from scaffold.source import TemplateSource

_IDENTITY = {
    "GIT_AUTHOR_NAME": "scaffold",
    "GIT_AUTHOR_EMAIL": "scaffold@localhost",
    "GIT_COMMITTER_NAME": "scaffold",
    "GIT_COMMITTER_EMAIL": "scaffold@localhost",
}


def _nested_repositories(checkout: Path) -> list[str]:
    # git lists an untracked directory holding a repository as one entry ending in "/".
    others = git(checkout, "ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return [name.rstrip("/") for name in others if name.endswith("/")]


@contextmanager
def renderable(source: TemplateSource) -> Iterator[TemplateSource]:
    """The source for copier to render: a checkout's working tree as one commit, or source."""
    if source.vcs_ref != "HEAD" or not git(source.root, "status", "--porcelain").strip():
        yield source  # a release, or a clean checkout: copier renders it as it is
        return
    with scratch_dir("scaffold-snapshot-") as work:
        clone = work / "template"
        git(work, "clone", "--quiet", "--no-checkout", str(source.root), str(clone))
        into_clone = {"GIT_DIR": str(clone / ".git"), "GIT_WORK_TREE": str(source.root)}
        leave_out = [f":(exclude){name}" for name in _nested_repositories(source.root)]
        git(source.root, "add", "--all", "--", ".", *leave_out, env=into_clone)
        tree = git(source.root, "write-tree", env=into_clone).strip()
        head = git(clone, "rev-parse", "HEAD").strip()
        if tree == git(clone, "rev-parse", "HEAD^{tree}").strip():
            # Only nested repositories made it dirty: render the commit itself, as copier
            # would render a clean checkout.
            yield replace(source, vcs_ref=head)
            return
        message = "Working tree of the template checkout"
        commit = git(clone, "commit-tree", tree, "-p", head, "-m", message, env=_IDENTITY).strip()
        git(clone, "update-ref", "HEAD", commit)
        yield replace(source, url=str(clone), vcs_ref=commit)


def record_source(project: Path, source: TemplateSource) -> None:
    """Make the project's answers name the template source, not the snapshot rendered."""
    answers = project / ANSWERS_FILE
    if not answers.is_file():
        return
    lines = answers.read_text(encoding="utf-8").splitlines(keepends=True)
    wanted = yaml.safe_dump({"_src_path": source.url}, width=10**6)
    for index, line in enumerate(lines):
        if line.startswith("_src_path:") and yaml.safe_load(line) != yaml.safe_load(wanted):
            lines[index] = wanted
    answers.write_text("".join(lines), encoding="utf-8")


@contextmanager
def updatable(source: TemplateSource) -> Iterator[TemplateSource]:
    """The source for copier update, which always renders the project's recorded source.

    A checkout whose only untracked content is nested projects is rendered at its commit.
    With uncommitted template changes as well, copier cannot be steered past the nested
    repositories: say so in one line instead of failing in git.
    """
    if source.vcs_ref != "HEAD" or not _nested_repositories(source.root):
        yield source
        return
    with renderable(source) as rendered:
        if rendered.url != source.url:
            nested = ", ".join(_nested_repositories(source.root))
            raise TemplateSourceError(
                f"the template checkout {source.root} has uncommitted changes and projects "
                f"inside it ({nested}); commit the changes or move the projects out to update"
            )
        yield rendered
