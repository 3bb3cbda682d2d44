"""F1: the keys and example questions by area."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from assistant.app.examples import EXAMPLES

KEYS: list[tuple[str, str]] = [
    ("Enter", "ask the question"),
    ("Up / Down", "recall earlier questions (kept between runs)"),
    ("Right / End", "accept the grey suggestion"),
    ("F1", "this help"),
    ("F2, ctrl+b", "show or hide the study card"),
    ("F3", "CI method and level: arrows, Enter chooses, Tab, ctrl+s applies"),
    ("F4", "copy the last answer (the notice says whether it reached the clipboard)"),
    ("alt+Up / alt+Down, click", "choose another answer for F4; ctrl+p copies it as Markdown "
     "or with its full reference"),
    ("ctrl+s", "export the conversation to Markdown"),
    ("ctrl+l", "clear the conversation (start a new one)"),
    ("PgUp / PgDn", "scroll the conversation"),
    ("Paste", "several lines: each is asked in turn"),
    ("ctrl+p", "all commands"),
    ("ctrl+q", "quit"),
]


def help_markdown() -> str:
    lines = ["## Keys", ""]
    lines += [f"- **{key}**: {what}" for key, what in KEYS]
    lines += ["", "Follow-ups refer to the previous question: ask *How many had anaemia?* "
              "then *and grade 3 or higher?*.", ""]
    for area, questions in EXAMPLES.items():
        lines += [f"## {area}", ""] + [f"- {question}" for question in questions] + [""]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 90; height: 90%;
        background: $surface; border: round $primary; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll") as scroll:
            scroll.border_title = "Help · ↑ ↓ PgUp PgDn scroll · Esc to close"
            yield Markdown(help_markdown())

    def on_mount(self) -> None:
        # Focus on the scrolling pane, so the arrows, PgUp/PgDn, Home and End move it (and
        # not the transcript behind the dialog).
        self.query_one("#help-scroll", VerticalScroll).focus()
