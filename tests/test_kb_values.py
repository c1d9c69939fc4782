"""The values a knowledge base may hold: bounds that `kb validate` enforces and `kb schema` publishes alike,
list items YAML joins silently, and messages that quote the wrong value and name a fix that works."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import cli, edit, problems

from skinrec.loader import load_kb, shipped_kb_dir


def schemas() -> dict[str, Any]:
    run = cli("kb", "schema")
    assert run.code == 0, run.stderr
    found: dict[str, Any] = json.loads(run.stdout)
    return found


def keys_of(node: Any, inside_properties: bool = False) -> Iterator[str]:
    """Every keyword of a JSON Schema, not the names of the properties it defines."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not inside_properties:
                yield key
            yield from keys_of(value, key in ("properties", "$defs") and not inside_properties)
    elif isinstance(node, list):
        for value in node:
            yield from keys_of(value)


# --- `kb schema` publishes the bounds `kb validate` enforces ------------------------------------------------


@pytest.mark.parametrize("kind", ["sources", "treatments", "concerns", "conditions", "scoring", "rules", None])
def test_the_schema_carries_no_bound_json_schema_ignores(kind: str | None) -> None:
    """pydantic wrote `"ge": 0` and `"le": 6` (keys JSON Schema ignores) where a bound sat on a type with a
    BeforeValidator, so an editor accepted `downtime_days.min: -1` and `skin_type: {min: 9}`."""
    run = cli("kb", "schema", *([kind] if kind else []))
    assert run.code == 0
    found = set(keys_of(json.loads(run.stdout)))
    assert not found & {"ge", "le", "gt", "lt", "multiple_of", "allow_inf_nan"}
    assert "minimum" in found or kind in ("sources", "concerns", "conditions")


def test_the_schema_carries_every_bound_validate_enforces() -> None:
    every = schemas()
    treatments = every["data/treatments.yaml"]["$defs"]
    bounds = {
        name: {
            key: (field.get("minimum"), field.get("maximum")) for key, field in treatments[name]["properties"].items()
        }
        for name in ("DayRange", "WeekRange", "SessionRange", "MoneyRange")
    }
    assert bounds["DayRange"]["min"] == bounds["DayRange"]["max"] == (0, 365)
    assert bounds["WeekRange"]["min"] == (1, 104)
    assert bounds["SessionRange"]["min"] == bounds["SessionRange"]["max"] == (1, 100)
    assert bounds["MoneyRange"]["max"] == (0, 1_000_000)
    assert "multipleOf" not in treatments["MoneyRange"]["properties"]["max"]  # 19.99 / 0.01 fails in floats
    scoring = every["rules/scoring.yaml"]
    points = scoring["$defs"]["RatingPoints"]["properties"]
    assert points["none"]["const"] == 0
    assert (points["strong"]["minimum"], points["strong"]["maximum"]) == (0, 1000)
    assert scoring["properties"]["priority_percent"]["items"]["maximum"] == 100
    assert scoring["properties"]["caution_penalty"]["maximum"] == 1000
    assert scoring["$defs"]["LevelPoints"]["properties"]["high"]["maximum"] == 1000
    assert {"type": "integer", "minimum": 1, "maximum": 6} in scoring["properties"]["pih_skin_type_min"]["anyOf"]
    skin_range = every["rules/*.yaml"]["$defs"]["SkinTypeRange"]
    assert skin_range["minProperties"] == 1
    assert {"type": "integer", "minimum": 1, "maximum": 6} in skin_range["properties"]["min"]["anyOf"]


# --- upper bounds ----------------------------------------------------------------------------------------

HUGE = "9" * 321
DAYS_WHY = "a profile's downtime goes up to 365 days, so a longer one is a typo"
SESSIONS_WHY = (
    "a longer course is a typo (an ongoing treatment counts its first course, as docs/knowledge-base.md says)"
)
POINTS_WHY = "scores are sums of small whole points, so more than 1,000 is a typo"


