"""The rules, held against the reference's contraindication matrix (§3) and our additions to it, cell by cell.

`tests/data/contraindication_matrix.md` is a verbatim copy of §3, so it can be checked against the reference and
never quietly edited to fit the rules. What the knowledge base adds beyond it (a condition §3 lacks, or a cell a
later source fills in) lives in `tests/data/contraindication_additions.md`, one cell per line with the sources
behind it, and overrides §3 where both name a cell. In the merged matrix X/Xe (absolute) cells must be excluded
by an `exclude` rule; R/Re (relative) cells must get a `caution` rule and no exclusion; `ok` and `-` cells must
have no rule at all. Every condition must have a full row, so no absolute contraindication can silently go
missing, and no rule exists without a cell that sources it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pytest

from skinrec import engine
from skinrec.knowledge import KnowledgeBase
from skinrec.profile import Profile
from skinrec.result import Result

MATRIX = Path(__file__).parent / "data" / "contraindication_matrix.md"
ADDITIONS = Path(__file__).parent / "data" / "contraindication_additions.md"
SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "domain" / "reference.md"
COLUMNS = {
    "MN": "microneedling",
    "DR": "derma_roller",
    "RF": "rf_microneedling",
    "LA": "laser_ablative",
    "LNA": "laser_non_ablative",
    "P1": "chemical_peel_light",
    "P2": "chemical_peel_medium",
    "P3": "chemical_peel_deep",
    "MDA": "microdermabrasion",
    "DP": "dermaplaning",
    "MC": "microcurrent",
}
TREATMENTS = tuple(COLUMNS.values())
SKIN_ROW = "Fitzpatrick IV\u2013VI"  # the row name, with its en dash
# Rows that test the skin type rather than a condition, with the types each stands for: §3's, and type III, which
# §3 lacks (the additions give it a full row). A type no row names (I and II) must reach no rule at all.
SKIN_ROWS = {SKIN_ROW: (4, 5, 6), "Fitzpatrick III": (3,)}
FAIR_TYPES = tuple(t for t in range(1, 7) if not any(t in types for types in SKIN_ROWS.values()))
HOME_ROW = "at_home_only"
EXPECTED = {"X": "exclude", "Xe": "exclude", "R": "caution", "Re": "caution", "ok": "none", "-": "none"}


@dataclass(frozen=True)
class Addition:
    condition: str
    treatment: str
    cell: str
    sources: tuple[str, ...]
    why: str


def _table(path: Path) -> list[list[str]]:
    lines = [line for line in path.read_text().splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines]


def _rows() -> list[tuple[str, dict[str, str]]]:
    header, _, *lines = _table(MATRIX)
    return [
        (cells[0], {COLUMNS[col]: cell for col, cell in zip(header[1:], cells[1:], strict=True)}) for cells in lines
    ]


@cache
def _additions() -> tuple[Addition, ...]:
    header, _, *lines = _table(ADDITIONS)
    assert header == ["condition", "treatment", "cell", "source", "why"]
    additions = []
    for cells in lines:
        condition, treatment, cell, source, why = cells
        sources = () if source == "-" else tuple(s.strip() for s in source.split(","))
        additions.append(Addition(condition, treatment, cell, sources, why))
    return tuple(additions)


def _reference_cells() -> dict[tuple[str, str], str]:
    """§3's cells by (condition, treatment); a row naming two conditions ("eczema / psoriasis") gives both."""
    cells: dict[tuple[str, str], str] = {}
    for row, by_treatment in _rows():
        if row == HOME_ROW:
            continue
        conditions = [SKIN_ROW] if row == SKIN_ROW else [re.sub(r"\s*\(.*\)", "", c).strip() for c in row.split("/")]
        for condition in conditions:
            cells.update({(condition, treatment): cell for treatment, cell in by_treatment.items()})
    return cells


def _cells() -> dict[tuple[str, str], str]:
    """The merged matrix: §3, with each addition overriding or extending its cell."""
    return _reference_cells() | {(a.condition, a.treatment): a.cell for a in _additions()}


def _cases() -> list[tuple[str, str, str]]:
    return [(condition, treatment, cell) for (condition, treatment), cell in _cells().items()]


def _expected(cell: str) -> str:
    return EXPECTED[cell.split()[0]]


