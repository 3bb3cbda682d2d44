"""Conversations kept across runs, the history screen (ctrl+o) and find in the transcript
(ctrl+f), driven with Textual's Pilot against the real engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import DataTable, Input  # noqa: E402

from assistant.app import StormChatApp  # noqa: E402
from assistant.app.find import FOUND, FindBar  # noqa: E402
from assistant.app.history import History  # noqa: E402
from assistant.app.history_screen import ConfirmDelete, HistoryScreen  # noqa: E402
from assistant.app.transcript import AnswerView, QuestionView  # noqa: E402
from assistant.engine import Engine  # noqa: E402

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def data_dir(app_home: Path) -> Path:
    return app_home


def make_app(engine: Engine) -> StormChatApp:
    return StormChatApp(engine, cursor_blink=False, first_run_hint=False, history=History(None))


def saved_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "conversations").glob("conversation-*.json"))


async def ask(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    pilot.app.prompt.value = text
    await pilot.press("enter")
    await pilot.pause()


async def open_history(pilot) -> HistoryScreen:  # type: ignore[no-untyped-def]
    await pilot.press("ctrl+o")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    return screen


def rows(screen: HistoryScreen) -> list[str]:
    """The first question of each row, as listed."""
    return [str(screen.query_one(DataTable).get_row_at(i)[2]) for i in range(len(screen.shown))]


@pytest.mark.asyncio
async def test_a_conversation_is_reopened_after_a_restart(engine: Engine, data_dir: Path) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "How many had anaemia?")
        await ask(pilot, "What was the overall response rate?")
        await ask(pilot, "How many had anaemia?")
    [path] = saved_files(data_dir)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert [t["question"] for t in saved["turns"]] == [
        "How many had anaemia?",
        "What was the overall response rate?",
        "How many had anaemia?",
    ]
    # A new app instance: nothing on screen until the conversation is reopened.
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        assert app.transcript.answers == []
        screen = await open_history(pilot)
        assert rows(screen) == ["How many had anaemia?"]
        assert str(screen.query_one(DataTable).get_row_at(0)[1]) == "3"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)
        questions = [v.question for v in app.transcript.query(QuestionView)]
        assert questions == [t["question"] for t in saved["turns"]]
        answers = app.transcript.answers
        assert answers[1].answer.values["n"] == 32 and answers[1].answer.values["N"] == 122
        # A follow-up continues it: it reads against anaemia, worst grade >= 3 = 52 + 2.
        await ask(pilot, "and grade 3 or higher?")
        assert app.transcript.answers[-1].answer.values["n"] == 54
        assert len(app.turns) == 4
    # ... and is saved into the same file, not a new one.
    assert saved_files(data_dir) == [path]
    turns = json.loads(path.read_text(encoding="utf-8"))["turns"]
    assert [t["question"] for t in turns][-1] == "and grade 3 or higher?"


@pytest.mark.asyncio
async def test_ctrl_l_starts_a_new_conversation_and_keeps_the_old(
    engine: Engine, data_dir: Path
) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "ORR")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.transcript.answers == []
        await ask(pilot, "CBR")
        assert len(saved_files(data_dir)) == 2
        screen = await open_history(pilot)
        assert sorted(rows(screen)) == ["CBR (open)", "ORR"]


@pytest.mark.asyncio
async def test_delete_asks_first_and_then_deletes(engine: Engine, data_dir: Path) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "ORR")
        await pilot.press("ctrl+l")
        await ask(pilot, "CBR")
        await pilot.press("ctrl+l")
        await pilot.pause()
        screen = await open_history(pilot)
        listed = rows(screen)
        assert sorted(listed) == ["CBR", "ORR"]
        # n keeps it.
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDelete)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and len(saved_files(data_dir)) == 2
        # y deletes the one under the cursor (the first row).
        doomed = screen.shown[0].path
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert rows(screen) == listed[1:]
        assert doomed is not None and not doomed.exists() and len(saved_files(data_dir)) == 1
        await pilot.press("escape")
    # Gone for the next run too.
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        assert rows(screen) == listed[1:]


@pytest.mark.asyncio
async def test_deleting_the_open_conversation_starts_a_new_one(
    engine: Engine, data_dir: Path
) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "ORR")
        await open_history(pilot)
        await pilot.press("delete", "y")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.transcript.answers == [] and app.turns == []
        await ask(pilot, "CBR")
        [path] = saved_files(data_dir)
        turns = json.loads(path.read_text(encoding="utf-8"))["turns"]
        assert [t["question"] for t in turns] == ["CBR"]  # the deleted turn is not back


@pytest.mark.asyncio
async def test_search_filters_by_question_and_answer_text(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        for question in ["How many had anaemia?", "What was the median overall survival?", "ORR"]:
            await ask(pilot, question)
            await pilot.press("ctrl+l")
        await pilot.pause()
        screen = await open_history(pilot)
        assert len(rows(screen)) == 3
        await pilot.press("slash", *"anaemia")
        await pilot.pause()
        assert screen.query_one("#search", Input).value == "anaemia"
        assert rows(screen) == ["How many had anaemia?"]
        # Text only in an answer: the ORR answer's "32/122" (a "/" typed, not a shortcut).
        search = screen.query_one("#search", Input)
        search.value = ""
        await pilot.press(*"32/122")
        await pilot.pause()
        assert rows(screen) == ["ORR"]
        search.value = "no such words"
        await pilot.pause()
        assert rows(screen) == []
        assert "0 of 3" in str(screen.query_one("#summary").render())
        # Enter in the search box opens the first match.
        search.value = "survival"
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [v.question for v in app.transcript.query(QuestionView)] == [
            "What was the median overall survival?"
        ]


@pytest.mark.asyncio
async def test_ctrl_f_finds_and_moves_between_matches(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        for question in ["ORR", "How many had anaemia?", "and grade 3 or higher?", "CBR"]:
            await ask(pilot, question)
        await pilot.press("ctrl+f")
        await pilot.pause()
        bar = app.query_one(FindBar)
        await pilot.press(*"anaemia")
        await pilot.pause()
        # The first question and its answer; "and grade 3 or higher?" was read as anaemia too,
        # so its answer matches, though its question does not.
        found = bar.matches
        assert [type(view).__name__ for view in found] == [
            "QuestionView",
            "AnswerView",
            "AnswerView",
        ]
        assert isinstance(found[2], AnswerView) and found[2].answer.values["n"] == 54
        # The newest match first, framed and titled, and scrolled into view.
        assert bar.current is found[2] and found[2].has_class(FOUND)
        assert found[2].border_title == "▶ match 3 of 3"
        assert app.transcript.scroll_offset.y <= found[2].virtual_region.y
        await pilot.press("up")
        await pilot.pause()
        assert bar.current is found[1] and not found[2].has_class(FOUND)
        assert found[1].region.height > 0 and app.transcript.region.contains_region(
            found[1].region.intersection(app.transcript.region)
        )
        await pilot.press("enter")  # next, wrapping round
        await pilot.press("enter")
        await pilot.pause()
        assert bar.current is found[0] and "1 of 3" in str(bar.query_one("#count").render())
        await pilot.press("shift+enter")  # previous, wrapping back to the newest
        await pilot.pause()
        assert bar.current is found[2]
        await pilot.press("escape")
        await pilot.pause()
        assert not app.query(FindBar) and not app.transcript.query(f".{FOUND}")
        assert app.focused is app.prompt
        assert len(app.transcript.answers) == 4  # Enter in the find bar asked nothing


@pytest.mark.asyncio
async def test_a_corrupt_conversation_file_is_kept_aside(engine: Engine, data_dir: Path) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "ORR")
    directory = data_dir / "conversations"
    broken = directory / "conversation-20250101-120000.json"
    broken.write_bytes(b"\x00{not json at all")
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot)
        assert rows(screen) == ["ORR"]
        assert not broken.exists()
        [aside] = directory.glob("conversation-20250101-120000.damaged-*.json")
        assert aside.read_bytes() == b"\x00{not json at all"
        await pilot.press("enter")
        await pilot.pause()
        assert app.transcript.answers[0].answer.values["n"] == 32


@pytest.mark.asyncio
async def test_markup_like_questions_are_listed_literally(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, "ORR [95% CI] [/bold] \x1b[31m")
        screen = await open_history(pilot)
        [first] = rows(screen)
        assert first.startswith("ORR [95% CI] [/bold] ␛[31m")


@pytest.mark.asyncio
async def test_a_conversation_that_cannot_be_saved_says_so_once(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.app.history import DATA_DIR_ENV

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(DATA_DIR_ENV, str(blocker))
    notices: list[str] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        app.notify = lambda message, **kw: notices.append(message)  # type: ignore[method-assign]
        await ask(pilot, "ORR")
        await ask(pilot, "CBR")
        assert len(app.transcript.answers) == 2  # the session goes on
    warned = [n for n in notices if n.startswith("Could not save the conversation")]
    assert len(warned) == 1
