"""The knowledge-base cache: keyed by content (an edit is seen on the next run), never trusted when an entry is
damaged or foreign (it is ignored and rebuilt), kept where XDG says, and never a reason for a run to fail."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import cli

from skinrec import cache, loader
from skinrec.loader import load_kb, shipped_kb_dir

RECOMMEND = ("recommend", "-c", "acne_scars", "-d", "3", "-f", "json")


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private, empty cache home for the test."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


def entries(home: Path) -> list[Path]:
    return sorted((home / "skinrec").glob("kb-*.json"))


def no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any YAML parsing or validation fail the test: only the cache may serve the run."""

    def refuse(texts: object) -> object:
        raise AssertionError("the knowledge base was validated, not read from the cache")

    monkeypatch.setattr(loader, "validate_texts", refuse)


def test_entry_is_written_under_xdg_cache_home_and_then_used(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = cli(*RECOMMEND)
    assert first.code == 0, first.stderr
    assert len(entries(xdg)) == 1
    no_validation(monkeypatch)
    assert cli(*RECOMMEND).stdout == first.stdout


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert cache.cache_dir() == tmp_path / ".cache" / "skinrec"
    assert cli(*RECOMMEND).code == 0
    assert entries(tmp_path / ".cache")
    assert not (tmp_path / "relative").exists()


@pytest.mark.parametrize("home", [None, "", "relhome"], ids=["unset, no passwd entry", "empty", "relative"])
def test_no_absolute_home_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: str | None) -> None:
    """Only an absolute path is a cache home (XDG): a uid with no passwd entry and no HOME made `./~/.cache` in
    the working folder, `HOME=` made `/.cache` and `HOME=relhome` `./relhome/.cache`. Without one the run
    validates and succeeds, as with an unwritable cache, and leaves nothing behind."""
    import pwd

    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    if home is None:
        monkeypatch.delenv("HOME", raising=False)
    else:
        monkeypatch.setenv("HOME", home)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert cache.cache_dir() is None
    run = cli(*RECOMMEND)
    assert (run.code, run.stderr) == (0, "")
    assert json.loads(run.stdout)["recommendations"]
    assert list(work.iterdir()) == []
    assert cache.read(loader.fingerprint(loader.read_files(shipped_kb_dir())[0])) is None


