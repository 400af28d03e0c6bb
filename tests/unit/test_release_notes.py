"""Release notes: read from the template history's CHANGELOG.md, shown by check and update.

The histories are real git repositories with releases made as scaffold's own are (a commit
that sets a final version), bundled as an installed scaffold carries them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaffold.cli import app
from scaffold.release_notes import (
    ReleaseNotes,
    describe_release_notes,
    parse_changelog,
    release_notes,
)
from scaffold.source import SOURCE_ENV, TemplateSource, bundle_source
from tests.support import REPO
from tests.unit.test_update import History, git, make_history, release_v2, set_version, write

HEAD = "# Changelog\n\nWhat changed, release by release.\n\n"
NOTES = {
    "0.1.0": "## 0.1.0\n\nThe first release.\n",
    "0.2.0": "## 0.2.0\n\n### Generating\n- Faster workers in config.yml.\n",
    "0.3.0": "## 0.3.0\n\n- A health page.\n\n```markdown\n## 9.9.9 inside a fence\n```\n",
}


def changelog(*versions: str, unreleased: str | None = None) -> str:
    """A CHANGELOG.md with these releases' sections, newest first, as the repository keeps it."""
    top = f"## Unreleased ({unreleased})\n\n- Work in progress.\n\n" if unreleased else ""
    return HEAD + top + "\n".join(NOTES[v] for v in reversed(versions))


def release(history: History, version: str, notes: str) -> None:
    write(history.repo, {"CHANGELOG.md": notes})
    history.release(version)


