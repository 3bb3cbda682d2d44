"""``stormchat ask``: one answer on stdout, as text or JSON; every answer is a successful run.

The assertions are about the contract (exit codes, the six fields, the Sources line, one-line
errors), not about how the handlers word their answers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import cli
from assistant.answer import STATUSES, Answer
from assistant.engine import TRUNCATION_MARK
from assistant.output import render_ask
from tests.conftest import assert_one_error_line, assert_terminal_safe

FIELDS = {"question", "status", "intent", "text", "values", "sources"}
ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "assistant.cli"]


def ask(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["ask", *args])
    out, err = capsys.readouterr()
    return code, out, err


def ask_bytes(args: list[str], capsysbinary: pytest.CaptureFixture[bytes]) -> tuple[int, bytes]:
    """``stormchat ask`` in-process, stdout's bytes as written (the CLI writes them to
    ``sys.stdout.buffer``): what a terminal or pipe would get, without a process."""
    code = cli.main(["ask", *args])
    out, err = capsysbinary.readouterr()
    assert err == b"", err
    return code, out


def test_ask_json_has_the_six_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = ask(["What was the ORR?", "--json"], capsys)
    assert code == 0 and err == ""
    assert out.count("\n") == 1
    answer = json.loads(out)
    assert set(answer) == FIELDS
    assert answer["question"] == "What was the ORR?" and answer["status"] == "answered"
    assert answer["sources"]


def test_ask_text_is_the_answer_then_its_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = ask(["What was the ORR?"], capsys)
    _, json_out, _ = ask(["What was the ORR?", "--json"], capsys)
    answer = json.loads(json_out)
    assert code == 0
    assert out.startswith(answer["text"].rstrip("\n"))
    assert out.splitlines()[-1] == "Sources: " + "; ".join(answer["sources"])
    assert "\x1b[" not in out  # not a terminal: no colour codes


def test_ask_words_unquoted_and_global_options_after_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = ask(["What", "was", "the", "ORR?", "--level", "90", "--json"], capsys)
    assert code == 0 and json.loads(out)["question"] == "What was the ORR?"
    code = cli.main(["--level", "90", "ask", "ORR", "--json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["status"] in STATUSES


@pytest.mark.parametrize(
    "question", ["", "   ", "xyzzy plugh", "[/bold] ORR [95% CI]", "\x00\x1b[2J", "é" * 50_000]
)
def test_any_question_is_an_answer_and_exit_0(
    question: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = ask([question, "--json"], capsys)
    assert code == 0 and "Traceback" not in err
    answer = json.loads(out)
    assert set(answer) == FIELDS and answer["status"] in STATUSES and answer["text"]


def test_empty_question_is_not_understood(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = ask([""], capsys)
    assert code == 0 and out.strip()


def test_usage_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["ask"], ["ask", "ORR", "--level", "7"], ["ask", "ORR", "--nope"]):
        code = cli.main(args)
        out, err = capsys.readouterr()
        assert code == 2 and out == ""
        assert err.startswith("stormchat: ") and err.count("\n") == 1


def test_unreadable_store_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "store.json"
    bad.write_text("{not json", encoding="utf-8")
    code, out, err = ask(["ORR", "--db", str(bad)], capsys)
    assert code == 3 and out == "" and err.startswith("stormchat: ") and err.count("\n") == 1


def test_sources_dimmed_only_on_request() -> None:
    answer = Answer(
        question="q", status="answered", intent="x", text="26.2%", sources=["NEJM 2019", "records"]
    )
    assert render_ask(answer) == "26.2%\nSources: NEJM 2019; records\n"
    assert render_ask(answer, dim=True) == "26.2%\n\x1b[2mSources: NEJM 2019; records\x1b[0m\n"
    no_sources = answer.model_copy(update={"sources": []})
    assert render_ask(no_sources) == "26.2%\n"


@pytest.mark.slow
def test_ask_as_a_process() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "What was the ORR?", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) == FIELDS and result.stderr == ""


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"stormchat {version('stormchat')}\n"


@pytest.mark.slow
def test_python_dash_m_assistant_is_stormchat(tmp_path: Path) -> None:
    """Issue 13.10: `python -m assistant` works like `stormchat`, exit codes included."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "assistant", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    answered = run("ask", "ORR", "--json")
    assert answered.returncode == 0 and json.loads(answered.stdout)["values"]["n"] == 32
    assert run("--version").stdout.startswith("stormchat ")
    assert run("--no-such-option").returncode == 2
    assert run().returncode == 2  # the app, refused without a terminal


