"""Errors that reach the person as one line, each carrying the exit code the CLI uses for it.

Usage mistakes (a flag value that cannot be right) exit 2; bad data (a profile file or knowledge base that
does not validate, a file that cannot be written) exits 1. The CLI catches `SkinrecError` at one place and
prints `message`, so nothing below it ever needs to know about exit codes or stderr.
"""

# The exit code of a run the person stopped: Ctrl-C anywhere, or end of input at a question. The CLI says
# "skinrec: stopped" for it at the same one place.
STOPPED = 130
# The exit code of a run stopped by SIGTERM (`kill`, a job scheduler): 128 + 15, as a shell reports it.
TERMINATED = 143


class Terminated(KeyboardInterrupt):
    """SIGTERM, as an exception (see termination.py): a run stopped by `kill` unwinds as one stopped by Ctrl-C."""


class SkinrecError(Exception):
    """A problem the person can fix; `message` names the problem and the fix."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(SkinrecError):
    """The command line itself is wrong (exit 2)."""

    exit_code = 2


class DataError(SkinrecError):
    """A file or record given to skinrec is unreadable or invalid (exit 1)."""

    exit_code = 1


def unreadable(path: object, exc: OSError, wanted: str) -> DataError:
    """One line for an input file that cannot be opened, ending with what the person should give instead."""
    if isinstance(exc, FileNotFoundError):
        return DataError(f"{path}: no such file; give {wanted}")
    if isinstance(exc, IsADirectoryError):
        return DataError(f"{path}: is a directory; give {wanted}")
    return DataError(f"{path}: cannot read ({exc.strerror}); give {wanted}")


def nul_in_path(path: object, wanted: str) -> UsageError:
    """One line for a path holding a NUL byte, which no file name can: only a program (never a shell) passes
    one, and Python refuses it with a ValueError rather than the OSError other unusable names give."""
    return UsageError(f"{str(path)!r}: a path cannot contain a NUL byte; give {wanted}")
