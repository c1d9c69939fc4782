"""`skinrec kb init`: a clinic's own knowledge base, started as a copy of the shipped one.

A clinic that installed the wheel has the shipped base only inside site-packages; this copies its files (and the
format's guide) to a folder of the clinic's, all or nothing, and never over a file that is already there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from skinrec import loader  # as a module: tests put another base in the shipped one's place
from skinrec.errors import DataError
from skinrec.profile import escaped

# The guide to the knowledge base's format, by its place in the shipped base: the repository's docs/ in a source
# checkout, and skinrec/kb/docs/ in the wheel (pyproject.toml ships it there), so that `kb init` copies it too.
GUIDE = "docs/knowledge-base.md"


def start_kb(root: Path) -> int:
    """Copy the shipped knowledge base's files (and its guide, where there is one) into `root`; the number of
    files copied. Refused, before anything is written, where `root` (or a folder above it) is a file, or where
    it already holds anything in data/ or rules/ (the folders a base is read from: a clinic's edits are never
    overwritten, and a stray file there would join the copy unseen); other files (a README, .git) may stay.

    A new folder is filled under a hidden name beside it and renamed into place, so that even a run killed midway
    leaves no half-copied base where one is expected; into an existing folder, each file is created exclusively.
    Every file and folder made, the new folder's missing parents included, is removed again if any step fails."""
    source = loader.shipped_kb_dir()
    names = loader.kb_files(source) + ([GUIDE] if (source / GUIDE).is_file() else [])
    try:
        contents = {name: (source / name).read_bytes() for name in names}
        _check_place(root, source, names)
        exists = os.path.lexists(root)
    except OSError as exc:
        raise DataError(_cannot(root, f"{exc.strerror or exc}; choose another folder")) from None
    made: list[Path] = []  # each folder and file created, to undo: in an existing folder, or a new one's parents
    stage: Path | None = None  # for a new folder, the hidden one beside it that is filled, then renamed
    try:
        if exists:
            _copy_into(root, contents, made)
        else:
            _make_parents(root.parent, made)
            stage = Path(tempfile.mkdtemp(prefix=f".{root.name}.", suffix=".kb-init", dir=root.parent))
            _copy_into(stage, contents, [])
            stage.chmod(0o777 & ~_umask())  # a folder as mkdir makes it, not mkdtemp's private 0o700
            os.rename(stage, root)  # refused if a folder with files in it appeared there meanwhile
    except BaseException as exc:  # Ctrl-C too: what was made is removed either way
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        for path in reversed(made):  # files before the folders holding them
            with contextlib.suppress(OSError):
                path.rmdir() if path.is_dir() else path.unlink()
        if isinstance(exc, OSError):
            raise DataError(
                _cannot(root, f"{exc.strerror or exc}; nothing was copied; choose a writable folder")
            ) from None
        raise
    return len(contents)


def _cannot(root: Path, why: str) -> str:
    return f"cannot start a knowledge base at '{escaped(str(root))}': {why}"


def _check_place(root: Path, source: Path, names: list[str]) -> None:
    """Refuse a place the copy cannot go, naming why: a file on the way, something already in data/ or rules/,
    or the shipped base's own folders (a copy there would become part of the base every command reads)."""
    for folder in [*reversed(root.parents), root]:
        if os.path.lexists(folder) and not folder.is_dir():
            what = "it is" if folder == root else f"'{escaped(str(folder))}' is"
            raise DataError(_cannot(root, f"{what} a file, not a folder; give a new folder's name"))
    for name in names:  # a folder the copy needs (docs/) that is a file here
        for part in Path(name).parents:
            if str(part) != "." and os.path.lexists(root / part) and not (root / part).is_dir():
                raise DataError(
                    _cannot(root, f"'{escaped(str(root / part))}' is a file, where the copy needs a folder")
                )
    shipped = [(source / folder).resolve() for folder in ("data", "rules")]
    if any(root.resolve() == folder or folder in root.resolve().parents for folder in shipped):
        raise DataError(
            _cannot(
                root, "it is inside the shipped knowledge base, which every command reads; choose a folder outside it"
            )
        )
    held = [path for folder in ("data", "rules") for path in _entries(root / folder)]
    held += [root / GUIDE] if os.path.lexists(root / GUIDE) else []
    if held:
        more = f" (and {len(held) - 1} more)" if len(held) > 1 else ""
        raise DataError(
            f"'{escaped(str(root))}' already holds {escaped(str(held[0].relative_to(root)))}{more}, where the copy "
            "goes, and kb init never mixes the two; give a new folder, or check the knowledge base "
            f"there with: skinrec kb validate {loader.dir_argument(root)}"
        )


def _entries(folder: Path) -> list[Path]:
    """What `folder` holds (nothing where there is no such folder), in name order."""
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _make_parents(folder: Path, made: list[Path]) -> None:
    """Make `folder` and any missing folders above it, as `mkdir -p` does, adding each made to `made`."""
    missing = [path for path in [*reversed(folder.parents), folder] if not path.is_dir()]
    for path in missing:
        path.mkdir()
        made.append(path)


def _copy_into(root: Path, contents: dict[str, bytes], made: list[Path]) -> None:
    """Write each file of `contents` (relative name: bytes) under `root`, creating folders as needed; every folder
    and file created is added to `made`, in the order made. Files are created exclusively (never replacing one),
    and with the umask's mode: a copy of a read-only install (site-packages owned by root) is the clinic's to edit.
    """
    for name, data in contents.items():
        folder = root
        for part in Path(name).parent.parts:
            folder = folder / part
            if not folder.is_dir():
                folder.mkdir()
                made.append(folder)
        with open(root / name, "xb") as handle:
            made.append(root / name)
            handle.write(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
