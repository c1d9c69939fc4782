"""The versioned JSON document for a recommendation: what scripts and clinics consume.

The document's shape is published as JSON Schema by `skinrec schema result` (from `result_schema.py`) and
documented field by field in the README. Bump SCHEMA_VERSION's minor number when adding a field, its major
number for any change that could break a reader.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from json.encoder import encode_basestring
from typing import Any

from skinrec import __version__
from skinrec.engine import rule_trace
from skinrec.knowledge import KnowledgeBase, Treatment
from skinrec.profile import Profile
from skinrec.result import Caution, Exclusion, Recommendation, Result
from skinrec.wording import Origin, notices, step_estimates

# 1.1: `notices`; 1.2: `explain[].read` says null for a condition not given; 1.3: a recommendation's
# `step_estimates`
SCHEMA_VERSION = "1.3"
DISCLAIMER = (
    "skinrec gives general information from published sources, not medical advice. Talk to a dermatologist or "
    "licensed practitioner before any treatment, and tell them about every condition and medicine you have."
)


def span(low: float, high: float) -> dict[str, float]:
    return {"min": low, "max": high}


def treatment_facts(kb: KnowledgeBase, treatment: Treatment) -> dict[str, Any]:
    """The profile-independent part of a recommendation (logistics, preparation, aftercare, the steps that are
    judgments, sources); `show`'s card draws on it too."""
    data = treatment.data
    interval = data["interval_weeks"]
    return {
        "summary": data["summary"],
        "setting": treatment.setting,
        "downtime_days": span(*treatment.downtime),
        "sessions": {
            **span(*treatment.sessions),
            "interval_weeks": span(interval["min"], interval["max"]) if interval else None,
        },
        "cost_per_session_usd": span(*treatment.cost),
        "course_cost_usd": span(*treatment.course_cost),
        "preparation": [step["text"] for step in data["preparation"]],
        "aftercare": [step["text"] for step in data["aftercare"]],
        "step_estimates": step_estimates(treatment),
        "sources": [source_ref(kb, ident) for ident in data["sources"]],
    }


def source_ref(kb: KnowledgeBase, ident: str) -> dict[str, Any]:
    source = kb.sources[ident]
    return {"id": ident, "title": source["title"], "url": source["url"], "seed": source["seed"]}


def _recommendation(kb: KnowledgeBase, rec: Recommendation) -> dict[str, Any]:
    return {
        "rank": rec.rank,
        "id": rec.treatment.id,
        "name": rec.treatment.name,
        "score": rec.score,
        "reasons": [{"text": reason.text, "points": reason.points} for reason in rec.reasons],
        "cautions": [caution_doc(caution) for caution in rec.cautions],
        **treatment_facts(kb, rec.treatment),
    }


def caution_doc(caution: Caution) -> dict[str, Any]:
    """A caution as JSON: the same object in `recommend`'s document and in `compare`'s verdicts."""
    return {"rule": caution.rule, "triggers": list(caution.triggers), "message": caution.message}


def exclusion_doc(reason: Exclusion) -> dict[str, Any]:
    """Why a treatment is ruled out, as JSON (a rule's id, or the limit it breaks): the same object in
    `recommend`'s document and in `compare`'s verdicts."""
    key = {"rule": reason.rule} if reason.rule is not None else {"constraint": reason.constraint}
    return {**key, "triggers": list(reason.triggers), "message": reason.message}


def summary_sentence(result: Result) -> str | None:
    """The plain sentence shown when nothing fits (None when something does)."""
    return summary_for(bool(result.recommendations), bool(result.excluded), bool(result.near_misses))


def summary_for(recommended: bool, excluded: bool, near_misses: bool) -> str | None:
    """`summary_sentence` from what a result has (batch mode asks before any `Result` exists)."""
    if recommended:
        return None
    if not excluded:
        return "No treatment in the knowledge base addresses the concerns you named."
    if near_misses:
        return "Nothing fits all of your answers as given; the near misses below say what change would admit one."
    return "Nothing fits: every treatment that addresses your concerns is ruled out (see why below)."


