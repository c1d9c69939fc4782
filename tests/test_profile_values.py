"""Profile values read alike from flags, YAML and JSON profile files, batch lines and the questionnaire:
YAML by the 1.2 core schema (010 is ten, `on` is text), downtime as plain days (never money), both limits
bounded, and every message quoting what the person wrote, at a 1-based place or none."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from helpers import cli

from skinrec.cli.questionnaire import ask_budget, ask_downtime
from skinrec.knowledge import KnowledgeBase
from skinrec.profile import Profile, parse_amount, parse_budget, shown
from skinrec.written import Written, read_float
from skinrec.yamlsafe import YamlError, load_yaml

NO_LIMIT_FIX = "for no limit, leave it out or write 'no limit'"
MONEY = "that looks like money, which is the budget's, not the downtime's"


def days_refused(text: str, fix: str) -> str:
    return f"downtime must be a plain number of days, e.g. 3 or 7.5, not '{text}'; {fix}"


def profile_of(*argv: str) -> dict[str, Any]:
    run = cli("recommend", *argv, "-f", "json")
    assert run.code == 0, run.stderr
    profile: dict[str, Any] = json.loads(run.stdout)["profile"]
    return profile


def batch_errors(*records: str) -> list[dict[str, Any]]:
    run = cli("batch", "-", input="".join(record + "\n" for record in records))
    assert run.code == 1
    return [json.loads(line) for line in run.stdout.splitlines()]


def profile_error(tmp_path: Path, text: str, name: str = "p.yaml") -> str:
    """The one-line error `recommend -p` gives for a profile file holding `text` (which must exit 1)."""
    path = tmp_path / name
    path.write_text(text)
    run = cli("recommend", "-p", str(path))
    assert (run.code, run.stdout) == (1, "")
    prefix = f"skinrec: error: {path}"
    assert run.stderr.startswith(prefix) and run.stderr.endswith("\n") and run.stderr.count("\n") == 1
    return run.stderr[len(prefix) : -1]


@dataclass
class Answers:
    """The questionnaire's Io, answering from a list; keeps what it said (its error messages among it)."""

    answers: list[str]
    said: list[str] = field(default_factory=list)

    def say(self, text: str = "", tone: str = "") -> None:
        self.said.append(text)

    def ask(self, prompt: str) -> str:
        return self.answers.pop(0)


# --- YAML 1.2: plain values read as JSON and the command line read them ---------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("010", 10),
        ("0100", 100),
        ("+12", 12),
        ("-0", 0),
        ("1:30", "1:30"),
        ("1:00:00", "1:00:00"),
        ("0b101", "0b101"),
        ("0x4", "0x4"),
        ("0o7", "0o7"),
        ("1_000", "1_000"),
        ("on", "on"),
        ("yes", "yes"),
        ("No", "No"),
        ("off", "off"),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("tRue", "tRue"),
        ("null", None),
        ("NULL", None),
        ("~", None),
        ("", None),
        ("nUll", "nUll"),
        ("2024-05-01", "2024-05-01"),
        ("2001-13-45", "2001-13-45"),
        ("1e5", 100000.0),
        ("-.5", -0.5),
        ("1.", 1.0),
        ("=", "="),
    ],
)
def test_plain_values_follow_the_yaml_1_2_core_schema(text: str, value: object) -> None:
    read = load_yaml(f"v: {text}\n").data["v"]
    assert (type(read), read) == (type(value), value)


def test_merge_keys_still_merge_and_on_is_a_text_key() -> None:
    doc = load_yaml("base: &b {downtime: 3}\nme:\n  <<: *b\n  budget: 010\non: 1\n")
    assert doc.data == {"base": {"downtime": 3}, "me": {"downtime": 3, "budget": 10}, "on": 1}
    assert doc.positions[("on",)] == (5, 1)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("v: !!bool maybe", "a value that cannot be read ('maybe' is not a boolean; write true or false); quote it "
         "if it is meant as text"),
        ("v: !!bool yes", "a value that cannot be read ('yes' is not a boolean; write true or false); quote it if "
         "it is meant as text"),
        ("v: !!int 0x10", "a value that cannot be read (invalid literal for int() with base 10: '0x10'); quote it "
         "if it is meant as text"),
        ("v: !!timestamp 2001-13-45", "could not determine a constructor for the tag 'tag:yaml.org,2002:timestamp'"),
    ],
)  # fmt: skip
def test_explicit_tags_are_refused_with_a_place_not_a_traceback(text: str, problem: str) -> None:
    """PyYAML's YAML 1.1 constructors raised KeyError on `!!bool maybe` and AttributeError on a bad
    `!!timestamp`, both tracebacks."""
    with pytest.raises(YamlError) as caught:
        load_yaml(text)
    assert (caught.value.problem, caught.value.line, caught.value.col) == (problem, 1, 4)


