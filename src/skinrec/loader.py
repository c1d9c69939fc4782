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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skinrec import __version__, cache
from skinrec.errors import DataError
from skinrec.gcpause import gc_paused
from skinrec.knowledge import KnowledgeBase, compile_kb, compile_packed, pack_kb
from skinrec.profile import escaped

# For annotations only: pydantic and YAML are imported by the functions that use them, so that a run served from the
# cache never loads them.
if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic_core import ErrorDetails

    from skinrec.yamlsafe import YamlDoc

KB_ENV = "SKINREC_KB"
# The knowledge base's fixed files, by kind, in the order they are read: the one list of them. The models that
# validate them (models.FILE_MODELS), the cross-file checks, `kb schema`'s kinds and the validated document all
# take their names from here; every other YAML file directly in rules/ holds rules.
FIXED_FILES = {
    "sources": "data/sources.yaml",
    "treatments": "data/treatments.yaml",
    "concerns": "data/concerns.yaml",
    "conditions": "rules/conditions.yaml",
    "scoring": "rules/scoring.yaml",
}
# A knowledge base of 10,000 treatments is about 10 MB of YAML; 32 MiB leaves room while refusing a runaway file
# before PyYAML spends seconds on it. Here, not in yamlsafe, as every run checks its files' sizes and must not
# import YAML to do so.
MAX_FILE_BYTES = 32 * 1024 * 1024
# Bump whenever validation refuses something it used to accept, or the validated document changes shape (4:
# conditions have synonyms; 5: efficacy points must rise with the rating; 6: prices are in whole cents; 7: values
# are strict, so `fires: no` and `min: "6"` are refused, and a rule test's skin type may be I-VI; 8: concerns have
# related_conditions; 9: scoring has pih_conditions; 10: amounts have upper bounds (365 days, 100 sessions...), the
# first priority weight must be above 0 and none above the one before, and a list item that swallowed a deeper
# '- ' line is a problem even where the joined text passes; 11: an id listed twice in a list is a problem; 12: a
# base whose rule tests fail is refused by every command, so never cached; 13: a treatment no rule's applies_to
# names is a problem, interval_weeks.min must be 1 or more as a field of its own; 14: conditions have ask_if,
# which must name an earlier condition, a key's text that swallowed a '- ' line is a problem, and so is a test
# repeated in a rule's any or all; 15: an optional key given empty (`estimate:`, `ask_if:`) is refused, and so are a tag
# no treatment carries and a concern or condition named by a number or by a word the questionnaire reads as an
# answer; 16: those names by what each kind's question reads (a list of numbers, a condition's '-'), and YAML tags
# that build values other than plain ones (!!set, !!binary, !!timestamp...) are refused): it is part of the cache
# key, so a knowledge base cached by an older validator is checked and normalised again rather than served from
# its old entry.
CHECKS = 16
MISSING = "required, but missing; add it"
# A fixed file the base lacks: where to get one, with only the installed command to hand.
MISSING_FILE = "file is missing; every knowledge base needs it: copy it from a new base made by 'skinrec kb init DIR'"
# A rule file listed but not there to read: a link to nowhere (a rule file is a base's own, so no copy helps).
BROKEN_LINK = "cannot read: it is a link to a file that does not exist; restore that file or remove the link"
_TREE_TAGS = frozenset({"condition", "all", "any", "not", "skin_type"})


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int
    col: int
    path: str
    message: str
    # Another file of the base that the message names as a place (`also at rules/clinic.yaml:2`, a duplicate's
    # first), so that `under` names it from the working directory as it names `file`.
    also: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        # escaped as a profile's messages are: a quoted value's characters that reorder the line on a terminal
        # (U+202E shows 'gpj.exe' as 'exe.jpg') or break it
        path, message = escaped(self.path), escaped(self.message)
        return f"{where}: {path}: {message}" if path else f"{where}: {message}"

    def under(self, root: Path) -> str:
        """The problem as a person is shown it: its file named from the working directory, as `shown_root` says,
        so that a terminal or an editor opens it at its line (`my-kb/data/treatments.yaml:404:5`); the file
        alone names nothing that exists unless the knowledge base is the working directory; so is the other file
        a message names as a place (`also at my-kb/rules/clinic.yaml:18`)."""
        shown = shown_root(root)
        message = self.message.replace(f"at {self.also}:", f"at {shown / self.also}:", 1) if self.also else self.message
        return str(Problem(str(shown / self.file), self.line, self.col, self.path, message))


