"""`skinrec kb validate` on a corpus of broken knowledge bases: every problem found, each at its exact place,
with the exact message naming the fix; the shipped knowledge base is clean."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest
from helpers import cli, edit, problems

from skinrec.loader import load_kb, shipped_kb_dir


def test_shipped_kb_is_clean() -> None:
    assert problems(shipped_kb_dir()) == []
    run = cli("kb", "validate")
    assert run.code == 0
    assert run.stdout == ""
    kb = load_kb()
    assert f"is valid: {len(kb.treatments)} treatments, {len(kb.concerns)} concerns" in run.stderr


def test_range_min_above_max(kb_copy: Path) -> None:
    line = edit(kb_copy, "data/treatments.yaml", "downtime_days: {min: 1, max: 3", "downtime_days: {min: 5, max: 3")
    assert problems(kb_copy) == [
        f"data/treatments.yaml:{line}:5: treatments[microneedling].downtime_days: min 5 is above max 3"
    ]


def test_structural_problems_are_all_reported_at_once(kb_copy: Path) -> None:
    first = edit(kb_copy, "data/treatments.yaml", "downtime_days: {min: 1, max: 3", "downtime_days: {min: 5, max: 3")
    second = edit(kb_copy, "rules/skin-type.yaml", "severity: caution", "severity: cuation")
    third = edit(kb_copy, "data/concerns.yaml", "    label: Acne scars", "    lable: Acne scars")
    assert problems(kb_copy) == [
        f"data/treatments.yaml:{first}:5: treatments[microneedling].downtime_days: min 5 is above max 3",
        # one problem for a misspelt key: 'label' is not also reported missing
        f"data/concerns.yaml:{third}:5: concerns[acne_scars].lable: unknown key; did you mean 'label'?",
        f"rules/skin-type.yaml:{second}:5: rules[dark-skin-pigment-caution].severity: "
        "must be 'exclude' or 'caution', not 'cuation' — did you mean 'caution'?",
    ]
    run = cli("kb", "validate", "--kb", str(kb_copy))
    assert run.code == 1
    # named from the working directory, so a terminal or an editor can open each at its line
    assert run.stdout.splitlines() == [f"{kb_copy}/{problem}" for problem in problems(kb_copy)]
    assert run.stderr == f"3 problems in knowledge base '{kb_copy}'\n"


def test_unknown_ids_suggest_the_closest(kb_copy: Path) -> None:
    concern = edit(kb_copy, "data/treatments.yaml", "      acne_scars:", "      acne_scar:")
    condition = edit(kb_copy, "rules/pregnancy.yaml", "[pregnant, breastfeeding]", "[pregnant, breastfeding]")
    treatment = edit(
        kb_copy, "rules/skin-type.yaml", "[laser_ablative, laser_non_ablative", "[laser_ablatve, laser_non_ablative"
    )
    source = edit(kb_copy, "data/treatments.yaml", "sources: [seed_000", "sources: [seed_0000")
    found = problems(kb_copy)
    assert (
        f"data/treatments.yaml:{concern}:7: treatments[microneedling].efficacy.acne_scar: unknown concern 'acne_scar'; did you mean 'acne_scars'?"
        in found
    )
    assert (
        f"rules/pregnancy.yaml:{condition}:28: rules[pregnancy-breastfeeding-exclude].when.any[1]: unknown condition 'breastfeding'; did you mean 'breastfeeding'?"
        in found
    )
    assert (
        f"rules/skin-type.yaml:{treatment}:31: rules[dark-skin-pigment-caution].applies_to.treatments[0]: unknown treatment 'laser_ablatve'; did you mean 'laser_ablative'?"
        in found
    )
    assert any(
        p.startswith(f"data/treatments.yaml:{source}:") and "unknown source 'seed_0000'; did you mean 'seed_000'?" in p
        for p in found
    )
    tan = edit(kb_copy, "rules/scoring.yaml", "pih_conditions: [recent_tan]", "pih_conditions: [recent_tn]")
    assert (
        f"rules/scoring.yaml:{tan}:18: pih_conditions[0]: unknown condition 'recent_tn'; did you mean 'recent_tan'?"
        in (problems(kb_copy))
    )
    related = edit(kb_copy, "data/concerns.yaml", "related_conditions: [keloids]", "related_conditions: [keloid]")
    assert (
        f"data/concerns.yaml:{related}:26: concerns[burn_scars].related_conditions[0]: 'keloid' is a name of the "
        "condition 'keloids'; write its id, 'keloids'"
    ) in problems(kb_copy)


def test_an_id_listed_twice_is_a_problem_at_the_repeat(kb_copy: Path) -> None:
    """A list of ids is a set: a repeat (a merge, a copy-paste) passed, and may hide the id that was meant."""
    related = edit(
        kb_copy,
        "data/concerns.yaml",
        "related_conditions: [active_acne, isotretinoin_recent]",
        "related_conditions: [isotretinoin_recent, isotretinoin_recent]",
    )
    tag = edit(kb_copy, "data/treatments.yaml", "tags: [needling, collagen_induction]", "tags: [needling, needling]")
    cited = edit(
        kb_copy,
        "data/treatments.yaml",
        "fine_lines: {rating: strong, sources: [seed_000, seed_001,",
        "fine_lines: {rating: strong, sources: [seed_000, seed_000,",
    )
    applies = edit(kb_copy, "rules/bleeding.yaml", "dermaplaning], tags: []", "dermaplaning, microneedling], tags: []")
    tan = edit(
        kb_copy, "rules/scoring.yaml", "pih_conditions: [recent_tan]", "pih_conditions: [recent_tan, recent_tan]"
    )
    synonym = edit(kb_copy, "rules/conditions.yaml", '["acne", "breakouts",', '["acne", "Acne",')
    assert problems(kb_copy) == [
        f"data/treatments.yaml:{cited}:56: treatments[microneedling].efficacy.fine_lines.sources[1]: source "
        "'seed_000' is listed twice; keep one",
        f"data/treatments.yaml:{tag}:22: treatments[microneedling].tags[1]: tag 'needling' is listed twice; keep one",
        f"data/concerns.yaml:{related}:47: concerns[acne_scars].related_conditions[1]: condition 'isotretinoin_recent' "
        "is listed twice; keep one",
        f"rules/scoring.yaml:{tan}:30: pih_conditions[1]: condition 'recent_tan' is listed twice; keep one",
        f"rules/conditions.yaml:{synonym}:24: conditions[active_acne].synonyms[1]: synonym 'Acne' is listed twice (as "
        "'acne'); keep one",
        f"rules/bleeding.yaml:{applies}:92: rules[bleeding-exclude].applies_to.treatments[4]: treatment "
        "'microneedling' is listed twice; keep one",
    ]


def test_a_test_repeated_in_a_rule_s_any_or_all_is_a_problem_at_the_repeat(kb_copy: Path) -> None:
    """`any: [pregnant, pregnant]` passed: a repeat changes nothing, so it is a slip that may hide the condition
    meant, as an id listed twice is; the same sub-tree twice too, however its skin types are spelt."""
    condition = edit(
        kb_copy, "rules/pregnancy.yaml", "when: {any: [pregnant, breastfeeding]}", "when: {any: [pregnant, pregnant]}"
    )
    tree = edit(
        kb_copy,
        "rules/skin-type.yaml",
        "when: {skin_type: {min: 4}}",
        "when: {any: [{all: [{skin_type: {min: IV}}, {not: {skin_type: {max: 1}}}]}, "
        "{all: [{skin_type: {min: 4}}, {not: {skin_type: {max: I}}}]}]}",
    )
    nested = edit(
        kb_copy,
        "rules/pregnancy.yaml",
        "when: {any: [pregnant, breastfeeding]}",
        "when: {not: {any: [{skin_type: {min: 2}}, {skin_type: {min: 2}}]}}",
    )
    assert problems(kb_copy) == [
        f"rules/pregnancy.yaml:{condition}:28: rules[pregnancy-breastfeeding-exclude].when.any[1]: condition "
        "'pregnant' is listed twice; keep one",
        f"rules/pregnancy.yaml:{nested}:47: rules[pregnancy-light-peel-caution].when.not.any[1]: the same test as "
        "any[0], so it changes nothing; keep one",
        f"rules/skin-type.yaml:{tree}:81: rules[dark-skin-pigment-caution].when.any[1]: the same test as any[0], so "
        "it changes nothing; keep one",
    ]


def test_a_test_repeated_in_another_order_is_a_problem_at_the_repeat(kb_copy: Path) -> None:
    """`any` and `all` are commutative, and a repeat inside one changes nothing either, so `{all: [breastfeeding,
    eczema]}` beside `{all: [eczema, breastfeeding]}`, however deep, is the same test twice: it passed unreported."""
    swapped = edit(
        kb_copy,
        "rules/pregnancy.yaml",
        "when: {any: [pregnant, breastfeeding]}",
        "when: {any: [pregnant, breastfeeding, {all: [breastfeeding, eczema]}, {all: [eczema, breastfeeding]}]}",
    )
    nested = edit(
        kb_copy,
        "rules/skin-type.yaml",
        "when: {skin_type: {min: 4}}",
        "when: {any: [{all: [{skin_type: {min: 4}}, {not: {any: [{skin_type: {max: 1}}, {skin_type: {max: 2}}]}}]}, "
        "{all: [{not: {any: [{skin_type: {max: 2}}, {skin_type: {max: I}}, {skin_type: {max: 2}}]}}, "
        "{skin_type: {min: IV}}]}]}",
    )
    order = "(any and all ignore their items' order and repeats), so it changes nothing; keep one"
    assert problems(kb_copy) == [
        f"rules/pregnancy.yaml:{swapped}:75: rules[pregnancy-breastfeeding-exclude].when.any[3]: the same test as "
        f"any[2] {order}",
        f"rules/skin-type.yaml:{nested}:112: rules[dark-skin-pigment-caution].when.any[1]: the same test as any[0] "
        f"{order}",
    ]


def test_duplicate_yaml_key(kb_copy: Path) -> None:
    line = edit(kb_copy, "rules/scoring.yaml", "caution_penalty: 3", "caution_penalty: 3\ncaution_penalty: 4")
    assert problems(kb_copy) == [
        f"rules/scoring.yaml:{line + 1}:1: duplicate key 'caution_penalty' (first defined at line {line}, column 1); keep only one"
    ]


def test_duplicate_treatment_id(kb_copy: Path) -> None:
    first = edit(kb_copy, "data/treatments.yaml", "  - id: microneedling", "  - id: microneedling")
    line = edit(kb_copy, "data/treatments.yaml", "  - id: derma_roller", "  - id: microneedling")
    found = problems(kb_copy)
    assert found[0] == (
        f"data/treatments.yaml:{line}:5: treatments[microneedling].id: duplicate treatment id 'microneedling' "
        f"(also at line {first}); ids must be unique"
    )
    # ... and every rule that named the treatment whose id was overwritten now points at nothing.
    assert all("unknown treatment 'derma_roller'" in problem for problem in found[1:])


def test_duplicate_condition_id_names_the_line_of_the_first(kb_copy: Path) -> None:
    first = edit(kb_copy, "rules/conditions.yaml", "  - id: pregnant", "  - id: pregnant")
    line = edit(kb_copy, "rules/conditions.yaml", "  - id: breastfeeding", "  - id: pregnant")
    assert (
        f"rules/conditions.yaml:{line}:5: conditions[pregnant].id: duplicate condition id 'pregnant' "
        f"(also at line {first}); ids must be unique"
    ) in problems(kb_copy)


def test_duplicate_rule_id_names_the_file_and_line_of_the_first(kb_copy: Path) -> None:
    """Rules are read file by file in name order, so the first of two same ids may be in another file."""
    (kb_copy / "rules" / "clinic.yaml").write_text(CLINIC_RULE + CLINIC_RULE.removeprefix("rules:\n"))
    line = edit(
        kb_copy, "rules/pregnancy.yaml", "  - id: pregnancy-breastfeeding-exclude", "  - id: clinic-eczema-needling"
    )
    assert problems(kb_copy) == [
        "rules/clinic.yaml:12:5: rules[clinic-eczema-needling].id: duplicate rule id 'clinic-eczema-needling' "
        "(also at line 2); ids must be unique",
        f"rules/pregnancy.yaml:{line}:5: rules[clinic-eczema-needling].id: duplicate rule id 'clinic-eczema-needling' "
        "(also at rules/clinic.yaml:2); ids must be unique",
    ]
    # `kb validate` names the first's file from the working directory too, as it names the problem's own
    run = cli("kb", "validate", "--kb", str(kb_copy))
    assert run.stdout.splitlines()[1] == (
        f"{kb_copy}/rules/pregnancy.yaml:{line}:5: rules[clinic-eczema-needling].id: duplicate rule id "
        f"'clinic-eczema-needling' (also at {kb_copy}/rules/clinic.yaml:2); ids must be unique"
    )


def test_a_treatment_no_rule_applies_to_is_a_problem(kb_copy: Path) -> None:
    """Recommended to everyone, pregnant or on blood thinners, without a word: most rules name treatments by id,
    so a new treatment is covered by none of them until its author adds it. Named by a tag a rule names, it is."""
    treatments = kb_copy / "data" / "treatments.yaml"
    text = treatments.read_text()
    record = text[text.index("  - id: microcurrent\n") :]
    line = text.count("\n") + 1
    led = record.replace("id: microcurrent", "id: led_mask").replace("Microcurrent facial", "LED mask")
    treatments.write_text(text + led.replace("tags: [electrical, energy]", "tags: [at_home]"))
    assert problems(kb_copy) == [
        f"data/treatments.yaml:{line}:5: treatments[led_mask]: no contraindication rule applies to it, so it is "
        "recommended to everyone (pregnant, on blood thinners, with a pacemaker...); add its id (or one of its "
        "tags) to the applies_to of each rule in rules/ that should cover it, e.g. the pregnancy rules"
    ]
    treatments.write_text(text + led)  # tagged electrical, which the pacemaker rule names
    assert problems(kb_copy) == []
    treatments.write_text(text + led.replace("tags: [electrical, energy]", "tags: [at_home]"))
    edit(kb_copy, "rules/pregnancy.yaml", "{treatments: [microcurrent]", "{treatments: [microcurrent, led_mask]")
    assert problems(kb_copy) == []


def test_a_condition_no_rule_reads_is_a_problem(kb_copy: Path) -> None:
    """Asked by the questionnaire, changing nothing: a rule's misspelt or replaced id, or a deleted rule. Named
    in rule tests' profiles is not read: only a `when` decides anything."""
    for _ in range(2):
        edit(kb_copy, "rules/devices-and-metal.yaml", "when: metal_allergy", "when: metal_implants")
    line = edit(kb_copy, "rules/conditions.yaml", "  - id: metal_allergy", "  - id: metal_allergy")
    assert problems(kb_copy) == [
        f"rules/conditions.yaml:{line}:5: conditions[metal_allergy]: no rule's 'when' reads this condition and no "
        "question's ask_if waits on it, so its question changes nothing; use it in a rule (or fix the rule's "
        "misspelt id), or remove it"
    ]


