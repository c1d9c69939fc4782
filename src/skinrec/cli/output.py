"""Where output goes: data to stdout or an atomically written file, messages to stderr; colour only on a TTY.

Kept free of Rich imports at module level: `-f json` runs never load Rich at all.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from skinrec.atomic import write_atomic

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer
    from rich.console import Console


# What to do when writing the output itself fails (`> /dev/full`): it has no path to name.
OUTPUT_REFUSED = "; the output could not be written: check where it goes (a full disk?)"
# ... and when there is nowhere to write it: the caller closed stdout (`>&-`; launch.py puts it back read-only).
STDOUT_CLOSED = "standard output is closed, so the output could not be written; redirect it (> FILE) instead"
# The same, said before the questionnaire asks anything: nothing has been written yet, and -o would do.
STDOUT_CLOSED_UP_FRONT = (
    "standard output is closed, so the results would have nowhere to go; redirect it (> FILE) or give -o FILE"
)
# Other names a person may give a format (`-f md`), which a file's name may end with too (`-o report.md`).
FORMAT_ALIASES = {"md": "markdown"}


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"

    @classmethod
    def for_file(cls, path: Path | None) -> Format:
        """The format a file's name asks for (`-o report.json` wants JSON, `.md` Markdown), else a table."""
        name = "" if path is None else path.suffix.lower().removeprefix(".")
        name = FORMAT_ALIASES.get(name, name)
        return cls(name) if name in cls.__members__ else cls.table


def settle_width() -> None:
    """Forget a COLUMNS no terminal has (0, -5, 'abc'), so that every part (Rich, Typer's help, the questionnaire)
    measures the terminal itself: Rich took COLUMNS=0 for zero columns, and printed nothing at all, exit 0."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and not (columns.isascii() and columns.isdigit() and int(columns) > 0):
        del os.environ["COLUMNS"]


def settle_encodings() -> None:
    """Make output that would fail on a narrow encoding work. Python writes in the locale's encoding, which may
    hold no '·', '—' or '≤' (PYTHONIOENCODING=ascii; Windows redirecting to a file uses a code page), and the
    first such character would end the run with a traceback, after the questionnaire's last answer at worst.
    So data written to a file or a pipe is UTF-8 whatever the locale, the same bytes `--output` writes (JSON
    is UTF-8 by its standard); a terminal or stderr, which a person reads, gets '?' for what it cannot show,
    and an answer typed in the questionnaire is read with '?' for what stdin cannot decode (then refused).

    A path holding bytes its locale cannot decode (`LC_ALL=C` and 'Clínica', or a Latin-1 name under UTF-8)
    reaches Python as lone surrogates, which no encoding holds: printing such a path in a message or a finding
    ended the run with a traceback, or (where Python escapes them back, C.UTF-8) wrote bytes that are not UTF-8.
    Stdout therefore writes them as backslash escapes ('Cl\\udcc3\\udcadnica'), so the output stays valid UTF-8
    and still shows which bytes were there, as stderr does by default."""
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        utf8 = encoding in ("utf8", "utf8sig")
        if not isinstance(stream, io.TextIOWrapper) or (utf8 and stream is not sys.stdout):
            continue
        with contextlib.suppress(ValueError, OSError):  # a closed or detached stream: nothing will be written
            if stream is sys.stdout and not stream.isatty():
                stream.reconfigure(encoding=None if utf8 else "utf-8", errors="backslashreplace")
            elif not utf8:
                stream.reconfigure(errors="replace")
            elif stream.errors == "strict":  # a UTF-8 terminal
                stream.reconfigure(errors="backslashreplace")


class _WholeWrites(io.FileIO):
    """A file that writes all it is given, or raises. The kernel may write less than it was given (a disk with a
    few kilobytes left takes those and reports the count), and Python's unbuffered stdout (PYTHONUNBUFFERED=1,
    usual in containers) then drops the rest without a word: `recommend -f json > almost-full/r.json` wrote
    12 kB of 41 and exited 0, leaving a script half a document. Writing the rest again gets the disk's refusal
    (ENOSPC), which is reported."""

    def write(self, data: ReadableBuffer, /) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            wrote = super().write(view[done:])
            if wrote is None:  # a non-blocking stdout that is full: nothing to wait on here
                raise BlockingIOError(errno.EAGAIN, "standard output would block")
            done += wrote
        return done


def whole_stdout() -> None:
    """Give stdout a raw layer that never drops what a short write leaves (see `_WholeWrites`), keeping its
    encoding and (with `write_through`, as PYTHONUNBUFFERED asks) its buffering; stdout other than a file
    descriptor (captured by a test) is left as it is."""
    out = sys.stdout
    buffer = getattr(out, "buffer", None)
    raw = buffer if type(buffer) is io.FileIO else getattr(buffer, "raw", None)  # unbuffered: the file itself
    if not isinstance(out, io.TextIOWrapper) or type(raw) is not io.FileIO:
        return
    with contextlib.suppress(ValueError, OSError):  # closed, or already refusing: as it was
        out.flush()
        raw = _WholeWrites(out.fileno(), "w", closefd=False)
        sys.stdout = io.TextIOWrapper(
            io.BufferedWriter(raw),
            encoding=out.encoding,
            errors=out.errors,
            line_buffering=out.line_buffering,
            write_through=out.write_through,
        )


def color_wanted(no_color: bool, stream: TextIO | None = None) -> bool:
    """Colour when `stream` (stdout by default) is a terminal, unless --no-color or NO_COLOR (any value, per
    no-color.org) says otherwise."""
    return not no_color and not os.environ.get("NO_COLOR") and (stream or sys.stdout).isatty()


def on_terminal() -> bool:
    """A person is at a terminal (stdin and stdout both TTYs): only then may skinrec ask questions unbidden."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def make_console(*, no_color: bool = False, capture: bool = False, stderr: bool = False) -> Console:
    """A Rich console for data (stdout) or messages (stderr); width 80 whenever it is not a terminal."""
    from rich.console import Console

    terminal = (sys.stderr if stderr else sys.stdout).isatty() and not capture
    return Console(
        stderr=stderr,
        no_color=not (terminal and color_wanted(no_color)),
        force_terminal=False if not terminal else None,
        width=None if terminal else 80,
        highlight=False,
        soft_wrap=False,
        record=capture,
        file=io.StringIO() if capture else None,  # a recording console's text is taken with export_text
    )