def test_yaml_numbers_read_as_the_flags_read_them(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("concerns: [acne_scars]\ndowntime: 010\nbudget: 0100\nskin_type: 04\n")
    from_file = profile_of("-p", str(tmp_path / "p.yaml"))
    assert from_file == profile_of("-c", "acne_scars", "-d", "010", "-b", "0100", "-s", "04")
    assert (from_file["downtime"], from_file["budget"], from_file["skin_type"]) == (10, 100, 4)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("downtime: 1:30", "downtime: downtime must be a number, not '1:30'; write it in digits, such as 3 or 7.5"),
        (
            "budget: 1:00:00",
            "budget: budget must be a number, not '1:00:00'; write it in digits, such as 1500 or $1,500",
        ),
        ("budget: 0b101", "budget: budget must be a number, not '0b101'; write it in digits, such as 1500 or $1,500"),
        (
            "skin_type: 0x4",
            "skin_type: '0x4' is not a Fitzpatrick skin type; use I-VI or 1-6 (or leave it out if unsure)",
        ),
        ("setting: on", "setting: setting must be one of any, clinic, home, not 'on'"),
        ("budget_per: yes", "budget_per: budget_per must be one of course, session, not 'yes'"),
    ],
)
def test_yaml_1_1_spellings_are_refused_as_what_was_written(tmp_path: Path, line: str, message: str) -> None:
    assert profile_error(tmp_path, f"concerns: [acne_scars]\n{line}\n") == f":2:1: {message}"


def test_no_in_a_condition_list_is_a_name_not_false(tmp_path: Path, kb: KnowledgeBase) -> None:
    known = ", ".join(kb.conditions)
    message = f":2:14: conditions: unknown condition 'No'; known conditions: {known}"
    assert profile_error(tmp_path, "concerns: [acne_scars]\nconditions: [No]\n") == message


def test_a_json_profile_reads_as_before(tmp_path: Path) -> None:
    record = {"concerns": ["acne_scars"], "downtime": 7.5, "budget": 1500.5, "skin_type": 4, "setting": "clinic"}
    (tmp_path / "p.json").write_text(json.dumps(record))
    assert profile_of("-p", str(tmp_path / "p.json")) == {
        "concerns": ["acne_scars"],
        "downtime": 7.5,
        "budget": 1500.5,
        "budget_per": "course",
        "skin_type": 4,
        "conditions": [],
        "setting": "clinic",
    }


# --- downtime is days, never money --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("$1,500.50", MONEY),
        ("$2000", MONEY),
        ("1,500", MONEY),
        ("€30", MONEY),
        ("30 £", MONEY),
        ("2,5", "write decimals with a point (2.5)"),
        ("1,5000", "write decimals with a point (2.5)"),
    ],
)
def test_downtime_refuses_money_and_commas_everywhere(tmp_path: Path, text: str, fix: str) -> None:
    message = days_refused(text, fix)
    run = cli("recommend", "-c", "acne_scars", "-d", text)
    assert (run.code, run.stdout, run.stderr) == (2, "", f"skinrec: error: --downtime: {message}\n")
    assert profile_error(tmp_path, f'concerns: [acne_scars]\ndowntime: "{text}"\n') == f":2:1: downtime: {message}"
    record = json.dumps({"id": "a", "concerns": ["acne_scars"], "downtime": text})
    assert batch_errors(record) == [{"id": "a", "line": 1, "error": f"downtime: {message}"}]


def test_a_budget_typed_at_the_downtime_question_is_asked_again() -> None:
    io = Answers(["$2000", "3"])
    assert ask_downtime(io, Profile(concerns=("acne_scars",))).downtime == 3
    assert f"  {days_refused('$2000', MONEY)}" in io.said
    assert io.answers == []


def test_a_budget_still_reads_money() -> None:
    assert [parse_budget(text) for text in ("$1,500.50", "$2000", "1,000,000")] == [1500.5, 2000, 1_000_000]
    io = Answers(["$2,000", "session"])
    assert (ask_budget(io, Profile(concerns=())).budget, io.said[1:]) == (2000, [])


