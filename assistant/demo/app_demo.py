"""Presenter mode: the chat app driven by a demo script.

Each step's question is typed into the input at a readable pace and answered in the
transcript, with the step's caption in a bar above it. The presenter moves with the keys
(space or → next, ← back, p pause, / to type a question of their own, q quit), or lets
``--auto SECONDS`` advance by itself.

Going back scrolls to a step already shown and hides the later ones, instead of asking it
again: asking again would duplicate it in the transcript and change the conversation's context
for the next steps. Going forward over a hidden step replays it (its question typed again, its
answer shown again); only a step never shown is asked.

With ``export``, the Markdown handout is written when the demo starts and again after every
answer: the steps actually shown and the presenter's own questions, so it exists whatever way
the presentation ends.

The presenter keys are priority bindings, so they work whatever has focus, except while the
presenter is typing in the input (then they type) or a dialog (F1, F3) is open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import WorkType

from assistant.answer import Answer
from assistant.app.app import StormChatApp
from assistant.app.prompt import PromptInput
from assistant.app.text import one_line
from assistant.app.transcript import AnswerView
from assistant.demo.plain import Result, write_export
from assistant.demo.script import Script, Step

if TYPE_CHECKING:
    from assistant.app.history import History
    from assistant.engine import Engine

DEFAULT_TYPING_DELAY = 0.04
# Below this width the caption bar's state is one word.
NARROW_CAPTION_WIDTH = 70
# Actions that belong to the presenter: off while the presenter types or a dialog is open.
_PRESENTER_ACTIONS = {"next_step", "previous_step", "pause", "ask_own", "leave"}


class StepShown(Message):
    """A script step's answer is on screen (posted after ``AnswerShown``)."""

    def __init__(self, index: int, step: Step, answer: Answer) -> None:
        super().__init__()
        self.index = index
        self.step = step
        self.answer = answer


class CaptionBar(Horizontal):
    """The presenter's line above the transcript: where we are, and the keys."""

    def compose(self) -> ComposeResult:
        # markup=False: captions come from a team's script file.
        yield Static("", id="caption", markup=False)
        yield Static("", id="state", markup=False)

    def show(self, caption: str, state: str) -> None:
        self.query_one("#caption", Static).update(one_line(caption))
        self.query_one("#state", Static).update(state)


