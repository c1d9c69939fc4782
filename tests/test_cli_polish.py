"""Terminal manners: help with examples, 80 columns without cut ids, colour only on a terminal, quiet pipes,
shell completion, and a start-up that loads nothing a command does not use."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
import typer
from helpers import cli, walk

from skinrec.cli.app import COMMANDS, app
from skinrec.knowledge import KnowledgeBase

ANSI = re.compile(r"\x1b\[")
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colours(text: str) -> list[str]:
    """The colour codes (foreground or background) among the ANSI styles in `text`; bold and dim are not colour."""
    codes = [int(code) for params in SGR.findall(text) for code in params.split(";") if code]
    return [str(code) for code in codes if 30 <= code <= 49 or 90 <= code <= 107]


SKINREC = [sys.executable, "-m", "skinrec"]
REPO = Path(__file__).resolve().parents[1]
TABLES = [
    ["treatments"],
    ["show", "laser_non_ablative"],
    ["compare", "chemical_peel_medium", "laser_non_ablative", "microneedling", "-x", "keloids"],
    ["concerns"],
    ["conditions"],
    ["rules"],
    ["rule", "metal-implants-microcurrent-caution"],
    ["recommend", "-c", "acne_scars", "-c", "fine_lines", "-s", "V", "-x", "herpes_history", "--explain"],
    ["recommend", "-c", "hyperpigmentation", "-d", "2", "-b", "900", "--pregnant"],
]


def help_problems(application: typer.Typer) -> list[str]:
    """Commands whose help lacks a one-line description or an `Example: skinrec ...` line."""
    problems = []
    for path, command in walk(typer.main.get_command(application)):
        text = (command.help or "").strip()
        name = " ".join(("skinrec", *path))
        if not text or not text.splitlines()[0].strip():
            problems.append(f"{name}: no description")
        if not re.search(r"^Example: skinrec \S", text, re.MULTILINE):
            problems.append(f"{name}: no 'Example: skinrec ...' line")
    return problems


def test_every_command_has_a_description_and_an_example() -> None:
    assert help_problems(app) == []
    paths = [path for path, _ in walk(typer.main.get_command(app))]
    assert ("rules",) in paths and ("rules", "check") in paths and ("compare",) in paths


def test_the_help_check_catches_a_command_without_an_example() -> None:
    bad = typer.Typer()

    @bad.command()
    def described() -> None:
        """Does something useful."""

    @bad.command()
    def undocumented() -> None:
        pass

    problems = help_problems(bad)
    assert "skinrec described: no 'Example: skinrec ...' line" in problems
    assert "skinrec undocumented: no description" in problems


def test_help_of_every_command_shows_its_example() -> None:
    for path, _ in walk(typer.main.get_command(app)):
        run = cli(*path, "--help")
        assert run.code == 0, path
        assert "Example: skinrec" in run.stdout, path
        assert max(len(line) for line in run.stdout.splitlines()) <= 80, path


def test_help_paragraphs_wrap_whole_and_values_are_named() -> None:
    """Help paragraphs are reflowed to the terminal, not broken where the docstring's lines end (Typer 0.29
    keeps those breaks); and a value is named for what it is (DAYS, FILE), never by its Python type, and a
    flag, which takes no value, not as `<bool>` (Typer 0.29 labels both so)."""
    for path, command in walk(typer.main.get_command(app)):
        paragraphs = (command.help or "").split("\n\n")
        assert [p for p in paragraphs if "\n" in p] == [], path
        help_text = cli(*path, "--help").stdout
        assert "│ --help " in help_text, path
        for python_type in ("<str>", "<list[str]>", "<path>", "<int>", "<int range>", "<bool>"):
            assert python_type not in help_text, (path, python_type)


@pytest.mark.parametrize("argv", TABLES, ids=lambda argv: argv[0])
def test_piped_tables_fit_80_columns_plain_and_uncut(argv: list[str]) -> None:
    run = cli(*argv)
    assert run.code == 0, run.stderr
    lines = run.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert not ANSI.search(run.stdout)
    assert "…" not in run.stdout, "nothing is cut with an ellipsis"
    assert [line for line in lines if line != line.rstrip()] == [], "no trailing spaces"


def test_ids_stay_whole_at_80_columns(kb: KnowledgeBase) -> None:
    rules = cli("rules").stdout
    assert all(re.search(rf"│ {re.escape(rule.id)} +│", rules) for rule in kb.rules)
    # under an id, the severity is bracketed: where a narrow terminal wraps "...-microcurrent-caution" at its
    # hyphens, a bare "caution" below read as the id's last word
    assert re.search(r"│ \(caution\) +│", rules) and re.search(r"│ \(exclude\) +│", rules)
    argv = ("recommend", "-c", "acne_scars", "-c", "sun_damage", "-n", "0", "-s", "VI", "-x", "keloids")
    doc = json.loads(cli(*argv, "-f", "json").stdout)
    shown = [item["id"] for item in doc["recommendations"] + doc["excluded"]]
    assert "laser_non_ablative" in shown and "chemical_peel_medium" in shown
    table = cli(*argv).stdout
    for ident in shown:
        assert re.search(rf"│ {ident} +│", table), ident


def run_in_terminal(argv: list[str], **env: str) -> str:
    base = {"PATH": os.environ["PATH"], "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"], "TERM": "xterm-256color"}
    child = pexpect.spawn(SKINREC[0], [*SKINREC[1:], *argv], env={**base, **env}, encoding="utf-8", timeout=20)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    return child.before or ""


def test_colour_on_a_terminal_only() -> None:
    assert colours(run_in_terminal(["show", "microneedling"]))
    assert not colours(run_in_terminal(["show", "microneedling"], NO_COLOR="1"))
    assert not colours(run_in_terminal(["show", "microneedling", "--no-color"]))
    piped = subprocess.run([*SKINREC, "show", "microneedling"], capture_output=True, text=True, check=True)
    assert not ANSI.search(piped.stdout) and piped.stderr == ""


def test_head_ends_quietly() -> None:
    shell = f"{sys.executable} -m skinrec treatments | head -1; echo status=${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=True)
    assert done.stdout == "Treatments\nstatus=0\n"
    assert done.stderr == ""
    batch = ["batch", "-", "--jobs", "2"]
    helps = (["--help"], ["recommend", "--help"])  # drawn by Rich, through Typer
    for argv in (
        ["rules", "-f", "json"],
        ["recommend", "-c", "acne_scars"],
        ["concerns", "-f", "markdown"],
        batch,
        *helps,
    ):
        read_end, write_end = os.pipe()
        os.close(read_end)  # the reader is gone before the first write: a broken pipe, every time
        profiles = '{"concerns": ["acne_scars"]}\n' * 1000
        gone = subprocess.run([*SKINREC, *argv], input=profiles, stdout=write_end, stderr=subprocess.PIPE, text=True)
        os.close(write_end)
        assert (gone.returncode, gone.stderr) == (0, ""), argv  # no traceback, no message: the reader chose to go


def complete(words: str) -> list[str]:
    env = {"_SKINREC_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    run = cli(env=env)
    assert run.code == 0, run.stderr
    return run.stdout.split()


def test_shell_completion_of_commands_and_ids() -> None:
    assert complete("skinrec co") == ["compare", "concerns", "conditions"]
    assert complete("skinrec show micro") == ["microneedling", "microdermabrasion", "microcurrent"]
    assert "laser_ablative" in complete("skinrec compare microneedling laser")
    assert complete("skinrec recommend -c acne") == ["acne_scars"]
    assert complete("skinrec compare microneedling dermaplaning -x preg") == ["pregnant"]
    assert complete("skinrec rule bleeding-e") == ["bleeding-exclude"]
    assert complete(f"skinrec show --kb {REPO} micro") == ["microneedling", "microdermabrasion", "microcurrent"]
    assert complete("skinrec show --kb /no/such/kb micro") == []  # the --kb given is used; a missing one gives nothing


def test_start_up_loads_only_what_the_command_line_needs() -> None:
    code = (
        "import sys, skinrec.cli.app; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'pydantic', 'yaml') "
        "or m in ('skinrec.engine', 'skinrec.browse', 'skinrec.cli.questionnaire', 'skinrec.cli.prompting', 'skinrec.cli.screening', 'skinrec.loader')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


def test_a_command_is_built_only_when_it_runs_and_help_lists_it_as_it_says() -> None:
    """The top-level help shows each command's line from `COMMANDS` without importing the command; that line
    must be the first paragraph of the command's own help, and a command run loads its module alone."""
    for path, command in walk(typer.main.get_command(app)):
        if len(path) == 1:
            assert command.params or isinstance(command, typer.core.TyperGroup), path  # built: no stand-in
            assert " ".join(command.help.split("\n\n")[0].split()) == COMMANDS[path[0]][2], path
    code = (
        "import sys; from skinrec.cli.app import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.startswith('skinrec.cli.') and m.endswith('_cmd'))))"
    )
    expected = {
        ("--help",): "[]",
        ("concerns",): "['skinrec.cli.browse_cmd']",
        ("schema", "result"): "['skinrec.cli.schema_cmd']",
    }
    for argv, loaded in expected.items():
        done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
        assert done.stderr == loaded, argv


