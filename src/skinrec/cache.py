"""A cache of validated knowledge bases, so a run never parses YAML or imports pydantic twice for the same files.

An entry is keyed by the fingerprint of every knowledge-base file's name and bytes (plus skinrec's version),
so any edit is seen on the very next run. The entry is one JSON document behind a header line that repeats
the fingerprint and carries a SHA-256 of the payload; anything that does not match to the byte (truncated,
corrupt, or written by something else) is ignored and rebuilt, never trusted. JSON rather than pickle: a
cache file is data, and reading it must never be able to run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from skinrec.atomic import write_atomic
from skinrec.errors import DataError

FORMAT = 2  # bump whenever the normalised document changes shape, so old entries are never read


def cache_dir() -> Path:
    """`$XDG_CACHE_HOME/skinrec`, or `~/.cache/skinrec` where XDG_CACHE_HOME is unset."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "skinrec"


def _entry(fingerprint: str) -> Path:
    return cache_dir() / f"kb-{fingerprint[:40]}.json"


def read(fingerprint: str) -> dict[str, Any] | None:
    """The cached normalised document for `fingerprint`, or None when there is no trustworthy entry."""
    try:
        raw = _entry(fingerprint).read_bytes()
    except OSError:
        return None
    header, _, payload = raw.partition(b"\n")
    try:
        meta = json.loads(header)
        if (
            not isinstance(meta, dict)
            or meta.get("format") != FORMAT
            or meta.get("fingerprint") != fingerprint
            or meta.get("sha256") != hashlib.sha256(payload).hexdigest()
        ):
            return None
        doc = json.loads(payload)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def write(fingerprint: str, doc: dict[str, Any]) -> None:
    """Store an entry; a cache that cannot be written (read-only home, full disk) is silently skipped."""
    payload = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()
    header = json.dumps({"format": FORMAT, "fingerprint": fingerprint, "sha256": hashlib.sha256(payload).hexdigest()})
    with contextlib.suppress(OSError, DataError):
        cache_dir().mkdir(parents=True, exist_ok=True)
        write_atomic(_entry(fingerprint), header + "\n" + payload.decode(), durable=False)
