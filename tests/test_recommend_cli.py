"""`skinrec recommend` as scripts use it: flags, profile files, formats, and one-line errors with exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import cli, copy_kb, edit
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from pydantic import TypeAdapter, ValidationError

from skinrec.loader import load_kb
from skinrec.markdown_text import md
from skinrec.result_schema import BatchErrorRecord, BatchLine, ResultDocument

ANSI = re.compile(r"\x1b\[")


def recommend_json(*argv: str) -> dict:  # type: ignore[type-arg]
    run = cli("recommend", *argv, "-f", "json")
    assert run.code == 0, run.stderr
    doc = json.loads(run.stdout)
    ResultDocument.model_validate(doc)  # every document conforms to the published schema
    return doc  # type: ignore[no-any-return]


def test_json_document_is_complete_and_explained() -> None:
    doc = recommend_json(
        "-c", "acne scars", "-c", "Fine-Lines", "-d", "3", "-b", "2000", "-s", "iv", "--blood-thinners"
    )
    assert doc["schema_version"] == "1.3"
    assert doc["profile"] == {
        "concerns": ["acne_scars", "fine_lines"],
        "downtime": 3,
        "budget": 2000,
        "budget_per": "course",
        "skin_type": 4,
        "conditions": ["blood_thinners"],
        "setting": "any",
    }
    assert doc["recommendations"], "something fits this profile"
    for rec in doc["recommendations"]:
        assert rec["score"] == sum(reason["points"] for reason in rec["reasons"])
        assert rec["course_cost_usd"]["min"] == rec["sessions"]["min"] * rec["cost_per_session_usd"]["min"]
        assert rec["sources"] and rec["preparation"] is not None
    excluded = {item["id"]: item for item in doc["excluded"]}
    assert excluded["microneedling"]["reasons"][0] == {
        "rule": "bleeding-exclude",
        "triggers": ["blood_thinners"],
        "message": load_kb().rule_by_id["bleeding-exclude"].message,  # the skin type is given: no note added
    }
    cautions = [c for rec in doc["recommendations"] for c in rec["cautions"]]
    assert {"rule": "dark-skin-pigment-caution", "triggers": ["skin_type"]}.items() <= next(
        c for c in cautions if c["rule"] == "dark-skin-pigment-caution"
    ).items()
    assert doc["disclaimer"]


def test_recommend_marks_the_steps_show_marks_as_judgments() -> None:
    """`show` marked a step the knowledge base calls a judgment "(estimate)" and said why, while `recommend`
    listed the same steps unmarked in every format: its table and Markdown mark them as they mark an estimated
    figure (`show` gives the reasons), and its JSON carries the card's `step_estimates`."""
    steps = load_kb().treatment_by_id["microneedling"].data["aftercare"]
    judged = [step["text"] for step in steps if step.get("estimate")]
    plain = [step["text"] for step in steps if not step.get("estimate")]
    assert judged and plain, "the shipped microneedling has aftercare steps of both kinds"
    argv = ("-c", "acne_scars", "-c", "fine_lines", "-d", "3", "-s", "IV", "-x", "herpes_history", "-n", "1")
    rec = recommend_json(*argv)["recommendations"][0]
    card = json.loads(cli("show", "microneedling", "-f", "json").stdout)["treatment"]
    assert rec["id"] == "microneedling" and rec["step_estimates"] == card["step_estimates"]
    assert [(e["section"], e["step"]) for e in rec["step_estimates"]] == [
        ("aftercare", number) for number, step in enumerate(steps, start=1) if step.get("estimate")
    ]
    table = " ".join(cli("recommend", *argv).stdout.split())  # the table's wrapped lines run on
    markdown = cli("recommend", *argv, "-f", "markdown").stdout
    for text in judged:
        assert f"• {text} (estimate)" in table and f"{md(text)} (estimate)" in markdown
    for text in plain:
        assert f"• {text} •" in table or f"• {text} Sources:" in table
        assert f"{md(text)} (estimate)" not in markdown and md(text) in markdown


def test_explain_lists_every_rule(tmp_path: Path) -> None:
    """Every rule, in the knowledge base's order (data: the same for every profile), with the facts it read. A
    condition not listed read `false` even when nobody was asked, where the table and Markdown say `not given`:
    it is null then (schema 1.2), and false only where the conditions were answered, by a list."""
    doc = recommend_json("-c", "acne_scars", "--pregnant", "--explain", "-s", "2")
    assert [check["rule"] for check in doc["explain"]] == [rule.id for rule in load_kb().rules]
    checks = {check["rule"]: check for check in doc["explain"]}
    assert checks["pregnancy-breastfeeding-exclude"]["fired"] is True
    assert checks["pregnancy-breastfeeding-exclude"]["read"] == {"breastfeeding": None, "pregnant": True}
    assert checks["bleeding-exclude"]["fired"] is False
    assert checks["bleeding-exclude"]["read"] == {"bleeding_disorder": None, "blood_thinners": None}
    screened = tmp_path / "me.json"
    screened.write_text('{"concerns": ["acne_scars"], "skin_type": 2, "conditions": ["pregnant"]}')
    checks = {check["rule"]: check for check in recommend_json("-p", str(screened), "--explain")["explain"]}
    assert checks["pregnancy-breastfeeding-exclude"]["read"] == {"breastfeeding": False, "pregnant": True}
    assert checks["bleeding-exclude"]["read"] == {"bleeding_disorder": False, "blood_thinners": False}
    # the table and Markdown say the same in words
    markdown = cli("recommend", "-p", str(screened), "--explain", "-f", "md").stdout
    assert "| breastfeeding=no, pregnant=yes |" in markdown
    unasked = cli("recommend", "-c", "acne_scars", "--pregnant", "-s", "2", "--explain", "-f", "md").stdout
    assert "| breastfeeding=not given, pregnant=yes |" in unasked