def test_a_condition_only_an_ask_if_names_is_used(kb_copy: Path) -> None:
    """A gate ("any implant?", whose yes alone opens the pacemaker and metal implant questions) decides which
    questions are asked, so it is used though no rule reads it: it was refused as changing nothing."""
    edit(
        kb_copy,
        "rules/conditions.yaml",
        "  - id: pacemaker\n",
        '  - {id: any_implant, label: Any implant, question: "Do you have any implant?"}\n'
        "  - id: pacemaker\n    ask_if: any_implant\n",
    )
    edit(
        kb_copy,
        "rules/conditions.yaml",
        "  - id: metal_implants\n",
        "  - id: metal_implants\n    ask_if: any_implant\n",
    )
    assert problems(kb_copy) == []


def test_a_source_nothing_cites_is_a_problem(kb_copy: Path) -> None:
    path = kb_copy / "data" / "sources.yaml"
    text = path.read_text()
    path.write_text(
        text
        + '  - id: clinic_leaflet\n    title: "Our clinic\'s leaflet"\n    url: "https://example.org/"\n    tier: B\n'
    )
    line = text.count("\n") + 1
    assert problems(kb_copy) == [
        f"data/sources.yaml:{line}:5: sources[clinic_leaflet]: no treatment or rule cites this source; cite it where "
        "it is used, or remove it"
    ]


def test_a_source_only_a_rule_cites_is_used(kb_copy: Path) -> None:
    (kb_copy / "rules" / "clinic.yaml").write_text(
        CLINIC_RULE.replace("sources: [seed_003]", "sources: [clinic_leaflet]")
    )
    path = kb_copy / "data" / "sources.yaml"
    path.write_text(
        path.read_text()
        + '  - id: clinic_leaflet\n    title: "Leaflet"\n    url: "https://example.org/"\n    tier: B\n'
    )
    assert problems(kb_copy) == []


