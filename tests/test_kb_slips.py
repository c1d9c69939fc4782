"""Slips a knowledge-base author makes, each reported once, in plain words, with its fix: a misspelt key inside a
mapping of records, YAML that only libyaml refuses, an empty optional key, a tag nothing carries, a name the
questionnaire reads as something else; and `kb validate DIR`, as a newcomer types it."""

from __future__ import annotations

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
        ("tags: [", "tags: !!python/tuple [", "YAML tags such as '!!python/tuple' are not allowed; remove the tag"),
        ("tags: [", "tags: !foo [", "YAML tags such as '!foo' are not allowed; remove the tag"),
        ("tags: [", "tags: !<tag:example.com,2000:x> [", "YAML tags such as '!<tag:example.com,2000:x>' are not allowed; remove the tag"),
        ("tags: [", "tags: !!str [", "the YAML tag '!!str' does not fit a list; remove the tag"),
        ("tags: [", "tags: &a !!map [", "the YAML tag '!!map' does not fit a list; remove the tag"),
    ],
)  # fmt: skip
def test_yaml_refused_by_libyaml_is_said_with_its_fix(kb_copy: Path, old: str, new: str, message: str) -> None:
    """PyYAML's own words leaked: "found unexpected ':'" (libyaml's, for a ':' straight before ',' or '}' inside
    brackets) and "could not determine a constructor for the tag 'tag:yaml.org,2002:python/tuple'"."""
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
    `skin_type:` an unknown skin type, as a profile reads it."""
    resub(kb_copy, "data/treatments.yaml", r"sessions: \{min: 1, max: 1,", r"interval_weeks:\n    \g<0>")
    edit(
        kb_copy,
        "rules/pregnancy.yaml",
        "{profile: {conditions: [pregnant]}",
        "{profile: {conditions: [pregnant], skin_type: }",
    )
    assert problems(kb_copy) == []


def test_the_published_schema_offers_no_empty_optional_key() -> None:
    """The JSON Schema an editor checks with refuses what validation refuses: null for `estimate` or `ask_if`."""
    treatments = KIND_MODELS["treatments"].model_json_schema(by_alias=True)["$defs"]
    conditions = KIND_MODELS["conditions"].model_json_schema(by_alias=True)["$defs"]
    assert treatments["Efficacy"]["properties"]["estimate"]["type"] == "string"
    assert conditions["Condition"]["properties"]["ask_if"]["type"] == "string"
    assert "anyOf" not in conditions["Condition"]["properties"]["help"]


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


def test_a_name_that_is_a_number_or_an_answer_word_is_refused(kb_copy: Path) -> None:
    """A concern synonym "3" made `-c 3` that concern, while 3 at the question picked the third on the list; a
    condition synonym "none" made `-x none` add it, while "none" at the conditions list changes nothing. Every word
    the interface reads as an answer (answers.RESERVED, which its prompts read too) is refused, as written in any
    case and with any separators."""
    words = sorted(answers.RESERVED)
    spelt = [word.upper().replace(" ", "-") for word in words]
    numbers = ["3", "1-2", "4 5"]
    edit(kb_copy, "data/concerns.yaml", "    synonyms: [", f"    synonyms: [{', '.join(map(repr, numbers))}, ")
    edit(
        kb_copy,
        "rules/conditions.yaml",
        '    synonyms: ["pregnancy"',
        f'    synonyms: [{", ".join(map(repr, spelt))}, "pregnancy"',
    )
    found = [problem for _, problem in said(kb_copy)]
    assert [problem.split(": ", 1)[1] for problem in found] == [
        f"'{name}' cannot name a concern: the questionnaire reads numbers as places on its numbered list, so it would "
        "mean one thing there and another after -c or in a profile file; give a name with a letter in it"
        for name in numbers
    ] + [
        f"'{name}' cannot name a condition: the questionnaire reads it as an answer of its own, so it would mean one "
        "thing there and another after -x or in a profile file; choose another name"
        for name in spelt
    ]


def test_the_interface_reads_its_answer_words_from_the_one_list() -> None:
    """The words the prompts act on are the ones the check refuses as names: those prompts read answers.py."""
    from skinrec.cli import prompting, questionnaire, screening

    assert screening.DONE is answers.DONE and screening.AGAIN is answers.AGAIN
    assert questionnaire.GO is answers.GO
    assert prompting.YES is answers.YES and prompting.NO is answers.NO
    for word in (*answers.DONE, answers.AGAIN, *answers.GO, *answers.NO_LIMIT, *answers.UNKNOWN_SKIN_TYPE):
        assert word in answers.RESERVED or word == ""


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


@pytest.mark.parametrize("command", [("kb", "validate"), ("rules", "check")])
def test_two_different_folders_are_a_usage_error_naming_both(tmp_path: Path, command: tuple[str, ...]) -> None:
    run = cli(*command, "one", "--kb", str(tmp_path))
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == f"skinrec: error: two knowledge bases given, 'one' and --kb '{tmp_path}'; give one of them\n"
    assert "[DIR]" in cli(*command, "--help").stdout
