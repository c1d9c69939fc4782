"""A person's profile, and turning what people type (flags, profile files, batch lines) into one.

Parsing is hand-written rather than pydantic because it sits on the hot path of every run and of batch mode,
and because every message must name the field and the fix in words a person understands. The parse
functions raise `ValueError(message)`; callers add where the value came from (a flag, `file:line`, a batch
line) and choose the exit code.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from skinrec.answers import NO_LIMIT, UNKNOWN_SKIN_TYPE, ZERO_OR_NO_LIMIT
from skinrec.conditions import ROMAN as ROMAN  # the skin types' numerals, defined beside the rules' skin-type tests
from skinrec.knowledge import KnowledgeBase, normalize_name
from skinrec.written import Written

PROFILE_KEYS = ("concerns", "downtime", "budget", "budget_per", "skin_type", "conditions", "setting")
BUDGET_PER = ("course", "session")
SETTINGS = ("any", "clinic", "home")
# Thousands grouping, the only commas a number may have: "1,500", "12,000.50".
THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d*)?")
# A number as a person types one (JSON's, with a leading + or a bare point allowed): float() would also take
# "1_5" (15 days from a typo), other scripts' digits, and "inf" or "nan".
DECIMAL = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII)
# A unit after a number of days ("2 days", "1 day"): what people type at a question asking for days.
DAYS = re.compile(r"(?<=[0-9.])\s*days?$", re.IGNORECASE)
# The most a person may give for each amount, and its words. More is a typo or a mix-up (a budget typed as
# days): recovery takes weeks at most, and no session or course costs anywhere near a million dollars.
MOST = {"downtime": (365, "365 days"), "budget": (1_000_000, "$1,000,000")}
# Characters a message must not carry raw: C0 and C1 controls (a newline, ESC), DEL, the bidirectional controls
# and line separators, which reorder or break the line a terminal shows, and the invisible ones (zero-width
# spaces and joiners, the word joiner, a BOM), with which "unknown concern 'acne_scars' — did you mean
# 'acne_scars'?" named two words that looked the same.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


@dataclass(frozen=True, slots=True)
class Profile:
    """Concerns in priority order (the first matters most); None for downtime or budget means no limit."""

    concerns: tuple[str, ...]
    downtime: float | None = None
    budget: float | None = None
    budget_per: str = "course"
    skin_type: int | None = None
    conditions: frozenset[str] = frozenset()
    setting: str = "any"

    def as_dict(self) -> dict[str, Any]:
        """The normalised profile as exported in JSON (and as saved by the questionnaire)."""
        return {
            "concerns": list(self.concerns),
            "downtime": self.downtime,
            "budget": self.budget,
            "budget_per": self.budget_per,
            "skin_type": self.skin_type,
            "conditions": sorted(self.conditions),
            "setting": self.setting,
        }


def shown(value: Any, quote: str = "'") -> str:
    """A wrong value as the person wrote it in YAML or JSON (true, null, [1, 2], 1e999), not as Python prints it
    (True, None, inf); text in `quote`s, `escaped`; cut short if long. The readers make only JSON's kinds of value
    (YAML's others, such as !!set and !!binary, are refused as tags: see yamlsafe)."""
    if isinstance(value, str):
        text = f"{quote}{value}{quote}"
    elif isinstance(value, Written):
        text = value.text
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError, RecursionError):  # not a parser's value (a caller's own): as Python has it
            text = repr(value)
    text = escaped(text)
    if len(text) <= 60:
        return text
    closing = quote if isinstance(value, str) else ""  # a cut text keeps its closing quote
    return text[: 59 - len(closing)] + "…" + closing


def escaped(text: str) -> str:
    """`text` with its control characters as JSON escapes them (\\n, \\u001b): a message is one line, and a
    raw escape sequence would recolour the person's terminal."""
    return CONTROL.sub(lambda found: json.dumps(found[0])[1:-1], text)


def resolve_name(kind: str, text: Any, table: Mapping[str, str], ids: Iterable[str]) -> str:
    """The id `text` names in `table` (normalised name -> id); otherwise a ValueError with a did-you-mean,
    shared by every place a person types an id (flags, profile files, the browsing commands)."""
    if not isinstance(text, str):
        raise ValueError(f"{kind} must be text, not {shown(text)}")
    found = table.get(normalize_name(text))
    if found is not None:
        return found
    raise ValueError(f"unknown {kind} {shown(text)}{_hint(kind, normalize_name(text), table, ids)}")


