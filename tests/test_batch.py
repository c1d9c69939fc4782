"""`skinrec batch`: JSON lines in, one recommendation document per line out, in order, whatever the input holds."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

import pytest
from helpers import Run, cli

from skinrec import batch, engine, fast_export
from skinrec.export import dumps, result_document
from skinrec.loader import load_kb
from skinrec.profile import Profile
from skinrec.result_schema import ResultDocument
from skinrec.wording import Origin

GOOD = {"id": "p-1", "concerns": ["acne scars", "Fine-Lines"], "downtime": 3, "budget": 2000, "skin_type": "IV"}


def lines(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def results(run: Run) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in run.stdout.splitlines()]


def test_each_line_gets_the_recommend_document_with_its_id(tmp_path: Path) -> None:
    run = cli("batch", "-", input=lines(GOOD, {"id": 7, "concerns": ["enlarged pores"]}, {"concerns": ["acne_scars"]}))
    assert run.code == 0, run.stderr
    assert run.stderr == ""
    first, second, third = results(run)
    assert [first["id"], second["id"]] == ["p-1", 7]
    assert "id" not in third
    assert list(first)[:2] == ["id", "schema_version"]
    for doc in (first, second, third):
        ResultDocument.model_validate(doc)
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({k: v for k, v in GOOD.items() if k != "id"}))
    alone = json.loads(cli("recommend", "-p", str(profile), "-f", "json").stdout)
    line = {k: v for k, v in first.items() if k != "id"}
    # the same document, but for where the notices say a condition goes: the line's `conditions`, the file's
    assert [notice.replace("the line's", "the profile's") for notice in line.pop("notices")] == alone.pop("notices")
    assert alone == line


def test_bad_lines_get_error_records_and_the_rest_is_scored() -> None:
    source = lines(
        GOOD,
        {"id": "x", "concerns": ["acne scarz"]},
        "{not json",
        "",
        "[1, 2]",
        {"id": [1], "concerns": ["acne_scars"]},
        {"concerns": []},
        {"id": 9, "concerns": ["acne_scars"], "skin_type": 9},
        {"concerns": ["acne_scars"], "colour": "red"},
        {"id": "last", "concerns": ["acne_scars"]},
    )
    run = cli("batch", "-", input=source)
    assert run.code == 1
    out = results(run)
    assert len(out) == 9, "one output line per non-blank input line"
    assert out[0]["id"] == "p-1" and out[0]["recommendations"]
    assert out[-1]["id"] == "last" and out[-1]["recommendations"]
    assert out[1:-1] == [
        {"id": "x", "line": 2, "error": "concerns: unknown concern 'acne scarz' — did you mean 'acne_scars'?"},
        {"line": 3, "error": "not valid JSON at column 2: expected a key in double quotes here"},
        {"line": 5, "error": "a line must be a JSON object (a profile), not an array"},
        {"line": 6, "error": "id must be a string or a whole number, not [1]"},
        {
            "line": 7,
            "error": 'concerns: at least one concern is needed; add "concerns": [...] with one or more '
            "concern ids (skinrec concerns lists them)",
        },
        {
            "id": 9,
            "line": 8,
            "error": "skin_type: 9 is not a Fitzpatrick skin type; use I-VI or 1-6 (or leave it out if unsure)",
        },
        {
            "line": 9,
            "error": "colour: unknown key; expected concerns, downtime, budget, budget_per, skin_type, "
            "conditions, setting, id",
        },
    ]
    messages = run.stderr.splitlines()
    assert messages[:2] == [
        "skinrec: error: <stdin>:2: concerns: unknown concern 'acne scarz' — did you mean 'acne_scars'?",
        "skinrec: error: <stdin>:3: not valid JSON at column 2: expected a key in double quotes here",
    ]
    assert messages[-1] == (
        "skinrec: error: 7 of 9 profiles could not be scored; their error records are in the output"
    ), "the blank line is no profile"


def test_a_line_that_is_not_json_is_explained_in_the_words_a_json_profile_gets() -> None:
    """Batch lines gave Python's words ("Expecting value"), and took NaN and Infinity, which JSON does not have
    (Python's json.dumps writes them): the same wording as a .json profile's, with the column first."""
    line = '{"concerns": ["acne_scars"], '
    source = lines(
        line + '"downtime": NaN}',
        line + '"budget": -Infinity}',
        '{"concerns": ["acne_scars"]',
        '{"concerns": ["acne_scars"',
        line + '"downtime": 010}',
        line + '"downtime": 0x10}',
        line + '"downtime": 3,}',
        "x",
    )
    run = cli("batch", "-", input=source)
    number = "is not a JSON number; write a number in digits, or leave the key out"
    assert [record["error"] for record in results(run)] == [
        f"not valid JSON at column 42: NaN {number}",
        f"not valid JSON at column 40: -Infinity {number}",
        "not valid JSON at column 28: the line ends before the object opened at column 1 is closed; add the "
        "missing '}' at the end",
        "not valid JSON at column 27: the line ends before the array opened at column 14 is closed; add the "
        "missing ']}' at the end",
        "not valid JSON at column 42: JSON numbers cannot start with 0 (010); write 10",
        "not valid JSON at column 42: JSON numbers have no hex (0x10); write 16",
        "not valid JSON at column 43: a trailing comma before '}'; remove the comma",
        "not valid JSON at column 1: expected a value here (text is written in double quotes)",
    ]
    assert run.code == 1
    assert run.stderr.splitlines()[0] == f"skinrec: error: <stdin>:1: not valid JSON at column 42: NaN {number}"


def test_a_line_holding_more_than_a_profile_or_nested_too_deeply_is_told_the_fix() -> None:
    """Lines ended by a CR alone (an old Mac file), or a NUL byte after a profile, read as one line with text after
    its object, and a line nested thousands deep was "not valid JSON: nested too deeply" (it is valid, only
    deeper than Python's json reads): neither said what to do, and the fix is a profile's flat shape, not a .json
    profile's limit of 64 levels, which a line does not have."""
    run = cli(
        "batch",
        "-",
        input='{"concerns": ["acne_scars"]}\r{"concerns": ["fine_lines"]}\n{"concerns": ["acne_scars"]}\x00\n'
        + "[" * 100_000
        + "\n",
    )
    after = (
        "more text after the end of the profile's object; give one profile per line, with nothing after it; end "
        "each line with LF or CRLF (a CR alone ends none)"
    )
    assert [record["error"] for record in results(run)] == [
        f"not valid JSON at column 30: {after}",  # the next line's profile, after the CR
        f"not valid JSON at column 29: {after}",
        "not valid JSON for a profile: nested too deeply; a profile is a flat object of lists and values",
    ]


def test_a_line_whose_conditions_are_null_answers_no_safety_question_as_a_profile_file(tmp_path: Path) -> None:
    """`"conditions": null` passed for a clean safety screen on a batch line (no notices), where a profile file
    reads it, as `conditions:` left empty, as no answer: one test decides for both (`answers_conditions`)."""
    run = cli(
        "batch",
        "-",
        input=lines(
            {"id": 1, "concerns": ["acne_scars"]},
            {"id": 3, "concerns": ["acne_scars"], "conditions": None},
            {"id": 4, "concerns": ["acne_scars"], "conditions": []},
        ),
    )
    unasked, null, answered = (doc["notices"] for doc in results(run))
    assert null == unasked and len(null) == 2 and null[0].startswith("No conditions were given")
    assert answered == []
    profile = tmp_path / "cn.json"
    profile.write_text('{"concerns": ["acne_scars"], "conditions": null}')
    said = json.loads(cli("recommend", "-p", str(profile), "-f", "json").stdout)["notices"]
    assert len(said) == 2 and said[0].startswith("No conditions were given")


@pytest.mark.parametrize("origin", ["flag", "file", "line"])
def test_the_fast_document_words_the_notices_for_their_origin_as_the_plain_one(origin: Origin) -> None:
    """Batch writes its lines with `fast_export`, which must stay byte for byte the plain document, now that the
    notices say where to add a condition (a line's `conditions`, not -x)."""
    kb = load_kb()
    profile = Profile(concerns=("acne_scars", "burn_scars"))
    plain = dumps(result_document(kb, engine.recommend(profile, kb), 3, False, origin=origin), compact=True)
    assert fast_export.document_line(kb, profile, 3, "p-1", False, origin=origin) == '{"id":"p-1",' + plain[1:]
    assert ("-x" in plain) is (origin == "flag")


def test_a_lone_surrogate_is_an_error_record_and_the_rest_is_scored(tmp_path: Path) -> None:
    """JSON may escape half of a UTF-16 pair on its own; no UTF-8 output can hold it, so that line (whichever
    string holds it) gets an error record, and a proper pair is text like any other."""
    source = "\n".join(
        [
            '{"id": "\\ud800", "concerns": ["acne_scars"]}',
            '{"id": "a", "concerns": ["\\udfff"]}',
            '{"id": "\\ud83d\\ude00", "concerns": ["acne_scars"]}',
            '{"id": "b", "concerns": ["acne_scars"]}',
        ]
    )
    out = tmp_path / "out.jsonl"
    for argv in (["batch", "-"], ["batch", "-", "-j", "2", "-o", str(out)]):
        run = cli(*argv, input=source + "\n")
        assert run.code == 1, argv
        records = results(run) if "-o" not in argv else [json.loads(line) for line in out.read_text().splitlines()]
        message = "not valid text: a \\u escape names half of a UTF-16 surrogate pair on its own"
        assert records[:2] == [{"line": 1, "error": message}, {"line": 2, "error": message}]
        assert [records[2]["id"], records[3]["id"]] == ["\N{GRINNING FACE}", "b"]
        assert run.stderr.splitlines()[-1] == (
            "skinrec: error: 2 of 4 profiles could not be scored; their error records are in the output"
        )


def test_a_key_given_twice_and_an_encoded_surrogate_are_refused(tmp_path: Path) -> None:
    """Plain JSON keeps a repeated key's last value, which here would quietly drop a condition; and Python's
    JSON reader accepts a surrogate encoded straight into the bytes. Both lines get error records."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b'{"id": 1, "conditions": ["pregnant"], "concerns": ["acne_scars"], "conditions": []}\n'
        b'{"id": "\xed\xa0\x80", "concerns": ["acne_scars"]}\n'
        b'\xef\xbb\xbf{"id": "bom", "concerns": ["acne_scars"]}\n'
    )
    run = cli("batch", str(source))
    assert run.code == 1
    out = results(run)
    assert out[:2] == [
        {"id": 1, "line": 1, "error": "duplicate key 'conditions'; keep only one"},
        {"line": 2, "error": "not UTF-8 text; save the file as UTF-8"},
    ]
    assert out[2]["id"] == "bom"


def test_a_key_given_twice_keeps_the_line_s_id_unless_it_is_the_id() -> None:
    """The error record carries the id whenever the line had a usable one, as for any other mistake."""
    run = cli(
        "batch",
        "-",
        input=lines(
            '{"id": "v", "concerns": ["acne_scars"], "concerns": ["fine_lines"]}',
            '{"id": "v", "id": "w", "concerns": ["acne_scars"]}',
            '{"id": [1], "concerns": ["acne_scars"], "concerns": []}',
            '{"id": 3, "concerns": [{"a": 1, "a": 2}]}',
            '{"id": 4, "concerns": [{"a": 1, "a": 2}], oops}',
        ),
    )
    assert results(run) == [
        {"id": "v", "line": 1, "error": "duplicate key 'concerns'; keep only one"},
        {"line": 2, "error": "duplicate key 'id'; keep only one"},
        {"line": 3, "error": "duplicate key 'concerns'; keep only one"},
        {"id": 3, "line": 4, "error": "duplicate key 'a'; keep only one"},
        {"line": 5, "error": "duplicate key 'a'; keep only one"},
    ]


@pytest.mark.parametrize("key", ["ID", "Id"])
def test_an_id_in_capitals_is_offered_as_id(key: str) -> None:
    run = cli("batch", "-", input=lines({key: "x", "concerns": ["acne_scars"]}))
    assert results(run) == [{"line": 1, "error": f"{key}: unknown key; did you mean 'id'?"}]


def test_blank_lines_are_not_counted_as_profiles() -> None:
    run = cli("batch", "-", input=lines({"concerns": ["acne_scars"]}, "", " ", *[{}] * 9))
    assert run.stderr.splitlines()[-1] == (
        "skinrec: error: 9 of 10 profiles could not be scored; their error records are in the output"
    )


@pytest.mark.parametrize("ending", [b"\n", b"\r\n"])
def test_the_line_limit_is_on_the_content_whatever_the_line_ending(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ending: bytes
) -> None:
    """A line of exactly MAX_LINE_BYTES is accepted and one byte more refused, with LF or CRLF endings, and
    whether the last line has its ending or not."""
    monkeypatch.setattr(batch, "MAX_LINE_BYTES", 200)
    head = b'{"concerns": ["acne_scars"], "id": "'
    exact = head + b"x" * (200 - len(head) - 2) + b'"}'
    over = head + b"x" * (201 - len(head) - 2) + b'"}'
    source = tmp_path / "in.jsonl"
    source.write_bytes(exact + ending + over + ending + exact + ending + over)
    refused = "longer than 0 MiB; one profile per line"
    out = results(cli("batch", str(source)))
    assert [(record.get("line"), record.get("error")) for record in out] == [
        (None, None),
        (2, refused),
        (None, None),
        (4, refused),
    ]


def test_one_bad_line_of_one_is_counted_in_the_singular() -> None:
    run = cli("batch", "-", input="[]\n")
    assert run.stderr.splitlines()[-1] == (
        "skinrec: error: 1 of 1 profile could not be scored; its error record is in the output"
    )


def test_undecodable_and_overlong_lines(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(batch, "MAX_LINE_BYTES", 200)
    source = tmp_path / "in.jsonl"
    overlong = json.dumps({"concerns": ["acne_scars"], "conditions": ["pregnant"] * 40})
    source.write_bytes(b'{"concerns": ["acne_scars"], "id": "\xff\xfe"}\n' + overlong.encode() + b"\n" + b"{}\n")
    run = cli("batch", str(source))
    assert run.code == 1
    assert results(run) == [
        {"line": 1, "error": "not UTF-8 text; save the file as UTF-8"},
        {"line": 2, "error": "longer than 0 MiB; one profile per line"},
        {
            "line": 3,
            "error": 'concerns: at least one concern is needed; add "concerns": [...] with one or more concern '
            "ids (skinrec concerns lists them)",
        },
    ]


def test_files_in_and_out(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(lines(GOOD, {"concerns": ["enlarged_pores"]}))
    run = cli("batch", str(source), "-o", str(target))
    assert run.code == 0
    assert run.stdout == ""
    assert run.stderr == f"wrote {target}\n"
    assert [json.loads(line)["profile"]["concerns"] for line in target.read_text().splitlines()] == [
        ["acne_scars", "fine_lines"],
        ["enlarged_pores"],
    ]


def test_top_limits_the_recommendations() -> None:
    one = results(cli("batch", "-", "--top", "1", input=lines(GOOD)))[0]
    every = results(cli("batch", "-", "--top", "0", input=lines(GOOD)))[0]
    assert [r["rank"] for r in one["recommendations"]] == [1]
    assert len(every["recommendations"]) > 1


def test_empty_input_is_no_output() -> None:
    run = cli("batch", "-", input="")
    assert (run.code, run.stdout, run.stderr) == (0, "", "")


def test_two_jobs_give_the_same_output_in_the_same_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "CHUNK_LINES", 7)  # many chunks, so the workers really interleave
    records: list[object] = []
    for i in range(60):
        records.append({"id": i, "concerns": [["acne_scars"], ["enlarged_pores", "deep_wrinkles"], ["sagging"]][i % 3]})
        if i % 13 == 0:
            records.append({"id": f"bad-{i}", "concerns": ["nothing"]})
    source = tmp_path / "in.jsonl"
    source.write_text(lines(*records))
    one = cli("batch", str(source))
    two = cli("batch", str(source), "--jobs", "2")
    assert (one.code, two.code) == (1, 1)
    assert two.stdout == one.stdout
    assert two.stderr == one.stderr
    target = tmp_path / "out.jsonl"
    for jobs in ("1", "2"):  # into a real file, chunk after chunk, each handed to the disk as it comes
        target.unlink(missing_ok=True)
        assert cli("batch", str(source), "-j", jobs, "-o", str(target)).code == 1
        assert target.read_text() == one.stdout
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_a_run_that_fails_midway_leaves_the_old_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("yesterday's results\n")
    calls = []
    real = batch.write_document

    def interrupted(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 5:
            raise KeyboardInterrupt
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "CHUNK_LINES", 2)  # some chunks are written before the interruption
    monkeypatch.setattr(batch, "write_document", interrupted)
    run = cli("batch", "-", "-o", str(target), input=lines(*[GOOD] * 10))
    assert (run.code, run.stderr) == (130, "skinrec: stopped\n")
    assert target.read_text() == "yesterday's results\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"], "no temporary file is left behind"


def test_output_onto_a_folder_or_an_unwritable_path(tmp_path: Path) -> None:
    run = cli("batch", "-", "-o", str(tmp_path), input=lines(GOOD))
    assert run.code == 1
    assert run.stderr == (
        f"skinrec: error: cannot write '{tmp_path}': it is a directory; give a file name, e.g. '{tmp_path}/results.jsonl'\n"
    )
    missing = tmp_path / "no" / "out.jsonl"
    run = cli("batch", "-", "-o", str(missing), input=lines(GOOD))
    assert (
        run.stderr
        == f"skinrec: error: cannot write '{missing}': folder '{missing.parent}' does not exist; create it first\n"
    )
    if sys.platform == "linux":  # /proc takes no new files, even from root
        run = cli("batch", "-", "-o", "/proc/out.jsonl", input=lines(GOOD))
        assert run.code == 1
        assert run.stderr.startswith("skinrec: error: cannot write '/proc/out.jsonl': ")


def test_unreadable_input(tmp_path: Path) -> None:
    missing = cli("batch", str(tmp_path / "nope.jsonl"))
    assert (missing.code, missing.stderr) == (
        1,
        f"skinrec: error: {tmp_path / 'nope.jsonl'}: no such file; give a JSON-lines file of profiles, or '-' for stdin\n",
    )
    folder = cli("batch", str(tmp_path))
    assert (folder.code, folder.stderr) == (
        1,
        f"skinrec: error: {tmp_path}: is a directory; give a JSON-lines file of profiles, or '-' for stdin\n",
    )


def test_an_empty_input_name_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`skinrec batch ""` (an unset variable in a script) said ": no such file", exit 1, and as a Path it would
    be the working directory: it is a mistake in the command line, named as -o's is."""
    monkeypatch.chdir(tmp_path)
    for argv in (["batch", ""], ["batch", "", "-o", "out.jsonl"], ["batch", "", "-o", ""]):
        run = cli(*argv, input=lines(GOOD))
        assert (run.code, run.stdout, run.stderr) == (
            2,
            "",
            "skinrec: error: IN.jsonl needs a file name (or '-' for stdin)\n",
        ), argv
    assert list(tmp_path.iterdir()) == []


def test_no_progress_bar_off_a_terminal() -> None:
    run = cli("batch", "-", input=lines(*[GOOD] * 3))
    assert run.stderr == ""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    import pexpect

    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text(lines(*[GOOD] * 6000))
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    skinrec = str(Path(sys.executable).with_name("skinrec"))
    child = pexpect.spawn(skinrec, ["batch", str(source), "-o", str(target)], env=env, timeout=60, encoding="utf-8")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "scoring" in child.before  # the bar, drawn on stderr (the terminal) while it ran
    assert len(target.read_text().splitlines()) == 6000


def test_a_worker_that_dies_is_an_error_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("yesterday's results\n")
    real = batch.score_chunk

    def dies_on_the_third(kb: object, chunk: tuple[int, bytes], top: int | None) -> batch.Scored:
        if chunk[0] > 4:
            os._exit(9)  # as the out-of-memory killer would end it
        return real(kb, chunk, top)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "CHUNK_LINES", 2)
    monkeypatch.setattr(batch, "score_chunk", dies_on_the_third)
    run = cli("batch", "-", "-j", "2", "-o", str(target), input=lines(*[GOOD] * 20))
    assert (run.code, run.stderr) == (
        1,
        "skinrec: error: a worker process died (out of memory?); nothing more could be scored\n",
    )
    assert target.read_text() == "yesterday's results\n"


@pytest.mark.parametrize("delay", [0.0, 0.3])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigterm_stops_a_batch_cleanly(tmp_path: Path, jobs: str, delay: float) -> None:
    """`kill` (SIGTERM) as a run starts or mid-run: exit 143 with one line, no temporary output or spill files
    left, and no worker process left waiting for work (they used to outlive the parent for ever)."""
    import signal
    import subprocess
    import time

    source = tmp_path / "in.jsonl"
    source.write_text(lines(*[GOOD] * 20_000))
    out, scratch = tmp_path / "out", tmp_path / "scratch"
    out.mkdir()
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "skinrec", "batch", str(source), "-o", str(out / "res.jsonl"), "-j", jobs]
    child = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 20
    while not any(out.iterdir()) and time.monotonic() < deadline:  # scoring has started: its temporary file
        time.sleep(0.02)
    time.sleep(delay)
    child.send_signal(signal.SIGTERM)
    _, stderr = child.communicate(timeout=20)
    assert (child.returncode, stderr) == (143, "skinrec: stopped\n")
    assert list(out.iterdir()) == [] and list(scratch.iterdir()) == []
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):  # nothing of the run's process group is left
        os.killpg(child.pid, 0)


