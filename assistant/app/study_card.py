"""The side panel: the study at a glance. The key results are asked of the engine in a
conversation of their own, so the card shows exactly what the chat would answer, with the
current CI settings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from assistant.app.text import keep_together, one_line
from assistant.settings import Settings
from assistant.study_profile import STORM, StudyProfile

if TYPE_CHECKING:
    from assistant.answer import Answer
    from assistant.engine import Engine


@dataclass(frozen=True)
class KeyResult:
    label: str
    figure: str


def summarise(answer: Answer) -> str:
    """A short figure from an answer's values: a rate with n/N and CI, or a median with CI;
    one line per arm for an answer by arm; otherwise the start of its text."""
    values = answer.values
    if answer.status != "answered":
        return "—"
    arms = values.get("arms")
    if isinstance(arms, list) and arms and all(isinstance(a, dict) and "arm" in a for a in arms):
        return "\n".join(_arm_figure(arm) for arm in arms)
    low, high, level = values.get("ci_low"), values.get("ci_high"), values.get("level")
    # The answers' style: "26.2 % (32/122)", "95 % CI 18.7–35.0", no-break spaces inside.
    ci_name = f"{level * 100:g} % CI" if isinstance(level, float) else "CI"
    rate = values.get("rate")
    if isinstance(rate, float) and "n" in values and "N" in values:
        figure = f"{100 * rate:.1f} % ({values['n']}/{values['N']})"
        if isinstance(low, float) and isinstance(high, float):
            figure += f"\n{ci_name} {100 * low:.1f}–{100 * high:.1f}"
        return keep_together(figure)
    median = values.get("median")
    if isinstance(median, int | float):
        figure = f"{median:.1f} {values.get('unit', '')}".rstrip()
        if isinstance(low, int | float):
            upper = f"{high:.1f}" if isinstance(high, int | float) else "not reached"
            figure += f"\n{ci_name} {low:.1f}–{upper}"
        return keep_together(figure)
    first = one_line(answer.text).split(". ")[0]
    return first[:80]


def _arm_figure(values: dict[str, object]) -> str:
    """One arm of an answer by arm: "Placebo: 75.6 % (65/86)", "Placebo: 1.1 months"."""
    n, total = values.get("n"), values.get("N")
    median = values.get("median_months", values.get("median"))
    if "rate" in values and isinstance(n, int) and isinstance(total, int) and total:
        # From the counts, as the answer's text is: the rounded rate can round again wrongly
        # (26/84 is 30.95…, stored as 0.3095).
        figure = f"{100 * n / total:.1f} % ({n}/{total})"
    elif "median" in values:
        unit = "months" if "median_months" in values else str(values.get("unit", ""))
        figure = f"{median:.1f} {unit}".rstrip() if isinstance(median, float) else "not reached"
    else:
        return str(values["arm"])
    return f"{values['arm']}: {keep_together(figure)}"


def key_results(
    engine: Engine, settings: Settings, questions: tuple[tuple[str, str], ...]
) -> list[KeyResult]:
    """(label, question) → the answer's figure: the questions are the card's source of truth,
    never typed-in numbers."""
    results = []
    for label, question in questions:
        conversation = engine.conversation()
        conversation.settings = settings
        try:
            figure = summarise(conversation.ask(question))
        except Exception:  # noqa: BLE001 - a handler bug must not take the card down
            figure = "—"
        results.append(KeyResult(label, figure))
    return results


class StudyCard(VerticalScroll, can_focus=False):
    def __init__(self, study: StudyProfile = STORM, id: str | None = None) -> None:
        super().__init__(id=id)
        self.engine: Engine | None = None
        self.settings: Settings | None = None
        self.study = study

    def compose(self) -> ComposeResult:
        yield Static(self.study.name, classes="title", markup=False)
        yield Static(self.study.source, classes="muted", markup=False)
        for heading, text in self.study.sections:
            yield Static(heading, classes="heading", markup=False)
            yield Static(text, classes="text", markup=False)
        if self.study.key_questions:
            yield Static("Key results", classes="heading", markup=False)
        if self.engine is None or self.settings is None:
            yield Static("Loading…", classes="muted", markup=False)
            return
        for result in key_results(self.engine, self.settings, self.study.key_questions):
            yield Static(result.label, classes="label", markup=False)
            yield Static(result.figure, classes="figure", markup=False)

    async def show_results(self, engine: Engine, settings: Settings) -> None:
        """The key results, once the engine is loaded."""
        self.engine = engine
        await self.refresh_results(settings)

    async def refresh_results(self, settings: Settings) -> None:
        """Recompute with new CI settings (cheap: a few engine calls)."""
        self.settings = settings
        await self.recompose()
