"""The safety promise, held on what a person or a script actually reads: the JSON document (the plain writer and
batch mode's fast one), the Markdown report and the terminal table, for random profiles of the shipped
knowledge base and of random ones, with and without a `--top` limit.

Each output is read back by its structure (the JSON's keys; the Markdown's headings, tables and list items as
a Markdown parser sees them; the table's rows and cells as drawn), never by looking for a name anywhere in the
text, and the ids read so are held to the oracle of test_safety_oracle.py: no treatment an `exclude` rule
rules out is offered (recommended, or named in the details or as a near miss), and every relevant one is
listed as ruled out with exactly the rules that rule it out.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from rich.console import Console
from strategies import Drawn, kb_and_profile, profiles
from test_safety_oracle import SHIPPED, SHIPPED_ORACLE, Oracle, check_document, check_verdicts

from skinrec import engine, fast_export
from skinrec.export import dumps, result_document
from skinrec.knowledge import KnowledgeBase
from skinrec.profile import Profile
from skinrec.render_markdown import render_markdown
from skinrec.render_table import render_table

MARKDOWN = MarkdownIt("commonmark").enable(["table"])
CONSTRAINTS = ("setting", "downtime", "budget")  # what an exclusion names when no rule made it
NEAR_MISS = re.compile(r".* would add (?P<name>.+) at #\d+(?:, scoring .*)?")
NOT_RELEVANT = "Not relevant to your concerns:"
TOPS = st.sampled_from([None, 0, 1, 2, 3, 10])
# What an output offers, what it rules out (each id with the rule ids its reasons name) and, where it lists
# them by id, the treatments it calls not relevant.
Views = tuple[list[str], list[tuple[str, list[str]]], list[str] | None]


def _rules(names: list[str]) -> list[str]:
    return [name for name in names if name not in CONSTRAINTS]


def _text(inline: Token) -> str:
    """An inline token's text as a reader sees it: Markdown's escapes undone, code spans as their content."""
    return "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))


def _codes(inline: Token) -> list[str]:
    return [child.content for child in inline.children or () if child.type == "code_inline"]


def _named(oracle: Oracle, text: str, ident: str) -> str:
    """`NAME (ID)` as the reports name a treatment: the name must be that treatment's own."""
    name = text.removesuffix(f" ({ident})")
    assert name != text and oracle.treatment_named(name) == ident, text
    return ident


def markdown_views(oracle: Oracle, text: str) -> Views:
    shown: list[str] = []
    excluded: list[tuple[str, list[str]]] = []
    not_relevant: list[str] = []  # the report leaves the line out when there are none
    section, in_body, in_item = "", False, False
    row: list[Token] = []
    tokens = MARKDOWN.parse(text)
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            section = _text(tokens[index + 1])
            ranked = re.fullmatch(r"\d+\. (?P<named>.+) — score -?\d+", section)
            if ranked:  # `## 1. Name (`id`) — score 11`: a recommendation
                (ident,) = _codes(tokens[index + 1])
                shown.append(_named(oracle, ranked["named"], ident))
                section = "recommendation"
        elif token.type in ("tbody_open", "tbody_close"):
            in_body = token.type == "tbody_open"
        elif token.type in ("list_item_open", "list_item_close"):
            in_item = token.type == "list_item_open"
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and in_body:
            row.append(token)
        elif token.type == "tr_close" and in_body and section == "Ruled out":
            treatment, why = row
            (ident,) = _codes(treatment)
            excluded.append((_named(oracle, _text(treatment), ident), _rules(_codes(why))))
        elif token.type == "inline" and _text(token).startswith(NOT_RELEVANT):
            not_relevant = _codes(token)
        elif token.type == "inline" and in_item and section == "Within reach":
            shown.append(oracle.treatment_named(_match(NEAR_MISS, _text(token))["name"]))
    return shown, excluded, not_relevant


def _match(pattern: re.Pattern[str], text: str) -> re.Match[str]:
    found = pattern.fullmatch(text)
    assert found, text
    return found


def _tables(lines: list[str]) -> Iterator[tuple[list[str], list[list[list[str]]]]]:
    """Each table Rich drew: its header's cells, and its rows, each a list of cells, each the cell's lines."""
    lines_left = iter(lines)
    for line in lines_left:
        if not line.startswith("┏"):
            continue
        header = [cell.strip() for cell in next(lines_left).split("┃")[1:-1]]
        rows: list[list[list[str]]] = [[[] for _ in header]]
        for body in lines_left:
            if body.startswith("├"):
                rows.append([[] for _ in header])
            elif body.startswith("│"):
                for cell, part in zip(rows[-1], body.split("│")[1:-1], strict=True):
                    if part.strip():
                        cell.append(part.strip())
            elif body.startswith("└"):
                break
        yield header, rows


def _cell(oracle: Oracle, cell: list[str]) -> str:
    """A Treatment cell: the name (on one line or more), then the id."""
    *name, ident = cell
    assert oracle.treatment_named(" ".join(name)) == ident, cell
    return ident


