"""Running the real CLI entry point in-process, exactly as a person's shell would (exit codes included)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from skinrec.cli.app import main
from skinrec.loader import shipped_kb_dir, validate_kb


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def cli(*argv: str, input: str | None = None, env: Mapping[str, str | None] | None = None) -> Run:
    """Call `skinrec ARGV...` through `main`, which owns error handling and exit codes."""
    runner = CliRunner()
    with runner.isolation(input=input, env=env) as (out, err, _):
        try:
            main(list(argv))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        sys.stdout.flush()
        sys.stderr.flush()
        return Run(code, out.getvalue().decode(), err.getvalue().decode())


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group under the (click) `command`, with the words that invoke it. Asked for by name,
    as a command line would, so the top-level group builds each command it has not built yet (app.py); the
    groups here read no context, hence `None`."""
    yield path, command
    if hasattr(command, "list_commands"):
        for name in sorted(command.list_commands(None)):
            yield from walk(command.get_command(None, name), (*path, name))


def copy_kb(root: Path) -> Path:
    """A copy of the shipped knowledge base at `root`, for a test to edit or break."""
    for part in ("data", "rules"):
        shutil.copytree(shipped_kb_dir() / part, root / part)
    return root


def edit(root: Path, rel: str, old: str, new: str) -> int:
    """Replace the first `old` in a knowledge-base file; returns the 1-based line where it starts."""
    path = root / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1


def problems(root: Path) -> list[str]:
    """Every problem `kb validate` finds in the knowledge base at `root`, by the function it calls; each named
    from the base (`data/treatments.yaml:404:5: ...`), where `kb validate` names it from the working directory
    (`Problem.under`)."""
    return [str(p) for p in validate_kb(root)[1]]