@pytest.mark.parametrize(
    ("pattern", "replacement", "problem"),
    [
        (
            r"rating: (mild|moderate|strong)",
            "rating: none",
            "treatments[microcurrent].efficacy: rates every concern 'none', so it can never be recommended; rate "
            "the concerns it helps with (mild, moderate or strong), or remove the treatment",
        ),
        (
            r"    efficacy:\n(      .*\n)+",
            "    efficacy: {}\n",
            "treatments[microcurrent].efficacy: must not be empty; give at least one",
        ),
    ],
)
def test_a_treatment_that_helps_with_no_concern_is_a_problem(
    kb_copy: Path, pattern: str, replacement: str, problem: str
) -> None:
    """It could never be recommended: the engine leaves a treatment out for every concern it rates `none`."""
    path = kb_copy / "data" / "treatments.yaml"
    text = path.read_text()
    start = text.index("  - id: microcurrent")  # the last treatment: its block runs to the end of the file
    path.write_text(text[:start] + re.sub(pattern, replacement, text[start:]))
    line = text[: text.index("    efficacy:", start)].count("\n") + 1
    assert problems(kb_copy) == [f"data/treatments.yaml:{line}:5: {problem}"]


@pytest.mark.parametrize(
    ("new", "problem"),
    [
        (
            "{none: 2, mild: 3, moderate: 6, strong: 10}",
            "rules/scoring.yaml:4:19: efficacy_points.none: a 'none' rating means no help with the concern and never "
            "scores; set it to 0 or leave it out",
        ),
        (
            "{none: 0, moderate: 6, strong: 10}",
            "rules/scoring.yaml:4:1: efficacy_points.mild: required, but missing; add it",
        ),
        (
            "{none: 0, weak: 1, mild: 3, moderate: 6, strong: 10}",
            "rules/scoring.yaml:4:28: efficacy_points.weak: unknown key; remove it or fix its spelling (see "
            "docs/knowledge-base.md)",
        ),
        (
            "{none: 0, mild: 10, moderate: 6, strong: 3}",
            "rules/scoring.yaml:4:1: efficacy_points: points must rise from none to mild to moderate to strong, each "
            "above the one before, not 0, 10, 6, 3; e.g. {none: 0, mild: 3, moderate: 6, strong: 10}",
        ),
        (  # `none` left out is 0, and a rating that scores must score something
            "{mild: 0, moderate: 6, strong: 6}",
            "rules/scoring.yaml:4:1: efficacy_points: points must rise from none to mild to moderate to strong, each "
            "above the one before, not 0, 0, 6, 6; e.g. {none: 0, mild: 3, moderate: 6, strong: 10}",
        ),
        ("{mild: 3, moderate: 6, strong: 10}", None),
        ("{none: 0, mild: 1, moderate: 2, strong: 3}", None),
    ],
)
def test_efficacy_points_are_for_the_ratings_that_score(kb_copy: Path, new: str, problem: str | None) -> None:
    """Points for every rating a treatment scores with (mild, moderate, strong), for no other; `none` never
    scores (the treatment is not relevant to the concern), so it may only be 0, or left out. A stronger rating
    earns more: inverted points passed, and ranked the treatments that help least first."""
    edit(kb_copy, "rules/scoring.yaml", "{none: 0, mild: 3, moderate: 6, strong: 10}", new)
    assert problems(kb_copy) == ([problem] if problem else [])


