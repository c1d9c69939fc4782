"""`skinrec kb init DIR`: a clinic with only the installed command starts its own knowledge base from a copy of the
shipped one, which is valid and usable as it is; nothing of the clinic's is ever overwritten, and a copy that fails
midway leaves nothing behind."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from helpers import cli, copy_kb

from skinrec import kb_start
from skinrec.loader import kb_files, shipped_kb_dir

RECOMMEND = ("recommend", "-c", "acne_scars", "-d", "3", "-f", "json")
REPO = Path(__file__).resolve().parents[1]


def shipped_files() -> list[str]:
    return [*kb_files(shipped_kb_dir()), kb_start.GUIDE]


def files_under(root: Path) -> list[str]:
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())


def test_init_copies_the_shipped_base_which_validates_and_is_used(tmp_path: Path) -> None:
    target = tmp_path / "clinics" / "my kb"  # its parent is made too, as `mkdir -p` would
    run = cli("kb", "init", str(target))
    assert run.code == 0, run.stderr
    assert files_under(target) == sorted(shipped_files())
    for name in shipped_files():
        assert (target / name).read_bytes() == (shipped_kb_dir() / name).read_bytes(), name
    assert [path.name for path in tmp_path.joinpath("clinics").iterdir()] == ["my kb"]  # no staging folder left
    assert run.stdout == ""  # what was done is said on stderr: a closed stdout must not fail a copy made
    assert run.stderr == (
        f"started knowledge base '{target}': {len(shipped_files())} files copied from the shipped one\n"
        f"next: edit its YAML files (the format: {target}/docs/knowledge-base.md), and check them with\n"
        f"  skinrec kb validate '{target}'\n"
        "then use it with --kb, or for every command with $SKINREC_KB:\n"
        f"  skinrec recommend --kb '{target}' -c acne_scars\n"
        f"  export SKINREC_KB='{target}'\n"
    )
    validate = cli("kb", "validate", "--kb", str(target), "--no-cache")
    assert validate.code == 0, validate.stdout
    assert validate.stderr.startswith(f"knowledge base '{target}' is valid: ")
    mine = cli(*RECOMMEND, "--kb", str(target))
    assert mine.code == 0, mine.stderr
    assert mine.stdout == cli(*RECOMMEND).stdout
    assert cli(*RECOMMEND[:-2], env={"SKINREC_KB": str(target)}).code == 0


def test_a_relative_folder_is_exported_in_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`$SKINREC_KB` is read wherever the next command runs, so the line to paste names the folder in full."""
    monkeypatch.chdir(tmp_path)
    run = cli("kb", "init", "kb")
    assert run.code == 0, run.stderr
    assert "  skinrec kb validate kb\n" in run.stderr
    assert run.stderr.endswith(f"  export SKINREC_KB={tmp_path / 'kb'}\n")


def test_an_existing_folder_without_the_files_is_filled(tmp_path: Path) -> None:
    """`mkdir my-kb && cd my-kb && git init && skinrec kb init .`: what is there already stays."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "README.md").write_text("our knowledge base\n")
    (tmp_path / "data").mkdir()
    run = cli("kb", "init", str(tmp_path))
    assert run.code == 0, run.stderr
    assert files_under(tmp_path) == sorted([*shipped_files(), "README.md"])
    assert cli("kb", "validate", "--kb", str(tmp_path)).code == 0


def test_the_copy_is_the_clinics_to_edit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed base may be read-only (site-packages owned by root, a Nix store): the copy's files and folders
    get the umask's modes, not the source's, nor the private mode of a temporary folder."""
    source = copy_kb(tmp_path / "installed")
    (source / "docs").mkdir()
    (source / kb_start.GUIDE).write_text("# The knowledge base format\n")
    for path in source.rglob("*"):
        if path.is_file():
            path.chmod(0o444)
    monkeypatch.setattr("skinrec.loader.shipped_kb_dir", lambda: source)
    old = os.umask(0o022)
    try:
        assert cli("kb", "init", str(tmp_path / "mine")).code == 0
    finally:
        os.umask(old)
    for path in [tmp_path / "mine", *(tmp_path / "mine").rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) == (0o755 if path.is_dir() else 0o644), path


