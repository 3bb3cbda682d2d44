"""Hardening of ``stormchat batch`` (issue 7): every odd line gets an answer and the rest go
on, unusable input and output get one ``stormchat:`` line and the right exit code, memory
stays flat however long the file, and an output file is complete or absent.

tests/test_batch.py already covers the input rules on a fake engine (CRLF, BOM, invalid UTF-8,
a 10 MB line, binary / UTF-16 / missing / directory / unreadable files), -o refusal and
--force, Ctrl-C on stdout and a closed pipe in jsonl; these tests add the real engine on the
same odd lines, every format's terminal safety, streaming, and faults around -o and stdio.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import batch, cli
from assistant.engine import TRUNCATION_MARK
from assistant.neutral import csv_cell
from assistant.output import make_formatter
from tests.test_batch import FIELDS, FakeEngine

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "assistant.cli"]
CONTROL_BYTES = {*range(0x20), 0x7F} - {0x0A, 0x09}
C1_UTF8 = tuple(chr(code).encode() for code in range(0x80, 0xA0))
ORR_N = 32  # patients with a partial response or better, published and reconstructed


def assert_terminal_safe(data: bytes) -> None:
    assert not CONTROL_BYTES & set(data)
    assert not any(c1 in data for c1 in C1_UTF8)


def assert_one_error_line(stderr: bytes) -> str:
    text = stderr.decode()
    assert text.startswith("stormchat: ") and text.count("\n") == 1, text
    assert "Traceback" not in text
    return text


# ---------------------------------------------------------------------------- odd lines


def odd_lines(marker: Path) -> list[tuple[bytes, str | None]]:
    """(line, what its answer must be) in file order; None for a line that is not a question
    (a blank line or a comment). Expectations: "orr" answered as the ORR; a status name."""
    return [
        (b"What was the ORR?", "orr"),
        (b"", None),
        (b"# a comment", None),
        (b"ORR [95% CI]", "orr"),
        (b"[bold]ORR[/bold]", "orr"),
        (b"[link=x]ORR", "orr"),
        (b"[/", "unknown"),
        (b"\x1b[31mWhat was the ORR?\x1b[0m", "orr"),
        (b"What was the ORR?\x07\x08\x7f", "orr"),
        (b"how many patients had \x1b[31mweight loss\x1b[0m?", "not_reported"),
        ("What was the ORR? 😀👍🏽".encode(), "orr"),
        ("ما هو ORR".encode(), "orr"),
        ("o\u0304verall response rate".encode(), "orr"),
        (b"   ", None),
        (b"'; DROP TABLE facts; --", "unknown"),
        (f"$(touch {marker})".encode(), "unknown"),
        (b"What was the \xff\xfe ORR?", "bad utf-8"),
        (b"What was the ORR? " + b"and also " * 1200, "orr cut"),  # 10 kB
        # Past the 8 KiB the sniffer reads: a NUL here is one odd question, not a binary file.
        (b"What was the ORR?\x00", "orr"),
        (b"What was the median PFS? " + b"y" * 10_000_000, "pfs cut"),  # 10 MB
        (b"What was the ORR?", "orr"),
    ]


@pytest.fixture(scope="module")
def odd_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str | None]]:
    folder = tmp_path_factory.mktemp("odd")
    lines = odd_lines(folder / "ran")
    path = folder / "odd.txt"
    # Windows line endings throughout.
    path.write_bytes(b"".join(line + b"\r\n" for line, _ in lines))
    return path, [expect for _, expect in lines]


def run_in_process(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_odd_lines_answered_one_by_one_with_the_real_engine(
    odd_file: tuple[Path, list[str | None]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, expected = odd_file
    code, out, err = run_in_process(["batch", str(path), "--format", "jsonl"], capsys)
    assert code == 0 and err == ""
    answers = [json.loads(line) for line in out.splitlines()]
    wanted = [expect for expect in expected if expect is not None]
    assert len(answers) == len(wanted)
    for answer, expect in zip(answers, wanted, strict=True):
        assert set(answer) == FIELDS
        assert "\r" not in answer["question"]
        if expect in ("orr", "orr cut"):
            assert answer["status"] == "answered" and answer["values"]["n"] == ORR_N, answer
        elif expect == "pfs cut":
            assert (answer["status"], answer["intent"]) == ("answered", "tte_median")
            # Read on a bounded prefix of the line, not 10 MB.
            assert len(answer["question"].encode()) <= batch.MAX_LINE_BYTES
        elif expect == "bad utf-8":
            assert answer["status"] == "unknown" and "UTF-8" in answer["text"]
        else:
            assert answer["status"] == expect, answer
        assert (TRUNCATION_MARK in answer["text"]) == (expect in ("orr cut", "pfs cut"))
    # Emoji, right-to-left and combining characters come back exactly as written.
    questions = [a["question"] for a in answers]
    assert "What was the ORR? 😀👍🏽" in questions and "o\u0304verall response rate" in questions
    assert not (path.parent / "ran").exists()


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_text_and_markdown_never_send_control_characters(
    fmt: str, odd_file: tuple[Path, list[str | None]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, expected = odd_file
    code, out, _ = run_in_process(["batch", str(path), "--format", fmt], capsys)
    assert code == 0
    data = out.encode()
    assert_terminal_safe(data)
    # Shown, not dropped: the reader can see that the line held an escape sequence (Markdown
    # escapes its bracket too).
    assert (b"\\x1b[31m" if fmt == "text" else b"\\x1b\\[31m") in data
    answers = (
        out.count("\nQ: ") + out.startswith("Q: ") if fmt == "text" else out.count("\n### Q: ")
    )
    assert answers == sum(1 for expect in expected if expect is not None)


def test_csv_keeps_the_questions_neutralised(
    odd_file: tuple[Path, list[str | None]], capsys: pytest.CaptureFixture[str]
) -> None:
    # The same questions as jsonl holds, with control sequences shown rather than sent to the
    # terminal or the spreadsheet (issue 15: csv_cell, as every way out).
    path, _ = odd_file
    _, jsonl_out, _ = run_in_process(["batch", str(path), "--format", "jsonl"], capsys)
    code, csv_out, _ = run_in_process(["batch", str(path), "--format", "csv"], capsys)
    rows = list(csv.reader(io.StringIO(csv_out)))
    assert code == 0
    assert_terminal_safe(csv_out.encode())
    assert [row[0] for row in rows[1:]] == [
        csv_cell(json.loads(line)["question"]) for line in jsonl_out.splitlines()
    ]


# ---------------------------------------------------------------------------- unusable input


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (gzip.compress(b"What was the ORR?\n" * 50, mtime=0), "not a text file"),
        (b"What was the ORR?\n" * 100 + b"\x00\x01\x02" * 10, "not a text file"),
    ],
)
def test_binary_files_are_refused_whole(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "questions.txt"
    path.write_bytes(data)
    result = subprocess.run(CLI + ["batch", str(path)], capture_output=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2 and result.stdout == b""
    assert expected in assert_one_error_line(result.stderr)
    # The same bytes on standard input.
    piped = subprocess.run(
        CLI + ["batch", "-"], input=data, capture_output=True, cwd=ROOT, timeout=120
    )
    assert piped.returncode == 2 and "standard input" in assert_one_error_line(piped.stderr)


def test_closed_stdin_is_a_usage_error() -> None:
    # `stormchat batch - <&-`
    result = subprocess.run(
        CLI + ["batch", "-"],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        preexec_fn=lambda: os.close(0),
    )
    assert result.returncode == 2
    assert "standard input is closed" in assert_one_error_line(result.stderr)


# ---------------------------------------------------------------------------- streaming


class CountingReader(io.RawIOBase):
    """A raw stream over ``data`` that records how much of it has been read."""

    def __init__(self, data: bytes) -> None:
        self.data, self.position = data, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self.data[self.position : self.position + len(buffer)]
        buffer[: len(chunk)] = chunk
        self.position += len(chunk)
        return len(chunk)


class RecordingSink(io.RawIOBase):
    """Records how much of the input had been read when each answer was written."""

    def __init__(self, reader: CountingReader) -> None:
        self.reader, self.read_at_write = reader, []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.read_at_write.append(self.reader.position)
        return len(data)


def test_each_answer_is_written_before_the_input_is_read_on() -> None:
    lines = [b"question %d\n" % i for i in range(200_000)]  # 2.5 MB
    reader = CountingReader(b"".join(lines))
    sink = RecordingSink(reader)
    items = batch.parse_lines(batch.read_lines(io.BufferedReader(reader)))
    written = batch.run_batch(items, FakeEngine(), make_formatter("jsonl"), batch.Sink(sink))
    assert written == len(lines)
    # The first answer went out after one buffer of input, not the whole file; and at no
    # point was the reader more than one buffer past the end of the line just answered.
    ends = list(itertools.accumulate(len(line) for line in lines))
    assert sink.read_at_write[0] <= io.DEFAULT_BUFFER_SIZE
    ahead = max(read - end for read, end in zip(sink.read_at_write, ends, strict=True))
    assert ahead <= io.DEFAULT_BUFFER_SIZE


def test_hundred_thousand_lines_in_flat_memory(
    fake_engine: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The batch machinery on 100,000 lines (a fake engine keeps it fast): the peak of Python
    # allocations stays far below the size of the input or the output.
    path = tmp_path / "many.txt"
    with open(path, "wb") as handle:
        for index in range(100_000):
            handle.write(b"question %06d padded to look like a real question\n" % index)
            if index % 7 == 6:
                handle.write(b"\n")  # new conversations, as people write them
    out_path = tmp_path / "answers.jsonl"
    tracemalloc.start()
    try:
        code = cli.main(["batch", str(path), "--format", "jsonl", "-o", str(out_path)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 0 and capsys.readouterr().err == ""
    assert path.stat().st_size > 5_000_000 and out_path.stat().st_size > 5_000_000
    assert peak < 2_000_000, f"peak {peak} bytes: the batch is not streaming"
    with open(out_path, "rb") as handle:
        assert sum(1 for _ in handle) == 100_000


@pytest.fixture
def fake_engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    engine = FakeEngine()
    monkeypatch.setattr(cli, "_load_engine", lambda args: engine)
    return engine


def _peak_rss_kib(path: Path, out_path: Path) -> int:
    """Peak resident memory of one batch run with the real engine, in KiB (Linux units)."""
    code = (
        "import resource, sys\n"
        "from assistant.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "batch",
            str(path),
            "--format",
            "jsonl",
            "-o",
            str(out_path),
            "--force",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return int(result.stderr.strip().splitlines()[-1])


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss units differ off Linux")
def test_real_engine_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    # 1,000 against 20,000 lines. Most lines are answered without the engine (not UTF-8,
    # so an error answer) to keep the run short; every 20th is a real question, so the
    # engine, the conversations and the writer all run throughout.
    def write(path: Path, count: int) -> None:
        with open(path, "wb") as handle:
            for index in range(count):
                if index % 20 == 0:
                    handle.write(b"What was the ORR?\nmedian PFS in penta-refractory?\n\n")
                else:
                    handle.write(b"line %d \xff " % index + b"padding " * 60 + b"\n")

    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    write(small, 1_000)
    write(large, 20_000)
    assert large.stat().st_size > 9_000_000  # the whole file in memory would show
    small_rss = _peak_rss_kib(small, tmp_path / "small.jsonl")
    large_rss = _peak_rss_kib(large, tmp_path / "large.jsonl")
    assert (tmp_path / "large.jsonl").stat().st_size > 10_000_000
    assert large_rss - small_rss < 8 * 1024, (small_rss, large_rss)


# ---------------------------------------------------------------------------- -o and faults


def _wait_for(condition, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _temporaries(folder: Path, name: str) -> list[Path]:
    return [
        p for p in folder.iterdir() if p.name.startswith(f".{name}.") and p.name.endswith(".tmp")
    ]


@pytest.fixture
def stdin_batch(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """A batch reading questions from a pipe we hold open, writing to -o OUT."""
    out_path = tmp_path / "answers.jsonl"
    process = subprocess.Popen(
        CLI + ["batch", "-", "--format", "jsonl", "-o", str(out_path)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    yield process, out_path
    if process.poll() is None:
        process.kill()
        process.wait()


def test_output_appears_only_when_complete(
    stdin_batch: tuple[subprocess.Popen[bytes], Path],
) -> None:
    process, out_path = stdin_batch
    assert process.stdin is not None
    process.stdin.write(b"What was the ORR?\nmedian PFS\n")
    process.stdin.flush()
    # Two answers are written (to the temporary file) while the input is still open...
    assert _wait_for(
        lambda: any(
            p.stat().st_size > 0 and p.read_bytes().count(b"\n") == 2
            for p in _temporaries(out_path.parent, out_path.name)
        )
    )
    # ...and the target does not exist yet: nobody can read half a result.
    assert not out_path.exists()
    process.stdin.write(b"\ngrade 3 thrombocytopenia\n")
    process.stdin.close()
    assert process.wait(timeout=120) == 0
    lines = out_path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["question"] for line in lines] == [
        "What was the ORR?",
        "median PFS",
        "grade 3 thrombocytopenia",
    ]
    assert not _temporaries(out_path.parent, out_path.name)


def test_ctrl_c_while_waiting_for_input_leaves_nothing(
    stdin_batch: tuple[subprocess.Popen[bytes], Path],
) -> None:
    process, out_path = stdin_batch
    assert process.stdin is not None and process.stderr is not None
    process.stdin.write(b"What was the ORR?\n")
    process.stdin.flush()
    assert _wait_for(
        lambda: any(p.stat().st_size > 0 for p in _temporaries(out_path.parent, out_path.name))
    )
    process.send_signal(signal.SIGINT)  # blocked reading the next line
    assert process.wait(timeout=120) == 130
    assert "interrupted" in assert_one_error_line(process.stderr.read())
    assert not out_path.exists() and not _temporaries(out_path.parent, out_path.name)


def test_full_disk_on_stdout_is_one_line(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    questions = tmp_path / "q.txt"
    questions.write_text("What was the ORR?\nmedian PFS\n", encoding="utf-8")
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            CLI + ["batch", str(questions)],
            stdout=full,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            timeout=120,
        )
    assert result.returncode == 2
    assert "No space left" in assert_one_error_line(result.stderr)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_closed_pipe_is_quiet_in_every_format(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "many.txt"
    path.write_text("What was the ORR?\n" * 3000, encoding="utf-8")
    process = subprocess.Popen(
        CLI + ["batch", str(path), "--format", fmt],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline()
    process.stdout.close()  # `| head -1`
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0
    assert stderr == "", stderr


@pytest.mark.parametrize(
    "signum", [signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2, signal.SIGTERM], ids=lambda s: s.name
)
def test_a_terminating_signal_during_output_file_leaves_nothing(
    stdin_batch: tuple[subprocess.Popen[bytes], Path], signum: signal.Signals
) -> None:
    """Issue 15: SIGHUP and SIGUSR1 ended Python on the spot, so `-o`'s temporary file stayed.
    Each terminating signal ends the run cleanly, exit 128 + the signal (the shell's way)."""
    process, out_path = stdin_batch
    assert process.stdin is not None and process.stderr is not None
    process.stdin.write(b"What was the ORR?\n")
    process.stdin.flush()
    assert _wait_for(
        lambda: any(p.stat().st_size > 0 for p in _temporaries(out_path.parent, out_path.name))
    )
    process.send_signal(signum)
    assert process.wait(timeout=60) == 128 + signum
    assert f"interrupted by {signum.name}" in assert_one_error_line(process.stderr.read())
    assert not out_path.exists() and not _temporaries(out_path.parent, out_path.name)


def _pipe_is_full(read_end: int) -> bool:
    """True once the pipe holds as much as it can: its writer is then blocked in write()."""
    import fcntl
    import struct
    import termios

    capacity = fcntl.fcntl(read_end, 1032)  # F_GETPIPE_SZ (Linux)
    queued = struct.unpack("i", fcntl.ioctl(read_end, termios.FIONREAD, b"\0\0\0\0"))[0]
    return bool(queued >= capacity)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe size is read the Linux way")
def test_sigterm_ends_a_batch_blocked_on_a_full_pipe(tmp_path: Path) -> None:
    """Issue 15: with a reader that stopped reading, the SIGTERM handler only set a flag for
    "after this write", and the write never ended: the process stayed. A write still blocked
    after a short grace is abandoned, and the run ends in one line, exit 143."""
    questions = tmp_path / "many.txt"
    questions.write_text("What was the ORR?\n" * 5000, encoding="utf-8")
    process = subprocess.Popen(
        CLI + ["batch", str(questions), "--format", "jsonl"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        assert _wait_for(lambda: _pipe_is_full(process.stdout.fileno()))  # type: ignore[union-attr]
        time.sleep(0.2)  # blocked in the write that did not fit
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("still running 15 s after SIGTERM")
        assert code == 128 + signal.SIGTERM
        assert "interrupted by SIGTERM" in assert_one_error_line(process.stderr.read())
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