def wrote(path: Path) -> str:
    """The line saying where the output went, its name escaped: a file may be named with a newline or an
    escape sequence (`-o $'a\\nb.md'` printed "wrote a" and "b.md" on a line of its own)."""
    from skinrec.profile import escaped

    return f"wrote {escaped(str(path))}"


def emit(text: str, output: Path | None) -> None:
    """Send rendered data to --output (atomically) or to stdout."""
    if output is not None:
        write_atomic(output, text)
        print(wrote(output), file=sys.stderr)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def print_findings(lines: list[str], summary: str) -> None:
    """Print a command's findings (problems, failed checks) to stdout, one a line, and their `summary` to
    stderr. If a reader leaves early (`skinrec kb validate 2>&1 | head -3`) the rest is dropped quietly, but
    the command still ends with its own exit code: a broken pipe otherwise counts as success, and an invalid
    knowledge base must not."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        detach_stdout()
    with contextlib.suppress(BrokenPipeError):
        print(summary, file=sys.stderr)


def detach_stdout() -> None:
    """Point stdout at /dev/null once its reader has left, so that no later write (the interpreter's own last
    flush at exit included) fails again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def print_rich(draw: Callable[[Console], None], *, no_color: bool, output: Path | None = None) -> None:
    """Draw with Rich straight onto a terminal; anywhere else (a pipe, a file, --output) capture the text at
    80 columns, strip the trailing spaces Rich pads lines with, and emit it, so piped output diffs cleanly."""
    if output is None and sys.stdout.isatty():
        draw(make_console(no_color=no_color))
        return
    console = make_console(no_color=no_color, capture=True)
    draw(console)
    emit("".join(line.rstrip() + "\n" for line in console.export_text().splitlines()), output)


def stdout_closed() -> bool:
    """Whether the caller closed stdout (`>&-`), which launch.py reopens read-only on /dev/null, so that writing
    the results fails (EBADF) rather than vanish: asked of the descriptor, which refuses no write yet, so that
    the questionnaire can say so before its first question rather than after the last answer."""
    try:
        import fcntl
    except ImportError:  # not on Windows: there the results' write says it
        return False
    try:
        descriptor = sys.stdout.fileno()
    except (ValueError, AttributeError):  # not a file descriptor (captured output in a test): it takes writes
        return False
    try:
        return fcntl.fcntl(descriptor, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDONLY
    except OSError:  # no such descriptor at all
        return True
