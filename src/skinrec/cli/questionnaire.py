"""The guided questionnaire: what `skinrec` asks a person at a terminal, one validated answer at a time, then the
summary to confirm or change, and the offers to save the answers and export the results.

Every question is a plain function of an `Io` (prompting.py: where prompts go and answers come from) and the
knowledge base, so tests drive each branch with scripted answers and the terminal is only one `Io` among others.
The questions come from the knowledge base: concerns from data/concerns.yaml, and the safety screening
(screening.py) from rules/conditions.yaml. Only the Fitzpatrick scale, a built-in fact rather than a condition, is
described in this module.

Prompts and messages go to stderr (or straight to the terminal), never to stdout, which carries only results.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from skinrec.answers import GO
from skinrec.cli.output import FORMAT_ALIASES, Format
from skinrec.cli.prompting import Io, ask, is_number, labelled, parse_option, parse_picks, parse_yes_no, say_numbered
from skinrec.cli.screening import ask_conditions, certain_questions, change_conditions
from skinrec.errors import DataError
from skinrec.knowledge import KnowledgeBase, normalize_name
from skinrec.profile import (
    BUDGET_PER,
    ROMAN,
    Profile,
    parse_amount,
    parse_budget,
    parse_concern,
    parse_skin_type,
    shown,
    spoken,
)
from skinrec.wording import money

FITZPATRICK = (
    "very fair skin; always burns, never tans",
    "fair skin; usually burns, tans a little",
    "medium skin; sometimes burns, tans gradually",
    "olive or light brown skin; rarely burns, tans easily",
    "brown skin; very rarely burns, tans very easily",
    "dark brown or black skin; never burns",
)


SECTIONS = ("concerns", "downtime", "budget", "skin type", "conditions")
EXPORTS = ("json", "markdown", "no")
# Where a condition typed at the concern question goes instead: the summary's conditions, always still to come (the
# safety questions may not be: a profile file's `conditions` answered them, or they were asked before the person
# came back from the summary to change the concerns).
AT_SUMMARY = f"add it at {SECTIONS.index('conditions') + 1} (Conditions) on the summary"


def ask_concerns(io: Io, kb: KnowledgeBase, profile: Profile, ahead: frozenset[str] = frozenset()) -> Profile:
    """Which concerns (several allowed), then which matter most; the current ones are the default. A condition
    named as a concern is pointed at the summary's conditions, and at its safety question too if it is among
    those certainly `ahead`; one given already is said to be, not sent to be given again."""
    ids = list(kb.concerns)
    labels = [labelled(kb.concerns[c]["label"], c) for c in ids]

    def concern(name: str) -> str:
        condition = kb.condition_lookup.get(normalize_name(name))
        if condition in profile.conditions:
            instead = "it is already among the conditions given"
        elif condition in ahead:
            instead = f"a safety question further on asks about it, or {AT_SUMMARY}"
        else:
            instead = AT_SUMMARY
        return parse_concern(kb, name, {"condition": instead})

    io.say("What would you like to treat?", "bold")
    say_numbered(io, labels)
    chosen = ask(
        io,
        "Numbers or names, separated by commas",
        lambda text: parse_picks(text, ids, concern),
        default=", ".join(profile.concerns) or None,
        again=lambda: say_numbered(io, labels),
    )
    if len(chosen) > 1:
        io.say("Which matters most? Give one number, or several in order of importance.", "bold")
        chosen_labels = [kb.concerns[c]["label"] for c in chosen]
        say_numbered(io, chosen_labels)
        first = ask(
            io,
            "Most important",
            lambda text: parse_picks(text, chosen, lambda name: _among(kb, chosen, name)),
            "1",
            again=lambda: say_numbered(io, chosen_labels),
        )
        chosen = first + [c for c in chosen if c not in first]
    return replace(profile, concerns=tuple(chosen))


def _among(kb: KnowledgeBase, chosen: list[str], name: str) -> str:
    """A concern among those chosen; anything else is told the few numbers on offer, not all the concerns."""
    try:
        concern = parse_concern(kb, name)
    except ValueError:
        concern = None
    if concern not in chosen:
        raise ValueError(f"{shown(name)} is not one of the concerns you chose; pick 1-{len(chosen)}")
    return concern


def ask_downtime(io: Io, profile: Profile) -> Profile:
    io.say("Downtime: days of redness, peeling or staying in that you can take after a session.", "bold")
    current = "no limit" if profile.downtime is None else f"{profile.downtime:g}"
    downtime = ask(io, "Days (a number, or 'no limit')", lambda text: parse_amount("downtime", text), current)
    return replace(profile, downtime=downtime)


def ask_budget(io: Io, profile: Profile, *, ask_per: bool = True) -> Profile:
    io.say("Budget, in US dollars.", "bold")
    current = "no limit" if profile.budget is None else money(profile.budget).lstrip("$")  # as the summary shows it
    budget = ask(io, "Amount (a number, or 'no limit')", parse_budget, current)
    # what the budget is per is kept through 'no limit': a flag's 'session' must survive a budget given later
    profile = replace(profile, budget=budget)
    return ask_budget_per(io, profile) if budget is not None and ask_per else profile


def ask_budget_per(io: Io, profile: Profile) -> Profile:
    per = ask(
        io,
        f"Is {money(profile.budget or 0)} for the whole course or per session? (course/session)",
        lambda text: parse_option(spoken(text, "per"), BUDGET_PER),  # "per session", as people say it
        profile.budget_per,
    )
    return replace(profile, budget_per=per)


def ask_skin_type(io: Io, profile: Profile) -> Profile:
    io.say("Skin type (Fitzpatrick): how your skin reacts to the sun.", "bold")

    def types() -> None:
        for roman, description in zip(ROMAN, FITZPATRICK, strict=True):
            io.say(f"  {roman:>3}  {description}")

    types()
    current = "not sure" if profile.skin_type is None else ROMAN[profile.skin_type - 1]
    skin_type = ask(io, "Your type (I-VI or 1-6, or 'not sure')", _skin_type, current, again=types)
    return replace(profile, skin_type=skin_type)


def _skin_type(text: str) -> int | None:
    try:
        return parse_skin_type(text)
    except ValueError:
        raise ValueError(f"{shown(text)} is not a skin type; answer I-VI, 1-6 or 'not sure'") from None


def summary_lines(kb: KnowledgeBase, profile: Profile) -> list[str]:
    """The answers as numbered lines, one per section of SECTIONS, for the person to confirm or change."""
    concerns = ", ".join(kb.concerns[c]["label"] for c in profile.concerns)
    downtime = "no limit" if profile.downtime is None else f"up to {profile.downtime:g} days"
    if profile.downtime == 0:
        downtime = "none at all (0 days)"
    elif profile.downtime == 1:
        downtime = "up to 1 day"
    budget = "no limit" if profile.budget is None else f"{money(profile.budget)} per {profile.budget_per}"
    skin = "not sure" if profile.skin_type is None else f"type {ROMAN[profile.skin_type - 1]}"
    conditions = ", ".join(kb.conditions[c]["label"] for c in kb.conditions if c in profile.conditions) or "none"
    lines = [
        f"1. Concerns, most important first: {concerns}",
        f"2. Downtime: {downtime}",
        f"3. Budget: {budget}",
        f"4. Skin type: {skin}",
        f"5. Conditions: {conditions}",
    ]
    if profile.setting != "any":
        lines.append(f"   Setting: {profile.setting} treatments only (from --setting or the profile file)")
    return lines


def _parse_change(outcome: str, text: str) -> int:
    word = text.strip().lower()
    if word in GO:
        return 0
    if is_number(word) and 1 <= int(word) <= len(SECTIONS):
        return int(word)
    raise ValueError(f"press Enter to {outcome}, or type a number 1-{len(SECTIONS)} to change an answer")


def ask_profile(
    io: Io, kb: KnowledgeBase, base: Profile, answered: frozenset[str], outcome: str = "see your results"
) -> Profile:
    """Ask for whatever the flags and the profile file left out (`answered`: the profile keys they gave), then
    show the answers to confirm or change. A key given skips its question; so a file that holds only concerns
    still gets the limits and the safety questions asked, and a condition flag skips only its own question.
    `outcome` is what Enter at the summary leads to, for the person to read: the results may go only to a file."""
    given = [bool(base.concerns), *(key in answered for key in ("downtime", "budget", "skin_type", "conditions"))]
    # the safety questions certain to come (none when a profile file's `conditions` answered them), for the concern
    # question to point a condition at; from the summary on they are behind it
    ahead = frozenset() if given[-1] else frozenset(certain_questions(kb, base, base.conditions))
    askers = _askers(io, kb, answered, ahead)
    # a budget given (-b 500) without what it is per: that one question is still asked
    per_only = "budget" in answered and "budget_per" not in answered and base.budget is not None
    io.say(
        "skinrec asks about your skin, your limits and your health, then ranks the treatments that fit. "
        "Enter takes the answer in [brackets]; Ctrl-C stops at any time.",
        "muted",
    )
    profile = base
    for asker, skip in zip(askers, given, strict=True):
        if not skip:
            io.say()
            profile = asker(profile)
        elif per_only and asker is askers[2]:
            io.say()
            profile = ask_budget_per(io, profile)
    again = _askers(io, kb, answered, frozenset())
    while True:
        io.say()
        io.say("Your answers:", "bold")
        for line in summary_lines(kb, profile):
            io.say(f"  {line}")
        change = ask(
            io, f"Enter to {outcome}, or 1-{len(SECTIONS)} to change an answer", partial(_parse_change, outcome), "go"
        )
        if not change:
            io.say()
            return profile
        io.say()
        # the safety answers are changed by name, not by answering every question again (unless asked to)
        profile = change_conditions(io, kb, profile) if change == len(SECTIONS) else again[change - 1](profile)


def _askers(
    io: Io, kb: KnowledgeBase, answered: frozenset[str], ahead: frozenset[str]
) -> list[Callable[[Profile], Profile]]:
    """A question for each of SECTIONS, in order; `ahead` as `ask_concerns` takes it. The safety questions leave
    out the conditions already given yes (by a flag or the profile file)."""
    return [
        lambda p: ask_concerns(io, kb, p, ahead),
        lambda p: ask_downtime(io, p),
        lambda p: ask_budget(io, p, ask_per="budget_per" not in answered),
        lambda p: ask_skin_type(io, p),
        lambda p: ask_conditions(io, kb, p, skip=p.conditions),
    ]


KINDS = {Format.json: "JSON", Format.markdown: "Markdown"}  # the formats results are exported in, as named


def _writable(text: str, default: str, fmt: Format | None = None) -> Path:
    """A path the results (in `fmt`, if they are results) or the profile can be written to. A name whose suffix
    means the other format is refused: Markdown in 'results.json' would break whatever reads it as JSON."""
    from skinrec.atomic import check_writable

    typed = text.strip()
    if len(typed) > 1 and typed[0] == typed[-1] and typed[0] in "'\"":  # a path pasted with a shell's quotes
        typed = typed[1:-1]
    typed = os.path.expanduser(typed)  # a string still: a trailing '/' (a folder) is lost in a Path
    if typed.strip() == "-":  # elsewhere '-' is stdin or stdout: a file named so would be read back as stdin
        raise ValueError(f"'-' is not a file name here; give one, such as {default}")
    path = Path(typed)
    named = Format.for_file(path)
    if fmt is not None and named not in (Format.table, fmt):
        wanted = Path(default).suffix
        raise ValueError(
            f"'{path.name}' names a {KINDS[named]} file, but these results are {KINDS[fmt]}; end it in {wanted}"
        )
    try:
        check_writable(typed, example=default)
    except DataError as exc:
        raise ValueError(exc.message) from None
    return path


def ask_path(io: Io, default: str, saved: Path | None = None, fmt: Format | None = None) -> Path:
    """A file name that can be written; an existing file is replaced only when the person says so, and the
    question says when that file is the profile just saved (results written over it would lose the answers)."""
    from skinrec.atomic import same_file

    while True:
        path = ask(io, "  File name", lambda text: _writable(text, default, fmt), default)
        if not path.exists():
            return path
        question = f"  '{path}' exists; replace it?"
        if saved is not None and same_file(path, saved):
            question = f"  '{path}' holds the answers you just saved; replace them with the results?"
        if ask(io, question, parse_yes_no, "n", "y/N"):
            return path


def _save(io: Io, default: str, text: str, saved: Path | None = None, fmt: Format | None = None) -> Path:
    """Ask for a file name and write `text` there (atomically); when the system refuses the write (a read-only
    place that looked writable), say so and ask again rather than end the run and lose the answers."""
    from skinrec.atomic import write_atomic

    while True:
        path = ask_path(io, default, saved, fmt)
        try:
            write_atomic(path, text)
        except DataError as exc:  # write_atomic's one line for any refusal
            io.refuse(exc.message, answered=False)
            continue
        return path


def offer_saves(
    io: Io, profile: Profile, render: Callable[[Format], str], exported: Path | None = None, kb: Path | None = None
) -> None:
    """After the results: save the answers as a profile file (`--profile` reads it back) and export the
    results as JSON or Markdown, unless they were `exported` already (-o). Files are written atomically, so an
    interrupted save leaves nothing behind. The command it suggests for next time names the `--kb` in use: the
    answers may name a concern or condition only that knowledge base has."""
    import shlex

    from skinrec.profile_file import dump_profile, kb_flag

    io.say()
    saved = None
    if ask(io, "Save your answers as a profile file, to reuse with --profile?", parse_yes_no, "n", "y/N"):
        saved = _save(io, "skinrec-profile.yaml", dump_profile(profile, kb))
        io.say(f"  Saved. Next time: skinrec recommend --profile {shlex.quote(str(saved))}{kb_flag(kb)}")
    if exported is not None:
        return
    choice = ask(
        io,
        "Export the results as json or markdown?",
        lambda text: parse_option(FORMAT_ALIASES.get(text.strip().lower(), text), EXPORTS),
        "no",
        "json/markdown/NO",
    )
    if choice != "no":
        fmt = Format(choice)
        path = _save(io, f"skinrec-results.{'md' if fmt is Format.markdown else 'json'}", render(fmt), saved, fmt)
        io.say(f"  Wrote {path}")
