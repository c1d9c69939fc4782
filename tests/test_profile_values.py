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
from skinrec.written import Written, read_float, read_float_as_written
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

    def refuse(self, problem: str, answered: bool = True) -> None:
        self.said.append(f"  {problem}")


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


def test_a_profile_may_not_merge(tmp_path: Path) -> None:
    """In a knowledge base, `<<` shares fields; in a profile, a key written out silently won over the merged one,
    so `conditions: []` dropped a merged pregnancy, and needling was recommended."""
    path = tmp_path / "m.yaml"
    path.write_text("<<: {conditions: [pregnant]}\nconcerns: [acne_scars]\nconditions: []\n")
    run = cli("recommend", "-p", str(path))
    assert (run.code, run.stderr) == (
        1,
        f"skinrec: error: {path}:1:1: a merge key (<<) is not allowed in a profile; write each key out once\n",
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("v: !!bool maybe", "a value that cannot be read ('maybe' is not a boolean; write true or false); quote it "
         "if it is meant as text"),
        ("v: !!bool yes", "a value that cannot be read ('yes' is not a boolean; write true or false); quote it if "
         "it is meant as text"),
        ("v: !!int 0x10", "a value that cannot be read (invalid literal for int() with base 10: '0x10'); quote it "
         "if it is meant as text"),
        ("v: !!timestamp 2001-13-45", "YAML tags such as '!!timestamp' are not allowed; remove the tag"),
        ("v: !!timestamp 2001-01-01", "YAML tags such as '!!timestamp' are not allowed; remove the tag"),
        ("v: !!omap x", "YAML tags such as '!!omap' are not allowed; remove the tag"),
        ("v: !!omap [a: 1]", "YAML tags such as '!!omap' are not allowed; remove the tag"),
        ("v: !!pairs [a]", "YAML tags such as '!!pairs' are not allowed; remove the tag"),
        ("v: !!set {a}", "YAML tags such as '!!set' are not allowed; remove the tag"),
        ("v: !!binary aGk=", "YAML tags such as '!!binary' are not allowed; remove the tag"),
    ],
)  # fmt: skip
def test_explicit_tags_are_refused_with_a_place_not_a_traceback(text: str, problem: str) -> None:
    """PyYAML's YAML 1.1 constructors raised KeyError on `!!bool maybe` and AttributeError on a bad
    `!!timestamp`, both tracebacks; `!!omap x` said PyYAML's "expected a mapping of length 1, but found scalar".
    Tags of values skinrec has no use for are refused alike, well formed or not."""
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
        ("budget: 1e308", f"budget: budget must be at most $1,000,000, not 1e308; {NO_LIMIT_FIX}"),
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
        {"id": 2, "line": 2, "error": f"budget: budget must be at most $1,000,000, not 1e308; {NO_LIMIT_FIX}"},
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
        f"{kb_copy}/data/concerns.yaml:{line}:1: unacceptable character #x0001 (control characters are not allowed); remove "
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


# --- messages quote values as written, on one line ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("acne\nscarz", "'acne\\nscarz'"),
        ("x\x1b[31m", "'x\\u001b[31m'"),
        ("\x9b1m\x7f", "'\\u009b1m\\u007f'"),
        ("crème brûlée", "'crème brûlée'"),
        (["a\tb"], '["a\\tb"]'),
        (None, "null"),
        (Written(-1e-5, "-1e-5"), "-1e-5"),
    ],
)
def test_shown_escapes_control_characters_and_speaks_yaml(value: object, quoted: str) -> None:
    """A newline would split a message over two lines, and ESC would recolour the terminal; every other
    character (letters of any script too) reads as typed; null and lists are written as YAML and JSON write them."""
    assert shown(value) == quoted