def table_views(oracle: Oracle, text: str) -> Views:
    lines = [line.rstrip() for line in text.splitlines()]
    shown: list[str] = []
    excluded: list[tuple[str, list[str]]] = []
    for header, rows in _tables(lines):
        if header == ["#", "Treatment", "Score", "Why (points)"]:
            shown += [_cell(oracle, treatment) for _, treatment, _, _ in rows]
        elif header == ["Treatment", "Why"]:
            for treatment, why in rows:
                names = [found[1] for line in why if (found := re.match(r"\[([^\]\s]+)\] ", line))]
                excluded.append((_cell(oracle, treatment), _rules(names)))
        else:  # --explain's, of rules: it names no treatment
            assert header == ["Rule", "Severity", "Fired", "Facts read"], header
    if "Details" in lines:  # `1. Name (id)`, unindented, then the treatment's details indented under it
        for line in lines[lines.index("Details") + 1 :]:
            heading = re.fullmatch(r"\d+\. (?P<named>.+ \((?P<id>[a-z][a-z0-9_]*)\))", line)
            if heading:
                shown.append(_named(oracle, heading["named"], heading["id"]))
            elif not line.startswith(" "):
                break
    if "Within reach" in lines:  # `• text`, wrapped lines indented under the text
        items: list[str] = []
        for line in lines[lines.index("Within reach") + 1 :]:
            if line.startswith("• "):
                items.append(line[2:].strip())
            elif line.startswith(" ") and items:
                items[-1] += " " + line.strip()
            else:
                break
        shown += [oracle.treatment_named(_match(NEAR_MISS, item)["name"]) for item in items]
    return shown, excluded, None


def check_outputs(
    kb: KnowledgeBase, oracle: Oracle, profile: Profile, top: int | None, screened: bool, explain: bool
) -> None:
    result = engine.recommend(profile, kb)
    plain = json.loads(dumps(result_document(kb, result, top, screened, origin="flag")))
    check_document(oracle, profile, plain, "result_document")
    fast = json.loads(fast_export.document_line(kb, profile, top, None, screened, origin="flag"))
    check_document(oracle, profile, fast, "document_line")
    report = render_markdown(kb, result, top, explain=explain, screened=screened, origin="flag")
    check_verdicts(oracle, profile, *markdown_views(oracle, report), where=f"Markdown report\n{report}")
    console = Console(file=io.StringIO(), width=200, color_system=None)
    render_table(console, kb, result, top, explain, screened, origin="flag")
    drawn = console.file.getvalue()  # type: ignore[attr-defined]
    check_verdicts(oracle, profile, *table_views(oracle, drawn), where=f"table\n{drawn}")


EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@EXAMPLES
@given(profiles(tuple(SHIPPED.concerns), tuple(SHIPPED.conditions)), TOPS, st.booleans(), st.booleans())
def test_shipped_outputs_never_offer_what_is_ruled_out(
    profile: Profile, top: int | None, screened: bool, explain: bool
) -> None:
    check_outputs(SHIPPED, SHIPPED_ORACLE, profile, top, screened, explain)


@EXAMPLES
@given(kb_and_profile(), TOPS, st.booleans(), st.booleans())
def test_random_outputs_never_offer_what_is_ruled_out(
    case: Drawn, top: int | None, screened: bool, explain: bool
) -> None:
    check_outputs(case.kb, Oracle.of(case.doc), case.profile, top, screened, explain)


def test_the_readers_read_what_the_outputs_show() -> None:
    """Against a vacuous reader: a profile with recommendations, exclusions by rules and by limits, near misses
    and treatments not relevant, read back from each format to the same ids as the engine's result."""
    profile = Profile(
        ("enlarged_pores", "sun_damage"),
        downtime=2,
        budget=900.5,
        conditions=frozenset({"pacemaker"}),
        setting="clinic",
    )
    result = engine.recommend(profile, SHIPPED)
    assert result.near_misses and result.not_relevant and result.recommendations
    ranked = [rec.treatment.id for rec in result.recommendations]
    near = [miss.treatment.id for miss in result.near_misses]
    excluded = [(i.treatment.id, [r.rule for r in i.reasons if r.rule]) for i in result.excluded]
    assert any(rules for _, rules in excluded) and any(not rules for _, rules in excluded)
    not_relevant = [t.id for t in result.not_relevant]
    assert markdown_views(SHIPPED_ORACLE, render_markdown(SHIPPED, result, origin="flag")) == (
        ranked + near,
        excluded,
        not_relevant,
    )
    console = Console(file=io.StringIO(), width=200, color_system=None)
    render_table(console, SHIPPED, result, None, False, origin="flag")
    drawn = console.file.getvalue()  # type: ignore[attr-defined]
    assert table_views(SHIPPED_ORACLE, drawn) == (ranked + ranked + near, excluded, None)  # the ranking, the details
