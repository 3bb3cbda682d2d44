"""The presenter mode driven with Textual's Pilot: the script typed and answered step by step,
the keys (space/→ next, ← back, p pause, / ask, q quit) and the caption bar; and the demo
interrupted, hurried and resized (issue 7). Typing is instant (delay 0) unless a test is about
a step being typed, and steps advance by key presses, so nothing here depends on timing."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.message import Message  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Static  # noqa: E402

from assistant.app import AnswerShown  # noqa: E402
from assistant.app.app import StormChatApp  # noqa: E402
from assistant.app.history import History  # noqa: E402
from assistant.app.transcript import AnswerView, QuestionView  # noqa: E402
from assistant.demo import BUILTIN, Script  # noqa: E402
from assistant.demo.app_demo import (  # noqa: E402
    CaptionBar,
    DemoScreen,
    StepShown,
    demo_app,
    presenter,
)
from assistant.demo.script import Step, parse_text  # noqa: E402
from assistant.engine import Engine  # noqa: E402

SIZE = (110, 36)
SMALL = (40, 12)


@pytest.fixture(autouse=True)
def data_dir(app_home: Path) -> Path:
    return app_home


def make_app(
    engine: Engine, script: Script = BUILTIN, *, typing_delay: float = 0, **kwargs: object
) -> StormChatApp:
    """The chat app in presenter mode; ``demo(app)`` is its demo screen."""
    return demo_app(
        engine,
        script,
        typing_delay=typing_delay,
        history=History(None),  # type: ignore[arg-type]
        cursor_blink=False,
        **kwargs,  # type: ignore[arg-type]
    )


def demo(app: StormChatApp) -> DemoScreen:
    return presenter(app)


async def press(pilot, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Press keys, then wait until the step they started is on screen."""
    await pilot.press(*keys)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def caption(app: StormChatApp) -> str:
    widget = demo(app).caption_bar.query_one("#caption", Static)
    return str(getattr(widget.visual, "plain", widget.visual))


def steps_shown(posted: list[Message]) -> list[StepShown]:
    return [m for m in posted if isinstance(m, StepShown)]


