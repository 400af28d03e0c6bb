"""One exception family for everything scaffold refuses or fails to do.

The CLI maps each class to an exit code and prints its message as one line on stderr.
"""

from __future__ import annotations


class ScaffoldError(Exception):
    """Base of every error scaffold reports to its user."""

    exit_code = 1


class UsageError(ScaffoldError):
    """The command was asked for something it cannot do: bad name, unknown option, ..."""

    exit_code = 2


class DestinationError(UsageError):
    """The destination exists and is not empty, or is not a generated project."""


class AnswerError(UsageError):
    """An answer is unknown or fails its question's validation."""


class CancelledError(ScaffoldError):
    """The user cancelled at a prompt or at the summary (Ctrl-D, or "Cancel")."""

    exit_code = 130  # as Ctrl-C


class MissingToolError(ScaffoldError):
    """Something scaffold needs on this machine is missing (git, a terminal)."""


class TemplateSourceError(ScaffoldError):
    """The template source is missing or lacks the version a project needs."""


class RefusedError(ScaffoldError):
    """`scaffold update` will not start: it would lose or mix up work (exit 2, nothing done)."""

    exit_code = 2


class DirtyProjectError(RefusedError):
    """The project has uncommitted changes; updating would mix them with the template's."""


class LeftoverConflictsError(RefusedError):
    """Conflict markers of an earlier update were committed; resolve them first."""

    def __init__(self, files: list[str]) -> None:
        self.files = files
        super().__init__(
            f"conflict markers from an earlier update are committed in {len(files)} file(s): "
            f"{', '.join(files)}; resolve the <<<<<<< blocks and commit, then update"
        )


class ConflictError(ScaffoldError):
    """The update left (or, previewed, would leave) conflict markers in some files."""

    def __init__(self, files: list[str], *, preview: bool = False) -> None:
        self.files = files
        verb = "would leave" if preview else "left"
        then = "" if preview else "; resolve the <<<<<<< blocks, then commit"
        super().__init__(
            f"update {verb} conflicts in {len(files)} file(s): {', '.join(files)}{then}"
        )
