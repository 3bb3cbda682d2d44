"""stormchat's benchmark: one table of figures, each beside its target (issue 8).

    python bench/run.py            the full run (about 1–2 minutes)
    python bench/run.py --quick    fewer repetitions (about 30 s)
    python bench/run.py --only launch    one part (repeatable)

Every figure is the median of several runs, shown with the min and max. Each part runs in
fresh processes (``worker.py``), so no figure inherits another's imports or caches. Timing
lives here only: the tests never time anything.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    BENCH,
    REPO,
    ChildRun,
    Summary,
    batch_text,
    child_env,
    load_conversations,
    python,
    run_child,
    stormchat,
    write_floor,
)

ASK_QUESTION = "What was the ORR?"
# Every kind of cold `ask` is timed against the import floor of the rate question (issue 12:
# none may pay for more than that floor by more than 30 %).
COLD_QUESTIONS = {
    "rate": ASK_QUESTION,
    "median": "What was the median PFS?",
    "comparison": "Compare the ORR in penta-refractory vs the others",
}
ASK_MARK = "32/122"  # in its answer
BATCH_QUESTIONS = 1000
SCALES = (1, 10, 100)


@dataclass(frozen=True)
class Plan:
    passes: int  # timed passes over the development questions
    cold: int  # cold `ask` runs (and as many floor runs, interleaved)
    batch: int
    app: int
    scale_loads: int
    scale_passes: int


PARTS = ("questions", "ask", "batch", "app", "launch", "scaling")
FULL = Plan(passes=9, cold=9, batch=5, app=5, scale_loads=3, scale_passes=5)
QUICK = Plan(passes=3, cold=3, batch=2, app=2, scale_loads=1, scale_passes=2)


@dataclass(frozen=True)
class Row:
    figure: str
    value: Summary | None
    unit: str
    target: str = ""
    limit: float | None = None  # the figure must be <= limit; None: shown for information
    note: str = ""


def _ensure_stormchat() -> None:
    """Run under the project's virtual environment when started with another Python."""
    try:
        import assistant  # noqa: F401
    except ImportError:
        venv = REPO / ".venv" / "bin" / "python"
        if venv.exists() and Path(sys.executable).resolve() != venv.resolve():
            os.execv(str(venv), [str(venv), str(Path(__file__).resolve()), *sys.argv[1:]])
        raise SystemExit(
            "bench: stormchat is not installed; do the set-up in README.md first"
        ) from None


