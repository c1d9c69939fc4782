"""Pydantic models of the knowledge-base files: the schema a hand-edited YAML file is validated against.

These models are the single definition of the file formats: `skinrec kb schema` publishes them as JSON
Schema, and the loader validates with them. They are only imported when a knowledge base is (re)validated;
the scoring hot path works on the plain structures in `knowledge.py`, so pydantic never costs a cached run
anything. Cross-file checks (unknown ids, duplicate ids and names, rules that can never fire, unused entries) live
in `crosscheck.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ModelWrapValidatorHandler,
    PlainSerializer,
    StringConstraints,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from skinrec.knowledge import whole
from skinrec.loader import FIXED_FILES
from skinrec.profile import MOST, ROMAN, shown

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
RULE_ID_PATTERN = r"^[a-z][a-z0-9-]*$"
SEED_PATTERN = r"^\d{3}_[0-9a-f]{16}\.txt$"
URL_PATTERN = r"^https?://\S+$"
# What each pattern asks for, in the words of the loader's message when a value does not match: a regex is no fix.
PATTERN_WORDS = {
    ID_PATTERN: "ids are snake_case (lowercase letters, digits and _, starting with a letter)",
    RULE_ID_PATTERN: "rule ids are kebab-case (lowercase letters, digits and -, starting with a letter)",
    SEED_PATTERN: "a seed is the file name of one of skinrec's own seed articles, like 000_9c907688b10f783d.txt",
    URL_PATTERN: "a url starts with http:// or https:// and has no spaces",
}
# What to do instead, where the value may be meant as something the pattern is not for: a clinic's textbook or
# policy is no seed article (none is shipped with a knowledge base).
PATTERN_INSTEAD = {
    SEED_PATTERN: "cite any other source by its url, with a tier (see docs/knowledge-base.md, Citing sources)"
}

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
# An id where another record names it. Its spelling is checked once, where the id is defined; here it is checked
# against the defined ids (crosscheck.py, with the id it is likely a typo of), so a badly spelt id is one problem
# rather than one more at every place that names it. The published schema still shows an editor the pattern.
Ref = Annotated[str, WithJsonSchema({"type": "string", "pattern": ID_PATTERN})]
RuleId = Annotated[str, StringConstraints(pattern=RULE_ID_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Rating = Literal["none", "mild", "moderate", "strong"]
Level = Literal["none", "low", "moderate", "high"]


def _integral(value: Any) -> Any:
    """6.0 as the whole number 6: JSON Schema's "integer" (which `skinrec kb schema` publishes) takes it, and so
    did every validator before values were strict; strict mode alone would refuse it."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


# The most each amount may be. More is a typo, and a number too large for a float crashed every command that
# showed it (`1-1e+23 days`, then OverflowError) once validation had let it through. Days and dollars stop where a
# person's profile does (profile.MOST), so a treatment can always be compared with a profile's limit.
MOST_DAYS = MOST["downtime"][0]
MOST_PRICE = MOST["budget"][0]
MOST_SESSIONS = 100
MOST_WEEKS = 104
MOST_POINTS = 1000

# Bounds go inside the Annotated type, before its BeforeValidator: after it, pydantic can only check them
# around the validator, and publishes them as "ge"/"le", which JSON Schema ignores, instead of minimum/maximum.
# Each description is the reason for the upper bound: the published schema shows it, and so does the message
# when a value is above it.
Whole = Annotated[int, BeforeValidator(_integral)]
Days = Annotated[
    int,
    Field(
        ge=0,
        le=MOST_DAYS,
        description=f"a profile's downtime goes up to {MOST['downtime'][1]}, so a longer one is a typo",
    ),
    BeforeValidator(_integral),
]
WEEKS_APART = "sessions more than two years apart are a typo"
Weeks = Annotated[int, Field(ge=0, le=MOST_WEEKS, description=WEEKS_APART), BeforeValidator(_integral)]
# The shortest interval: sessions are at least a week apart (0 weeks would be one session).
LeastWeeks = Annotated[int, Field(ge=1, le=MOST_WEEKS, description=WEEKS_APART), BeforeValidator(_integral)]
Sessions = Annotated[
    int,
    Field(
        ge=1,
        le=MOST_SESSIONS,
        description="a longer course is a typo (an ongoing treatment counts its first course, as "
        "docs/knowledge-base.md says)",
    ),
    BeforeValidator(_integral),
]
Points = Annotated[
    int,
    Field(
        ge=0,
        le=MOST_POINTS,
        description=f"scores are sums of small whole points, so more than {MOST_POINTS:,} is a typo",
    ),
    BeforeValidator(_integral),
]
Percent = Annotated[
    int, Field(ge=0, le=100, description="a weight is a percent of a concern's points"), BeforeValidator(_integral)
]
ROMAN_PATTERN = r"^\s*(?:[Ii]{1,3}|[Ii]?[Vv]|[Vv][Ii])\s*$"
A_SKIN_TYPE = "a Fitzpatrick skin type, 1-6 or I-VI"
FITZPATRICK = f"must be {A_SKIN_TYPE}"