def test_a_control_character_in_a_flag_or_a_batch_line_is_escaped() -> None:
    run = cli("recommend", "-c", "acne\nscarz")
    message = "skinrec: error: --concern: unknown concern 'acne\\nscarz' — did you mean 'acne_scars'?\n"
    assert (run.code, run.stderr) == (2, message)
    run = cli("batch", "-", input='{"concerns": ["x\\u001b[31m"], "y\\u001b": 1}\n')
    assert "\x1b" not in run.stderr
    assert run.stderr.splitlines()[0] == "skinrec: error: <stdin>:1: y\\u001b: unknown key; expected concerns, " + (
        "downtime, budget, budget_per, skin_type, conditions, setting, id"
    )
    assert "\x1b" not in cli("recommend", "-c", "acne_scars", "-f", "x\x1b[31m").stderr
    # and an invisible character is shown: "unknown concern 'acne_scars' — did you mean 'acne_scars'?" named two
    # words that looked the same (a zero-width space, a BOM, a word joiner)
    for invisible in ("\u200b", "\ufeff", "\u2060"):
        run = cli("recommend", "-c", f"acne_scars{invisible}")
        assert f"unknown concern 'acne_scars\\u{ord(invisible):04x}' — did you mean 'acne_scars'?" in run.stderr


def test_a_control_character_in_a_profile_s_key_is_escaped(tmp_path: Path) -> None:
    message = ":2:1: invalid YAML: duplicate key 'a\\u001b' (first defined at line 1, column 1); keep only one"
    assert profile_error(tmp_path, '"a\\e": 1\n"a\\e": 2\n') == message
    assert profile_error(tmp_path, '"a\\e": 1\n') == ":1:1: a\\u001b: unknown key; expected " + (
        "concerns, downtime, budget, budget_per, skin_type, conditions, setting"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("null: 1\n", ":1:1: null: unknown key; expected concerns, downtime, budget, budget_per, skin_type, "
         "conditions, setting"),
        ("concerns: !!binary aGVsbG8=\n", ":1:11: invalid YAML: YAML tags such as '!!binary' are not allowed; "
         "remove the tag"),
        ("concerns: [acne_scars]\nsetting: !!set {home}\n", ":2:10: invalid YAML: YAML tags such as '!!set' are "
         "not allowed; remove the tag"),
        ("concerns: [acne_scars]\nskin_type: !!binary aGk=\n", ":2:12: invalid YAML: YAML tags such as '!!binary' "
         "are not allowed; remove the tag"),
        ("concerns: [acne_scars]\n1: x\n", ":2:1: 1: unknown key; expected concerns, downtime, budget, budget_per, "
         "skin_type, conditions, setting"),
    ],
)  # fmt: skip
def test_profile_messages_speak_yaml_not_python(tmp_path: Path, text: str, message: str) -> None:
    """The YAML reader also makes None, said as null, not 'None'; bytes (!!binary) and sets (!!set), which were said
    as YAML writes them (no "b'hello'" or "{'a'}"), are no longer made: their tags are refused."""
    assert profile_error(tmp_path, text) == message


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("p.yaml", "concerns: [acne_scars]\ndowntime: -1e-5\n", ":2:1: downtime: downtime cannot be negative "
         "(-1e-5); use 0 or more"),
        ("p.json", '{"concerns": ["acne_scars"],\n "downtime": -1E-5}', ":2:2: downtime: downtime cannot be "
         "negative (-1E-5); use 0 or more"),
        ("p.json", '\t{"concerns": ["acne_scars"], "downtime": -1e-5}', ": downtime: downtime cannot be negative "
         "(-1e-5); use 0 or more"),
        ("p.yaml", "concerns: [acne_scars]\nbudget: 0.001e0\n", ":2:1: budget: 0.001e0 has fractions of a cent; "
         "give whole cents, such as 250 or 99.50"),
        ("p.yaml", "concerns: [acne_scars]\nskin_type: 4.50\n", ":2:1: skin_type: 4.50 is not a Fitzpatrick "
         "skin type; use I-VI or 1-6 (or leave it out if unsure)"),
    ],
)  # fmt: skip
def test_a_number_is_quoted_as_written(tmp_path: Path, name: str, text: str, message: str) -> None:
    """Python would write -1e-5 as -1e-05 and 4.50 as 4.5; the person wrote neither."""
    assert profile_error(tmp_path, text, name) == message


