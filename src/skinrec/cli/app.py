"""The `skinrec` command: the Typer app, its commands, and the one place errors become exit codes.

Each command lives in its own module, which imports only Typer at module level; the engine, Rich, pydantic
and YAML are imported inside the command that needs them. The top-level group goes one step further: it
imports a command's module, and has Typer build the command from its signature, only when that command runs
(`COMMANDS`). `skinrec --help` therefore builds no command at all, and a cached `recommend` builds one of
eleven (see the performance section of the README).

The command modules do without `from __future__ import annotations`: Typer reads a command's signature each
time it builds the command, evaluating string annotations twice (compiling each), which cost `skinrec --help` a
twentieth of its time when it built them all; real annotations are made once, at import.
"""

from __future__ import annotations

import inspect
import itertools
import os
import sys
from typing import Any

import typer
import typer.core
import typer.main

from skinrec import __version__

# Pydantic's words in Typer's value errors, and ours.
PYDANTIC_WORDS = (
    ("Value error, ", ""),
    ("Input should be a valid integer, unable to parse string as an integer", "give a whole number, such as 3"),
    ("Input should be greater than or equal to ", "give a number no lower than "),
    ("Input should be less than or equal to ", "give a number no higher than "),
)
# Typer's completion options, which detect the shell they run from: a shell named after one was ignored, so
# `--install-completion fish` run from bash installed bash's completion and said so in passing.
# (Typer takes a shell name there only with shell detection turned off, by a variable its own tests set.)
COMPLETION_OPTIONS = ("--install-completion", "--show-completion")
SHELL_DETECTION_OFF = "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")  # the shells Typer completes for (its `Shells`)
# Set (to anything but "" or "0") to see an unforeseen error's traceback instead of its one line.
DEBUG_VARIABLE = "SKINREC_DEBUG"

# The top-level commands, in the order `--help` lists them: the module under skinrec.cli that holds each, the
# function (or Typer group) there, and the line `--help` shows for it, which is the first paragraph of the
# command's own help (a test keeps the two the same).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "recommend": (
        "recommend_cmd",
        "recommend",
        "Rank the treatments that fit a profile, say why, and list what was ruled out and why.",
    ),
    "batch": (
        "batch_cmd",
        "batch",
        "Score many profiles at once: one profile per input line, one result document per output line.",
    ),
    "treatments": (
        "browse_cmd",
        "treatments",
        "List every treatment: setting, downtime, sessions, cost per session and the concerns it treats best.",
    ),
    "show": (
        "browse_cmd",
        "show",
        "Show one treatment's full card: how it works, efficacy, logistics, contraindications, care and sources.",
    ),
    "compare": (
        "browse_cmd",
        "compare",
        "Compare treatments side by side; with a profile (flags or --profile), mark what it rules out and why.",
    ),
    "concerns": (
        "browse_cmd",
        "concerns",
        "List the concerns skinrec can treat, the names it understands for each, and the treatments that help.",
    ),
    "conditions": (
        "browse_cmd",
        "conditions",
        "List the health and skin conditions skinrec screens for, with each screening question and its rules.",
    ),
    "rule": (
        "browse_cmd",
        "rule",
        "Explain one rule: its message, why it exists, when it fires, what it applies to, its sources and file.",
    ),
    "kb": ("kb_cmd", "kb_app", "Start, check and describe a knowledge base (the YAML under data/ and rules/)."),
    "rules": (
        "kb_cmd",
        "rules_app",
        "List the contraindication rules: when each fires and what it applies to (or run a subcommand).",
    ),
    "schema": ("schema_cmd", "schema_app", "Print JSON Schemas of skinrec's output documents."),
}


class _ReaderLeft(Exception):
    """Stdout's reader went away (`skinrec ... | head -1`) while a command was writing."""


class _Unbuilt(typer.core.TyperCommand):
    """A command not built yet: its name and the line the help listing shows, and nothing else."""


def _build(name: str) -> Any:  # Any: a command of the click that Typer vendors
    """Import the module of command `name` and have Typer build the command from it."""
    from importlib import import_module

    module, attribute, _ = COMMANDS[name]
    target = getattr(import_module(f"skinrec.cli.{module}"), attribute)
    if isinstance(target, typer.Typer):
        command: Any = typer.main.get_group(target)
    else:
        alone = typer.Typer(add_completion=False)  # completion is the top-level command's
        alone.command(name=name)(target)
        command = typer.main.get_command(alone)
    command.name = name
    _reflow(command)
    return command


