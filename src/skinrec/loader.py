"""Find, read, validate and compile a knowledge base; serve it from the cache when its files are unchanged.

The slow path (YAML parsing, pydantic validation, cross-file checks) runs only when the cache has no entry
for the files' exact bytes. Every problem in every file is collected and reported at once, each as
`file:line:col: path: message`, the way a compiler reports source errors.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skinrec import __version__, cache
from skinrec.errors import DataError
from skinrec.gcpause import gc_paused
from skinrec.knowledge import KnowledgeBase, compile_kb, compile_packed, pack_kb

KB_ENV = "SKINREC_KB"
FIXED_FILES = (
    "data/sources.yaml",
    "data/treatments.yaml",
    "data/concerns.yaml",
    "rules/conditions.yaml",
    "rules/scoring.yaml",
)
MAX_FILE_BYTES = 32 * 1024 * 1024
# Bump whenever validation refuses something it used to accept, or the validated document changes shape (4:
# conditions have synonyms): it is part of the cache key, so a knowledge base cached by an older validator is
# checked and normalised again rather than served from its old entry.
CHECKS = 4
_TREE_TAGS = frozenset({"condition", "all", "any", "not", "skin_type"})


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class KnowledgeBaseInvalid(DataError):
    """The knowledge base has problems; `problems` lists every one."""

    def __init__(self, root: Path, problems: list[Problem]) -> None:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(
            f"knowledge base '{root}' is invalid: {problems[0]}{more}; run 'skinrec kb validate --kb {root}'"
        )
        self.root = root
        self.problems = problems


def shipped_kb_dir() -> Path:
    """The knowledge base inside the installed package, or the repository's own in a source checkout."""
    packaged = Path(__file__).parent / "kb"
    if (packaged / "data" / "treatments.yaml").is_file():
        return packaged
    return Path(__file__).resolve().parents[2]


def resolve_kb_dir(option: str | Path | None = None) -> Path:
    """`--kb` wins over `$SKINREC_KB`, which wins over the shipped knowledge base."""
    chosen = option if option is not None else os.environ.get(KB_ENV) or None
    root = Path(chosen) if chosen is not None else shipped_kb_dir()
    if not _is_file(root / "data" / "treatments.yaml"):
        origin = "--kb" if option is not None else f"${KB_ENV}" if chosen else "the shipped knowledge base"
        raise DataError(
            f"no knowledge base at '{root}' (from {origin}): expected data/treatments.yaml there; "
            f"point {'$' + KB_ENV if option is None and chosen else '--kb'} at a folder with the layout of "
            "docs/knowledge-base.md"
        )
    return root


def _is_file(path: Path) -> bool:
    """`path.is_file()`, false also for a path the system refuses to look at (a name too long, a loop of links)."""
    try:
        return path.is_file()
    except OSError:
        return False


def kb_files(root: Path) -> list[str]:
    """The knowledge base's files, relative to `root`: the fixed ones, then every other YAML file in rules/ by
    name. Any `.yaml` or `.yml`, in any case: a rule file skipped for its spelling would silently drop its
    contraindications. Hidden files are not the base's (an editor's lock file `.#x.yaml`, macOS's `._x.yaml`
    copies) and are left alone; folders under rules/ are reported by `read_files`."""
    fixed = set(FIXED_FILES)
    rules = sorted(
        f"rules/{path.name}"
        for path in _entries(root / "rules")
        if _is_yaml(path) and not path.name.startswith(".") and f"rules/{path.name}" not in fixed
    )
    return [*FIXED_FILES, *rules]


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:  # no rules/ at all: its fixed files are then reported missing
        return []


def _is_yaml(path: Path) -> bool:
    return path.suffix.lower() in (".yaml", ".yml")


def _nested_rules(root: Path) -> list[Problem]:
    """YAML files in folders under rules/, which are not read: said out loud, since a clinic that files its
    rules in a folder would otherwise lose them without a word."""
    problems = []
    for folder in sorted(_entries(root / "rules")):
        if folder.is_dir() and not folder.name.startswith("."):
            for path in sorted(folder.rglob("*")):
                if _is_yaml(path) and not path.name.startswith("."):
                    rel = path.relative_to(root).as_posix()
                    problems.append(
                        Problem(rel, 0, 0, "", "rule files go directly in rules/, not in a folder; move it up")
                    )
    return problems


