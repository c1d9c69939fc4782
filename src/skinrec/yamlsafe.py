"""Safe YAML reading for hand-edited files: positions kept, duplicates refused, hostile input refused fast.

PyYAML's safe loader (its C implementation where installed, several times faster) builds the node tree; we
walk that tree once before constructing Python objects, to

* record where every mapping key and list item starts, so validation errors can point at `file:line:col`;
* refuse duplicate mapping keys, which plain PyYAML silently resolves to the last one (a clinician's typo
  that quietly drops a contraindication is exactly what this loader exists to catch);
* refuse alias bombs ("billion laughs"): the size a document would expand to is computed over the node
  graph with memoisation, so a tiny file that expands to billions of nodes is rejected in microseconds,
  before anything walks the expansion.

Plain values are read by YAML 1.2's core schema, as JSON and the command line read them, not PyYAML's YAML
1.1: 010 is ten (not eight), 1:30 is text (not 90), yes, on and no are text (not booleans), 2024-05-01 is text
(not a date). Beyond the core schema, whole numbers are decimal only (0x10 and 0o10 are text, as on the command
line), and `<<` merge keys are kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, ClassVar

import yaml

from skinrec.loader import MAX_FILE_BYTES, too_large
from skinrec.written import Written, read_float, read_float_as_written

# Expanded nodes a document may have once aliases are followed (10,000 treatments are ~1.5 million).
MAX_NODES = 5_000_000
MAX_DEPTH = 64
DEEP = f"nested more than {MAX_DEPTH} levels deep; flatten the structure"

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
# Each tag a plain value may resolve to: the pattern of the whole value, and the characters it can start with
# (PyYAML tries only the patterns listed under a value's first character). In this order: 1 is an int, not a
# float.
_PLAIN = (
    ("bool", "true|True|TRUE|false|False|FALSE", "tTfF"),
    ("null", "~|null|Null|NULL|", ("~", "n", "N", "")),
    ("int", "[-+]?[0-9]+", "-+0123456789"),
    (
        "float",
        r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        "-+.0123456789",
    ),
    ("merge", "<<", "<"),
)
_SPECIAL_FLOATS = {".inf": float("inf"), "+.inf": float("inf"), "-.inf": float("-inf"), ".nan": float("nan")}


def _resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for name, pattern, starts in _PLAIN:
        regexp = re.compile(f"(?:{pattern})\\Z")
        for start in starts:
            table.setdefault(start, []).append((_TAG + name, regexp))
    return table


def _int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """Base 10 whatever the leading zeros (PyYAML's reads 010 as octal), also under an explicit !!int."""
    return int(loader.construct_scalar(node))


def _float(loader: yaml.SafeLoader, node: yaml.ScalarNode, read: Callable[[str], float] = read_float) -> float:
    """PyYAML's would read 1:30 as 90 under an explicit !!float; and .inf, .nan and a number too large for a
    float keep their text, for messages to quote (see `Written`); `read` may keep it for more (see
    `_ProfileLoader`)."""
    text = loader.construct_scalar(node)
    special = _SPECIAL_FLOATS.get(text.lower())
    return read(text) if special is None else Written(special, text)


def _bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    """true or false, also under an explicit !!bool (PyYAML's takes yes and no there, and fails on others)."""
    text = loader.construct_scalar(node)
    if text.lower() not in ("true", "false"):
        raise ValueError(f"'{text}' is not a boolean; write true or false")
    return text.lower() == "true"


class _Loader(_SafeLoader):
    """PyYAML's safe loader with the plain values of YAML 1.2 (see the module's docstring). Class-level
    tables, as PyYAML's own: nothing is added per document, and reading a value costs what it did."""

    yaml_implicit_resolvers = _resolvers()
    # The plain values' tags only, and None, PyYAML's constructor of last resort, which refuses any other tag
    # ("could not determine a constructor", worded by `_refused_tag`): the tags that build values skinrec has no
    # use for (!!set, !!binary, !!omap, !!pairs, !!timestamp, whose reading of a bad date crashed) are refused
    # alike, rather than built into values a message then names in Python's words, or PyYAML's.
    yaml_constructors: ClassVar[dict[str | None, Any]] = {
        None: _SafeLoader.yaml_constructors[None],
        **{_TAG + kind: _SafeLoader.yaml_constructors[_TAG + kind] for kind in ("null", "str", "seq", "map")},
        _TAG + "int": _int,
        _TAG + "float": _float,
        _TAG + "bool": _bool,
    }


def plain_kind(text: str) -> str | None:
    """What `text` would be read as if written without quotes ('bool', 'null', 'int', 'float'), or None for
    text: a value of the wrong type that would be right unquoted was quoted, and the message can say so."""
    for tag, regexp in _Loader.yaml_implicit_resolvers.get(text[:1], ()):
        if regexp.match(text):
            return str(tag).removeprefix(_TAG)
    return None


class _ProfileLoader(_Loader):
    """`_Loader` for a person's profile, whose messages quote every number as written (1e-5, not 1e-05)."""

    yaml_constructors: ClassVar[dict[str | None, Any]] = {
        **_Loader.yaml_constructors,
        _TAG + "float": partial(_float, read=read_float_as_written),
    }


Loc = tuple[str | int, ...]


class YamlError(Exception):
    """A file that is not acceptable YAML; `line`/`col` are 1-based, 0 when the problem has no place."""

    def __init__(self, problem: str, line: int = 0, col: int = 0) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.col = col


class MergeKeyError(YamlError):
    """A merge key where none is allowed (a profile): valid YAML, so not to be called invalid."""


class DuplicateKeyError(YamlError):
    """A mapping key given twice: found once the whole document was read, so a JSON file has nothing else
    wrong for the json module to find first."""


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """Parsed data plus the 1-based (line, column) of every mapping key and list item, by path; and, for each
    plain value that swallowed a '- ' line (see `_run_on`), that line's place and the value."""

    data: Any
    positions: dict[Loc, tuple[int, int]]
    run_on: dict[Loc, tuple[int, int, str]] = field(default_factory=dict)

    def where(self, loc: Loc) -> tuple[int, int]:
        """The position of `loc`, or of its nearest ancestor that has one (pydantic may point below a leaf)."""
        for end in range(len(loc), -1, -1):
            pos = self.positions.get(loc[:end])
            if pos is not None:
                return pos
        return (1, 1)

    def place(self, loc: Loc, message: str, *, listed: bool = True) -> tuple[int, int, str]:
        """Where to report `message` about the value at `loc`, and what to report. Whatever is wrong with a value
        that swallowed a '- ' line below it ("unknown source 'a - b'"), the cause is that line's indentation, which
        the message would not name, and at a line that looks right: so that line and its fix are reported
        instead, by every reader of YAML (the knowledge base's, profiles') alike. Unless the value is a key's and
        not `listed` (the key takes no list: `label: Acne` over `  - scars`): the '- ' line is then no list item
        gone astray, and the value's own problem ("'Acne - scars' already names...") is the one to fix, so it is
        kept, with the line that made the value what it is."""
        found = self.run_on.get(loc)
        if found is None:
            return (*self.where(loc), message)
        line, col, value = found
        if loc and isinstance(loc[-1], int):
            return line, col, self.run_on_item(loc)
        if not listed:
            under = f"'{loc[-1]}:'" if loc else "the value above it"
            return (
                *self.where(loc),
                f"{message} (line {line} is indented under {under}, so YAML reads it as part of the value)",
            )
        from skinrec.profile import shown

        key = f" '{loc[-1]}:'" if loc else ""
        why = (
            f"the '- ' item on line {line} is indented under a value, so YAML reads it as part of that value: "
            f"{shown(value)}; for a list, put each item on its own '- ' line below the key{key}"
        )
        return line, col, why

    def run_on_items(self) -> list[tuple[Loc, int, int, str]]:
        """Every list item that swallowed the '- ' line below it, where that line is, and what to say of it: a
        problem on its own, for a list of plain text takes 'wrinkles - crows feet' as one item without a word."""
        return [
            (loc, line, col, self.run_on_item(loc))
            for loc, (line, col, _) in self.run_on.items()
            if loc and isinstance(loc[-1], int)
        ]

    def run_on_values(self) -> list[tuple[Loc, int, int, str]]:
        """Every key's value that swallowed a '- ' line below it, where that line is, and what to say of it where
        nothing else is said of the value (a value with a problem of its own is reported by `place`, with the
        line that made it so): text takes `Avoid during pregnancy - and breastfeeding` as it stands, without a
        word, where its author meant a list item or a key of its own."""
        return [
            (loc, line, col, self.run_on_value(loc))
            for loc, (line, col, _) in self.run_on.items()
            if loc and not isinstance(loc[-1], int)
        ]

    def run_on_value(self, loc: Loc) -> str:
        """What to say of the key's value at `loc` that swallowed a '- ' line, where nothing else is said of it:
        both fixes, since only its author knows whether the ' - ' is text or an item astray."""
        from skinrec.profile import shown

        line, _, value = self.run_on[loc]
        return (
            f"the '- ' line {line} is indented under '{loc[-1]}:', so YAML reads it as part of that value: "
            f"{shown(value)}; if the ' - ' belongs in the text, put the whole text in quotes; if not, move the "
            f"line out from under '{loc[-1]}:' (a list item goes below its own key)"
        )

    def run_on_item(self, loc: Loc) -> str:
        """What to say of the list item at `loc` that swallowed the deeper '- ' line below it, wherever it is
        reported (by `run_on_items`, or by `place` for an item with a problem of its own)."""
        from skinrec.profile import shown

        line, _, value = self.run_on[loc]
        return (
            f"the '- ' item on line {line} is indented deeper than the item above it, so YAML reads it as part "
            f"of that item: {shown(value)}; line up its '-' with the one above"
        )


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _expanded_size(node: yaml.Node, memo: dict[int, int], depth: int = 0) -> int:
    """Nodes the document has once aliases are expanded; memoised so shared subtrees cost nothing to count."""
    known = memo.get(id(node))
    if known is not None:
        return known
    if depth > MAX_DEPTH:
        raise YamlError(DEEP, *_mark(node))
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            size += _expanded_size(item, memo, depth + 1)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            size += _expanded_size(key, memo, depth + 1) + _expanded_size(value, memo, depth + 1)
    if size > MAX_NODES:
        raise YamlError(
            f"expands to more than {MAX_NODES:,} values (an alias bomb?); write the data out without aliases",
            *_mark(node),
        )
    memo[id(node)] = size
    return size


def _walk(
    node: yaml.Node,
    loc: Loc,
    positions: dict[Loc, tuple[int, int]],
    merges: bool = True,
    multiline: list[tuple[Loc, yaml.Node]] | None = None,
) -> None:
    """Record where every key and item is, refusing a key given twice (and, unless `merges`, a merge key), and
    collect into `multiline` the plain values that span lines (for `_run_on`)."""
    if isinstance(node, yaml.ScalarNode):
        # a plain value (no quotes: style None, or C's "") that spans lines
        if multiline is not None and not node.style and node.end_mark.line > node.start_mark.line:
            multiline.append((loc, node))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            positions[(*loc, index)] = _mark(item)
            _walk(item, (*loc, index), positions, merges, multiline)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if key.tag == _TAG + "merge" and not merges:
                raise MergeKeyError(
                    "a merge key (<<) is not allowed in a profile; write each key out once", *_mark(key)
                )
            if not isinstance(key, yaml.ScalarNode) or key.tag == _TAG + "merge":
                continue
            first = seen.get(key.value)
            if first is not None:
                line, col = _mark(first)
                raise DuplicateKeyError(
                    f"duplicate key '{key.value}' (first defined at line {line}, column {col}); keep only one",
                    *_mark(key),
                )
            seen[key.value] = key
            positions[(*loc, key.value)] = _mark(key)
            _walk(value, (*loc, key.value), positions, merges, multiline)


def _run_on(text: str, multiline: list[tuple[Loc, yaml.Node]]) -> dict[Loc, tuple[int, int, str]]:
    """Each plain value with a later line that starts with '- ', with that line's place (1-based, at the '-')
    and the value: a list item indented deeper than the one above it (`- a` then `   - b`), or under a
    `key: value`, continues that value as far as YAML is concerned ('a - b'), silently."""
    lines = re.split(r"\r\n|[\r\n\x85\u2028\u2029]", text)
    found = {}
    for loc, node in multiline:
        for number in range(node.start_mark.line + 1, min(node.end_mark.line + 1, len(lines))):
            rest = lines[number].lstrip(" ")
            if rest.startswith("- ") or rest.rstrip() == "-":
                found[loc] = (number + 1, len(lines[number]) - len(rest) + 1, str(node.value))
                break
    return found


def unreadable_value(exc: ValueError) -> str:
    """What to say of a value YAML's constructors (or json's) could not read."""
    if "integer string conversion" in str(exc):
        return "a whole number with thousands of digits; is this a typo?"
    return f"a value that cannot be read ({exc}); quote it if it is meant as text"


def _unreadable_at(loader: Any, root: yaml.Node) -> tuple[int, int]:
    """Where the first scalar is that the constructor cannot read (only looked for once one failed)."""
    loader.recursive_objects.clear()  # the failed construction left its nodes marked as under way
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node)
            except ValueError:
                return _mark(node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in reversed(node.value) for part in reversed(pair))
    return (0, 0)