def _profiles(condition: str) -> list[Profile]:
    """Profiles that have the row's fact and nothing else: the row's skin types for a skin-type row, else the
    condition with skin type I, so no skin-type rule fires and the verdict is the condition's alone."""
    if condition in SKIN_ROWS:
        return [Profile(("acne_scars",), skin_type=skin_type) for skin_type in SKIN_ROWS[condition]]
    return [Profile(("acne_scars",), skin_type=1, conditions=frozenset({condition}))]


def _verdict(kb: KnowledgeBase, profile: Profile, treatment: str) -> str:
    severities = {f.rule.severity for f in engine.fired_rules(profile, kb) if treatment in f.rule.applies}
    return "exclude" if "exclude" in severities else "caution" if severities else "none"


def test_matrix_has_every_row_and_column() -> None:
    rows = _rows()
    assert len(rows) == 25
    assert all(len(cells) == 11 for _, cells in rows)


def _treatments(kb: KnowledgeBase) -> tuple[str, ...]:
    """§3's columns, then the treatments the knowledge base adds (each needs a full column of additions)."""
    return TREATMENTS + tuple(t.id for t in kb.treatments if t.id not in TREATMENTS)


def test_additions_are_well_formed(kb: KnowledgeBase) -> None:
    """A malformed line would otherwise be skipped or misread, and the cell it meant to add would go untested."""
    reference = _reference_cells()
    seen: set[tuple[str, str]] = set()
    for a in _additions():
        key = (a.condition, a.treatment)
        assert a.treatment in _treatments(kb), f"{key}: unknown treatment (not in data/treatments.yaml)"
        assert a.cell in EXPECTED, f"{key}: unknown cell {a.cell!r}"
        assert key not in seen, f"{key}: listed twice"
        seen.add(key)
        assert a.why, f"{key}: say why the cell is added"
        # `-` means nothing was found, so it has no source; any other cell stands on at least one.
        assert bool(a.sources) == (a.cell != "-"), f"{key}: " + (
            "a '-' cell (nothing found) takes no source" if a.cell == "-" else f"a {a.cell!r} cell needs a source"
        )
        assert reference.get(key) != a.cell, f"{key}: §3 already says {a.cell!r}; the addition changes nothing"


def test_new_conditions_have_full_rows(kb: KnowledgeBase) -> None:
    """A condition §3 lacks is listed for every treatment, as §3's rows are, `-` cells included: a missing line
    would leave that cell untested, and an absolute contraindication could go missing unnoticed."""
    reference_conditions = {condition for condition, _ in _reference_cells()}
    listed: dict[str, set[str]] = {}
    for a in _additions():
        if a.condition not in reference_conditions:
            listed.setdefault(a.condition, set()).add(a.treatment)
    for condition, treatments in listed.items():
        missing = sorted(set(_treatments(kb)) - treatments)
        assert not missing, f"{condition}: {ADDITIONS.name} has no line for {missing}; add one per treatment"


def test_new_treatments_have_full_columns(kb: KnowledgeBase) -> None:
    """A treatment §3 lacks (one a maintainer adds to the shipped base) gets a line for every condition, `-` cells
    included, for the same reason as a new condition's row: else its contraindications go untested."""
    conditions = {condition for condition, _ in _cells()}
    for treatment in _treatments(kb)[len(TREATMENTS) :]:
        missing = conditions - {a.condition for a in _additions() if a.treatment == treatment}
        assert not missing, (
            f"{treatment}: {ADDITIONS.name} has no line for {sorted(missing)}; add one per condition, with its cell "
            "(X, R, ok or -, and e for an estimate) and sources"
        )


def test_every_condition_has_a_row(kb: KnowledgeBase) -> None:
    """A condition without a row would have rules no cell sources, and cells nobody checks; so would a skin
    type without one (type III's rules went unchecked)."""
    rows = {condition for condition, _ in _cells()}
    needed = set(kb.conditions) | set(SKIN_ROWS)
    assert needed <= rows, (
        f"no matrix row for {sorted(needed - rows)}: add a line per treatment to tests/data/"
        f"{ADDITIONS.name}, with its cell and sources"
    )