def test_explain_says_what_each_fired_rule_did_and_lists_fired_rules_first() -> None:
    """ "Fired" alone says a rule's condition matched; the reader needs what it did: the treatments it ruled out or
    cautioned, or why it changed nothing (what it covers is not relevant, or already ruled out)."""
    argv = ["recommend", "-c", "acne_scars", "-x", "pregnant", "-x", "active_acne", "-s", "II", "--explain"]
    table = cli(*argv).stdout
    fired = table.split("Rules that fired (")[1].split("Every rule considered")[0]
    said = " ".join(fired.split())
    assert said.startswith(f"8 of {len(load_kb().rules)})")
    assert "• pregnancy-medium-peel (exclude; because: Pregnant) ruled out Medium chemical peel (TCA)." in said
    assert "• active-acne-caution (caution; because: Active acne) added a caution to Microdermabrasion." in said
    assert (
        "• pregnancy-microcurrent (exclude; because: Pregnant) changed nothing here: Microcurrent facial does" in said
    )
    assert "active-acne-needling (exclude; because: Active acne) ruled out Microneedling, Derma roller" in said
    rows = re.findall(r"^│ ([a-z0-9-]+) +│ +\w+ +│ (yes|no)", table.split("Every rule considered")[1], re.M)
    answers = [answer for _, answer in rows]
    assert answers == sorted(answers, reverse=True) and answers.count("yes") == 8, "the fired rules come first"
    markdown = cli(*argv, "-f", "markdown").stdout
    assert "\n- pregnancy-medium-peel (exclude; because: Pregnant) ruled out Medium chemical peel (TCA).\n" in markdown
    unknown = cli("recommend", "-c", "acne_scars", "--explain").stdout
    assert "dark-skin-deep-peel (exclude; because: skin type not given) ruled out Deep chemical" in " ".join(
        unknown.split()
    )
    assert "No rule fired for this profile." in cli("recommend", "-c", "acne_scars", "-s", "II", "--explain").stdout


def test_explain_names_cautions_below_the_top_and_on_near_misses() -> None:
    """A caution on treatments ranked below `--top`, or on near misses (whose re-ranked score counts it), did
    reach them: "changed nothing here" was wrong, and naming unseen treatments without saying why confused."""
    hidden = " ".join(cli("recommend", "-c", "acne_scars", "-s", "IV", "-n", "1", "--explain").stdout.split())
    assert "dark-skin-pigment-caution (caution; because: skin type IV) added a caution to RF microneedling, " in hidden
    assert "Medium chemical peel (TCA), ranked below the 1 shown (-n 0 lists them)." in hidden
    argv = ["recommend", "-c", "acne_scars", "--setting", "clinic", "-b", "100", "-s", "2", "-x", "herpes_history"]
    near = " ".join(cli(*argv, "--explain").stdout.split())
    assert "herpes-history-caution (caution; because: History of cold sores) would add a caution to " in near
    assert "if a change under Within reach admitted them." in near and "changed nothing" not in near
    # the conditions were not asked: one the profile does not list is "not given", not "no"
    assert re.search(r"│ pacemaker=not given +│", cli(*argv, "--explain").stdout)


def test_profile_file_with_flag_overrides(tmp_path: Path) -> None:
    profile = tmp_path / "me.yaml"
    profile.write_text("concerns: [acne_scars]\ndowntime: 1\nskin_type: V\nconditions: [eczema]\n")
    doc = recommend_json("-p", str(profile), "-d", "5", "-x", "keloids")
    assert doc["profile"]["downtime"] == 5
    assert doc["profile"]["skin_type"] == 5
    assert doc["profile"]["conditions"] == ["eczema", "keloids"]
    json_profile = tmp_path / "me.json"
    json_profile.write_text(json.dumps({"concerns": ["sagging"], "setting": "clinic"}))
    assert recommend_json("-p", str(json_profile))["recommendations"][0]["id"] == "microcurrent"


def test_a_second_profile_file_is_refused_not_swapped_in(tmp_path: Path) -> None:
    """Click keeps the last of a repeated option: a second -p would drop the first's pregnancy unsaid."""
    (tmp_path / "anna.yaml").write_text("concerns: [acne_scars]\nconditions: [pregnant]\n")
    (tmp_path / "limits.yaml").write_text("concerns: [acne_scars]\nskin_type: 2\n")
    files = ("-p", str(tmp_path / "anna.yaml"), "--profile", str(tmp_path / "limits.yaml"))
    message = "skinrec: error: --profile is given 2 times; give one profile file, and flags to add to or change it\n"
    for argv in (("recommend", *files), ("compare", "microneedling", "microcurrent", *files)):
        run = cli(*argv)
        assert (run.code, run.stdout, run.stderr) == (2, "", message)


def test_a_second_output_or_format_is_refused_as_a_second_profile_is(tmp_path: Path) -> None:
    """`-o r.json -o r.md` wrote r.md alone, and said nothing of r.json; `-f json -f md` kept the last too."""
    refused = {
        ("recommend", "-c", "acne_scars", "-o", str(tmp_path / "r.json"), "-o", str(tmp_path / "r.md")): "--output "
        "is given 2 times; give one file, and run skinrec again for another",
        ("recommend", "-c", "acne_scars", "-f", "json", "--format", "md"): "--format is given 2 times; give one "
        "format, and run skinrec again for another",
        ("batch", "-", "-o", str(tmp_path / "a.jsonl"), "--output", str(tmp_path / "b.jsonl")): "--output is given 2 "
        "times; give one file for the results",
    }
    for argv, message in refused.items():
        run = cli(*argv, input='{"concerns": ["acne_scars"]}\n')
        assert (run.code, run.stdout, run.stderr) == (2, "", f"skinrec: error: {message}\n")
    assert list(tmp_path.iterdir()) == []
    # once is still fine, and so is leaving them out (batch writes to stdout)
    assert cli("recommend", "-c", "acne_scars", "-o", str(tmp_path / "r.md"), "-f", "json").code == 0
    assert json.loads((tmp_path / "r.md").read_text())["recommendations"]
    assert json.loads(cli("batch", "-", input='{"concerns": ["acne_scars"]}\n').stdout)["recommendations"]


