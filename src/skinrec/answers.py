"""The words (and signs) a person types that skinrec reads as answers of its own, wherever it reads them: the
questionnaire's prompts and a profile's values, which must read a word alike. Here, in one place, also because a
condition may not be named by what the conditions list at the summary reads as its own (crosscheck.py refuses such
a name): a condition synonym "none" made `-x none` add that condition, while "none" at that list changes nothing.
A word added to DONE or AGAIN, or a change to SIGN, is refused as a condition's name at once.
"""

from __future__ import annotations

import re

YES = ("y", "yes")
NO = ("n", "no")
# At the summary: Enter (the empty answer) and these go on to the results.
GO = ("", "go", *YES)
# At the summary's conditions list, as a whole answer: nothing to change ("no eczema" is answered on its own).
DONE = ("", "done", "none", *NO, "nothing")
# At the summary's conditions list: every safety question again.
AGAIN = "all"
# At the summary's conditions list, a sign: at the start of a comma-separated part, '+' or '-' or both (refused),
# spaced or not ("- eczema"); further on, only after a space and straight before a name or number ("-1 -2", "eczema
# -rosacea"), so a name's own hyphens ("retin-a", "cold sores - active") are not read as one.
SIGN = re.compile(r"(^\s*(?:[+-]\s*)+|(?<=\s)[+-]+(?=[^\s+-]))")
DASHES = str.maketrans("\u2013\u2014\u2212", "---")  # en dash, em dash, minus sign: '-' as phones and editors type it
# For a downtime or a budget: no limit (null in a file, too).
NO_LIMIT = ("no limit", "unlimited", "any")
# For a downtime or a budget: refused, as it could mean 0 as well as no limit.
ZERO_OR_NO_LIMIT = ("none", "no")
# For a skin type: not known.
UNKNOWN_SKIN_TYPE = ("unknown", "not sure", "unsure", "don't know", "do not know", "?")
