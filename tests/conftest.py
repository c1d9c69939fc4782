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
    """Tests never read or write the developer's real cache."""
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.pop("SKINREC_KB", None)
    yield
    if old is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = old


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped knowledge base, to edit or break."""
    return copy_kb(tmp_path / "kb")


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_kb(shipped_kb_dir(), use_cache=False)
