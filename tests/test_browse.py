"""The browsing commands: treatments, show, compare, concerns, conditions, rules and rule, in every format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import cli, copy_kb, edit
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from skinrec import browse, engine
from skinrec.knowledge import KnowledgeBase
from skinrec.markdown_text import md
from skinrec.profile import Profile
from skinrec.sheet import Bullets, Column, Grid, Paragraph, Sheet, Span, sheet_markdown
from skinrec.wording import ESTIMABLE

README = Path(__file__).resolve().parents[1] / "README.md"
BROWSE = [
    ["treatments"],
    ["show", "microneedling"],
    ["compare", "microneedling", "laser_ablative"],
    ["concerns"],
    ["conditions"],
    ["rules"],
    ["rule", "bleeding-exclude"],
]


def as_json(*argv: str) -> Any:
    run = cli(*argv, "-f", "json")
    assert run.code == 0, run.stderr
    assert run.stderr == ""
    doc = json.loads(run.stdout)
    assert doc["schema_version"] == browse.BROWSE_SCHEMA_VERSION
    return doc


@pytest.mark.parametrize("argv", BROWSE, ids=lambda argv: argv[0])
def test_every_format(argv: list[str]) -> None:
    table = cli(*argv)
    assert table.code == 0, table.stderr
    markdown = cli(*argv, "--format", "markdown")
    assert markdown.code == 0 and markdown.stdout.startswith("# ")
    as_json(*argv)
    for ident in argv[1:]:
        assert ident in table.stdout and ident in markdown.stdout


def test_treatments(kb: KnowledgeBase) -> None:
    doc = as_json("treatments")
    assert [t["id"] for t in doc["treatments"]] == [t.id for t in kb.treatments]
    needling = doc["treatments"][0]
    assert needling["top_concerns"][0] == {"id": "fine_lines", "rating": "strong"}
    assert needling["course_cost_usd"] == {"min": 300, "max": 4800}
    table = cli("treatments").stdout
    for treatment in kb.treatments:
        assert re.search(rf"│ {treatment.id} +│", table), f"{treatment.id} is whole on its own line"
    assert "1 session" in table and "1 sessions" not in table


def test_show_is_a_full_card(kb: KnowledgeBase) -> None:
    card = as_json("show", "Microneedling")["treatment"]  # a name works as well as an id
    assert card["id"] == "microneedling"
    rules = {item["rule"]: item for item in card["contraindications"]}
    assert {rule.id for rule in kb.rules_for("microneedling")} == set(rules)
    assert rules["bleeding-exclude"]["severity"] == "exclude"
    assert rules["bleeding-exclude"]["when_text"] == "Blood thinners or Bleeding disorder"
    assert card["efficacy"][0]["rating"] == "strong"
    assert all(e["rating"] != "none" for e in card["efficacy"])
    assert card["pain"]["level"] == "mild" and card["pih_risk"]["level"] == "low"
    table = cli("show", "microneedling").stdout
    for heading in ("How it works", "Efficacy", "Not for you if (exclude)", "Take care if (caution)", "Aftercare"):
        assert heading in table
    assert "Blood thinners or Bleeding disorder [bleeding-exclude]" in table
    assert "not medical advice" in table


def test_show_says_which_steps_are_judgments(kb: KnowledgeBase) -> None:
    """A step's `estimate` (advice a source gives for at-home needling, applied to clinic needling) was kept in
    the knowledge base but shown nowhere: the card lists it, and the sheet marks the step as it marks a figure."""
    for treatment in kb.treatments:
        judged = [
            (section, number, step["estimate"])
            for section in ("preparation", "aftercare")
            for number, step in enumerate(treatment.data[section], start=1)
            if step.get("estimate")
        ]
        card = browse.treatment_card(kb, treatment)
        assert [(e["section"], e["step"], e["estimate"]) for e in card["step_estimates"]] == judged, treatment.id
    markdown = cli("show", "microneedling", "-f", "markdown").stdout
    steps = kb.treatment_by_id["microneedling"].data["aftercare"]
    assert f"{md(steps[0]['text'])} (estimate)" in markdown  # the shipped card's first aftercare step is judged
    assert f"{md(steps[1]['text'])} (estimate)" not in markdown and f"{md(steps[1]['text'])}" in markdown
    assert f"Aftercare, step 1: {md(steps[0]['estimate'])}" in markdown


def test_compare_side_by_side() -> None:
    doc = as_json("compare", "microneedling", "laser_ablative", "chemical peel deep")
    assert [t["id"] for t in doc["treatments"]] == ["microneedling", "laser_ablative", "chemical_peel_deep"]
    assert doc["profile"] is None and all(t["verdict"] is None for t in doc["treatments"])
    assert {"id": "acne_scars", "label": "Acne scars"} in doc["concerns"]
    table = cli("compare", "microneedling", "laser_ablative").stdout
    for row in ("How it works", "Acne scars", "Downtime", "Cost per session", "Cost per course", "Pain", "Not if"):
        assert f"│ {row}" in table
    assert "For you" not in table


def test_compare_marks_what_a_profile_rules_out(kb: KnowledgeBase, tmp_path: Path) -> None:
    doc = as_json("compare", "microneedling", "laser_ablative", "-x", "blood_thinners", "-s", "II")
    verdicts = {t["id"]: t["verdict"] for t in doc["treatments"]}
    assert verdicts["microneedling"]["status"] == "ruled_out"
    assert verdicts["microneedling"]["reasons"][0]["rule"] == "bleeding-exclude"
    assert verdicts["laser_ablative"]["status"] == "fits"
    assert verdicts["laser_ablative"]["rank"] is None  # no concern given: no ranking
    assert [c["rule"] for c in verdicts["laser_ablative"]["cautions"]] == ["bleeding-caution"]
    table = cli("compare", "microneedling", "laser_ablative", "-x", "blood_thinners").stdout
    assert "│ For you           │ ruled out " in table and "fits you" in table and "caution bleeding-caution:" in table
    # and why, not just the rule's id (the README promises "which ones the profile rules out, and why")
    markdown = cli("compare", "microneedling", "laser_ablative", "-x", "blood_thinners", "-f", "markdown").stdout
    assert "ruled out<br>bleeding-exclude: Avoid this treatment while you take blood thinners" in markdown
    # a caution gives its advice too, as recommend does, not only its id
    assert "caution bleeding-caution: Tell your practitioner about blood thinners" in markdown

    profile = tmp_path / "me.yaml"
    profile.write_text("concerns: [acne_scars]\nbudget: 1000\n")
    doc = as_json("compare", "microneedling", "laser_ablative", "derma_roller", "-p", str(profile))
    verdicts = {t["id"]: t["verdict"] for t in doc["treatments"]}
    ranked = {
        rec.treatment.id: rec for rec in engine.recommend(Profile(("acne_scars",), budget=1000), kb).recommendations
    }
    assert verdicts["microneedling"]["rank"] == ranked["microneedling"].rank
    assert verdicts["microneedling"]["score"] == ranked["microneedling"].score
    assert verdicts["laser_ablative"]["reasons"] == [
        {"constraint": "budget", "triggers": ["budget"], "message": verdicts["laser_ablative"]["reasons"][0]["message"]}
    ]
    doc = as_json("compare", "microcurrent", "microneedling", "-c", "hair_loss")
    assert doc["treatments"][0]["verdict"]["status"] == "not_relevant"


def test_concerns_and_conditions(kb: KnowledgeBase) -> None:
    concerns = as_json("concerns")["concerns"]
    assert [c["id"] for c in concerns] == list(kb.concerns)
    scars = next(c for c in concerns if c["id"] == "acne_scars")
    assert "pockmarks" in scars["synonyms"]
    ratings = [entry["rating"] for entry in scars["treatments"]]
    assert ratings == sorted(ratings, key=["strong", "moderate", "mild"].index)
    conditions = as_json("conditions")["conditions"]
    assert [c["id"] for c in conditions] == list(kb.conditions)
    pregnant = conditions[0]
    assert pregnant["question"] == kb.conditions["pregnant"]["question"]
    assert "pregnancy-breastfeeding-exclude" in pregnant["rules"]
    assert pregnant["synonyms"] == ["pregnancy"]
    table = cli("conditions").stdout
    assert "Fitzpatrick skin type is asked\nseparately" in table
    assert "also: isotretinoin, accutane, roaccutane" in table
    demoting = {c["id"] for c in conditions if c["pih_demotion"]}
    assert demoting == set(kb.scoring.pih_conditions) == {"recent_tan"}


def test_conditions_say_which_demote_what_risks_dark_marks(kb_copy: Path) -> None:
    """A condition in scoring's `pih_conditions` and no rule's `when` changes scores all the same; the listing
    showed it with no rules, as though its answer did nothing."""
    edit(
        kb_copy,
        "rules/conditions.yaml",
        "  - id: recent_tan\n",
        '  - id: fresh_tan\n    label: Fresh tan\n    question: "Tanned this week?"\n    help: "Self-tan does not count."\n'
        "  - id: recent_tan\n",
    )
    edit(kb_copy, "rules/scoring.yaml", "pih_conditions: [recent_tan]", "pih_conditions: [recent_tan, fresh_tan]")
    doc = as_json("conditions", "--kb", str(kb_copy))
    fresh = next(c for c in doc["conditions"] if c["id"] == "fresh_tan")
    assert fresh["rules"] == [] and fresh["pih_demotion"] is True
    said = "scoring: demotes treatments with a dark-mark (PIH) risk, as darker skin types do"
    markdown = cli("conditions", "--kb", str(kb_copy), "-f", "markdown").stdout
    table = cli("conditions", "--kb", str(kb_copy)).stdout
    questions = " ".join(line.split("│")[2].strip() for line in table.splitlines() if line.count("│") == 3)
    for text in (markdown, questions):  # fresh_tan's, and the shipped recent_tan's
        assert text.count(said) == 2, text
    # and no bare "rules:" line for fresh_tan, which no rule reads (the shipped recent_tan has one)
    assert "does not count. rules:" not in questions and "rules: <br>" not in markdown
    assert markdown.count("rules: ") == len(doc["conditions"]) - 1


def test_rules_lists_and_rules_check_still_works(kb: KnowledgeBase) -> None:
    rules = as_json("rules")["rules"]
    assert [r["id"] for r in rules] == [rule.id for rule in kb.rules]
    assert rules[0]["applies_to"]["resolved"] and rules[0]["file"].startswith("rules/")
    assert "bleeding-exclude" in cli("rules").stdout
    check = cli("rules", "check")
    assert check.code == 0 and "passed, 0 failed" in check.stderr
    assert "bleeding-exclude" not in check.stdout


def test_rule_explains_itself_like_ruff_rule() -> None:
    rule = as_json("rule", "bleeding-exclude")["rule"]
    assert rule["severity"] == "exclude"
    assert rule["when"] == {"any": ["blood_thinners", "bleeding_disorder"]}
    assert rule["file"] == "rules/bleeding.yaml"
    assert rule["sources"][0]["id"] == "seed_003" and rule["tests"]
    assert "\n" not in rule["explanation"]
    table = cli("rule", "bleeding-exclude").stdout
    for seen in ("Severity:", "exclude (never recommended)", "When:", "Applies to:", "File:", "Explanation", "Sources"):
        assert seen in table
    markdown = cli("rule", "dark-skin-deep-peel", "-f", "markdown").stdout
    assert "- **When:** Skin type IV-VI" in markdown


def test_a_source_cited_by_id_in_words_can_be_looked_up(kb: KnowledgeBase) -> None:
    """Explanations cite sources by id, "(mayo_acne)": the Sources list leads with the ids, and no text a
    reader sees points into the reference file the knowledge base was built from ("reference C6")."""
    sheet = " ".join(cli("rule", "keloids-exclude").stdout.split())
    assert "(mayo_acne)" in sheet and "• mayo_acne: Mayo Clinic: Acne treatments" in sheet
    shown = json.dumps([t.data for t in kb.treatments] + [r.data for r in kb.rules])
    assert "reference C" not in shown and "reference C" not in cli("show", "microneedling").stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "microneedle"], "unknown treatment 'microneedle' — did you mean 'microneedling'?"),
        (["compare", "microneedling", "lazer ablative"], "did you mean 'laser_ablative'?"),
        (["rule", "bleeding-exclud"], "unknown rule 'bleeding-exclud' — did you mean 'bleeding-exclude'?"),
        (["compare", "microneedling", "Microneedling"], "compare needs two or more different treatments"),
        (["compare", "microneedling", "dermaplaning", "-x", "pregnent"], "did you mean 'pregnant'?"),
        # a name several records share a word with: all of them, not the one difflib likes (the phenol peel)
        (
            ["show", "chemical peels"],
            "did you mean one of 'chemical_peel_light', 'chemical_peel_medium', 'chemical_peel_deep'?",
        ),
        (["recommend", "-c", "lines"], "did you mean one of 'fine_lines', 'deep_wrinkles'?"),
        (["recommend", "-c", "acne_scars", "-x", "a"], "unknown condition 'a'; known conditions: pregnant,"),
    ],
)
def test_unknown_ids_are_one_line_usage_errors(argv: list[str], message: str) -> None:
    run = cli(*argv)
    assert run.code == 2
    assert run.stdout == ""
    assert len(run.stderr.splitlines()) == 1 and message in run.stderr


def test_markdown_sheet_escapes_table_cells() -> None:
    sheet = Sheet(
        "T",
        (
            Grid(
                (Column("a"), Column("b")),
                (("x | y", ("line\n", Span("an_id", "id"))),),
            ),
        ),
    )
    assert "| x \\| y | line<br>`an_id` |" in sheet_markdown(sheet)


# Markdown as GitHub reads it (CommonMark, with tables and strikethrough), to read the sheets back with.
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def test_markdown_sheet_headings_and_line_starts_read_as_written() -> None:
    """A heading's ` #` at its end is its closing sequence, which Markdown drops; and the text that begins a line
    is the first span with text in it, not an empty one before it."""
    sheet = Sheet("C # #", (Paragraph(("", "# not a heading")), Bullets((("", "- nor a list"),))))
    html = MARKDOWN.render(sheet_markdown(sheet))
    assert html == "<h1>C # #</h1>\n<p># not a heading</p>\n<ul>\n<li>- nor a list</li>\n</ul>\n"


# Markdown syntax in every kind of text the browsing sheets show from a knowledge base, each where it would do harm
# (`# ` or `1. ` beginning a paragraph, `|` in a cell...); `(file, how the value it replaces starts, its text)`.
NAME = "*Micro*_needling_ [v2](http://x) <b>|</b> `pen` &amp; \\*"
SUMMARY = "# Best\n- for scars. Clinic treatment"
MECHANISM = "> A pen\n1. needles ~~deep~~ <!-- x --> ___"
STEP = "- Keep out [of the sun]: http://x\n+ *tan*"
MESSAGE = "1) Avoid *this* | now\n# never"
EXPLANATION = "Needles &amp; blades: <script>x</script> cut `skin` \\ **cut**"
LABEL = "<i>Blood thinners</i> | _x_"
QUESTION = "- Do you take *blood thinners*?"
HELP = "# For example\n[warfarin]: http://x"
CONCERN = "Acne _scars_ ~~pits~~"
DESCRIPTION = "1. Dents | pits\n<after> acne"
SOURCE = "[StatPearls](http://x) *MN*"
URL = "https://example.com/a_(b)"
HOSTILE = [
    ("data/treatments.yaml", "name: Microneedling", NAME),
    ("data/treatments.yaml", 'summary: "Clinic treatment that pricks', SUMMARY),
    ("data/treatments.yaml", 'mechanism: "A pen-like device', MECHANISM),
    ("data/treatments.yaml", 'text: "Keep out of the sun', STEP),
    ("rules/bleeding.yaml", 'message: "Avoid this treatment while you take blood thinners', MESSAGE),
    ("rules/bleeding.yaml", "explanation: >-\n      Needles and blades", EXPLANATION),
    ("rules/conditions.yaml", "label: Blood thinners", LABEL),
    ("rules/conditions.yaml", 'question: "Do you take blood-thinning', QUESTION),
    ("rules/conditions.yaml", 'help: "For example warfarin (Coumadin)', HELP),
    ("data/concerns.yaml", "label: Acne scars", CONCERN),
    ("data/concerns.yaml", 'description: "Dents, pits', DESCRIPTION),
    ("data/sources.yaml", 'title: "StatPearls: Microneedling"', SOURCE),
    ("data/sources.yaml", 'url: "https://www.statpearls.com/sp/ms/38285/"', URL),
    ("data/sources.yaml", 'title: "Colorado Aesthetics Academy', SOURCE),
]
# A YAML text value whole, after its key: quoted, folded over indented lines (`>-`), or plain to the line's end.
VALUE = re.compile(r'(\w+): (?:"(?:[^"\\]|\\.)*"|>-(?:\n {6}.*)+|.*)')


def _tags(html: str) -> list[str]:
    """The elements of a page, but its line breaks (which a hostile text adds)."""
    return sorted(tag for tag in re.findall(r"<(\w+)", html) if tag != "br")


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped knowledge base with `HOSTILE`'s texts in place of those whose value starts as given."""
    kb = copy_kb(tmp_path_factory.mktemp("hostile"))
    for rel, start, text in HOSTILE:
        path = kb / rel
        yaml = path.read_text()
        at = yaml.index(start)
        found = VALUE.match(yaml, at)
        assert found, start
        path.write_text(f"{yaml[:at]}{found[1]}: {json.dumps(text)}{yaml[found.end() :]}")
    return kb


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["show", "microneedling"], [NAME, SUMMARY, MECHANISM, STEP, LABEL, CONCERN, SOURCE, URL]),
        (["rule", "bleeding-exclude"], [MESSAGE, EXPLANATION, LABEL, SOURCE]),
        (["conditions"], [LABEL, QUESTION, HELP]),
        (["concerns"], [CONCERN, DESCRIPTION]),
        (["treatments"], [NAME]),
        (["rules"], [LABEL]),
        (["compare", "microneedling", "laser_ablative"], [NAME, MECHANISM, CONCERN, LABEL]),
        (["compare", "microneedling", "laser_ablative", "-x", "blood_thinners"], [NAME, MECHANISM, LABEL, MESSAGE]),
    ],
    ids=["show", "rule", "conditions", "concerns", "treatments", "rules", "compare", "compare-profile"],
)
def test_a_knowledge_base_s_markdown_is_shown_not_obeyed(hostile_kb: Path, argv: list[str], shown: list[str]) -> None:
    """The sheets escaped only `|`: a clinic's `*`, `[...](...)`, `<i>` or leading `# ` in its text became
    emphasis, a link, HTML or a heading, and the page said what the knowledge base does not."""
    html = MARKDOWN.render(cli(*argv, "--kb", str(hostile_kb), "-f", "markdown").stdout)
    # the same headings, tables, rows, cells, lists and emphasis as the shipped base's sheet, and nothing more
    shipped = MARKDOWN.render(cli(*argv, "-f", "markdown").stdout)
    assert _tags(html) == _tags(shipped)
    text = " ".join(re.sub(r"<(?!br>)[^>]*>", " ", html).split())  # what a reader sees, line breaks as <br>
    for written in shown:  # character for character, a line break as a <br> in a table's cell, a space elsewhere
        seen = escapeHtml(written)
        assert seen.replace("\n", "<br>") in text or seen.replace("\n", " ") in text, (written, text)


