"""The chat app's plain-Python parts: history, export, suggestions, display text, charts, card.

None of these needs a running app; the pilot tests cover them wired together.
"""

from __future__ import annotations

import asyncio
import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from assistant.answer import Answer, Chart
from assistant.app.charts import km_steps
from assistant.app.export import conversation_markdown, default_path, write_new
from assistant.app.history import (
    DATA_DIR_ENV,
    MAX_ENTRY_CHARS,
    MAX_FILE_BYTES,
    History,
    history_path,
    read_entries,
)
from assistant.app.study_card import summarise
from assistant.app.suggestions import QuestionSuggester
from assistant.app.text import NBSP, keep_together, multi_line, one_line

# ---------------------------------------------------------------- history


def test_history_dedupes_bounds_and_persists(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "history.json"
    history = History(path, limit=3)
    for entry in ["ORR", "CBR", "ORR", "median PFS", "median OS"]:
        assert history.add(entry)
    assert history.entries == ["ORR", "median PFS", "median OS"]
    assert History.load(path, limit=3).entries == ["ORR", "median PFS", "median OS"]
    # Atomic write: no temp file left beside it.
    assert [p.name for p in path.parent.iterdir()] == ["history.json"]


def test_history_navigation_restores_the_draft(tmp_path: Path) -> None:
    history = History(tmp_path / "h.json", entries=["one", "two"])
    assert history.next() is None  # not navigating: down does nothing
    assert history.previous("half-typed") == "two"
    assert history.previous("two") == "one"
    assert history.previous("one") is None  # stays at the oldest
    assert history.next() == "two"
    assert history.next() == "half-typed"
    assert history.next() is None


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b'{"entries": 3}',
        b"[1, 2]",
        b'{"entries": ["ok", 5, null, " "]}',
    ],
)
def test_corrupt_history_is_ignored(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "history.json"
    path.write_bytes(content)
    entries = read_entries(path)
    assert entries in ([], ["ok"])
    history = History.load(path)
    history.add("ORR")  # and it is replaced by a good file
    assert json.loads(path.read_text())["entries"][-1] == "ORR"


def test_history_that_cannot_be_saved_is_kept_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    history = History(blocker / "history.json")  # parent is a file: cannot write
    assert history.add("ORR") is False
    assert history.entries == ["ORR"]


def test_data_dir_env_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    assert history_path() == tmp_path / "history.json"


# ---------------------------------------------------------------- export


def _answer(question: str, **extra: object) -> Answer:
    return Answer(
        question=question,
        status="answered",
        intent="response_rate",
        text="ORR 26.2 % (32/122)",
        sources=["NEJM 2019 [Table 2]"],
        **extra,
    )


def test_export_never_overwrites(tmp_path: Path) -> None:
    now = datetime(2024, 5, 6, 7, 8, 9)
    first = default_path(now, tmp_path)
    assert first.name == "stormchat-conversation-20240506-070809.md"
    write_new(first, "one")
    second = default_path(now, tmp_path)
    assert second.name == "stormchat-conversation-20240506-070809-2.md"
    with pytest.raises(FileExistsError):
        write_new(first, "two")
    assert first.read_text() == "one"
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.name]  # no temp left


def test_export_markdown_has_questions_answers_and_sources() -> None:
    chart = Chart(kind="bar", title="Best response", series=[{"label": "PR", "value": 24}])
    text = conversation_markdown(
        [
            ("ORR [95% CI]\x1b[31m", _answer("ORR")),
            (
                "breakdown",
                _answer("breakdown", markdown="| a | b |\n|---|---|\n| 1 | 2 |", chart=chart),
            ),
        ],
        "CI: Clopper–Pearson (exact), 95 %",
        datetime(2024, 1, 2, 3, 4),
    )
    assert "## 1. ORR [95% CI]␛[31m" in text
    assert "ORR 26.2 % (32/122)" in text and "| 1 | 2 |" in text
    assert "Source: NEJM 2019 [Table 2]" in text and "Chart in the app: Best response" in text
    assert "\x1b" not in text


# ---------------------------------------------------------------- suggestions


def test_suggester_completes_questions_then_terms() -> None:
    history = ["What was the median overall survival?"]
    suggester = QuestionSuggester(lambda: history + ["What was the ORR?"], ["Thrombocytopenia"])
    # The typed prefix keeps its case; the rest comes from the known question.
    assert suggester.suggest("WHAT was the m") == "WHAT was the median overall survival?"
    assert suggester.suggest("What was the O") == "What was the ORR?"
    assert suggester.suggest("grade 3 thromb") == "grade 3 thrombocytopenia"
    assert suggester.suggest("grade 3 t") is None  # one letter: no guess
    assert suggester.suggest("   ") is None
    assert asyncio.run(suggester.get_suggestion("grade 3 Thr")) == "grade 3 Thrombocytopenia"


