"""A small page model for the browsing views, and its Markdown rendering.

Each browsing command turns its JSON document into a `Sheet`: a title and blocks of paragraphs, label/value
fields, grids and bullet lists. One Rich renderer (`render_sheet.py`) and the Markdown renderer here draw
every view, so a new view needs no drawing code of its own and the two formats show the same content. Words
carry a tone (an id, good, bad, a warning, muted) rather than a colour, and each renderer decides how a tone
looks. Kept free of Rich, so `-f markdown` never loads it.
"""

from __future__ import annotations

from dataclasses import dataclass


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


def table_cell(text: str) -> str:
    """Text made safe inside a Markdown table's cell: a `|` in a name or message would end the cell early."""
    return text.replace("|", "\\|")


def _markdown(words: Words, *, cell: bool = False) -> str:
    out = []
    for span in spans(words):
        text = table_cell(span.text) if cell else span.text
        if span.tone == "id":
            text = "<br>".join(f"`{line}`" for line in text.split("\n"))
        elif span.tone == "bad":
            text = f"**{text}**"
        out.append(text)
    joined = "".join(out)
    return joined.replace("\n", "<br>") if cell else " ".join(joined.split("\n"))


def sheet_markdown(sheet: Sheet) -> str:
    """The sheet as GitHub-flavoured Markdown: `#` title, `##` block titles, tables for grids."""
    lines = [f"# {sheet.title}", ""]
    for block in sheet.blocks:
        if block.title:
            lines += [f"## {block.title}", ""]
        if isinstance(block, Paragraph):
            lines.append(_markdown(block.text))
        elif isinstance(block, Fields):
            lines += [f"- **{label}:** {_markdown(value)}" for label, value in block.items]
        elif isinstance(block, Grid):
            lines.append("| " + " | ".join(table_cell(column.header) for column in block.columns) + " |")
            lines.append("|" + "|".join("---" for _ in block.columns) + "|")
            lines += ["| " + " | ".join(_markdown(cell, cell=True) for cell in row) + " |" for row in block.rows]
        else:
            lines += [f"- {_markdown(item)}" for item in block.items]
        lines.append("")
    if sheet.footer:
        lines += ["---", "", f"*{sheet.footer}*", ""]
    return "\n".join(lines)
