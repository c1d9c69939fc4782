"""skinrec's benchmark: start-up latency, engine throughput, batch throughput and scaling, each beside a reference
measured in the same run.

    .venv/bin/python benchmarks/run.py            # everything (a few minutes); table on stdout, JSON saved
    .venv/bin/python benchmarks/run.py --quick    # fewer runs and profiles, for a rough look
    .venv/bin/python benchmarks/run.py --only latency,batch

Every figure is the median of several runs, and every run of a command is interleaved with runs of its
reference, so a machine shared with other work slows both alike and the ratios stay meaningful even when the
absolute times drift. Subprocesses run with the interpreter running this script (so: the same virtual
environment), as `python SCRIPT ARGS`, with a private, warmed-up knowledge-base cache and with bytecode caching
on (an installed package has its bytecode compiled; PYTHONDONTWRITEBYTECODE would make every run recompile
skinrec's sources).

The random profiles are drawn from one documented population (`random_profile`): 1-3 concerns, a downtime
limit half the time (0-14 days), a budget half the time (a course budget of $200-$8,000, or a session budget
of $50-$1,000 one time in five), a skin type four times in five, 0-3 conditions (none half the time), and a
clinic or at-home setting one time in ten each.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"
PYTHON = sys.executable
SKINREC = str(Path(PYTHON).with_name("skinrec"))
GOALS = {"latency": 1.10, "engine": 70_000, "batch": 25_000, "jobs": 1.7, "scale": 2.0}
RECOMMEND = ["recommend", "-c", "acne_scars", "-d", "3", "-f", "json"]


def random_profile(rng: random.Random, concerns: Sequence[str], conditions: Sequence[str]) -> dict[str, Any]:
    """One profile of the benchmark population, as a profile file (or batch line) would hold it."""
    per = "session" if rng.random() < 0.2 else "course"
    profile: dict[str, Any] = {"concerns": rng.sample(list(concerns), rng.choices((1, 2, 3), (5, 3, 2))[0])}
    if rng.random() < 0.5:
        profile["downtime"] = rng.randint(0, 14)
    if rng.random() < 0.5:
        profile["budget"] = rng.randrange(50, 1001, 50) if per == "session" else rng.randrange(200, 8001, 100)
        profile["budget_per"] = per
    if rng.random() < 0.8:
        profile["skin_type"] = rng.randint(1, 6)
    profile["conditions"] = rng.sample(list(conditions), rng.choices((0, 1, 2, 3), (50, 30, 15, 5))[0])
    profile["setting"] = rng.choices(("any", "clinic", "home"), (8, 1, 1))[0]
    return profile


def _environment(cache: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONDONTWRITEBYTECODE", "SKINREC_KB")}
    env["XDG_CACHE_HOME"] = str(cache)
    env["NO_COLOR"] = "1"
    return env


def _run(command: list[str], env: dict[str, str]) -> float:
    """Seconds one run of `command` takes, start to exit; its output goes to /dev/null."""
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def interleaved(commands: dict[str, list[str]], env: dict[str, str], runs: int) -> dict[str, float]:
    """The median seconds of each command, its runs interleaved with the others' after one warm-up each."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        _run(command, env)
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(_run(command, env))
    return {name: statistics.median(values) for name, values in times.items()}


def latency(env: dict[str, str], runs: int) -> dict[str, Any]:
    """(a) `recommend` and `--help` against the floor: a minimal Typer app with a small Rich table."""
    floor = [PYTHON, str(HERE / "floor_app.py")]
    medians = interleaved(
        {
            "recommend": [PYTHON, SKINREC, *RECOMMEND],
            "floor": floor,
            "help": [PYTHON, SKINREC, "--help"],
            "floor_help": [*floor, "--help"],
        },
        env,
        runs,
    )
    return {
        "runs": runs,
        "recommend_ms": medians["recommend"] * 1000,
        "floor_ms": medians["floor"] * 1000,
        "recommend_ratio": medians["recommend"] / medians["floor"],
        "help_ms": medians["help"] * 1000,
        "floor_help_ms": medians["floor_help"] * 1000,
        "help_ratio": medians["help"] / medians["floor_help"],
    }


