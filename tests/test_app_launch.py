"""The chat app's fast start (issue 13.8): what it loads before its first frame.

The input is usable as soon as Textual has drawn it, if nothing heavy comes first: the store,
the parser, the statistics and pydantic load in a thread after the first paint. Timing lives
in the bench (bench/launch.py); this test checks the cause instead, which does not move with
the machine's load: the modules a fresh process holds when the app, started the way
``stormchat`` starts it, calls its loader.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("textual")

ROOT = Path(__file__).resolve().parent.parent

# Each of these costs tens to hundreds of milliseconds to import, and none is needed to draw
# the input: they belong to the engine, loaded after the first paint.
HEAVY = (
    "pydantic",
    "numpy",
    "scipy",
    "yaml",
    "tinydb",
    "rapidfuzz",
    "textual_plotext",
    "importlib.metadata",
    "knowledge.store",
    "knowledge.models",
    "intents",
    "assistant.answer",
    "assistant.engine",
    "assistant.handlers",
)

# The command line is read (as `stormchat` with no command), the app is built as _run_app
# builds it, and run headless; the loader, called after the first paint, notes what is loaded
# then and fails, which ends the app.
PROBE = """
import json, sys
from assistant import cli
from assistant.app.app import StormChatApp

args = cli.build_parser().parse_args([])
seen = []

def loader():
    seen.extend(sorted(sys.modules))
    raise RuntimeError("enough")

async def main():
    app = StormChatApp(loader, cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(500):
            if seen:
                break
            await pilot.pause(0.01)
        status = str(app.query_one("#status").visual)
        focused = app.focused is app.prompt
    print(json.dumps({"modules": seen, "status": status, "focused": focused}))

import asyncio
asyncio.run(main())
"""


@pytest.mark.slow
def test_nothing_heavy_is_imported_before_the_first_frame(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "STORMCHAT_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    modules = set(report["modules"])
    assert "textual.app" in modules and "assistant.app.app" in modules  # the probe ran
    loaded = sorted(m for m in modules if any(m == h or m.startswith(f"{h}.") for h in HEAVY))
    assert loaded == [], f"imported before the first frame: {loaded}"
    # The frame the loader follows: the input focused, the status saying the study loads.
    assert report["focused"] and "Loading" in report["status"]


class _Thread:
    """A stand-in for the driver's input thread that records being waited for."""

    def __init__(self) -> None:
        self.joined = False

    def join(self) -> None:
        self.joined = True


@pytest.mark.asyncio
@pytest.mark.parametrize("ending", [False, True])
async def test_quitting_does_not_wait_for_the_input_thread(ending: bool) -> None:
    """ctrl+q: the input thread is told to stop and not waited for (it wakes every 0.1 s);
    otherwise (suspending with ctrl+z) it is waited for, as Textual does."""
    from textual.app import App

    from assistant.app.driver import PromptQuitDriver

    driver = PromptQuitDriver(App())
    thread = _Thread()
    driver._key_thread = thread  # type: ignore[assignment]
    driver._disable_mouse_support = lambda: None  # type: ignore[method-assign]
    driver.ending = ending
    driver.disable_input()
    assert thread.joined is not ending
    # Told to stop either way; Textual's own path clears the flag again once it has joined.
    assert driver.exit_event.is_set() is ending
