"""Checks that span files: every id a file mentions must exist, ids must be unique, a name people type (a
treatment's name, a concern's label or synonym, a condition's label) may mean one record and, for a concern or a
condition, nothing the questionnaire reads as something else where it asks for that kind (a number; for a
condition, 'none' or a '-' too), rules must be able to fire, and nothing declared may go unused (a condition no
rule reads and no question waits on, a source nothing cites, a treatment that helps with no concern or that no rule
applies to, a concern no treatment rates, a tag no treatment carries, whether declared or named by a rule).

Each check yields a `Finding` (file, loc, message); the loader turns loc into `line:col` and a readable path. The
structure of each file has already been validated by the pydantic models, so records here are plain,
well-formed dicts.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from skinrec.answers import AGAIN, DASHES, DONE, SIGN
from skinrec.conditions import SKIN_TYPE, can_fire, named, negated_conditions
from skinrec.knowledge import normalize_name
from skinrec.loader import FIXED_FILES

Loc = tuple[str | int, ...]
LineOf = Callable[[str, Loc], int]  # the line a loc of a file is written on
TREATMENTS = FIXED_FILES["treatments"]
CONCERNS = FIXED_FILES["concerns"]
CONDITIONS = FIXED_FILES["conditions"]
SOURCES = FIXED_FILES["sources"]
SCORING = FIXED_FILES["scoring"]


class Finding(NamedTuple):
    """A problem at `loc` of `file`; `also` is another file the message names as a place (`also at FILE:LINE`),
    for the loader to name from the working directory as it names `file`."""

    file: str
    loc: Loc
    message: str
    also: str = ""


SKIN_TYPE_NOT_A_CONDITION = (
    "'skin_type' is not a condition; test the skin type with a range, e.g. {skin_type: {min: 4, max: 6}}"
)


class _Conditions:
    """The condition ids, and what to say of a name listed as one that is not: 'skin_type' (built in, with the
    way to give it where the name stands) or a condition's label or synonym (its id is wanted) before a did-you-
    mean, so the advice never leads to a second error ("add it to rules/conditions.yaml", which then refuses
    'skin_type'; no hint for 'accutane')."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.ids = {record["id"] for record in records}
        self.names = {
            normalize_name(name): record["id"]
            for record in records
            for name in (record["label"], *record.get("synonyms", ()))
        }

    def __contains__(self, name: object) -> bool:
        return name in self.ids

    def unknown(self, name: str, skin_type: str) -> str:
        if name == SKIN_TYPE:
            return f"'skin_type' is built in (the Fitzpatrick type), not a condition; {skin_type}"
        meant = self.names.get(normalize_name(name))
        if meant is not None:
            return f"'{name}' is a name of the condition '{meant}'; write its id, '{meant}'"
        return _unknown("condition", name, self.ids, CONDITIONS)


def _names(tree: Any, loc: Loc) -> Iterator[tuple[str, Loc]]:
    """Each bare name in a rule's tree with where it is written, so a misspelt id is pointed at itself rather
    than at the `when:` that holds it."""
    if isinstance(tree, str):
        yield tree, loc
        return
    ((kind, body),) = tree.items()
    if kind == "not":
        yield from _names(body, (*loc, kind))
    elif kind != SKIN_TYPE:
        for index, child in enumerate(body):
            yield from _names(child, (*loc, kind, index))