class DemoApp(StormChatApp, inherit_bindings=False):
    """``StormChatApp`` plus a script, a caption bar and the presenter keys."""

    SUB_TITLE = "demo · STORM Part 2"  # the shipped store's; set from the study in __init__
    AUTO_FOCUS = None  # the keys drive the script; the input is one key (/) away
    # The presenter's keys first, so the footer shows them whole at 80 columns; then the
    # chat app's and Textual's own (not inherited: inherited ones would come first).
    BINDINGS = [
        Binding("space", "next_step", "Next", priority=True),
        Binding("right", "next_step", "Next", show=False, priority=True),
        Binding("left", "previous_step", "Back", priority=True),
        Binding("p", "pause", "Pause", priority=True),
        Binding("slash", "ask_own", "Ask", priority=True),
        Binding("q", "leave", "Quit", priority=True),
        Binding("escape", "leave_input", "Back to the demo", priority=True),
        *StormChatApp.BINDINGS,
        *App.BINDINGS,
    ]

    def __init__(
        self,
        engine: Engine | Callable[[], Engine],
        script: Script,
        *,
        auto: float | None = None,
        typing_delay: float = DEFAULT_TYPING_DELAY,
        history: History | None = None,
        cursor_blink: bool = True,
        export: Path | None = None,
        force: bool = False,
    ) -> None:
        super().__init__(engine, first_run_hint=False, history=history, cursor_blink=cursor_blink)
        self.sub_title = f"demo · {self.study.name}"
        self.script = script
        self.export = export
        self._export_force = force
        # What the audience saw, in order: each step once, and the presenter's own questions.
        self.shown: list[Result] = []
        self._playing: int | None = None
        self.auto = auto
        self.typing_delay = typing_delay
        self.paused = False
        # The step in view: -1 before the first, len(script) after the last.
        self.position = -1
        # Each step's latest answer, and the question bubble in the transcript to scroll back
        # to (gone after ctrl+l clears the transcript: such a step is asked again).
        self.step_answers: dict[int, Answer] = {}
        self._step_views: dict[int, Widget] = {}
        self._busy = False
        self._hurry = False
        self._timer: Timer | None = None

    # ----------------------------------------------------------------- layout
    async def on_mount(self) -> None:
        await self.query_one("#chat").mount(CaptionBar(id="caption-bar"), before=self.transcript)
        self._show_caption()
        # Written at the start (once the engine has the settings), so the handout exists
        # however the presentation ends.
        export: WorkType[None] = self._export_when_ready
        self.run_worker(export, group="export")
        self._schedule()

    async def _export_when_ready(self) -> None:
        await self.ready.wait()
        self._write_export()

    @property
    def caption_bar(self) -> CaptionBar:
        return self.query_one(CaptionBar)

    def caption_text(self) -> str:
        """What the caption bar says about the position (also used by the tests)."""
        total = len(self.script)
        if self.position < 0:
            return f"{self.script.title or 'Demo'} · {total} steps · space to begin"
        if self.position >= total:
            return f"End of the walkthrough ({total} steps) · ← to look back, q to quit"
        return self.script.heading(self.position)

    def _state_text(self, width: int | None = None) -> str:
        # The keys are in the footer; the bar only says whether it advances by itself. Short
        # on a narrow screen, so the caption keeps room enough to wrap at spaces rather than
        # fold its longer words ("triple-class-refractory") mid-word.
        if self.auto is None:
            return ""
        if (self.size.width if width is None else width) < NARROW_CAPTION_WIDTH:
            return "paused" if self.paused else f"auto {self.auto:g}\u00a0s"
        return "paused (p resumes)" if self.paused else f"auto every {self.auto:g}\u00a0s"

    def on_resize(self, event: events.Resize) -> None:
        # event.size: App updates self.size only after its handlers ran.
        if self.query(CaptionBar):
            self.caption_bar.show(self.caption_text(), self._state_text(event.size.width))

    def _show_caption(self) -> None:
        self.caption_bar.show(self.caption_text(), self._state_text())

    # ----------------------------------------------------------------- keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        main_screen = len(self.screen_stack) == 1
        # isinstance, not the prompt property: the footer asks before the input exists.
        typing = isinstance(self.focused, PromptInput)
        if action in _PRESENTER_ACTIONS:
            return main_screen and not typing
        if action == "leave_input":
            return main_screen and typing
        return super().check_action(action, parameters)

    def action_next_step(self) -> None:
        if self._busy:
            # Impatient presenter: finish typing the current question at once.
            self._hurry = True
            return
        if self.position + 1 < len(self.script):
            self._show_step(self.position + 1)
        elif self.position < len(self.script):
            self.position = len(self.script)
            self._cancel_timer()
            self._show_caption()

    def action_previous_step(self) -> None:
        if self._busy:
            return
        if self.position <= 0:
            self.notify("This is the first step.", timeout=2)
            return
        self._show_step(min(self.position, len(self.script)) - 1)

    def action_pause(self) -> None:
        if self.auto is None:
            self.notify(
                "Auto-advance is off; start the demo with --auto SECONDS to use it.", timeout=3
            )
            return
        self.paused = not self.paused
        self._show_caption()
        if self.paused:
            self._cancel_timer()
        else:
            self._schedule()

    def action_ask_own(self) -> None:
        self._cancel_timer()  # no step should start under the presenter's typing
        self.prompt.focus()

    def action_leave_input(self) -> None:
        self.prompt.clear()
        self.set_focus(None)
        self._schedule()

    @on(PromptInput.Submitted)
    def _back_to_presenting(self) -> None:
        # The base app's handler asks the question; here focus goes back to the presenter.
        self.set_focus(None)
        self._schedule()

    def action_leave(self) -> None:
        self.exit(0)

    async def action_clear(self) -> None:
        await super().action_clear()
        self._step_views.clear()

    # ----------------------------------------------------------------- steps
    def _show_step(self, index: int) -> None:
        """Bring step ``index`` into view: scroll to it when it is in the transcript (hiding
        the steps after it), replay it when it was hidden, else type and ask it."""
        view = self._step_views.get(index)
        if view is None or not view.is_attached or not view.display:
            # Busy from now, not from when the worker starts: a second key press in between
            # must not start a second step.
            self._busy, self._hurry = True, False
            # A callable, not a coroutine: q pressed before the worker starts would leave a
            # coroutine never awaited ("RuntimeWarning: coroutine 'DemoApp._play' was never
            # awaited" printed after the app closed).
            replay = view is not None and view.is_attached
            # Typed as Textual's WorkType: from a bare partial mypy cannot infer its result.
            play: WorkType[None] = partial(self._replay if replay else self._play, index)
            self.run_worker(play, group="demo")
            return
        self.position = index
        self._hide_after(index)
        self._show_caption()
        self._scroll_to(view)
        self._schedule()

    def _step_group(self, index: int) -> list[Widget]:
        """Step ``index``'s widgets in the transcript: its question and answer, and whatever
        the presenter asked after it, up to the next step's question."""
        children = list(self.transcript.children)
        start = children.index(self._step_views[index])
        later = [
            children.index(view)
            for other, view in self._step_views.items()
            if other > index and view.is_attached
        ]
        return children[start : min(later, default=len(children))]

    def _hide_after(self, index: int) -> None:
        """Going back to step ``index``: the later steps leave the screen until replayed."""
        for other, view in self._step_views.items():
            if other > index and view.is_attached and view.display:
                for widget in self._step_group(other):
                    widget.display = False

    async def _replay(self, index: int) -> None:
        """Show a hidden step again: its question typed as before, then its answer (not
        asked again: the conversation's context stays as the audience saw it built)."""
        self._cancel_timer()
        self.position = index
        self._show_caption()
        try:
            await self._type(self.script.steps[index].question)
            for widget in self._step_group(index):
                widget.display = True
            view = self._step_views[index]
            self.call_after_refresh(self._scroll_to, view)
        finally:
            self._busy = False
        self._schedule()

    def _scroll_to(self, view: Widget) -> None:
        # The question at the top, so as much of its answer shows as fits (a chart is taller
        # than a short screen); a step that fits whole just stays at the bottom.
        self.transcript.scroll_to_widget(view, top=True, animate=False)

    async def _play(self, index: int) -> None:
        """Type step ``index``'s question, ask it, and record where it is shown."""
        step = self.script.steps[index]
        self._cancel_timer()
        self.position = index
        self._show_caption()
        if self.focused is self.prompt:
            self.set_focus(None)  # Enter must not submit a half-typed question
        try:
            await self._type(step.question)
            self._playing = index
            try:
                answer = await self.ask(step.question, remember=False)
            finally:
                self._playing = None
            self.step_answers[index] = answer
            view = self._question_view_of(answer)
            self._step_views[index] = view
            # After the next refresh, when the answer (and its chart) has its height.
            self.call_after_refresh(self._scroll_to, view)
        finally:
            self._busy = False
        self.post_message(StepShown(index, step, answer))
        self._schedule()

    async def _type(self, question: str) -> None:
        prompt = self.prompt
        prompt.clear()
        if self.typing_delay > 0:
            for count, char in enumerate(question, start=1):
                if self._hurry:
                    prompt.value = question
                    break
                prompt.insert_text_at_cursor(char)
                if count < len(question):
                    await asyncio.sleep(self.typing_delay)
            # A beat with the whole question visible before it turns into an answer.
            await asyncio.sleep(0 if self._hurry else self.typing_delay * 5)
        prompt.clear()

    async def ask(self, question: str, *, remember: bool = True) -> Answer:
        answer = await super().ask(question, remember=remember)
        index = self._playing
        step = self.script.steps[index] if index is not None else Step(question)
        self.shown.append(Result(index, step, answer))
        self._write_export()
        return answer

    def _write_export(self) -> None:
        """The handout so far; a failure is said once and the demo goes on."""
        if self.export is None:
            return
        try:
            write_export(
                self.export,
                self.script,
                self.shown,
                self.settings,
                self._export_force,
                self.study.summary,
            )
        except OSError as exc:
            self.notify(f"Could not write {self.export}: {exc}", severity="error", markup=False)
            self.export = None
            return
        self._export_force = True  # from now on the file is the demo's own

    def _question_view_of(self, answer: Answer) -> Widget:
        """The question bubble just above ``answer``'s view: where going back scrolls to."""
        children = list(self.transcript.children)
        for position, child in enumerate(children):
            if isinstance(child, AnswerView) and child.answer is answer:
                return children[position - 1] if position > 0 else child
        return children[-1]

    # ----------------------------------------------------------------- auto-advance
    def _schedule(self) -> None:
        """(Re)start the auto-advance countdown from now, when it applies."""
        self._cancel_timer()
        if self.auto is None or self.paused or self._busy:
            return
        if self.position >= len(self.script) or self.focused is self.prompt:
            return
        self._timer = self.set_timer(self.auto, self._auto_next)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _auto_next(self) -> None:
        self._timer = None
        if not self.paused and not self._busy and self.focused is not self.prompt:
            self.action_next_step()


def run_demo_app(
    engine: Engine | Callable[[], Engine],
    script: Script,
    *,
    auto: float | None = None,
    typing_delay: float = DEFAULT_TYPING_DELAY,
    export: Path | None = None,
    force: bool = False,
) -> int:
    """Run the presenter until q; the exit code for the CLI."""
    from assistant.app import run_until_exit

    return run_until_exit(
        DemoApp(engine, script, auto=auto, typing_delay=typing_delay, export=export, force=force)
    )