@pytest.mark.parametrize(
    ("rel", "old", "new", "col", "problem"),
    [
        (
            "data/treatments.yaml",
            "sessions: {min: 3, max: 6,",
            f"sessions: {{min: 3, max: {HUGE},",
            24,
            f"treatments[microneedling].sessions.max: must be 100 or less, not {'9' * 59}…; {SESSIONS_WHY}",
        ),
        (
            "data/treatments.yaml",
            "sessions: {min: 3, max: 6,",
            "sessions: {min: 3, max: 1234567,",
            24,
            f"treatments[microneedling].sessions.max: must be 100 or less, not 1234567; {SESSIONS_WHY}",
        ),
        (
            "data/treatments.yaml",
            "downtime_days: {min: 1, max: 3,",
            "downtime_days: {min: 1, max: 99999999999999999999999,",
            29,
            f"treatments[microneedling].downtime_days.max: must be 365 or less, not 99999999999999999999999; {DAYS_WHY}",
        ),
        (
            "data/treatments.yaml",
            "interval_weeks: {min: 4, max: 6,",
            "interval_weeks: {min: 4, max: 105,",
            30,
            "treatments[microneedling].interval_weeks.max: must be 104 or less, not 105; sessions more than two years "
            "apart are a typo",
        ),
        (
            "data/treatments.yaml",
            "cost_per_session_usd: {min: 100, max: 800,",
            "cost_per_session_usd: {min: 100, max: 1e300,",
            38,
            "treatments[microneedling].cost_per_session_usd.max: must be 1,000,000 or less, not 1e+300; a profile's "
            "budget goes up to $1,000,000, so a dearer session is a typo",
        ),
        (
            "rules/scoring.yaml",
            "strong: 10}",
            "strong: 99999999999999999999999999}",
            50,
            f"efficacy_points.strong: must be 1,000 or less, not 99999999999999999999999999; {POINTS_WHY}",
        ),
        (
            "rules/scoring.yaml",
            "high: 8}",
            "high: 1001}",
            45,
            f"pih_penalty.high: must be 1,000 or less, not 1001; {POINTS_WHY}",
        ),
        (
            "rules/scoring.yaml",
            "downtime_penalty_per_day: 2",
            "downtime_penalty_per_day: 5000",
            1,
            f"downtime_penalty_per_day: must be 1,000 or less, not 5000; {POINTS_WHY}",
        ),
        (
            "rules/scoring.yaml",
            "priority_percent: [100, 70, 50]",
            "priority_percent: [100, 170]",
            25,
            "priority_percent[1]: must be 100 or less, not 170; a weight is a percent of a concern's points",
        ),
        (
            "rules/scoring.yaml",
            "pih_skin_type_min: 4",
            "pih_skin_type_min: 9",
            1,
            "pih_skin_type_min: must be a Fitzpatrick skin type, 1-6 or I-VI, not 9",
        ),
    ],
)
def test_an_amount_above_its_most_is_refused_with_the_reason(
    kb_copy: Path, rel: str, old: str, new: str, col: int, problem: str
) -> None:
    """A 321-digit `sessions.max` passed, and `show`, `treatments` and `recommend` then crashed with
    OverflowError; 1e+23 days was shown as '1-1e+23 days', and scores went past 2**53."""
    line = edit(kb_copy, rel, old, new)
    assert problems(kb_copy) == [f"{rel}:{line}:{col}: {problem}"]
    for argv in (["show", "microneedling"], ["treatments"], ["recommend", "-c", "acne_scars"]):
        run = cli(*argv, "--kb", str(kb_copy))
        assert run.code == 1
        assert "is invalid" in run.stderr and "Traceback" not in run.stderr