def test_a_deferred_sigterm_waits_for_the_check() -> None:
    """Within `deferred`, SIGTERM is only noted until `check()`; the handler before it is put back after."""
    import signal

    from skinrec.errors import Terminated
    from skinrec.termination import deferred

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated), deferred() as check:
        check()  # nothing yet
        os.kill(os.getpid(), signal.SIGTERM)
        reached = True  # the signal did not interrupt the block
        check()
    assert reached and signal.getsignal(signal.SIGTERM) is before


def _children(parent: int) -> list[int]:
    """The pids of `parent`'s live child processes, from /proc (zombies are dead: only unreaped)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == parent and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    """Whether `pid` runs: not gone, and not a zombie its new parent (PID 1 in a container) never reaps."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="the workers die with their parent on Linux only")
def test_workers_die_with_a_parent_killed_outright(tmp_path: Path) -> None:
    """`kill -9` of a `batch -j 2` left both workers alive for ever, re-parented to PID 1, waiting on a queue
    nobody writes to and holding the temporary output open."""
    import signal
    import subprocess
    import time

    source = tmp_path / "in.jsonl"
    source.write_text(lines(*[GOOD] * 20_000))
    env = {**os.environ, "TMPDIR": str(tmp_path), "NO_COLOR": "1"}
    command = [sys.executable, "-m", "skinrec", "batch", str(source), "-o", str(tmp_path / "out.jsonl"), "-j", "2"]
    child = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL, start_new_session=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 30
        while len(workers) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
            workers = _children(child.pid)
        assert len(workers) == 2, "the workers never started"
        child.kill()
        child.wait(timeout=10)
        deadline = time.monotonic() + 3
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)], "a worker outlived its parent"
    finally:
        for pid in workers:  # a regression must not leave them running
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if child.poll() is None:
            child.kill()
            child.wait()


