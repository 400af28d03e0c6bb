"""The `scaffold` command's entry point: signal handling first, everything else after.

Kept to the standard library so that it is running within milliseconds of the start; a
Ctrl-C or SIGTERM while the rest is still being imported ends with one line too.
"""

import sys

from scaffold import signals


def main() -> None:
    signals.install()
    try:
        from scaffold.cli import main as run

        run()
    except (signals.Stopped, KeyboardInterrupt) as stop:
        code = stop.exit_code if isinstance(stop, signals.Stopped) else 130
        reason = stop.reason if isinstance(stop, signals.Stopped) else "interrupted"
        sys.stderr.write(f"scaffold: {reason}; nothing was written\n")
        sys.exit(code)


if __name__ == "__main__":
    main()
