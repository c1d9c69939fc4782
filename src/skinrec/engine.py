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

Rules depend only on the profile, so they are evaluated once per profile, not once per treatment; and only
rules that read a condition the profile has (or the skin type) are evaluated at all: conditions never appear
under `not`, so a rule none of whose conditions is present cannot fire.

Speed (batch mode scores many thousands of profiles a second): what depends on only part of a profile is
computed once per distinct part and memoised with the knowledge base — the rules' verdicts per (conditions,
skin type), relevance and efficacy reasons per list of concerns, and every reason's text per the numbers in
it — so scoring a profile is mostly dictionary lookups and additions. Near misses re-rank with the relaxed
limits using points alone, sharing the work between near misses (see `_relaxed_ranks`). Results share the
memoised objects (see result.py), and scoring runs with the cyclic garbage collector paused (gcpause.py).
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from skinrec.conditions import triggers as rule_triggers
from skinrec.gcpause import without_gc
from skinrec.knowledge import KnowledgeBase, Rule, Scoring, Treatment
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
from skinrec.wording import money, span

ORDINALS = ("top", "2nd", "3rd")
# Entries a memo keeps before starting afresh: far more than the distinct values of a real batch, far less
# than would matter for memory.
MEMO_LIMIT = 4096

SortKey = tuple[int, int, float, str]


class _Candidate(NamedTuple):
    """A treatment rated for at least one requested concern, unpacked for the scoring loop, with its
    efficacy reasons for that request (shared by every result for the same concerns)."""

    treatment: Treatment
    id: str
    setting: str
    low: int  # downtime days
    high: int
    session: tuple[float, float]  # cost range per session
    course: tuple[float, float]  # cost range per course
    pih: str
    efficacy: tuple[Reason, ...]
    points: int


@dataclass(slots=True)
class _Verdicts:
    """What the fired rules (and the skin type) say about each treatment: the same for any concerns, downtime,
    budget or setting, so it is worked out once per (conditions, skin type)."""

    fired: tuple[FiredRule, ...]
    pih: dict[str, Reason | None]  # the PIH demotion per risk level at this skin type
    excluded_by: dict[str, list[Exclusion]] = field(default_factory=dict)
    cautions: dict[str, list[Caution]] = field(default_factory=dict)
    caution_reasons: dict[str, list[Reason]] = field(default_factory=dict)
    tails: dict[str, tuple[tuple[Reason, ...], int]] = field(default_factory=dict)

    def tail(self, treatment: str, pih: str) -> tuple[tuple[Reason, ...], int]:
        """The reasons that follow the limits' penalties (cautions, then PIH) and the points they add."""
        found = self.tails.get(treatment)
        if found is None:
            pih_reason = self.pih[pih]
            reasons = (*self.caution_reasons.get(treatment, ()), *((pih_reason,) if pih_reason else ()))
            found = self.tails[treatment] = reasons, sum(reason.points for reason in reasons)
        return found


@dataclass(slots=True)
class _Words:
    """The reasons and exclusions one downtime or budget limit gives, by the treatment they speak of: the limit's
    number is in their text, so they are made once per distinct limit, not once per profile."""

    penalties: dict[Any, Reason] = field(default_factory=dict)
    exclusions: dict[Any, Exclusion] = field(default_factory=dict)


class _Fired(NamedTuple):
    """A rule that fired, with what it adds to the result: an exclusion, or a caution and its reason."""

    item: FiredRule
    exclusion: Exclusion | None
    caution: Caution | None
    reason: Reason | None  # None also when cautions cost no points


@dataclass(slots=True)
class _Memo:
    """The engine's memos for one knowledge base (kept in `kb.derived`): every value is a pure function of its
    key, so a memo can be cleared at any time without changing a result."""

    rule_order: dict[str, int]
    relevance_limit: int
    verdicts: dict[tuple[frozenset[str], int | None], _Verdicts] = field(default_factory=dict)
    fired: dict[tuple[str, frozenset[str], int | None], _Fired | None] = field(default_factory=dict)
    relevance: dict[tuple[str, ...], tuple[list[_Candidate], list[Treatment]]] = field(default_factory=dict)
    efficacy: dict[tuple[str, str, int, bool], Reason] = field(default_factory=dict)
    pih: dict[int | None, dict[str, Reason | None]] = field(default_factory=dict)
    downtime: dict[tuple[float, bool], _Words] = field(default_factory=dict)
    budget: dict[tuple[str, float, bool], _Words] = field(default_factory=dict)
    setting: dict[tuple[str, str], Exclusion] = field(default_factory=dict)
    phrases: dict[tuple[Any, ...], str] = field(default_factory=dict)  # near-miss wording


