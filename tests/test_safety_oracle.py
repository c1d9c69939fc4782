"""The safety oracle: which treatments a profile's absolute contraindications rule out, worked out from the
knowledge base as written, with none of skinrec's own logic.

The promise is that a treatment an `exclude` rule rules out for a profile is never recommended, whatever the
other inputs. A test that asks the engine's compiled rules what they cover (`Rule.applies`, which
`knowledge.compile_kb` expands from the rule's tags) or whether they fire (`Rule.evaluate`) would share any
bug in that code and pass with it. So the oracle reads the raw document: a random base's normalised
document, or the shipped base's YAML read with PyYAML. It finds what a rule covers itself (the treatments it
lists, and every treatment carrying one of its tags), evaluates `when` itself (conditions, `all`, `any`,
`not`, skin-type ranges in digits or numerals, an unknown skin type firing the rule), and decides relevance
itself (a treatment rated above `none` for one of the concerns).

`check_verdicts` holds any output to it, once the output has been read into treatment ids: what it shows as
fitting (recommendations, near misses), what it shows as ruled out with which rules, and (where the output
lists it) what it calls not relevant. The tests here check the oracle itself, against the rules' own
embedded cases, so that a wrong oracle cannot pass a wrong engine; and that the compiled rules cover what the
oracle reads them to cover.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from strategies import Record, knowledge_bases

from skinrec.knowledge import KnowledgeBase
from skinrec.loader import load_kb, shipped_kb_dir
from skinrec.profile import Profile
from skinrec.result import Result

NUMERALS = ("I", "II", "III", "IV", "V", "VI")
FIXED_RULES_FILES = ("conditions.yaml", "scoring.yaml")


def fitzpatrick(value: Any) -> int:
    """A skin type as a knowledge base may write it: 1-6, or I-VI in any case."""
    return NUMERALS.index(value.strip().upper()) + 1 if isinstance(value, str) else int(value)


def reference_truth(tree: Any, conditions: frozenset[str], skin_type: int | None) -> bool | None:
    """A `when` tree as the knowledge-base guide defines it, in Kleene logic: None is unknown (a skin-type test
    with no skin type given), and unknown propagates through `all`, `any` and `not`."""
    if isinstance(tree, str):
        return tree in conditions
    ((kind, body),) = tree.items()
    if kind == "skin_type":
        if skin_type is None:
            return None
        low = fitzpatrick(body["min"]) if body.get("min") is not None else 1
        high = fitzpatrick(body["max"]) if body.get("max") is not None else 6
        return low <= skin_type <= high
    if kind == "not":
        value = reference_truth(body, conditions, skin_type)
        return None if value is None else not value
    values = [reference_truth(child, conditions, skin_type) for child in body]
    if kind == "all":
        return False if False in values else None if None in values else True
    assert kind == "any", kind
    return True if True in values else None if None in values else False


def covered(rule: Record, treatments: Iterable[Record]) -> frozenset[str]:
    """The treatments a rule applies to: those it lists, and every one carrying a tag it lists."""
    applies = rule.get("applies_to") or {}
    tags = set(applies.get("tags") or ())
    tagged = {t["id"] for t in treatments if tags & set(t.get("tags") or ())}
    return frozenset(applies.get("treatments") or ()) | tagged


@dataclass(frozen=True)
class Oracle:
    treatments: dict[str, Record]  # raw records by id
    rules: dict[str, Record]  # raw records by id
    conditions: dict[str, Record]  # raw records by id
    covers: dict[str, frozenset[str]]  # rule id -> the treatments it applies to (`covered`)

    @classmethod
    def of(cls, doc: Record) -> Oracle:
        """From a knowledge base's normalised document (as the random bases are drawn)."""
        return cls(
            {t["id"]: t for t in doc["treatments"]},
            {r["id"]: r for r in doc["rules"]},
            {c["id"]: c for c in doc["conditions"]},
            {r["id"]: covered(r, doc["treatments"]) for r in doc["rules"]},
        )

    @classmethod
    def read(cls, root: Path) -> Oracle:
        """From a knowledge base's YAML files, read with PyYAML: every rule file in `rules/`, as the guide lists
        them (`.yaml` or `.yml`, not hidden, not the conditions or the scoring)."""

        def load(path: Path) -> Record:
            data: Record = yaml.safe_load(path.read_text(encoding="utf-8"))
            return data

        rule_files = sorted(
            path
            for path in (root / "rules").iterdir()
            if path.suffix.lower() in (".yaml", ".yml")
            and not path.name.startswith(".")
            and path.name not in FIXED_RULES_FILES
        )
        return cls.of(
            {
                "treatments": load(root / "data" / "treatments.yaml")["treatments"],
                "rules": [rule for path in rule_files for rule in load(path)["rules"]],
                "conditions": load(root / "rules" / "conditions.yaml")["conditions"],
            }
        )

    def fires(self, rule: str, conditions: frozenset[str], skin_type: int | None) -> bool:
        """Whether a rule fires: its tree is true, or unknown (the safe reading of an unknown skin type)."""
        return reference_truth(self.rules[rule]["when"], conditions, skin_type) is not False

    def ruled_out(self, profile: Profile) -> dict[str, frozenset[str]]:
        """Each treatment an `exclude` rule rules out for the profile, with every such rule."""
        found: dict[str, set[str]] = {}
        for ident, rule in self.rules.items():
            if rule["severity"] == "exclude" and self.fires(ident, profile.conditions, profile.skin_type):
                for treatment in self.covers[ident]:
                    found.setdefault(treatment, set()).add(ident)
        return {treatment: frozenset(rules) for treatment, rules in found.items()}

    def relevant(self, concerns: Iterable[str]) -> set[str]:
        """The treatments rated above `none` for one of the concerns (a concern left out is `none`)."""
        wanted = set(concerns)
        return {
            ident
            for ident, t in self.treatments.items()
            if any((t["efficacy"].get(c) or {}).get("rating", "none") != "none" for c in wanted)
        }

    def treatment_named(self, name: str) -> str:
        """The id of the treatment with this name (names are unique); an unknown name fails the test."""
        found = [ident for ident, t in self.treatments.items() if t["name"] == name]
        assert len(found) == 1, f"{name!r} names no one treatment"
        return found[0]

    def names_of(self, condition: str) -> list[str]:
        """Every name a person may give a condition by: its id, its label, its synonyms."""
        record = self.conditions[condition]
        return [condition, record["label"], *(record.get("synonyms") or ())]


