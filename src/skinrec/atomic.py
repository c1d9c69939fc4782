"""Write files so that a reader only ever sees the old file or the complete new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from skinrec.errors import DataError


def check_writable(path: Path) -> None:
    """Fail before any work is done when `path` can never be written, so nothing is computed for nothing."""
    if path.is_dir():
        raise DataError(f"cannot write '{path}': it is a directory; give a file name, e.g. '{path}/result.json'")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise DataError(f"cannot write '{path}': folder '{parent}' does not exist; create it first")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise DataError(f"cannot write '{path}': permission denied; choose a writable path")


def write_atomic(path: Path, text: str, *, durable: bool = True) -> None:
    """Write `text` to a temporary file beside `path`, then rename it over `path` in one step.

    `durable` also flushes to disk before the rename, so a crash or power cut cannot leave an empty file
    behind a completed rename; the cache skips that, since a lost cache entry is simply rebuilt.
    """
    check_writable(path)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise DataError(f"cannot write '{path}': {exc.strerror}; choose a writable path") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise DataError(f"cannot write '{path}': {exc.strerror}; choose a writable path") from None
        raise