def engine_rates(kb_dir: str | None, count: int, runs: int) -> dict[str, float]:
    """(b) profiles scored per second on one core: the full `engine.recommend` result; that result turned into
    the JSON document the plain way (`result_document` + `dumps`); and batch mode's fast path. Each run starts
    from a freshly loaded knowledge base, so the engine's memos start empty ("cold", the figure that counts);
    `recommend` is also timed on as many more profiles right after ("warm": a long batch's steady state)."""
    from skinrec import engine
    from skinrec.export import dumps, result_document
    from skinrec.fast_export import document_line
    from skinrec.loader import load_kb
    from skinrec.profile import profile_from_mapping

    kb = load_kb(kb_dir)
    rng = random.Random(1)
    profiles = [
        profile_from_mapping(kb, random_profile(rng, list(kb.concerns), list(kb.conditions))) for _ in range(2 * count)
    ]
    cold, warm = profiles[:count], profiles[count:]

    def rate(step: Callable[[Any, Any], object], knowledge: Any, batch: list[Any]) -> float:
        gc.collect()
        start = time.perf_counter()
        for profile in batch:
            step(profile, knowledge)
        return len(batch) / (time.perf_counter() - start)

    def timed(step: Callable[[Any, Any], object], warm_too: bool = False) -> tuple[float, float]:
        """The median cold (and, if asked, warm) rate of `step` over `runs` runs."""
        rates = []
        for _ in range(runs):
            knowledge = load_kb(kb_dir)
            rates.append((rate(step, knowledge, cold), rate(step, knowledge, warm) if warm_too else 0.0))
        return statistics.median(r[0] for r in rates), statistics.median(r[1] for r in rates)

    recommend_cold, recommend_warm = timed(engine.recommend, warm_too=True)
    return {
        "profiles": count,
        "treatments": len(kb.treatments),
        "recommend_per_s": recommend_cold,
        "recommend_warm_per_s": recommend_warm,
        "plain_json_per_s": timed(
            lambda p, k: dumps(result_document(k, engine.recommend(p, k), 10, origin="flag"), compact=True)
        )[0],
        "fast_json_per_s": timed(lambda p, k: document_line(k, p, 10, origin="flag"))[0],
    }


# The machine's own parallelism, as a reference for --jobs 2: the same pure-Python work done by a pool of one
# process and by a pool of two. On a machine shared with other work this is often well under 2.
SPIN = """
import multiprocessing, sys
def spin(n):
    x = 0
    for i in range(n):
        x += i * i
    return x
if __name__ == "__main__":
    jobs = int(sys.argv[1])
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(spin, [8_000_000 // jobs] * jobs)
"""

# The machine's disk, as a reference for batch's output: writing as many bytes the way batch writes them (5 MB
# at a time, each handed to the disk as it goes, all flushed to disk at the end), and nothing else. No run that
# writes that output durably can be faster; and on two CPUs the kernel's share of it competes with the workers.
WRITE = """
import os, sys
size, path = int(sys.argv[1]), sys.argv[2]
block = b"x" * 5_000_000
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
written = 0
while written < size:
    written += os.write(fd, block[: size - written])
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
os.fsync(fd)
os.close(fd)
os.unlink(path)
"""


