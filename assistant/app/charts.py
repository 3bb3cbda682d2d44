"""Charts under an answer, drawn from an ``Answer.chart``.

Bar charts are drawn here as text, one row a bar: a linear axis with evenly spaced ticks, the
value after each bar, and a marker on a row whose split the sources do not publish. Kaplan–Meier
curves are drawn with plotext (textual-plotext), with a ``+`` at each censored time and the
numbers at risk under the time axis. The title and the legend are lines of their own, above and
below the drawing, so they wrap at any width and never cover a curve.

Bad rows (a store given with ``--db`` may hold anything) are skipped rather than allowed to
break the drawing."""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from assistant.answer import Chart
from assistant.app.text import NBSP, one_line

# plotext scales every coordinate by 10^8 and floors it: beyond this it overflows. No study
# has a time or count near it; a store that does gets a note instead of a chart.
DRAWABLE_MAX = 1e12
NOT_DRAWN = "(chart not drawn: its values are out of the range a terminal chart can show)"
# The marker after a bar whose figure is not published as such (a split the sources do not
# give), explained in the legend.
NOTE_MARK = "†"
CENSOR_MARK = "+"
# Plot rows from which the survival axis is marked in quarters rather than halves.
_QUARTER_ROWS = 14
AT_RISK_TITLE = "Number at risk"
# Partial blocks, in eighths of a cell: a bar of 2 patients out of 120 is a sliver, not zero.
_EIGHTHS = " ▏▎▍▌▋▊▉"
# A bar label takes at most this share of the width; longer ones are cut with "…", so a bar
# never wraps into the next label's row.
_LABEL_SHARE = 3
# Columns between ticks at least: room for a tick label such as "100" and a space.
_TICK_ROOM = 6


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


# ------------------------------------------------------------------------------ bar charts


@dataclass(frozen=True)
class BarRow:
    label: str
    value: float
    note: str = ""  # why the figure is not a published one ("split not published")


def bar_rows(series: list[dict[str, Any]]) -> list[BarRow]:
    rows = []
    for row in series:
        value = _number(row.get("value"))
        if value is not None:
            note = row.get("note")
            rows.append(
                BarRow(one_line(str(row.get("label", ""))), value, one_line(str(note or "")))
            )
    return rows


def value_text(value: float, unit: str = "") -> str:
    """``24`` patients, ``26.2 %``: whole numbers without decimals."""
    if abs(value) >= 1e6 or 0 < abs(value) < 0.05:
        shown = f"{value:.3g}"
    else:
        shown = f"{value:.0f}" if value == round(value) else f"{value:.1f}"
    return f"{shown}{NBSP}%" if unit == "%" else shown


def bar_cells(value: float, top: float, span: int) -> str:
    """A bar of ``value`` on an axis from 0 to ``top`` over ``span`` cells, in eighths of a
    cell; any value above 0 shows at least one eighth."""
    if value <= 0 or top <= 0:
        return ""
    eighths = min(span * 8, max(1, round(value / top * span * 8)))
    full, part = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[part] if part else "")


