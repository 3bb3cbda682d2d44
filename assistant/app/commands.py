"""The command palette (ctrl+p): every action of the app, and each CI setting directly."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from assistant.app.settings_screen import LEVELS, level_label
from knowledge.stats import CI_METHODS

if TYPE_CHECKING:
    from assistant.app.app import StormChatApp


class StormCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app: StormChatApp = self.app  # type: ignore[assignment]
        commands: list[tuple[str, Callable[[], object], str]] = [
            (
                "Copy answer",
                app.action_copy_answer,
                "The chosen answer (alt+up/down, a click) or the last, with its sources (F4)",
            ),
            (
                "Copy answer as Markdown",
                partial(app.action_copy_answer, "markdown"),
                "Its Markdown, tables included",
            ),
            (
                "Copy answer with full reference",
                partial(app.action_copy_answer, "reference"),
                "Question, answer, sources, CI settings and the study, for a report",
            ),
            (
                "Export conversation to Markdown",
                app.action_export,
                "Write a .md file in the current directory (ctrl+s)",
            ),
            (
                "Save screen as SVG",
                partial(app.action_save, "screen"),
                "Into stormchat-saved/ in the current directory (F5)",
            ),
            (
                "Save chart as text",
                partial(app.action_save, "chart"),
                "The chosen answer's chart, into stormchat-saved/ (F6)",
            ),
            (
                "Clear: start a new conversation",
                app.action_clear,
                "Empty the transcript and start a new conversation; the last stays saved (ctrl+l)",
            ),
            (
                "Saved conversations…",
                app.action_conversations,
                "Reopen, delete or search the conversations kept (ctrl+o)",
            ),
            ("Find in conversation", app.action_find, "Search the transcript (ctrl+f)"),
            ("CI settings…", app.action_settings, "Interval method and level (F3)"),
            ("Toggle study card", app.action_toggle_card, "Show or hide the side panel (F2)"),
            ("Help", app.action_help, "Keys and example questions (F1)"),
        ]
        for key, name in CI_METHODS.items():
            commands.append(
                (
                    f"CI method: {name}",
                    partial(app.set_ci, method=key),
                    f"Use {key} intervals from now on",
                )
            )
        for level in LEVELS:
            commands.append(
                (
                    f"CI level: {level_label(level)}",
                    partial(app.set_ci, level=level),
                    f"Use {level_label(level)} intervals from now on",
                )
            )
        return commands

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