def _hint(kind: str, name: str, table: Mapping[str, str], ids: Iterable[str]) -> str:
    """What `name` may have meant: every record with a name holding it as a whole word or words ("chemical peel"
    is any of three peels, and naming one would pick for the person, the deepest even), else the closest
    spelling, else the whole list."""
    words = "|".join(map(re.escape, dict.fromkeys([name, name.removesuffix("s")])))  # "chemical peels" too
    # a whole word between any non-letters: "co2" in "(co2 / erbium)"; not "a", in "retin a"
    pattern = re.compile(rf"(?<![^\W_])(?:{words})(?![^\W_])") if len(name) > 2 else None
    within = [ident for known, ident in table.items() if pattern and pattern.search(known)]
    # and every record whose name the text holds as a whole word: "recent accutane" is isotretinoin, which a
    # spelling match would have called recent_tan, a milder condition
    within = list(dict.fromkeys([*within, *(ident for known, ident in table.items() if _holds(name, known))]))
    if len(within) > 1:
        quoted = ", ".join(f"'{ident}'" for ident in within)
        return f" — did you mean one of {quoted}?"
    # 0.7, not difflib's 0.6: at 0.67 "redness" was offered dull_complexion ("dullness"), a different concern
    close = within or [table[found] for found in difflib.get_close_matches(name, list(table), n=1, cutoff=0.7)]
    return f" — did you mean '{close[0]}'?" if close else f"; known {kind}s: {', '.join(ids)}"


def _holds(text: str, name: str) -> bool:
    """Whether `text` holds `name` (of four letters or more) as a whole word or words."""
    return len(name) > 3 and re.search(rf"(?<![^\W_]){re.escape(name)}(?![^\W_])", text) is not None


# Where a person gave a name: a flag, or a profile file or batch line (see _WHERE); a caller that asks in its own
# way (the questionnaire) passes its own words instead: for the kind the name turned out to be, where it goes.
Given = Literal["flag", "file"]
Where = Given | Mapping[str, str]


def parse_concern(kb: KnowledgeBase, text: Any, where: Where = "flag") -> str:
    """A concern id from its id, label or a synonym, ignoring case and separators. A condition given as a
    concern ("acne", "rosacea") is refused with a pointer to where it belongs (`where`: see `Given`): skinrec
    does not treat it, but it can rule treatments out, and the one who follows only a did-you-mean
    ("acne_scars") loses that."""
    return _parse(kb, "concern", text, where)


def parse_condition(kb: KnowledgeBase, text: Any, where: Where = "flag") -> str:
    """A condition id from its id or label, ignoring case and separators. A concern given as a condition
    ("acne scars") is refused with a pointer to where it belongs, as `parse_concern` does the other way round:
    a spelling match ("active_acne") would rule out what the person came to have treated."""
    return _parse(kb, "condition", text, where)


# For each kind of name a person types: the other kind the words may name instead, and what that one is for.
_OTHER_KIND = {
    "concern": ("condition", "which skinrec takes into account but does not treat"),
    "condition": ("concern", "which is something to treat, not a reason to avoid a treatment"),
}
# Where a name of the other kind goes instead, by where the name was given and the kind it names ({id} is its id):
# a flag's is another flag; a profile file's or batch line's, the other key, quoted as JSON and YAML both write it
# (a `conditions` list answers every safety question, a condition it leaves out with no: moving one name into it
# must not answer the rest by accident).
_WHERE: dict[Given, dict[str, str]] = {
    "flag": {
        "condition": "give it among the conditions (-x {id} on the command line)",
        "concern": "give it among the concerns (-c {id} on the command line)",
    },
    "file": {
        "condition": "list it under 'conditions' instead (that list answers every safety question, so list all "
        "that apply)",
        "concern": "list it under 'concerns' instead",
    },
}


def _names(kb: KnowledgeBase, kind: str) -> tuple[Mapping[str, str], Mapping[str, Any]]:
    """The names of a kind (normalised name -> id), and its records by id."""
    return (kb.concern_lookup, kb.concerns) if kind == "concern" else (kb.condition_lookup, kb.conditions)


def _parse(kb: KnowledgeBase, kind: str, text: Any, where: Where = "flag") -> str:
    """`parse_concern` or `parse_condition`; a name of the other kind is pointed at where it goes instead, said
    for `where` it was given (see `Given`)."""
    table, records = _names(kb, kind)
    try:
        return _resolve_remembered(kb, kind, text, table, records)
    except ValueError:
        other, use = _OTHER_KIND[kind]
        other_table, other_records = _names(kb, other)
        found = other_table.get(normalize_name(text)) if isinstance(text, str) else None
        if found is None:
            raise
        # the did-you-mean of the kind asked for, if any, follows as a second thought
        hint = _hint(kind, normalize_name(text), table, records)
        second = hint.replace(" — did you mean", f"; or did you mean the {kind}", 1) if " — " in hint else ""
        label = other_records[found]["label"]
        instead = (_WHERE[where] if isinstance(where, str) else where)[other].format(id=found)
        raise ValueError(
            f"unknown {kind} {shown(text)}: it names the {other} {found} ({label}), {use}; {instead}{second}"
        ) from None


