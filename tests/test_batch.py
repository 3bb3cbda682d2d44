"""``stormchat batch``: input rules, formats, files, pipes, interrupts, and golden output.

Most tests run ``assistant.cli.main`` in-process on a fake engine whose answers say which
conversation and turn they belong to, so the batch rules (conversations, comments, CRLF, bad
lines) are checked exactly without depending on how the real handlers word anything. The real
engine answers in-process (1,000 questions, follow-ups, the odd lines, the golden files) and
in subprocess runs where the process is what is tested (closed pipe, Ctrl-C, signals, exit
codes).
"""

from __future__ import annotations

import contextlib
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
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assistant import batch, cli
from assistant.answer import STATUSES, Answer
from assistant.engine import TRUNCATION_MARK
from assistant.neutral import csv_cell
from assistant.output import make_formatter
from tests.conftest import assert_one_error_line, assert_terminal_safe

FIELDS = {"question", "status", "intent", "text", "values", "sources"}
ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
CLI = [sys.executable, "-m", "assistant.cli"]


# ---------------------------------------------------------------------------- a fake engine


class FakeConversation:
    def __init__(self, engine: FakeEngine, number: int) -> None:
        self.engine, self.number, self.turn = engine, number, 0

    def ask(self, question: str) -> Answer:
        self.turn += 1
        if question in self.engine.interrupt_on:
            raise KeyboardInterrupt
        if question in self.engine.fail_on:
            raise ValueError("handler exploded")
        answer = Answer(
            question=question,
            status="answered",
            intent="echo",
            text=f"c{self.number} t{self.turn}: {question}",
            values={"conversation": self.number, "turn": self.turn},
            sources=["fake source"],
        )
        return answer