def test_a_base_cached_as_valid_by_an_older_validator_is_checked_again(
    kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache key holds the validator's version (`loader.CHECKS`), not only skinrec's: a base an older
    validator accepted and cached must be refused once the validator refuses it, not served from its entry."""
    from skinrec import cache, loader
    from skinrec.knowledge import pack_kb

    edit(kb_copy, "rules/conditions.yaml", "conditions:\n", "conditions:\n  - {id: unasked, label: U, question: U?}\n")
    texts = loader.read_files(kb_copy)[0]
    compiled = loader.validate_texts(loader.read_files(shipped_kb_dir())[0])[0]
    with monkeypatch.context() as older:
        older.setattr(loader, "CHECKS", loader.CHECKS - 1)
        cache.write(loader.fingerprint(texts), *pack_kb(compiled))  # what the older validator stored
        assert loader.load_kb(kb_copy).treatments  # ... and served, without a look at the files
    with pytest.raises(loader.KnowledgeBaseInvalid, match=r"conditions\[unasked\]: no rule's 'when' reads"):
        loader.load_kb(kb_copy)


def test_rule_that_can_never_fire(kb_copy: Path) -> None:
    line = edit(
        kb_copy,
        "rules/skin-type.yaml",
        "when: {skin_type: {min: 4}}",
        "when: {all: [{skin_type: {min: 5}}, {skin_type: {max: 2}}]}",
    )
    found = problems(kb_copy)
    assert (
        f"rules/skin-type.yaml:{line}:5: rules[dark-skin-pigment-caution].when: this rule can never fire (its skin-type ranges contradict each other); fix 'when'"
        in found
    )


def test_a_condition_under_not_is_one_problem_not_also_a_rule_that_can_never_fire(kb_copy: Path) -> None:
    """`{not: eczema}` can only fire without eczema; the check that a rule can fire assumes conditions are never
    negated, and said its 'skin-type ranges contradict each other' of a rule that tests no skin type."""
    (kb_copy / "rules" / "clinic.yaml").write_text(CLINIC_RULE.replace("when: eczema", "when: {not: eczema}"))
    assert problems(kb_copy) == [
        "rules/clinic.yaml:4:5: rules[clinic-eczema-needling].when: condition 'eczema' is under 'not'; a profile fact "
        "may make a rule fire but never stop it, so use 'not' only around skin_type tests"
    ]


def test_condition_under_not_is_refused(kb_copy: Path) -> None:
    line = edit(
        kb_copy,
        "rules/pregnancy.yaml",
        "when: {any: [pregnant, breastfeeding]}",
        "when: {any: [{not: pregnant}, breastfeeding]}",
    )
    assert problems(kb_copy) == [
        f"rules/pregnancy.yaml:{line}:5: rules[pregnancy-breastfeeding-exclude].when: condition 'pregnant' is under 'not'; "
        "a profile fact may make a rule fire but never stop it, so use 'not' only around skin_type tests"
    ]


@pytest.mark.parametrize(
    ("when", "col", "problem"),
    [
        ("{anyy: [eczema]}", 12, "when.anyy: unknown key; did you mean 'any'?"),
        ("{all: [eczema, {skintype: {min: 4}}]}", 27, "when.all[1].skintype: unknown key; did you mean 'skin_type'?"),
        ("{any: [eczema, {nott: {skin_type: {min: 4}}}]}", 27, "when.any[1].nott: unknown key; did you mean 'not'?"),
        ("{all: [eczema, {skin_type: {mn: 4}}]}", 39, "when.all[1].skin_type.mn: unknown key; did you mean 'min'?"),
    ],
)
def test_a_misspelt_key_of_a_condition_tree_gets_the_key_it_meant(
    kb_copy: Path, when: str, col: int, problem: str
) -> None:
    """They were told only what a condition tree is, while misspelt keys everywhere else got a did-you-mean."""
    (kb_copy / "rules" / "clinic.yaml").write_text(CLINIC_RULE.replace("when: eczema", f"when: {when}"))
    assert problems(kb_copy) == [f"rules/clinic.yaml:4:{col}: rules[clinic-eczema-needling].{problem}"]


def test_malformed_condition_tree(kb_copy: Path) -> None:
    line = edit(kb_copy, "rules/pregnancy.yaml", "when: {any: [pregnant, breastfeeding]}", "when: {either: [pregnant]}")
    assert problems(kb_copy) == [
        f"rules/pregnancy.yaml:{line}:5: rules[pregnancy-breastfeeding-exclude].when: a condition tree is a condition id, "
        "or a mapping with exactly one key: all, any, not or skin_type"
    ]


@pytest.mark.parametrize(
    ("tests", "given"),
    [
        ("      - {profile: {conditions: [eczema]}, treatment: microneedling, fires: true}\n", 1),
        ("", 0),
    ],
)
def test_a_rule_needs_two_tests(kb_copy: Path, tests: str, given: int) -> None:
    """One where it fires and one where it does not: a single test was told the list "must not be empty; give at
    least one"."""
    (kb_copy / "rules" / "clinic.yaml").write_text(
        CLINIC_RULE.split("    tests:")[0] + "    tests:" + ("\n" + tests if tests else " []\n")
    )
    assert problems(kb_copy) == [
        f"rules/clinic.yaml:9:5: rules[clinic-eczema-needling].tests: needs at least 2 items, not {given}: a rule "
        "needs a test where it fires and one where it does not"
    ]


def test_rule_needs_a_negative_test(kb_copy: Path) -> None:
    path = kb_copy / "rules" / "skin-type.yaml"
    text = path.read_text()
    kept = [line for line in text.splitlines() if "fires: false" not in line or "dark-skin" in line]
    path.write_text("\n".join(kept) + "\n")
    found = problems(kb_copy)
    assert any(
        p.endswith("rules[dark-skin-pigment-caution].tests: needs at least one test with 'fires: false'") for p in found
    )


@pytest.mark.parametrize(
    ("rel", "old", "new", "col", "problem"),
    [
        (  # an earlier record's label spelling a later record's id: `-x eczema` meant severe rosacea
            "rules/conditions.yaml",
            "label: Severe rosacea",
            "label: eczema",
            5,
            "conditions[rosacea_severe].label: 'eczema' already names condition 'eczema'; a name may mean one condition",
        ),
        (  # a later record's label spelling an earlier record's id, ignoring case and separators
            "rules/conditions.yaml",
            "label: Psoriasis",
            "label: Rosacea-Severe",
            5,
            "conditions[psoriasis].label: 'Rosacea-Severe' already names condition 'rosacea_severe'; a name may mean "
            "one condition",
        ),
        (
            "rules/conditions.yaml",
            "label: Psoriasis",
            "label: severe rosacea",
            5,
            "conditions[psoriasis].label: 'severe rosacea' already names condition 'rosacea_severe'; a name may mean "
            "one condition",
        ),
        (  # reported at the label, not at the id the label took
            "data/concerns.yaml",
            "label: Fine lines and wrinkles",
            "label: Deep wrinkles",
            5,
            "concerns[fine_lines].label: 'Deep wrinkles' already names concern 'deep_wrinkles'; a name may mean one "
            "concern",
        ),
        (
            "data/treatments.yaml",
            "name: Medium chemical peel (TCA)",
            "name: Light chemical peel",
            5,
            "treatments[chemical_peel_medium].name: 'Light chemical peel' already names treatment "
            "'chemical_peel_light'; a name may mean one treatment",
        ),
        (
            "data/treatments.yaml",
            "name: Microneedling",
            "name: derma roller",
            5,
            "treatments[microneedling].name: 'derma roller' already names treatment 'derma_roller'; a name may mean "
            "one treatment",
        ),
        (  # a condition's synonym: `-x pregnancy` must not mean breastfeeding
            "rules/conditions.yaml",
            'synonyms: ["nursing"]',
            'synonyms: ["nursing", "Pregnancy"]',
            27,
            "conditions[breastfeeding].synonyms[1]: 'Pregnancy' already names condition 'pregnant'; a name may mean "
            "one condition",
        ),
    ],
)
def test_a_name_may_mean_one_record(kb_copy: Path, rel: str, old: str, new: str, col: int, problem: str) -> None:
    """People type labels, names and synonyms as well as ids: one that means two records would quietly resolve to
    one of them (`show "chemical peel"`, or `-x eczema` taken as another condition, dropping its exclusions)."""
    line = edit(kb_copy, rel, old, new)
    assert problems(kb_copy) == [f"{rel}:{line}:{col}: {problem}"]


def test_a_new_synonym_is_blamed_not_the_label_it_copies(kb_copy: Path) -> None:
    """A synonym added to an earlier record that spells a later record's label: the synonym is the slip, and the
    report must point at it (it used to point at the later record's label, which was right all along)."""
    line = edit(
        kb_copy,
        "rules/conditions.yaml",
        'synonyms: ["isotretinoin", "accutane", "roaccutane"',
        'synonyms: ["isotretinoin", "accutane", "roaccutane", "Epilepsy or seizures"',
    )
    assert problems(kb_copy) == [
        f"rules/conditions.yaml:{line}:58: conditions[isotretinoin_recent].synonyms[3]: 'Epilepsy or seizures' "
        "already names condition 'epilepsy'; a name may mean one condition"
    ]


def test_a_concern_no_treatment_rates_is_a_problem(kb_copy: Path) -> None:
    """The questionnaire would offer it, and asking for it could never give a result."""
    path = kb_copy / "data" / "treatments.yaml"
    path.write_text(re.sub(r"(\n      vellus_hair: \{rating: )(mild|moderate|strong)", r"\1none", path.read_text()))
    line = edit(kb_copy, "data/concerns.yaml", "  - id: vellus_hair", "  - id: vellus_hair")
    assert problems(kb_copy) == [
        f"data/concerns.yaml:{line}:5: concerns[vellus_hair]: no treatment rates this concern (mild, moderate or "
        "strong), so asking for it can never give a result; rate it in a treatment's efficacy, or remove it"
    ]


def test_synonym_that_names_two_concerns(kb_copy: Path) -> None:
    line = edit(kb_copy, "data/concerns.yaml", '"deep wrinkle",', '"wrinkles",')
    assert problems(kb_copy) == [
        f"data/concerns.yaml:{line}:16: concerns[deep_wrinkles].synonyms[0]: 'wrinkles' already names concern 'fine_lines'; a name may mean one concern"
    ]


INDENTATION = "check the indentation and the ':' after each key"
UNCLOSED_LIST = (
    "a '[' list starts here but is not closed properly; close the bracket with ']', and put ',' between its items"
)
AFTER_QUOTE = "text follows the closing quote; put the whole value inside the quotes"
IN_SINGLE = " (inside '...' write ' as '')"
IN_DOUBLE = ' (inside "..." write " as \\")'
BAD_COLON = (
    "a ':' that is not allowed here (a second 'key:' on one line, a key indented deeper than the one above it, or "
    f"text with ': ' in it); {INDENTATION}, and quote text that contains ': '"
)


@pytest.mark.parametrize(
    ("rel", "old", "new", "below", "col", "problem"),
    [
        (  # the quote pairs with the next one in the file, a line down: PyYAML stops there
            "data/concerns.yaml",
            "label: Acne scars",
            'label: "Acne scars',
            0,
            12,
            'quoted text starts here with " but is not closed on this line, so it runs on to the next " (line 17); '
            "close the quote",
        ),
        (  # no quote after it: PyYAML says 'found unexpected end of stream' on the file's last line
            "data/concerns.yaml",
            "label: Acne scars",
            "label: 'Acne scars",
            0,
            12,
            "quoted text starts here with ' but is never closed; close the quote with a matching '",
        ),
        ("data/concerns.yaml", "label: Acne scars", "label: 'Acne' scars", 0, 19, AFTER_QUOTE + IN_SINGLE),
        (  # a tab in the indentation, in libyaml's words "a tab character that violates indentation"
            "rules/bleeding.yaml",
            "    severity: exclude",
            "\tseverity: exclude",
            0,
            1,
            "a tab character; YAML is indented with spaces, never tabs",
        ),
        (
            "data/concerns.yaml",
            '["acne scar", "acne scarring",',
            '["acne scar, "acne scarring",',
            0,
            29,
            AFTER_QUOTE + IN_DOUBLE + ", or put ',' between items",
        ),
        (
            "rules/scoring.yaml",
            "priority_percent: [100, 70, 50]",
            "priority_percent: [100, 70, 50",
            0,
            19,
            UNCLOSED_LIST,
        ),
        ("data/concerns.yaml", '"rolling scars"]', '"rolling scars"}', 0, 15, UNCLOSED_LIST),
        (
            "rules/scoring.yaml",
            "pih_penalty: {none: 0, low: 0, moderate: 4, high: 8}",
            "pih_penalty: {none: 0, low: 0, moderate: 4, high: 8",
            0,
            14,
            "a '{' mapping starts here but is not closed properly; close the bracket with '}', and put ',' between "
            "its 'key: value' pairs",
        ),
        (
            "data/concerns.yaml",
            "    label: Acne scars",
            "    label Acne scars",
            0,
            5,
            "expected 'key: value' here, but no ':' follows the key; add the ':' after the key, or indent the line "
            "further if it continues the value above",
        ),
        ("data/concerns.yaml", "    label: Acne scars", "    label: Acne scars: pitted", 0, 22, BAD_COLON),
        ("data/concerns.yaml", "    label: Acne scars", "      label: Acne scars", 0, 12, BAD_COLON),
        (
            "rules/scoring.yaml",
            "budget_penalty: 3",
            " budget_penalty: 3",
            0,
            2,
            f"this line does not line up with the keys above it; {INDENTATION}",
        ),
        (
            "data/concerns.yaml",
            "    label: Acne scars",
            "   label: Acne scars",
            0,
            4,
            "expected a '- ' list item here, lined up with the items above it; check the indentation",
        ),
        (
            "rules/scoring.yaml",
            "caution_penalty: 3",
            "caution_penalty:\n\t3",
            1,
            1,
            "a tab character; YAML is indented with spaces, never tabs",
        ),
    ],
)
def test_yaml_syntax_errors_are_placed_where_the_mistake_is_and_name_the_fix(
    kb_copy: Path, rel: str, old: str, new: str, below: int, col: int, problem: str
) -> None:
    """PyYAML finds an unclosed quote or bracket lines later (an unclosed quote at the end of the file) and says so
    in its own words ('found unexpected end of stream', 'did not find expected ',' or ']''): each is placed where
    the quote, bracket or key began, in plain words, with the fix."""
    line = edit(kb_copy, rel, old, new) + below
    assert problems(kb_copy) == [f"{rel}:{line}:{col}: {problem}"]


def test_missing_file(kb_copy: Path) -> None:
    """Where to get the file is said in words that need only the installed command (docs/ is the repository's)."""
    (kb_copy / "rules" / "scoring.yaml").unlink()
    assert problems(kb_copy) == [
        "rules/scoring.yaml: file is missing; every knowledge base needs it: copy it from a new base made by "
        "'skinrec kb init DIR'"
    ]


LAYOUT = (
    "a folder holding data/sources.yaml, data/treatments.yaml, data/concerns.yaml, rules/conditions.yaml, "
    "rules/scoring.yaml and its rule files in rules/"
)


def test_not_a_knowledge_base(tmp_path: Path) -> None:
    """The files a base holds are named, and `kb init` offered for the folder given when it could start one
    there (nothing there, or an empty folder): an installed wheel has no docs/knowledge-base.md to point at."""
    run = cli("kb", "validate", "--kb", str(tmp_path))
    assert run.code == 1
    assert run.stderr == (
        f"skinrec: error: no knowledge base at '{tmp_path}' (from --kb): expected data/treatments.yaml there; "
        f"point --kb at {LAYOUT}, or copy the shipped one to start from: skinrec kb init {tmp_path}\n"
    )
    (tmp_path / "notes.txt").write_text("mine")
    run = cli("treatments", env={"SKINREC_KB": str(tmp_path)})
    assert run.stderr == (
        f"skinrec: error: no knowledge base at '{tmp_path}' (from $SKINREC_KB): expected data/treatments.yaml "
        f"there; point $SKINREC_KB at {LAYOUT}, or copy the shipped one to start from: skinrec kb init DIR\n"
    )


def test_a_relative_folder_that_is_no_knowledge_base_is_named_in_full_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`SKINREC_KB="base ü"` set in one folder and used from another: the folder looked in is said in full."""
    monkeypatch.chdir(tmp_path)
    run = cli("treatments", env={"SKINREC_KB": "base ü"})
    assert run.code == 1
    assert run.stderr == (
        f"skinrec: error: no knowledge base at 'base ü' (that is '{tmp_path / 'base ü'}', from $SKINREC_KB): "
        f"expected data/treatments.yaml there; point $SKINREC_KB at {LAYOUT}, or copy the shipped one to start "
        "from: skinrec kb init 'base ü'\n"
    )


def test_env_var_selects_the_kb(kb_copy: Path) -> None:
    edit(kb_copy, "rules/scoring.yaml", "caution_penalty: 3", "caution_penalty: -1")
    run = cli("kb", "validate", env={"SKINREC_KB": str(kb_copy)})
    assert run.code == 1
    assert "rules/scoring.yaml" in run.stdout


def test_every_rule_test_passes() -> None:
    run = cli("rules", "check")
    assert run.code == 0, run.stdout
    assert run.stderr.endswith(f"0 failed ({len(load_kb().rules)} rules)\n")


def test_rules_check_reports_a_failing_case(kb_copy: Path) -> None:
    """At the case's line, named the way validation names it (0-based), with what to do about it."""
    line = edit(
        kb_copy,
        "rules/pregnancy.yaml",
        "{profile: {conditions: [pregnant]}, treatment: microneedling, fires: true}",
        "{profile: {conditions: [pregnant]}, treatment: microneedling, fires: false}",
    )
    expected = (
        f"{kb_copy}/rules/pregnancy.yaml:{line}:9: rules[pregnancy-breastfeeding-exclude].tests[0]: expected it to not fire for "
        "microneedling (pregnant), but it fired; fix the rule's 'when' or 'applies_to', or the test's expectation\n"
    )
    # --kb after the subcommand, before it (the group's option), or from the environment: the same base is checked
    for argv, env in [
        (["rules", "check", "--kb", str(kb_copy)], None),
        (["rules", "--kb", str(kb_copy), "check"], None),
        (["rules", "--kb", str(kb_copy), "--no-cache", "check"], None),
        (["rules", "check"], {"SKINREC_KB": str(kb_copy)}),
    ]:
        run = cli(*argv, env=env)
        assert (run.code, run.stdout) == (1, expected), argv


def test_a_base_whose_rule_tests_fail_is_refused_by_kb_validate_rules_check_and_recommend(kb_copy: Path) -> None:
    """A base whose rule tests fail is not valid, and no command uses it: `recommend` used to, though a rule that
    does not do what its tests say may leave something unsafe in the ranking. (The tests cost a few ms, once,
    when the base is first loaded.) `rules check` still reports every case."""
    (kb_copy / "rules" / "clinic.yaml").write_text(
        CLINIC_RULE.replace(
            "{profile: {conditions: []}, treatment: microneedling, fires: false}",
            "{profile: {conditions: []}, treatment: microneedling, fires: false}\n      - {profile: {conditions: [eczema], skin_type: 2}, treatment: microneedling, fires: false}",
        )
    )
    problem = (
        "rules/clinic.yaml:12:9: rules[clinic-eczema-needling].tests[2]: expected it to not fire for microneedling "
        "(eczema, skin type 2), but it fired; fix the rule's 'when' or 'applies_to', or the test's expectation"
    )
    assert problems(kb_copy) == [problem]
    run = cli("kb", "validate", "--kb", str(kb_copy))
    shown = f"{kb_copy}/{problem}\n"
    assert (run.code, run.stdout, run.stderr) == (1, shown, f"1 problem in knowledge base '{kb_copy}'\n")
    assert cli("rules", "check", "--kb", str(kb_copy)).stdout == shown
    run = cli("recommend", "--kb", str(kb_copy), "-c", "acne_scars", "-x", "eczema", "-f", "json")
    assert (run.code, run.stdout) == (1, "") and f"is invalid: {kb_copy}/{problem}; see every problem" in run.stderr


def test_a_case_that_fires_for_a_treatment_the_rule_does_not_apply_to_is_a_problem(kb_copy: Path) -> None:
    """docs/knowledge-base.md: every test's treatment is one the rule applies to, unless the test says it does
    not fire. Checked by `kb validate` (so every command refuses the base), not left to `rules check`."""
    (kb_copy / "rules" / "clinic.yaml").write_text(
        CLINIC_RULE.replace("treatment: microneedling, fires: true", "treatment: dermaplaning, fires: true")
    )
    run = cli("kb", "validate", "--kb", str(kb_copy))
    assert (run.code, run.stdout) == (
        1,
        f"{kb_copy}/rules/clinic.yaml:10:43: rules[clinic-eczema-needling].tests[0].treatment: the rule does not apply to "
        "dermaplaning, so it cannot fire for it; test a treatment in its applies_to, or set fires: false\n",
    )


def test_rules_check_refuses_the_listing_options() -> None:
    run = cli("rules", "-f", "json", "check")
    assert run.code == 2
    assert "--format and --no-color apply to the rule list, not to 'rules check'" in run.stderr


def test_schema_covers_every_file() -> None:
    import json

    run = cli("kb", "schema")
    assert run.code == 0
    schemas = json.loads(run.stdout)
    assert set(schemas) == {
        "data/sources.yaml",
        "data/treatments.yaml",
        "data/concerns.yaml",
        "rules/conditions.yaml",
        "rules/scoring.yaml",
        "rules/*.yaml",
    }
    one = json.loads(cli("kb", "schema", "treatments").stdout)
    assert one["additionalProperties"] is False
    assert cli("kb", "schema", "nope").code == 2


@pytest.mark.parametrize("amount", [".inf", "1.0e+309", ".nan", "true", '"800"', "0x10"])
def test_a_price_must_be_a_finite_number(kb_copy: Path, amount: str) -> None:
    """An infinite price passed validation and then made invalid JSON ("max": Infinity); text or true was
    read as a number. Each is now one problem at its place."""
    edit(
        kb_copy,
        "data/treatments.yaml",
        "cost_per_session_usd: {min: 100, max: 800,",
        f"cost_per_session_usd: {{min: 100, max: {amount},",
    )
    run = cli("kb", "validate", "--kb", str(kb_copy), "--no-cache")
    assert run.code == 1
    [problem] = run.stdout.splitlines()
    place = f"{kb_copy}/data/treatments.yaml:45:38: treatments[microneedling].cost_per_session_usd.max: "
    message = {
        "true": "must be a number, not true",
        '"800"': "'800' is quoted text; write 800 without quotes",
        "0x10": "must be a number, not '0x10'",
    }.get(amount, f"must be a finite number, not {amount}")
    assert problem == place + message


def test_whole_prices_stay_whole_numbers_in_json() -> None:
    doc = json.loads(cli("show", "microneedling", "-f", "json").stdout)
    assert doc["treatment"]["cost_per_session_usd"] == {"min": 100, "max": 800}
    assert all(type(value) is int for value in doc["treatment"]["cost_per_session_usd"].values())


CLINIC_RULE = """rules:
  - id: clinic-eczema-needling
    severity: exclude
    when: eczema
    applies_to: {treatments: [microneedling]}
    message: "No microneedling with eczema at our clinic."
    explanation: "Clinic policy."
    sources: [seed_003]
    tests:
      - {profile: {conditions: [eczema]}, treatment: microneedling, fires: true}
      - {profile: {conditions: []}, treatment: microneedling, fires: false}
"""


def test_a_rule_file_is_read_whatever_its_yaml_suffix(kb_copy: Path) -> None:
    """A rule file skipped for being called .yml would silently drop its contraindications."""
    (kb_copy / "rules" / "clinic.YML").write_text(CLINIC_RULE)
    run = cli("recommend", "--kb", str(kb_copy), "-c", "acne_scars", "-x", "eczema", "-f", "json")
    assert run.code == 0, run.stderr
    excluded = {item["id"]: item["reasons"] for item in json.loads(run.stdout)["excluded"]}
    assert [reason["rule"] for reason in excluded["microneedling"]] == ["clinic-eczema-needling"]


DATA_FILES_READ = "skinrec reads only sources.yaml, treatments.yaml and concerns.yaml in data/, so this file is ignored"


def test_a_yaml_file_data_does_not_read_is_reported_with_where_its_content_belongs(kb_copy: Path) -> None:
    """A maintainer's split-out treatments, or a rule file put in data/, passed as valid and never loaded."""
    data = kb_copy / "data"
    (data / ".#treatments.yaml").symlink_to("user@host.1:1")  # hidden files stay the editor's own
    (data / ".backup").mkdir()
    (data / ".backup" / "treatments.yaml").write_text("treatments: []\n")
    (data / "README.md").write_text("Our notes.\n")
    (kb_copy / "notes.yaml").write_text("not: the base's\n")  # the root is not the base's (a checkout's repository)
    assert problems(kb_copy) == []
    (data / "more-treatments.yaml").write_text("treatments:\n  - id: foo\n")
    (data / "pregnancy.yaml").write_text((kb_copy / "rules" / "pregnancy.yaml").read_text())
    (data / "old").mkdir()
    (data / "old" / "mixed.YML").write_text("conditions: []\ntags: {}\ntreatments: []\nnotes: x\n")
    (data / "old" / "broken.yaml").write_text("treatments: [\n")
    assert problems(kb_copy) == [
        f"data/more-treatments.yaml: {DATA_FILES_READ}; move its treatments into data/treatments.yaml",
        f"data/old/broken.yaml: {DATA_FILES_READ}; move its content into sources.yaml, treatments.yaml or "
        "concerns.yaml in data/ or a rule file in rules/, or remove it",
        f"data/old/mixed.YML: {DATA_FILES_READ}; move its conditions into rules/conditions.yaml, and its tags, "
        "treatments into data/treatments.yaml",
        f"data/pregnancy.yaml: {DATA_FILES_READ}; move its rules into rules/pregnancy.yaml",
    ]
    run = cli("kb", "validate", "--kb", str(kb_copy))
    assert (run.code, run.stdout.splitlines()) == (1, [f"{kb_copy}/{problem}" for problem in problems(kb_copy)])


def test_a_rule_file_in_a_folder_is_reported_and_hidden_files_are_left_alone(kb_copy: Path) -> None:
    rules = kb_copy / "rules"
    (rules / ".#pregnancy.yaml").symlink_to("user@host.1:1")  # Emacs's lock file while pregnancy.yaml is open
    (rules / "._pregnancy.yaml").write_bytes(b"\x00\x05\x16\x07Mac OS X")  # macOS's copy of the file's metadata
    (rules / "README.md").write_text("Our clinic's notes.\n")
    assert cli("kb", "validate", "--kb", str(kb_copy)).code == 0
    (rules / "clinic").mkdir()
    (rules / "clinic" / "eczema.yaml").write_text(CLINIC_RULE)
    run = cli("kb", "validate", "--kb", str(kb_copy))
    assert (run.code, run.stdout) == (
        1,
        f"{kb_copy}/rules/clinic/eczema.yaml: rule files go directly in rules/, not in a folder; move it up\n",
    )


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (  # left out: named by its path, at the treatment's line, as any key left out is
            "    interval_weeks: {min: 4, max: 6, sources: [seed_003]}\n",
            "",
            "21:5: treatments[microneedling].interval_weeks: required, as there can be up to 6 sessions; add the "
            "weeks between them, e.g. {min: 4, max: 6, sources: [...]}",
        ),
        (  # as sessions.min is
            "interval_weeks: {min: 4, max: 6,",
            "interval_weeks: {min: 0, max: 6,",
            "44:22: treatments[microneedling].interval_weeks.min: must be 1 or more, not 0",
        ),
        (
            "sessions: {min: 3, max: 6,",
            "sessions: {min: 1, max: 1,",
            "44:5: treatments[microneedling].interval_weeks: there is a single session (sessions.max is 1), so no "
            "interval; remove it",
        ),
    ],
)
def test_an_interval_between_sessions_exactly_when_there_are_several(
    kb_copy: Path, old: str, new: str, problem: str
) -> None:
    """Each problem at the field's place (named by its path where it is left out), with the fix."""
    edit(kb_copy, "data/treatments.yaml", old, new)
    run = cli("kb", "validate", "--kb", str(kb_copy), "--no-cache")
    assert (run.code, run.stdout) == (1, f"{kb_copy}/data/treatments.yaml:{problem}\n")


