"""Drawing a `Sheet` (see sheet.py) with Rich: readable at 80 columns, and ids wrapped rather than cut.

Grid columns are sized here rather than by Rich, whose ratio columns ignore how long the words in them are:
an id such as `chemical_peel_medium` stays whole whenever the terminal has room for it, and breaks after a
hyphen or underscore when it has not. A grid whose words do not fit even so is drawn one row at a time
instead, so on a narrow terminal nothing in it (exclusions and cautions included) is dropped, cut with an
ellipsis or folded mid-word; only a word wider than the terminal itself is folded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from skinrec.sheet import Bullets, Fields, Grid, Paragraph, Sheet, Words, spans

TONES = {"id": "cyan", "good": "green", "bad": "bold red", "warn": "yellow", "muted": "dim"}
PAIR_VALUE_MIN = 20  # narrower than this beside its label, a value goes on the lines under the label instead
INDENT = 2  # of the lines under a heading or label in a stacked (one row at a time) layout


def _pieces(word: str) -> list[str]:
    """`word` split after each hyphen and underscore: where an id (`dark-skin-pigment-caution`), a fact
    (`blood_thinners=no`) or a range (`$1,500-$15,600`) can break without reading as cut."""
    return [piece for piece in re.split(r"(?<=[-_])", word) if piece]


def _lines(word: str, width: int) -> list[str]:
    """`word` as few lines of at most `width` cells as its pieces allow (a piece wider still is left to fold)."""
    lines = [""]
    for piece in _pieces(word):
        if lines[-1] and cell_len(lines[-1] + piece) > width:
            lines.append("")
        lines[-1] += piece
    return lines


def break_long_words(text: Text, width: int) -> Text:
    """`text` with every word wider than `width` cells broken after its hyphens or underscores, for Rich, which
    breaks lines only at spaces, to wrap. Words that fit are left alone, never broken needlessly; so are URLs,
    where a hyphen ending a line would read as hyphenation and be dropped by whoever copies the address."""
    offsets: list[int] = []
    for match in re.finditer(r"\S+", text.plain):
        if cell_len(match.group()) > width and "://" not in match.group():
            start = match.start()
            for line in _lines(match.group(), width)[:-1]:
                start += len(line)
                offsets.append(start)
    return Text("\n").join(text.divide(offsets)) if offsets else text


def column_widths(columns: Sequence[Sequence[str]], ratios: Sequence[int], room: int) -> list[int] | None:
    """Widths for columns of texts (the header first) sharing `room` cells (borders and padding excluded), or
    None when side by side some word would have to be folded mid-way: the caller then shows the cells one
    after another, which is easier to read than a table of cut words.

    Every column gets its longest word if all of them fit; otherwise the columns give way where that breaks
    the fewest words, each after a hyphen or underscore. What room is left goes to the columns by ratio, none
    beyond its longest line.
    """
    lines = [max((cell_len(line) for text in column for line in text.split("\n")), default=1) for column in columns]
    options: list[list[tuple[int, int]]] = []  # per column: each width worth trying, and how many words it breaks
    for column in columns:
        words = Counter(word for text in column for word in text.split())
        sizes = {word: (cell_len(word), max(map(cell_len, _pieces(word)))) for word in words}
        narrowest = max((piece for _, piece in sizes.values()), default=1)
        steps = sorted({whole for whole, _ in sizes.values() if whole > narrowest} | {narrowest})
        options.append([(w, sum(n for word, n in words.items() if sizes[word][0] > w)) for w in steps])
    best: dict[int, tuple[int, tuple[int, ...]]] = {0: (0, ())}  # room used -> the fewest breaks using it
    for choices in options:
        reached: dict[int, tuple[int, tuple[int, ...]]] = {}
        for used, (breaks, earlier) in best.items():
            for width, more in choices:
                total = used + width
                if total <= room and (total not in reached or breaks + more < reached[total][0]):
                    reached[total] = (breaks + more, (*earlier, width))
        best = reached
    if not best:
        return None
    widths = list(min(best.values(), key=lambda found: (found[0], sum(found[1])))[1])
    while True:
        growing = [i for i in range(len(widths)) if widths[i] < lines[i] and ratios[i]]
        spare = room - sum(widths)
        if not growing or not spare:
            return widths
        shares = sum(ratios[i] for i in growing)
        for i in growing:
            share = max(1, spare * ratios[i] // shares)
            widths[i] = min(lines[i], widths[i] + share, widths[i] + room - sum(widths))


def _text(words: Words) -> Text:
    text = Text()
    for span in spans(words):
        text.append(span.text, style=TONES.get(span.tone, ""))
    return text


def _grid(block: Grid, width: int) -> RenderableType:
    count = len(block.columns)
    cells = [[column.header, *(row[index] for row in block.rows)] for index, column in enumerate(block.columns)]
    texts = [["".join(span.text for span in spans(cell)) for cell in column] for column in cells]
    widths = column_widths(texts, [column.ratio for column in block.columns], width - 3 * count - 1)
    if widths is None:
        return _stacked(block, width)
    table = Table(show_lines=True)
    for column, size in zip(block.columns, widths, strict=True):
        table.add_column(break_long_words(Text(column.header), size), width=size, overflow="fold")
    for row in block.rows:
        table.add_row(*(break_long_words(_text(cell), size) for cell, size in zip(row, widths, strict=True)))
    return table


def indented(text: Text, width: int, indent: int) -> Padding:
    """`text` indented by `indent` cells, its long words broken to fit the narrower room it has."""
    return Padding(break_long_words(text, width - indent), (0, 0, 0, indent), expand=False)


def _stacked(block: Grid, width: int) -> Group:
    """The grid one row at a time, for a terminal too narrow for its columns side by side: the row's first
    cell in bold, then each other cell under it, indented and led by its column's header (a cell of several
    lines goes on the lines under its header, indented further, so its lines are not taken for other cells)."""
    parts: list[RenderableType] = []
    for index, row in enumerate(block.rows):
        if index:
            parts.append(Text())
        heading = _text(row[0])
        heading.stylize("bold")
        parts.append(break_long_words(heading, width))
        for column, cell in zip(block.columns[1:], row[1:], strict=True):
            label = Text(f"{column.header}:", style="bold") if column.header else Text()
            value = _text(cell)
            if "\n" in value.plain:
                parts += [indented(label, width, INDENT), indented(value, width, 2 * INDENT)]
            else:
                parts.append(indented(label + " " + value if column.header else value, width, INDENT))
    return Group(*parts)


def _pairs(rows: Sequence[tuple[Words, Words]], first_style: str, width: int) -> Table:
    """Two borderless columns (a label or bullet, then text that wraps under itself, not under the label)."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style=first_style, no_wrap=True)
    table.add_column(overflow="fold")
    room = width - max((cell_len(_text(first).plain) for first, _ in rows), default=0) - 1
    for first, second in rows:
        table.add_row(_text(first), break_long_words(_text(second), room))
    return table


