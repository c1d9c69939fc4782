"""The terminal rendering of a recommendation, with Rich: readable at 80 columns and plain when piped.

The ranking and what was ruled out carry the cautions and the reasons for each exclusion, so on a terminal
too narrow to show them whole beside the treatments they are drawn one treatment at a time instead: nothing
is dropped, and nothing is cut with an ellipsis.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from skinrec.export import DISCLAIMER, fired_first, rule_checks, summary_sentence
from skinrec.knowledge import KnowledgeBase, Treatment
from skinrec.render_sheet import break_long_words, column_widths, indented
from skinrec.result import Excluded, Recommendation, Result
from skinrec.wording import (
    STEP_SECTIONS,
    Origin,
    cost_line,
    facts_in_words,
    facts_read_text,
    fired_effects,
    logistics_line,
    marked_steps,
    more_fit,
    more_sources,
    notices,
    outweighed,
    profile_line,
)

TREATMENT_RATIO, WHY_RATIO = 2, 5  # how Rich shares the room between the Treatment and Why columns
WHY_MIN = 24  # the narrowest Why column worth drawing: a caution in a narrower one is a tall ribbon of words
INDENT = 3  # of a treatment's reasons under its heading, when drawn one treatment at a time
EXPLAIN = (("Rule", 1), ("Severity", 0), ("Fired", 1), ("Facts read", 2))  # header, ratio


def _id_width(treatments: Iterable[Treatment]) -> int:
    """The Treatment column's minimum width: its longest id, which is then wrapped, never cut, on a narrow
    terminal (Rich reads `width` on a ratio column as that column's minimum)."""
    return max((len(t.id) for t in treatments), default=1)


def _longest_word(texts: Iterable[str]) -> int:
    return max((cell_len(word) for text in texts for word in text.split()), default=1)


def _side_by_side(width: int, fixed: int, treatment: int, why: int) -> bool:
    """Whether a table `width` cells wide has room for its Why column at `why` cells (padding included) once
    the borders and fixed columns have their `fixed` cells and the Treatment column the larger of its minimum
    and its ratio share, as Rich gives it. Without that room Rich squeezes the Why column, which holds the
    cautions, until its words are cut with an ellipsis or it is dropped altogether."""
    flexible = width - fixed
    share = math.ceil(flexible * TREATMENT_RATIO / (TREATMENT_RATIO + WHY_RATIO))
    return flexible - max(treatment, share) >= why


def _why(rec: Recommendation) -> Text:
    why = Text()
    for reason in rec.reasons:
        why.append(f"{reason.points:+d} ", style="green" if reason.points >= 0 else "red")
        why.append(reason.text + "\n")
    for caution in rec.cautions:
        why.append("⚠ ", style="yellow")
        why.append(f"{caution.message} [{caution.rule}]\n", style="yellow")
    why.rstrip()
    return why


def _why_not(item: Excluded) -> Text:
    why = Text()
    for reason in item.reasons:
        why.append(f"[{reason.rule or reason.constraint}] ", style="red" if reason.rule else "yellow")
        why.append(reason.message + "\n")
    why.rstrip()
    return why


def _one_at_a_time(title: str, entries: list[tuple[str, Text]], width: int) -> Group:
    """A table's entries one after another, for a terminal too narrow for the table: each heading in bold,
    its text indented under it, long words broken after a hyphen or underscore rather than cut."""
    parts: list[RenderableType] = [Text(title, style="table.title")]
    for heading, text in entries:
        parts.append(break_long_words(Text(heading, style="bold"), width))
        parts.append(indented(text, width, INDENT))
    return Group(*parts)


def _ranking(recommendations: list[Recommendation], width: int) -> RenderableType:
    # "Recommended" over a list where nothing scored above 0 read as advice; the sentence under it says why
    title = "Recommended" if recommendations[0].score > 0 else "Fit your answers, but none scored above 0"
    whys = [_why(rec) for rec in recommendations]
    rank_width = max(len(str(rec.rank)) for rec in recommendations) + 2
    score_width = max(len("Score"), *(len(str(rec.score)) for rec in recommendations)) + 2
    treatment = _id_width(rec.treatment for rec in recommendations)
    why_width = max(WHY_MIN, _longest_word(["Why (points)", *(why.plain for why in whys)]))
    if not _side_by_side(width, 5 + rank_width + score_width, treatment + 2, why_width + 2):  # 5 borders
        headings = [
            f"{rec.rank}. {rec.treatment.name} ({rec.treatment.id}), score {rec.score}" for rec in recommendations
        ]
        return _one_at_a_time(title, list(zip(headings, whys, strict=True)), width)
    table = Table(title=title, title_justify="left", expand=True, show_lines=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Treatment", ratio=TREATMENT_RATIO, width=treatment, overflow="fold")
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Why (points)", ratio=WHY_RATIO, overflow="fold")
    for rec, why in zip(recommendations, whys, strict=True):
        table.add_row(str(rec.rank), Text(f"{rec.treatment.name}\n{rec.treatment.id}"), str(rec.score), why)
    return table


def _under(text: Text) -> Padding:
    """A line of a treatment's details, indented under its heading, and its wrapped lines with it."""
    return Padding(text, (0, 0, 0, 3), expand=False)


def _details(kb: KnowledgeBase, rec: Recommendation) -> Group:
    t = rec.treatment
    lines: list[RenderableType] = [
        Text(f"{rec.rank}. {t.name} ({t.id})", style="bold"),
        _under(Text(t.data["summary"], style="italic")),  # its caveats ("the evidence is thin") qualify a rating
        _under(Text(logistics_line(t))),
        _under(Text(cost_line(t))),
    ]
    for section in STEP_SECTIONS:
        steps = marked_steps(t, section)
        if steps:
            lines.append(Text(f"   {section.capitalize()}:", style="italic"))
            lines += [Padding(Text("• " + step), (0, 0, 0, 5), expand=False) for step in steps]
    titles = ", ".join(kb.sources[s]["title"] for s in t.data["sources"])
    lines.append(_under(Text(f"Sources: {titles}{more_sources(t)}", style="dim")))
    return Group(*lines)


def _ruled_out(result: Result, width: int) -> RenderableType:
    whys = [_why_not(item) for item in result.excluded]
    treatment = _id_width(item.treatment for item in result.excluded)
    why_width = max(WHY_MIN, _longest_word(["Why", *(why.plain for why in whys)]))
    if not _side_by_side(width, 3, treatment + 2, why_width + 2):  # 3 borders
        headings = [f"{item.treatment.name} ({item.treatment.id})" for item in result.excluded]
        return _one_at_a_time("Ruled out", list(zip(headings, whys, strict=True)), width)
    table = Table(title="Ruled out", title_justify="left", expand=True, show_lines=True)
    table.add_column("Treatment", ratio=TREATMENT_RATIO, width=treatment, overflow="fold")
    table.add_column("Why", ratio=WHY_RATIO, overflow="fold")
    for item, why in zip(result.excluded, whys, strict=True):
        table.add_row(Text(f"{item.treatment.name}\n{item.treatment.id}"), why)
    return table


def _explain(kb: KnowledgeBase, result: Result, width: int, top: int | None, screened: bool) -> RenderableType:
    """What each rule that fired did, then every rule (those that fired first), in columns sized by
    `column_widths`, so that rule ids and facts break after a hyphen or underscore rather than mid-word; one
    rule after another when even that leaves too little room."""
    effects = fired_effects(kb, result, top)
    heading = f"Rules that fired ({len(effects)} of {len(kb.rules)})" if effects else "No rule fired for this profile."
    return Group(
        Text(heading, style="bold underline"), _bullets(effects, width), _rule_table(kb, result, width, screened)
    )


def _bullets(items: list[str], width: int) -> Table:
    """A bulleted list whose items wrap under their first word, not under the bullet."""
    bullets = Table.grid(padding=(0, 1))
    bullets.add_column()
    bullets.add_column(overflow="fold")
    for item in items:
        bullets.add_row("•", break_long_words(Text(item), width - 2))
    return bullets


def _rule_table(kb: KnowledgeBase, result: Result, width: int, screened: bool) -> RenderableType:
    title = "Every rule considered (--explain)"
    rows = [
        (
            check["rule"],
            check["severity"],
            f"yes ({facts_in_words(kb, check['triggers'], result.profile.skin_type)})" if check["fired"] else "no",
            facts_read_text(check["read"]),
        )
        for check in fired_first(rule_checks(kb, result.profile, screened))
    ]
    columns = [[header, *(row[index] for row in rows)] for index, (header, _) in enumerate(EXPLAIN)]
    widths = column_widths(columns, [ratio for _, ratio in EXPLAIN], width - 3 * len(EXPLAIN) - 1)
    if widths is None:
        entries = [
            (f"{rule}: {severity}, fired: {fired}", Text(f"facts read: {facts}"))
            for rule, severity, fired, facts in rows
        ]
        return _one_at_a_time(title, entries, width)
    table = Table(title=title, title_justify="left")
    for (header, _), size in zip(EXPLAIN, widths, strict=True):
        table.add_column(break_long_words(Text(header), size), width=size, overflow="fold")
    for row in rows:
        table.add_row(*(break_long_words(Text(cell), size) for cell, size in zip(row, widths, strict=True)))
    return table


def render_table(
    console: Console,
    kb: KnowledgeBase,
    result: Result,
    top: int | None,
    explain: bool,
    screened: bool = True,
    *,
    origin: Origin,
) -> None:
    """Print the whole answer: ranking, details per option, what was ruled out and why, near misses; and, when
    the conditions were neither asked nor given (`screened` false), say so under the profile, and how to give
    them where the profile came from (`origin`, with no default: see `wording.notices`)."""
    console.print(Text("Profile: ", style="bold") + Text(profile_line(kb, result.profile)))
    for notice in notices(kb, result.profile, screened, origin=origin):
        console.print(Text(notice, style="yellow"))
    sentence = summary_sentence(result)
    recommendations = result.recommendations if top is None else result.recommendations[:top]
    if sentence:
        console.print(Text(sentence, style="bold yellow"))
    if recommendations:
        console.print(_ranking(recommendations, console.width))
        low = outweighed(recommendations)
        if low:
            console.print(Text(low, style="yellow"))
        more = more_fit(len(recommendations), len(result.recommendations))
        if more:
            console.print(Text(more, style="dim"))
        console.print(Text("Details", style="bold underline"))
        for rec in recommendations:
            console.print(_details(kb, rec))
    if result.excluded:
        console.print(_ruled_out(result, console.width))
    if result.near_misses:
        console.print(Text("Within reach", style="bold underline"))
        console.print(_bullets([miss.text for miss in result.near_misses], console.width))
    if result.not_relevant:
        console.print(
            Text("Not relevant to your concerns: ", style="bold") + Text(", ".join(t.name for t in result.not_relevant))
        )
    if explain:
        console.print(_explain(kb, result, console.width, top, screened))
    console.print(Text(DISCLAIMER, style="dim italic"))
