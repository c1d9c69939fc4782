"""Numbers as they were written, where no float can say: a person who typed 1e999 (or YAML's .inf) is quoted
back 1e999, not 'inf' or 'Infinity', and one who typed -1e-5 is quoted back -1e-5, not -1e-05. Kept apart from
the profile and YAML modules, which both read numbers."""

from __future__ import annotations

import math


class Written(float):
    """A number no float holds (1e999, which reads as infinity; YAML's .inf and .nan), with the text it was
    written as, so that messages quote what the person wrote rather than 'inf' or 'Infinity'."""

    __slots__ = ("text",)
    text: str

    def __new__(cls, value: float, text: str) -> Written:
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __repr__(self) -> str:
        return self.text


def read_float(text: str) -> float:
    """A JSON or YAML number with a fraction or exponent, as json's `parse_float` hook receives it."""
    number = float(text)
    return number if math.isfinite(number) else Written(number, text)


def read_float_as_written(text: str) -> float:
    """`read_float` for a person's values (profiles, batch lines), which messages quote: the text is also kept
    where a float would be written another way (1e-5 is 1e-05 to Python, 7.50 is 7.5)."""
    number = float(text)
    return number if float.__repr__(number) == text else Written(number, text)
