"""The config file in the chat app (issue 13.10): its theme and keys are used, an unknown one
is refused before the app starts, and F3 saves the CI default there."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import Markdown  # noqa: E402

from assistant.app import StormChatApp  # noqa: E402
from assistant.app.history import History  # noqa: E402
from assistant.cli_config import Config, ConfigError, load_config  # noqa: E402
from assistant.engine import Engine  # noqa: E402

SIZE = (100, 30)


def make_app(engine: Engine, config: Config) -> StormChatApp:
    return StormChatApp(engine, history=History(None), cursor_blink=False, config=config)


@pytest.mark.asyncio
async def test_the_theme_and_keys_of_the_config_are_used(engine: Engine, tmp_path: Path) -> None:
    config = Config(tmp_path / "c.toml", theme="textual-light", keys={"help": "f10"})
    app = make_app(engine, config)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "textual-light"
        await pilot.press("f1")  # no longer the help key
        await pilot.pause()
        assert type(app.screen).__name__ != "HelpScreen"
        await pilot.press("f10")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        # The help gives the key as set, not the built-in one.
        source = app.screen.query_one(Markdown).source
        assert "- **f10**: this help" in source and "**F1**" not in source
        assert "- **F3**: CI method" in source  # not rebound: as built in


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ({"theme": "no-such-theme"}, "[app] theme 'no-such-theme' is not one of"),
        ({"keys": {"hlep": "f10"}}, "[keys] hlep: no such action (the actions: card, copy"),
    ],
)
def test_an_unknown_theme_or_action_is_refused_before_the_app_runs(
    engine: Engine, tmp_path: Path, config: dict[str, object], problem: str
) -> None:
    with pytest.raises(ConfigError) as error:
        make_app(engine, Config(tmp_path / "c.toml", **config))  # type: ignore[arg-type]
    assert str(error.value).startswith(f"config {tmp_path / 'c.toml'}: ")
    assert problem in str(error.value)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_f3_saves_the_choice_as_the_default(engine: Engine, tmp_path: Path) -> None:
    """F3, Wilson and 90 % from the keyboard, ctrl+d: applied now, and in the file for later
    sessions, beside the theme the file already had."""
    path = tmp_path / "config.toml"
    path.write_text('[app]\ntheme = "nord"\n', encoding="utf-8")
    app = make_app(engine, load_config(path))
    # Edited while the app runs: what is saved keeps the file as it is then.
    path.write_text('[app]\ntheme = "nord"\n[keys]\nfind = "ctrl+g"\n', encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("down", "enter", "tab", "up", "enter")  # Wilson; 95 % → 90 %
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert (app.settings.ci_method, app.settings.level) == ("wilson", 0.9)
        notes = [n.message for n in app._notifications]
        assert any(f"saved in {path}" in note for note in notes), notes
    assert load_config(path) == Config(path, "wilson", 0.9, "nord", {"find": "ctrl+g"})


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_default_that_cannot_be_saved_says_so(engine: Engine, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    app = make_app(engine, Config(blocker / "config.toml"))  # its folder is a file
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.click("#save")
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert any("Could not save the default" in note for note in notes), notes
        assert app.settings.ci_method == "clopper-pearson"  # the dialog's choice: unchanged
        assert app.is_running


def test_the_readme_example_is_a_config_the_app_takes(engine: Engine, tmp_path: Path) -> None:
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(\[statistics\].*?)```", readme, re.S)
    assert example is not None
    path = tmp_path / "config.toml"
    path.write_text(example.group(1), encoding="utf-8")
    config = load_config(path)
    assert config.ci_method and config.level and config.theme and config.keys
    make_app(engine, config)  # its theme and actions are known: no ConfigError
    # Every action the README names is one the app has, and the other way round.
    listed = re.search(r"# actions: (.*)\n.*# (.*)\n", example.group(1))
    assert listed is not None
    named = set(" ".join(listed.groups()).split())
    ids = {b.id for b in StormChatApp.BINDINGS if getattr(b, "id", None)}
    assert named == ids
