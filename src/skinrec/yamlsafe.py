"""Safe YAML reading for hand-edited files: positions kept, duplicates refused, hostile input refused fast.

PyYAML's safe loader (its C implementation where installed, several times faster) builds the node tree; we
walk that tree once before constructing Python objects, to

* record where every mapping key and list item starts, so validation errors can point at `file:line:col`;
* refuse duplicate mapping keys, which plain PyYAML silently resolves to the last one (a clinician's typo
  that quietly drops a contraindication is exactly what this loader exists to catch);
* refuse alias bombs ("billion laughs"): the size a document would expand to is computed over the node
  graph with memoisation, so a tiny file that expands to billions of nodes is rejected in microseconds,
  before anything walks the expansion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

# A knowledge base of 10,000 treatments is about 10 MB of YAML; 32 MiB leaves room while refusing a runaway file
# before PyYAML spends seconds on it.
MAX_BYTES = 32 * 1024 * 1024
# Expanded nodes a document may have once aliases are followed (10,000 treatments are ~1.5 million).
MAX_NODES = 5_000_000
MAX_DEPTH = 64
DEEP = f"nested more than {MAX_DEPTH} levels deep; flatten the structure"

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Loc = tuple[str | int, ...]


class YamlError(Exception):
    """A file that is not acceptable YAML; `line`/`col` are 1-based, 0 when the problem has no place."""

    def __init__(self, problem: str, line: int = 0, col: int = 0) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.col = col


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """Parsed data plus the 1-based (line, column) of every mapping key and list item, by path."""

    data: Any
    positions: dict[Loc, tuple[int, int]]

    def where(self, loc: Loc) -> tuple[int, int]:
        """The position of `loc`, or of its nearest ancestor that has one (pydantic may point below a leaf)."""
        for end in range(len(loc), -1, -1):
            pos = self.positions.get(loc[:end])
            if pos is not None:
                return pos
        return (1, 1)


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


def _walk(node: yaml.Node, loc: Loc, positions: dict[Loc, tuple[int, int]]) -> None:
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            positions[(*loc, index)] = _mark(item)
            _walk(item, (*loc, index), positions)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
                continue
            first = seen.get(key.value)
            if first is not None:
                line, col = _mark(first)
                raise YamlError(
                    f"duplicate key '{key.value}' (first defined at line {line}, column {col}); keep only one",
                    *_mark(key),
                )
            seen[key.value] = key
            positions[(*loc, key.value)] = _mark(key)
            _walk(value, (*loc, key.value), positions)


def _unreadable(exc: ValueError) -> str:
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


def load_yaml(text: str) -> YamlDoc:
    """Parse one YAML document safely; raises `YamlError` with a place for anything unacceptable."""
    if len(text) > MAX_BYTES:
        raise YamlError(f"file is {len(text) / 1e6:.0f} MB, above the {MAX_BYTES // 2**20} MiB limit; split it")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {})
        _expanded_size(node, {})
        positions: dict[Loc, tuple[int, int]] = {}
        _walk(node, (), positions)
        try:
            return YamlDoc(loader.construct_document(node), positions)
        except ValueError as exc:  # a scalar no constructor can read: a 5,000-digit number, the 13th month
            raise YamlError(_unreadable(exc), *_unreadable_at(loader, node)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is None:
            raise YamlError(problem) from None
        if "cannot start any token" in problem and text[mark.index : mark.index + 1] == "\t":
            problem = "a tab character; YAML is indented with spaces, never tabs"
        if "maximum nesting depth" in problem:  # libyaml's own limit (newer PyYAML wheels), far beyond ours
            problem = DEEP
        raise YamlError(problem, mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as exc:
        raise YamlError(str(exc).splitlines()[0] if str(exc) else "invalid YAML") from None
    except RecursionError:
        raise YamlError(DEEP) from None
    finally:
        loader.dispose()