# --- upper bounds -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flag", "text", "limit"),
    [
        ("-d", "366", "365 days"),
        ("-d", "365.5", "365 days"),
        ("-d", "99999999999999999999", "365 days"),
        ("-d", "1e999", "365 days"),
        ("-b", "1e308", "$1,000,000"),
        ("-b", "1000000.01", "$1,000,000"),
        ("-b", "$1,000,001", "$1,000,000"),
    ],
)
def test_flags_above_the_limit_are_refused(flag: str, text: str, limit: str) -> None:
    what = "downtime" if flag == "-d" else "budget"
    run = cli("recommend", "-c", "acne_scars", flag, text)
    message = f"skinrec: error: --{what}: {what} must be at most {limit}, not '{text}'; {NO_LIMIT_FIX}\n"
    assert (run.code, run.stdout, run.stderr) == (2, "", message)


@pytest.mark.parametrize("text", ["1_5", "\u0663", "inf", "nan", "0x10"])
def test_only_plain_digits_are_a_number(text: str) -> None:
    """float() reads "1_5" as 15 (a typo becoming 15 days), other scripts' digits, and inf and nan."""
    run = cli("recommend", "-c", "acne_scars", "-d", text)
    message = f"--downtime: downtime must be a number, not '{text}'; write it in digits, such as 3 or 7.5"
    assert (run.code, run.stderr) == (2, f"skinrec: error: {message}\n")
    profile = profile_of("-c", "acne_scars", "-d", "1e1", "-b", "+2.5e3")
    assert (profile["downtime"], profile["budget"]) == (10, 2500)


def test_the_limits_themselves_are_accepted() -> None:
    profile = profile_of("-c", "acne_scars", "-d", "365", "-b", "$1,000,000", "--budget-per", "session")
    assert (profile["downtime"], profile["budget"], profile["budget_per"]) == (365, 1_000_000, "session")
    assert profile_of("-c", "acne_scars", "-d", "365.0")["downtime"] == 365


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("downtime: 400", f"downtime: downtime must be at most 365 days, not 400; {NO_LIMIT_FIX}"),
        ("downtime: 1e999", f"downtime: downtime must be at most 365 days, not 1e999; {NO_LIMIT_FIX}"),
        ("downtime: .inf", f"downtime: downtime must be at most 365 days, not .inf; {NO_LIMIT_FIX}"),
        ("downtime: -.inf", "downtime: downtime cannot be negative (-.inf); use 0 or more"),
        ("downtime: .nan", "downtime: downtime must be a number, not .nan; write it in digits, such as 3 or 7.5"),
        ("budget: 1e308", f"budget: budget must be at most $1,000,000, not 1e+308; {NO_LIMIT_FIX}"),
        ("budget: 1000001", f"budget: budget must be at most $1,000,000, not 1000001; {NO_LIMIT_FIX}"),
    ],
)
def test_profile_files_above_the_limit_are_refused(tmp_path: Path, line: str, message: str) -> None:
    assert profile_error(tmp_path, f"concerns: [acne_scars]\n{line}\n") == f":2:1: {message}"


def test_batch_lines_above_the_limit_are_refused() -> None:
    records = [
        '{"id": 1, "concerns": ["acne_scars"], "downtime": 99999999999999999999}',
        '{"id": 2, "concerns": ["acne_scars"], "budget": 1e308}',
        '{"id": 3, "concerns": ["acne_scars"], "budget": "2,000,000"}',
    ]
    assert batch_errors(*records) == [
        {"id": 1, "line": 1, "error": f"downtime: downtime must be at most 365 days, not 99999999999999999999; "
         f"{NO_LIMIT_FIX}"},
        {"id": 2, "line": 2, "error": f"budget: budget must be at most $1,000,000, not 1e+308; {NO_LIMIT_FIX}"},
        {"id": 3, "line": 3, "error": f"budget: budget must be at most $1,000,000, not '2,000,000'; {NO_LIMIT_FIX}"},
    ]  # fmt: skip


def test_the_questionnaire_asks_again_above_the_limit() -> None:
    io = Answers(["400", "no limit", "2000000", "2000", "course"])
    profile = ask_downtime(io, Profile(concerns=("acne_scars",)))
    profile = ask_budget(io, profile)
    assert (profile.downtime, profile.budget, io.answers) == (None, 2000, [])
    assert f"  downtime must be at most 365 days, not '400'; {NO_LIMIT_FIX}" in io.said
    assert f"  budget must be at most $1,000,000, not '2000000'; {NO_LIMIT_FIX}" in io.said