def _reflow(command: Any) -> None:
    """Join the lines of each paragraph of a command's help (and its subcommands'), so the help wraps at the
    terminal's width: Typer 0.29 keeps a docstring's line breaks, and breaks its sentences mid-line."""
    if command.help:
        paragraphs = inspect.cleandoc(command.help).split("\n\n")
        command.help = "\n\n".join(" ".join(paragraph.split()) for paragraph in paragraphs)
    for sub in getattr(command, "commands", {}).values():
        _reflow(sub)


_TYPER_LABEL = typer.core.TyperOption.display_type_rich


def _option_label(option: Any, ctx: Any) -> str | None:
    """What help shows beside an option: its metavar (DAYS, FILE...), and nothing for a flag. Typer 0.29 labels
    every flag `<bool>`, as if it took a value (`--pregnant true` is an error), --help and --version too."""
    return None if option.is_flag else _TYPER_LABEL(option, ctx)


def _argument_label(argument: Any, ctx: Any) -> None:
    """Nothing beside an argument: its name (IN.jsonl, ID) says what it is, where Typer 0.29 adds its Python
    type (`<str>`, `<list[str]>`)."""


# Methods of Typer's own classes, replaced here because Typer builds every parameter itself (setattr: mypy
# rightly objects to assigning to a method, and this is the one place that does).
setattr(typer.core.TyperOption, "display_type_rich", _option_label)  # noqa: B010
setattr(typer.core.TyperArgument, "display_type_rich", _argument_label)  # noqa: B010


