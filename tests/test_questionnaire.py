"""The guided questionnaire: every branch with scripted answers, and once for real in a pseudo-terminal.

Scripted runs go through the real entry point (`helpers.cli`), whose stdin is not a terminal, so they pass
`-i` or pretend to be on a terminal by patching `skinrec.cli.output.on_terminal`.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pexpect
import pytest
from helpers import Run, cli

from skinrec.cli import output
from skinrec.cli.prompting import MAX_ANSWER, TerminalIo, parse_option, parse_picks, parse_yes_no, wrapped
from skinrec.cli.questionnaire import ask_profile, summary_lines
from skinrec.cli.screening import ConditionChanges, ask_conditions, parse_condition_changes
from skinrec.knowledge import KnowledgeBase, normalize_name
from skinrec.profile import BUDGET_PER, Profile
from skinrec.result_schema import ResultDocument

EXPORTS = ("json", "markdown", "no")
REPO = Path(__file__).resolve().parents[1]


class ScriptedIo:
    """An Io that answers from a list and keeps a transcript of everything said and asked."""

    def __init__(self, answers: Iterable[str]) -> None:
        self.answers = list(answers)
        self.transcript: list[str] = []

    def say(self, text: str = "", tone: str = "") -> None:
        self.transcript.append(text)

    def ask(self, prompt: str) -> str:
        self.transcript.append(prompt)
        return self.answers.pop(0)

    def refuse(self, problem: str, answered: bool = True) -> None:
        self.transcript.append(f"  {problem}")


def screening(kb: KnowledgeBase, yes: Iterable[str] = (), skip: Iterable[str] = ()) -> list[str]:
    """Answers to the safety questions asked, in file order: "y" for `yes`, Enter (no) for the rest. Those in
    `skip` (given by a flag) are not asked, nor is one whose `ask_if` condition is neither answered yes nor given
    (one gate deep: for a chain, name each link answered yes in `yes`)."""
    yes, skip = set(yes), set(skip)
    return [
        "y" if ident in yes else ""
        for ident, record in kb.conditions.items()
        if ident not in skip and record["ask_if"] in (None, *yes, *skip)
    ]


def questionnaire(*argv: str, answers: Iterable[str]) -> Run:
    return cli("recommend", "-i", *argv, input="".join(answer + "\n" for answer in answers))


def profile_of(run: Run) -> dict[str, object]:
    assert run.code == 0, run.stderr
    doc = json.loads(run.stdout)
    ResultDocument.model_validate(doc)
    return doc["profile"]  # type: ignore[no-any-return]


FINISH = ["", "n", ""]  # confirm the summary, save no profile, export nothing


@pytest.fixture
def typed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The answers read as typed at a terminal, where a refused one is asked again (piped answers stop the run
    instead: see `test_a_refused_piped_answer_stops_the_run_naming_its_line`)."""
    monkeypatch.setattr(TerminalIo, "piped", property(lambda self: False))


def test_full_run_by_numbers_and_names(kb: KnowledgeBase) -> None:
    answers = ["3, wrinkles", "2", "5", "2000", "s", "iv", *screening(kb, yes={"blood_thinners"}), *FINISH]
    run = questionnaire("-f", "json", answers=answers)
    assert profile_of(run) == {
        "concerns": ["fine_lines", "acne_scars"],
        "downtime": 5,
        "budget": 2000,
        "budget_per": "session",
        "skin_type": 4,
        "conditions": ["blood_thinners"],
        "setting": "any",
    }
    for seen in ("What would you like to treat?", "Which matters most?", f"(1/{len(kb.conditions)})", "Your answers:"):
        assert seen in run.stderr
    assert "Are you pregnant" in run.stderr and "Are you pregnant" not in run.stdout


@pytest.mark.parametrize(("per", "skin"), [("per session", "type 4"), ("Per Session", "Type IV")])
def test_answers_as_people_say_them(kb: KnowledgeBase, per: str, skin: str) -> None:
    """ "per session" at the course-or-session question, "type IV" at the skin type's."""
    answers = ["acne_scars", "", "500", per, skin, *screening(kb), *FINISH]
    profile = profile_of(questionnaire("-f", "json", answers=answers))
    assert (profile["budget"], profile["budget_per"], profile["skin_type"]) == (500, "session", 4)


def test_what_a_budget_is_per_is_kept_and_asked_when_left_out(kb: KnowledgeBase) -> None:
    """`--budget-per session`, then 'no limit', then $500 from the review came out per course: 'no limit' reset
    it, and the flag still counted as an answer. And `-b 500` alone never asked what the $500 is per."""
    answers = ["acne_scars", "", "no limit", "", *screening(kb), "3", "500", "", "n", ""]
    profile = profile_of(questionnaire("--budget-per", "session", "-f", "json", answers=answers))
    assert (profile["budget"], profile["budget_per"]) == (500, "session")
    answers = ["acne_scars", "", "session", "", *screening(kb), *FINISH]
    run = questionnaire("-b", "500", "-f", "json", answers=answers)
    assert "Is $500 for the whole course or per session?" in run.stderr
    assert (profile_of(run)["budget"], profile_of(run)["budget_per"]) == (500, "session")


def test_results_are_the_table_on_stdout_and_prompts_on_stderr(kb: KnowledgeBase) -> None:
    run = questionnaire(answers=["acne_scars", "", "", "", *screening(kb), *FINISH])
    assert run.code == 0, run.stderr
    assert run.stdout.startswith("Profile: concerns: Acne scars")
    assert "Recommended" in run.stdout and "Ruled out" not in run.stderr
    assert "Answer [y/N]" not in run.stdout and "Save your answers" in run.stderr


@pytest.mark.usefixtures("typed")
def test_mistakes_are_explained_with_the_choices_shown_again(kb: KnowledgeBase) -> None:
    answers = [
        *("99", "", "acne scarz", "acne_scars"),  # concerns
        *("abc", "-1", "3"),  # downtime
        *("lots", ""),  # budget, then no limit: no course-or-session question
        *("VII", ""),  # skin type, then not sure
        "maybe",
        *screening(kb),
        *("9", ""),  # summary
        *("perhaps", "n", "pdf", ""),  # offers
    ]
    run = questionnaire("-f", "json", answers=answers)
    profile = profile_of(run)
    assert (profile["concerns"], profile["downtime"], profile["budget"], profile["skin_type"]) == (
        ["acne_scars"],
        3,
        None,
        None,
    )
    err = run.stderr
    assert err.count("14. Peach fuzz (vellus hair)\n") == 4  # the list, then again after each mistake
    assert err.count("VI  dark brown or black skin") == 2
    for message in (
        "99 is not on the list; choose 1-14",
        "choose at least one, by number or by name",
        "unknown concern 'acne scarz' — did you mean 'acne_scars'?",
        "downtime must be a number, not 'abc'",
        "downtime cannot be negative (-1); use 0 or more",
        "budget must be a number, not 'lots'",
        "'VII' is not a skin type; answer I-VI, 1-6 or 'not sure'",
        "answer y (yes) or n (no)",
        "press Enter to see your results, or type a number 1-5 to change an answer",
        "answer json, markdown or no",
    ):
        assert message in err, message
    assert "for the whole course or per session" not in err
    assert "Traceback" not in err


