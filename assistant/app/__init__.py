"""The Textual chat app. Importing this package does not import Textual: ``run_app`` and
``StormChatApp`` load it on first use, so the headless paths stay headless."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from assistant.app.app import AnswerShown, StormChatApp
    from assistant.cli_config import Config
    from assistant.engine import Engine

__all__ = ["AnswerShown", "StormChatApp", "run_app"]


def run_app(
    engine: Engine | Callable[[], Engine],
    *,
    first_run_hint: bool = True,
    config: Config | None = None,
) -> int:
    """Run the chat app until the user quits; the exit code for the CLI. Given a loader, the
    app paints first and loads the engine in a thread (a fast start). A theme or key action
    of ``config`` the app does not know raises ``ConfigError`` before the terminal is taken."""
    from assistant.app.app import StormChatApp

    return run_until_exit(StormChatApp(engine, first_run_hint=first_run_hint, config=config))


def run_until_exit(app: StormChatApp) -> NoReturn:
    """Run ``app`` (the chat app or the demo) and end the process with its exit code.

    An exception that stopped the app is raised again once the terminal is restored, so the
    CLI reports it as every other bug: one line on stderr and a non-zero exit, never a
    traceback followed by exit status 0."""
    result = app.run()
    if app.crash is not None:
        raise app.crash
    code = result if isinstance(result, int) else 0
    # The terminal is restored and everything the app writes (history, exports) is written
    # as it goes: end here rather than spend a good part of a second tearing down the
    # interpreter (and waiting for a store still loading), so ctrl+q is prompt.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(code)


def __getattr__(name: str) -> Any:
    if name in ("StormChatApp", "AnswerShown"):
        from assistant.app import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