def test_a_number_kept_as_written_is_a_plain_number_in_the_profile(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("concerns: [acne_scars]\ndowntime: 7.50\nbudget: 1.5e3\n")
    profile = profile_of("-p", str(tmp_path / "p.yaml"))
    assert (profile["downtime"], profile["budget"]) == (7.5, 1500)
    assert batch_errors('{"concerns": ["acne_scars"], "downtime": -1e-5}') == [
        {"line": 1, "error": "downtime: downtime cannot be negative (-1e-5); use 0 or more"}
    ]
    assert (type(read_float_as_written("7.50")), read_float_as_written("7.5")) == (Written, 7.5)
    assert type(read_float_as_written("7.5")) is float


def test_a_json_profile_names_a_duplicate_key_s_place(tmp_path: Path) -> None:
    """As the same file named .yaml does: YAML reads the whole document before it finds the key given twice."""
    message = ":3:2: duplicate key 'downtime' (first defined at line 2, column 2); keep only one"
    text = '{"concerns": ["acne_scars"],\n "downtime": 1,\n "downtime": 2}'
    assert profile_error(tmp_path, text, "p.json") == message
    assert profile_error(tmp_path, text, "p.yaml") == message.replace(": ", ": invalid YAML: ", 1)


# --- natural answers, and plain digits ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["type 4", "Type IV", "TYPE iv", "  type   4 "])
def test_a_skin_type_may_be_said_as_type_iv(tmp_path: Path, text: str) -> None:
    (tmp_path / "p.yaml").write_text(f"concerns: [acne_scars]\nskin_type: {text}\n")
    assert profile_of("-c", "acne_scars", "-s", text)["skin_type"] == 4
    assert profile_of("-p", str(tmp_path / "p.yaml"))["skin_type"] == 4


@pytest.mark.parametrize("text", ["per session", "Per Session", "per  session"])
def test_a_budget_may_be_per_session_said_so(tmp_path: Path, text: str) -> None:
    (tmp_path / "p.yaml").write_text(f"concerns: [acne_scars]\nbudget: 100\nbudget_per: {text}\n")
    assert profile_of("-c", "acne_scars", "-b", "100", "--budget-per", text)["budget_per"] == "session"
    assert profile_of("-p", str(tmp_path / "p.yaml"))["budget_per"] == "session"


def test_per_belongs_to_the_budget_only() -> None:
    """'per' is what people say before a budget's unit; before a setting it is a slip, and refused as one."""
    run = cli("recommend", "-c", "acne_scars", "--setting", "per clinic")
    assert run.code == 2 and "setting must be one of any, clinic, home, not 'per clinic'" in run.stderr


@pytest.mark.parametrize("text", ["\uff16", "\u0663", "\u00b2", "type \uff14"])
def test_a_skin_type_is_in_plain_digits_as_amounts_are(tmp_path: Path, text: str) -> None:
    """int() reads other scripts' digits (a full-width 6 as 6) and fails on others ("²"); amounts take neither."""
    run = cli("recommend", "-c", "acne_scars", "-s", text)
    message = f"--skin-type: '{text}' is not a Fitzpatrick skin type; write it in digits, such as 4, or as IV"
    assert (run.code, run.stderr) == (2, f"skinrec: error: {message}\n")
    assert profile_error(tmp_path, f"concerns: [acne_scars]\nskin_type: {text}\n") == f":2:1: skin_type: {message[13:]}"


# --- a .json profile is JSON ------------------------------------------------------------------------------

JSON_FIX = "fix the JSON, or save the file as .yaml"
NOT_A_NUMBER = "is not a JSON number; write a number in digits, or leave the key out"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("me.json", '{"concerns": ["acne_scars"], "downtime": 3,}', ":1:43: not valid JSON: a trailing comma before "
         "'}'; remove the comma, or save the file as .yaml"),
        ("ME.JSON", '{"concerns": ["acne_scars",\n  ], "downtime": 3}', ":1:27: not valid JSON: a trailing comma "
         "before ']'; remove the comma, or save the file as .yaml"),
        ("me.json", '{"concerns": ["acne_scars"]  # my skin\n}', ":1:30: not valid JSON: a comment, which JSON does "
         "not have; remove it, or save the file as .yaml"),
        ("me.json", "{'concerns': ['acne_scars']}", f":1:2: not valid JSON: a single quote (JSON strings and keys are "
         f"in double quotes); {JSON_FIX}"),
        ("me.json", '{"concerns": [acne_scars]}', f":1:15: not valid JSON: expected a value here (text is written in "
         f"double quotes); {JSON_FIX}"),
        ("me.json", '{"concerns": ["acne_scars"]\n "downtime": 3}', f":2:2: not valid JSON: a ',' is missing here, "
         f"between two items; {JSON_FIX}"),
        # saving it as YAML would not help, and the line is to be removed, not fixed
        ("me.json", '{"concerns": ["acne_scars"]} {}', ":1:30: not valid JSON: more text after the end of the "
         "profile's object; remove what follows it; a profile file holds one profile"),
        ("me.json", "", ': not valid JSON: the file is empty; write the profile as an object, e.g. {"concerns": '
         '["acne_scars"]}'),
        # json reads NaN and Infinity, which JSON does not have; YAML would find them text (YAML spells .nan)
        ("me.json", '{"concerns": ["acne_scars"], "note": "NaN", "downtime": NaN}', f":1:57: not valid JSON: NaN "
         f"{NOT_A_NUMBER}"),
        ("me.json", '{"concerns": ["acne_scars"],\n "budget": Infinity}', f":2:12: not valid JSON: Infinity "
         f"{NOT_A_NUMBER}"),
        ("me.json", '{"concerns": ["acne_scars"], "budget": -Infinity}', f":1:40: not valid JSON: -Infinity "
         f"{NOT_A_NUMBER}"),
        # json's words blamed a missing ',' for a file cut short and for a number written 010 or 0x10
        ("me.json", '{"concerns": ["acne_scars"]', ":1:28: not valid JSON: the file ends before the object opened "
         "at column 1 is closed; add the missing '}' at the end"),
        ("me.json", '{"concerns":\n  ["acne_scars"\n', ":3:1: not valid JSON: the file ends before the array "
         "opened at line 2, column 3 is closed; add the missing ']}' at the end"),
        ("me.json", '{"concerns": ["acne_scars"],', ":1:29: not valid JSON: the file ends in the middle of the "
         "object opened at column 1; complete it, ending with '}'"),
        ("me.json", '{"concerns": ["acne_scars"], "downtime": 010}', ":1:42: not valid JSON: JSON numbers cannot "
         "start with 0 (010); write 10"),
        ("me.json", '{"concerns": ["acne_scars"], "budget": -00150.5}', ":1:40: not valid JSON: JSON numbers cannot "
         "start with 0 (-00150.5); write -150.5"),
        ("me.json", '{"concerns": ["acne_scars"], "downtime": 0x10}', ":1:42: not valid JSON: JSON numbers have no "
         "hex (0x10); write 16"),
        ("me.json", '{"concerns": ["acne_scars"], "downtime": 1.0x}', f":1:45: not valid JSON: a ',' is missing "
         f"here, between two items; {JSON_FIX}"),  # a 0 that does not start the number is no leading zero
    ],
)  # fmt: skip
def test_a_json_profile_is_read_as_json(tmp_path: Path, name: str, text: str, message: str) -> None:
    """YAML reads nearly all JSON, and more: a .json profile with a trailing comma passed, read as YAML's flow
    style, though every other program reading the file refuses it."""
    assert profile_error(tmp_path, text, name) == message


