"""Tables on terminals of any width: the cautions and exclusion reasons are never dropped or cut with an
ellipsis, however narrow the terminal, and at 80 and 100 columns no word is split mid-way."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest
from helpers import Run, cli

from skinrec.cli import output

WIDTHS = (30, 36, 40, 60, 80, 100, 120)
WIDE = 400  # no cell wraps at all: each line of each cell is whole on one screen line
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
BOX = re.compile(r"[\u2500-\u257f]")  # Rich's box-drawing characters
RECOMMEND = [
    ["recommend", "-c", "acne_scars", "-x", "herpes_history", "-n", "1"],  # the tester's: one cold-sore caution
    ["recommend", "-c", "acne_scars", "-c", "sun_damage", "-n", "0", "-s", "VI", "-x", "keloids"],
    ["recommend", "-c", "hyperpigmentation", "-d", "2", "-b", "900", "--pregnant"],
    ["recommend", "-c", "acne_scars", "-x", "blood_thinners", "-x", "metal_implants", "--explain"],
]
COMPARE = ["compare", "microneedling", "rf_microneedling", "chemical_peel_medium", "microcurrent", "-c", "acne_scars"]
TABLES = [
    *RECOMMEND,
    COMPARE,
    ["compare", "chemical_peel_medium", "laser_non_ablative", "microneedling", "-x", "keloids"],
    ["treatments"],
    ["rules"],
    ["concerns"],
    ["conditions"],
]


@pytest.fixture
def at_width(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Run skinrec as on a terminal `width` columns wide: off a terminal it draws at 80 columns, so the
    console it draws on is given the width a terminal would have given it."""
    make_console = output.make_console

    def run(width: int, *argv: str) -> Run:
        def sized(**options: Any) -> Any:
            console = make_console(**options)
            console.width = width
            return console

        monkeypatch.setattr(output, "make_console", sized)
        done = cli(*argv)
        assert done.code == 0, done.stderr
        return done

    return run


def reading(screen: str) -> str:
    """The text of `screen` as a person reads it: a table column by column (each cell's lines one after
    another, not interleaved with the cells beside it), other lines as they are; spaces and line breaks
    removed, so that text wrapped or broken anywhere reads the same as text on one line."""
    parts: list[str] = []
    columns: list[list[str]] = []
    for line in screen.splitlines():
        if re.match(r"[│┃]", line):
            cells = re.split(r"[│┃]", line)[1:-1]
            columns += [[] for _ in range(len(cells) - len(columns))]
            for column, cell in zip(columns, cells, strict=False):
                column.append(cell)
            continue
        if not BOX.match(line):  # a title, a heading or text; not a border inside a table
            parts += ["".join(column) for column in columns] + [line]
            columns = []
    parts += ["".join(column) for column in columns]
    return re.sub(r"\s+", "", "".join(parts))


def cell_lines(screen: str) -> Iterator[str]:
    """Every line of every table cell on `screen` drawn too wide for anything to wrap, and every other line;
    not the headers, which a narrow terminal shows as labels, or not at all when a cell says it (`Score`)."""
    for line in screen.splitlines():
        for text in re.split("│", line) if line.startswith("│") else [line]:
            if text.strip() and not BOX.search(text):
                yield text.strip()


def pieces(word: str) -> list[str]:
    return [piece for piece in re.split(r"(?<=[-_])", word) if piece]


def words(screen: str) -> set[str]:
    """The words on `screen`, a colon after one dropped: a narrow terminal shows a column's header as a label."""
    return {word.removesuffix(":") for word in BOX.sub(" ", screen).split()}


def whole_or_broken_at_a_hyphen(screen: str) -> set[str]:
    """What may stand between spaces on a screen with no word split: a word of `screen`, or a run of the
    parts of one between its hyphens and underscores (`dark-skin-` and `pigment-caution`)."""
    allowed = set()
    for word in words(screen):
        parts = pieces(word)
        allowed |= {"".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}
    return allowed


