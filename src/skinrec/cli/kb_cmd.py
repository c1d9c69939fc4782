"""`skinrec kb init|validate|schema` and `skinrec rules check`: tools for the people who edit the knowledge base."""

# No `from __future__ import annotations` in command modules: Typer evaluates string annotations on every
# run (see app.py).

import sys
from pathlib import Path
from typing import Annotated

import typer

from skinrec.cli import browse_cmd
from skinrec.cli.options import KbOption, NoCacheOption, folder_parser
from skinrec.loader import FIXED_FILES

# Completion is offered once, by the top-level command (app.py builds these groups on their own, when run).
kb_app = typer.Typer(
    help="Start, check and describe a knowledge base (the YAML under data/ and rules/).\n\n"
    "Example: skinrec kb validate ./my-clinic-kb",
    no_args_is_help=True,
    add_completion=False,
)
# `skinrec rules` lists the rules (browse_cmd.rules, whose docstring is the group's help); `rules check` tests them.
rules_app = typer.Typer(callback=browse_cmd.rules, invoke_without_command=True, add_completion=False)


# The knowledge base as an argument, as a newcomer types it right after 'skinrec kb init my-kb': the same as --kb.
FolderArgument = Annotated[
    Path | None,
    typer.Argument(
        metavar="DIR",
        help="Knowledge-base folder; the same as --kb DIR.",
        show_default=False,
        parser=folder_parser("DIR"),
    ),
]


def _one_folder(folder: Path | None, kb: Path | None) -> tuple[Path | None, str]:
    """The folder given as DIR or --kb, and which of them named it, for a message to name what was typed; both
    may be given only when they name the same folder."""
    if folder is not None and kb is not None and folder.resolve() != kb.resolve():
        from skinrec.errors import UsageError

        raise UsageError(f"two knowledge bases given, '{folder}' and --kb '{kb}'; give one of them")
    return (folder, "DIR") if folder is not None else (kb, "--kb")


# Each kind of file `kb schema` describes, and the file(s) of that kind: the fixed files, then the rule files.
SCHEMA_FILES = {**FIXED_FILES, "rules": "rules/*.yaml"}


@kb_app.command("init")
def init(
    directory: Annotated[
        str,
        typer.Argument(
            metavar="DIR",
            help="Folder to create for the new knowledge base (or one with nothing in data/ or rules/).",
            show_default=False,
        ),
    ],
) -> None:
    """Start a knowledge base of your own: copy the shipped one's data/ and rules/ (and its guide) into DIR.

    DIR is created if it does not exist (parents too). Nothing is overwritten: a DIR that already holds anything in
    data/ or rules/ is refused, and a copy that fails midway leaves nothing behind. Then edit the YAML, check it
    with 'skinrec kb validate DIR', and use it with --kb DIR or SKINREC_KB=DIR.

    Example: skinrec kb init ./my-clinic-kb
    """
    import os
    import shlex

    from skinrec.errors import UsageError, nul_in_path

    if directory == "":  # Path('') would be the working folder
        raise UsageError("kb init needs a folder name, e.g. skinrec kb init ./my-clinic-kb")
    if "\x00" in directory:
        raise nul_in_path(directory, "a folder name")
    from skinrec.kb_start import GUIDE, start_kb
    from skinrec.loader import dir_argument
    from skinrec.profile import escaped

    root = Path(directory)
    copied = start_kb(root)
    quoted = escaped(shlex.quote(directory))
    guide = f" (the format: {escaped(str(root / GUIDE))})" if (root / GUIDE).is_file() else ""
    # On stderr, as `kb validate`'s verdict is: it says what was done, and a closed or refusing stdout must not
    # turn a copy that was made into a failure (run again, it would be refused as already there). The variable
    # in full: it is read wherever the next command runs, where a relative folder names another one.
    print(
        f"started knowledge base '{escaped(directory)}': {copied} files copied from the shipped one\n"
        f"next: edit its YAML files{guide}, and check them with\n"
        f"  skinrec kb validate {escaped(dir_argument(directory))}\n"
        f"then use it with --kb, or for every command with $SKINREC_KB:\n"
        f"  skinrec recommend --kb {quoted} -c acne_scars\n"
        f"  export SKINREC_KB={escaped(shlex.quote(os.path.abspath(root)))}",
        file=sys.stderr,
    )