def test_a_profile_piped_to_stdin_with_p_dash(tmp_path: Path) -> None:
    """A clinic's script can pipe a profile in, YAML or JSON (tabs too, which YAML refuses), as `batch -` does."""
    text = "concerns: [acne_scars, fine_lines]\ndowntime: 2\nskin_type: IV\nconditions: [eczema]\n"
    (tmp_path / "me.yaml").write_text(text)
    from_file = cli("recommend", "-p", str(tmp_path / "me.yaml"), "-f", "json")
    piped = cli("recommend", "-p", "-", "-f", "json", input=text)
    assert (piped.code, piped.stdout) == (0, from_file.stdout)
    tabbed = cli("recommend", "-p", "-", "-f", "json", "-d", "5", input='{"concerns":\t["sagging"]}')
    assert json.loads(tabbed.stdout)["profile"] == recommend_json("-c", "sagging", "-d", "5")["profile"]
    bad = cli("recommend", "-p", "-", input="concerns: [acne_scars]\nskin_type: 9\n")
    assert bad.code == 1
    assert bad.stderr.startswith("skinrec: error: <stdin>:2:1: skin_type: 9 is not a Fitzpatrick skin type")
    asking = cli("recommend", "-p", "-", "-i", input="concerns: [acne_scars]\n")
    assert (asking.code, asking.stderr) == (
        2,
        "skinrec: error: -p - reads the profile from stdin, where -i would ask its questions; save it to a file\n",
    )


def test_top_limits_but_keeps_ranks() -> None:
    doc = recommend_json("-c", "fine_lines", "-n", "2")
    assert [rec["rank"] for rec in doc["recommendations"]] == [1, 2]
    everything = recommend_json("-c", "fine_lines", "-n", "0")
    assert len(everything["recommendations"]) == 11 - len(everything["excluded"]) - len(everything["not_relevant"]) > 2


def test_nothing_fits_is_not_an_error() -> None:
    doc = recommend_json("-c", "vellus_hair", "--active-acne")
    assert doc["recommendations"] == []
    assert doc["excluded"][0]["id"] == "dermaplaning"
    assert doc["summary"].startswith("Nothing fits")
    run = cli("recommend", "-c", "vellus_hair", "--active-acne")
    assert run.code == 0
    assert "Nothing fits" in run.stdout


def test_near_misses_in_json() -> None:
    doc = recommend_json("-c", "acne_scars", "-d", "3", "-s", "2")
    laser = next(miss for miss in doc["near_misses"] if miss["id"] == "laser_ablative")
    assert laser["changes"] == {"downtime": 7}
    assert laser["text"].startswith(
        "allowing 7 days of downtime would add Ablative laser resurfacing (CO2 / erbium) at #"
    )


def test_table_fits_80_columns_without_colour_when_piped() -> None:
    run = cli("recommend", "-c", "acne_scars", "-c", "enlarged_pores", "-s", "VI", "-x", "herpes_history")
    assert run.code == 0
    assert not ANSI.search(run.stdout)
    assert max(len(line) for line in run.stdout.splitlines()) <= 80
    for word in ("Recommended", "Ruled out", "Preparation", "Aftercare", "not medical advice"):
        assert word in run.stdout


def test_markdown_report() -> None:
    run = cli("recommend", "-c", "acne_scars", "-d", "3", "-f", "markdown", "--pregnant")
    assert run.code == 0
    assert run.stdout.startswith("# skinrec recommendations")
    assert "## Ruled out" in run.stdout
    assert "`pregnancy-breastfeeding-exclude`" in run.stdout


# Markdown as GitHub reads it (CommonMark, with tables and strikethrough), to read reports back with.
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Markdown's inline syntax, as a clinic's own knowledge base may hold it in its text.
MARKED = "*Micro*_needling_ [v2](http://x) <b>|</b> `pen` &amp; \\*"


@pytest.mark.parametrize(
    "text",
    [
        *(MARKED, "# Best", "- item", "+ item", "> quote", "1. first", "12) twelfth", "___", "~~gone~~"),
        *("![i](x.png)", "<http://x>", "x &#42; y", "two\nlines", "two\r\nlines", "herpes_history"),
        *("---", "- - -", "-", "#", "12.", "1999) a year", ">50%"),
    ],
)
def test_markdown_text_reads_as_written_in_a_paragraph_and_in_a_table_cell(text: str) -> None:
    """Its syntax is escaped, and a line break is a <br>, which ends neither a table's row nor a list's item."""
    html = escapeHtml(text).replace("\r\n", "<br>").replace("\n", "<br>")
    assert MARKDOWN.render(md(text, starts_line=True)) == f"<p>{html}</p>\n"
    assert f"<td>{html}</td>" in MARKDOWN.render(f"| a |\n|---|\n| {md(text)} |\n")


def test_markdown_text_without_syntax_is_left_as_it_is() -> None:
    """The shipped knowledge base's report is unchanged: `_` inside a word is a letter to Markdown, and `&` is
    only an entity's start before `name;`."""
    for text in ("herpes_history=yes, skin_type=IV", "Q&A with a dermatologist", "-3 course cost of $300-$4,800"):
        assert md(text) == text
    # nor does a line start with what only starts a block with a space after it: `2.5 mm` is no list item
    for text in ("2.5 mm needles", "-5% off", "+1 session", "#1 choice", "1)2"):
        assert md(text, starts_line=True) == text
        assert MARKDOWN.render(text) == f"<p>{escapeHtml(text)}</p>\n"


def test_a_knowledge_base_s_markdown_is_shown_not_obeyed(tmp_path: Path) -> None:
    """`recommend --kb DIR -f markdown` put a clinic's text into the report as it was: a name with `|` cut a table
    row in two, `*` made emphasis, `[...](...)` a link, `# ` a heading."""
    kb = copy_kb(tmp_path / "kb")
    edit(kb, "data/treatments.yaml", "    name: Microneedling", f"    name: {json.dumps(MARKED)}")
    edit(kb, "data/treatments.yaml", 'summary: "Clinic treatment', 'summary: "# Best\\n- for scars. Clinic treatment')
    edit(
        kb,
        "rules/pregnancy.yaml",
        'message: "Postpone this treatment',
        'message: "1. Postpone *now*\\n> this treatment',
    )
    edit(kb, "data/sources.yaml", 'title: "StatPearls: Microneedling"', 'title: "[StatPearls](http://x) *MN*"')
    edit(kb, "data/sources.yaml", '"https://www.statpearls.com/sp/ms/38285/"', '"https://example.com/a_(b)"')
    edit(kb, "rules/conditions.yaml", "label: Pregnant", 'label: "<i>Pregnant</i>"')
    html = {}
    for flag in ("--explain", "--pregnant"):
        argv = ["-c", "acne_scars", "--explain", flag, "-f", "markdown"]
        html[flag] = MARKDOWN.render(cli("recommend", "--kb", str(kb), *argv).stdout)
        # the same headings, tables, rows, cells, lists, emphasis and links as the shipped base's report
        tags = [tag for tag in re.findall(r"<(\w+)", html[flag]) if tag != "br"]
        assert sorted(tags) == sorted(re.findall(r"<(\w+)", MARKDOWN.render(cli("recommend", *argv).stdout)))
        assert escapeHtml(MARKED) in html[flag]  # recommended, and then ruled out
    assert "<p># Best<br>- for scars. Clinic treatment" in html["--explain"]
    assert '<a href="https://example.com/a_(b)">[StatPearls](http://x) *MN*</a>' in html["--explain"]
    assert f"1. Postpone *now*<br>{escapeHtml('> this treatment')}" in html["--pregnant"]
    assert escapeHtml("conditions: <i>Pregnant</i>") in html["--pregnant"]