@pytest.mark.parametrize(
    ("value", "read"), [(0, 0), (365, 365), (7.5, 7.5), (365.0, 365), ("12", 12), (" 2.5 ", 2.5), (None, None)]
)
def test_parse_amount_within_the_limit(value: object, read: object) -> None:
    got = parse_amount("downtime", value)
    assert (type(got), got) == (type(read), read)


# --- places: 1-based, or left out -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        ("\x00", ":1:1", "#x0000"),
        ("concerns: [acne_scars]\ndowntime: 3\x00\n", ":2:12", "#x0000"),
        ("é: [é]\nx: a\x07", ":2:5", "#x0007"),
    ],
)
def test_a_control_character_is_placed_1_based(tmp_path: Path, text: str, where: str, code: str) -> None:
    """libyaml counts bytes of UTF-8 where a column counts characters: the é before the character must not
    shift it."""
    problem = (
        f"unacceptable character {code} (control characters are not allowed); remove it, or check this is a text file"
    )
    assert profile_error(tmp_path, text) == f"{where}: invalid YAML: {problem}"


def test_a_control_character_in_the_knowledge_base_is_placed(kb_copy: Path) -> None:
    path = kb_copy / "data" / "concerns.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\x01", encoding="utf-8")
    line = path.read_text(encoding="utf-8").count("\n") + 1
    run = cli("kb", "validate", "--kb", str(kb_copy), "--no-cache")
    assert run.code == 1
    assert run.stdout == (
        f"data/concerns.yaml:{line}:1: unacceptable character #x0001 (control characters are not allowed); remove "
        "it, or check this is a text file\n"
    )


def test_a_json_profile_read_without_positions_names_no_place(tmp_path: Path) -> None:
    """YAML refuses the leading tab, so the json module reads the file, and knows no place for a key: no `1:1`."""
    message = f"downtime: downtime must be at most 365 days, not 1e999; {NO_LIMIT_FIX}"
    text = '\t{"concerns": ["acne_scars"], "downtime": 1e999}'
    assert profile_error(tmp_path, text, "p.json") == f": {message}"


# --- batch wording ------------------------------------------------------------------------------------------


def test_batch_quotes_a_number_too_large_as_written() -> None:
    records = [
        '{"concerns": ["acne_scars"], "downtime": 1e999}',
        '{"id": 1e999, "concerns": ["acne_scars"]}',
        '{"id": 4, "concerns": ["acne_scars"], "budget": -1E400}',
    ]
    assert batch_errors(*records) == [
        {"line": 1, "error": f"downtime: downtime must be at most 365 days, not 1e999; {NO_LIMIT_FIX}"},
        {"line": 2, "error": "id must be a string or a whole number, not 1e999"},
        {"id": 4, "line": 3, "error": "budget: budget cannot be negative (-1E400); use 0 or more"},
    ]


def test_batch_errors_name_their_fix(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_bytes(b'{"id": "x", "concerns": []}\n\xff\n')
    run = cli("batch", str(tmp_path / "in.jsonl"))
    assert run.code == 1
    assert [json.loads(line) for line in run.stdout.splitlines()] == [
        {"id": "x", "line": 1, "error": 'concerns: at least one concern is needed; add "concerns": [...] with one or '
         "more concern ids (skinrec concerns lists them)"},
        {"line": 2, "error": "not UTF-8 text; save the file as UTF-8"},
    ]  # fmt: skip


def test_batch_output_onto_a_folder_suggests_a_jsonl_file(tmp_path: Path) -> None:
    run = cli("batch", "-", "-o", str(tmp_path), input='{"concerns": ["acne_scars"]}\n')
    assert (run.code, run.stdout) == (1, "")
    assert run.stderr == (
        f"skinrec: error: cannot write '{tmp_path}': it is a directory; give a file name, e.g. "
        f"'{tmp_path / 'results.jsonl'}'\n"
    )


def test_a_number_no_float_holds_keeps_its_text() -> None:
    huge = read_float("1e999")
    assert (type(huge), huge, repr(huge), shown(huge)) == (Written, float("inf"), "1e999", "1e999")
    assert (type(read_float("2.5")), read_float("2.5")) == (float, 2.5)