def test_the_shipped_knowledge_base_is_well_inside_its_bounds() -> None:
    kb = load_kb(shipped_kb_dir(), use_cache=False)
    assert problems(shipped_kb_dir()) == []
    assert max(t.downtime[1] for t in kb.treatments) <= 365
    assert max(t.sessions[1] for t in kb.treatments) <= 100
    assert max(t.cost[1] for t in kb.treatments) <= 1_000_000


FIRES = "{profile: {conditions: [pregnant]}, treatment: microneedling, fires: true}"


@pytest.mark.parametrize(
    ("older", "rel", "old", "new", "refusal"),
    [
        # `fires: yes` passed validation 6 (as true); 7 made values strict
        (6, "rules/pregnancy.yaml", FIRES, FIRES.replace("fires: true", "fires: yes"), "must be true or false, not 'yes'"),
        # 400 days passed validation 9; 10 bounded amounts
        (9, "data/treatments.yaml", "downtime_days: {min: 1, max: 3,", "downtime_days: {min: 1, max: 400,", "must be 365 or less, not 400"),
        # a failing rule test passed loading 11 (only kb validate ran the tests); 12 refuses it everywhere
        (11, "rules/pregnancy.yaml", FIRES, FIRES.replace("fires: true", "fires: false"), "expected it to not fire for microneedling"),
        # a tag no treatment carries passed validation 14; 15 reports it
        (14, "data/treatments.yaml", "tags:\n", 'tags:\n  spare: "Carried by nothing."\n', "no treatment carries this tag"),
    ],
)  # fmt: skip
def test_a_base_cached_by_an_older_validator_is_checked_again(
    kb_copy: Path, monkeypatch: pytest.MonkeyPatch, older: int, rel: str, old: str, new: str, refusal: str
) -> None:
    """A base an older validator accepted and cached is not served once validation refuses what it holds: the
    validator's version (`CHECKS`) is part of the cache key."""
    from skinrec import cache, loader
    from skinrec.knowledge import pack_kb

    assert older < loader.CHECKS
    edit(kb_copy, rel, old, new)
    texts = loader.read_files(kb_copy)[0]
    compiled = loader.validate_texts(loader.read_files(shipped_kb_dir())[0])[0]
    with monkeypatch.context() as then:
        then.setattr(loader, "CHECKS", older)
        cache.write(loader.fingerprint(texts), *pack_kb(compiled))
        assert loader.load_kb(kb_copy).treatments
    with pytest.raises(loader.KnowledgeBaseInvalid, match=refusal):
        loader.load_kb(kb_copy)


# --- priority weights ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weights", "problem"),
    [
        (
            "[0]",
            "the first weight must be above 0, or the concern asked for first counts for nothing; e.g. [100, 70, 50]",
        ),
        (
            "[0, 0]",
            "the first weight must be above 0, or the concern asked for first counts for nothing; e.g. [100, 70, 50]",
        ),
        (
            "[50, 100]",
            "each weight must be at most the one before it, not 50, 100: the concern asked for first matters most; "
            "e.g. [100, 70, 50]",
        ),
        ("[100, 100, 0]", None),
        ("[1]", None),
    ],
)
def test_the_first_concern_weighs_most(kb_copy: Path, weights: str, problem: str | None) -> None:
    """`[0]` scored every treatment 0, and `[50, 100]` let the second concern outvote the first."""
    line = edit(kb_copy, "rules/scoring.yaml", "priority_percent: [100, 70, 50]", f"priority_percent: {weights}")
    assert problems(kb_copy) == ([f"rules/scoring.yaml:{line}:1: priority_percent: {problem}"] if problem else [])


# --- a '- ' item indented deeper than the one above -------------------------------------------------------

RUN_ON = (
    "the '- ' item on line {line} is indented deeper than the item above it, so YAML reads it as part of that item: "
    "{value}; line up its '-' with the one above"
)