@pytest.mark.usefixtures("typed")
def test_priority_accepts_several_numbers_or_a_name(kb: KnowledgeBase) -> None:
    run = questionnaire("-f", "json", answers=["1 3 8", "3, 1", "", "", "", *screening(kb), *FINISH])
    assert profile_of(run)["concerns"] == ["rough_texture", "fine_lines", "acne_scars"]
    run = questionnaire("-f", "json", answers=["1, 3", "sagging", "acne scar", "", "", "", *screening(kb), *FINISH])
    assert "not one of the concerns you chose" in run.stderr
    assert profile_of(run)["concerns"] == ["acne_scars", "fine_lines"]


def test_flags_prefill_and_skip_their_questions(kb: KnowledgeBase) -> None:
    argv = ("-c", "acne_scars", "-d", "3", "-s", "IV", "--pregnant", "--budget-per", "session", "-f", "json")
    run = questionnaire(*argv, answers=["1000", *screening(kb, skip={"pregnant"}), *FINISH])
    assert profile_of(run) == {
        "concerns": ["acne_scars"],
        "downtime": 3,
        "budget": 1000,
        "budget_per": "session",
        "skin_type": 4,
        "conditions": ["pregnant"],
        "setting": "any",
    }
    err = run.stderr
    for skipped in ("What would you like", "Downtime: days", "Skin type (Fit", "per session?", "Are you pregnant"):
        assert skipped not in err
    assert f"(1/{len(kb.conditions) - 1}) Are you breastfeeding?" in err
    assert "Conditions: Pregnant" in err


FULL = (
    "concerns: [sagging]\ndowntime: 0\nbudget: no limit\nskin_type: not sure\nconditions: [eczema]\nsetting: clinic\n"
)


def test_a_profile_file_answers_what_it_holds_and_no_more(tmp_path: Path, kb: KnowledgeBase) -> None:
    """Each key the file gives skips its question, even to say 'none' or 'not sure'; every other question is
    asked. A file holding only a skin type once skipped the limits and all the safety questions, so a
    pregnant person with a partial profile was never screened."""
    full = tmp_path / "full.yaml"
    full.write_text(FULL)
    run = questionnaire("-p", str(full), "-f", "json", answers=FINISH)
    assert profile_of(run)["conditions"] == ["eczema"]
    assert "(1/" not in run.stderr and "What would you like" not in run.stderr and "Downtime: days" not in run.stderr
    assert "Setting: clinic treatments only" in run.stderr
    partial = tmp_path / "partial.yaml"
    partial.write_text("skin_type: 2\n")
    answers = ["hair loss", "3", "", *screening(kb, yes={"pregnant"}), *FINISH]
    run = questionnaire("-p", str(partial), "-f", "json", answers=answers)
    assert profile_of(run)["concerns"] == ["hair_loss"]
    assert profile_of(run)["skin_type"] == 2
    assert profile_of(run)["downtime"] == 3
    assert profile_of(run)["conditions"] == ["pregnant"]
    assert "Downtime: days" in run.stderr and f"(1/{len(kb.conditions)})" in run.stderr
    assert "Your type (I-VI" not in run.stderr
    run = questionnaire(
        "-p",
        str(partial),
        "--pregnant",
        "-f",
        "json",
        answers=[*answers[:3], *screening(kb, skip={"pregnant"}), *FINISH],
    )
    assert profile_of(run)["conditions"] == ["pregnant"]
    assert f"(1/{len(kb.conditions) - 1})" in run.stderr, "a condition flag skips its own question only"


def test_summary_changes_an_answer_with_the_current_one_as_default(kb: KnowledgeBase) -> None:
    answers = [
        *("acne_scars", "", "", "", *screening(kb)),
        *("1", ""),  # concerns again: Enter keeps them
        *("2", "4"),  # downtime 4
        *("4", "v"),  # skin type V
        *("5", "all", *screening(kb, yes={"keloids"})),  # every safety question again
        *("5", "all", *screening(kb)),  # again: keloids now defaults to yes
        *FINISH,
    ]
    run = questionnaire("-f", "json", answers=answers)
    profile = profile_of(run)
    assert (profile["concerns"], profile["downtime"], profile["skin_type"]) == (["acne_scars"], 4, 5)
    assert profile["conditions"] == ["keloids"]
    assert "Numbers or names, separated by commas [acne_scars]:" in run.stderr
    assert run.stderr.count("Days (a number, or 'no limit') [no limit]: ") == 2
    assert "Answer [Y/n]:" in run.stderr
    assert run.stderr.count("Your answers:") == 6


