"""The fast paths give exactly what the plain ones give.

* The memoised engine equals a deliberately naive one written here from the documented method: every rule
  evaluated for every profile (by the oracle of test_safety_oracle.py, which reads each rule's `when` and what
  it covers from the knowledge base as written, not from the compiled rules), every text formatted afresh, and
  a near miss's rank read off a full recommendation for the relaxed profile. Compared as whole `Result`s, on random profiles of the shipped
  knowledge base and on random knowledge bases, and again with the memos too small to keep anything.
* Batch mode's JSON writer (`fast_export.document_line`) equals `dumps(result_document(...), compact=True)`.
* `dumps`' own indenting writer equals `json.dumps(..., indent=2)`.
* A knowledge base read back from the cache's packed form equals the one compiled from the YAML.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import Drawn, kb_and_profile, profiles
from test_safety_oracle import SHIPPED, SHIPPED_ORACLE, Oracle, reference_truth

from skinrec import engine, fast_export
from skinrec.conditions import triggers
from skinrec.engine import UNKNOWN_SKIN_TYPE_NOTE
from skinrec.export import dumps, result_document
from skinrec.knowledge import KnowledgeBase, Treatment, compile_packed, pack_kb
from skinrec.loader import read_files, shipped_kb_dir, validate_texts
from skinrec.profile import ROMAN, Profile
from skinrec.result import Caution, Excluded, Exclusion, FiredRule, NearMiss, Reason, Recommendation, Result
from skinrec.wording import Origin, facts_in_words, money, span

SHIPPED_PROFILES = profiles(tuple(SHIPPED.concerns), tuple(SHIPPED.conditions))
EXAMPLES = settings(max_examples=70, deadline=None, suppress_health_check=list(HealthCheck))


def days(low: float, high: float) -> str:
    return span(low, high, "day" if low == high == 1 else "days")


def naive_recommend(profile: Profile, kb: KnowledgeBase, oracle: Oracle) -> Result:
    """The method of the README's "How a ranking is made", written as plainly as possible; which rules fire,
    and what each covers, are the oracle's reading of the knowledge base as written."""
    written = oracle.rules
    fired = [
        FiredRule(
            rule,
            tuple(triggers(rule.tree, profile.conditions, profile.skin_type)),
            rule.message if truth else f"{rule.message} {UNKNOWN_SKIN_TYPE_NOTE}",
        )
        for rule in kb.rules
        if (truth := reference_truth(written[rule.id]["when"], profile.conditions, profile.skin_type)) is not False
    ]
    scoring = kb.scoring
    per = profile.budget_per
    admitted: list[tuple[Any, Treatment, int, list[Reason], list[Caution]]] = []
    excluded, not_relevant, limited_only = [], [], []
    for t in kb.treatments:
        rated = [(i, c) for i, c in enumerate(profile.concerns) if c in t.ratings]
        if not rated:
            not_relevant.append(t)
            continue
        cheapest, dearest = t.cost if per == "session" else t.course_cost
        why = [
            Exclusion(f.rule.id, None, f.triggers, f.message)
            for f in fired
            if f.rule.severity == "exclude" and t.id in oracle.covers[f.rule.id]
        ]
        by_rule = bool(why)
        if profile.setting != "any" and t.setting != profile.setting:
            where = "at home" if t.setting == "home" else "in a clinic"
            wanted = "at-home" if profile.setting == "home" else "clinic"
            why.append(
                Exclusion(None, "setting", ("setting",), f"done {where}; you asked for {wanted} treatments only")
            )
        if profile.downtime is not None and t.downtime[0] > profile.downtime:
            text = f"needs at least {days(t.downtime[0], t.downtime[0])} of downtime; you can take {profile.downtime:g}"
            why.append(Exclusion(None, "downtime", ("downtime",), text))
        if profile.budget is not None and cheapest > profile.budget:
            text = f"the cheapest {per} costs {money(cheapest)}; your budget is {money(profile.budget)} per {per}"
            why.append(Exclusion(None, "budget", ("budget",), text))
        if why:
            excluded.append(Excluded(t, tuple(why)))
            if not by_rule:
                limited_only.append(t)
            continue
        reasons = []
        for position, concern in rated:
            rating = t.ratings[concern]
            if len(profile.concerns) == 1:
                place = "your concern"
            else:
                ordinal = ("top", "2nd", "3rd")[position] if position < 3 else f"{position + 1}th"
                place = f"your {ordinal} concern, weighted {scoring.priority(position)}%"
            label = kb.concerns[concern]["label"].lower()
            points = scoring.weighted(scoring.efficacy_points[rating], position)
            estimate = " (estimate)" if concern in t.estimated else ""
            reasons.append(Reason(f"{rating}{estimate} for {label} ({place})", points))
        if profile.downtime is not None and profile.downtime < t.downtime[1] and scoring.downtime_penalty_per_day:
            over = math.ceil(t.downtime[1] - profile.downtime)
            past = t.downtime[1] - profile.downtime  # the penalty counts whole days begun; the words, the time
            text = f"downtime of {days(*t.downtime)} may run {days(past, past)} past your limit of {profile.downtime:g}"
            reasons.append(Reason(text, -scoring.downtime_penalty_per_day * over))
        if profile.budget is not None and profile.budget < dearest and scoring.budget_penalty:
            text = f"{per} cost of {money(cheapest)}-{money(dearest)} may exceed your {money(profile.budget)} budget"
            reasons.append(Reason(text, -scoring.budget_penalty))
        cautions = [f for f in fired if f.rule.severity == "caution" and t.id in oracle.covers[f.rule.id]]
        if scoring.caution_penalty:
            for f in cautions:
                because = facts_in_words(kb, f.triggers, profile.skin_type)
                reasons.append(Reason(f"caution ({because})", -scoring.caution_penalty))
        skin, lowest = profile.skin_type, scoring.pih_skin_type_min
        tans = sorted(scoring.pih_conditions & profile.conditions)
        if (skin is None or skin >= lowest or tans) and scoring.pih_penalty[t.pih]:
            if skin is None:  # assumed to be darker skin, as rules reading skin type assume
                types = "VI" if lowest == 6 else f"{ROMAN[lowest - 1]}-VI"
                where = f"for skin type {types} (your skin type was not given, so skinrec assumes it)"
            elif skin >= lowest:
                where = f"for skin type {ROMAN[skin - 1]}"
            else:  # a tan darkens any skin type alike
                where = f"with {kb.conditions[tans[0]]['label'].lower()}"
            reasons.append(Reason(f"{t.pih} risk of dark marks (PIH) {where}", -scoring.pih_penalty[t.pih]))
        score = sum(r.points for r in reasons)
        key = (-score, t.downtime[1], t.course_cost[0], t.id)
        admitted.append((key, t, score, reasons, [Caution(f.rule.id, f.triggers, f.message) for f in cautions]))
    admitted.sort(key=lambda entry: entry[0])
    recommendations = [Recommendation(n, t, s, tuple(r), tuple(c)) for n, (_, t, s, r, c) in enumerate(admitted, 1)]
    near = sorted(
        (naive_near_miss(profile, kb, oracle, t) for t in limited_only), key=lambda m: (m.rank, m.treatment.id)
    )
    return Result(profile, recommendations, excluded, tuple(not_relevant), near, tuple(fired))


