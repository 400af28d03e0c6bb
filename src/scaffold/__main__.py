"""The `scaffold` command's entry point: signal handling first, everything else after.

Kept to the standard library so that it is running within milliseconds of the start; a
Ctrl-C or SIGTERM while the rest is still being imported ends with one line too.
"""

import sys

from scaffold import signals


def _stop_behind(error: BaseException) -> BaseException | None:
    """The Ctrl-C or SIGTERM behind an error, if any: Python wraps one that lands at some
    moments (a class being made while a module is imported) in a RuntimeError."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, (signals.Stopped, KeyboardInterrupt)):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def main() -> None:
    signals.install()
    try:
        from scaffold.cli import main as run

        run()
    except SystemExit:
        raise
    except BaseException as error:
        stop = _stop_behind(error)
        if stop is None:
            raise
        code = stop.exit_code if isinstance(stop, signals.Stopped) else 130
        reason = stop.reason if isinstance(stop, signals.Stopped) else "interrupted"
        sys.stderr.write(f"scaffold: {reason}; nothing was written\n")
        sys.exit(code)


if __name__ == "__main__":
    main()
