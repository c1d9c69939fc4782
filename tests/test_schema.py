"""The published JSON Schemas (`skinrec schema result|batch`) refuse what the README calls impossible, though they
are open to fields added later in 1.x; the pydantic models they come from hold real documents to the same."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from helpers import cli
from pydantic import ValidationError

from skinrec.result_schema import ResultDocument

# One run with every shape in it: sources of both kinds, exclusions by rule and by limit, and near misses that
# relax the setting, the downtime and the budget.
ARGV = ("-c", "acne_scars", "-d", "1", "-b", "300", "--setting", "home", "-f", "json")


@pytest.fixture(scope="module")
def defs() -> dict[str, Any]:
    """The batch line's definitions: the result document's, the same ones, and the error record's."""
    batch: dict[str, Any] = json.loads(cli("schema", "batch").stdout)["$defs"]
    result = json.loads(cli("schema", "result").stdout)["$defs"]
    assert result == {name: part for name, part in batch.items() if name in result}
    return batch


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    run = cli("recommend", *ARGV)
    assert run.code == 0, run.stderr
    document: dict[str, Any] = json.loads(run.stdout)
    ResultDocument.model_validate(document)
    return document


def refused(doc: dict[str, Any], path: tuple[str | int, ...], **values: object) -> None:
    """The document with `values` put in the object at `path` is refused by the models."""
    changed = copy.deepcopy(doc)
    target: Any = changed
    for step in path:
        target = target[step]
    target.update(values)
    with pytest.raises(ValidationError):
        ResultDocument.model_validate(changed)


def test_the_run_has_every_shape(doc: dict[str, Any]) -> None:
    sources = [source for item in doc["recommendations"] for source in item["sources"]]
    assert {source["url"] is None for source in sources} == {True, False}
    reasons = [reason for item in doc["excluded"] for reason in item["reasons"]]
    assert {"rule" in reason for reason in reasons} == {True, False}
    assert {limit for miss in doc["near_misses"] for limit in miss["changes"]} == {"downtime", "budget", "setting"}


def test_an_exclusion_reason_is_a_rule_or_a_constraint_never_both(defs: dict[str, Any], doc: dict[str, Any]) -> None:
    """Opened to later fields, neither shape was closed to the other's key any more: a reason with both fit."""
    assert defs["RuleExclusionOut"]["not"] == {"required": ["constraint"]}
    assert defs["ConstraintExclusionOut"]["not"] == {"required": ["rule"]}
    by_rule = next(i for i, item in enumerate(doc["excluded"]) if "rule" in item["reasons"][0])
    by_limit = next(i for i, item in enumerate(doc["excluded"]) if "constraint" in item["reasons"][0])
    refused(doc, ("excluded", by_rule, "reasons", 0), constraint="budget")
    refused(doc, ("excluded", by_limit, "reasons", 0), rule="pregnancy-needling")


def test_a_source_is_a_page_or_a_seed_never_both_or_neither(defs: dict[str, Any], doc: dict[str, Any]) -> None:
    shapes = [branch["properties"] for branch in defs["SourceRef"]["oneOf"]]
    assert shapes == [
        {"url": {"type": "string"}, "seed": {"type": "null"}},
        {"url": {"type": "null"}, "seed": {"type": "string"}},
    ]
    assert {"url", "seed"} <= set(defs["SourceRef"]["required"])
    for url, seed in [(None, None), ("https://example.org/", "seed_000.md")]:
        refused(doc, ("recommendations", 0, "sources", 0), url=url, seed=seed)


def test_a_near_miss_changes_each_limit_to_a_value_of_its_own_type(defs: dict[str, Any], doc: dict[str, Any]) -> None:
    """engine._relaxing writes a downtime or a budget (numbers, never negative) and the setting 'any' only."""
    changes = defs["NearMissOut"]["properties"]["changes"]
    assert changes["minProperties"] == 1
    assert changes["propertyNames"] == {"enum": ["downtime", "budget", "setting"]}
    assert "additionalProperties" not in changes
    typed = {
        limit: {k: v for k, v in part.items() if k != "description"} for limit, part in changes["properties"].items()
    }
    assert typed == {
        "downtime": {"type": "number", "minimum": 0},
        "budget": {"type": "number", "minimum": 0},
        "setting": {"const": "any"},
    }
    for bad in [{}, {"setting": "moon"}, {"setting": 5}, {"downtime": "abc"}, {"downtime": -1}, {"budget": None}]:
        refused(doc, ("near_misses", 0), changes=bad)


@pytest.mark.parametrize("limit", ["downtime", "budget"])
def test_a_profile_limit_is_never_negative(defs: dict[str, Any], doc: dict[str, Any], limit: str) -> None:
    assert defs["ProfileOut"]["properties"][limit]["anyOf"] == [{"type": "number", "minimum": 0}, {"type": "null"}]
    refused(doc, ("profile",), **{limit: -1})
    ResultDocument.model_validate({**doc, "profile": {**doc["profile"], limit: 0}})


def test_ranges_are_never_negative_and_a_course_has_a_session(defs: dict[str, Any], doc: dict[str, Any]) -> None:
    assert [defs["Span"]["properties"][end]["minimum"] for end in ("min", "max")] == [0, 0]
    assert [defs["Sessions"]["properties"][end]["minimum"] for end in ("min", "max")] == [1, 1]
    refused(doc, ("recommendations", 0), cost_per_session_usd={"min": -5, "max": 10})
    refused(doc, ("recommendations", 0), sessions={"min": 0, "max": 1, "interval_weeks": None})


def test_the_opened_schemas_still_refuse_nothing_real(doc: dict[str, Any]) -> None:
    """Every near miss, source and reason skinrec writes, in a batch run too, fits the tightened models."""
    lines = [
        json.dumps({"id": n, "concerns": [concern], "downtime": downtime, "budget": budget, "setting": setting})
        for n, (concern, downtime, budget, setting) in enumerate(
            [
                ("acne_scars", 0, 50, "any"),
                ("fine_lines", 3, 900, "clinic"),
                ("enlarged_pores", 1, 200, "home"),
                ("acne_scars", 0, 0, "home"),
            ]
        )
    ]
    run = cli("batch", "-", "-n", "0", input="\n".join(lines) + "\n")
    assert run.code == 0, run.stderr
    for line in run.stdout.splitlines():
        ResultDocument.model_validate(json.loads(line))


def test_a_step_estimate_names_one_of_the_two_lists_and_a_step_counted_from_one(
    defs: dict[str, Any], doc: dict[str, Any]
) -> None:
    """Since 1.3 a recommendation lists its steps that are judgments, as `show`'s card does."""
    assert defs["StepEstimateOut"]["properties"]["section"]["enum"] == ["preparation", "aftercare"]
    assert defs["StepEstimateOut"]["properties"]["step"]["minimum"] == 1
    judged = copy.deepcopy(doc)
    judged["recommendations"][0]["step_estimates"] = [{"section": "aftercare", "step": 1, "estimate": "Why."}]
    ResultDocument.model_validate(judged)
    refused(judged, ("recommendations", 0, "step_estimates", 0), section="during")
    refused(judged, ("recommendations", 0, "step_estimates", 0), step=0)