@pytest.mark.slow
@pytest.mark.asyncio
async def test_builtin_script_runs_end_to_end_with_space(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_app(engine)
    total = len(BUILTIN)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        assert f"{total} steps" in caption(app) and app.focused is None
        for index, step in enumerate(BUILTIN):
            await press(pilot, "space" if index % 2 == 0 else "right")
            assert caption(app) == f"Step {index + 1}/{total} — {step.caption}"
        shown = steps_shown(posted)
        assert [m.index for m in shown] == list(range(total))
        assert [m.answer.status for m in shown] == ["answered"] * total
        assert [m.answer.question for m in shown] == [s.question for s in BUILTIN]
        # Each step is also an ordinary answer of the app, in the transcript with its chart.
        assert len([m for m in posted if isinstance(m, AnswerShown)]) == total
        assert len(app.query(AnswerView)) == total
        assert [v.answer.status for v in app.query(AnswerView)] == ["answered"] * total
        assert app.history.entries == []  # the script does not fill the input history
        await press(pilot, "space")
        assert caption(app).startswith("End of the walkthrough")
        await press(pilot, "space")  # past the end: nothing more is asked
        assert len(app.query(AnswerView)) == total


@pytest.mark.slow
@pytest.mark.asyncio
async def test_left_goes_back_without_asking_again(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await press(pilot, "space", "space", "space")
        assert demo(app).position == 2
        await press(pilot, "left")
        assert demo(app).position == 1 and caption(app).startswith(f"Step 2/{len(BUILTIN)}")
        await press(pilot, "left", "left", "left")  # stops at the first step
        assert demo(app).position == 0
        assert len(app.query(QuestionView)) == 3 and len(steps_shown(posted)) == 3
        # Forward over steps already shown scrolls to them; the next new one is asked.
        await press(pilot, "right", "right")
        assert demo(app).position == 2 and len(steps_shown(posted)) == 3
        await press(pilot, "space")
        assert demo(app).position == 3 and [m.index for m in steps_shown(posted)] == [0, 1, 2, 3]


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_cleared_step_is_asked_again(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await press(pilot, "space", "space")
        await press(pilot, "ctrl+l")
        assert len(app.query(AnswerView)) == 0
        await press(pilot, "left")
        assert demo(app).position == 0 and [m.index for m in steps_shown(posted)] == [0, 1, 0]
        assert len(app.query(AnswerView)) == 1


@pytest.mark.asyncio
async def test_p_pauses_and_resumes_auto_advance(engine: Engine) -> None:
    # A long interval: the test presses and checks state; it never waits for the timer.
    app = make_app(engine, auto=600.0)
    async with app.run_test(size=SIZE) as pilot:
        state = demo(app).caption_bar.query_one("#state", Static)
        assert "auto every 600\u00a0s" in str(state.visual)
        assert demo(app)._timer is not None
        await press(pilot, "p")
        assert demo(app).paused and demo(app)._timer is None and "paused" in str(state.visual)
        demo(app)._auto_next()  # a timer that fired anyway must not advance a paused demo
        await app.workers.wait_for_complete()
        assert demo(app).position == -1
        await press(pilot, "p")
        assert not demo(app).paused and demo(app)._timer is not None
        demo(app)._auto_next()  # what the timer does when it fires
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert demo(app).position == 0 and len(app.query(AnswerView)) == 1
        assert demo(app)._timer is not None  # counting down to the next step


@pytest.mark.asyncio
async def test_p_without_auto_says_how_to_get_it(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "p")
        assert not demo(app).paused
        assert any("--auto" in str(n.message) for n in app._notifications)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_presenter_can_type_a_question_between_steps(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_app(engine)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await press(pilot, "space")
        await press(pilot, "slash")
        assert app.focused is app.prompt
        # While typing, space, q and p are text, not presenter keys.
        await press(pilot, *"q p", "backspace", "backspace", "backspace")
        assert app.prompt.value == "" and demo(app).position == 0 and app.is_running
        await press(pilot, *"CBR", "enter")
        assert app.focused is None  # back to the presenter keys
        answers = [m for m in posted if isinstance(m, AnswerShown)]
        assert answers[-1].question == "CBR" and answers[-1].answer.values["n"] == 48
        assert len(steps_shown(posted)) == 1
        await press(pilot, "space")
        assert demo(app).position == 1 and len(steps_shown(posted)) == 2
        await press(pilot, "slash", *"xyz", "escape")
        assert app.focused is None and app.prompt.value == ""


@pytest.mark.slow
@pytest.mark.asyncio
async def test_keys_go_to_dialogs_while_one_is_open(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "f1")
        assert len(app.screen_stack) == 2
        await press(pilot, "space", "q")
        assert demo(app).position == -1 and app.is_running
        await press(pilot, "escape")
        assert len(app.screen_stack) == 1


@pytest.mark.asyncio
async def test_q_quits_with_exit_code_0(engine: Engine) -> None:
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "space")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0


@pytest.mark.slow
@pytest.mark.asyncio
async def test_captions_from_a_script_are_shown_verbatim(engine: Engine) -> None:
    script = parse_text("ORR [95% CI] [/b] [bold]x :: What was the ORR?\n")
    app = make_app(engine, script)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "space")
        assert caption(app) == "Step 1/1 — ORR [95% CI] [/b] [bold]x"
        assert isinstance(demo(app).caption_bar, CaptionBar)


@pytest.mark.slow
@pytest.mark.asyncio
@pytest.mark.parametrize("width", [44, 60, 80, 100])
async def test_paused_caption_wraps_at_spaces(engine: Engine, width: int) -> None:
    """Issue 13.7: with the state beside it, the caption was folded mid-word (and at 100
    columns ran into "paused" with no space). The built-in captions, each over a short answer:
    the caption bar is laid out apart from the transcript, and fourteen real answers at four
    widths cost most of a minute of the suite."""
    captions = Script(
        tuple(Step("thanks", step.caption) for step in BUILTIN), BUILTIN.name, BUILTIN.title
    )
    assert [step.caption for step in captions] == [step.caption for step in BUILTIN]
    app = make_app(engine, captions, auto=600.0)
    async with app.run_test(size=(width, 30)) as pilot:
        await press(pilot, "p")
        for _ in range(len(BUILTIN)):
            await press(pilot, "space")
            widget = demo(app).caption_bar.query_one("#caption", Static)
            words = set(caption(app).split())
            lines = [strip.text for strip in widget.render_lines(widget.size.region)]
            shown = " ".join(lines).split()
            assert set(shown) <= words, (width, lines)
            state = demo(app).caption_bar.query_one("#state", Static)
            assert "paused" in str(state.visual)
            assert state.region.x > widget.region.right  # a gap between the two


# --------------------------------------------------------------------- issue 13.7, the rest

DEMO_KEYS = [("space", "Next"), ("←", "Back"), ("p", "Pause"), ("/", "Ask"), ("q", "Quit")]


@pytest.mark.asyncio
@pytest.mark.parametrize("width", [80, 100])
async def test_the_presenter_keys_come_first_in_the_footer(engine: Engine, width: int) -> None:
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    app = make_app(engine)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        keys = [k for k in app.query_one(Footer).query(FooterKey) if k.description != "palette"]
        shown = [(k.key_display, k.description) for k in keys]
        assert shown[: len(DEMO_KEYS)] == DEMO_KEYS
        # All five whole on screen, left to right.
        regions = [k.region for k in keys[: len(DEMO_KEYS)]]
        assert [r.x for r in regions] == sorted(r.x for r in regions)
        assert all(r.right <= width and r.width > 0 for r in regions)
        # The chat app's keys are still there, after them.
        assert ("f1", "Help") in shown[len(DEMO_KEYS) :]


def visible_questions(app: StormChatApp) -> list[str]:
    return [str(getattr(v.visual, "plain", v.visual)) for v in app.query(QuestionView) if v.display]


@pytest.mark.asyncio
async def test_left_hides_the_later_steps_until_they_are_replayed(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_app(engine)
    questions = [step.question for step in BUILTIN]
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await press(pilot, "space", "space", "space")
        assert visible_questions(app) == questions[:3]
        await press(pilot, "left", "left")
        assert demo(app).position == 0 and visible_questions(app) == questions[:1]
        hidden = [v for v in app.query(AnswerView) if not v.display]
        assert len(hidden) == 2  # their answers are hidden too
        await press(pilot, "space")  # replayed: shown again, not asked again
        assert demo(app).position == 1 and visible_questions(app) == questions[:2]
        assert len(app.query(AnswerView)) == 3 and len(steps_shown(posted)) == 3
        await press(pilot, "right", "space")  # step 3 replayed, step 4 asked
        assert visible_questions(app) == questions[:4]
        assert [m.index for m in steps_shown(posted)] == [0, 1, 2, 3]


@pytest.mark.asyncio
async def test_export_holds_the_steps_shown_and_the_presenters_questions(
    engine: Engine, tmp_path: Path
) -> None:
    target = tmp_path / "handout.md"
    app = make_app(engine, export=target)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        document = target.read_text(encoding="utf-8")
        assert f"0 of {len(BUILTIN)} steps shown" in document  # written at the start
        await press(pilot, "space", "space")
        await press(pilot, "slash", *"CBR", "enter")
        await press(pilot, "left", "space")  # back and a replay: still shown once
        await pilot.press("q")
    document = target.read_text(encoding="utf-8")
    headings = [line for line in document.splitlines() if line.startswith("## ")]
    assert headings == [
        f"## {BUILTIN.heading(0)}",
        f"## {BUILTIN.heading(1)}",
        "## The presenter's question",
    ]
    assert "**Q:** CBR" in document and "48" in document  # CBR: 48/122, published
    assert f"2 of {len(BUILTIN)} steps shown, and 1 question from the presenter" in document


@pytest.mark.asyncio
async def test_every_steps_chart_fits_at_80_by_24(engine: Engine) -> None:
    from assistant.app.charts import ChartView

    app = make_app(engine)
    async with app.run_test(size=(80, 24)) as pilot:
        charts = 0
        for _ in BUILTIN:
            await press(pilot, "space")
            await pilot.pause()
            view = app.query(AnswerView).last()
            for chart in view.query(ChartView):
                charts += 1
                assert chart.size.height <= app.transcript.scrollable_content_region.height
                # And scrolled to, the whole chart is on screen.
                app.transcript.scroll_to_widget(chart, animate=False)
                await pilot.pause()
                region = chart.region
                visible = app.transcript.scrollable_content_region
                assert visible.y <= region.y and region.bottom <= visible.bottom
        assert charts >= 3  # the walkthrough shows several charts


# ---------------------------------------------------------- interrupted, hurried, resized (issue 7)


async def wait_until_typing(pilot: Pilot[int], app: StormChatApp) -> None:
    """Pause until the presenter has typed part of the question (a bounded number of
    pauses; no clock is read)."""
    for _ in range(3000):  # generous: a loaded machine may take many pauses to type one key
        if app.prompt.value:
            return
        await pilot.pause(0.01)
    raise AssertionError("the demo never started typing")


@pytest.mark.asyncio
async def test_demo_q_quits_cleanly_mid_typing(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_app(engine, typing_delay=0.05)
    async with app.run_test(size=SIZE, message_hook=posted.append) as pilot:
        await pilot.press("space")
        await wait_until_typing(pilot, app)
        assert demo(app)._busy and not app.query(AnswerView)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_value == 0
    assert not [m for m in posted if isinstance(m, StepShown)]


@pytest.mark.slow
@pytest.mark.asyncio
async def test_demo_thirty_quick_spaces_past_the_end(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_app(engine, typing_delay=0.01)
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
        assert demo(app).position == total and len(app.query(AnswerView)) == total
        assert app.is_running
        await pilot.press("q")
    assert app.return_value == 0


@pytest.mark.slow
@pytest.mark.asyncio
async def test_demo_resized_to_40_by_12_during_the_demo(engine: Engine) -> None:
    posted: list[Message] = []
    app = make_app(engine, typing_delay=0.02)
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
        assert len(app.query(AnswerView)) == total and demo(app).position == total - 3
        await pilot.press("q")
    assert app.return_value == 0


@pytest.mark.slow
@pytest.mark.asyncio
async def test_demo_quit_before_the_step_starts_leaves_no_coroutine(engine: Engine) -> None:
    """Issue 13.7: space then q at once printed "coroutine 'DemoApp._play' was never
    awaited" after the app closed."""
    import gc
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = make_app(engine, typing_delay=0.05)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            demo(app).action_next_step()
            demo(app).action_leave()  # in the same tick: the worker has not started
            await pilot.pause()
        del app, pilot
        gc.collect()
    assert not [w for w in caught if "never awaited" in str(w.message)]
