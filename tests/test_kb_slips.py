"""Slips a knowledge-base author makes, each reported once, in plain words, with its fix: a misspelt key inside a
mapping of records, YAML that only libyaml refuses, an empty optional key, a tag nothing carries, a name the
questionnaire reads as something else; and `kb validate DIR`, as a newcomer types it."""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import cli, edit, problems

from skinrec import answers, loader
from skinrec.models import KIND_MODELS, Strict


def said(root: Path) -> list[tuple[int, str]]:
    """Each problem's line and what follows its place (`path: message`)."""
    found = [re.fullmatch(r"[^:]+:(\d+):\d+: (.*)", problem) for problem in problems(root)]
    assert all(found), problems(root)
    return [(int(match[1]), match[2]) for match in found if match]


# --- a misspelt key inside a mapping of records ------------------------------------------------------------


def resub(root: Path, rel: str, pattern: str, new: str) -> int:
    """Replace the first match of `pattern` in a knowledge-base file; returns the 1-based line where it starts."""
    path = root / rel
    text = path.read_text()
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in {rel}"
    path.write_text(text[: found.start()] + found.expand(new) + text[found.end() :])
    return text[: found.start()].count("\n") + 1


@pytest.mark.parametrize(
    ("pattern", "new", "written", "meant"),
    [
        (r"acne_scars: \{rating: (\w+), sources:", r"acne_scars: {rating: \1, source:", "source", "sources"),
        (r"acne_scars: \{rating:", "acne_scars: {estimat: why, rating:", "estimat", "estimate"),
        (r"acne_scars: \{rating:", "acne_scars: {ratng:", "ratng", "rating"),
    ],
)
def test_a_misspelt_key_in_an_efficacy_entry_is_one_problem_with_the_key_meant(
    kb_copy: Path, pattern: str, new: str, written: str, meant: str
) -> None:
    """`{rating: moderate, source: [x]}` was two problems, "sources: required, but missing" and "source: unknown
    key" with no did-you-mean: the concern id was taken for a field name, so no field was found below it."""
    line = resub(kb_copy, "data/treatments.yaml", pattern, new)
    [(at, problem)] = said(kb_copy)
    assert at == line
    assert re.fullmatch(
        rf"treatments\[\w+\]\.efficacy\.acne_scars\.{written}: unknown key; did you mean '{meant}'\?", problem
    )


def _places(
    model: Any, loc: tuple[str | int, ...] = (), seen: frozenset[Any] = frozenset()
) -> Iterator[tuple[Any, tuple[str | int, ...]]]:
    """Every model a knowledge-base file holds, with a place it is held at (0 for a list's item, a made-up key for a
    mapping's): each place the loader must follow to the model, for a did-you-mean there."""
    yield model, loc
    for name, field in model.model_fields.items():
        for kind, at in _inner(field.annotation, (*loc, field.alias or name)):
            if kind not in seen:
                yield from _places(kind, at, seen | {model})


def _inner(annotation: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[Any, tuple[str | int, ...]]]:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Strict):
        yield annotation, loc
    elif origin is list:
        yield from _inner(args[0], (*loc, 0))
    elif origin is dict:
        yield from _inner(args[1], (*loc, "any_key"))
    else:
        for arg in args:
            yield from _inner(arg, loc)


def test_every_model_of_the_files_is_found_at_its_place() -> None:
    """The loader's map from a place to its model (for a misspelt key's did-you-mean, a list key's '- ' lines, a
    bound's reason) reaches every model of every file, through lists, unions and mappings of records alike."""
    places = [(file_model, model, loc) for file_model in KIND_MODELS.values() for model, loc in _places(file_model)]
    assert any("any_key" in loc for _, _, loc in places)  # efficacy: a mapping of records is among them
    for file_model, model, loc in places:
        assert model in loader._models_at(file_model, loc), (file_model.__name__, loc)


