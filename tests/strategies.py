"""Hypothesis strategies: random valid profiles, and random knowledge bases built from scratch.

The random knowledge bases are normalised documents (the form the loader validates YAML into), compiled with
the same `compile_kb` the CLI uses, so properties proven on them hold for any knowledge base a clinic writes.
Each is drawn with its document, so that a safety oracle can read what a rule covers from the rule as written
rather than from what `compile_kb` made of it (tests/test_safety_oracle.py).
Every value the engine scores with is one the validator accepts (`scoring`: points rising from none = 0, a first
priority weight above 0 and none above the one before), so a property never fails, or passes, only on a
knowledge base nobody could load. The authoring checks that do not change what the engine can meet are not
modelled, as the documents go straight to `compile_kb`, never through the loader's checks (crosscheck.py): a
treatment may rate no concern, a rule may reach no treatment or never fire, every tag in TAGS is declared whether
or not a treatment carries it, and no rule carries its embedded tests.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from hypothesis import strategies as st

from skinrec.knowledge import KnowledgeBase, compile_kb
from skinrec.profile import Profile

RATINGS = ("none", "mild", "moderate", "strong")
LEVELS = ("none", "low", "moderate", "high")
CONDITIONS = tuple(f"cond_{i}" for i in range(6))
CONCERNS = tuple(f"concern_{i}" for i in range(5))
TAGS = ("tag_a", "tag_b", "tag_c")
# A word for each condition, to name it by: its label and synonyms hold it, so no two conditions share a name.
WORDS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta")
Record = dict[str, Any]


class Drawn(NamedTuple):
    """A random knowledge base, the document it was compiled from, and a profile for it."""

    kb: KnowledgeBase
    doc: Record
    profile: Profile


def dollars(low: int, high: int) -> st.SearchStrategy[float]:
    """Dollar amounts, whole or with cents (whole ones as whole numbers, as `parse_budget` reads them: $300,
    $12.50); whole ones often, so that a budget meets a price exactly."""
    cents = st.integers(low * 100, high * 100).map(lambda c: c // 100 if c % 100 == 0 else c / 100)
    return st.integers(low, high) | cents


def _span(low: int, high: int, amounts: st.SearchStrategy[float] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    amount = st.integers(low, high) if amounts is None else amounts
    return st.tuples(amount, amount).map(
        lambda pair: {"min": min(pair), "max": max(pair), "sources": ["src"], "estimate": None}
    )


def _skin_type_test() -> st.SearchStrategy[Any]:
    bound = st.none() | st.integers(1, 6)
    ranges = (
        st.tuples(bound, bound)
        .filter(lambda p: p != (None, None))
        .map(lambda p: {"min": min(p), "max": max(p)} if None not in p else {"min": p[0], "max": p[1]})
    )
    return ranges.map(lambda r: {"skin_type": r})


def trees() -> st.SearchStrategy[Any]:
    """Condition trees as the validator allows them: conditions never under `not`."""
    skin = _skin_type_test()
    skin_trees = st.recursive(
        skin,
        lambda inner: (
            inner.map(lambda t: {"not": t}) | st.lists(inner, min_size=1, max_size=2).map(lambda c: {"all": c})
        ),
        max_leaves=3,
    )
    leaves = st.sampled_from(CONDITIONS) | skin_trees
    return st.recursive(
        leaves,
        lambda inner: st.lists(inner, min_size=1, max_size=3).flatmap(
            lambda children: st.sampled_from(["all", "any"]).map(lambda kind: {kind: children})
        ),
        max_leaves=6,
    )


@st.composite
def treatment_records(draw: st.DrawFn, ident: str) -> Record:
    efficacy = {
        c: {
            "rating": draw(st.sampled_from(RATINGS)),
            "sources": ["src"],
            "estimate": draw(st.sampled_from((None, "e"))),
        }
        for c in draw(st.sets(st.sampled_from(CONCERNS)))
    }
    return {
        "id": ident,
        "name": ident.title(),
        "summary": "s",
        "mechanism": "m",
        "setting": draw(st.sampled_from(["clinic", "home"])),
        "tags": sorted(draw(st.sets(st.sampled_from(TAGS), min_size=1))),
        "efficacy": efficacy,
        "downtime_days": draw(_span(0, 21)),
        "sessions": draw(_span(1, 12)),
        "interval_weeks": draw(st.none() | _span(1, 8)),
        "cost_per_session_usd": draw(_span(0, 4000, dollars(0, 4000))),
        "pain": {"level": "mild", "numbing": "n", "sources": ["src"], "estimate": None},
        "pih_risk": {"level": draw(st.sampled_from(LEVELS)), "note": None, "sources": ["src"], "estimate": None},
        "preparation": [],
        "aftercare": [],
        "sources": ["src"],
    }


@st.composite
def condition_records(draw: st.DrawFn) -> list[Record]:
    """The conditions, each with a label, maybe synonyms (spelt with spaces, hyphens, underscores and capitals,
    as people type them), and maybe an `ask_if` naming an earlier one, as the validator allows it."""
    records = []
    for index, (ident, word) in enumerate(zip(CONDITIONS, WORDS, strict=True)):
        names = (f"{word} syndrome", f"{word.title()}-Itis", f"the {word}_thing")
        records.append(
            {
                "id": ident,
                "label": f"Condition {word}",
                "question": "?",
                "help": None,
                "synonyms": sorted(draw(st.sets(st.sampled_from(names)))),
                "ask_if": draw(st.none() | st.sampled_from(CONDITIONS[:index])) if index else None,
            }
        )
    return records


@st.composite
def documents(draw: st.DrawFn) -> Record:
    count = draw(st.integers(1, 7))
    treatments = [draw(treatment_records(f"treat_{i}")) for i in range(count)]
    ids = [t["id"] for t in treatments]
    rules = []
    for index in range(draw(st.integers(0, 8))):
        rules.append(
            {
                "id": f"rule-{index}",
                "severity": draw(st.sampled_from(["exclude", "caution"])),
                "when": draw(trees()),
                "applies_to": {
                    "treatments": sorted(draw(st.sets(st.sampled_from(ids)))),
                    "tags": sorted(draw(st.sets(st.sampled_from(TAGS), max_size=1))),
                },
                "message": f"message {index}",
                "explanation": "e",
                "sources": ["src"],
                "tests": [],
                "file": "rules/random.yaml",
            }
        )
    # `RatingPoints`: none scores 0, and each rating more than the one below it
    points = [0, *sorted(draw(st.lists(st.integers(1, 12), min_size=3, max_size=3, unique=True)))]
    # `_first_matters_most`: the first weight above 0, none above the one before (later ones may be 0, or equal)
    first, rest = draw(st.integers(1, 100)), draw(st.lists(st.integers(0, 100), max_size=3))
    priority = sorted([first, *rest], reverse=True)
    doc = {
        "sources": [{"id": "src", "title": "Source", "seed": None, "url": "https://example.org", "tier": "A"}],
        "tags": {tag: tag for tag in TAGS},
        "treatments": treatments,
        "concerns": [
            {
                "id": c,
                "label": c.replace("_", " "),
                "description": "d",
                "synonyms": [],
                "related_conditions": sorted(draw(st.sets(st.sampled_from(CONDITIONS), max_size=2))),
            }
            for c in CONCERNS
        ],
        "conditions": draw(condition_records()),
        "scoring": {
            "efficacy_points": dict(zip(RATINGS, points, strict=True)),
            "priority_percent": priority,
            "downtime_penalty_per_day": draw(st.integers(0, 6)),
            "budget_penalty": draw(st.integers(0, 6)),
            "caution_penalty": draw(st.integers(0, 6)),
            "pih_skin_type_min": draw(st.integers(1, 6)),
            "pih_conditions": draw(st.lists(st.sampled_from(CONDITIONS), max_size=2, unique=True)),
            "pih_penalty": dict(
                zip(LEVELS, sorted(draw(st.lists(st.integers(0, 10), min_size=4, max_size=4))), strict=True)
            ),
        },
        "rules": rules,
    }
    return doc


def knowledge_bases() -> st.SearchStrategy[tuple[KnowledgeBase, Record]]:
    """Random knowledge bases, compiled, each with its document."""
    return documents().map(lambda doc: (compile_kb(doc), doc))


def profiles(concerns: tuple[str, ...], conditions: tuple[str, ...]) -> st.SearchStrategy[Profile]:
    amount = st.none() | st.integers(0, 30) | st.floats(0, 30, allow_nan=False).map(lambda x: round(x, 1))
    money = st.none() | dollars(0, 20000)
    return st.builds(
        Profile,
        concerns=st.lists(st.sampled_from(concerns), min_size=1, max_size=4, unique=True).map(tuple),
        downtime=amount,
        budget=money,
        budget_per=st.sampled_from(["course", "session"]),
        skin_type=st.none() | st.integers(1, 6),
        conditions=st.frozensets(st.sampled_from(conditions), max_size=5),
        setting=st.sampled_from(["any", "clinic", "home"]),
    )


@st.composite
def kb_and_profile(draw: st.DrawFn) -> Drawn:
    kb, doc = draw(knowledge_bases())
    return Drawn(kb, doc, draw(profiles(CONCERNS, CONDITIONS)))