def test_json_of_the_browsing_commands_is_documented() -> None:
    """Every key each command prints appears in the README's section on their JSON, so the docs keep up."""
    section = README.read_text().split("## JSON output of the browsing commands", 1)[1].split("\n## ", 1)[0]
    documented = {word for span in re.findall(r"`([^`]+)`", section) for word in re.findall(r"[a-z_]+", span)}

    def keys(value: Any) -> set[str]:
        if isinstance(value, dict):  # condition trees and rule tests have the format of docs/knowledge-base.md
            return set(value) | {k for key, v in value.items() if key not in ("when", "tests") for k in keys(v)}
        if isinstance(value, list):
            return {k for item in value for k in keys(item)}
        return set()

    profile = ["-c", "acne_scars", "-b", "500", "-x", "blood_thinners"]
    for argv in [*BROWSE, ["compare", "microneedling", "laser_ablative", "dermaplaning", *profile]]:
        assert not keys(as_json(*argv)) - documented, argv


def test_every_source_a_treatment_cites_is_shown_with_its_title(kb: KnowledgeBase) -> None:
    """The source behind a treatment's price or downtime was cited in the knowledge base but shown nowhere;
    `show` now lists every source its facts cite, and a recommendation says how many more there are."""

    def cited_in(item: Any) -> set[str]:
        if isinstance(item, dict):
            return set(item.get("sources") or ()) | {s for value in item.values() for s in cited_in(value)}
        if isinstance(item, list):
            return {s for value in item for s in cited_in(value)}
        return set()

    for t in kb.treatments:
        shown = as_json("show", t.id)["treatment"]["sources"]
        assert {source["id"] for source in shown} == cited_in(t.data), t.id
        assert all(source["title"] for source in shown)
        assert [source["id"] for source in shown][: len(t.data["sources"])] == t.data["sources"], "main ones first"
    assert "BotoxNearMe: Cost of microneedling explained" in cli("show", "microneedling").stdout  # its sessions'
    markdown = cli("recommend", "-c", "acne_scars", "-n", "1", "-f", "markdown").stdout
    assert "; 10 more behind its figures: skinrec show microneedling" in markdown


