"""The console script's entry point (and `python -m skinrec`'s).

It imports the CLI inside its own handler for Ctrl-C: importing Typer, Rich and the rest takes a good part of
a run's tenth of a second, and Ctrl-C in that window would otherwise print a KeyboardInterrupt traceback
instead of the one line (and exit 130) that `skinrec.cli.app.main` gives once it runs. SIGTERM is turned into
an exception too (see termination.py), so that `kill` stops a run as cleanly as Ctrl-C, with exit 143.

A standard stream the caller closed (`skinrec <&-`, a daemon's `>&-`) is given back first, on /dev/null (see
`_reopen_closed_streams`), before anything else can open a file that would land on its number.
"""

from __future__ import annotations

import os
import signal
import sys

# The closed standard streams put back on /dev/null: stdin is read as empty, stderr written to nowhere (the exit
# code still tells), and stdout opened read-only, so that writing the output fails (EBADF) and is reported,
# where writing to nowhere would report a success nobody received.
_DEVNULL_FLAGS = {0: ("stdin", os.O_RDONLY, "r"), 1: ("stdout", os.O_RDONLY, "w"), 2: ("stderr", os.O_WRONLY, "w")}


def _reopen_closed_streams() -> None:
    """Put each standard stream the caller closed back, on /dev/null. Python sets `sys.stdin` (or stdout,
    stderr) to None for one, and the first `isatty()` or `.buffer` ended the run with a traceback, while
    `print(..., file=sys.stderr)` with stderr None prints to stdout, into the data. Worse, the next file opened
    takes the lowest free number: the temporary output file could become fd 2, where the interpreter and the
    worker processes write their own last words. Done in order 0, 1, 2, so each open lands on the number it
    fills."""
    for fd, (name, flags, mode) in _DEVNULL_FLAGS.items():
        if getattr(sys, name) is not None:
            continue
        opened = os.open(os.devnull, flags)
        if opened != fd:  # the number was open after all (Python found it unusable): put /dev/null there
            os.dup2(opened, fd)
            os.close(opened)
        stream = open(fd, mode, encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def main() -> None:
    _reopen_closed_streams()
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
