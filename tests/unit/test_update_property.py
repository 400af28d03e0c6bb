"""Properties over random user edits: an update loses none of the user's lines (a renamed
file's lines follow it), `--diff` is the update file for file, and the summary lists exactly
what `git status` shows."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from scaffold.generate import new_project
from scaffold.source import bundle_source
from scaffold.update import update_project
from tests.unit.test_update import History, git, make_history, release_v2
from tests.unit.test_update_outcomes import V1, move_files

EDITABLE = (
    "app.py",
    "config.yml",
    "old.txt",
    "greeting.txt",  # renamed salutation.txt by 0.2.0
    "README.md",
    "src/service.py",  # moved by 0.2.0 (and changed)
    "docs/guide.md",  # moved by 0.2.0 (and changed)
    "tools/run.sh",  # moved by 0.2.0
    "k8s/hpa.yaml",  # dropped by 0.2.0
)

edits = st.lists(
    st.tuples(
        st.sampled_from(EDITABLE),
        st.integers(min_value=0, max_value=20),  # line position (clamped to the file)
        st.booleans(),  # True: replace the line there; False: insert before it
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 ", min_size=1, max_size=30),
    ),
    min_size=1,
    max_size=8,
)


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory: pytest.TempPathFactory) -> History:
    made = make_history(tmp_path_factory.mktemp("history"), extra=V1)
    move_files(made)
    release_v2(made)
    return made


def apply(project: Path, changes: list[tuple[str, int, bool, str]]) -> list[tuple[str, str]]:
    for number, (name, position, replace, text) in enumerate(changes):
        path = project / name
        lines = path.read_text().splitlines(keepends=True)
        at = min(position, len(lines))
        line = f"user edit {number}: {text}\n"
        if replace and at < len(lines):
            lines[at] = line
        else:
            lines.insert(at, line)
        path.write_text("".join(lines))
    # A later edit may replace an earlier one: what counts is what the user committed.
    return [
        (name, line)
        for name in EDITABLE
        for line in (project / name).read_text().splitlines(keepends=True)
        if line.startswith("user edit ")
    ]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking costs minutes per update
)
@given(changes=edits)
def test_no_user_line_is_lost(
    two_releases: History, changes: list[tuple[str, int, bool, str]]
) -> None:
    url = str(two_releases.bundle)
    with tempfile.TemporaryDirectory() as tmp:
        project = new_project(
            Path(tmp) / "proj",
            framework="fastapi",
            defaults=True,
            source=bundle_source(two_releases.bundle, url=url, ref="v0.1.0"),
        ).path
        written = apply(project, changes)
        git(project, "add", "--all")
        git(project, "commit", "--quiet", "-m", "user edits")
        target = bundle_source(two_releases.bundle, url=url, ref="v0.2.0")
        preview = update_project(project, source=target, preview=True)
        assert git(project, "status", "--porcelain") == "", "--diff touched the project"
        result = update_project(project, source=target)
        assert result.to_version == "v0.2.0"
        for name, line in written:
            name = result.renamed.get(name, name)
            path = project / name
            assert path.is_file(), f"{name} with user edits is gone"
            assert line in path.read_text(), f"{line!r} lost from {name}"
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all", "--no-renames"],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        assert sorted(line[3:] for line in status) == result.changed
        assert ".copier-answers.yml" in result.changed
        # The preview is the update: the same outcome for every file, the same content.
        assert preview.files == result.files
        git(project, "add", "--all")
        assert git(project, "diff", "--cached", "--no-color", "--no-renames", "HEAD") == (
            preview.diff
        )