# --- YAML that only libyaml refuses, and tags ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("downtime_days: {min: 1, max: 3,", "downtime_days: {min: 1, max:,", "'max:' has no value before ','; write a value after ': ', or remove the key"),
        ("downtime_days: {min: 1, max: 3,", "downtime_days: {min: 1, max:}, x: {a: 3,", "'max:' has no value before '}'; write a value after ': ', or remove the key"),
        ("downtime_days: {min: 1, max: 3,", "downtime_days: {min: 1, max:[3],", "'max:' needs a space after the ':' inside brackets; write 'max: ['"),
        ("downtime_days: {min: 1, max: 3,", "downtime_days: {min: 1, max:::,", "'max:' has no value before ','; write a value after ': ', or remove the key"),
        ("tags: [", "tags: !!python/tuple [", "YAML tags such as '!!python/tuple' are not allowed; remove the tag"),
        ("tags: [", "tags: !!set [", "YAML tags such as '!!set' are not allowed; remove the tag"),
        ("tags: [", "tags: !!omap [", "YAML tags such as '!!omap' are not allowed; remove the tag"),
        ("tags: [", "tags: !!pairs [", "YAML tags such as '!!pairs' are not allowed; remove the tag"),
        ("tags: [", "tags: !foo [", "YAML tags such as '!foo' are not allowed; remove the tag"),
        ("tags: [", "tags: !<tag:example.com,2000:x> [", "YAML tags such as '!<tag:example.com,2000:x>' are not allowed; remove the tag"),
        ("tags: [", "tags: !!str [", "the YAML tag '!!str' does not fit a list; remove the tag"),
        ("tags: [", "tags: &a !!map [", "the YAML tag '!!map' does not fit a list; remove the tag"),
    ],
)  # fmt: skip
def test_yaml_refused_by_libyaml_is_said_with_its_fix(kb_copy: Path, old: str, new: str, message: str) -> None:
    """PyYAML's own words leaked: "found unexpected ':'" (libyaml's, for a ':' straight before ',' or '}' inside
    brackets), "could not determine a constructor for the tag 'tag:yaml.org,2002:python/tuple'", and for `!!omap`
    "expected a mapping of length 1, but found scalar"; `!!set` built a value nothing has a use for."""
    line = edit(kb_copy, "data/treatments.yaml", old, new)
    assert said(kb_copy) == [(line, message)]


def test_the_tag_of_a_plain_value_is_read(kb_copy: Path) -> None:
    """`!!str` says what quotes say: harmless, so read as the text it marks."""
    edit(kb_copy, "data/treatments.yaml", "name: Microneedling", "name: !!str Microneedling")
    assert problems(kb_copy) == []


# --- an empty optional key ----------------------------------------------------------------------------------

ESTIMATE = "the reason it is an estimate, in one sentence"
ASK_IF = "the id of the earlier condition whose yes makes the question worth asking"


@pytest.mark.parametrize(
    ("rel", "pattern", "new", "path", "what"),
    [
        ("data/treatments.yaml", r"acne_scars: \{", "acne_scars: {estimate: , ", r"treatments\[\w+\]\.efficacy\.acne_scars\.estimate", ESTIMATE),
        ("data/treatments.yaml", r"acne_scars: \{", 'acne_scars: {estimate: "", ', r"treatments\[\w+\]\.efficacy\.acne_scars\.estimate", ESTIMATE),
        ("rules/conditions.yaml", r"ask_if: \w+", "ask_if:", r"conditions\[\w+\]\.ask_if", ASK_IF),
        ("rules/conditions.yaml", r"ask_if: \w+", 'ask_if: ""', r"conditions\[\w+\]\.ask_if", ASK_IF),
        ("rules/conditions.yaml", r"help: \"[^\"]*\"", "help:", r"conditions\[\w+\]\.help", "the line to show under the question"),
        ("data/treatments.yaml", r"note: \"[^\"]*\",", "note: ,", r"treatments\[\w+\]\.pih_risk\.note", "the note"),
        ("data/sources.yaml", r"tier: A\n", "tier:\n", r"sources\[\w+\]\.tier", "its tier, A, B or C"),
        ("rules/skin-type.yaml", r"\{skin_type: \{min: 4\}\}", "{skin_type: {min: 4, max: }}", r"rules\[[\w-]+\]\.when\.skin_type\.max", "a Fitzpatrick skin type, 1-6 or I-VI"),
    ],
)  # fmt: skip
def test_an_empty_optional_key_is_refused_not_read_as_left_out(
    kb_copy: Path, rel: str, pattern: str, new: str, path: str, what: str
) -> None:
    """`estimate:` passed, and the figure then showed as sourced; `ask_if:` passed, and the question was asked of
    everyone; while `ask_if: ""` was "unknown condition ''; add it to rules/conditions.yaml", the wrong fix."""
    line = resub(kb_copy, rel, pattern, new)
    [(at, problem)] = said(kb_copy)
    assert at == line
    assert re.fullmatch(rf"{path}: is empty; give {re.escape(what)}, or remove the key", problem), problem