def _memo(kb: KnowledgeBase) -> _Memo:
    memo = kb.derived.get("engine")
    if memo is None:
        memo = kb.derived["engine"] = _Memo(
            rule_order={rule.id: index for index, rule in enumerate(kb.rules)},
            # a relevance entry holds a list as long as the knowledge base: bound them by total size
            relevance_limit=max(16, 250_000 // max(1, len(kb.treatments))),
        )
    assert isinstance(memo, _Memo)
    return memo


def _remember(table: dict[Any, Any], key: Any, value: Any, limit: int = MEMO_LIMIT) -> None:
    if len(table) >= limit:
        table.clear()
    table[key] = value


def _exact(value: float) -> tuple[float, bool]:
    """A memo key for a number the person gave: 0.0 and -0.0 are equal, but print differently."""
    return value, math.copysign(1.0, value) < 0


def fired_rules(profile: Profile, kb: KnowledgeBase) -> list[FiredRule]:
    """The rules that fire for this profile, in knowledge-base order, with the facts that fired them."""
    return list(_verdicts(kb, _memo(kb), profile).fired)


def _verdicts(kb: KnowledgeBase, memo: _Memo, profile: Profile) -> _Verdicts:
    key = (profile.conditions, profile.skin_type)
    found = memo.verdicts.get(key)
    if found is None:
        found = _judge(kb, memo, *key)
        _remember(memo.verdicts, key, found)
    return found


def _judge(kb: KnowledgeBase, memo: _Memo, conditions: frozenset[str], skin_type: int | None) -> _Verdicts:
    candidates: dict[str, Rule] = {}
    for condition in conditions:
        for rule in kb.rules_by_condition.get(condition, ()):
            candidates[rule.id] = rule
    for rule in kb.skin_type_rules:
        candidates[rule.id] = rule
    fired = [found for found in (_fire(kb, memo, rule, conditions, skin_type) for rule in candidates.values()) if found]
    fired.sort(key=lambda found: memo.rule_order[found.item.rule.id])
    pih = memo.pih.get(skin_type)
    if pih is None:
        pih = memo.pih[skin_type] = _pih_reasons(kb, skin_type)
    verdicts = _Verdicts(tuple(found.item for found in fired), pih)
    for item, exclusion, caution, reason in fired:
        for treatment_id in item.rule.applies:
            if exclusion is not None:
                verdicts.excluded_by.setdefault(treatment_id, []).append(exclusion)
            if caution is not None:
                verdicts.cautions.setdefault(treatment_id, []).append(caution)
            if reason is not None:
                verdicts.caution_reasons.setdefault(treatment_id, []).append(reason)
    return verdicts


def _fire(
    kb: KnowledgeBase, memo: _Memo, rule: Rule, conditions: frozenset[str], skin_type: int | None
) -> _Fired | None:
    """The rule fired (with its triggers and what it adds) or not, memoised on just the facts the rule reads."""
    key = (rule.id, conditions & rule.reads, skin_type if rule.reads_skin_type else None)
    if key in memo.fired:
        return memo.fired[key]
    found = None
    if rule.evaluate(conditions, skin_type) is not False:
        item = FiredRule(rule, tuple(rule_triggers(rule.tree, conditions, skin_type)))
        if rule.severity == "exclude":
            found = _Fired(item, Exclusion(rule.id, None, item.triggers, rule.message), None, None)
        else:
            penalty = kb.scoring.caution_penalty
            reason = Reason(f"caution {rule.id} ({', '.join(item.triggers)})", -penalty) if penalty else None
            found = _Fired(item, None, Caution(rule.id, item.triggers, rule.message), reason)
    _remember(memo.fired, key, found)
    return found


def _relevance(kb: KnowledgeBase, memo: _Memo, concerns: tuple[str, ...]) -> tuple[list[_Candidate], list[Treatment]]:
    """The treatments rated for any of `concerns` (ready to score), and the rest, both in knowledge-base order."""
    found = memo.relevance.get(concerns)
    if found is None:
        relevant: list[_Candidate] = []
        not_relevant: list[Treatment] = []
        for t in kb.treatments:
            efficacy = tuple(
                _efficacy(kb, memo, concern, t.ratings[concern], position, len(concerns) == 1)
                for position, concern in enumerate(concerns)
                if concern in t.ratings
            )
            if not efficacy:
                not_relevant.append(t)
                continue
            points = sum(reason.points for reason in efficacy)
            low, high = t.downtime
            relevant.append(_Candidate(t, t.id, t.setting, low, high, t.cost, t.course_cost, t.pih, efficacy, points))
        found = relevant, not_relevant
        _remember(memo.relevance, concerns, found, memo.relevance_limit)
    return found


def _efficacy(kb: KnowledgeBase, memo: _Memo, concern: str, rating: str, position: int, single: bool) -> Reason:
    key = (concern, rating, position, single)
    reason = memo.efficacy.get(key)
    if reason is None:
        scoring = kb.scoring
        label = kb.concerns[concern]["label"].lower()
        if single:
            where = "your concern"
        else:
            ordinal = ORDINALS[position] if position < len(ORDINALS) else f"{position + 1}th"
            where = f"your {ordinal} concern, weighted {scoring.priority(position)}%"
        points = scoring.weighted(scoring.efficacy_points[rating], position)
        reason = Reason(f"{rating} for {label} ({where})", points)
        _remember(memo.efficacy, key, reason)
    return reason


def _pih_reasons(kb: KnowledgeBase, skin_type: int | None) -> dict[str, Reason | None]:
    """The PIH demotion for each risk level at this skin type (None where there is none)."""
    scoring = kb.scoring
    return {
        level: (
            Reason(f"{level} risk of dark marks (PIH) for skin type {ROMAN[skin_type - 1]}", -penalty)
            if skin_type is not None and skin_type >= scoring.pih_skin_type_min and penalty
            else None
        )
        for level, penalty in scoring.pih_penalty.items()
    }


def _days(low: float, high: float) -> str:
    return span(low, high, "day" if low == high == 1 else "days")


def _downtime_words(memo: _Memo, downtime: float) -> _Words:
    key = _exact(downtime)
    words = memo.downtime.get(key)
    if words is None:
        words = _Words()
        _remember(memo.downtime, key, words)
    return words


def _budget_words(memo: _Memo, per: str, budget: float) -> _Words:
    key = (per, *_exact(budget))
    words = memo.budget.get(key)
    if words is None:
        words = _Words()
        _remember(memo.budget, key, words)
    return words


def _downtime_penalty(words: _Words, per_day: int, low: int, high: int, downtime: float) -> Reason:
    over = math.ceil(high - downtime)
    text = f"downtime of {_days(low, high)} may run {_days(over, over)} past your limit of {downtime:g}"
    reason = words.penalties[low, high] = Reason(text, -per_day * over)
    return reason


def _budget_penalty(words: _Words, penalty: int, treatment: Treatment, per: str, budget: float) -> Reason:
    low, high = treatment.cost if per == "session" else treatment.course_cost
    text = f"{per} cost of {money(low)}-{money(high)} may exceed your {money(budget)} budget"
    reason = words.penalties[treatment.id] = Reason(text, -penalty)
    return reason


def _constraints(memo: _Memo, candidate: _Candidate, profile: Profile) -> list[Exclusion]:
    """Every limit (not rule) that rules the candidate out, in words."""
    out = []
    setting, downtime, budget, per = profile.setting, profile.downtime, profile.budget, profile.budget_per
    if setting != "any" and candidate.setting != setting:
        exclusion = memo.setting.get((candidate.setting, setting))
        if exclusion is None:
            text = (
                f"done {'at home' if candidate.setting == 'home' else 'in a clinic'}; "
                f"you asked for {'at-home' if setting == 'home' else 'clinic'} treatments only"
            )
            exclusion = memo.setting[candidate.setting, setting] = Exclusion(None, "setting", ("setting",), text)
        out.append(exclusion)
    if downtime is not None and candidate.low > downtime:
        words = _downtime_words(memo, downtime)
        exclusion = words.exclusions.get(candidate.low)
        if exclusion is None:
            text = f"needs at least {_days(candidate.low, candidate.low)} of downtime; you can take {downtime:g}"
            exclusion = words.exclusions[candidate.low] = Exclusion(None, "downtime", ("downtime",), text)
        out.append(exclusion)
    cheapest = (candidate.session if per == "session" else candidate.course)[0]
    if budget is not None and cheapest > budget:
        words = _budget_words(memo, per, budget)
        exclusion = words.exclusions.get(candidate.id)
        if exclusion is None:
            text = f"the cheapest {per} costs {money(cheapest)}; your budget is {money(budget)} per {per}"
            exclusion = words.exclusions[candidate.id] = Exclusion(None, "budget", ("budget",), text)
        out.append(exclusion)
    return out


# An admitted treatment: sort key, candidate, score, the downtime and budget penalties (None where there is
# none), the reasons that follow them (cautions, PIH), and the cautions that fired for it.
Scored = tuple[SortKey, _Candidate, int, Reason | None, Reason | None, tuple[Reason, ...], list[Caution] | None]
# A ruled-out treatment: candidate, the exclude rules that fired for it (None if none), and the limits it breaks.
Ruled = tuple[_Candidate, list[Exclusion] | None, list[Exclusion]]

_NO_WORDS = _Words()


@dataclass(slots=True)
class Ranking:
    """Everything `recommend` decides, in the engine's own shared pieces, before it is dressed as a `Result`:
    the fast JSON writer of batch mode reads this directly (see fast_export.py)."""

    kb: KnowledgeBase
    profile: Profile
    verdicts: _Verdicts
    relevant: list[_Candidate]
    not_relevant: list[Treatment]
    scored: list[Scored]  # best first
    excluded: list[Ruled]
    constrained: list[_Candidate]  # ruled out by limits alone

    def near_misses(self) -> list[NearMiss]:
        if not self.constrained:
            return []
        return _near_misses(self.kb, _memo(self.kb), self.profile, self.verdicts, self.relevant, self.constrained)


def rank(profile: Profile, kb: KnowledgeBase) -> Ranking:
    """Decide every treatment for `profile`: relevance, exclusions, scores and order (see the module docstring).

    The loop is written out flat (no call per treatment unless a reason needs words made) because it runs for
    every treatment of every profile of a batch. An absent limit is infinite here, so it never excludes or
    penalises and needs no test of its own.
    """
    memo = _memo(kb)
    verdicts = _verdicts(kb, memo, profile)
    relevant, not_relevant = _relevance(kb, memo, profile.concerns)
    per_day, budget_penalty = kb.scoring.downtime_penalty_per_day, kb.scoring.budget_penalty
    setting, per = profile.setting, profile.budget_per
    session = per == "session"
    downtime = math.inf if profile.downtime is None else profile.downtime
    budget = math.inf if profile.budget is None else profile.budget
    downtime_words = _NO_WORDS if profile.downtime is None else _downtime_words(memo, downtime)
    budget_words = _NO_WORDS if profile.budget is None else _budget_words(memo, per, budget)
    excluded_by, cautions_by, tails = verdicts.excluded_by, verdicts.cautions, verdicts.tails
    scored: list[Scored] = []
    excluded: list[Ruled] = []
    constrained: list[_Candidate] = []
    for candidate in relevant:
        treatment, ident, where, low, high, per_session, per_course, pih, _, score = candidate
        cheapest, dearest = per_session if session else per_course
        rule_exclusions = excluded_by.get(ident)
        if rule_exclusions or (setting != "any" and where != setting) or low > downtime or cheapest > budget:
            excluded.append((candidate, rule_exclusions, _constraints(memo, candidate, profile)))
            if not rule_exclusions:
                constrained.append(candidate)
            continue
        downtime_reason: Reason | None = None
        budget_reason: Reason | None = None
        if downtime < high and per_day:
            downtime_reason = downtime_words.penalties.get((low, high)) or _downtime_penalty(
                downtime_words, per_day, low, high, downtime
            )
            score += downtime_reason.points
        if budget < dearest and budget_penalty:
            budget_reason = budget_words.penalties.get(ident) or _budget_penalty(
                budget_words, budget_penalty, treatment, per, budget
            )
            score -= budget_penalty
        tail, points = tails.get(ident) or verdicts.tail(ident, pih)
        score += points
        key = (-score, high, per_course[0], ident)
        scored.append((key, candidate, score, downtime_reason, budget_reason, tail, cautions_by.get(ident)))
    scored.sort(key=lambda item: item[0])
    return Ranking(kb, profile, verdicts, relevant, not_relevant, scored, excluded, constrained)


@without_gc
def recommend(profile: Profile, kb: KnowledgeBase) -> Result:
    """Rank every treatment in `kb` for `profile`; see the module docstring for the method."""
    ranking = rank(profile, kb)
    recommendations = []
    for position, (_, candidate, score, downtime_reason, budget_reason, tail, cautions) in enumerate(
        ranking.scored, start=1
    ):
        reasons = list(candidate.efficacy)
        if downtime_reason is not None:
            reasons.append(downtime_reason)
        if budget_reason is not None:
            reasons.append(budget_reason)
        reasons += tail
        recommendations.append(
            Recommendation(position, candidate.treatment, score, reasons, list(cautions) if cautions else [])
        )
    excluded = [
        Excluded(candidate.treatment, [*rules, *limits] if rules else limits)
        for candidate, rules, limits in ranking.excluded
    ]
    return Result(
        profile,
        recommendations,
        excluded,
        list(ranking.not_relevant),
        ranking.near_misses(),
        list(ranking.verdicts.fired),
    )


def _near_misses(
    kb: KnowledgeBase,
    memo: _Memo,
    profile: Profile,
    verdicts: _Verdicts,
    relevant: list[_Candidate],
    constrained: list[_Candidate],
) -> list[NearMiss]:
    """For each treatment ruled out only by limits: what relaxing them (never a contraindication) would take to
    admit it, and the rank it would then take. The whole ranking is redone with the relaxed limits, because
    relaxing a limit also lifts other treatments' penalties (and may admit others too): see `_relaxed_ranks`
    for how that stays cheap when there are thousands of near misses."""
    session = profile.budget_per == "session"
    pool = [
        (c.points + verdicts.tail(c.id, c.pih)[1], c.low, c.high, c.setting, *(c.session if session else c.course), c)
        for c in relevant
        if c.id not in verdicts.excluded_by
    ]
    groups: dict[tuple[str, float | None], list[tuple[_Candidate, float | None, dict[str, float | str], str]]] = {}
    for candidate in constrained:
        changes: dict[str, float | str] = {}
        words = []
        setting, downtime, budget, per = profile.setting, profile.downtime, profile.budget, profile.budget_per
        if setting != "any" and candidate.setting != setting:
            changes["setting"] = setting = "any"
            words.append("including " + ("at-home" if candidate.setting == "home" else "clinic") + " treatments")
        if downtime is not None and candidate.low > downtime:
            changes["downtime"] = downtime = candidate.low
            words.append(_phrase(memo, "downtime", downtime, per))
        cheapest = (candidate.session if session else candidate.course)[0]
        if budget is not None and cheapest > budget:
            changes["budget"] = budget = cheapest
            words.append(_phrase(memo, "budget", cheapest, per))
        groups.setdefault((setting, downtime), []).append((candidate, budget, changes, " and ".join(words)))
    near = []
    for (setting, downtime), queries in groups.items():
        placed = _relaxed_ranks(kb.scoring, pool, setting, downtime, [(c.id, budget) for c, budget, _, _ in queries])
        for (candidate, _, changes, relaxing), (rank, score) in zip(queries, placed, strict=True):
            text = f"{relaxing} would add {candidate.id} at #{rank}"
            near.append(NearMiss(candidate.treatment, changes, rank, score, text))
    near.sort(key=lambda miss: (miss.rank, miss.treatment.id))
    return near


def _phrase(memo: _Memo, limit: str, value: float, per: str) -> str:
    """A near miss's words for one relaxed limit ("allowing 5 days of downtime", "a budget of $900 per course")."""
    key = (limit, *_exact(value), per)
    phrase = memo.phrases.get(key)
    if phrase is None:
        if limit == "downtime":
            phrase = f"allowing {_days(value, value)} of downtime"
        else:
            phrase = f"a budget of {money(value)} per {per}"
        _remember(memo.phrases, key, phrase)
    return phrase


# What re-ranking needs of a treatment no rule excludes: its points apart from the downtime and budget
# penalties (the only terms relaxed limits change), its downtime low and high, its setting, its cheapest and
# dearest cost, and the candidate itself (for the rest of its sort key).
PoolEntry = tuple[int, int, int, str, float, float, _Candidate]


def _relaxed_ranks(
    scoring: Scoring,
    pool: list[PoolEntry],
    setting: str,
    downtime: float | None,
    queries: list[tuple[str, float | None]],
) -> list[tuple[int, int]]:
    """The (rank, score) each queried treatment would take under `setting` and `downtime` and its own budget,
    among the pool treatments those limits admit, scored as `recommend` would score them.

    Near misses that relax the setting or downtime alike share this call, but each one relaxed by budget has
    its own budget, and re-ranking the pool for every one of them would cost (near misses x treatments). So
    the budgets are visited in increasing order while a sorted list of sort keys is kept up to date: a
    treatment joins it when the budget reaches its cheapest cost, and loses its budget penalty when the budget
    reaches its dearest. Each near miss's rank is then a binary search.
    """
    per_day, penalty = scoring.downtime_penalty_per_day, scoring.budget_penalty
    keys: dict[str, SortKey] = {}  # the sort key of each admitted treatment, without the budget penalty
    costs: dict[str, tuple[float, float]] = {}
    for fixed, low, high, where, cheapest, dearest, candidate in pool:
        if (setting != "any" and where != setting) or (downtime is not None and low > downtime):
            continue
        score = fixed
        if downtime is not None and downtime < high:
            score -= per_day * math.ceil(high - downtime)
        keys[candidate.id] = (-score, high, candidate.course[0], candidate.id)
        costs[candidate.id] = (cheapest, dearest)

    def penalised(key: SortKey) -> SortKey:
        return (key[0] + penalty, key[1], key[2], key[3])

    if queries[0][1] is None:  # no budget at all: every treatment the other limits admit, none penalised
        ordered = sorted(keys.values())
        return [(bisect_left(ordered, keys[ident]) + 1, -keys[ident][0]) for ident, _ in queries]
    events = []  # (budget, 0: joins penalised | 1: loses its penalty | 2: joins unpenalised, treatment)
    for ident, (cheapest, dearest) in costs.items():
        if cheapest < dearest:
            events += [(cheapest, 0, ident), (dearest, 1, ident)]
        else:
            events.append((cheapest, 2, ident))
    events.sort()
    ranks: list[tuple[int, int]] = [(0, 0)] * len(queries)
    ordered = []
    done = 0
    for index in sorted(range(len(queries)), key=lambda i: queries[i][1] or 0.0):
        ident, budget = queries[index]
        assert budget is not None
        while done < len(events) and events[done][0] <= budget:
            _, kind, other = events[done]
            done += 1
            if kind == 1:
                del ordered[bisect_left(ordered, penalised(keys[other]))]
            insort(ordered, penalised(keys[other]) if kind == 0 else keys[other])
        own = penalised(keys[ident]) if budget < costs[ident][1] else keys[ident]
        ranks[index] = (bisect_left(ordered, own) + 1, -own[0])
    return ranks


def rule_trace(profile: Profile, kb: KnowledgeBase) -> list[tuple[Rule, bool, tuple[str, ...]]]:
    """Every rule with whether it fired and, if so, the facts that fired it (for --explain)."""
    fired = {item.rule.id: item.triggers for item in fired_rules(profile, kb)}
    return [(rule, rule.id in fired, fired.get(rule.id, ())) for rule in kb.rules]