# ------------------------------------------------------------------------------------------
# Odd questions and hostile surroundings (issue 7): a clear answer and exit 0, bad arguments
# and unusable output one ``stormchat:`` line and the right exit code, and nothing the user
# typed reaches the terminal as a control sequence.


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(CLI + args, capture_output=True, cwd=ROOT, timeout=120, **kwargs)


# ---------------------------------------------------------------------------- long questions


@pytest.mark.slow
def test_ten_kilobyte_question_is_answered_and_says_it_was_cut() -> None:
    # 10 kB fits on a command line (one argument may hold 128 KiB on Linux).
    result = run(["ask", "What was the ORR? " + "and also " * 1200])
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert "26.2" in text and TRUNCATION_MARK in text


def test_ten_megabyte_question_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    # No command line carries 10 MB, but main() can be handed one (the app and scripts do).
    question = "median PFS " + "y" * 10_000_000
    code, out, err = ask([question], capsys)
    assert code == 0 and err == ""
    # The text output is the answer, not an echo of the question.
    assert len(out) < 2000 and TRUNCATION_MARK in out
    code, out, _ = ask([question, "--json"], capsys)
    answer = json.loads(out)
    assert code == 0 and answer["status"] == "answered" and TRUNCATION_MARK in answer["text"]


# ---------------------------------------------------------------------------- odd characters


