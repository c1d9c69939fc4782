"""Shell completion of ids (treatments, concerns, conditions, rules), read from the knowledge base in use.

Typer calls these while the shell completes a word, so each must be quick and must never raise: the cache
makes loading the knowledge base cheap, and any failure (no knowledge base, an invalid one) completes
nothing rather than printing a traceback into the person's shell. A `--kb` given earlier on the line is
honoured, so completion offers the ids of the knowledge base the command will actually use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from skinrec.knowledge import KnowledgeBase

Candidates = list[tuple[str, str]]  # (id, help shown beside it by shells that can)


def _ids(
    ctx: typer.Context, incomplete: str, pairs: Callable[[KnowledgeBase], Iterable[tuple[str, str]]]
) -> Candidates:
    from skinrec.loader import load_kb

    try:
        kb = load_kb(ctx.params.get("kb"))
    except Exception:
        return []
    return [(ident, text) for ident, text in pairs(kb) if ident.startswith(incomplete)]


def treatments(ctx: typer.Context, incomplete: str) -> Candidates:
    return _ids(ctx, incomplete, lambda kb: ((t.id, t.name) for t in kb.treatments))


def concerns(ctx: typer.Context, incomplete: str) -> Candidates:
    return _ids(ctx, incomplete, lambda kb: ((ident, c["label"]) for ident, c in kb.concerns.items()))


def conditions(ctx: typer.Context, incomplete: str) -> Candidates:
    return _ids(ctx, incomplete, lambda kb: ((ident, c["label"]) for ident, c in kb.conditions.items()))


def rules(ctx: typer.Context, incomplete: str) -> Candidates:
    return _ids(ctx, incomplete, lambda kb: ((rule.id, rule.severity) for rule in kb.rules))
