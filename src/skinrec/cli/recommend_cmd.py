"""`skinrec recommend`: a profile from flags and/or a profile file in, a ranked explained answer out."""

# No `from __future__ import annotations` in command modules: Typer evaluates string annotations on every
# run (see app.py).

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from skinrec.cli.options import (
    FORMATS,
    ActiveAcneOption,
    BloodThinnersOption,
    BreastfeedingOption,
    BudgetOption,
    BudgetPerOption,
    ConcernOption,
    ConditionOption,
    DowntimeOption,
    KbOption,
    NoCacheOption,
    NoColorOption,
    PregnantOption,
    ProfileOption,
    SettingOption,
    SkinTypeOption,
    given_once,
    one_profile,
    parse_format,
    shortcut_conditions,
)
from skinrec.cli.output import STDOUT_CLOSED_UP_FRONT, Format, stdout_closed

if TYPE_CHECKING:
    from skinrec.knowledge import KnowledgeBase
    from skinrec.result import Result
    from skinrec.wording import Origin


def recommend(
    concern: ConcernOption = None,
    downtime: DowntimeOption = None,
    budget: BudgetOption = None,
    budget_per: BudgetPerOption = None,
    skin_type: SkinTypeOption = None,
    condition: ConditionOption = None,
    pregnant: PregnantOption = False,
    breastfeeding: BreastfeedingOption = False,
    active_acne: ActiveAcneOption = False,
    blood_thinners: BloodThinnersOption = False,
    setting: SettingOption = None,
    profile: ProfileOption = None,
    top: Annotated[
        int, typer.Option("--top", "-n", min=0, metavar="N", help="Show at most N recommendations (0 = all).")
    ] = 10,
    # lists only to see a repeated -f or -o, which `given_once` refuses
    formats: Annotated[
        list[Format] | None,
        typer.Option(
            "--format",
            "-f",
            parser=parse_format,
            metavar=FORMATS,
            help="Output format; by default a table, or the format -o's file name says (.json, .md).",
            show_default=False,
        ),
    ] = None,
    outputs: Annotated[
        list[str] | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout ('-' is stdout)."
        ),
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Also say what each rule that fired did, and show every rule considered with the facts it read.",
        ),
    ] = False,
    no_color: NoColorOption = False,
    interactive: Annotated[
        bool,
        typer.Option(
            "--interactive",
            "-i",
            help="Ask for every answer the flags leave out (the default on a terminal when no concern is given).",
        ),
    ] = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask questions; a missing concern is then an error.")
    ] = False,
    kb: KbOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Rank the treatments that fit a profile, say why, and list what was ruled out and why.

    With no concern given on a terminal, or with -i, it asks: concerns, downtime, budget, skin type and the
    safety questions, then offers to save the answers as a profile file and to export the results.

    Example: skinrec recommend -c acne_scars -c fine_lines -d 3 -b 1500 -s IV --blood-thinners
    """
    from skinrec import engine
    from skinrec.atomic import check_writable
    from skinrec.cli.output import on_terminal
    from skinrec.cli.profile_input import ProfileFlags, build_profile
    from skinrec.errors import UsageError
    from skinrec.loader import load_kb

    profile_file = one_profile(profile)
    fmt = given_once(formats, "--format", "give one format, and run skinrec again for another")
    output = given_once(outputs, "--output", "give one file, and run skinrec again for another")
    if interactive and no_input:
        raise UsageError("-i/--interactive and --no-input contradict each other; give one or the other")
    if interactive and profile_file is not None and str(profile_file) == "-":
        raise UsageError("-p - reads the profile from stdin, where -i would ask its questions; save it to a file")
    if output == "":
        raise UsageError("-o needs a file name (or '-' for stdout)")
    target = None if output is None or output == "-" else Path(output)
    knowledge = load_kb(kb, use_cache=not no_cache)
    if output is not None and target is not None:
        # as typed: a trailing '/' names a folder; a folder is answered with a name that keeps -f's format
        example = "result.md" if fmt is Format.markdown else "result.json"
        # what is read: the profile file, or stdin (`-p -`, or -i's answers: `-i -o answers.txt < answers.txt`)
        reading = profile_file if profile_file is not None else ("-" if interactive else None)
        check_writable(output, reading=reading, example=example)
    flags = ProfileFlags(
        concerns=concern or [],
        downtime=downtime,
        budget=budget,
        budget_per=budget_per,
        skin_type=skin_type,
        conditions=[
            *(condition or []),
            *shortcut_conditions(knowledge, pregnant, breastfeeding, active_acne, blood_thinners),
        ],
        setting=setting,
    )
    person, answered = build_profile(knowledge, flags, profile_file)
    asking = interactive or (not person.concerns and not no_input and on_terminal())
    # the results go to stdout (with -o, a copy for the person who answered): a closed one is said before the
    # first question, not after the last answer, and with -o the copy is left out, as nobody could see it
    on_screen = not (asking and stdout_closed())
    if not on_screen and target is None:
        from skinrec.errors import DataError

        raise DataError(STDOUT_CLOSED_UP_FRONT)
    if asking:
        from skinrec.cli.prompting import TerminalIo
        from skinrec.cli.questionnaire import ask_profile, offer_saves

        io = TerminalIo(no_color)
        outcome = "see your results" if on_screen else f"write your results to {target}"
        person = ask_profile(io, knowledge, person, answered, outcome)
    elif not person.concerns and profile_file is not None:
        from skinrec.errors import DataError

        name = "<stdin>" if str(profile_file) == "-" else profile_file
        raise DataError(
            f"{name}: the profile names no concerns; add them to it, e.g. 'concerns: [acne_scars]', or pass --concern ID"
        )
    elif not person.concerns:
        stream = "stdin" if not sys.stdin.isatty() else "stdout"
        reason = "--no-input was given" if no_input else f"{stream} is not a terminal"
        raise UsageError(
            f"no concerns given ({reason}, so skinrec will not ask); pass --concern ID (repeatable) or --profile FILE"
        )
    result = engine.recommend(person, knowledge)
    limit = top or None
    screened = asking or "conditions" in answered  # asked, or a profile file's `conditions:` answered them
    origin: Origin = "flag" if profile_file is None else "file"  # where to add a condition, if not screened

    def show(fmt: Format, target: Path | None) -> None:
        if fmt is Format.table:
            from skinrec.cli.output import print_rich
            from skinrec.render_table import render_table

            print_rich(
                lambda console: render_table(console, knowledge, result, limit, explain, screened, origin=origin),
                no_color=no_color,
                output=target,
            )
        else:
            from skinrec.cli.output import emit

            emit(result_text(knowledge, result, fmt, limit, explain, screened, origin=origin), target)

    if asking and target is not None and on_screen:  # the person who answered sees the results, not only the file
        show(Format.table, None)
    show(fmt or Format.for_file(target), target)
    if asking:
        offer_saves(
            io,
            person,
            lambda chosen: result_text(knowledge, result, chosen, limit, explain, screened, origin=origin),
            target,
            kb,
        )


def result_text(
    knowledge: "KnowledgeBase",
    result: "Result",
    fmt: Format,
    limit: int | None,
    explain: bool,
    screened: bool,
    *,
    origin: "Origin",
) -> str:
    """The answer as a JSON document or a Markdown report (for stdout, --output, or the questionnaire's export);
    `screened` and `origin` as for `render_table`, with no defaults: a caller that forgot them would drop the
    notices, or word them for -x."""
    if fmt is Format.json:
        from skinrec.export import dumps, result_document, rule_checks

        doc = result_document(knowledge, result, limit, screened, origin=origin)
        if explain:
            doc["explain"] = rule_checks(knowledge, result.profile, screened)
        return dumps(doc)
    from skinrec.render_markdown import render_markdown

    return render_markdown(knowledge, result, limit, explain=explain, screened=screened, origin=origin)
