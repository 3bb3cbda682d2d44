"""The question input: Textual's ``Input`` plus up/down history recall (Input has none)."""

from __future__ import annotations

from textual.binding import Binding
from textual.suggester import Suggester
from textual.widgets import Input

from assistant.app.history import MAX_ENTRY_CHARS, History

# Room for well over what the engine reads (MAX_ENTRY_CHARS, the same 2,000), so a long paste
# reaches it and the answer says only the start was read; a bound all the same, so a pasted
# file does not bog the input down.
MAX_INPUT_CHARS = 10 * MAX_ENTRY_CHARS


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
            suggester=suggester, max_length=MAX_INPUT_CHARS, id="prompt",
        )
        self.history = history
        self.cursor_blink = cursor_blink

    def replace(self, text: str, start: int, end: int) -> None:
        # Textual refuses a paste that would pass max_length whole (a bell, and the paste is
        # gone); keep as much of it as fits instead.
        value = self.value
        replaced = max(0, min(len(value), max(start, end)) - max(0, min(start, end)))
        room = max(0, self.max_length - (len(value) - replaced)) if self.max_length else None
        if room is not None and len(text) > room:
            if room == 0:
                self.restricted()
                return
            text = text[:room]
        super().replace(text, start, end)

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