def test_skin_type_is_tested_with_a_range_never_named_as_a_condition(kb_copy: Path) -> None:
    rule = CLINIC_RULE.replace("when: eczema", "when: {all: [eczema, skin_type]}")
    (kb_copy / "rules" / "clinic.yaml").write_text(rule)
    run = cli("kb", "validate", "--kb", str(kb_copy))
    assert (run.code, run.stdout) == (
        1,
        f"{kb_copy}/rules/clinic.yaml:4:26: rules[clinic-eczema-needling].when.all[1]: 'skin_type' is not a condition; test the "
        "skin type with a range, e.g. {skin_type: {min: 4, max: 6}}\n",
    )
    (kb_copy / "rules" / "clinic.yaml").unlink()
    conditions = kb_copy / "rules" / "conditions.yaml"
    conditions.write_text(
        conditions.read_text() + '  - id: skin_type\n    question: "Your skin type?"\n    label: Skin type\n'
    )
    run = cli("kb", "validate", "--kb", str(kb_copy))
    assert run.code == 1
    assert run.stdout.endswith("'skin_type' is built in (asked as the Fitzpatrick type); choose another id\n")


@pytest.mark.parametrize(
    ("rel", "old", "new", "problem"),
    [
        (
            "rules/scoring.yaml",
            "priority_percent: [100, 70, 50]",
            "priority_percent: []",
            "rules/scoring.yaml:5:1: priority_percent: must not be empty; give at least one",
        ),
        (
            "rules/skin-type.yaml",
            "{profile: {skin_type: 5}, treatment: laser_non_ablative",
            "{profile: {skin_type: 5.5}, treatment: laser_non_ablative",
            "rules/skin-type.yaml:25:20: rules[dark-skin-pigment-caution].tests[1].profile.skin_type: must be a whole number, not 5.5",
        ),
    ],
)
def test_schema_problems_read_as_plain_fixes(kb_copy: Path, rel: str, old: str, new: str, problem: str) -> None:
    """pydantic's own words ('List should have at least 1 item after validation, not 0') name no fix."""
    edit(kb_copy, rel, old, new)
    run = cli("kb", "validate", "--kb", str(kb_copy), "--no-cache")
    assert (run.code, run.stdout) == (1, f"{kb_copy}/{problem}\n")