def test_a_json_profile_keeps_its_places_and_stdin_stays_yaml(tmp_path: Path) -> None:
    """Valid JSON is still read by YAML too, for the places messages give; a byte-order mark is no part of the
    JSON. `-p -` has no name to tell JSON by: YAML reads it, trailing comma and all, as before."""
    message = ":2:2: skin_type: 9 is not a Fitzpatrick skin type; use I-VI or 1-6 (or leave it out if unsure)"
    assert profile_error(tmp_path, '{"concerns": ["acne_scars"],\n "skin_type": 9}', "p.json") == message
    (tmp_path / "bom.json").write_text('\ufeff{"concerns": ["acne_scars"], "skin_type": 4}', encoding="utf-8")
    assert profile_of("-p", str(tmp_path / "bom.json"))["skin_type"] == 4
    run = cli("recommend", "-p", "-", "-f", "json", input='{"concerns": ["acne_scars"], "downtime": 3,}')
    assert run.code == 0 and json.loads(run.stdout)["profile"]["downtime"] == 3


# --- a '- ' item indented deeper than the one above -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("concerns:\n  - acne_scars\n   - fine_lines\n", ":3:4: concerns: the '- ' item on line 3 is indented deeper "
         "than the item above it, so YAML reads it as part of that item: 'acne_scars - fine_lines'; line up its '-' "
         "with the one above"),
        ("concerns: [acne_scars]\nconditions:\n    - pregnant\n      - eczema\n", ":4:7: conditions: the '- ' item on "
         "line 4 is indented deeper than the item above it, so YAML reads it as part of that item: 'pregnant - "
         "eczema'; line up its '-' with the one above"),
        ("concerns: acne_scars\n  - fine_lines\n", ":2:3: concerns: the '- ' item on line 2 is indented under a "
         "value, so YAML reads it as part of that value: 'acne_scars - fine_lines'; for a list, put each item on its "
         "own '- ' line below the key 'concerns:'"),
    ],
)  # fmt: skip
def test_an_item_indented_deeper_than_the_one_above_is_named_as_the_cause(
    tmp_path: Path, text: str, message: str
) -> None:
    """It said "unknown concern 'acne_scars - fine_lines'", at the line of the first item, which is right."""
    assert profile_error(tmp_path, text) == message