def batch(env: dict[str, str], count: int, runs: int, work_dir: Path) -> dict[str, Any]:
    """(c) `skinrec batch` end to end (start-up included), JSON lines in and out, with 1 and 2 jobs, beside what
    two processes gain over one on this machine at the same time (`SPIN`), and how long the disk alone takes to
    write that output (`WRITE`)."""
    from skinrec.loader import load_kb

    kb = load_kb()
    rng = random.Random(2)
    source = work_dir / "profiles.jsonl"
    lines = (
        json.dumps({"id": f"p{i}", **random_profile(rng, list(kb.concerns), list(kb.conditions))}) for i in range(count)
    )
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = str(work_dir / "results.jsonl")
    one = [PYTHON, SKINREC, "batch", str(source), "-o", out]
    _run(one, env)
    size = os.path.getsize(out)
    medians = interleaved(
        {
            "one": one,
            "two": [*one, "--jobs", "2"],
            "spin_one": [PYTHON, "-c", SPIN, "1"],
            "spin_two": [PYTHON, "-c", SPIN, "2"],
            "disk": [PYTHON, "-c", WRITE, str(size), str(work_dir / "disk.bin")],
        },
        env,
        runs,
    )
    return {
        "lines": count,
        "runs": runs,
        "output_bytes_per_line": size / count,
        "jobs1_per_s": count / medians["one"],
        "jobs2_per_s": count / medians["two"],
        "jobs2_speedup": medians["one"] / medians["two"],
        "machine_speedup": medians["spin_one"] / medians["spin_two"],
        "jobs2_s": medians["two"],
        "disk_s": medians["disk"],
    }


