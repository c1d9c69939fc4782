"""Write files so that a reader only ever sees the old file or the complete new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from skinrec.errors import DataError, UsageError, nul_in_path


def _destination(path: Path) -> tuple[Path, bool]:
    """Where writing `path` lands, and whether it is a file to replace in one step.

    A symbolic link is followed, as a shell's `>` follows it: writing `latest.json -> runs/7.json` replaces
    runs/7.json and keeps the link, where renaming over the link would silently turn it into a file. Something
    that exists but is no regular file (/dev/null, /dev/stdout when it is a pipe, a named pipe) holds no old
    content to protect and cannot be replaced, so it is written as it is: renaming over /dev/null, which root
    may do, would put a file in its place for the whole system. Raises OSError for a name the system refuses
    to look at (too long, a loop of links)."""
    try:
        info = os.stat(path)  # through links, /proc's too: /dev/stdout reports what fd 1 is
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        return path, False
    if os.path.islink(path):
        return Path(os.path.realpath(path)), True
    return path, True


def check_writable(given: str | Path, reading: str | Path | None = None, example: str = "result.json") -> None:
    """Fail before any work is done when the path `given` can never be written, so nothing is computed for
    nothing; or when it is the file being read (`reading`, if any: '-' is stdin), which the output would
    replace. A directory is answered with `example`, a file name to put in it. A name as typed, since one that
    ends in '/' names a folder, as a shell's `>` takes it, and `Path` drops the slash (it wrote a file there)."""
    path = Path(given)
    if "\x00" in str(path):  # pathlib's tests answer False for such a name rather than refuse it
        raise nul_in_path(path, "a writable file name")
    if str(given).endswith(("/", os.sep)) and str(given) not in ("/", os.sep):
        raise DataError(
            f"cannot write '{given}': a name ending in '/' is a folder; give a file name, e.g. '{path / example}'"
        )
    if reading is not None and _is_input(path, reading):
        piped = " (read from stdin)" if str(reading) == "-" else ""
        raise UsageError(
            f"-o '{path}' is the input file{piped}, which the results would replace; write them to another file"
        )
    try:
        target, replace = _destination(path)
        is_dir = replace and target.is_dir()
        parent = target.parent if str(target.parent) else Path(".")
        parent_is_dir = not replace or parent.is_dir()
        if replace:
            writable = os.access(parent, os.W_OK) and (not target.exists() or os.access(target, os.W_OK))
        else:
            writable = os.access(target, os.W_OK)
    except OSError as exc:  # a name the system refuses to look at: too long, a loop of links
        raise DataError(f"cannot write '{path}': {exc.strerror}; choose a writable path") from None
    if is_dir:
        raise DataError(f"cannot write '{path}': it is a directory; give a file name, e.g. '{path / example}'")
    if not parent_is_dir:
        raise DataError(f"cannot write '{path}': folder '{parent}' does not exist; create it first")
    if not writable:
        why = "read-only file system" if _read_only(target.parent if replace else target) else "permission denied"
        raise DataError(f"cannot write '{path}': {why}; choose a writable path")


