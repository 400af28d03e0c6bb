"""The scaffold command line: thin wiring over the library API, errors mapped to exit codes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from scaffold.errors import ScaffoldError, UsageError

app = typer.Typer(
    name="scaffold",
    help="Generate production-ready Django, Flask, FastAPI and Pyramid projects, and update them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from scaffold import __version__

        typer.echo(f"scaffold {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Generate production-ready web projects and keep them up to date."""


@contextmanager
def _reported(failure_code: int | None = None) -> Iterator[None]:
    """Print a scaffold error as one line on stderr and exit with its code; no traceback.

    failure_code replaces the generic code 1 (update and check keep 1 for "conflicts" and
    "behind" and exit 2 on every refusal or failure).
    """
    from scaffold.errors import CancelledError, ConflictError

    try:
        yield
    except CancelledError as error:  # the user's own choice: one line, no "error"
        typer.echo(f"scaffold: {error}", err=True)
        raise typer.Exit(error.exit_code) from None
    except ConflictError as error:  # exit 1 whatever failure_code says
        typer.echo(f"scaffold: error: {error}", err=True)
        raise typer.Exit(error.exit_code) from None
    except ScaffoldError as error:
        typer.echo(f"scaffold: error: {error}", err=True)
        code = error.exit_code
        raise typer.Exit(failure_code if failure_code and code == 1 else code) from None
    except KeyboardInterrupt:  # Ctrl-C at one of copier's prompts (signals: see __main__)
        typer.echo("scaffold: interrupted; nothing was written", err=True)
        raise typer.Exit(130) from None
    except OSError as error:  # the file system refused something no check foresaw
        where = f": {error.filename}" if error.filename else ""
        typer.echo(f"scaffold: error: {error.strerror or error}{where}", err=True)
        raise typer.Exit(2) from None


DataOption = Annotated[
    list[str] | None,
    typer.Option("--data", "-d", metavar="KEY=VALUE", help="Answer a question (repeatable)."),
]


def _collect_answers(
    data: list[str] | None, data_file: Path | None, source: Any = None
) -> dict[str, Any]:
    from scaffold.answers import parse_data, read_data_file
    from scaffold.catalog import load_catalog
    from scaffold.source import template_source

    catalog = load_catalog((source or template_source()).root)
    answers = read_data_file(data_file, catalog) if data_file else {}
    answers.update(parse_data(data or [], catalog))
    return answers


def _preset_answers(name_or_file: str | None, source: Any) -> dict[str, Any] | None:
    if name_or_file is None:
        return None
    from scaffold.presets import resolve_preset

    return resolve_preset(name_or_file, source.root).answers


@app.command()
def new(
    framework: Annotated[
        str | None, typer.Argument(help="django, flask, fastapi or pyramid (asked if left out).")
    ] = None,
    dest: Annotated[Path | None, typer.Argument(help="Directory to create.")] = None,
    defaults: Annotated[
        bool, typer.Option("--defaults", help="Take every default instead of asking.")
    ] = False,
    data: DataOption = None,
    data_file: Annotated[
        Path | None, typer.Option("--data-file", help="YAML file of answers.")
    ] = None,
    git: Annotated[bool, typer.Option(help="Run git init and make the first commit.")] = True,
    lock: Annotated[
        bool, typer.Option(help="Lock the dependencies (uv lock) into the first commit.")
    ] = True,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            metavar="NAME|FILE",
            help="Fill in a preset's answers (minimal, recommended, production; see "
            "`scaffold list`) or a YAML file's; --data and --data-file answers win. "
            "Asked first when left out.",
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Accept the summary of answers without asking.")
    ] = False,
    preview: Annotated[
        bool,
        typer.Option("--preview", help="List the files it would write, with sizes; write nothing."),
    ] = False,
    show: Annotated[
        str | None,
        typer.Option(
            "--show", metavar="PATH", help="Print one file it would write; write nothing."
        ),
    ] = None,
) -> None:
    """Generate a new project: questions, a summary of the answers, then the files."""
    with _reported():
        from scaffold.generate import new_project, request
        from scaffold.source import template_source

        source = template_source()  # resolved once for the whole command
        if dest is None:
            # `scaffold new my-api`: the one argument is the destination; the framework is asked.
            dest, framework = (Path(framework), None) if framework else (_ask_destination(), None)
        options: dict[str, Any] = {
            "framework": framework,
            "answers": _collect_answers(data, data_file, source),
            "defaults": defaults,
            "preset": _preset_answers(preset, source),
            "accept": yes,
            "source": source,
        }
        if preview or show is not None:
            _preview(request(dest, **options), show)
            return
        from scaffold.progress import shown_on_stderr
        from scaffold.summary import describe_lock_failure, describe_new_project

        with shown_on_stderr() as progress:
            project = new_project(dest, git=git, lock=lock, progress=progress, **options)
        warning = describe_lock_failure(project)
        if warning:
            typer.echo(warning, err=True)
        typer.echo(describe_new_project(project, cwd=Path.cwd()))


def _preview(req: Any, show: str | None) -> None:
    import sys

    from scaffold.destination import check_destination
    from scaffold.preview import file_tree, previewed

    check_destination(req.dest)
    with previewed(req) as preview:
        if show is not None:
            sys.stdout.buffer.write(preview.read(show))
            sys.stdout.flush()
            return
        typer.echo(file_tree(req.dest.name, preview.files))
        typer.echo(f"Preview of a {preview.framework} project; nothing was written at {req.dest}")


def _ask_destination() -> Path:
    import sys

    if not sys.stdin.isatty():
        raise UsageError("give the destination: scaffold new [FRAMEWORK] DEST (no terminal to ask)")
    try:
        answer = typer.prompt("Folder to create the project in", default="my-project")
    except typer.Abort:  # end of input at the prompt
        raise UsageError("no destination given") from None
    if not str(answer).strip():
        raise UsageError("no destination given")
    return Path(str(answer).strip())