def scale(env: dict[str, str], runs: int, profiles: int) -> dict[str, Any]:
    """(d) synthetic knowledge bases of 1,000 and 10,000 treatments: a cached `recommend`'s latency against the
    shipped knowledge base's, and the engine's cost per profile and treatment (constant if cost is linear)."""
    from gen_kb import GENERATED, ensure

    sizes = {}
    for count in (1000, 10_000):
        root = ensure(count, GENERATED / f"kb-{count}")
        start = time.perf_counter()
        subprocess.run([PYTHON, SKINREC, "kb", "validate", "--kb", str(root)], env=env, capture_output=True, check=True)
        sizes[count] = (root, time.perf_counter() - start)
    medians = interleaved(
        {
            "shipped": [PYTHON, SKINREC, *RECOMMEND],
            **{f"kb{count}": [PYTHON, SKINREC, *RECOMMEND, "--kb", str(root)] for count, (root, _) in sizes.items()},
        },
        env,
        runs,
    )
    shipped = engine_rates(None, profiles, 3)
    result: dict[str, Any] = {
        "runs": runs,
        "shipped_ms": medians["shipped"] * 1000,
        "shipped_ns_per_profile_treatment": 1e9 / shipped["recommend_per_s"] / shipped["treatments"],
    }
    for count, (root, validate_s) in sizes.items():
        rate = engine_rates(str(root), max(50, profiles * 11 // count), 3)
        result[f"kb{count}"] = {
            "validate_s": validate_s,
            "recommend_ms": medians[f"kb{count}"] * 1000,
            "ratio": medians[f"kb{count}"] / medians["shipped"],
            "ns_per_profile_treatment": 1e9 / rate["recommend_per_s"] / count,
        }
    return result


def _rows(results: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """One row per figure: what was measured, the figure, its reference from the same run, ratio, goal."""
    rows = []
    if "latency" in results:
        lat, goal = results["latency"], f"<= {GOALS['latency']:.2f}x"
        rows += [
            ("recommend -c acne_scars -d 3 -f json", f"{lat['recommend_ms']:.0f} ms", f"floor app {lat['floor_ms']:.0f} ms", f"{lat['recommend_ratio']:.2f}x", goal),
            ("skinrec --help", f"{lat['help_ms']:.0f} ms", f"floor app --help {lat['floor_help_ms']:.0f} ms", f"{lat['help_ratio']:.2f}x", goal),
        ]  # fmt: skip
    if "engine" in results:
        eng, goal = results["engine"], GOALS["engine"]
        plain, fast, full = eng["plain_json_per_s"], eng["fast_json_per_s"], eng["recommend_per_s"]
        rows += [
            ("engine.recommend, full result (1 core)", f"{full:,.0f}/s", f"goal {goal:,}/s", f"{full / goal:.2f}x", f">= {goal:,}/s"),
            ("  ... warm memos (after as many profiles)", f"{eng['recommend_warm_per_s']:,.0f}/s", f"goal {goal:,}/s", f"{eng['recommend_warm_per_s'] / goal:.2f}x", ""),
            ("  ... and its JSON document, fast path", f"{fast:,.0f}/s", f"plain path {plain:,.0f}/s", f"{fast / plain:.2f}x", ""),
        ]  # fmt: skip
    if "batch" in results:
        bat, goal = results["batch"], GOALS["batch"]
        one, two = bat["jobs1_per_s"], bat["jobs2_per_s"]
        rows += [
            (f"batch, {bat['lines']:,} lines, 1 job", f"{one:,.0f}/s", f"goal {goal:,}/s", f"{one / goal:.2f}x", f">= {goal:,}/s"),
            ("batch, --jobs 2", f"{two:,.0f}/s", f"1 job {one:,.0f}/s", f"{bat['jobs2_speedup']:.2f}x", f">= {GOALS['jobs']:.1f}x"),
            ("  machine: CPU work, 2 processes vs 1", "", "", f"{bat['machine_speedup']:.2f}x", "(ceiling)"),
            (f"  machine: disk writes the {bat['output_bytes_per_line'] * bat['lines'] / 1e6:,.0f} MB output alone", f"{bat['disk_s']:.2f} s", f"--jobs 2 run {bat['jobs2_s']:.2f} s", f"{bat['disk_s'] / bat['jobs2_s']:.2f}x", "(a lower bound)"),
        ]  # fmt: skip
    if "scale" in results:
        sca = results["scale"]
        unit = sca["shipped_ns_per_profile_treatment"]
        for count in (1000, 10_000):
            entry = sca[f"kb{count}"]
            goal = f"<= {GOALS['scale']:.1f}x" if count == 10_000 else ""
            cost = entry["ns_per_profile_treatment"]
            rows += [
                (f"recommend, {count:,} treatments (cached)", f"{entry['recommend_ms']:.0f} ms", f"shipped KB {sca['shipped_ms']:.0f} ms", f"{entry['ratio']:.2f}x", goal),
                (f"engine cost per treatment, {count:,}", f"{cost:.0f} ns/profile/treatment", f"shipped KB {unit:.0f} ns", f"{cost / unit:.2f}x", "~1x (linear)"),
            ]  # fmt: skip
    return rows


def table(results: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    rows = [("measure", "figure", "reference (same run)", "ratio", "goal"), *_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="skinrec's benchmark (see the module docstring).")
    parser.add_argument("--quick", action="store_true", help="fewer runs and profiles")
    parser.add_argument("--only", default="latency,engine,batch,scale", help="comma-separated parts to run")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    runs = 7 if args.quick else 21
    sys.path.insert(0, str(HERE))
    results: dict[str, Any] = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
    }
    with tempfile.TemporaryDirectory(prefix="skinrec-bench-") as scratch:
        work = Path(scratch)
        env = _environment(work / "cache")
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]  # the in-process parts use the same cache
        subprocess.run([PYTHON, SKINREC, "kb", "validate"], env=env, capture_output=True, check=True)
        if "latency" in parts:
            results["latency"] = latency(env, runs)
        if "engine" in parts:
            results["engine"] = engine_rates(None, 5_000 if args.quick else 20_000, 3 if args.quick else 7)
        if "batch" in parts:
            results["batch"] = batch(env, 10_000 if args.quick else 40_000, 3 if args.quick else 5, work)
        if "scale" in parts:
            results["scale"] = scale(env, 5 if args.quick else 11, 2_000 if args.quick else 10_000)
    print(table(results))
    RESULTS.mkdir(exist_ok=True)
    stamp = results["when"].replace(":", "").replace("-", "")
    for name in (f"{stamp}.json", "latest.json"):
        (RESULTS / name).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nsaved {RESULTS / 'latest.json'}")


if __name__ == "__main__":
    main()
