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

if TYPE_CHECKING:
    from assistant.answer import Answer
    from assistant.engine import Engine

# (label, question): the questions are the card's source of truth, never typed-in numbers.
KEY_QUESTIONS: list[tuple[str, str]] = [
    ("Overall response", "ORR"),
    ("Clinical benefit", "CBR"),
    ("Median PFS", "median PFS"),
    ("Median OS", "median OS"),
    ("Median DOR", "median DOR"),
    ("Grade ≥3 thrombocytopenia", "grade 3 or worse thrombocytopenia"),
]

REGIMEN = "Selinexor 80 mg + dexamethasone 20 mg, orally, days 1 and 3 of every week (twice weekly)"
POPULATION = (
    "Triple-class-refractory multiple myeloma: refractory to a proteasome "
    "inhibitor, an immunomodulatory drug and daratumumab"
)
SOURCE = "Chari et al. N Engl J Med 2019;381:727-38"


@dataclass(frozen=True)
class KeyResult:
    label: str
    figure: str


def summarise(answer: Answer) -> str:
    """A short figure from an answer's values: a rate with n/N and CI, or a median with CI;
    otherwise the start of its text."""
    values = answer.values
    if answer.status != "answered":
        return "—"
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


def key_results(engine: Engine, settings: Settings) -> list[KeyResult]:
    results = []
    for label, question in KEY_QUESTIONS:
        conversation = engine.conversation()
        conversation.settings = settings
        try:
            figure = summarise(conversation.ask(question))
        except Exception:  # noqa: BLE001 - a handler bug must not take the card down
            figure = "—"
        results.append(KeyResult(label, figure))
    return results


class StudyCard(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    StudyCard {
        width: 34; height: 1fr; dock: right;
        background: $panel; border-left: vkey $primary 40%; padding: 0 1;
    }
    StudyCard > .title { text-style: bold; color: $primary; margin-top: 1; }
    StudyCard > .heading { text-style: bold; color: $text; margin-top: 1; }
    StudyCard > .text { color: $text; }
    StudyCard > .muted { color: $text-muted; }
    StudyCard > .figure { color: $text; }
    StudyCard > .label { color: $text-muted; }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.engine: Engine | None = None
        self.settings: Settings | None = None

    def compose(self) -> ComposeResult:
        yield Static("STORM Part 2", classes="title", markup=False)
        yield Static(SOURCE, classes="muted", markup=False)
        yield Static("Regimen", classes="heading", markup=False)
        yield Static(REGIMEN, classes="text", markup=False)
        yield Static("Population", classes="heading", markup=False)
        yield Static(POPULATION, classes="text", markup=False)
        yield Static("Key results", classes="heading", markup=False)
        if self.engine is None or self.settings is None:
            yield Static("Loading…", classes="muted", markup=False)
            return
        for result in key_results(self.engine, self.settings):
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