def _fields(block: Fields, width: int) -> RenderableType:
    """Labels and values side by side; or, when the longest label leaves the values too little room beside
    it (Rich would crop the values away entirely), each label in bold with its value indented under it."""
    rows = [(f"{label}:", value) for label, value in block.items]
    if width - max((cell_len(label) for label, _ in rows), default=0) - 1 >= PAIR_VALUE_MIN:
        return _pairs(rows, "bold", width)
    parts: list[RenderableType] = []
    for label, value in rows:
        parts += [break_long_words(Text(label, style="bold"), width), indented(_text(value), width, INDENT)]
    return Group(*parts)


def _block(block: Paragraph | Fields | Grid | Bullets, width: int) -> RenderableType:
    if isinstance(block, Paragraph):
        return break_long_words(_text(block.text), width)
    if isinstance(block, Fields):
        return _fields(block, width)
    if isinstance(block, Grid):
        return _grid(block, width)
    return _pairs([(" •", item) for item in block.items], "", width)


def render_sheet(console: Console, sheet: Sheet) -> None:
    """Print the sheet: bold title, the blocks a blank line apart (each under its underlined heading, if it has
    one), the footer dimmed."""
    console.print(Text(sheet.title, style="bold"))
    for index, block in enumerate(sheet.blocks):
        if index:
            console.print()
        if block.title:
            console.print(Text(block.title, style="bold underline"))
        console.print(_block(block, console.width))
    if sheet.footer:
        console.print()
        console.print(Text(sheet.footer, style="dim italic"))