INDENTATION = "check the indentation and the ':' after each key"
# PyYAML's context for the constructs it only finds broken lines after they begin (often at the end of the file),
# and what to say, at the place it began: an unclosed bracket, a key with no ':'. Quotes are told apart below.
_BEGAN_HERE = {
    "while parsing a flow sequence": "a '[' list starts here but is not closed properly; close the bracket with ']', "
    "and put ',' between its items",
    "while parsing a flow mapping": "a '{' mapping starts here but is not closed properly; close the bracket with '}', "
    "and put ',' between its 'key: value' pairs",
    "while scanning a simple key": "expected 'key: value' here, but no ':' follows the key; add the ':' after the "
    "key, or indent the line further if it continues the value above",
}
BAD_ESCAPE = (
    "in double quotes a backslash starts an escape (\\n, \\t, \\\\); write a backslash as \\\\, or use single quotes"
)
BAD_COLON = (
    "a ':' that is not allowed here (a second 'key:' on one line, a key indented deeper than the one above it, or "
    f"text with ': ' in it); {INDENTATION}, and quote text that contains ': '"
)
AFTER_QUOTE = "text follows the closing quote; put the whole value inside the quotes"
# How to write the quote itself inside a value quoted with it.
QUOTE_INSIDE = {"'": " (inside '...' write ' as '')", '"': ' (inside "..." write " as \\")'}
TAB = "a tab character; YAML is indented with spaces, never tabs"


