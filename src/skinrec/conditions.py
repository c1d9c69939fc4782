"""Condition trees, evaluated in three-valued (Kleene) logic so an unknown skin type is handled safely.

A tree is the plain data the loader validated: a condition id (str), or a one-key mapping `all`, `any`,
`not` or `skin_type`. A skin-type test is *unknown* (None) when the profile gives no skin type; `all`, `any`
and `not` propagate unknown the way Kleene logic does, and a rule whose tree is unknown fires: not knowing
someone's skin type must never make a risky treatment look safe.

Trees are compiled once into closures: evaluating a rule on the scoring hot path is then a few calls, with no
dictionary walking.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Truth = bool | None  # None: unknown
Evaluator = Callable[[frozenset[str], int | None], Truth]

SKIN_TYPE = "skin_type"
ROMAN = ("I", "II", "III", "IV", "V", "VI")  # Fitzpatrick skin types 1-6, as people read them


def _kleene(children: list[Evaluator], decisive: bool) -> Evaluator:
    """`all` (decisive False) or `any` (decisive True) in three-valued logic: one child with the decisive value
    settles it; otherwise a child that is unknown leaves the whole unknown."""

    def evaluate(conditions: frozenset[str], skin_type: int | None) -> Truth:
        result: Truth = not decisive
        for child in children:
            value = child(conditions, skin_type)
            if value is decisive:
                return decisive
            if value is None:
                result = None
        return result

    return evaluate


def compile_tree(tree: Any) -> Evaluator:
    """Turn a validated tree into a function of (conditions, skin type)."""
    if isinstance(tree, str):
        return lambda conditions, _skin_type: tree in conditions
    ((kind, body),) = tree.items()
    if kind == "all":
        return _kleene([compile_tree(child) for child in body], False)
    if kind == "any":
        return _kleene([compile_tree(child) for child in body], True)
    if kind == "not":
        inner = compile_tree(body)

        def negate(conditions: frozenset[str], skin_type: int | None) -> Truth:
            value = inner(conditions, skin_type)
            return None if value is None else not value

        return negate
    low = body.get("min") or 1
    high = body.get("max") or 6

    def in_range(_conditions: frozenset[str], skin_type: int | None) -> Truth:
        return None if skin_type is None else low <= skin_type <= high

    return in_range


def facts_read(tree: Any) -> set[str]:
    """Every profile fact the tree reads: condition ids, and `skin_type` if it tests the skin type."""
    if isinstance(tree, str):
        return {tree}
    ((kind, body),) = tree.items()
    if kind == SKIN_TYPE:
        return {SKIN_TYPE}
    children = [body] if kind == "not" else body
    return set().union(*(facts_read(child) for child in children))


def named(tree: Any) -> set[str]:
    """Every bare name in the tree: the ids it tests as conditions (`facts_read` folds a skin-type test into
    the same set as `skin_type`, so the validator asks this to tell a bare `skin_type` from a real test)."""
    if isinstance(tree, str):
        return {tree}
    ((kind, body),) = tree.items()
    if kind == SKIN_TYPE:
        return set()
    children = [body] if kind == "not" else body
    return set().union(*(named(child) for child in children))


def negated_conditions(tree: Any, negated: bool = False) -> set[str]:
    """Conditions that appear under a `not`: the validator refuses them (see docs/knowledge-base.md)."""
    if isinstance(tree, str):
        return {tree} if negated else set()
    ((kind, body),) = tree.items()
    if kind == SKIN_TYPE:
        return set()
    if kind == "not":
        return negated_conditions(body, True)
    return set().union(*(negated_conditions(child, negated) for child in body))


def triggers(tree: Any, conditions: frozenset[str], skin_type: int | None) -> list[str]:
    """The facts that made a firing tree fire, for the person to read ("fired because: blood_thinners").

    Only called for rules that fired, so it may re-evaluate: clarity over speed here.
    """
    found: dict[str, None] = {}

    def collect(node: Any) -> None:
        if isinstance(node, str):
            found[node] = None
            return
        ((kind, body),) = node.items()
        if kind in ("not", SKIN_TYPE):  # `not` only ever wraps skin-type tests
            found[SKIN_TYPE] = None
            return
        values = [(child, compile_tree(child)(conditions, skin_type)) for child in body]
        if kind == "any":
            true_children = [child for child, value in values if value is True]
            chosen = true_children or [child for child, value in values if value is None]
        else:
            chosen = [child for child, _ in values]
        for child in chosen:
            collect(child)

    collect(tree)
    return list(found)


def can_fire(tree: Any) -> bool:
    """Whether some profile with a known skin type fires the tree (all its conditions present is enough:
    conditions only ever appear un-negated, so more conditions never un-fire a tree)."""
    evaluate = compile_tree(tree)
    everything = frozenset(named(tree))
    return any(evaluate(everything, skin_type) for skin_type in range(1, 7))


def describe(tree: Any, labels: Mapping[str, str]) -> str:
    """The tree in words, each condition by its label in `labels` (its id where it has none), for the browsing
    commands' `when_text`."""
    if isinstance(tree, str):
        return labels.get(tree, tree)
    ((kind, body),) = tree.items()
    if kind == SKIN_TYPE:
        low, high = body.get("min") or 1, body.get("max") or 6
        return f"skin type {ROMAN[low - 1]}" if low == high else f"skin type {ROMAN[low - 1]}-{ROMAN[high - 1]}"
    if kind == "not":
        return f"not ({describe(body, labels)})"
    joiner = " and " if kind == "all" else " or "
    parts = [describe(child, labels) for child in body]
    text = joiner.join(parts)
    return f"({text})" if len(parts) > 1 else text
