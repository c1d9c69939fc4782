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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from skinrec.conditions import triggers as rule_triggers
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
from skinrec.wording import money, span

ORDINALS = ("top", "2nd", "3rd")


def fired_rules(profile: Profile, kb: KnowledgeBase) -> list[FiredRule]:
    """The rules that fire for this profile, in knowledge-base order, with the facts that fired them."""
    candidates: dict[str, Rule] = {}
    for condition in profile.conditions:
        for rule in kb.rules_by_condition.get(condition, ()):
            candidates[rule.id] = rule
    for rule in kb.skin_type_rules:
        candidates[rule.id] = rule
    fired = []
    for rule in candidates.values():
        if rule.evaluate(profile.conditions, profile.skin_type) is not False:
            fired.append(FiredRule(rule, tuple(rule_triggers(rule.tree, profile.conditions, profile.skin_type))))
    order = {rule.id: index for index, rule in enumerate(kb.rules)}
    fired.sort(key=lambda f: order[f.rule.id])
    return fired


def _days(low: float, high: float) -> str:
    return span(low, high, "day" if low == high == 1 else "days")


def _efficacy_reason(kb: KnowledgeBase, treatment: Treatment, concern: str, position: int, count: int) -> Reason:
    rating = treatment.ratings[concern]
    points = kb.scoring.weighted(kb.scoring.efficacy_points[rating], position)
    label = kb.concerns[concern]["label"].lower()
    if count == 1:
        where = "your concern"
    else:
        ordinal = ORDINALS[position] if position < len(ORDINALS) else f"{position + 1}th"
        where = f"your {ordinal} concern, weighted {kb.scoring.priority(position)}%"
    return Reason(f"{rating} for {label} ({where})", points)


def _cost_range(treatment: Treatment, profile: Profile) -> tuple[float, float]:
    return treatment.cost if profile.budget_per == "session" else treatment.course_cost


def _score(
    kb: KnowledgeBase, treatment: Treatment, profile: Profile, cautions: list[FiredRule]
) -> tuple[int, list[Reason]]:
    scoring = kb.scoring
    reasons = [
        _efficacy_reason(kb, treatment, concern, position, len(profile.concerns))
        for position, concern in enumerate(profile.concerns)
        if concern in treatment.ratings
    ]
    low, high = treatment.downtime
    if profile.downtime is not None and profile.downtime < high and scoring.downtime_penalty_per_day:
        over = math.ceil(high - profile.downtime)
        reasons.append(
            Reason(
                f"downtime of {_days(low, high)} may run {_days(over, over)} past your limit of {profile.downtime:g}",
                -scoring.downtime_penalty_per_day * over,
            )
        )
    cost_low, cost_high = _cost_range(treatment, profile)
    if profile.budget is not None and profile.budget < cost_high and scoring.budget_penalty:
        reasons.append(
            Reason(
                f"{profile.budget_per} cost of {money(cost_low)}-{money(cost_high)} may exceed your "
                f"{money(profile.budget)} budget",
                -scoring.budget_penalty,
            )
        )
    for fired in cautions:
        if scoring.caution_penalty:
            reasons.append(Reason(f"caution {fired.rule.id} ({', '.join(fired.triggers)})", -scoring.caution_penalty))
    skin_type = profile.skin_type
    if skin_type is not None and skin_type >= scoring.pih_skin_type_min:
        penalty = scoring.pih_penalty[treatment.pih]
        if penalty:
            reasons.append(
                Reason(f"{treatment.pih} risk of dark marks (PIH) for skin type {ROMAN[skin_type - 1]}", -penalty)
            )
    return sum(reason.points for reason in reasons), reasons


def _constraints(treatment: Treatment, profile: Profile) -> list[Exclusion]:
    out = []
    if profile.setting != "any" and treatment.setting != profile.setting:
        out.append(
            Exclusion(
                None,
                "setting",
                ("setting",),
                f"done {'at home' if treatment.setting == 'home' else 'in a clinic'}; "
                f"you asked for {'at-home' if profile.setting == 'home' else 'clinic'} treatments only",
            )
        )
    if profile.downtime is not None and treatment.downtime[0] > profile.downtime:
        out.append(
            Exclusion(
                None,
                "downtime",
                ("downtime",),
                f"needs at least {_days(treatment.downtime[0], treatment.downtime[0])} of downtime; "
                f"you can take {profile.downtime:g}",
            )
        )
    cheapest = _cost_range(treatment, profile)[0]
    if profile.budget is not None and cheapest > profile.budget:
        out.append(
            Exclusion(
                None,
                "budget",
                ("budget",),
                f"the cheapest {profile.budget_per} costs {money(cheapest)}; "
                f"your budget is {money(profile.budget)} per {profile.budget_per}",
            )
        )
    return out


def _sort_key(score: int, treatment: Treatment) -> tuple[Any, ...]:
    return (-score, treatment.downtime[1], treatment.course_cost[0], treatment.id)