def test_an_unset_home_is_the_accounts_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With HOME unset (a service, cron), the password database's home is used, as a shell's `~` does."""
    import pwd

    real = pwd.getpwuid(os.getuid())
    account = pwd.struct_passwd((*real[:5], str(tmp_path), *real[6:]))
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", lambda uid: account)
    assert cache.cache_dir() == tmp_path / ".cache" / "skinrec"


def test_an_entry_is_always_written_for_its_owner_to_read_and_write(xdg: Path) -> None:
    """A new entry takes the old one's mode (atomic.py): one made unreadable (`chmod 000`) was rebuilt by every
    run, each time unreadable again, and so never healed; nor may a umask such as 0o377 make one unusable."""
    key = f"{1:040x}"
    cache.write(key, {"n": 1}, b"")
    (entry,) = entries(xdg)
    entry.chmod(0)
    cache.write(key, {"n": 1}, b"")
    assert entry.stat().st_mode & 0o777 == 0o600
    entry.unlink()
    old = os.umask(0o377)
    try:
        cache.write(key, {"n": 1}, b"")
    finally:
        os.umask(old)
    assert entry.stat().st_mode & 0o600 == 0o600
    assert cache.read(key) == ({"n": 1}, memoryview(b""))


def test_an_edit_is_seen_on_the_next_run(xdg: Path, kb_copy: Path) -> None:
    def names() -> list[str]:
        run = cli(*RECOMMEND, "--kb", str(kb_copy))
        assert run.code == 0, run.stderr
        return [rec["name"] for rec in json.loads(run.stdout)["recommendations"]]

    assert "Microneedling" in names()
    path = kb_copy / "data" / "treatments.yaml"
    path.write_text(path.read_text().replace("name: Microneedling\n", "name: Collagen induction therapy\n"))
    assert "Collagen induction therapy" in names()
    assert "Microneedling" not in names()
    assert len(entries(xdg)) == 2  # keyed by content: the old entry stays valid for the old files


def test_an_edit_of_the_same_size_is_seen(xdg: Path, kb_copy: Path) -> None:
    """Content, not size or time, is the key: a same-length edit in the same second is still seen."""
    cli(*RECOMMEND, "--kb", str(kb_copy))
    path = kb_copy / "data" / "treatments.yaml"
    text = path.read_text()
    stat = path.stat()
    path.write_text(text.replace("name: Microneedling\n", "name: Microneedlinx\n"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert '"name": "Microneedlinx"' in cli(*RECOMMEND, "--kb", str(kb_copy)).stdout


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garbage(path: Path) -> None:
    path.write_bytes(os.urandom(4096))


def empty(path: Path) -> None:
    path.write_bytes(b"")


def header_only(path: Path) -> None:
    path.write_bytes(path.read_bytes().split(b"\n")[0] + b"\n")


def foreign_json(path: Path) -> None:
    path.write_text('{"hello": "world"}\n{"treatments": []}')


def older_format(path: Path) -> None:
    header, _, payload = path.read_bytes().partition(b"\n")
    meta = json.loads(header)
    path.write_bytes(json.dumps({**meta, "format": meta["format"] - 1}).encode() + b"\n" + payload)


def flipped_byte(path: Path) -> None:
    """The header is intact and plausible; one byte of the payload is not what it vouches for."""
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 0x01
    path.write_bytes(bytes(raw))


def consistent_but_wrong(path: Path) -> None:
    """A valid-looking header whose checksum matches: the payload is well-formed JSON of the wrong shape."""
    header = json.loads(path.read_bytes().partition(b"\n")[0])
    payload = json.dumps({"treatment_cores": [["x"]], "rules": "none"}).encode()
    meta = {**header, "document": len(payload), "crc32": cache.checksum(payload)}
    path.write_bytes(json.dumps(meta).encode() + b"\n" + payload)


def deep_header(path: Path) -> None:
    """JSON nested deeper than Python can parse (RecursionError, not ValueError) where the header should be."""
    path.write_text("[" * 100_000 + "\n")


def deep_document(path: Path) -> None:
    """A header that vouches for its payload, checksum and all: a document nested too deep to parse."""
    header = json.loads(path.read_bytes().partition(b"\n")[0])
    payload = b"[" * 100_000 + b"]" * 100_000
    meta = {**header, "document": len(payload), "crc32": cache.checksum(payload)}
    path.write_bytes(json.dumps(meta).encode() + b"\n" + payload)


def empty_directory(path: Path) -> None:
    """An empty folder where the entry goes, which no rename can replace: it is removed and the entry written."""
    path.unlink()
    path.mkdir()


def directory(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("not a cache entry")


def fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)  # reading it would block forever: it must not even be opened


def link_loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.name)  # replaced, unlike a person's -o target, which is followed (atomic.py)


def link_elsewhere(path: Path) -> None:
    elsewhere = path.parent.parent / "not-a-cache-entry.json"
    elsewhere.write_text("someone else's file\n")
    path.unlink()
    path.symlink_to(elsewhere)


BREAKAGES = [truncate, garbage, empty, header_only, foreign_json, older_format, flipped_byte, consistent_but_wrong]
BREAKAGES += [deep_header, deep_document]
if sys.platform != "win32":
    BREAKAGES += [empty_directory, directory, fifo, link_loop, link_elsewhere]


@pytest.mark.parametrize("damage", BREAKAGES, ids=lambda f: f.__name__)
def test_a_damaged_or_foreign_entry_is_ignored_and_rebuilt(xdg: Path, damage: Callable[[Path], None]) -> None:
    clean = cli(*RECOMMEND)
    (entry,) = entries(xdg)
    damage(entry)
    run = cli(*RECOMMEND)
    assert run.code == 0, run.stderr
    assert run.stdout == clean.stdout
    assert run.stderr == ""
    if damage is not directory:  # a folder with files in it is left alone and skipped, like an unwritable cache
        assert cache.read(loader.fingerprint(loader.read_files(shipped_kb_dir())[0])) is not None, "rebuilt"
        assert entry.is_file() and not entry.is_symlink()  # the entry itself, never what a link pointed to
    if damage is link_elsewhere:
        assert (entry.parent.parent / "not-a-cache-entry.json").read_text() == "someone else's file\n"


def test_an_oversized_entry_is_not_read(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli(*RECOMMEND)
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 1000)
    key = loader.fingerprint(loader.read_files(shipped_kb_dir())[0])
    assert cache.read(key) is None
    assert cli(*RECOMMEND).code == 0


def test_no_cache_neither_reads_nor_writes(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli(*RECOMMEND, "--no-cache").code == 0
    assert cli("kb", "validate", "--no-cache").code == 0
    assert cli("rules", "check", "--no-cache").code == 0
    assert cli("batch", "-", "--no-cache", input='{"concerns": ["acne_scars"]}\n').code == 0
    assert entries(xdg) == []
    cli(*RECOMMEND)
    (entry,) = entries(xdg)
    flipped_byte(entry)  # a --no-cache run must not even look at the entry
    assert cli(*RECOMMEND, "--no-cache").code == 0
    assert cache.read(loader.fingerprint(loader.read_files(shipped_kb_dir())[0])) is None


def test_kb_validate_checks_the_files_and_then_caches(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert cli("kb", "validate").code == 0
    assert len(entries(xdg)) == 1
    calls: list[int] = []
    real = loader.validate_texts
    monkeypatch.setattr(loader, "validate_texts", lambda texts: calls.append(1) or real(texts))
    assert cli("kb", "validate").code == 0
    assert calls == [1], "kb validate never trusts the cache"


def test_an_unwritable_cache_breaks_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache home is a file, so no cache folder can be made under it (this holds even for root)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    run = cli(*RECOMMEND)
    assert run.code == 0
    assert run.stderr == ""
    assert json.loads(run.stdout)["recommendations"]
    assert cli("kb", "validate").code == 0


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_cache_folder_breaks_nothing(xdg: Path) -> None:
    (xdg / "skinrec").mkdir(parents=True)
    (xdg / "skinrec").chmod(0o500)
    try:
        assert cli(*RECOMMEND).code == 0
        assert entries(xdg) == []
    finally:
        (xdg / "skinrec").chmod(0o700)


def test_the_cached_run_matches_the_validated_one(xdg: Path) -> None:
    fresh = load_kb(use_cache=False)
    load_kb()  # writes the entry
    cached = load_kb()
    assert cached.treatments == fresh.treatments
    assert [t.data for t in cached.treatments] == [t.data for t in fresh.treatments]
    assert [r.data for r in cached.rules] == [r.data for r in fresh.rules]


def test_only_the_most_recent_entries_are_kept(xdg: Path) -> None:
    """Each edit of a knowledge base writes a new entry; the oldest go once there are more than KEEP_ENTRIES, and
    what is not an entry of ours is left alone."""
    folder = xdg / "skinrec"
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("mine")
    written = []
    for number in range(cache.KEEP_ENTRIES + 3):
        fingerprint = f"{number:040x}"
        cache.write(fingerprint, {"n": number}, b"")
        path = folder / f"kb-{fingerprint}.json"
        os.utime(path, (1_000_000 + number, 1_000_000 + number))  # written one after another, a second apart
        written.append(path)
    assert entries(xdg) == written[-cache.KEEP_ENTRIES :]
    assert (folder / "notes.txt").read_text() == "mine"
    assert cache.read(f"{cache.KEEP_ENTRIES + 2:040x}") == ({"n": cache.KEEP_ENTRIES + 2}, memoryview(b""))