def _repeated_tests(tree: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Each test an `any` or `all` already makes (`any: [pregnant, pregnant]`, the same sub-tree twice, in any
    order, a skin type as IV and as 4), with what to say of it. It changes nothing, so it is a slip, a copy-paste
    or a merge that may hide the test that was meant, as an id listed twice in a list is; so it is a problem as
    that is."""
    if isinstance(tree, str):
        return
    ((kind, body),) = tree.items()
    if kind == "not":
        yield from _repeated_tests(body, (*loc, kind))
    elif kind != SKIN_TYPE:
        first: dict[str, int] = {}
        for index, child in enumerate(body):
            earlier = first.setdefault(_test(child), index)
            if earlier == index:
                yield from _repeated_tests(child, (*loc, kind, index))
            elif isinstance(child, str):
                yield (*loc, kind, index), f"condition '{child}' is listed twice; keep one"
            else:
                order = "" if child == body[earlier] else " (any and all ignore their items' order and repeats)"
                yield (*loc, kind, index), f"the same test as {kind}[{earlier}]{order}, so it changes nothing; keep one"


def _test(tree: Any) -> str:
    """What a tree tests, written out so that trees testing the same thing are written alike: the items of an
    `any` or `all` in sorted order and once each, since neither their order nor a repeat changes what they test."""
    if isinstance(tree, str):
        return json.dumps(tree)
    ((kind, body),) = tree.items()
    if kind == SKIN_TYPE:
        return json.dumps(tree, sort_keys=True)
    return json.dumps([kind, _test(body) if kind == "not" else sorted({_test(child) for child in body})])


def _edits(a: str, b: str) -> int:
    """Single-character edits (insert, delete, change, or swap two neighbours) that turn `a` into `b`."""
    two_back: list[int] = []
    last = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(last[j] + 1, row[j - 1] + 1, last[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], two_back[j - 2] + 1)
        two_back, last = last, row
    return last[-1]


def _typo_of(value: str, known: Iterable[str]) -> str | None:
    """The known id `value` is a typo of: two characters off at most (one for an id under six characters, none
    under three), fewest edits first. difflib ranks the candidates quickly, but on its own it also offered ids that merely
    share a few letters ('mailash_mn' for 'maips_mc', once a source was deleted)."""
    allowed = min(2, len(value) // 3)
    edits = {name: _edits(value, name) for name in difflib.get_close_matches(value, list(known), n=5)}
    close = [name for name, count in edits.items() if count <= allowed]
    return min(close, key=edits.__getitem__, default=None)


def _unknown(kind: str, value: str, known: Iterable[str], where: str) -> str:
    close = _typo_of(value, known)
    hint = f"did you mean '{close}'?" if close else f"add it to {where} or fix the spelling"
    return f"unknown {kind} '{value}'; {hint}"


def _also(file: str, first_file: str, first_line: int) -> str:
    """Where the first of two same ids is: its line, and its file too when that is another one."""
    return f"line {first_line}" if first_file == file else f"{first_file}:{first_line}"


def _duplicates(file: str, key: str, records: list[dict[str, Any]], what: str, line_of: LineOf) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for index, record in enumerate(records):
        ident = record["id"]
        if ident in first:
            yield Finding(
                file,
                (key, index, "id"),
                f"duplicate {what} id '{ident}' (also at line {line_of(file, (key, first[ident], 'id'))}); "
                "ids must be unique",
            )
        first.setdefault(ident, index)


def _repeats(
    file: str, loc: Loc, items: Iterable[str], what: str, same: Callable[[str], str] = str
) -> Iterator[Finding]:
    """An item of a list that an earlier item already says (`same` tells which say the same: the name lookup's
    normal form, for synonyms), at the repeat: a list of ids is a set, so a repeat is a slip (a merge, a
    copy-paste) that may hide the id meant instead, and it would be counted or shown twice."""
    first: dict[str, str] = {}
    for index, item in enumerate(items):
        earlier = first.get(same(item))
        if earlier is None:
            first[same(item)] = item
        else:
            spelt = "" if earlier == item else f" (as '{earlier}')"
            yield Finding(file, (*loc, index), f"{what} '{item}' is listed twice{spelt}; keep one")


def _typed_names(records: list[dict[str, Any]], fields: tuple[str, ...]) -> list[tuple[int, Loc, str]]:
    """Each name a person may type for a record (its id, its `fields` such as a label, its synonyms), with the
    record's index and the name's place in it, in the order the name lookup claims them (knowledge._lookup): all
    ids, then all labels, then all synonyms."""
    names: list[tuple[int, Loc, str]] = [(index, ("id",), record["id"]) for index, record in enumerate(records)]
    for index, record in enumerate(records):
        names += [(index, (field,), record[field]) for field in fields]
    for index, record in enumerate(records):
        names += [(index, ("synonyms", i), synonym) for i, synonym in enumerate(record.get("synonyms", ()))]
    return names


def _clashes(file: str, key: str, kind: str, records: list[dict[str, Any]], *fields: str) -> Iterator[Finding]:
    """Each name of a record (see `_typed_names`) that normalises to a name of another record, so one name would
    mean two. It is reported at the lesser name (a label that spells an id, a synonym that spells a label), the
    one to change, as the lookup claims the greater first."""
    owner: dict[str, str] = {}
    for index, loc, name in _typed_names(records, fields):
        ident = records[index]["id"]
        other = owner.setdefault(normalize_name(name), ident)
        if other != ident:
            yield Finding(
                file, (key, index, *loc), f"'{name}' already names {kind} '{other}'; a name may mean one {kind}"
            )


# Where a concern's or a condition's name is typed in the questionnaire, which reads some answers as its own.
_CONCERN_QUESTION = "the questionnaire's concern question"
_CONDITIONS_LIST = "the conditions list at the questionnaire's summary"
# What that conditions list reads its own words as, by the name lookup's spelling of them.
_CONDITIONS_WORDS = {
    **{normalize_name(word): "as nothing to change" for word in DONE if word},
    normalize_name(AGAIN): "as asking every safety question again",
}
_LETTER = "give a name with a letter in it"


def _numbers(typed: str) -> bool:
    """Whether a name, as the lookup normalises it, is a number or a list or range of them ("3", "1, 2", "1-3"),
    which the questionnaire's lists read as places on them (`parse_picks`, the conditions list)."""
    words = [word for word in re.split(r"[\s,]+", typed) if word]
    return bool(words) and all(word.isascii() and word.isdigit() for word in words)


def _at_concern_question(name: str) -> tuple[str, str] | None:
    """Why the concern question would read `name` as something else, and the fix; None if it reads it as a name."""
    if _numbers(normalize_name(name)):
        why = "reads numbers, lists of them ('1, 2') and ranges ('1-3') as places on its numbered list"
        return f"{_CONCERN_QUESTION} {why}", _LETTER
    return None


def _at_conditions_list(name: str) -> tuple[str, str] | None:
    """Why the summary's conditions list would read `name` as something else, and the fix; None if it reads it as
    a name to add."""
    typed = normalize_name(name)
    if _numbers(typed):
        return f"{_CONDITIONS_LIST} reads numbers, lists of them and ranges as places on that list", _LETTER
    if typed in _CONDITIONS_WORDS:
        return f"{_CONDITIONS_LIST} reads it {_CONDITIONS_WORDS[typed]}", "choose another name"
    if SIGN.search(name.translate(DASHES)):
        why = "reads a '+' or '-' at a name's start, or after a space, as adding or removing what follows it"
        return f"{_CONDITIONS_LIST} {why}", "remove the sign, or the space before it"
    return None


def _reserved(
    file: str,
    key: str,
    kind: str,
    flag: str,
    read_as: Callable[[str], tuple[str, str] | None],
    records: list[dict[str, Any]],
    *fields: str,
) -> Iterator[Finding]:
    """Each name of a record (see `_typed_names`) that the questionnaire, where it asks for this kind, reads as
    something else (`read_as` says why, and the fix): a concern synonym '3' made `-c 3` that concern, while 3 at
    the concern question picked the third on the list; a condition synonym 'none' made `-x none` add it, while
    'none' at the conditions list changes nothing. A name must mean the same wherever it is typed."""
    for index, loc, name in _typed_names(records, fields):
        read = read_as(name)
        if read is not None:
            why, fix = read
            yield Finding(
                file,
                (key, index, *loc),
                f"'{name}' cannot name a {kind}: {why}, so it would mean one thing there and another after {flag} "
                f"or in a profile file; {fix}",
            )


def _citations(loc: Loc, record: Any) -> Iterator[tuple[Loc, str]]:
    """Every source id cited in a `sources:` list anywhere inside `record`, with where it is cited."""
    if isinstance(record, dict):
        for key, value in record.items():
            if key == "sources" and isinstance(value, list):
                for index, source in enumerate(value):
                    yield (*loc, key, index), source
            else:
                yield from _citations((*loc, key), value)
    elif isinstance(record, list):
        for index, value in enumerate(record):
            yield from _citations((*loc, index), value)


def crosscheck(
    files: dict[str, Any], rule_files: list[tuple[str, list[dict[str, Any]]]], line_of: LineOf
) -> list[Finding]:
    """All cross-file problems at once, in file order; `line_of` tells where an item is written, for messages
    that point at a second place ("also at line 12")."""
    findings: list[Finding] = []
    sources = files[SOURCES]["sources"]
    treatments = files[TREATMENTS]["treatments"]
    tags = files[TREATMENTS]["tags"]
    concerns = files[CONCERNS]["concerns"]
    conditions = files[CONDITIONS]["conditions"]
    source_ids = {s["id"] for s in sources}
    treatment_ids = {t["id"] for t in treatments}
    concern_ids = {c["id"] for c in concerns}
    known = _Conditions(conditions)
    condition_ids = known.ids

    findings += _duplicates(SOURCES, "sources", sources, "source", line_of)
    findings += _duplicates(TREATMENTS, "treatments", treatments, "treatment", line_of)
    findings += _duplicates(CONCERNS, "concerns", concerns, "concern", line_of)
    findings += _duplicates(CONDITIONS, "conditions", conditions, "condition", line_of)
    findings += [
        Finding(
            CONDITIONS,
            ("conditions", index, "id"),
            "'skin_type' is built in (asked as the Fitzpatrick type); choose another id",
        )
        for index, condition in enumerate(conditions)
        if condition["id"] == SKIN_TYPE
    ]
    citations = [
        (file, loc, source) for file, doc in files.items() if file != SOURCES for loc, source in _citations((), doc)
    ]
    findings += [
        Finding(file, loc, _unknown("source", source, source_ids, SOURCES))
        for file, loc, source in citations
        if source not in source_ids
    ]
    cited_in: dict[tuple[str, Loc], list[str]] = {}
    for file, at, source in citations:
        cited_in.setdefault((file, at[:-1]), []).append(source)
    for (file, cited_at), cited_here in cited_in.items():
        findings += _repeats(file, cited_at, cited_here, "source")

    for index, treatment in enumerate(treatments):
        loc: Loc = ("treatments", index)
        if all(efficacy["rating"] == "none" for efficacy in treatment["efficacy"].values()):
            findings.append(
                Finding(
                    TREATMENTS,
                    (*loc, "efficacy"),
                    "rates every concern 'none', so it can never be recommended; rate the concerns it helps with "
                    "(mild, moderate or strong), or remove the treatment",
                )
            )
        for tag_index, tag in enumerate(treatment["tags"]):
            if tag not in tags:
                findings.append(
                    Finding(TREATMENTS, (*loc, "tags", tag_index), _unknown("tag", tag, tags, "the tags: map"))
                )
        findings += _repeats(TREATMENTS, (*loc, "tags"), treatment["tags"], "tag")
        for concern in treatment["efficacy"]:
            if concern not in concern_ids:
                findings.append(
                    Finding(
                        TREATMENTS,
                        (*loc, "efficacy", concern),
                        _unknown("concern", concern, concern_ids, CONCERNS),
                    )
                )

    findings += [
        Finding(
            CONCERNS,
            ("concerns", index, "related_conditions", place),
            known.unknown(c, "list only conditions here (ids from rules/conditions.yaml)"),
        )
        for index, concern in enumerate(concerns)
        for place, c in enumerate(concern["related_conditions"])
        if c not in condition_ids
    ]
    for index, concern in enumerate(concerns):
        findings += _repeats(
            CONCERNS, ("concerns", index, "related_conditions"), concern["related_conditions"], "condition"
        )
    findings += [
        Finding(SCORING, ("pih_conditions", place), known.unknown(c, "the skin types demoted are pih_skin_type_min's"))
        for place, c in enumerate(files[SCORING].get("pih_conditions", ()))
        if c not in condition_ids
    ]
    findings += _repeats(SCORING, ("pih_conditions",), files[SCORING].get("pih_conditions", ()), "condition")
    for file, key, records in ((CONCERNS, "concerns", concerns), (CONDITIONS, "conditions", conditions)):
        for index, record in enumerate(records):
            synonyms = record.get("synonyms", ())
            findings += _repeats(file, (key, index, "synonyms"), synonyms, "synonym", normalize_name)
    findings += _clashes(TREATMENTS, "treatments", "treatment", treatments, "name")
    findings += _clashes(CONCERNS, "concerns", "concern", concerns, "label")
    findings += _clashes(CONDITIONS, "conditions", "condition", conditions, "label")
    findings += _reserved(CONCERNS, "concerns", "concern", "-c", _at_concern_question, concerns, "label")
    findings += _reserved(CONDITIONS, "conditions", "condition", "-x", _at_conditions_list, conditions, "label")
    findings += _gates(conditions, known, line_of)
    rated = {concern for t in treatments for concern, efficacy in t["efficacy"].items() if efficacy["rating"] != "none"}
    findings += _unused(
        CONCERNS,
        "concerns",
        concerns,
        rated,
        "no treatment rates this concern (mild, moderate or strong), so asking for it can never give a result; "
        "rate it in a treatment's efficacy, or remove it",
    )

    carried = {tag for treatment in treatments for tag in treatment["tags"]}
    seen_rules: dict[str, tuple[str, int]] = {}
    for file, rules in rule_files:
        for index, rule in enumerate(rules):
            findings += _check_rule(file, ("rules", index), rule, treatments, tags, carried, known, treatment_ids)
            if rule["id"] in seen_rules:
                first_file, first_line = seen_rules[rule["id"]]
                findings.append(
                    Finding(
                        file,
                        ("rules", index, "id"),
                        f"duplicate rule id '{rule['id']}' (also at {_also(file, first_file, first_line)}); "
                        "ids must be unique",
                        "" if first_file == file else first_file,
                    )
                )
            seen_rules.setdefault(rule["id"], (file, line_of(file, ("rules", index, "id"))))

    covered = set().union(*(_applies(rule, treatments) for _, rules in rule_files for rule in rules))
    findings += _unused(
        TREATMENTS,
        "treatments",
        treatments,
        covered,
        "no contraindication rule applies to it, so it is recommended to everyone (pregnant, on blood thinners, "
        "with a pacemaker...); add its id (or one of its tags) to the applies_to of each rule in rules/ that should "
        "cover it, e.g. the pregnancy rules",
    )
    findings += [
        Finding(
            TREATMENTS,
            ("tags", tag),
            "no treatment carries this tag, so a rule that names it reaches no treatment through it; give it to the "
            "treatments it describes, or remove it",
        )
        for tag in tags
        if tag not in carried
    ]
    cited = {source for _, _, source in citations}
    findings += _unused(
        SOURCES,
        "sources",
        sources,
        cited,
        "no treatment or rule cites this source; cite it where it is used, or remove it",
    )
    read = set().union(*(named(rule["when"]) for _, rules in rule_files for rule in rules))
    # a gate's answer decides which questions are asked, whether or not a rule reads it
    gates = {condition["ask_if"] for condition in conditions if condition.get("ask_if") is not None}
    findings += _unused(
        CONDITIONS,
        "conditions",
        conditions,
        read | gates | {SKIN_TYPE} | set(files[SCORING].get("pih_conditions", ())),  # 'skin_type' is refused above
        "no rule's 'when' reads this condition and no question's ask_if waits on it, so its question changes "
        "nothing; use it in a rule (or fix the rule's misspelt id), or remove it",
    )
    return findings


def _gates(conditions: list[dict[str, Any]], known: _Conditions, line_of: LineOf) -> Iterator[Finding]:
    """Each `ask_if` that cannot gate its question: an unknown condition, the question's own, one asked after it,
    or a loop of questions that wait on each other. Questions are asked in file order, so a gate below its
    question would be unanswered when the question comes, and the question, skipped as no, would never be asked:
    a safety answer lost without a word. No order can save a loop, so it is said as one, once, at its first
    question in the file, rather than as a question to move (which only moves the problem to the next one)."""
    first: dict[str, int] = {}
    for index, condition in enumerate(conditions):
        first.setdefault(condition["id"], index)
    loops = _loops([conditions[index] for index in first.values()])
    looped = {ident for loop in loops.values() for ident in loop}
    for index, condition in enumerate(conditions):
        gate = condition.get("ask_if")
        if gate is None:
            continue
        loc: Loc = ("conditions", index, "ask_if")
        if gate not in known:
            yield Finding(CONDITIONS, loc, known.unknown(gate, "ask_if takes a condition answered yes or no"))
        elif gate == condition["id"]:
            yield Finding(
                CONDITIONS,
                loc,
                "a question cannot wait for its own answer; name the earlier condition whose yes makes it worth "
                "asking, or remove ask_if",
            )
        elif condition["id"] in looped and index == first[condition["id"]]:
            if condition["id"] in loops:  # the loop's first question: said once, there
                yield Finding(CONDITIONS, loc, _loop_message(loops[condition["id"]]))
        elif first[gate] > index:
            line = line_of(CONDITIONS, ("conditions", first[gate], "id"))
            yield Finding(
                CONDITIONS,
                loc,
                f"'{gate}' is asked after this question (line {line}), and questions are asked in file order, so "
                f"this one would always be skipped; move this condition below '{gate}'",
            )


def _loops(conditions: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Each loop of `ask_if`s among `conditions` (each id once), keyed by its question that comes first, with its
    questions in the order they wait on each other from there. Each question waits on at most one other, so
    following the `ask_if`s from each question in turn finds every loop, visiting each question once."""
    gate_of = {c["id"]: c["ask_if"] for c in conditions if c.get("ask_if") not in (None, c["id"])}
    place = {c["id"]: index for index, c in enumerate(conditions)}
    done: set[str] = set()
    loops: dict[str, list[str]] = {}
    for start in place:
        path: list[str] = []
        ident: str | None = start
        while ident is not None and ident in place and ident not in done:
            done.add(ident)
            path.append(ident)
            ident = gate_of.get(ident)
        if ident in path:  # came back to a question of this walk: a loop
            loop = path[path.index(ident) :]
            head = loop.index(min(loop, key=place.__getitem__))
            loops[loop[head]] = loop[head:] + loop[:head]
    return loops


def _loop_message(loop: list[str]) -> str:
    """What to say of a loop of questions (see `_loops`)."""
    waits = "".join(f", which waits on '{ident}'" for ident in loop[2:])
    none = "neither" if len(loop) == 2 else "none of them"
    return (
        f"'{loop[0]}' waits on '{loop[1]}'{waits}, which waits on '{loop[0]}': they wait on each other's yes, so "
        f"{none} would ever be asked; remove one of their ask_ifs"
    )


def _unused(file: str, key: str, records: list[dict[str, Any]], used: set[str], message: str) -> list[Finding]:
    """A finding for each record whose id nothing uses."""
    return [Finding(file, (key, index), message) for index, record in enumerate(records) if record["id"] not in used]


def _applies(rule: dict[str, Any], treatments: list[dict[str, Any]]) -> set[str]:
    """The ids of the treatments a rule applies to: those its applies_to names, and those with a tag it names."""
    named, tagged = set(rule["applies_to"]["treatments"]), set(rule["applies_to"]["tags"])
    return {t["id"] for t in treatments if t["id"] in named or tagged.intersection(t["tags"])}


def _check_rule(
    file: str,
    loc: Loc,
    rule: dict[str, Any],
    treatments: list[dict[str, Any]],
    tags: dict[str, str],
    carried: set[str],
    known: _Conditions,
    treatment_ids: set[str],
) -> Iterator[Finding]:
    tree = rule["when"]
    for fact, at in _names(tree, (*loc, "when")):
        if fact == SKIN_TYPE:
            yield Finding(file, at, SKIN_TYPE_NOT_A_CONDITION)
        elif fact not in known:
            yield Finding(file, at, known.unknown(fact, ""))
    yield from (Finding(file, at, message) for at, message in _repeated_tests(tree, (*loc, "when")))
    negated = sorted(negated_conditions(tree))
    for fact in negated:
        yield Finding(
            file,
            (*loc, "when"),
            f"condition '{fact}' is under 'not'; a profile fact may make a rule fire but never stop it, "
            "so use 'not' only around skin_type tests",
        )
    if not negated and not can_fire(tree):  # `can_fire` assumes conditions appear un-negated, as refused above
        yield Finding(
            file,
            (*loc, "when"),
            "this rule can never fire (its skin-type ranges contradict each other); fix 'when'",
        )
    applies = _applies(rule, treatments)
    for index, ident in enumerate(rule["applies_to"]["treatments"]):
        if ident not in treatment_ids:
            yield Finding(
                file,
                (*loc, "applies_to", "treatments", index),
                _unknown("treatment", ident, treatment_ids, TREATMENTS),
            )
    yield from _repeats(file, (*loc, "applies_to", "treatments"), rule["applies_to"]["treatments"], "treatment")
    yield from _repeats(file, (*loc, "applies_to", "tags"), rule["applies_to"]["tags"], "tag")
    for index, tag in enumerate(rule["applies_to"]["tags"]):
        if tag not in tags:
            yield Finding(
                file,
                (*loc, "applies_to", "tags", index),
                _unknown("tag", tag, tags, "the tags: map of " + TREATMENTS),
            )
        elif tag not in carried and applies:  # a rule that applies to nothing at all is said to below
            yield Finding(
                file,
                (*loc, "applies_to", "tags", index),
                f"no treatment carries tag '{tag}', so it adds no treatment to the rule; give the tag to the "
                "treatments it describes, or remove it from applies_to",
            )
    if not applies:
        yield Finding(
            file,
            (*loc, "applies_to"),
            "applies to no treatment; name treatment ids or tags that treatments carry",
        )
    outcomes = set()
    for index, case in enumerate(rule["tests"]):
        outcomes.add(case["fires"])
        if case["treatment"] not in treatment_ids:
            yield Finding(
                file,
                (*loc, "tests", index, "treatment"),
                _unknown("treatment", case["treatment"], treatment_ids, TREATMENTS),
            )
        elif case["fires"] and applies and case["treatment"] not in applies:
            yield Finding(
                file,
                (*loc, "tests", index, "treatment"),
                f"the rule does not apply to {case['treatment']}, so it cannot fire for it; test a treatment in "
                "its applies_to, or set fires: false",
            )
        yield from _repeats(
            file, (*loc, "tests", index, "profile", "conditions"), case["profile"]["conditions"], "condition"
        )
        for c_index, condition in enumerate(case["profile"]["conditions"]):
            if condition not in known:
                yield Finding(
                    file,
                    (*loc, "tests", index, "profile", "conditions", c_index),
                    known.unknown(condition, "give it as the test profile's skin_type, e.g. skin_type: 4"),
                )
    for needed in (True, False):
        if needed not in outcomes:
            yield Finding(file, (*loc, "tests"), f"needs at least one test with 'fires: {str(needed).lower()}'")
