"""Drawing a `Sheet` (see sheet.py) with Rich: readable at 80 columns, and ids wrapped rather than cut.

Grid columns are sized here rather than by Rich, whose ratio columns ignore how long the words in them are:
an id such as `chemical_peel_medium` stays whole whenever the terminal has room for it, and is folded onto
the next line, never cut with an ellipsis, when it has not.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from skinrec.sheet import Bullets, Fields, Grid, Paragraph, Sheet, Words, spans

TONES = {"id": "cyan", "good": "green", "bad": "bold red", "warn": "yellow", "muted": "dim"}


def _text(words: Words) -> Text:
    text = Text()
    for span in spans(words):
        text.append(span.text, style=TONES.get(span.tone, ""))
    return text


def _widths(block: Grid, room: int) -> list[int]:
    """Column widths for a grid `room` cells wide (borders and padding excluded).

    Every column first gets its longest word, so an id stays whole whenever that fits at all; the rest of the
    room goes to the columns by ratio, none beyond its longest line. When even the longest words do not fit,
    the columns with the longest words give way, and those words fold onto the next line instead of being cut.
    """
    cells = [[column.header, *(row[index] for row in block.rows)] for index, column in enumerate(block.columns)]
    texts = [[span.text for cell in column for span in spans(cell)] for column in cells]
    lines = [max((cell_len(line) for text in column for line in text.split("\n")), default=1) for column in texts]
    words = [max((cell_len(word) for text in column for word in text.split()), default=1) for column in texts]
    widths = words[:]
    while sum(widths) > room and max(widths) > 1:  # the longest words give way first, one cell at a time
        widths[widths.index(max(widths))] -= 1
    while True:
        growing = [i for i, column in enumerate(block.columns) if widths[i] < lines[i] and column.ratio]
        spare = room - sum(widths)
        if not growing or not spare:
            return widths
        ratios = sum(block.columns[i].ratio for i in growing)
        for i in growing:
            share = max(1, spare * block.columns[i].ratio // ratios)
            widths[i] = min(lines[i], widths[i] + share, widths[i] + room - sum(widths))


def _grid(block: Grid, width: int) -> Table:
    table = Table(show_lines=True)
    count = len(block.columns)
    for column, size in zip(block.columns, _widths(block, width - 3 * count - 1), strict=True):
        table.add_column(column.header, width=size, overflow="fold")
    for row in block.rows:
        table.add_row(*(_text(cell) for cell in row))
    return table


def _pairs(rows: list[tuple[Words, Words]], first_style: str) -> Table:
    """Two borderless columns (a label or bullet, then text that wraps under itself, not under the label)."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style=first_style, no_wrap=True)
    table.add_column(overflow="fold")
    for first, second in rows:
        table.add_row(_text(first), _text(second))
    return table


def _block(block: Paragraph | Fields | Grid | Bullets, width: int) -> RenderableType:
    if isinstance(block, Paragraph):
        return _text(block.text)
    if isinstance(block, Fields):
        return _pairs([(f"{label}:", value) for label, value in block.items], "bold")
    if isinstance(block, Grid):
        return _grid(block, width)
    return _pairs([(" •", item) for item in block.items], "")


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
