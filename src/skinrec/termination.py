"""SIGTERM (`kill`, a job scheduler, a container stopping): ending a run as cleanly as Ctrl-C does.

By default SIGTERM kills the process on the spot, leaving a half-written output's temporary file behind and,
in batch mode, worker processes waiting for work for ever. `launch` therefore makes it raise `Terminated`, a
KeyboardInterrupt, which unwinds through the same clean-up as Ctrl-C; the run then exits 143.

An exception raised by a signal handler can land anywhere, though: inside a lock of a process pool (which then
never shuts down), or in a finaliser, where Python prints it as "Exception ignored" and carries on. Code that
runs long and holds such machinery asks for SIGTERM to be `deferred`: it is then only noted, and the code calls
`check()` where stopping is safe (between two chunks of a batch). Within that, a stretch that holds none of the
machinery but may block for long (reading a batch's input from a silent pipe, writing to a reader that does
not read) runs `acting`: SIGTERM stops it at once there, as Ctrl-C does everywhere.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from types import FrameType
from typing import NoReturn

from skinrec.errors import Terminated

_terminated = False
_noted = False  # a SIGTERM came within a `deferred` block and was not acted on yet


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

    global _noted
    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    _noted = False
    previous = signal.signal(signal.SIGTERM, _note)
    try:
        yield _check
    finally:
        signal.signal(signal.SIGTERM, previous)
        came, _noted = _noted, False  # forgotten even when the block raised: `acting` must not find it later
    if came:
        terminate()


def _note(signum: int, frame: FrameType | None) -> None:
    """The SIGTERM handler within `deferred`."""
    global _noted
    _noted = True


def _check() -> None:
    if _noted:
        terminate()


@contextlib.contextmanager
def acting() -> Iterator[None]:
    """Within a `deferred` block, a stretch where SIGTERM stops the run at once after all, acting on one noted
    before it too: for code that holds none of the machinery the deferral protects but may block for as long
    as someone else likes (`skinrec batch FIFO` waits for its writer; /dev/zero is one endless line). Outside
    such a block (and so outside the main thread) it changes nothing."""
    if signal.getsignal(signal.SIGTERM) is not _note:
        yield
        return
    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        _check()
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
