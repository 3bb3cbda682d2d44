"""ctrl+f: find text in the transcript.

A bar above the input: what you type is looked for (case-insensitive, every word) in each
question and answer shown; the first match from the end is scrolled into view. Enter or Down
moves to the next match, shift+Enter or Up to the previous one (many terminals send shift+Enter
as a plain Enter: Up always works); the search wraps round at either end. The match is framed
in a heavy border titled "match 2 of 5", so it shows without colour. Esc closes the bar and
puts the focus back in the question input.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Static

from assistant.app.transcript import AnswerView, QuestionView, Transcript

FOUND = "-found"


def view_text(view: Widget) -> str:
    """What a search looks in for one message, case-folded."""
    if isinstance(view, AnswerView):
        answer = view.answer
        return "\n".join([answer.markdown or answer.text, *answer.sources]).casefold()
    if isinstance(view, QuestionView):
        return view.question.casefold()
    return ""


def matching(transcript: Transcript, query: str) -> list[Widget]:
    """The questions and answers holding every word of ``query``, in transcript order."""
    words = query.casefold().split()
    if not words:
        return []
    views = [child for child in transcript.children if isinstance(child, AnswerView | QuestionView)]
    return [view for view in views if all(word in view_text(view) for word in words)]


class FindInput(Input):
    BINDINGS = [
        Binding("down", "step(1)", "Next match", show=False),
        Binding("up,shift+enter", "step(-1)", "Previous match", show=False),
        Binding("escape", "close", "Close", show=False),
    ]

    def action_step(self, step: int) -> None:
        bar = self.parent
        if isinstance(bar, FindBar):
            bar.step(step)

    def action_close(self) -> None:
        bar = self.parent
        if isinstance(bar, FindBar):
            bar.close()


class FindBar(Horizontal):
    def __init__(self, transcript: Transcript) -> None:
        super().__init__(id="find")
        self.transcript = transcript
        self.matches: list[Widget] = []
        self.index = -1

    def compose(self) -> ComposeResult:
        yield Static("Find:", id="label", markup=False)
        yield FindInput(placeholder="text in the conversation · Enter next · Up previous · Esc")
        yield Static("", id="count", markup=False)

    def on_mount(self) -> None:
        self.query_one(FindInput).focus()

    @property
    def current(self) -> Widget | None:
        return self.matches[self.index] if 0 <= self.index < len(self.matches) else None

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()  # not the app's question input: nothing is asked
        self.step(1)

    def search(self, query: str) -> None:
        """Find ``query`` afresh; the newest match is shown first (the end of a chat is
        what was just read)."""
        self.matches = matching(self.transcript, query)
        self._show(len(self.matches) - 1)

    def step(self, step: int) -> None:
        if not self.matches:
            self._show(-1)
            return
        self._show((self.index + step) % len(self.matches))

    def _show(self, index: int) -> None:
        self._unmark()
        self.index = index
        view = self.current
        count = self.query_one("#count", Static)
        if view is None:
            query = self.query_one(FindInput).value.strip()
            count.update("no match" if query else "")
            return
        label = f"match {index + 1} of {len(self.matches)}"
        count.update(label)
        view.add_class(FOUND)
        view.border_title = f"▶ {label}"
        self.transcript.scroll_to_widget(view, animate=False, top=True)

    def _unmark(self) -> None:
        for view in self.transcript.query(f".{FOUND}"):
            view.remove_class(FOUND)
            view.border_title = None

    def close(self) -> None:
        self._unmark()
        self.remove()
        self.app.query_one("#prompt").focus()
