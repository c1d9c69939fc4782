"""Reading a profile file (YAML or JSON) with errors that point at `file:line:col`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skinrec.errors import DataError, unreadable
from skinrec.knowledge import KnowledgeBase
from skinrec.profile import DuplicateKey, FieldError, Profile, escaped, profile_from_mapping, unique_keys
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


# Made once, as batch's: a number keeps the text it was written as, for messages; a key given twice is refused.
_JSON = json.JSONDecoder(object_pairs_hook=unique_keys, parse_float=read_float_as_written)


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
        data = _JSON.decode(text)
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


# json's words for a syntax error (JSONDecodeError.msg) and what to say: the problem, in the file's terms.
_JSON_WORDS = {
    "Expecting ',' delimiter": "a ',' is missing here, between two items",
    "Expecting ':' delimiter": "a ':' is missing here, after the key",
    "Expecting property name enclosed in double quotes": "expected a key in double quotes here",
    "Expecting value": "expected a value here (text is written in double quotes)",
    "Extra data": "more text after the end of the profile's object",
    "Unterminated string starting at": "a string starts here but is never closed; close it with '\"'",
    "Invalid control character at": "a control character (a tab or a line break?) inside a string; write it as "
    "\\t or \\n",
    "Invalid \\escape": "a backslash escape JSON does not have; write a backslash as \\\\",
}


def _json_problem(text: str, exc: json.JSONDecodeError) -> tuple[int, int, str]:
    """Where a JSON syntax error is and what it is, in words with the fix: json's own ("Expecting property name
    enclosed in double quotes") names neither the trailing comma nor the comment that most such errors are."""
    if not text.strip():
        return 0, 0, 'the file is empty; write the profile as an object, e.g. {"concerns": ["acne_scars"]}'
    here = text[exc.pos : exc.pos + 1]
    before = len(text[: exc.pos].rstrip()) - 1
    if here and here in "]}" and before >= 0 and text[before] == ",":
        line, col = text.count("\n", 0, before) + 1, before - text.rfind("\n", 0, before)
        return line, col, f"a trailing comma before '{here}'; remove the comma, or save the file as .yaml"
    if here in ("#", "/"):
        return exc.lineno, exc.colno, "a comment, which JSON does not have; remove it, or save the file as .yaml"
    if here == "'":
        problem = "a single quote (JSON strings and keys are in double quotes)"
    else:
        problem = _JSON_WORDS.get(exc.msg, exc.msg)
    fix = "" if ";" in problem else "; fix the JSON, or save the file as .yaml"  # or its own fix
    return exc.lineno, exc.colno, escaped(problem) + fix


def _read_json_without_places(path: Path, text: str, refused: YamlError) -> Any:
    """JSON on stdin that YAML `refused` (for its tabs, most likely), read by the json module. Where json cannot
    read it either, YAML's complaint is given if it is the same one, since YAML knows where it is."""
    from skinrec.yamlsafe import DEEP

    name = _name(path)
    try:
        return json.loads(text, object_pairs_hook=unique_keys, parse_float=read_float_as_written)
    except DuplicateKey as exc:
        raise DataError(f"{name}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{_at(path, exc.lineno, exc.colno)}: invalid JSON: {exc.msg}") from None
    except ValueError:  # valid JSON that json cannot read either (a number with thousands of digits)
        raise DataError(f"{_at(path, refused.line, refused.col)}: {refused.problem}") from None
    except RecursionError:  # deeper than json can go; YAML said where, unless a tab stopped it first
        where = _at(path, refused.line, refused.col) if refused.problem == DEEP else name
        raise DataError(f"{where}: {DEEP}") from None


def load_profile_file(kb: KnowledgeBase, path: Path) -> tuple[Profile, frozenset[str]]:
    """The validated profile, and the keys the file gives (the questionnaire asks about the others); errors
    name `file:line:col` and the key. A `conditions` key left empty (`conditions:`, a template half filled in)
    gives no answer: a list, even `[]`, is a whole safety screen, which an empty key is not."""
    data, doc = read_profile_data(path)
    if data is None:
        data = {}
    try:
        profile = profile_from_mapping(kb, data)
        answered = frozenset(key for key in data if key != "conditions" or data[key] is not None)
        return profile, answered
    except FieldError as exc:
        # A JSON file read by the json module (one YAML refused, for its tabs) has no positions.
        place = (exc.key,) if exc.index is None or not isinstance(data[exc.key], list) else (exc.key, exc.index)
        line, col, message = doc.place(place, exc.message) if doc.positions else (0, 0, exc.message)
        raise DataError(f"{_at(path, line, col)}: {exc.key}: {message}") from None


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