def result_document(
    kb: KnowledgeBase, result: Result, top: int | None = None, screened: bool = True, *, origin: Origin
) -> dict[str, Any]:
    """The JSON document for one result; `top` limits the recommendations listed (ranks are kept); `screened`
    and `origin` as for `wording.notices` (`origin` has no default, for the reason given there)."""
    recommendations = result.recommendations if top is None else result.recommendations[:top]
    return {
        "schema_version": SCHEMA_VERSION,
        "skinrec_version": __version__,
        "profile": result.profile.as_dict(),
        "summary": summary_sentence(result),
        "notices": notices(kb, result.profile, screened, origin=origin),
        "recommendations": [_recommendation(kb, rec) for rec in recommendations],
        "excluded": [
            {
                "id": item.treatment.id,
                "name": item.treatment.name,
                "reasons": [exclusion_doc(reason) for reason in item.reasons],
            }
            for item in result.excluded
        ],
        "not_relevant": [treatment.id for treatment in result.not_relevant],
        "near_misses": [
            {
                "id": miss.treatment.id,
                "changes": dict(miss.changes),
                "rank": miss.rank,
                "score": miss.score,
                "text": miss.text,
            }
            for miss in result.near_misses
        ],
        "disclaimer": DISCLAIMER,
    }


def dumps(doc: Any, *, compact: bool = False) -> str:
    """The document as JSON text: compact, or indented by two spaces (with a final newline) for people."""
    if compact:
        return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    out: list[str] = []
    try:
        _indented(doc, "", out.append)
    except TypeError:  # a value `_indented` does not handle: let json.dumps write it (or say what is wrong)
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    out.append("\n")
    return "".join(out)


def _indented(value: Any, indent: str, write: Callable[[str], object]) -> None:
    """`json.dumps(value, ensure_ascii=False, indent=2)`, to the character, written in pieces: json's own
    indenting encoder is pure Python built on generators and costs more than everything else a large
    knowledge base's `recommend -f json` does after loading. Raises TypeError for anything but the JSON types
    with string keys."""
    if isinstance(value, str):
        write(encode_basestring(value))
    elif value is None or value is True or value is False:
        write("null" if value is None else "true" if value else "false")
    elif isinstance(value, int):
        write(int.__repr__(value))
    elif isinstance(value, float) and math.isfinite(value):
        write(float.__repr__(value))
    elif isinstance(value, dict | list | tuple) and value:
        inner = indent + "  "
        separator = ("{\n" if isinstance(value, dict) else "[\n") + inner
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise TypeError("not a string key")
                write(separator + encode_basestring(key) + ": ")
                _indented(item, inner, write)
                separator = ",\n" + inner
            write("\n" + indent + "}")
        else:
            for item in value:
                write(separator)
                _indented(item, inner, write)
                separator = ",\n" + inner
            write("\n" + indent + "]")
    elif isinstance(value, dict | list | tuple):
        write("{}" if isinstance(value, dict) else "[]")
    else:
        raise TypeError(f"not a JSON value: {type(value).__name__}")


def fired_first(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rule_checks` with the rules that fired first (each part in knowledge-base order), for the renderers: a
    reader looks for the few that fired, not through all of them. The JSON keeps the knowledge base's order, the
    same for every profile, as data should be; a script that wants the fired ones sorts or filters on `fired`."""
    return sorted(checks, key=lambda check: not check["fired"])


def rule_checks(kb: KnowledgeBase, profile: Profile, screened: bool = True) -> list[dict[str, Any]]:
    """Every rule considered, fired or not, in knowledge-base order, with the facts it read (the `explain` key of
    --explain). A condition the profile does not list reads false only where the conditions were asked or given as
    a list (`screened`, as for `wording.notices`); else null, not given: false would pass for a "no" nobody said."""
    absent = False if screened else None
    facts = []
    for rule, fired, triggers in rule_trace(profile, kb):
        read: dict[str, Any] = {c: True if c in profile.conditions else absent for c in sorted(rule.reads)}
        if rule.reads_skin_type:
            read["skin_type"] = profile.skin_type
        facts.append(
            {
                "rule": rule.id,
                "severity": rule.severity,
                "fired": fired,
                "triggers": list(triggers),
                "read": read,
                "applies_to": sorted(rule.applies),
            }
        )
    return facts
