"""Batch mode: profiles as JSON lines in, one recommendation document per line out, in input order.

A line is a JSON object with the keys of a profile file plus an optional `id` (a string or a whole number),
which its result carries as its first member. A line that cannot be scored becomes an error record,

    {"id": "p-17", "line": 17, "error": "concerns: unknown concern 'acne scarz' — did you mean 'acne_scars'?"}

(`id` only when the line had a usable one), and every other line is still scored. Blank lines are skipped.

Lines are scored in chunks: one after another in this process, or by `jobs` worker processes that each
score whole chunks while this process only reads and hands them out, so the order of the output is the order
of the input whatever the number of workers. Results are about 10 kB a line; rather than send them back
through a pipe (which cost the parent as much as scoring), a worker leaves each chunk's output in a spill
file, and the parent has the kernel append the spill files to the output in order. Workers are forked where
the platform allows, inheriting the loaded knowledge base; elsewhere each loads it (from the cache) once.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, BinaryIO

from skinrec.atomic import start_writeback
from skinrec.errors import DataError
from skinrec.fast_export import write_document
from skinrec.gcpause import without_gc
from skinrec.knowledge import KnowledgeBase
from skinrec.profile import DuplicateKey, FieldError, escaped, profile_from_mapping, shown
from skinrec.profile_file import JSON_PROFILE_DECODER, answers_conditions, json_problem, strict_json
from skinrec.termination import acting, deferred
from skinrec.wording import count
from skinrec.written import read_float_as_written

CHUNK_LINES = 500
# Made once: json.loads with an object_pairs_hook would build a decoder for every line. A number keeps its text
# where a float would say it otherwise, so that its error quotes the line (1e999, 1e-5), not 'Infinity' or 1e-05.
# The same decoder as a .json profile's: NaN and Infinity are refused, as JSON has neither (see strict_json).
_DECODER = JSON_PROFILE_DECODER
# Reads a line's objects as tuples of (key, value) pairs, duplicates and all (see `_id_despite_duplicate`).
_PAIRS = json.JSONDecoder(object_pairs_hook=tuple, parse_float=read_float_as_written)
LONE_SURROGATE = "not valid text: a \\u escape names half of a UTF-16 surrogate pair on its own"
NO_CONCERN = (
    'concerns: at least one concern is needed; add "concerns": [...] with one or more concern ids (skinrec concerns '
    "lists them)"
)
# A line nested past what Python's json reads: valid JSON, so not said to be invalid, but nothing a profile holds,
# whose values are at most a list deep.
TOO_DEEP = "not valid JSON for a profile: nested too deeply; a profile is a flat object of lists and values"
# A profile is a few hundred bytes; a longer line is refused without being held in memory whole.
MAX_LINE_BYTES = 1024 * 1024

Chunk = tuple[int, bytes]  # the 1-based number of its first line, and its lines, each ended by a newline


@dataclass(frozen=True, slots=True)
class Scored:
    """One chunk's output (one line per non-blank input line) or the spill file a worker left it in, its bad
    lines as (line number, message), how many profiles (non-blank lines) it scored and how many bytes of input
    it covered."""

    text: bytes
    errors: list[tuple[int, str]]
    profiles: int
    size: int
    spill: str | None = None


def _json_kind(value: Any) -> str:
    """What a JSON value is, in JSON's words (a person wrote JSON, not Python)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return "a number"
    return "a string" if isinstance(value, str) else "an array"


def _line_error(data: Any) -> tuple[Any, str | None]:
    """The line's usable id (None if it has none), and what is wrong with the line's shape, if anything."""
    if not isinstance(data, dict):
        return None, f"a line must be a JSON object (a profile), not {_json_kind(data)}"
    ident = data.get("id")
    if ident is not None and (isinstance(ident, bool) or not isinstance(ident, str | int)):
        return None, f"id must be a string or a whole number, not {shown(ident)}"
    return ident, None


