"""Generate a valid synthetic knowledge base of N treatments, to measure how skinrec scales.

The shipped knowledge base is copied as it is (sources, concerns, conditions, scoring and every rule file, so
its tag rules reach the new treatments too), and N minus the shipped count treatments are added, each a
variant of a shipped one with its own id, ratings and ranges. One extra rule per ten new treatments goes into
`rules/generated.yaml`, so rules grow with treatments as they would in a real, larger base.

New records are written as flow-style YAML, one line each (JSON syntax, which is YAML too), so 10,000
treatments stay around 10 MB, well under the loader's 32 MiB file limit. Output is deterministic for a
given N and seed, so a benchmark's figures can be reproduced.

    .venv/bin/python benchmarks/gen_kb.py 10000            # -> benchmarks/generated/kb-10000/
    .venv/bin/python benchmarks/gen_kb.py 1000 --out /tmp/kb
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
GENERATED = Path(__file__).resolve().parent / "generated"
RATINGS = ("none", "mild", "moderate", "strong")
COPIED = ("data/sources.yaml", "data/concerns.yaml", "rules/conditions.yaml", "rules/scoring.yaml")


def _flow(record: dict[str, Any]) -> str:
    """One record as a single line of flow-style YAML."""
    return json.dumps(record, ensure_ascii=False)


def _variant(base: dict[str, Any], index: int, concerns: list[str], rng: random.Random) -> dict[str, Any]:
    """A new treatment shaped like `base` (tags, setting, citations), with its own ratings and ranges."""
    cited = base["sources"][:2]
    low, sessions, cost = rng.randint(0, 10), rng.randint(1, 6), rng.randint(20, 1500)
    record: dict[str, Any] = {
        "id": f"{base['id']}_v{index:05d}",
        "name": f"{base['name']} (variant {index})",
        "summary": base["summary"],
        "mechanism": f"Works like {base['name']}.",
        "setting": base["setting"],
        "tags": base["tags"],
        "efficacy": {
            concern: {"rating": rng.choice(RATINGS[1:]), "sources": cited}
            for concern in rng.sample(concerns, rng.randint(1, 4))
        },
        "downtime_days": {"min": low, "max": low + rng.randint(0, 7), "sources": cited},
        "sessions": {"min": sessions, "max": sessions + rng.randint(0, 3), "sources": cited},
        "cost_per_session_usd": {"min": cost, "max": cost + rng.randint(0, 900), "sources": cited},
        "pain": {"level": base["pain"]["level"], "numbing": base["pain"]["numbing"], "sources": cited},
        "pih_risk": {"level": base["pih_risk"]["level"], "sources": cited},
        "preparation": base["preparation"][:1],
        "aftercare": base["aftercare"][:1],
        "sources": cited,
    }
    if record["sessions"]["max"] > 1:  # an interval exactly when there can be more than one session
        record["interval_weeks"] = {"min": 4, "max": 6, "sources": cited}
    return record


def _rule(index: int, targets: list[str], conditions: list[str], source: str, rng: random.Random) -> dict[str, Any]:
    """A rule over a few new treatments, with one test that fires and one that does not."""
    first, second = rng.sample(conditions, 2)
    dark_skin = rng.random() < 0.3
    when: Any = {"all": [first, {"skin_type": {"min": 4}}]} if dark_skin else {"any": [first, second]}
    firing: dict[str, Any] = {"conditions": [first], **({"skin_type": 5} if dark_skin else {})}
    return {
        "id": f"generated-{index:05d}",
        "severity": rng.choice(("exclude", "caution")),
        "when": when,
        "applies_to": {"treatments": targets, "tags": []},
        "message": f"Generated rule {index}: take care with {first}.",
        "explanation": "A synthetic rule for benchmarking.",
        "sources": [source],
        "tests": [
            {"profile": firing, "treatment": targets[0], "fires": True},
            {"profile": {"conditions": []}, "treatment": targets[0], "fires": False},
        ],
    }


def generate(count: int, out: Path, seed: int = 0) -> Path:
    """Write a knowledge base of `count` treatments (at least the shipped ones) to `out`; returns `out`."""
    rng = random.Random(seed)
    shutil.rmtree(out, ignore_errors=True)
    (out / "data").mkdir(parents=True)
    (out / "rules").mkdir()
    for rel in COPIED:
        shutil.copyfile(REPO / rel, out / rel)
    for path in (REPO / "rules").glob("*.yaml"):
        if not (out / "rules" / path.name).exists():
            shutil.copyfile(path, out / "rules" / path.name)

    shipped = yaml.safe_load((REPO / "data/treatments.yaml").read_text(encoding="utf-8"))
    concerns = [c["id"] for c in yaml.safe_load((REPO / "data/concerns.yaml").read_text(encoding="utf-8"))["concerns"]]
    conditions = [
        c["id"] for c in yaml.safe_load((REPO / "rules/conditions.yaml").read_text(encoding="utf-8"))["conditions"]
    ]
    bases = shipped["treatments"]
    new = [_variant(bases[i % len(bases)], i, concerns, rng) for i in range(max(0, count - len(bases)))]
    treatments = [*bases, *new]
    lines = ["tags:", *(f"  {tag}: {json.dumps(text)}" for tag, text in shipped["tags"].items()), "treatments:"]
    lines += [f"  - {_flow(record)}" for record in treatments]
    (out / "data/treatments.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    source = bases[0]["sources"][0]
    new_ids = [record["id"] for record in new]
    rules = [
        _rule(index, rng.sample(new_ids, min(5, len(new_ids))), conditions, source, rng)
        for index in range(len(new) // 10)
    ]
    if rules:
        text = "rules:\n" + "".join(f"  - {_flow(rule)}\n" for rule in rules)
        (out / "rules/generated.yaml").write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of treatments (the shipped ones included)")
    parser.add_argument("--out", type=Path, help="output folder (default: benchmarks/generated/kb-COUNT)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    out = generate(args.count, args.out or GENERATED / f"kb-{args.count}", args.seed)
    size = sum(path.stat().st_size for path in out.rglob("*.yaml"))
    print(f"wrote {out} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