@pytest.mark.parametrize(
    "existing",
    ["data/treatments.yaml", "rules/scoring.yaml", "rules/clinic.yaml", "docs/knowledge-base.md", "data/extra.yaml"],
)
def test_a_folder_holding_any_of_the_files_is_refused_and_left_as_it_was(tmp_path: Path, existing: str) -> None:
    """Never overwritten, nor joined: a rule file of the clinic's own (rules/clinic.yaml) would become part of
    the copy unseen, and a stray file in data/ (data/extra.yaml) made the copy fail `kb validate`."""
    (tmp_path / existing).parent.mkdir(parents=True)
    (tmp_path / existing).write_text("the clinic's own\n")
    run = cli("kb", "init", str(tmp_path))
    assert run.code == 1
    assert run.stderr == (
        f"skinrec: error: '{tmp_path}' already holds {existing}, where the copy goes, and kb init never mixes the "
        f"two; give a new folder, or check the knowledge base there with: skinrec kb validate {tmp_path}\n"
    )
    assert run.stdout == ""
    assert files_under(tmp_path) == [existing]
    assert (tmp_path / existing).read_text() == "the clinic's own\n"


def test_a_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kb"
    path.write_text("not a folder\n")
    run = cli("kb", "init", str(path))
    assert run.code == 1
    assert run.stderr == (
        f"skinrec: error: cannot start a knowledge base at '{path}': it is a file, not a folder; give a new folder's "
        "name\n"
    )
    assert path.read_text() == "not a folder\n"
    assert [child.name for child in tmp_path.iterdir()] == ["kb"]


def test_no_folder_name_is_a_usage_error() -> None:
    run = cli("kb", "init", "")
    assert (run.code, run.stderr) == (
        2,
        "skinrec: error: kb init needs a folder name, e.g. skinrec kb init ./my-clinic-kb\n",
    )


def fail_on_fifth_file(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
    """Make the fifth file kb init creates fail as it is opened: a full disk, or Ctrl-C, midway."""
    opened: list[Any] = []

    def failing_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        opened.append(file)
        if len(opened) == 5:
            raise error
        return open(file, mode, *args, **kwargs)

    monkeypatch.setattr(kb_start, "open", failing_open, raising=False)


@pytest.mark.parametrize("exists", [False, True], ids=["new folder", "existing folder"])
def test_a_copy_that_fails_midway_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exists: bool) -> None:
    target = tmp_path / "kb"
    if exists:
        target.mkdir()
        (target / "notes.txt").write_text("mine")
    fail_on_fifth_file(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    run = cli("kb", "init", str(target))
    assert (run.code, run.stderr) == (
        1,
        f"skinrec: error: cannot start a knowledge base at '{target}': No space left on device; nothing was copied; "
        "choose a writable folder\n",
    )
    assert files_under(tmp_path) == (["kb/notes.txt"] if exists else [])
    assert [path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")] == (
        ["kb", "kb/notes.txt"] if exists else []
    )


def test_a_copy_stopped_midway_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fail_on_fifth_file(monkeypatch, KeyboardInterrupt())
    run = cli("kb", "init", str(tmp_path / "kb"))
    assert (run.code, run.stderr) == (130, "skinrec: stopped\n")
    assert list(tmp_path.iterdir()) == []


def test_a_place_the_copy_cannot_go_is_named(tmp_path: Path) -> None:
    """From a regression pass: a file on the way said only "File exists"; a copy into the shipped base's own
    folders would have become part of the base every command reads."""
    (tmp_path / "afile").write_text("x\n")
    run = cli("kb", "init", str(tmp_path / "afile" / "sub"))
    assert run.code == 1 and f"'{tmp_path / 'afile'}' is a file, not a folder" in run.stderr
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "docs").write_text("x\n")
    run = cli("kb", "init", str(tmp_path / "mine"))
    assert run.code == 1 and f"'{tmp_path / 'mine' / 'docs'}' is a file, where the copy needs a folder" in run.stderr
    inside = shipped_kb_dir() / "rules" / "mine"
    run = cli("kb", "init", str(inside))
    assert run.code == 1 and "it is inside the shipped knowledge base" in run.stderr and not inside.exists()


def test_a_failed_copy_removes_the_parents_it_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`(ulimit -f 30; skinrec kb init fs/a/b)` left fs/ and fs/a/ behind, though nothing was copied."""
    fail_on_fifth_file(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    run = cli("kb", "init", str(tmp_path / "fs" / "a" / "b"))
    assert run.code == 1 and "nothing was copied" in run.stderr
    assert list(tmp_path.iterdir()) == []
