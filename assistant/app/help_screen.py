"""F1: the keys and example questions by area.

Driven from the keyboard: the pane has focus, so the arrows, PgUp/PgDn, Home/End scroll it;
Tab and shift+Tab move from one example question to the next (the pane follows), and Enter
asks the one under the cursor. A click asks it too.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown, Static

from assistant.app.actions import help_keys
from assistant.app.examples import examples
from assistant.app.transcript import ExampleLink


def help_markdown(rebound: Mapping[str, str] | None = None) -> str:
    """The keys, as Markdown, with those ``rebound`` (binding id → keys, the config file's) as
    the user set them; the example questions follow as widgets that can be chosen."""
    lines = ["## Keys", ""]
    lines += [f"- **{keys}**: {what}" for keys, what in help_keys(rebound)]
    lines += [
        "",
        "Follow-ups refer to the previous question: ask *How many had anaemia?* "
        "then *and grade 3 or higher?*.",
        "",
        "## Example questions",
        "",
        "Tab moves to the next one, Enter asks it (or click it).",
    ]
    return "\n".join(lines)


class HelpExample(ExampleLink, can_focus=True):
    """An example question in the help: focusable, so Tab reaches it and Enter asks it."""

    BINDINGS = [Binding("enter", "choose", "Ask", show=False)]

    def action_choose(self) -> None:
        self.post_message(self.Chosen(self.question))


class HelpScreen(ModalScreen[str | None]):
    """Returns the example question chosen, or None when closed."""

    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def __init__(self, rebound: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.rebound = rebound

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll") as scroll:
            scroll.border_title = "Help · ↑ ↓ PgUp PgDn scroll · Esc to close"
            yield Markdown(help_markdown(self.rebound))
            for area, questions in examples().items():
                yield Static(area, classes="area", markup=False)
                for question in questions:
                    yield HelpExample(question)

    def on_mount(self) -> None:
        # Focus on the scrolling pane, so the arrows, PgUp/PgDn, Home and End move it (and
        # not the transcript behind the dialog).
        self.query_one("#help-scroll", VerticalScroll).focus()

    @on(ExampleLink.Chosen)
    def _chosen(self, event: ExampleLink.Chosen) -> None:
        event.stop()  # the app hears it as the dialog's result, not twice
        self.dismiss(event.question)
