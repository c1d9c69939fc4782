"""The README's examples are what skinrec prints: every `$ skinrec ...` in a text block that needs no file of the
reader's own (not `-p me.yaml` or `--kb ./my-kb`) and asks nothing (not the questionnaire) is run, and its output
compared line by line, so an edit to the knowledge base or the wording that changes an example fails here rather
than leaving the README behind. An example cut short with `[… ]` is compared up to the cut."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from helpers import cli

README = Path(__file__).resolve().parents[1] / "README.md"
NEEDS_THE_READERS_OWN = ("me.yaml", "./my-kb", "-i")


def examples() -> list[tuple[str, list[str]]]:
    """(command line, the lines the README shows for it) of every runnable example."""
    found = []
    for block in re.findall(r"^```+(?:text|markdown)\n(.*?)^```+$", README.read_text(), re.MULTILINE | re.DOTALL):
        for command, shown in re.findall(r"^\$ (skinrec.*)\n((?:(?!\$ ).*\n)*)", block, re.MULTILINE):
            argv = shlex.split(command.split(" | ")[0].split(" < ")[0])
            if argv[1:] and not any(word in argv for word in NEEDS_THE_READERS_OWN) and " < " not in command:
                found.append((command, shown.splitlines()))
    return found


@pytest.mark.parametrize(("command", "shown"), examples(), ids=lambda value: value if isinstance(value, str) else "")
def test_the_readme_shows_what_skinrec_prints(command: str, shown: list[str]) -> None:
    argv = shlex.split(command.split(" | ")[0])
    run = cli(*argv[1:], env={"COLUMNS": "80", "NO_COLOR": "1"})
    printed = [line.rstrip() for line in (run.stdout + run.stderr).splitlines()]
    head = re.search(r"\| head -n (\d+)$", command)
    if head:
        printed = printed[: int(head[1])]
    cut = next((i for i, line in enumerate(shown) if line.startswith("[…")), None)
    expected = [line.rstrip() for line in shown[:cut]]
    assert printed[: len(expected)] == expected
    if cut is None:
        assert printed == expected


def test_the_project_layout_names_every_module() -> None:
    """A maintainer's review found errors.py, termination.py and __main__.py missing from "Project layout", and the
    table calling cli/ "one module each": every module is now named there, so a newcomer can find it."""
    text = README.read_text()
    layout = text[text.index("## Project layout") : text.index("## Sources")]
    named = {Path(name).name for name in re.findall(r"`([\w/]+\.py)`", layout)}
    source = README.parent / "src" / "skinrec"
    missing = [path.name for path in sorted(source.rglob("*.py")) if path.name not in named and path.stem != "__init__"]
    assert missing == [], f"modules not in the README's Project layout: {missing}"