def test_a_pipe_in_the_knowledge_base_keeps_markdown_tables_whole(kb_copy: Path) -> None:
    """Names, labels and messages may hold `|`, which would end a Markdown table cell early."""
    treatments = kb_copy / "data" / "treatments.yaml"
    treatments.write_text(
        treatments.read_text().replace("    name: Microneedling\n", '    name: "Microneedling | pen"\n', 1)
    )
    concerns = kb_copy / "data" / "concerns.yaml"
    concerns.write_text(concerns.read_text().replace("    label: Acne scars\n", '    label: "Acne scars | pits"\n', 1))
    for argv in (
        ["compare", "microneedling", "laser_ablative", "-c", "acne_scars"],
        ["recommend", "-c", "acne_scars", "-x", "pregnant", "--explain"],
        ["treatments"],
    ):
        text = cli(*argv, "--kb", str(kb_copy), "-f", "markdown").stdout
        assert "| pen" in text or "| pits" in text, argv
        for table in re.findall(r"(?:^\|.*\|\n)+", text, re.MULTILINE):
            cells = {len(re.findall(r"(?<!\\)\|", row)) for row in table.splitlines()}
            assert len(cells) == 1, (argv, table)


def test_every_estimated_figure_is_marked_and_explained(kb: KnowledgeBase) -> None:
    """The knowledge base marks a number no source gives exactly as an estimate, with why; `show` and `compare`
    must never print such a number as though a source had given it."""
    for t in kb.treatments:
        card = as_json("show", t.id)["treatment"]
        expected = {key: t.data[key]["estimate"] for key in ESTIMABLE if t.data[key] and t.data[key]["estimate"]}
        assert card["estimates"] == expected, t.id
        text = " ".join(cli("show", t.id, "-f", "markdown").stdout.split())
        for why in [*expected.values(), *(e["estimate"] for e in card["efficacy"] if e["estimate"])]:
            assert " ".join(why.split()) in text, (t.id, why)
    roller = " ".join(cli("show", "derma_roller").stdout.split())
    assert "Cost: $2.50-$8 per session (estimate); $10-$48 for the course (estimate)" in roller
    compared = cli("compare", "derma_roller", "microneedling", "-f", "markdown").stdout
    assert "| Cost per session | $2.50-$8 (estimate) | $100-$800 |" in compared
    assert "| Acne scars | mild (estimate) | strong |" in compared