def test_an_empty_interval_or_test_skin_type_keeps_its_meaning(kb_copy: Path) -> None:
    """Two keys mean something empty: `interval_weeks:` is no interval (a single session), and a rule test's
    `skin_type:` an unknown skin type, as a profile reads it: a skin-type rule fires for it, as for no skin type
    given, where it does not for type III."""
    resub(kb_copy, "data/treatments.yaml", r"sessions: \{min: 1, max: 1,", r"interval_weeks:\n    \g<0>")
    text = (kb_copy / "data/treatments.yaml").read_text()
    single = re.findall(r"- id: (\w+)", text[: text.index("interval_weeks:\n")])[-1]  # the treatment emptied
    unknown = "{profile: {conditions: []}, treatment: laser_ablative, fires: true}"
    edit(kb_copy, "rules/skin-type.yaml", unknown, unknown.replace("conditions: []", "conditions: [], skin_type: "))
    assert problems(kb_copy) == []
    assert loader.load_kb(kb_copy, use_cache=False).treatment_by_id[single].data["interval_weeks"] is None
    fair = edit(
        kb_copy,
        "rules/skin-type.yaml",
        "{profile: {skin_type: 3}, treatment: laser_ablative, fires: false}",
        "{profile: {skin_type: }, treatment: laser_ablative, fires: false}",
    )
    [(at, problem)] = said(kb_copy)
    assert at == fair and problem.endswith(
        "expected it to not fire for laser_ablative (no conditions), but it fired; "
        "fix the rule's 'when' or 'applies_to', or the test's expectation"
    ), problem


