"""Asking one question at a time, at a terminal or from piped answers: where the questionnaire talks and listens
(`Io`, `TerminalIo`), wrapping a prompt to the screen, and reading an answer until it is valid (`ask`) with the
parsers the questions share (yes/no, one of a few options, numbered picks).

A refused answer is asked again at a terminal, and stops the run when piped (see `TerminalIo.refuse`).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from functools import partial
from typing import Protocol, TypeVar

import typer

from skinrec.answers import NO, YES
from skinrec.cli.output import color_wanted
from skinrec.errors import STOPPED, DataError
from skinrec.knowledge import normalize_name
from skinrec.profile import escaped, shown

T = TypeVar("T")
STYLES: dict[str, Callable[[str], str]] = {
    "bold": lambda text: typer.style(text, bold=True),
    "muted": lambda text: typer.style(text, dim=True),
    "error": lambda text: typer.style(text, fg="red"),
}
RANGE = re.compile(r"([0-9]+)\s*-\s*([0-9]+)")  # "1-3" in a list of choices, in ASCII digits (see `is_number`)
LIST_MARKER = re.compile(r" *(?:\d+\.|[IVX]+) +(?=\S)")  # "  12. ", "   II  ": a numbered choice's start
BRACKETED = re.compile(r"\[[^\]]*\]")
ANSWER_ROOM = 6  # columns a prompt's last line leaves free for the answer
MAX_ANSWER = 4096  # characters in a line of piped answers, as a terminal's line editing allows: a few dozen are used
NO_BREAK = "\x00"  # stands in for the spaces of a bracketed default while wrapping


class Io(Protocol):
    """Where the questionnaire talks and listens."""

    def say(self, text: str = "", tone: str = "") -> None: ...

    def ask(self, prompt: str) -> str: ...

    def refuse(self, problem: str, answered: bool = True) -> None:
        """Say why the last answer was refused (or, not `answered`, why what it asked for failed: a file that
        could not be written), before its question is asked again; or stop the run where asking again cannot
        help (see `TerminalIo.refuse`)."""
        ...


def _columns() -> int:
    """The width of stderr's terminal, where the questions go. `shutil` measures stdout's, which may be a file
    (`-i > results.txt`): its 80-column default then wrapped the questions wider or narrower than the screen."""
    if os.environ.get("COLUMNS", "").isdigit():  # set by the person (or a test): as `shutil` honours it
        return shutil.get_terminal_size().columns
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):  # not a terminal after all
        return shutil.get_terminal_size().columns


class TerminalIo:
    """Messages on stderr, answers from stdin; Ctrl-C or Ctrl-D at a question ends the run with exit 130.

    Answers piped in (stdin not a terminal) are read a line each, at most MAX_ANSWER characters, and a refused
    one stops the run: asking again would take the next line, meant for the next question, and shift every
    answer after it ("yse" for pregnant, then "n" meant for breastfeeding, would answer pregnant "no")."""

    def __init__(self, no_color: bool) -> None:
        self.color = color_wanted(no_color, sys.stderr)
        self.line_editing = sys.stdin.isatty() and sys.stdout.isatty()
        self.wrap = sys.stderr.isatty()
        self.lines = 0  # lines of piped answers read so far
        self.answer = ""  # the last one
        if self.line_editing:
            with contextlib.suppress(ImportError):  # absent on Windows
                import readline  # noqa: F401  - importing it gives input() arrow keys and history

    def say(self, text: str = "", tone: str = "") -> None:
        """Print a line; on a terminal, word-wrapped to its width (see `wrapped`)."""
        if self.wrap and text:
            text = "\n".join(wrapped(text, _columns() - 1))
        typer.echo(STYLES[tone](text) if tone else text, err=True, color=self.color)

    def ask(self, prompt: str) -> str:
        try:
            if self.wrap:  # a prompt too wide to answer on its line: all but its last line said first, wrapped
                *above, prompt = wrapped(prompt, _columns() - 1, ANSWER_ROOM)
                for line in above:
                    typer.echo(line, err=True, color=self.color)
            if self.line_editing:  # readline must draw the prompt itself; stdout is the terminal here
                return input(prompt)
            typer.echo(prompt, nl=False, err=True)
            if not self.piped:
                return input()
            answer = self._piped_line()
            typer.echo(escaped(answer), err=True)  # echoed, so the transcript reads like a session
            return answer
        except (EOFError, KeyboardInterrupt):  # Ctrl-D, Ctrl-C: stop here; files are only written after a question
            typer.echo(err=True)  # ends the question's line; `main` says the run stopped
            raise typer.Exit(STOPPED) from None

    @property
    def piped(self) -> bool:
        """Whether the answers come from a pipe or a file rather than a person at a terminal."""
        return not sys.stdin.isatty()

    def _piped_line(self) -> str:
        """The next line of piped answers, without its ending (and, on the first, without a UTF-8 BOM, which an
        editor may save and nobody sees); EOFError at the end of the input."""
        line = sys.stdin.readline(MAX_ANSWER + 1)
        if not line:
            raise EOFError
        self.lines += 1
        if len(line) > MAX_ANSWER and not line.endswith("\n"):
            typer.echo(err=True)  # ends the prompt's line, which the error would otherwise finish
            raise DataError(
                f"line {self.lines} of the answers is longer than {MAX_ANSWER} characters; give one answer a line"
            )
        self.answer = line.rstrip("\r\n").removeprefix("\ufeff" if self.lines == 1 else "")
        return self.answer

    def refuse(self, problem: str, answered: bool = True) -> None:
        if not self.piped:
            self.say(f"  {problem}", "error")
            return
        if not answered:  # the last line answered another question ("replace it?"): the problem names the file
            raise DataError(problem)
        raise DataError(
            f"line {self.lines} of the answers, {shown(self.answer)}, is refused: {problem}; answers piped to -i are "
            "not asked again, since the next line answers the next question"
        )


def wrapped(text: str, width: int, room: int = 0) -> list[str]:
    """`text` word-wrapped to `width`, as lines. Continuation lines hang under the text of a list item
    ("  12. Burn and raised scars" continues under "Burn", "   II  fair skin" under "fair"), else under
    indented text, else by two. A default in brackets ("[no limit]") is never split, and trailing spaces (a
    prompt's, before the cursor) are kept. If the last line would leave less than `room` columns for an
    answer, its last word (or default) goes on a line of its own."""
    body = text.rstrip()
    marker = LIST_MARKER.match(body)
    indent = " " * (marker.end() if marker else len(body) - len(body.lstrip())) or "  "
    kept = BRACKETED.sub(lambda found: found[0].replace(" ", NO_BREAK), body)
    fill = partial(textwrap.wrap, width=width, break_long_words=False, break_on_hyphens=False)
    lines = fill(kept, subsequent_indent=indent) or [""]
    head, _, last = kept.rpartition(" ")
    if len(lines[-1]) + room > width and head.strip():
        lines = [*fill(head, subsequent_indent=indent), indent + last]
    lines = [line.replace(NO_BREAK, " ") for line in lines]
    lines[-1] += text[len(body) :]
    return lines


def ask(
    io: Io,
    prompt: str,
    parse: Callable[[str], T],
    default: str | None = None,
    hint: str | None = None,
    again: Callable[[], None] | None = None,
) -> T:
    """Ask until `parse` accepts the answer; after a mistake show the choices again (`again`) and say what was
    wrong. An empty answer means `default`, which is shown in brackets (or `hint` is, where the default reads
    better another way, as in [y/N])."""
    shown = hint or default
    line = f"{prompt} [{shown}]: " if shown else f"{prompt}: "
    while True:
        answer = io.ask(line).strip()
        try:
            return parse(answer or default or "")
        except ValueError as exc:
            if again is not None:
                again()
            io.refuse(str(exc))


def parse_yes_no(text: str) -> bool:
    word = text.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError("answer y (yes) or n (no)")


def parse_option(text: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, or a prefix of exactly one ("s" for session)."""
    word = text.strip().lower()
    found = [choice for choice in choices if choice.startswith(word)] if word else []
    if len(found) != 1:
        raise ValueError(f"answer {', '.join(choices[:-1])} or {choices[-1]}")
    return found[0]


def is_number(word: str) -> bool:
    """Whether `word` is a number in ASCII digits: `isdigit` is true of '²' and '①' too, which `int` refuses
    with Python's own words."""
    return word.isascii() and word.isdigit()


def parse_picks(text: str, options: Sequence[str], by_name: Callable[[str], str]) -> list[str]:
    """Choices typed by number (1-based, into `options`) or by name, separated by commas; numbers may also be
    separated by spaces ("1 3"), given as ranges ("1-3"), or both ("1-3 5"). Duplicates are dropped, order is
    kept."""
    picked: list[str] = []
    for part in text.split(","):
        words = part.split()
        if RANGE.fullmatch(part.strip()):  # "1 - 3", spaces and all
            tokens = _expanded(part.strip(), len(options))
        elif words and all(is_number(word) or RANGE.fullmatch(word) for word in words):
            tokens = [token for word in words for token in _expanded(word, len(options))]
        else:
            tokens = [part.strip()] if words else []
        for token in tokens:
            if not is_number(token):
                picked.append(by_name(token))
            elif 1 <= int(token) <= len(options):
                picked.append(options[int(token) - 1])
            else:
                raise ValueError(f"{token} is not on the list; choose 1-{len(options)}")
    if not picked:
        raise ValueError("choose at least one, by number or by name")
    return list(dict.fromkeys(picked))


def _expanded(word: str, size: int) -> list[str]:
    """The numbers a range stands for ("2-4": 2, 3, 4), checked against a list of `size`; any other word as it is."""
    found = RANGE.fullmatch(word)
    if found is None:
        return [word]
    low, high = int(found[1]), int(found[2])
    if low > high:
        raise ValueError(f"{shown(word)} runs backwards; write {high}-{low}")
    if low < 1 or high > size:
        raise ValueError(f"{shown(word)} goes past the list; choose within 1-{size}")
    return [str(number) for number in range(low, high + 1)]


def say_numbered(io: Io, labels: Sequence[str]) -> None:
    width = len(str(len(labels)))
    for number, label in enumerate(labels, start=1):
        io.say(f"  {number:>{width}}. {label}")


def labelled(label: str, ident: str) -> str:
    """A concern's or condition's label with its id, which can be typed, unless the label already says it in words
    ("Excessive sweating (hyperhidrosis)", not "... (hyperhidrosis) (hyperhidrosis)")."""
    said = label.endswith(")") and normalize_name(label.rpartition("(")[2][:-1]) == normalize_name(ident)
    return label if said else f"{label} ({ident})"