# ---------------------------------------------------------------- display text


def test_control_characters_never_reach_the_terminal() -> None:
    shown = one_line("ORR\x1b[2J\x07\nnext\x9b")
    assert shown == "ORR␛[2J␇␊next\ufffd"
    assert multi_line("a\tb\r\nc\x1b") == "a    b\nc␛"


# ---------------------------------------------------------------- charts


def test_km_steps_make_a_staircase_and_skip_bad_points() -> None:
    xs, ys = km_steps([1, 2, "x", float("nan"), 3], [0.9, 0.8, 0.5, 0.5, 0.6])
    assert xs == [0.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0]
    assert ys == [1.0, 1.0, 0.9, 0.9, 0.8, 0.8, 0.6]


# ---------------------------------------------------------------- study card


def test_card_summaries() -> None:
    rate = Answer(
        question="ORR",
        status="answered",
        intent="response_rate",
        text="…",
        values={
            "n": 32,
            "N": 122,
            "rate": 0.2623,
            "ci_low": 0.1868,
            "ci_high": 0.3496,
            "level": 0.95,
        },
    )
    # The answers' percent style, with no-break spaces (issue 13.6).
    assert summarise(rate) == f"26.2{NBSP}% (32/122)\n95{NBSP}%{NBSP}CI{NBSP}18.7–35.0"
    median = Answer(
        question="OS",
        status="answered",
        intent="tte_median",
        text="…",
        values={"median": 8.6, "ci_low": 6.2, "ci_high": None, "level": 0.95, "unit": "months"},
    )
    assert summarise(median) == "8.6\u00a0months\n95\u00a0%\u00a0CI\u00a06.2–not reached"
    unknown = Answer(question="?", status="unknown", intent=None, text="not understood")
    assert summarise(unknown) == "—"


def test_importing_the_app_package_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = "import assistant.app, sys; assert 'textual' not in sys.modules"
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=Path(__file__).parent.parent,
        env={**os.environ, DATA_DIR_ENV: "/nonexistent"},
    )


# ---------------------------------------------------------------- history faults (issue 15)


def test_history_fifo_is_ignored_without_blocking(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    os.mkfifo(path)
    history = History.load(path)  # used to block forever waiting for a writer
    assert history.entries == [] and history.set_aside is None
    assert history.add("ORR") is False  # said as "could not save", the FIFO is left alone
    assert path.is_fifo()


def test_history_bounds_size_and_entry_length_on_load(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"version": 1, "entries": ["ORR", "x" * 50_000]}), encoding="utf-8")
    assert [len(e) for e in read_entries(path)] == [3, MAX_ENTRY_CHARS]
    huge = tmp_path / "huge.json"
    with huge.open("w", encoding="utf-8") as handle:
        handle.write('{"version": 1, "entries": ["ORR", "CBR", "')
        handle.write("y" * (MAX_FILE_BYTES + 10))
        handle.write('"]}')
    history = History.load(huge)
    # Read no further than the bound: what comes before it is kept, the file set aside.
    assert history.entries == ["ORR", "CBR"]
    assert history.set_aside is not None and history.set_aside.stat().st_size > MAX_FILE_BYTES


def test_one_invalid_byte_keeps_the_other_entries_and_the_file(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    good = json.dumps({"version": 1, "entries": ["ORR", "median PFS", "CBR"]}).encode()
    damaged = good.replace(b"median", b"med\xffian")
    path.write_bytes(damaged)
    history = History.load(path)
    assert history.entries == ["ORR", "CBR"]
    assert history.set_aside is not None and history.set_aside.read_bytes() == damaged
    assert history.set_aside.parent == tmp_path and not path.exists()
    history.add("median OS")
    assert json.loads(path.read_text(encoding="utf-8"))["entries"] == ["ORR", "CBR", "median OS"]
    assert history.set_aside.read_bytes() == damaged  # the damaged file survives the write


def test_a_truncated_history_keeps_the_entries_before_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    path.write_text('{"version": 1, "entries": ["ORR", "CBR", "media', encoding="utf-8")
    history = History.load(path)
    assert history.entries == ["ORR", "CBR"] and history.set_aside is not None


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "26.2 % (32/122; 95 % CI 18.7–35.0, Clopper–Pearson)",
            "26.2\u00a0% (32/122; 95\u00a0%\u00a0CI\u00a018.7–35.0, Clopper–Pearson)",
        ),
        ("8.6 months (68.0 %), n = 122", "8.6\u00a0months (68.0\u00a0%), n\u00a0=\u00a0122"),
        ("1. Step 3 of 6 patients", "1. Step 3 of 6\u00a0patients"),
    ],
)
def test_numbers_keep_their_units(text: str, kept: str) -> None:
    assert keep_together(text) == kept