ProjectPath = Annotated[Path, typer.Argument(help="The generated project (default: here).")]


# Paragraphs are single lines: the help formatter keeps line breaks as they are written.
UPDATE_HELP = "\n\n".join(
    [
        "Merge the installed template version into a project, keeping its edits.",
        "Every file is listed by what happened to it: changed, added, removed, renamed "
        "(your edits follow the file), kept (you changed it, the new template dropped it) "
        "or conflicted. Nothing is committed: review with `git add -A && git diff --cached`, "
        "then commit. An answer edited by hand in .copier-answers.yml is applied as --data "
        "would apply it.",
        "\b\nExit codes:\n"
        "  0  updated (or nothing to do)\n"
        "  1  updated with conflicts: resolve the <<<<<<< blocks, then commit\n"
        "  2  refused, nothing changed: uncommitted changes, conflict markers committed\n"
        "     by an earlier update, a bad answer, a downgrade, another template source",
    ]
)


@app.command(help=UPDATE_HELP)
def update(
    path: ProjectPath = Path("."),
    data: DataOption = None,
    diff: Annotated[
        bool,
        typer.Option(
            "--diff",
            help="Run the same update on a throwaway clone and show its diff and summary; "
            "touch nothing (exit 1 when the update would conflict).",
        ),
    ] = False,
) -> None:
    with _reported(failure_code=2):
        from scaffold.errors import ConflictError
        from scaffold.outcome import describe_update
        from scaffold.source import template_source
        from scaffold.update import update_project

        source = template_source()  # resolved once for the whole command
        answers = _collect_answers(data, None, source) if data else {}
        result = update_project(path, data=answers, preview=diff, source=source)
        if diff:
            typer.echo(result.diff, nl=False)
        typer.echo(describe_update(result))
        if result.from_version != result.to_version:
            # --- release notes (scaffold.release_notes): after the file list ---
            _echo_release_notes(result.from_version, source)
        if result.conflicts:
            raise ConflictError(result.conflicts, preview=diff)


CHECK_HELP = "\n\n".join(
    [
        "Say which template version a project is on and whether an update exists.",
        "Also looks for conflict markers an earlier update left and that were committed.",
        "\b\nExit codes:\n"
        "  0  up to date\n"
        "  1  an update is available (conflict markers, if any, are named too)\n"
        "  2  usage error or failure, or conflict markers left on a current project",
    ]
)


@app.command(help=CHECK_HELP)
def check(path: ProjectPath = Path(".")) -> None:
    with _reported(failure_code=2):
        from scaffold.project import Standing
        from scaffold.update import check_project

        result = check_project(path)
        typer.echo(
            f"template version {result.project_version}; "
            f"this scaffold has {result.available_version}"
        )
        if result.leftover_conflicts:
            typer.echo(
                "conflict markers from an earlier update are committed in: "
                + ", ".join(result.leftover_conflicts)
                + "; resolve the <<<<<<< blocks and commit"
            )
        if result.standing is Standing.BEHIND:
            typer.echo("an update is available: run `scaffold update`")
            # --- release notes (scaffold.release_notes): after the version lines ---
            _echo_release_notes(result.project_version)
            raise typer.Exit(1)
        if result.leftover_conflicts:
            raise typer.Exit(2)
        if result.standing is Standing.AHEAD:
            typer.echo("the project is newer than this scaffold's templates")
        else:
            typer.echo("up to date")


@app.command()
def diff(
    from_version: Annotated[
        str | None,
        typer.Argument(metavar="FROM", help="A template version (default: the project's)."),
    ] = None,
    to_version: Annotated[
        str | None,
        typer.Argument(metavar="TO", help="A template version (default: this scaffold's)."),
    ] = None,
    project: Annotated[
        Path, typer.Option("--project", help="The generated project (default: here).")
    ] = Path("."),
) -> None:
    """Show the template's own change between two versions, rendered with the project's answers.

    A unified diff with paths relative to the project; nothing is written.

    Exit 0; exit 2 for a version the templates do not have (the known ones are listed).
    """
    with _reported():
        from scaffold.template_diff import template_diff

        result = template_diff(project, from_version, to_version)
        typer.echo(result.diff, nl=False)
        change = "no change" if not result.diff else "the template's change"
        typer.echo(f"{change} from {result.from_version} to {result.to_version}", err=True)


def _echo_release_notes(since: str, source: Any = None) -> None:
    """The template's release notes after version `since`, up to this scaffold's, if any."""
    from scaffold.release_notes import describe_release_notes, release_notes
    from scaffold.source import template_source

    notes = describe_release_notes(release_notes(since, source or template_source()), since)
    if notes:
        typer.echo("\n" + notes)


@app.command("list")
def list_frameworks() -> None:
    """Show the frameworks, the options each one asks, and the presets."""
    with _reported():
        from scaffold.catalog import load_catalog
        from scaffold.presets import load_presets
        from scaffold.source import template_source
        from scaffold.summary import describe_catalog

        root = template_source().root
        typer.echo(describe_catalog(load_catalog(root), load_presets(root)))


@app.command()
def web(
    host: Annotated[
        str, typer.Option(help="Address to listen on (loopback: only this machine).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port).")] = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the page in the default browser.")
    ] = False,
) -> None:
    """Serve a local page to choose, preview and download a project (needs scaffold-web[web])."""
    with _reported():
        from scaffold.web import require_extra

        require_extra()
        from scaffold.web.serve import serve

        serve(host, port, open_browser=open_browser)


def main() -> None:
    """Entry point of the `scaffold` command."""
    app()
