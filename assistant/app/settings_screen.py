"""F3: the interval method and confidence level for the rest of the conversation."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioButton, RadioSet

from assistant.handlers.context import Settings
from knowledge.stats import CI_METHODS

LEVELS: list[float] = [0.80, 0.90, 0.95, 0.99]


def level_label(level: float) -> str:
    return f"{level * 100:g} %"


def settings_line(settings: Settings) -> str:
    method = CI_METHODS.get(settings.ci_method, settings.ci_method)
    return f"CI: {method}, {level_label(settings.level)}"


class SettingsScreen(ModalScreen[Settings | None]):
    """Returns the chosen ``Settings``, or None when cancelled."""

    DEFAULT_CSS = """
    SettingsScreen { align: center middle; }
    SettingsScreen #box {
        width: 70; max-width: 95%; height: auto; max-height: 95%;
        background: $surface; border: round $primary; padding: 0 1;
    }
    SettingsScreen #columns { height: auto; }
    SettingsScreen #method-col { width: 1fr; height: auto; }
    SettingsScreen #level-col { width: 16; height: auto; }
    SettingsScreen RadioSet { width: 100%; }
    SettingsScreen Label { color: $text-muted; }
    SettingsScreen #buttons { height: auto; margin: 1 0 0 0; }
    SettingsScreen Button { margin: 0 1 0 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "apply", "Apply")]

    def __init__(self, current: Settings) -> None:
        super().__init__()
        self.current = current
        self.levels = sorted(set(LEVELS) | {current.level})

    def compose(self) -> ComposeResult:
        with Vertical(id="box") as box:
            box.border_title = "Confidence intervals"
            with Horizontal(id="columns"):
                with Vertical(id="method-col"):
                    yield Label("Method")
                    with RadioSet(id="method"):
                        for key, name in CI_METHODS.items():
                            yield RadioButton(name, value=key == self.current.ci_method,
                                              name=key, id=f"method-{key}")
                with Vertical(id="level-col"):
                    yield Label("Level")
                    with RadioSet(id="level"):
                        for level in self.levels:
                            yield RadioButton(level_label(level),
                                              value=level == self.current.level,
                                              name=str(level),
                                              id=f"level-{round(level * 1000)}")
            with Horizontal(id="buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Cancel", id="cancel")

    def chosen(self) -> Settings:
        method = self.query_one("#method", RadioSet).pressed_button
        level = self.query_one("#level", RadioSet).pressed_button
        return Settings(
            method.name if method and method.name else self.current.ci_method,
            float(level.name) if level and level.name else self.current.level,
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.action_cancel()

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_cancel(self) -> None:
        self.dismiss(None)
