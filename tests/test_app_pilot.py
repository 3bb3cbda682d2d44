"""The chat app driven with Textual's Pilot against the real engine: what a user types, what
the app shows, the messages it posts; and what bad input, faults and interruptions do to it
(issues 7 and 15): long pastes, floods of questions, small terminals, odd characters,
unwritable exports and damaged history files get a clear answer and lose nothing. Nothing here
asserts on timing: every wait is a Pilot pause or a wait for the app's workers."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual import events  # noqa: E402
from textual.containers import VerticalScroll  # noqa: E402
from textual.message import Message  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input, Markdown, RadioSet, Static  # noqa: E402
from textual.widgets.input import Selection  # noqa: E402

from assistant.app import AnswerShown, StormChatApp  # noqa: E402
from assistant.app import app as app_module  # noqa: E402
from assistant.app.charts import ChartView  # noqa: E402
from assistant.app.history import HISTORY_FILE, MAX_ENTRY_CHARS, History  # noqa: E402
from assistant.app.prompt import MAX_INPUT_CHARS, PromptInput  # noqa: E402
from assistant.app.settings_screen import SettingsScreen  # noqa: E402
from assistant.app.text import one_line  # noqa: E402
from assistant.app.transcript import AnswerView, ExampleLink, QuestionView, Welcome  # noqa: E402
from assistant.engine import TRUNCATION_MARK, Engine  # noqa: E402
from tests.conftest import notes, plain, submit, temp_files  # noqa: E402

SIZE = (100, 30)
SMALL = (40, 12)


@pytest.fixture(autouse=True)
def data_dir(app_home: Path) -> Path:
    return app_home


def make_app(engine: Engine, **kwargs: object) -> StormChatApp:
    return StormChatApp(engine, cursor_blink=False, **kwargs)  # type: ignore[arg-type]


def questions_shown(app: StormChatApp) -> list[str]:
    return [plain(view) for view in app.query(QuestionView)]


def answer_text(view: AnswerView) -> str:
    """An answer as displayed: the Markdown source or the plain body."""
    markdown = view.query(Markdown)
    if markdown:
        return markdown.first().source
    return plain(view.query_one(".body", Static))


async def open_help(pilot: Pilot[int]) -> VerticalScroll:
    """F1: the help screen, and its scrolling pane."""
    await pilot.press("f1")
    await pilot.pause()
    assert type(pilot.app.screen).__name__ == "HelpScreen"
    return pilot.app.screen.query_one(VerticalScroll)


async def close_help(pilot: Pilot[int]) -> None:
    """Escape: back to the chat, the input focused."""
    await pilot.press("escape")
    await pilot.pause()
    assert pilot.app.focused is pilot.app.prompt  # type: ignore[attr-defined]


def shown(app: StormChatApp) -> str:
    """The transcript's text as displayed: Static content as rendered, Markdown source."""
    parts: list[str] = []
    for widget in app.transcript.query("*"):
        if isinstance(widget, Markdown):
            parts.append(widget.source)
        elif isinstance(widget, Static) and not isinstance(widget.parent, Markdown):
            parts.append(getattr(widget.visual, "plain", str(widget.visual)))
    return "\n".join(parts)


