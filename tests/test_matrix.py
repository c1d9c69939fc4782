"""The rules, held against the reference's contraindication matrix (§3), cell by cell.

`tests/data/contraindication_matrix.md` is a verbatim copy of that table. X/Xe (absolute) cells must be
excluded by an `exclude` rule; R/Re (relative) cells must get a `caution` rule and no exclusion; `ok` and `-`
cells must have no rule at all. So no absolute contraindication can silently go missing, and no rule exists
without a cell that sources it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skinrec import engine
from skinrec.knowledge import KnowledgeBase
from skinrec.profile import Profile

MATRIX = Path(__file__).parent / "data" / "contraindication_matrix.md"
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
SKIN_ROW = "Fitzpatrick IV\u2013VI"  # the row name, with its en dash
HOME_ROW = "at_home_only"


def _rows() -> list[tuple[str, dict[str, str]]]:
    lines = [line for line in MATRIX.read_text().splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append((cells[0], {COLUMNS[col]: cell for col, cell in zip(header[1:], cells[1:], strict=True)}))
    return rows


def _expected(cell: str) -> str:
    kind = cell.split()[0]
    return {"X": "exclude", "Xe": "exclude", "R": "caution", "Re": "caution", "ok": "none", "-": "none"}[kind]


def _verdict(kb: KnowledgeBase, profile: Profile, treatment: str) -> str:
    severities = {f.rule.severity for f in engine.fired_rules(profile, kb) if treatment in f.rule.applies}
    return "exclude" if "exclude" in severities else "caution" if severities else "none"


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for row, cells in _rows():
        if row == HOME_ROW:
            continue
        conditions = [SKIN_ROW] if row == SKIN_ROW else [re.sub(r"\s*\(.*\)", "", c).strip() for c in row.split("/")]
        for condition in conditions:
            cases += [(condition, treatment, cell) for treatment, cell in cells.items()]
    return cases


def test_matrix_has_every_row_and_column() -> None:
    rows = _rows()
    assert len(rows) == 25
    assert all(len(cells) == 11 for _, cells in rows)


@pytest.mark.parametrize(("condition", "treatment", "cell"), _cases())
def test_cell(kb: KnowledgeBase, condition: str, treatment: str, cell: str) -> None:
    if condition == SKIN_ROW:
        for skin_type in (4, 5, 6):
            assert _verdict(kb, Profile(("acne_scars",), skin_type=skin_type), treatment) == _expected(cell)
        for skin_type in (1, 2, 3):
            assert _verdict(kb, Profile(("acne_scars",), skin_type=skin_type), treatment) == "none"
    else:
        assert condition in kb.conditions, f"matrix row {condition!r} has no condition in rules/conditions.yaml"
        # Skin type I: no skin-type rule fires, so the verdict is the condition's alone.
        profile = Profile(("acne_scars",), skin_type=1, conditions=frozenset({condition}))
        assert _verdict(kb, profile, treatment) == _expected(cell), f"{condition} x {treatment}: matrix says {cell}"


def test_home_only_row_is_the_setting(kb: KnowledgeBase) -> None:
    """The `at_home_only` row is the profile's setting, not a rule: only at-home treatments survive it."""
    cells = dict(_rows())[HOME_ROW]
    result = engine.recommend(Profile(("fine_lines", "dull_complexion"), setting="home", skin_type=2), kb)
    admitted = {rec.treatment.id for rec in result.recommendations}
    assert admitted == {t for t, cell in cells.items() if cell == "ok"}
    for item in result.excluded:
        assert cells[item.treatment.id].startswith("X")
        assert [reason.constraint for reason in item.reasons] == ["setting"]


@pytest.mark.skipif(not SHARED_REFERENCE.is_file(), reason="shared/ is not beside this checkout")
def test_fixture_is_the_references_table() -> None:
    """The copy in tests/data must not drift from the reference it was taken from."""
    reference = SHARED_REFERENCE.read_text()
    section = reference[reference.index("## 3. Contraindication matrix") :]
    table = [line for line in section.splitlines() if line.startswith("|")]
    fixture = [line for line in MATRIX.read_text().splitlines() if line.startswith("|")]
    assert table[: len(fixture)] == fixture