def shown_root(root: Path) -> Path:
    """The knowledge base's folder as messages name it: as it was given (`--kb`, `$SKINREC_KB`); the shipped one,
    which nobody typed, from the working directory when it is inside it (a source checkout, where its files are
    `data/treatments.yaml`, as they are spelt everywhere else), and in full otherwise (an installed package)."""
    if root != shipped_kb_dir():
        return root
    try:
        return root.relative_to(Path.cwd())
    except (ValueError, OSError):  # elsewhere, or the working directory is gone
        return root


class KnowledgeBaseInvalid(DataError):
    """The knowledge base has problems; `problems` lists every one."""

    def __init__(self, root: Path, problems: list[Problem]) -> None:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(
            f"knowledge base '{root}' is invalid: {problems[0].under(root)}{more}; "
            f"see every problem with: skinrec kb validate {dir_argument(root)}"
        )
        self.root = root
        self.problems = problems


def dir_argument(folder: str | Path) -> str:
    """A folder as the DIR argument of a command to paste (`skinrec kb validate DIR`): shell-quoted, as `my kb`
    would be two arguments, and a relative one that starts with '-' as './-kb', which would be read as an option."""
    import shlex

    text = str(folder)
    return shlex.quote(f"./{text}" if text.startswith("-") else text)


def shipped_kb_dir() -> Path:
    """The knowledge base inside the installed package, or the repository's own in a source checkout."""
    packaged = Path(__file__).parent / "kb"
    if (packaged / FIXED_FILES["treatments"]).is_file():
        return packaged
    return Path(__file__).resolve().parents[2]


def resolve_kb_dir(option: str | Path | None = None, given_as: str = "--kb") -> Path:
    """`--kb` (or the DIR argument: `given_as` names what `option` was typed as, for the message to name it)
    wins over `$SKINREC_KB`, which wins over the shipped knowledge base."""
    chosen = option if option is not None else os.environ.get(KB_ENV) or None
    root = Path(chosen) if chosen is not None else shipped_kb_dir()
    if not _is_file(root / FIXED_FILES["treatments"]):
        raise DataError(_no_kb(root, given_as if option is not None else f"${KB_ENV}" if chosen else None))
    return root


def _no_kb(root: Path, origin: str | None) -> str:
    """Why `root` is no knowledge base, and the fix, in words that need nothing but the installed command: the
    files a base holds, and `kb init` to start one (the layout's guide, docs/knowledge-base.md, is a file of the
    repository, which an installed wheel's user need not have). A relative folder is also named in full, as it is
    found from the working directory, which the person may not have in mind (`SKINREC_KB=base` set elsewhere).
    `origin` is what named it (the DIR argument, the option or the variable); None for the shipped knowledge
    base, which is broken."""
    *first, last = FIXED_FILES.values()
    layout = f"{', '.join(first)}, {last} and its rule files in rules/"
    if origin is None:
        return (
            f"no knowledge base at '{root}' (the shipped one): expected {FIXED_FILES['treatments']} there; "
            f"reinstall skinrec, or give --kb a folder holding {layout}"
        )
    where, fix = (f"from {origin}", f"point {origin} at") if origin != "DIR" else ("given as DIR", "give as DIR")
    if not root.is_absolute():
        with contextlib.suppress(OSError):  # the working directory is gone: the folder is named as given
            where = f"that is '{os.path.abspath(root)}', {where}"
    target = dir_argument(root) if _is_empty_or_missing(root) else "DIR"
    return (
        f"no knowledge base at '{root}' ({where}): expected {FIXED_FILES['treatments']} there; {fix} "
        f"a folder holding {layout}, or copy the shipped one to start from: skinrec kb init {target}"
    )