def _unclosed_quote(quote: str, runs_to: int = 0) -> str:
    if not runs_to:
        return f"quoted text starts here with {quote} but is never closed; close the quote with a matching {quote}"
    return (
        f"quoted text starts here with {quote} but is not closed on this line, so it runs on to the next {quote} "
        f"(line {runs_to}); close the quote"
    )


def _opening_quote(text: str, end: int) -> int:
    """Where the quoted text whose closing quote is at `end` opens (-1 if nowhere): the nearest same quote
    before it that is not `\\"` inside double quotes, nor `''` inside single ones."""
    quote, index = text[end], end
    while index > 0:
        index = text.rfind(quote, 0, index)
        if index <= 0:
            return index
        if quote == "'" and text[index - 1] == "'":
            index -= 1
            continue
        slashes = 0
        while quote == '"' and index - slashes > 0 and text[index - slashes - 1] == "\\":
            slashes += 1
        if slashes % 2 == 0:
            return index
    return -1


def _quote_before(text: str, stopped: yaml.Mark | None) -> int:
    """The index of a quote that ends just before text where PyYAML stopped (not before a ',', ']', ':'... that
    merely ended a quoted value, nor at the end of a line or the file), or -1."""
    if stopped is None or text[stopped.index : stopped.index + 1] in ("", *",:[]{}#\n"):
        return -1
    closing = len(text[: stopped.index].rstrip(" ")) - 1
    return closing if closing >= 0 and text[closing] in "'\"" else -1


