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


@pytest.mark.asyncio
async def test_one_actions_table_makes_the_bindings_the_help_and_the_palette(
    engine: Engine, tmp_path: Path
) -> None:
    """Issue 13.11: every action with keys is a binding with its id; every action with a
    command is in the palette beside Textual's own and each CI setting; help lists the keys."""
    from assistant.app.actions import ACTIONS
    from assistant.app.help_screen import help_markdown
    from knowledge.stats import CI_METHODS

    app = make_app(engine, Config(tmp_path / "c.toml"))
    async with app.run_test(size=SIZE):
        bound = {b.id: (b.key, b.action) for b in StormChatApp.BINDINGS if hasattr(b, "id")}
        assert bound == {a.id: (a.keys, a.action) for a in ACTIONS if a.keys}
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Quit the application" in titles or "Quit" in titles  # Textual's own
        for action in ACTIONS:
            assert (action.command in titles) == bool(action.command), action.id
        assert {f"CI method: {name}" for name in CI_METHODS.values()} <= set(titles)
        assert "CI level: 90\u00a0%" in titles
        markdown = help_markdown()
        for action in ACTIONS:
            if action.help:
                assert f"- **{action.shown}**: {action.help}" in markdown


@pytest.mark.asyncio
async def test_a_palette_command_runs_its_action(engine: Engine, tmp_path: Path) -> None:
    app = make_app(engine, Config(tmp_path / "c.toml"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"toggle study card", "enter")
        await pilot.pause()
        assert app.card.display  # hidden at 100 columns until toggled
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"CI method: Wilson", "enter")
        for _ in range(100):
            if app.settings.ci_method != "clopper-pearson":
                break
            await pilot.pause(0.01)
        assert app.settings.ci_method.startswith("wilson")


@pytest.mark.asyncio
@pytest.mark.parametrize("returning", [False, True])
async def test_the_welcome_names_the_keys_as_bound(
    engine: Engine, tmp_path: Path, returning: bool
) -> None:
    """Issue 13.11: the welcome said "F1 help" whatever key the config gave help. The first
    run's hint line and a returning user's one-line welcome name the keys as bound (help as
    f10, the card as ctrl+k and f9: the first of them); the settings key, not rebound, is F3."""
    from textual.widgets import Static

    from assistant.app.transcript import Welcome
    from tests.conftest import plain

    config = Config(tmp_path / "c.toml", keys={"help": "f10", "card": "ctrl+k,f9"})
    history = History(tmp_path / "h.json", entries=["ORR"] if returning else [])
    app = StormChatApp(engine, history=history, cursor_blink=False, config=config)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        hint = plain(app.query_one(Welcome).query(Static).last())
        if returning:
            assert "; f10 lists the keys" in hint
        else:
            assert hint == "f10 help · ctrl+k study card · F3 CI settings · ctrl+p all commands"
        assert "F1" not in hint and "F2" not in hint
        await pilot.press("f10")  # the key named is the one that opens help
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