@pytest.fixture
def history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> History:
    """Release 0.1.0 (without a changelog, as scaffold's own) and the bundle of the history."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made = make_history(tmp_path)
    monkeypatch.setenv(SOURCE_ENV, str(made.bundle))
    return made


def source_at(history: History, ref: str) -> TemplateSource:
    return bundle_source(history.bundle, url=str(history.bundle), ref=ref)


def versions(notes: list[ReleaseNotes]) -> list[str]:
    return [str(section.version) for section in notes]


def test_the_repository_changelog_has_a_section_per_release() -> None:
    sections = parse_changelog((REPO / "CHANGELOG.md").read_text())
    assert [str(s.version) for s in sections] == ["0.2.0", "0.1.0"]
    assert sections[0].heading == "Unreleased (0.2.0)"
    assert "### Generating a project" in sections[0].body
    assert sections[1].body.startswith("The first release")


def test_headings_inside_code_and_without_a_version_end_or_start_nothing() -> None:
    text = changelog("0.1.0", "0.2.0", "0.3.0") + "## Older history\n\nNot a release.\n"
    sections = parse_changelog(text)
    assert [str(s.version) for s in sections] == ["0.3.0", "0.2.0", "0.1.0"]
    assert "## 9.9.9 inside a fence" in sections[0].body
    assert "Not a release" not in sections[-1].body


def test_notes_between_the_project_and_the_installed_release(history: History) -> None:
    release(history, "0.2.0", changelog("0.1.0", "0.2.0"))
    release(history, "0.3.0", changelog("0.1.0", "0.2.0", "0.3.0"))
    notes = release_notes("v0.1.0", source_at(history, "v0.3.0"))
    assert versions(notes) == ["0.3.0", "0.2.0"]  # newest first, the project's own left out
    assert notes[1].body == "### Generating\n- Faster workers in config.yml."
    assert versions(release_notes("v0.2.0", source_at(history, "v0.3.0"))) == ["0.3.0"]
    assert release_notes("v0.3.0", source_at(history, "v0.3.0")) == []


def test_an_older_scaffold_shows_notes_up_to_its_release_as_corrected_later(
    history: History,
) -> None:
    release(history, "0.2.0", changelog("0.1.0", "0.2.0"))
    corrected = changelog("0.1.0", "0.2.0", "0.3.0").replace("Faster", "Four")
    release(history, "0.3.0", corrected)
    # The bundle holds 0.3.0 (a newer scaffold put it there); this scaffold's release is 0.2.0.
    notes = release_notes("v0.1.0", source_at(history, "v0.2.0"))
    assert versions(notes) == ["0.2.0"]
    assert "Four workers" in notes[0].body


def test_a_checkout_shows_the_notes_written_so_far(history: History, tmp_path: Path) -> None:
    release(history, "0.2.0", changelog("0.1.0", "0.2.0"))
    set_version(history.repo, "0.3.0.dev0")
    write(history.repo, {"CHANGELOG.md": changelog("0.1.0", "0.2.0", unreleased="0.3.0")})
    checkout = TemplateSource(url=str(history.repo), root=history.repo, vcs_ref="HEAD")
    notes = release_notes("v0.1.0", checkout)
    assert versions(notes) == ["0.3.0", "0.2.0"]
    assert notes[0].heading == "Unreleased (0.3.0)"
    # A project made from a commit between releases has only part of 0.3.0.
    git(history.repo, "add", "--all")
    git(history.repo, "commit", "--quiet", "-m", "work on 0.3.0")
    between = git(history.repo, "rev-parse", "--short", "HEAD").strip()
    assert versions(release_notes(between, checkout)) == ["0.3.0"]


def test_unknown_versions_and_missing_changelogs_give_no_notes(history: History) -> None:
    write(history.repo, {"app.py": "changed\n"})
    history.release("0.2.0")  # a release whose history has no CHANGELOG.md at all
    assert release_notes("v0.1.0", source_at(history, "v0.2.0")) == []
    release(history, "0.3.0", changelog("0.1.0", "0.2.0", "0.3.0"))
    assert release_notes("v7.0.0", source_at(history, "v0.3.0")) == []
    assert versions(release_notes("v0.1.0", source_at(history, "v0.3.0"))) == ["0.3.0", "0.2.0"]


def test_describe_prints_each_section_as_written() -> None:
    sections = parse_changelog(changelog("0.1.0", "0.2.0"))
    text = describe_release_notes(sections, "v0.0.9")
    assert text.splitlines()[0] == "Release notes since v0.0.9:"
    assert "## 0.2.0\n\n### Generating\n- Faster workers in config.yml." in text
    assert text.index("## 0.2.0") < text.index("## 0.1.0")
    assert describe_release_notes([], "v0.1.0") == ""


def generate(tmp_path: Path) -> Path:
    dest = tmp_path / "proj"
    result = CliRunner().invoke(app, ["new", "fastapi", str(dest), "--defaults"])
    assert result.exit_code == 0, result.output
    return dest


def test_check_prints_the_notes_after_its_version_lines(history: History, tmp_path: Path) -> None:
    project = generate(tmp_path)
    write(history.repo, {"CHANGELOG.md": changelog("0.1.0", "0.2.0")})
    release_v2(history)
    result = CliRunner().invoke(app, ["check", str(project)])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "template version v0.1.0; this scaffold has v0.2.0"
    assert lines[1].startswith("an update is available")
    assert lines[3] == "Release notes since v0.1.0:"
    assert "- Faster workers in config.yml." in lines
    assert "The first release." not in result.stdout


def test_check_of_a_current_project_prints_no_notes(history: History, tmp_path: Path) -> None:
    project = generate(tmp_path)
    result = CliRunner().invoke(app, ["check", str(project)])
    assert result.exit_code == 0, result.output
    assert "Release notes" not in result.stdout


def test_the_update_summary_ends_with_the_notes(history: History, tmp_path: Path) -> None:
    project = generate(tmp_path)
    (project / "old.txt").write_text("mine now\n")  # kept: the summary names it
    git(project, "commit", "--quiet", "-am", "my edit")
    write(history.repo, {"CHANGELOG.md": changelog("0.1.0", "0.2.0")})
    release_v2(history)
    result = CliRunner().invoke(app, ["update", str(project)])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    out = result.stdout
    kept = re.search(r"^  kept +old\.txt", out, re.MULTILINE)
    assert kept is not None, out
    assert kept.start() < out.index("Release notes since v0.1.0:")
    assert out.rstrip().endswith("- Faster workers in config.yml.")
