"""Phrases shared by the engine and every renderer, so a money amount or a range always reads the same."""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from typing import Literal

from skinrec.knowledge import KnowledgeBase, Treatment
from skinrec.profile import ROMAN, Profile
from skinrec.result import Recommendation, Result


def count(number: int, noun: str) -> str:
    """'1 rule', '2 rules': every count a person reads (nouns with a plain plural only)."""
    return f"{number} {noun}{'s' * (number != 1)}"


# Where a profile came from, which decides how a person adds a condition to it: a flag run (`-x`), a profile file
# or a batch line (its `conditions` list, which answers every safety question, the conditions it leaves out with
# no, so it must hold all that apply).
Origin = Literal["flag", "file", "line"]
# How to add conditions, by origin: in the sentence saying none was given, and in the one naming those common with
# the concerns ({x} is the flag, {key} the list's key, each marked as `code` marks them).
_HOW_TO_ADD: dict[Origin, tuple[str, str]] = {
    "flag": ("add any that apply with {x}", "Add any that apply with {x}"),
    "file": (
        "list all that apply in the profile's {key}, or give it an empty list if none do",
        "Add any that apply to the profile's {key} list, with every other condition that applies",
    ),
    "line": (
        "list all that apply in the line's {key}, or give it an empty list if none do",
        "Add any that apply to the line's {key} list, with every other condition that applies",
    ),
}


def _how_to_add(origin: Origin, code: Callable[[str], str]) -> tuple[str, str]:
    unscreened, related = _HOW_TO_ADD[origin]
    marks = {"x": code("-x"), "key": code("conditions")}
    return unscreened.format_map(marks), related.format_map(marks)


def _unscreened(origin: Origin, code: Callable[[str], str]) -> str:
    """Said under the profile when a run neither asked the safety questions nor was told the answer (a
    `conditions` list, even an empty one): "none reported" alone could be read as a clean safety screen."""
    return (
        f"No conditions were given, so no safety rule about them was applied: {_how_to_add(origin, code)[0]} "
        f"({code('skinrec conditions')} lists them, with their questions)."
    )


def related_unsaid(
    kb: KnowledgeBase,
    profile: Profile,
    *,
    origin: Origin,
    code: Callable[[str], str] = str,
    text: Callable[[str], str] = str,
) -> str:
    """For a run that did not ask the safety questions: the conditions common with the concerns named (a concern's
    `related_conditions`) that the profile does not list, as one sentence; "" when there are none. Whoever names
    acne scars on the command line and forgets active acne is otherwise told needling is their best option."""
    parts = []
    named = set(profile.conditions)  # each condition once, under the first concern it is common with
    for concern in profile.concerns:
        record = kb.concerns[concern]
        unsaid = list(dict.fromkeys(c for c in record.get("related_conditions", ()) if c not in named))
        named.update(unsaid)
        if unsaid:
            names = ", ".join(f"{text(kb.conditions[c]['label'])} ({code(c)})" for c in unsaid)
            parts.append(f"Common with {text(record['label'].lower())}, and not given: {names}.")
    if not parts:
        return ""
    add = _how_to_add(origin, code)[1]
    return " ".join([*parts, f"{add}: they can rule treatments out."])


def notices(
    kb: KnowledgeBase,
    profile: Profile,
    screened: bool,
    *,
    origin: Origin,
    code: Callable[[str], str] = str,
    text: Callable[[str], str] = str,
) -> list[str]:
    """What is said under the profile when the safety questions were neither asked nor answered by a
    `conditions:` list (`screened` false): that no condition was given, and the conditions common with the
    concerns that the profile does not list, each with how to add them where the profile came from (`origin`).
    The same sentences in every format, the JSON's `notices` too, so a script showing its own view of the answer
    can show them; `code` marks flags, keys and ids (Markdown's backticks), and `text` makes the knowledge base's
    labels safe in the format (Markdown's escapes). `origin` has no default: a caller that forgot it would tell
    the reader of a profile file or a batch line to use -x."""
    if screened:
        return []
    said = [_unscreened(origin, code)] if not profile.conditions else []
    related = related_unsaid(kb, profile, origin=origin, code=code, text=text)
    return [*said, related] if related else said


def outweighed(recommendations: list[Recommendation]) -> str:
    """A sentence for the listed recommendations whose score is 0 or less: they fit every answer, but what counts
    against them outweighs what they do for the concerns, which a rank under "Recommended" alone does not say.
    "" when there are none."""
    low = [rec.rank for rec in recommendations if rec.score <= 0]
    if not low:
        return ""
    which = f"#{low[0]}" if len(low) == 1 else f"#{low[0]}-#{low[-1]}"
    subject, them, fit, do = ("it", "it", "fits", "does") if len(low) == 1 else ("they", "them", "fit", "do")
    return (
        f"{which} scored 0 or less: {subject} {fit} your answers, but what counts against {them} (cautions, "
        f"penalties) matches or outweighs what {subject} {do} for your concerns."
    )


