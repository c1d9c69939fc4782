"""`skinrec recommend`: a profile from flags and/or a profile file in, a ranked explained answer out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from skinrec.cli.output import Format

KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb", help="Knowledge-base folder to use instead of the shipped one (also $SKINREC_KB).", show_default=False
    ),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Re-validate the knowledge base instead of using the cache.")
]


def recommend(
    concern: Annotated[
        list[str] | None,
        typer.Option(
            "--concern", "-c", help="A concern to treat (id, label or synonym); repeat it, most important first."
        ),
    ] = None,
    downtime: Annotated[
        str | None, typer.Option("--downtime", "-d", help="Days of downtime you can take (default: no limit).")
    ] = None,
    budget: Annotated[str | None, typer.Option("--budget", "-b", help="Budget in USD (default: no limit).")] = None,
    budget_per: Annotated[
        str | None,
        typer.Option(
            "--budget-per", help="Whether the budget is for the whole course or per session.", metavar="course|session"
        ),
    ] = None,
    skin_type: Annotated[
        str | None, typer.Option("--skin-type", "-s", help="Fitzpatrick skin type I-VI (1-6 also accepted).")
    ] = None,
    condition: Annotated[
        list[str] | None,
        typer.Option(
            "--condition", "-x", help="A condition that applies to you (see 'skinrec conditions'); repeatable."
        ),
    ] = None,
    pregnant: Annotated[bool, typer.Option("--pregnant", help="Shortcut for --condition pregnant.")] = False,
    breastfeeding: Annotated[
        bool, typer.Option("--breastfeeding", help="Shortcut for --condition breastfeeding.")
    ] = False,
    active_acne: Annotated[bool, typer.Option("--active-acne", help="Shortcut for --condition active_acne.")] = False,
    blood_thinners: Annotated[
        bool, typer.Option("--blood-thinners", help="Shortcut for --condition blood_thinners.")
    ] = False,
    setting: Annotated[
        str | None, typer.Option("--setting", help="Where treatment happens.", metavar="any|clinic|home")
    ] = None,
    profile: Annotated[
        Path | None, typer.Option("--profile", "-p", help="A YAML or JSON profile file; flags override its values.")
    ] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=0, help="Show at most N recommendations (0 = all).")] = 10,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE (atomically) instead of stdout.")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Also show every rule considered and the facts it read.")
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour, even on a terminal (also $NO_COLOR).")
    ] = False,
    kb: KbOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Rank the treatments that fit a profile, say why, and list what was ruled out and why.

    Example: skinrec recommend -c acne_scars -c fine_lines -d 3 -b 1500 -s IV --blood-thinners
    """
    from skinrec import engine
    from skinrec.atomic import check_writable
    from skinrec.cli.profile_input import ProfileFlags, build_profile
    from skinrec.loader import load_kb

    knowledge = load_kb(kb, use_cache=not no_cache)
    if output is not None:
        check_writable(output)
    flags = ProfileFlags(
        concerns=concern or [],
        downtime=downtime,
        budget=budget,
        budget_per=budget_per,
        skin_type=skin_type,
        conditions=[*(condition or [])]
        + [
            name
            for name, on in (
                ("pregnant", pregnant),
                ("breastfeeding", breastfeeding),
                ("active_acne", active_acne),
                ("blood_thinners", blood_thinners),
            )
            if on
        ],
        setting=setting,
    )
    person = build_profile(knowledge, flags, profile)
    if not person.concerns:
        from skinrec.errors import UsageError

        where = "" if sys.stdin.isatty() else " (stdin is not a terminal, so skinrec will not ask)"
        raise UsageError(f"no concerns given{where}; pass --concern ID (repeatable) or --profile FILE")
    result = engine.recommend(person, knowledge)
    limit = top or None
    from skinrec.cli.output import emit

    if fmt is Format.json:
        from skinrec.export import dumps, result_document, rule_checks

        doc = result_document(knowledge, result, limit)
        if explain:
            doc["explain"] = rule_checks(knowledge, result.profile)
        emit(dumps(doc), output)
    elif fmt is Format.markdown:
        from skinrec.render_markdown import render_markdown

        emit(render_markdown(knowledge, result, limit, explain=explain), output)
    else:
        from skinrec.cli.output import make_console
        from skinrec.render_table import render_table

        console = make_console(no_color=no_color, capture=output is not None)
        render_table(console, knowledge, result, limit, explain)
        if output is not None:
            emit(console.export_text(), output)