SNAKE = "ids are snake_case (lowercase letters, digits and _, starting with a letter)"
KEBAB = "rule ids are kebab-case (lowercase letters, digits and -, starting with a letter)"


@pytest.mark.parametrize(
    ("rel", "old", "new", "col", "problem"),
    [
        (
            "data/concerns.yaml",
            "  - id: acne_scars",
            "  - id: AcneScars",
            5,
            f"concerns[AcneScars].id: {SNAKE}, not 'AcneScars'; e.g. 'acne_scars'",
        ),
        (
            "rules/conditions.yaml",
            "  - id: eczema",
            "  - id: eczéma",
            5,
            f"conditions[eczéma].id: {SNAKE}, not 'eczéma'; e.g. 'eczema'",
        ),
        (
            "rules/conditions.yaml",
            "  - id: eczema",
            "  - id: 1eczema",
            5,
            f"conditions[1eczema].id: {SNAKE}, not '1eczema'",
        ),
        (
            "data/treatments.yaml",
            "  needling:",
            "  Needling:",
            3,
            f"tags.Needling: {SNAKE}, not 'Needling'; e.g. 'needling'",
        ),
        (
            "rules/skin-type.yaml",
            "  - id: dark-skin-pigment-caution",
            "  - id: Dark_Skin_Pigment_Caution",
            5,
            f"rules[Dark_Skin_Pigment_Caution].id: {KEBAB}, not 'Dark_Skin_Pigment_Caution'; e.g. "
            "'dark-skin-pigment-caution'",
        ),
        (
            "data/sources.yaml",
            "seed: 000_9c907688b10f783d.txt",
            "seed: shared/seeds/000_9c907688b10f783d.txt",
            5,
            "sources[seed_000].seed: a seed is the file name of one of skinrec's own seed articles, like "
            "000_9c907688b10f783d.txt, not 'shared/seeds/000_9c907688b10f783d.txt'; cite any other source by its "
            "url, with a tier (see docs/knowledge-base.md, Citing sources)",
        ),
        (
            "data/sources.yaml",
            'url: "https://www.aad.org/news/microneedling"',
            'url: "www.aad.org/news/microneedling"',
            5,
            "sources[aad_mn].url: a url starts with http:// or https:// and has no spaces, not "
            "'www.aad.org/news/microneedling'",
        ),
    ],
)
def test_a_value_its_pattern_refuses_is_named_in_words(
    kb_copy: Path, rel: str, old: str, new: str, col: int, problem: str
) -> None:
    """pydantic gave its regex ("String should match pattern '^[a-z][a-z0-9_]*$'"), which names no fix."""
    line = edit(kb_copy, rel, old, new)
    assert problems(kb_copy) == [f"{rel}:{line}:{col}: {problem}"]