def _mark_at(text: str, index: int) -> yaml.Mark:
    line_start = text.rfind("\n", 0, index) + 1
    return yaml.Mark("", index, text.count("\n", 0, index), index - line_start, None, 0)


# A node's kind in PyYAML's words ("expected a scalar node, but found sequence"), and in a person's.
_KINDS = {"scalar": "single value", "sequence": "list", "mapping": "mapping"}


def _refused_tag(exc: yaml.constructor.ConstructorError, text: str, at: yaml.Mark) -> str | None:
    """What to say of a YAML tag that PyYAML cannot build (`!!python/tuple`, an application's own `!foo`: "could
    not determine a constructor for the tag 'tag:yaml.org,2002:python/tuple'"), or that does not fit its value
    (`!!str [a]`: "expected a scalar node, but found sequence"); None for anything else. The tags of plain
    values (`!!str 5`) stay allowed: they only say what the value is, as quotes do."""
    problem = exc.problem or ""
    unknown = re.fullmatch(r"could not determine a constructor for the tag '(.*)'", problem)
    if unknown:
        return f"YAML tags such as '{_shorthand(unknown[1])}' are not allowed; remove the tag"
    misfit = re.fullmatch(r"expected an? (scalar|sequence|mapping)(?: node)?, but found (\w+)", problem)
    if misfit:
        tag = re.match(r"(?:&\S+\s+)?(!\S*)", text[at.index :])
        written = f"the YAML tag '{tag[1]}'" if tag else "a YAML tag"
        return f"{written} does not fit a {_KINDS.get(misfit[2], misfit[2])}; remove the tag"
    return None