def check_verdicts(
    oracle: Oracle,
    profile: Profile,
    shown: Iterable[str],
    excluded: Iterable[tuple[str, Iterable[str]]],
    not_relevant: Iterable[str] | None = None,
    where: str = "output",
) -> None:
    """Hold one output, read into ids, to the oracle: nothing it shows as fitting (`shown`: recommendations and
    near misses) is ruled out; every relevant treatment that is ruled out is listed as `excluded` (each as its
    id and the rule ids its reasons name; the constraints it breaks are no part of them), once, with exactly
    the rules that rule it out, and no treatment is blamed on a rule that does not; and `not_relevant` (where
    the output lists it) is what the concerns leave out."""
    ruled = oracle.ruled_out(profile)
    relevant = oracle.relevant(profile.concerns)
    unsafe = sorted(set(shown) & ruled.keys())
    assert not unsafe, f"{where} offers {unsafe}, ruled out by {[sorted(ruled[t]) for t in unsafe]} for {profile}"
    listed: dict[str, list[str]] = {}
    for ident, rules in excluded:
        assert ident not in listed, f"{where} lists {ident} as ruled out twice"
        listed[ident] = sorted(rules)
    missing = sorted((ruled.keys() & relevant) - listed.keys())
    assert not missing, f"{where} does not list {missing} as ruled out, for {profile}"
    for ident, rules in listed.items():
        expected = sorted(ruled.get(ident, ()))
        assert rules == expected, f"{where} rules {ident} out by {rules}, not {expected}, for {profile}"
    if not_relevant is not None:
        assert sorted(not_relevant) == sorted(oracle.treatments.keys() - relevant), f"{where}: not relevant"


