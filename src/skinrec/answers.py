"""The words a person types that skinrec reads as answers of its own, wherever it reads them: the questionnaire's
prompts and a profile's values. Here, in one place, because a concern or condition may not be named by one
(crosscheck.py refuses such a name): a condition synonym "none" made `-x none` add that condition, while "none" at
the questionnaire's conditions list changes nothing. A word added to a prompt here is refused as a name at once.
"""

from __future__ import annotations

YES = ("y", "yes")
NO = ("n", "no")
# At the summary: Enter (the empty answer) and these go on to the results.
GO = ("", "go", *YES)
# At the summary's conditions list, as a whole answer: nothing to change ("no eczema" is answered on its own).
DONE = ("", "done", "none", *NO, "nothing")
# At the summary's conditions list: every safety question again.
AGAIN = "all"
# For a downtime or a budget: no limit (null in a file, too).
NO_LIMIT = ("no limit", "unlimited", "any")
# For a downtime or a budget: refused, as it could mean 0 as well as no limit.
ZERO_OR_NO_LIMIT = ("none", "no")
# For a skin type: not known.
UNKNOWN_SKIN_TYPE = ("unknown", "not sure", "unsure", "don't know", "do not know", "?")

# Every word above, which no concern or condition may be named.
RESERVED = frozenset((*YES, *NO, *GO, *DONE, AGAIN, *NO_LIMIT, *ZERO_OR_NO_LIMIT, *UNKNOWN_SKIN_TYPE)) - {""}
