"""Charts in the terminal with textual-plotext: Kaplan-Meier curves and bar charts, drawn
from an ``Answer.chart``. Bad rows (a store given with ``--db`` may hold anything) are skipped
rather than allowed to break the drawing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from assistant.answer import Chart
from assistant.app.text import one_line

# Labels longer than this read badly under vertical bars; such charts are drawn sideways.
_VERTICAL_LABEL_MAX = 6


# plotext scales every coordinate by 10^8 and floors it: beyond this it overflows. No study
# has a time or count near it; a store that does gets a note instead of a chart.
DRAWABLE_MAX = 1e12
NOT_DRAWN = "(chart not drawn: its values are out of the range a terminal chart can show)"


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def nice_ticks(top: float, target: int = 6) -> list[float]:
    """Round tick positions from 0 to at least ``top`` (steps of 1, 2, 2.5 or 5 × 10^k), so
    the axes read 0, 5, 10 months rather than plotext's 0.0, 5.5, 10.9.

    Total over any input: a store given with ``--db`` may hold times of 5e-324 (whose sixth
    underflows to 0, where log10 is undefined) or 1e308 (whose rounded-up top overflows).
    Outside the range where round steps can be computed the axis is just 0 and ``top``."""
    top = float(top)
    if not math.isfinite(top) or top <= 0:
        return [0.0, 1.0]
    target = max(1, int(target))
    raw = top / target
    if not _TICK_RANGE[0] <= raw <= _TICK_RANGE[1]:
        return [0.0, top]
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), 10 * magnitude)
    count = max(1, math.ceil(top / step - 1e-9))
    return [round(i * step, 10) if step >= 1e-9 else i * step for i in range(count + 1)]


# Where step arithmetic stays exact enough and finite: far inside float's normal range.
_TICK_RANGE = (1e-300, 1e300)


def tick_labels(ticks: list[float]) -> list[str]:
    return [f"{tick:g}" for tick in ticks]


def km_steps(times: list[Any], survival: list[Any]) -> tuple[list[float], list[float]]:
    """The staircase of a survival curve: from (0, 1), drop at each time to its value."""
    xs, ys = [0.0], [1.0]
    for raw_t, raw_s in zip(times, survival, strict=False):
        t, s = _number(raw_t), _number(raw_s)
        if t is None or s is None or t < xs[-1]:
            continue
        xs += [t, t]
        ys += [ys[-1], s]
    return xs, ys


def bar_rows(series: list[dict[str, Any]]) -> tuple[list[str], list[float]]:
    labels, values = [], []
    for row in series:
        value = _number(row.get("value"))
        if value is not None:
            labels.append(one_line(str(row.get("label", ""))))
            values.append(value)
    return labels, values


def _in_range(chart: Chart) -> bool:
    """Whether every number the chart would draw is one plotext can place."""
    numbers: Sequence[float | None]
    if chart.kind == "km":
        numbers = [_number(t) for curve in chart.series for t in curve.get("times", [])]
    else:
        numbers = bar_rows(chart.series)[1]
    return all(abs(n) <= DRAWABLE_MAX for n in numbers if n is not None)


class ChartView(PlotextPlot):
    """A fixed-height plot under an answer."""

    DEFAULT_CSS = """
    ChartView { height: 16; max-height: 60vh; width: 1fr; max-width: 100; margin: 1 1 0 0; }
    """

    def __init__(self, chart: Chart) -> None:
        super().__init__()
        self.chart = chart
        self._sideways = False
        self._drawable = True

    def render(self) -> RenderResult:
        # The last line of defence: whatever a store holds, a chart that plotext cannot build
        # is a note, never a crash of the app.
        if not self._drawable:
            return Text(NOT_DRAWN, style="italic")
        try:
            return super().render()
        except Exception:  # noqa: BLE001 - plotext raises anything from ZeroDivision to Overflow
            self._drawable = False
            return Text(NOT_DRAWN, style="italic")

    def on_mount(self) -> None:
        plt = self.plt
        chart = self.chart
        self._drawable = _in_range(chart)
        if not self._drawable:
            self.styles.height = 1
            return
        plt.title(one_line(chart.title))
        if chart.kind == "km":
            self._draw_km(chart)
        else:
            self._draw_bars(chart)
        x_label, y_label = chart.x_label, chart.y_label
        if chart.kind == "bar" and self._sideways:
            # The handler labels axes as for upright bars; sideways the values run along x.
            x_label, y_label = y_label, x_label
        if x_label:
            plt.xlabel(one_line(x_label))
        if y_label:
            plt.ylabel(one_line(y_label))

    def _draw_km(self, chart: Chart) -> None:
        plt = self.plt
        longest = 0.0
        for curve in chart.series:
            xs, ys = km_steps(list(curve.get("times", [])), list(curve.get("survival", [])))
            longest = max(longest, xs[-1])
            label = curve.get("label")
            plt.plot(xs, ys, marker="braille", label=one_line(str(label)) if label else None)
        ticks = nice_ticks(longest)
        plt.xticks(ticks, tick_labels(ticks))
        plt.xlim(0, ticks[-1])
        plt.ylim(0, 1.05)
        plt.yticks([0, 0.25, 0.5, 0.75, 1.0])
        # The dotted line at 0.5: where the median is read off the curve.
        plt.hline(0.5, "gray")

    def _draw_bars(self, chart: Chart) -> None:
        labels, values = bar_rows(chart.series)
        if not labels:
            return
        self._sideways = max(len(label) for label in labels) > _VERTICAL_LABEL_MAX
        ticks = nice_ticks(max(values))
        if self._sideways:
            # plotext stacks sideways bars from the bottom up: reverse so the first row of
            # the answer is the top bar, read top-down like the table beside it. Two rows a
            # bar, plus the frame, title and labels.
            self.plt.bar(labels[::-1], values[::-1], orientation="horizontal", width=0.5)
            self.plt.xticks(ticks, tick_labels(ticks))
            self.plt.xlim(0, ticks[-1])
            self.styles.height = min(max(2 * len(labels) + 6, 12), 30)
        else:
            self.plt.bar(labels, values, orientation="vertical", width=0.5)
            self.plt.yticks(ticks, tick_labels(ticks))
            self.plt.ylim(0, ticks[-1])
