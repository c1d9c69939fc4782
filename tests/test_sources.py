"""Every fact traces to a source that exists: seed articles by file name, public pages by address."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skinrec.knowledge import KnowledgeBase

SHARED = Path(__file__).resolve().parents[2] / "shared"


def cited(kb: KnowledgeBase) -> set[str]:
    text = json.dumps([t.data for t in kb.treatments] + [r.data for r in kb.rules])
    return {ident for ident in kb.sources if f'"{ident}"' in text}


def test_every_source_is_cited(kb: KnowledgeBase) -> None:
    assert set(kb.sources) == cited(kb)


def test_every_treatment_and_rule_cites_something(kb: KnowledgeBase) -> None:
    assert all(t.data["sources"] for t in kb.treatments)
    assert all(r.data["sources"] for r in kb.rules)
    for treatment in kb.treatments:
        for concern, efficacy in treatment.data["efficacy"].items():
            assert efficacy["sources"], f"{treatment.id}.{concern}"


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="shared/ is not beside this checkout")
def test_seed_sources_exist(kb: KnowledgeBase) -> None:
    seeds = {path.name for path in (SHARED / "seeds").iterdir()}
    named = {source["seed"] for source in kb.sources.values() if source["seed"]}
    assert named == seeds


@pytest.mark.skipif(not (SHARED / "domain" / "reference.md").is_file(), reason="shared/ is not beside this checkout")
def test_url_sources_come_from_the_reference(kb: KnowledgeBase) -> None:
    """From the reference's list of sources, or from the listed few found beyond it (each with what it supports)."""
    reference = (SHARED / "domain" / "reference.md").read_text()
    beyond = (Path(__file__).parent / "data" / "sources_beyond_reference.md").read_text()
    listed = {
        tuple(cell.strip() for cell in row.split("|")[1:3]) for row in beyond.splitlines() if row.startswith("| ")
    }
    for ident, source in kb.sources.items():
        if source["url"] and (ident, source["url"]) not in listed:
            assert source["url"] in reference, (
                f"{ident}: {source['url']} is in neither reference.md §8 nor sources_beyond_reference.md"
            )


def test_a_deleted_source_is_not_taken_for_an_unrelated_one(kb_copy: Path) -> None:
    """Once `mailash_mn` is deleted, its citations are unknown; 'maips_mc' shares a few letters with it, and was
    offered as what they meant. A real typo (a character or two off) still gets its hint."""
    from test_kb_validate import edit, problems

    sources = kb_copy / "data" / "sources.yaml"
    shipped = sources.read_text()
    sources.write_text(re.sub(r"  - id: mailash_mn\n(    .*\n)+", "", shipped))
    found = problems(kb_copy)
    assert len(found) == 4  # one per citation, in two rule files
    assert all(
        problem.endswith("unknown source 'mailash_mn'; add it to data/sources.yaml or fix the spelling")
        for problem in found
    )
    sources.write_text(shipped)
    for typo in ("mailsah_mn", "mailash_m", "mallash_nm"):
        edit(kb_copy, "rules/systemic.yaml", "sources: [mailash_mn", f"sources: [{typo}")
        assert f"unknown source '{typo}'; did you mean 'mailash_mn'?" in " ".join(problems(kb_copy))
        edit(kb_copy, "rules/systemic.yaml", f"sources: [{typo}", "sources: [mailash_mn")