def score_line(
    kb: KnowledgeBase, raw: bytes, number: int, top: int | None, write: Callable[[str], object]
) -> str | None:
    """Hand the output line for one input line to `write` (in pieces, without its newline); return the error
    message when the line was bad."""
    if len(raw) > MAX_LINE_BYTES + raw.endswith(b"\r"):  # the limit is the content's: a CRLF ending is no part
        return _error_record(None, number, f"longer than {MAX_LINE_BYTES // 2**20} MiB; one profile per line", write)
    try:
        text = raw.decode("utf-8-sig")  # strict UTF-8: no encoded surrogates; a BOM may lead
    except UnicodeDecodeError:
        return _error_record(None, number, "not UTF-8 text; save the file as UTF-8", write)
    try:
        data = strict_json(_DECODER, text)
    except DuplicateKey as exc:
        return _error_record(_id_despite_duplicate(text), number, str(exc), write)
    except json.JSONDecodeError as exc:
        return _error_record(None, number, _not_json(text, exc), write)
    except ValueError:  # json's own reading of a number with thousands of digits
        return _error_record(None, number, "not valid JSON: a number with thousands of digits", write)
    except RecursionError:  # valid JSON, deeper than Python's json reads (about 1,000 levels)
        return _error_record(None, number, TOO_DEEP, write)
    if b"\\u" in raw and not _encodable(data):
        return _error_record(None, number, LONE_SURROGATE, write)
    ident, problem = _line_error(data)
    if problem is not None:
        return _error_record(ident, number, problem, write)
    try:
        profile = profile_from_mapping(kb, data, extra_keys=("id",))
    except FieldError as exc:
        return _error_record(ident, number, str(exc), write)
    if not profile.concerns:
        return _error_record(ident, number, NO_CONCERN, write)
    write_document(kb, profile, top, ident, write, answers_conditions(data), origin="line")
    return None


def _not_json(text: str, exc: json.JSONDecodeError) -> str:
    """A line's JSON syntax error, worded as a .json profile's is (`json_problem`), with the column (a line is
    one line) before the words, which may end in a fix or in parentheses of their own."""
    _, col, problem, fix, _ = json_problem(text, exc, unit="line")
    return f"not valid JSON at column {col}: {escaped(problem)}" + (f"; {fix}" if fix else "")


def _id_despite_duplicate(text: str) -> Any:
    """The usable id of a line refused for a key given twice, as any other bad line's error record carries it;
    None where `id` is the key given twice (which id would be meant?), or the line holds other mistakes."""
    try:
        top = _PAIRS.decode(text)
    except (ValueError, RecursionError):  # the duplicate came before the line's other mistakes
        return None
    ids = [value for key, value in top if key == "id"] if isinstance(top, tuple) else []
    return _line_error({"id": ids[0]})[0] if len(ids) == 1 else None


