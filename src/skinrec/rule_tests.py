"""Running the test cases embedded in each rule (the idea comes from semgrep's rule tests).

A case says: for this profile, does the rule fire for this treatment? "Fires" means the rule's condition tree
is true (or unknown, for an unknown skin type: the safe reading) and the rule applies to the treatment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skinrec.knowledge import KnowledgeBase, Rule


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    rule: str
    index: int
    case: dict[str, Any]
    fired: bool
    file: str = ""  # the rule's file, to say where to look

    @property
    def passed(self) -> bool:
        return self.fired is bool(self.case["fires"])

    def describe(self) -> str:
        profile = self.case["profile"]
        facts = ", ".join(profile["conditions"]) or "no conditions"
        if profile.get("skin_type"):
            facts += f", skin type {profile['skin_type']}"
        expected = "fire" if self.case["fires"] else "not fire"
        where = f"{self.file}: " if self.file else ""
        return (
            f"{where}{self.rule} test {self.index + 1}: expected it to {expected} for {self.case['treatment']} "
            f"({facts}), but it {'fired' if self.fired else 'did not'}"
        )


def fires_for(rule: Rule, treatment: str, conditions: frozenset[str], skin_type: int | None) -> bool:
    return treatment in rule.applies and rule.evaluate(conditions, skin_type) is not False


def run_rule_tests(kb: KnowledgeBase) -> list[CaseOutcome]:
    """Every embedded case of every rule, in knowledge-base order."""
    outcomes = []
    for rule in kb.rules:
        for index, case in enumerate(rule.data["tests"]):
            profile = case["profile"]
            fired = fires_for(rule, case["treatment"], frozenset(profile["conditions"]), profile.get("skin_type"))
            outcomes.append(CaseOutcome(rule.id, index, case, fired, rule.data["file"]))
    return outcomes
