"""The stormchat chat app: a transcript, an input, a study card; keys and palette commands.

For scripted use (the demo) ``await app.ask(question)`` shows a question and its answer and
returns the ``Answer``; every answer shown also posts ``AnswerShown`` to the app and publishes
it on ``answer_shown_signal``. The chat is composed into ``main_screen`` (a ``ChatScreen``): a
mode of the app, such as the demo's ``DemoScreen``, is a subclass given in its place.

Given a loader instead of an engine, the app paints first and loads the engine (store, parser,
statistics) in a thread: the input takes keys at once, and a question asked before the engine
is ready waits for it and is then answered. Nothing here imports the engine or the handlers.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.signal import Signal
from textual.widgets import Footer, Header, Static
from textual.worker import WorkType

from assistant.app.actions import ACTIONS, action_ids
from assistant.app.chat_screen import ChatScreen
from assistant.app.clipboard import copy_with_tool, platform_hint
from assistant.app.conversations import ConversationStore, SavedConversation, replay
from assistant.app.examples import TERMS, all_examples, welcome_examples
from assistant.app.export import (
    conversation_markdown,
    copy_text,
    current_directory,
    default_path,
    save_folder,
    write_new,
)
from assistant.app.history import History
from assistant.app.prompt import PromptInput
from assistant.app.settings_screen import (
    LEVELS,
    SettingsChoice,
    SettingsScreen,
    level_label,
    settings_line,
)
from assistant.app.study_card import StudyCard
from assistant.app.suggestions import QuestionSuggester
from assistant.app.transcript import AnswerView, ExampleLink, QuestionView, Transcript, Welcome
from assistant.app.wrapping import install as keep_no_break_spaces
from assistant.cli_config import Config, config_path
from assistant.settings import Settings
from assistant.study_profile import STORM, StudyProfile, profile

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.driver import Driver
    from textual.screen import Screen

    from assistant.answer import Answer
    from assistant.engine import Engine

keep_no_break_spaces()

# Below this width the transcript needs the room more than the card does.
CARD_MIN_WIDTH = 110
LOADING = "Loading the study…"


class AnswerShown(Message):
    """An answer is on screen (posted to the app after it is mounted)."""

    def __init__(self, question: str, answer: Answer) -> None:
        super().__init__()
        self.question = question
        self.answer = answer


class StormChatApp(App[int]):
    TITLE = "stormchat"
    SUB_TITLE = STORM.subtitle  # the shipped store's; an imported study's once it is loaded
    # Every widget's and screen's style, the demo's too, in one file (absolute: Textual reads a
    # relative path against the file of the class that uses it).
    CSS_PATH = str(Path(__file__).with_name("stormchat.tcss"))
    # From the actions table, each with an id: the config file's [keys] rebinds it by that.
    BINDINGS = [
        Binding(a.keys, a.action, a.label, show=a.footer is not None, id=a.id)
        for a in ACTIONS
        if a.keys
    ]
    AUTO_FOCUS: ClassVar[str | None] = "#prompt"

    def __init__(
        self,
        engine: Engine | Callable[[], Engine],
        *,
        first_run_hint: bool = True,
        history: History | None = None,
        cursor_blink: bool = True,
        conversations: ConversationStore | None = None,
        config: Config | None = None,
        main_screen: Callable[[], ChatScreen] = ChatScreen,
    ) -> None:
        super().__init__()
        # The screen the chat is composed into: ChatScreen, or a mode's (the demo's).
        self._main_screen = main_screen
        # Every answer once it is on screen, for a mode that keeps track of them (the demo's
        # handout): called at once, in the turn that asked.
        self.answer_shown_signal: Signal[AnswerShown] = Signal(self, "answer-shown")
        # The user's settings file: its theme and keys here, its CI defaults in the loader
        # (the CLI's), and F3 saves to it. Checked before the app takes the terminal over, so
        # a theme or action it does not know is the CLI's one line.
        self.config = Config(config_path()) if config is None else config
        self._apply_config(self.config)
        # Set once the engine is there; ask() waits for it. Answers come in the order asked.
        self.ready = asyncio.Event()
        self._in_turn = asyncio.Lock()
        self._loader = engine if callable(engine) else None
        # The study the store holds: STORM as published until the store says otherwise.
        self.study: StudyProfile = STORM
        self.first_run_hint = first_run_hint
        self.history = History.load() if history is None else history
        self._returning = bool(self.history.entries)  # before this session adds any
        self.cursor_blink = cursor_blink
        if not callable(engine):
            self._engine_ready(engine)
        # (question as typed, answer) for export: the typed text, not the engine's cleaned one.
        self.turns: list[tuple[str, Answer]] = []
        # Every conversation is saved as it goes (ctrl+o lists them).
        self.conversations = ConversationStore.default() if conversations is None else conversations
        self.saved = self.conversations.new()
        self._saved_warned = False
        self._card_toggled = False
        self._history_warned = False
        # The first unhandled exception, if the app stopped on one: run_app reports it in one
        # line and a non-zero exit, instead of Textual's traceback and exit status 0.
        self.crash: Exception | None = None
        self._selected: AnswerView | None = None
        self._signals_caught: list[int] = []
        self.ending = False  # exit() was called: nothing more is mounted

    def _apply_config(self, config: Config) -> None:
        if config.theme is not None:
            if config.theme not in self.available_themes:
                known = ", ".join(sorted(self.available_themes))
                raise config.error(f"[app] theme {config.theme!r} is not one of {known}")
            self.theme = config.theme
        ids = sorted(action_ids())
        unknown = sorted(set(config.keys) - set(ids))
        if unknown:
            raise config.error(
                f"[keys] {', '.join(unknown)}: no such action (the actions: {', '.join(ids)})"
            )

    # ----------------------------------------------------------------- loading
    def _engine_ready(self, engine: Engine) -> None:
        self.engine = engine
        self.conversation = engine.conversation()
        # The study the store holds: STORM as published, or an import's own metadata.
        self.study = profile(engine.store)
        self.sub_title = self.study.subtitle
        self.ready.set()

    def _start_loading(self) -> None:
        # A daemon thread of our own, not a Textual worker: ctrl+q while the store loads
        # must not wait for it (the executor behind thread workers is joined at exit).
        import threading

        threading.Thread(target=self._load_in_thread, name="stormchat-load", daemon=True).start()

    def _load_in_thread(self) -> None:
        """Load the engine, then hand it to the app's own thread."""
        assert self._loader is not None
        try:
            engine = self._loader()
        except Exception as error:  # noqa: BLE001 - reported by the CLI once the app closed
            with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                self.call_from_thread(self._load_failed, error)
            return
        with contextlib.suppress(RuntimeError):
            self.call_from_thread(self._loaded, engine)

    def _loaded(self, engine: Engine) -> None:
        self._engine_ready(engine)
        self.call_later(self._show_engine)

    async def _show_engine(self) -> None:
        """What needs the engine (or the intent spec): the card's results, the status line,
        the store's terms to complete, and the welcome with its example questions."""
        if self.ending:
            # A signal (or ctrl+q) while the study loaded: the screen is going, and mounting
            # into it now would fail (MountError) instead of exiting 128 + signal.
            return
        self._question_suggester.add_terms(getattr(self.engine.store, "ae_terms", []))
        self._update_status()
        self.card.study = self.study
        self.prompt.placeholder = self.study.placeholder
        await self.card.show_results(self.engine, self.settings)
        if self.first_run_hint and not self.ending:
            # The full welcome on a first run (no history yet); a one-line hint after that.
            # Above any question asked while the study loaded.
            examples = welcome_examples() if self.study == STORM else list(self.study.examples)
            welcome = Welcome(examples, self.study, compact=self._returning, keys=self.config.keys)
            if self.transcript.children:
                await self.transcript.mount(welcome, before=0)
            else:
                await self.transcript.add(welcome)

    def _load_failed(self, error: Exception) -> None:
        # run_until_exit raises it again once the terminal is restored: a bad --db is then
        # the CLI's one-line message and exit status, as before the app started.
        self.crash = error
        self.exit(1)

    # ----------------------------------------------------------------- palette
    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette (ctrl+p): Textual's own commands, every action of the table, and each
        CI setting directly."""
        from knowledge.stats import CI_METHODS

        yield from super().get_system_commands(screen)
        for action in ACTIONS:
            if action.command:
                run = partial(self.run_action, action.action)
                yield SystemCommand(action.command, action.command_help, run)
        for key, name in CI_METHODS.items():
            yield SystemCommand(
                f"CI method: {name}",
                f"Use {key} intervals from now on",
                partial(self.set_ci, method=key),
            )
        for level in LEVELS:
            yield SystemCommand(
                f"CI level: {level_label(level)}",
                f"Use {level_label(level)} intervals from now on",
                partial(self.set_ci, level=level),
            )

    # ----------------------------------------------------------------- quitting
    def get_driver_class(self) -> type[Driver]:
        from textual.drivers.linux_driver import LinuxDriver

        driver = super().get_driver_class()
        if driver is LinuxDriver:
            from assistant.app.driver import PromptQuitDriver

            return PromptQuitDriver
        return driver

    def exit(
        self, result: int | None = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        from assistant.app.driver import PromptQuitDriver

        if isinstance(self._driver, PromptQuitDriver):
            self._driver.ending = True  # quit without waiting for the input thread
        self.ending = True
        super().exit(result, return_code, message)

    # ----------------------------------------------------------------- signals
    def _catch_signals(self) -> None:
        """SIGTERM (kill, a logout), SIGHUP (the terminal closed), SIGUSR1 and SIGUSR2 end the
        app the way ctrl+q does, so Textual restores the terminal: without this Python dies on
        the spot and leaves the alternate screen, mouse tracking and a hidden cursor behind.
        A signal someone chose to ignore (``nohup``) stays ignored."""
        import signal

        from assistant.interrupts import TERMINATING

        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for signum in TERMINATING:
                if signal.getsignal(signum) is not signal.SIG_DFL:
                    continue
                loop.add_signal_handler(signum, self._on_signal, int(signum))
                self._signals_caught.append(int(signum))

    def _on_signal(self, signum: int) -> None:
        self.exit(128 + signum)  # the shell's convention: 143 for SIGTERM, 129 for SIGHUP…

    def on_unmount(self) -> None:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for signum in self._signals_caught:
                loop.remove_signal_handler(signum)
        self._signals_caught.clear()

    # ----------------------------------------------------------------- failure
    def _handle_exception(self, error: Exception) -> None:
        if self.crash is None:
            self.crash = error
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        # Textual prints the traceback it kept when the app closes; the CLI prints one line
        # instead (STORMCHAT_DEBUG=1 keeps the traceback, for a bug report).
        if self.crash is not None and not os.environ.get("STORMCHAT_DEBUG"):
            self._exit_renderables.clear()
        super()._print_error_renderables()

    # ----------------------------------------------------------------- layout
    def get_default_screen(self) -> ChatScreen:
        return self._main_screen()

    def compose(self) -> ComposeResult:
        # Composed into the main screen (get_default_screen), which may add to it.
        screen = self.screen
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="chat"):
                if isinstance(screen, ChatScreen):
                    yield from screen.above_transcript()
                yield Transcript(id="transcript")
                yield PromptInput(
                    self.history, self._suggester(), self.cursor_blink, self.study.placeholder
                )
                yield Static(self._status_text(), id="status", markup=False)
            yield StudyCard(self.study, id="card")
        yield Footer()

    def _suggester(self) -> QuestionSuggester:
        # Newest history first: what you asked recently is the likeliest completion. The
        # example questions and the store's event terms join once the engine is loaded.
        self._question_suggester = QuestionSuggester(
            lambda: [
                *reversed(self.history.entries),
                *([*self.study.examples, *all_examples()] if self.ready.is_set() else []),
            ],
            TERMS,
        )
        return self._question_suggester

    async def on_mount(self) -> None:
        self._catch_signals()
        if self.config.keys:
            self.set_keymap(self.config.keys)
        if self.ready.is_set():
            await self._show_engine()
        else:
            # After the first paint: the screen and the input come before the loading.
            self.call_after_refresh(self._start_loading)
        self.card.display = self.size.width >= CARD_MIN_WIDTH
        if self.history.set_aside is not None:
            count = len(self.history.entries)
            self.notify(
                f"The input history file was damaged: kept the {count} "
                f"question{'s' if count != 1 else ''} that could be read; the file is "
                f"saved as {self.history.set_aside}.",
                markup=False,
                timeout=8,
            )

    def on_resize(self, event: events.Resize) -> None:
        # Follow the width until the user has chosen for themselves. (event.size: this
        # handler runs before App's own updates self.size.)
        if not self._card_toggled:
            self.card.display = event.size.width >= CARD_MIN_WIDTH

    @property
    def transcript(self) -> Transcript:
        return self.query_one(Transcript)

    @property
    def prompt(self) -> PromptInput:
        return self.query_one(PromptInput)

    @property
    def card(self) -> StudyCard:
        return self.query_one(StudyCard)

    @property
    def settings(self) -> Settings:
        """The conversation's settings; before the engine is loaded, the library's defaults
        (nothing shows them then: the status line says the study is loading)."""
        if not self.ready.is_set():
            from knowledge.stats import DEFAULT_LEVEL, DEFAULT_METHOD

            return Settings(DEFAULT_METHOD, DEFAULT_LEVEL)
        settings = self.conversation.settings
        return settings if settings is not None else self.engine.defaults

    @property
    def last_answer(self) -> Answer | None:
        return self.turns[-1][1] if self.turns else None

    # ----------------------------------------------------------------- asking
    async def ask(self, question: str, *, remember: bool = True) -> Answer:
        """Show ``question`` and its answer; return the answer once it is on screen.

        ``remember=False`` keeps it out of the input history (a scripted demo should not
        fill the user's history)."""
        if remember and not self.history.add(question) and not self._history_warned:
            self._history_warned = True
            self.notify(
                "Could not save the input history; it is kept for this session only.",
                severity="warning",
            )
        await self.transcript.add(QuestionView(question))
        async with self._in_turn:
            return await self._answer(question, remember)

    async def _answer(self, question: str, remember: bool) -> Answer:
        await self.ready.wait()  # a question typed while the study loads waits for it
        settings_before = self.settings
        error = False
        try:
            answer = self.conversation.ask(question)
        except Exception as exc:  # noqa: BLE001 - one bad question must not end the session
            from assistant.answer import Answer

            error = True
            # "error", not "unknown": a bug is not "not understood" (DESIGN's status table).
            answer = Answer(
                question=question,
                status="error",
                intent=None,
                text=f"Sorry, that question hit an internal error: {type(exc).__name__}: {exc}",
            )
        else:
            self.turns.append((question, answer))
            if remember:
                self._keep(question, answer, settings_before)
        await self.transcript.add(AnswerView(answer, error=error))
        if self.settings != settings_before:
            # "use Wilson from now on" changed the settings: the status and card follow.
            self._update_status()
            await self.card.refresh_results(self.settings)
        shown = AnswerShown(question, answer)
        self.post_message(shown)
        self.answer_shown_signal.publish(shown)
        return answer

    async def type_and_ask(
        self, question: str, *, delay: float = 0.04, remember: bool = False
    ) -> Answer:
        """Type ``question`` into the input one character every ``delay`` seconds, then ask
        it: for the demo, so the audience sees the question being typed."""
        prompt = self.prompt
        prompt.clear()
        for char in question:
            prompt.insert_text_at_cursor(char)
            await asyncio.sleep(delay)
        prompt.clear()
        return await self.ask(question, remember=remember)

    @on(PromptInput.Submitted)
    async def _submitted(self, event: PromptInput.Submitted) -> None:
        question = event.value.strip()
        event.input.clear()
        if question and not self.ready.is_set():
            # Waiting for the study in a worker, so the input (and the rest of the app) stays
            # usable meanwhile; the lock in ask() keeps the answers in order.
            waiting: WorkType[Answer] = partial(self.ask, question)
            self.run_worker(waiting, group="waiting")
        elif question:
            await self.ask(question)
        else:
            self.history.reset()

    @on(PromptInput.MultiLinePaste)
    async def _pasted(self, event: PromptInput.MultiLinePaste) -> None:
        count = len(event.questions)
        more = (
            f" (the first {count}; {event.dropped} more line"
            f"{'s were' if event.dropped != 1 else ' was'} not asked)"
            if event.dropped
            else ""
        )
        self.notify(
            f"Pasted {count + event.dropped} lines: asking each in turn{more}.", markup=False
        )
        for question in event.questions:
            await self.ask(question)
        self.prompt.focus()

    @on(ExampleLink.Chosen)
    async def _example(self, event: ExampleLink.Chosen) -> None:
        await self.ask(event.question)
        self.prompt.focus()

    def _keep(self, question: str, answer: Answer, settings: Settings) -> None:
        if not self.saved.add(question, answer, settings) and not self._saved_warned:
            self._saved_warned = True
            self.notify(
                f"Could not save the conversation in {self.conversations.directory}; it is "
                "kept for this session only.",
                severity="warning",
                markup=False,
            )

    def _status_text(self) -> str:
        return settings_line(self.settings) if self.ready.is_set() else LOADING

    def _update_status(self) -> None:
        # A question like "use Wilson from now on" changes the settings too.
        self.query_one("#status", Static).update(self._status_text())

    # ----------------------------------------------------------------- actions
    def action_help(self) -> None:
        from assistant.app.help_screen import HelpScreen

        def chosen(question: str | None) -> None:
            if question:
                self.call_later(self._ask_example, question)

        self.push_screen(HelpScreen(self.config.keys), chosen)

    async def _ask_example(self, question: str) -> None:
        await self.ask(question)
        self.prompt.focus()

    def action_toggle_card(self) -> None:
        self._card_toggled = True
        self.card.display = not self.card.display

    async def action_settings(self) -> None:
        await self.ready.wait()  # the dialog shows the engine's settings

        def chosen(choice: SettingsChoice | None) -> None:
            if choice is not None:
                settings = choice.settings
                self.call_later(self.set_ci, settings.ci_method, settings.level)
                if choice.save:
                    self.call_later(self.save_default, settings)

        self.push_screen(SettingsScreen(self.settings), chosen)

    def save_default(self, settings: Settings) -> None:
        """Make ``settings`` the CI default of later sessions, in the config file."""
        from assistant.cli_config import ConfigError, save_statistics

        try:
            save_statistics(self.config.path, settings)
        except (OSError, ConfigError) as error:
            why = error.strerror if isinstance(error, OSError) and error.strerror else error
            self.notify(
                f"Could not save the default in {self.config.path}: {why}; it applies to "
                "this session only.",
                severity="error",
                markup=False,
            )
            return
        self.notify(
            f"{settings_line(settings)} is the default from now on (saved in {self.config.path}).",
            title="Settings",
            markup=False,
        )

    async def set_ci(self, method: str | None = None, level: float | None = None) -> None:
        """Change the CI method and/or level for the rest of the conversation."""
        await self.ready.wait()
        current = self.settings
        new = Settings(method or current.ci_method, current.level if level is None else level)
        self.conversation.settings = new
        self._update_status()
        await self.card.refresh_results(new)
        self.notify(settings_line(new), title="Settings")

    # ----------------------------------------------------------------- choosing and copying
    def selected_view(self) -> AnswerView | None:
        """The answer chosen with alt+up/down or a click, else the last one shown."""
        chosen = self._selected
        if chosen is not None and chosen.is_attached:
            return chosen
        views = self.transcript.answers
        return views[-1] if views else None

    def select_answer(self, view: AnswerView | None) -> None:
        if self._selected is not None:
            self._selected.remove_class("-selected")
        self._selected = view
        if view is not None:
            view.add_class("-selected")
            self.transcript.scroll_to_widget(view, animate=False, top=True)

    def action_select_answer(self, step: int) -> None:
        """Move the choice of answer (for F4 and the copy commands) up or down the transcript;
        past the newest answer the choice goes back to "the last one"."""
        views = self.transcript.answers
        if not views:
            self.notify("There is no answer to choose yet.", severity="warning")
            return
        current = self._selected if self._selected in views else None
        index = (len(views) if current is None else views.index(current)) + step
        if index >= len(views):
            self.select_answer(None)
            self.transcript.scroll_end(animate=False)
            self.notify("F4 copies the last answer.", timeout=2)
            return
        index = max(0, index)
        self.select_answer(views[index])
        self.notify(
            f"Answer {index + 1} of {len(views)} chosen: F4 copies it; alt+down moves on.",
            timeout=3,
        )

    @on(AnswerView.Clicked)
    def _answer_clicked(self, event: AnswerView.Clicked) -> None:
        self.select_answer(None if event.view is self._selected else event.view)

    async def action_copy_answer(self, form: str = "text") -> None:
        """Copy the chosen (or last) answer as ``text`` (with its sources), ``markdown`` or
        ``reference`` (question, answer, sources, settings and the study), and say where the
        text went: a platform tool that succeeded is a copy; OSC 52 alone may not be, and the
        notice says so."""
        view = self.selected_view()
        if view is None:
            self.notify("There is no answer to copy yet.", severity="warning")
            return
        answer = view.answer
        text = copy_text(answer, form, settings_line(self.settings))
        which = "the chosen answer" if view is self._selected else "the last answer"
        what = {"markdown": " as Markdown", "reference": " with its full reference"}.get(form, "")
        copied = await asyncio.to_thread(copy_with_tool, text)
        if copied.tool is not None:
            self.notify(
                f"Copied {which}{what} to {copied.where} (with {copied.tool}).", markup=False
            )
            return
        self.copy_to_clipboard(text)
        tried = f" ({'; '.join(copied.failures)})" if copied.failures else ""
        self.notify(
            f"No clipboard tool worked{tried}: install {platform_hint()} to copy. "
            f"{which.capitalize()} was sent to the terminal as OSC 52, which many "
            "terminals and tmux ignore, so it may not have been copied; ctrl+s exports "
            "the conversation to a file instead.",
            severity="warning",
            timeout=12,
            markup=False,
        )

    def action_export(self) -> Path | None:
        if not self.turns:
            self.notify("Nothing to export yet.", severity="warning")
            return None
        now = datetime.now()
        path = default_path(now)
        try:
            write_new(path, conversation_markdown(self.turns, settings_line(self.settings), now))
        except OSError as exc:
            self.notify(f"Could not export: {exc}", severity="error", markup=False)
            return None
        shown = path.name if path.parent == current_directory() else str(path)
        self.notify(f"Exported the conversation to {shown}", markup=False)
        return path

    def action_save(self, what: str) -> Path | None:
        """F5: the screen as SVG; F6: the chosen (or last) answer's chart as text. Both go in
        ``stormchat-saved/`` (created when missing); the notice gives the path."""
        from assistant.app.charts import ChartView

        if what == "chart":
            view = self.selected_view()
            charts = list(view.query(ChartView)) if view is not None else []
            if not charts:
                self.notify("The chosen answer has no chart to save.", severity="warning")
                return None
            content, extension = charts[0].plain_text(), ".txt"
        else:
            content, extension = self.export_screenshot(), ".svg"
        try:
            path = write_new(default_path(None, save_folder(), what, extension), content)
        except OSError as exc:
            self.notify(f"Could not save the {what}: {exc}", severity="error", markup=False)
            return None
        self.notify(f"Saved the {what} to {path}", markup=False)
        return path

    async def action_clear(self) -> None:
        await self.ready.wait()
        settings = self.settings
        await self.transcript.clear()
        self.turns.clear()
        # A new conversation forgets the context, but the CI settings chosen stay.
        self.conversation = self.engine.conversation()
        self.conversation.settings = settings
        kept = self.saved.path is not None
        self.saved = self.conversations.new()
        self.notify(
            "New conversation; the last one is saved (ctrl+o lists them)."
            if kept
            else "New conversation."
        )

    # ----------------------------------------------------------------- saved conversations
    def action_conversations(self) -> None:
        from assistant.app.history_screen import HistoryResult, HistoryScreen

        def closed(result: HistoryResult | None) -> None:
            if result is None:
                return
            if self.saved.path is not None and self.saved.path in result.deleted:
                # Its file is gone: the transcript goes too, and nothing more is saved to it.
                self.saved = self.conversations.new()
                self.call_later(self.action_clear)
            if result.reopen is not None:
                self.call_later(self.reopen, result.reopen)

        self.push_screen(HistoryScreen(self.conversations, self.saved.path), closed)

    async def reopen(self, saved: SavedConversation) -> None:
        """Show a saved conversation's turns and carry on with it: a follow-up reads against
        its last question, and new turns are saved into its file."""
        await self.transcript.clear()
        self.select_answer(None)
        views = [
            view for t in saved.turns for view in (QuestionView(t.question), AnswerView(t.answer))
        ]
        await self.transcript.mount_all(views)
        self.transcript.anchor()
        self.conversation = replay(self.engine, saved.turns)
        self.turns = [(turn.question, turn.answer) for turn in saved.turns]
        self.saved = saved
        self._update_status()
        await self.card.refresh_results(self.settings)
        count = len(saved.turns)
        self.notify(
            f"Reopened the conversation of {saved.updated:%Y-%m-%d %H:%M} ({count} "
            f"turn{'s' if count != 1 else ''}); a follow-up continues it.",
            markup=False,
        )

    async def action_find(self) -> None:
        from assistant.app.find import FindBar

        bars = self.query(FindBar)
        if bars:
            bars.first().query_one("Input").focus()
            return
        await self.query_one("#chat").mount(FindBar(self.transcript), before=self.prompt)

    def action_scroll_transcript(self, direction: int) -> None:
        with contextlib.suppress(Exception):
            if direction < 0:
                self.transcript.scroll_page_up()
            else:
                self.transcript.scroll_page_down()

    def answers_shown(self) -> list[AnswerView]:
        return self.transcript.answers