def test_output_file_is_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    run = cli("recommend", "-c", "acne_scars", "-f", "json", "-o", str(out))
    assert run.code == 0
    assert run.stdout == ""
    ResultDocument.model_validate(json.loads(out.read_text()))
    assert list(tmp_path.iterdir()) == [out], "no temporary file left behind"


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["-c", "acne scarz"], 2, "--concern: unknown concern 'acne scarz' — did you mean 'acne_scars'?"),
        (
            ["-c", "acne_scars", "-x", "pregnent"],
            2,
            "--condition: unknown condition 'pregnent' — did you mean 'pregnant'?",
        ),
        (["-c", "acne_scars", "-d", "-1"], 2, "--downtime: downtime cannot be negative (-1); use 0 or more"),
        (
            ["-c", "acne_scars", "-d", "soon"],
            2,
            "--downtime: downtime must be a number, not 'soon'; write it in digits, such as 3 or 7.5",
        ),
        (
            ["-c", "acne_scars", "-b", "lots"],
            2,
            "--budget: budget must be a number, not 'lots'; write it in digits, such as 1500 or $1,500",
        ),
        (
            ["-c", "acne_scars", "-d", "none"],
            2,
            "--downtime: downtime 'none' could mean 0 or no limit; answer 0, or 'no limit'",
        ),
        (
            ["-c", "acne_scars", "-b", "No"],
            2,
            "--budget: budget 'No' could mean 0 or no limit; answer 0, or 'no limit'",
        ),
        *[
            (
                ["-c", "acne_scars", "-d", text],
                2,
                f"--downtime: downtime must be a plain number of days, e.g. 3 or 7.5, not '{text}'; write decimals "
                "with a point (2.5)",
            )
            for text in ("2,5", "1,2,3", ",5", "1,5000", "1,500,00")
        ],
        (
            ["-c", "acne_scars", "-s", "7"],
            2,
            "--skin-type: '7' is not a Fitzpatrick skin type; use I-VI or 1-6 (or leave it out if unsure)",
        ),
        (["-c", "acne_scars", "--setting", "spa"], 2, "--setting: setting must be one of any, clinic, home, not 'spa'"),
        (
            [],
            2,
            "no concerns given (stdin is not a terminal, so skinrec will not ask); pass --concern ID (repeatable) or --profile FILE",
        ),
    ],
)
def test_bad_input_is_one_line(argv: list[str], code: int, message: str) -> None:
    run = cli("recommend", *argv)
    assert run.code == code
    assert run.stderr == f"skinrec: error: {message}\n"
    assert run.stdout == ""


@pytest.mark.parametrize(("text", "amount"), [("1,500", 1500), ("$12,000.50", 12000.5), ("1,000,000", 1000000)])
def test_thousands_may_be_grouped_with_commas(text: str, amount: float) -> None:
    run = cli("recommend", "-c", "acne_scars", "-b", text, "-f", "json")
    assert run.code == 0
    assert json.loads(run.stdout)["profile"]["budget"] == amount


def test_a_bad_choice_is_named_in_plain_words() -> None:
    run = cli("recommend", "-c", "acne_scars", "-f", "xml")
    assert (run.code, run.stderr) == (
        2,
        "skinrec: error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', 'markdown' (or "
        "'md'). (see 'skinrec recommend --help')\n",
    )
    # md, as in -o report.md, in any case, for recommend and the browsing commands alike
    assert cli("recommend", "-c", "acne_scars", "-f", "MD").stdout.startswith("# skinrec recommendations")
    assert cli("treatments", "--format", "md").stdout.startswith("# Treatments")


def test_unknown_format_and_option_are_usage_errors() -> None:
    for argv in (["-c", "acne_scars", "-f", "xml"], ["-c", "acne_scars", "--colour"], ["-c", "acne_scars", "-n", "x"]):
        run = cli("recommend", *argv)
        assert run.code == 2
        assert len(run.stderr.splitlines()) == 1
        assert run.stderr.startswith("skinrec: error: ")
        assert "Traceback" not in run.stderr


