"""The recommendation document as compact JSON text, fast: the JSON-lines path of `skinrec batch`.

`document_line(kb, profile, top)` is byte for byte `export.dumps(export.result_document(kb,
engine.recommend(profile, kb), top), compact=True)` (the test suite holds it to that on many random profiles
and knowledge bases), made several times faster. Building the result's objects and dictionaries and then
encoding them costs more than deciding the ranking does, so this writes the text straight from the engine's
`Ranking`, whose pieces are shared between profiles and are therefore encoded once each:

* a treatment's facts (summary, logistics, preparation, aftercare, the steps that are judgments, sources), the
  bulk of each recommendation;
* a treatment's efficacy reasons for a list of concerns, the cautions and PIH reasons for a set of conditions
  and skin type, each penalty, exclusion and caution, the list of treatments that are not relevant.

What is left per document is joining those pieces around a few numbers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring
from typing import Any, TypeVar

from skinrec import __version__
from skinrec.engine import rank
from skinrec.export import DISCLAIMER, SCHEMA_VERSION, summary_for, treatment_facts
from skinrec.gcpause import without_gc
from skinrec.knowledge import KnowledgeBase, Treatment
from skinrec.profile import Profile
from skinrec.result import Caution, Exclusion, NearMiss, Reason
from skinrec.wording import Origin, notices

_HEAD = f'"schema_version":{encode_basestring(SCHEMA_VERSION)},"skinrec_version":{encode_basestring(__version__)}'
_TAIL = f',"disclaimer":{encode_basestring(DISCLAIMER)}}}'
# Pieces kept encoded before starting afresh: more than a real batch's distinct reasons and exclusions, and than
# the engine's memos hold tuples of them. Columns (a piece per treatment) are kept up to COLUMN_CELLS pieces.
MEMO_LIMIT = 65536
COLUMN_CELLS = 500_000
# Whatever `_Fragments.of` encodes, so that the type checker matches each piece with its encoder.
Piece = TypeVar("Piece")


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _number(value: float | None) -> str:
    """A JSON number as `json.dumps` writes it (ints as ints, finite floats by repr), or null."""
    if value is None:
        return "null"
    if type(value) is int:
        return int.__repr__(value)
    if type(value) is float and math.isfinite(value):
        return float.__repr__(value)
    return _compact(value)


def _scalar(value: str | float) -> str:
    return encode_basestring(value) if isinstance(value, str) else _number(value)


class _Fragments:
    """The encoded pieces of one knowledge base's documents, made on first use (kept in `kb.derived`).

    Pieces the engine shares between results are found by identity: `shared` maps `id(piece)` to its JSON,
    and `kept` holds the pieces themselves, so no other object can take the same id while it is in the map.
    The engine's columns (a tuple of reasons, cautions or exclusions per treatment) are encoded likewise, a
    treatment at a time as documents need them, in `columns` (kept in `kept_columns`).
    """

    __slots__ = ("columns", "facts", "heads", "ids", "kb", "kept", "kept_columns", "shared")

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.ids = {t.id: encode_basestring(t.id) for t in kb.treatments}
        # per treatment index: its id and name members; its facts, made when first needed (see `facts_of`)
        self.heads = [f'"id":{self.ids[t.id]},"name":{encode_basestring(t.name)}' for t in kb.treatments]
        self.facts: list[str | None] = [None] * len(kb.treatments)
        self.shared: dict[int, str] = {}
        self.kept: list[object] = []
        self.columns: dict[int, list[str | None]] = {}
        self.kept_columns: list[object] = []

    def facts_of(self, i: int) -> str:
        """Treatment `i`'s facts as the last members of a JSON object, and its closing brace."""
        found = self.facts[i]
        if found is None:
            found = self.facts[i] = _compact(treatment_facts(self.kb, self.kb.treatments[i]))[1:]
        return found

    def group(self, pieces: tuple[Any, ...], encode: Callable[[Any], str]) -> str:
        """The JSON of a tuple of pieces the engine shares, made from each piece's own (also kept)."""
        shared = self.shared
        return self.of(
            pieces, lambda _: ",".join([shared.get(id(piece)) or self.of(piece, encode) for piece in pieces])
        )

    def column(self, pieces: list[Any]) -> list[str | None]:
        """The encoded column for an engine column of tuples: None for each treatment until `cell` fills it."""
        found = self.columns.get(id(pieces))
        if found is None:
            if len(self.columns) >= max(16, COLUMN_CELLS // len(self.kb.treatments or [None])):
                self.columns.clear()
                self.kept_columns.clear()
            found = self.columns[id(pieces)] = [None] * len(pieces)
            self.kept_columns.append(pieces)
        return found

    def cell(self, column: list[str | None], pieces: list[Any], i: int, encode: Callable[[Any], str]) -> str:
        """Treatment `i`'s cell of an encoded column: the JSON of its tuple's members, without brackets."""
        found = column[i]
        if found is None:
            group = pieces[i]
            found = column[i] = self.shared.get(id(group)) or self.group(group, encode) if group else ""
        return found

    def of(self, piece: Piece, encode: Callable[[Piece], str]) -> str:
        """The JSON of a piece the engine shares (a reason, an exclusion, the list of irrelevant treatments...)."""
        found = self.shared.get(id(piece))
        if found is None:
            if len(self.shared) >= MEMO_LIMIT:
                self.shared.clear()
                self.kept.clear()
            found = self.shared[id(piece)] = encode(piece)
            self.kept.append(piece)
        return found


def _reason(reason: Reason) -> str:
    return _compact({"text": reason.text, "points": reason.points})


def _caution(caution: Caution) -> str:
    return _compact({"rule": caution.rule, "triggers": list(caution.triggers), "message": caution.message})


def _exclusion(exclusion: Exclusion) -> str:
    head = {"rule": exclusion.rule} if exclusion.rule is not None else {"constraint": exclusion.constraint}
    return _compact({**head, "triggers": list(exclusion.triggers), "message": exclusion.message})


def _ids(treatments: tuple[Treatment, ...]) -> str:
    return ",".join(encode_basestring(t.id) for t in treatments)


def _fragments(kb: KnowledgeBase) -> _Fragments:
    return kb.derive("fast_export", _Fragments)


def _profile(profile: Profile) -> str:
    concerns = ",".join(map(encode_basestring, profile.concerns))
    conditions = ",".join(map(encode_basestring, sorted(profile.conditions)))
    return (
        f'{{"concerns":[{concerns}],"downtime":{_number(profile.downtime)},"budget":{_number(profile.budget)},'
        f'"budget_per":{encode_basestring(profile.budget_per)},"skin_type":{_number(profile.skin_type)},'
        f'"conditions":[{conditions}],"setting":{encode_basestring(profile.setting)}}}'
    )


def _changes(changes: Mapping[str, float | str]) -> str:
    return ",".join(f"{encode_basestring(name)}:{_scalar(value)}" for name, value in changes.items())


def _near_miss(fragments: _Fragments, miss: NearMiss) -> str:
    changes = fragments.shared.get(id(miss.changes)) or fragments.of(miss.changes, _changes)
    return (
        f'{{"id":{fragments.ids[miss.treatment.id]},"changes":{{{changes}}},"rank":{miss.rank},'
        f'"score":{miss.score},"text":{encode_basestring(miss.text)}}}'
    )


def document_line(
    kb: KnowledgeBase,
    profile: Profile,
    top: int | None = None,
    ident: str | int | None = None,
    screened: bool = True,
    *,
    origin: Origin,
) -> str:
    """The compact JSON document of the recommendation for `profile`; with `ident`, an `"id"` member comes
    first (batch lines); `screened` and `origin` as for `wording.notices` (`origin` has no default, for the
    reason given there)."""
    out: list[str] = []
    write_document(kb, profile, top, ident, out.append, screened, origin=origin)
    return "".join(out)


@without_gc
def write_document(
    kb: KnowledgeBase,
    profile: Profile,
    top: int | None,
    ident: str | int | None,
    write: Callable[[str], object],
    screened: bool,
    *,
    origin: Origin,
) -> None:
    """`document_line`, handed to `write` in pieces: a treatment's facts are most of a document, and are
    handed over as the one string kept for that treatment rather than copied into a new one every time."""
    fragments = _fragments(kb)
    heads, facts = fragments.heads, fragments.facts
    ranking = rank(profile, kb)
    near = ranking.near_misses()
    summary = summary_for(bool(ranking.admitted), bool(ranking.excluded), bool(near))
    opening = "{" if ident is None else f'{{"id":{_scalar(ident)},'
    summary_text = "null" if summary is None else encode_basestring(summary)
    said = "[]" if screened else _compact(notices(kb, profile, screened, origin=origin))
    write(
        f'{opening}{_HEAD},"profile":{_profile(profile)},"summary":{summary_text},"notices":{said},"recommendations":['
    )
    cell, column = fragments.cell, fragments.column
    efficacy, penalties = ranking.rated.efficacy, ranking.limits.penalties
    tails, cautions = ranking.verdicts.tails, ranking.verdicts.cautions
    efficacy_json, penalties_json = column(efficacy), column(penalties)
    tails_json, cautions_json = column(tails), column(cautions)
    placed = ranking.placed()
    separator = ""
    for position, (i, score) in enumerate(placed if top is None else placed[:top], start=1):
        reasons = [
            text if (text := efficacy_json[i]) is not None else cell(efficacy_json, efficacy, i, _reason),
            text if (text := penalties_json[i]) is not None else cell(penalties_json, penalties, i, _reason),
            text if (text := tails_json[i]) is not None else cell(tails_json, tails, i, _reason),
        ]
        caution = text if (text := cautions_json[i]) is not None else cell(cautions_json, cautions, i, _caution)
        write(
            f'{separator}{{"rank":{position},{heads[i]},"score":{score},'
            f'"reasons":[{",".join(filter(None, reasons))}],'
            f'"cautions":[{caution}],'
        )
        write(facts[i] or fragments.facts_of(i))
        separator = ","
    excluded = ""
    if ranking.excluded:
        rules, limits = ranking.verdicts.exclusions, ranking.limits.exclusions
        rules_json, limits_json = column(rules), column(limits)
        entries = []
        for i in ranking.excluded:
            by_rules = text if (text := rules_json[i]) is not None else cell(rules_json, rules, i, _exclusion)
            by_limits = text if (text := limits_json[i]) is not None else cell(limits_json, limits, i, _exclusion)
            joined = f"{by_rules},{by_limits}" if by_rules and by_limits else by_rules or by_limits
            entries.append(f'{{{heads[i]},"reasons":[{joined}]}}')
        excluded = ",".join(entries)
    write(
        f'],"excluded":[{excluded}],"not_relevant":[{fragments.of(ranking.rated.not_relevant, _ids)}],'
        f'"near_misses":[{",".join([_near_miss(fragments, miss) for miss in near])}]{_TAIL}'
    )
