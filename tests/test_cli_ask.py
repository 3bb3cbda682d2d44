"""``stormchat ask``: one answer on stdout, as text or JSON; every answer is a successful run.

The assertions are about the contract (exit codes, the six fields, the Sources line, one-line
errors), not about how the handlers word their answers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import cli
from assistant.answer import STATUSES, Answer
from assistant.output import render_ask

FIELDS = {"question", "status", "intent", "text", "values", "sources"}
ROOT = Path(__file__).resolve().parent.parent


def ask(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["ask", *args])
    out, err = capsys.readouterr()
    return code, out, err


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