def more_fit(listed: int, fitting: int) -> str:
    """What `--top` left out of the ranking, said where the ranking ends: a cut list read as if nothing else fit."""
    hidden = fitting - listed
    if hidden <= 0:
        return ""
    return f"{hidden} more {'fits' if hidden == 1 else 'fit'} your profile; -n 0 lists them all."


def more_sources(t: Treatment) -> str:
    """After a recommendation's main sources: how many more its figures cite, and where to read them."""
    more = len(t.cited()) - len(t.data["sources"])
    return f"; {more} more behind its figures: skinrec show {t.id}" if more else ""


def sentence(text: str) -> str:
    """`text` ending as a sentence does, so that messages (a rule's ends with a full stop, a limit's does not)
    can stand one after another. A closing bracket after a full stop ends one too: a rule's message may end
    with a note in brackets, "(Your skin type was not given, ...)"."""
    return text if text.rstrip(")").endswith((".", "!", "?")) else f"{text}."


def money(amount: float) -> str:
    return f"${amount:,.0f}" if float(amount).is_integer() else f"${amount:,.2f}"


def span(low: float, high: float, unit: str = "") -> str:
    text = f"{low:g}" if low == high else f"{low:g}-{high:g}"
    return f"{text} {unit}".rstrip()


def money_span(low: float, high: float) -> str:
    return money(low) if low == high else f"{money(low)}-{money(high)}"


# A treatment's figures the knowledge base may mark as an estimate (with why), besides each efficacy rating.
ESTIMABLE = ("downtime_days", "sessions", "interval_weeks", "cost_per_session_usd", "pain", "pih_risk")
# A treatment's lists of steps, in the order they are shown; each step may be marked as an estimate too.
STEP_SECTIONS = ("preparation", "aftercare")


def estimates(t: Treatment) -> dict[str, str]:
    """Why each of the treatment's figures the knowledge base marks as an estimate is one, by figure
    (`skinrec show` lists the reasons; every other view marks the figure)."""
    data = t.data
    return {key: data[key]["estimate"] for key in ESTIMABLE if data[key] and data[key].get("estimate")}


def step_estimates(t: Treatment) -> list[dict[str, str | int]]:
    """The preparation and aftercare steps the knowledge base marks as a judgment, with why, as
    `{section, step, estimate}` (`step` counts from 1): `show`'s card and `recommend`'s JSON both carry them, so
    advice a source gives for another treatment, say, is never passed off as given for this one."""
    return [
        {"section": section, "step": number, "estimate": step["estimate"]}
        for section in STEP_SECTIONS
        for number, step in enumerate(t.data[section], start=1)
        if step.get("estimate")
    ]


def marked_steps(t: Treatment, section: str, text: Callable[[str], str] = str) -> list[str]:
    """A treatment's preparation or aftercare steps as `recommend` shows them: each the knowledge base marks as a
    judgment followed by "(estimate)", as an estimated figure is (`skinrec show` lists the reasons); `text` makes
    a step safe in the format (Markdown's escapes)."""
    return [text(step["text"]) + (" (estimate)" if step.get("estimate") else "") for step in t.data[section]]


def estimated(marked: Container[str], *keys: str) -> str:
    """' (estimate)' after a figure whose key (or any of whose keys, for a figure worked out from others) is
    `marked` as an estimate: a number nobody published is never shown as though it had been."""
    return " (estimate)" if any(key in marked for key in keys) else ""


def counted(low: float, high: float, noun: str) -> str:
    """A range of a countable thing: '1 session', '3-6 sessions', '0 days'."""
    return span(low, high, noun if low == high == 1 else noun + "s")


def sessions_text(low: float, high: float, interval: Mapping[str, float] | None, marked: Container[str]) -> str:
    """'3-6 sessions, every 4-6 weeks (estimate)': each figure's "(estimate)" right after it, since one after
    the interval would leave the reader to guess which. `recommend`'s logistics and `show`'s card both say it."""
    text = f"{counted(low, high, 'session')}{estimated(marked, 'sessions')}"
    if interval:
        text += f", every {counted(interval['min'], interval['max'], 'week')}{estimated(marked, 'interval_weeks')}"
    return text


def cost_text(session: tuple[float, float], course: tuple[float, float], marked: Container[str]) -> str:
    """What a session and the whole course cost; the course is an estimate wherever its price or its number of
    sessions is one."""
    per_session = f"{money_span(*session)} per session{estimated(marked, 'cost_per_session_usd')}"
    return f"{per_session}; {money_span(*course)} for the course{estimated(marked, 'cost_per_session_usd', 'sessions')}"


def logistics_line(t: Treatment) -> str:
    marked = estimates(t)
    downtime = f"downtime {counted(*t.downtime, 'day')}{estimated(marked, 'downtime_days')}"
    return f"{downtime}; {sessions_text(*t.sessions, t.data['interval_weeks'], marked)}"


def cost_line(t: Treatment) -> str:
    return cost_text(t.cost, t.course_cost, estimates(t))


