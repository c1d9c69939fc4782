"""The built wheel, installed in a fresh virtual environment, finds its shipped knowledge base from any folder, and
`kb init` copies it, with the format's guide, for a clinic to start its own."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_knowledge_base(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(REPO)],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = dist.glob("skinrec-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run([bin_dir / "pip", "install", "--quiet", str(wheel)], check=True, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)}
    validate = subprocess.run(
        [bin_dir / "skinrec", "kb", "validate"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert validate.returncode == 0, validate.stderr
    assert "site-packages/skinrec/kb" in validate.stderr
    run = subprocess.run(
        [bin_dir / "skinrec", "recommend", "-c", "acne_scars", "-d", "3", "-f", "json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["recommendations"]
    # kb init copies the installed base and the guide (pyproject.toml ships docs/knowledge-base.md in the wheel)
    init = subprocess.run(
        [bin_dir / "skinrec", "kb", "init", "clinic"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    guide = elsewhere / "clinic" / "docs" / "knowledge-base.md"
    assert guide.read_bytes() == (REPO / "docs" / "knowledge-base.md").read_bytes()
    validate = subprocess.run(
        [bin_dir / "skinrec", "kb", "validate", "--kb", "clinic"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert validate.returncode == 0, validate.stdout
