"""The app's look is one stylesheet (issue 13.11): no widget or screen carries CSS of its own,
the app loads the file, and every widget type the file names is a class the app or Textual
has, so a renamed class cannot leave its rules silently unused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("textual")

ROOT = Path(__file__).resolve().parent.parent
STYLESHEET = ROOT / "assistant" / "app" / "stormchat.tcss"


def test_no_module_holds_css_of_its_own() -> None:
    inline = re.compile(r"^\s*(DEFAULT_CSS|CSS)\s*[:=]", re.M)
    holders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "assistant").rglob("*.py")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    assert holders == []


def test_the_app_loads_the_stylesheet() -> None:
    from assistant.app.app import StormChatApp

    assert Path(str(StormChatApp.CSS_PATH)) == STYLESHEET and STYLESHEET.is_file()


def test_every_widget_type_the_stylesheet_names_exists() -> None:
    import inspect

    import textual.containers
    import textual.screen
    import textual.widgets
    import textual.widgets._markdown

    import assistant.app.app
    import assistant.app.charts
    import assistant.app.find
    import assistant.app.help_screen
    import assistant.app.history_screen
    import assistant.app.settings_screen
    import assistant.demo.app_demo

    modules = [
        textual.containers,
        textual.screen,
        textual.widgets,
        textual.widgets._markdown,
        assistant.app.app,
        assistant.app.charts,
        assistant.app.find,
        assistant.app.help_screen,
        assistant.app.history_screen,
        assistant.app.settings_screen,
        assistant.demo.app_demo,
    ]
    known = {name for module in modules for name, _ in inspect.getmembers(module, inspect.isclass)}
    text = re.sub(r"/\*.*?\*/", "", STYLESHEET.read_text(encoding="utf-8"), flags=re.S)
    selectors = " ".join(re.findall(r"([^{}]+)\{", text))
    named = set(re.findall(r"(?<![#.\-\w$])([A-Z][A-Za-z]+)", selectors))
    assert named and not named - known, sorted(named - known)
