"""Every action of the chat app in one table: it makes the key bindings (each with an id, by
which the config file's ``[keys]`` rebinds it), the keys in F1 help and the commands of the
palette (ctrl+p). Plain data: the app turns it into Textual's ``Binding`` and
``SystemCommand``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    id: str  # the binding's id: the config file's name for it
    action: str  # Textual's action string, run on the app
    keys: str | None = None  # the default keys ("f2,ctrl+b"); None: in the palette only
    footer: str | None = None  # the footer's label; None: not in the footer
    shown: str = ""  # the keys as help shows them ("F2, ctrl+b"); "" with no help line
    help: str = ""  # the help's line
    command: str = ""  # the palette's title; "" for none
    command_help: str = ""

    @property
    def label(self) -> str:
        """The binding's description (the footer, Textual's keys panel)."""
        return self.footer or self.command or self.id.replace("_", " ").capitalize()


ACTIONS: tuple[Action, ...] = (
    Action(
        "help",
        "help",
        "f1",
        "Help",
        "F1",
        "this help",
        "Help",
        "Keys and example questions (F1)",
    ),
    Action(
        "card",
        "toggle_card",
        "f2,ctrl+b",
        "Card",
        "F2, ctrl+b",
        "show or hide the study card",
        "Toggle study card",
        "Show or hide the side panel (F2)",
    ),
    Action(
        "settings",
        "settings",
        "f3",
        "CI",
        "F3",
        "CI method and level: arrows, Enter chooses, Tab, ctrl+s applies, ctrl+d also saves "
        "it as the default",
        "CI settings…",
        "Interval method and level (F3)",
    ),
    Action(
        "copy",
        "copy_answer",
        "f4",
        "Copy",
        "F4",
        "copy the last answer (the notice says whether it reached the clipboard)",
        "Copy answer",
        "The chosen answer (alt+up/down, a click) or the last, with its sources (F4)",
    ),
    Action(
        "copy_markdown",
        "copy_answer('markdown')",
        command="Copy answer as Markdown",
        command_help="Its Markdown, tables included",
    ),
    Action(
        "copy_reference",
        "copy_answer('reference')",
        command="Copy answer with full reference",
        command_help="Question, answer, sources, CI settings and the study, for a report",
    ),
    Action(
        "previous",
        "select_answer(-1)",
        "alt+up,ctrl+up",
        shown="alt+Up / alt+Down, click",
        help="choose another answer for F4; ctrl+p copies it as Markdown or with its full "
        "reference",
    ),
    Action("next", "select_answer(1)", "alt+down,ctrl+down"),
    Action(
        "export",
        "export",
        "ctrl+s",
        "Export",
        "ctrl+s",
        "export the conversation to Markdown",
        "Export conversation to Markdown",
        "Write a .md file in the current directory (ctrl+s)",
    ),
    Action(
        "save_screen",
        "save('screen')",
        "f5",
        None,
        "F5",
        "save the screen as SVG in stormchat-saved/ (created when missing)",
        "Save screen as SVG",
        "Into stormchat-saved/ in the current directory (F5)",
    ),
    Action(
        "save_chart",
        "save('chart')",
        "f6",
        None,
        "F6",
        "save the chosen answer's chart as text in stormchat-saved/",
        "Save chart as text",
        "The chosen answer's chart, into stormchat-saved/ (F6)",
    ),
    Action(
        "new",
        "clear",
        "ctrl+l",
        "New",
        "ctrl+l",
        "start a new conversation (the last one stays saved)",
        "Clear: start a new conversation",
        "Empty the transcript and start a new conversation; the last stays saved (ctrl+l)",
    ),
    Action(
        "history",
        "conversations",
        "ctrl+o",
        "History",
        "ctrl+o",
        "saved conversations: Enter reopens one, Del deletes it, / searches them, Esc closes",
        "Saved conversations…",
        "Reopen, delete or search the conversations kept (ctrl+o)",
    ),
    Action(
        "find",
        "find",
        "ctrl+f",
        None,
        "ctrl+f",
        "find in the conversation: Enter or Down next, Up previous match, Esc closes",
        "Find in conversation",
        "Search the transcript (ctrl+f)",
    ),
    Action(
        "scroll_up",
        "scroll_transcript(-1)",
        "pageup",
        shown="PgUp / PgDn",
        help="scroll the conversation",
    ),
    Action("scroll_down", "scroll_transcript(1)", "pagedown"),
)

# Help lines for keys that are not the app's actions: the input's, and Textual's own.
KEYS_BEFORE: tuple[tuple[str, str], ...] = (
    ("Enter", "ask the question"),
    ("Up / Down", "recall earlier questions (kept between runs)"),
    ("Right / End", "accept the grey suggestion"),
)
KEYS_AFTER: tuple[tuple[str, str], ...] = (
    ("Paste", "several lines: each is asked in turn"),
    ("ctrl+p", "all commands"),
    ("ctrl+q", "quit"),
)
# A help line that covers two actions (previous and next answer; page up and down).
_PAIRED = {"previous": "next", "scroll_up": "scroll_down"}


def action_ids() -> list[str]:
    """What the config file's [keys] can rebind."""
    return [action.id for action in ACTIONS if action.keys]


def first_key(action_id: str, rebound: Mapping[str, str] | None = None) -> str:
    """The key the welcome names for an action: the first of its keys, as help shows them
    ("F2" of "F2, ctrl+b"), or the first of those the config gave it, as written there."""
    rebound = rebound or {}
    if action_id in rebound:
        return rebound[action_id].split(",")[0].strip()
    (action,) = (a for a in ACTIONS if a.id == action_id)
    return action.shown.split(", ")[0]


def welcome_hint(rebound: Mapping[str, str] | None = None) -> str:
    """The welcome's last line: the keys to start with, as the config binds them."""
    keys = {name: first_key(name, rebound) for name in ("help", "card", "settings")}
    return (
        f"{keys['help']} help · {keys['card']} study card · {keys['settings']} CI settings · "
        "ctrl+p all commands"
    )


def help_keys(rebound: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(keys, what they do) for F1 help, the keys as ``rebound`` (id → keys) has them."""
    rebound = rebound or {}

    def shown(action: Action) -> str:
        if action.id not in rebound and _PAIRED.get(action.id) not in rebound:
            return action.shown
        ids = [action.id, *([_PAIRED[action.id]] if action.id in _PAIRED else [])]
        keys = {a.id: a.keys or "" for a in ACTIONS}
        return " / ".join(", ".join(rebound.get(i, keys[i]).split(",")) for i in ids)

    lines = [(shown(action), action.help) for action in ACTIONS if action.help]
    return [*KEYS_BEFORE, *lines, *KEYS_AFTER]
