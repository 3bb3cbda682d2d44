"""Hardening of the chat app and the demo app (issue 7): bad input, faults and interruptions
get a clear answer and lose nothing, driven with Textual's Pilot against the real engine.

tests/test_app_pilot.py covers the markup-like questions one at a time and a history file
with a few bytes of garbage; these tests add long pastes, floods of questions, small
terminals, unwritable exports, worse history files and an interrupted demo. Nothing here
asserts on timing: every wait is a Pilot pause or a wait for the app's workers.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual import events  # noqa: E402
from textual.message import Message  # noqa: E402
from textual.notifications import Notify  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input, Markdown, Static  # noqa: E402
from textual.widgets.input import Selection  # noqa: E402

from assistant.answer import Chart  # noqa: E402
from assistant.app import AnswerShown, StormChatApp  # noqa: E402
from assistant.app import app as app_module  # noqa: E402
from assistant.app.charts import ChartView, nice_ticks  # noqa: E402
from assistant.app.history import (  # noqa: E402
    HISTORY_FILE,
    MAX_ENTRY_CHARS,
    History,
)
from assistant.app.prompt import MAX_INPUT_CHARS, PromptInput  # noqa: E402
from assistant.app.settings_screen import SettingsScreen  # noqa: E402
from assistant.app.text import one_line  # noqa: E402
from assistant.app.transcript import AnswerView, QuestionView  # noqa: E402
from assistant.demo import BUILTIN  # noqa: E402
from assistant.demo.app_demo import DemoApp, StepShown  # noqa: E402
from assistant.engine import TRUNCATION_MARK, Engine  # noqa: E402

SIZE = (100, 30)
SMALL = (40, 12)


@pytest.fixture(autouse=True)
def data_dir(app_home: Path) -> Path:
    return app_home


def make_app(
    engine: Engine, *, history: History | None = None, first_run_hint: bool = True
) -> StormChatApp:
    return StormChatApp(
        engine,
        cursor_blink=False,
        first_run_hint=first_run_hint,
        history=History(None) if history is None else history,
    )


def make_demo(engine: Engine, *, typing_delay: float = 0) -> DemoApp:
    return DemoApp(
        engine, BUILTIN, typing_delay=typing_delay, history=History(None), cursor_blink=False
    )


def plain(widget: Static) -> str:
    return str(getattr(widget.visual, "plain", widget.visual))


def questions_shown(app: StormChatApp) -> list[str]:
    return [plain(view) for view in app.query(QuestionView)]


def answer_text(view: AnswerView) -> str:
    """An answer as displayed: the Markdown source or the plain body."""
    markdown = view.query(Markdown)
    if markdown:
        return markdown.first().source
    return plain(view.query_one(".body", Static))


def notes(posted: list[Message]) -> list[tuple[str, str]]:
    return [
        (m.notification.message, m.notification.severity) for m in posted if isinstance(m, Notify)
    ]


async def submit(pilot: Pilot[int], text: str) -> None:
    pilot.app.query_one(Input).value = text
    await pilot.press("enter")
    await pilot.pause()


def temp_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.name.endswith(".tmp")]


# ---------------------------------------------------------------------------- long pastes


LONG = "What was the ORR?" + " and also" * 1200  # 10,817 characters


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("how", ["value", "insert", "paste"])
async def test_ten_thousand_character_paste_is_answered_and_says_it_was_cut(
    engine: Engine, how: str
) -> None:
    assert len(LONG) > 10_000
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await submit(pilot, "CBR")
        prompt = app.query_one(Input)
        if how == "value":
            prompt.value = LONG
        elif how == "insert":
            prompt.insert_text_at_cursor(LONG)
        else:
            prompt.post_message(events.Paste(LONG))
        await pilot.pause()
        assert prompt.value == LONG  # the whole paste is in the input, not silently dropped
        await pilot.press("enter")
        await pilot.pause()
        shown = [m for m in posted if isinstance(m, AnswerShown)]
        assert [m.question for m in shown] == ["CBR", LONG]
        assert TRUNCATION_MARK in shown[-1].answer.text
        views = app.query(AnswerView)
        assert len(views) == 2 and TRUNCATION_MARK in answer_text(views.last())
        # The earlier question and answer are still there, in order.
        assert questions_shown(app)[0] == "CBR" and views.first().answer.values["n"] == 48
        # The transcript shows the start of the paste and how much more there was.
        assert questions_shown(app)[1].endswith(f"({len(LONG) - 500:,} more characters)")
        assert prompt.value == "" and app.focused is prompt
        app.export_screenshot()


@pytest.mark.asyncio
async def test_megabyte_paste_is_cut_to_the_input_bound_and_answered(engine: Engine) -> None:
    """Pasted into a part-filled input, or over a selection: what fits is kept."""
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        prompt = app.query_one(PromptInput)
        prompt.value = "What was the ORR?"
        prompt.cursor_position = len(prompt.value)
        prompt.post_message(events.Paste(" and" * 250_000))
        await pilot.pause()
        assert len(prompt.value) == MAX_INPUT_CHARS
        assert prompt.value.startswith("What was the ORR? and and")
        prompt.post_message(events.Paste("more"))  # full: refused, the value unchanged
        await pilot.pause()
        assert len(prompt.value) == MAX_INPUT_CHARS
        prompt.selection = Selection(0, 17)  # over "What was the ORR?"
        prompt.post_message(events.Paste("CBR" + "!" * 50))
        await pilot.pause()
        assert prompt.value.startswith("CBR!!!") and len(prompt.value) == MAX_INPUT_CHARS
        await pilot.press("enter")
        await pilot.pause()
        answer = app.query_one(AnswerView).answer
        assert TRUNCATION_MARK in answer.text and prompt.value == ""


@pytest.mark.slow
@pytest.mark.asyncio
async def test_long_question_is_kept_in_history_cut_to_the_bound(
    engine: Engine, tmp_path: Path
) -> None:
    history = History(tmp_path / "h.json")
    app = make_app(engine, history=history)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, LONG)
        assert history.entries == [LONG.strip()[:MAX_ENTRY_CHARS]]


# ---------------------------------------------------------------------------- floods


FLOOD_QUESTIONS = ["ORR", "CBR", "median PFS", "How many had anaemia?", "what?"]


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_hundred_questions_as_fast_as_pilot_can(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_app(engine, first_run_hint=False)
    questions = [f"{FLOOD_QUESTIONS[i % len(FLOOD_QUESTIONS)]} #{i}" for i in range(100)]
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        prompt = app.query_one(Input)
        for question in questions:
            prompt.value = question
            await pilot.press("enter")  # no pause between the questions
        await pilot.pause()
        shown = [m for m in posted if isinstance(m, AnswerShown)]
        assert [m.question for m in shown] == questions
        assert questions_shown(app) == questions
        views = list(app.query(AnswerView))
        assert len(views) == 100
        assert [view.answer for view in views] == [m.answer for m in shown]
        # The transcript alternates question, answer.
        kinds = [type(child) for child in app.transcript.children]
        assert kinds == [QuestionView, AnswerView] * 100
        assert len(app.turns) == 100
        assert app.focused is prompt and prompt.value == ""


@pytest.mark.asyncio
async def test_typing_ahead_while_answers_are_shown_loses_nothing(engine: Engine) -> None:
    """Keys typed straight after Enter, at Pilot's pace, stay in the input for the next
    question. (A burst of keys delivered in one go is another matter: Textual's Input runs
    its Enter binding after the keys queued behind it, so they join the submitted text. That
    is the framework's, and bracketed paste keeps real pastes out of it.)"""
    posted: list[Message] = []
    app = make_app(engine, first_run_hint=False)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await pilot.press(*"ORR", "enter", *"CBR", "enter", *"cbr")
        await pilot.pause()
        assert [m.question for m in posted if isinstance(m, AnswerShown)] == ["ORR", "CBR"]
        assert app.query_one(Input).value == "cbr"


# ---------------------------------------------------------------------------- small terminals


@pytest.mark.slow
@pytest.mark.asyncio
async def test_tiny_terminal_with_a_chart_then_back(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        for question in ["ORR", "What was the median overall survival?", "CBR"]:
            await submit(pilot, question)
        assert len(app.query(ChartView)) == 1
        before = questions_shown(app)
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        app.export_screenshot()
        assert app.size == SMALL and not app.card.display
        await submit(pilot, "median PFS")  # a second chart, drawn at the small size
        app.export_screenshot()
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        app.export_screenshot()
        assert questions_shown(app) == [*before, "median PFS"]
        assert len(app.query(AnswerView)) == 4 and len(app.query(ChartView)) == 2
        assert app.focused is app.prompt


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["f1", "f3"])
async def test_help_and_settings_at_40_by_12(engine: Engine, key: str) -> None:
    app = make_app(engine)
    async with app.run_test(size=SMALL) as pilot:
        await submit(pilot, "ORR")
        await pilot.press(key)
        await pilot.pause()
        assert len(app.screen_stack) == 2
        app.export_screenshot()
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        app.export_screenshot()
        await pilot.resize_terminal(*SMALL)
        await pilot.press("escape")
        await pilot.pause()
        assert len(app.screen_stack) == 1 and app.focused is app.prompt
        assert len(app.query(AnswerView)) == 1


# ---------------------------------------------------------------------------- odd characters


# test_app_pilot.py shows "[/", "[bold]x[/bold]", "ORR [95% CI]", "[link=x]y" and an ESC+BEL
# question one at a time; here they come in one conversation, with NUL, C1 controls, a
# newline pasted in and markup around real questions, and the export and copy of them.
ODD = [
    "[/",
    "[bold]x[/bold]",
    "[link=x]y",
    "ORR [95% CI]",
    "\x1b[31mORR",
    "\x00",
    "ORR\x00CBR",
    "\x9b2J median PFS",
    "[@click=app.quit]quit[/]",
    "\x1b]0;title\x07",
    "line one\nline two",
    "ORR\r",
]


@pytest.mark.slow
@pytest.mark.asyncio
async def test_odd_characters_in_one_conversation(engine: Engine, tmp_path: Path) -> None:
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        for question in ODD:
            await submit(pilot, question)
        assert app.is_running  # [@click=app.quit] was text, not an action
        shown = questions_shown(app)
        assert len(shown) == len(ODD) and len(app.query(AnswerView)) == len(ODD)
        for question, text in zip(ODD, shown, strict=True):
            # As typed, brackets and all; only control characters are made visible.
            assert text == one_line(question.strip()) and text.isprintable()
        assert shown[0] == "[/" and shown[1] == "[bold]x[/bold]" and shown[5] == "␀"
        assert shown[4] == "␛[31mORR"
        for view in app.query(AnswerView):
            # No-break spaces keep numbers with their units (issue 13.6); str.isprintable()
            # counts them as unprintable, so they are spaces here.
            assert answer_text(view).replace("\n", "").replace("\u00a0", " ").isprintable()
        assert [m.answer.status for m in posted if isinstance(m, AnswerShown)][3] == "answered"
        app.export_screenshot()
        await pilot.press("f4")
        await pilot.press("ctrl+s")
        await pilot.pause()
    exported = list(tmp_path.glob("stormchat-conversation-*.md"))
    assert len(exported) == 1
    text = exported[0].read_text(encoding="utf-8")
    assert "\x1b" not in text and "\x00" not in text and "\x9b" not in text
    assert "## 2. [bold]x[/bold]" in text


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("blank", ["", " ", "   \t  ", "\u3000"])
async def test_blank_enter_adds_nothing(engine: Engine, tmp_path: Path, blank: str) -> None:
    posted: list[Message] = []
    history = History(tmp_path / "h.json")
    app = make_app(engine, history=history)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await submit(pilot, "ORR")
        children = len(app.transcript.children)
        await submit(pilot, blank)
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert len(app.transcript.children) == children
        assert len([m for m in posted if isinstance(m, AnswerShown)]) == 1
        assert history.entries == ["ORR"] and len(app.turns) == 1
        await pilot.press("up")
        assert app.prompt.value == "ORR"
    assert json.loads((tmp_path / "h.json").read_text())["entries"] == ["ORR"]


# ---------------------------------------------------------------------------- export faults


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("target", ["missing-dir", "a-directory", "a-file-as-dir"])
async def test_export_to_an_unwritable_place_says_so(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    if target == "missing-dir":
        path = tmp_path / "no" / "such" / "dir" / "out.md"
    elif target == "a-directory":
        path = tmp_path / "out.md"
        path.mkdir()
    else:
        (tmp_path / "plain").write_text("x")
        path = tmp_path / "plain" / "out.md"
    monkeypatch.setattr(app_module, "default_path", lambda *args, **kwargs: path)
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await submit(pilot, "ORR")
        await pilot.press("ctrl+s")
        await pilot.pause()
        message, severity = notes(posted)[-1]
        assert message.startswith("Could not export:") and severity == "error"
        assert app.action_export() is None  # and again: still an answer, not a crash
        app.export_screenshot()
        # Nothing lost: the conversation is still there and can be exported elsewhere.
        assert len(app.query(AnswerView)) == 1
        monkeypatch.undo()
        monkeypatch.chdir(tmp_path)
        assert app.action_export() is not None
    assert temp_files(tmp_path) == []
    assert len(list(tmp_path.glob("stormchat-conversation-*.md"))) == 1


# ---------------------------------------------------------------------------- history faults


def _binary(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def _huge_garbage(path: Path) -> None:
    path.write_bytes(b"{" + b"\xff\xfe garbage " * 1_000_000)


def _huge_valid(path: Path) -> None:
    entries = [f"question {i} " + "x" * 50 for i in range(100_000)]
    path.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")


def _odd_entries(path: Path) -> None:
    entries = [1, None, ["x"], {"a": 1}, "", "  ", "\x1b[31mred", "[bold]x", "y" * 50_000, "ORR"]
    path.write_text(json.dumps({"version": 1, "entries": entries}), encoding="utf-8")


def _wrong_shape(path: Path) -> None:
    path.write_text('["ORR", "CBR"]', encoding="utf-8")


def _directory(path: Path) -> None:
    path.mkdir()
    (path / "inside").write_text("x")


def _fifo(path: Path) -> None:
    os.mkfifo(path)  # opening it for reading once blocked start-up forever


HISTORY_FAULTS = {
    "binary": _binary,
    "huge-garbage": _huge_garbage,
    "huge-valid": _huge_valid,
    "odd-entries": _odd_entries,
    "wrong-shape": _wrong_shape,
    "directory": _directory,
    "fifo": _fifo,
}
DAMAGED = {"binary", "huge-garbage", "wrong-shape"}


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("fault", list(HISTORY_FAULTS))
async def test_bad_history_file_does_not_stop_startup(
    engine: Engine, data_dir: Path, fault: str
) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / HISTORY_FILE
    HISTORY_FAULTS[fault](path)
    posted: list[Message] = []
    # history=None: the app loads the file itself, as it does when started for real.
    app = StormChatApp(engine, cursor_blink=False)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        assert len(app.history.entries) <= app.history.limit
        await pilot.press("up")
        recalled = app.prompt.value
        await pilot.press("escape")
        await submit(pilot, "ORR")
        assert app.query_one(AnswerView).answer.values["n"] == 32
        app.export_screenshot()
        warnings = [m for m, severity in notes(posted) if severity == "warning"]
        damaged = [m for m, _ in notes(posted) if "damaged" in m]
    # A damaged file is set aside, and the app says where; a readable one is not.
    assert bool(damaged) == (fault in DAMAGED)
    if fault in DAMAGED:
        assert len(list(data_dir.glob("history.damaged-*.json"))) == 1
    if fault in ("directory", "fifo"):
        # Cannot be saved: said once, kept for the session, and the file is untouched.
        assert len(warnings) == 1 and "input history" in warnings[0]
        if fault == "directory":
            assert path.is_dir() and (path / "inside").read_text() == "x"
        else:
            assert path.is_fifo()
        assert app.history.entries == ["ORR"]
    else:
        assert warnings == []
        assert json.loads(path.read_text(encoding="utf-8"))["entries"][-1] == "ORR"
    if fault == "odd-entries":
        assert recalled == "ORR"
        assert all(isinstance(e, str) and e.strip() for e in app.history.entries)
    if fault == "huge-valid":
        assert recalled.startswith("question 99999")
    assert temp_files(data_dir.parent) == []


# ---------------------------------------------------------------------------- demo app


async def wait_until_typing(pilot: Pilot[int], app: DemoApp) -> None:
    """Pause until the presenter has typed part of the question (a bounded number of
    pauses; no clock is read)."""
    for _ in range(500):
        if app.prompt.value:
            return
        await pilot.pause(0.01)
    raise AssertionError("the demo never started typing")


@pytest.mark.asyncio
async def test_demo_q_quits_cleanly_mid_typing(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_demo(engine, typing_delay=0.05)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await pilot.press("space")
        await wait_until_typing(pilot, app)
        assert app._busy and not app.query(AnswerView)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0
    assert not [m for m in posted if isinstance(m, StepShown)]


@pytest.mark.slow
@pytest.mark.asyncio
async def test_demo_thirty_quick_spaces_past_the_end(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_demo(engine, typing_delay=0.01)
    total = len(BUILTIN)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await pilot.press(*["space"] * 30)
        await app.workers.wait_for_complete()
        await pilot.pause()
        # However the presses fell (some only hurry the typing), each step is asked at most
        # once, in order, and each answer is on screen.
        steps = [m.index for m in posted if isinstance(m, StepShown)]
        assert steps == list(range(len(steps)))
        assert len(app.query(AnswerView)) == len(steps)
        for _ in range(total + 2 - len(steps)):
            await pilot.press("space")
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press(*["space"] * 30)
        await app.workers.wait_for_complete()
        await pilot.pause()
        steps = [m.index for m in posted if isinstance(m, StepShown)]
        assert steps == list(range(total))
        assert app.position == total and len(app.query(AnswerView)) == total
        assert app.is_running
        await pilot.press("q")
    assert app.return_value == 0


@pytest.mark.slow
@pytest.mark.asyncio
async def test_demo_resized_to_40_by_12_during_the_demo(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_demo(engine, typing_delay=0.02)
    total = len(BUILTIN)
    async with app.run_test(size=(110, 36), message_hook=posted.append) as pilot:
        await pilot.press("space")
        await app.workers.wait_for_complete()
        await pilot.press("space")
        await wait_until_typing(pilot, app)
        await pilot.resize_terminal(*SMALL)  # mid-typing
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.export_screenshot()
        for _ in range(total - 2):
            await pilot.press("space")
            await app.workers.wait_for_complete()
            await pilot.pause()
        app.export_screenshot()
        await pilot.press("left", "left")
        await pilot.pause()
        await pilot.resize_terminal(110, 36)
        await pilot.pause()
        app.export_screenshot()
        assert [m.index for m in posted if isinstance(m, StepShown)] == list(range(total))
        assert len(app.query(AnswerView)) == total and app.position == total - 3
        await pilot.press("q")
    assert app.return_value == 0


# ---------------------------------------------------------------------------- issue 15: crashes


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("how", ["setting", "question"])
async def test_a_level_near_a_listed_one_opens_the_settings(engine: Engine, how: str) -> None:
    """95.01 % and 95 % once made the same widget id ('level-950'): F3 crashed the app."""
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        if how == "setting":
            await app.set_ci(level=0.9501)
        else:
            await submit(pilot, "use a 95.01% interval from now on")
        assert app.settings.level == pytest.approx(0.9501)
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        ids = [widget.id for widget in screen.query("*") if widget.id]
        assert len(ids) == len(set(ids))
        assert screen.level_button(0.95).value is False
        assert screen.level_button(app.settings.level).value is True
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


@pytest.mark.asyncio
@pytest.mark.parametrize("times", [[5e-324, 1e-323], [1e-310], [1.7e308, 1.79e308], [0.0]])
async def test_charts_of_extreme_times_are_drawn(times: list[float]) -> None:
    """A store whose ADTTE times are 5e-324 crashed nice_ticks (log10 of 0)."""
    from textual.app import App

    chart = Chart(
        kind="km",
        title="PFS",
        series=[{"label": "all", "times": times, "survival": [0.5] * len(times)}],
    )
    bars = Chart(
        kind="bar",
        title="counts",
        series=[{"label": "a", "value": times[0]}, {"label": "b", "value": times[-1]}],
    )

    class Host(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield ChartView(chart)
            yield ChartView(bars)

    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.export_screenshot()
        assert app.is_running


@pytest.mark.parametrize(
    "top",
    [
        5e-324,
        1e-310,
        1e-300,
        1e-12,
        0.3,
        7.2,
        1e300,
        1.7e308,
        1.7976931348623157e308,
        0.0,
        -3.0,
        float("nan"),
        float("inf"),
    ],
)
def test_nice_ticks_is_total(top: float) -> None:
    ticks = nice_ticks(top)
    assert ticks[0] == 0.0 and len(ticks) >= 2
    assert all(math.isfinite(tick) for tick in ticks)
    assert ticks == sorted(ticks) and len(set(ticks)) == len(ticks)
    if math.isfinite(top) and top > 0:
        assert ticks[-1] >= top


@pytest.mark.asyncio
async def test_export_after_the_working_directory_was_removed(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+s once raised FileNotFoundError from Path.cwd(): it goes to the home directory."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await submit(pilot, "ORR")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running
    files = list(home.glob("stormchat-conversation-*.md"))
    assert len(files) == 1 and "26.2" in files[0].read_text(encoding="utf-8")
    assert any(str(files[0]) in message for message, _ in notes(posted))


@pytest.mark.slow
@pytest.mark.asyncio
async def test_demo_quit_before_the_step_starts_leaves_no_coroutine(engine: Engine) -> None:
    """Issue 13.7: space then q at once printed "coroutine 'DemoApp._play' was never
    awaited" after the app closed."""
    import gc
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = make_demo(engine, typing_delay=0.05)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.action_next_step()
            app.action_leave()  # in the same tick: the worker has not started
            await pilot.pause()
        del app, pilot
        gc.collect()
    assert not [w for w in caught if "never awaited" in str(w.message)]


@pytest.mark.asyncio
async def test_a_failing_question_is_an_error_not_unknown(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:

        def broken(question: str) -> None:
            raise RuntimeError("boom")

        monkeypatch.setattr(app.conversation, "ask", broken)
        await submit(pilot, "ORR")
        view = app.query(AnswerView).last()
        assert view.answer.status == "error" and view.has_class("-error")
        assert "internal error" in view.answer.text and app.is_running
