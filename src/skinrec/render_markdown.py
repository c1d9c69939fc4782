"""A recommendation as a Markdown report a person can paste into notes: the same content as the table."""

from __future__ import annotations

from skinrec.export import DISCLAIMER, fired_first, rule_checks, summary_sentence
from skinrec.knowledge import KnowledgeBase
from skinrec.result import Result
from skinrec.sheet import table_cell
from skinrec.wording import (
    cost_line,
    facts_in_words,
    facts_read_text,
    fired_effects,
    logistics_line,
    more_fit,
    more_sources,
    notices,
    outweighed,
    profile_line,
    sentence,
)


def render_markdown(
    kb: KnowledgeBase, result: Result, top: int | None = None, *, explain: bool = False, screened: bool = True
) -> str:
    lines = ["# skinrec recommendations", "", f"**Profile:** {profile_line(kb, result.profile)}", ""]
    for notice in notices(kb, result.profile, screened, code=lambda text: f"`{text}`"):
        lines += [f"> {notice}", ""]
    summary = summary_sentence(result)
    if summary:
        lines += [f"> {summary}", ""]
    recommendations = result.recommendations if top is None else result.recommendations[:top]
    for rec in recommendations:
        t = rec.treatment
        lines += [f"## {rec.rank}. {t.name} (`{t.id}`) — score {rec.score}", "", t.data["summary"], ""]
        lines += ["| points | reason |", "|---:|---|"]
        lines += [f"| {r.points:+d} | {table_cell(r.text)} |" for r in rec.reasons]
        lines += [f"| **{rec.score}** | **score** |", ""]
        for caution in rec.cautions:
            because = facts_in_words(kb, caution.triggers, result.profile.skin_type)
            lines.append(f"- ⚠ **Caution** (`{caution.rule}`, because: {because}): {caution.message}")
        lines += [
            f"- **Logistics:** {logistics_line(t)}",
            f"- **Cost:** {cost_line(t)}",
            "- **Preparation:** " + " ".join(step["text"] for step in t.data["preparation"]),
            "- **Aftercare:** " + " ".join(step["text"] for step in t.data["aftercare"]),
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
            why = " ".join(f"`{r.rule or r.constraint}`: {sentence(r.message)}" for r in item.reasons)
            lines.append(f"| {table_cell(item.treatment.name)} (`{item.treatment.id}`) | {table_cell(why)} |")
        lines.append("")
    if result.near_misses:
        lines += ["## Within reach", ""] + [f"- {miss.text}" for miss in result.near_misses] + [""]
    if result.not_relevant:
        names = ", ".join(f"{t.name} (`{t.id}`)" for t in result.not_relevant)
        lines += [f"**Not relevant to your concerns:** {names}", ""]
    if explain:
        effects = fired_effects(kb, result, top)
        lines += [f"## Rules that fired ({len(effects)} of {len(kb.rules)})", ""]
        lines += [f"- {effect}" for effect in effects] or ["No rule fired for this profile."]
        lines += [""]
        lines += ["## Every rule considered", "", "| rule | severity | fired | facts read |", "|---|---|---|---|"]
        for check in fired_first(rule_checks(kb, result.profile)):
            fired = (
                f"yes ({facts_in_words(kb, check['triggers'], result.profile.skin_type)})" if check["fired"] else "no"
            )
            lines.append(
                f"| `{check['rule']}` | {check['severity']} | {fired} | {table_cell(facts_read_text(check['read'], screened))} |"
            )
        lines.append("")
    lines += ["---", "", f"*{DISCLAIMER}*", ""]
    return "\n".join(lines)


def _source(kb: KnowledgeBase, ident: str) -> str:
    source = kb.sources[ident]
    return f"[{source['title']}]({source['url']})" if source["url"] else f"{source['title']} ({source['seed']})"