@pytest.mark.parametrize(
    ("source", "signal_name", "jobs", "code"),
    [
        ("fifo", "SIGTERM", "1", 143),
        ("fifo", "SIGTERM", "2", 143),
        ("/dev/zero", "SIGTERM", "1", 143),
        ("fifo", "SIGINT", "1", 130),
        ("/dev/zero", "SIGINT", "1", 130),
    ],
)
def test_a_signal_stops_a_batch_waiting_for_its_input(
    tmp_path: Path, source: str, signal_name: str, jobs: str, code: int
) -> None:
    """`skinrec batch FIFO` whose writer is silent, or `skinrec batch /dev/zero` (one endless line): SIGTERM was
    only noted (reading happened where SIGTERM is deferred) and the run went on until the writer ended, or for
    ever at full CPU. Ctrl-C stops both too."""
    import signal
    import subprocess
    import time

    if not Path(source).exists() and source != "fifo":
        pytest.skip(f"no {source} here")
    writer = None
    if source == "fifo":
        source = str(tmp_path / "fifo")
        os.mkfifo(source)
        writer = os.open(source, os.O_RDWR)  # a writer that never writes: skinrec's open does not wait, its read does
    out, scratch = tmp_path / "out", tmp_path / "scratch"
    out.mkdir()
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    command = [sys.executable, "-m", "skinrec", "batch", source, "-o", str(out / "res.jsonl"), "-j", jobs]
    child = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while not any(out.iterdir()) and time.monotonic() < deadline:  # the output is open: reading starts
            time.sleep(0.02)
        time.sleep(0.5)
        child.send_signal(getattr(signal, signal_name))
        _, stderr = child.communicate(timeout=10)
        assert (child.returncode, stderr) == (code, "skinrec: stopped\n")
        assert list(out.iterdir()) == [] and list(scratch.iterdir()) == []
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        if writer is not None:
            os.close(writer)


