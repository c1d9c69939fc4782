"""SIGTERM (`kill`, a job scheduler, a container stopping): ending a run as cleanly as Ctrl-C does.

By default SIGTERM kills the process on the spot, leaving a half-written output's temporary file behind and,
in batch mode, worker processes waiting for work for ever. `launch` therefore makes it raise `Terminated`, a
KeyboardInterrupt, which unwinds through the same clean-up as Ctrl-C; the run then exits 143.

An exception raised by a signal handler can land anywhere, though: inside a lock of a process pool (which then
never shuts down), or in a finaliser, where Python prints it as "Exception ignored" and carries on. Code that
runs long and holds such machinery asks for SIGTERM to be `deferred`: it is then only noted, and the code calls
`check()` where stopping is safe (between two chunks of a batch).
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from types import FrameType
from typing import NoReturn

from skinrec.errors import Terminated

_terminated = False


def terminate(signum: int = signal.SIGTERM, frame: FrameType | None = None) -> NoReturn:
    """Stop the run: the SIGTERM handler `launch` installs, and what `check()` calls."""
    global _terminated
    _terminated = True
    raise Terminated


def terminated() -> bool:
    """Whether the run was stopped by SIGTERM (Typer reports any interruption as exit 130; this run's is 143)."""
    return _terminated


@contextlib.contextmanager
def deferred() -> Iterator[Callable[[], None]]:
    """Within the block SIGTERM is only noted; the `check` it yields stops the run if one came. (Signals can be
    handled only in the main thread: elsewhere nothing changes and `check` does nothing.)"""
    import threading  # here: every run imports this module, few defer

    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    requested: list[int] = []

    def check() -> None:
        if requested:
            terminate()

    previous = signal.signal(signal.SIGTERM, lambda signum, frame: requested.append(signum))
    try:
        yield check
    finally:
        signal.signal(signal.SIGTERM, previous)
    check()
