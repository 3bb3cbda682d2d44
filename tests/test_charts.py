"""Charts that do not mislead (issue 13.5): bar charts on a linear axis with evenly spaced ticks,
a value on each bar, a small bar never drawn as zero, no bar wrapping into the next row, a mark
on a split the sources do not publish; Kaplan–Meier curves with censor marks, the numbers at
risk under the time axis (checked against a count of the store's records made here), the
legend off the curve and the title whole at every width; saving a chart or the screen; and
axes that hold for any time or count a store may have (issue 15)."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import Static  # noqa: E402

from assistant.answer import Chart  # noqa: E402
from assistant.app import StormChatApp  # noqa: E402
from assistant.app.charts import (  # noqa: E402
    AT_RISK_TITLE,
    CENSOR_MARK,
    NOTE_MARK,
    BarChart,
    BarRow,
    ChartView,
    KMPlot,
    bar_rows,
    draw_bars,
    nice_ticks,
)
from assistant.app.history import History  # noqa: E402
from assistant.engine import Engine  # noqa: E402

BREAKDOWN = "Show the best response breakdown"
PFS = "What was the median progression-free survival?"
GRADES = "How many had grade 3 or higher thrombocytopenia?"
WIDTHS = [24, 40, 60, 71, 80, 100, 140]


@pytest.fixture(autouse=True)
def data_dir(app_home: Path) -> Path:
    return app_home


def chart_of(engine: Engine, question: str) -> Chart:
    answer = engine.conversation().ask(question)
    assert answer.chart is not None, answer.text
    return answer.chart


def axis_of(lines: list[str]) -> tuple[list[int], list[float]]:
    """The tick columns (the ``┬`` marks) and the numbers written under them."""
    axis = next(line for line in lines if "┬" in line)
    columns = [i for i, char in enumerate(axis) if char == "┬"]
    labels = lines[lines.index(axis) + 1]
    numbers = [float(m.group()) for m in re.finditer(r"\d+(\.\d+)?", labels)]
    return columns, numbers


def bar_eighths(line: str) -> int:
    """A bar's length in eighths of a cell, read off the block characters."""
    partial = " ▏▎▍▌▋▊▉"
    return sum(8 if c == "█" else partial.index(c) for c in line if c in "█▏▎▍▌▋▊▉")


# ---------------------------------------------------------------------------- bar charts