def facts_read_text(read: Mapping[str, object]) -> str:
    """`blood_thinners=yes, skin_type=IV`: what a rule looked at, for --explain, from `export.rule_checks`'s
    `read`. A condition the profile does not list is `no` (false) only where the conditions were asked or given
    as a list; else it was not given (null), as the notice under the profile says (see `notices`)."""
    parts = []
    for fact, value in read.items():
        if fact == "skin_type":
            parts.append(f"skin_type={ROMAN[value - 1] if isinstance(value, int) else 'not given'}")
        else:
            parts.append(f"{fact}={'not given' if value is None else 'yes' if value else 'no'}")
    return ", ".join(parts)


def profile_line(kb: KnowledgeBase, profile: Profile) -> str:
    concerns = ", ".join(kb.concerns[c]["label"] for c in profile.concerns) or "none"
    parts = [f"concerns: {concerns}"]
    days = profile.downtime  # "≤ 1 day", not "≤ 1 days"
    parts.append("downtime: no limit" if days is None else f"downtime ≤ {counted(days, days, 'day')}")
    parts.append(
        "budget: no limit" if profile.budget is None else f"budget {money(profile.budget)} per {profile.budget_per}"
    )
    parts.append("skin type: not given" if profile.skin_type is None else f"skin type {ROMAN[profile.skin_type - 1]}")
    # in the knowledge base's order, as the questionnaire asks and summarises them; "none reported", not "none":
    # flags alone ask nothing, and a reader must not take an empty list for a clean safety screen
    labels = [kb.conditions[c]["label"] for c in kb.conditions if c in profile.conditions]
    conditions = ", ".join(labels) or "none reported"
    parts.append(f"conditions: {conditions}")
    if profile.setting != "any":
        parts.append(f"setting: {profile.setting} only")
    return " · ".join(parts)


def facts_in_words(kb: KnowledgeBase, facts: Iterable[str], skin_type: int | None) -> str:
    """The profile facts that fired a rule, as a person reads them: "History of cold sores", "skin type V" (or
    "skin type not given"), not the ids `herpes_history` and `skin_type`."""
    skin = "skin type not given" if skin_type is None else f"skin type {ROMAN[skin_type - 1]}"
    return ", ".join(skin if fact == "skin_type" else kb.conditions[fact]["label"] for fact in facts)


def joined(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def fired_effects(kb: KnowledgeBase, result: Result, top: int | None = None) -> list[str]:
    """A sentence for each rule that fired: what it did to this answer (for --explain). A rule fires when its
    condition matches the profile, whether or not any treatment it covers is still in play; a reader asking
    "why is this ruled out?" or "did that rule matter?" needs the treatments it actually reached: those it ruled
    out or cautioned, those cautioned below the `top` shown, and near misses it would caution once admitted."""
    ruled: dict[str, list[str]] = {}
    for item in result.excluded:
        for reason in item.reasons:
            if reason.rule is not None:
                ruled.setdefault(reason.rule, []).append(item.treatment.name)
    cautioned: dict[str, tuple[list[str], list[str]]] = {}  # rule -> (shown, ranked below the top shown)
    for rec in result.recommendations:
        for caution in rec.cautions:
            shown, hidden = cautioned.setdefault(caution.rule, ([], []))
            (shown if top is None or rec.rank <= top else hidden).append(rec.treatment.name)
    effects = []
    for fired in result.fired:
        rule = fired.rule
        if rule.severity == "exclude":
            names = ruled.get(rule.id)
            effect = f"ruled out {joined(names)}" if names else ""
        else:
            near = [miss.treatment.name for miss in result.near_misses if miss.treatment.id in rule.applies]
            effect = _cautioned(*cautioned.get(rule.id, ([], [])), near, top)
        effect = effect or f"changed nothing here: {_out_of_play(result, rule.applies)}"
        because = facts_in_words(kb, fired.triggers, result.profile.skin_type)
        effects.append(f"{rule.id} ({rule.severity}; because: {because}) {effect}.")
    return effects


def _cautioned(shown: list[str], hidden: list[str], near: list[str], top: int | None) -> str:
    """What a caution rule did: to the recommendations shown, to those ranked below `top`, and to near misses
    (whose re-ranked score already counts it); "" when it reached none."""
    parts = []
    if shown:
        parts.append(f"added a caution to {joined(shown)}")
    if hidden:
        lead = "and to" if shown else "added a caution to"
        parts.append(f"{lead} {joined(hidden)}, ranked below the {top} shown (-n 0 lists them)")
    if near:
        them = "it" if len(near) == 1 else "them"
        lead = "and would add one to" if parts else "would add a caution to"
        parts.append(f"{lead} {joined(near)} if a change under Within reach admitted {them}")
    return ", ".join(parts)


def _out_of_play(result: Result, covered: Iterable[str]) -> str:
    """Why a rule that fired reached none of the treatments it covers: each does nothing for the concerns named,
    or is ruled out already (by another rule or a limit)."""
    idle = [t.name for t in result.not_relevant if t.id in covered]
    ruled = [item.treatment.name for item in result.excluded if item.treatment.id in covered]
    parts = []
    if idle:
        parts.append(f"{joined(idle)} {'does' if len(idle) == 1 else 'do'} nothing for your concerns")
    if ruled:
        parts.append(f"{joined(ruled)} {'is' if len(ruled) == 1 else 'are'} ruled out already")
    return "; ".join(parts)
