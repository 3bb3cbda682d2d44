"""The parts of the benchmark that run inside a fresh stormchat process, one per call:

    worker.py questions [--db PATH] [--passes N]   per-question times and store load time
    worker.py app                                   chat app: created → input focused
    worker.py imports QUESTION [--db PATH]          third-party modules `ask QUESTION` loads

Each prints one JSON object on stdout. ``run.py`` starts them, so every figure comes from a
process that has done nothing else.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import load_conversations, percentile  # noqa: E402


def _clear_caches() -> None:
    # The memoised statistics (intervals, Kaplan–Meier curves, comparisons): clearing them
    # between passes shows what a question costs the first time it is asked.
    from knowledge import intervals, stats

    intervals.interval.cache_clear()
    stats._km_curve.cache_clear()
    stats.compare_rates.cache_clear()


def questions(db: str | None, passes: int, loads: int) -> dict[str, object]:
    """Replay every development case as one conversation and time each turn, after a warm-up
    pass; then the same with the statistics caches cleared before each pass."""
    from assistant.engine import Engine

    load_times = []
    for _ in range(loads):
        start = time.perf_counter()
        engine = Engine.load(db)
        load_times.append(time.perf_counter() - start)
    conversations = load_conversations()

    def one_pass() -> list[float]:
        times = []
        for turns in conversations:
            conversation = engine.conversation()
            for turn in turns:
                start = time.perf_counter()
                conversation.ask(turn)
                times.append(time.perf_counter() - start)
        return times

    def parse_pass() -> list[float]:
        """The language layer alone: each turn read against the one before."""
        times = []
        for turns in conversations:
            previous = None
            for turn in turns:
                start = time.perf_counter()
                previous = engine.parser.parse(turn, previous)
                times.append(time.perf_counter() - start)
        return times

    one_pass()  # warm-up: imports scipy.special / scipy.stats on first use, fills caches
    parse_pass()
    parsed = [parse_pass() for _ in range(passes)]
    warm = [one_pass() for _ in range(passes)]
    cold = []
    for _ in range(passes):
        _clear_caches()
        cold.append(one_pass())
    return {
        "load_s": load_times,
        "questions": len(warm[0]),
        "p50_ms": [percentile(p, 50) * 1e3 for p in warm],
        "p95_ms": [percentile(p, 95) * 1e3 for p in warm],
        "max_ms": [max(p) * 1e3 for p in warm],
        "uncached_p95_ms": [percentile(p, 95) * 1e3 for p in cold],
        "parse_p95_ms": [percentile(p, 95) * 1e3 for p in parsed],
        "subjects": len(engine.store.subjects),
    }


def app() -> dict[str, object]:
    """Time the chat app from creating it to its input having focus, headless (Pilot)."""
    import asyncio

    from textual.widgets import Input

    from assistant.app import StormChatApp
    from assistant.app.history import History
    from assistant.engine import Engine

    engine = Engine.load()
    result: dict[str, float] = {}

    async def main() -> None:
        start = time.perf_counter()
        # An empty, unsaved history: the first-run welcome, and nothing read from or written
        # to the user's data directory.
        chat = StormChatApp(engine, history=History(), cursor_blink=False)
        async with chat.run_test(size=(120, 40)) as pilot:
            while not isinstance(chat.focused, Input):
                await pilot.pause()
            result["ready_s"] = time.perf_counter() - start
            result["ready_epoch"] = time.time()

    asyncio.run(main())
    return result


def imports(question: str, db: str | None = None) -> dict[str, object]:
    """Run `ask` (on the store ``db``, else the shipped one) in this process and list the
    third-party modules it loaded, in load order."""
    import contextlib
    import io
    import sysconfig

    from assistant.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        main([*(["--db", db] if db else []), "ask", question])
    roots = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    names = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if any(path.startswith(root) for root in roots) and not name.startswith("__editable__"):
            names.append(name)
    return {"modules": names}


def _main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="part", required=True)
    q = sub.add_parser("questions")
    q.add_argument("--db")
    q.add_argument("--passes", type=int, default=5)
    q.add_argument("--loads", type=int, default=1)
    sub.add_parser("app")
    i = sub.add_parser("imports")
    i.add_argument("question")
    i.add_argument("--db")
    args = parser.parse_args()
    if args.part == "questions":
        out = questions(args.db, args.passes, args.loads)
    elif args.part == "app":
        out = app()
    else:
        out = imports(args.question, args.db)
    print(json.dumps(out))


if __name__ == "__main__":
    _main()