@pytest.mark.parametrize("width", WIDTHS)
def test_bar_ticks_are_evenly_spaced_on_a_linear_axis(engine: Engine, width: int) -> None:
    chart = chart_of(engine, BREAKDOWN)
    rows = bar_rows(chart.series)
    lines = draw_bars(rows, width, chart.y_label)
    columns, numbers = axis_of(lines)
    assert len(columns) >= 2 and len(numbers) == len(columns)
    gaps = {b - a for a, b in zip(columns, columns[1:], strict=False)}
    steps = {round(b - a, 9) for a, b in zip(numbers, numbers[1:], strict=False)}
    assert len(gaps) == 1 and len(steps) == 1, (columns, numbers)
    assert numbers[0] == 0 and numbers[-1] >= max(r.value for r in rows)
    # Linear: each bar is value / top of the axis span, to within one eighth of a cell.
    span = columns[-1] - columns[0]
    for row, line in zip(rows, lines, strict=False):
        expected = row.value / numbers[-1] * span * 8
        assert abs(bar_eighths(line) - expected) <= 1 or (row.value > 0 and expected < 1)
    assert all(len(line) <= width for line in lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_each_bar_shows_its_value_and_two_patients_are_not_zero(engine: Engine, width: int) -> None:
    chart = chart_of(engine, BREAKDOWN)
    rows = bar_rows(chart.series)
    scr = next(r for r in rows if r.label == "sCR")
    assert scr.value == 2  # published: 2 stringent complete responses (mITT)
    lines = draw_bars(rows, width, chart.y_label)
    for row, line in zip(rows, lines, strict=False):
        assert re.search(rf"\s{int(row.value)}{NOTE_MARK}?$", line), line
        assert (bar_eighths(line) > 0) == (row.value > 0), line


def test_a_split_not_published_is_marked_and_explained(engine: Engine) -> None:
    chart = chart_of(engine, GRADES)
    rows = {r.label: r for r in bar_rows(chart.series)}
    lines = draw_bars(list(rows.values()), 80, chart.y_label)
    for label, line in zip(rows, lines, strict=False):
        # No grade 1 or 2 count is published for any term: those bars are marked; the
        # published-derived grades 3 and 4 are not.
        assert line.endswith(NOTE_MARK) == (label in ("G1", "G2")), line
    breakdown = bar_rows(chart_of(engine, BREAKDOWN).series)
    assert [r.label for r in breakdown if r.note] == ["SD/PD/NE"]


@pytest.mark.asyncio
@pytest.mark.parametrize("width", [40, 80])
async def test_no_bar_wraps_into_the_next_row(engine: Engine, width: int) -> None:
    long_labels = Chart(
        kind="bar",
        title="t",
        series=[
            {"label": "a very long adverse event name indeed", "value": 90},
            {"label": "short", "value": 2},
        ],
        y_label="patients",
    )
    app = StormChatApp(engine, first_run_hint=False, history=History(None), cursor_blink=False)
    async with app.run_test(size=(width, 30)) as pilot:
        for question in (BREAKDOWN, "What were the most common adverse events?"):
            await app.ask(question, remember=False)
        await app.transcript.mount(ChartView(long_labels))
        await pilot.pause()
        for bars in app.query(BarChart):
            expected = len(bars.rows) + 2  # a row a bar, the axis, the tick labels
            assert bars.size.height == expected
            lines = [strip.text for strip in bars.render_lines(bars.size.region)]
            assert len(lines) == expected
            for row, line in zip(bars.rows, lines, strict=False):
                assert line.rstrip().rstrip(NOTE_MARK).endswith(f" {int(row.value)}"), line
                assert line.startswith(row.label[:4])


def test_bar_rows_keep_notes_and_skip_rows_without_a_number() -> None:
    rows = bar_rows(
        [
            {"label": "PR", "value": 24},
            {"label": "bad", "value": None},
            {"label": "[b]MR", "value": "16", "note": "why"},
        ]
    )
    assert rows == [BarRow("PR", 24.0), BarRow("[b]MR", 16.0, "why")]


# -------------------------------------------------------------------------- Kaplan–Meier


def rendered(plot: KMPlot) -> list[str]:
    return [strip.text for strip in plot.render_lines(plot.size.region)]


@pytest.mark.asyncio
@pytest.mark.parametrize("size", [(80, 24), (120, 40), (60, 30)])
async def test_numbers_at_risk_match_a_count_of_the_records(
    engine: Engine, size: tuple[int, int]
) -> None:
    app = StormChatApp(engine, first_run_hint=False, history=History(None), cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        await app.ask(PFS, remember=False)
        await pilot.pause()
        plot = app.query_one(KMPlot)
        lines = rendered(plot)
        frame = next(i for i, line in enumerate(lines) if "└" in line)
        ticks = [float(t) for t in lines[frame + 1].split()]
        heading = lines.index(next(line for line in lines if line.strip() == AT_RISK_TITLE))
        counts = [int(c) for c in lines[heading + 1].split()]
        # Independently: the mITT's PFS records, and how many have a time >= each tick.
        store = engine.store
        times = [store.tte["PFS"][s].AVAL for s in store.population("mITT")]
        assert len(times) == 122
        assert counts == [sum(1 for t in times if t >= tick) for tick in ticks]
        assert counts[0] == 122
        # Each count sits under its tick mark.
        marks = [i for i, c in enumerate(lines[frame]) if c == "┬"]
        row = lines[heading + 1]
        for mark, count in zip(marks, counts, strict=True):
            start = row.index(str(count), max(0, mark - 2))
            assert start <= mark < start + len(str(count)) + 1


@pytest.mark.asyncio
async def test_censor_marks_are_drawn_and_the_legend_is_off_the_curve(engine: Engine) -> None:
    store = engine.store
    censored = [
        store.tte["PFS"][s].AVAL for s in store.population("mITT") if store.tte["PFS"][s].CNSR
    ]
    assert censored  # the records have censored patients to mark
    app = StormChatApp(engine, first_run_hint=False, history=History(None), cursor_blink=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.ask(PFS, remember=False)
        await pilot.pause()
        plot = app.query_one(KMPlot)
        lines = rendered(plot)
        top = next(i for i, line in enumerate(lines) if "┌" in line)
        bottom = next(i for i, line in enumerate(lines) if "└" in line)
        inside = lines[top + 1 : bottom]
        assert sum(line.count(CENSOR_MARK) for line in inside) >= 1
        # No legend inside the frame: the curve's label is below the drawing.
        assert not any("mITT" in line for line in inside)
        view = app.query_one(ChartView)
        legend = view.query(".chart-legend").last()
        assert isinstance(legend, Static)
        assert "mITT" in str(legend.visual) and f"{CENSOR_MARK} censored" in str(legend.visual)


@pytest.mark.asyncio
@pytest.mark.parametrize("width", [30, 44, 60, 80])
async def test_the_title_is_whole_at_every_width(engine: Engine, width: int) -> None:
    app = StormChatApp(engine, first_run_hint=False, history=History(None), cursor_blink=False)
    async with app.run_test(size=(width, 40)) as pilot:
        answer = await app.ask(PFS, remember=False)
        await pilot.pause()
        title = app.query_one(ChartView).query_one(".chart-title", Static)
        lines = [strip.text.strip() for strip in title.render_lines(title.size.region)]
        assert answer.chart is not None
        assert " ".join(line for line in lines if line) == answer.chart.title


# ------------------------------------------------------------------------------- saving


@pytest.mark.asyncio
async def test_f5_saves_the_screen_and_f6_the_chart_creating_the_folder(
    engine: Engine, tmp_path: Path
) -> None:
    app = StormChatApp(engine, first_run_hint=False, history=History(None), cursor_blink=False)
    folder = tmp_path / "stormchat-saved"
    assert not folder.exists()
    async with app.run_test(size=(100, 34)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert not folder.exists() or not list(folder.iterdir())
        assert any("no chart" in str(n.message) for n in app._notifications)
        await app.ask(PFS, remember=False)
        await pilot.press("f5", "f6")
        await pilot.pause()
    saved = sorted(folder.iterdir())
    assert sorted(p.suffix for p in saved) == [".svg", ".txt"]
    svg = next(p for p in saved if p.suffix == ".svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    text = next(p for p in saved if p.suffix == ".txt").read_text(encoding="utf-8")
    assert text.startswith("Progression-free survival") and AT_RISK_TITLE in text
    assert "122" in text and f"{CENSOR_MARK} censored" in text
    notices = [str(n.message) for n in app._notifications]
    assert any(str(folder) in n and "screen" in n for n in notices)
    assert any(str(folder) in n and "chart" in n for n in notices)


# ---------------------------------------------------------------------- extreme values


@pytest.mark.asyncio
@pytest.mark.parametrize("times", [[5e-324, 1e-323], [1e-310], [1.7e308, 1.79e308], [0.0]])
async def test_charts_of_extreme_times_are_drawn(times: list[float]) -> None:
    """A store whose ADTTE times are 5e-324 crashed nice_ticks (log10 of 0)."""
    from textual.app import App

    chart = Chart(
        kind="km",
        title="PFS",
        series=[{"label": "all", "times": times, "survival": [0.5] * len(times)}],
    )
    bars = Chart(
        kind="bar",
        title="counts",
        series=[{"label": "a", "value": times[0]}, {"label": "b", "value": times[-1]}],
    )

    class Host(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield ChartView(chart)
            yield ChartView(bars)

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.export_screenshot()
        assert app.is_running


@pytest.mark.parametrize(
    "top",
    [
        5e-324,
        1e-310,
        1e-300,
        1e-12,
        0.3,
        7.2,
        1e300,
        1.7e308,
        1.7976931348623157e308,
        0.0,
        -3.0,
        float("nan"),
        float("inf"),
    ],
)
def test_nice_ticks_is_total(top: float) -> None:
    ticks = nice_ticks(top)
    assert ticks[0] == 0.0 and len(ticks) >= 2
    assert all(math.isfinite(tick) for tick in ticks)
    assert ticks == sorted(ticks) and len(set(ticks)) == len(ticks)
    if math.isfinite(top) and top > 0:
        assert ticks[-1] >= top
