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


def cache_dir() -> Path:
    """`$XDG_CACHE_HOME/skinrec`, or `~/.cache/skinrec` where XDG_CACHE_HOME is unset or, as the XDG
    specification asks, ignored because it is not an absolute path."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "skinrec"


def checksum(payload: bytes | memoryview) -> int:
    """What the header vouches for the payload with. CRC-32, as zip, gzip and PNG use, rather than a SHA-256:
    the checksum is there to catch a damaged or truncated file, which it does as surely, at less than half the
    cost (a 10,000-treatment entry is 17 MB: 5 ms against 12 ms here). Neither could stop a forged entry, whose
    writer would simply write the matching checksum; the key is what guards against stale content, and that
    stays a SHA-256 of the knowledge base's files."""
    return zlib.crc32(payload)


def _entry(fingerprint: str) -> Path:
    return cache_dir() / f"kb-{fingerprint[:40]}.json"


def read(fingerprint: str) -> tuple[dict[str, Any], memoryview] | None:
    """The cached packed document and record blob for `fingerprint`; None when there is no trustworthy entry.

    The blob is a view into the entry as read, not a copy: for a large knowledge base it is most of the
    entry, and copying it would cost as much as checking it."""
    path = _entry(fingerprint)
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
    except ValueError:
        return None
    return (doc, payload[meta["document"] :]) if isinstance(doc, dict) else None


def write(fingerprint: str, doc: dict[str, Any], blob: bytes) -> None:
    """Store an entry; a cache that cannot be written (read-only home, full disk) is silently skipped."""
    document = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
    payload = document + blob
    header = {
        "format": FORMAT,
        "fingerprint": fingerprint,
        "document": len(document),
        "crc32": checksum(payload),
    }
    with contextlib.suppress(OSError, DataError):
        cache_dir().mkdir(parents=True, exist_ok=True)
        write_atomic(_entry(fingerprint), json.dumps(header).encode() + b"\n" + payload, durable=False, owned=True)
        _prune(_entry(fingerprint))


def _prune(kept: Path) -> None:
    """Remove all but the KEEP_ENTRIES most recently written entries (never `kept`, the one just written)."""
    entries = []
    for path in cache_dir().glob("kb-*.json"):
        with contextlib.suppress(OSError):  # gone meanwhile (another run pruning too)
            entries.append((path.stat().st_mtime, path))
    entries.sort(reverse=True)
    for _, path in entries[KEEP_ENTRIES:]:
        if path != kept:
            with contextlib.suppress(OSError):
                path.unlink()
