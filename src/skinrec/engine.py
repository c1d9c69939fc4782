"""The scoring engine: profile + knowledge base -> ranked, explained recommendations. Pure: no I/O, no printing.

Order of decisions for each treatment:
1. relevance: a treatment rated `none` for every requested concern is "not relevant" (kept apart from safety);
2. exclusion: every fired `exclude` rule and every hard constraint (minimum downtime above the tolerance,
   cheapest course or session above the budget, wrong setting) is collected, not just the first;
3. scoring: efficacy per concern weighted by priority, minus penalties where downtime or cost straddle the
   limit, minus a penalty per fired `caution` rule, minus the PIH demotion for darker skin. Each term is a
   `Reason`, and the score is their sum, so every ranking explains itself exactly.

Ranking is deterministic: score (high first), then the shorter maximum downtime, then the cheaper minimum
course cost, then the id alphabetically.

How it stays fast (batch mode scores thousands of profiles a second). The parts of a profile act on the
treatments independently of each other: its concerns (relevance and efficacy), its conditions and skin type
(the rules that fire, and the PIH demotion), and each of its limits (setting, downtime, budget). What each
part does to every treatment is worked out once per distinct value of that part and kept with the knowledge
base (`_Memo`) as a *key vector*: a whole number per treatment that holds the part's points, or a marker for
"ruled out". Whole numbers because then a treatment's sort key is the *sum* of its parts' numbers (see
`_Memo` for the encoding), so a profile's whole ranking is a few element-wise additions of vectors and one
sort of plain integers, done inside the interpreter's C code. The reasons and exclusions that explain each
number are kept beside it in columns of the same shape, shared by every result that uses them (see
result.py). A profile's limits are also kept added up, per combination of them (`_Limits`): few occur.

Rules depend only on the profile, so they are evaluated once per (conditions, skin type), and only the
rules that read a condition the profile has (or the skin type) at all: conditions never appear under `not`,
so a rule none of whose conditions is present cannot fire.
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import compress
from operator import add, not_
from types import MappingProxyType
from typing import Any, NamedTuple

from skinrec.conditions import triggers as rule_triggers
from skinrec.gcpause import without_gc
from skinrec.knowledge import KnowledgeBase, Rule, Treatment
from skinrec.profile import ROMAN, Profile
from skinrec.result import (
    Caution,
    Excluded,
    Exclusion,
    FiredRule,
    NearMiss,
    Reason,
    Recommendation,
    Result,
)
from skinrec.wording import counted, facts_in_words, money

ORDINALS = ("top", "2nd", "3rd")
# Added to the message of a rule that fired only because the profile gives no skin type (see conditions.py).
UNKNOWN_SKIN_TYPE_NOTE = "(Your skin type was not given, so skinrec assumes this applies to you.)"
# Entries a memo keeps before starting afresh: far more than the distinct values of a real batch, far less
# than would matter for memory. Memos whose entries hold a value per treatment keep fewer entries for a larger
# knowledge base, MEMO_CELLS values in all.
MEMO_LIMIT = 4096
MEMO_CELLS = 250_000

# Near misses up to this many are re-ranked one by one (a pass over the treatments in C each); more share one
# pass in Python (see `_swept_ranks`), which costs as much as a score or so of the former.
FEW_NEAR_MISSES = 16
# Knowledge bases up to this many treatments rank a near miss by sorting (see `_near_misses`).
SMALL_BASE = 64

Reasons = tuple[Reason, ...]
Exclusions = tuple[Exclusion, ...]
# A limit's effect on one kind of treatment (all treatments with the same setting, the same downtime range, or
# the same cost range are affected alike): its key-vector part, and (when asked) its reasons and exclusions.
Cell = tuple[int, Reasons, Exclusions]
# A profile's limits, as one memo key: its setting, downtime, budget and what the budget is per.
LimitKey = tuple[str, float | None, float | None, str]
# A near miss's re-ranking: the treatment's index and the relaxed setting, downtime and budget (no budget is an
# infinite one).
Query = tuple[int, str, float | None, float]


@dataclass(slots=True, eq=False)
class _Rated:
    """What a list of concerns does to every treatment: its efficacy points (in `vector`, see `_Memo`), or
    "not relevant"; and the efficacy reasons behind the points."""

    vector: list[int]
    efficacy: list[Reasons]  # per treatment; () where not relevant
    relevant: list[int]  # treatment indices, in knowledge-base order
    not_relevant: tuple[Treatment, ...]


@dataclass(slots=True, eq=False)
class _Verdicts:
    """What the fired rules (and the skin type) say about every treatment: the same for any concerns, downtime,
    budget or setting, so it is worked out once per (conditions, skin type)."""

    fired: tuple[FiredRule, ...]
    vector: list[int]  # caution and PIH penalties, or "ruled out by a rule" (see `_Memo`)
    tails: list[Reasons]  # per treatment: its caution reasons, then its PIH reason
    cautions: list[tuple[Caution, ...]]
    exclusions: list[Exclusions]  # the exclude rules that fired for it


@dataclass(slots=True, eq=False)
class _Limit:
    """What one limit (a setting, a downtime, a budget) does to every treatment: a penalty, or "ruled out by a
    limit" (in `vector`, see `_Memo`), with the reason or exclusion that says so."""

    vector: list[int]
    penalising: bool  # whether any treatment is penalised here (rather than admitted as it is, or ruled out)
    kinds: list[Any]  # per treatment: what the limit looks at (its setting, downtime or costs)
    cell: Callable[[Any, bool], Cell]  # a kind's part of the vector and, if asked, its reasons and exclusions
    # Made by `explain`, and only for the limits a profile sets: the limits that near misses relax to need
    # only their vector, and formatting the words for every treatment of a large base costs far more.
    reasons: list[Reasons] = field(default_factory=list)
    exclusions: list[Exclusions] = field(default_factory=list)

    def explain(self) -> None:
        cells = {kind: self.cell(kind, True) for kind in dict.fromkeys(self.kinds)}
        self.reasons = [cells[kind][1] for kind in self.kinds]
        self.exclusions = [cells[kind][2] for kind in self.kinds]