def _bytecode_cache(tmp: Path) -> None:
    """Let the child processes keep compiled byte-code, in the temporary directory.

    A user's installation has it (pip compiles the libraries; Python caches stormchat's own
    modules on the first run), so a cold start that recompiled every module would measure
    something no user sees. A prefix outside the repository leaves the working tree alone,
    and it works where PYTHONDONTWRITEBYTECODE is set. The warm-up run of each part fills it.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")


def _say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _worker(*args: str) -> dict[str, object]:
    import subprocess

    out = subprocess.run(
        [python(), str(BENCH / "worker.py"), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=child_env(),
    )
    if out.returncode != 0:
        raise SystemExit(f"bench: worker {' '.join(args)} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _floats(data: dict[str, object], key: str) -> list[float]:
    values = data[key]
    assert isinstance(values, list)
    return [float(v) for v in values]


# ------------------------------------------------------------------------------ the parts


def in_process(plan: Plan) -> list[Row]:
    _say(f"per-question times in process ({plan.passes} passes after a warm-up)")
    data = _worker("questions", "--passes", str(plan.passes))
    n = data["questions"]
    return [
        Row(
            f"one question in process, p50 ({n} turns, warm)",
            Summary.of(_floats(data, "p50_ms")),
            "ms",
        ),
        Row(
            "one question in process, p95 (warm)",
            Summary.of(_floats(data, "p95_ms")),
            "ms",
            "<= 1 ms",
            1.0,
        ),
        Row(
            "  p95 with the statistics caches cleared",
            Summary.of(_floats(data, "uncached_p95_ms")),
            "ms",
            note="first time a figure is asked",
        ),
        Row(
            "  parse alone (language layer), p95",
            Summary.of(_floats(data, "parse_p95_ms")),
            "ms",
            "<= 1 ms",
            1.0,
        ),
    ]


def _library(module: str) -> str:
    """The name a module is shown under: its distribution, and for scipy the public
    subpackage (scipy.special, not scipy.stats); "" for the support modules they pull in."""
    parts = module.split(".")
    if parts[0] == "scipy":
        return (
            f"scipy.{parts[1]}"
            if len(parts) > 1 and not parts[1].startswith("_") and parts[1] != "version"
            else ""
        )
    if parts[0].startswith("_") or parts[0] in (
        "typing_extensions",
        "typing_inspection",
        "annotated_types",
    ):
        return ""
    return parts[0]


def cold_ask(plan: Plan, tmp: Path) -> list[Row]:
    _say("cold `stormchat ask` beside the floor (importing the libraries it loads)")
    modules = _worker("imports", ASK_QUESTION)["modules"]
    assert isinstance(modules, list)
    # Named by distribution, and scipy by the subpackages used (scipy.special, not scipy.stats).
    libraries = sorted({_library(str(m)) for m in modules} - {""})
    # Exactly the third-party modules `ask` loads, in the order it loads them: the cost of
    # the libraries themselves, which stormchat's own code cannot go below.
    floor = write_floor(tmp / "floor.py", modules)
    asks = {kind: [*stormchat(), "ask", q] for kind, q in COLD_QUESTIONS.items()}
    base = [python(), str(floor)]
    for argv in asks.values():  # warm-up: byte-code compiled, files in the page cache
        run_child(argv)
    run_child(base)
    runs: dict[str, list[ChildRun]] = {kind: [] for kind in asks}
    floors: dict[str, list[ChildRun]] = {kind: [] for kind in asks}
    for _ in range(plan.cold):  # interleaved, so drift in the machine hits both alike
        for kind, argv in asks.items():
            floors[kind].append(run_child(base))
            runs[kind].append(run_child(argv))
    every_floor = [f for kind in floors for f in floors[kind]]
    rows = [
        Row(
            "floor: import the libraries a rate `ask` loads",
            Summary.of([f.seconds for f in every_floor]),
            "s",
            note=f"{len(modules)} modules of {', '.join(libraries)}",
        )
    ]
    for kind, question in COLD_QUESTIONS.items():
        pairs = list(zip(runs[kind], floors[kind], strict=True))
        ratios = [a.seconds / f.seconds for a, f in pairs]
        # On a shared machine the wall time moves with the other load; the CPU time (user +
        # system) of each process much less, so its ratio is the one to read there.
        cpu_ratios = [a.cpu_seconds / f.cpu_seconds for a, f in pairs]
        rows += [
            Row(
                f'`stormchat ask "{question}"`, cold ({kind})',
                Summary.of([a.seconds for a in runs[kind]]),
                "s",
            ),
            Row(f"  {kind} ask / floor", Summary.of(ratios), "x", "<= 1.3 x", 1.3),
            Row(
                f"  {kind} ask / floor, CPU time",
                Summary.of(cpu_ratios),
                "x",
                note=f"above the floor: {_cpu_above(pairs):.3f} s of CPU",
            ),
        ]
    rows.append(
        Row(
            "peak memory of `stormchat ask`",
            Summary.of([a.max_rss_mb for kind in runs for a in runs[kind]]),
            "MB",
            "<= 150 MB",
            150.0,
            note=f"floor {Summary.of([f.max_rss_mb for f in every_floor]).median:.0f} MB",
        )
    )
    return rows


def _cpu_above(pairs: list[tuple[ChildRun, ChildRun]]) -> float:
    """The median CPU time a command spends beyond its floor, run beside it."""
    return Summary.of([a.cpu_seconds - f.cpu_seconds for a, f in pairs]).median


def batch(plan: Plan, tmp: Path) -> list[Row]:
    _say(f"`stormchat batch` of {BATCH_QUESTIONS} questions")
    questions = tmp / "questions.txt"
    questions.write_text(batch_text(load_conversations(), BATCH_QUESTIONS), encoding="utf-8")
    argv = [*stormchat(), "batch", str(questions), "--format", "jsonl"]
    run_child(argv)  # warm-up
    runs = [run_child(argv) for _ in range(plan.batch)]
    return [
        Row(
            f"`stormchat batch` of {BATCH_QUESTIONS:,} questions, whole process",
            Summary.of([r.seconds for r in runs]),
            "s",
            "<= 2 s",
            2.0,
        ),
        Row(
            "  the same, CPU time (user + system)",
            Summary.of([r.cpu_seconds for r in runs]),
            "s",
            note="what to read on a shared machine",
        ),
    ]


def app(plan: Plan) -> list[Row]:
    _say("chat app start (headless, Pilot)")
    _worker("app")  # warm-up
    ready, launch = [], []
    for _ in range(plan.app):
        started = time.time()
        data = _worker("app")
        ready.append(float(data["ready_s"]))  # type: ignore[arg-type]
        launch.append(float(data["ready_epoch"]) - started)  # type: ignore[arg-type]
    return [
        Row("chat app: created -> input focused", Summary.of(ready), "s", "<= 1.5 s", 1.5),
        Row("  launch -> input focused (imports, store, app)", Summary.of(launch), "s"),
    ]


def launch(plan: Plan, tmp: Path) -> list[Row]:
    """The chat app as a user starts it, on a pseudo-terminal of 80×24: launch → the input
    takes a key, and ctrl+q → the process has ended, beside a minimal Textual app (one Input)
    measured the same way. Interleaved, so drift in the machine hits both alike."""
    import launch as pty_launch

    _say("chat app launch and quit on a pseudo-terminal, beside a minimal Textual app")
    floor_argv = pty_launch.minimal_app(tmp)
    app_argv = stormchat()

    def env() -> dict[str, str]:
        # A fresh data directory each run: a first run's welcome, no history carried over;
        # and no config file (the built-in theme, keys and CI defaults).
        data = tempfile.mkdtemp(dir=tmp)
        return {
            **child_env(),
            "STORMCHAT_DATA_DIR": data,
            "STORMCHAT_CONFIG": str(Path(data) / "config.toml"),
        }

    pty_launch.measure(floor_argv, env(), tmp)  # warm-up: byte-code, page cache
    pty_launch.measure(app_argv, env(), tmp)
    floors, apps, asked = [], [], []
    for _ in range(plan.app):
        floors.append(pty_launch.measure(floor_argv, env(), tmp))
        apps.append(pty_launch.measure(app_argv, env(), tmp))
        asked.append(
            pty_launch.measure(app_argv, env(), tmp, question=ASK_QUESTION, answer_mark=ASK_MARK)
        )
    ratios = [a.usable_s / f.usable_s for a, f in zip(apps, floors, strict=True)]
    return [
        Row(
            "chat app: launch -> input usable (pty 80x24)",
            Summary.of([a.usable_s for a in apps]),
            "s",
            "<= 1.0 s",
            1.0,
        ),
        Row(
            "  floor: minimal Textual app, launch -> input usable",
            Summary.of([f.usable_s for f in floors]),
            "s",
            note="one Input, nothing else",
        ),
        Row("  chat app / floor", Summary.of(ratios), "x"),
        Row(
            f'  "{ASK_QUESTION}" typed at once: Enter -> answer drawn',
            Summary.of([a.answered_s or 0.0 for a in asked]),
            "s",
            note="waits for the store loading meanwhile",
        ),
        Row(
            "chat app: ctrl+q -> process ended (store still loading)",
            Summary.of([a.quit_s for a in apps]),
            "s",
            "<= 0.3 s",
            0.3,
        ),
        Row(
            "  ctrl+q -> process ended, after an answer",
            Summary.of([a.quit_s for a in asked]),
            "s",
            "<= 0.3 s",
            0.3,
        ),
        Row(
            "  floor: minimal Textual app, ctrl+q -> ended",
            Summary.of([f.quit_s for f in floors]),
            "s",
        ),
    ]


def scaling(plan: Plan, tmp: Path) -> list[Row]:
    from scale import build, shipped_store

    rows: list[Row] = []
    p95: dict[int, float] = {}
    load: dict[int, float] = {}
    for factor in SCALES:
        path = tmp / f"store-{factor}x.json"
        subjects = build(shipped_store(), path, factor)
        _say(f"scaling: {factor}x store ({subjects:,} patients)")
        data = _worker(
            "questions",
            "--db",
            str(path),
            "--passes",
            str(plan.scale_passes),
            "--loads",
            str(plan.scale_loads),
        )
        p = Summary.of(_floats(data, "p95_ms"))
        s = Summary.of(_floats(data, "load_s"))
        p95[factor], load[factor] = p.median, s.median
        target, limit = ("<= 20 ms", 20.0) if factor == SCALES[-1] else ("", None)
        rows.append(
            Row(
                f"{factor:>3}x store ({subjects:,} patients): p95 per question",
                p,
                "ms",
                target,
                limit,
            )
        )
        rows.append(Row(f"{factor:>3}x store: load (read, validate, index; parser)", s, "s"))
    for factor in SCALES[1:]:
        for name, table in (("p95", p95), ("load", load)):
            growth = table[factor] / table[1]
            rows.append(
                Row(
                    f"growth 1x -> {factor}x, {name}",
                    Summary(growth, growth, growth, 1),
                    "x",
                    f"<= {factor} x (linear)",
                    float(factor),
                )
            )
    return rows


# ------------------------------------------------------------------------------ the table


def _fmt(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value:.3f} ms" if value < 10 else f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:.2f} x"


def _verdict(row: Row) -> str:
    if row.limit is None or row.value is None:
        return ""
    share = row.value.median / row.limit
    word = "met" if share <= 1 else "MISSED"
    return f"{word} ({share:.0%} of target)"


def render(rows: list[Row]) -> str:
    header = ("figure", "median", "min", "max", "runs", "target", "verdict")
    cells = [header]
    for row in rows:
        v = row.value
        assert v is not None
        spread = ("", "") if v.runs == 1 else (_fmt(v.low, row.unit), _fmt(v.high, row.unit))
        verdict = _verdict(row)
        if row.note:
            verdict = f"{verdict}; {row.note}" if verdict else row.note
        cells.append(
            (row.figure, _fmt(v.median, row.unit), *spread, str(v.runs), row.target, verdict)
        )
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    lines = []
    for number, line in enumerate(cells):
        lines.append(
            "| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |"
        )
        if number == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (~30 s)")
    parser.add_argument(
        "--only", choices=PARTS, action="append", help="run only this part (repeatable)"
    )
    args = parser.parse_args(argv)
    _ensure_stormchat()
    plan = QUICK if args.quick else FULL
    started = time.perf_counter()
    parts: dict[str, Callable[[Path], list[Row]]] = {
        "questions": lambda tmp: in_process(plan),
        "ask": lambda tmp: cold_ask(plan, tmp),
        "batch": lambda tmp: batch(plan, tmp),
        "app": lambda tmp: app(plan),
        "launch": lambda tmp: launch(plan, tmp),
        "scaling": lambda tmp: scaling(plan, tmp),
    }
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="stormchat-bench-") as name:
        _bytecode_cache(Path(name))
        for key, part in parts.items():
            if not args.only or key in args.only:
                rows.extend(part(Path(name)))
    print(render(rows))
    print(
        f"\n{'quick' if args.quick else 'full'} run, {time.perf_counter() - started:.0f} s; "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
