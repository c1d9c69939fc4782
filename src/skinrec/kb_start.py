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

# The guide to the knowledge base's format, by its place in the shipped base: the repository's docs/ in a source
# checkout, and skinrec/kb/docs/ in the wheel (pyproject.toml ships it there), so that `kb init` copies it too.
GUIDE = "docs/knowledge-base.md"


def start_kb(root: Path) -> int:
    """Copy the shipped knowledge base's files (and its guide, where there is one) into `root`; the number of
    files copied. Refused, before anything is written, where `root` is a file or already holds any of them, or
    rule files of its own (which would join the copy unseen): a clinic's edits are never overwritten.

    A new folder is filled under a hidden name beside it and renamed into place, so that even a run killed midway
    leaves no half-copied base where one is expected; into an existing (empty) folder, each file is created
    exclusively, and every file and folder made is removed again if any step fails."""
    source = loader.shipped_kb_dir()
    names = loader.kb_files(source) + ([GUIDE] if (source / GUIDE).is_file() else [])
    try:
        contents = {name: (source / name).read_bytes() for name in names}
        exists = os.path.lexists(root)
        if exists and not root.is_dir():
            raise DataError(f"cannot start a knowledge base at '{root}': it is not a folder; give a new folder's name")
        taken = [name for name in dict.fromkeys([*names, *loader.kb_files(root)]) if os.path.lexists(root / name)]
    except OSError as exc:
        raise DataError(
            f"cannot start a knowledge base at '{root}': {exc.strerror or exc}; choose another folder"
        ) from None
    if taken:
        import shlex

        more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
        raise DataError(
            f"'{root}' already holds {taken[0]}{more}, which kb init never overwrites; give a new folder, "
            f"or check the knowledge base there with: skinrec kb validate --kb {shlex.quote(str(root))}"
        )
    made: list[Path] = []  # in an existing folder, each file and folder created, to undo
    stage: Path | None = None  # for a new folder, the hidden one beside it that is filled, then renamed
    try:
        if exists:
            _copy_into(root, contents, made)
        else:
            root.parent.mkdir(parents=True, exist_ok=True)
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
                f"cannot start a knowledge base at '{root}': {exc.strerror or exc}; nothing was copied; choose a writable "
                "folder"
            ) from None
        raise
    return len(contents)


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