@dataclass(slots=True, eq=False)
class _Limits:
    """All the limits a profile sets, together: memoised as one, because a profile's limits are one of few
    combinations, and adding their vectors and columns up once for each saves doing it for every profile."""

    parts: list[_Limit]  # setting, downtime, budget: those set, in the order their words are listed
    vector: list[int] | None  # their key-vector parts added up (None: no limit is set)
    explained: bool = False
    # Made by `explain`: each treatment's penalty reasons and exclusions (columns of empty tuples where none).
    penalties: list[Reasons] = field(default_factory=list)
    exclusions: list[Exclusions] = field(default_factory=list)
    # For each treatment met as a near miss under these limits: how relaxing them would admit it, and (for a
    # re-ranking one by one) the limits relaxed so; the same for every profile with these limits.
    relaxings: dict[int, _Relaxing] = field(default_factory=dict)
    relaxed: dict[int, _Limits] = field(default_factory=dict)

    def explain(self, memo: _Memo) -> None:
        penalties = exclusions = memo.nothing
        for part in self.parts:
            if len(part.reasons) < len(part.kinds):
                part.explain()
            if part.penalising:
                penalties = list(map(add, penalties, part.reasons))
            exclusions = list(map(add, exclusions, part.exclusions))
        self.penalties, self.exclusions, self.explained = penalties, exclusions, True


@dataclass(slots=True, eq=False)
class _Fired:
    """A rule that fired, and what it does to the treatments it applies to."""

    item: FiredRule
    order: int  # the rule's place in the knowledge base
    targets: list[int]  # the indices of the treatments it applies to
    points: int  # its part of their key vector
    # What it adds to each target's exclusions, or to its cautions and (when cautions cost points) its
    # reasons: one-member tuples, made once, so that adding them is a tuple concatenation
    exclusion: Exclusions
    caution: tuple[Caution, ...]
    reason: Reasons


@dataclass(slots=True, eq=False)
class _Concern:
    """What one concern, at one place in the list, does to every treatment: its efficacy points in the key
    vector, its efficacy reason, and which treatments it does not rate at all (the "not relevant" marker of
    `_Memo` where it does not, else 0: a list of concerns leaves unrated what each of them does)."""

    vector: list[int]
    efficacy: list[Reasons]
    unrated: list[int]


class _Relaxing(NamedTuple):
    """How a near miss relaxes the limits that rule it out: the `changes` it reports and their words."""

    setting: bool
    downtime: float | None
    budget: float | None
    changes: Mapping[str, float | str]  # read-only, shared by every near miss relaxed alike
    words: str


class _Decoded(dict[int, tuple[int, int]]):
    """A sort key's treatment index and score (see `_Memo`), each worked out on first use: a ranking reads a
    few keys, and the same keys recur from profile to profile, so a lookup is cheaper than the arithmetic."""

    __slots__ = ("by_place", "n", "offset")

    def __init__(self, n: int, offset: int, by_place: tuple[int, ...]) -> None:
        super().__init__()
        self.n, self.offset, self.by_place = n, offset, by_place

    def __missing__(self, key: int) -> tuple[int, int]:
        if len(self) >= MEMO_CELLS:
            self.clear()
        rest, position = divmod(key, self.n)
        found = self[key] = (self.by_place[position], self.offset - rest)
        return found


