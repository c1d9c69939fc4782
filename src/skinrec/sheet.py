"""A small page model for the browsing views, and its Markdown rendering.

Each browsing command turns its JSON document into a `Sheet`: a title and blocks of paragraphs, label/value
fields, grids and bullet lists. One Rich renderer (`render_sheet.py`) and the Markdown renderer here draw
every view, so a new view needs no drawing code of its own and the two formats show the same content. Words
carry a tone (an id, good, bad, a warning, muted) rather than a colour, and each renderer decides how a tone
looks. Kept free of Rich, so `-f markdown` never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from skinrec.markdown_text import md, md_heading


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    tone: str = ""  # "" | "id" | "good" | "bad" | "warn" | "muted"


Words = str | Span | tuple[str | Span, ...]


def spans(words: Words) -> tuple[Span, ...]:
    """Any `Words` as a tuple of spans (plain strings become untoned spans)."""
    parts = words if isinstance(words, tuple) else (words,)
    return tuple(part if isinstance(part, Span) else Span(part) for part in parts)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: Words
    title: str = ""


@dataclass(frozen=True, slots=True)
class Fields:
    items: tuple[tuple[str, Words], ...]
    title: str = ""


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    ratio: int = 1  # its share of the room left once every column has its longest word; 0: never widened


@dataclass(frozen=True, slots=True)
class Grid:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Words, ...], ...]
    title: str = ""


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[Words, ...]
    title: str = ""


Block = Paragraph | Fields | Grid | Bullets


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str
    blocks: tuple[Block, ...]
    footer: str = ""


def _markdown(words: Words, *, cell: bool = False, starts_line: bool = False) -> str:
    """Words as Markdown, each span's text escaped (`md`) but an id's, which is in backticks and can hold nothing
    to escape. A line break is `<br>` in a table's cell, which a real one would end, and a space elsewhere: the
    sheet breaks lines to lay out a table's cell, and running a paragraph's text on loses nothing."""
    out: list[str] = []
    for span in spans(words):
        if span.tone == "id":
            out.append(("<br>" if cell else " ").join(f"`{line}`" for line in span.text.split("\n")))
            continue
        text = md(span.text, starts_line=starts_line and not any(out), line_break="<br>" if cell else " ")
        out.append(f"**{text}**" if span.tone == "bad" else text)
    return "".join(out)


def sheet_markdown(sheet: Sheet) -> str:
    """The sheet as GitHub-flavoured Markdown: `#` title, `##` block titles, tables for grids."""
    lines = [f"# {md_heading(sheet.title)}", ""]
    for block in sheet.blocks:
        if block.title:
            lines += [f"## {md_heading(block.title)}", ""]
        if isinstance(block, Paragraph):
            lines.append(_markdown(block.text, starts_line=True))
        elif isinstance(block, Fields):
            lines += [f"- **{md(label)}:** {_markdown(value)}" for label, value in block.items]
        elif isinstance(block, Grid):
            lines.append("| " + " | ".join(md(column.header) for column in block.columns) + " |")
            lines.append("|" + "|".join("---" for _ in block.columns) + "|")
            lines += ["| " + " | ".join(_markdown(cell, cell=True) for cell in row) + " |" for row in block.rows]
        else:
            lines += [f"- {_markdown(item, starts_line=True)}" for item in block.items]
        lines.append("")
    if sheet.footer:
        lines += ["---", "", f"*{md(sheet.footer)}*", ""]
    return "\n".join(lines)