@pytest.mark.parametrize(
    ("rel", "old", "new", "path", "value"),
    [
        (
            "data/concerns.yaml",
            '["fine line", "wrinkles", "wrinkle", "crow\'s feet", "expression lines", "early wrinkles"]',
            "\n      - fine line\n      - wrinkles\n       - crows feet",
            "concerns[fine_lines].synonyms[1]",
            "'wrinkles - crows feet'",
        ),
        (
            "rules/conditions.yaml",
            'synonyms: ["pregnancy"]',
            "synonyms:\n      - pregnancy\n        - expecting",
            "conditions[pregnant].synonyms[0]",
            "'pregnancy - expecting'",
        ),
    ],
)
def test_a_run_on_list_item_is_a_problem_even_when_the_joined_text_passes(
    kb_copy: Path, rel: str, old: str, new: str, path: str, value: str
) -> None:
    """'wrinkles - crows feet' is valid text, so a synonym list took it as one synonym, silently: the message was
    only given when the joined value had another problem (an unknown id)."""
    start = edit(kb_copy, rel, old, new)
    line = start + new.count("\n")
    col = new.rsplit("\n", 1)[1].index("-") + 1
    assert problems(kb_copy) == [f"{rel}:{line}:{col}: {path}: {RUN_ON.format(line=line, value=value)}"]


def test_a_run_on_under_a_key_that_takes_no_list_keeps_the_value_s_own_problem(kb_copy: Path) -> None:
    """`label: Acne` over `  - scars` was reported as "for a list, put each item on its own '- ' line below the
    key 'label:'", which a label is not, and hid the real problem: the name it makes is another concern's."""
    line = edit(kb_copy, "data/concerns.yaml", "    label: Fine lines and wrinkles", "    label: Acne\n      - scars")
    [problem] = problems(kb_copy)
    assert problem.startswith(f"data/concerns.yaml:{line}:5: concerns[fine_lines].label: 'Acne - scars' already names")
    assert problem.endswith(f" (line {line + 1} is indented under 'label:', so YAML reads it as part of the value)")
    # a key that takes a list still gets the fix for a list
    edit(kb_copy, "data/concerns.yaml", "    label: Acne\n      - scars", "    label: Fine lines and wrinkles")
    line = edit(kb_copy, "rules/conditions.yaml", 'synonyms: ["pregnancy"]', "synonyms: pregnancy\n      - expecting")
    assert problems(kb_copy) == [
        f"rules/conditions.yaml:{line + 1}:7: conditions[pregnant].synonyms: the '- ' item on line {line + 1} is "
        "indented under a value, so YAML reads it as part of that value: 'pregnancy - expecting'; for a list, put "
        "each item on its own '- ' line below the key 'synonyms:'"
    ]


@pytest.mark.parametrize(
    ("rel", "old", "path", "key"),
    [
        ("rules/pregnancy.yaml", "    message: ", "rules[pregnancy-breastfeeding-exclude].message", "message"),
        ("data/treatments.yaml", "    summary: ", "treatments[microneedling].summary", "summary"),
        ("data/treatments.yaml", "  needling: ", "tags.needling", "needling"),
    ],
)
def test_a_run_on_under_a_text_key_is_a_problem_where_the_text_passes(
    kb_copy: Path, rel: str, old: str, path: str, key: str
) -> None:
    """`message: Avoid during pregnancy` over `  - and breastfeeding` is the one text 'Avoid during pregnancy - and
    breastfeeding' to YAML, which any text passes, without a word: its author meant a list item or a key."""
    text = kb_copy / rel
    original = text.read_text()
    first = original.index(old)
    end = original.index("\n", first)
    line = original[:first].count("\n") + 2
    indent = " " * (len(old) - len(old.lstrip()) + 2)
    text.write_text(f"{original[:first]}{old}Avoid during pregnancy\n{indent}- and breastfeeding{original[end:]}")
    assert problems(kb_copy) == [
        f"{rel}:{line}:{len(indent) + 1}: {path}: the '- ' line {line} is indented under '{key}:', so YAML reads it "
        "as part of that value: 'Avoid during pregnancy - and breastfeeding'; if the ' - ' belongs in the text, "
        f"put the whole text in quotes; if not, move the line out from under '{key}:' (a list item goes below its "
        "own key)"
    ]
    # the fix it names passes: the text quoted, over the same two lines
    text.write_text(f'{original[:first]}{old}"Avoid during pregnancy\n{indent}- and breastfeeding"{original[end:]}')
    assert problems(kb_copy) == []