class _Group(typer.core.TyperGroup):
    """The top-level command group. It builds each command the first time it is asked for it, except while
    rendering its own help, which needs only the names and lines in `COMMANDS`. It also hands a broken pipe to
    `main` as `_ReaderLeft`: Typer would end it with exit 1, while one found when `main` flushes ends with 0,
    and the same event should end the same way."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.listing = False
        for name, (_, _, line) in COMMANDS.items():  # known by name at once: for "did you mean" and completion
            self.commands.setdefault(name, _Unbuilt(name=name, help=line))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:  # Any: vendored click's Context and Command
        command = self.commands.get(cmd_name)
        if isinstance(command, _Unbuilt) and not self.listing:
            command = self.commands[cmd_name] = _build(cmd_name)
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False

    def invoke(self, ctx: Any) -> object:
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


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; every error ends as one line on stderr with exit 2 (usage) or 1 (data), never a traceback,
    and Ctrl-C (which Typer turns into exit 130, quietly) with one line saying the run stopped.

    An error nothing foresaw is one line too, naming its type and asking for a report, since a traceback helps
    only the developers; they set SKINREC_DEBUG=1 to get it (tests that only look for "Traceback" would
    otherwise let a bug pass: the fuzzing tests look for "internal error" too).
    Running out of memory is the person's to fix (a container's limit, `ulimit -v`), and is said so.

    Bare `skinrec` starts the questionnaire on a terminal (most people meet skinrec that way) and prints the
    help anywhere else, where nobody could answer.

    The command runs with the cyclic garbage collector paused (gcpause.py says why the engine and batch mode
    do the same): a run makes no reference cycles worth collecting, everything it drops is freed as it goes,
    and once a large knowledge base is loaded each of the collector's full passes walks all of it for nothing
    (two or three of them cost a cached 10,000-treatment `recommend` about 25 ms, a tenth of its time).
    """
    from skinrec.cli.output import on_terminal, settle_encodings, settle_width, whole_stdout
    from skinrec.errors import STOPPED, SkinrecError
    from skinrec.gcpause import gc_paused

    settle_encodings()
    settle_width()
    whole_stdout()
    args = sys.argv[1:] if argv is None else argv
    if not args:
        args = ["recommend", "--interactive"] if on_terminal() else ["--help"]
    if (
        args[0] in COMPLETION_OPTIONS
        and len(args) > 1
        and not args[1].startswith("-")
        and not os.environ.get(SHELL_DETECTION_OFF)
    ):  # an option after it (--help) is Typer's to read
        _fail(
            f"{args[0]} takes no {'shell name' if args[1].lower() in SHELLS else 'word after it'} ('{args[1]}'): it "
            "works out the shell it is run from (bash, zsh, fish or PowerShell); run it from that shell, with "
            "nothing after it",
            2,
        )
    try:
        with gc_paused():  # see `main`'s docstring
            code = app(args=args, prog_name="skinrec", standalone_mode=False)
    except SkinrecError as exc:
        _fail(exc.message, exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        code = STOPPED
    except (BrokenPipeError, _ReaderLeft):
        _quiet_broken_pipe()
    except SystemExit as exc:
        if isinstance(exc.__context__, BrokenPipeError):  # Rich (drawing Typer's help) ends a broken pipe with 1
            _quiet_broken_pipe()
        raise
    except OSError as exc:  # a file-system refusal no command foresaw: still one line, not a traceback
        if not exc.filename:  # no file named: the output stream refused (`> /dev/full`), with no path to check
            _output_refused(exc)
        _fail(f"{exc.strerror or exc} at '{exc.filename}'; check the path and its permissions", 1)
    except MemoryError:
        _fail("out of memory; allow skinrec more (a container's memory limit, ulimit -v), or give it less input", 1)
    except typer.TyperException as exc:  # click's usage errors (unknown option, bad value, missing argument)
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        ctx = getattr(exc, "ctx", None)
        if ctx is not None and type(exc).__name__ == "NoArgsIsHelpError":  # help is printed; name what is lacking
            message = "missing command; choose one of: " + ", ".join(ctx.command.list_commands(ctx))
        # Click's parser refuses a flag with no value before it has a context: the command is then the words
        # before the first option ("kb validate")
        words = list(itertools.takewhile(lambda arg: not arg.startswith("-"), args))
        where = f" (see '{ctx.command_path if ctx is not None else ' '.join(['skinrec', *words])} --help')"
        if ctx is not None and ctx.parent is None and not words:  # `skinrec -i --kb DIR`: recommend's options
            where = _recommend_instead(ctx, getattr(exc, "option_name", None), args) or where
        for pydantic, plain in PYDANTIC_WORDS:  # Typer converts values with pydantic, whose words name no fix
            message = message.replace(pydantic, plain)
        _fail(" ".join(message.split()) + where, getattr(exc, "exit_code", 2))
    except Exception as exc:  # a bug, or a library's refusal nothing here foresaw: see the docstring
        if os.environ.get(DEBUG_VARIABLE, "") not in ("", "0"):
            raise
        what = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        _fail(" ".join(f"internal error: {what}".split()) + "; please report it", 1)
    _flush_stdout()
    if code == STOPPED:
        print("skinrec: stopped", file=sys.stderr)
    sys.exit(code if isinstance(code, int) else 0)


def _recommend_instead(ctx: Any, option: str | None, args: list[str]) -> str:
    """The fix for an option of `recommend` given to bare `skinrec` (which runs the questionnaire without
    options, as `skinrec recommend -i` does with them): the same command line with `recommend` put in."""
    import shlex

    command = ctx.command.get_command(ctx, "recommend")
    if option is None or command is None or not any(option in (*p.opts, *p.secondary_opts) for p in command.params):
        return ""
    return f"; it is an option of 'skinrec recommend': {shlex.join(['skinrec', 'recommend', *args])}"


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
    except OSError as exc:  # what a command wrote is still in the buffer, and would fail again at exit
        _output_refused(exc)


def _output_refused(exc: OSError) -> None:
    """End with one line when standard output refused what was written to it (`> /dev/full`, `>&-`). The text
    it refused is still in its buffer, and Python's last flush at exit would fail on it again, with a second
    message ("Exception ignored"): stdout is pointed at /dev/null first, where that flush succeeds."""
    import contextlib
    import errno

    from skinrec.cli.output import OUTPUT_REFUSED, STDOUT_CLOSED, detach_stdout

    with contextlib.suppress(OSError, ValueError):  # no file descriptor (captured output): nothing to flush at exit
        detach_stdout()
    message = STDOUT_CLOSED if exc.errno == errno.EBADF else f"{exc.strerror or exc}{OUTPUT_REFUSED}"
    print(f"skinrec: error: {message}", file=sys.stderr)
    sys.exit(1)


def _quiet_broken_pipe() -> None:
    """`skinrec ... | head -1`: the reader left; end quietly, as a Unix filter does."""
    from skinrec.cli.output import detach_stdout

    detach_stdout()
    sys.exit(0)


def _fail(message: str, code: int) -> None:
    """End with one line: its control characters escaped, since it may quote a file name or a value as given
    (`-p $'x\\e[2J.yaml'` cleared the screen), and a line that breaks or recolours the terminal says nothing."""
    from skinrec.profile import escaped

    _flush_stdout()
    print(f"skinrec: error: {escaped(message)}", file=sys.stderr)
    sys.exit(code)
