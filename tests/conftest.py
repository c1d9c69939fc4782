"""Shared fixtures: the shipped knowledge base, and a private cache directory for the whole test run."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from helpers import copy_kb

from skinrec.knowledge import KnowledgeBase
from skinrec.loader import load_kb, shipped_kb_dir

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read or write the developer's real cache. And an unforeseen error is raised with its traceback
    (SKINREC_DEBUG), in this process and in every skinrec a test starts, rather than said in one line: a bug
    must fail the test that meets it, not pass as a clean exit 1."""
    old = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "SKINREC_DEBUG")}
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["SKINREC_DEBUG"] = "1"
    os.environ.pop("SKINREC_KB", None)
    yield
    for name, value in old.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped knowledge base, to edit or break."""
    return copy_kb(tmp_path / "kb")


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb(shipped_kb_dir(), use_cache=False)