def _is_empty_or_missing(folder: Path) -> bool:
    """Whether `kb init` could start a knowledge base at `folder` as it is: nothing there, or an empty folder."""
    try:
        return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))
    except OSError:  # a name too long, a loop of links
        return False


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
    copies) and are left alone; YAML files that are not read (in folders under rules/, or in data/ beside its
    three files) are reported by `read_files`."""
    fixed = set(FIXED_FILES.values())
    rules = sorted(
        f"rules/{path.name}"
        for path in _entries(root / "rules")
        if _is_yaml(path) and not path.name.startswith(".") and f"rules/{path.name}" not in fixed
    )
    return [*FIXED_FILES.values(), *rules]


def _entries(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:  # no rules/ at all: its fixed files are then reported missing
        return []


def _is_yaml(path: Path) -> bool:
    return path.suffix.lower() in (".yaml", ".yml")


def _unread_yaml(root: Path) -> list[Problem]:
    """YAML files the layout does not read, said out loud: a clinic that splits its treatments into a second
    file in data/, or files its rules in a folder under rules/, would otherwise lose them without a word. Files
    at the knowledge base's root are not its own (in a source checkout the root is the repository)."""
    fixed = FIXED_FILES.values()
    problems = [Problem(rel, 0, 0, "", _stray_data(root, rel)) for rel in _yaml_in(root, "data") if rel not in fixed]
    problems += [
        Problem(rel, 0, 0, "", "rule files go directly in rules/, not in a folder; move it up")
        for rel in _yaml_in(root, "rules")
        if rel.count("/") > 1
    ]
    return problems