def test_acting_lets_sigterm_through_within_a_deferral() -> None:
    """Within `deferred`, `acting` stops at once on SIGTERM, or as it starts on one noted before it; outside a
    deferral it leaves the handler alone."""
    import signal

    from skinrec.errors import Terminated
    from skinrec.termination import acting, deferred

    before = signal.getsignal(signal.SIGTERM)
    with acting():
        assert signal.getsignal(signal.SIGTERM) is before
    reached = []
    with pytest.raises(Terminated), deferred(), acting():
        os.kill(os.getpid(), signal.SIGTERM)
        reached.append(1)  # not reached: the signal raised at once
    assert reached == [] and signal.getsignal(signal.SIGTERM) is before
    with pytest.raises(Terminated), deferred():
        os.kill(os.getpid(), signal.SIGTERM)
        reached.append(1)  # reached: only noted
        with acting():
            reached.append(2)  # not reached: the noted signal acts as `acting` starts
    assert reached == [1] and signal.getsignal(signal.SIGTERM) is before


def test_running_out_of_memory_is_one_line_and_keeps_the_old_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`(ulimit -v 65536; skinrec batch big.jsonl -o out.jsonl)` ended with a 72-line MemoryError traceback."""
    target = tmp_path / "out.jsonl"
    target.write_text("yesterday's results\n")
    real = batch.score_chunk

    def runs_out(kb: object, chunk: tuple[int, bytes], top: int | None) -> batch.Scored:
        if chunk[0] > 4:
            raise MemoryError
        return real(kb, chunk, top)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "CHUNK_LINES", 2)
    monkeypatch.setattr(batch, "score_chunk", runs_out)
    for jobs, fewer in (("1", ""), ("2", ", or use fewer --jobs")):
        run = cli("batch", "-", "-j", jobs, "-o", str(target), input=lines(*[GOOD] * 20))
        assert (run.code, run.stderr) == (
            1,
            "skinrec: error: out of memory after 4 profiles; allow skinrec more (a container's memory limit, "
            f"ulimit -v){fewer}\n",
        )
        assert target.read_text() == "yesterday's results\n"
        assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"], "no temporary file is left behind"
