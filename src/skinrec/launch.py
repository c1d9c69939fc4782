"""The console script's entry point (and `python -m skinrec`'s).

It imports the CLI inside its own handler for Ctrl-C: importing Typer, Rich and the rest takes a good part of
a run's tenth of a second, and Ctrl-C in that window would otherwise print a KeyboardInterrupt traceback
instead of the one line (and exit 130) that `skinrec.cli.app.main` gives once it runs.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from skinrec.cli.app import main as run

        run()
    except KeyboardInterrupt:
        from skinrec.errors import STOPPED

        print("skinrec: stopped", file=sys.stderr)  # the same line as `skinrec.cli.app.main` gives
        sys.exit(STOPPED)