def _yaml_in(root: Path, folder: str) -> list[str]:
    """Every YAML file in `folder` and the folders below it, relative to `root`; hidden files and everything in
    hidden folders are not the base's (an editor's lock file, a `.git`). `os.walk`, as every run pays for this:
    it takes half the time of `Path.rglob`, and never enters a hidden folder at all."""
    found = []
    for top, folders, names in os.walk(root / folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        here = Path(top).relative_to(root).as_posix()
        found += [f"{here}/{name}" for name in names if _is_yaml(Path(name)) and not name.startswith(".")]
    return sorted(found)


def _stray_data(root: Path, rel: str) -> str:
    """Why a YAML file in data/ is ignored, and where its content belongs, going by its top-level keys (a file
    that cannot be read for them gets the general fix)."""
    from skinrec.models import FILE_MODELS, RULES_MODEL
    from skinrec.yamlsafe import YamlError, load_yaml

    try:
        data = load_yaml((root / rel).read_text(encoding="utf-8")).data
    except (OSError, UnicodeDecodeError, YamlError):
        data = None
    homes = {key: file for file, model in FILE_MODELS.items() for key in _keys(model)}
    homes |= dict.fromkeys(_keys(RULES_MODEL), f"rules/{Path(rel).name}")
    moves: dict[str, list[str]] = {}
    for key in data if isinstance(data, dict) else ():
        if key in homes:
            moves.setdefault(homes[key], []).append(key)
    fix = "move " + ", and ".join(f"its {', '.join(keys)} into {home}" for home, keys in moves.items())
    *others, last = [Path(file).name for file in FIXED_FILES.values() if file.startswith("data/")]
    read = f"{', '.join(others)} and {last}"
    rest = f"move its content into {read.replace(' and ', ' or ')} in data/ or a rule file in rules/, or remove it"
    return f"skinrec reads only {read} in data/, so this file is ignored; {fix if moves else rest}"


def read_files(root: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """Every file's bytes; a missing, unreadable or oversized file is a problem, not an exception."""
    texts: dict[str, bytes] = {}
    problems: list[Problem] = _unread_yaml(root)
    for rel in kb_files(root):
        path = root / rel
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                problems.append(Problem(rel, 0, 0, "", too_large(size)))
                continue
            texts[rel] = path.read_bytes()
        except FileNotFoundError:  # a fixed file left out, or a rule file that is a broken link
            problems.append(Problem(rel, 0, 0, "", MISSING_FILE if rel in FIXED_FILES.values() else BROKEN_LINK))
        except OSError as exc:
            problems.append(Problem(rel, 0, 0, "", f"cannot read: {exc.strerror}"))
    return texts, problems


def too_large(size: int) -> str:
    """What to say of a file of `size` bytes (or characters) above MAX_FILE_BYTES."""
    return f"file is {size / 1e6:.0f} MB, above the {MAX_FILE_BYTES // 2**20} MiB limit; split it"


def fingerprint(texts: dict[str, bytes]) -> str:
    """Identity of a knowledge base's content (and of the code that validates and compiles it), for the cache
    key."""
    digest = hashlib.sha256(f"skinrec {__version__} cache {cache.FORMAT} checks {CHECKS}\n".encode())
    for rel in sorted(texts):
        digest.update(f"{rel}\0{len(texts[rel])}\0".encode())
        digest.update(texts[rel])
    return digest.hexdigest()


def load_kb(
    option: str | Path | None = None,
    *,
    use_cache: bool = True,
    revalidate: bool = False,
    failing_tests_ok: bool = False,
) -> KnowledgeBase:
    """The compiled knowledge base; raises `KnowledgeBaseInvalid` listing every problem when it is invalid, or
    when its rules fail their own embedded tests.

    `revalidate` ignores any cache entry (for `kb validate`, which must check the files themselves) but still
    stores the result unless `use_cache` is off, so the next run is fast. `failing_tests_ok` returns a base whose
    tests fail (for `rules check`, which reports every case itself) without caching it.
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
        kb = compile_kb(doc, key)
        # A base whose rules do not do what their own tests say is not used: a clinic's edit that breaks a safety
        # rule must stop every command, not only `kb validate`. Run once, when the base is first loaded (a few
        # ms even for 10,000 treatments); the cache keeps only bases that passed.
        from skinrec.rule_tests import failing_cases

        failing = failing_cases(root, kb)
        if failing and not failing_tests_ok:
            raise KnowledgeBaseInvalid(root, failing)
        if use_cache and not failing:
            cache.write(key, *pack_kb(doc))
        return kb


def validate_kb(root: Path, *, use_cache: bool = True) -> tuple[KnowledgeBase | None, list[Problem]]:
    """What `skinrec kb validate` reports, and its tests check: the compiled base and no problems, or None and
    every problem (failing rule tests included). The files themselves are always checked, never a cache entry;
    a clean base is then cached unless `use_cache` is off, so the next command starts fast."""
    try:
        return load_kb(root, use_cache=use_cache, revalidate=True), []
    except KnowledgeBaseInvalid as exc:
        return None, exc.problems


def validate_texts(texts: dict[str, bytes]) -> tuple[dict[str, Any], list[Problem]]:
    """Parse and validate every file; return the normalised document and all problems found."""
    from pydantic import ValidationError

    from skinrec.crosscheck import crosscheck
    from skinrec.models import FILE_MODELS, RULES_MODEL
    from skinrec.yamlsafe import YamlError, load_yaml

    file = FIXED_FILES
    problems: list[Problem] = []
    parsed: dict[str, YamlDoc] = {}
    dumped: dict[str, Any] = {}
    run_ons: list[Problem] = []  # values that swallowed a '- ' line, reported where nothing else is said of them
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
        found = [Problem(rel, line, col, _display(doc.data, loc), why) for loc, line, col, why in doc.run_on_items()]
        run_ons += [
            Problem(rel, line, col, _display(doc.data, loc), why) for loc, line, col, why in doc.run_on_values()
        ]
        try:
            dumped[rel] = model.model_validate(doc.data).model_dump(mode="json", by_alias=True)
        except ValidationError as exc:
            found += _one_per_misspelling([_pydantic_problem(rel, doc, error, model) for error in exc.errors()])
            found += _once_unquoted(rel, doc, model, exc.errors())
        problems += dict.fromkeys(found)  # a run-on item with a problem of its own is reported as the run-on
    if problems:
        return {}, problems + _unsaid(run_ons, problems)

    rule_files = [(rel, dumped[rel]["rules"]) for rel in texts if rel not in FILE_MODELS]
    for finding in crosscheck(dumped, rule_files, lambda rel, at: parsed[rel].where(at)[0]):
        problems.append(
            replace(_problem(finding.file, parsed[finding.file], finding.loc, finding.message), also=finding.also)
        )
    problems += _unsaid(run_ons, problems)
    if problems:
        return {}, problems
    rules = [{**rule, "file": rel} for rel, file_rules in rule_files for rule in file_rules]
    normalized = {
        "sources": dumped[file["sources"]]["sources"],
        "tags": dumped[file["treatments"]]["tags"],
        "treatments": dumped[file["treatments"]]["treatments"],
        "concerns": dumped[file["concerns"]]["concerns"],
        "conditions": dumped[file["conditions"]]["conditions"],
        "scoring": dumped[file["scoring"]],
        "rules": rules,
    }
    return normalized, problems


def _unsaid(run_ons: list[Problem], problems: list[Problem]) -> list[Problem]:
    """The values that swallowed a '- ' line (`YamlDoc.run_on_values`) that no problem is about: one with a problem
    of its own ('Acne - scars' names another concern) gets that problem, which names the line that made it so."""
    said = {(problem.file, problem.path) for problem in problems}
    return [problem for problem in run_ons if (problem.file, problem.path) not in said]


def _once_unquoted(rel: str, doc: YamlDoc, model: type[BaseModel], errors: list[ErrorDetails]) -> list[Problem]:
    """What validation would say next once each quoted number (or boolean) is written without quotes, at places
    it has said nothing of yet. A check of a whole list or mapping (the first priority weight above 0, min not
    above max) runs only once each value in it passes, so `priority_percent: ["0"]` took two rounds of fixes:
    "write 0 without quotes", then "the first weight must be above 0". Both are said at once now."""
    from pydantic import ValidationError

    data, said, replaced = doc.data, set(), False
    for error in errors:
        loc = _data_loc(doc.data, tuple(error["loc"]))
        said.add(loc)
        value = _unquoted(error.get("input"), _QUOTABLE.get(error["type"], ()))
        if value is not None:
            data, replaced = _replaced(data, loc, value), True
    if not replaced:
        return []
    try:
        model.model_validate(data)
    except ValidationError as exc:
        unquoted = replace(doc, data=data)
        return [
            _pydantic_problem(rel, unquoted, error, model)
            for error in exc.errors()
            if _data_loc(data, tuple(error["loc"])) not in said
        ]
    return []


def _replaced(data: Any, loc: tuple[str | int, ...], value: Any) -> Any:
    """`data` with the value at `loc` replaced by `value`: a copy of each list and mapping on the way to it, the
    rest shared."""
    if not loc:
        return value
    head, rest = loc[0], loc[1:]
    if isinstance(data, dict) and head in data:
        return {**data, head: _replaced(data[head], rest, value)}
    if isinstance(data, list) and isinstance(head, int) and 0 <= head < len(data):
        return [*data[:head], _replaced(data[head], rest, value), *data[head + 1 :]]
    return data


def _one_per_misspelling(problems: list[Problem]) -> list[Problem]:
    """A misspelt key is one mistake, not two: 'lable' is reported as unknown, with "did you mean 'label'?", and
    the 'label' it was meant to be is not reported missing as well."""
    meant = set()
    for problem in problems:
        found = re.fullmatch(r"unknown key; did you mean '([^']+)'\?", problem.message)
        if found:
            meant.add((problem.path.rpartition(".")[0], found[1]))
    return [p for p in problems if not (p.message == MISSING and p.path.rpartition(".")[::2] in meant)]


def _data_loc(data: Any, loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    """Pydantic's error location mapped onto the document: the union tags it inserts, and the `[key]` it puts
    after a mapping key it refuses, are not document keys."""
    out: list[str | int] = []
    current = data
    for part in loc:
        if (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        ):
            current = current[part]
        elif part in _TREE_TAGS or part == "[key]":
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
    from skinrec.models import FILE_MODELS, RULES_MODEL

    listed = bool(loc) and _takes_list(FILE_MODELS.get(file, RULES_MODEL), loc)
    line, col, message = doc.place(loc, message, listed=listed)
    return Problem(file, line, col, _display(doc.data, loc), message)


def _takes_list(model: Any, loc: tuple[str | int, ...]) -> bool:
    """Whether the key at `loc` takes a list (`synonyms:`), so that a '- ' line below its value was meant as an
    item of it."""
    import typing

    field = _fields_at(model, loc[:-1]).get(str(loc[-1]))
    kinds = [field.annotation, *typing.get_args(field.annotation)] if field is not None else []
    return any(typing.get_origin(kind) is list for kind in kinds)


def _quoted(model: Any, loc: tuple[str | int, ...], given: Any, kinds: tuple[str, ...]) -> str | None:
    """For text that would be a value of one of `kinds` unquoted ('6', 'true'): that it was quoted, which is the
    whole mistake (YAML reads quoted values as text, as docs/knowledge-base.md says), unless the value unquoted
    is wrong too ('-1' for a number of days): then what is wrong with it, so that the fix is not followed by a
    second problem. None for anything else."""
    from skinrec.profile import escaped, shown

    unquoted = _unquoted(given, kinds)
    if unquoted is None:
        return None
    for kind, ctx, text in _refusals(model, loc, unquoted):
        return _message(model, loc, kind, unquoted, ctx, text, shown(given))
    return f"'{escaped(given)}' is quoted text; write {escaped(given)} without quotes"


def _unquoted(given: Any, kinds: tuple[str, ...]) -> bool | int | float | None:
    """`given` as YAML reads it without its quotes, where it is text that is then a value of one of `kinds`
    (int, float, bool: '6', 'true'); None for anything else (never a value of those kinds). The one test of a
    quoted value for both what is said of it (`_quoted`) and what would be said next (`_once_unquoted`)."""
    from skinrec.yamlsafe import load_yaml, plain_kind

    if isinstance(given, str) and plain_kind(given) in kinds:
        value: bool | int | float = load_yaml(given).data
        return value
    return None


def _refusals(model: Any, loc: tuple[str | int, ...], value: Any) -> list[tuple[str, dict[str, Any], str]]:
    """What validation says of `value` in the place of the value at `loc` (its kind of error, context and
    words), by validating it alone in the model that holds it (as a list's only item, for an item); nothing
    where it passes."""
    from pydantic import ValidationError

    if len(loc) < 1 or (isinstance(loc[-1], int) and len(loc) < 2):
        return []
    key, item = (loc[-2], [value]) if isinstance(loc[-1], int) else (loc[-1], value)
    at = (key, 0) if isinstance(loc[-1], int) else (key,)
    place = loc[:-2] if isinstance(loc[-1], int) else loc[:-1]
    refused = []
    for holder in _models_at(model, place):
        if str(key) not in _keys(holder):
            continue
        try:
            holder.model_validate({key: item})
        except ValidationError as exc:
            refused += [
                (error["type"], error.get("ctx", {}), str(error["msg"]))
                for error in exc.errors()
                if tuple(error["loc"][: len(at)]) == at and error["type"] != "missing"
            ]
    return refused


def _keys(model: Any) -> list[str]:
    """A model's keys, spelt as the file spells them."""
    return [field.alias or name for name, field in model.model_fields.items()]


def _fields_at(model: Any, loc: tuple[str | int, ...]) -> dict[str, Any]:
    """The fields the file may hold at `loc` (a mapping's place in it), by key: at a rule's `when`, those of
    every kind of node (all, any, not, skin_type); none where no model says (a mapping of ratings)."""
    models = _models_at(model, loc)
    return {field.alias or name: field for each in models for name, field in each.model_fields.items()}


def _models_at(model: Any, loc: tuple[str | int, ...]) -> list[Any]:
    """The models a mapping at `loc` may be (several at a rule's `when`), found by following `loc` through the
    types the fields are declared with."""
    kinds = [model]
    for part in loc:
        kinds = [member for kind in kinds for inner in _inside(kind, part) for member in _members(inner)]
    return [kind for kind in kinds if _is_model(kind)]


def _inside(kind: Any, part: str | int) -> list[Any]:
    """The types the value at `part` of a value of type `kind` is declared as: a model's field, a list's item, or
    a mapping's value, whatever its key. A mapping's key is data, not a field: in
    `efficacy.facial_redness.source` the concern id leads to the rating's model, whose keys a misspelt 'source'
    is matched against (it was matched against none, so it had no did-you-mean, and the 'sources' it was meant
    to be was reported missing as well)."""
    import typing

    if _is_model(kind):
        return [field.annotation for name, field in kind.model_fields.items() if part in (field.alias, name)]
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is list:
        return [args[0]] if isinstance(part, int) else []
    return [args[1]] if origin is dict else []


def _members(annotation: Any) -> list[Any]:
    """The types a value of `annotation` may be: each member of an optional or a union, without `Annotated`'s
    extras."""
    import types
    import typing

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _members(args[0])
    if origin in (typing.Union, types.UnionType):
        return [member for arg in args for member in _members(arg)]
    return [annotation]


def _is_model(annotation: Any) -> bool:
    from pydantic import BaseModel

    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _key_meant(model: Any, loc: tuple[str | int, ...]) -> str | None:
    """The expected key closest to the unknown key at `loc`, for a did-you-mean."""
    import difflib

    close = difflib.get_close_matches(str(loc[-1]), list(_fields_at(model, loc[:-1])), n=1)
    return close[0] if close else None


def _too_short(model: Any, loc: tuple[str | int, ...], ctx: dict[str, Any]) -> str:
    """pydantic's "List should have at least 2 items after validation, not 1", with why where a list needs more
    than one item (the field's description, which the published schema shows too)."""
    least = ctx["min_length"]
    if least == 1:
        return "must not be empty; give at least one"
    field = _fields_at(model, loc[:-1]).get(str(loc[-1]))
    why = f": {field.description}" if field is not None and field.description else ""
    return f"needs at least {least} items, not {ctx['actual_length']}{why}"


def _mismatch(pattern: str, given: str) -> str:
    """A value its pattern refuses, in words, with the value it was likely meant to be: `led-therapy`,
    `Photosensitive_LED` or `LedTherapy` rewritten in the id's own style; or, with none, what to write instead
    where the pattern says one (a textbook given as a seed)."""
    import unicodedata

    from skinrec.models import PATTERN_INSTEAD, PATTERN_WORDS

    plain = unicodedata.normalize("NFKD", given).encode("ascii", "ignore").decode()
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", plain).lower()
    guesses = (re.sub(r"[^a-z0-9]+", joiner, words).strip(joiner) for joiner in "_-")
    guess = next((guess for guess in guesses if re.fullmatch(pattern, guess)), None)
    fix = f"e.g. '{guess}'" if guess else PATTERN_INSTEAD.get(pattern)
    return f"{PATTERN_WORDS[pattern]}, not '{given}'" + (f"; {fix}" if fix else "")


def _pydantic_problem(file: str, doc: Any, error: Any, model: Any) -> Problem:
    """Pydantic's complaint as a maintainer reads it, with the fix: its own words name its classes ("a valid
    dictionary or instance of IntRange") and say "Input should be"."""
    from skinrec.profile import shown

    loc = _data_loc(doc.data, tuple(error["loc"]))
    kind, given = error["type"], error.get("input")
    if kind == "condition_tree" and isinstance(given, dict) and len(given) == 1 and _key_meant(model, (*loc, *given)):
        loc, kind = (*loc, *given), "extra_forbidden"  # `when: {anyy: [...]}` is a misspelt key like any other
    message = _message(model, loc, kind, given, error.get("ctx", {}), str(error["msg"]), shown(given))
    return _problem(file, doc, loc, message)


# What a value must be, in words, by the kind of value refused (pydantic's error type up to its first '_'): what to
# give where it is empty (`min:` with nothing after it), and what it must be where it is of the wrong type
# (`fires: yes`: "must be true or false, not 'yes'").
_WANTED = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "string": "the text",
    "model": "a mapping (key: value pairs); see docs/knowledge-base.md for its keys",
    "dict": "a mapping (key: value pairs); see docs/knowledge-base.md for its keys",
    "list": "a list: [a, b], or one '- ' item per line below the key",
}


# The type errors of a value that may be quoted text (`min: "6"`), with what it must be, as YAML would read it
# unquoted, to be no such error.
_QUOTABLE = {
    **dict.fromkeys(("int_parsing", "int_type", "int_from_float", "float_parsing", "float_type"), ("int", "float")),
    **dict.fromkeys(("bool_parsing", "bool_type"), ("bool",)),
}


def _message(
    model: Any, loc: tuple[str | int, ...], kind: str, given: Any, ctx: dict[str, Any], text: str, seen: str
) -> str:
    """The words for one refusal of `given` (shown as `seen`: as written, quotes and all) at `loc`."""
    import difflib

    wanted = _WANTED.get(kind.partition("_")[0])
    if kind == "missing":
        return MISSING
    if kind == "extra_forbidden":
        meant = _key_meant(model, loc)
        fix = f"did you mean '{meant}'?" if meant else "remove it or fix its spelling (see docs/knowledge-base.md)"
        return f"unknown key; {fix}"
    if kind == "too_short":
        return _too_short(model, loc, ctx)
    if kind == "string_pattern_mismatch":
        return _mismatch(ctx["pattern"], str(given))
    if kind == "string_too_short":
        return "must not be empty"
    if given is None and wanted and (kind.endswith("_type") or kind.endswith("_parsing")) and loc:
        return f"is empty; give {wanted}"
    if kind in ("literal_error", "enum") and given is None:
        return f"is empty; give {ctx.get('expected', 'a value')}"
    if kind in _QUOTABLE:
        return _quoted(model, loc, given, _QUOTABLE[kind]) or f"must be {wanted}, not {seen}"
    if kind == "string_type":
        quote = "; quote it to keep it as text" if isinstance(given, bool | int | float) else ""
        return f"must be text, not {seen}{quote}"
    if kind in ("model_type", "dict_type") and not loc:  # an empty file, a list, text...
        keys = ", ".join(f"'{key}:'" for key in _keys(model))
        return f"the file must hold a mapping (key: value pairs) at the top level, with {keys}"
    if kind in ("model_type", "dict_type"):
        return f"must be a mapping (key: value pairs), not {seen}; see docs/knowledge-base.md for its keys"
    if kind == "list_type":
        return f"must be a list, not {seen}; write [a, b], or one '- ' item per line below the key"
    if kind == "greater_than_equal":
        return f"must be {_amount(ctx['ge'])} or more, not {seen}"
    if kind == "less_than_equal":
        return f"must be {_amount(ctx['le'])} or less, not {seen}{_why_most(model, loc)}"
    if kind == "finite_number":
        return f"must be a finite number, not {seen}"
    message = text.removeprefix("Value error, ").replace("Input should be", "must be")
    if kind in ("literal_error", "enum"):
        message += f", not {seen}"
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        close = difflib.get_close_matches(given, choices, n=1) if isinstance(given, str) else []
        message += f" — did you mean '{close[0]}'?" if close else ""
    elif kind.startswith(("less_than", "greater_than")):
        message += f", not {seen}"
    return message


def _amount(bound: float) -> str:
    """A bound as a person reads it: 1,000,000, not 1000000."""
    from skinrec.knowledge import whole

    return f"{whole(bound):,}"


def _why_most(model: Any, loc: tuple[str | int, ...]) -> str:
    """Why a value may be no more than it may: the description its type gives (which the published schema shows
    too), for a list's item its item type's."""
    import typing

    from pydantic.fields import FieldInfo

    item = bool(loc) and isinstance(loc[-1], int)
    place = loc[:-1] if item else loc
    field = _fields_at(model, place[:-1]).get(str(place[-1])) if place else None
    if field is None:
        return ""
    infos = [field]
    if item:
        args = typing.get_args(field.annotation)
        infos = [info for info in getattr(args[0], "__metadata__", ()) if isinstance(info, FieldInfo)] if args else []
    why = next((info.description for info in infos if info.description), None)
    return f"; {why}" if why else ""