@pytest.mark.parametrize(("condition", "treatment", "cell"), _cases())
def test_cell(kb: KnowledgeBase, condition: str, treatment: str, cell: str) -> None:
    if condition in SKIN_ROWS:
        for profile in _profiles(condition):
            assert _verdict(kb, profile, treatment) == _expected(cell), f"{condition} x {treatment}: matrix says {cell}"
        for skin_type in FAIR_TYPES:
            assert _verdict(kb, Profile(("acne_scars",), skin_type=skin_type), treatment) == "none"
    else:
        assert condition in kb.conditions, f"matrix row {condition!r} has no condition in rules/conditions.yaml"
        (profile,) = _profiles(condition)
        assert _verdict(kb, profile, treatment) == _expected(cell), f"{condition} x {treatment}: matrix says {cell}"


@pytest.mark.parametrize("addition", _additions(), ids=lambda a: f"{a.condition}-{a.treatment}")
def test_addition_sources_are_the_rules(kb: KnowledgeBase, addition: Addition) -> None:
    """An added cell is only as good as its sources: they must exist, and the rule that implements the cell must
    cite them, so the rule a person sees names what the cell stands on."""
    unknown = [s for s in addition.sources if s not in kb.sources]
    assert not unknown, f"unknown source ids {unknown} (not in data/sources.yaml)"
    severity = _expected(addition.cell)
    if severity == "none":
        return
    cited: set[str] = set()
    for profile in _profiles(addition.condition):
        for fired in engine.fired_rules(profile, kb):
            if addition.treatment in fired.rule.applies and fired.rule.severity == severity:
                cited.update(fired.rule.data["sources"])
    missing = [s for s in addition.sources if s not in cited]
    assert not missing, f"{addition.condition} x {addition.treatment}: no {severity} rule for it cites {missing}"


def check_home_only_row(
    kb: KnowledgeBase, recommend: Callable[[Profile, KnowledgeBase], Result] = engine.recommend
) -> None:
    """The `at_home_only` row is the profile's setting, not a rule: only at-home treatments survive it."""
    added = {t.id: "ok" if t.setting == "home" else "X" for t in kb.treatments if t.id not in TREATMENTS}
    cells = dict(_rows())[HOME_ROW] | added  # a treatment §3 lacks: its own setting says
    result = recommend(Profile(("fine_lines", "dull_complexion"), setting="home", skin_type=2), kb)
    admitted = {rec.treatment.id for rec in result.recommendations}
    relevant = set(cells) - {t.id for t in result.not_relevant}
    assert admitted == {t for t, cell in cells.items() if cell == "ok"} & relevant
    for item in result.excluded:
        assert cells[item.treatment.id].startswith("X")
        assert [reason.constraint for reason in item.reasons] == ["setting"]


def test_home_only_row_is_the_setting(kb: KnowledgeBase) -> None:
    check_home_only_row(kb)


def test_the_checks_of_added_treatments_can_fail(kb: KnowledgeBase) -> None:
    """The checks of treatments §3 lacks look at none in the shipped base; on a base with a clinic treatment
    added they must catch its missing column of additions, and an engine that would offer it at home."""

    def added(setting: str) -> KnowledgeBase:
        new = replace(kb.treatment_by_id["microneedling"], id="new_treatment", name="New treatment", setting=setting)
        treatments = (*kb.treatments, new)
        return replace(kb, treatments=treatments, treatment_by_id={t.id: t for t in treatments})

    clinic, home = added("clinic"), added("home")
    check_home_only_row(clinic)  # the new treatment is relevant, and ruled out by the setting
    with pytest.raises(AssertionError, match="new_treatment"):
        test_new_treatments_have_full_columns(clinic)
    with pytest.raises(AssertionError):
        check_home_only_row(clinic, recommend=lambda profile, _kb: engine.recommend(profile, home))


@pytest.mark.skipif(not SHARED_REFERENCE.is_file(), reason="shared/ is not beside this checkout")
def test_fixture_is_the_references_table() -> None:
    """The copy in tests/data must not drift from the reference it was taken from."""
    reference = SHARED_REFERENCE.read_text()
    section = reference[reference.index("## 3. Contraindication matrix") :]
    table = [line for line in section.splitlines() if line.startswith("|")]
    fixture = [line for line in MATRIX.read_text().splitlines() if line.startswith("|")]
    assert table[: len(fixture)] == fixture
