"""The terminal rendering of a recommendation, with Rich: readable at 80 columns and plain when piped."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from skinrec.export import DISCLAIMER, rule_checks, summary_sentence
from skinrec.knowledge import KnowledgeBase, Treatment
from skinrec.result import Recommendation, Result
from skinrec.wording import cost_line, facts_read_text, logistics_line, profile_line


def _id_width(treatments: Iterable[Treatment]) -> int:
    """The Treatment column's minimum width: its longest id, which is then wrapped, never cut, on a narrow
    terminal (Rich reads `width` on a ratio column as that column's minimum)."""
    return max((len(t.id) for t in treatments), default=1)


def _ranking(result: Result, recommendations: list[Recommendation]) -> Table:
    table = Table(title="Recommended", title_justify="left", expand=True, show_lines=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Treatment", ratio=2, width=_id_width(r.treatment for r in recommendations), overflow="fold")
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("Why (points)", ratio=5)
    for rec in recommendations:
        why = Text()
        for reason in rec.reasons:
            why.append(f"{reason.points:+d} ", style="green" if reason.points >= 0 else "red")
            why.append(reason.text + "\n")
        for caution in rec.cautions:
            why.append("⚠ ", style="yellow")
            why.append(f"{caution.message} [{caution.rule}]\n", style="yellow")
        why.rstrip()
        table.add_row(str(rec.rank), Text(f"{rec.treatment.name}\n{rec.treatment.id}"), str(rec.score), why)
    return table


def _details(kb: KnowledgeBase, rec: Recommendation) -> Group:
    t = rec.treatment
    lines: list[RenderableType] = [
        Text(f"{rec.rank}. {t.name} ({t.id})", style="bold"),
        Text(f"   {logistics_line(t)}"),
        Text(f"   {cost_line(t)}"),
    ]
    for title, steps in (("Preparation", t.data["preparation"]), ("Aftercare", t.data["aftercare"])):
        if steps:
            lines.append(Text(f"   {title}:", style="italic"))
            lines += [Padding(Text("• " + step["text"]), (0, 0, 0, 5), expand=False) for step in steps]
    lines.append(Text("   Sources: " + ", ".join(kb.sources[s]["title"] for s in t.data["sources"]), style="dim"))
    return Group(*lines)


def _ruled_out(result: Result) -> Table:
    table = Table(title="Ruled out", title_justify="left", expand=True, show_lines=True)
    table.add_column("Treatment", ratio=2, width=_id_width(item.treatment for item in result.excluded), overflow="fold")
    table.add_column("Why", ratio=5)
    for item in result.excluded:
        why = Text()
        for reason in item.reasons:
            why.append(f"[{reason.rule or reason.constraint}] ", style="red" if reason.rule else "yellow")
            why.append(reason.message + "\n")
        why.rstrip()
        table.add_row(Text(f"{item.treatment.name}\n{item.treatment.id}"), why)
    return table


def _explain(kb: KnowledgeBase, result: Result) -> Table:
    table = Table(title="Every rule considered (--explain)", title_justify="left", expand=True)
    table.add_column("Rule", ratio=3, width=max((len(rule.id) for rule in kb.rules), default=1), overflow="fold")
    table.add_column("Severity", no_wrap=True)
    table.add_column("Fired", overflow="fold")
    table.add_column("Facts read", ratio=3, overflow="fold")
    for check in rule_checks(kb, result.profile):
        fired = f"yes ({', '.join(check['triggers'])})" if check["fired"] else "no"
        table.add_row(check["rule"], check["severity"], fired, facts_read_text(check["read"]))
    return table


def render_table(console: Console, kb: KnowledgeBase, result: Result, top: int | None, explain: bool) -> None:
    """Print the whole answer: ranking, details per option, what was ruled out and why, near misses."""
    console.print(Text("Profile: ", style="bold") + Text(profile_line(kb, result.profile)))
    sentence = summary_sentence(result)
    recommendations = result.recommendations if top is None else result.recommendations[:top]
    if sentence:
        console.print(Text(sentence, style="bold yellow"))
    if recommendations:
        console.print(_ranking(result, recommendations))
        console.print(Text("Details", style="bold underline"))
        for rec in recommendations:
            console.print(_details(kb, rec))
    if result.excluded:
        console.print(_ruled_out(result))
    if result.near_misses:
        console.print(Text("Within reach", style="bold underline"))
        for miss in result.near_misses:
            console.print(Text("• " + miss.text))
    if result.not_relevant:
        console.print(
            Text("Not relevant to your concerns: ", style="bold") + Text(", ".join(t.id for t in result.not_relevant))
        )
    if explain:
        console.print(_explain(kb, result))
    console.print(Text(DISCLAIMER, style="dim italic"))