def test_a_treatment_without_pih_risk_says_so_in_words() -> None:
    for fmt in ("table", "markdown"):
        shown = cli("show", "microcurrent", "-f", fmt, "--no-color", env={"COLUMNS": "200"}).stdout
        assert "no particular risk of dark marks (PIH)" in shown and "none risk" not in shown


def test_compare_takes_the_condition_shortcuts_as_recommend_does() -> None:
    pairs = [("--pregnant", "pregnant"), ("--breastfeeding", "breastfeeding"), ("--active-acne", "active_acne")]
    pairs.append(("--blood-thinners", "blood_thinners"))
    for shortcut, condition in pairs:
        short = cli("compare", "microneedling", "chemical_peel_light", shortcut, "-f", "json")
        assert short.code == 0, short.stderr
        assert (
            short.stdout == cli("compare", "microneedling", "chemical_peel_light", "-x", condition, "-f", "json").stdout
        )


def test_compare_says_no_rule_applies_rather_than_leaving_a_cell_empty() -> None:
    """A clinic's treatment with no contraindication left an empty 'Not if' cell, which read as a gap; "none
    known" then read as a claim about the treatment, when it is only that no rule here names it."""
    from skinrec.browse_sheets import _joined_when
    from skinrec.sheet import spans

    cell = spans(_joined_when("exclude")({"contraindications": []}))
    assert [span.text for span in cell] == ["no rule in this knowledge base"]


def test_compare_says_where_to_add_a_condition(tmp_path: Path) -> None:
    """compare's notices told a profile file's user to add conditions "with -x", as recommend's did: each now
    says where the profile came from, flags or a file."""
    flagged = as_json("compare", "microneedling", "laser_ablative", "-c", "burn_scars")["notices"]
    assert any("-x" in notice for notice in flagged)
    profile = tmp_path / "p.yaml"
    profile.write_text("concerns: [burn_scars]\n")
    filed = as_json("compare", "microneedling", "laser_ablative", "-p", str(profile))["notices"]
    assert len(filed) == 2 and not any("-x" in notice for notice in filed)
    assert all("the profile's conditions" in notice for notice in filed)
