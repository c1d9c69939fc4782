"""Every fact traces to a source that exists: seed articles by file name, public pages by address."""

from __future__ import annotations

import json
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
    reference = (SHARED / "domain" / "reference.md").read_text()
    for ident, source in kb.sources.items():
        if source["url"]:
            assert source["url"] in reference, f"{ident}: {source['url']} is not in reference.md §8"
