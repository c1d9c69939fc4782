"""The `skinrec` command: the Typer app, its commands, and the one place errors become exit codes.

Each command lives in its own module, which imports only Typer at module level; the engine, Rich, pydantic
and YAML are imported inside the command that needs them. `skinrec --help` and a cached `recommend` therefore
load no more than they use (see the performance section of the README).

The command modules do without `from __future__ import annotations`: Typer reads every command's signature on
every run, evaluating string annotations twice (compiling each), which cost `skinrec --help` a twentieth of its
time; real annotations are made once, at import.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
import typer.core

from skinrec import __version__
from skinrec.cli import batch_cmd, browse_cmd, kb_cmd, recommend_cmd, schema_cmd


class _ReaderLeft(Exception):
    """Stdout's reader went away (`skinrec ... | head -1`) while a command was writing."""


class _Group(typer.core.TyperGroup):
    """The top-level command group, which hands a broken pipe to `main` as `_ReaderLeft`: Typer would end it
    with exit 1, while one found when `main` flushes ends with 0, and the same event should end the same way."""

    def invoke(self, ctx: Any) -> object:  # Any: the Context it gets is vendored click's, not typer.Context
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            raise _ReaderLeft from None


app = typer.Typer(
    name="skinrec",
    cls=_Group,
    help="Rule-based skin-treatment recommendations: ranked, explained and sourced.\n\n"
    "Example: skinrec recommend -c acne_scars -d 3 --skin-type IV",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"skinrec {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Rule-based skin-treatment recommendations: ranked, explained and sourced.

    Example: skinrec recommend -c acne_scars -d 3 --skin-type IV
    """


app.command(name="recommend")(recommend_cmd.recommend)
app.command(name="batch")(batch_cmd.batch)
app.command(name="treatments")(browse_cmd.treatments)
app.command(name="show")(browse_cmd.show)
app.command(name="compare")(browse_cmd.compare)
app.command(name="concerns")(browse_cmd.concerns)
app.command(name="conditions")(browse_cmd.conditions)
app.command(name="rule")(browse_cmd.rule)
kb_cmd.rules_app.callback(invoke_without_command=True)(browse_cmd.rules)
app.add_typer(kb_cmd.kb_app, name="kb")
app.add_typer(kb_cmd.rules_app, name="rules")
app.add_typer(schema_cmd.schema_app, name="schema")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; every error ends as one line on stderr with exit 2 (usage) or 1 (data), never a traceback,
    and Ctrl-C (which Typer turns into exit 130, quietly) with one line saying the run stopped.

    Bare `skinrec` starts the questionnaire on a terminal (most people meet skinrec that way) and prints the
    help anywhere else, where nobody could answer.
    """
    from skinrec.cli.output import on_terminal
    from skinrec.errors import STOPPED, SkinrecError

    args = sys.argv[1:] if argv is None else argv
    if not args:
        args = ["recommend", "--interactive"] if on_terminal() else ["--help"]
    try:
        code = app(args=args, prog_name="skinrec", standalone_mode=False)
    except SkinrecError as exc:
        _fail(exc.message, exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        code = STOPPED
    except (BrokenPipeError, _ReaderLeft):
        _quiet_broken_pipe()
    except OSError as exc:  # a file-system refusal no command foresaw: still one line, not a traceback
        where = f" at '{exc.filename}'" if exc.filename else ""
        _fail(f"{exc.strerror or exc}{where}; check the path and its permissions", 1)
    except typer.TyperException as exc:  # click's usage errors (unknown option, bad value, missing argument)
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        ctx = getattr(exc, "ctx", None)
        where = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
        _fail(" ".join(message.split()) + where, getattr(exc, "exit_code", 2))
    _flush_stdout()
    if code == STOPPED:
        print("skinrec: stopped", file=sys.stderr)
    sys.exit(code if isinstance(code, int) else 0)


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()


def _quiet_broken_pipe() -> None:
    """`skinrec ... | head -1`: the reader left; end quietly, as a Unix filter does."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


def _fail(message: str, code: int) -> None:
    _flush_stdout()
    print(f"skinrec: error: {message}", file=sys.stderr)
    sys.exit(code)