def _fitzpatrick(value: Any) -> Any:
    """A skin type as a person's profile and `--skin-type` take it, 1-6 or I-VI, so that a rule reads the way the
    profile it is about does. Quoted digits stay refused, as quoted numbers are everywhere in the knowledge base
    (the loader says "write 4 without quotes"), unless they are no skin type unquoted either: that is said then,
    so the fix works. Anything else is no skin type, in the same words: pydantic's ("less than or equal to 6",
    "a valid integer" for true) named no skin type, and so no fix."""
    if isinstance(value, str) and value.strip().upper() in ROMAN:
        return ROMAN.index(value.strip().upper()) + 1
    if isinstance(value, str):
        from skinrec.yamlsafe import load_yaml, plain_kind

        if plain_kind(value) in ("int", "float") and _fitzpatrick_number(load_yaml(value).data):
            return value  # refused as quoted text, with "write 4 without quotes"
    elif not isinstance(value, bool) and isinstance(value, int | float):
        number = _integral(value)
        if not isinstance(number, int) or _fitzpatrick_number(number):
            return number  # a fraction is refused as not whole
    raise ValueError(f"{FITZPATRICK}, not {shown(value)}")


def _written(value: Any) -> str:
    """A skin type as the file writes it: IV, 4 (6.0 as 6)."""
    return value.strip() if isinstance(value, str) else f"{value:g}"


def _fitzpatrick_number(number: Any) -> bool:
    return isinstance(number, int | float) and not isinstance(number, bool) and 1 <= number <= 6


# A skin type, wherever the knowledge base gives one: a rule test's profile, a rule's `when`, scoring.
SkinType = Annotated[
    int,
    BeforeValidator(_fitzpatrick),
    WithJsonSchema(
        {"anyOf": [{"type": "integer", "minimum": 1, "maximum": 6}, {"type": "string", "pattern": ROMAN_PATTERN}]}
    ),
]


