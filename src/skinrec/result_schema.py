"""The recommendation JSON document described as pydantic models: the source of `skinrec schema result`.

Export itself builds plain dicts (fast, see export.py); these models exist to publish the schema and to let
the test suite check that every document the CLI writes conforms to it. A field that is absent rather than null
when it does not apply (a batch line's `id`, `explain`) is optional in Python but never null in the published
schema (`SkipJsonSchema[None]`), so a reader's validator holds documents to what skinrec really writes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.config import JsonDict
from pydantic.json_schema import SkipJsonSchema


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Doc):
    min: float = Field(ge=0)
    max: float = Field(ge=0)


class Sessions(Span):
    min: float = Field(ge=1)
    max: float = Field(ge=1)
    interval_weeks: Span | None = Field(description="Weeks between sessions; null for a single session.")


# Both keys are always there and exactly one is text: a validator reading the published schema must refuse a
# source that is both or neither, as the README promises readers.
_ONE_PLACE: JsonDict = {
    "oneOf": [
        {"properties": {"url": {"type": "string"}, "seed": {"type": "null"}}},
        {"properties": {"url": {"type": "null"}, "seed": {"type": "string"}}},
    ]
}


class SourceRef(_Doc):
    """A public page (`url`) or a seed article (`seed`): exactly one of them is set."""

    model_config = ConfigDict(json_schema_extra=_ONE_PLACE)

    id: str
    title: str
    url: str | None = Field(description="A public page; null for a seed article.")
    seed: str | None = Field(description="The seed article's file name; null for a public page.")

    @model_validator(mode="after")
    def _one_place(self) -> SourceRef:
        if (self.url is None) == (self.seed is None):
            raise ValueError("exactly one of url and seed is set")
        return self


class ProfileOut(_Doc):
    concerns: list[str] = Field(description="Concern ids in priority order; the first matters most.")
    downtime: float | None = Field(ge=0, description="Days of downtime the person can take; null = no limit.")
    budget: float | None = Field(ge=0, description="Budget in USD; null = no limit.")
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


class StepEstimateOut(_Doc):
    section: Literal["preparation", "aftercare"]
    step: int = Field(ge=1, description="The step's number in its section, counting from 1.")
    estimate: str = Field(description="Why the step is a judgment (advice a source gives for another treatment, say).")


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
    step_estimates: list[StepEstimateOut] = Field(
        description="Since 1.3. The preparation and aftercare steps the knowledge base marks as a judgment, with "
        "why; the table and Markdown mark each such step '(estimate)'."
    )
    sources: list[SourceRef]


# The published schemas are open to fields added later in 1.x, so an object is no longer closed to the other
# shape's key by `additionalProperties: false`: each shape refuses that key itself, or a reason holding both
# would fit either.
class RuleExclusionOut(_Doc):
    """Ruled out by a fired exclude rule."""

    model_config = ConfigDict(json_schema_extra={"not": {"required": ["constraint"]}})

    rule: str = Field(description="The exclude rule that fired (skinrec rule ID explains it).")
    triggers: list[str] = Field(description="The profile facts that fired it.")
    message: str


class ConstraintExclusionOut(_Doc):
    """Ruled out by one of the person's limits."""

    model_config = ConfigDict(json_schema_extra={"not": {"required": ["rule"]}})

    constraint: Literal["downtime", "budget", "setting"] = Field(description="The limit it breaks.")
    triggers: list[str] = Field(description="The profile field behind the limit.")
    message: str


class ExcludedOut(_Doc):
    id: str
    name: str
    reasons: list[RuleExclusionOut | ConstraintExclusionOut] = Field(
        min_length=1, description="Every reason it was ruled out: each a rule or a constraint, never both."
    )


Limit = Literal["downtime", "budget", "setting"]
# What the engine writes for each relaxed limit (engine._relaxing): the downtime or budget that would admit the
# treatment, or "any" for the setting.
_CHANGE_SCHEMAS: dict[str, JsonDict] = {
    "downtime": {"type": "number", "minimum": 0, "description": "The days of downtime that would admit it."},
    "budget": {"type": "number", "minimum": 0, "description": "The budget in USD (per the profile's budget_per)."},
    "setting": {"const": "any", "description": "Allowing treatments in any setting."},
}


def _changes_schema(schema: JsonDict) -> None:
    """Each limit with its own type: the plain mapping's schema would let a setting be 5 or a downtime 'abc'.
    Kept inline with its `propertyNames` rather than made a model of its own, so that even the opened schema
    accepts only the three limits."""
    schema.pop("additionalProperties", None)
    schema["properties"] = {limit: dict(part) for limit, part in _CHANGE_SCHEMAS.items()}


class NearMissOut(_Doc):
    id: str
    changes: dict[Limit, float | str] = Field(
        min_length=1,
        description="The relaxed limits that would admit it: downtime, budget, setting.",
        json_schema_extra=_changes_schema,
    )
    rank: int = Field(ge=1, description="The rank it would take among today's recommendations.")
    score: int
    text: str

    @field_validator("changes")
    @classmethod
    def _as_written(cls, changes: dict[Limit, Any]) -> dict[Limit, Any]:
        for limit, value in changes.items():
            if limit == "setting" and value != "any":
                raise ValueError(f"setting can only be relaxed to 'any', not {value!r}")
            if limit != "setting" and (isinstance(value, str) or value < 0):
                raise ValueError(f"{limit} must be a number of 0 or more, not {value!r}")
        return changes


class RuleCheckOut(_Doc):
    rule: str
    severity: Literal["exclude", "caution"]
    fired: bool
    triggers: list[str] = Field(description="The facts that fired it; empty when it did not fire.")
    read: dict[str, bool | int | None] = Field(
        description="Every fact the rule reads and its value in the profile. A condition: true when the profile "
        "lists it; false when it does not and the safety questions were answered (asked, or a `conditions` list "
        "given, even an empty one); null (since 1.2) when it does not and they were not: not given, rather "
        "than no. skin_type: 1-6, or null when not given."
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
    notices: list[str] = Field(
        description="Since 1.1. Sentences to show with the answer when the safety questions were not answered (no "
        "`conditions` given): that no condition was given, and conditions common with the concerns that the "
        "profile does not list, each saying how to add them where the profile came from (-x for flags, the "
        "profile file's or the batch line's `conditions` list). Empty otherwise."
    )
    recommendations: list[RecommendationOut]
    excluded: list[ExcludedOut]
    not_relevant: list[str] = Field(description="Ids of treatments that do nothing for the requested concerns.")
    near_misses: list[NearMissOut]
    disclaimer: str
    explain: list[RuleCheckOut] | SkipJsonSchema[None] = Field(
        default=None,
        description="Only with --explain: every rule considered, fired or not, and the facts it read, in the "
        "knowledge base's order (the same for every profile; the table and Markdown list the rules that fired "
        "first).",
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
