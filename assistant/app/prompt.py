"""The question input: Textual's ``Input`` plus up/down history recall (Input has none)."""

from __future__ import annotations

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

from assistant.app.history import MAX_ENTRY_CHARS, History


class PromptInput(Input):
    DEFAULT_CSS = """
    PromptInput { margin: 0 1; border: tall $primary 60%; }
    PromptInput:focus { border: tall $primary; }
    """
    BINDINGS = [
        Binding("up", "history_previous", "Previous question", show=False),
        Binding("down", "history_next", "Next question", show=False),
        Binding("escape", "clear_input", "Clear input", show=False),
    ]

    def __init__(self, history: History, suggester: Suggester | None = None,
                 cursor_blink: bool = True) -> None:
        super().__init__(
            placeholder="Ask about STORM Part 2, e.g. What was the overall response rate?",
            suggester=suggester, max_length=MAX_ENTRY_CHARS, id="prompt",
        )
        self.history = history
        self.cursor_blink = cursor_blink

    def _show(self, text: str) -> None:
        self.value = text
        self.cursor_position = len(text)

    def action_history_previous(self) -> None:
        entry = self.history.previous(self.value)
        if entry is not None:
            self._show(entry)

    def action_history_next(self) -> None:
        entry = self.history.next()
        if entry is not None:
            self._show(entry)

    def action_clear_input(self) -> None:
        self.history.reset()
        self.value = ""
