"""Every condition alone, and all of them at once, with every skin type (and none) and every setting, for all
concerns at once and no limit on downtime or budget: each such profile of the shipped knowledge base through the
engine, the JSON document and batch mode's fast writer, held to the oracle of test_safety_oracle.py.

Random profiles may miss a rule whose treatment or condition they seldom draw; this sweep reaches every
condition's rules, for every skin type, in under a second.
"""

from __future__ import annotations

import json

import pytest
from test_safety_oracle import SHIPPED, SHIPPED_ORACLE, check_document, check_result

from skinrec import engine, fast_export
from skinrec.export import result_document
from skinrec.profile import Profile

EVERY_CONDITION = frozenset(SHIPPED.conditions)
SCREENS = [frozenset({condition}) for condition in sorted(EVERY_CONDITION)] + [EVERY_CONDITION]


@pytest.mark.parametrize("setting", ["any", "clinic", "home"])
@pytest.mark.parametrize("skin_type", [None, 1, 2, 3, 4, 5, 6])
def test_every_condition_skin_type_and_setting(skin_type: int | None, setting: str) -> None:
    ruled_out = 0
    for conditions in SCREENS:
        profile = Profile(tuple(SHIPPED.concerns), skin_type=skin_type, conditions=conditions, setting=setting)
        result = engine.recommend(profile, SHIPPED)
        check_result(SHIPPED_ORACLE, result)
        check_document(SHIPPED_ORACLE, profile, result_document(SHIPPED, result, origin="flag"), "result_document")
        check_document(
            SHIPPED_ORACLE, profile, json.loads(fast_export.document_line(SHIPPED, profile, origin="flag")), "fast"
        )
        ruled_out += len(SHIPPED_ORACLE.ruled_out(profile))
    assert ruled_out  # the sweep meets exclusions, so it cannot pass by meeting none
