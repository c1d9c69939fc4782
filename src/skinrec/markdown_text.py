"""Text from a knowledge base made safe in Markdown, for both Markdown renderers (the report and the sheets).

A clinic's own base (`--kb DIR`) may hold `*`, `_`, `[`, `<`, a line break or a leading `# ` in its text, which
would otherwise turn into emphasis, a link, HTML, a heading, or a table row cut in two, and say something the base
does not. Text with none of them comes out as it is.
"""

from __future__ import annotations

import re

# Markdown's inline syntax: a backslash (which escapes what follows), emphasis (`*`, `~`, and `_` except inside a
# word, where CommonMark reads it as a letter: `herpes_history` stays as it is), code, links and images, HTML and
# its entities (`&amp;`), and the `|` that ends a table's cell.
_INLINE = re.compile(r"[\\`*~\[\]<|]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)")
# What starts a block at the start of a line: a heading (`# `), a quote (`>`), a list item (`- `, `+ `, `1. ` or
# `1) `), a rule (`---`); each but the quote only with a space (or nothing) after its marker, so `2.5 mm`, `-5%` and
# `#1 choice` are left as they are. The escape goes before the marker, or between the number and its '.'.
_BLOCK = re.compile(r"\d{1,9}(?=[.)](?:[ \t]|$))|(?=#{1,6}(?:[ \t]|$)|>|[-+](?:[ \t]|$)|(?:-[ \t]*){3,}$)")
# A heading's closing sequence: `#`s at its end after a space (or alone), which Markdown drops from the heading.
_CLOSING = re.compile(r"(?:(?<=[ \t])|^)(?=#+[ \t]*$)")
_BREAK = re.compile(r"\r\n?|\n")
_URL = re.compile(r"[\\()<>]")
_ESCAPE = r"\\\g<0>"


def md(text: str, *, starts_line: bool = False, line_break: str = "<br>") -> str:
    """`text` from the knowledge base as Markdown shows it, character for character: its syntax escaped, and a
    line break as `<br>` (a real one would end a table's row, or the list item), or as `line_break` where the
    page runs it on. `starts_line`: the text begins a line (a paragraph, a list item's text), where `# `, `> `,
    `- ` or `1. ` would begin a heading, a quote or a list. Only the line's first character is looked at:
    knowledge-base texts have no leading spaces (the models strip them), which could otherwise indent a marker
    or make a code block."""
    text = _BREAK.sub(line_break, _INLINE.sub(_ESCAPE, text))
    found = _BLOCK.match(text) if starts_line else None
    return text if found is None else f"{text[: found.end()]}\\{text[found.end() :]}"


def md_heading(text: str) -> str:
    """`md` for a heading's text, after its `# `: a heading is one line whatever follows its marker (so nothing in
    it starts a block), but a ` #` at its end is its optional closing sequence, which Markdown drops."""
    return _CLOSING.sub("\\\\", md(text), count=1)


def md_link(title: str, url: str) -> str:
    """A link to `url` reading `title`. A url has no spaces (the knowledge base's pattern), but may have a `)`
    that would end the link early, or a `<`, `>` or `\\` that Markdown would read."""
    return f"[{md(title)}]({_URL.sub(_ESCAPE, url)})"