def test_text_that_merely_holds_a_dash_is_still_an_unknown_name(tmp_path: Path, kb: KnowledgeBase) -> None:
    """Only a value that swallowed a '- ' line is blamed on indentation; ' - ' on one line is the person's text."""
    message = profile_error(tmp_path, "concerns: [acne_scars - fine_lines]\n")
    assert message.startswith(":1:12: concerns: unknown concern 'acne_scars - fine_lines'")
    message = profile_error(tmp_path, "concerns: acne_scars\n  - fine_lines\n".replace("\n  - ", " - "))
    assert message.startswith(":1:1: concerns: unknown concern 'acne_scars - fine_lines'")


# --- a name of the other kind ----------------------------------------------------------------------------

PREGNANT_AS_CONCERN = (
    "concerns: unknown concern 'pregnant': it names the condition pregnant (Pregnant), which skinrec takes into "
    "account but does not treat; "
)
WRINKLES_AS_CONDITION = (
    "conditions: unknown condition 'wrinkles': it names the concern fine_lines (Fine lines and wrinkles), which is "
    "something to treat, not a reason to avoid a treatment; "
)


def test_a_name_of_the_other_kind_in_a_file_or_a_batch_line_is_pointed_at_its_key(tmp_path: Path) -> None:
    """A file or a batch line was told "(-x pregnant on the command line)", which is no fix for a file: its own
    key is, quoted as JSON and YAML both write it ("under conditions: instead" read oddly in a JSON line). Moving a
    condition into `conditions` answers every other safety question no, so that is said too."""
    to_conditions = (
        "list it under 'conditions' instead (that list answers every safety question, so list all that apply)"
    )
    assert (
        profile_error(tmp_path, "concerns: [acne_scars, pregnant]\n") == f":1:24: {PREGNANT_AS_CONCERN}{to_conditions}"
    )
    assert (
        profile_error(tmp_path, '{"concerns": ["pregnant"]}', "p.json")
        == f":1:15: {PREGNANT_AS_CONCERN}{to_conditions}"
    )
    to_concerns = "list it under 'concerns' instead"
    message = profile_error(tmp_path, "concerns: [acne_scars]\nconditions: [wrinkles]\n")
    assert message == f":2:14: {WRINKLES_AS_CONDITION}{to_concerns}"
    assert [
        record["error"] for record in batch_errors('{"concerns": ["pregnant"]}', '{"conditions": ["wrinkles"]}')
    ] == [
        f"{PREGNANT_AS_CONCERN}{to_conditions}",
        f"{WRINKLES_AS_CONDITION}{to_concerns}",
    ]
    # the flags keep the flag's words
    run = cli("recommend", "-c", "pregnant")
    assert run.stderr == (
        f"skinrec: error: --concern: {PREGNANT_AS_CONCERN.removeprefix('concerns: ')}give it among the conditions "
        "(-x pregnant on the command line)\n"
    )


