"""The transcript: questions, answers (Markdown, chart, sources) and the welcome panel.

Everything shown here that came from the user, the store or an exception is built with
``markup=False`` (or is Markdown, which never parses Textual markup), after control characters
have been neutralised by ``text``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from assistant.app.actions import first_key, welcome_hint
from assistant.app.text import keep_together, multi_line, one_line
from assistant.study_profile import STORM, StudyProfile

if TYPE_CHECKING:
    from assistant.answer import Answer


class QuestionView(Static):
    """What the user asked, right-aligned in a tinted block like a chat bubble."""

    # A pasted page would fill the screen many times over; the engine reads only a prefix
    # anyway, and the answer says so.
    SHOWN_CHARS = 500

    def __init__(self, question: str) -> None:
        text = one_line(question)
        if len(text) > self.SHOWN_CHARS:
            text = f"{text[: self.SHOWN_CHARS]}… ({len(text) - self.SHOWN_CHARS:,} more characters)"
        super().__init__(text, markup=False)
        self.question = question


class AnswerView(Vertical):
    """One answer: the body, the chart when there is one, and the provenance line, dimmed."""

    class Clicked(Message):
        """The answer was clicked: the app makes it the one F4 copies."""

        def __init__(self, view: AnswerView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, answer: Answer, *, error: bool = False) -> None:
        super().__init__(classes=f"-{answer.status}" + (" -error" if error else ""))
        self.answer = answer

    def on_click(self) -> None:
        self.post_message(self.Clicked(self))

    def answer_markdown_shown(self) -> str:
        """The body as shown: controls neutralised, and no-break spaces where a wrap must
        not separate a number from its unit ("95 %", "CI 18.7–35.0")."""
        return keep_together(multi_line(self.answer.markdown or self.answer.text))

    def compose(self) -> ComposeResult:
        answer = self.answer
        if answer.markdown:
            # Imported with the first table: markdown-it is a tenth of the app's start.
            from textual.widgets import Markdown

            yield Markdown(self.answer_markdown_shown(), open_links=False)
        else:
            yield Static(self.answer_markdown_shown(), markup=False, classes="body")
        if answer.chart is not None:
            from assistant.app.charts import ChartView  # plotext only when a chart is drawn

            yield ChartView(answer.chart)
        if answer.sources:
            sources = "Source: " + "; ".join(one_line(source) for source in answer.sources)
            yield Static(sources, markup=False, classes="sources")


class ExampleLink(Static):
    """An example question; clicking it asks it."""

    class Chosen(Message):
        def __init__(self, question: str) -> None:
            super().__init__()
            self.question = question

    def __init__(self, question: str) -> None:
        super().__init__(f"› {question}", markup=False)
        self.question = question

    def on_click(self) -> None:
        self.post_message(self.Chosen(self.question))


class Welcome(Vertical):
    """Shown once at start: what this is, and a few questions to click."""

    def __init__(
        self,
        examples: list[str],
        study: StudyProfile = STORM,
        *,
        compact: bool = False,
        keys: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.examples = examples
        self.study = study
        self.compact = compact
        self.keys = keys or {}  # the config's [keys]: the hint names the keys as bound
        self.border_title = "stormchat" if compact else "Welcome to stormchat"

    def compose(self) -> ComposeResult:
        if self.compact:
            # The study's one-line hint names help's built-in key, F1.
            hint = self.study.hint.replace("F1", first_key("help", self.keys))
            yield Static(hint, markup=False, classes="hint")
            return
        yield Static(self.study.lead, markup=False, classes="lead")
        for question in self.examples:
            yield ExampleLink(question)
        yield Static(welcome_hint(self.keys), markup=False, classes="hint")


class Transcript(VerticalScroll, can_focus=False):
    """The conversation, pinned to the newest message (anchored, as in Textual's mother.py)
    until the user scrolls up. Not focusable: focus stays in the input."""

    def on_mount(self) -> None:
        self.anchor()

    async def add(self, widget: Widget) -> None:
        if getattr(self.app, "ending", False):
            return  # the app is closing (a signal, ctrl+q): the screen takes nothing more
        await self.mount(widget)
        self.anchor()

    async def clear(self) -> None:
        await self.remove_children()

    @property
    def answers(self) -> list[AnswerView]:
        return list(self.query(AnswerView))

    def holds(self, message: Widget) -> bool:
        """Whether ``message`` is in the transcript (not cleared by ctrl+l since)."""
        return message.is_attached and message.parent is self

    def question_of(self, answer: Answer) -> Widget | None:
        """The question just above ``answer``'s view (the view itself if nothing is above
        it): where a presenter going back scrolls to. None when ``answer`` is not shown."""
        children = list(self.children)
        for position in range(len(children) - 1, -1, -1):
            child = children[position]
            if isinstance(child, AnswerView) and child.answer is answer:
                return children[position - 1] if position > 0 else child
        return None

    def section(self, start: Widget, until: Iterable[Widget] = ()) -> list[Widget]:
        """The messages from ``start`` up to (not including) the first of ``until`` after it,
        or to the end: one step of a demo and what was asked after it."""
        children = list(self.children)
        first = children.index(start)
        stops = [children.index(w) for w in until if self.holds(w)]
        return children[first : min((i for i in stops if i > first), default=len(children))]

    def show(self, messages: Iterable[Widget], shown: bool) -> None:
        """Show or hide ``messages`` (hidden ones take no room and are skipped by a scroll)."""
        for message in messages:
            message.display = shown

    def scroll_to_message(self, message: Widget) -> None:
        """``message`` at the top, so as much of what follows it shows as fits; a message
        that fits whole with the ones after it just stays at the bottom."""
        self.scroll_to_widget(message, top=True, animate=False)