@dataclass(slots=True)
class _Memo:
    """One knowledge base's fixed layout, and the engine's memos for it (kept in `kb.derived`): every memo value
    is a pure function of its key, so a memo can be cleared at any time without changing a result.

    The sort key of treatment `i` is `(offset - score) * n + place[i]`, where `place` is the treatments' fixed
    tie-break order (shorter maximum downtime, cheaper course, id) and `offset` exceeds any score's size, so
    smaller is better and no two treatments tie. A part of a profile contributes `-points * n` to it. "Ruled
    out" is a marker too large for any score to reach: `admit` for each limit that rules a treatment out (three
    limits at most), `4 * admit` for each exclude rule that fires, and `8 * admit` for "not relevant". So after
    adding up the parts, a key below `admit` is a recommendation, and a relevant treatment's key below
    `4 * admit` is one ruled out by limits alone.
    """

    n: int
    offset: int
    admit: int
    rule_order: dict[str, int]
    index: dict[str, int]  # treatment id -> index
    base: list[int]  # the key vector before any part of a profile: offset * n + place
    nothing: list[Any]  # a column of empty tuples, for any kind of tuple
    decoded: _Decoded
    verdicts: dict[tuple[frozenset[str], int | None], _Verdicts] = field(default_factory=dict)
    fired: dict[tuple[str, frozenset[str], int | None], _Fired | None] = field(default_factory=dict)
    rated: dict[tuple[str, ...], _Rated] = field(default_factory=dict)
    concerns: dict[tuple[str, int, bool], _Concern] = field(default_factory=dict)
    efficacy: dict[tuple[str, str, bool, int, bool], Reason] = field(default_factory=dict)
    pih: dict[tuple[int | None, str | None], tuple[list[int], list[Reasons]]] = field(default_factory=dict)
    limits: dict[tuple[Any, ...], _Limit] = field(default_factory=dict)
    limit_sets: dict[LimitKey, _Limits] = field(default_factory=dict)
    kinds: dict[str, list[Any]] = field(default_factory=dict)  # see `_kinds`; and each one's distinct kinds
    relaxing: dict[tuple[str | None, int | None, float | None, str], _Relaxing] = field(default_factory=dict)


def _memo(kb: KnowledgeBase) -> _Memo:
    return kb.derive("engine", _layout)


def _layout(kb: KnowledgeBase) -> _Memo:
    treatments, scoring = kb.treatments, kb.scoring
    n = max(1, len(treatments))
    most = max(scoring.efficacy_points.values()) * len(kb.concerns)
    longest = max((t.downtime[1] for t in treatments), default=0)
    worst = (
        scoring.downtime_penalty_per_day * longest
        + scoring.budget_penalty
        + scoring.caution_penalty * len(kb.rules)
        + max(scoring.pih_penalty.values())
    )
    offset = most + worst + 1
    # Three stable sorts on plain keys: a large knowledge base sorts several times faster than by tuples.
    by_place = sorted(range(len(treatments)), key=[t.id for t in treatments].__getitem__)
    by_place.sort(key=[t.course_cost[0] for t in treatments].__getitem__)
    by_place.sort(key=[t.downtime[1] for t in treatments].__getitem__)
    place = [0] * len(treatments)
    for position, i in enumerate(by_place):
        place[i] = position
    return _Memo(
        n=n,
        offset=offset,
        admit=2 * offset * n,
        rule_order={rule.id: index for index, rule in enumerate(kb.rules)},
        index={t.id: i for i, t in enumerate(treatments)},
        base=[offset * n + p for p in place],
        nothing=[()] * len(treatments),
        decoded=_Decoded(n, offset, tuple(by_place)),
    )


