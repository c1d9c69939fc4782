"""Pausing Python's cyclic garbage collector around work that allocates a great deal and makes no cycles.

Loading a knowledge base and scoring a profile build many containers but no reference cycles: everything
they drop is freed by reference counting the moment it is dropped. The cyclic collector's passes over those
containers, and over the knowledge base they point into, find nothing to free and are pure cost: a third of
the time of loading a large knowledge base, and of scoring against it. So that work runs with the collector
paused; allocations made meanwhile still count towards the next collection once it resumes.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """The collector paused for the `with` block (and left as it was: a caller may have paused it already)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def without_gc(function: Callable[P, R]) -> Callable[P, R]:
    """`gc_paused` for a whole function, without the cost of a context manager on every call."""

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused
