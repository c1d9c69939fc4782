"""What the engine returns: a ranked, fully explained answer, ready for any renderer.

Plain slotted dataclasses (not pydantic) because the engine builds thousands of these per second in batch
mode. A recommendation's `score` is, by construction, the sum of its reasons' points.

Treat a `Result` as read-only. What repeats between results (reasons, exclusions, cautions, fired rules,
treatments, and most tuples of them) is shared by every result that has it, not made again: that is why those
sequences are tuples (and a near miss's changes a read-only mapping), which cannot be changed under another
result. The lists (of recommendations, exclusions and near misses) are each result's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from skinrec.knowledge import Rule, Treatment
from skinrec.profile import Profile


@dataclass(slots=True)
class Reason:
    text: str
    points: int


@dataclass(slots=True)
class Caution:
    rule: str
    triggers: tuple[str, ...]
    message: str


@dataclass(slots=True)
class Recommendation:
    rank: int
    treatment: Treatment
    score: int
    reasons: tuple[Reason, ...]
    cautions: tuple[Caution, ...]


@dataclass(slots=True)
class Exclusion:
    """One reason a treatment was ruled out: a fired `exclude` rule, or a constraint (downtime, budget, setting)."""

    rule: str | None
    constraint: str | None
    triggers: tuple[str, ...]
    message: str


@dataclass(slots=True)
class Excluded:
    treatment: Treatment
    reasons: tuple[Exclusion, ...]


@dataclass(slots=True)
class NearMiss:
    """A treatment ruled out only by downtime, budget or setting, and the change that would admit it."""

    treatment: Treatment
    changes: Mapping[str, float | str]  # read-only: shared by results (see the module docstring)
    rank: int
    score: int
    text: str


@dataclass(slots=True)
class FiredRule:
    """A rule that fired, the facts that fired it, and its message for this profile: the rule's own, plus a
    note when it fired only because the skin type is unknown (the safe reading), so nobody is told a rule
    about darker skin applies to them without being told why."""

    rule: Rule
    triggers: tuple[str, ...]
    message: str


@dataclass(slots=True)
class Result:
    profile: Profile
    recommendations: list[Recommendation]
    excluded: list[Excluded]
    not_relevant: tuple[Treatment, ...]
    near_misses: list[NearMiss]
    fired: tuple[FiredRule, ...] = ()
