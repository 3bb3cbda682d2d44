"""The question input: Textual's ``Input`` plus up/down history recall (Input has none)."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input

from assistant.app.history import MAX_ENTRY_CHARS, History
from assistant.study_profile import STORM

# Room for well over what the engine reads (MAX_ENTRY_CHARS, the same 2,000), so a long paste
# reaches it and the answer says only the start was read; a bound all the same, so a pasted
# file does not bog the input down.
MAX_INPUT_CHARS = 10 * MAX_ENTRY_CHARS
# A paste of more lines than this is a file, not a list of questions: the first ones are asked.
MAX_PASTED_QUESTIONS = 50


def pasted_lines(text: str) -> list[str]:
    """The non-blank lines of a paste, as pasted, split at LF, CR LF and a lone CR alike."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line for line in lines if line.strip()]


class PromptInput(Input):
    BINDINGS = [
        Binding("up", "history_previous", "Previous question", show=False),
        Binding("down", "history_next", "Next question", show=False),
        Binding("escape", "clear_input", "Clear input", show=False),
        # Enter typed before the app took the terminal over (a fast typist at launch) was
        # turned into a newline by the terminal: it arrives as ctrl+j, and still asks.
        Binding("ctrl+j", "submit", "Ask", show=False),
    ]

    def __init__(
        self,
        history: History,
        suggester: Suggester | None = None,
        cursor_blink: bool = True,
        placeholder: str = STORM.placeholder,
    ) -> None:
        super().__init__(
            placeholder=placeholder,
            suggester=suggester,
            max_length=MAX_INPUT_CHARS,
            id="prompt",
        )
        self.history = history
        self.cursor_blink = cursor_blink

    class MultiLinePaste(Message):
        """Several lines were pasted: each is a question, asked in turn (Textual's Input
        would keep only the first line)."""

        def __init__(self, questions: list[str], dropped: int) -> None:
            super().__init__()
            self.questions = questions
            self.dropped = dropped

    def _on_paste(self, event: events.Paste) -> None:
        # Textual calls Input's own handler too unless told not to: this one decides. And
        # stopped, or the app hands the paste back to the focused input a second time.
        event.prevent_default()
        event.stop()
        lines = pasted_lines(event.text)
        if len(lines) <= 1:
            super()._on_paste(events.Paste(lines[0] if lines else ""))
            return
        # The first line joins what was already typed, where the cursor is, as a one-line
        # paste would; the others are questions of their own.
        selection = self.selection
        start, end = sorted((selection.start, selection.end))
        first = self.value[:start] + lines[0] + self.value[end:]
        questions = [first.strip(), *(line.strip() for line in lines[1:])]
        kept = questions[:MAX_PASTED_QUESTIONS]
        self.clear()
        self.post_message(self.MultiLinePaste(kept, len(questions) - len(kept)))

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
