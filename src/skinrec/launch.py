"""The console script's entry point (and `python -m skinrec`'s).

It imports the CLI inside its own handler for Ctrl-C: importing Typer, Rich and the rest takes a good part of
a run's tenth of a second, and Ctrl-C in that window would otherwise print a KeyboardInterrupt traceback
instead of the one line (and exit 130) that `skinrec.cli.app.main` gives once it runs. SIGTERM is turned into
an exception too (see termination.py), so that `kill` stops a run as cleanly as Ctrl-C, with exit 143.
"""

from __future__ import annotations

import signal
import sys


def main() -> None:
    from skinrec.errors import STOPPED, TERMINATED
    from skinrec.termination import terminate, terminated

    signal.signal(signal.SIGTERM, terminate)
    try:
        from skinrec.cli.app import main as run

        run()
    except KeyboardInterrupt:
        print("skinrec: stopped", file=sys.stderr)  # the same line as `skinrec.cli.app.main` gives
        sys.exit(TERMINATED if terminated() else STOPPED)
    except SystemExit as exc:
        if terminated() and exc.code == STOPPED:
            sys.exit(TERMINATED)
        raise