class FakeEngine:
    def __init__(self) -> None:
        self.conversations: list[FakeConversation] = []
        self.interrupt_on: set[str] = set()
        self.fail_on: set[str] = set()

    def conversation(self) -> FakeConversation:
        conv = FakeConversation(self, len(self.conversations) + 1)
        self.conversations.append(conv)
        return conv


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    engine = FakeEngine()
    monkeypatch.setattr(cli, "_load_engine", lambda args: engine)
    return engine


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def write(tmp_path: Path, data: bytes | str, name: str = "q.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# ---------------------------------------------------------------------------- input rules


def test_conversations_comments_and_blank_lines(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "a\nb\n# a comment keeps the conversation\nc\n\n\nd\n   \ne\n")
    code, out, err = run(["batch", str(path), "--format", "jsonl"], capsys)
    assert code == 0 and err == ""
    answers = jsonl(out)
    assert [a["question"] for a in answers] == ["a", "b", "c", "d", "e"]
    assert [(a["values"]["conversation"], a["values"]["turn"]) for a in answers] == [
        (1, 1),
        (1, 2),
        (1, 3),
        (2, 1),
        (3, 1),
    ]


def test_crlf_bom_and_missing_final_newline(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfa\r\nb\r\n\r\nc")
    code, out, _ = run(["batch", str(path), "--format", "jsonl"], capsys)
    answers = jsonl(out)
    assert code == 0
    assert [a["question"] for a in answers] == ["a", "b", "c"]
    assert [a["values"]["conversation"] for a in answers] == [1, 1, 2]


def test_lone_cr_ends_a_line_too(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 15: a file with classic-Mac line ends was one question; CR splits as LF does,
    # CR LF stays one line end, and CR CR is a blank line (a new conversation).
    path = write(tmp_path, b"What was the ORR?\rmedian PFS\r\rgrade 3 anaemia\r\nlast")
    code, out, _ = run(["batch", str(path), "--format", "jsonl"], capsys)
    answers = jsonl(out)
    assert code == 0
    assert [a["question"] for a in answers] == [
        "What was the ORR?",
        "median PFS",
        "grade 3 anaemia",
        "last",
    ]
    assert [a["values"]["conversation"] for a in answers] == [1, 1, 2, 2]


@pytest.mark.parametrize("size", [4, 5, 6, 7, 8, 9, 64])
def test_read_lines_splits_on_every_line_end_at_any_chunk_size(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small bounds put chunk ends everywhere, a CR LF pair cut in two among them.
    monkeypatch.setattr(batch, "MAX_LINE_BYTES", size)
    data = b"ab\rcd\r\nef\ngh\r\rij"
    lines = list(batch.read_lines(io.BytesIO(data)))
    expected = [b"ab\r", b"cd\r\n", b"ef\n", b"gh\r", b"\r", b"ij"]
    assert [line[:size] for line in lines] == [line[:size] for line in expected]
    assert all(len(line) <= size for line in lines)


def test_long_cr_line_is_cut_and_the_next_lines_survive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "MAX_LINE_BYTES", 16)
    data = b"x" * 100 + b"\rnext\rlast\r"
    assert list(batch.read_lines(io.BytesIO(data))) == [b"x" * 16, b"next\r", b"last\r"]


def test_invalid_utf8_line_is_answered_and_the_rest_go_on(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, b"first\nbad \xff\xfe line\nthird \xc3\xa9\n")
    code, out, _ = run(["batch", str(path), "--format", "jsonl"], capsys)
    assert code == 0
    first, bad, third = jsonl(out)
    assert bad["status"] == "unknown" and bad["intent"] is None
    assert "UTF-8" in bad["text"] and "\ufffd" in bad["question"]
    assert set(bad) == FIELDS
    # The bad line was not asked and did not break the conversation.
    assert (third["question"], third["values"]["turn"]) == ("third é", 2)


def test_very_long_line_is_read_on_a_bounded_prefix(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = "é" * (5 * 1024 * 1024)  # 10 MB of two-byte characters on one line
    path = write(tmp_path, f"before\n{long}\nafter\n")
    code, out, _ = run(["batch", str(path), "--format", "jsonl"], capsys)
    assert code == 0
    answers = jsonl(out)
    assert [a["question"] for a in answers][::2] == ["before", "after"]
    middle = answers[1]["question"]
    # Cut at the byte bound, on a character boundary (no replacement character).
    assert set(middle) == {"é"} and len(middle.encode()) <= batch.MAX_LINE_BYTES


def test_stdin_dash(
    fake: FakeEngine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x\ny\n\nz\n")))
    code, out, _ = run(["batch", "-", "--format", "jsonl"], capsys)
    assert code == 0
    assert [(a["question"], a["values"]["conversation"]) for a in jsonl(out)] == [
        ("x", 1),
        ("y", 1),
        ("z", 2),
    ]


def test_engine_failure_on_one_question_costs_one_answer(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.fail_on.add("boom")
    path = write(tmp_path, "ok\nboom\nstill ok\n")
    code, out, err = run(["batch", str(path), "--format", "jsonl"], capsys)
    answers = jsonl(out)
    assert code == 0 and len(answers) == 3
    # A bug is "error", never dressed up as "not understood" (issue 15).
    assert answers[1]["status"] == "error" and set(answers[1]) == FIELDS
    assert err.count("\n") == 1 and err.startswith("stormchat:") and "Traceback" not in err


# ---------------------------------------------------------------------------- bad input: exit 2


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda tmp: tmp / "missing.txt", "no such file"),
        (lambda tmp: tmp, "is a directory"),
        (
            lambda tmp: write(tmp, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256))),
            "not a text file",
        ),
        (lambda tmp: write(tmp, "ORR?\n".encode("utf-16")), "UTF-16"),
    ],
)
def test_unusable_input_is_a_usage_error(
    make, expected: str, fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["batch", str(make(tmp_path))], capsys)
    assert code == 2 and out == ""
    assert err.startswith("stormchat: ") and err.count("\n") == 1 and expected in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_is_a_usage_error(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "ORR\n")
    path.chmod(0)
    code, _, err = run(["batch", str(path)], capsys)
    assert code == 2 and "permission denied" in err


def test_missing_file_argument_and_bad_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["batch"], capsys)[0] == 2
    code, _, err = run(["batch", "-", "--format", "xml"], capsys)
    assert code == 2 and err.count("\n") == 1


