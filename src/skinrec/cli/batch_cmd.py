"""`skinrec batch`: a file of profiles (JSON lines) in, a file of results out, in order, optionally in parallel."""

# No `from __future__ import annotations` in command modules: Typer evaluates string annotations on every
# run (see app.py).

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer

from skinrec.cli.options import KbOption, NoCacheOption

if TYPE_CHECKING:
    from rich.progress import Progress

MAX_JOBS = 64


def batch(
    source: Annotated[
        str,
        typer.Argument(
            metavar="IN.jsonl", help="Profiles, one JSON object per line ('-' reads stdin).", show_default=False
        ),
    ],
    outputs: Annotated[
        list[str] | None,  # a list only to see a repeated -o, which `given_once` refuses
        typer.Option(
            "--output",
            "-o",
            metavar="OUT.jsonl",
            help="Where the results go, one per line, written atomically ('-', the default, is stdout).",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", min=1, max=MAX_JOBS, metavar="N", help="Worker processes to score with.")
    ] = 1,
    top: Annotated[
        int, typer.Option("--top", "-n", min=0, metavar="N", help="At most N recommendations per profile (0 = all).")
    ] = 10,
    kb: KbOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Score many profiles at once: one profile per input line, one result document per output line.

    A line holds the keys of a profile file plus an optional "id", which its result carries. A line that
    cannot be scored gets an error record {"id", "line", "error"} in its place and a message on stderr; every
    other line is still scored, and skinrec exits 1 at the end.

    Example: skinrec batch patients.jsonl -o results.jsonl --jobs 2
    """
    import sys
    from contextlib import ExitStack
    from pathlib import Path

    from skinrec import batch as batch_mode
    from skinrec.atomic import atomic_file, check_writable
    from skinrec.cli.options import given_once
    from skinrec.cli.output import wrote
    from skinrec.errors import DataError, UsageError
    from skinrec.loader import load_kb, resolve_kb_dir
    from skinrec.wording import count

    given = given_once(outputs, "--output", "give one file for the results")
    output = "-" if given is None else given
    if source == "":  # as Path(""), it would be the working directory
        raise UsageError("IN.jsonl needs a file name (or '-' for stdin)")
    if output == "":
        raise UsageError("-o needs a file name (or '-' for stdout)")
    root = resolve_kb_dir(kb)
    knowledge = load_kb(root, use_cache=not no_cache)
    target = None if output == "-" else Path(output)
    if target is not None:
        check_writable(output, reading=source, example="results.jsonl")  # as typed: a trailing '/' is a folder
    name = "<stdin>" if source == "-" else source
    with ExitStack() as stack:
        reader = sys.stdin.buffer if source == "-" else stack.enter_context(_open_input(source))
        writer = stack.enter_context(_stdout() if target is None else atomic_file(target))
        progress = stack.enter_context(_progress(reader)) if sys.stderr.isatty() else None

        def report(number: int, message: str) -> None:
            line = f"skinrec: error: {name}:{number}: {message}"
            if progress is not None:
                progress.console.print(line, markup=False, highlight=False)
            else:
                print(line, file=sys.stderr)

        read, bad = batch_mode.run(
            knowledge,
            str(root),
            reader,
            writer,
            top or None,
            jobs=jobs,
            use_cache=not no_cache,
            on_error=report,
            on_progress=None if progress is None else lambda size: progress.advance(progress.task_ids[0], size),
        )
    if target is not None:
        print(wrote(target), file=sys.stderr)
    if bad:
        profiles = f"{bad} of {count(read, 'profile')}"
        where = "its error record is" if bad == 1 else "their error records are"
        raise DataError(f"{profiles} could not be scored; {where} in the output")


def _open_input(source: str) -> BinaryIO:
    """The input file, opened for reading bytes; a problem is one clear line, not a traceback."""
    from skinrec.errors import nul_in_path, unreadable

    wanted = "a JSON-lines file of profiles, or '-' for stdin"
    try:
        return open(source, "rb")
    except OSError as exc:
        raise unreadable(source, exc, wanted) from None
    except ValueError:
        raise nul_in_path(source, wanted) from None


@contextmanager
def _stdout() -> Iterator[BinaryIO]:
    """Standard output, for the results, as `atomic_file` is for a file: a refusal to write (a full disk behind
    `> results.jsonl`) is one line, which cannot name a path to check, as an unforeseen error's would."""
    import errno
    import sys

    from skinrec.errors import DataError

    try:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # the reader left (`| head`): `main` ends quietly
        raise
    except OSError as exc:
        if exc.errno == errno.EBADF:  # closed by the caller (`>&-`): launch.py put it back read-only
            raise DataError(
                "cannot write the results to standard output: it is closed; redirect it (> OUT.jsonl) or give "
                "-o OUT.jsonl"
            ) from None
        raise DataError(
            f"cannot write the results to standard output: {exc.strerror}; check where it goes (a full disk?), or "
            "give -o OUT.jsonl"
        ) from None


def _progress(reader: BinaryIO) -> "Progress":
    """A progress bar on stderr (the caller only asks on a terminal), measured in bytes of input."""
    import os
    import stat

    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    from skinrec.cli.output import make_console

    try:
        info = os.fstat(reader.fileno())
        total = info.st_size if stat.S_ISREG(info.st_mode) else None
    except (OSError, ValueError):
        total = None
    progress = Progress(
        TextColumn("scoring"),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
        console=make_console(stderr=True),
        transient=True,
    )
    progress.add_task("scoring", total=total)
    return progress
