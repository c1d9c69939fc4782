"""`skinrec treatments|show|compare|concerns|conditions|rules|rule`: browsing what the knowledge base knows.

Each command builds one document (browse.py) and prints it as a table, as Markdown, or as that very document
in JSON, so the three formats always agree.
"""

# No `from __future__ import annotations` in command modules: Typer evaluates string annotations on every
# run (see app.py).

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from skinrec.cli import complete
from skinrec.cli import options as opt
from skinrec.cli.options import KbOption, NoCacheOption
from skinrec.cli.output import Format

if TYPE_CHECKING:
    from skinrec.browse import Doc
    from skinrec.sheet import Sheet


def _print(fmt: Format, no_color: bool, doc: "Doc", sheet: "Callable[[Doc], Sheet]") -> None:
    """The document as JSON, or its sheet as Markdown or a table."""
    from skinrec.cli.output import emit

    if fmt is Format.json:
        from skinrec.export import dumps

        emit(dumps(doc), None)
    elif fmt is Format.markdown:
        from skinrec.sheet import sheet_markdown

        emit(sheet_markdown(sheet(doc)), None)
    else:
        from skinrec.cli.output import print_rich
        from skinrec.render_sheet import render_sheet

        print_rich(lambda console: render_sheet(console, sheet(doc)), no_color=no_color)


