"""Reading a profile file (YAML or JSON) with errors that point at `file:line:col`."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, NoReturn

from skinrec.errors import DataError, unreadable
from skinrec.knowledge import KnowledgeBase
from skinrec.profile import DuplicateKey, FieldError, Profile, escaped, profile_from_mapping, shown, unique_keys
from skinrec.written import read_float_as_written

if TYPE_CHECKING:
    from skinrec.yamlsafe import YamlError

MAX_PROFILE_BYTES = 1024 * 1024


def _is_stdin(path: Path) -> bool:
    return str(path) == "-"


def _name(path: Path) -> object:
    """How messages name the profile: its path, or `<stdin>` for `-`."""
    return "<stdin>" if _is_stdin(path) else path


def _at(path: Path, line: int, col: int) -> str:
    """`name:line:col` for messages, or only the name where the place is not known (line 0)."""
    return f"{_name(path)}:{line}:{col}" if line else str(_name(path))


def _read_text(path: Path) -> str:
    """The profile's text: from the file, or from stdin for `-` (a script piping a profile in). At most 1 MiB
    is read whatever the source, so /dev/zero or an endless pipe is refused rather than read until memory runs
    out (a file's size says nothing for those)."""
    if _is_stdin(path):
        import sys

        data = sys.stdin.buffer.read(MAX_PROFILE_BYTES + 1)
    else:
        with path.open("rb") as stream:
            data = stream.read(MAX_PROFILE_BYTES + 1)
    if len(data) > MAX_PROFILE_BYTES:
        raise DataError(f"{_name(path)}: a profile is at most 1 MiB; is this the right file?")
    return data.decode("utf-8")


def read_profile_data(path: Path) -> tuple[Any, Any]:
    """The file's data and its YamlDoc (for positions). A file named .json (in any case) is read as JSON, strictly
    (`_read_json`). Any other is YAML, and so is stdin (`-`, named `<stdin>` in messages), which has no name to tell
    JSON by: YAML reads JSON too, and JSON with tabs (which YAML refuses) falls back to the json module."""
    from skinrec.yamlsafe import DuplicateKeyError, MergeKeyError, YamlDoc, YamlError, load_yaml

    name = _name(path)
    try:
        text = _read_text(path)
    except UnicodeDecodeError:
        raise DataError(f"{name}: not UTF-8 text; save the profile as UTF-8 YAML or JSON") from None
    except OSError as exc:
        raise unreadable(path, exc, "a YAML or JSON profile file (or '-' for stdin) to --profile") from None
    if not _is_stdin(path) and path.suffix.lower() == ".json":
        return _read_json(path, text)
    try:
        doc = load_yaml(text, profile=True)
    except YamlError as exc:
        json_like = _is_stdin(path) and text.lstrip().startswith("{")
        if json_like and not isinstance(exc, DuplicateKeyError):
            return _read_json_without_places(path, text, exc), YamlDoc(None, {})
        # JSON gets here only for a key given twice, and a merge key is valid YAML: no YAML to blame
        kind = "" if json_like or isinstance(exc, MergeKeyError) else "invalid YAML: "
        raise DataError(f"{_at(path, exc.line, exc.col)}: {kind}{escaped(exc.problem)}") from None  # it may quote a key
    return doc.data, doc


class _NotANumber(Exception):
    """NaN, Infinity or -Infinity, which Python's json reads and JSON does not have (see `strict_json`)."""


def _refuse_constant(name: str) -> NoReturn:
    raise _NotANumber(name)


# Made once, and batch's too: a number keeps the text it was written as, for messages; a key given twice is
# refused, and so are NaN and Infinity (`strict_json`).
JSON_PROFILE_DECODER = _JSON = json.JSONDecoder(
    object_pairs_hook=unique_keys, parse_float=read_float_as_written, parse_constant=_refuse_constant
)
# A JSON string, or a bracket outside one: enough to follow the nesting of text json has read without error.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[][{}]|-?Infinity|NaN')


def strict_json(decoder: json.JSONDecoder, text: str) -> Any:
    """`decoder.decode(text)`, but NaN, Infinity and -Infinity are a JSONDecodeError at their place, as in any
    strict JSON reader: Python's json reads them, and a profile that other programs refuse must not pass here.
    `decoder` must refuse them through `parse_constant=_refuse_constant`, as `_JSON` does (the hook is not told
    where the word is, so it is found here: the text before it is valid JSON, so the first one outside a string)."""
    try:
        return decoder.decode(text)
    except _NotANumber as exc:
        name = str(exc)
        at = next(found.start() for found in _TOKENS.finditer(text) if found[0] == name)
        raise json.JSONDecodeError(f"{name} is not a JSON number", text, at) from None


class JsonProblem(NamedTuple):
    """A JSON syntax error in words: where (1-based), what, the fix ('' where the problem says it), and whether
    YAML would read the text as it is (a trailing comma, a comment), so a profile may be saved as .yaml instead."""

    line: int
    col: int
    problem: str
    fix: str
    yaml_reads: bool = False


# json's words for a syntax error (JSONDecodeError.msg) and what to say: the problem, and its fix where there is one.
_JSON_WORDS = {
    "Expecting ',' delimiter": ("a ',' is missing here, between two items", ""),
    "Expecting ':' delimiter": ("a ':' is missing here, after the key", ""),
    "Expecting property name enclosed in double quotes": ("expected a key in double quotes here", ""),
    "Expecting value": ("expected a value here (text is written in double quotes)", ""),
    "Unterminated string starting at": ("a string starts here but is never closed", "close it with '\"'"),
    "Invalid control character at": (
        "a control character (a tab or a line break?) inside a string",
        "write it as \\t or \\n",
    ),
    "Invalid \\escape": ("a backslash escape JSON does not have", "write a backslash as \\\\"),
}
# The fix for text after a whole profile, by unit: in a batch line, most often the next line's profile, in a file
# whose lines end in a CR alone (as old Mac files do), or a NUL byte, which ends no line.
Unit = Literal["file", "line"]
_AFTER_THE_END: dict[Unit, str] = {
    "file": "remove what follows it; a profile file holds one profile",
    "line": "give one profile per line, with nothing after it; end each line with LF or CRLF (a CR alone ends none)",
}
_CLOSING = {"{": ("object", "}"), "[": ("array", "]")}
_IN_NUMBER = tuple("0123456789.eE+-")  # characters of a number, before its last: not a number's start


def json_problem(text: str, exc: json.JSONDecodeError, unit: Unit = "file") -> JsonProblem:
    """Where a JSON syntax error in `text` (a `unit`: a file, a batch line) is and what it is, in words with the
    fix. json's own words name neither the trailing comma nor the comment that most such errors are ("Expecting
    property name enclosed in double quotes"), and blame a missing ',' for a file cut short or a number written
    010 or 0x10. Shared by profile files and batch lines, which must not explain one mistake two ways."""
    pos = exc.pos
    here = text[pos : pos + 1]
    before = len(text[:pos].rstrip()) - 1
    if here and here in "]}" and before >= 0 and text[before] == ",":
        line, col = _line_col(text, before)
        return JsonProblem(line, col, f"a trailing comma before '{here}'", "remove the comma", yaml_reads=True)
    if here in ("#", "/"):
        return JsonProblem(exc.lineno, exc.colno, "a comment, which JSON does not have", "remove it", yaml_reads=True)
    if here == "'":
        return JsonProblem(exc.lineno, exc.colno, "a single quote (JSON strings and keys are in double quotes)", "")
    start = pos - 1 - (pos > 1 and text[pos - 2] == "-")  # where a number read as far as a lone 0 starts
    if (
        here
        and (here.isdigit() or here in "xX")
        and text[pos - 1 : pos] == "0"
        and text[start - 1 : start] not in _IN_NUMBER
    ):
        return _zero_led(text, start)
    if exc.msg.endswith(" is not a JSON number"):
        return JsonProblem(exc.lineno, exc.colno, exc.msg, "write a number in digits, or leave the key out")
    if not text[pos:].strip() and exc.msg.startswith("Expecting"):
        open_ = _unclosed(text[:pos])
        if open_:
            kind, _ = _CLOSING[text[open_[-1]]]
            line, col = _line_col(text, open_[-1])
            where = f"line {line}, column {col}" if "\n" in text else f"column {col}"
            closers = "".join(_CLOSING[text[at]][1] for at in reversed(open_))
            if exc.msg == "Expecting ',' delimiter":  # after a whole value: only the closing brackets are missing
                return JsonProblem(
                    exc.lineno, exc.colno, f"the {unit} ends before the {kind} opened at {where} is closed",
                    f"add the missing '{closers}' at the end",
                )  # fmt: skip
            return JsonProblem(
                exc.lineno, exc.colno, f"the {unit} ends in the middle of the {kind} opened at {where}",
                f"complete it, ending with '{closers}'",
            )  # fmt: skip
    if exc.msg == "Extra data":
        return JsonProblem(
            exc.lineno, exc.colno, "more text after the end of the profile's object", _AFTER_THE_END[unit]
        )
    problem, fix = _JSON_WORDS.get(exc.msg, (exc.msg, ""))
    return JsonProblem(exc.lineno, exc.colno, problem, fix)


def _line_col(text: str, at: int) -> tuple[int, int]:
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def _unclosed(text: str) -> list[int]:
    """Where each bracket still open at the end of `text` (JSON read without error so far) is, outermost first."""
    opened: list[int] = []
    for found in _TOKENS.finditer(text):
        if found[0] in _CLOSING:
            opened.append(found.start())
        elif found[0] in ("]", "}") and opened:
            opened.pop()
    return opened


_NUMBER = re.compile(r"-?(?:0[xX][0-9A-Za-z]*|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)")


def _zero_led(text: str, start: int) -> JsonProblem:
    """A number at `start` that json read as far as its 0: 010 (which YAML 1.2 and the flags read as ten) or 0x10."""
    line, col = _line_col(text, start)
    match = _NUMBER.match(text, start)
    number = match[0] if match else text[start : start + 2]
    sign, digits = ("-", number[1:]) if number.startswith("-") else ("", number)
    if digits[1:2] in ("x", "X"):
        try:
            fix = f"write {sign}{int(digits, 16)}"
        except ValueError:
            fix = "write the number in decimal digits"
        return JsonProblem(line, col, f"JSON numbers have no hex ({number})", fix)
    plain = digits.lstrip("0")
    plain = plain if plain[:1].isdigit() else "0" + plain
    return JsonProblem(line, col, f"JSON numbers cannot start with 0 ({number})", f"write {sign}{plain}")


def _read_json(path: Path, text: str) -> tuple[Any, Any]:
    """A .json profile, read as JSON: YAML, which it is nearly a subset of, also takes what JSON does not (a
    trailing comma, a comment, single quotes), and a file other programs refuse must not pass here. YAML then
    reads it again only for the places of its keys, for messages; JSON that YAML refuses (a tab between tokens)
    is read without them. Where json refuses valid JSON, for a key given twice, a number of thousands of digits or
    a depth, YAML knows where that is."""
    from skinrec.yamlsafe import DEEP, DuplicateKeyError, YamlDoc, YamlError, load_yaml, unreadable_value

    text = text.removeprefix("\ufeff")  # a byte-order mark, which JSON parsers may ignore (batch lines too)
    refused: str | None = None
    try:
        data = strict_json(_JSON, text)
    except json.JSONDecodeError as exc:
        line, col, problem = _json_problem(text, exc)
        raise DataError(f"{_at(path, line, col)}: not valid JSON: {problem}") from None
    except DuplicateKey as exc:
        refused = str(exc)
    except ValueError as exc:  # json's own reading of a number with thousands of digits
        refused = unreadable_value(exc)
    except RecursionError:
        refused = DEEP
    try:
        doc = load_yaml(text, profile=True)
    except YamlError as exc:
        if refused is None:
            return data, YamlDoc(None, {})
        if isinstance(exc, DuplicateKeyError) or exc.problem == refused:
            raise DataError(f"{_at(path, exc.line, exc.col)}: {escaped(exc.problem)}") from None
        raise DataError(f"{_name(path)}: {escaped(refused)}") from None  # YAML stopped at something else first
    if refused is not None:  # YAML read what json would not: no place to name
        raise DataError(f"{_name(path)}: {escaped(refused)}")
    return data, doc


def _json_problem(text: str, exc: json.JSONDecodeError) -> tuple[int, int, str]:
    """A .json profile's syntax error: where, and what in words with the fix, which for what YAML reads (a
    trailing comma, a comment) or what has no fix of its own may be to save the file as YAML."""
    if not text.strip():
        return 0, 0, 'the file is empty; write the profile as an object, e.g. {"concerns": ["acne_scars"]}'
    line, col, problem, fix, yaml_reads = json_problem(text, exc)
    if not fix:
        fix = "fix the JSON, or save the file as .yaml"
    elif yaml_reads:
        fix += ", or save the file as .yaml"
    return line, col, f"{escaped(problem)}; {fix}"


def _read_json_without_places(path: Path, text: str, refused: YamlError) -> Any:
    """JSON on stdin that YAML `refused` (for its tabs, most likely), read by the json module. Where json cannot
    read it either, YAML's complaint is given if it is the same one, since YAML knows where it is."""
    from skinrec.yamlsafe import DEEP

    name = _name(path)
    try:
        return strict_json(_JSON, text)
    except DuplicateKey as exc:
        raise DataError(f"{name}: {exc}") from None
    except json.JSONDecodeError as exc:
        line, col, problem, fix, _ = json_problem(text, exc)
        raise DataError(
            f"{_at(path, line, col)}: not valid JSON: {escaped(problem)}; {fix or 'fix the JSON'}"
        ) from None
    except ValueError:  # valid JSON that json cannot read either (a number with thousands of digits)
        raise DataError(f"{_at(path, refused.line, refused.col)}: {refused.problem}") from None
    except RecursionError:  # deeper than json can go; YAML said where, unless a tab stopped it first
        where = _at(path, refused.line, refused.col) if refused.problem == DEEP else name
        raise DataError(f"{where}: {DEEP}") from None


def answers_conditions(data: Mapping[str, Any]) -> bool:
    """Whether a profile's data (a file's, a batch line's) answers the safety questions: a `conditions` list, even
    `[]`, is a whole safety screen; the key left out, or given no value (`conditions:`, `null`: a template half
    filled in), is none. One test for both, so that a file and a line never read the same profile two ways."""
    return data.get("conditions") is not None


def load_profile_file(kb: KnowledgeBase, path: Path) -> tuple[Profile, frozenset[str]]:
    """The validated profile, and the keys the file gives (the questionnaire asks about the others); errors
    name `file:line:col` and the key. A `conditions` key left empty (`conditions:`, a template half filled in)
    gives no answer: a list, even `[]`, is a whole safety screen, which an empty key is not."""
    data, doc = read_profile_data(path)
    if data is None:
        data = {}
    try:
        profile = profile_from_mapping(kb, data)
        answered = frozenset(key for key in data if key != "conditions" or answers_conditions(data))
        return profile, answered
    except FieldError as exc:
        # A JSON file read by the json module (one YAML refused, for its tabs) has no positions.
        key = _key_as_written(data, exc.key)
        place = (key,) if exc.index is None or not isinstance(data[key], list) else (key, exc.index)
        line, col, message = doc.place(place, exc.message) if doc.positions else (0, 0, exc.message)
        raise DataError(f"{_at(path, line, col)}: {exc.key}: {message}") from None


def _key_as_written(data: Any, key: str) -> Any:
    """The file's own key for a FieldError's `key`: an unknown key is named as `shown` writes it (a tab as \\t,
    a long one cut short), which the file's positions do not know, so its place would be lost (line 1)."""
    if not isinstance(data, Mapping) or key in data:  # not a mapping: the error is the whole profile's
        return key
    return next((written for written in data if isinstance(written, str) and shown(written, quote="") == key), key)


def dump_profile(profile: Profile, kb: Path | None = None) -> str:
    """A profile as a YAML profile file that `--profile` reads back to the same profile (the questionnaire
    saves answers with it, so nobody retypes them), with the `--kb` its ids come from, if not the shipped one."""
    import yaml

    body = yaml.safe_dump(profile.as_dict(), sort_keys=False, allow_unicode=True, default_flow_style=False)
    return f"# skinrec profile; use it with: skinrec recommend --profile FILE{kb_flag(kb)}\n" + body


def kb_flag(kb: Path | None) -> str:
    """The ` --kb DIR` a command must repeat to read a profile saved from that knowledge base ('' for none)."""
    import shlex

    return f" --kb {shlex.quote(str(kb))}" if kb is not None else ""