# --- a suggested fix that works ---------------------------------------------------------------------------

SKIN_TEST = "{profile: {skin_type: 5}, treatment: laser_non_ablative"
FITZPATRICK = "must be a Fitzpatrick skin type, 1-6 or I-VI"


@pytest.mark.parametrize(
    ("rel", "old", "new", "col", "problem"),
    [
        (
            "data/treatments.yaml",
            "downtime_days: {min: 1, max: 3,",
            'downtime_days: {min: "1.5", max: 3,',
            21,
            "treatments[microneedling].downtime_days.min: must be a whole number, not '1.5'",
        ),
        (
            "data/treatments.yaml",
            "downtime_days: {min: 1, max: 3,",
            'downtime_days: {min: "-1", max: 3,',
            21,
            "treatments[microneedling].downtime_days.min: must be 0 or more, not '-1'",
        ),
        (
            "data/treatments.yaml",
            "downtime_days: {min: 1, max: 3,",
            'downtime_days: {min: "2", max: 3,',
            21,
            "treatments[microneedling].downtime_days.min: '2' is quoted text; write 2 without quotes",
        ),
        (
            "data/treatments.yaml",
            "sessions: {min: 3, max: 6,",
            'sessions: {min: 3, max: "500",',
            24,
            f"treatments[microneedling].sessions.max: must be 100 or less, not '500'; {SESSIONS_WHY}",
        ),
        (
            "rules/scoring.yaml",
            "priority_percent: [100, 70, 50]",
            'priority_percent: [100, "170"]',
            25,
            "priority_percent[1]: must be 100 or less, not '170'; a weight is a percent of a concern's points",
        ),
        ("rules/skin-type.yaml", SKIN_TEST, SKIN_TEST.replace("5", "7"), 20, f"{FITZPATRICK}, not 7"),
        ("rules/skin-type.yaml", SKIN_TEST, SKIN_TEST.replace("5", "-4"), 20, f"{FITZPATRICK}, not -4"),
        ("rules/skin-type.yaml", SKIN_TEST, SKIN_TEST.replace("5", "0"), 20, f"{FITZPATRICK}, not 0"),
        ("rules/skin-type.yaml", SKIN_TEST, SKIN_TEST.replace("5", "true"), 20, f"{FITZPATRICK}, not true"),
        ("rules/skin-type.yaml", SKIN_TEST, SKIN_TEST.replace("5", '"7"'), 20, f"{FITZPATRICK}, not '7'"),
        ("rules/skin-type.yaml", SKIN_TEST, SKIN_TEST.replace("5", "VII"), 20, f"{FITZPATRICK}, not 'VII'"),
        (
            "rules/skin-type.yaml",
            SKIN_TEST,
            SKIN_TEST.replace("5", '"4.5"'),
            20,
            "must be a whole number, not '4.5'",
        ),
        (
            "rules/skin-type.yaml",
            SKIN_TEST,
            SKIN_TEST.replace("5", '"4"'),
            20,
            "'4' is quoted text; write 4 without quotes",
        ),
    ],
)
def test_a_suggested_fix_leads_to_no_second_problem(
    kb_copy: Path, rel: str, old: str, new: str, col: int, problem: str
) -> None:
    """`min: "1.5"` got "write 1.5 without quotes", and then "must be a whole number"; `skin_type: 7` got "must
    be less than or equal to 6" where 'VII' got the Fitzpatrick words."""
    line = edit(kb_copy, rel, old, new)
    path = "rules[dark-skin-pigment-caution].tests[1].profile.skin_type: " if rel == "rules/skin-type.yaml" else ""
    assert problems(kb_copy) == [f"{rel}:{line}:{col}: {path}{problem}"]