@pytest.mark.parametrize("argv", RECOMMEND, ids=lambda argv: " ".join(argv[1:]))
@pytest.mark.parametrize("width", WIDTHS)
def test_cautions_and_reasons_for_exclusion_are_whole_at_every_width(
    at_width: Callable[..., Run], width: int, argv: list[str]
) -> None:
    doc = json.loads(cli(*argv, "-f", "json").stdout)
    top = doc["recommendations"][: int(argv[argv.index("-n") + 1])] if "-n" in argv else doc["recommendations"]
    cautions = [f"⚠ {caution['message']} [{caution['rule']}]" for rec in top for caution in rec["cautions"]]
    reasons = [
        f"[{r.get('rule') or r['constraint']}] {r['message']}" for item in doc["excluded"] for r in item["reasons"]
    ]
    assert cautions or reasons
    screen = at_width(width, *argv).stdout
    assert max(len(line) for line in screen.splitlines()) <= width
    assert "…" not in screen, "nothing is cut with an ellipsis"
    text = reading(screen)
    for expected in cautions + reasons:
        assert re.sub(r"\s+", "", expected) in text, f"{width} columns: {expected!r} is not shown whole"


@pytest.mark.parametrize("argv", TABLES, ids=lambda argv: " ".join(argv))
def test_no_cell_is_dropped_or_cut_at_any_width(at_width: Callable[..., Run], argv: list[str]) -> None:
    whole = at_width(WIDE, *argv).stdout
    for width in WIDTHS:
        screen = at_width(width, *argv).stdout
        assert max(len(line) for line in screen.splitlines()) <= width
        assert "…" not in screen
        text = reading(screen)
        missing = [line for line in cell_lines(whole) if re.sub(r"\s+", "", line) not in text]
        assert missing == [], f"{width} columns"


@pytest.mark.parametrize("argv", TABLES, ids=lambda argv: " ".join(argv))
@pytest.mark.parametrize("width", [80, 100])
def test_no_word_is_split_at_80_or_100_columns(at_width: Callable[..., Run], width: int, argv: list[str]) -> None:
    allowed = whole_or_broken_at_a_hyphen(at_width(WIDE, *argv).stdout)
    screen = at_width(width, *argv).stdout
    split = sorted(words(screen) - allowed)
    assert split == [], f"{width} columns: split words"


def test_the_explained_facts_and_the_four_way_comparison_at_80_columns(
    at_width: Callable[..., Run], tmp_path: Path
) -> None:
    """The tester's two cases: facts in the --explain table split mid-word beside a wide Rule column, and a
    four-way comparison splitting `Sun-sensitising`. (A profile file's `conditions:` list answers the safety
    questions, so a condition it does not list reads `no`, not `not given`.)"""
    profile = tmp_path / "me.yaml"
    profile.write_text("concerns: [acne_scars]\nconditions: [blood_thinners]\n", encoding="utf-8")
    explained = at_width(80, "recommend", "-p", str(profile), "--explain").stdout
    trace = explained.split("Every rule considered")[1]
    for facts in ("blood_thinners=yes", "metal_implants=no", "pacemaker=no", "eczema=no, psoriasis=no"):
        assert re.search(rf"│ {re.escape(facts)} +│", trace), facts
    compared = at_width(80, *COMPARE).stdout
    assert "Sun-sensitising" in compared and "Sun-sensitisi\n" not in compared


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("columns", ["30", "36"])
def test_the_cold_sore_caution_on_a_real_narrow_terminal(columns: str) -> None:
    """The tester's command, on a pseudo-terminal as narrow as theirs: the ⚠ caution is shown whole."""
    env = {"PATH": os.environ["PATH"], "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"], "TERM": "xterm-256color"}
    argv = ["-m", "skinrec", "recommend", "-c", "acne_scars", "-x", "herpes_history", "-n", "1", "--no-color"]
    child = pexpect.spawn(sys.executable, argv, env={**env, "COLUMNS": columns}, encoding="utf-8", timeout=20)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    screen = ANSI.sub("", child.before or "").replace("\r", "")
    assert "…" not in screen
    caution = "⚠ Tell whoever treats you that you have had cold sores, or before using a home device ask a doctor or pharmacist: antiviral cover may be needed first."
    assert re.sub(r"\s+", "", caution + "[herpes-history-caution]") in reading(screen)