def draw_bars(rows: Sequence[BarRow], width: int, unit: str = "") -> list[str]:
    """The bar chart as lines of at most ``width`` characters: one row a bar, then the axis
    (a ``┬`` at each tick, evenly spaced) and the tick labels."""
    if not rows:
        return []
    label_width = min(max(len(r.label) for r in rows), max(4, width // _LABEL_SHARE))
    values = [value_text(r.value, unit) + (NOTE_MARK if r.note else "") for r in rows]
    value_width = max(len(v) for v in values)
    top_value = max(max(r.value for r in rows), 0.0)
    # Room for the bars: the label and a space before, a space and the value after.
    room = max(1, width - label_width - 2 - value_width)
    ticks = nice_ticks(top_value, max(1, min(6, room // _TICK_ROOM)))
    labels = tick_labels(ticks)
    room = max(1, width - label_width - 2 - max(value_width, (len(labels[-1]) + 1) // 2))
    intervals = len(ticks) - 1
    # A whole number of cells between ticks, so the ticks are evenly spaced.
    span = max(intervals, room // intervals * intervals)
    top = ticks[-1]
    lines = []
    for row, shown in zip(rows, values, strict=True):
        label = row.label if len(row.label) <= label_width else row.label[: label_width - 1] + "…"
        bar = bar_cells(row.value, top, span)
        lines.append(f"{label:<{label_width}} {bar} {shown}".rstrip())
    indent = " " * (label_width + 1)
    columns = [i * span // intervals for i in range(len(ticks))]
    axis = ["─"] * (span + 1)
    for column in columns:
        axis[column] = "┬"
    lines.append(indent + "".join(axis))
    under = [" "] * (span + 1 + len(labels[-1]))
    for column, text in zip(columns, labels, strict=True):
        start = max(0, column - (len(text) - 1) // 2)
        under[start : start + len(text)] = text
    lines.append((indent + "".join(under)).rstrip())
    return [line[:width] for line in lines]


# --------------------------------------------------------------------------- Kaplan–Meier


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


def survival_at(xs: Sequence[float], ys: Sequence[float], time: float) -> float:
    """S(time) on a staircase from ``km_steps`` (right-continuous: the drop at t counts)."""
    index = bisect.bisect_right(xs, time) - 1
    return ys[max(0, index)]


def at_risk(follow_up: Sequence[Any], times: Sequence[float]) -> list[int]:
    """How many patients are still followed (no event, not censored) just before each time:
    those whose own time is at least it."""
    ordered = sorted(t for t in (_number(v) for v in follow_up) if t is not None)
    return [len(ordered) - bisect.bisect_left(ordered, time) for time in times]


def _km_numbers(chart: Chart) -> list[float | None]:
    return [
        _number(t)
        for curve in chart.series
        for key in ("times", "censored", "follow_up")
        for t in curve.get(key, [])
    ]


def _in_range(chart: Chart) -> bool:
    """Whether every number the chart would draw is one plotext can place."""
    numbers: Sequence[float | None]
    if chart.kind == "km":
        numbers = _km_numbers(chart)
    else:
        numbers = [r.value for r in bar_rows(chart.series)]
    return all(abs(n) <= DRAWABLE_MAX for n in numbers if n is not None)


def centred_under(columns: Sequence[int], texts: Sequence[str], width: int) -> str:
    """``texts`` centred under ``columns``; one that would overlap the previous is left out."""
    line = [" "] * width
    end = -1
    for column, text in zip(columns, texts, strict=True):
        start = max(0, column - (len(text) - 1) // 2)
        if start <= end or start + len(text) > width:
            continue
        line[start : start + len(text)] = text
        end = start + len(text)
    return "".join(line).rstrip()


class KMPlot(PlotextPlot):
    """The curves, censor marks and the numbers at risk under the ticks of the time axis."""

    def __init__(self, chart: Chart) -> None:
        super().__init__()
        self.chart = chart
        self.ticks: list[float] = []
        # One row per curve under the axis, and the heading above them.
        self._extra = 1 + max(1, sum(1 for curve in chart.series if "follow_up" in curve))
        self.at_risk_lines: list[str] = []

    def on_mount(self) -> None:
        plt = self.plt
        longest = 0.0
        for curve in self.chart.series:
            xs, ys = km_steps(list(curve.get("times", [])), list(curve.get("survival", [])))
            censored = [t for t in (_number(v) for v in curve.get("censored", [])) if t is not None]
            longest = max([longest, xs[-1], *censored])
            # No plotext legend: drawn inside the frame it covers the top of the curve.
            plt.plot(xs, ys, marker="braille")
            if censored:
                plt.scatter(
                    censored, [survival_at(xs, ys, t) for t in censored], marker=CENSOR_MARK
                )
        self.ticks = nice_ticks(longest)
        plt.xticks(self.ticks, tick_labels(self.ticks))
        plt.xlim(0, self.ticks[-1])
        plt.ylim(0, 1.05)
        # The dotted line at 0.5: where the median is read off the curve.
        plt.hline(0.5, "gray")
        if self.chart.x_label:
            plt.xlabel(one_line(self.chart.x_label))
        if self.chart.y_label:
            plt.ylabel(one_line(self.chart.y_label))

    def render(self) -> RenderResult:
        width, height = self.size.width, self.size.height
        plot_height = max(1, height - self._extra)
        self._plot.plotsize(width, plot_height)
        self._plot._set_size(width, plot_height)  # as PlotextPlot.render does (its issue 5)
        self._plot.theme(self._get_plotext_theme_name(self.app.theme))
        # Quarters need rows to land on: on a short plot plotext rounds them onto the wrong
        # rows (the 0.5 line beside "0.25"), so it gets halves only.
        self._plot.yticks(
            [0, 0.25, 0.5, 0.75, 1.0] if plot_height >= _QUARTER_ROWS else [0, 0.5, 1.0]
        )
        try:
            text = Text.from_ansi(self._plot.build())
        except Exception:  # noqa: BLE001 - plotext raises anything from ZeroDivision to Overflow
            # The last line of defence: whatever a store holds, a chart that plotext cannot
            # build is a note, never a crash of the app.
            return Text(NOT_DRAWN, style="italic")
        text.rstrip()
        rows = self._at_risk_rows(text.plain.split("\n"), width)
        self.at_risk_lines = rows
        text.append("\n" + "\n".join(rows))
        return text

    def _at_risk_rows(self, lines: list[str], width: int) -> list[str]:
        """The heading and one row per curve, each count centred under its tick (the ``┬``
        marks on the frame's bottom line)."""
        frame = next((line for line in lines if "└" in line), "")
        columns = [index for index, char in enumerate(frame) if char in "┬┼"]
        if len(columns) != len(self.ticks):  # a plot too small for its ticks: no row
            return [""] * self._extra
        rows = [AT_RISK_TITLE]
        curves = [curve for curve in self.chart.series if "follow_up" in curve]
        for curve in curves:
            counts = at_risk(curve["follow_up"], self.ticks)
            row = centred_under(columns, [str(count) for count in counts], width)
            label = one_line(str(curve.get("label") or ""))
            rows.append(f"{row}  {label}" if len(curves) > 1 and label else row)
        return (rows + [""] * self._extra)[: self._extra]


class BarChart(Static):
    """The bars as text, redrawn for the width it is given."""

    def __init__(self, chart: Chart) -> None:
        super().__init__(markup=False)
        self.rows = bar_rows(chart.series)
        self.unit = chart.y_label

    def render(self) -> RenderResult:
        return Text("\n".join(draw_bars(self.rows, max(1, self.size.width), self.unit)))

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return len(draw_bars(self.rows, max(1, width), self.unit))


def legend(chart: Chart) -> str:
    """What the marks mean, below the drawing: the curves, the censor mark, the notes."""
    if chart.kind == "km":
        labels = [one_line(str(c.get("label"))) for c in chart.series if c.get("label")]
        parts = [f"━ {label}" for label in labels]
        if any(c.get("censored") for c in chart.series):
            parts.append(f"{CENSOR_MARK} censored")
        parts.append("┈ 0.5 (median)")
        return "   ".join(parts)
    notes = sorted({row.note for row in bar_rows(chart.series) if row.note})
    axis = f"axis: {one_line(chart.y_label)}" if chart.y_label else ""
    return "   ".join([*(f"{NOTE_MARK} {note}" for note in notes), axis]).strip()


class ChartView(Vertical):
    """A chart under an answer: its title, the drawing, and the legend."""

    def __init__(self, chart: Chart) -> None:
        super().__init__()
        self.chart = chart
        self.drawable = _in_range(chart)

    def compose(self) -> ComposeResult:
        chart = self.chart
        yield Static(one_line(chart.title), markup=False, classes="chart-title")
        if not self.drawable:
            yield Static(NOT_DRAWN, markup=False, classes="chart-legend")
            return
        yield KMPlot(chart) if chart.kind == "km" else BarChart(chart)
        note = legend(chart)
        if note:
            yield Static(note, markup=False, classes="chart-legend")

    def plain_text(self) -> str:
        """The chart as drawn, without colour: for saving to a file."""
        parts = [one_line(self.chart.title)]
        for widget in self.query("KMPlot, BarChart"):
            rendered = widget.render()
            parts.append(rendered.plain if isinstance(rendered, Text) else str(rendered))
        note = legend(self.chart)
        if note and self.drawable:
            parts.append(note)
        return "\n".join(parts).rstrip() + "\n"
