"""Presenter mode: the chat app with a demo script, as a screen of the app.

``demo_app`` makes the chat app with ``DemoScreen`` as its main screen (``ChatScreen``'s
hook): the app composes the chat into it as ever, with the caption bar above the transcript,
and the screen adds the presenter's keys. It drives the app through its public methods (``ask``,
``answer_shown_signal``, ``settings``) and the transcript through its own (``question_of``,
``section``, ``show``, ``scroll_to_message``); the app knows nothing of scripts.

Each step's question is typed into the input at a readable pace and answered in the
transcript, with the step's caption in a bar above it. The presenter moves with the keys
(space or → next, ← back, p pause, / to type a question of their own, q quit), or lets
``--auto SECONDS`` advance by itself.

Going back scrolls to a step already shown and hides the later ones, instead of asking it
again: asking again would duplicate it in the transcript and change the conversation's context
for the next steps. Going forward over a hidden step replays it (its question typed again, its
answer shown again); only a step never shown (or cleared by ctrl+l) is asked.

With ``export``, the Markdown handout is written when the demo starts and again after every
answer: the steps actually shown and the presenter's own questions, so it exists whatever way
the presentation ends.

The presenter keys are priority bindings of the screen, so they work whatever has focus,
except while the presenter is typing in the input (then they type) or a dialog (F1, F3) is
open (a dialog is a screen of its own).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import WorkType

from assistant.answer import Answer
from assistant.app.app import AnswerShown, StormChatApp
from assistant.app.chat_screen import ChatScreen
from assistant.app.prompt import PromptInput
from assistant.app.text import one_line
from assistant.app.transcript import Transcript
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
    """A script step's answer is on screen (posted to the app after ``AnswerShown``)."""

    def __init__(self, index: int, step: Step, answer: Answer) -> None:
        super().__init__()
        self.index = index
        self.step = step
        self.answer = answer


class CaptionBar(Horizontal):
    """The presenter's line above the transcript: where we are, and whether it advances."""

    def __init__(self, caption: str, state: str) -> None:
        super().__init__(id="caption-bar")
        self._first = (caption, state)  # composed with the app, before the screen is mounted

    def compose(self) -> ComposeResult:
        caption, state = self._first
        # markup=False: captions come from a team's script file.
        yield Static(one_line(caption), id="caption", markup=False)
        yield Static(state, id="state", markup=False)

    def show(self, caption: str, state: str) -> None:
        self.query_one("#caption", Static).update(one_line(caption))
        self.query_one("#state", Static).update(state)