def read_files(root: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """Every file's bytes; a missing, unreadable or oversized file is a problem, not an exception."""
    texts: dict[str, bytes] = {}
    problems: list[Problem] = _nested_rules(root)
    for rel in kb_files(root):
        path = root / rel
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                problems.append(
                    Problem(
                        rel,
                        0,
                        0,
                        "",
                        f"file is {size / 1e6:.0f} MB, above the {MAX_FILE_BYTES // 2**20} MiB limit; split it",
                    )
                )
                continue
            texts[rel] = path.read_bytes()
        except FileNotFoundError:
            problems.append(
                Problem(
                    rel,
                    0,
                    0,
                    "",
                    "file is missing; every knowledge base needs it (see docs/knowledge-base.md)",
                )
            )
        except OSError as exc:
            problems.append(Problem(rel, 0, 0, "", f"cannot read: {exc.strerror}"))
    return texts, problems


def fingerprint(texts: dict[str, bytes]) -> str:
    """Identity of a knowledge base's content (and of the code that validates and compiles it), for the cache
    key."""
    digest = hashlib.sha256(f"skinrec {__version__} cache {cache.FORMAT} checks {CHECKS}\n".encode())
    for rel in sorted(texts):
        digest.update(f"{rel}\0{len(texts[rel])}\0".encode())
        digest.update(texts[rel])
    return digest.hexdigest()


def load_kb(option: str | Path | None = None, *, use_cache: bool = True, revalidate: bool = False) -> KnowledgeBase:
    """The compiled knowledge base; raises `KnowledgeBaseInvalid` listing every problem when it is invalid.

    `revalidate` ignores any cache entry (for `kb validate`, which must check the files themselves) but still
    stores the result unless `use_cache` is off, so the next run is fast.
    """
    root = resolve_kb_dir(option)
    texts, problems = read_files(root)
    if problems:
        raise KnowledgeBaseInvalid(root, problems)
    key = fingerprint(texts)
    with gc_paused():
        entry = cache.read(key) if use_cache and not revalidate else None
        if entry is not None:
            with contextlib.suppress(Exception):  # a checksum-valid entry of the wrong shape: rebuild it
                return compile_packed(*entry, key)
        doc, problems = validate_texts(texts)
        if problems:
            raise KnowledgeBaseInvalid(root, problems)
        if use_cache:
            cache.write(key, *pack_kb(doc))
        return compile_kb(doc, key)


def validate_dir(option: str | Path | None = None) -> tuple[Path, list[Problem]]:
    """Every problem of the knowledge base at `option` (empty when it is clean), failing rule tests included,
    as `skinrec kb validate` reports them; never uses the cache."""
    from skinrec.rule_tests import failing_cases

    root = resolve_kb_dir(option)
    texts, problems = read_files(root)
    if problems:
        return root, problems
    doc, problems = validate_texts(texts)
    return root, problems or failing_cases(root, compile_kb(doc))


def validate_texts(texts: dict[str, bytes]) -> tuple[dict[str, Any], list[Problem]]:
    """Parse and validate every file; return the normalised document and all problems found."""
    from pydantic import ValidationError

    from skinrec.crosscheck import crosscheck
    from skinrec.models import FILE_MODELS, RULES_MODEL
    from skinrec.yamlsafe import YamlDoc, YamlError, load_yaml

    problems: list[Problem] = []
    parsed: dict[str, YamlDoc] = {}
    dumped: dict[str, Any] = {}
    for rel, raw in texts.items():
        try:
            doc = load_yaml(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            line, start = raw.count(b"\n", 0, exc.start) + 1, raw.rfind(b"\n", 0, exc.start) + 1
            problems.append(Problem(rel, line, exc.start - start + 1, "", "not UTF-8 text; save the file as UTF-8"))
            continue
        except YamlError as exc:
            problems.append(Problem(rel, exc.line, exc.col, "", exc.problem))
            continue
        parsed[rel] = doc
        model = FILE_MODELS.get(rel, RULES_MODEL)
        try:
            dumped[rel] = model.model_validate(doc.data).model_dump(mode="json", by_alias=True)
        except ValidationError as exc:
            problems += [_pydantic_problem(rel, doc, error, model) for error in exc.errors()]
    if problems:
        return {}, problems

    rule_files = [(rel, dumped[rel]["rules"]) for rel in texts if rel not in FILE_MODELS]
    for findings_file, loc, message in crosscheck(dumped, rule_files, lambda file, at: parsed[file].where(at)[0]):
        problems.append(_problem(findings_file, parsed[findings_file], loc, message))
    if problems:
        return {}, problems
    rules = [{**rule, "file": rel} for rel, file_rules in rule_files for rule in file_rules]
    normalized = {
        "sources": dumped["data/sources.yaml"]["sources"],
        "tags": dumped["data/treatments.yaml"]["tags"],
        "treatments": dumped["data/treatments.yaml"]["treatments"],
        "concerns": dumped["data/concerns.yaml"]["concerns"],
        "conditions": dumped["rules/conditions.yaml"]["conditions"],
        "scoring": dumped["rules/scoring.yaml"],
        "rules": rules,
    }
    return normalized, problems


def _data_loc(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Pydantic's error location mapped onto the document: union tags it inserts are not document keys."""
    out: list[str | int] = []
    current = data
    for part in loc:
        if (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        ):
            current = current[part]
        elif part in _TREE_TAGS:
            continue
        else:
            current = None
        out.append(part)
    return tuple(out)


def _display(data: Any, loc: tuple[str | int, ...]) -> str:
    """`treatments[microneedling].downtime_days`: list items named by their id where they have one."""
    text = ""
    current = data
    for part in loc:
        if isinstance(part, int):
            item = current[part] if isinstance(current, list) and 0 <= part < len(current) else None
            name = item.get("id") if isinstance(item, dict) else None
            text += f"[{name}]" if isinstance(name, str) else f"[{part}]"
            current = item
        else:
            text += f".{part}" if text else str(part)
            current = current.get(part) if isinstance(current, dict) else None
    return text


def _problem(file: str, doc: Any, loc: tuple[str | int, ...], message: str) -> Problem:
    line, col = doc.where(loc)
    return Problem(file, line, col, _display(doc.data, loc), message)


def _keys_at(model: Any, loc: tuple[str | int, ...]) -> list[str]:
    """The keys the model expects at `loc` (a mapping's place in the file), for a did-you-mean; none where the
    place is not one model's (a rule's `when` tree, a mapping of ratings)."""
    import typing

    from pydantic import BaseModel

    for part in loc:
        if isinstance(part, int):
            continue
        fields = {field.alias or name: field for name, field in model.model_fields.items()}
        if part not in fields:
            return []
        annotation, model = fields[part].annotation, None
        for candidate in (annotation, *typing.get_args(annotation)):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                model = candidate
        if model is None:
            return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _pydantic_problem(file: str, doc: Any, error: Any, model: Any) -> Problem:
    """Pydantic's complaint as a maintainer reads it, with the fix: its own words name its classes ("a valid
    dictionary or instance of IntRange") and say "Input should be"."""
    import difflib

    from skinrec.profile import shown

    loc = _data_loc(doc.data, tuple(error["loc"]))
    kind, given = error["type"], error.get("input")
    if kind == "missing":
        message = "required, but missing; add it"
    elif kind == "extra_forbidden":
        known = _keys_at(model, loc[:-1]) if loc and isinstance(loc[-1], str) else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1) if known else []
        fix = f"did you mean '{close[0]}'?" if close else "remove it or fix its spelling (see docs/knowledge-base.md)"
        message = f"unknown key; {fix}"
    elif kind == "too_short":  # pydantic's "List should have at least 1 item after validation, not 0"
        message = "must not be empty; give at least one"
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind in ("int_parsing", "int_type", "int_from_float"):
        message = f"must be a whole number, not {given!r}"
    elif kind in ("model_type", "dict_type") and not loc:  # an empty file, a list, text...
        keys = ", ".join(f"'{field.alias or name}:'" for name, field in model.model_fields.items())
        message = f"the file must hold a mapping (key: value pairs) at the top level, with {keys}"
    elif kind in ("model_type", "dict_type"):
        message = f"must be a mapping (key: value pairs), not {shown(given)}; see docs/knowledge-base.md for its keys"
    elif kind == "list_type":
        message = f"must be a list, not {shown(given)}; write [a, b], or one '- ' item per line below the key"
    else:
        message = str(error["msg"]).removeprefix("Value error, ").replace("Input should be", "must be")
        if kind in ("literal_error", "enum", "string_pattern_mismatch") and isinstance(given, str):
            message += f", not '{given}'"
            choices = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
            close = difflib.get_close_matches(given, choices, n=1)
            message += f" — did you mean '{close[0]}'?" if close else ""
        elif kind.startswith(("less_than", "greater_than")):
            message += f", not {shown(given)}"
    return _problem(file, doc, loc, message)