def show(
    treatment: Annotated[
        str,
        typer.Argument(
            help="A treatment id or name (see 'skinrec treatments').",
            autocompletion=complete.treatments,
            show_default=False,
        ),
    ],
    fmt: opt.FormatOption = Format.table,
    no_color: opt.NoColorOption = False,
    kb: KbOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Show one treatment's full card: how it works, efficacy, logistics, contraindications, care and sources.

    Example: skinrec show microneedling
    """
    from skinrec.browse import find_treatment, treatment_doc
    from skinrec.browse_sheets import treatment_sheet
    from skinrec.loader import load_kb

    knowledge = load_kb(kb, use_cache=not no_cache)
    _print(fmt, no_color, treatment_doc(knowledge, find_treatment(knowledge, treatment)), treatment_sheet)


def compare(
    treatments: Annotated[
        list[str],
        typer.Argument(
            help="Two or more treatment ids or names.", autocompletion=complete.treatments, show_default=False
        ),
    ],
    concern: opt.ConcernOption = None,
    downtime: opt.DowntimeOption = None,
    budget: opt.BudgetOption = None,
    budget_per: opt.BudgetPerOption = None,
    skin_type: opt.SkinTypeOption = None,
    condition: opt.ConditionOption = None,
    pregnant: opt.PregnantOption = False,
    breastfeeding: opt.BreastfeedingOption = False,
    active_acne: opt.ActiveAcneOption = False,
    blood_thinners: opt.BloodThinnersOption = False,
    setting: opt.SettingOption = None,
    profile: opt.ProfileOption = None,
    fmt: opt.FormatOption = Format.table,
    no_color: opt.NoColorOption = False,
    kb: KbOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Compare treatments side by side; with a profile (flags or --profile), mark what it rules out and why.

    Example: skinrec compare microneedling laser_ablative -s V --condition keloids
    """
    from dataclasses import replace

    from skinrec import engine
    from skinrec.browse import compare_doc, find_treatment
    from skinrec.browse_sheets import compare_sheet
    from skinrec.cli.profile_input import ProfileFlags, build_profile
    from skinrec.errors import UsageError
    from skinrec.loader import load_kb
    from skinrec.wording import Origin, profile_line

    knowledge = load_kb(kb, use_cache=not no_cache)
    chosen = list({t.id: t for t in (find_treatment(knowledge, text) for text in treatments)}.values())
    if len(chosen) < 2:
        raise UsageError(
            "compare needs two or more different treatments, e.g. 'skinrec compare microneedling laser_ablative'"
        )
    conditions = [
        *(condition or []),
        *opt.shortcut_conditions(knowledge, pregnant, breastfeeding, active_acne, blood_thinners),
    ]
    flags = ProfileFlags(concern or [], downtime, budget, budget_per, skin_type, conditions, setting)
    profile_file = opt.one_profile(profile)
    given = profile_file is not None or flags != ProfileFlags()
    person, answered = build_profile(knowledge, flags, profile_file) if given else (None, frozenset[str]())
    result = None
    if person is not None:
        # with no concern named, judge against every concern, so each treatment is relevant and only the
        # contraindications and limits decide
        asked = person if person.concerns else replace(person, concerns=tuple(knowledge.concerns))
        result = engine.recommend(asked, knowledge)
    origin: Origin = "flag" if profile_file is None else "file"  # where to add a condition, if not screened
    doc = compare_doc(knowledge, chosen, person, result, "conditions" in answered, origin=origin)
    profile_text = profile_line(knowledge, person) if person is not None else None
    _print(fmt, no_color, doc, lambda d: compare_sheet(d, profile_text))


def _listing(kind: str, fmt: Format, no_color: bool, kb: Path | None, no_cache: bool) -> None:
    """Print a listing of the whole knowledge base: `browse.<kind>_doc`, drawn by `browse_sheets.<kind>_sheet`
    (looked up by name so that neither module is imported before a command runs)."""
    from skinrec import browse, browse_sheets
    from skinrec.loader import load_kb

    doc = getattr(browse, f"{kind}_doc")(load_kb(kb, use_cache=not no_cache))
    _print(fmt, no_color, doc, getattr(browse_sheets, f"{kind}_sheet"))


def _listing_command(kind: str, help_text: str) -> Callable[..., None]:
    """A command that prints the `kind` listing, with `help_text` (description, then example) as its help."""

    def command(
        fmt: opt.FormatOption = Format.table,
        no_color: opt.NoColorOption = False,
        kb: KbOption = None,
        no_cache: NoCacheOption = False,
    ) -> None:
        _listing(kind, fmt, no_color, kb, no_cache)

    command.__doc__ = help_text
    return command


treatments = _listing_command(
    "treatments",
    """List every treatment: setting, downtime, sessions, cost per session and the concerns it treats best.

    Example: skinrec treatments -f markdown
    """,
)
concerns = _listing_command(
    "concerns",
    """List the concerns skinrec can treat, the names it understands for each, and the treatments that help.

    Example: skinrec concerns -f json
    """,
)
conditions = _listing_command(
    "conditions",
    """List the health and skin conditions skinrec screens for, with each screening question and its rules.

    Example: skinrec conditions -f markdown
    """,
)


def rules(
    ctx: typer.Context,
    fmt: opt.FormatOption = Format.table,
    no_color: opt.NoColorOption = False,
    kb: KbOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """List the contraindication rules: when each fires and what it applies to (or run a subcommand).

    Example: skinrec rules -f json
    """
    if ctx.invoked_subcommand is None:
        _listing("rules", fmt, no_color, kb, no_cache)
        return
    # `skinrec rules --kb DIR check` must check DIR, not quietly the shipped knowledge base: the subcommand
    # takes the group's knowledge-base options unless it was given its own.
    if fmt is not Format.table or no_color:
        from skinrec.errors import UsageError

        raise UsageError(f"--format and --no-color apply to the rule list, not to 'rules {ctx.invoked_subcommand}'")
    ctx.obj = {"kb": kb, "no_cache": no_cache}


def rule(
    rule_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="A rule id (see 'skinrec rules').", autocompletion=complete.rules, show_default=False
        ),
    ],
    fmt: opt.FormatOption = Format.table,
    no_color: opt.NoColorOption = False,
    kb: KbOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Explain one rule: its message, why it exists, when it fires, what it applies to, its sources and file.

    Example: skinrec rule bleeding-exclude
    """
    from skinrec.browse import find_rule, rule_doc
    from skinrec.browse_sheets import rule_sheet
    from skinrec.loader import load_kb

    knowledge = load_kb(kb, use_cache=not no_cache)
    _print(fmt, no_color, rule_doc(knowledge, find_rule(knowledge, rule_id)), rule_sheet)
