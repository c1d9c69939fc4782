"""What the browsing commands show, as JSON-ready documents: the one source all three output formats draw on.

`skinrec treatments|show|compare|concerns|conditions|rules|rule` each build one document here. `-f json`
prints it as it is; the table and Markdown views are drawn from it (`browse_sheets.py`), so the formats can
never disagree. The shapes are documented in the README ("JSON output of the browsing commands"); bump
BROWSE_SCHEMA_VERSION's minor number when adding a field, its major number for anything that could break a
reader. Pure: no I/O, no Rich.
"""

from __future__ import annotations

from typing import Any

from skinrec.conditions import describe
from skinrec.errors import UsageError
from skinrec.export import caution_doc, exclusion_doc, source_ref, treatment_facts
from skinrec.knowledge import KnowledgeBase, Rule, Treatment, normalize_name
from skinrec.profile import Profile, resolve_name
from skinrec.result import Exclusion, Result
from skinrec.wording import Origin, estimates, notices

# 1.1: conditions have synonyms; 1.2: compare's `notices`; 1.3: conditions' `pih_demotion`; 1.4: conditions'
# `ask_if`; 1.5: a treatment card's `step_estimates`
BROWSE_SCHEMA_VERSION = "1.5"
RATINGS = ("strong", "moderate", "mild")  # best first; `none` is never listed
TOP_CONCERNS = 3

Doc = dict[str, Any]


def _find(kind: str, text: str, names: dict[str, str], listing: str) -> str:
    try:
        return resolve_name(kind, text, names, dict.fromkeys(names.values()))
    except ValueError as exc:
        raise UsageError(f"{exc} (see '{listing}')") from None


def find_treatment(kb: KnowledgeBase, text: str) -> Treatment:
    """A treatment by id or name (case and separators ignored); a usage error with a did-you-mean otherwise."""
    names = {normalize_name(t.name): t.id for t in kb.treatments} | {normalize_name(t.id): t.id for t in kb.treatments}
    return kb.treatment_by_id[_find("treatment", text, names, "skinrec treatments")]


def find_rule(kb: KnowledgeBase, text: str) -> Rule:
    """A rule by id (case and separators ignored); a usage error with a did-you-mean otherwise."""
    names = {normalize_name(rule.id): rule.id for rule in kb.rules}
    return kb.rule_by_id[_find("rule", text, names, "skinrec rules")]


def when_text(kb: KnowledgeBase, tree: Any) -> str:
    """A rule's condition tree in words, with condition labels ("Pregnant or Breastfeeding")."""
    text = describe(tree, {ident: record["label"] for ident, record in kb.conditions.items()})
    compound = isinstance(tree, dict) and ("all" in tree or "any" in tree)
    text = text[1:-1] if compound and text.startswith("(") else text
    return text[:1].upper() + text[1:]


def rated_concerns(treatment: Treatment) -> list[str]:
    """The concerns a treatment helps, best rating first (knowledge-base order within a rating)."""
    return sorted(treatment.ratings, key=lambda concern: RATINGS.index(treatment.ratings[concern]))


def _summary(kb: KnowledgeBase, treatment: Treatment) -> Doc:
    facts = treatment_facts(kb, treatment)
    return {
        "id": treatment.id,
        "name": treatment.name,
        "summary": facts["summary"],
        "setting": facts["setting"],
        "tags": list(treatment.tags),
        "downtime_days": facts["downtime_days"],
        "sessions": facts["sessions"],
        "cost_per_session_usd": facts["cost_per_session_usd"],
        "course_cost_usd": facts["course_cost_usd"],
        "top_concerns": [
            {"id": concern, "rating": treatment.ratings[concern]}
            for concern in rated_concerns(treatment)[:TOP_CONCERNS]
        ],
    }


def treatments_doc(kb: KnowledgeBase) -> Doc:
    """`skinrec treatments`: every treatment's logistics at a glance."""
    return {"schema_version": BROWSE_SCHEMA_VERSION, "treatments": [_summary(kb, t) for t in kb.treatments]}


def _contraindication(kb: KnowledgeBase, rule: Rule) -> Doc:
    return {
        "rule": rule.id,
        "severity": rule.severity,
        "when": rule.tree,
        "when_text": when_text(kb, rule.tree),
        "message": rule.message,
    }


def treatment_card(kb: KnowledgeBase, treatment: Treatment) -> Doc:
    """Everything the knowledge base says about one treatment (`show` prints it, `compare` one per column)."""
    data = treatment.data
    facts = treatment_facts(kb, treatment)
    return {
        **_summary(kb, treatment),
        "mechanism": data["mechanism"],
        "efficacy": [
            {
                "concern": concern,
                "label": kb.concerns[concern]["label"],
                "rating": treatment.ratings[concern],
                "estimate": data["efficacy"][concern]["estimate"],
                "sources": data["efficacy"][concern]["sources"],
            }
            for concern in rated_concerns(treatment)
        ],
        "pain": {"level": data["pain"]["level"], "numbing": data["pain"]["numbing"]},
        "pih_risk": {"level": data["pih_risk"]["level"], "note": data["pih_risk"]["note"]},
        "contraindications": [_contraindication(kb, rule) for rule in kb.rules_for(treatment.id)],
        "preparation": facts["preparation"],
        "aftercare": facts["aftercare"],
        "estimates": estimates(treatment),
        "step_estimates": facts["step_estimates"],
        "sources": [source_ref(kb, ident) for ident in treatment.cited()],
    }