def test_a_badly_spelt_id_is_one_problem_where_it_is_defined(kb_copy: Path) -> None:
    """Not one more at each of the dozens of places that name it; a place that misspells a well-spelt id is an
    unknown id, with the id it is likely a typo of."""
    for path in [kb_copy / "data" / "treatments.yaml", *(kb_copy / "rules").glob("*.yaml")]:
        path.write_text(re.sub(r"\bderma_roller\b", "derma-roller", path.read_text()))
    line = edit(kb_copy, "data/treatments.yaml", "  - id: derma-roller", "  - id: derma-roller")
    assert problems(kb_copy) == [
        f"data/treatments.yaml:{line}:5: treatments[derma-roller].id: {SNAKE}, not 'derma-roller'; e.g. 'derma_roller'"
    ]
    edit(kb_copy, "data/treatments.yaml", "  - id: derma-roller", "  - id: derma_roller")
    found = problems(kb_copy)
    assert found
    assert all(p.endswith("unknown treatment 'derma-roller'; did you mean 'derma_roller'?") for p in found)


@pytest.mark.parametrize("reader", ["true", "head -1"])
def test_an_invalid_kb_fails_even_when_the_reader_leaves_early(kb_copy: Path, tmp_path: Path, reader: str) -> None:
    """`skinrec kb validate 2>&1 | true` exited 0: a closed pipe was taken for success."""
    import subprocess

    edit(kb_copy, "rules/conditions.yaml", "    label: Severe rosacea", "    label: eczema")
    script = f"{sys.executable} -m skinrec kb validate --kb {kb_copy} 2>&1 | {reader}; exit ${{PIPESTATUS[0]}}"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert subprocess.run(["bash", "-c", script], env=env, capture_output=True, check=False).returncode == 1


@pytest.mark.parametrize(
    ("rel", "old", "new", "col", "problem"),
    [
        (
            "data/treatments.yaml",
            "downtime_days: {min: 0, max: 0, sources: [seed_004, healthline_mc]}",
            "downtime_days: 2 days",
            5,
            "treatments[microcurrent].downtime_days: must be a mapping (key: value pairs), not '2 days'; see "
            "docs/knowledge-base.md for its keys",
        ),
        (
            "rules/conditions.yaml",
            'synonyms: ["pregnancy"]',
            "synonyms: pregnancy",
            5,
            "conditions[pregnant].synonyms: must be a list, not 'pregnancy'; write [a, b], or one '- ' item per line "
            "below the key",
        ),
    ],
)
def test_a_wrong_shape_is_named_in_the_files_words(
    kb_copy: Path, rel: str, old: str, new: str, col: int, problem: str
) -> None:
    """Pydantic names its own classes ("a valid dictionary or instance of IntRange"); a maintainer needs the
    shape the file wants."""
    line = edit(kb_copy, rel, old, new)
    assert problems(kb_copy) == [f"{rel}:{line}:{col}: {problem}"]


def test_a_misspelt_key_gets_the_key_it_meant_at_any_depth(kb_copy: Path) -> None:
    """The keys a file expects at a place are its model's there: at the top ('rule:' for 'rules:') and below. The
    key meant is not reported missing as well: a misspelling is one mistake, and it used to be two problems."""
    top = edit(kb_copy, "rules/bleeding.yaml", "rules:\n  - id: bleeding-exclude", "rule:\n  - id: bleeding-exclude")
    deep = edit(kb_copy, "rules/pregnancy.yaml", "    severity: exclude", "    severty: exclude")
    assert sorted(problems(kb_copy)) == [
        f"rules/bleeding.yaml:{top}:1: rule: unknown key; did you mean 'rules'?",
        f"rules/pregnancy.yaml:{deep}:5: rules[pregnancy-breastfeeding-exclude].severty: unknown key; did you mean "
        "'severity'?",
    ]
    # a key missing with no misspelling near it is still reported
    edit(kb_copy, "rules/pregnancy.yaml", "    severty: exclude\n", "")
    assert (
        f"rules/pregnancy.yaml:{deep - 1}:5: rules[pregnancy-breastfeeding-exclude].severity: required, but "
        "missing; add it" in problems(kb_copy)
    )


def test_a_price_is_in_whole_cents(kb_copy: Path) -> None:
    """25.005 a session passed, and the card then said $25.00 a session but $150.03 for six; a budget in
    fractions of a cent was already refused."""
    line = edit(
        kb_copy, "data/treatments.yaml", "cost_per_session_usd: {min: 75,", "cost_per_session_usd: {min: 25.005,"
    )
    assert problems(kb_copy) == [
        f"data/treatments.yaml:{line}:28: treatments[microdermabrasion].cost_per_session_usd.min: a price is in whole "
        "cents, not 25.005; e.g. 25.00"
    ]
    edit(kb_copy, "data/treatments.yaml", "{min: 25.005,", "{min: 25.5,")
    assert problems(kb_copy) == []


# --- values are of the type the docs and the published schema say, not converted ----------------------------

FIRES = "{profile: {conditions: [pregnant]}, treatment: microneedling, fires: true}"


@pytest.mark.parametrize(
    ("fires", "message"),
    [
        ("no", "must be true or false, not 'no'"),  # YAML 1.2: yes, no, on and off are text
        ("yes", "must be true or false, not 'yes'"),
        ('"off"', "must be true or false, not 'off'"),
        ("0", "must be true or false, not 0"),
        ("1", "must be true or false, not 1"),
        ('"true"', "'true' is quoted text; write true without quotes"),
        ("'false'", "'false' is quoted text; write false without quotes"),
    ],
)
def test_a_rule_test_fires_only_with_true_or_false(kb_copy: Path, fires: str, message: str) -> None:
    """`fires: no` was read as false, and `fires: "true"` as true: what the docs call text passed as a boolean."""
    line = edit(kb_copy, "rules/pregnancy.yaml", FIRES, FIRES.replace("fires: true", f"fires: {fires}"))
    assert problems(kb_copy) == [
        f"rules/pregnancy.yaml:{line}:71: rules[pregnancy-breastfeeding-exclude].tests[0].fires: {message}"
    ]