Scored = tuple[tuple[Any, ...], Treatment, int, list[Reason], list[FiredRule]]


@dataclass(slots=True)
class _Verdicts:
    """What the fired rules say about each treatment; the same for any downtime, budget or setting."""

    excluded_by: dict[str, list[Exclusion]]
    cautioned_by: dict[str, list[FiredRule]]


@dataclass(slots=True)
class _Ranking:
    scored: list[Scored]
    excluded: list[Excluded]
    not_relevant: list[Treatment]
    constrained_only: list[Treatment]


def _verdicts(fired: list[FiredRule]) -> _Verdicts:
    verdicts = _Verdicts({}, {})
    for item in fired:
        rule = item.rule
        for treatment_id in rule.applies:
            if rule.severity == "exclude":
                exclusion = Exclusion(rule.id, None, item.triggers, rule.message)
                verdicts.excluded_by.setdefault(treatment_id, []).append(exclusion)
            else:
                verdicts.cautioned_by.setdefault(treatment_id, []).append(item)
    return verdicts


def _rank(kb: KnowledgeBase, profile: Profile, verdicts: _Verdicts) -> _Ranking:
    ranking = _Ranking([], [], [], [])
    concerns = profile.concerns
    for treatment in kb.treatments:
        if not any(concern in treatment.ratings for concern in concerns):
            ranking.not_relevant.append(treatment)
            continue
        reasons = list(verdicts.excluded_by.get(treatment.id, ()))
        constraints = _constraints(treatment, profile)
        if reasons or constraints:
            ranking.excluded.append(Excluded(treatment, reasons + constraints))
            if not reasons:
                ranking.constrained_only.append(treatment)
            continue
        cautions = verdicts.cautioned_by.get(treatment.id, [])
        score, score_reasons = _score(kb, treatment, profile, cautions)
        ranking.scored.append((_sort_key(score, treatment), treatment, score, score_reasons, cautions))
    ranking.scored.sort(key=lambda entry: entry[0])
    return ranking


def recommend(profile: Profile, kb: KnowledgeBase) -> Result:
    """Rank every treatment in `kb` for `profile`; see the module docstring for the method."""
    fired = fired_rules(profile, kb)
    verdicts = _verdicts(fired)
    ranking = _rank(kb, profile, verdicts)
    recommendations = [
        Recommendation(
            rank, treatment, score, reasons, [Caution(f.rule.id, f.triggers, f.rule.message) for f in cautions]
        )
        for rank, (_, treatment, score, reasons, cautions) in enumerate(ranking.scored, start=1)
    ]
    near = [_near_miss(kb, treatment, profile, verdicts) for treatment in ranking.constrained_only]
    near.sort(key=lambda miss: (miss.rank, miss.treatment.id))
    return Result(profile, recommendations, ranking.excluded, ranking.not_relevant, near, fired)


def _near_miss(kb: KnowledgeBase, treatment: Treatment, profile: Profile, verdicts: _Verdicts) -> NearMiss:
    """What relaxing downtime, budget or setting (never a contraindication) would take to admit `treatment`,
    and the rank it would then take: the whole ranking is redone with the relaxed limits, because relaxing a
    limit also lifts other treatments' penalties (and may admit others too)."""
    changes: dict[str, float | str] = {}
    words = []
    relaxed = profile
    if profile.setting != "any" and treatment.setting != profile.setting:
        changes["setting"] = "any"
        relaxed = replace(relaxed, setting="any")
        words.append("including " + ("at-home" if treatment.setting == "home" else "clinic") + " treatments")
    if profile.downtime is not None and treatment.downtime[0] > profile.downtime:
        changes["downtime"] = treatment.downtime[0]
        relaxed = replace(relaxed, downtime=treatment.downtime[0])
        words.append(f"allowing {_days(treatment.downtime[0], treatment.downtime[0])} of downtime")
    cheapest = _cost_range(treatment, profile)[0]
    if profile.budget is not None and cheapest > profile.budget:
        changes["budget"] = cheapest
        relaxed = replace(relaxed, budget=cheapest)
        words.append(f"a budget of {money(cheapest)} per {profile.budget_per}")
    scored = _rank(kb, relaxed, verdicts).scored
    rank, score = next((index, entry[2]) for index, entry in enumerate(scored, 1) if entry[1] is treatment)
    text = f"{' and '.join(words)} would add {treatment.id} at #{rank}"
    return NearMiss(treatment, changes, rank, score, text)


def rule_trace(profile: Profile, kb: KnowledgeBase) -> list[tuple[Rule, bool, tuple[str, ...]]]:
    """Every rule with whether it fired and, if so, the facts that fired it (for --explain)."""
    fired = {item.rule.id: item.triggers for item in fired_rules(profile, kb)}
    return [(rule, rule.id in fired, fired.get(rule.id, ())) for rule in kb.rules]