def test_a_group_run_without_its_command_shows_its_help_and_names_the_choices() -> None:
    for group, choices in (("kb", "init, validate, schema"), ("schema", "result, batch"), ("rules", None)):
        run = cli(group)
        if choices is None:  # `skinrec rules` lists the rules itself
            assert run.code == 0 and "Contraindication rules" in run.stdout
            continue
        assert run.code == 2, group
        assert f"Usage: skinrec {group} [OPTIONS] COMMAND" in run.stdout
        assert (
            run.stderr == f"skinrec: error: missing command; choose one of: {choices} (see 'skinrec {group} --help')\n"
        )


def test_json_and_markdown_never_load_rich() -> None:
    code = (
        "import sys; from skinrec.cli.app import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.startswith('rich'))))"
    )
    for argv in (["treatments", "-f", "json"], ["compare", "microneedling", "dermaplaning", "-f", "markdown"]):
        done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
        assert done.stderr == "[]", argv


def test_ctrl_c_while_the_cli_is_still_importing_is_one_line_and_130() -> None:
    """Importing Typer and the rest is a good part of a run; Ctrl-C then must stop as cleanly as later on."""
    code = (
        "import builtins, sys\n"
        "real = builtins.__import__\n"
        "def interrupted(name, *args, **kwargs):\n"
        "    if name == 'typer':\n"
        "        raise KeyboardInterrupt\n"
        "    return real(name, *args, **kwargs)\n"
        "builtins.__import__ = interrupted\n"
        "sys.argv = ['skinrec', '--help']\n"
        "from skinrec.launch import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "skinrec: stopped\n")


def test_a_narrow_encoding_never_ends_in_a_traceback() -> None:
    """LANG=C, or Windows redirecting to a file, gives Python an encoding without '·' or '—'. Data on a pipe is
    UTF-8 anyway (the bytes --output writes); what a person reads (a terminal, stderr) gets '?' instead."""
    ascii_env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    argv = [*SKINREC, "recommend", "-c", "acne_scars", "-s", "V", "-n", "2"]
    wide = subprocess.run([*argv, "-f", "json"], capture_output=True, check=True)
    narrow = subprocess.run([*argv, "-f", "json"], capture_output=True, env=ascii_env)
    assert (narrow.returncode, narrow.stdout) == (0, wide.stdout)
    table = subprocess.run(argv, capture_output=True, env=ascii_env)
    assert table.returncode == 0
    assert "Acne scars · downtime" in table.stdout.decode("utf-8")
    typo = subprocess.run([*SKINREC, "recommend", "-c", "acne_scarz"], capture_output=True, env=ascii_env)
    assert typo.returncode == 2
    assert typo.stderr.startswith(b"skinrec: error: --concern: unknown concern 'acne_scarz' ? did you mean")
    on_terminal = run_in_terminal(["recommend", "-c", "acne_scars", "-n", "1"], PYTHONIOENCODING="ascii")
    assert "Acne scars ? downtime" in on_terminal
    assert "·" not in on_terminal


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["recommend", "-c"], "Option '-c' requires an argument. (see 'skinrec recommend --help')"),
        (["kb", "validate", "--kb"], "Option '--kb' requires an argument. (see 'skinrec kb validate --help')"),
        (["recommend", "-n", "abc"], "Invalid value for '--top' / '-n': give a whole number, such as 3 (see "),
        (["batch", "x", "-j", "99"], "Invalid value for '--jobs' / '-j': give a number no higher than 64 (see "),
        # bare `skinrec` asks the questions, but takes no options: one of recommend's is shown where it goes
        (
            ["-i", "--kb", "my kb"],
            "No such option: -i; it is an option of 'skinrec recommend': skinrec recommend -i --kb 'my kb'\n",
        ),
        (["--kb", "x", "-c", "acne scars"], "No such option: --kb; it is an option of 'skinrec recommend': skinrec "),
        (["--frobnicate"], "No such option: --frobnicate (see 'skinrec --help')"),
        # Typer detects the shell: a name after it was ignored, and bash's completion installed from bash
        (
            ["--install-completion", "fish"],
            "--install-completion takes no shell name ('fish'): it works out the shell it is run from (bash, zsh, "
            "fish or PowerShell); run it from that shell, with nothing after it\n",
        ),
        (["--show-completion", "zsh"], "--show-completion takes no shell name ('zsh'): it works out the shell"),
        (["--install-completion", "recommend"], "--install-completion takes no word after it ('recommend'): it "),
    ],
)
def test_a_usage_mistake_points_to_help_in_plain_words(argv: list[str], message: str) -> None:
    """A flag with no value had no pointer to help (Click has no context yet), and a bad number got pydantic's
    "Input should be a valid integer, unable to parse string as an integer"."""
    run = cli(*argv)
    assert run.code == 2 and run.stderr.startswith(f"skinrec: error: {message}"), run.stderr


def test_help_after_a_completion_option_is_help() -> None:
    """`skinrec --install-completion --help` was refused as naming a shell ('--help'); it shows the help."""
    run = cli("--install-completion", "--help")
    assert run.code == 0 and "Usage: skinrec" in run.stdout


def test_a_columns_no_terminal_has_is_ignored() -> None:
    """From a terminal tester: COLUMNS=0 on a terminal printed nothing and exited 0 (Rich took it for zero
    columns); every part now measures the terminal itself, as for COLUMNS=abc."""
    for columns in ("0", "-5", "abc"):
        shown = run_in_terminal(["recommend", "-c", "acne_scars", "-n", "1"], COLUMNS=columns)
        assert "Profile: concerns: Acne scars" in shown and "Microneedling" in shown
    assert "Rank the treatments that fit a profile" in run_in_terminal(["--help"], COLUMNS="0")
