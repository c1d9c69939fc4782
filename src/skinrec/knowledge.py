"""The knowledge base as the engine sees it: plain, pre-indexed structures built from validated data.

`compile_kb` takes the normalised document the loader produces and builds everything the scoring hot path
wants ready-made: each treatment's efficacy rating names (the concerns it is rated above `none` for; the
engine turns them into points), course-cost ranges, the treatments each rule applies to, the condition facts
each rule reads, and an index from condition to the rules that read it. A rule's condition tree is compiled
into a closure only when first evaluated (`Rule.evaluate`). Nothing here imports pydantic or YAML, so a cached
run never pays for them.

The cache stores the same document *packed* (`pack_kb`, `compile_packed`): the few fields the engine reads
per treatment up front, and each treatment's full record as its own JSON text, parsed only when a renderer
first asks for it. Parsing every record of a 10,000-treatment base costs more than a whole run of the shipped
one; a recommendation shows ten of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar, cast

from skinrec.conditions import SKIN_TYPE, Evaluator, Truth, compile_tree, facts_read

Record = dict[str, Any]
T = TypeVar("T")

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalize_name(text: str) -> str:
    """Case- and separator-insensitive form used to match what people type against ids, labels, synonyms; a
    typographic apostrophe (U+2019 in crow's feet, as phones and word processors write it) is the plain one."""
    return _SEPARATORS.sub(" ", text.strip().lower().replace("\u2019", "'")).strip()


@dataclass(slots=True)
class Scoring:
    efficacy_points: dict[str, int]
    priority_percent: tuple[int, ...]
    downtime_penalty_per_day: int
    budget_penalty: int
    caution_penalty: int
    pih_skin_type_min: int
    pih_penalty: dict[str, int]
    pih_conditions: frozenset[str] = frozenset()  # any of these gets the PIH demotion, whatever the skin type

    def priority(self, position: int) -> int:
        """Percent weight of the concern at 0-based `position`; the last listed weight repeats."""
        weights = self.priority_percent
        return weights[position] if position < len(weights) else weights[-1]

    def weighted(self, points: int, position: int) -> int:
        """Efficacy points scaled by priority, rounded half up, so scores stay exact whole numbers."""
        return (points * self.priority(position) + 50) // 100


@dataclass(slots=True)
class Treatment:
    id: str
    name: str
    setting: str
    tags: tuple[str, ...]
    ratings: dict[str, str]  # concern id -> rating, only concerns rated above none
    downtime: tuple[int, int]
    sessions: tuple[int, int]
    cost: tuple[float, float]  # per session
    course_cost: tuple[float, float]
    pih: str
    estimated: frozenset[str]  # the concerns whose rating is an estimate: a reason that counts one says so
    record: Record | Callable[[], Record] = field(repr=False, compare=False)  # see `data`

    @property
    def data(self) -> Record:
        """The whole validated record, for renderers; from the cache it is parsed on first use, then kept."""
        record = self.record
        if callable(record):
            record = self.record = record()
        return record

    def cited(self) -> list[str]:
        """Every source the record cites, once each: its main `sources` first, then those behind each fact
        (efficacy, downtime, sessions, costs, pain, PIH risk, each step) in the order they appear. `show`
        lists them all, so each source of the knowledge base is shown, with its title, somewhere."""
        found = dict.fromkeys(self.data["sources"])

        def visit(item: Any) -> None:
            if isinstance(item, dict):
                found.update(dict.fromkeys(item.get("sources") or ()))
                for value in item.values():
                    visit(value)
            elif isinstance(item, list):
                for value in item:
                    visit(value)

        visit(self.data)
        return list(found)


@dataclass(slots=True)
class Rule:
    id: str
    severity: str  # "exclude" | "caution"
    message: str
    tree: Any
    applies: frozenset[str]  # treatment ids
    reads: frozenset[str]  # condition ids the tree tests
    reads_skin_type: bool
    data: Record
    compiled: Evaluator | None = field(default=None, repr=False, compare=False)  # see `evaluate`

    def evaluate(self, conditions: frozenset[str], skin_type: int | None) -> Truth:
        """The rule's condition tree for these facts, in three-valued logic. The tree is compiled on first use:
        a run evaluates only the rules that read a condition it has, and compiling all of a large base's
        thousand rules up front cost a run more than evaluating the few it needs."""
        compiled = self.compiled
        if compiled is None:
            compiled = self.compiled = compile_tree(self.tree)
        return compiled(conditions, skin_type)


@dataclass(slots=True)
class KnowledgeBase:
    treatments: tuple[Treatment, ...]
    rules: tuple[Rule, ...]
    scoring: Scoring
    concerns: dict[str, Record]
    conditions: dict[str, Record]
    sources: dict[str, Record]
    fingerprint: str = ""
    treatment_by_id: dict[str, Treatment] = field(default_factory=dict)
    rule_by_id: dict[str, Rule] = field(default_factory=dict)
    rules_by_condition: dict[str, tuple[Rule, ...]] = field(default_factory=dict)
    skin_type_rules: tuple[Rule, ...] = ()
    concern_lookup: dict[str, str] = field(default_factory=dict)
    condition_lookup: dict[str, str] = field(default_factory=dict)
    # Tables other modules derive from this knowledge base on first use and keep with it (the engine's memos,
    # batch mode's JSON fragments), so a long batch run computes each of them once. Not an __init__ field, so
    # a copy made with dataclasses.replace() starts empty instead of sharing tables that describe the original.
    derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def derive(self, name: str, build: Callable[[KnowledgeBase], T]) -> T:
        """The table `name` derived from this knowledge base, built by `build` on first use and kept."""
        found = self.derived.get(name)
        if found is None:
            found = self.derived[name] = build(self)
        return cast(T, found)

    def rules_for(self, treatment_id: str) -> list[Rule]:
        """Every rule that applies to a treatment, in knowledge-base order (for cards and --explain)."""
        return [rule for rule in self.rules if treatment_id in rule.applies]


def _core(record: Record) -> list[Any]:
    """What the engine reads of a treatment, flat, in `_treatment`'s order: all a packed knowledge base keeps
    parsed (flat because parsing ten thousand nested lists costs a third more than flat ones)."""
    ratings = {c: e["rating"] for c, e in record["efficacy"].items() if e["rating"] != "none"}
    core = [record["id"], record["name"], record["setting"], record["tags"], ratings]
    for key in ("downtime_days", "sessions", "cost_per_session_usd"):
        core += [record[key]["min"], record[key]["max"]]
    estimated = [c for c in ratings if record["efficacy"][c].get("estimate")]
    return [*core, record["pih_risk"]["level"], estimated]


def whole(amount: float) -> float:
    """A whole amount as an int: whole-dollar amounts are written as whole numbers (151, not 151.0), and one
    amount is then always written alike, whichever treatment's memo entry holds it."""
    return int(amount) if float(amount).is_integer() else amount


def _course(sessions: int, price: float) -> float:
    """What `sessions` at `price` cost, to the cent, and whole where it is (2 sessions at 75.5 cost 151, not
    151.0). To the cent because binary floating point makes 3 x 50.2 into 150.60000000000002, which a budget of
    exactly $150.60 would not reach, and which the JSON would print."""
    total = sessions * price
    return total if type(total) is int else whole(round(total, 2))


def _treatment(core: list[Any], record: Record | Callable[[], Record]) -> Treatment:
    ident, name, setting, tags, ratings, least, most, fewest, sessions, cheapest, dearest, pih, estimated = core[:13]
    return Treatment(
        ident,
        name,
        setting,
        tuple(tags),
        ratings,
        (least, most),
        (fewest, sessions),
        (cheapest, dearest),
        (_course(fewest, cheapest), _course(sessions, dearest)),
        pih,
        frozenset(estimated),
        record,
    )


def _rule(record: Record, by_tag: dict[str, set[str]]) -> Rule:
    applies = set(record["applies_to"]["treatments"])
    for tag in record["applies_to"]["tags"]:
        applies |= by_tag.get(tag, set())
    reads = facts_read(record["when"])
    return Rule(
        id=record["id"],
        severity=record["severity"],
        message=record["message"],
        tree=record["when"],
        applies=frozenset(applies),
        reads=frozenset(reads - {SKIN_TYPE}),
        reads_skin_type=SKIN_TYPE in reads,
        data=record,
    )


def _lookup(records: dict[str, Record], *fields: str) -> dict[str, str]:
    """Normalised name -> id, for what people type. Every id is entered before any label or synonym, so an
    exact id always means its own record: a label that happened to spell another record's id (which the
    validator refuses) must never turn `-x eczema` into some other condition, and drop eczema's exclusions."""
    table = {normalize_name(ident): ident for ident in reversed(records)}  # reversed: the first of a name wins
    for ident, record in records.items():  # then labels, then synonyms, as the validator claims them
        for name in (record[f] for f in fields if isinstance(record.get(f), str)):
            table.setdefault(normalize_name(name), ident)
    for ident, record in records.items():
        for name in record.get("synonyms", ()):
            table.setdefault(normalize_name(name), ident)
    return table


def compile_kb(doc: Record, fingerprint: str = "") -> KnowledgeBase:
    """Build the engine's structures from a normalised, already validated knowledge-base document."""
    return _assemble(tuple(_treatment(_core(record), record) for record in doc["treatments"]), doc, fingerprint)


def pack_kb(doc: Record) -> tuple[Record, bytes]:
    """The document as the cache stores it: everything but the treatment records, plus for each treatment its
    engine fields and the span of its record in the returned blob of concatenated JSON texts."""
    texts = [json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode() for record in doc["treatments"]]
    cores, start = [], 0
    for record, text in zip(doc["treatments"], texts, strict=True):
        cores.append([*_core(record), start, start + len(text)])
        start += len(text)
    packed = {key: value for key, value in doc.items() if key != "treatments"}
    packed["treatment_cores"] = cores
    return packed, b"".join(texts)


def _parse_record(blob: bytes | memoryview, start: int, end: int) -> Record:
    record: Record = json.loads(bytes(blob[start:end]))
    return record


def compile_packed(packed: Record, blob: bytes | memoryview, fingerprint: str = "") -> KnowledgeBase:
    """`compile_kb` for a document packed by `pack_kb`: the same knowledge base, records parsed lazily."""
    cores = packed["treatment_cores"]
    if cores and cores[-1][-1] != len(blob):
        raise ValueError("packed knowledge base does not match its records")
    treatments = tuple(_treatment(core, partial(_parse_record, blob, core[-2], core[-1])) for core in cores)
    return _assemble(treatments, packed, fingerprint)


def _assemble(treatments: tuple[Treatment, ...], doc: Record, fingerprint: str) -> KnowledgeBase:
    # Treatments with the same tags first, then each tag's ids in one step per group: a large base has few
    # distinct tag lists (measured on the 10,000-treatment base: 4.3 ms, against 6.5 ms adding its tens of
    # thousands of (tag, id) pairs one by one).
    tagged: dict[tuple[str, ...], list[str]] = {}
    for treatment in treatments:
        tagged.setdefault(treatment.tags, []).append(treatment.id)
    by_tag: dict[str, set[str]] = {}
    for tags, ids in tagged.items():
        for tag in tags:
            by_tag.setdefault(tag, set()).update(ids)
    rules = tuple(_rule(record, by_tag) for record in doc["rules"])
    by_condition: dict[str, list[Rule]] = {}
    for rule in rules:
        for condition in rule.reads:
            by_condition.setdefault(condition, []).append(rule)
    scoring = doc["scoring"]
    concerns = {record["id"]: record for record in doc["concerns"]}
    conditions = {record["id"]: record for record in doc["conditions"]}
    return KnowledgeBase(
        treatments=treatments,
        rules=rules,
        scoring=Scoring(
            efficacy_points=dict(scoring["efficacy_points"]),
            priority_percent=tuple(scoring["priority_percent"]),
            downtime_penalty_per_day=scoring["downtime_penalty_per_day"],
            budget_penalty=scoring["budget_penalty"],
            caution_penalty=scoring["caution_penalty"],
            pih_skin_type_min=scoring["pih_skin_type_min"],
            pih_penalty=dict(scoring["pih_penalty"]),
            pih_conditions=frozenset(scoring.get("pih_conditions", ())),
        ),
        concerns=concerns,
        conditions=conditions,
        sources={record["id"]: record for record in doc["sources"]},
        fingerprint=fingerprint,
        treatment_by_id={treatment.id: treatment for treatment in treatments},
        rule_by_id={rule.id: rule for rule in rules},
        rules_by_condition={condition: tuple(found) for condition, found in by_condition.items()},
        skin_type_rules=tuple(rule for rule in rules if rule.reads_skin_type),
        concern_lookup=_lookup(concerns, "label"),
        condition_lookup=_lookup(conditions, "label"),
    )