def _properties(schema: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of every object in a published schema, by name."""
    if isinstance(schema, dict):
        for name, value in schema.get("properties", {}).items():
            yield name, value
        for value in schema.values():
            yield from _properties(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _properties(value)


def _takes_null(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "null" or any(_takes_null(kind) for kind in schema.get("anyOf", ()))


def test_the_published_schema_offers_no_empty_optional_key() -> None:
    """The JSON Schema an editor checks with refuses what validation refuses: null for `estimate` or `ask_if`; and
    offers no default of null that it refuses (an editor would fill in, or flag, a value it calls wrong)."""
    run = cli("kb", "schema")
    assert run.code == 0, run.stderr
    published = json.loads(run.stdout)
    treatments, conditions = published["data/treatments.yaml"]["$defs"], published["rules/conditions.yaml"]["$defs"]
    assert treatments["Efficacy"]["properties"]["estimate"]["type"] == "string"
    assert conditions["Condition"]["properties"]["ask_if"]["type"] == "string"
    assert "anyOf" not in conditions["Condition"]["properties"]["help"]
    properties = list(_properties(published))
    filled = {"estimate", "note", "help", "ask_if", "seed", "url", "tier", "min", "max"}
    assert filled <= {name for name, _ in properties}
    for name, schema in properties:
        if name in filled:
            assert not _takes_null(schema) and "default" not in schema, (name, schema)
        if "default" in schema and schema["default"] is None:
            assert _takes_null(schema), (name, schema)
    assert {"interval_weeks", "skin_type"} <= {name for name, schema in properties if _takes_null(schema)}


def test_a_skin_type_range_is_quoted_as_written(kb_copy: Path) -> None:
    line = edit(kb_copy, "rules/skin-type.yaml", "{skin_type: {min: 4}}", "{skin_type: {min: V, max: II}}")
    [(at, problem)] = said(kb_copy)
    assert at == line and problem.endswith(".when.skin_type: min V is above max II")


# --- tags no treatment carries -------------------------------------------------------------------------------


def test_a_tag_no_treatment_carries_is_reported_where_declared_and_where_a_rule_names_it(kb_copy: Path) -> None:
    declared = edit(kb_copy, "data/treatments.yaml", "tags:\n", 'tags:\n  spare: "Carried by nothing."\n') + 1
    named = edit(kb_copy, "rules/pregnancy.yaml", "tags: []", "tags: [spare]")
    found = said(kb_copy)
    assert (
        declared,
        "tags.spare: no treatment carries this tag, so a rule that names it reaches no treatment through it; give it "
        "to the treatments it describes, or remove it",
    ) in found
    [(at, problem)] = [(at, problem) for at, problem in found if ".applies_to.tags" in problem]
    assert at == named and problem.endswith(
        ".applies_to.tags[0]: no treatment carries tag 'spare', so it adds no treatment to the rule; give the tag to "
        "the treatments it describes, or remove it from applies_to"
    )
    assert len(found) == 2


# --- names the questionnaire reads as something else ---------------------------------------------------------


# Names each kind's question reads as something else, and names it reads as names (which the check lets be).
NOT_CONCERNS = ["3", "1-2", "4 5", "1,2", "1, 2"]
CONCERNS = ["none", "all", "not sure", "no limit", "-ridges"]
NOT_CONDITIONS = [
    "7",
    "2,3",
    *(word.upper().replace(" ", "-") for word in (*answers.DONE, answers.AGAIN) if word),
    "-eczema-like",
    "eczema +more",
    "\u2212ish",
]
CONDITIONS = ["unknown", "any", "yes", "go", "no limit", "retin-a plus", "cold sores - really"]
AT_CONCERNS = "the questionnaire's concern question reads numbers, lists of them ('1, 2') and ranges ('1-3') as places"
AT_CONDITIONS = "the conditions list at the questionnaire's summary reads"


def _named(root: Path) -> tuple[str, str]:
    """Give the first concern the names of CONCERNS and NOT_CONCERNS, and the condition 'pregnant' those of
    CONDITIONS and NOT_CONDITIONS; the two records' ids."""
    edit(
        root,
        "data/concerns.yaml",
        "    synonyms: [",
        f"    synonyms: [{', '.join(map(repr, NOT_CONCERNS + CONCERNS))}, ",
    )
    names = ", ".join(map(repr, NOT_CONDITIONS + CONDITIONS))
    edit(root, "rules/conditions.yaml", '    synonyms: ["pregnancy"', f'    synonyms: [{names}, "pregnancy"')
    return re.findall(r"- id: (\w+)", (root / "data/concerns.yaml").read_text())[0], "pregnant"


def test_a_name_its_question_reads_as_something_else_is_refused(kb_copy: Path) -> None:
    """A concern synonym "3" made `-c 3` that concern, while 3 at the concern question picked the third on the list;
    a condition synonym "none" made `-x none` add it, while "none" at the conditions list changes nothing. Each
    kind's names are refused for what its own question reads (a concern's question reads no word, so "none" may
    name a concern), in words that say where the name collides and why."""
    _named(kb_copy)
    found = [problem.split(": ", 1)[1] for _, problem in said(kb_copy)]
    tail = "so it would mean one thing there and another after {} or in a profile file; {}"
    letter = "give a name with a letter in it"
    assert found == [
        f"'{name}' cannot name a concern: {AT_CONCERNS} on its numbered list, {tail.format('-c', letter)}"
        for name in NOT_CONCERNS
    ] + [
        f"'{name}' cannot name a condition: {AT_CONDITIONS} numbers, lists of them and ranges as places on that list, "
        + tail.format("-x", letter)
        for name in NOT_CONDITIONS[:2]
    ] + [
        f"'{name}' cannot name a condition: {AT_CONDITIONS} it as {meaning}, {tail.format('-x', 'choose another name')}"
        for name, meaning in zip(
            NOT_CONDITIONS[2:-3],
            ["nothing to change" for word in answers.DONE if word] + ["asking every safety question again"],
            strict=True,
        )
    ] + [
        f"'{name}' cannot name a condition: {AT_CONDITIONS} a '+' or '-' at a name's start, or after a space, as "
        f"adding or removing what follows it, {tail.format('-x', 'remove the sign, or the space before it')}"
        for name in NOT_CONDITIONS[-3:]
    ]


def test_the_questions_read_as_names_what_the_check_lets_be_names(tmp_path: Path) -> None:
    """The check and the questions agree: each name let be is read by its question as that name, and each name
    refused is read as something else (words at the conditions list as answers, a sign as a removal or an addition
    of another name, numbers as places)."""
    from helpers import copy_kb

    from skinrec.cli.prompting import parse_picks
    from skinrec.cli.screening import ConditionChanges, parse_condition_changes
    from skinrec.profile import parse_concern

    root = copy_kb(tmp_path / "kb")
    concern, condition = _named(root)
    for name in NOT_CONCERNS + NOT_CONDITIONS:
        edit(root, "data/concerns.yaml" if name in NOT_CONCERNS else "rules/conditions.yaml", f"{name!r}, ", "")
    kb = loader.load_kb(root, use_cache=False)
    ids = list(kb.concerns)

    def picked(text: str) -> list[str] | None:
        try:
            chosen: list[str] = parse_picks(text, ids, lambda name: parse_concern(kb, name))
        except ValueError:
            return None
        return chosen

    def changes(text: str, listed: list[str]) -> ConditionChanges | None:
        try:
            return parse_condition_changes(kb, text, listed)
        except ValueError:
            return None

    assert all(picked(name) == [concern] for name in CONCERNS)
    assert all(changes(name, []) == ConditionChanges(add=(condition,)) for name in CONDITIONS)
    assert all(picked(name) not in (None, [concern]) for name in NOT_CONCERNS)  # places on the list
    for name in NOT_CONDITIONS:
        assert changes(name, [condition]) != ConditionChanges(add=(condition,)), name
    assert changes("-eczema-like", [condition]) is None  # a removal of 'eczema-like', which is not on the list


def test_the_answer_words_are_read_as_those_answers() -> None:
    """Each word of answers.py is read as its answer by what reads it, in any case, with spaces around."""
    from skinrec.cli.prompting import parse_yes_no
    from skinrec.cli.questionnaire import _parse_change
    from skinrec.cli.screening import ConditionChanges, parse_condition_changes
    from skinrec.profile import parse_amount, parse_skin_type

    kb = loader.load_kb(loader.shipped_kb_dir(), use_cache=False)
    listed = list(kb.conditions)[:2]
    for word in answers.DONE:
        assert parse_condition_changes(kb, f" {word.upper()} ", listed) == ConditionChanges()
    assert parse_condition_changes(kb, f" {answers.AGAIN.upper()} ", listed) == ConditionChanges(again=True)
    assert all(_parse_change("see your results", f" {word.upper()} ") == 0 for word in answers.GO)
    assert all(parse_yes_no(f" {word.upper()} ") for word in answers.YES)
    assert not any(parse_yes_no(f" {word.upper()} ") for word in answers.NO)
    for word in answers.NO_LIMIT:
        assert parse_amount("downtime", f" {word.upper()} ") is None
        assert parse_amount("budget", word) is None
    for word in answers.ZERO_OR_NO_LIMIT:
        with pytest.raises(ValueError, match="could mean 0 or no limit"):
            parse_amount("budget", f" {word.upper()} ")
    assert all(parse_skin_type(f" {word.upper()} ") is None for word in answers.UNKNOWN_SKIN_TYPE)


# --- the folder as an argument ---------------------------------------------------------------------------------


def test_the_folder_may_be_given_as_an_argument(kb_copy: Path) -> None:
    """`skinrec kb validate my-kb`, what a newcomer types right after `skinrec kb init my-kb`, was "Got
    unexpected extra argument(s) (my-kb)"."""
    run = cli("kb", "validate", str(kb_copy))
    assert (run.code, run.stdout) == (0, "") and run.stderr.startswith(f"knowledge base '{kb_copy}' is valid: ")
    assert cli("kb", "validate", str(kb_copy), "--kb", f"{kb_copy}/").code == 0  # the same folder, twice
    run = cli("rules", "check", str(kb_copy))
    assert run.code == 0 and " 0 failed " in run.stderr
    edit(kb_copy, "rules/scoring.yaml", "budget_penalty:", "budget_penalty: 1\nbudget_penalti:")
    run = cli("kb", "validate", str(kb_copy))
    assert run.code == 1 and "budget_penalti" in run.stdout


@pytest.mark.parametrize(
    "command", [("kb", "validate", "one", "--kb"), ("rules", "check", "one", "--kb"), ("rules", "--kb", "check", "one")]
)
def test_two_different_folders_are_a_usage_error_naming_both(tmp_path: Path, command: tuple[str, ...]) -> None:
    """`skinrec rules --kb A check B` checked B, and quietly left A out: the group's --kb is given too."""
    kb_at = command.index("--kb") + 1
    run = cli(*command[:kb_at], str(tmp_path), *command[kb_at:])
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == f"skinrec: error: two knowledge bases given, 'one' and --kb '{tmp_path}'; give one of them\n"
    assert "[DIR]" in cli(*(word for word in command if word not in ("one", "--kb")), "--help").stdout


def test_the_check_s_own_kb_wins_over_the_group_s(kb_copy: Path, tmp_path: Path) -> None:
    """`skinrec rules --kb A check --kb B` checks B, as it did before DIR was read."""
    edit(kb_copy, "rules/pregnancy.yaml", "fires: true", "fires: false")
    run = cli("rules", "--kb", str(tmp_path), "check", "--kb", str(kb_copy))
    assert run.code == 1 and " 1 failed " in run.stderr
    assert cli("rules", "--kb", str(tmp_path), "check", str(kb_copy), "--kb", str(kb_copy)).code == 1


@pytest.mark.parametrize(
    ("given", "named", "fix"),
    [(("--kb", "nowhere"), "from --kb", "point --kb at"), (("nowhere",), "given as DIR", "give as DIR")],
)
def test_a_folder_that_is_no_knowledge_base_is_named_as_it_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: tuple[str, ...], named: str, fix: str
) -> None:
    """`skinrec kb validate nowhere` said "(from --kb) ... point --kb at", of an option nobody typed."""
    monkeypatch.chdir(tmp_path)
    for command in (("kb", "validate"), ("rules", "check")):
        run = cli(*command, *given)
        assert run.code == 1
        assert run.stderr.startswith(
            f"skinrec: error: no knowledge base at 'nowhere' (that is '{tmp_path / 'nowhere'}', {named}): expected "
            f"data/treatments.yaml there; {fix} a folder holding data/sources.yaml, "
        ), run.stderr
        assert run.stderr.endswith("copy the shipped one to start from: skinrec kb init nowhere\n")


def test_the_commands_suggested_give_the_folder_as_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The docs show `kb validate DIR`, so the hints do too; a folder that starts with '-' as './-kb', which is
    not read as an option."""
    monkeypatch.chdir(tmp_path)
    run = cli("kb", "init", "--", "-kb")
    assert run.code == 0, run.stderr
    assert "  skinrec kb validate ./-kb\n" in run.stderr
    assert cli("kb", "validate", "./-kb").code == 0
    edit(tmp_path / "-kb", "rules/scoring.yaml", "caution_penalty: 3", "caution_penalty: -3")
    run = cli("treatments", "--kb", "-kb")
    assert run.code == 1 and run.stderr.endswith("; see every problem with: skinrec kb validate ./-kb\n")
    run = cli("kb", "init", "--", "-kb")
    assert run.code == 1 and run.stderr.endswith("check the knowledge base there with: skinrec kb validate ./-kb\n")