@pytest.mark.parametrize(
    ("rel", "old", "new", "col", "problem"),
    [
        (
            "data/treatments.yaml",
            "sessions: {min: 3, max: 6,",
            'sessions: {min: "6", max: 6,',
            16,
            "treatments[microneedling].sessions.min: '6' is quoted text; write 6 without quotes",
        ),
        (
            "data/treatments.yaml",
            "downtime_days: {min: 1, max: 3,",
            'downtime_days: {min: "0", max: 3,',
            21,
            "treatments[microneedling].downtime_days.min: '0' is quoted text; write 0 without quotes",
        ),
        (
            "data/treatments.yaml",
            "cost_per_session_usd: {min: 100,",
            'cost_per_session_usd: {min: "50",',
            28,
            "treatments[microneedling].cost_per_session_usd.min: '50' is quoted text; write 50 without quotes",
        ),
        (
            "data/treatments.yaml",
            "cost_per_session_usd: {min: 100,",
            "cost_per_session_usd: {min: $50,",
            28,
            "treatments[microneedling].cost_per_session_usd.min: must be a number, not '$50'",
        ),
        (
            "data/treatments.yaml",
            "sessions: {min: 3, max: 6,",
            "sessions: {min: true, max: 6,",
            16,
            "treatments[microneedling].sessions.min: must be a whole number, not true",
        ),
        (
            "rules/scoring.yaml",
            "caution_penalty: 3",
            'caution_penalty: "3"',
            1,
            "caution_penalty: '3' is quoted text; write 3 without quotes",
        ),
        (
            "rules/skin-type.yaml",
            "{profile: {skin_type: 5}, treatment: laser_non_ablative",
            '{profile: {skin_type: "4"}, treatment: laser_non_ablative',
            20,
            "rules[dark-skin-pigment-caution].tests[1].profile.skin_type: '4' is quoted text; write 4 without quotes",
        ),
        (
            "rules/skin-type.yaml",
            "{profile: {skin_type: 5}, treatment: laser_non_ablative",
            "{profile: {skin_type: VII}, treatment: laser_non_ablative",
            20,
            "rules[dark-skin-pigment-caution].tests[1].profile.skin_type: must be a Fitzpatrick skin type, 1-6 or "
            "I-VI, not 'VII'",
        ),
        (
            "rules/skin-type.yaml",
            "when: {skin_type: {min: 4}}",
            'when: {skin_type: {min: "4"}}',
            24,
            "rules[dark-skin-pigment-caution].when.skin_type.min: '4' is quoted text; write 4 without quotes",
        ),
        (
            "data/concerns.yaml",
            "    label: Acne scars",
            "    label: 2024",
            5,
            "concerns[acne_scars].label: must be text, not 2024; quote it to keep it as text",
        ),
    ],
)
def test_a_number_is_a_number_not_quoted_text(
    kb_copy: Path, rel: str, old: str, new: str, col: int, problem: str
) -> None:
    """docs/knowledge-base.md: quoted numbers are text. pydantic's default read `min: "6"` as 6 (and `$50` got
    its "must be a valid number"); the JSON Schema `kb schema` publishes refuses both."""
    line = edit(kb_copy, rel, old, new)
    assert problems(kb_copy) == [f"{rel}:{line}:{col}: {problem}"]


def test_a_whole_number_may_be_written_with_a_zero_fraction(kb_copy: Path) -> None:
    """6.0 is the whole number JSON Schema's "integer" takes, and was accepted before values were strict."""
    edit(kb_copy, "data/treatments.yaml", "sessions: {min: 3, max: 6,", "sessions: {min: 3.0, max: 6,")
    edit(kb_copy, "rules/scoring.yaml", "caution_penalty: 3", "caution_penalty: 3.0")
    assert problems(kb_copy) == []
    assert load_kb(kb_copy, use_cache=False).scoring.caution_penalty == 3


@pytest.mark.parametrize("skin_type", ["IV", "iv", "4"])
def test_a_rule_test_s_skin_type_may_be_roman_as_a_profile_s(kb_copy: Path, skin_type: str) -> None:
    """Profiles and `--skin-type` take I-VI; a rule test, which stands for a profile, refused `skin_type: IV`."""
    edit(
        kb_copy,
        "rules/skin-type.yaml",
        "{profile: {skin_type: 3}, treatment: laser_ablative, fires: false}",
        f"{{profile: {{skin_type: {skin_type}}}, treatment: laser_ablative, fires: true}}",
    )
    assert problems(kb_copy) == []
    run = cli("rule", "dark-skin-pigment-caution", "--kb", str(kb_copy), "-f", "json")
    assert [case["profile"]["skin_type"] for case in json.loads(run.stdout)["rule"]["tests"]][5] == 4
    schema = json.loads(cli("kb", "schema", "rules").stdout)
    text = json.dumps(schema["$defs"]["TestProfile"])
    assert '"maximum": 6' in text and "Vv" in text


# --- a '- ' item indented deeper than the one above ---------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "old", "new", "problem"),
    [
        (
            "data/treatments.yaml",
            "    tags: [needling, collagen_induction]\n",
            "    tags:\n      - needling\n       - collagen_induction\n",
            "8: treatments[microneedling].tags[0]: the '- ' item on line {line} is indented deeper than the item "
            "above it, so YAML reads it as part of that item: 'needling - collagen_induction'; line up its '-' with "
            "the one above",
        ),
        (
            "rules/skin-type.yaml",
            "    sources: [mayo_laser_risks, asps_laser, ",
            "    sources:\n      - mayo_laser_risks\n       - asps_laser\n    _: [",
            "8: rules[dark-skin-pigment-caution].sources[0]: the '- ' item on line {line} is indented deeper than the "
            "item above it, so YAML reads it as part of that item: 'mayo_laser_risks - asps_laser'; line up its '-' "
            "with the one above",
        ),
        (
            "rules/conditions.yaml",
            'synonyms: ["pregnancy"]',
            "synonyms: pregnancy\n      - expecting",
            "7: conditions[pregnant].synonyms: the '- ' item on line {line} is indented under a value, so YAML reads "
            "it as part of that value: 'pregnancy - expecting'; for a list, put each item on its own '- ' line below "
            "the key 'synonyms:'",
        ),
    ],
)
def test_an_item_indented_deeper_than_the_one_above_is_named_as_the_cause(
    kb_copy: Path, rel: str, old: str, new: str, problem: str
) -> None:
    """YAML reads `- a` then `   - b` as the one value 'a - b'; the message was "unknown source 'a - b'; add it to
    data/sources.yaml", at the line of `a`, which is right."""
    if "_: [" in new:  # the rest of the flow list, moved under a key of its own and then dropped
        path = kb_copy / rel
        text = path.read_text()
        start = text.index(old)
        end = text.index("]\n", start) + 2
        path.write_text(text[:start] + new.removesuffix("    _: [") + text[end:])
        line = text[:start].count("\n") + 3
    else:
        line = edit(kb_copy, rel, old, new) + (2 if new.startswith("    tags") else 1)
    found = [p for p in problems(kb_copy) if "indented" in p]
    assert found == [f"{rel}:{line}:{problem.format(line=line)}"]


def test_a_knowledge_base_s_problems_name_its_files_from_the_working_directory(
    kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`data/treatments.yaml:404:5` exists only inside the knowledge base: a terminal or an editor run from
    elsewhere could not open it. The folder is named as it was given; the shipped one, which nobody typed, from the
    working directory if it is inside it, and in full otherwise."""
    from skinrec.loader import Problem

    line = edit(kb_copy, "rules/scoring.yaml", "caution_penalty: 3", 'caution_penalty: "3"')
    problem = f"rules/scoring.yaml:{line}:1: caution_penalty: '3' is quoted text; write 3 without quotes"
    monkeypatch.chdir(kb_copy.parent)
    for given in (str(kb_copy), "kb", "./kb", "kb/"):
        shown = f"{given.removeprefix('./').removesuffix('/')}/{problem}"
        run = cli("kb", "validate", "--kb", given)
        assert (run.code, run.stdout) == (1, shown + "\n"), given
        run = cli("kb", "validate", env={"SKINREC_KB": given})
        assert (run.code, run.stdout) == (1, shown + "\n"), given
        run = cli("recommend", "-c", "acne_scars", "--kb", given)
        assert run.code == 1
        assert run.stderr.startswith(f"skinrec: error: knowledge base '{Path(given)}' is invalid: {shown};")
    shipped = shipped_kb_dir()
    one = Problem("data/treatments.yaml", 404, 5, "treatments[x]", "wrong")
    monkeypatch.chdir(shipped)
    assert one.under(shipped) == "data/treatments.yaml:404:5: treatments[x]: wrong"
    monkeypatch.chdir(shipped / "data")
    assert one.under(shipped) == f"{shipped}/data/treatments.yaml:404:5: treatments[x]: wrong"


def test_a_name_listed_as_a_condition_id_gets_advice_that_works(kb_copy: Path) -> None:
    """'skin_type' in a list of conditions was told to be added to rules/conditions.yaml, which then refuses it;
    a condition's label or synonym ('sunbed') got no hint toward its id."""
    related = edit(kb_copy, "data/concerns.yaml", "related_conditions: [keloids]", "related_conditions: [skin_type]")
    tan = edit(kb_copy, "rules/scoring.yaml", "pih_conditions: [recent_tan]", "pih_conditions: [sunbed]")
    found = problems(kb_copy)
    assert (
        f"data/concerns.yaml:{related}:26: concerns[burn_scars].related_conditions[0]: 'skin_type' is built in (the "
        "Fitzpatrick type), not a condition; list only conditions here (ids from rules/conditions.yaml)"
    ) in found
    assert (
        f"rules/scoring.yaml:{tan}:18: pih_conditions[0]: 'sunbed' is a name of the condition 'recent_tan'; write its "
        "id, 'recent_tan'"
    ) in found