def _read_only(where: Path) -> bool:
    """Whether `where` is on a file system mounted read-only (which os.access reports as any refusal)."""
    try:
        return bool(os.statvfs(where if str(where) else ".").f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # statvfs is POSIX only
        return False


def _is_input(path: Path, reading: str | Path) -> bool:
    """Whether `path` is the input: the file named `reading`, or for '-' the file a shell redirected to stdin
    (`< patients.jsonl`), which the output would replace just the same."""
    if str(reading) != "-":
        return same_file(path, reading)
    try:
        source, target = os.fstat(sys.stdin.fileno()), os.stat(path)
    except (OSError, ValueError, AttributeError):  # no stdin, one with no file behind it, or no such path yet
        return False
    return stat.S_ISREG(source.st_mode) and (source.st_dev, source.st_ino) == (target.st_dev, target.st_ino)


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two names lead to one file (through links, hard links included); False if either is missing."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


@contextlib.contextmanager
def atomic_file(path: Path, *, durable: bool = True, owned: bool = False) -> Iterator[BinaryIO]:
    """A binary file that replaces `path` in one step when the `with` block ends normally, and vanishes
    (leaving `path` as it was) when the block raises: batch mode streams gigabytes through it this way. A
    person's link is followed, and a device or pipe written directly (see `_destination`); a path the caller
    `owned` (a cache entry) is replaced whatever it is, since nobody else's file can be there.

    `durable` also flushes to disk before the rename, so a crash or power cut cannot leave an empty file
    behind a completed rename; the cache skips that, since a lost cache entry is simply rebuilt. The new
    file gets the old one's owner, group and permissions (see `_settle`), or the umask's mode for a new file,
    not the private mode of a temp file.
    """
    if not owned:
        check_writable(path)
    try:
        target, replace = (path, True) if owned else _destination(path)
        if replace:
            with _replacing(target, durable, path) as handle:
                yield handle
        else:
            with open(target, "wb") as handle:
                yield handle
    except OSError as exc:
        raise DataError(f"cannot write '{path}': {exc.strerror}; choose a writable path") from None


@contextlib.contextmanager
def _replacing(path: Path, durable: bool, given: Path) -> Iterator[BinaryIO]:
    """`atomic_file` for a regular file (or a new one): a temporary file beside it, renamed over it at the end.

    A folder can refuse that temporary file even where the file itself may be written (root writing into /proc,
    which creates no files; an immutable folder): the system's reason, "No such file or directory" for /proc,
    would then be given for a file that plainly exists, so the folder is named instead (`given` as typed)."""
    import tempfile  # here, not at the top: `skinrec --help` imports this module but never writes

    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise DataError(
            f"cannot write '{given}': folder '{parent}' refuses new files ({exc.strerror}), and skinrec writes a "
            "temporary file beside the output first; choose a path in a folder you can create files in"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            _settle(fd, path)  # after the last write: a write by anyone but root clears a set-group-id bit
            if durable:
                os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise


def start_writeback(handle: BinaryIO) -> None:
    """Have the kernel start writing what `handle` holds so far to disk, and let those pages leave the cache
    once written, without waiting for either. Called as a long stream (batch output: hundreds of megabytes) is
    written, so the disk works while skinrec scores rather than all at the end, in a durable `atomic_file`'s
    final flush (measured: about 7% off a 40,000-line batch run; the final flush of 390 MB took 0.5 s and now
    waits only for the last part). Linux's POSIX_FADV_DONTNEED does both; where there is no posix_fadvise, or
    for a pipe or terminal, this only flushes Python's buffer."""
    handle.flush()
    advise = getattr(os, "posix_fadvise", None)
    if advise is not None:
        with contextlib.suppress(OSError, ValueError):  # not a regular file (ESPIPE), or no file descriptor
            advise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def write_atomic(path: Path, data: str | bytes, *, durable: bool = True, owned: bool = False) -> None:
    """Write `data` (text as UTF-8) to a temporary file beside `path`, then rename it over `path`."""
    with atomic_file(path, durable=durable, owned=owned) as handle:
        handle.write(data.encode() if isinstance(data, str) else data)


def _settle(fd: int, path: Path) -> None:
    """Give the temporary file `fd` what the file it replaces had: its owner, group and permissions. A results
    file a clinic shares (group `staff`, mode 664) would otherwise become the writer's own group's, and the
    colleagues who could write it before could not any more; one that root replaces (`sudo skinrec ... -o
    ~pat/plan.json`), root's, locking its owner out. Only root may give a file to another owner, and only a
    member of the group (or root) to that group; anyone else's file keeps what they may give it, as a new file
    would. A new file gets the umask's mode."""
    try:
        old = path.stat()
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        return
    new = os.fstat(fd)
    if (new.st_uid, new.st_gid) != (old.st_uid, old.st_gid):
        try:
            os.fchown(fd, old.st_uid, old.st_gid)
        except OSError:  # not root: the owner stays the writer, and the group too unless the writer is in it
            with contextlib.suppress(OSError):
                os.fchown(fd, -1, old.st_gid)
    os.fchmod(fd, stat.S_IMODE(old.st_mode))  # after the owner: a change of owner may clear set-id bits
