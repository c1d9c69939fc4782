"""What the engine returns: a ranked, fully explained answer, ready for any renderer.

Plain slotted dataclasses (not pydantic) because the engine builds thousands of these per second in batch
mode. A recommendation's `score` is, by construction, the sum of its reasons' points.

Treat a `Result` as read-only: its lists are its own, but the engine shares the objects in them that repeat
between results (reasons, exclusions, cautions, fired rules, treatments) rather than making them again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    reasons: list[Reason]
    cautions: list[Caution]


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
    reasons: list[Exclusion]


@dataclass(slots=True)
class NearMiss:
    """A treatment ruled out only by downtime, budget or setting, and the change that would admit it."""

    treatment: Treatment
    changes: dict[str, float | str]
    rank: int
    score: int
    text: str


@dataclass(slots=True)
class FiredRule:
    rule: Rule
    triggers: tuple[str, ...]


@dataclass(slots=True)
class Result:
    profile: Profile
    recommendations: list[Recommendation]
    excluded: list[Excluded]
    not_relevant: list[Treatment]
    near_misses: list[NearMiss]
    fired: list[FiredRule] = field(default_factory=list)
