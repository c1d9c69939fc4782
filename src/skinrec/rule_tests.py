"""Running the test cases embedded in each rule (the idea comes from semgrep's rule tests).

A case says: for this profile, does the rule fire for this treatment? "Fires" means the rule's condition tree
is true (or unknown, for an unknown skin type: the safe reading) and the rule applies to the treatment.

Both `skinrec rules check` and `skinrec kb validate` run them, and report a failing case the way validation
reports any problem: `file:line:col: rules[ID].tests[N]: message`; and every command refuses a base whose
cases fail (`loader.load_kb` runs them when it first loads a base, and caches only a base that passed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skinrec.knowledge import KnowledgeBase, Rule
from skinrec.loader import Problem


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    rule: str
    index: int
    case: dict[str, Any]
    fired: bool
    file: str = ""  # the rule's file, to say where to look
    position: int = 0  # the rule's index among its file's rules, to find the case's line there

    @property
    def passed(self) -> bool:
        return self.fired is bool(self.case["fires"])

    @property
    def path(self) -> str:
        """Where the case is, in validation's words: `rules[pregnancy-breastfeeding-exclude].tests[0]`."""
        return f"rules[{self.rule}].tests[{self.index}]"

    def describe(self) -> str:
        profile = self.case["profile"]
        facts = ", ".join(profile["conditions"]) or "no conditions"
        if profile.get("skin_type"):
            facts += f", skin type {profile['skin_type']}"
        expected = "fire" if self.case["fires"] else "not fire"
        return (
            f"expected it to {expected} for {self.case['treatment']} ({facts}), but it "
            f"{'fired' if self.fired else 'did not'}; fix the rule's 'when' or 'applies_to', or the test's expectation"
        )


def fires_for(rule: Rule, treatment: str, conditions: frozenset[str], skin_type: int | None) -> bool:
    return treatment in rule.applies and rule.evaluate(conditions, skin_type) is not False


def run_rule_tests(kb: KnowledgeBase) -> list[CaseOutcome]:
    """Every embedded case of every rule, in knowledge-base order."""
    outcomes = []
    positions: dict[str, int] = {}  # file -> rules of it seen so far
    for rule in kb.rules:
        file = rule.data["file"]
        position = positions[file] = positions.get(file, -1) + 1
        for index, case in enumerate(rule.data["tests"]):
            profile = case["profile"]
            fired = fires_for(rule, case["treatment"], frozenset(profile["conditions"]), profile.get("skin_type"))
            outcomes.append(CaseOutcome(rule.id, index, case, fired, file, position))
    return outcomes


def problems_of(root: Path, outcomes: list[CaseOutcome]) -> list[Problem]:
    """The failed cases as problems, each at the line of its case in its file under `root` (read again only
    when a case failed; a file that cannot be read any more gives the problem without a line)."""
    from skinrec.yamlsafe import YamlDoc, YamlError, load_yaml

    docs: dict[str, YamlDoc | None] = {}
    problems = []
    for outcome in outcomes:
        if outcome.passed:
            continue
        if outcome.file not in docs:
            try:
                docs[outcome.file] = load_yaml((root / outcome.file).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, YamlError):
                docs[outcome.file] = None
        doc = docs[outcome.file]
        line, col = doc.where(("rules", outcome.position, "tests", outcome.index)) if doc else (0, 0)
        problems.append(Problem(outcome.file, line, col, outcome.path, outcome.describe()))
    return problems


def failing_cases(root: Path, kb: KnowledgeBase) -> list[Problem]:
    """Every embedded case that fails, as a problem: `load_kb` refuses a base with any (so every command does,
    `kb validate` listing them), unless told to return it anyway, for `rules check` to report every case."""
    return problems_of(root, run_rule_tests(kb))