# In-process: what is checked is the bytes the command writes, not the process around them
# (test_ask_as_a_process and the output-fault tests below run the real one).
@pytest.mark.parametrize(
    "question",
    [
        "how many patients had \x1b[31mweight loss\x1b[0m?",  # the answer names the event
        "how many had weight loss\x9b2J?",  # a C1 control sequence
        "use a \x1b[1m20% interval",  # the answer quotes the level
        "\x1b]0;pwned\x07What was the ORR?",  # an OSC title sequence
        "\x00\x07\x08\x7f",
    ],
)
def test_text_output_never_carries_control_characters(
    question: str, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out = ask_bytes([question.replace("\x00", "")], capsysbinary)  # argv cannot carry NUL
    assert code == 0
    assert out.strip()
    assert_terminal_safe(out)


def test_escape_sequences_do_not_hide_the_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = ask(["how many patients had \x1b[31mweight loss\x1b[0m?", "--json"], capsys)
    answer = json.loads(out)
    # Read as "weight loss" (understood, not in the sources), not as "[31mweight".
    assert code == 0 and answer["status"] == "not_reported" and "weight loss" in answer["text"]
    # The JSON keeps the question as typed, escaped, so a program gets it back exactly.
    assert "\x1b" not in out and answer["question"].startswith("how many patients had \x1b[31m")


@pytest.mark.parametrize(
    "question",
    [
        "ORR [95% CI]",
        "[bold]ORR[/bold]",
        "[link=x]ORR",
        "What was the ORR? 😀",
        "ما هو ORR",
        "ＯＲＲ",
    ],
)
def test_markup_and_unicode_are_answered_literally(
    question: str, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out = ask_bytes([question], capsysbinary)  # and nothing on stderr
    assert code == 0 and "26.2" in out.decode()


def test_markup_opener_alone_is_not_understood(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = ask(["[/", "--json"], capsys)
    assert code == 0 and json.loads(out)["status"] == "unknown"


def test_shell_looking_question_runs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Handed over as one argument each, as a shell passes a quoted question: stormchat itself
    # must not hand it to a shell either.
    marker = tmp_path / "ran"
    for question in (
        f"$(touch {marker})",
        f"`touch {marker}`",
        f"; touch {marker}",
        "'; DROP TABLE facts; --",
    ):
        code, out, _ = ask([question, "--json"], capsys)
        answer = json.loads(out)
        assert code == 0 and answer["status"] == "unknown"
        assert answer["question"] == question
    assert not marker.exists()


# ---------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    "args",
    [
        ["ask", "ORR", "--level", "2"],
        ["ask", "ORR", "--level", "abc"],
        ["ask", "ORR", "--level", "nan"],
        ["ask", "ORR", "--level", "-95"],
        ["ask", "ORR", "--ci-method", "nope"],
        ["--level", "2", "ask", "ORR"],
        ["nonsense"],
        ["ask"],
        ["ask", "--json"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(args: list[str]) -> None:
    result = run(args)
    assert result.returncode == 2 and result.stdout == b""
    assert_one_error_line(result.stderr)


@pytest.mark.slow
def test_error_lines_show_escape_sequences_instead_of_sending_them(tmp_path: Path) -> None:
    result = run(["ask", "ORR", "--db", str(tmp_path / "\x1b[2Jstore.json")])
    assert result.returncode == 3
    assert_terminal_safe(result.stderr.rstrip(b"\n"))
    assert "\\x1b[2Jstore.json" in assert_one_error_line(result.stderr)


# ---------------------------------------------------------------------------- output faults


@pytest.mark.slow
def test_reader_gone_before_the_answer_is_quiet() -> None:
    # `stormchat ask ORR | head -0`: the reader closes before anything is written.
    process = subprocess.Popen(
        CLI + ["ask", "What was the ORR?"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0
    assert stderr == "", stderr


@pytest.mark.slow
def test_stdout_closed_or_full_is_one_line() -> None:
    # `stormchat ask ORR >&-` and `> /dev/full`: the answer cannot be written, and says so.
    closed = subprocess.run(
        CLI + ["ask", "ORR"],
        capture_output=False,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        timeout=120,
        preexec_fn=lambda: os.close(1),
    )
    assert closed.returncode == 2
    assert "cannot write stdout" in assert_one_error_line(closed.stderr)
    if Path("/dev/full").exists():
        with open("/dev/full", "wb") as full:
            result = subprocess.run(
                CLI + ["ask", "ORR"], stdout=full, stderr=subprocess.PIPE, cwd=ROOT, timeout=120
            )
        assert result.returncode == 2
        assert "No space left" in assert_one_error_line(result.stderr)


# ---------------------------------------------------------------------------- the last resort


def test_unexpected_failure_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A bug anywhere in a command (here: the store loader) still ends in one line; the
    # traceback is there for whoever asks for it.
    def broken(args: object) -> object:
        raise RuntimeError("something\nunforeseen \x1b[2J")

    monkeypatch.setattr(cli, "_load_engine", broken)
    monkeypatch.delenv("STORMCHAT_DEBUG", raising=False)
    code, out, err = ask(["ORR"], capsys)
    # Exit 4, its own code: 1 is verify's "mismatch" (issue 15).
    assert code == cli.EXIT_INTERNAL == 4 and out == ""
    line = assert_one_error_line(err)
    assert "internal error (RuntimeError: something unforeseen \\x1b[2J)" in line
    monkeypatch.setenv("STORMCHAT_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli.main(["ask", "ORR"])


@pytest.mark.parametrize("args", [["ask", "What was the ORR?"], ["--level", "2", "ask", "x"]])
def test_the_collector_is_on_after_start_up(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Start-up pauses the garbage collector (knowledge.collector); a command, done or
    refused, leaves it running, as the chat app and a long batch need it."""
    import gc

    assert gc.isenabled()
    cli.main(args)
    capsys.readouterr()
    assert gc.isenabled()


def test_collector_paused_restores_and_freezes() -> None:
    import gc

    from knowledge.collector import collector_paused

    before = gc.get_freeze_count()
    with collector_paused(freeze=True):
        assert not gc.isenabled()
        kept: list[list[int]] = [[] for _ in range(100)]
    assert gc.isenabled() and gc.get_freeze_count() >= before + len(kept)
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()