@pytest.mark.parametrize(
    ("rel", "old", "new", "found"),
    [
        (
            "rules/scoring.yaml",
            "priority_percent: [100, 70, 50]",
            'priority_percent: ["0"]',
            [
                ":20: priority_percent[0]: '0' is quoted text; write 0 without quotes",
                ":1: priority_percent: the first weight must be above 0, or the concern asked for first counts for "
                "nothing; e.g. [100, 70, 50]",
            ],
        ),
        (
            "data/treatments.yaml",
            "downtime_days: {min: 1, max: 3,",
            'downtime_days: {min: "5", max: 3,',
            [
                ":21: treatments[microneedling].downtime_days.min: '5' is quoted text; write 5 without quotes",
                ":5: treatments[microneedling].downtime_days: min 5 is above max 3",
            ],
        ),
        (
            "rules/skin-type.yaml",
            "when: {skin_type: {min: 4}}",
            'when: {skin_type: {min: "5", max: 2}}',
            [
                ":24: rules[dark-skin-pigment-caution].when.skin_type.min: '5' is quoted text; write 5 without quotes",
                ":12: rules[dark-skin-pigment-caution].when.skin_type: min 5 is above max 2",
            ],
        ),
    ],
)
def test_a_quoted_value_is_told_at_once_what_it_breaks_unquoted(
    kb_copy: Path, rel: str, old: str, new: str, found: list[str]
) -> None:
    """A check of a whole list or range runs only once each value in it passes: `priority_percent: ["0"]` was told
    to drop the quotes, and only then, in a second round, that the first weight must be above 0."""
    line = edit(kb_copy, rel, old, new)
    assert problems(kb_copy) == [f"{rel}:{line}{problem}" for problem in found]


@pytest.mark.parametrize(("given", "problem"), [("IV", None), ("iv", None), ("9", "not 9"), ('"9"', "not '9'")])
def test_a_rule_s_skin_type_range_takes_roman_numerals_as_its_tests_do(
    kb_copy: Path, given: str, problem: str | None
) -> None:
    line = edit(
        kb_copy, "rules/skin-type.yaml", "when: {skin_type: {min: 4}}", f"when: {{skin_type: {{min: {given}}}}}"
    )
    if problem:
        assert problems(kb_copy) == [
            f"rules/skin-type.yaml:{line}:24: rules[dark-skin-pigment-caution].when.skin_type.min: {FITZPATRICK}, "
            f"{problem}"
        ]
        return
    assert problems(kb_copy) == []
    rule = json.loads(cli("rule", "dark-skin-pigment-caution", "--kb", str(kb_copy), "-f", "json").stdout)["rule"]
    assert rule["when"] == {"skin_type": {"min": 4, "max": None}}