def _encodable(data: Any) -> bool:
    """Whether every string in the line's data can be written as UTF-8: JSON lets an escape name half of a
    UTF-16 pair on its own ("\\ud800"), which no UTF-8 output can hold."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _error_record(ident: Any, number: int, message: str, write: Callable[[str], object]) -> str:
    record = ({"id": ident} if ident is not None else {}) | {"line": number, "error": message}
    write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
    return message


@without_gc
def score_chunk(kb: KnowledgeBase, chunk: Chunk, top: int | None) -> Scored:
    """A chunk's output, written as one list of pieces joined once: a document is about 10 kB, and joining
    each line on its own and then the lines would copy every byte twice more."""
    first, blob = chunk
    lines = blob.split(b"\n")
    lines.pop()  # what follows the last newline: nothing
    out: list[str] = []
    write = out.append
    errors: list[tuple[int, str]] = []
    profiles = 0
    for number, raw in enumerate(lines, start=first):
        if not raw or raw.isspace():
            continue
        profiles += 1
        problem = score_line(kb, raw, number, top, write)
        write("\n")
        if problem is not None:
            errors.append((number, problem))
    return Scored("".join(out).encode(), errors, profiles, len(blob))


def _lines(source: BinaryIO) -> Iterator[bytes]:
    """The input's lines, each ended by a newline; of a line longer than MAX_LINE_BYTES (not counting its
    ending, LF or CRLF) only its start (which `score_line` refuses)."""
    while line := source.readline(MAX_LINE_BYTES + 2):
        if not line.endswith(b"\n"):
            if len(line) > MAX_LINE_BYTES + 1:
                while (rest := source.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                    pass
            line += b"\n"
        yield line


def chunks(source: BinaryIO) -> Iterator[Chunk]:
    """The input in chunks of CHUNK_LINES lines, each with the number of its first line: one bytes object a
    chunk, which costs nothing to hand to a worker, where a list of lines costs a pickled object each."""
    number = 1
    lines = _lines(source)
    while block := list(itertools.islice(lines, CHUNK_LINES)):
        yield number, b"".join(block)
        number += len(block)


# The worker processes' knowledge base and --top: set in the parent before forking, or by `_start_worker`.
_WORKER: tuple[KnowledgeBase, int | None] | None = None


def _start_worker(kb_dir: str, use_cache: bool, top: int | None, parent: int) -> None:
    global _WORKER
    # A worker dies of SIGTERM at once: the parent's handler (see launch.py) would only make it report the
    # chunk it was scoring as failed and carry on waiting for work.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)
    if _WORKER is None:
        from skinrec.loader import load_kb

        _WORKER = load_kb(kb_dir, use_cache=use_cache), top


# prctl's request to be sent a signal when the parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when `parent` (the pid of the process that started it) dies, on Linux.

    A parent that dies without shutting its pool down (`kill -9`, the out-of-memory killer) leaves its workers
    waiting for work on a queue nobody will ever write to: re-parented to PID 1, alive for ever, holding the
    temporary output open. The kernel's signal comes when the *thread* that forked the worker ends, which here
    is the parent's main thread: a ProcessPoolExecutor that forks starts all its workers at the first submit,
    from the thread that submits (batch mode's main thread), and starts none later. If the parent died before
    the request was made, the worker is already someone else's child: it leaves at once."""
    if sys.platform != "linux":
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # no C library to ask, or one without prctl
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _score_in_worker(task: tuple[Chunk, str]) -> Scored:
    chunk, spill_dir = task
    assert _WORKER is not None
    scored = score_chunk(_WORKER[0], chunk, _WORKER[1])
    spill = os.path.join(spill_dir, f"{chunk[0]}.jsonl")
    try:
        with open(spill, "wb") as handle:
            handle.write(scored.text)
    except OSError as exc:  # said here: the parent would take it for its own output refusing the results
        raise DataError(_no_room(spill_dir, exc)) from None
    return Scored(b"", scored.errors, scored.profiles, scored.size, spill)


def _no_room(spill_dir: str, exc: OSError) -> str:
    """What to say when the temporary folder refuses the workers' results (TMPDIR full, or not writable)."""
    return (
        f"cannot write the workers' results to the temporary folder '{spill_dir}': {exc.strerror or exc}; make room "
        "there, point TMPDIR at a folder with room, or use --jobs 1 (which needs no temporary files)"
    )


def score_all(
    kb: KnowledgeBase,
    kb_dir: str,
    source: Iterable[Chunk],
    top: int | None,
    *,
    jobs: int = 1,
    use_cache: bool = True,
) -> Generator[Scored, None, None]:
    """Every chunk scored, in input order: here, or spread over `jobs` worker processes (whose output is in
    spill files, for the caller to append to the output and delete).

    A process pool executor rather than multiprocessing.Pool: when a worker dies (the out-of-memory killer),
    the executor says so, where a Pool would wait forever for the chunk that worker took. At most two chunks
    per worker are read ahead, so the input is never read into memory whole. SIGTERM is acted on between
    chunks (see termination.py): raised inside the pool's machinery, it could leave the pool unable to shut
    down.
    """
    with deferred() as check:
        if jobs <= 1:
            for chunk in _read(source):
                check()
                yield score_chunk(kb, chunk, top)
        else:
            yield from _score_in_pool(kb, kb_dir, _read(source), top, jobs, use_cache, check)