def _resolve_remembered(kb: KnowledgeBase, kind: str, text: Any, table: Mapping[str, str], ids: Iterable[str]) -> str:
    """`resolve_name`, remembered with the knowledge base: batch mode resolves the same few spellings again and
    again, and normalising each one costs more than the rest of reading a profile."""
    names: dict[tuple[str, str], str] = kb.derived.setdefault("names", {})
    key = (kind, text) if isinstance(text, str) else None
    found = names.get(key) if key is not None else None
    if found is None:
        found = resolve_name(kind, text, table, ids)
        if key is not None and len(names) < 4096:
            names[key] = found
    return found


def parse_skin_type(value: Any) -> int | None:
    """Fitzpatrick I-VI (or 1-6, in ASCII digits as amounts are), also as people say it ("type IV"); None for
    not known."""
    if type(value) is int and 1 <= value <= 6:
        return value
    if value is None or (isinstance(value, str) and value.strip().lower() in UNKNOWN_SKIN_TYPE):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{shown(value)} is not a Fitzpatrick skin type; use I-VI or 1-6")
    text = spoken(str(value), "type").upper()
    if text in ROMAN:
        return ROMAN.index(text) + 1
    if text.isdigit() and not text.isascii():  # as in amounts: int() would read other scripts' digits too
        raise ValueError(f"{shown(value)} is not a Fitzpatrick skin type; write it in digits, such as 4, or as IV")
    if text.isdigit() and 1 <= int(text) <= 6:
        return int(text)
    raise ValueError(f"{shown(value)} is not a Fitzpatrick skin type; use I-VI or 1-6 (or leave it out if unsure)")


def spoken(text: str, word: str) -> str:
    """`text` stripped, without a leading `word` (any case) that people say before the value itself: "type IV"
    for a skin type, "per session" for what a budget is per."""
    text = text.strip()
    head, _, rest = text.partition(" ")
    return rest.strip() if rest and head.lower() == word else text


def _digits(what: str, text: str) -> str:
    """The number in `text`. A budget may be written as money: a dollar sign, commas grouping thousands
    ("$1,500.50"). Days may not: "$2,000" typed at the downtime question is a budget given one question early,
    not 2,000 days. Any other comma is refused rather than dropped: "2,5" (a decimal comma) must not become 25."""
    text = text.strip()
    if what == "budget":
        text = text.lstrip("$")
        if "," in text:
            if not THOUSANDS.fullmatch(text):
                raise ValueError(
                    f"budget must be a number, not {shown(text)}; write decimals with a point (2.5) and thousands "
                    "as 1,500"
                )
            text = text.replace(",", "")
        return text
    if "," in text or "$" in text or not text.isascii():  # only such text can be money or have a decimal comma
        import unicodedata  # here, not at the top: a plain number never needs it

        money = THOUSANDS.fullmatch(text) or any(unicodedata.category(char) == "Sc" for char in text)  # $ € £
        if money or "," in text:
            fix = "that looks like money, which is the budget's, not the downtime's"
            raise ValueError(
                f"{what} must be a plain number of days, e.g. 3 or 7.5, not {shown(text)}; "
                + (fix if money else "write decimals with a point (2.5)")
            )
    return DAYS.sub("", text)  # "2 days", as people answer a question about days


def parse_amount(what: str, value: Any) -> float | None:
    """A number of days ('downtime') or dollars ('budget'), from 0 to the most MOST allows; None (or 'no
    limit') means no limit."""
    most, most_text = MOST[what]
    if type(value) is int and 0 <= value <= most:  # the common case, exactly as the general path reads it
        return value
    if value is None or (isinstance(value, str) and value.strip().lower() in NO_LIMIT):
        return None
    if isinstance(value, str) and value.strip().lower() in ZERO_OR_NO_LIMIT:
        # "downtime: none" may mean "I can take none" (0) as well as "no limit"; guessing wrong either way
        # offers weeks of downtime to someone who has no day to spare, or hides everything that has any
        raise ValueError(f"{what} '{value.strip()}' could mean 0 or no limit; answer 0, or 'no limit'")
    number = value
    if isinstance(value, str):
        digits = _digits(what, value)
        number = float(digits) if DECIMAL.fullmatch(digits) else None
    if isinstance(number, bool) or not isinstance(number, int | float) or number != number:  # NaN too
        example = "3 or 7.5" if what == "downtime" else "1500 or $1,500"
        raise ValueError(f"{what} must be a number, not {shown(value)}; write it in digits, such as {example}")
    if number < 0:
        raise ValueError(f"{what} cannot be negative ({_as_typed(value)}); use 0 or more")
    if number > most:  # infinity too
        raise ValueError(
            f"{what} must be at most {most_text}, not {shown(value)}; for no limit, leave it out or write 'no limit'"
        )
    if isinstance(number, float):  # a plain float: a file's number may be a `Written`, kept for messages only
        return int(number) if number.is_integer() else float(number)
    return number