def naive_near_miss(profile: Profile, kb: KnowledgeBase, oracle: Oracle, t: Treatment) -> NearMiss:
    """Relax exactly the limits `t` breaks, then find `t` in a whole new recommendation."""
    changes: dict[str, float | str] = {}
    words = []
    relaxed = profile
    if profile.setting != "any" and t.setting != profile.setting:
        changes["setting"] = "any"
        relaxed = replace(relaxed, setting="any")
        words.append("including " + ("at-home" if t.setting == "home" else "clinic") + " treatments")
    if profile.downtime is not None and t.downtime[0] > profile.downtime:
        changes["downtime"] = t.downtime[0]
        relaxed = replace(relaxed, downtime=t.downtime[0])
        words.append(f"allowing {days(t.downtime[0], t.downtime[0])} of downtime")
    cheapest = (t.cost if profile.budget_per == "session" else t.course_cost)[0]
    if profile.budget is not None and cheapest > profile.budget:
        changes["budget"] = cheapest
        relaxed = replace(relaxed, budget=cheapest)
        words.append(f"a budget of {money(cheapest)} per {profile.budget_per}")
    found = next(r for r in naive_recommend(relaxed, kb, oracle).recommendations if r.treatment is t)
    text = f"{' and '.join(words)} would add {t.name} at #{found.rank}"
    if found.score <= 0:
        weighs = "match" if found.score == 0 else "outweigh"
        text += f", scoring {found.score}: what counts against it would {weighs} what it does for you"
    return NearMiss(t, changes, found.rank, found.score, text)


