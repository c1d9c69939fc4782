"""Properties of the engine, proven over random profiles on the shipped knowledge base and over random valid
knowledge bases: safety first (an excluded treatment is never recommended, judged by the independent oracle of
test_safety_oracle.py), then explanation (scores are the sum of their reasons), determinism and monotonicity
(telling skinrec more never makes a treatment look better).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import CONDITIONS, Drawn, Record, condition_records, kb_and_profile, knowledge_bases, profiles
from test_safety_oracle import SHIPPED, SHIPPED_ORACLE, Oracle, check_result, reference_truth

from skinrec import engine
from skinrec.browse import compare_doc
from skinrec.export import result_document
from skinrec.knowledge import KnowledgeBase, normalize_name
from skinrec.models import ConditionsFile, Scoring
from skinrec.profile import Profile
from skinrec.result import Result

SHIPPED_PROFILES = profiles(tuple(SHIPPED.concerns), tuple(SHIPPED.conditions))


def check_invariants(
    kb: KnowledgeBase,
    oracle: Oracle,
    profile: Profile,
    recommend: Callable[[Profile, KnowledgeBase], Result] = engine.recommend,
) -> None:
    result = recommend(profile, kb)
    recommended = [rec.treatment.id for rec in result.recommendations]
    check_result(oracle, result)
    # Every treatment lands in exactly one place; every exclusion says why.
    placed = recommended + [e.treatment.id for e in result.excluded] + [t.id for t in result.not_relevant]
    assert sorted(placed) == sorted(t.id for t in kb.treatments)
    assert all(item.reasons for item in result.excluded)
    # Explained: each score is the sum of its reasons; ranks are 1..n in score order.
    for rec in result.recommendations:
        assert rec.score == sum(reason.points for reason in rec.reasons)
        assert all(reason.text for reason in rec.reasons)
    assert [rec.rank for rec in result.recommendations] == list(range(1, len(recommended) + 1))
    scores = [rec.score for rec in result.recommendations]
    assert scores == sorted(scores, reverse=True)
    # A near miss tells the truth: rerunning with the changes it names admits it at the rank and score it gave.
    for miss in result.near_misses:
        rerun = engine.recommend(replace(profile, **miss.changes), kb)  # type: ignore[arg-type]
        ranks = {rec.treatment.id: (rec.rank, rec.score) for rec in rerun.recommendations}
        assert ranks[miss.treatment.id] == (miss.rank, miss.score)
    # Constraint exclusions are real: the limit really is broken.
    for item in result.excluded:
        t = item.treatment
        for reason in item.reasons:
            if reason.constraint == "downtime":
                assert profile.downtime is not None and t.downtime[0] > profile.downtime
            elif reason.constraint == "budget":
                cheapest = (t.cost if profile.budget_per == "session" else t.course_cost)[0]
                assert profile.budget is not None and cheapest > profile.budget
            elif reason.constraint == "setting":
                assert profile.setting not in ("any", t.setting)
            else:
                assert reason.constraint is None and reason.rule is not None


def check_monotone(kb: KnowledgeBase, profile: Profile, extra: str) -> None:
    before = {rec.treatment.id: rec.score for rec in engine.recommend(profile, kb).recommendations}
    widened = replace(profile, conditions=profile.conditions | {extra})
    for rec in engine.recommend(widened, kb).recommendations:
        assert rec.treatment.id in before, f"adding {extra} admitted {rec.treatment.id}"
        assert rec.score <= before[rec.treatment.id], f"adding {extra} raised {rec.treatment.id}"


@settings(max_examples=150, deadline=None)
@given(SHIPPED_PROFILES)
def test_shipped_kb_invariants(profile: Profile) -> None:
    check_invariants(SHIPPED, SHIPPED_ORACLE, profile)


@settings(max_examples=150, deadline=None)
@given(kb_and_profile())
def test_random_kb_invariants(case: Drawn) -> None:
    check_invariants(case.kb, Oracle.of(case.doc), case.profile)


@settings(max_examples=100, deadline=None)
@given(kb_and_profile())
def test_compare_shows_every_absolute_contraindication(case: Drawn) -> None:
    """`compare` names treatments whatever the profile's concerns, so a treatment an exclude rule rules out is
    shown as ruled out, with exactly the rules that rule it out, even when it treats none of the concerns (and
    never as fitting)."""
    kb, doc, profile = case
    compared = compare_doc(kb, list(kb.treatments), profile, engine.recommend(profile, kb), origin="flag")
    ruled = Oracle.of(doc).ruled_out(profile)
    for entry in compared["treatments"]:
        verdict = entry["verdict"]
        rules = sorted(reason["rule"] for reason in verdict["reasons"] if "rule" in reason)
        assert rules == sorted(ruled.get(entry["id"], ())), entry["id"]
        if entry["id"] in ruled:
            assert verdict["status"] == "ruled_out"


def check_not_knowing_is_safest(kb: KnowledgeBase, profile: Profile) -> None:
    """An unknown skin type is read the safe way: whatever it admits, every stated skin type admits too, scored
    at least as high. So "not sure" never makes a treatment that is risky for some skin look better."""
    unknown = engine.recommend(replace(profile, skin_type=None), kb).recommendations
    for skin_type in range(1, 7):
        stated = engine.recommend(replace(profile, skin_type=skin_type), kb).recommendations
        scores = {rec.treatment.id: rec.score for rec in stated}
        for rec in unknown:
            assert rec.treatment.id in scores, f"{rec.treatment.id}: admitted unknown, ruled out for type {skin_type}"
            assert rec.score <= scores[rec.treatment.id], f"{rec.treatment.id}: unknown outscores type {skin_type}"


@settings(max_examples=60, deadline=None)
@given(SHIPPED_PROFILES)
def test_shipped_unknown_skin_type_never_outscores_a_stated_one(profile: Profile) -> None:
    check_not_knowing_is_safest(SHIPPED, profile)


@settings(max_examples=60, deadline=None)
@given(kb_and_profile())
def test_random_unknown_skin_type_never_outscores_a_stated_one(case: Drawn) -> None:
    check_not_knowing_is_safest(case.kb, case.profile)


@settings(max_examples=100, deadline=None)
@given(SHIPPED_PROFILES, st.sampled_from(sorted(SHIPPED.conditions)))
def test_shipped_adding_a_condition_never_raises_a_score(profile: Profile, extra: str) -> None:
    check_monotone(SHIPPED, profile, extra)


@settings(max_examples=100, deadline=None)
@given(kb_and_profile(), st.sampled_from(CONDITIONS))
def test_random_adding_a_condition_never_raises_a_score(case: Drawn, extra: str) -> None:
    check_monotone(case.kb, case.profile, extra)


@settings(max_examples=60, deadline=None)
@given(kb_and_profile())
def test_output_is_deterministic(case: Drawn) -> None:
    kb, _, profile = case
    first = result_document(kb, engine.recommend(profile, kb), origin="flag")
    shuffled = replace(profile, conditions=frozenset(sorted(profile.conditions, reverse=True)))
    assert result_document(kb, engine.recommend(shuffled, kb), origin="flag") == first


@settings(max_examples=100, deadline=None)
@given(knowledge_bases())
def test_random_knowledge_bases_score_as_the_validator_allows(drawn: tuple[KnowledgeBase, Record]) -> None:
    """The random bases' scoring passes the validator's own model, so no property holds only for weights or
    points a knowledge base could never be loaded with."""
    scoring = drawn[0].scoring
    Scoring.model_validate(
        {
            "efficacy_points": scoring.efficacy_points,
            "priority_percent": list(scoring.priority_percent),
            "downtime_penalty_per_day": scoring.downtime_penalty_per_day,
            "budget_penalty": scoring.budget_penalty,
            "caution_penalty": scoring.caution_penalty,
            "pih_skin_type_min": scoring.pih_skin_type_min,
            "pih_conditions": sorted(scoring.pih_conditions),
            "pih_penalty": scoring.pih_penalty,
        }
    )


@settings(max_examples=30, deadline=None)
@given(condition_records())
def test_random_conditions_are_named_as_the_validator_allows(records: list[Record]) -> None:
    """Their synonyms and `ask_if`s pass the validator's model, each `ask_if` names an earlier condition, and
    no name means two conditions, so a name always means the condition drawn with it."""
    ConditionsFile.model_validate({"conditions": [{k: v for k, v in r.items() if v is not None} for r in records]})
    names = [normalize_name(name) for r in records for name in (r["id"], r["label"], *r["synonyms"])]
    assert len(names) == len(set(names))
    order = [r["id"] for r in records]
    assert all(order.index(r["ask_if"]) < order.index(r["id"]) for r in records if r["ask_if"])


@settings(max_examples=100, deadline=None)
@given(kb_and_profile())
def test_compiled_rules_agree_with_reference_semantics(case: Drawn) -> None:
    kb, doc, profile = case
    written = {rule["id"]: rule["when"] for rule in doc["rules"]}
    for rule in kb.rules:
        assert rule.evaluate(profile.conditions, profile.skin_type) == reference_truth(
            written[rule.id], profile.conditions, profile.skin_type
        )


def test_the_safety_property_can_fail() -> None:
    """Guard against a vacuous property: an engine that ignores exclude rules must be caught."""
    profile = Profile(("acne_scars",), conditions=frozenset({"pregnant"}), skin_type=2)
    check_invariants(SHIPPED, SHIPPED_ORACLE, profile)
    blind = replace(
        SHIPPED,
        rules=tuple(rule for rule in SHIPPED.rules if rule.severity != "exclude"),
        rules_by_condition={
            condition: tuple(rule for rule in rules if rule.severity != "exclude")
            for condition, rules in SHIPPED.rules_by_condition.items()
        },
        skin_type_rules=tuple(rule for rule in SHIPPED.skin_type_rules if rule.severity != "exclude"),
    )
    with pytest.raises(AssertionError):
        check_invariants(SHIPPED, SHIPPED_ORACLE, profile, recommend=lambda p, _kb: engine.recommend(p, blind))
