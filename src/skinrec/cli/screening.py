"""The questionnaire's safety screening: one yes/no question per condition in rules/conditions.yaml, in file
order, skipping a question whose `ask_if` condition was not answered yes; and the summary's quick change to the
conditions answered yes (add by name, remove with '-', or every question again).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial

from skinrec.answers import AGAIN, DASHES, DONE, SIGN
from skinrec.cli.prompting import RANGE, Io, ask, is_number, labelled, parse_yes_no, say_numbered
from skinrec.knowledge import KnowledgeBase, normalize_name
from skinrec.profile import Profile, parse_condition, shown
from skinrec.wording import joined

NEGATION = re.compile(r"not?\s+(.+)", re.IGNORECASE)  # "no eczema", "not eczema"
# Where a concern typed at the conditions editor goes instead.
CONCERN_INSTEAD = {"concern": "choose it among your concerns instead, at the summary"}


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
    most = len(to_ask(kb, pending, answers, profile.conditions))
    fewest = len(certain_questions(kb, profile, skip))
    count = f"{most}" if most == fewest else f"up to {most}"
    io.say(f"Safety questions ({count}): some treatments are unsafe with some conditions.", "bold")
    number = 0
    for place, ident in enumerate(pending):
        coming = to_ask(kb, pending[place:], answers, profile.conditions)
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


def certain_questions(kb: KnowledgeBase, profile: Profile, skip: frozenset[str]) -> list[str]:
    """The safety questions `ask_conditions` asks whatever the answers (every `ask_if` answered no), for `profile`
    and `skip` as it takes them: those a condition question can be pointed at as still to come."""
    pending = [ident for ident in kb.conditions if ident not in skip]
    return to_ask(kb, pending, set(profile.conditions & skip), profile.conditions, assume=False)


def to_ask(
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
    if word.lower() in DONE:
        return ConditionChanges()
    if word.lower() == AGAIN:
        return ConditionChanges(again=True)
    add: list[str] = []
    remove: list[str] = []
    for signs, target in _signed(word.translate(DASHES)):
        span = _range(target)
        if span is not None:
            raise ValueError(_one_by_one(span, listed))
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


def _range(target: str) -> re.Match[str] | None:
    """The range `target` is or holds among numbers ("1-3", "1 - 3", "1-2 4"), which would otherwise be read as a
    name and answered with every condition there is. A name with a range in it ("isotretinoin 6-12 months", in a
    clinic's knowledge base) stays a name."""
    words = target.split()
    if not all(is_number(word) or RANGE.fullmatch(word) for word in words):  # "1 - 3" too: its '-' is a word
        return RANGE.fullmatch(target)
    return next(filter(None, map(RANGE.fullmatch, words)), None)


def _one_by_one(span: re.Match[str], listed: Sequence[str]) -> str:
    """What to say of a range: how to remove those numbers, one '-' each. It is not read as a range: removing
    is only ever done number by number, so a slip of one digit ("1-5" for "1-3") cannot drop conditions unseen."""
    low, high = sorted((int(span[1]), int(span[2])))
    if not listed or not 1 <= low <= high <= len(listed):
        return _unsigned([str(low), str(high)], listed)
    return f"to remove several, type - and each number: {' '.join(f'-{n}' for n in range(low, high + 1))}"


def _listed(kb: KnowledgeBase, target: str, listed: Sequence[str]) -> list[str]:
    """The conditions on the list that `target` (numbers into it, or a name) names, to remove."""
    if not target:
        raise ValueError("after '-' give the number or name of the condition to remove, e.g. -1")
    if not listed:
        raise ValueError("the list is empty, so there is nothing to remove; type a condition's name to add it")
    numbers = target.split()
    if all(map(is_number, numbers)):
        for number in numbers:
            if not 1 <= int(number) <= len(listed):
                raise ValueError(f"-{number}: there is no condition {number} on the list; choose {_span(listed)}")
        return [listed[int(number) - 1] for number in numbers]
    ident = parse_condition(kb, target, CONCERN_INSTEAD)
    if ident not in listed:
        raise ValueError(f"{kb.conditions[ident]['label']} is not on the list, so there is nothing to remove")
    return [ident]


def _added(kb: KnowledgeBase, target: str, listed: Sequence[str]) -> str:
    """The condition `target` names, to add; numbers, which only ever remove, are refused (see
    `parse_condition_changes`), as are "no eczema" and "not eczema"."""
    if not target:
        raise ValueError("after '+' give a condition's name")
    numbers = target.split()
    if all(map(is_number, numbers)):
        raise ValueError(_unsigned(numbers, listed))
    try:
        return parse_condition(kb, target, CONCERN_INSTEAD)
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
    each change, so the person sees the result; Enter goes back to the summary.

    A change that leaves the list at odds with an `ask_if` (a condition listed whose question waits on a yes to
    one not listed) is said beside it, never mended: only the person adds or removes a condition, and the
    screening asks a condition answered yes whatever its `ask_if` says, so the list stays as they made it."""
    while True:
        listed = [ident for ident in kb.conditions if ident in profile.conditions]
        io.say("Conditions you answered yes to:", "bold")
        if listed:
            say_numbered(io, [labelled(kb.conditions[ident]["label"], ident) for ident in listed])
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
        after = (profile.conditions | set(changes.add)) - set(changes.remove)
        for ident in changes.add:
            done = (
                "is already on the list" if ident in profile.conditions else f"added{_gate_unlisted(kb, ident, after)}"
            )
            io.say(f"  {kb.conditions[ident]['label']} {done}")
        for ident in changes.remove:
            io.say(f"  {kb.conditions[ident]['label']} removed{_waiting_listed(kb, ident, after)}")
        profile = replace(profile, conditions=after)
        io.say()


def _gate_unlisted(kb: KnowledgeBase, ident: str, after: frozenset[str]) -> str:
    """Of a condition added: that its question waits on a yes to a condition not on the list `after` the change."""
    gate = kb.conditions[ident].get("ask_if")
    if gate is None or gate in after:
        return ""
    label = kb.conditions[gate]["label"]
    return (
        f"; its question is asked only after a yes to {label}, which is not on the list: add {label} too if you have it"
    )


def _waiting_listed(kb: KnowledgeBase, ident: str, after: frozenset[str]) -> str:
    """Of a condition removed: those still on the list `after` the change whose questions wait on a yes to it."""
    waiting = [
        record["label"] for other, record in kb.conditions.items() if other in after and record.get("ask_if") == ident
    ]
    if not waiting:
        return ""
    return (
        f"; {joined(waiting)}, asked only after a yes to it, {'is' if len(waiting) == 1 else 'are'} still on the list"
    )
