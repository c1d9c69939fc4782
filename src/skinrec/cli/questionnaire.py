"""The guided questionnaire: what `skinrec` asks a person at a terminal, one validated answer at a time.

Every question is a plain function of an `Io` (where prompts go and answers come from) and the knowledge
base, so tests drive each branch with scripted answers and the terminal is only one `Io` among others. The
questions come from the knowledge base: concerns from data/concerns.yaml, and the safety screening from
rules/conditions.yaml in file order, so adding a condition there adds a question here (and its `ask_if` skips
it after a no to the question it depends on). Only the Fitzpatrick scale, a built-in fact rather than a
condition, is described in this module.

Prompts and messages go to stderr (or straight to the terminal), never to stdout, which carries only results.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Protocol, TypeVar

import typer

from skinrec.cli.output import FORMAT_ALIASES, Format, color_wanted
from skinrec.errors import STOPPED, DataError
from skinrec.knowledge import KnowledgeBase, normalize_name
from skinrec.profile import (
    BUDGET_PER,
    ROMAN,
    Profile,
    escaped,
    parse_amount,
    parse_budget,
    parse_concern,
    parse_condition,
    parse_skin_type,
    shown,
    spoken,
)
from skinrec.wording import money

T = TypeVar("T")

FITZPATRICK = (
    "very fair skin; always burns, never tans",
    "fair skin; usually burns, tans a little",
    "medium skin; sometimes burns, tans gradually",
    "olive or light brown skin; rarely burns, tans easily",
    "brown skin; very rarely burns, tans very easily",
    "dark brown or black skin; never burns",
)
STYLES: dict[str, Callable[[str], str]] = {
    "bold": lambda text: typer.style(text, bold=True),
    "muted": lambda text: typer.style(text, dim=True),
    "error": lambda text: typer.style(text, fg="red"),
}
RANGE = re.compile(r"([0-9]+)\s*-\s*([0-9]+)")  # "1-3" in a list of choices, in ASCII digits (see `_number`)
LIST_MARKER = re.compile(r" *(?:\d+\.|[IVX]+) +(?=\S)")  # "  12. ", "   II  ": a numbered choice's start
BRACKETED = re.compile(r"\[[^\]]*\]")
ANSWER_ROOM = 6  # columns a prompt's last line leaves free for the answer
MAX_ANSWER = 4096  # characters in a line of piped answers, as a terminal's line editing allows: a few dozen are used
NO_BREAK = "\x00"  # stands in for the spaces of a bracketed default while wrapping
SECTIONS = ("concerns", "downtime", "budget", "skin type", "conditions")
# A sign at the summary's conditions: at the start of a comma-separated part, '+' or '-' or both (refused), spaced
# or not ("- eczema"); further on, only after a space and straight before a name or number ("-1 -2", "eczema
# -rosacea"), so a name's own hyphens ("retin-a", "cold sores - active") are not read as one.
SIGN = re.compile(r"(^\s*(?:[+-]\s*)+|(?<=\s)[+-]+(?=[^\s+-]))")
DASHES = str.maketrans("\u2013\u2014\u2212", "---")  # en dash, em dash, minus sign: '-' as phones and editors type it
NEGATION = re.compile(r"not?\s+(.+)", re.IGNORECASE)  # "no eczema", "not eczema"
EXPORTS = ("json", "markdown", "no")


class Io(Protocol):
    """Where the questionnaire talks and listens."""

    def say(self, text: str = "", tone: str = "") -> None: ...

    def ask(self, prompt: str) -> str: ...

    def refuse(self, problem: str, answered: bool = True) -> None:
        """Say why the last answer was refused (or, not `answered`, why what it asked for failed: a file that
        could not be written), before its question is asked again; or stop the run where asking again cannot
        help (see `TerminalIo.refuse`)."""
        ...


def _columns() -> int:
    """The width of stderr's terminal, where the questions go. `shutil` measures stdout's, which may be a file
    (`-i > results.txt`): its 80-column default then wrapped the questions wider or narrower than the screen."""
    if os.environ.get("COLUMNS", "").isdigit():  # set by the person (or a test): as `shutil` honours it
        return shutil.get_terminal_size().columns
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):  # not a terminal after all
        return shutil.get_terminal_size().columns


class TerminalIo:
    """Messages on stderr, answers from stdin; Ctrl-C or Ctrl-D at a question ends the run with exit 130.

    Answers piped in (stdin not a terminal) are read a line each, at most MAX_ANSWER characters, and a refused
    one stops the run: asking again would take the next line, meant for the next question, and shift every
    answer after it ("yse" for pregnant, then "n" meant for breastfeeding, would answer pregnant "no")."""

    def __init__(self, no_color: bool) -> None:
        self.color = color_wanted(no_color, sys.stderr)
        self.line_editing = sys.stdin.isatty() and sys.stdout.isatty()
        self.wrap = sys.stderr.isatty()
        self.lines = 0  # lines of piped answers read so far
        self.answer = ""  # the last one
        if self.line_editing:
            with contextlib.suppress(ImportError):  # absent on Windows
                import readline  # noqa: F401  - importing it gives input() arrow keys and history

    def say(self, text: str = "", tone: str = "") -> None:
        """Print a line; on a terminal, word-wrapped to its width (see `wrapped`)."""
        if self.wrap and text:
            text = "\n".join(wrapped(text, _columns() - 1))
        typer.echo(STYLES[tone](text) if tone else text, err=True, color=self.color)

    def ask(self, prompt: str) -> str:
        try:
            if self.wrap:  # a prompt too wide to answer on its line: all but its last line said first, wrapped
                *above, prompt = wrapped(prompt, _columns() - 1, ANSWER_ROOM)
                for line in above:
                    typer.echo(line, err=True, color=self.color)
            if self.line_editing:  # readline must draw the prompt itself; stdout is the terminal here
                return input(prompt)
            typer.echo(prompt, nl=False, err=True)
            if not self.piped:
                return input()
            answer = self._piped_line()
            typer.echo(escaped(answer), err=True)  # echoed, so the transcript reads like a session
            return answer
        except (EOFError, KeyboardInterrupt):  # Ctrl-D, Ctrl-C: stop here; files are only written after a question
            typer.echo(err=True)  # ends the question's line; `main` says the run stopped
            raise typer.Exit(STOPPED) from None

    @property
    def piped(self) -> bool:
        """Whether the answers come from a pipe or a file rather than a person at a terminal."""
        return not sys.stdin.isatty()

    def _piped_line(self) -> str:
        """The next line of piped answers, without its ending (and, on the first, without a UTF-8 BOM, which an
        editor may save and nobody sees); EOFError at the end of the input."""
        line = sys.stdin.readline(MAX_ANSWER + 1)
        if not line:
            raise EOFError
        self.lines += 1
        if len(line) > MAX_ANSWER and not line.endswith("\n"):
            typer.echo(err=True)  # ends the prompt's line, which the error would otherwise finish
            raise DataError(
                f"line {self.lines} of the answers is longer than {MAX_ANSWER} characters; give one answer a line"
            )
        self.answer = line.rstrip("\r\n").removeprefix("\ufeff" if self.lines == 1 else "")
        return self.answer

    def refuse(self, problem: str, answered: bool = True) -> None:
        if not self.piped:
            self.say(f"  {problem}", "error")
            return
        if not answered:  # the last line answered another question ("replace it?"): the problem names the file
            raise DataError(problem)
        raise DataError(
            f"line {self.lines} of the answers, {shown(self.answer)}, is refused: {problem}; answers piped to -i are "
            "not asked again, since the next line answers the next question"
        )


def wrapped(text: str, width: int, room: int = 0) -> list[str]:
    """`text` word-wrapped to `width`, as lines. Continuation lines hang under the text of a list item
    ("  12. Burn and raised scars" continues under "Burn", "   II  fair skin" under "fair"), else under
    indented text, else by two. A default in brackets ("[no limit]") is never split, and trailing spaces (a
    prompt's, before the cursor) are kept. If the last line would leave less than `room` columns for an
    answer, its last word (or default) goes on a line of its own."""
    body = text.rstrip()
    marker = LIST_MARKER.match(body)
    indent = " " * (marker.end() if marker else len(body) - len(body.lstrip())) or "  "
    kept = BRACKETED.sub(lambda found: found[0].replace(" ", NO_BREAK), body)
    fill = partial(textwrap.wrap, width=width, break_long_words=False, break_on_hyphens=False)
    lines = fill(kept, subsequent_indent=indent) or [""]
    head, _, last = kept.rpartition(" ")
    if len(lines[-1]) + room > width and head.strip():
        lines = [*fill(head, subsequent_indent=indent), indent + last]
    lines = [line.replace(NO_BREAK, " ") for line in lines]
    lines[-1] += text[len(body) :]
    return lines


def ask(
    io: Io,
    prompt: str,
    parse: Callable[[str], T],
    default: str | None = None,
    hint: str | None = None,
    again: Callable[[], None] | None = None,
) -> T:
    """Ask until `parse` accepts the answer; after a mistake show the choices again (`again`) and say what was
    wrong. An empty answer means `default`, which is shown in brackets (or `hint` is, where the default reads
    better another way, as in [y/N])."""
    shown = hint or default
    line = f"{prompt} [{shown}]: " if shown else f"{prompt}: "
    while True:
        answer = io.ask(line).strip()
        try:
            return parse(answer or default or "")
        except ValueError as exc:
            if again is not None:
                again()
            io.refuse(str(exc))


def parse_yes_no(text: str) -> bool:
    word = text.strip().lower()
    if word in ("y", "yes"):
        return True
    if word in ("n", "no"):
        return False
    raise ValueError("answer y (yes) or n (no)")


def parse_option(text: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, or a prefix of exactly one ("s" for session)."""
    word = text.strip().lower()
    found = [choice for choice in choices if choice.startswith(word)] if word else []
    if len(found) != 1:
        raise ValueError(f"answer {', '.join(choices[:-1])} or {choices[-1]}")
    return found[0]


def _number(word: str) -> bool:
    """Whether `word` is a number in ASCII digits: `isdigit` is true of '²' and '①' too, which `int` refuses
    with Python's own words."""
    return word.isascii() and word.isdigit()


def parse_picks(text: str, options: Sequence[str], by_name: Callable[[str], str]) -> list[str]:
    """Choices typed by number (1-based, into `options`) or by name, separated by commas; numbers may also be
    separated by spaces ("1 3"), given as ranges ("1-3"), or both ("1-3 5"). Duplicates are dropped, order is
    kept."""
    picked: list[str] = []
    for part in text.split(","):
        words = part.split()
        if RANGE.fullmatch(part.strip()):  # "1 - 3", spaces and all
            tokens = _expanded(part.strip(), len(options))
        elif words and all(_number(word) or RANGE.fullmatch(word) for word in words):
            tokens = [token for word in words for token in _expanded(word, len(options))]
        else:
            tokens = [part.strip()] if words else []
        for token in tokens:
            if not _number(token):
                picked.append(by_name(token))
            elif 1 <= int(token) <= len(options):
                picked.append(options[int(token) - 1])
            else:
                raise ValueError(f"{token} is not on the list; choose 1-{len(options)}")
    if not picked:
        raise ValueError("choose at least one, by number or by name")
    return list(dict.fromkeys(picked))


def _expanded(word: str, size: int) -> list[str]:
    """The numbers a range stands for ("2-4": 2, 3, 4), checked against a list of `size`; any other word as it is."""
    found = RANGE.fullmatch(word)
    if found is None:
        return [word]
    low, high = int(found[1]), int(found[2])
    if low > high:
        raise ValueError(f"{shown(word)} runs backwards; write {high}-{low}")
    if low < 1 or high > size:
        raise ValueError(f"{shown(word)} goes past the list; choose within 1-{size}")
    return [str(number) for number in range(low, high + 1)]


def _numbered(io: Io, labels: Sequence[str]) -> None:
    width = len(str(len(labels)))
    for number, label in enumerate(labels, start=1):
        io.say(f"  {number:>{width}}. {label}")


def _labelled(label: str, ident: str) -> str:
    """A concern's or condition's label with its id, which can be typed, unless the label already says it in words
    ("Excessive sweating (hyperhidrosis)", not "... (hyperhidrosis) (hyperhidrosis)")."""
    said = label.endswith(")") and normalize_name(label.rpartition("(")[2][:-1]) == normalize_name(ident)
    return label if said else f"{label} ({ident})"


def ask_concerns(io: Io, kb: KnowledgeBase, profile: Profile, ahead: frozenset[str] = frozenset()) -> Profile:
    """Which concerns (several allowed), then which matter most; the current ones are the default. A condition
    named as a concern is pointed at the summary's conditions, and at its safety question too if it is among
    those certainly `ahead`."""
    ids = list(kb.concerns)
    labels = [_labelled(kb.concerns[c]["label"], c) for c in ids]

    def concern(name: str) -> str:
        condition = kb.condition_lookup.get(normalize_name(name))
        return parse_concern(kb, name, "screening ahead" if condition in ahead else "questionnaire")

    io.say("What would you like to treat?", "bold")
    _numbered(io, labels)
    chosen = ask(
        io,
        "Numbers or names, separated by commas",
        lambda text: parse_picks(text, ids, concern),
        default=", ".join(profile.concerns) or None,
        again=lambda: _numbered(io, labels),
    )
    if len(chosen) > 1:
        io.say("Which matters most? Give one number, or several in order of importance.", "bold")
        chosen_labels = [kb.concerns[c]["label"] for c in chosen]
        _numbered(io, chosen_labels)
        first = ask(
            io,
            "Most important",
            lambda text: parse_picks(text, chosen, lambda name: _among(kb, chosen, name)),
            "1",
            again=lambda: _numbered(io, chosen_labels),
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


def ask_conditions(io: Io, kb: KnowledgeBase, profile: Profile, skip: frozenset[str] = frozenset()) -> Profile:
    """One yes/no screening question per condition in rules/conditions.yaml (file order), except those in
    `skip` (already answered yes by a flag) and those whose `ask_if` condition was not answered yes: skipped,
    they count as no. A condition that is yes already is asked whatever its `ask_if` says, with yes as its
    default, so that a yes given earlier (`-x rosacea_severe` without `-x rosacea`) is only ever dropped by the
    person answering no. The current answer is each question's default.

    Each question is numbered "(n/N)", N being how many can still be asked: it falls as a no closes off the
    questions that wait on it, so the last question asked is always "(N/N)"."""
    answers = set(profile.conditions & skip)
    pending = [ident for ident in kb.conditions if ident not in skip]
    most = len(_to_ask(kb, pending, answers, profile.conditions))
    fewest = len(_to_ask(kb, pending, answers, profile.conditions, assume=False))
    count = f"{most}" if most == fewest else f"up to {most}"
    io.say(f"Safety questions ({count}): some treatments are unsafe with some conditions.", "bold")
    number = 0
    for place, ident in enumerate(pending):
        coming = _to_ask(kb, pending[place:], answers, profile.conditions)
        if coming[:1] != [ident]:  # its ask_if condition was answered no: a question that cannot apply
            continue
        number += 1
        record = kb.conditions[ident]
        io.say(f"({number}/{number - 1 + len(coming)}) {record['question']}")
        if record["help"]:
            io.say(f"  {record['help']}", "muted")
        has = ident in profile.conditions
        if ask(io, "  Answer", parse_yes_no, "y" if has else "n", "Y/n" if has else "y/N"):
            answers.add(ident)
    return replace(profile, conditions=frozenset(answers))


def _to_ask(
    kb: KnowledgeBase, pending: list[str], yes: set[str], current: frozenset[str], *, assume: bool = True
) -> list[str]:
    """Those of `pending` (in file order) that will be asked, given the conditions answered `yes` so far and
    those that are yes now (`current`, asked whatever their `ask_if` says), if every one asked is answered yes
    (`assume`) or no. A question's `ask_if` always names an earlier condition (the loader checks it), so one
    pass in file order settles each question."""
    opened = set(yes)
    asked = []
    for ident in pending:
        gate = kb.conditions[ident].get("ask_if")
        if gate is None or gate in opened or ident in current:
            asked.append(ident)
            if assume:
                opened.add(ident)
    return asked


@dataclass(frozen=True)
class ConditionChanges:
    """What the person asked for at the summary's conditions: conditions to add and to remove, or `again`, every
    safety question again. None of them is Enter: done."""

    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    again: bool = False


def parse_condition_changes(kb: KnowledgeBase, text: str, listed: Sequence[str]) -> ConditionChanges:
    """Names to add ("eczema", "+eczema") and, after '-', numbers into `listed` or names to remove ("-1",
    "- eczema", "-1 2"), separated by commas or by spaces before a sign ("-1 -2", "eczema -rosacea"); or 'all'.
    A bare number is refused: whether it meant to add or remove, guessing could drop a condition the person has,
    which must only ever be done on purpose; so are "no eczema" and "not eczema", answered with the way to say
    it: a removal has one spelling, '-', rather than the phrasings people might try ("remove eczema", "without
    eczema"), of which any not understood would be read as a name, or worse, as a name to add."""
    word = text.strip()
    if word.lower() in ("", "done"):
        return ConditionChanges()
    if word.lower() == "all":
        return ConditionChanges(again=True)
    add: list[str] = []
    remove: list[str] = []
    for signs, target in _signed(word.translate(DASHES)):
        if "+" in signs and "-" in signs:
            raise ValueError(f"{shown(signs.strip() + target)}: '+' adds and '-' removes; give one of them")
        if "-" in signs:
            remove += _listed(kb, target, listed)
        else:
            add.append(_added(kb, target, listed))
    if not (add or remove):
        raise ValueError("type a condition's name to add it, - and its number to remove it, or 'all'")
    both = [ident for ident in add if ident in remove]
    if both:
        raise ValueError(f"{kb.conditions[both[0]]['label']} is both added and removed; give one or the other")
    return ConditionChanges(tuple(dict.fromkeys(add)), tuple(dict.fromkeys(remove)))


def _signed(text: str) -> list[tuple[str, str]]:
    """The changes in `text`, each as its signs ('', '+', '-', or a mix, refused by the caller) and what follows
    them up to the next comma or sign."""
    changes: list[tuple[str, str]] = []
    for part in text.split(","):
        lead, *rest = SIGN.split(part)
        changes += [("", lead.strip())] if lead.strip() else []
        changes += [(signs, target.strip()) for signs, target in zip(rest[::2], rest[1::2], strict=True)]
    return changes


def _listed(kb: KnowledgeBase, target: str, listed: Sequence[str]) -> list[str]:
    """The conditions on the list that `target` (numbers into it, or a name) names, to remove."""
    if not target:
        raise ValueError("after '-' give the number or name of the condition to remove, e.g. -1")
    if not listed:
        raise ValueError("the list is empty, so there is nothing to remove; type a condition's name to add it")
    numbers = target.split()
    if all(map(_number, numbers)):
        for number in numbers:
            if not 1 <= int(number) <= len(listed):
                raise ValueError(f"-{number}: there is no condition {number} on the list; choose {_span(listed)}")
        return [listed[int(number) - 1] for number in numbers]
    ident = parse_condition(kb, target, "questionnaire")
    if ident not in listed:
        raise ValueError(f"{kb.conditions[ident]['label']} is not on the list, so there is nothing to remove")
    return [ident]


def _added(kb: KnowledgeBase, target: str, listed: Sequence[str]) -> str:
    """The condition `target` names, to add; numbers, which only ever remove, are refused (see
    `parse_condition_changes`), as are "no eczema" and "not eczema"."""
    if not target:
        raise ValueError("after '+' give a condition's name")
    numbers = target.split()
    if all(map(_number, numbers)):
        raise ValueError(_unsigned(numbers, listed))
    try:
        return parse_condition(kb, target, "questionnaire")
    except ValueError:
        negated = NEGATION.fullmatch(target)
        meant = kb.condition_lookup.get(normalize_name(negated[1])) if negated else None
        if meant is None:
            raise
        label = kb.conditions[meant]["label"]
        if meant not in listed:
            raise ValueError(f"{label} is not on the list, so there is nothing to remove") from None
        raise ValueError(f"to remove {label}, type -{listed.index(meant) + 1}") from None


def _unsigned(numbers: Sequence[str], listed: Sequence[str]) -> str:
    """What to say of numbers typed without '-': what they can mean with the list as it is."""
    if not listed:
        return "the list is empty; type a condition's name to add it"
    off = [number for number in numbers if not 1 <= int(number) <= len(listed)]
    if off:
        return (
            f"there is no condition {off[0]} on the list; to remove one, type - and its number ({_span(listed)}); "
            "to add one, type its name"
        )
    which = "condition" if len(numbers) == 1 else "conditions"
    return f"to remove {which} {' '.join(numbers)}, type -{' -'.join(numbers)}; to add one, type its name"


def _span(listed: Sequence[str]) -> str:
    """The numbers of a list that is not empty: "1", "1-3"."""
    return "1" if len(listed) == 1 else f"1-{len(listed)}"


def change_conditions(io: Io, kb: KnowledgeBase, profile: Profile) -> Profile:
    """The summary's quick change to the safety answers: the conditions answered yes, numbered; a name adds one,
    '-' and its number or name removes one, and 'all' asks every question again (each defaulting to the answer
    now). A yes is only ever removed by name or number, never by leaving it out. The list is shown again after
    each change, so the person sees the result; Enter goes back to the summary."""
    while True:
        listed = [ident for ident in kb.conditions if ident in profile.conditions]
        io.say("Conditions you answered yes to:", "bold")
        if listed:
            _numbered(io, [_labelled(kb.conditions[ident]["label"], ident) for ident in listed])
        else:
            io.say("  none")
        io.say(
            "To add one, type its name; to remove one, type - and its number or name (-1); 'all' asks every safety "
            "question again.",
            "muted",
        )
        changes = ask(io, "Change", partial(parse_condition_changes, kb, listed=listed), "done")
        if changes.again:
            io.say()
            return ask_conditions(io, kb, profile)
        if not (changes.add or changes.remove):
            return profile
        for ident in changes.add:
            done = "is already on the list" if ident in profile.conditions else "added"
            io.say(f"  {kb.conditions[ident]['label']} {done}")
        for ident in changes.remove:
            io.say(f"  {kb.conditions[ident]['label']} removed")
        profile = replace(profile, conditions=(profile.conditions | set(changes.add)) - set(changes.remove))
        io.say()


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


def _parse_change(text: str) -> int:
    word = text.strip().lower()
    if word in ("", "go", "y", "yes"):
        return 0
    if _number(word) and 1 <= int(word) <= len(SECTIONS):
        return int(word)
    raise ValueError(f"press Enter to see your results, or type a number 1-{len(SECTIONS)} to change an answer")


def ask_profile(io: Io, kb: KnowledgeBase, base: Profile, answered: frozenset[str]) -> Profile:
    """Ask for whatever the flags and the profile file left out (`answered`: the profile keys they gave), then
    show the answers to confirm or change. A key given skips its question; so a file that holds only concerns
    still gets the limits and the safety questions asked, and a condition flag skips only its own question."""
    given = [bool(base.concerns), *(key in answered for key in ("downtime", "budget", "skin_type", "conditions"))]
    # the safety questions that will be asked whatever the answers (as ask_conditions asks them, skipping those
    # given yes), for the concern question to point a condition at, until they are behind it (below)
    pending = [ident for ident in kb.conditions if ident not in base.conditions]
    ahead = frozenset(() if given[-1] else _to_ask(kb, pending, set(base.conditions), base.conditions, assume=False))
    askers: list[Callable[[Profile], Profile]] = [
        lambda p: ask_concerns(io, kb, p, ahead),
        lambda p: ask_downtime(io, p),
        lambda p: ask_budget(io, p, ask_per="budget_per" not in answered),
        lambda p: ask_skin_type(io, p),
        lambda p: ask_conditions(io, kb, p, skip=p.conditions),
    ]
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
    ahead = frozenset()  # asked or answered by now: from the summary on, its 5 is where a condition is added
    while True:
        io.say()
        io.say("Your answers:", "bold")
        for line in summary_lines(kb, profile):
            io.say(f"  {line}")
        change = ask(io, f"Enter to see your results, or 1-{len(SECTIONS)} to change an answer", _parse_change, "go")
        if not change:
            io.say()
            return profile
        io.say()
        # the safety answers are changed by name, not by answering every question again (unless asked to)
        profile = change_conditions(io, kb, profile) if change == len(SECTIONS) else askers[change - 1](profile)


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