def _shorthand(tag: str) -> str:
    """A tag as it is written: '!!python/tuple' for YAML's own, '!foo' for a local one, '!<...>' in full."""
    if tag.startswith(_TAG):
        return "!!" + tag.removeprefix(_TAG)
    return tag if tag.startswith("!") else f"!<{tag}>"


def _flow_colon(text: str, began: yaml.Mark, colon: yaml.Mark) -> str:
    """What to say of a key in a {...} or [...] whose ':' is followed straight by ',', '}', ']' (or by '[', '{'):
    libyaml stops there ("found unexpected ':'"), since inside brackets YAML needs a space after the ':'.
    `max: ,` is read, as an empty value (which the knowledge base's checks word); `max:,` is not read at all. The
    colons before that ':' are part of the key to YAML (`{b:::}`), but not to the person, who is shown 'b:'."""
    key = " ".join(text[began.index : colon.index].split()).rstrip(":")
    after = text[colon.index + 1 : colon.index + 2]
    if after in ",}]":
        return f"'{key}:' has no value before '{after}'; write a value after ': ', or remove the key"
    return f"'{key}:' needs a space after the ':' inside brackets; write '{key}: {after}'"


def _explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, yaml.Mark | None]:
    """PyYAML's complaint in plain words with a fix, and the mark of where to look: where an unclosed quote or
    bracket, or a key with no ':', began; otherwise where PyYAML stopped (in its own words, for the rare
    mistakes not worded here)."""
    context, problem = exc.context or "", exc.problem or ""
    began, stopped = exc.context_mark, exc.problem_mark
    if "quoted scalar" in context and began is not None:
        if "escape" in problem or "hex" in problem:
            return BAD_ESCAPE, stopped or began
        return _unclosed_quote(text[began.index : began.index + 1]), began
    closing = _quote_before(text, stopped)
    if stopped is not None and closing >= 0:
        # Text right after a closing quote. When the quoted text began on an earlier line, that quote was most
        # likely meant to open the next value: the mistake is the quote left open where the text began.
        opening = _opening_quote(text, closing)
        if opening >= 0 and "\n" in text[opening:closing]:
            return _unclosed_quote(text[closing], stopped.line + 1), _mark_at(text, opening)
        return AFTER_QUOTE + QUOTE_INSIDE[text[closing]] + (
            ", or put ',' between items" if "flow" in context else ""
        ), stopped
    if context in _BEGAN_HERE and began is not None:
        return _BEGAN_HERE[context], began
    if "found unexpected ':'" in problem and began is not None and stopped is not None:
        return _flow_colon(text, began, stopped), began
    if isinstance(exc, yaml.constructor.ConstructorError) and stopped is not None:
        tag = _refused_tag(exc, text, stopped)
        if tag is not None:
            return tag, stopped
    if stopped is None:
        return problem or context or "invalid YAML", began
    here = text[stopped.index : stopped.index + 1]
    if "mapping values are not allowed" in problem:
        message = BAD_COLON
    elif context == "while parsing a block mapping":
        message = f"this line does not line up with the keys above it; {INDENTATION}"
    elif context == "while parsing a block collection":
        message = "expected a '- ' list item here, lined up with the items above it; check the indentation"
    elif "cannot start any token" in problem:
        message = TAB if here == "\t" else f"a value cannot start with '{here}'; put the value in quotes"
    elif "tab character" in problem:  # libyaml's words for a tab in the indentation
        message = TAB
    elif "undefined alias" in problem:
        message = "a value starting with '*' names an anchor ('&name') defined nowhere; put the value in quotes"
    elif "expected node content" in problem:
        message = "a value is missing here (a stray ',', ']' or '}'?); write the value, or remove the stray character"
    elif "single document" in context:
        message = "a second document (after '---'); a file holds one document, so remove the '---' line"
    elif "maximum nesting depth" in problem:  # libyaml's own limit (newer PyYAML wheels), far beyond ours
        message = DEEP
    else:
        message = problem or context
    return message, stopped


