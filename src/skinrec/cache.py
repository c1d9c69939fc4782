"""A cache of validated knowledge bases, so a run never parses YAML or imports pydantic twice for the same files.

An entry is keyed by the fingerprint of every knowledge-base file's name and bytes (plus skinrec's version and the
validator's, `loader.CHECKS`), so any edit is seen on the very next run, and a stricter validator checks a base
again rather than trusting what an older one accepted. The entry is a header line (JSON: the format, the
fingerprint again, the length of the document and a checksum of everything after the header), then the packed
knowledge-base document as JSON, then the blob of treatment records it points into (see `knowledge.pack_kb`).
Anything that does not match to the byte (truncated, corrupt, written by another version or by something else) is
ignored and rebuilt, never trusted. JSON rather than pickle or marshal: a cache file is data, and reading it must
never be able to run code or crash the interpreter.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import zlib
from pathlib import Path
from typing import Any

from skinrec.atomic import write_atomic
from skinrec.errors import DataError

FORMAT = 6  # bump whenever the entry changes shape, so old entries are never read
# A packed entry is about the size of the knowledge base's YAML; anything far larger is not ours to read.
MAX_ENTRY_BYTES = 256 * 1024 * 1024
# Entries kept, the most recently written: each edit of a knowledge base makes a new one (and a large base's is
# tens of megabytes), so without a limit the cache would only grow. A base evicted is validated once more.
KEEP_ENTRIES = 8


def cache_dir() -> Path | None:
    """`$XDG_CACHE_HOME/skinrec`, or `$HOME/.cache/skinrec`; None (no cache) where neither is an absolute path.

    The XDG specification calls a relative path invalid, to be ignored: a relative base would put the cache
    under whatever folder the command happens to run in (`HOME=relhome` made `./relhome/.cache`). An empty HOME
    (`HOME=`) names no home at all, where Python's `expanduser` makes it `/` (root's run wrote `/.cache`).
    Only an unset HOME falls back to the account's home in the password database, as a shell's `~` does; a
    uid with no entry there has none, where `expanduser` returns '~' itself (which made `./~/.cache`). Running
    without a cache is then what happens for an unwritable one: every run validates, and none fails for it."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        home = os.environ["HOME"] if "HOME" in os.environ else os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "skinrec"


def checksum(payload: bytes | memoryview) -> int:
    """What the header vouches for the payload with. CRC-32, as zip, gzip and PNG use, rather than a SHA-256:
    the checksum is there to catch a damaged or truncated file, which it does as surely, at less than half the
    cost (a 10,000-treatment entry is 17 MB: 5 ms against 12 ms here). Neither could stop a forged entry, whose
    writer would simply write the matching checksum; the key is what guards against stale content, and that
    stays a SHA-256 of the knowledge base's files."""
    return zlib.crc32(payload)


def _entry(folder: Path, fingerprint: str) -> Path:
    return folder / f"kb-{fingerprint[:40]}.json"


def read(fingerprint: str) -> tuple[dict[str, Any], memoryview] | None:
    """The cached packed document and record blob for `fingerprint`; None when there is no trustworthy entry.

    The blob is a view into the entry as read, not a copy: for a large knowledge base it is most of the
    entry, and copying it would cost as much as checking it."""
    folder = cache_dir()
    if folder is None:
        return None
    path = _entry(folder, fingerprint)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES:
            return None
        raw = path.read_bytes()
    except OSError:
        return None
    newline = raw.find(b"\n")
    payload = memoryview(raw)[newline + 1 :]
    try:
        meta = json.loads(raw[: max(newline, 0)])
        if (
            newline < 0
            or not isinstance(meta, dict)
            or meta.get("format") != FORMAT
            or meta.get("fingerprint") != fingerprint
            or meta.get("crc32") != checksum(payload)
            or not isinstance(meta.get("document"), int)
        ):
            return None
        doc = json.loads(bytes(payload[: meta["document"]]))
    except (ValueError, RecursionError):  # RecursionError: JSON nested too deep to parse (`[[[[...`)
        return None
    return (doc, payload[meta["document"] :]) if isinstance(doc, dict) else None


def write(fingerprint: str, doc: dict[str, Any], blob: bytes) -> None:
    """Store an entry; a cache that cannot be written (read-only home, full disk, no home) is silently skipped."""
    folder = cache_dir()
    if folder is None:
        return
    document = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
    payload = document + blob
    header = {
        "format": FORMAT,
        "fingerprint": fingerprint,
        "document": len(document),
        "crc32": checksum(payload),
    }
    path = _entry(folder, fingerprint)
    with contextlib.suppress(OSError, DataError):
        folder.mkdir(parents=True, exist_ok=True)
        _clear_way(path)
        write_atomic(path, json.dumps(header).encode() + b"\n" + payload, durable=False, owned=True)
        _owner_can_use(path)
        _prune(folder, path)


def _clear_way(path: Path) -> None:
    """Remove an empty folder where the entry goes, which no rename can replace; the cache folder is skinrec's
    and `kb-<key>.json` its name, so an empty one is only in the way. A folder with anything in it is left
    alone (its files may be someone's), and the entry is not written: the run goes on without it."""
    with contextlib.suppress(OSError):  # a file (ENOTDIR), nothing (ENOENT), a folder with files (ENOTEMPTY)
        path.rmdir()


def _owner_can_use(path: Path) -> None:
    """Give the entry just written its owner's read and write permission if it lacks them. An entry replaces
    the old one with the old one's mode (atomic.py), so an entry made unreadable (`chmod 000`, or written under
    a umask such as 0o277) would otherwise be rebuilt on every run, each time as unreadable as before."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o600 != 0o600:
        path.chmod(mode | 0o600)


def _prune(folder: Path, kept: Path) -> None:
    """Remove all but the KEEP_ENTRIES most recently written entries (never `kept`, the one just written)."""
    entries = []
    for path in folder.glob("kb-*.json"):
        with contextlib.suppress(OSError):  # gone meanwhile (another run pruning too)
            entries.append((path.stat().st_mtime, path))
    entries.sort(reverse=True)
    for _, path in entries[KEEP_ENTRIES:]:
        if path != kept:
            with contextlib.suppress(OSError):
                path.unlink()
