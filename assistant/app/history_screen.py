"""ctrl+o: the saved conversations, the one asked in last first (a conversation reopened
and continued comes back to the top); open one, delete one, search them all.

Driven from the keyboard: the list has focus (up/down, PgUp/PgDn, Home/End move); Enter
reopens the conversation under the cursor; Delete or d asks before deleting it; / or ctrl+f
goes to the search box, which filters the list as you type by the text of the questions and
answers (Enter there opens the first match, Down goes back to the list); Esc closes. The row
under the cursor is bold and underlined as well as highlighted, so it shows without colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Static

from assistant.app.conversations import ConversationStore, Listing, SavedConversation
from assistant.app.text import one_line

DATE_FORMAT = "%Y-%m-%d %H:%M"
DATE_WIDTH = len("2026-01-01 00:00")
TURNS_WIDTH = len("Turns")


@dataclass
class HistoryResult:
    """What the screen did: the conversation to reopen (if any) and the files deleted."""

    reopen: SavedConversation | None = None
    deleted: set[Path] = field(default_factory=set)


def describe(conversation: SavedConversation) -> str:
    turns = len(conversation.turns)
    first = one_line(conversation.first_question)
    if len(first) > 60:
        first = first[:59] + "…"
    plural = "s" if turns != 1 else ""
    return f"{conversation.updated:{DATE_FORMAT}} · “{first}” · {turns} turn{plural}"


class ConfirmDelete(ModalScreen[bool]):
    """y (or the Delete button) deletes; n, Esc (or Keep) keeps."""

    BINDINGS = [
        Binding("y", "answer(True)", "Delete"),
        Binding("n,escape", "answer(False)", "Keep"),
    ]

    def __init__(self, conversation: SavedConversation) -> None:
        super().__init__()
        self.conversation = conversation

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Delete this conversation?"
            yield Static(describe(self.conversation), markup=False)
            yield Static("It cannot be undone. y deletes it, n or Esc keeps it.", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Delete (y)", variant="error", id="yes")
                yield Button("Keep (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, delete: bool) -> None:
        self.dismiss(delete)


class ConversationTable(DataTable[str | Text]):
    """The list; its width decides how much of each first question shows."""

    class Resized(Message):
        pass

    def on_resize(self) -> None:
        self.post_message(self.Resized())


class HistoryScreen(ModalScreen[HistoryResult]):
    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("slash,ctrl+f", "search", "Search", show=False),
    ]

    def __init__(self, store: ConversationStore, current: Path | None = None) -> None:
        super().__init__()
        self.store = store
        self.current = current
        self.listing = Listing([], [])
        self.shown: list[SavedConversation] = []
        self.deleted: set[Path] = set()

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Conversations · Enter opens · Del deletes · / searches · Esc"
            yield Input(placeholder="Search the questions and answers", id="search")
            yield ConversationTable(id="conversations", cursor_type="row")
            yield Static("", id="summary", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.listing = self.store.list()
        if self.listing.set_aside:
            names = ", ".join(path.name for path in self.listing.set_aside)
            self.notify(
                f"A damaged conversation file was kept aside as {names}; the turns that "
                "could be read are listed.",
                severity="warning",
                markup=False,
                timeout=10,
            )
        self._fill()
        table.focus()

    @on(ConversationTable.Resized)
    def _refill(self) -> None:
        row = self.query_one(DataTable).cursor_row
        self._fill()
        self.query_one(DataTable).move_cursor(row=row)

    @property
    def query_text(self) -> str:
        return self.query_one("#search", Input).value.strip()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        words = self.query_text.casefold().split()
        self.shown = [
            c
            for c in self.listing.conversations
            if c.path not in self.deleted and all(w in c.search_text() for w in words)
        ]
        table.clear(columns=True)
        table.add_column("Last asked", key="updated")
        table.add_column("Turns", key="turns")
        # The question takes the rest of the row and ends in "…" when longer: the whole
        # width is the list's, no sideways scrolling.
        room = table.scrollable_content_region.width - DATE_WIDTH - TURNS_WIDTH - 3 * 2 - 1
        table.add_column("First question", key="first", width=max(20, room))
        for conversation in self.shown:
            turns = len(conversation.turns)
            mark = " (open)" if conversation.path == self.current else ""
            table.add_row(
                f"{conversation.updated:{DATE_FORMAT}}",
                Text(f"{turns}", justify="right"),
                Text(
                    one_line(conversation.first_question) + mark,
                    overflow="ellipsis",
                    no_wrap=True,
                ),
            )
        self._summarise()

    def _summarise(self) -> None:
        total = len([c for c in self.listing.conversations if c.path not in self.deleted])
        if total == 0:
            text = "No saved conversations yet: each conversation is saved as you ask."
        elif self.query_text:
            text = f"{len(self.shown)} of {total} conversations contain “{self.query_text}”."
        else:
            text = f"{total} saved conversation{'s' if total != 1 else ''}, last asked first."
        if self.listing.left_out:
            text += f" ({self.listing.left_out} older ones are not listed.)"
        self.query_one("#summary", Static).update(text)

    def highlighted(self) -> SavedConversation | None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        return self.shown[row] if self.shown and 0 <= row < len(self.shown) else None

    @on(Input.Changed, "#search")
    def _search_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self._open(self.highlighted())

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self._open(self.highlighted())

    def _open(self, conversation: SavedConversation | None) -> None:
        if conversation is None:
            self.notify("No conversation to open.", severity="warning")
            return
        self.dismiss(HistoryResult(conversation, self.deleted))

    def key_down(self) -> None:
        # Down in the search box goes to the list; in the list the table moves itself.
        if self.focused is self.query_one("#search", Input):
            self.query_one(DataTable).focus()

    def key_delete(self) -> None:
        self.action_delete()

    def key_d(self) -> None:
        if self.focused is self.query_one(DataTable):
            self.action_delete()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # "/" is a character to search for once in the search box.
        if action == "search" and self.focused is not None and self.focused.id == "search":
            return False
        return True

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_delete(self) -> None:
        if self.focused is self.query_one("#search", Input):
            return  # Delete there deletes a character
        conversation = self.highlighted()
        if conversation is None or conversation.path is None:
            self.notify("No conversation to delete.", severity="warning")
            return
        path = conversation.path

        def confirmed(delete: bool | None) -> None:
            if not delete:
                return
            if self.store.delete(path):
                self.deleted.add(path)
                row = self.query_one(DataTable).cursor_row
                self._fill()
                self.query_one(DataTable).move_cursor(row=min(row, max(0, len(self.shown) - 1)))
                self.notify(f"Deleted the conversation of {conversation.updated:{DATE_FORMAT}}.")
            else:
                self.notify(f"Could not delete {path}.", severity="error", markup=False)

        self.app.push_screen(ConfirmDelete(conversation), confirmed)

    def action_close(self) -> None:
        search = self.query_one("#search", Input)
        if self.focused is search:
            # Esc leaves the search box for the list first (the filter stays).
            self.query_one(DataTable).focus()
            return
        self.dismiss(HistoryResult(None, self.deleted))
