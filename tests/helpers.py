"""Running the real CLI entry point in-process, exactly as a person's shell would (exit codes included)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass

from typer.testing import CliRunner

from skinrec.cli.app import main


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