# --- an empty file name -----------------------------------------------------------------------------------


def test_an_empty_profile_or_kb_name_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`-p ""` said ".: is a directory" (exit 1), and `--kb ""` used the working directory as the knowledge base,
    silently where it holds one: an empty name is a mistake in the command line, named as -o's is."""
    monkeypatch.chdir(tmp_path)
    for argv in (["recommend", "-c", "acne_scars", "-p", ""], ["compare", "microneedling", "dermaplaning", "-p", ""]):
        run = cli(*argv)
        assert (run.code, run.stderr) == (2, "skinrec: error: --profile needs a file name (or '-' for stdin)\n")
    kb = "skinrec: error: --kb needs a folder name; leave it out for $SKINREC_KB or the shipped knowledge base\n"
    for argv in (
        ["recommend", "-c", "acne_scars", "--kb", ""],
        ["kb", "validate", "--kb", ""],
        ["batch", "-", "--kb", ""],
    ):
        run = cli(*argv, input="")
        assert (run.code, run.stderr) == (2, kb), argv
    for argv in (["kb", "validate", ""], ["rules", "check", ""]):  # the folder as DIR: named as typed
        run = cli(*argv)
        assert (run.code, run.stderr) == (2, kb.replace("--kb", "DIR")), argv


def test_an_empty_skinrec_kb_is_ignored() -> None:
    run = cli("recommend", "-c", "acne_scars", "-f", "json", env={"SKINREC_KB": ""})
    assert run.code == 0, run.stderr


@pytest.mark.parametrize(
    ("name", "text", "place"),
    [
        ("p.json", '{"concerns": ["acne_scars"],\n "a\\tb": 1}\n', ":2:2"),
        ("p.yaml", 'concerns: [acne_scars]\n"a\\tb": 1\n', ":2:1"),
        ("p.yaml", f"concerns: [acne_scars]\n{'k' * 70}: 1\n", ":2:1"),  # named cut short, with an ellipsis
    ],
)
def test_an_unknown_key_is_placed_at_its_line_however_it_is_named(
    tmp_path: Path, name: str, text: str, place: str
) -> None:
    """`"a\\tb": 1` on line 2 was reported at :1:1: the message names the key escaped (a\\tb), and that name
    was looked up among the file's keys, which hold the tab itself, so its place was lost."""
    assert profile_error(tmp_path, text, name).startswith(f"{place}: ")


def test_an_empty_skin_type_is_refused_as_an_empty_downtime_or_budget_is(tmp_path: Path) -> None:
    """`-s ""` (a script's unset variable) quietly dropped the skin type, so the rules for darker skin were applied
    as for "not sure", while `-d ""` and `-b ""` are refused; a profile file's `skin_type: ""` did the same."""
    run = cli("recommend", "-c", "acne_scars", "-s", "")
    assert (run.code, run.stdout) == (2, "") and run.stderr.startswith("skinrec: error: --skin-type: ''")
    assert profile_error(tmp_path, 'concerns: [acne_scars]\nskin_type: ""\n').startswith(":2:1: skin_type: ''")
    assert profile_of("-c", "acne_scars", "-s", "not sure")["skin_type"] is None  # the way to say it