def _remember(table: dict[Any, Any], key: Any, value: Any, cells: int = 1) -> None:
    """Keep `value` under `key`, starting the table afresh when full; `cells` is the size of one value."""
    if len(table) >= min(MEMO_LIMIT, max(16, MEMO_CELLS // cells)):
        table.clear()
    table[key] = value


def fired_rules(profile: Profile, kb: KnowledgeBase) -> list[FiredRule]:
    """The rules that fire for this profile, in knowledge-base order, with the facts that fired them."""
    return list(_verdicts(kb, _memo(kb), profile.conditions, profile.skin_type).fired)


def _verdicts(kb: KnowledgeBase, memo: _Memo, conditions: frozenset[str], skin_type: int | None) -> _Verdicts:
    key = (conditions, skin_type)
    found = memo.verdicts.get(key)
    if found is None:
        found = _judge(kb, memo, conditions, skin_type)
        _remember(memo.verdicts, key, found, memo.n)
    return found


def _judge(kb: KnowledgeBase, memo: _Memo, conditions: frozenset[str], skin_type: int | None) -> _Verdicts:
    candidates: dict[str, Rule] = {}
    for condition in conditions:
        for rule in kb.rules_by_condition.get(condition, ()):
            candidates[rule.id] = rule
    for rule in kb.skin_type_rules:
        candidates[rule.id] = rule
    fired = [found for found in (_fire(kb, memo, rule, conditions, skin_type) for rule in candidates.values()) if found]
    fired.sort(key=_fired_order)
    tan = min(kb.scoring.pih_conditions & conditions, default=None)
    vector, tails = memo.pih.get((skin_type, tan)) or _pih(kb, memo, skin_type, tan)
    cautions = exclusions = memo.nothing
    if fired:  # copied once, then changed only where a rule applies: a large base's rules apply to few
        vector, cautions, exclusions = vector.copy(), cautions.copy(), exclusions.copy()
        penalties = None
        for found in fired:
            points = found.points
            if found.exclusion:
                exclusion = found.exclusion
                for i in found.targets:
                    vector[i] += points
                    exclusions[i] += exclusion
                continue
            caution = found.caution
            for i in found.targets:
                vector[i] += points
                cautions[i] += caution
            if found.reason:
                reason = found.reason
                penalties = penalties or memo.nothing.copy()
                for i in found.targets:
                    penalties[i] += reason
        if penalties is not None:  # a treatment's cautions' penalties come before its PIH reason
            tails = list(map(add, penalties, tails))
    items = tuple(found.item for found in fired)
    return _Verdicts(items, vector, tails, cautions, exclusions)


def _fired_order(found: _Fired) -> int:
    return found.order


def _fire(
    kb: KnowledgeBase, memo: _Memo, rule: Rule, conditions: frozenset[str], skin_type: int | None
) -> _Fired | None:
    """The rule fired (with its triggers and what it adds) or not, memoised on just the facts the rule reads."""
    key = (rule.id, conditions & rule.reads, skin_type if rule.reads_skin_type else None)
    if key in memo.fired:
        return memo.fired[key]
    found = None
    truth = rule.evaluate(conditions, skin_type)
    if truth is not False:
        message = rule.message if truth else f"{rule.message} {UNKNOWN_SKIN_TYPE_NOTE}"
        item = FiredRule(rule, tuple(rule_triggers(rule.tree, conditions, skin_type)), message)
        targets = [memo.index[treatment_id] for treatment_id in rule.applies]
        if rule.severity == "exclude":
            exclusion = Exclusion(rule.id, None, item.triggers, message)
            found = _Fired(item, memo.rule_order[rule.id], targets, 4 * memo.admit, (exclusion,), (), ())
        else:
            penalty = kb.scoring.caution_penalty
            caution = Caution(rule.id, item.triggers, message)
            because = facts_in_words(kb, item.triggers, skin_type)
            reason = (Reason(f"caution ({because})", -penalty),) if penalty else ()
            found = _Fired(item, memo.rule_order[rule.id], targets, penalty * memo.n, (), (caution,), reason)
    _remember(memo.fired, key, found)
    return found


def _pih(kb: KnowledgeBase, memo: _Memo, skin_type: int | None, tan: str | None) -> tuple[list[int], list[Reasons]]:
    """Every treatment's PIH demotion at this skin type: its key-vector part and its reason (if it has one). An
    unknown skin type is demoted as a darker one would be, as the rules that read skin type assume it too: else
    "not sure" would rank the treatments most likely to leave dark marks above what stating type IV does. `tan`
    is the first of the profile's conditions that `pih_conditions` lists (a recent tan), which demotes any skin
    type alike; once, with the skin type's words where both apply."""
    scoring = kb.scoring
    where = None
    if skin_type is None or skin_type >= scoring.pih_skin_type_min:
        where = f"for skin type {_skin_types(skin_type, scoring.pih_skin_type_min)}"
    elif tan is not None:
        where = f"with {kb.conditions[tan]['label'].lower()}"
    cells: dict[str, tuple[int, Reasons]] = {}
    for level, penalty in scoring.pih_penalty.items():
        if penalty and where is not None:
            cells[level] = penalty * memo.n, (Reason(f"{level} risk of dark marks (PIH) {where}", -penalty),)
        else:
            cells[level] = 0, ()
    column = [cells[t.pih] for t in kb.treatments]
    found = memo.pih[(skin_type, tan)] = [c[0] for c in column], [c[1] for c in column]
    return found


def _skin_types(skin_type: int | None, lowest: int) -> str:
    """The skin type a PIH reason speaks of: the profile's, or (when not given) the range it is assumed to be in."""
    if skin_type is not None:
        return ROMAN[skin_type - 1]
    assumed = ROMAN[lowest - 1] if lowest == len(ROMAN) else f"{ROMAN[lowest - 1]}-{ROMAN[-1]}"
    return f"{assumed} (your skin type was not given, so skinrec assumes it)"


def _rated(kb: KnowledgeBase, memo: _Memo, concerns: tuple[str, ...]) -> _Rated:
    if len(set(concerns)) < len(concerns):  # `_layout`'s bound on a score counts each concern once
        raise ValueError(f"a profile names each concern once, not {concerns}")
    vector, efficacy, unrated = memo.base, None, None
    for position, concern in enumerate(concerns):
        key = (concern, position, len(concerns) == 1)
        column = memo.concerns.get(key) or _concern(kb, memo, key)
        vector = list(map(add, vector, column.vector))
        if efficacy is None or unrated is None:
            efficacy, unrated = column.efficacy, column.unrated
        else:
            efficacy, unrated = list(map(add, efficacy, column.efficacy)), list(map(min, unrated, column.unrated))
    not_relevant: tuple[Treatment, ...] = ()
    relevant = list(range(len(kb.treatments)))
    if unrated is not None and any(unrated):
        vector = list(map(add, vector, unrated))
        not_relevant = tuple(compress(kb.treatments, unrated))
        relevant = list(compress(relevant, map(not_, unrated)))
    found = _Rated(vector, efficacy or memo.nothing, relevant, not_relevant)
    _remember(memo.rated, concerns, found, memo.n)
    return found


def _concern(kb: KnowledgeBase, memo: _Memo, key: tuple[str, int, bool]) -> _Concern:
    concern, position, single = key
    vector = [0] * memo.n
    efficacy: list[Reasons] = [()] * memo.n
    for i, t in enumerate(kb.treatments):
        rating = t.ratings.get(concern)
        if rating is not None:
            reason = _efficacy(kb, memo, (concern, rating, concern in t.estimated, position, single))
            vector[i] = -reason.points * memo.n
            efficacy[i] = (reason,)
    found = _Concern(vector, efficacy, [0 if reasons else 8 * memo.admit for reasons in efficacy])
    _remember(memo.concerns, key, found, memo.n)
    return found


def _efficacy(kb: KnowledgeBase, memo: _Memo, key: tuple[str, str, bool, int, bool]) -> Reason:
    """The reason a `rating` for a concern counts, at its place in the list; an estimated rating says so, as
    every estimated figure does wherever it is shown."""
    reason = memo.efficacy.get(key)
    if reason is None:
        concern, rating, estimated, position, single = key
        scoring = kb.scoring
        label = kb.concerns[concern]["label"].lower()
        if single:
            where = "your concern"
        else:
            ordinal = ORDINALS[position] if position < len(ORDINALS) else f"{position + 1}th"
            where = f"your {ordinal} concern, weighted {scoring.priority(position)}%"
        points = scoring.weighted(scoring.efficacy_points[rating], position)
        reason = Reason(f"{rating}{' (estimate)' * estimated} for {label} ({where})", points)
        _remember(memo.efficacy, key, reason)
    return reason


def _limits(kb: KnowledgeBase, memo: _Memo, key: LimitKey, explained: bool = False) -> _Limits:
    """The limits in force for `key` (setting, downtime, budget, budget per), together; `explained`, with the
    reasons and exclusions they give each treatment."""
    found = memo.limit_sets.get(key)
    if found is None:
        setting, downtime, budget, per = key
        # -0.0 equals 0.0 (and so finds its memo entries) but prints as "-0": both are given as 0
        keys: list[tuple[Any, ...]] = []
        if setting != "any":
            keys.append(("setting", setting))
        if downtime is not None:
            keys.append(("downtime", downtime or 0))
        if budget is not None:
            keys.append(("budget", budget or 0, per))
        parts = [memo.limits.get(part) or _limit(kb, memo, part) for part in keys]
        vector = None
        for part in parts:
            vector = part.vector if vector is None else list(map(add, vector, part.vector))
        found = _Limits(parts, vector)
        _remember(memo.limit_sets, key, found, memo.n)
    if explained and not found.explained:
        found.explain(memo)
    return found


def _limit(kb: KnowledgeBase, memo: _Memo, key: tuple[Any, ...]) -> _Limit:
    """Make (and keep) the `_Limit` for `key` by working out its effect once per kind of treatment, which keeps
    a large knowledge base's limits cheap: it has few kinds."""
    limit, value = key[0], key[1]
    cell: Any
    if limit == "setting":
        cell = partial(_setting_cell, memo, value)
    elif limit == "downtime":
        cell = partial(_downtime_cell, memo, kb.scoring.downtime_penalty_per_day, value)
    else:
        limit = key[2]  # the budget's kinds are the costs per session, or per course
        cell = partial(_budget_cell, memo, kb.scoring.budget_penalty, limit, value)
    kinds = memo.kinds.get(limit) or memo.kinds.setdefault(limit, _kinds(kb, limit))
    distinct = memo.kinds.get(f"distinct {limit}") or memo.kinds.setdefault(
        f"distinct {limit}", list(dict.fromkeys(kinds))
    )
    points = {kind: cell(kind, False)[0] for kind in distinct}
    penalising = any(0 < part < memo.admit for part in points.values())
    found = _Limit(list(map(points.__getitem__, kinds)), penalising, kinds, cell)
    _remember(memo.limits, key, found, memo.n)
    return found


def _kinds(kb: KnowledgeBase, limit: str) -> list[Any]:
    """What a limit looks at in each treatment: its setting, its downtime range, or its session or course costs."""
    if limit == "setting":
        return [t.setting for t in kb.treatments]
    if limit == "downtime":
        return [t.downtime for t in kb.treatments]
    return [t.cost if limit == "session" else t.course_cost for t in kb.treatments]


def _setting_words(setting: str) -> tuple[str, str]:
    """A setting as it qualifies treatments ("at-home", "clinic") and as where one is done ("at home", "in a
    clinic"): the exclusion and the near miss that relaxes it must name a setting alike."""
    return ("at-home", "at home") if setting == "home" else ("clinic", "in a clinic")


def _setting_cell(memo: _Memo, setting: str, where: str, words: bool) -> Cell:
    if where == setting or not words:
        return 0 if where == setting else memo.admit, (), ()
    text = f"done {_setting_words(where)[1]}; you asked for {_setting_words(setting)[0]} treatments only"
    return memo.admit, (), (Exclusion(None, "setting", ("setting",), text),)


def _downtime_cell(memo: _Memo, per_day: int, downtime: float, days: tuple[int, int], words: bool) -> Cell:
    low, high = days
    if low > downtime:
        if not words:
            return memo.admit, (), ()
        text = f"needs at least {counted(low, low, 'day')} of downtime; you can take {downtime:g}"
        return memo.admit, (), (Exclusion(None, "downtime", ("downtime",), text),)
    if downtime < high and per_day:
        over = math.ceil(high - downtime)
        if not words:
            return per_day * over * memo.n, (), ()
        past = high - downtime  # said as it is (0.5 days); the penalty counts each day begun
        text = f"downtime of {counted(low, high, 'day')} may run {counted(past, past, 'day')} past your limit of {downtime:g}"
        return per_day * over * memo.n, (Reason(text, -per_day * over),), ()
    return 0, (), ()


def _budget_cell(memo: _Memo, penalty: int, per: str, budget: float, costs: tuple[float, float], words: bool) -> Cell:
    low, high = costs
    if low > budget:
        if not words:
            return memo.admit, (), ()
        text = f"the cheapest {per} costs {money(low)}; your budget is {money(budget)} per {per}"
        return memo.admit, (), (Exclusion(None, "budget", ("budget",), text),)
    if budget < high and penalty:
        if not words:
            return penalty * memo.n, (), ()
        text = f"{per} cost of {money(low)}-{money(high)} may exceed your {money(budget)} budget"
        return penalty * memo.n, (Reason(text, -penalty),), ()
    return 0, (), ()


@dataclass(slots=True)
class Ranking:
    """Everything `recommend` decides, in the engine's own shared pieces, before it is dressed as a `Result`:
    the fast JSON writer of batch mode reads this directly (see fast_export.py)."""

    kb: KnowledgeBase
    profile: Profile
    memo: _Memo
    rated: _Rated
    verdicts: _Verdicts
    limits: _Limits  # explained
    fixed: list[int]  # the key vector of concerns and verdicts: what relaxing a limit leaves as it is
    keys: list[int]  # the key vector with the limits too
    admitted: list[int]  # the keys below `admit`, best first
    excluded: list[int]  # the relevant treatments' indices with keys from `admit` up, in knowledge-base order

    def placed(self) -> list[tuple[int, int]]:
        """The recommended treatments' indices and scores, best first."""
        return list(map(self.memo.decoded.__getitem__, self.admitted))

    def exclusion_column(self) -> list[Exclusions]:
        """Every treatment's exclusions, the rules' then the limits': joined for all treatments at once, which
        costs less than joining them for each excluded treatment on its own."""
        if not self.limits.parts:
            return self.verdicts.exclusions
        return list(map(add, self.verdicts.exclusions, self.limits.exclusions))

    def near_misses(self) -> list[NearMiss]:
        ruled = 4 * self.memo.admit
        keys = self.keys
        constrained = [i for i in self.excluded if keys[i] < ruled]
        return _near_misses(self, constrained) if constrained else []


def rank(profile: Profile, kb: KnowledgeBase) -> Ranking:
    """Decide every treatment for `profile`: relevance, exclusions, scores and order (see the module docstring)."""
    memo: _Memo = kb.derived.get("engine") or _memo(kb)  # (`_memo`'s lookup, without its two calls)
    rated = memo.rated.get(profile.concerns) or _rated(kb, memo, profile.concerns)
    verdicts = memo.verdicts.get((profile.conditions, profile.skin_type)) or _verdicts(
        kb, memo, profile.conditions, profile.skin_type
    )
    key = (profile.setting, profile.downtime, profile.budget, profile.budget_per)
    limits = memo.limit_sets.get(key)
    if limits is None or not limits.explained:
        limits = _limits(kb, memo, key, explained=True)
    fixed = keys = list(map(add, rated.vector, verdicts.vector))
    if limits.vector is not None:
        keys = list(map(add, fixed, limits.vector))
    ordered = sorted(keys)
    admit = memo.admit
    admitted = ordered[: bisect_left(ordered, admit)]
    relevant = rated.relevant
    excluded = [] if len(admitted) == len(relevant) else [i for i in relevant if keys[i] >= admit]
    return Ranking(kb, profile, memo, rated, verdicts, limits, fixed, keys, admitted, excluded)


@without_gc
def recommend(profile: Profile, kb: KnowledgeBase) -> Result:
    """Rank every treatment in `kb` for `profile`; see the module docstring for the method."""
    ranking = rank(profile, kb)
    treatments, cautions = kb.treatments, ranking.verdicts.cautions
    efficacy, penalties, tails = ranking.rated.efficacy, ranking.limits.penalties, ranking.verdicts.tails
    recommendations = [
        Recommendation(position, treatments[i], score, efficacy[i] + penalties[i] + tails[i], cautions[i])
        for position, (i, score) in enumerate(ranking.placed(), start=1)
    ]
    exclusions = ranking.exclusion_column() if ranking.excluded else ()
    return Result(
        profile,
        recommendations,
        [Excluded(treatments[i], exclusions[i]) for i in ranking.excluded],
        ranking.rated.not_relevant,
        ranking.near_misses(),
        ranking.verdicts.fired,
    )


def _near_misses(ranking: Ranking, constrained: list[int]) -> list[NearMiss]:
    """For each treatment ruled out only by limits: what relaxing them (never a contraindication) would take to
    admit it, and the rank it would then take. The whole ranking is redone with the relaxed limits, because
    relaxing a limit also lifts other treatments' penalties (and may admit others too): one by one when there
    are few near misses, else all at once (see `_swept_ranks`)."""
    kb, memo, profile, limits = ranking.kb, ranking.memo, ranking.profile, ranking.limits
    treatments = kb.treatments
    relaxing_of = limits.relaxings.get
    if len(constrained) <= FEW_NEAR_MISSES:
        near = []
        relaxed_of, fixed, n, offset = limits.relaxed.get, ranking.fixed, memo.n, memo.offset
        small = n <= SMALL_BASE
        # the relaxed limits' key vector (sorted, for a small base), by their identity (all alive here)
        vectors: dict[int, tuple[list[int], list[int]]] = {}
        for i in constrained:
            relaxing = relaxing_of(i) or _relaxing(kb, memo, profile, limits, i)
            relaxed = relaxed_of(i) or _relaxed_limits(ranking, i)
            found = vectors.get(id(relaxed))
            if found is None:
                keys = _limited(fixed, relaxed)
                found = vectors[id(relaxed)] = keys, sorted(keys) if small else keys
            keys, ordered = found
            own = keys[i]
            # a small base's rank by a binary search (faster than counting the better keys, a call per key); a
            # large base's by that count, linear in n
            rank = (bisect_left(ordered, own) if small else sum(map(own.__gt__, keys))) + 1
            near.append(_near_miss(treatments[i], relaxing, rank, offset - own // n))
    else:
        relaxings = [relaxing_of(i) or _relaxing(kb, memo, profile, limits, i) for i in constrained]
        queries: list[Query] = []
        for i, relaxing in zip(constrained, relaxings, strict=True):
            setting, downtime, budget, _ = _relaxed(profile, relaxing)
            queries.append((i, setting, downtime, math.inf if budget is None else budget))
        pool = [i for i in ranking.rated.relevant if ranking.fixed[i] < memo.admit]  # no rule rules these out
        placed = _swept_ranks(kb, memo, ranking.fixed, pool, profile.budget_per, queries)
        near = [
            _near_miss(treatments[i], relaxing, rank, score)
            for i, relaxing, (rank, score) in zip(constrained, relaxings, placed, strict=True)
        ]
    if len(near) > 1:
        near.sort(key=_near_order)
    return near


def _near_miss(t: Treatment, relaxing: _Relaxing, rank: int, score: int) -> NearMiss:
    """A near miss with its sentence, made here for both ways of ranking them (one by one, all at once). One that
    would score 0 or less says so, since "within reach" alone reads as advice to make the change."""
    text = f"{relaxing.words} would add {t.name} at #{rank}"
    if score <= 0:
        weighs = "match" if score == 0 else "outweigh"
        text = f"{text}, scoring {score}: what counts against it would {weighs} what it does for you"
    return NearMiss(t, relaxing.changes, rank, score, text)


def _near_order(miss: NearMiss) -> tuple[int, str]:
    return miss.rank, miss.treatment.id


def _relaxed_limits(ranking: Ranking, i: int) -> _Limits:
    """The ranking's limits relaxed to admit treatment `i`, kept with those limits."""
    key = _relaxed(ranking.profile, ranking.limits.relaxings[i])
    found = ranking.memo.limit_sets.get(key) or _limits(ranking.kb, ranking.memo, key)
    ranking.limits.relaxed[i] = found
    return found


def _relaxed(profile: Profile, relaxing: _Relaxing) -> LimitKey:
    """The profile's limits with `relaxing` applied."""
    return (
        "any" if relaxing.setting else profile.setting,
        profile.downtime if relaxing.downtime is None else relaxing.downtime,
        profile.budget if relaxing.budget is None else relaxing.budget,
        profile.budget_per,
    )


def _limited(fixed: list[int], limits: _Limits) -> list[int]:
    """The key vector `fixed` with the limits' parts added."""
    return fixed if limits.vector is None else list(map(add, fixed, limits.vector))


def _relaxing(kb: KnowledgeBase, memo: _Memo, profile: Profile, limits: _Limits, i: int) -> _Relaxing:
    """Which of the profile's limits rule treatment `i` out, and what relaxing each would take: kept with the
    profile's `limits`, and memoised on what is relaxed to what, which many treatments share."""
    t = kb.treatments[i]
    setting, downtime, budget, per = profile.setting, profile.downtime, profile.budget, profile.budget_per
    cheapest = (t.cost if per == "session" else t.course_cost)[0]
    key = (
        t.setting if setting != "any" and t.setting != setting else None,
        t.downtime[0] if downtime is not None and t.downtime[0] > downtime else None,
        cheapest if budget is not None and cheapest > budget else None,
        per,
    )
    found = memo.relaxing.get(key)
    if found is None:
        where, low, price, _ = key
        changes: dict[str, float | str] = {}
        words = []
        if where is not None:
            changes["setting"] = "any"
            words.append(f"including {_setting_words(where)[0]} treatments")
        if low is not None:
            changes["downtime"] = low
            words.append(f"allowing {counted(low, low, 'day')} of downtime")
        if price is not None:
            changes["budget"] = price
            words.append(f"a budget of {money(price)} per {per}")
        found = _Relaxing(where is not None, low, price, MappingProxyType(changes), " and ".join(words))
        _remember(memo.relaxing, key, found)
    limits.relaxings[i] = found
    return found


def _swept_ranks(
    kb: KnowledgeBase, memo: _Memo, fixed: list[int], pool: list[int], per: str, queries: list[Query]
) -> list[tuple[int, int]]:
    """The (rank, score) of every query's treatment under its relaxed limits, as `_near_misses` finds a few one
    by one, sharing the work: re-ranking every treatment for every near miss would cost (near misses x
    treatments), which a large knowledge base cannot afford.

    Near misses that relax the setting and downtime alike share the rest of their keys, and differ only by
    budget. So for each such group the budgets are visited in increasing order while a sorted list of the
    admitted treatments' keys is kept up to date: a treatment joins it when the budget reaches its cheapest
    cost, and loses its budget penalty when the budget reaches its dearest. Each near miss's rank is then a
    binary search. Only the `pool` (treatments relevant and not ruled out by a rule) can join.
    """
    groups: dict[tuple[str, float | None], list[int]] = {}
    for index, (_, setting, downtime, _) in enumerate(queries):
        groups.setdefault((setting, downtime), []).append(index)
    admit, n, offset = memo.admit, memo.n, memo.offset
    penalty = kb.scoring.budget_penalty * n
    costs = memo.kinds.get(per) or memo.kinds.setdefault(per, _kinds(kb, per))
    ranks: list[tuple[int, int]] = [(0, 0)] * len(queries)
    for (setting, downtime), members in groups.items():
        keys = _limited(fixed, _limits(kb, memo, (setting, downtime, None, per)))
        if queries[0][3] == math.inf:  # no budget (for any query then): all admitted join, none penalised
            ordered = sorted([key for key in map(keys.__getitem__, pool) if key < admit])
            for index in members:
                own = keys[queries[index][0]]
                ranks[index] = (bisect_left(ordered, own) + 1, offset - own // n)
            continue
        events: list[tuple[float, int, int]] = []  # (budget, 0: joins penalised | 1: loses its penalty | 2: joins)
        for i in pool:
            key = keys[i]
            if key < admit:
                cheapest, dearest = costs[i]
                if cheapest < dearest:
                    events += ((cheapest, 0, key), (dearest, 1, key))
                else:
                    events.append((cheapest, 2, key))
        events.sort()
        ordered = []
        done = 0
        for index in sorted(members, key=lambda index: queries[index][3]):
            i, _, _, budget = queries[index]
            while done < len(events) and events[done][0] <= budget:
                _, kind, key = events[done]
                done += 1
                if kind == 1:
                    del ordered[bisect_left(ordered, key + penalty)]
                insort(ordered, key + penalty if kind == 0 else key)
            own = keys[i] + (penalty if budget < costs[i][1] else 0)
            ranks[index] = (bisect_left(ordered, own) + 1, offset - own // n)
    return ranks


def rule_trace(profile: Profile, kb: KnowledgeBase) -> list[tuple[Rule, bool, tuple[str, ...]]]:
    """Every rule with whether it fired and, if so, the facts that fired it (for --explain)."""
    fired = {item.rule.id: item.triggers for item in fired_rules(profile, kb)}
    return [(rule, rule.id in fired, fired.get(rule.id, ())) for rule in kb.rules]
