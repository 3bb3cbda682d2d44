"""Saved conversations without Textual: where they go, what a file holds, what a damaged,
odd or oversized file does, and that a reopened conversation's follow-up reads against it."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from assistant.app import conversations as conv
from assistant.app.conversations import ConversationStore, replay
from assistant.app.history import DATA_DIR_ENV
from assistant.engine import Engine
from assistant.handlers.context import Settings

START = datetime(2026, 3, 14, 9, 26, 53)
EXACT = Settings("clopper-pearson", 0.95)


def saved_with(engine: Engine, store: ConversationStore, *questions: str, start: datetime = START):
    """A conversation of ``questions`` asked of ``engine``, saved as the app saves it."""
    saved = store.new(start)
    conversation = engine.conversation()
    for question in questions:
        before = conversation.settings
        assert before is not None
        assert saved.add(question, conversation.ask(question), before, start)
    return saved


def test_the_directory_follows_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert ConversationStore.default().directory == tmp_path / "xdg/stormchat/conversations"
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "own"))
    assert ConversationStore.default().directory == tmp_path / "own/conversations"


def test_a_conversation_round_trips_with_its_answers(engine: Engine, tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c")
    saved = saved_with(engine, store, "How many had anaemia?", "and grade 3 or higher?")
    assert saved.path == tmp_path / "c/conversation-20260314-092653.json"
    raw = json.loads(saved.path.read_text(encoding="utf-8"))
    assert raw["started"] == "2026-03-14T09:26:53"
    assert [turn["question"] for turn in raw["turns"]] == [
        "How many had anaemia?",
        "and grade 3 or higher?",
    ]
    listing = store.list()
    assert listing.set_aside == [] and len(listing.conversations) == 1
    loaded = listing.conversations[0]
    assert loaded.started == START and loaded.first_question == "How many had anaemia?"
    second = loaded.turns[1].answer
    # Worst grade 3 (52) or 4 (2) of the safety population: 54/123 = 43.9 %, published 44 %.
    assert second.values["n"] == 54 and second.values["N"] == 123
    assert second.status == "answered" and second.sources == saved.turns[1].answer.sources
    assert second.markdown == saved.turns[1].answer.markdown and second.chart is not None
    assert loaded.turns[1].settings == EXACT


def test_replay_lets_a_follow_up_continue(engine: Engine, tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    saved_with(engine, store, "How many had anaemia?")
    loaded = store.list().conversations[0]
    follow_up = replay(engine, loaded.turns).ask("and grade 3 or higher?")
    assert follow_up.values["n"] == 54
    # Without the replay the same words have nothing to refer to.
    assert engine.conversation().ask("and grade 3 or higher?").values.get("n") != 54


def test_replay_keeps_the_settings_each_turn_was_asked_with(engine: Engine, tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    saved = store.new(START)
    conversation = engine.conversation()
    conversation.settings = Settings("wilson", 0.90)
    assert saved.add("ORR", conversation.ask("ORR"), Settings("wilson", 0.90), START)
    loaded = store.list().conversations[0]
    assert replay(engine, loaded.turns).settings == Settings("wilson", 0.90)


def test_two_conversations_started_the_same_second_get_two_files(
    engine: Engine, tmp_path: Path
) -> None:
    store = ConversationStore(tmp_path)
    first = saved_with(engine, store, "ORR")
    second = saved_with(engine, store, "CBR")
    assert first.path != second.path and second.path is not None
    assert second.path.name == "conversation-20260314-092653-2.json"
    assert {c.first_question for c in store.list().conversations} == {"ORR", "CBR"}


def test_listed_newest_first_and_searched(engine: Engine, tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    saved_with(engine, store, "ORR", start=datetime(2026, 1, 1, 8, 0, 0))
    saved_with(engine, store, "How many had anaemia?", start=datetime(2026, 2, 1, 8, 0, 0))
    listed = store.list().conversations
    assert [c.first_question for c in listed] == ["How many had anaemia?", "ORR"]
    # The search text holds the answers too: the ORR answer names its 32 responders.
    assert "32/122" in listed[1].search_text() and "anaemia" in listed[0].search_text()


def test_a_broken_file_is_kept_aside_and_not_listed(engine: Engine, tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    saved_with(engine, store, "ORR")
    broken = tmp_path / "conversation-20260101-000000.json"
    broken.write_bytes(b'{"version": 1, "turns": [{"question": "cut sho')
    listing = store.list()
    assert [c.first_question for c in listing.conversations] == ["ORR"]
    assert len(listing.set_aside) == 1 and not broken.exists()
    aside = listing.set_aside[0]
    assert aside.name.startswith("conversation-20260101-000000.damaged-")
    assert aside.read_bytes() == b'{"version": 1, "turns": [{"question": "cut sho'
    # Listed again: the damaged file is not taken for a conversation.
    assert len(store.list().conversations) == 1


def test_a_bad_turn_is_dropped_the_rest_kept_and_the_original_kept_aside(
    engine: Engine, tmp_path: Path
) -> None:
    store = ConversationStore(tmp_path)
    saved = saved_with(engine, store, "ORR", "CBR", "How many had anaemia?")
    assert saved.path is not None
    raw = json.loads(saved.path.read_text(encoding="utf-8"))
    raw["turns"][1]["answer"]["status"] = "no such status"
    original = json.dumps(raw).encode()
    # An invalid UTF-8 byte inside the third question.
    original = original.replace(b"How many had", b"How \xff had")
    saved.path.write_bytes(original)
    loaded = store.load(saved.path)
    assert loaded.damaged and loaded.set_aside is not None
    assert loaded.set_aside.read_bytes() == original
    assert loaded.conversation is not None
    assert [t.question for t in loaded.conversation.turns] == ["ORR"]
    # The readable turns are written back under the file's own name.
    again = store.load(saved.path)
    assert not again.damaged and again.conversation is not None
    assert [t.question for t in again.conversation.turns] == ["ORR"]


def test_an_oversized_file_is_kept_aside(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ConversationStore(tmp_path)
    saved = saved_with(engine, store, "ORR")
    assert saved.path is not None
    size = saved.path.stat().st_size
    monkeypatch.setattr(conv, "MAX_FILE_BYTES", size - 1)
    listing = store.list()
    assert listing.conversations == [] and len(listing.set_aside) == 1
    assert listing.set_aside[0].stat().st_size == size


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_directory_is_ignored(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    os.mkfifo(tmp_path / "conversation-20260101-000000.json")
    (tmp_path / "conversation-20260101-000001.json").mkdir()
    listing = store.list()  # would block forever on opening the FIFO without O_NONBLOCK
    assert listing.conversations == [] and listing.set_aside == []
    assert (tmp_path / "conversation-20260101-000000.json").exists()


def test_delete_removes_only_conversation_files(engine: Engine, tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c")
    saved = saved_with(engine, store, "ORR")
    assert saved.path is not None
    other = tmp_path / "c/notes.json"
    other.write_text("{}", encoding="utf-8")
    assert not store.delete(other) and other.exists()
    assert not store.delete(tmp_path / "conversation-20260314-092653.json")
    assert store.delete(saved.path) and not saved.path.exists()
    assert store.list().conversations == []


def test_an_unwritable_directory_reports_failure(engine: Engine, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    store = ConversationStore(blocker / "conversations")  # a file where the directory goes
    saved = store.new(START)
    answer = engine.conversation().ask("ORR")
    assert not saved.add("ORR", answer, EXACT)
    assert saved.path is None and len(saved.turns) == 1  # kept for the session


def test_only_the_newest_are_listed_and_the_rest_counted(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ConversationStore(tmp_path)
    for day, question in [(1, "ORR"), (2, "CBR"), (3, "How many had anaemia?")]:
        saved_with(engine, store, question, start=datetime(2026, 1, day, 8, 0, 0))
    monkeypatch.setattr(conv, "MAX_LISTED", 2)
    listing = store.list()
    assert [c.first_question for c in listing.conversations] == ["How many had anaemia?", "CBR"]
    assert listing.left_out == 1


def test_a_continued_conversation_comes_back_to_the_top(engine: Engine, tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    old = saved_with(engine, store, "ORR", start=datetime(2026, 1, 1, 8, 0, 0))
    saved_with(engine, store, "CBR", start=datetime(2026, 2, 1, 8, 0, 0))
    assert [c.first_question for c in store.list().conversations] == ["CBR", "ORR"]
    answer = engine.conversation().ask("How many had anaemia?")
    assert old.add("How many had anaemia?", answer, EXACT, datetime(2026, 2, 3, 8, 0, 0))
    listed = store.list().conversations
    assert [c.first_question for c in listed] == ["ORR", "CBR"]
    assert listed[0].updated == datetime(2026, 2, 3, 8, 0, 0) and listed[0].path == old.path
