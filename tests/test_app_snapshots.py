"""SVG snapshots of the chat app (pytest-textual-snapshot). Fixed terminal sizes, cursor blink
off, no history file, no welcome panel unless it is the subject: stable across runs.

Update the baselines after an intended change with ``pytest --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pytest_textual_snapshot")

from textual.pilot import Pilot  # noqa: E402

from assistant.app.app import StormChatApp  # noqa: E402
from assistant.app.history import DATA_DIR_ENV, History  # noqa: E402
from assistant.engine import Engine  # noqa: E402


@pytest.fixture(autouse=True)
def no_real_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))


def make_app(engine: Engine, *, welcome: bool = False, theme: str | None = None) -> StormChatApp:
    app = StormChatApp(engine, first_run_hint=welcome, history=History(None), cursor_blink=False)
    if theme:
        app.theme = theme
    return app


def asking(*questions: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, StormChatApp)
        for question in questions:
            await app.ask(question, remember=False)
        await pilot.pause()

    return run_before


def test_main_screen_with_an_answer_and_the_card(snap_compare: Any, engine: Engine) -> None:
    assert snap_compare(
        make_app(engine),
        terminal_size=(120, 32),
        run_before=asking("What was the overall response rate?"),
    )


def test_welcome_at_80x24(snap_compare: Any, engine: Engine) -> None:
    assert snap_compare(make_app(engine, welcome=True), terminal_size=(80, 24))


@pytest.mark.slow
def test_help_screen(snap_compare: Any, engine: Engine) -> None:
    assert snap_compare(make_app(engine), terminal_size=(100, 30), press=["f1"])


def test_km_chart(snap_compare: Any, engine: Engine) -> None:
    assert snap_compare(
        make_app(engine),
        terminal_size=(100, 34),
        run_before=asking("What was the median progression-free survival?"),
    )


@pytest.mark.slow
def test_bar_chart_and_table_light_theme(snap_compare: Any, engine: Engine) -> None:
    assert snap_compare(
        make_app(engine, theme="textual-light"),
        terminal_size=(100, 40),
        run_before=asking("Show the best response breakdown"),
    )


def saved_conversations(engine: Engine, directory: Path) -> None:
    """Three conversations with fixed dates, as the app saves them."""
    from datetime import datetime

    from assistant.app.conversations import ConversationStore

    store = ConversationStore(directory / "conversations")
    for started, questions in [
        (datetime(2026, 3, 2, 9, 15), ["What was the overall response rate?"]),
        (
            datetime(2026, 3, 9, 14, 40),
            ["How many had anaemia?", "and grade 3 or higher?", "How many had thrombocytopenia?"],
        ),
        (
            datetime(2026, 3, 16, 11, 5),
            [
                "What was the median progression-free survival in the penta-refractory "
                "patients compared with the whole modified intention-to-treat population?",
                "What was the median overall survival?",
            ],
        ),
    ]:
        saved = store.new(started)
        conversation = engine.conversation()
        for question in questions:
            before = conversation.settings
            assert before is not None
            assert saved.add(question, conversation.ask(question), before, started)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_history_screen(
    snap_compare: Any, engine: Engine, tmp_path: Path, size: tuple[int, int]
) -> None:
    saved_conversations(engine, tmp_path)
    assert snap_compare(make_app(engine), terminal_size=size, press=["ctrl+o"])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_km_chart_with_numbers_at_risk(
    snap_compare: Any, engine: Engine, size: tuple[int, int]
) -> None:
    """Issue 13.5: censor marks, the numbers at risk under the time axis, the legend below."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await asking("What was the median overall survival?")(pilot)
        from assistant.app.charts import ChartView

        app = pilot.app
        assert isinstance(app, StormChatApp)
        app.transcript.scroll_to_widget(app.query_one(ChartView), animate=False)
        await pilot.pause()

    assert snap_compare(make_app(engine), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_demo_footer(snap_compare: Any, engine: Engine, size: tuple[int, int]) -> None:
    """Issue 13.7: the presenter's keys first in the footer, after the first step."""
    from assistant.demo import BUILTIN
    from assistant.demo.app_demo import demo_app

    app = demo_app(engine, BUILTIN, typing_delay=0, history=History(None), cursor_blink=False)

    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.press("space")
        await app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize(
    "question",
    [
        # a compound answer: one table, each part with its own n/N, interval and source
        "ORR and CBR with 95% CIs, and the median DOR",
        # the AE table: term × grade band, the published figure beside each computed one
        "show me the adverse event table",
    ],
    ids=["compound", "ae_table"],
)
def test_tables(snap_compare: Any, engine: Engine, size: tuple[int, int], question: str) -> None:
    """Issue 13's done-when: a compound answer's table and the AE table at 80×24 and 120×40,
    scrolled to the top of the answer."""
    from assistant.app.transcript import AnswerView

    async def run_before(pilot: Pilot[Any]) -> None:
        await asking(question)(pilot)
        app = pilot.app
        assert isinstance(app, StormChatApp)
        answer = app.query(AnswerView).last()
        app.transcript.scroll_to_widget(answer, animate=False, top=True)
        await pilot.pause()

    assert snap_compare(make_app(engine), terminal_size=size, run_before=run_before)