@pytest.mark.asyncio
async def test_typed_question_is_answered_with_its_figure(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await pilot.press(*"ORR", "enter")
        await pilot.pause()
        assert "26.2" in shown(app)
        answers = [m for m in posted if isinstance(m, AnswerShown)]
        assert len(answers) == 1 and answers[0].question == "ORR"
        assert answers[0].answer.values["n"] == 32
        assert app.prompt.value == "" and app.focused is app.prompt
        # The provenance line sits under the answer.
        view = app.query_one(AnswerView)
        assert view.query(".sources")


@pytest.mark.asyncio
async def test_ask_returns_the_answer_once_it_is_on_screen(engine: Engine) -> None:
    app = make_app(engine, first_run_hint=False)
    async with app.run_test(size=SIZE):
        answer = await app.ask("What was the median progression-free survival?", remember=False)
        assert answer.status == "answered"
        assert answer.chart is not None and answer.chart.kind == "km"
        assert app.query_one(AnswerView).answer is answer
        assert len(app.query(ChartView)) == 1
        assert app.history.entries == []


@pytest.mark.slow
@pytest.mark.asyncio
async def test_follow_up_uses_the_context(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "How many had anaemia?")
        await submit(pilot, "and grade 3 or higher?")
        last = app.query(AnswerView).last()
        assert last.answer.values["n"] == 54
        assert "54" in shown(app)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_history_recall_and_persistence(engine: Engine, data_dir: Path) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        for question in ["ORR", "CBR", "ORR"]:
            await submit(pilot, question)
        app.prompt.value = "draft"
        await pilot.press("up")
        assert app.prompt.value == "ORR"
        await pilot.press("up")
        assert app.prompt.value == "CBR"
        await pilot.press("up")  # only two distinct entries: stays at the oldest
        assert app.prompt.value == "CBR"
        await pilot.press("down", "down")
        assert app.prompt.value == "draft"
    saved = json.loads((data_dir / "history.json").read_text())["entries"]
    assert saved == ["CBR", "ORR"]
    # A new run recalls the previous run's questions.
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("up")
        assert app.prompt.value == "ORR"


@pytest.mark.asyncio
async def test_corrupt_history_file_does_not_stop_the_app(engine: Engine, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / "history.json").write_bytes(b"\x00{garbage")
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("up")
        assert app.prompt.value == ""
        await submit(pilot, "ORR")
    assert json.loads((data_dir / "history.json").read_text())["entries"] == ["ORR"]


MARKUP_LIKE = ["[/", "[bold]x[/bold]", "ORR [95% CI]", "[link=x]y", "\x1b[31mred\x07"]


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("question", MARKUP_LIKE)
async def test_markup_like_input_is_shown_literally(engine: Engine, question: str) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, question)
        await pilot.pause()
        shown_question = app.query_one(QuestionView).visual
        expected = question.replace("\x1b", "␛").replace("\x07", "␇")
        assert getattr(shown_question, "plain", None) == expected
        assert len(app.query(AnswerView)) == 1
        app.export_screenshot()  # the whole screen renders


@pytest.mark.asyncio
async def test_markdown_answer_with_brackets_renders() -> None:
    """Store text reaches Markdown: "[/" in it must not crash the widget."""
    from textual.app import App, ComposeResult

    from assistant.answer import Answer

    answer = Answer(
        question="q",
        status="answered",
        intent=None,
        text="t",
        markdown="| a [/ | b |\n|---|---|\n| [bold]x[/bold] | ORR [95% CI] |",
        sources=["[/source]"],
    )

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield AnswerView(answer)

    app = One()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.query_one(".sources", Static).visual.plain == "Source: [/source]"
        app.export_screenshot()