class DemoScreen(ChatScreen):
    """The chat app's main screen in presenter mode: a script, a caption bar, the keys."""

    # Not the app's "#prompt": the keys drive the script; the input is one key (/) away.
    AUTO_FOCUS = ""
    # The presenter's keys come first in the footer (the screen's bindings before the app's),
    # so it shows them whole at 80 columns.
    BINDINGS = [
        Binding("space", "next_step", "Next", priority=True),
        Binding("right", "next_step", "Next", show=False, priority=True),
        Binding("left", "previous_step", "Back", priority=True),
        Binding("p", "pause", "Pause", priority=True),
        Binding("slash", "ask_own", "Ask", priority=True),
        Binding("q", "leave", "Quit", priority=True),
        Binding("escape", "leave_input", "Back to the demo", priority=True),
    ]

    def __init__(
        self,
        script: Script,
        *,
        auto: float | None = None,
        typing_delay: float = DEFAULT_TYPING_DELAY,
        export: Path | None = None,
        force: bool = False,
    ) -> None:
        super().__init__()
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

    # ----------------------------------------------------------------- the app
    @property
    def chat(self) -> StormChatApp:
        app = self.app
        assert isinstance(app, StormChatApp)
        return app

    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)  # this screen's, whatever screen is on top

    @property
    def prompt(self) -> PromptInput:
        return self.query_one(PromptInput)

    # ----------------------------------------------------------------- layout
    def above_transcript(self) -> Iterable[Widget]:
        yield CaptionBar(self.caption_text(), self._state_text(self.app.size.width))

    def on_mount(self) -> None:
        self.sub_title = f"demo · {self.chat.study.name}"
        self.chat.answer_shown_signal.subscribe(self, self._answered, immediate=True)
        # Written at the start (once the engine has the settings), so the handout exists
        # however the presentation ends.
        export: WorkType[None] = self._when_ready
        self.run_worker(export, group="export")
        self._schedule()

    async def _when_ready(self) -> None:
        await self.chat.ready.wait()
        self.sub_title = f"demo · {self.chat.study.name}"  # an imported store's study
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
        # event.size: the screen's size is updated only after its handlers ran.
        if self.query(CaptionBar):
            self.caption_bar.show(self.caption_text(), self._state_text(event.size.width))

    def _show_caption(self) -> None:
        self.caption_bar.show(self.caption_text(), self._state_text())

    # ----------------------------------------------------------------- keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        on_top = self.app.screen is self  # no dialog open
        # isinstance, not the prompt property: the footer asks before the input exists.
        typing = isinstance(self.focused, PromptInput)
        if action in _PRESENTER_ACTIONS:
            return on_top and not typing
        if action == "leave_input":
            return on_top and typing
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
        # The app asks the question (the message goes on to it); focus returns to the
        # presenter's keys.
        self.set_focus(None)
        self._schedule()

    def action_leave(self) -> None:
        self.app.exit(0)

    # ----------------------------------------------------------------- steps
    def _show_step(self, index: int) -> None:
        """Bring step ``index`` into view: scroll to it when it is in the transcript (hiding
        the steps after it), replay it when it was hidden, else type and ask it."""
        view = self._step_views.get(index)
        transcript = self.transcript
        if view is None or not transcript.holds(view) or not view.display:
            # Busy from now, not from when the worker starts: a second key press in between
            # must not start a second step.
            self._busy, self._hurry = True, False
            # A callable, not a coroutine: q pressed before the worker starts would leave a
            # coroutine never awaited ("RuntimeWarning: coroutine '_play' was never awaited"
            # printed after the app closed).
            replay = view is not None and transcript.holds(view)
            # Typed as Textual's WorkType: from a bare partial mypy cannot infer its result.
            play: WorkType[None] = partial(self._replay if replay else self._play, index)
            self.run_worker(play, group="demo")
            return
        self.position = index
        self._hide_after(index)
        self._show_caption()
        transcript.scroll_to_message(view)
        self._schedule()

    def _step_group(self, index: int) -> list[Widget]:
        """Step ``index``'s messages: its question and answer, and whatever the presenter
        asked after it, up to the next step's question."""
        transcript = self.transcript
        later = [view for other, view in self._step_views.items() if other > index]
        return transcript.section(self._step_views[index], until=later)

    def _hide_after(self, index: int) -> None:
        """Going back to step ``index``: the later steps leave the screen until replayed."""
        transcript = self.transcript
        for other, view in self._step_views.items():
            if other > index and transcript.holds(view) and view.display:
                transcript.show(self._step_group(other), False)

    async def _replay(self, index: int) -> None:
        """Show a hidden step again: its question typed as before, then its answer (not
        asked again: the conversation's context stays as the audience saw it built)."""
        self._cancel_timer()
        self.position = index
        self._show_caption()
        try:
            await self._type(self.script.steps[index].question)
            transcript = self.transcript
            transcript.show(self._step_group(index), True)
            self.call_after_refresh(transcript.scroll_to_message, self._step_views[index])
        finally:
            self._busy = False
        self._schedule()

    async def _play(self, index: int) -> None:
        """Type step ``index``'s question, ask it, and record where it is shown."""
        step = self.script.steps[index]
        self._cancel_timer()
        self.position = index
        self._show_caption()
        if isinstance(self.focused, PromptInput):
            self.set_focus(None)  # Enter must not submit a half-typed question
        try:
            await self._type(step.question)
            if self.chat.ending:
                return
            self._playing = index
            try:
                answer = await self.chat.ask(step.question, remember=False)
            finally:
                self._playing = None
            self.step_answers[index] = answer
            transcript = self.transcript
            view = transcript.question_of(answer)
            if view is not None:  # None: not shown, the app closing meanwhile
                self._step_views[index] = view
                # After the next refresh, when the answer (and its chart) has its height:
                # the question at the top, so as much of its answer shows as fits.
                self.call_after_refresh(transcript.scroll_to_message, view)
        finally:
            self._busy = False
        self.app.post_message(StepShown(index, step, answer))  # beside the app's AnswerShown
        self._schedule()

    async def _type(self, question: str) -> None:
        # Once the app is closing (q, ctrl+q), nothing more is typed: a character typed then
        # would start the input's suggestion in a worker that never runs ("coroutine
        # 'Suggester._get_suggestion' was never awaited" after the app closed).
        if self.chat.ending:
            return
        prompt = self.prompt
        prompt.clear()
        if self.typing_delay > 0:
            for count, char in enumerate(question, start=1):
                if self.chat.ending:
                    return
                if self._hurry:
                    prompt.value = question
                    break
                prompt.insert_text_at_cursor(char)
                if count < len(question):
                    await asyncio.sleep(self.typing_delay)
            # A beat with the whole question visible before it turns into an answer.
            await asyncio.sleep(0 if self._hurry else self.typing_delay * 5)
        prompt.clear()

    def _answered(self, shown: AnswerShown) -> None:
        """Every answer the app shows, a step's or the presenter's own: into the handout."""
        index = self._playing
        step = self.script.steps[index] if index is not None else Step(shown.question)
        self.shown.append(Result(index, step, shown.answer))
        self._write_export()

    def _write_export(self) -> None:
        """The handout so far; a failure is said once and the demo goes on."""
        if self.export is None:
            return
        chat = self.chat
        try:
            write_export(
                self.export,
                self.script,
                self.shown,
                chat.settings,
                self._export_force,
                chat.study.summary,
            )
        except OSError as exc:
            self.notify(f"Could not write {self.export}: {exc}", severity="error", markup=False)
            self.export = None
            return
        self._export_force = True  # from now on the file is the demo's own

    # ----------------------------------------------------------------- auto-advance
    def _schedule(self) -> None:
        """(Re)start the auto-advance countdown from now, when it applies."""
        self._cancel_timer()
        if self.auto is None or self.paused or self._busy:
            return
        if self.position >= len(self.script) or isinstance(self.focused, PromptInput):
            return
        self._timer = self.set_timer(self.auto, self._auto_next)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _auto_next(self) -> None:
        self._timer = None
        if not self.paused and not self._busy and not isinstance(self.focused, PromptInput):
            self.action_next_step()


def demo_app(
    engine: Engine | Callable[[], Engine],
    script: Script,
    *,
    auto: float | None = None,
    typing_delay: float = DEFAULT_TYPING_DELAY,
    export: Path | None = None,
    force: bool = False,
    history: History | None = None,
    cursor_blink: bool = True,
) -> StormChatApp:
    """The chat app in presenter mode: ``DemoScreen`` with ``script`` as its main screen."""
    screen = partial(
        DemoScreen, script, auto=auto, typing_delay=typing_delay, export=export, force=force
    )
    return StormChatApp(
        engine,
        first_run_hint=False,
        history=history,
        cursor_blink=cursor_blink,
        main_screen=screen,
    )


def presenter(app: StormChatApp) -> DemoScreen:
    """The demo's screen of an app made by ``demo_app`` (under any dialog open)."""
    screen = app.screen_stack[0]
    assert isinstance(screen, DemoScreen)
    return screen


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
        demo_app(engine, script, auto=auto, typing_delay=typing_delay, export=export, force=force)
    )
