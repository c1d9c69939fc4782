"""A recommendation as a Markdown report a person can paste into notes: the same content as the table.

Text from the knowledge base (names, labels, messages, steps, titles) goes through `md` (markdown_text.py), as the
browsing commands' does, so a clinic's own base shows its text rather than Markdown obeying it.
"""

from __future__ import annotations

from skinrec.export import DISCLAIMER, fired_first, rule_checks, summary_sentence
from skinrec.knowledge import KnowledgeBase
from skinrec.markdown_text import md, md_link
from skinrec.result import Result
from skinrec.wording import (
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
    sentence,
)


def render_markdown(
    kb: KnowledgeBase,
    result: Result,
    top: int | None = None,
    *,
    explain: bool = False,
    screened: bool = True,
    origin: Origin,
) -> str:
    """`screened` and `origin` as for `render_table`."""
    lines = ["# skinrec recommendations", "", f"**Profile:** {md(profile_line(kb, result.profile))}", ""]
    for notice in notices(kb, result.profile, screened, code=lambda text: f"`{text}`", text=md, origin=origin):
        lines += [f"> {notice}", ""]
    summary = summary_sentence(result)
    if summary:
        lines += [f"> {summary}", ""]
    recommendations = result.recommendations if top is None else result.recommendations[:top]
    for rec in recommendations:
        t = rec.treatment
        lines += [f"## {rec.rank}. {md(t.name)} (`{t.id}`) — score {rec.score}", ""]
        lines += [md(t.data["summary"], starts_line=True), ""]
        lines += ["| points | reason |", "|---:|---|"]
        lines += [f"| {r.points:+d} | {md(r.text)} |" for r in rec.reasons]
        lines += [f"| **{rec.score}** | **score** |", ""]
        for caution in rec.cautions:
            because = md(facts_in_words(kb, caution.triggers, result.profile.skin_type))
            lines.append(f"- ⚠ **Caution** (`{caution.rule}`, because: {because}): {md(caution.message)}")
        lines += [
            f"- **Logistics:** {logistics_line(t)}",
            f"- **Cost:** {cost_line(t)}",
            "- **Preparation:** " + " ".join(marked_steps(t, "preparation", md)),
            "- **Aftercare:** " + " ".join(marked_steps(t, "aftercare", md)),
            "- **Sources:** " + ", ".join(_source(kb, ident) for ident in t.data["sources"]) + more_sources(t),
            "",
        ]
    low = outweighed(recommendations)
    if low:
        lines += [f"> {low}", ""]
    more = more_fit(len(recommendations), len(result.recommendations))
    if more:
        lines += [f"_{more.replace('-n 0', '`-n 0`')}_", ""]
    if result.excluded:
        lines += ["## Ruled out", "", "| treatment | why |", "|---|---|"]
        for item in result.excluded:
            why = " ".join(f"`{r.rule or r.constraint}`: {md(sentence(r.message))}" for r in item.reasons)
            lines.append(f"| {md(item.treatment.name)} (`{item.treatment.id}`) | {why} |")
        lines.append("")
    if result.near_misses:
        lines += (
            ["## Within reach", ""] + [f"- {md(miss.text, starts_line=True)}" for miss in result.near_misses] + [""]
        )
    if result.not_relevant:
        names = ", ".join(f"{md(t.name)} (`{t.id}`)" for t in result.not_relevant)
        lines += [f"**Not relevant to your concerns:** {names}", ""]
    if explain:
        effects = fired_effects(kb, result, top)
        lines += [f"## Rules that fired ({len(effects)} of {len(kb.rules)})", ""]
        lines += [f"- {md(effect, starts_line=True)}" for effect in effects] or ["No rule fired for this profile."]
        lines += [""]
        lines += ["## Every rule considered", "", "| rule | severity | fired | facts read |", "|---|---|---|---|"]
        for check in fired_first(rule_checks(kb, result.profile, screened)):
            fired = (
                f"yes ({md(facts_in_words(kb, check['triggers'], result.profile.skin_type))})"
                if check["fired"]
                else "no"
            )
            lines.append(
                f"| `{check['rule']}` | {check['severity']} | {fired} | {md(facts_read_text(check['read']))} |"
            )
        lines.append("")
    lines += ["---", "", f"*{DISCLAIMER}*", ""]
    return "\n".join(lines)


def _source(kb: KnowledgeBase, ident: str) -> str:
    source = kb.sources[ident]
    return md_link(source["title"], source["url"]) if source["url"] else f"{md(source['title'])} ({source['seed']})"