@pytest.mark.asyncio
async def test_clicking_a_welcome_example_asks_it(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        link = app.query(ExampleLink).first()
        await pilot.click(link)
        await pilot.pause()
        assert app.query_one(QuestionView).visual.plain == link.question
        assert app.focused is app.prompt


@pytest.mark.slow
@pytest.mark.asyncio
async def test_clear_empties_the_transcript_and_forgets_context(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "How many had anaemia?")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert len(app.transcript.children) == 0 and app.turns == []
        await submit(pilot, "and grade 3 or higher?")
        assert app.query_one(AnswerView).answer.values.get("n") != 54


def fake_tool(directory: Path, name: str, exit_code: int = 0) -> Path:
    """An executable ``name`` that writes what it reads to ``name``.out beside it."""
    directory.mkdir(exist_ok=True)
    tool = directory / name
    out = directory / f"{name}.out"
    cat = shutil.which("cat")
    tool.write_text(f"#!/bin/sh\n{cat} > '{out}'\nexit {exit_code}\n", encoding="utf-8")
    tool.chmod(0o755)
    return out


@pytest.mark.asyncio
async def test_copy_uses_the_platform_tool_and_says_so(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13.1: 'Copied to the clipboard' only when a tool took the text."""
    bin_dir = tmp_path / "bin"
    broken = fake_tool(bin_dir, "wl-copy", exit_code=1)
    out = fake_tool(bin_dir, "xclip")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("TMUX", raising=False)
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert "no answer" in note_texts(posted)[-1]
        await submit(pilot, "ORR")
        await pilot.press("f4")
        await wait_for_note(pilot, posted, 2)
        copied = out.read_text(encoding="utf-8")
        assert "26.2" in copied and "Source:" in copied
        assert broken.exists()  # wl-copy was tried first, failed, and xclip took over
        assert note_texts(posted)[-1] == "Copied the last answer to the clipboard (with xclip)."


@pytest.mark.asyncio
async def test_copy_without_a_tool_says_it_may_not_have_worked(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.delenv("TMUX", raising=False)
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await submit(pilot, "ORR")
        await pilot.press("f4")
        await wait_for_note(pilot, posted, 1)
        assert "26.2" in app.clipboard  # sent as OSC 52 all the same
        note = note_texts(posted)[-1]
        assert note.startswith("No clipboard tool worked") and "OSC 52" in note
        assert "may not have been copied" in note and "ctrl+s" in note
        assert "Copied" not in note


async def wait_for_note(pilot: Pilot[int], posted: list[Message], count: int) -> None:
    """Pause until ``count`` notices were posted (copying runs a tool in a thread)."""
    for _ in range(1000):
        if len(note_texts(posted)) >= count:
            return
        await pilot.pause(0.01)
    raise AssertionError(f"only these notices: {note_texts(posted)}")


def note_texts(posted: list[Message]) -> list[str]:
    return [message for message, _ in notes(posted)]


@pytest.mark.asyncio
async def test_export_writes_a_new_markdown_file(engine: Engine, tmp_path: Path) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await submit(pilot, "ORR")
        await submit(pilot, "[bold]x[/bold]")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+s")  # a second export in the same second: a new name
        await pilot.pause()
    files = sorted(tmp_path.glob("stormchat-conversation-*.md"))
    assert len(files) == 2
    text = files[0].read_text()
    assert "## 1. ORR" in text and "26.2" in text and "## 2. [bold]x[/bold]" in text


@pytest.mark.slow
@pytest.mark.asyncio
async def test_settings_change_the_interval(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        wilson = screen.method_button("wilson")
        level = screen.level_button(0.9)
        await pilot.click(wilson)
        await pilot.click(level)
        await pilot.click("#apply")
        await pilot.pause()
        assert (app.settings.ci_method, app.settings.level) == ("wilson", 0.9)
        assert "Wilson" in str(app.query_one("#status", Static).visual)
        await submit(pilot, "ORR")
        values = app.query(AnswerView).last().answer.values
        assert (values["ci_method"], values["level"]) == ("wilson", 0.9)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_settings_from_the_keyboard(engine: Engine) -> None:
    """Issue 13: F3 opens on the method list with the cursor on the current method; Enter
    chooses; Tab to the level list, likewise; the choice shows without colour (● / ○)."""
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await app.set_ci(level=0.95)
        await pilot.press("f3")
        await pilot.pause()
        screen = app.screen
        methods = screen.query_one("#method", RadioSet)
        assert app.focused is methods
        assert methods._selected == 0  # clopper-pearson, the current one
        await pilot.press("down", "enter")  # Wilson
        await pilot.press("tab")
        levels = screen.query_one("#level", RadioSet)
        assert app.focused is levels
        assert levels._selected == screen.levels.index(0.95)
        await pilot.press("up", "enter")  # 90 %
        assert "●" in screen.method_button("wilson").render().plain
        assert "○" in screen.method_button("clopper-pearson").render().plain
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (app.settings.ci_method, app.settings.level) == ("wilson", 0.9)
        await pilot.press("f3")
        await pilot.pause()
        # Opened again: the cursor is on what was chosen, not on the first item.
        assert app.screen.query_one("#method", RadioSet)._selected == 1
        assert app.screen.query_one("#level", RadioSet)._selected == app.screen.levels.index(0.9)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_palette_commands_and_help(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await app.set_ci(method="jeffreys")
        assert app.settings.ci_method == "jeffreys"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"clear conv", "enter")
        await pilot.pause()
        assert len(app.transcript.children) == 0
        await open_help(pilot)
        await close_help(pilot)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_card_hidden_when_narrow_and_toggled(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.card.display
        await pilot.press("f2")
        assert app.card.display
        figures = [w.visual.plain for w in app.card.query(".figure")]
        assert any("32/122" in figure for figure in figures)
    app = make_app(engine)
    async with app.run_test(size=(130, 40)) as pilot:
        assert app.card.display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.card.display  # follows the width until the user toggles


def test_run_app_is_exposed() -> None:
    from assistant.app import run_app

    assert callable(run_app)
    assert History  # imported for the type; history has its own tests


@pytest.mark.asyncio
async def test_returning_user_gets_the_short_welcome(engine: Engine, tmp_path: Path) -> None:
    history = History(tmp_path / "h.json", entries=["ORR"])
    app = make_app(engine, history=history)
    async with app.run_test(size=SIZE):
        assert not app.query(ExampleLink)
        assert "F1" in shown(app)


@pytest.mark.asyncio
async def test_type_and_ask_for_the_demo(engine: Engine) -> None:
    app = make_app(engine, first_run_hint=False)
    async with app.run_test(size=SIZE):
        answer = await app.type_and_ask("CBR", delay=0)
        assert answer.values["n"] == 48
        assert app.query_one(AnswerView).answer is answer  # on screen when it returns
        assert app.prompt.value == "" and app.history.entries == []


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
async def test_a_three_line_paste_asks_each_line(engine: Engine, newline: str) -> None:
    """Issue 13.3: Textual's Input kept only the first line of a paste."""
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        app.prompt.value = "What was the "
        app.prompt.cursor_position = len(app.prompt.value)
        app.prompt.post_message(events.Paste(newline.join(["ORR?", "", "CBR", "median PFS"])))
        for _ in range(500):
            if len([m for m in posted if isinstance(m, AnswerShown)]) == 3:
                break
            await pilot.pause(0.01)
        asked = [m.question for m in posted if isinstance(m, AnswerShown)]
        assert asked == ["What was the ORR?", "CBR", "median PFS"]
        assert "Pasted 3 lines: asking each in turn." in note_texts(posted)
        assert app.prompt.value == "" and app.focused is app.prompt


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_paste_of_a_whole_file_asks_only_the_first_lines(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        app.prompt.post_message(events.Paste("\n".join(["ORR"] * 53)))
        for _ in range(2000):
            if len([m for m in posted if isinstance(m, AnswerShown)]) == 50:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert len([m for m in posted if isinstance(m, AnswerShown)]) == 50
        assert any("the first 50; 3 more lines were not asked" in n for n in note_texts(posted))


@pytest.mark.slow
@pytest.mark.asyncio
async def test_help_scrolls_from_the_keyboard(engine: Engine) -> None:
    """Issue 13.4: F1 help scrolls with PgDn and the arrows (at 80×24 it is taller than the
    screen). One app, help opened afresh for each way of scrolling."""
    app = make_app(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in (["pagedown"], ["down", "down", "down"], ["end"]):
            scroll = await open_help(pilot)
            assert scroll.max_scroll_y > 0 and scroll.scroll_y == 0, keys
            await pilot.press(*keys)
            await pilot.pause()
            assert scroll.scroll_y > 0, keys
            if keys == ["pagedown"]:
                await pilot.press("pageup")
                await pilot.pause()
                assert scroll.scroll_y == 0
            await close_help(pilot)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_number_never_wraps_apart_from_its_unit(engine: Engine) -> None:
    """Issue 13.6: at any width, no line of an answer starts with "%" or "CI"."""
    app = make_app(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await submit(pilot, "ORR")
        view = app.query(AnswerView).last()
        assert "26.2\u00a0%" in view.answer_markdown_shown()
        for width in range(30, 81, 3):
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            for widget in view.query("Markdown *, Static"):
                lines = (
                    [strip.text.strip() for strip in widget.render_lines(widget.size.region)]
                    if widget.size.area
                    else []
                )
                assert not [line for line in lines if line.startswith(("%", "CI"))], (width, lines)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_copy_any_answer_chosen_by_keyboard_or_mouse(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13.1: move to an answer in the transcript and copy it as text, as Markdown or
    with its full reference."""
    out = fake_tool(tmp_path / "bin", "xclip")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("TMUX", raising=False)
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=(100, 40), message_hook=posted.append) as pilot:
        for question in ("ORR", "CBR", "median PFS"):
            await submit(pilot, question)
        views = app.transcript.answers
        await pilot.press("alt+up", "alt+up")
        assert app.selected_view() is views[1] and views[1].has_class("-selected")
        assert app.focused is app.prompt  # choosing does not take the input away
        count = len(note_texts(posted))
        await pilot.press("f4")
        await wait_for_note(pilot, posted, count + 1)
        assert "48/122" in out.read_text(encoding="utf-8")  # CBR, not the last answer
        assert note_texts(posted)[-1].startswith("Copied the chosen answer to the clipboard")
        app.transcript.scroll_to_widget(views[0], animate=False)  # above the KM chart
        await pilot.pause()
        await pilot.click(views[0])
        assert app.selected_view() is views[0] and not views[1].has_class("-selected")
        await app.action_copy_answer("reference")
        reference = out.read_text(encoding="utf-8")
        assert reference.startswith("Q: ORR\nA: ") and "32/122" in reference
        assert "Source:" in reference and "CI: " in reference and "N Engl J Med" in reference
        await app.action_copy_answer("markdown")
        assert "32/122" in out.read_text(encoding="utf-8")
        await pilot.press("alt+down", "alt+down", "alt+down")
        assert app.selected_view() is views[2] and app._selected is None  # the last again


@pytest.mark.slow
@pytest.mark.asyncio
async def test_help_examples_are_asked_from_the_keyboard(engine: Engine) -> None:
    """Issue 13.4: F1's example questions can be chosen and asked with the keyboard."""
    from assistant.app.examples import examples
    from assistant.app.help_screen import HelpExample

    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=(80, 24), message_hook=posted.append) as pilot:
        scroll = await open_help(pilot)
        await pilot.press("tab", "tab")
        focused = app.focused
        assert isinstance(focused, HelpExample)
        second = [q for questions in examples().values() for q in questions][1]
        assert focused.question == second
        assert scroll.scroll_y > 0  # the pane followed the cursor down to the examples
        await pilot.press("enter")
        for _ in range(300):
            if any(isinstance(m, AnswerShown) for m in posted):
                break
            await pilot.pause(0.01)
        assert [m.question for m in posted if isinstance(m, AnswerShown)] == [second]
        assert type(app.screen).__name__ != "HelpScreen" and app.focused is app.prompt


# ------------------------------------------------------------- fast start (issue 13.8)


@pytest.mark.asyncio
async def test_a_question_typed_while_the_study_loads_is_answered_once_it_is_loaded(
    engine: Engine,
) -> None:
    """The app paints and takes keys before the engine is loaded (it loads in a thread); a
    question submitted meanwhile waits, then is answered. The loader here waits for the test
    to let it finish, so the order is certain without timing anything."""
    import threading

    release = threading.Event()
    loads: list[str] = []

    def loader() -> Engine:
        loads.append(threading.current_thread().name)
        release.wait(timeout=30)
        return engine

    posted: list[Message] = []
    app = StormChatApp(loader, history=History(None), cursor_blink=False)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await pilot.pause()
        assert not app.ready.is_set() and app.focused is app.prompt
        status = app.query_one("#status", Static)
        assert "Loading" in str(status.visual)
        await submit(pilot, "What was the ORR?")
        await submit(pilot, "CBR")
        # Shown at once, not answered yet.
        assert [str(v.visual) for v in app.query(QuestionView)] == ["What was the ORR?", "CBR"]
        assert not app.query(AnswerView) and app.prompt.value == ""
        release.set()
        await app.ready.wait()
        await app.workers.wait_for_complete()  # the questions that waited, in workers
        for _ in range(500):  # until both answers' messages are through (no clock involved)
            answers = [m.answer for m in posted if isinstance(m, AnswerShown)]
            if len(answers) == 2:
                break
            await pilot.pause()
        assert [a.values.get("n") for a in answers] == [32, 48]  # published 32/122, 48/122
        assert "Clopper" in str(status.visual)  # the settings, once loaded
        assert loads and loads[0] != threading.main_thread().name
        # The welcome arrives with the study, above the questions asked meanwhile.
        assert isinstance(app.transcript.children[0], Welcome)


@pytest.mark.asyncio
async def test_enter_typed_before_the_app_took_the_terminal_still_asks(engine: Engine) -> None:
    """Typed at launch, Enter reaches the app as a newline (ctrl+j): it asks all the same."""
    app = make_app(engine, history=History(None), first_run_hint=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"ORR", "ctrl+j")
        await pilot.pause()
        assert [t[0] for t in app.turns] == ["ORR"]


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
    app = make_app(engine, history=History(None))
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
    app = make_app(engine, history=History(None))
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
    app = make_app(engine, history=History(None), first_run_hint=False)
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
    app = make_app(engine, history=History(None), first_run_hint=False)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await pilot.press(*"ORR", "enter", *"CBR", "enter", *"cbr")
        await pilot.pause()
        assert [m.question for m in posted if isinstance(m, AnswerShown)] == ["ORR", "CBR"]
        assert app.query_one(Input).value == "cbr"


# ---------------------------------------------------------------------------- small terminals


@pytest.mark.slow
@pytest.mark.asyncio
async def test_tiny_terminal_with_a_chart_then_back(engine: Engine) -> None:
    app = make_app(engine, history=History(None))
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
    app = make_app(engine, history=History(None))
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
    app = make_app(engine, history=History(None))
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
    app = make_app(engine, history=History(None))
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


# ---------------------------------------------------------------------------- crashes (issue 15)


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("how", ["setting", "question"])
async def test_a_level_near_a_listed_one_opens_the_settings(engine: Engine, how: str) -> None:
    """95.01 % and 95 % once made the same widget id ('level-950'): F3 crashed the app."""
    app = make_app(engine, history=History(None))
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
    app = make_app(engine, history=History(None))
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await submit(pilot, "ORR")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running
    files = list(home.glob("stormchat-conversation-*.md"))
    assert len(files) == 1 and "26.2" in files[0].read_text(encoding="utf-8")
    assert any(str(files[0]) in message for message, _ in notes(posted))


@pytest.mark.asyncio
async def test_a_failing_question_is_an_error_not_unknown(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(engine, history=History(None))
    async with app.run_test(size=SIZE) as pilot:

        def broken(question: str) -> None:
            raise RuntimeError("boom")

        monkeypatch.setattr(app.conversation, "ask", broken)
        await submit(pilot, "ORR")
        view = app.query(AnswerView).last()
        assert view.answer.status == "error" and view.has_class("-error")
        assert "internal error" in view.answer.text and app.is_running