def _unprintable(exc: yaml.reader.ReaderError, text: str) -> tuple[str, int, int]:
    """What to say of a character YAML refuses (a NUL, a control character: a binary file, most likely), and
    where it is: the first of its kind in `text`, since reading stops at the first (PyYAML reports an offset,
    but libyaml's counts bytes of UTF-8 where PyYAML's own counts characters)."""
    problem = f"unacceptable character #x{exc.character:04x} ({exc.reason}); remove it, or check this is a text file"
    mark = _mark_at(text, text.index(chr(exc.character)))
    return problem, mark.line + 1, mark.column + 1


def load_yaml(text: str, *, profile: bool = False) -> YamlDoc:
    """Parse one YAML document safely; raises `YamlError` with a place for anything unacceptable. A `profile`
    (a person's, not a knowledge base) keeps every number with a fraction or exponent as it was written, for
    messages to quote, and may not use merge keys: with `<<`, a key written out silently wins over the merged
    one, and a `conditions: []` could drop a merged pregnancy."""
    if len(text) > MAX_FILE_BYTES:  # a file's bytes are checked before it is read; text may come from elsewhere
        raise YamlError(too_large(len(text)))
    loader = (_ProfileLoader if profile else _Loader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {})
        _expanded_size(node, {})
        positions: dict[Loc, tuple[int, int]] = {}
        multiline: list[tuple[Loc, yaml.Node]] = []
        _walk(node, (), positions, not profile, multiline)
        try:
            return YamlDoc(loader.construct_document(node), positions, _run_on(text, multiline) if multiline else {})
        except ValueError as exc:  # a scalar no constructor can read: a 5,000-digit number, !!bool maybe
            raise YamlError(unreadable_value(exc), *_unreadable_at(loader, node)) from None
    except yaml.MarkedYAMLError as exc:
        problem, mark = _explain(exc, text)
        if mark is None:
            raise YamlError(problem) from None
        raise YamlError(problem, mark.line + 1, mark.column + 1) from None
    except yaml.reader.ReaderError as exc:
        raise YamlError(*_unprintable(exc, text)) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc).splitlines()[0] if str(exc) else "invalid YAML") from None
    except RecursionError:
        raise YamlError(DEEP) from None
    finally:
        loader.dispose()