@EXAMPLES
@given(SHIPPED_PROFILES)
def test_engine_equals_the_naive_method_on_the_shipped_kb(profile: Profile) -> None:
    assert engine.recommend(profile, SHIPPED) == naive_recommend(profile, SHIPPED, SHIPPED_ORACLE)


@EXAMPLES
@given(kb_and_profile())
def test_engine_and_fast_json_equal_the_plain_ones_on_random_kbs(case: Drawn) -> None:
    kb, doc, profile = case
    result = engine.recommend(profile, kb)
    assert result == naive_recommend(profile, kb, Oracle.of(doc))
    plain = dumps(result_document(kb, result, origin="flag"), compact=True)
    assert fast_export.document_line(kb, profile, origin="flag") == plain


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(kb_and_profile())
def test_memos_that_keep_nothing_change_nothing(case: Drawn) -> None:
    kb, doc, profile = case
    oracle = Oracle.of(doc)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "MEMO_LIMIT", 1)
        patch.setattr(fast_export, "MEMO_LIMIT", 1)
        patch.setattr(fast_export, "COLUMN_CELLS", 1)
        kb = replace(kb)  # a copy starts with no memos
        for _ in range(3):  # the second and third runs meet memos cleared by the first
            assert engine.recommend(profile, kb) == naive_recommend(profile, kb, oracle)
            plain = dumps(result_document(kb, engine.recommend(profile, kb), origin="flag"), compact=True)
            assert fast_export.document_line(kb, profile, origin="flag") == plain


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(
        kb_and_profile().map(lambda case: (case.kb, Oracle.of(case.doc), case.profile)),
        SHIPPED_PROFILES.map(lambda profile: (SHIPPED, SHIPPED_ORACLE, profile)),
    ),
    st.sampled_from([0, 99]),
    st.sampled_from([0, 10**6]),
)
def test_near_misses_ranked_one_by_one_or_all_at_once_alike(
    case: tuple[KnowledgeBase, Oracle, Profile], few: int, small: int
) -> None:
    """The engine re-ranks a few near misses one by one (by sorting, or by counting in a large base) and many
    all at once (`_swept_ranks`): force each."""
    kb, oracle, profile = case
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "FEW_NEAR_MISSES", few)
        patch.setattr(engine, "SMALL_BASE", small)
        assert engine.recommend(profile, replace(kb)) == naive_recommend(profile, kb, oracle)


@EXAMPLES
@given(
    SHIPPED_PROFILES,
    st.sampled_from([None, 1, 3, 10]),
    st.none() | st.text(max_size=8) | st.integers(),
    st.booleans(),
    st.sampled_from(get_args(Origin)),
)
def test_fast_json_equals_the_plain_document_on_the_shipped_kb(
    profile: Profile, top: int | None, ident: str | int | None, screened: bool, origin: Origin
) -> None:
    doc = result_document(SHIPPED, engine.recommend(profile, SHIPPED), top, screened, origin=origin)
    expected = dumps(doc if ident is None else {"id": ident, **doc}, compact=True)
    assert fast_export.document_line(SHIPPED, profile, top, ident, screened, origin=origin) == expected


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES)
def test_indented_dumps_equals_json_dumps(value: Any) -> None:
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def test_indented_dumps_of_a_real_document() -> None:
    profile = Profile(("acne_scars", "fine_lines"), downtime=2, budget=900.5, skin_type=5, setting="clinic")
    doc = result_document(SHIPPED, engine.recommend(profile, SHIPPED), origin="flag")
    assert dumps(doc) == json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def test_packed_kb_equals_the_compiled_one() -> None:
    texts, _ = read_files(shipped_kb_dir())
    doc, problems = validate_texts(texts)
    assert not problems
    packed, blob = pack_kb(doc)
    kb = compile_packed(json.loads(json.dumps(packed)), memoryview(blob))
    assert kb.treatments == SHIPPED.treatments
    assert [t.data for t in kb.treatments] == [t.data for t in SHIPPED.treatments]
    same = ("id", "severity", "message", "tree", "applies", "reads", "reads_skin_type", "data")
    assert [[getattr(r, a) for a in same] for r in kb.rules] == [[getattr(r, a) for a in same] for r in SHIPPED.rules]
    assert replace(kb, rules=(), rule_by_id={}, rules_by_condition={}, skin_type_rules=()) == replace(
        SHIPPED, fingerprint="", rules=(), rule_by_id={}, rules_by_condition={}, skin_type_rules=()
    )