@dataclass(frozen=True)
class Filled:
    """An optional key's check that it is not given empty (`estimate:`, `ask_if: ""`), with `what` to give
    instead. YAML reads an empty value as null, which pydantic took for the key left out: an `estimate:` with no
    reason then showed the figure as sourced, and an `ask_if:` asked its question of everyone, without a word.
    An empty key is a slip (a value meant and not written), so it is refused; leaving the key out still means
    what it did. The published schema offers no null either. The type stays `X | None`, as pydantic then says
    one thing of a wrong value, not one thing per member of a union; its default, None, is not published
    either (see `published_schema`)."""

    what: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self._given, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        published = dict(handler(schema))
        kinds = [kind for kind in published.pop("anyOf", []) if kind != {"type": "null"}]
        if len(kinds) == 1:
            published.update(kinds[0])
        elif kinds:
            published["anyOf"] = kinds
        return published

    def _given(self, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError(f"is empty; give {self.what}, or remove the key")
        return value


class _Published(GenerateJsonSchema):
    """The JSON Schema `kb schema` publishes: pydantic's, without a default of null where the schema takes no
    null (a `Filled` key's), since a default must pass its own schema: an editor that fills it in, or checks it,
    would otherwise offer a value the schema and validation refuse."""

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        published = super().default_schema(schema)
        if "default" in published and published["default"] is None and not _takes_null(published):
            del published["default"]
        return published


def _takes_null(schema: JsonSchemaValue) -> bool:
    return schema.get("type") == "null" or any(_takes_null(kind) for kind in schema.get("anyOf", ()))


def published_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON Schema of a knowledge-base file's model, as `kb schema` publishes it."""
    return model.model_json_schema(by_alias=True, schema_generator=_Published)


class Strict(BaseModel):
    """Unknown keys are errors: a misspelt key must never be silently ignored. Values are strict as well: a
    value of the wrong YAML type is a mistake to report, not to convert. pydantic's default would read
    `fires: no` (text, by YAML 1.2) as false and `min: "6"` (quoted text) as 6, accepting what the docs and the
    published JSON Schema call wrong."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Cited(Strict):
    """A fact with the sources that state it, and why it is a judgment where no source states it."""

    sources: list[Ref] = Field(min_length=1)
    estimate: Annotated[Text | None, Filled("the reason it is an estimate, in one sentence")] = None


class Source(Strict):
    id: Id
    title: Text
    seed: Annotated[
        Annotated[str, StringConstraints(pattern=SEED_PATTERN)] | None,
        Filled("the file name of one of skinrec's seed articles"),
    ] = None
    url: Annotated[
        Annotated[str, StringConstraints(pattern=URL_PATTERN)] | None,
        Filled("the address where the source can be found"),
    ] = None
    tier: Annotated[Literal["A", "B", "C"] | None, Filled("its tier, A, B or C")] = None

    @model_validator(mode="after")
    def _one_place(self) -> Source:
        if (self.seed is None) == (self.url is None):
            raise ValueError(
                "give exactly one of 'seed' (one of skinrec's seed articles) or 'url' (where the source can be "
                "found: a page, a DOI, a book's record; see docs/knowledge-base.md, Citing sources)"
            )
        if self.url is not None and self.tier is None:
            raise ValueError("a 'url' source needs a 'tier' (A, B or C)")
        return self


class SourcesFile(Strict):
    sources: list[Source]


class Efficacy(Cited):
    rating: Rating


class _Range(Cited):
    @model_validator(mode="after")
    def _ordered(self) -> _Range:
        low, high = getattr(self, "min"), getattr(self, "max")  # noqa: B009 - fields are declared by subclasses
        if low > high:
            raise ValueError(f"min {low:g} is above max {high:g}")
        return self


class DayRange(_Range):
    min: Days
    max: Days


class WeekRange(_Range):
    min: LeastWeeks
    max: Weeks


class SessionRange(_Range):
    min: Sessions
    max: Sessions


# One type rather than int | float: a wrong amount then gets one message, not one per member of the union;
# whole amounts are kept, and written, as ints. Finite, because an infinite price (YAML's .inf, or 1e309)
# would pass `ge=0` and then make invalid JSON. Strict, as every value is (see `Strict`): not text, not true. The
# schema does not say whole cents (multipleOf 0.01): validators that divide in floating point (Python's
# jsonschema, ajv by default) would refuse 19.99, since 19.99 / 0.01 is 1998.9999999999998; `_cents` checks them.
def _cents(amount: float) -> float:
    """A price in whole cents, as a budget must be: 25.005 a session made a course of $150.03 for 6 sessions that
    the card listed at $25.00 each."""
    if round(amount, 2) != amount:
        raise ValueError(f"a price is in whole cents, not {amount}; e.g. {amount:.2f}")
    return amount


Money = Annotated[
    float,
    Field(
        ge=0,
        le=MOST_PRICE,
        allow_inf_nan=False,
        strict=True,
        description=f"a profile's budget goes up to {MOST['budget'][1]}, so a dearer session is a typo",
    ),
    AfterValidator(_cents),
    AfterValidator(whole),
    PlainSerializer(whole, return_type=Any),
]


class MoneyRange(_Range):
    min: Money
    max: Money


class Pain(Cited):
    level: Literal["none", "mild", "moderate", "severe"]
    numbing: Text


class PihRisk(Cited):
    level: Level
    note: Annotated[Text | None, Filled("the note")] = None


class Step(Cited):
    text: Text


class Treatment(Strict):
    id: Id
    name: Text
    summary: Text
    mechanism: Text
    setting: Literal["clinic", "home"]
    tags: list[Ref] = Field(min_length=1)
    efficacy: dict[Ref, Efficacy] = Field(min_length=1)
    downtime_days: DayRange
    sessions: SessionRange
    # validated when left out too, so that `_interval` can say it is needed; so given empty it reads as left out
    # (not `Filled`, which could not tell them apart): no interval, which is what null means in the result
    interval_weeks: WeekRange | None = Field(None, validate_default=True)
    cost_per_session_usd: MoneyRange
    pain: Pain
    pih_risk: PihRisk
    preparation: list[Step]
    aftercare: list[Step]
    sources: list[Ref] = Field(min_length=1)

    @field_validator("interval_weeks")
    @classmethod
    def _interval(cls, interval: WeekRange | None, info: ValidationInfo) -> WeekRange | None:
        """An interval between sessions exactly when there can be more than one: without one, the output would
        say "3-6 sessions" and `interval_weeks: null`, which the result's schema defines as a single session.
        A field's check, not the treatment's, so that the problem is reported at the field (or, left out, named
        by it), as any other field's is; `sessions` comes first, so it has been read (unless it is wrong itself,
        which is then the problem to fix)."""
        sessions = info.data.get("sessions")
        if sessions is None:
            return interval
        if interval is None and sessions.max > 1:
            raise ValueError(
                f"required, as there can be up to {sessions.max} sessions; add the weeks between them, "
                "e.g. {min: 4, max: 6, sources: [...]}"
            )
        if interval is not None and sessions.max == 1:
            raise ValueError("there is a single session (sessions.max is 1), so no interval; remove it")
        return interval


class TreatmentsFile(Strict):
    tags: dict[Id, Text] = Field(min_length=1)
    treatments: list[Treatment] = Field(min_length=1)


class Concern(Strict):
    """What a person may want treated. `related_conditions` are conditions common in people with this concern
    that change what is safe (active acne beside acne scars, keloids beside raised scars): a run that was not
    asked the safety questions names them, rather than leave a likely one unsaid."""

    id: Id
    label: Text
    description: Text
    synonyms: list[Text] = []
    related_conditions: list[Id] = []


class ConcernsFile(Strict):
    concerns: list[Concern] = Field(min_length=1)


class Condition(Strict):
    """A yes/no screening question. `synonyms` are the everyday names people type for it (a brand of the
    medicine, say): an unknown name is refused with a did-you-mean, which may point at the wrong condition.
    `ask_if` names an earlier condition whose yes alone makes the question worth asking (severe rosacea after
    rosacea), so the questionnaire spares everyone else a question that cannot apply to them."""

    id: Id
    label: Text
    question: Text
    help: Annotated[Text | None, Filled("the line to show under the question")] = None
    synonyms: list[Text] = []
    ask_if: Annotated[
        Ref | None, Filled("the id of the earlier condition whose yes makes the question worth asking")
    ] = Field(
        None,
        description="ask this question only after a yes to this condition, which must come earlier in the file; "
        "skipped, it counts as no",
    )


class ConditionsFile(Strict):
    conditions: list[Condition] = Field(min_length=1)


class RatingPoints(Strict):
    """Points per rating a treatment can score with. A `none` rating means no help with the concern (the engine
    treats the treatment as not relevant to it), so it scores nothing: it may be left out, or given as 0."""

    none: Whole = Field(0, json_schema_extra={"const": 0})  # any other value gets `_nothing_for_none`'s reason
    mild: Points
    moderate: Points
    strong: Points

    @field_validator("none")
    @classmethod
    def _nothing_for_none(cls, points: int) -> int:
        if points:
            raise ValueError(
                "a 'none' rating means no help with the concern and never scores; set it to 0 or leave it out"
            )
        return points

    @model_validator(mode="after")
    def _rising(self) -> RatingPoints:
        """A stronger rating earns more: points that fall or stand still would rank a treatment above one that
        helps more with the same concern."""
        points = (self.none, self.mild, self.moderate, self.strong)
        if not all(low < high for low, high in pairwise(points)):
            raise ValueError(
                "points must rise from none to mild to moderate to strong, each above the one before, not "
                f"{', '.join(map(str, points))}; e.g. {{none: 0, mild: 3, moderate: 6, strong: 10}}"
            )
        return self


class LevelPoints(Strict):
    none: Points
    low: Points
    moderate: Points
    high: Points


class Scoring(Strict):
    efficacy_points: RatingPoints
    priority_percent: list[Percent] = Field(
        min_length=1,
        description="the weight of the 1st, 2nd, 3rd... concern asked for, in percent; the first above 0, and none "
        "above the one before",
    )
    downtime_penalty_per_day: Points
    budget_penalty: Points
    caution_penalty: Points
    pih_skin_type_min: SkinType
    pih_conditions: list[Id] = []  # conditions that make any skin type as prone to dark marks as pih_skin_type_min
    pih_penalty: LevelPoints

    @field_validator("priority_percent")
    @classmethod
    def _first_matters_most(cls, weights: list[int]) -> list[int]:
        """The concern asked for first matters most (docs/knowledge-base.md, the questionnaire, `-c`): a first
        weight of 0 scored every treatment 0, and weights that rise let a later concern outvote the first."""
        example = "e.g. [100, 70, 50]"
        if weights[0] == 0:
            raise ValueError(
                f"the first weight must be above 0, or the concern asked for first counts for nothing; {example}"
            )
        if any(low < high for low, high in pairwise(weights)):
            raise ValueError(
                f"each weight must be at most the one before it, not {', '.join(map(str, weights))}: the concern "
                f"asked for first matters most; {example}"
            )
        return weights


# A bound of a rule's skin-type range: either may be left out, but not given empty.
SkinTypeBound = Annotated[SkinType | None, Filled(A_SKIN_TYPE)]


class SkinTypeRange(Strict):
    model_config = ConfigDict(json_schema_extra={"minProperties": 1})  # `_bounded`: give min, max or both

    min: SkinTypeBound = None
    max: SkinTypeBound = None

    @model_validator(mode="wrap")
    @classmethod
    def _bounded(cls, data: Any, handler: ModelWrapValidatorHandler[SkinTypeRange]) -> SkinTypeRange:
        """A wrap, to quote the bounds as written, as a message quotes every value: `{min: V, max: II}` was told
        "min 5 is above max 2"."""
        bounds = handler(data)
        if bounds.min is None and bounds.max is None:
            raise ValueError("give 'min', 'max' or both (Fitzpatrick types, 1-6 or I-VI)")
        if bounds.min is not None and bounds.max is not None and bounds.min > bounds.max:
            written = data if isinstance(data, dict) else {"min": bounds.min, "max": bounds.max}
            raise ValueError(f"min {_written(written['min'])} is above max {_written(written['max'])}")
        return bounds


class SkinTypeNode(Strict):
    skin_type: SkinTypeRange


class AllNode(Strict):
    all: list[Tree] = Field(min_length=1)


class AnyNode(Strict):
    any: list[Tree] = Field(min_length=1)


class NotNode(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)
    not_: Tree = Field(alias="not")


def _tree_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "condition"
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        return key if key in ("all", "any", "not", "skin_type") else None
    if isinstance(value, BaseModel):
        return {AllNode: "all", AnyNode: "any", NotNode: "not", SkinTypeNode: "skin_type"}.get(type(value))
    return None


Tree = Annotated[
    Annotated[Ref, Tag("condition")]
    | Annotated[AllNode, Tag("all")]
    | Annotated[AnyNode, Tag("any")]
    | Annotated[NotNode, Tag("not")]
    | Annotated[SkinTypeNode, Tag("skin_type")],
    Discriminator(
        _tree_kind,
        custom_error_type="condition_tree",
        custom_error_message="a condition tree is a condition id, or a mapping with exactly one key: "
        "all, any, not or skin_type",
    ),
]


class AppliesTo(Strict):
    treatments: list[Ref] = []
    tags: list[Ref] = []


class TestProfile(Strict):
    conditions: list[Ref] = []
    skin_type: SkinType | None = None  # empty (not `Filled`) is an unknown skin type, as in a person's profile


class RuleTest(Strict):
    profile: TestProfile
    treatment: Ref
    fires: bool


class Rule(Strict):
    id: RuleId
    severity: Literal["exclude", "caution"]
    when: Tree
    applies_to: AppliesTo
    message: Text
    explanation: Text
    sources: list[Ref] = Field(min_length=1)
    tests: list[RuleTest] = Field(
        min_length=2, description="a rule needs a test where it fires and one where it does not"
    )


class RulesFile(Strict):
    rules: list[Rule] = Field(min_length=1)


AllNode.model_rebuild()
AnyNode.model_rebuild()
NotNode.model_rebuild()

# The model of each kind of file, and so of each of the layout's fixed files (loader.FIXED_FILES names them);
# rule files are every other rules/*.yaml.
KIND_MODELS: dict[str, type[Strict]] = {
    "sources": SourcesFile,
    "treatments": TreatmentsFile,
    "concerns": ConcernsFile,
    "conditions": ConditionsFile,
    "scoring": Scoring,
    "rules": RulesFile,
}
FILE_MODELS = {file: KIND_MODELS[kind] for kind, file in FIXED_FILES.items()}
RULES_MODEL = RulesFile
