"""Command-line options shared by several commands, defined once so they read and complete the same everywhere.

Only Typer is imported here (and the light `Format` enum), so defining a command costs nothing at start-up.
"""

# No `from __future__ import annotations` in command modules: Typer evaluates string annotations on every
# run (see app.py).

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from skinrec.cli import complete
from skinrec.cli.output import FORMAT_ALIASES, Format

if TYPE_CHECKING:
    from skinrec.knowledge import KnowledgeBase

T = TypeVar("T")


def parse_format(text: str) -> Format:
    """An output format in any case, or `md` for Markdown, as `-o report.md` already means: Typer would refuse
    the alias, so the option is parsed here."""
    word = text.strip().lower()
    try:
        return Format(FORMAT_ALIASES.get(word, word))
    except ValueError:
        from skinrec.profile import shown  # here, not at the top: only a wrong format needs it

        raise typer.BadParameter(f"{shown(text)} is not one of 'table', 'json', 'markdown' (or 'md').") from None


FORMATS = "table|json|markdown"
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output format.", parser=parse_format, metavar=FORMATS)
]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="No colour, even on a terminal (also $NO_COLOR).")]

ConcernOption = Annotated[
    list[str] | None,
    typer.Option(
        "--concern",
        "-c",
        metavar="ID",
        help="A concern to treat (id, label or synonym); repeat it, most important first.",
        autocompletion=complete.concerns,
    ),
]
DowntimeOption = Annotated[
    str | None,
    typer.Option("--downtime", "-d", metavar="DAYS", help="Days of downtime you can take (default: no limit)."),
]
BudgetOption = Annotated[
    str | None, typer.Option("--budget", "-b", metavar="USD", help="Budget in USD (default: no limit).")
]
BudgetPerOption = Annotated[
    str | None,
    typer.Option(
        "--budget-per",
        help="Whether the budget is for the whole course (the default) or per session.",
        metavar="course|session",
    ),
]
SkinTypeOption = Annotated[
    str | None,
    typer.Option("--skin-type", "-s", metavar="I..VI", help="Fitzpatrick skin type I-VI (1-6 also accepted)."),
]
ConditionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--condition",
        "-x",
        metavar="ID",
        help="A condition that applies to you (see 'skinrec conditions'); repeatable.",
        autocompletion=complete.conditions,
    ),
]
# Shortcuts for the commonest conditions (`--pregnant` for `--condition pregnant`); see `shortcut_conditions`.
PregnantOption = Annotated[bool, typer.Option("--pregnant", help="Shortcut for --condition pregnant.")]
BreastfeedingOption = Annotated[bool, typer.Option("--breastfeeding", help="Shortcut for --condition breastfeeding.")]
ActiveAcneOption = Annotated[bool, typer.Option("--active-acne", help="Shortcut for --condition active_acne.")]
BloodThinnersOption = Annotated[bool, typer.Option("--blood-thinners", help="Shortcut for --condition blood_thinners.")]


def shortcut_conditions(
    kb: "KnowledgeBase", pregnant: bool, breastfeeding: bool, active_acne: bool, blood_thinners: bool
) -> list[str]:
    """The condition ids the shortcut flags given stand for: each is `-x` with its word (`--pregnant` is `-x
    pregnant`), found by id, label or synonym as `-x` finds it. A `--kb` base may name no condition so: then the
    error names the flag that was typed, not the --condition it stands for."""
    from skinrec.profile import parse_condition

    named = (
        ("--pregnant", "pregnant", pregnant),
        ("--breastfeeding", "breastfeeding", breastfeeding),
        ("--active-acne", "active_acne", active_acne),
        ("--blood-thinners", "blood_thinners", blood_thinners),
    )
    found = []
    for flag, word, on in named:
        if not on:
            continue
        try:
            found.append(parse_condition(kb, word))
        except ValueError:
            from skinrec.errors import UsageError

            raise UsageError(
                f"{flag} stands for the condition '{word}', which this knowledge base does not name; give one of"
                " its conditions with --condition instead ('skinrec conditions', with the same --kb, lists them)"
            ) from None
    return found


def folder_parser(name: str) -> Callable[[str], Path]:
    """The parser of a knowledge-base folder given as `name` (DIR, --kb), for its messages to name what was typed:
    an empty name is refused, where Path('') would be the working folder ('.'); whether the folder holds a
    knowledge base is for the loader to say (and exit 1 for), as it does of $SKINREC_KB."""

    def folder(value: str) -> Path:
        from skinrec.errors import UsageError, nul_in_path

        if value == "":
            raise UsageError(f"{name} needs a folder name; leave it out for $SKINREC_KB or the shipped knowledge base")
        if "\x00" in value:
            raise nul_in_path(value, "a knowledge-base folder")
        return Path(value)

    return folder


KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        metavar="DIR",
        help="Knowledge-base folder to use instead of the shipped one (also $SKINREC_KB).",
        show_default=False,
        parser=folder_parser("--kb"),
    ),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Re-validate the knowledge base instead of using the cache.")
]

SettingOption = Annotated[
    str | None, typer.Option("--setting", help="Where treatment happens (default: any).", metavar="any|clinic|home")
]
ProfileOption = Annotated[
    # A list only to see a second --profile, which `one_profile` refuses; text, not Path, because Path('') is
    # '.', and an empty name would then be read as the working folder. The reader checks the file itself: Click's
    # check is a usage error (exit 2) naming no fix, where the reader's is one line, exit 1.
    list[str] | None,
    typer.Option(
        "--profile",
        "-p",
        metavar="FILE",
        help="A YAML or JSON profile file ('-' reads stdin); flags override its values.",
    ),
]


def given_once(values: list[T] | None, flag: str, fix: str) -> T | None:
    """The value of an option that takes one, if given. A repeated one is refused: Click would keep only the last,
    silently dropping the first (a profile file's pregnancy; the report `-o r.json` was to write)."""
    if values and len(values) > 1:
        from skinrec.errors import UsageError

        raise UsageError(f"{flag} is given {len(values)} times; {fix}")
    return values[0] if values else None


def one_profile(files: list[str] | None) -> Path | None:
    """The --profile given, if any; a second is refused (`given_once`), where flags add to a file's conditions
    and never drop them."""
    from skinrec.errors import UsageError

    name = given_once(files, "--profile", "give one profile file, and flags to add to or change it")
    if name == "":
        raise UsageError("--profile needs a file name (or '-' for stdin)")
    if name is not None and "\x00" in name:
        from skinrec.errors import nul_in_path

        raise nul_in_path(name, "a profile file's name")
    return Path(name) if name is not None else None