def treatment_doc(kb: KnowledgeBase, treatment: Treatment) -> Doc:
    """`skinrec show ID`: one treatment's card."""
    return {"schema_version": BROWSE_SCHEMA_VERSION, "treatment": treatment_card(kb, treatment)}


def _verdict(result: Result, treatment_id: str, ranked: bool) -> Doc:
    for rec in result.recommendations:
        if rec.treatment.id == treatment_id:
            return {
                "status": "fits",
                "rank": rec.rank if ranked else None,
                "score": rec.score if ranked else None,
                "reasons": [],
                "cautions": [caution_doc(caution) for caution in rec.cautions],
            }
    reasons = next((item.reasons for item in result.excluded if item.treatment.id == treatment_id), None)
    if reasons is None:
        # The engine lists only relevant treatments as excluded; but someone who names a treatment in `compare`
        # must still learn that a contraindication of theirs rules it out, whatever their concerns.
        reasons = tuple(
            Exclusion(f.rule.id, None, f.triggers, f.message)
            for f in result.fired
            if f.rule.severity == "exclude" and treatment_id in f.rule.applies
        )
    if reasons:
        ruled_out = [exclusion_doc(reason) for reason in reasons]
        return {"status": "ruled_out", "rank": None, "score": None, "reasons": ruled_out, "cautions": []}
    return {"status": "not_relevant", "rank": None, "score": None, "reasons": [], "cautions": []}


def compare_doc(
    kb: KnowledgeBase,
    treatments: list[Treatment],
    profile: Profile | None,
    result: Result | None,
    screened: bool = False,
    *,
    origin: Origin,
) -> Doc:
    """`skinrec compare`: the cards side by side, each with a verdict when a profile was given.

    `result` is the engine's answer for `profile`; when the profile names no concerns it was computed for every
    concern (so nothing is "not relevant"), and the verdicts then carry no rank or score. `notices` are
    `recommend`'s (`screened` and `origin` as for `wording.notices`): a verdict of "fits" read without them would
    pass for a safety screen nobody answered.
    """
    ranked = profile is not None and bool(profile.concerns)
    concerns = [
        {"id": ident, "label": record["label"]}
        for ident, record in kb.concerns.items()
        if any(ident in t.ratings for t in treatments)
    ]
    return {
        "schema_version": BROWSE_SCHEMA_VERSION,
        "profile": profile.as_dict() if profile is not None else None,
        "notices": notices(kb, profile, screened, origin=origin) if profile is not None else [],
        "concerns": concerns,
        "treatments": [
            {
                **treatment_card(kb, t),
                "verdict": _verdict(result, t.id, ranked) if result is not None else None,
            }
            for t in treatments
        ],
    }


def concerns_doc(kb: KnowledgeBase) -> Doc:
    """`skinrec concerns`: what can be asked for, and which treatments help most."""
    return {
        "schema_version": BROWSE_SCHEMA_VERSION,
        "concerns": [
            {
                "id": ident,
                "label": record["label"],
                "description": record["description"],
                "synonyms": list(record["synonyms"]),
                "treatments": sorted(
                    ({"id": t.id, "rating": t.ratings[ident]} for t in kb.treatments if ident in t.ratings),
                    key=lambda entry: RATINGS.index(entry["rating"]),
                ),
            }
            for ident, record in kb.concerns.items()
        ],
    }


def conditions_doc(kb: KnowledgeBase) -> Doc:
    """`skinrec conditions`: every screening question, the rules that read its answer, whether the answer
    demotes treatments that risk dark marks (scoring's `pih_conditions`): a condition with that effect alone
    would otherwise read as one with none, and the condition whose yes it is asked after (`ask_if`), so a
    program asking the questions itself can skip them as the questionnaire does."""
    return {
        "schema_version": BROWSE_SCHEMA_VERSION,
        "conditions": [
            {
                "id": ident,
                "label": record["label"],
                "question": record["question"],
                "help": record["help"],
                "synonyms": list(record["synonyms"]),
                "rules": [rule.id for rule in kb.rules_by_condition.get(ident, ())],
                "pih_demotion": ident in kb.scoring.pih_conditions,
                "ask_if": record.get("ask_if"),
            }
            for ident, record in kb.conditions.items()
        ],
    }


def _rule_summary(kb: KnowledgeBase, rule: Rule) -> Doc:
    applies_to = rule.data["applies_to"]
    return {
        "id": rule.id,
        "severity": rule.severity,
        "when": rule.tree,
        "when_text": when_text(kb, rule.tree),
        "applies_to": {
            "treatments": list(applies_to["treatments"]),
            "tags": list(applies_to["tags"]),
            "resolved": [t.id for t in kb.treatments if t.id in rule.applies],
        },
        "message": rule.message,
        "file": rule.data["file"],
    }


def rules_doc(kb: KnowledgeBase) -> Doc:
    """`skinrec rules`: every contraindication rule, in knowledge-base order."""
    return {"schema_version": BROWSE_SCHEMA_VERSION, "rules": [_rule_summary(kb, rule) for rule in kb.rules]}


def rule_doc(kb: KnowledgeBase, rule: Rule) -> Doc:
    """`skinrec rule ID`: one rule in full, like `ruff rule`."""
    return {
        "schema_version": BROWSE_SCHEMA_VERSION,
        "rule": {
            **_rule_summary(kb, rule),
            "explanation": " ".join(rule.data["explanation"].split()),
            "sources": [source_ref(kb, ident) for ident in rule.data["sources"]],
            "tests": rule.data["tests"],
        },
    }
