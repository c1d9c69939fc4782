"""Conditions as people give them reach the profile whole: a condition typed by its id, label or a synonym, in
any case, with spaces, hyphens and underscores mixed, is the condition meant, and no other, and the answer
built on it keeps the safety promise.

A random set of conditions (one may come twice, by two names) goes in through each way a profile is built from
text: a batch line (`batch.score_line`), the recommend command's flags as the CLI parses them
(`profile_input.build_profile`), and the command itself (`skinrec recommend -x ... -f json`, with the shortcut
flags too). The conditions read back from the JSON document's profile must be the set meant, and the document
is held to the oracle of test_safety_oracle.py for that set.
"""

from __future__ import annotations

import json
import re

from helpers import cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import CONCERNS, Record, documents
from test_safety_oracle import SHIPPED, SHIPPED_ORACLE, Oracle, check_document

from skinrec import engine
from skinrec.batch import score_line
from skinrec.cli.profile_input import ProfileFlags, build_profile
from skinrec.export import result_document
from skinrec.knowledge import KnowledgeBase, compile_kb
from skinrec.profile import Profile

# The shortcut flags, and the condition each stands for (`skinrec recommend --help`).
SHORTCUTS = {
    "pregnant": "--pregnant",
    "breastfeeding": "--breastfeeding",
    "active_acne": "--active-acne",
    "blood_thinners": "--blood-thinners",
}
SKIN_TYPES = st.none() | st.integers(1, 6)
SETTINGS = st.sampled_from(["any", "clinic", "home"])
TOPS = st.sampled_from([None, 0, 1, 3])


@st.composite
def spelt(draw: st.DrawFn, name: str) -> str:
    """`name` as a person may type it: any letter in either case, each run of separators (spaces, hyphens,
    underscores) any other such run, and spaces around it."""
    words = re.split(r"[\s_-]+", name.strip())
    text = words[0] + "".join(draw(st.text(" _-", min_size=1, max_size=3)) + word for word in words[1:])
    upper = draw(st.integers(0, 2 ** len(text) - 1))
    text = "".join(char.upper() if upper >> i & 1 else char.lower() for i, char in enumerate(text))
    return draw(st.sampled_from(["", " ", "  "])) + text + draw(st.sampled_from(["", " ", "\t"]))


@st.composite
def named_conditions(draw: st.DrawFn, oracle: Oracle) -> list[tuple[str, str]]:
    """Conditions, each with a name a person may give it by (its id, label or a synonym, `spelt`)."""
    chosen = draw(st.lists(st.sampled_from(sorted(oracle.conditions)), max_size=5))
    return [(ident, draw(spelt(draw(st.sampled_from(oracle.names_of(ident)))))) for ident in chosen]


def check_line(kb: KnowledgeBase, oracle: Oracle, line: Record, meant: Profile, top: int | None) -> None:
    out: list[str] = []
    assert score_line(kb, json.dumps(line).encode(), 1, top, out.append) is None, out
    doc = json.loads("".join(out))
    assert doc["profile"]["conditions"] == sorted(meant.conditions), (line["conditions"], doc["profile"])
    check_document(oracle, meant, doc, "batch line")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(SHIPPED.concerns)), min_size=1, max_size=3, unique=True),
    named_conditions(SHIPPED_ORACLE),
    SKIN_TYPES,
    SETTINGS,
    TOPS,
)
def test_shipped_batch_lines_read_conditions_by_any_name(
    concerns: list[str], named: list[tuple[str, str]], skin_type: int | None, setting: str, top: int | None
) -> None:
    meant = Profile(tuple(concerns), skin_type=skin_type, conditions=frozenset(c for c, _ in named), setting=setting)
    line = {"concerns": concerns, "conditions": [name for _, name in named], "skin_type": skin_type, "setting": setting}
    check_line(SHIPPED, SHIPPED_ORACLE, line, meant, top)


@st.composite
def random_cases(draw: st.DrawFn) -> tuple[KnowledgeBase, Oracle, Profile, list[str]]:
    """A random knowledge base (its conditions with labels and synonyms), a profile for it, and the names its
    conditions are given by."""
    doc = draw(documents())
    oracle = Oracle.of(doc)
    named = draw(named_conditions(oracle))
    concerns = draw(st.lists(st.sampled_from(CONCERNS), min_size=1, max_size=3, unique=True))
    meant = Profile(
        tuple(concerns), skin_type=draw(SKIN_TYPES), conditions=frozenset(c for c, _ in named), setting=draw(SETTINGS)
    )
    return compile_kb(doc), oracle, meant, [name for _, name in named]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_cases(), TOPS)
def test_random_batch_lines_and_flags_read_conditions_by_any_name(
    case: tuple[KnowledgeBase, Oracle, Profile, list[str]], top: int | None
) -> None:
    kb, oracle, meant, names = case
    line = {"concerns": list(meant.concerns), "conditions": names, "skin_type": meant.skin_type}
    check_line(kb, oracle, {**line, "setting": meant.setting}, meant, top)
    skin_type = None if meant.skin_type is None else str(meant.skin_type)
    flags = ProfileFlags(concerns=list(meant.concerns), skin_type=skin_type, conditions=names, setting=meant.setting)
    profile, _ = build_profile(kb, flags, None)
    assert profile.conditions == meant.conditions, names
    check_document(oracle, meant, result_document(kb, engine.recommend(profile, kb), top, origin="flag"), "flags")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(SHIPPED.concerns)), min_size=1, max_size=3, unique=True),
    named_conditions(SHIPPED_ORACLE),
    st.booleans(),
    SKIN_TYPES,
    SETTINGS,
    st.sampled_from([0, 1, 3]),
)
def test_recommend_reads_conditions_by_any_name(
    concerns: list[str],
    named: list[tuple[str, str]],
    shortcuts: bool,
    skin_type: int | None,
    setting: str,
    top: int,
) -> None:
    """The command itself, `-x NAME` for each (or its shortcut flag, where it has one), `-n` 0 for all."""
    argv = ["recommend", "--no-input", "-f", "json", "-n", str(top), "--setting", setting]
    argv += [arg for concern in concerns for arg in ("-c", concern)]
    argv += [] if skin_type is None else ["-s", str(skin_type)]
    for ident, name in named:
        argv += [SHORTCUTS[ident]] if shortcuts and ident in SHORTCUTS else ["-x", name]
    run = cli(*argv)
    assert run.code == 0, run.stderr
    doc = json.loads(run.stdout)
    meant = Profile(tuple(concerns), skin_type=skin_type, conditions=frozenset(c for c, _ in named), setting=setting)
    assert doc["profile"]["conditions"] == sorted(meant.conditions), argv
    check_document(SHIPPED_ORACLE, meant, doc, "recommend -f json")