def _as_typed(value: Any) -> str:
    """A number as the person typed it, unquoted: text (a flag, an answer) as it is, a file's as written."""
    return value.strip() if isinstance(value, str) else shown(value)


def parse_budget(value: Any) -> float | None:
    """`parse_amount` for a budget, which is in dollars and cents: $299.995 would be shown as $300.00 beside a
    $300 treatment it cannot afford, so fractions of a cent are refused rather than rounded either way."""
    amount = parse_amount("budget", value)
    if type(amount) is float and round(amount, 2) != amount:
        cents = round(amount, 2)  # the amount meant, most likely; 0.001 means no amount anyone would mean
        example = f"{cents:.2f}" if cents > 0 else "250 or 99.50"
        raise ValueError(f"{_as_typed(value)} has fractions of a cent; give whole cents, such as {example}")
    return amount


def parse_choice(what: str, value: Any, choices: tuple[str, ...], lead: str = "") -> str:
    """One of `choices`, in any case, and after the word people may say before it (`lead`: "per session")."""
    text = (spoken(value, lead) if lead else value.strip()).lower() if isinstance(value, str) else None
    if text not in choices:
        raise ValueError(f"{what} must be one of {', '.join(choices)}, not {shown(value)}")
    return text


def _as_list(what: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return value
    raise ValueError(f"{what} must be a list, not {shown(value)}")


class DuplicateKey(ValueError):
    """A JSON object names a key twice."""


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """`json.loads`'s object_pairs_hook that refuses a key given twice, as the YAML loader does: plain JSON
    keeps the last, so `"conditions": ["pregnant"], ..., "conditions": []` would quietly drop a condition."""
    found = dict(pairs)
    if len(found) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(f"duplicate key {shown(key)}; keep only one")
            seen.add(key)
    return found


class FieldError(ValueError):
    """A profile value that is wrong, with the key it belongs to and, in a list, the item's index (for
    `file:line:col` reporting at the item)."""

    def __init__(self, key: str, message: str, index: int | None = None) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message
        self.index = index


class _ItemError(ValueError):
    """A list item that is wrong, and its index."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


def _items(what: str, value: Any, read: Callable[[Any], str]) -> list[str]:
    """Each item of a list read by `read`; the index of the first wrong one is found again only when one is
    wrong, so that reading a good list (every batch line has one or two) costs no more than a comprehension."""
    items = _as_list(what, value)
    try:
        return [read(item) for item in items]
    except ValueError as exc:
        for index, item in enumerate(items):
            try:
                read(item)
            except ValueError:
                raise _ItemError(index, str(exc)) from None
        raise


def _concerns(kb: KnowledgeBase, value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_items("concerns", value, lambda concern: parse_concern(kb, concern, "file"))))


def _conditions(kb: KnowledgeBase, value: Any) -> frozenset[str]:
    return frozenset(_items("conditions", value, lambda condition: parse_condition(kb, condition, "file")))


# Each profile key with its reader, in the order of Profile's fields (and of the checks).
_FIELDS: tuple[tuple[str, Callable[[KnowledgeBase, Any], Any]], ...] = (
    ("concerns", _concerns),
    ("downtime", lambda _, value: parse_amount("downtime", value)),
    ("budget", lambda _, value: parse_budget(value)),
    (
        "budget_per",
        lambda _, value: "course" if value is None else parse_choice("budget_per", value, BUDGET_PER, "per"),
    ),
    ("skin_type", lambda _, value: parse_skin_type(value)),
    ("conditions", _conditions),
    ("setting", lambda _, value: "any" if value is None else parse_choice("setting", value, SETTINGS)),
)


def profile_from_mapping(kb: KnowledgeBase, data: Any, extra_keys: tuple[str, ...] = ()) -> Profile:
    """Validate a profile given as data (profile file, batch line); raises FieldError naming the key."""
    if not isinstance(data, Mapping):
        raise FieldError("profile", "must be a mapping with the keys " + ", ".join(PROFILE_KEYS))
    for key in data:
        if key not in PROFILE_KEYS and key not in extra_keys:
            keys = PROFILE_KEYS + extra_keys
            close = difflib.get_close_matches(str(key).lower(), keys, n=1)  # "ID" means "id"
            hint = f"did you mean '{close[0]}'?" if close else "expected " + ", ".join(keys)
            raise FieldError(shown(key, quote=""), f"unknown key; {hint}")
    values = []
    for key, read in _FIELDS:
        try:
            values.append(read(kb, data.get(key)))
        except _ItemError as exc:
            raise FieldError(key, str(exc), exc.index) from None
        except ValueError as exc:
            raise FieldError(key, str(exc)) from None
    return Profile(*values)
