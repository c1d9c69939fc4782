"""Merging a profile file with command-line flags; flags win, and errors name the flag that was wrong."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from skinrec.errors import UsageError
from skinrec.knowledge import KnowledgeBase
from skinrec.profile import (
    BUDGET_PER,
    PROFILE_KEYS,
    SETTINGS,
    Profile,
    parse_amount,
    parse_budget,
    parse_choice,
    parse_concern,
    parse_condition,
    parse_skin_type,
)

T = TypeVar("T")


@dataclass
class ProfileFlags:
    """What the flags said; None (or empty) where a flag was not given."""

    concerns: list[str] = field(default_factory=list)
    downtime: str | None = None
    budget: str | None = None
    budget_per: str | None = None
    skin_type: str | None = None
    conditions: list[str] = field(default_factory=list)
    setting: str | None = None


def _flag(name: str, parse: Callable[[str], T], value: str) -> T:
    try:
        return parse(value)
    except ValueError as exc:
        raise UsageError(f"{name}: {exc}") from None


def build_profile(kb: KnowledgeBase, flags: ProfileFlags, profile_file: Path | None) -> tuple[Profile, frozenset[str]]:
    """The profile file's values (if any), overridden by every flag given, and the profile keys they answer.
    Conditions from both are kept: a flag can add a condition but never silently drop one the file declares.
    Only the file answers `conditions` (even with an empty list): a condition flag says one thing is true,
    not that nothing else is, so the questionnaire still asks the other safety questions."""
    profile, answered = Profile(concerns=()), frozenset[str]()
    if profile_file is not None:
        from skinrec.profile_file import load_profile_file

        profile, answered = load_profile_file(kb, profile_file)
    given = (flags.concerns, flags.downtime, flags.budget, flags.budget_per, flags.skin_type, None, flags.setting)
    answered |= {key for key, value in zip(PROFILE_KEYS, given, strict=True) if value not in (None, [])}
    if flags.concerns:
        concerns = [_flag("--concern", lambda v: parse_concern(kb, v), c) for c in flags.concerns]
        profile = replace(profile, concerns=tuple(dict.fromkeys(concerns)))
    if flags.downtime is not None:
        profile = replace(profile, downtime=_flag("--downtime", lambda v: parse_amount("downtime", v), flags.downtime))
    if flags.budget is not None:
        profile = replace(profile, budget=_flag("--budget", parse_budget, flags.budget))
    if flags.budget_per is not None:
        per = _flag("--budget-per", lambda v: parse_choice("budget per", v, BUDGET_PER, "per"), flags.budget_per)
        profile = replace(profile, budget_per=per)
    if flags.skin_type is not None:
        profile = replace(profile, skin_type=_flag("--skin-type", parse_skin_type, flags.skin_type))
    if flags.conditions:
        added = frozenset(_flag("--condition", lambda v: parse_condition(kb, v), c) for c in flags.conditions)
        profile = replace(profile, conditions=profile.conditions | added)
    if flags.setting is not None:
        profile = replace(
            profile, setting=_flag("--setting", lambda v: parse_choice("setting", v, SETTINGS), flags.setting)
        )
    return profile, answered