# --- the wrong value, quoted, in every message ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "old", "new", "col", "problem"),
    [
        ("data/sources.yaml", "    tier: A", "    tier: 1", 5, "sources[aad_mn].tier: must be 'A', 'B' or 'C', not 1"),
        (
            "data/treatments.yaml",
            "fine_lines: {rating: strong",
            "fine_lines: {rating: 3",
            20,
            "treatments[microneedling].efficacy.fine_lines.rating: must be 'none', 'mild', 'moderate' or 'strong', "
            "not 3",
        ),
        (
            "data/treatments.yaml",
            "cost_per_session_usd: {min: 100, max: 800,",
            "cost_per_session_usd: {min: 100, max: .inf,",
            38,
            "treatments[microneedling].cost_per_session_usd.max: must be a finite number, not .inf",
        ),
        (
            "data/treatments.yaml",
            "downtime_days: {min: 1, max: 3,",
            "downtime_days: {min: -1, max: 3,",
            21,
            "treatments[microneedling].downtime_days.min: must be 0 or more, not -1",
        ),
        (
            "data/treatments.yaml",
            "sessions: {min: 3, max: 6,",
            "sessions: {min: 0, max: 6,",
            16,
            "treatments[microneedling].sessions.min: must be 1 or more, not 0",
        ),
        (
            "data/treatments.yaml",
            "downtime_days: {min: 1, max: 3,",
            "downtime_days: {min: , max: 3,",
            21,
            "treatments[microneedling].downtime_days.min: is empty; give a whole number",
        ),
        (
            "data/concerns.yaml",
            "    label: Fine lines and wrinkles",
            "    label:",
            5,
            "concerns[fine_lines].label: is empty; give the text",
        ),
        (
            "rules/pregnancy.yaml",
            "treatment: microneedling, fires: true}",
            "treatment: microneedling, fires: }",
            71,
            "rules[pregnancy-breastfeeding-exclude].tests[0].fires: is empty; give true or false",
        ),
        (
            "data/treatments.yaml",
            "fine_lines: {rating: strong",
            'fine_lines: {rating: "str\\u202eong"',
            20,
            "treatments[microneedling].efficacy.fine_lines.rating: must be 'none', 'mild', 'moderate' or 'strong', "
            "not 'str\\u202eong' — did you mean 'strong'?",
        ),
    ],
)
def test_a_message_names_the_wrong_value_and_the_fix(
    kb_copy: Path, rel: str, old: str, new: str, col: int, problem: str
) -> None:
    """ "tier: 1" got "must be 'A', 'B' or 'C'" without the 1; an empty value read "not null"; a range named no
    fix ("must be greater than or equal to 0"); a U+202E in a value reordered the message on the terminal."""
    line = edit(kb_copy, rel, old, new)
    assert problems(kb_copy) == [f"{rel}:{line}:{col}: {problem}"]


def test_bidirectional_controls_are_escaped_wherever_a_message_quotes_them(kb_copy: Path) -> None:
    line = edit(kb_copy, "data/concerns.yaml", "  - id: fine_lines", '  - id: "fine\\u2066lines"')
    [problem] = problems(kb_copy)
    assert problem.startswith(f"data/concerns.yaml:{line}:5: concerns[fine\\u2066lines].id: ids are snake_case")
    assert "\u2066" not in problem


def test_the_command_an_invalid_base_suggests_can_be_pasted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--kb "my kb"` was suggested as 'skinrec kb validate my kb': two arguments."""
    from helpers import copy_kb

    root = copy_kb(tmp_path / "my kb")
    edit(root, "rules/scoring.yaml", "caution_penalty: 3", "caution_penalty: -3")
    monkeypatch.chdir(tmp_path)
    run = cli("recommend", "-c", "acne_scars", "--kb", "my kb")
    assert run.code == 1
    assert run.stderr.endswith("; see every problem with: skinrec kb validate 'my kb'\n")
    assert "caution_penalty: must be 0 or more, not -3;" in run.stderr


def test_every_command_refuses_a_base_whose_rules_fail_their_own_tests(kb_copy: Path) -> None:
    """A clinic's edit that broke a safety rule was caught only by `kb validate`; `recommend --kb` used the base."""
    edit(kb_copy, "rules/pregnancy.yaml", FIRES, FIRES.replace("fires: true", "fires: false"))
    for argv in (["recommend", "-c", "acne_scars"], ["show", "microneedling"], ["batch", "-"]):
        run = cli(*argv, "--kb", str(kb_copy), input='{"concerns": ["acne_scars"]}\n')
        assert run.code == 1 and run.stdout == "", argv
        assert run.stderr.startswith(
            f"skinrec: error: knowledge base '{kb_copy}' is invalid: {kb_copy}/rules/pregnancy.yaml:"
        )
        assert (
            "rules[pregnancy-breastfeeding-exclude].tests[0]: expected it to not fire for microneedling" in run.stderr
        )