@pytest.mark.usefixtures("typed")
def test_saved_profile_reads_back_and_exports_are_whole(tmp_path: Path, kb: KnowledgeBase) -> None:
    saved, exported = tmp_path / "me.yaml", tmp_path / "results.json"
    answers = ["2, 3", "", "7", "3000", "", "3", *screening(kb, yes={"retinoid_recent", "keloids"}), ""]
    run = questionnaire(answers=[*answers, "y", str(saved), "j", str(exported)])
    assert run.code == 0, run.stderr
    assert f"Next time: skinrec recommend --profile {saved}" in run.stderr
    again = cli("recommend", "-p", str(saved), "-f", "json")
    doc = json.loads(exported.read_text())
    assert json.loads(again.stdout)["profile"] == doc["profile"]
    assert doc["profile"]["conditions"] == ["keloids", "retinoid_recent"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["me.yaml", "results.json"]

    # Markdown into a .json name was written without a word; the name is asked for again. A name that claims
    # no format (results.txt) is the person's choice.
    report, wrong = tmp_path / "results.md", tmp_path / "res.json"
    run = questionnaire("-p", str(saved), answers=["", "n", "md", str(wrong), str(report)])
    assert run.code == 0, run.stderr
    assert "'res.json' names a JSON file, but these results are Markdown; end it in .md" in run.stderr
    assert report.read_text().startswith("# skinrec recommendations") and not wrong.exists()
    plain = tmp_path / "results.txt"
    assert questionnaire("-p", str(saved), answers=["", "n", "json", str(plain)]).code == 0
    assert plain.read_text().startswith("{")


@pytest.mark.usefixtures("typed")
def test_existing_or_unwritable_files_are_asked_about(tmp_path: Path) -> None:
    profile = tmp_path / "me.yaml"
    profile.write_text(FULL)
    keep, other = tmp_path / "keep.yaml", tmp_path / "other.yaml"
    keep.write_text("precious\n")
    answers = ["", "y", str(tmp_path / "no" / "such" / "dir.yaml"), str(keep), "n", str(other), "n"]
    run = questionnaire("-p", str(profile), answers=answers)
    assert run.code == 0, run.stderr
    assert f"folder '{tmp_path / 'no' / 'such'}' does not exist; create it first" in run.stderr
    assert f"'{keep}' exists; replace it? [y/N]" in run.stderr
    assert keep.read_text() == "precious\n"
    assert other.read_text().startswith("# skinrec profile")
    run = questionnaire("-p", str(profile), answers=["", "y", str(keep), "y", "n"])
    assert run.code == 0, run.stderr
    assert keep.read_text() == other.read_text()


def test_end_of_input_stops_with_130_and_writes_nothing(tmp_path: Path, kb: KnowledgeBase) -> None:
    run = questionnaire("-o", str(tmp_path / "out.txt"), answers=["acne_scars", ""])
    assert run.code == 130
    assert run.stderr.endswith("[no limit]: \nskinrec: stopped\n")
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert list(tmp_path.iterdir()) == []
    run = questionnaire(answers=["acne_scars", "", "", "", *screening(kb), "", "y"])
    assert run.code == 130 and "Recommended" in run.stdout
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_stops_with_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupt(prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("builtins.input", interrupt)
    run = questionnaire(answers=[])
    assert run.code == 130
    assert run.stderr.endswith("separated by commas: \nskinrec: stopped\n")
    assert "Traceback" not in run.stderr


def test_never_asks_without_a_terminal_or_with_no_input(monkeypatch: pytest.MonkeyPatch) -> None:
    run = cli("recommend", input="acne_scars\n")
    assert (run.code, run.stdout) == (2, "")
    assert "stdin is not a terminal" in run.stderr and "--concern" in run.stderr and "--profile" in run.stderr
    monkeypatch.setattr(output, "on_terminal", lambda: True)
    run = cli("recommend", "--no-input", input="acne_scars\n")
    assert run.code == 2
    assert run.stderr == (
        "skinrec: error: no concerns given (--no-input was given, so skinrec will not ask); "
        "pass --concern ID (repeatable) or --profile FILE\n"
    )
    run = cli("recommend", "-i", "--no-input")
    assert run.code == 2 and "contradict" in run.stderr


def test_starts_by_itself_on_a_terminal(monkeypatch: pytest.MonkeyPatch, kb: KnowledgeBase) -> None:
    monkeypatch.setattr(output, "on_terminal", lambda: True)
    answers = "".join(f"{a}\n" for a in ["sagging", "", "", "", *screening(kb), *FINISH])
    for argv in (["recommend"], []):  # bare `skinrec` too
        run = cli(*argv, input=answers)
        assert run.code == 0, run.stderr
        assert "What would you like to treat?" in run.stderr and "Recommended" in run.stdout
    run = cli("recommend", "-c", "sagging")
    assert (run.code, run.stderr) == (0, "")


def test_bare_skinrec_off_a_terminal_prints_the_help() -> None:
    run = cli()
    assert run.code == 0
    assert "Usage: skinrec" in run.stdout and "recommend" in run.stdout


TATTOO_RULE = """rules:
  - id: tattoo-laser
    severity: caution
    when: tattoo_area
    applies_to: {tags: [laser]}
    message: "Tell the clinic about the tattoo before any laser treatment."
    explanation: "Clinic policy."
    sources: [seed_003]
    tests:
      - {profile: {conditions: [tattoo_area]}, treatment: laser_ablative, fires: true}
      - {profile: {conditions: []}, treatment: laser_ablative, fires: false}
"""


def test_a_condition_added_to_the_file_adds_a_question(tmp_path: Path, kb: KnowledgeBase) -> None:
    for part in ("data", "rules"):
        shutil.copytree(REPO / part, tmp_path / part)
    with (tmp_path / "rules" / "conditions.yaml").open("a") as handle:
        handle.write('  - id: tattoo_area\n    label: Tattoo in the area\n    question: "Is there a tattoo there?"\n')
    (tmp_path / "rules" / "tattoo.yaml").write_text(TATTOO_RULE)  # a condition no rule reads is refused
    argv = ("--kb", str(tmp_path), "-c", "acne_scars", "-d", "3", "-b", "no limit", "-s", "3", "-f", "json")
    run = questionnaire(*argv, answers=[*screening(kb), "y", *FINISH])
    asked = len(screening(kb)) + 1
    assert f"({asked}/{asked}) Is there a tattoo there?" in run.stderr
    assert profile_of(run)["conditions"] == ["tattoo_area"]


def test_question_logic_as_functions(kb: KnowledgeBase) -> None:
    def by_name(name: str) -> str:
        return {"x": "b"}[name]

    assert parse_picks("1 3", ["a", "b", "c"], by_name) == ["a", "c"]
    assert parse_picks("3, x, 1, 3", ["a", "b", "c"], by_name) == ["c", "b", "a"]
    for bad in ("", " , ", "0", "4"):
        with pytest.raises(ValueError):
            parse_picks(bad, ["a", "b", "c"], by_name)
    assert parse_picks("1-3", ["a", "b", "c", "d"], by_name) == ["a", "b", "c"]  # people type ranges
    assert parse_picks("4, 2 - 3", ["a", "b", "c", "d"], by_name) == ["d", "b", "c"]
    assert parse_picks("1-2 4", ["a", "b", "c", "d"], by_name) == ["a", "b", "d"]  # a range and a number: was refused
    with pytest.raises(ValueError, match="'2-9' goes past the list; choose within 1-4"):
        parse_picks("1 2-9", ["a", "b", "c", "d"], by_name)
    with pytest.raises(ValueError, match="'3-1' runs backwards; write 1-3"):
        parse_picks("3-1", ["a", "b", "c"], by_name)
    with pytest.raises(ValueError, match="'1-9' goes past the list; choose within 1-3"):
        parse_picks("1-9", ["a", "b", "c"], by_name)
    assert summary_lines(kb, Profile(concerns=("acne_scars",), downtime=0))[1] == "2. Downtime: none at all (0 days)"
    assert summary_lines(kb, Profile(concerns=("acne_scars",), downtime=1))[1] == "2. Downtime: up to 1 day"
    assert parse_option("S", BUDGET_PER) == "session"
    assert parse_option("n", EXPORTS) == "no"
    for bad in ("", "x", "coursework"):
        with pytest.raises(ValueError, match="answer course or session"):
            parse_option(bad, BUDGET_PER)
    assert [parse_yes_no(word) for word in ("y", "YES", " n ", "No")] == [True, True, False, False]
    lines = summary_lines(kb, Profile(concerns=("acne_scars",), budget=500, budget_per="session", skin_type=6))
    assert lines[2:4] == ["3. Budget: $500 per session", "4. Skin type: type VI"]
    io = ScriptedIo(screening(kb, yes={"epilepsy"}, skip={"pregnant"}))
    start = Profile(concerns=("acne_scars",), conditions=frozenset({"pregnant"}))
    answered = ask_conditions(io, kb, start, skip=frozenset({"pregnant"}))
    assert answered.conditions == {"pregnant", "epilepsy"}
    assert not io.answers
    extra = {**kb.conditions, "new": {"id": "new", "label": "New", "question": "A new question?", "help": "Why."}}
    io = ScriptedIo([*screening(kb), "y"])
    assert ask_conditions(io, replace(kb, conditions=extra), Profile(concerns=())).conditions == {"new"}
    assert "A new question?" in io.transcript[-3] and io.transcript[-2] == "  Why."


def test_in_a_real_terminal_from_first_question_to_results(tmp_path: Path, kb: KnowledgeBase) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "NO_COLOR": "1",
        "TERM": "xterm",
    }
    child = pexpect.spawn(
        sys.executable, ["-m", "skinrec", "recommend"], env=env, cwd=str(tmp_path), encoding="utf-8", timeout=20
    )
    child.expect_exact("separated by commas: ")
    child.sendline("acne scars, 5")
    child.expect_exact("Most important [1]: ")
    child.sendline("")
    child.expect_exact("[no limit]: ")
    child.sendline("3")
    child.expect_exact("[no limit]: ")
    child.sendline("2500")
    child.expect_exact("[course]: ")
    child.sendline("")
    child.expect_exact("[not sure]: ")
    child.sendline("V")
    for answer in screening(kb, yes={"herpes_history"}):
        child.expect_exact("Answer [y/N]: ")
        child.sendline(answer or "n")
    child.expect_exact("Your answers:")
    child.expect_exact("[go]: ")
    child.sendline("")
    child.expect_exact("Recommended")
    child.expect_exact("not medical advice")
    child.expect_exact("to reuse with --profile? [y/N]: ")
    child.sendline("y")
    child.expect_exact("[skinrec-profile.yaml]: ")
    child.sendline("")
    child.expect_exact("[json/markdown/NO]: ")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    saved = (tmp_path / "skinrec-profile.yaml").read_text()
    assert "- acne_scars\n- hyperpigmentation\n" in saved and "- herpes_history\n" in saved


def test_a_narrow_terminal_gets_whole_words_and_whole_defaults(tmp_path: Path) -> None:
    """At 40 columns every line the questionnaire writes fits, so the terminal never breaks a word or a
    "[no limit]" default in two, and choices continue under their text."""
    env = {"PATH": os.environ["PATH"], "XDG_CACHE_HOME": str(tmp_path), "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "skinrec"],
        env=env,
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=20,
        dimensions=(60, 40),
    )
    child.expect_exact("separated by\r\n  commas: ")  # room left to type the answer
    shown = child.before or ""
    child.sendline("1")
    child.expect_exact("  [no limit]: ")
    shown += child.before or ""
    child.sendline("")
    child.expect_exact("  [no limit]: ")
    child.sendline("")
    child.expect_exact("[not sure]: ")
    shown += child.before or ""
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    lines = shown.replace("\r\n", "\n").split("\n")
    assert max(len(line) for line in lines) < 40, [line for line in lines if len(line) >= 40]
    assert "Days (a number, or 'no limit')" in lines
    assert "   1. Fine lines and wrinkles" in lines and "      (fine_lines)" in lines
    assert "   II  fair skin; usually burns, tans a" in lines and "       little" in lines


def test_wrapping_keeps_words_defaults_and_the_space_before_the_cursor() -> None:
    assert wrapped("Amount (a number, or 'no limit') [no limit]: ", 36) == [
        "Amount (a number, or 'no limit')",
        "  [no limit]: ",
    ]
    assert wrapped("  12. Burn and raised scars (burn_scars)", 30) == [
        "  12. Burn and raised scars",
        "      (burn_scars)",
    ]
    assert wrapped("  Answer [y/N]: ", 39) == ["  Answer [y/N]: "]
    assert wrapped("Numbers or names, separated by commas: ", 39) == ["Numbers or names, separated by commas: "]
    assert wrapped("Numbers or names, separated by commas: ", 39, room=12) == [
        "Numbers or names, separated by",
        "  commas: ",
    ]
    assert wrapped("Save to (a file name) [/a/very/long/path/that/cannot/break.yaml]: ", 20) == [
        "Save to (a file",
        "  name)",
        "  [/a/very/long/path/that/cannot/break.yaml]: ",
    ]


@pytest.mark.parametrize("stop", ["ctrl-c", "ctrl-d"])
def test_in_a_real_terminal_ctrl_c_and_ctrl_d_end_cleanly(tmp_path: Path, stop: str) -> None:
    env = {"PATH": os.environ["PATH"], "XDG_CACHE_HOME": str(tmp_path), "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(sys.executable, ["-m", "skinrec"], env=env, cwd=str(tmp_path), encoding="utf-8", timeout=20)
    child.expect_exact("separated by commas: ")
    child.sendline("1")
    child.expect_exact("[no limit]: ")
    if stop == "ctrl-c":
        child.sendintr()
    else:
        child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")
    assert (child.before or "").endswith("skinrec: stopped\r\n")
    assert sorted(os.listdir(tmp_path)) == ["skinrec"]  # only the cache: nothing else written


@pytest.mark.usefixtures("typed")
def test_a_refused_write_asks_again_and_the_saved_profile_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A place that looks writable but refuses the write (/sys as root) re-asks the file name instead of ending
    the run; exporting onto the profile just saved says so before replacing it; a name with a space is quoted
    in the hint, so it can be pasted."""
    from skinrec import atomic
    from skinrec.errors import DataError

    real = atomic.write_atomic
    refused = tmp_path / "refused.yaml"

    def write(path: Path, data: str | bytes, **options: Any) -> None:
        if path == refused:
            raise DataError(f"cannot write '{path}': Read-only file system; choose a writable path")
        real(path, data, **options)

    monkeypatch.setattr(atomic, "write_atomic", write)
    profile = tmp_path / "me.yaml"
    profile.write_text(FULL)
    saved = tmp_path / "my answers.yaml"
    answers = ["", "y", str(refused), str(saved), "json", str(saved), "n", str(tmp_path / "results.json")]
    run = questionnaire("-p", str(profile), answers=answers)
    assert run.code == 0, run.stderr
    assert f"cannot write '{refused}': Read-only file system; choose a writable path" in run.stderr
    assert f"Saved. Next time: skinrec recommend --profile '{saved}'" in run.stderr
    assert f"'{saved}' holds the answers you just saved; replace them with the results? [y/N]" in run.stderr
    assert saved.read_text().startswith("# skinrec profile")
    assert json.loads((tmp_path / "results.json").read_text())["profile"]["concerns"] == ["sagging"]


@pytest.mark.usefixtures("typed")
def test_the_priority_question_names_only_the_concerns_on_offer(kb: KnowledgeBase) -> None:
    answers = ["acne_scars, fine_lines", "😀", "2", "", "", "", *screening(kb), *FINISH]
    run = questionnaire("-f", "json", answers=answers)
    assert "'😀' is not one of the concerns you chose; pick 1-2" in run.stderr
    assert "known concerns:" not in run.stderr
    assert profile_of(run)["concerns"] == ["fine_lines", "acne_scars"]


@pytest.mark.usefixtures("typed")
def test_a_folder_given_as_the_file_suggests_a_name_of_the_right_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the defaults it then takes are written here
    profile = tmp_path / "me.yaml"
    profile.write_text(FULL)
    run = questionnaire("-p", str(profile), answers=["", "y", str(tmp_path), "", "markdown", str(tmp_path), ""])
    assert run.code == 0, run.stderr
    assert f"it is a directory; give a file name, e.g. '{tmp_path / 'skinrec-profile.yaml'}'" in run.stderr
    assert f"it is a directory; give a file name, e.g. '{tmp_path / 'skinrec-results.md'}'" in run.stderr


def test_with_output_the_results_are_shown_and_written_and_not_offered_again(tmp_path: Path) -> None:
    profile, target = tmp_path / "me.yaml", tmp_path / "results.json"
    profile.write_text(FULL)
    run = questionnaire("-p", str(profile), "-o", str(target), answers=["", "n"])
    assert run.code == 0, run.stderr
    assert "Recommended" in run.stdout  # on the terminal, for the person who answered
    assert json.loads(target.read_text())["recommendations"]
    assert f"wrote {target}" in run.stderr
    assert "Export the results" not in run.stderr


def test_an_empty_conditions_key_is_no_safety_screen(tmp_path: Path, kb: KnowledgeBase) -> None:
    """`conditions: []` says none apply, so -i asks no safety question; `conditions:` with nothing after it is a
    template half filled in, and must not pass for a screen that says none apply."""
    profile = tmp_path / "me.yaml"
    for value, asked in (("", True), (" ~", True), (" []", False)):
        profile.write_text(f"concerns: [acne_scars]\ndowntime: 2\nbudget: no limit\nskin_type: 2\nconditions:{value}\n")
        run = questionnaire("-p", str(profile), answers=[*(screening(kb) if asked else []), "", "n", "n"])
        assert run.code == 0, run.stderr
        assert (f"Safety questions (up to {len(kb.conditions)})" in run.stderr) is asked, value


def test_the_command_for_next_time_names_the_knowledge_base_in_use(tmp_path: Path, kb_copy: Path) -> None:
    """Saved from `-i --kb DIR`, a profile may name what only that base has; the hint dropped --kb, and following
    it failed with 'unknown concern'."""
    profile, saved = tmp_path / "me.yaml", tmp_path / "again.yaml"
    profile.write_text(FULL)
    run = questionnaire("-p", str(profile), "--kb", str(kb_copy), answers=["", "y", str(saved), ""])
    assert run.code == 0, run.stderr
    assert f"Next time: skinrec recommend --profile {saved} --kb {kb_copy}" in run.stderr
    assert saved.read_text().startswith(
        f"# skinrec profile; use it with: skinrec recommend --profile FILE --kb {kb_copy}\n"
    )
    again = cli("recommend", "-p", str(saved), "--kb", str(kb_copy), "-f", "json")
    assert again.code == 0, again.stderr


def test_questions_wrap_to_the_terminal_they_are_shown_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """`-i > results.txt` wrapped the questions to stdout's width (a file: 80) on a 40-column terminal; they go to
    stderr, whose width counts. COLUMNS, when set, still wins, as `shutil` lets it."""
    import os
    import sys

    from skinrec.cli import prompting as module

    monkeypatch.delenv("COLUMNS", raising=False)
    sizes = {sys.stderr.fileno(): os.terminal_size((37, 20))}

    def size(fd: int) -> os.terminal_size:
        if fd not in sizes:
            raise OSError("not a terminal")
        return sizes[fd]

    monkeypatch.setattr(os, "get_terminal_size", size)
    assert module._columns() == 37
    monkeypatch.setenv("COLUMNS", "120")
    assert module._columns() == 120


@pytest.mark.usefixtures("typed")
def test_a_file_name_must_be_a_file_name(tmp_path: Path) -> None:
    """At 'File name', '-' wrote a file named '-' (and the hint said --profile -, which reads stdin), and 'sub/'
    saved a file called sub."""
    profile = tmp_path / "me.yaml"
    profile.write_text(FULL)
    saved = tmp_path / "kept.yaml"
    run = questionnaire("-p", str(profile), answers=["", "y", "-", f"{tmp_path}/sub/", str(saved), ""])
    assert run.code == 0, run.stderr
    assert "'-' is not a file name here; give one, such as skinrec-profile.yaml" in run.stderr
    assert "a name ending in '/' is a folder" in run.stderr
    assert saved.exists() and not (tmp_path / "sub").exists() and not (tmp_path / "-").exists()


@pytest.mark.usefixtures("typed")
def test_a_digit_of_another_script_is_no_number_here(kb: KnowledgeBase) -> None:
    """'²' passed `isdigit` and reached `int`, whose 'invalid literal for int() with base 10' was shown."""
    run = questionnaire(answers=["²", "acne_scars", "", "", "", *screening(kb), *FINISH])
    assert run.code == 0, run.stderr
    assert "invalid literal" not in run.stderr and "unknown concern '²'" in run.stderr


def test_a_file_name_pasted_with_quotes_is_the_name_inside_them(tmp_path: Path) -> None:
    """A path copied from a shell, quotes and all, was taken with its quotes: "folder ''/tmp/x' does not exist"."""
    profile = tmp_path / "me.yaml"
    profile.write_text(FULL)
    saved = tmp_path / "my prof.yaml"
    run = questionnaire("-p", str(profile), answers=["", "y", f"'{saved}'", ""])
    assert run.code == 0, run.stderr
    assert saved.exists()


def test_a_refused_piped_answer_stops_the_run_naming_its_line(kb: KnowledgeBase, tmp_path: Path) -> None:
    """From a terminal tester: piped answers were asked again after a refusal, so the next line, meant for the
    next question, answered this one and every answer after shifted ("maybe" for pregnant, then "y" meant for
    breastfeeding, gave pregnant and exit 0). A refused piped answer now stops the run, naming its line."""
    pregnant = list(kb.conditions).index("pregnant")
    screen = screening(kb)
    screen[pregnant] = "maybe"
    answers = ["acne_scars", "3", "", "4", *screen, "y", *FINISH]  # one line more, as the shifted answer needs
    run = questionnaire("-f", "json", answers=answers)
    assert run.code == 1 and run.stdout == ""
    line = 5 + pregnant
    assert run.stderr.endswith(
        f"skinrec: error: line {line} of the answers, 'maybe', is refused: answer y (yes) or n (no); answers piped "
        "to -i are not asked again, since the next line answers the next question\n"
    )
    # the echo of an answer escapes what would drive the terminal, as messages do; a BOM before the first is
    # dropped (an editor may save one, and nobody sees it)
    run = questionnaire("-f", "json", answers=["\ufeffacne\x1b[31m scars"])
    assert "\\u001b[31m" in run.stderr and "\x1b" not in run.stderr and run.code == 1
    run = questionnaire("-f", "json", answers=["\ufeffacne_scars", "3", "", "4", *screening(kb), *FINISH])
    assert profile_of(run)["concerns"] == ["acne_scars"]
    # a line is at most MAX_ANSWER characters: /dev/zero grew the answer by gigabytes
    run = questionnaire(answers=["1" * (MAX_ANSWER + 1)])
    assert run.code == 1 and "commas: \nskinrec: error: line 1 of the answers" in run.stderr  # a line of its own
    assert run.stderr.endswith(
        f"line 1 of the answers is longer than {MAX_ANSWER} characters; give one answer a line\n"
    )


def test_a_piped_file_name_whose_write_fails_is_named_not_the_line_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a regression pass: a save refused by the system after "replace it? y" was blamed on the "y" line; the
    write's own message names the file, and the run stops (piped answers are not asked again)."""
    from skinrec import atomic
    from skinrec.errors import DataError

    refused = tmp_path / "refused.yaml"
    refused.write_text("old\n")
    message = f"cannot write '{refused}': Read-only file system; choose a writable path"

    def write(path: Path, data: str | bytes, **options: Any) -> None:
        raise DataError(message)

    monkeypatch.setattr(atomic, "write_atomic", write)
    profile = tmp_path / "me.yaml"
    profile.write_text(FULL)
    run = questionnaire("-p", str(profile), answers=["", "y", str(refused), "y"])
    assert run.code == 1
    assert run.stderr.endswith(f"skinrec: error: {message}\n")
    assert refused.read_text() == "old\n"


def test_a_question_is_asked_only_after_a_yes_to_the_one_it_waits_on(kb: KnowledgeBase) -> None:
    """All the safety questions were asked one by one: "Do you have severe or flaring rosacea?" came right after a
    no to rosacea. A question's `ask_if` now skips it after a no (counted as no), and the count says what is left:
    "(n/N)" ends at "(N/N)" however many were skipped."""
    place = list(kb.conditions).index("rosacea") + 1
    total = len(kb.conditions)
    io = ScriptedIo(screening(kb))
    assert ask_conditions(io, kb, Profile(concerns=())).conditions == set()
    said = "\n".join(io.transcript)
    assert not io.answers and "severe or flaring" not in said
    assert f"Safety questions (up to {total}):" in said
    assert f"({place}/{total}) Do you have rosacea" in said and f"({place + 1}/{total - 1}) Do you have eczema" in said
    assert [line for line in io.transcript if line.startswith("(")][-1].startswith(f"({total - 1}/{total - 1}) ")
    io = ScriptedIo(screening(kb, yes={"rosacea", "rosacea_severe"}))
    assert ask_conditions(io, kb, Profile(concerns=())).conditions == {"rosacea", "rosacea_severe"}
    assert f"({place + 1}/{total}) Do you have severe or flaring rosacea?" in io.transcript
    assert [line for line in io.transcript if line.startswith("(")][-1].startswith(f"({total}/{total}) ")


def test_skip_logic_is_the_knowledge_base_s_to_give(kb_copy: Path, kb: KnowledgeBase) -> None:
    """A knowledge-base author adds a dependency with one line of YAML, and nothing else: here breastfeeding
    (not a real dependency; any condition would do) asked only after a yes to pregnancy."""
    from helpers import edit

    edit(kb_copy, "rules/conditions.yaml", '"Are you breastfeeding?"', '"Are you breastfeeding?"\n    ask_if: pregnant')
    argv = ("--kb", str(kb_copy), "-c", "acne_scars", "-d", "3", "-b", "no limit", "-s", "3", "-f", "json")
    total = len(kb.conditions)
    run = questionnaire(*argv, answers=["", *screening(kb, skip={"pregnant", "breastfeeding"}), *FINISH])
    assert profile_of(run)["conditions"] == []
    assert "breastfeeding" not in run.stderr and f"(2/{total - 1}) Do you have active acne" in run.stderr
    run = questionnaire(*argv, answers=screening(kb, yes={"pregnant", "breastfeeding"}) + FINISH)
    assert profile_of(run)["conditions"] == ["breastfeeding", "pregnant"]
    assert f"(2/{total}) Are you breastfeeding?" in run.stderr


def test_a_condition_given_as_yes_is_never_skipped_away(kb: KnowledgeBase) -> None:
    """`-x rosacea_severe` without `-x rosacea`, then no to rosacea: the skip must not drop what the flag said.
    Asked again from the summary, a yes is asked whatever its `ask_if` says, with yes as the default, so only the
    person's own no removes it."""
    argv = ("-x", "rosacea_severe", "-c", "acne_scars", "-d", "3", "-b", "no limit", "-s", "3", "-f", "json")
    run = questionnaire(*argv, answers=[*screening(kb, skip={"rosacea_severe"}), *FINISH])
    assert profile_of(run)["conditions"] == ["rosacea_severe"]
    assert "severe or flaring" not in run.stderr
    start = Profile(concerns=(), conditions=frozenset({"rosacea_severe"}))
    io = ScriptedIo([*screening(kb, skip={"rosacea_severe"}), ""])
    assert ask_conditions(io, kb, start).conditions == {"rosacea_severe"}  # Enter keeps it
    assert io.transcript[io.transcript.index("  Answer [Y/n]: ") - 2].endswith("Do you have severe or flaring rosacea?")
    answers = screening(kb, skip={"rosacea_severe"})
    answers.insert(list(kb.conditions).index("rosacea_severe"), "n")
    assert ask_conditions(ScriptedIo(answers), kb, start).conditions == set()  # a no removes it


def test_changing_conditions_at_the_summary_is_by_name(kb: KnowledgeBase) -> None:
    """Choosing 5 at the summary asked all 30 safety questions again. It now lists the yes answers: a name adds
    one, '-' and a number or name removes one, and the list is shown again after each change."""
    answers = [
        *("acne_scars", "", "", "", *screening(kb, yes={"keloids"})),
        *("5", "eczema, severe rosacea", "-1", ""),  # add two, remove one, back to the summary
        *FINISH,
    ]
    run = questionnaire("-f", "json", answers=answers)
    assert profile_of(run)["conditions"] == ["eczema", "keloids"]
    err = run.stderr
    assert err.count("Safety questions") == 1
    assert "Change [done]: eczema, severe rosacea\n  Eczema added\n  Severe rosacea added; its question" in err
    assert "  1. Severe rosacea (rosacea_severe)\n  2. Eczema (eczema)\n  3. Keloid scarring (keloids)\n" in err
    assert "Change [done]: -1\n  Severe rosacea removed\n" in err
    assert "  5. Conditions: Eczema, Keloid scarring\n" in err


@pytest.mark.usefixtures("typed")
def test_a_condition_is_removed_only_when_said_plainly(kb: KnowledgeBase) -> None:
    """A bare number, a number off the list and a name not on it are refused and asked again, so a slip never
    drops a condition the person has."""
    answers = [
        *("acne_scars", "", "", "", *screening(kb, yes={"keloids"})),
        *("5", "1", "-2", "-eczema", "rosacae", "-", "keloids, -keloids", "+ eczema, keloids", ""),
        *FINISH,
    ]
    run = questionnaire("-f", "json", answers=answers)
    assert profile_of(run)["conditions"] == ["eczema", "keloids"]
    for message in (
        "to remove condition 1, type -1; to add one, type its name",
        "-2: there is no condition 2 on the list; choose 1\n",  # not "1-1"
        "Eczema is not on the list, so there is nothing to remove",
        "unknown condition 'rosacae' — did you mean 'rosacea'?",
        "after '-' give the number or name of the condition to remove, e.g. -1",
        "Keloid scarring is both added and removed; give one or the other",
        "Keloid scarring is already on the list",
    ):
        assert message in run.stderr, message


def test_condition_changes_say_what_is_true_of_the_list(kb: KnowledgeBase) -> None:
    """A tester's slips at "Change [done]:": '+' alone listed all 30 conditions as unknown; '-1 -2' and '-1 2'
    were one unknown name; a bare number was told to remove itself from an empty list, or one too short; a
    one-item list was "1-1"; "no eczema", "not eczema" and a typographic dash were did-you-means, however plain
    the removal meant; and '+ -eczema' added eczema."""
    listed = ["rosacea", "keloids", "eczema"]
    assert parse_condition_changes(kb, "-1 -2", listed) == ConditionChanges(remove=("rosacea", "keloids"))
    assert parse_condition_changes(kb, "-1 3", listed) == ConditionChanges(remove=("rosacea", "eczema"))
    assert parse_condition_changes(kb, "- 3 1,-2", listed) == ConditionChanges(remove=("eczema", "rosacea", "keloids"))
    assert parse_condition_changes(kb, "psoriasis -keloids", listed) == ConditionChanges(("psoriasis",), ("keloids",))
    assert parse_condition_changes(kb, "- cold sore now", ["cold_sores_active"]) == ConditionChanges(
        remove=("cold_sores_active",)
    )  # a name with spaces after a spaced dash is one name
    assert parse_condition_changes(kb, "retin-a", listed) == ConditionChanges(("retinoid_recent",))  # a name's own '-'
    for dash in "\u2013\u2014\u2212":  # en dash, em dash, minus sign
        assert parse_condition_changes(kb, f"{dash}eczema, {dash}1", listed) == ConditionChanges(
            remove=("eczema", "rosacea")
        )
    for text, on_list, message in (
        ("+", listed, "after '+' give a condition's name"),
        ("1", [], "the list is empty; type a condition's name to add it"),
        (
            "3",
            ["rosacea"],
            "there is no condition 3 on the list; to remove one, type - and its number (1); to add one, type its name",
        ),
        ("2 1", listed, "to remove conditions 2 1, type -2 -1; to add one, type its name"),
        ("-0", ["rosacea"], "-0: there is no condition 0 on the list; choose 1"),
        ("-1 4", listed, "-4: there is no condition 4 on the list; choose 1-3"),
        ("-1", [], "the list is empty, so there is nothing to remove; type a condition's name to add it"),
        ("no eczema", listed, "to remove Eczema, type -3"),
        ("Not Eczema", listed, "to remove Eczema, type -3"),
        ("no psoriasis", listed, "Psoriasis is not on the list, so there is nothing to remove"),
        ("+ -eczema", listed, "'+ -eczema': '+' adds and '-' removes; give one of them"),
        ("rosacea +-eczema", listed, "'+-eczema': '+' adds and '-' removes; give one of them"),
    ):
        with pytest.raises(ValueError) as refused:
            parse_condition_changes(kb, text, on_list)
        assert str(refused.value) == message, text


def test_condition_changes_as_a_function(kb: KnowledgeBase) -> None:
    listed = ["rosacea", "keloids"]
    assert parse_condition_changes(kb, "", listed) == ConditionChanges()
    assert parse_condition_changes(kb, " ALL ", listed) == ConditionChanges(again=True)
    for nothing in ("none", "No", "n", "nothing", "Done"):  # "none" was refused with every condition listed
        assert parse_condition_changes(kb, nothing, listed) == ConditionChanges(), nothing
    assert parse_condition_changes(kb, "accutane, -2, - Rosacea", listed) == ConditionChanges(
        ("isotretinoin_recent",), ("keloids", "rosacea")
    )
    with pytest.raises(ValueError, match="the list is empty"):
        parse_condition_changes(kb, "-1", [])
    with pytest.raises(ValueError, match="type a condition's name"):
        parse_condition_changes(kb, " , ", listed)
    with pytest.raises(ValueError, match=r"names the concern acne_scars .*; choose it among your concerns instead"):
        parse_condition_changes(kb, "acne scars", listed)  # not "-c acne_scars on the command line"


SUMMARY_ONLY = "does not treat; add it at 5 (Conditions) on the summary"
BOTH = "does not treat; a safety question further on asks about it, or add it at 5 (Conditions) on the summary"
GIVEN = "does not treat; it is already among the conditions given"
LIMITS = ["", "", ""]  # downtime, budget and skin type: no limit, no limit, not sure


def test_a_condition_named_as_a_concern_is_pointed_at_the_safety_questions(kb: KnowledgeBase, typed: None) -> None:
    """The concern question's answer "acne" names a condition: the person is told where to give it, in the
    questionnaire, not with a command-line flag they are not typing."""
    run = questionnaire("-f", "json", answers=["acne", "acne scars", *LIMITS, *screening(kb), *FINISH])
    assert "it names the condition active_acne (Active acne), which skinrec takes into account but does not " in (
        run.stderr
    )
    assert f"{BOTH}; or did you mean the concern 'acne_scars'?" in run.stderr
    assert "on the command line" not in run.stderr
    assert profile_of(run)["concerns"] == ["acne_scars"]


def refusal(kb: KnowledgeBase, answers: list[str], base: Profile | None = None, answered: Iterable[str] = ()) -> str:
    """What the questionnaire says of the first answer it refuses, run from `base` with the profile keys
    `answered` (as a profile file and flags leave them) to the end of the summary, every answer used."""
    io = ScriptedIo(answers)
    ask_profile(io, kb, base or Profile(concerns=()), frozenset(answered))
    assert not io.answers
    return next(line for line in io.transcript if "it names the condition" in line)


def test_a_condition_named_as_a_concern_is_pointed_where_it_can_still_be_given(kb: KnowledgeBase) -> None:
    """ "The safety questions ask about it" was said even where none would: a profile file's `conditions` list
    answered them (`conditions: []` too), they were asked already (1 at the summary, to change the concerns), or
    the condition's question waits on a yes not given (severe rosacea). The summary's 5 always comes; a safety
    question is named as well only where it certainly comes."""
    yes_no = screening(kb)
    assert refusal(kb, ["rosacea", "acne_scars", *LIMITS, *yes_no, ""]).endswith(BOTH)
    assert refusal(kb, ["severe rosacea", "acne_scars", *LIMITS, *yes_no, ""]).endswith(SUMMARY_ONLY)
    rosacea = Profile(concerns=(), conditions=frozenset({"rosacea"}))  # -x rosacea: severe rosacea is asked
    asked = screening(kb, skip={"rosacea"})
    assert refusal(kb, ["severe rosacea", "acne_scars", *LIMITS, *asked, ""], rosacea).endswith(BOTH)
    assert refusal(kb, ["rosacea", "acne_scars", *LIMITS, *asked, ""], rosacea).endswith(GIVEN)  # not asked
    assert refusal(kb, ["rosacea", "acne_scars", *LIMITS, ""], answered={"conditions"}).endswith(SUMMARY_ONLY)
    back = ["acne_scars", *LIMITS, *yes_no, "1", "rosacea", "acne_scars", ""]
    assert refusal(kb, back).endswith(SUMMARY_ONLY)


def test_a_chain_of_questions_closes_with_its_first_no(kb: KnowledgeBase) -> None:
    """Eczema waiting on severe rosacea (not a real dependency), which waits on rosacea: a no to rosacea skips
    both, and the count falls by both at once."""
    chained = {**kb.conditions, "eczema": {**kb.conditions["eczema"], "ask_if": "rosacea_severe"}}
    chain = replace(kb, conditions=chained)
    total, place = len(kb.conditions), list(kb.conditions).index("rosacea") + 1
    io = ScriptedIo(screening(chain))
    assert ask_conditions(io, chain, Profile(concerns=())).conditions == set()
    assert not io.answers and f"({place + 1}/{total - 2}) Do you have psoriasis?" in io.transcript
    io = ScriptedIo(screening(chain, yes={"rosacea", "rosacea_severe"}))
    assert ask_conditions(io, chain, Profile(concerns=())).conditions == {"rosacea", "rosacea_severe"}
    assert f"({place + 2}/{total}) Do you have eczema (atopic dermatitis)" in "\n".join(io.transcript)


def test_a_condition_given_already_is_said_to_be_not_sent_to_be_given(kb: KnowledgeBase) -> None:
    """ "accutane" at the concern question with `-x isotretinoin_recent` (or "pregnant" with `--pregnant`) was sent
    to "add it at 5 (Conditions) on the summary", where it already was. It is now said to be given already, and
    still not a concern; so is a yes from the screening when the concerns are changed from the summary."""
    accutane = Profile(concerns=(), conditions=frozenset({"isotretinoin_recent"}))
    asked = screening(kb, skip={"isotretinoin_recent"})
    assert refusal(kb, ["accutane", "acne_scars", *LIMITS, *asked, ""], accutane).endswith(GIVEN)
    back = ["acne_scars", *LIMITS, *screening(kb, yes={"pregnant"}), "1", "pregnant", "acne_scars", ""]
    assert refusal(kb, back).endswith(GIVEN)


def conditions_changed(kb: KnowledgeBase, yes: Iterable[str], changes: Iterable[str]) -> list[str]:
    """What the summary's conditions editor says of the `changes` typed, from a screening answered yes to `yes`."""
    io = ScriptedIo(["acne_scars", *LIMITS, *screening(kb, yes=yes), "5", *changes, "", ""])
    ask_profile(io, kb, Profile(concerns=()), frozenset())
    assert not io.answers
    said: list[str] = []
    answered = False
    for line in io.transcript:  # what is said of a change runs from its answer to the blank line before the list
        if line.startswith("Change [done]"):
            answered = True
        elif answered and line:
            said.append(line)
        else:
            answered = False
    return said


def test_a_change_at_odds_with_a_question_s_gate_is_said_and_kept(kb: KnowledgeBase) -> None:
    """Removing rosacea while severe rosacea stays, or adding severe rosacea alone, went without a word, though
    severe rosacea is asked only after a yes to rosacea. The change is kept as asked, and the note said beside it
    comes from `ask_if`; a change that leaves nothing at odds says nothing more."""
    both = {"rosacea", "rosacea_severe"}
    assert conditions_changed(kb, both, ["-1"]) == [
        "  Rosacea removed; Severe rosacea, asked only after a yes to it, is still on the list"
    ]
    assert conditions_changed(kb, (), ["severe rosacea"]) == [
        "  Severe rosacea added; its question is asked only after a yes to Rosacea, which is not on the list: add "
        "Rosacea too if you have it"
    ]
    assert conditions_changed(kb, both, ["-1 -2"]) == ["  Rosacea removed", "  Severe rosacea removed"]
    assert conditions_changed(kb, (), ["severe rosacea, rosacea"]) == ["  Severe rosacea added", "  Rosacea added"]
    assert conditions_changed(kb, {"rosacea"}, ["severe rosacea", "-1"]) == [
        "  Severe rosacea added",
        "  Rosacea removed; Severe rosacea, asked only after a yes to it, is still on the list",
    ]


def test_a_range_at_the_conditions_is_answered_with_how_to_remove_several(kb: KnowledgeBase) -> None:
    """ "1-2" and "1 - 3" at "Change [done]:" were unknown names, answered with all 30 condition ids. A range is
    answered with the numbers to type, and never read as one: removal stays one '-' and one number each."""
    listed = ["rosacea", "keloids", "eczema"]
    for text, on_list, message in (
        ("1-2", listed, "to remove several, type - and each number: -1 -2"),
        ("1 - 3", listed, "to remove several, type - and each number: -1 -2 -3"),
        ("-2-3", listed, "to remove several, type - and each number: -2 -3"),
        ("-3\u20131", listed, "to remove several, type - and each number: -1 -2 -3"),  # en dash, backwards
        ("- 1-2 3", listed, "to remove several, type - and each number: -1 -2"),
        (
            "1-2",
            ["rosacea"],
            "there is no condition 2 on the list; to remove one, type - and its number (1); to add one, type its name",
        ),
        ("1-2", [], "the list is empty; type a condition's name to add it"),
    ):
        with pytest.raises(ValueError) as refused:
            parse_condition_changes(kb, text, on_list)
        assert str(refused.value) == message, text
    synonym = normalize_name("isotretinoin 6-12 months")  # a clinic's name with a range in it is a name
    named = replace(kb, condition_lookup={**kb.condition_lookup, synonym: "isotretinoin_6_to_12_months"})
    assert parse_condition_changes(named, "-isotretinoin 6-12 months", ["isotretinoin_6_to_12_months"]) == (
        ConditionChanges(remove=("isotretinoin_6_to_12_months",))
    )
