"""The benchmark's synthetic knowledge bases stay valid as validation grows stricter: the scale figures of
issue 5 are measured on them, and a base that no longer validates would be refused by every command."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from helpers import problems

GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "gen_kb.py"


@pytest.mark.parametrize("count", [11, 15, 60])
def test_a_generated_knowledge_base_validates(tmp_path: Path, count: int) -> None:
    spec = importlib.util.spec_from_file_location("gen_kb", GENERATOR)
    assert spec is not None and spec.loader is not None
    gen_kb = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_kb)
    root = gen_kb.generate(count, tmp_path / "kb")
    assert problems(root) == []
    assert (root / "data" / "treatments.yaml").read_text().count("\n  - {") == count