def test_bad_profile_file_names_file_line_and_key(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text("concerns: [acne_scars]\nskin_type: 9\n")
    run = cli("recommend", "-p", str(profile))
    assert run.code == 1
    assert run.stderr == (
        f"skinrec: error: {profile}:2:1: skin_type: 9 is not a Fitzpatrick skin type; use I-VI or 1-6 "
        "(or leave it out if unsure)\n"
    )
    profile.write_text("concerns: [acne_scars\n")
    run = cli("recommend", "-p", str(profile))
    assert run.code == 1
    assert run.stderr.startswith(f"skinrec: error: {profile}:1:11: invalid YAML: a '[' list starts here")
    profile.write_text("concern: [acne_scars]\n")
    assert cli("recommend", "-p", str(profile)).stderr == (
        f"skinrec: error: {profile}:1:1: concern: unknown key; did you mean 'concerns'?\n"
    )
    assert cli("recommend", "-p", str(tmp_path / "missing.yaml")).code == 1
    # a wrong item of a list is found where it stands, in either way of writing a list
    profile.write_text("concerns: [acne_scars]\nconditions: [keloids, accutan]\n")
    assert cli("recommend", "-p", str(profile)).stderr.startswith(f"skinrec: error: {profile}:2:23: conditions: ")
    profile.write_text("concerns:\n  - acne_scars\n  - acne scarz\n")
    assert cli("recommend", "-p", str(profile)).stderr.startswith(f"skinrec: error: {profile}:3:5: concerns: ")


def test_output_errors_leave_nothing_behind(tmp_path: Path) -> None:
    run = cli("recommend", "-c", "acne_scars", "-o", str(tmp_path))
    assert run.code == 1
    assert "is a directory" in run.stderr
    run = cli("recommend", "-c", "acne_scars", "-o", str(tmp_path / "no" / "such" / "out.json"))
    assert run.code == 1
    assert "does not exist" in run.stderr


def test_result_schema_command() -> None:
    run = cli("schema", "result")
    schema = json.loads(run.stdout)
    assert schema["title"].startswith("skinrec recommendation document")
    assert set(schema["required"]) >= {"schema_version", "recommendations", "excluded", "not_relevant", "near_misses"}


def test_the_published_schemas_are_as_tight_as_the_documents() -> None:
    """A field that is absent when it does not apply is never null; an exclusion reason is a rule or a
    constraint; a near miss changes only the three limits."""
    defs = json.loads(cli("schema", "batch").stdout)["$defs"]
    for model, field in [("ResultDocument", "id"), ("ResultDocument", "explain"), ("BatchErrorRecord", "id")]:
        assert '"null"' not in json.dumps(defs[model]["properties"][field]), (model, field)
    reasons = defs["ExcludedOut"]["properties"]["reasons"]["items"]["anyOf"]
    assert [defs[ref["$ref"].split("/")[-1]]["required"][0] for ref in reasons] == ["rule", "constraint"]
    assert defs["NearMissOut"]["properties"]["changes"]["propertyNames"] == {"enum": ["downtime", "budget", "setting"]}
    with pytest.raises(ValidationError):  # neither key
        ResultDocument.model_validate(
            {**recommend_json("-c", "acne_scars", "-d", "0"), "excluded": [{"id": "x", "name": "X", "reasons": [{}]}]}
        )


def test_batch_schema_describes_results_and_error_records() -> None:
    schema = json.loads(cli("schema", "batch").stdout)
    assert schema["title"].startswith("skinrec batch output line")
    assert schema["anyOf"] == [{"$ref": "#/$defs/ResultDocument"}, {"$ref": "#/$defs/BatchErrorRecord"}]
    assert set(schema["$defs"]["BatchErrorRecord"]["properties"]) == {"id", "line", "error"}
    # open to fields added later in 1.x, as the README promises readers; the models themselves stay strict
    assert '"additionalProperties": false' not in json.dumps(schema) + cli("schema", "result").stdout
    source = '{"id": "a", "concerns": ["acne_scars"]}\n{"id": "b", "concerns": ["acne scarz"]}\n[]\n'
    scored, bad, shapeless = (json.loads(line) for line in cli("batch", "-", input=source).stdout.splitlines())
    line = TypeAdapter(BatchLine)
    assert isinstance(line.validate_python(scored), ResultDocument)
    assert isinstance(line.validate_python(bad), BatchErrorRecord) and bad["id"] == "b"
    assert line.validate_python(shapeless) == BatchErrorRecord(line=3, error=shapeless["error"])
    with pytest.raises(ValidationError):
        ResultDocument.model_validate(bad)


def test_a_profile_without_concerns_is_blamed_not_the_terminal(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    conditions = tmp_path / "conditions.yaml"
    conditions.write_text("conditions: [pregnant]\n")
    fix = "the profile names no concerns; add them to it, e.g. 'concerns: [acne_scars]', or pass --concern ID"
    for argv, name in [(["-p", str(empty)], empty), (["-p", "-"], "<stdin>"), (["-p", str(conditions)], conditions)]:
        run = cli("recommend", *argv, input="")
        assert (run.code, run.stderr) == (1, f"skinrec: error: {name}: {fix}\n")
    run = cli("recommend", "-p", str(conditions), "-c", "acne_scars", "-f", "json")
    assert run.code == 0 and json.loads(run.stdout)["profile"]["conditions"] == ["pregnant"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_profile_is_refused_after_a_mebibyte() -> None:
    run = cli("recommend", "-p", "/dev/zero")
    assert (run.code, run.stderr) == (
        1,
        "skinrec: error: /dev/zero: a profile is at most 1 MiB; is this the right file?\n",
    )


def test_a_rule_fired_by_an_unknown_skin_type_says_so() -> None:
    """docs/knowledge-base.md: a rule whose skin-type test is unknown fires, and says that is why."""

    def deep_peel(*argv: str) -> list[Any]:
        doc = json.loads(cli("recommend", "-c", "acne_scars", "-f", "json", *argv).stdout)
        return [item["reasons"] for item in doc["excluded"] if item["id"] == "chemical_peel_deep"]

    note = "(Your skin type was not given, so skinrec assumes this applies to you.)"
    [[unknown]] = deep_peel()
    assert unknown["rule"] == "dark-skin-deep-peel" and unknown["message"].endswith(" " + note)
    [[known]] = deep_peel("-s", "V")
    assert known["rule"] == "dark-skin-deep-peel" and note not in known["message"]
    assert deep_peel("-s", "II") == []
    assert note in cli("recommend", "-c", "acne_scars", "-f", "markdown").stdout


def test_a_json_profile_with_a_key_given_twice_is_refused(tmp_path: Path) -> None:
    """JSON profiles go through the YAML reader, which refuses a repeated key; those YAML cannot read (a tab)
    fall back to the json module, which must refuse it too rather than keep the last value."""
    for name, text in [
        ("plain.json", '{"conditions": ["pregnant"], "conditions": []}'),
        ("tab.json", '{"conditions":\t["pregnant"], "conditions": []}'),
    ]:
        profile = tmp_path / name
        profile.write_text(text)
        run = cli("recommend", "-c", "acne_scars", "-p", str(profile))
        assert run.code == 1
        assert run.stderr.startswith(f"skinrec: error: {profile}") and "duplicate key 'conditions'" in run.stderr


def test_a_number_beyond_exact_floats_is_not_echoed_with_invented_digits() -> None:
    run = cli("recommend", "-c", "acne_scars", "-d", "99999999999999999999999", "-f", "json")
    assert (run.code, run.stdout) == (2, "")
    assert run.stderr == (
        "skinrec: error: --downtime: downtime must be at most 365 days, not '99999999999999999999999'; for no limit, "
        "leave it out or write 'no limit'\n"
    )


def test_a_whole_course_cost_is_written_as_a_whole_number(kb_copy: Path) -> None:
    """2 sessions at $75.50 make a $151 course: written 151, as every whole amount is (never 151.0, which the
    engine's memos would also hold as one with another treatment's 151)."""
    path = kb_copy / "data" / "treatments.yaml"
    text = path.read_text()
    text = text.replace(
        "sessions: {min: 3, max: 6, sources: [botoxnearme_mn]}",
        "sessions: {min: 2, max: 6, sources: [botoxnearme_mn]}",
        1,
    )
    text = text.replace("cost_per_session_usd: {min: 100, max: 800,", "cost_per_session_usd: {min: 75.5, max: 800,", 1)
    path.write_text(text)
    document = json.loads(cli("recommend", "--kb", str(kb_copy), "-c", "acne_scars", "-b", "100", "-f", "json").stdout)
    budget = next(miss for miss in document["near_misses"] if miss["id"] == "microneedling")["changes"]["budget"]
    assert (budget, type(budget)) == (151, int)
    shown = json.loads(cli("show", "microneedling", "--kb", str(kb_copy), "-f", "json").stdout)
    course = shown["treatment"]["course_cost_usd"]
    assert (course["min"], type(course["min"])) == (151, int)


def test_a_course_cost_is_to_the_cent(kb_copy: Path) -> None:
    """3 sessions at $50.20 cost $150.60; in binary floating point, 150.60000000000002, which refused a budget of
    $150.60 ("the cheapest course costs $150.60; your budget is $150.60") and leaked into the JSON."""
    path = kb_copy / "data" / "treatments.yaml"
    text = path.read_text().replace(
        "cost_per_session_usd: {min: 75, max: 250,", "cost_per_session_usd: {min: 50.2, max: 250,"
    )
    path.write_text(text)
    argv = ("recommend", "--kb", str(kb_copy), "-c", "vellus_hair", "-b", "150.60", "--setting", "clinic", "-f", "json")
    document = json.loads(cli(*argv).stdout)
    assert [rec["id"] for rec in document["recommendations"]] == ["dermaplaning"]
    shown = json.loads(cli("show", "dermaplaning", "--kb", str(kb_copy), "-f", "json").stdout)
    assert shown["treatment"]["course_cost_usd"]["min"] == 150.6


@pytest.mark.parametrize(
    ("name", "flags", "starts"),
    [
        ("out.json", [], "{\n"),
        ("out.JSON", [], "{\n"),
        ("out.md", [], "# skinrec recommendations"),
        ("out.markdown", [], "# skinrec recommendations"),
        ("out.txt", [], "Profile: "),
        ("out.json", ["-f", "table"], "Profile: "),
        ("out.md", ["-f", "JSON"], "{\n"),
    ],
)
def test_the_output_file_name_chooses_the_format_unless_f_does(
    tmp_path: Path, name: str, flags: list[str], starts: str
) -> None:
    target = tmp_path / name
    run = cli("recommend", "-c", "acne_scars", "-o", str(target), *flags)
    assert run.code == 0, run.stderr
    assert target.read_text().startswith(starts)


@pytest.mark.parametrize("budget", ["299.995", "0.001", "$1,000.125"])
def test_a_budget_in_fractions_of_a_cent_is_refused(budget: str) -> None:
    """$299.995 used to read "the cheapest course costs $300; your budget is $300.00"."""
    run = cli("recommend", "-c", "acne_scars", "-b", budget)
    assert run.code == 2
    assert "has fractions of a cent; give whole cents, such as" in run.stderr
    assert cli("recommend", "-c", "acne_scars", "-b", "12.34", "-f", "json").code == 0


def test_markdown_lists_several_reasons_for_ruling_out_as_sentences() -> None:
    run = cli(
        "recommend", "-c", "acne_scars", "-c", "fine_lines", "-x", "keloids", "-s", "VI", "-d", "3", "-f", "markdown"
    )
    row = next(line for line in run.stdout.splitlines() if "`chemical_peel_deep`" in line)
    assert "scars. `dark-skin-deep-peel`: " in row and ".;" not in row
    assert row.endswith("you can take 3. |")
    unknown_skin = cli("recommend", "-c", "acne_scars", "-c", "fine_lines", "-f", "markdown").stdout
    row = next(line for line in unknown_skin.splitlines() if "`chemical_peel_deep`" in line)
    assert row.endswith("assumes this applies to you.) |")


@pytest.mark.parametrize("flag", ["-c", "-x", "-d"])
def test_a_huge_wrong_value_is_cut_short_in_its_message(flag: str) -> None:
    """A 100 kB value used to come back whole in a 100 kB error line."""
    run = cli("recommend", "-c", "acne_scars", flag, "1,2" + "a" * 100_000)
    assert run.code == 2 and "…" in run.stderr and len(run.stderr) < 1_000


def test_a_downtime_of_one_day_is_said_in_the_singular() -> None:
    """The profile line read "downtime ≤ 1 days"."""
    assert "· downtime ≤ 1 day ·" in cli("recommend", "-c", "acne_scars", "-d", "1", "-f", "md").stdout
    assert "· downtime ≤ 0.5 days ·" in cli("recommend", "-c", "acne_scars", "-d", "0.5", "-f", "md").stdout
    assert "· downtime ≤ 0 days ·" in cli("recommend", "-c", "acne_scars", "-d", "0", "-f", "md").stdout


def test_no_conditions_reads_as_none_reported_not_as_a_clean_screen() -> None:
    """Flags alone ask no safety question; 'conditions: none' read as if every question had been answered no."""
    text = cli("recommend", "-c", "acne_scars", "-n", "1", "-f", "markdown").stdout
    assert "· conditions: none reported" in text
    assert "· conditions: History of cold sores" in cli("recommend", "-c", "acne_scars", "-x", "herpes_history").stdout


def test_a_cut_ranking_says_how_many_more_fit() -> None:
    """-n 2 showed two treatments and nothing said eight more fit."""
    fitting = len(json.loads(cli("recommend", "-c", "fine_lines", "-n", "0", "-f", "json").stdout)["recommendations"])
    assert (
        f"{fitting - 2} more fit your profile; -n 0 lists them all."
        in cli("recommend", "-c", "fine_lines", "-n", "2").stdout
    )
    assert "1 more fits your profile" in cli("recommend", "-c", "fine_lines", "-n", str(fitting - 1), "-f", "md").stdout
    assert "more fit" not in cli("recommend", "-c", "fine_lines", "-n", "0").stdout


def test_a_downtime_overrun_is_said_as_it_is() -> None:
    """With a limit of 0.5 days, a 0-1 day treatment 'may run 1 day past' it: the penalty counts each day begun,
    but the words now say the time, half a day."""
    doc = json.loads(cli("recommend", "-c", "acne_scars", "-d", "0.5", "-f", "json").stdout)
    texts = [reason["text"] for rec in doc["recommendations"] for reason in rec["reasons"]]
    assert "downtime of 0-1 days may run 0.5 days past your limit of 0.5" in texts


def test_output_onto_the_file_redirected_to_stdin_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    """`batch - -o in.jsonl < in.jsonl` replaced the patient list with its results, as the named input would
    have been refused; a pipe (nothing to compare) and another file still work."""
    profiles = tmp_path / "in.jsonl"
    profiles.write_text('{"concerns": ["acne_scars"]}\n', encoding="utf-8")
    profile = tmp_path / "me.yaml"
    profile.write_text("concerns: [acne_scars]\n", encoding="utf-8")
    answers = tmp_path / "answers.txt"  # -i reads its answers from stdin: that file is input too
    answers.write_text("3\n" + "\n" * 45, encoding="utf-8")
    for source, argv in [
        (profiles, ["batch", "-"]),
        (profile, ["recommend", "-p", "-"]),
        (answers, ["recommend", "-i"]),
    ]:
        before = source.read_bytes()
        with source.open("rb") as stdin:
            run = subprocess.run(
                [sys.executable, "-m", "skinrec", *argv, "-o", str(source)], stdin=stdin, capture_output=True, text=True
            )
        assert (run.returncode, run.stdout) == (2, ""), argv
        assert run.stderr == (
            f"skinrec: error: -o '{source}' is the input file (read from stdin), which the results would replace; "
            "write them to another file\n"
        )
        assert source.read_bytes() == before
        with source.open("rb") as stdin:
            elsewhere = tmp_path / f"out-{source.name}"
            done = subprocess.run([sys.executable, "-m", "skinrec", *argv, "-o", str(elsewhere)], stdin=stdin)
        assert done.returncode == 0 and elsewhere.stat().st_size > 0


def test_a_run_that_neither_asked_nor_was_told_the_conditions_says_so(tmp_path: Path) -> None:
    """ "conditions: none reported" could be read as a clean safety screen when nobody was asked; a profile
    file's `conditions: []` is an answer, and a condition flag shows the person thought about them."""
    notice = "No conditions were given, so no safety rule about them was applied"
    assert notice in " ".join(cli("recommend", "-c", "acne_scars").stdout.split())
    assert notice in cli("recommend", "-c", "acne_scars", "-f", "markdown").stdout
    assert notice not in " ".join(cli("recommend", "-c", "acne_scars", "-x", "keloids").stdout.split())
    answered = tmp_path / "me.yaml"
    answered.write_text("concerns: [acne_scars]\nconditions: []\n", encoding="utf-8")
    assert notice not in " ".join(cli("recommend", "-p", str(answered)).stdout.split())
    # the document says the same in `notices` (schema 1.1), for a script that shows its own view of the answer
    assert notice in recommend_json("-c", "acne_scars")["notices"][0]
    assert recommend_json("-p", str(answered))["notices"] == []
    lines = cli("batch", "-", input='{"concerns": ["acne_scars"]}\n{"concerns": ["acne_scars"], "conditions": []}\n')
    unasked, answered_line = (json.loads(line)["notices"] for line in lines.stdout.splitlines())
    assert unasked[0].startswith(notice) and unasked[1].startswith("Common with acne scars") and answered_line == []


def test_conditions_common_with_a_concern_are_named_when_nobody_asked(tmp_path: Path) -> None:
    """`-c acne_scars` alone ranked needling first without a word about breakouts: a concern's
    related_conditions that the profile does not list are named, unless the safety questions were answered."""
    said = " ".join(cli("recommend", "-c", "acne_scars", "-c", "burn_scars", "-x", "active_acne").stdout.split())
    assert (
        "Common with acne scars, and not given: Isotretinoin in the last 6 months (isotretinoin_recent). Common with "
        "burn and raised scars, and not given: Keloid scarring (keloids). Add any that apply with -x: they can rule "
        "treatments out."
    ) in said
    assert "Active acne (active_acne)" not in said  # given
    markdown = cli("recommend", "-c", "burn_scars", "-f", "markdown").stdout
    assert "> Common with burn and raised scars, and not given: Keloid scarring (`keloids`)." in markdown
    answered = tmp_path / "me.yaml"
    answered.write_text("concerns: [acne_scars]\nconditions: []\n", encoding="utf-8")
    assert "Common with" not in cli("recommend", "-p", str(answered)).stdout
    assert "Common with" not in cli("recommend", "-c", "fine_lines").stdout  # no related conditions


def test_the_notices_say_how_to_add_a_condition_where_the_profile_came_from(tmp_path: Path) -> None:
    """A batch line was told to "add any that apply with -x", which a line has no way to do, and so was a profile
    file: each is now pointed at its own `conditions` list, and told that the list must hold every condition that
    applies (it answers every safety question). A flag run keeps -x."""
    profile = tmp_path / "me.json"
    profile.write_text('{"concerns": ["burn_scars"]}')
    flag = recommend_json("-c", "burn_scars")["notices"]
    file = recommend_json("-p", str(profile))["notices"]
    line = json.loads(cli("batch", "-", input='{"concerns": ["burn_scars"]}\n').stdout)["notices"]
    assert "add any that apply with -x (" in flag[0] and flag[1].endswith(
        "Add any that apply with -x: they can rule treatments out."
    )
    for said, whose in ((file, "the profile's"), (line, "the line's")):
        assert len(said) == 2 and "-x" not in " ".join(said), said
        assert f": list all that apply in {whose} conditions, or give it an empty list if none do (skinrec" in said[0]
        assert said[1].endswith(
            f"Add any that apply to {whose} conditions list, with every other condition that applies: they can rule "
            "treatments out."
        )
    # the table and Markdown say it too, with a flag added to the file (which answers no safety question)
    table = " ".join(cli("recommend", "-p", str(profile), "-x", "eczema").stdout.split())
    assert "Add any that apply to the profile's conditions list, with every other condition" in table
    markdown = cli("recommend", "-p", str(profile), "-f", "md").stdout
    assert "list all that apply in the profile's `conditions`, or give it an empty list" in markdown


def test_recommendations_that_scored_zero_or_less_are_said_to_be_outweighed() -> None:
    """A rank under "Recommended" with a score of -4 read as advice to have it; the sentence under the ranking
    says which ranks scored 0 or less, and what that means. The JSON keeps them, with their scores."""
    said = " ".join(cli("recommend", "-c", "fine_lines", "-x", "herpes_history", "-n", "4").stdout.split())
    assert (
        "#4 scored 0 or less: it fits your answers, but what counts against it (cautions, penalties) matches or "
        in said
    )
    doc = recommend_json("-c", "fine_lines", "-x", "herpes_history", "-n", "4")
    assert [rec["score"] for rec in doc["recommendations"]][3] <= 0 < doc["recommendations"][2]["score"]
    assert "scored 0 or less" not in cli("recommend", "-c", "fine_lines", "-x", "herpes_history", "-n", "3").stdout
    many = cli("recommend", "-c", "acne_scars", "-s", "V", "--active-acne", "-f", "markdown").stdout
    assert re.search(r"^> #1-#\d+ scored 0 or less: they fit your answers", many, re.M)


def test_compare_with_a_profile_says_what_was_not_given_and_show_marks_each_estimated_cost() -> None:
    """`compare A B -c acne_scars` ranked needling "#1 for you" with neither notice that recommend gives; `show`
    put one "(estimate)" after both costs, leaving the reader to guess which was estimated."""
    compared = " ".join(cli("compare", "microneedling", "laser_ablative", "-c", "acne_scars").stdout.split())
    assert "No conditions were given, so no safety rule about them was applied" in compared
    assert "Common with acne scars, and not given: Active acne (active_acne)" in compared
    screened = cli("compare", "microneedling", "laser_ablative", "-c", "acne_scars", "-x", "active_acne").stdout
    assert "No conditions were given" not in screened and "Active acne (active_acne)" not in screened
    # and its JSON carries them as recommend's does (browsing schema 1.2), for a script's own view of a verdict
    flags = ["compare", "microneedling", "laser_ablative", "-c", "acne_scars", "-f", "json"]
    unasked = json.loads(cli(*flags).stdout)["notices"]
    assert unasked == recommend_json("-c", "acne_scars")["notices"] and len(unasked) == 2
    given = json.loads(cli(*flags, "-x", "active_acne").stdout)["notices"]
    assert given == recommend_json("-c", "acne_scars", "-x", "active_acne")["notices"]
    assert len(given) == 1 and "Isotretinoin" in given[0] and "Active acne" not in given[0]
    assert json.loads(cli("compare", "microneedling", "laser_ablative", "-f", "json").stdout)["notices"] == []
    assert (
        "Cost:        $2.50-$8 per session (estimate); $10-$48 for the course (estimate)"
        in cli("show", "derma_roller").stdout
    )


def test_a_lay_reader_gets_words_not_ids_and_is_told_when_nothing_scored_above_zero() -> None:
    """From a first-time user's walkthrough: "-3 caution herpes-history-caution (herpes_history)" said ids twice;
    "Within reach" offered a TCA peel that would score -29 as if it were advice; "Recommended" headed a list where
    nothing scored above 0; "2 days" was refused at a question asking for days."""
    said = " ".join(cli("recommend", "-c", "acne_scars", "-s", "V", "-x", "herpes_history", "-n", "2").stdout.split())
    assert "-3 caution (History of cold sores)" in said and "-3 caution (skin type V)" in said
    # and the Markdown report's caution lines say it in the same words (they said "because: herpes_history")
    markdown = cli(
        "recommend", "-c", "acne_scars", "-s", "V", "-x", "herpes_history", "-n", "2", "-f", "markdown"
    ).stdout
    assert "(`herpes-history-caution`, because: History of cold sores)" in markdown
    assert "(`dark-skin-pigment-caution`, because: skin type V)" in markdown and "herpes_history)" not in markdown
    argv = ["recommend", "-c", "acne_scars", "-s", "V", "--active-acne", "-d", "2 days", "-b", "2000"]
    low = " ".join(cli(*argv).stdout.split())
    assert "Fit your answers, but none scored above 0" in low and "Recommended" not in low
    assert re.search(r"would add Medium chemical peel \(TCA\) at #\d+, scoring -\d+: what counts against it would", low)
    doc = recommend_json(*argv[1:])
    assert doc["profile"]["downtime"] == 2
    assert all(miss["score"] > 0 or "scoring" in miss["text"] for miss in doc["near_misses"])
    unknown = cli("recommend", "-c", "acne_scars", "--explain").stdout
    assert "skin_type=not given" in unknown and "skin_type=unknown" not in unknown


def test_a_shortcut_flag_whose_condition_a_knowledge_base_lacks_is_named(tmp_path: Path) -> None:
    """The four shortcut flags are fixed, but a clinic's base may rename their ids: `--pregnant` then failed
    with "--condition: unknown condition 'pregnant'", a flag the person never typed."""
    root = copy_kb(tmp_path / "kb")
    for path in [*root.glob("*/*.yaml")]:
        path.write_text(path.read_text().replace("pregnant", "expecting").replace("Pregnant", "Expecting"))
    for command in (["recommend", "-c", "acne_scars"], ["compare", "microneedling", "laser_ablative"]):
        run = cli(*command, "--pregnant", "--kb", str(root), "--no-cache")
        assert run.code == 2 and run.stdout == ""
        assert "--pregnant stands for the condition 'pregnant', which this knowledge base does not name" in run.stderr
        assert "--condition" in run.stderr and len(run.stderr.strip().splitlines()) == 1
        assert cli(*command, "-x", "expecting", "--kb", str(root), "--no-cache").code == 0
    # a shortcut is `-x` with its word, found as -x finds it: by a label that still says "Pregnant"
    (root / "rules" / "conditions.yaml").write_text(
        (root / "rules" / "conditions.yaml").read_text().replace("label: Expecting", "label: Pregnant")
    )
    flagged = cli("recommend", "-c", "acne_scars", "--pregnant", "--kb", str(root), "--no-cache", "-f", "json")
    assert flagged.code == 0 and json.loads(flagged.stdout)["profile"]["conditions"] == ["expecting"]
