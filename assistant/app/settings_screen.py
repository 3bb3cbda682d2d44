"""F3: the interval method and confidence level for the rest of the conversation.

Driven from the keyboard: it opens with focus on the method list and the cursor on the
current method; up/down move, Enter (or space) chooses, Tab goes to the level list and the
buttons, ctrl+s applies, ctrl+d applies and saves the choice as the default in the config file
(cli_config), Esc cancels. The chosen item is marked ● (the others ○), so it shows
without colour, and the cursor is underlined as well as highlighted.

Widget ids are positions (``method-0``, ``level-3``), never derived from a value: two levels
such as 95 % and 95.01 % would otherwise give the same id and crash the dialog.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioButton, RadioSet

from assistant.settings import Settings
from knowledge.stats import CI_METHODS

LEVELS: list[float] = [0.80, 0.90, 0.95, 0.99]


def level_label(level: float) -> str:
    return f"{level * 100:g}\u00a0%"  # a no-break space: "95 %" never wraps apart


def settings_line(settings: Settings) -> str:
    method = CI_METHODS.get(settings.ci_method, settings.ci_method)
    return f"CI: {method}, {level_label(settings.level)}"


class Choice(RadioButton):
    """A radio button whose state shows without colour: ● chosen, ○ not."""

    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else "○"
        return super()._button


@dataclass(frozen=True)
class SettingsChoice:
    settings: Settings
    save: bool  # also the default of later sessions (the config file)


class SettingsScreen(ModalScreen[SettingsChoice | None]):
    """Returns the choice, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "apply", "Apply"),
        Binding("ctrl+d", "apply(True)", "Save as default"),
    ]

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
                        for index, (key, name) in enumerate(CI_METHODS.items()):
                            yield Choice(
                                name,
                                value=key == self.current.ci_method,
                                name=key,
                                id=f"method-{index}",
                            )
                with Vertical(id="level-col"):
                    yield Label("Level")
                    with RadioSet(id="level"):
                        for index, level in enumerate(self.levels):
                            yield Choice(
                                level_label(level),
                                value=level == self.current.level,
                                name=repr(level),
                                id=f"level-{index}",
                            )
            with Horizontal(id="buttons"):
                yield Button("Apply", variant="primary", id="apply")
                yield Button("Save as default", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        # The cursor on the current choice (RadioSet starts it on the first button), focus on
        # the method list: F3, Down, Enter picks the next method without touching the mouse.
        for radio_set in self.query(RadioSet):
            buttons = list(radio_set.query(RadioButton))
            pressed = next((i for i, button in enumerate(buttons) if button.value), None)
            if pressed is not None:
                radio_set._selected = pressed  # noqa: SLF001 - RadioSet has no public setter
        self.query_one("#method", RadioSet).focus()

    def method_button(self, key: str) -> RadioButton:
        """The button for the method ``key`` (ids are positions, not keys)."""
        return next(
            b for b in self.query("#method RadioButton").results(RadioButton) if b.name == key
        )

    def level_button(self, level: float) -> RadioButton:
        return next(
            b
            for b in self.query("#level RadioButton").results(RadioButton)
            if b.name == repr(level)
        )

    def chosen(self) -> Settings:
        method = self.query_one("#method", RadioSet).pressed_button
        level = self.query_one("#level", RadioSet).pressed_button
        return Settings(
            method.name if method and method.name else self.current.ci_method,
            float(level.name) if level and level.name else self.current.level,
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id in ("apply", "save"):
            self.action_apply(save=event.button.id == "save")
        else:
            self.action_cancel()

    def action_apply(self, save: bool = False) -> None:
        self.dismiss(SettingsChoice(self.chosen(), save))

    def action_cancel(self) -> None:
        self.dismiss(None)