def test_unreadable_store_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "ORR\n")
    code, out, err = run(["batch", str(path), "--db", str(tmp_path / "nope.json")], capsys)
    assert code == 3 and out == "" and err.startswith("stormchat:") and err.count("\n") == 1


# ---------------------------------------------------------------------------- -o OUT


def test_output_file_is_written_whole_and_not_overwritten(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = write(tmp_path, "a\nb\n")
    out_path = tmp_path / "answers.jsonl"
    code, out, err = run(
        ["batch", str(questions), "--format", "jsonl", "-o", str(out_path)], capsys
    )
    assert (code, out, err) == (0, "", "")
    assert [a["question"] for a in jsonl(out_path.read_text(encoding="utf-8"))] == ["a", "b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.jsonl", "q.txt"]
    # Readable by others as any new file (mkstemp would have made it 0600).
    umask = os.umask(0)
    os.umask(umask)
    assert out_path.stat().st_mode & 0o777 == 0o666 & ~umask

    # An existing file is refused, and left as it was.
    out_path.write_text("keep me\n", encoding="utf-8")
    code, _, err = run(["batch", str(questions), "-o", str(out_path)], capsys)
    assert code == 2 and "already exists" in err and err.count("\n") == 1
    assert out_path.read_text(encoding="utf-8") == "keep me\n"

    # --force replaces it.
    code, _, _ = run(
        ["batch", str(questions), "--format", "jsonl", "-o", str(out_path), "--force"], capsys
    )
    assert code == 0 and len(jsonl(out_path.read_text(encoding="utf-8"))) == 2


def test_output_into_a_missing_directory_or_onto_a_directory(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = write(tmp_path, "a\n")
    for target in (tmp_path / "no" / "out.txt", tmp_path):
        code, _, err = run(["batch", str(questions), "-o", str(target), "--force"], capsys)
        assert code == 2 and err.startswith("stormchat: ") and err.count("\n") == 1


def test_interrupted_run_leaves_no_output_file(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.interrupt_on.add("stop")
    questions = write(tmp_path, "a\nb\nstop\nc\n")
    out_path = tmp_path / "answers.csv"
    code, _, err = run(["batch", str(questions), "--format", "csv", "-o", str(out_path)], capsys)
    assert code == 130 and "interrupted" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q.txt"]


def test_interrupted_run_on_stdout_printed_whole_answers(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.interrupt_on.add("stop")
    code, out, _ = run(
        ["batch", str(write(tmp_path, "a\nb\nstop\nc\n")), "--format", "jsonl"], capsys
    )
    assert code == 130
    assert [a["question"] for a in jsonl(out)] == ["a", "b"] and out.endswith("\n")


@pytest.mark.parametrize(
    ("signum", "default"),
    [
        (signal.SIGINT, signal.default_int_handler),  # Ctrl-C
        (signal.SIGTERM, signal.SIG_DFL),  # a polite kill
    ],
)
@pytest.mark.usefixtures("sigint_default")
def test_interruption_held_back_until_a_write_is_complete(signum: int, default: object) -> None:
    sink_out = io.BytesIO()

    class Interrupting(io.BytesIO):
        def write(self, data: bytes) -> int:  # type: ignore[override]
            os.kill(os.getpid(), signum)  # arrives in the middle of a write
            time.sleep(0.01)
            return sink_out.write(data)

    with pytest.raises(KeyboardInterrupt), batch.Sink(Interrupting()) as sink:
        sink.write("one whole line\n")
    assert sink_out.getvalue() == b"one whole line\n"
    # The handler is put back afterwards.
    assert signal.getsignal(signum) is default


# ---------------------------------------------------------------------------- formats


def test_csv_round_trips_and_keeps_newlines(capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.output import CSV_COLUMNS, CsvFormatter

    answer = Answer(
        question='say "hi", twice',
        status="answered",
        intent=None,
        text="line one\nline two, with a comma",
        values={"n": 32, "rate": 0.2623},
        sources=["NEJM 2019", "computed"],
    )
    formatter = CsvFormatter()
    rows = list(csv.reader(io.StringIO(formatter.header() + formatter.format(answer))))
    assert tuple(rows[0]) == CSV_COLUMNS
    question, status, intent, text, values, sources = rows[1]
    assert (question, status, intent, text) == (answer.question, "answered", "", answer.text)
    assert json.loads(values) == answer.values and json.loads(sources) == answer.sources


def test_markdown_escapes_question_and_answer() -> None:
    from assistant.output import MarkdownFormatter

    answer = Answer(
        question="# not a heading *or bold* <b>x</b> [link](y) ##",
        status="clarify",
        intent="some_intent",
        text="- not a list\n1. not numbered\n> not a quote\n    not code",
        sources=["a_b"],
    )
    lines = MarkdownFormatter().format(answer).splitlines()
    heading = next(line for line in lines if line.startswith("### Q: "))
    assert heading == (r"### Q: \# not a heading \*or bold\* \<b\>x\</b\> \[link\](y) \#\#")
    # Each line but the last ends in a backslash: a hard line break.
    assert lines[lines.index("*Status: clarify, intent some\\_intent*") + 2 :][:4] == [
        "\\- not a list\\",
        "1\\. not numbered\\",
        "\\> not a quote\\",
        "not code",
    ]
    assert r"- a\_b" in lines


def test_text_format_shows_control_characters_instead_of_sending_them() -> None:
    from assistant.output import TextFormatter

    answer = Answer(
        question="evil \x1b[2J question", status="unknown", intent=None, text="two\nlines"
    )
    assert TextFormatter().format(answer) == "Q: evil \\x1b[2J question\nA: two\n   lines\n"


def test_json_is_strict_even_with_odd_values() -> None:
    from assistant.output import to_json

    answer = Answer(
        question="q",
        status="answered",
        intent="x",
        text="t",
        values={"nan": float("nan"), "inf": float("inf"), "ok": 1.5, "set": {1}},
    )
    data = json.loads(to_json(answer), parse_constant=lambda name: pytest.fail(name))
    assert data["values"] == {"nan": None, "inf": None, "ok": 1.5, "set": [1]}


def test_every_format_gives_one_answer_per_question(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "a\nb\n\nc\n")
    outputs = {
        fmt: run(["batch", str(path), "--format", fmt], capsys)[1]
        for fmt in ("text", "jsonl", "csv", "markdown")
    }
    assert len(outputs["jsonl"].splitlines()) == 3
    assert len(list(csv.reader(io.StringIO(outputs["csv"])))) == 4
    assert outputs["markdown"].count("\n### Q: ") == 3
    assert outputs["text"].count("\nQ: ") == 2 and outputs["text"].startswith("Q: a\n")


# ---------------------------------------------------------------------------- the real engine


PHRASINGS = [
    "What was the ORR?",
    "overall response rate",
    "ORR with a 90% CI",
    "response rate",
    "How many patients responded?",
    "What was the median PFS?",
    "median progression-free survival",
    "median OS",
    "overall survival",
    "What was the median duration of response?",
    "DOR",
    "time to response",
    "How many patients had thrombocytopenia?",
    "grade 3 anaemia",
    "anemia",
    "nausea",
    "fatigue",
    "grade 3 or 4 hyponatremia",
    "serious adverse events",
    "How many patients were enrolled?",
    "how many in the mITT population",
    "safety population",
    "What dose of selinexor?",
    "dexamethasone dose",
    "penta-refractory patients",
    "clinical benefit rate",
    "VGPR or better",
    "stringent complete response",
    "very good partial response",
    "partial response",
    "minimal response",
    "stable disease",
    "discontinued for adverse events",
    "deaths",
    "bleeding events",
    "diarrhoea",
    "What about Wilson?",
    "and the 99% interval?",
    "Is selinexor better than daratumumab?",
    "What's the weather like?",
    "",
    "ORR 😀 ümlaut",
    "#not a comment? no, a comment",
]


def thousand_questions(path: Path) -> int:
    """1,000 questions in conversations of 1–5 lines, from the phrasings above."""
    lines, asked, index = [], 0, 0
    while asked < 1000:
        size = min(1 + index % 5, 1000 - asked)
        for _ in range(size):
            phrase = PHRASINGS[index % len(PHRASINGS)]
            index += 1
            if not phrase.strip() or phrase.startswith("#"):
                phrase = f"question {index}"
            lines.append(phrase)
            asked += 1
        lines.append("")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return asked


# In-process with the real engine: these check the answers, not the process (the pipe, signal
# and exit-code tests below start one).
@pytest.mark.slow
def test_thousand_questions_all_valid_json_with_six_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "thousand.txt"
    assert thousand_questions(path) == 1000
    expected = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    code, out, err = run(["batch", str(path), "--format", "jsonl"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1000
    answers = [json.loads(line) for line in lines]
    assert all(set(answer) == FIELDS for answer in answers)
    assert [answer["question"] for answer in answers] == expected
    assert all(answer["status"] in STATUSES for answer in answers)
    assert all(isinstance(a["text"], str) and a["text"] for a in answers)
    assert all(isinstance(a["values"], dict) and isinstance(a["sources"], list) for a in answers)


@pytest.mark.slow
def test_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_text("What was the ORR?\n" * 3000, encoding="utf-8")
    process = subprocess.Popen(
        CLI + ["batch", str(path), "--format", "jsonl"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    json.loads(process.stdout.readline())
    process.stdout.close()  # `| head -1`
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr


@pytest.mark.slow
@pytest.mark.usefixtures("sigint_default")
def test_ctrl_c_exits_130_with_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "many.txt"
    path.write_text("What was the ORR?\nmedian PFS\n" * 5000, encoding="utf-8")
    process = subprocess.Popen(
        CLI + ["batch", str(path), "--format", "jsonl"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    process.send_signal(signal.SIGINT)
    rest, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    output = (first + rest).decode()
    assert output.endswith("\n") and 1 <= len(output.splitlines()) < 10000
    assert all(set(json.loads(line)) == FIELDS for line in output.splitlines())
    assert "Traceback" not in stderr.decode()


def test_follow_up_uses_context_and_blank_line_resets_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same elliptical follow-up, once right after a question it refines and once at the
    # start of a new conversation: only the first can be read as "the ORR, in that group".
    path = write(
        tmp_path,
        "What was the ORR?\nin penta-refractory patients?\n\nin penta-refractory patients?\n",
    )
    code, out, err = run(["batch", str(path), "--format", "jsonl"], capsys)
    assert code == 0, err
    orr, follow_up, alone = jsonl(out)
    assert orr["status"] == follow_up["status"] == "answered"
    assert follow_up["intent"] == orr["intent"]
    assert follow_up["values"] != orr["values"]  # a different population
    assert alone["intent"] != orr["intent"]


def test_no_textual_on_the_headless_path() -> None:
    code = (
        "import assistant.batch, assistant.output, assistant.atomic, assistant.cli, sys; "
        "assert 'textual' not in sys.modules, 'textual imported'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("fmt", ["text", "jsonl", "csv", "markdown"])
def test_golden(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole output, byte for byte. After an intended change to the answers or formats,
    regenerate with ``STORMCHAT_UPDATE_GOLDEN=1 pytest tests/test_batch.py -k golden`` and
    review the diff."""
    code = cli.main(["batch", str(GOLDEN / "batch_input.txt"), "--format", fmt])
    out = capsys.readouterr().out.encode("utf-8")
    assert code == 0
    golden = GOLDEN / f"batch.{fmt}"
    if os.environ.get("STORMCHAT_UPDATE_GOLDEN") == "1":
        golden.write_bytes(out)
    assert out == golden.read_bytes(), (
        f"{golden.name} differs; if the change is intended, rerun with "
        f"STORMCHAT_UPDATE_GOLDEN=1 and review the diff"
    )


# ------------------------------------------------------------------------------------------
# The real engine (issues 7 and 15): every odd line gets an answer and the rest go on, unusable
# input and output get one ``stormchat:`` line and the right exit code, memory stays flat
# however long the file, an output file is complete or absent whatever signal ends the run, and
# every format is safe for a terminal.


ORR_N = 32  # patients with a partial response or better, published and reconstructed


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


OddBatch = Callable[[str], tuple[int, str, str]]


@pytest.fixture(scope="module")
def odd_batch(odd_file: tuple[Path, list[str | None]]) -> OddBatch:
    """The odd file through ``main`` and the real engine, once a format for the module (its
    10 MB line makes each run seconds): format -> (exit code, stdout, stderr)."""
    runs: dict[str, tuple[int, str, str]] = {}

    def of(fmt: str) -> tuple[int, str, str]:
        if fmt not in runs:
            out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = cli.main(["batch", str(odd_file[0]), "--format", fmt])
            out.flush()
            runs[fmt] = (code, out.buffer.getvalue().decode("utf-8"), err.getvalue())  # type: ignore[attr-defined]
        return runs[fmt]

    return of


@pytest.mark.slow
def test_odd_lines_answered_one_by_one_with_the_real_engine(
    odd_file: tuple[Path, list[str | None]], odd_batch: OddBatch
) -> None:
    path, expected = odd_file
    code, out, err = odd_batch("jsonl")
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
    fmt: str, odd_file: tuple[Path, list[str | None]], odd_batch: OddBatch
) -> None:
    _, expected = odd_file
    code, out, _ = odd_batch(fmt)
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


def test_csv_keeps_the_questions_neutralised(odd_batch: OddBatch) -> None:
    # The same questions as jsonl holds, with control sequences shown rather than sent to the
    # terminal or the spreadsheet (issue 15: csv_cell, as every way out).
    _, jsonl_out, _ = odd_batch("jsonl")
    code, csv_out, _ = odd_batch("csv")
    rows = list(csv.reader(io.StringIO(csv_out)))
    assert code == 0
    assert_terminal_safe(csv_out.encode())
    assert [row[0] for row in rows[1:]] == [
        csv_cell(json.loads(line)["question"]) for line in jsonl_out.splitlines()
    ]


# ---------------------------------------------------------------------------- unusable input


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_hundred_thousand_lines_in_flat_memory(
    fake: FakeEngine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
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
    small = tmp_path / "few.txt"  # the first tenth of the same questions
    small.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:11_430]))

    def peak_of(questions: Path, out: Path) -> int:
        tracemalloc.start()
        try:
            code = cli.main(["batch", str(questions), "--format", "jsonl", "-o", str(out)])
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert code == 0 and capsys.readouterr().err == ""
        return peak

    # The fake keeps no list of its conversations here: the memory measured is the batch's.
    numbers = itertools.count(1)
    fake.conversation = lambda: FakeConversation(fake, next(numbers))  # type: ignore[method-assign]
    few = peak_of(small, tmp_path / "few.jsonl")
    peak = peak_of(path, out_path)
    assert path.stat().st_size > 5_000_000 and out_path.stat().st_size > 5_000_000
    # Ten times the lines, the same memory: flat, and far below the 5 MB written.
    assert peak < few + 250_000, f"peak {peak} bytes for 100,000 lines, {few} for 10,000"
    assert peak < 2_000_000, f"peak {peak} bytes: the batch is not streaming"
    with open(out_path, "rb") as handle:
        assert sum(1 for _ in handle) == 100_000


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
def stdin_batch(
    sigint_default: None, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
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


@pytest.mark.usefixtures("signals_default")
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
    """True once the pipe holds so much that the next answer line does not fit (each is well
    under 8 KiB): its writer is then blocked in write(). A pipe with room for part of a line
    blocks the writer too, so "full" is not "queued == capacity"."""
    import fcntl
    import struct
    import termios

    capacity = fcntl.fcntl(read_end, 1032)  # F_GETPIPE_SZ (Linux)
    queued = struct.unpack("i", fcntl.ioctl(read_end, termios.FIONREAD, b"\0\0\0\0"))[0]
    return bool(queued >= capacity - 8192)


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