def check_result(oracle: Oracle, result: Result, where: str = "engine") -> None:
    """Safety, by the independent oracle: nothing an exclude rule rules out is recommended or offered as a
    near miss, and each relevant one it rules out is listed as excluded, by exactly those rules."""
    check_verdicts(
        oracle,
        result.profile,
        [rec.treatment.id for rec in result.recommendations] + [miss.treatment.id for miss in result.near_misses],
        [(item.treatment.id, [r.rule for r in item.reasons if r.rule is not None]) for item in result.excluded],
        [t.id for t in result.not_relevant],
        where,
    )


def check_document(oracle: Oracle, profile: Profile, doc: Record, where: str = "JSON document") -> None:
    """`check_verdicts` for a recommendation's JSON document, as a script reads it."""
    assert "error" not in doc, doc
    check_verdicts(
        oracle,
        profile,
        [rec["id"] for rec in doc["recommendations"]] + [miss["id"] for miss in doc["near_misses"]],
        [(item["id"], [r["rule"] for r in item["reasons"] if "rule" in r]) for item in doc["excluded"]],
        doc["not_relevant"],
        where,
    )


SHIPPED = load_kb(shipped_kb_dir(), use_cache=False)
SHIPPED_ORACLE = Oracle.read(shipped_kb_dir())


def test_the_oracle_reads_the_shipped_rules_as_their_own_cases_say() -> None:
    """Each rule's embedded cases, written by the rule's author, say whether it fires for a treatment: the
    oracle must agree with every one (fires for it = covers it, and its `when` fires)."""
    cases = 0
    for ident, rule in SHIPPED_ORACLE.rules.items():
        for case in rule["tests"]:
            given_type = case["profile"].get("skin_type")
            skin_type = None if given_type is None else fitzpatrick(given_type)
            conditions = frozenset(case["profile"].get("conditions") or ())
            fires = case["treatment"] in SHIPPED_ORACLE.covers[ident] and SHIPPED_ORACLE.fires(
                ident, conditions, skin_type
            )
            assert fires is case["fires"], f"{ident}: {case}"
            cases += 1
    assert cases >= 2 * len(SHIPPED_ORACLE.rules)


def test_the_oracle_reads_what_the_engine_loads() -> None:
    """The same rules, treatments and conditions: an oracle that missed a rule file would vouch for less."""
    assert SHIPPED_ORACLE.rules.keys() == SHIPPED.rule_by_id.keys()
    assert list(SHIPPED_ORACLE.treatments) == [t.id for t in SHIPPED.treatments]
    assert SHIPPED_ORACLE.conditions.keys() == SHIPPED.conditions.keys()
    # tags reach treatments no rule lists by id: the oracle's own expansion is what the safety tests lean on
    assert any((rule.get("applies_to") or {}).get("tags") for rule in SHIPPED_ORACLE.rules.values())


def check_rules_cover(kb: KnowledgeBase, oracle: Oracle) -> None:
    for rule in kb.rules:
        assert rule.applies == oracle.covers[rule.id], rule.id


def test_shipped_rules_cover_what_they_name() -> None:
    check_rules_cover(SHIPPED, SHIPPED_ORACLE)


@settings(max_examples=30, deadline=None)
@given(knowledge_bases())
def test_random_rules_cover_what_they_name(drawn: tuple[KnowledgeBase, Record]) -> None:
    """`compile_kb` expands each rule's tags into the treatments carrying them, as the oracle does."""
    kb, doc = drawn
    check_rules_cover(kb, Oracle.of(doc))
