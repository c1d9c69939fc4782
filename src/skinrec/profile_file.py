"""Reading a profile file (YAML or JSON) with errors that point at `file:line:col`."""

from __future__ import annotations

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
    """The file's data and its YamlDoc (for positions). JSON is read as YAML, which it is a subset of,
    except that JSON allows tabs: those files (and stdin, which has no name to tell by) fall back to the json
    module, without positions. `-` is stdin, named `<stdin>` in messages."""
    from skinrec.yamlsafe import DuplicateKeyError, MergeKeyError, YamlDoc, YamlError, load_yaml

    name = _name(path)
    try:
        text = _read_text(path)
    except UnicodeDecodeError:
        raise DataError(f"{name}: not UTF-8 text; save the profile as UTF-8 YAML or JSON") from None
    except OSError as exc:
        raise unreadable(path, exc, "a YAML or JSON profile file (or '-' for stdin) to --profile") from None
    try:
        doc = load_yaml(text, profile=True)
    except YamlError as exc:
        json_like = path.suffix.lower() == ".json" or (_is_stdin(path) and text.lstrip().startswith("{"))
        if json_like and not isinstance(exc, DuplicateKeyError):
            return _read_json(path, text, exc), YamlDoc(None, {})
        # JSON gets here only for a key given twice, and a merge key is valid YAML: no YAML to blame
        kind = "" if json_like or isinstance(exc, MergeKeyError) else "invalid YAML: "
        raise DataError(f"{_at(path, exc.line, exc.col)}: {kind}{escaped(exc.problem)}") from None  # it may quote a key
    return doc.data, doc


def _read_json(path: Path, text: str, refused: YamlError) -> Any:
    """A JSON profile YAML `refused` (for its tabs, most likely), read by the json module. Where json cannot
    read it either, YAML's complaint is given if it is the same one, since YAML knows where it is."""
    import json

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
        line, col = doc.where(place) if doc.positions else (0, 0)
        raise DataError(f"{_at(path, line, col)}: {exc.key}: {exc.message}") from None


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
