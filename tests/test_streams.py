"""The standard streams as a deployment may leave them: closed by the caller (`<&-`, `>&-`, `2>&-`, as a daemon
or a careless cron line does), or in a locale that cannot encode the file names skinrec prints."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import copy_kb

GOOD = json.dumps({"concerns": ["acne_scars"]})
STDOUT_CLOSED = (
    "skinrec: error: standard output is closed, so the output could not be written; redirect it (> FILE) instead\n"
)


def closed(redirect: str, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`skinrec ARGV... REDIRECT` through a shell, which closes the stream before starting skinrec."""
    script = f'exec "$0" -m skinrec "$@" {redirect}'
    return subprocess.run(
        ["bash", "-c", script, sys.executable, *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(
    ("argv", "code", "stderr"),
    [
        (
            ["recommend", "--no-input"],
            2,
            "skinrec: error: no concerns given (--no-input was given, so skinrec will not ask); pass --concern ID "
            "(repeatable) or --profile FILE\n",
        ),
        (
            ["recommend"],
            2,
            "skinrec: error: no concerns given (stdin is not a terminal, so skinrec will not ask); pass --concern ID "
            "(repeatable) or --profile FILE\n",
        ),
        (
            ["recommend", "-p", "-"],
            1,
            "skinrec: error: <stdin>: the profile names no concerns; add them to it, e.g. 'concerns: [acne_scars]', "
            "or pass --concern ID\n",
        ),
        (["recommend", "-i", "-c", "acne_scars"], 130, "skinrec: stopped\n"),  # the first question meets EOF
        (["batch", "-"], 0, ""),  # no lines, no results
        ([], 0, ""),  # not a terminal: the help
    ],
)
def test_a_closed_stdin_is_an_empty_one(tmp_path: Path, argv: list[str], code: int, stderr: str) -> None:
    """`skinrec <&-` ended in a traceback (`'NoneType' object has no attribute 'isatty'`, or 'buffer')."""
    run = closed("<&-", *argv, cwd=tmp_path)
    assert (run.returncode, run.stderr if code != 130 else run.stderr[-len(stderr) :]) == (code, stderr)
    if not argv:
        assert "Usage: skinrec" in run.stdout


@pytest.mark.parametrize(
    "argv", [["recommend", "-c", "acne_scars"], ["recommend", "-c", "acne_scars", "-f", "json"], ["--version"], []]
)
def test_a_closed_stdout_is_one_line_saying_so(tmp_path: Path, argv: list[str]) -> None:
    """`skinrec recommend >&-` ended in a traceback (bare `skinrec >&-` and `--version` also with exit 120, from
    the interpreter's last flush): launch.py puts a read-only /dev/null there, which refuses the output."""
    run = closed(">&-", *argv, cwd=tmp_path)
    assert (run.returncode, run.stderr) == (1, STDOUT_CLOSED)


def test_a_closed_stdout_does_not_stop_output_to_a_file(tmp_path: Path) -> None:
    """With -o, stdout is not needed; and the output file must not take fd 1's free number."""
    source = tmp_path / "in.jsonl"
    source.write_text(GOOD + "\n")
    run = closed(">&-", "batch", str(source), cwd=tmp_path)
    assert (run.returncode, run.stderr) == (
        1,
        "skinrec: error: cannot write the results to standard output: it is closed; redirect it (> OUT.jsonl) or "
        "give -o OUT.jsonl\n",
    )
    run = closed(">&-", "batch", str(source), "-o", "out.jsonl", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (0, "wrote out.jsonl\n")
    assert json.loads((tmp_path / "out.jsonl").read_text())["profile"]["concerns"] == ["acne_scars"]
    run = closed(">&-", "recommend", "-c", "acne_scars", "-o", "r.json", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (0, "wrote r.json\n")


def test_a_closed_stderr_keeps_messages_out_of_the_data(tmp_path: Path) -> None:
    """`print(..., file=sys.stderr)` with stderr closed printed to stdout, into the results; and `skinrec batch
    IN 2>&-` exited 1 having written nothing. The messages are lost, but the exit codes still tell."""
    source = tmp_path / "in.jsonl"
    source.write_text(GOOD + "\n")
    run = closed("2>&-", "batch", str(source), cwd=tmp_path)
    assert (run.returncode, len(run.stdout.splitlines())) == (0, 1)
    source.write_text(GOOD + "\nnot json\n")
    run = closed("2>&-", "batch", str(source), cwd=tmp_path)
    assert run.returncode == 1
    assert [json.loads(line).get("line") for line in run.stdout.splitlines()] == [None, 2]
    run = closed("2>&-", "recommend", "-c", "nope", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (2, "")


def test_all_three_closed(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(GOOD + "\n")
    run = closed("<&- >&- 2>&-", "batch", str(source), "-o", "out.jsonl", cwd=tmp_path)
    assert run.returncode == 0
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 1


@pytest.mark.parametrize(
    ("locale", "name", "shown"),
    [
        ("C", "Clínica Süd KB".encode(), "Cl\\udcc3\\udcadnica S\\udcc3\\udcbcd KB"),  # UTF-8 bytes, ASCII locale
        ("C.UTF-8", "Clínica".encode("latin-1"), "Cl\\udcednica"),  # Latin-1 bytes, UTF-8 locale
    ],
)
def test_a_path_the_locale_cannot_decode_is_printed_escaped(
    tmp_path: Path, locale: str, name: bytes, shown: str
) -> None:
    """`LC_ALL=C skinrec kb validate` of a base under 'Clínica' ended in a UnicodeEncodeError ("surrogates not
    allowed") when printing the problems: the name's bytes reach Python as lone surrogates, which stdout, made
    UTF-8 (strict) by settle_encodings, could not write. Now they are backslash escapes, in valid UTF-8."""
    root = os.fsencode(tmp_path) + b"/" + name + b"/bad kb"
    os.makedirs(root)
    copy_kb(Path(os.fsdecode(root)))
    with open(root + b"/data/treatments.yaml", "ab") as handle:
        handle.write(b"garbage: [\n")
    env = {**os.environ, "LC_ALL": locale, "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    env_bytes = {os.fsencode(k): os.fsencode(v) for k, v in env.items()} | {b"SKINREC_KB": root}
    run = subprocess.run(
        [sys.executable, "-m", "skinrec", "kb", "validate"], capture_output=True, env=env_bytes, timeout=60, check=False
    )
    stdout, stderr = run.stdout.decode(), run.stderr.decode("ascii", "replace")
    assert run.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert stdout.startswith(f"{os.fsdecode(tmp_path)}/{shown}/bad kb/data/treatments.yaml:"), stdout
    assert stderr.startswith("1 problem in knowledge base"), stderr


@pytest.mark.parametrize("unbuffered", ["1", ""], ids=["PYTHONUNBUFFERED", "buffered"])
@pytest.mark.parametrize("argv", [["-f", "json"], ["--explain"]], ids=["json", "table"])
def test_output_cut_short_by_the_disk_is_an_error_not_a_success(
    tmp_path: Path, unbuffered: str, argv: list[str]
) -> None:
    """From a terminal tester: on a disk with a few kilobytes left, `recommend -f json > r.json` wrote 12 kB of
    41 and exited 0, since the kernel wrote part and Python's unbuffered stdout (PYTHONUNBUFFERED, usual in
    containers) dropped the rest. A file size limit (RLIMIT_FSIZE) cuts writes short the same way."""
    import resource

    limit = 4096
    target = tmp_path / "r.json"
    with target.open("wb") as out:
        run = subprocess.run(
            [sys.executable, "-m", "skinrec", "recommend", "-c", "acne_scars", "-n", "0", *argv],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": unbuffered, "NO_COLOR": "1"},
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)),
            timeout=30,
            check=False,
        )
    assert run.returncode == 1, run.stderr
    assert run.stderr == (
        "skinrec: error: File too large; the output could not be written: check where it goes (a full disk?)\n"
    )
    assert target.stat().st_size == limit


def test_a_file_name_in_a_message_cannot_drive_the_terminal(tmp_path: Path) -> None:
    """From a terminal tester: `-p $'nof\\e[2J.yaml'` put a raw clear-screen sequence in the error, and
    `-o $'a\\nb.md'` printed "wrote a" and "b.md" on two lines."""
    from helpers import cli

    run = cli("recommend", "-p", str(tmp_path / "nof\x1b[2J.yaml"))
    assert run.code == 1 and "\x1b" not in run.stderr and "nof\\u001b[2J.yaml" in run.stderr
    run = cli("recommend", "-c", "acne_scars", "-f", "markdown", "-o", str(tmp_path / "a\nb.md"))
    assert run.code == 0 and run.stderr == f"wrote {tmp_path}/a\\nb.md\n"
    assert (tmp_path / "a\nb.md").read_text().startswith("# skinrec recommendations")


def test_a_temporary_folder_that_refuses_the_workers_results_is_named(tmp_path: Path) -> None:
    """From a terminal tester: with TMPDIR full, `batch --jobs 2` said it could not write the results to standard
    output (or to -o's file), which had room: the workers' temporary folder is named, with the fixes. A file size
    limit refuses the workers' spill files the same way."""
    import resource

    source = tmp_path / "in.jsonl"
    source.write_text((GOOD + "\n") * 600)
    run = subprocess.run(
        [sys.executable, "-m", "skinrec", "batch", str(source), "-o", str(tmp_path / "out.jsonl"), "--jobs", "2"],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000)),
        timeout=60,
        check=False,
    )
    assert run.returncode == 1
    assert run.stderr.startswith(
        f"skinrec: error: cannot write the workers' results to the temporary folder '{tmp_path}/"
    )
    assert run.stderr.endswith(
        "': File too large; make room there, point TMPDIR at a folder with room, or use --jobs 1 (which needs no "
        "temporary files)\n"
    )
    assert not (tmp_path / "out.jsonl").exists()


def test_the_questionnaire_says_stdout_is_closed_before_its_first_question(tmp_path: Path) -> None:
    """`skinrec recommend -i >&-` asked every question, and only then failed at the output. It now fails first,
    saying the results would have nowhere to go (nothing has been written yet) and that -o would do. With -o
    the results have somewhere to go: they are written, and only the copy shown to the person who answered is
    left out (it failed, after the last answer, with the file unwritten), and the summary says Enter writes them
    there (it said "Enter to see your results")."""
    run = closed(">&-", "recommend", "-i", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (
        1,
        "skinrec: error: standard output is closed, so the results would have nowhere to go; redirect it (> FILE) "
        "or give -o FILE\n",
    )
    profile = tmp_path / "me.yaml"
    profile.write_text("concerns: [acne_scars]\ndowntime: 2\nbudget: no limit\nskin_type: 2\nconditions: []\n")
    (tmp_path / "answers.txt").write_text("\nn\n")  # confirm the summary, save no profile
    run = closed(">&- < answers.txt", "recommend", "-i", "-p", "me.yaml", "-o", "r.json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "wrote r.json" in run.stderr
    assert "Enter to write your results to r.json, or 1-5 to change an answer" in run.stderr
    assert "see your results" not in run.stderr
    assert json.loads((tmp_path / "r.json").read_text())["profile"]["concerns"] == ["acne_scars"]
