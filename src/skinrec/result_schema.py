"""The recommendation JSON document described as pydantic models: the source of `skinrec schema result`.

Export itself builds plain dicts (fast, see export.py); these models exist to publish the schema and to let
the test suite check that every document the CLI writes conforms to it. A field that is absent rather than null
when it does not apply (a batch line's `id`, `explain`) is optional in Python but never null in the published
schema (`SkipJsonSchema[None]`), so a reader's validator holds documents to what skinrec really writes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Doc):
    min: float
    max: float


class Sessions(Span):
    interval_weeks: Span | None = Field(description="Weeks between sessions; null for a single session.")


class SourceRef(_Doc):
    id: str
    title: str
    url: str | None = Field(description="A public page; null for a seed article.")
    seed: str | None = Field(description="The seed article's file name; null for a public page.")


class ProfileOut(_Doc):
    concerns: list[str] = Field(description="Concern ids in priority order; the first matters most.")
    downtime: float | None = Field(description="Days of downtime the person can take; null = no limit.")
    budget: float | None = Field(description="Budget in USD; null = no limit.")
    budget_per: Literal["course", "session"]
    skin_type: int | None = Field(ge=1, le=6, description="Fitzpatrick type 1-6; null = not known.")
    conditions: list[str] = Field(description="Condition ids (rules/conditions.yaml), sorted.")
    setting: Literal["any", "clinic", "home"]


class ReasonOut(_Doc):
    text: str = Field(description="What was counted, in words.")
    points: int = Field(description="Points this reason adds (negative for penalties); they sum to the score.")


class CautionOut(_Doc):
    rule: str = Field(description="The id of the caution rule (skinrec rule ID explains it).")
    triggers: list[str] = Field(description="The profile facts that fired the rule, e.g. ['skin_type'].")
    message: str


class RecommendationOut(_Doc):
    rank: int = Field(ge=1)
    id: str
    name: str
    score: int = Field(description="The sum of the reasons' points.")
    reasons: list[ReasonOut]
    cautions: list[CautionOut]
    summary: str
    setting: Literal["clinic", "home"]
    downtime_days: Span
    sessions: Sessions
    cost_per_session_usd: Span
    course_cost_usd: Span = Field(description="Sessions x cost per session, from the cheapest to the dearest.")
    preparation: list[str]
    aftercare: list[str]
    sources: list[SourceRef]


class RuleExclusionOut(_Doc):
    """Ruled out by a fired exclude rule."""

    rule: str = Field(description="The exclude rule that fired (skinrec rule ID explains it).")
    triggers: list[str] = Field(description="The profile facts that fired it.")
    message: str


class ConstraintExclusionOut(_Doc):
    """Ruled out by one of the person's limits."""

    constraint: Literal["downtime", "budget", "setting"] = Field(description="The limit it breaks.")
    triggers: list[str] = Field(description="The profile field behind the limit.")
    message: str


class ExcludedOut(_Doc):
    id: str
    name: str
    reasons: list[RuleExclusionOut | ConstraintExclusionOut] = Field(
        min_length=1, description="Every reason it was ruled out: each a rule or a constraint, never both."
    )


class NearMissOut(_Doc):
    id: str
    changes: dict[Literal["downtime", "budget", "setting"], float | str] = Field(
        description="The relaxed limits that would admit it: downtime, budget, setting."
    )
    rank: int = Field(ge=1, description="The rank it would take among today's recommendations.")
    score: int
    text: str


class RuleCheckOut(_Doc):
    rule: str
    severity: Literal["exclude", "caution"]
    fired: bool
    triggers: list[str] = Field(description="The facts that fired it; empty when it did not fire.")
    read: dict[str, bool | int | None] = Field(
        description="Every fact the rule reads and its value in the profile (skin_type: 1-6 or null)."
    )
    applies_to: list[str] = Field(description="The treatment ids the rule applies to.")


class ResultDocument(_Doc):
    """One recommendation run. Fields are only ever added within a major schema_version."""

    id: str | int | SkipJsonSchema[None] = Field(
        default=None, description="Only in `skinrec batch` output: the id of the input line, when it had one."
    )
    schema_version: str = Field(pattern=r"^1\.\d+$")
    skinrec_version: str
    profile: ProfileOut
    summary: str | None = Field(description="A plain sentence when nothing fits; null otherwise.")
    recommendations: list[RecommendationOut]
    excluded: list[ExcludedOut]
    not_relevant: list[str] = Field(description="Ids of treatments that do nothing for the requested concerns.")
    near_misses: list[NearMissOut]
    disclaimer: str
    explain: list[RuleCheckOut] | SkipJsonSchema[None] = Field(
        default=None, description="Only with --explain: every rule considered, fired or not, and the facts it read."
    )


class BatchErrorRecord(_Doc):
    """A `skinrec batch` line that could not be scored, in its result's place."""

    id: str | int | SkipJsonSchema[None] = Field(
        default=None, description="The input line's id, when it had a usable one."
    )
    line: int = Field(ge=1, description="The line's number in the input, counting from 1 (blank lines count).")
    error: str = Field(description="What is wrong with the line and, where there is one, the fix.")


# One line of `skinrec batch` output: a result (with its line's id) or an error record. The two never both
# fit: a record has no `schema_version`, and a result no `line` or `error`.
BatchLine = ResultDocument | BatchErrorRecord