def _read(source: Iterable[Chunk]) -> Iterator[Chunk]:
    """The chunks of `source`, each read with SIGTERM acting at once (see termination.py): reading holds none of
    the pool's machinery, and may wait as long as its writer likes (a named pipe whose writer is silent) or
    never end (/dev/zero, one endless line), where a SIGTERM only noted would wait with it."""
    chunks = iter(source)
    while True:
        with acting():
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def _score_in_pool(
    kb: KnowledgeBase,
    kb_dir: str,
    source: Iterable[Chunk],
    top: int | None,
    jobs: int,
    use_cache: bool,
    check: Callable[[], None],
) -> Iterator[Scored]:
    global _WORKER
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    _WORKER = (kb, top) if context.get_start_method() == "fork" else None
    try:
        spill_dir = tempfile.mkdtemp(prefix="skinrec-batch-")
    except OSError as exc:
        raise DataError(_no_room(tempfile.gettempdir(), exc)) from None
    executor = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_start_worker, initargs=(kb_dir, use_cache, top, os.getpid())
    )
    pending: deque[Future[Scored]] = deque()
    try:
        for chunk in source:
            check()
            pending.append(executor.submit(_score_in_worker, (chunk, spill_dir)))
            if len(pending) > 2 * jobs:
                yield pending.popleft().result()
        while pending:
            check()
            yield pending.popleft().result()
    except BrokenProcessPool:
        check()  # the workers were killed with the run (SIGTERM to its process group): stopped, not failed
        raise DataError("a worker process died (out of memory?); nothing more could be scored") from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        _WORKER = None
        shutil.rmtree(spill_dir, ignore_errors=True)


def _append(sink: BinaryIO, spill: str) -> None:
    """Append a spill file to the output, in the kernel (sendfile) where it can, else through a buffer."""
    with open(spill, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        sent = 0
        try:
            target = sink.fileno()
            sink.flush()
            while sent < size:
                sent += os.sendfile(target, handle.fileno(), sent, size - sent)
        except (OSError, ValueError):  # not a real file (captured output), or no sendfile to this kind of file
            if sent:
                raise
            shutil.copyfileobj(handle, sink)


def run(
    kb: KnowledgeBase,
    kb_dir: str,
    source: BinaryIO,
    sink: BinaryIO,
    top: int | None,
    *,
    jobs: int = 1,
    use_cache: bool = True,
    on_error: Callable[[int, str], None],
    on_progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Score every line of `source` into `sink`, reporting bad lines and bytes done; returns (profiles read, bad
    lines): blank lines are skipped, so neither counts them.

    Writing acts on SIGTERM at once, as reading does (see `_read`): a reader that does not read (`| sleep 60`)
    would hold it as long as it liked. The chunks are closed on the way out whatever happens, so the pool is
    shut down and the spill files deleted then, not whenever the traceback holding them is let go. Running out
    of memory is one line naming how far it got (a chunk's results are held whole, some megabytes)."""
    read = bad = 0
    try:
        with contextlib.closing(score_all(kb, kb_dir, chunks(source), top, jobs=jobs, use_cache=use_cache)) as done:
            for scored in done:
                with acting():
                    if scored.spill is not None:
                        _append(sink, scored.spill)
                        os.unlink(scored.spill)
                    else:
                        sink.write(scored.text)
                    start_writeback(sink)
                for number, message in scored.errors:
                    on_error(number, message)
                read += scored.profiles
                bad += len(scored.errors)
                if on_progress is not None:
                    on_progress(scored.size)
    except MemoryError:
        fewer = ", or use fewer --jobs" if jobs > 1 else ""
        raise DataError(
            f"out of memory after {count(read, 'profile')}; allow skinrec more (a container's memory limit, "
            f"ulimit -v){fewer}"
        ) from None
    return read, bad