@kb_app.command("validate")
def validate(folder: FolderArgument = None, kb: KbOption = None, no_cache: NoCacheOption = False) -> None:
    """Validate every file of a knowledge base and report every problem as file:line:col: path: message.

    Each file is named from the working directory (DIR/data/treatments.yaml), so a terminal or editor can open it.
    The problems go to stdout, one a line; their count, or the line saying the base is valid, to stderr.

    The rules' embedded test cases are run too (as by 'skinrec rules check'); a failing one is a problem.
    Exits 1 when there is any problem, 0 when the knowledge base is clean. The files are always checked
    themselves; a clean knowledge base is then cached (unless --no-cache) so the next command starts fast.

    Example: skinrec kb validate ./my-clinic-kb
    """
    from skinrec.cli.output import print_findings
    from skinrec.loader import resolve_kb_dir, validate_kb
    from skinrec.wording import count

    root = resolve_kb_dir(*_one_folder(folder, kb))
    knowledge, problems = validate_kb(root, use_cache=not no_cache)  # the rules' embedded tests too
    if knowledge is None:
        summary = f"{count(len(problems), 'problem')} in knowledge base '{root}'"
        print_findings([problem.under(root) for problem in problems], summary)  # exit 1 even if the reader leaves
        raise typer.Exit(1)
    parts = [("treatment", knowledge.treatments), ("concern", knowledge.concerns)]
    parts += [("condition", knowledge.conditions), ("rule", knowledge.rules)]
    summary = ", ".join(count(len(items), noun) for noun, items in parts)
    print(f"knowledge base '{root}' is valid: {summary}", file=sys.stderr)


@kb_app.command("schema")
def schema(
    file: Annotated[
        str | None,
        typer.Argument(
            help="One of: " + ", ".join(SCHEMA_FILES) + " (default: all, keyed by file).", show_default=False
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the knowledge-base files, so an editor can check them as you type.

    Example: skinrec kb schema treatments > treatments.schema.json
    """
    import json

    from skinrec.errors import UsageError
    from skinrec.models import KIND_MODELS, published_schema

    models = {name: KIND_MODELS[name] for name in SCHEMA_FILES}
    if file is not None and file not in models:
        raise UsageError(f"unknown file kind '{file}'; choose one of {', '.join(SCHEMA_FILES)}")
    chosen = {file: models[file]} if file else models
    schemas = {}
    for name, model in chosen.items():
        body = published_schema(model)
        body["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        body["title"] = f"skinrec {SCHEMA_FILES[name]}"
        schemas[SCHEMA_FILES[name]] = body
    print(json.dumps(schemas[SCHEMA_FILES[file]] if file else schemas, indent=2))


@rules_app.command("check")
def check(
    ctx: typer.Context, folder: FolderArgument = None, kb: KbOption = None, no_cache: NoCacheOption = False
) -> None:
    """Run every rule's embedded test cases; exits 1 if any fails.

    Example: skinrec rules check ./my-clinic-kb
    """
    from skinrec.cli.output import print_findings
    from skinrec.loader import load_kb, resolve_kb_dir
    from skinrec.rule_tests import problems_of, run_rule_tests
    from skinrec.wording import count

    # what `skinrec rules --kb DIR check` gave the group (see browse_cmd.rules); the command's own --kb wins over it
    group = ctx.obj or {}
    root = resolve_kb_dir(*_one_folder(folder, kb if kb is not None else group.get("kb")))
    no_cache = no_cache or group.get("no_cache", False)
    outcomes = run_rule_tests(load_kb(root, use_cache=not no_cache, failing_tests_ok=True))
    failures = problems_of(root, outcomes)
    rules = count(len({outcome.rule for outcome in outcomes}), "rule")
    print_findings(
        [failure.under(root) for failure in failures],
        f"{len(outcomes) - len(failures)} passed, {len(failures)} failed ({rules})",
    )
    if failures:
        raise typer.Exit(1)
