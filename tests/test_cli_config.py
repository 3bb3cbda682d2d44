"""The chat app's config file (issue 13.10): read, checked, saved; a bad one is one line."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from assistant.cli_config import (
    CONFIG_ENV,
    Config,
    ConfigError,
    config_path,
    load_config,
    save_statistics,
    to_toml,
)
from assistant.settings import Settings
from tests.conftest import assert_one_error_line

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.toml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def test_the_path_is_the_environment_s_else_the_user_config_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "mine.toml"))
    assert config_path() == tmp_path / "mine.toml"
    monkeypatch.delenv(CONFIG_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert config_path() == tmp_path / "xdg" / "stormchat" / "config.toml"


def test_a_missing_file_is_an_empty_config(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml") == Config(tmp_path / "none.toml")


def test_every_setting_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[statistics]\nci_method = "wilson"\nlevel = 90\n\n'
        '[app]\ntheme = "textual-light"\n\n[keys]\nhelp = "f10,ctrl+h"\n',
    )
    config = load_config(path)
    # 90 is read as a percentage, as --level 90 is.
    assert (config.ci_method, config.level, config.theme) == ("wilson", 0.9, "textual-light")
    assert config.keys == {"help": "f10,ctrl+h"}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[statistics\n", "is not valid TOML"),
        ('[statistics]\nci_method = "wilsom"\n', "'wilsom' is not one of clopper-pearson"),
        ("[statistics]\nlevel = 1000\n", "level must be between 0.5 and 0.999"),
        ("[statistics]\nlevel = 0.2\n", "level must be between 0.5 and 0.999"),
        ('[statistics]\nlevel = "95 %"\n', "level must be a number, not '95 %'"),
        ("[statistics]\nlevel = true\n", "level must be a number"),
        ("[statistics]\nlevel = nan\n", "level must be a number"),
        ("[statistic]\nlevel = 0.9\n", "unknown table [statistic] (known: statistics, app"),
        ("[statistics]\nmethod = 'wilson'\n", "unknown key 'method' in [statistics]"),
        ("statistics = 3\n", "statistics must be a table"),
        ("[app]\ntheme = 3\n", "[app] theme must be a theme's name"),
        ('[keys]\nhelp = ""\n', "[keys] help must be a key or keys"),
        ("[keys]\nhelp = 1\n", "[keys] help must be a key or keys"),
    ],
)
def test_a_bad_file_is_one_clear_error_naming_it(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert message.startswith(f"config {path}: ") and problem in message, message
    assert "\n" not in message


def test_unreadable_files_are_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not UTF-8 text"):
        load_config(write(tmp_path, b'[app]\ntheme = "\xff"\n'))
    with pytest.raises(ConfigError, match="is a directory"):
        load_config(tmp_path)
    with pytest.raises(ConfigError, match="larger than 64 KB"):
        load_config(write(tmp_path, "# " + "x" * 70_000 + "\n"))


def test_saving_the_statistics_keeps_the_other_settings(tmp_path: Path) -> None:
    path = write(tmp_path, '[app]\ntheme = "nord"\n\n[keys]\n"help" = "f10"\n')
    saved = save_statistics(path, Settings("wilson-cc", 0.99))
    assert saved == load_config(path)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {
        "statistics": {"ci_method": "wilson-cc", "level": 0.99},
        "app": {"theme": "nord"},
        "keys": {"help": "f10"},
    }


def test_saving_creates_the_directory(tmp_path: Path) -> None:
    path = tmp_path / "new" / "dir" / "config.toml"
    save_statistics(path, Settings("jeffreys", 0.9))
    assert load_config(path) == Config(path, "jeffreys", 0.9)


def test_a_file_that_is_not_a_config_is_not_overwritten(tmp_path: Path) -> None:
    path = write(tmp_path, "my notes, not TOML [\n")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        save_statistics(path, Settings("wilson", 0.9))
    assert path.read_text(encoding="utf-8") == "my notes, not TOML [\n"


def test_strings_are_written_as_toml_reads_them(tmp_path: Path) -> None:
    odd = 'a "quoted" \\ back\tslash\x7f\u00e9'
    text = to_toml(Config(tmp_path / "c.toml", theme=odd, keys={"help": "f1"}))
    assert tomllib.loads(text)["app"]["theme"] == odd


@pytest.mark.slow
def test_the_chat_app_with_a_bad_config_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path, "[statistics]\nci_method = 'nope'\n")
    result = subprocess.run(
        [sys.executable, "-m", "assistant"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**os.environ, CONFIG_ENV: str(path)},
    )
    assert result.returncode == 2
    line = assert_one_error_line(result.stderr)
    assert f"config {path}: [statistics] ci_method 'nope'" in line


@pytest.mark.slow
def test_ask_does_not_read_the_config(tmp_path: Path) -> None:
    """Scripts give the same answers whoever runs them: a config (even a broken one) changes
    nothing outside the chat app."""
    path = write(tmp_path, "[statistics]\nci_method = 'wilson'\nlevel = 0.8\n")
    ask = [sys.executable, "-m", "assistant", "ask", "ORR", "--json"]
    for text in ("[statistics]\nci_method = 'wilson'\nlevel = 0.8\n", "not toml ["):
        path.write_text(text, encoding="utf-8")
        result = subprocess.run(
            ask,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, CONFIG_ENV: str(path)},
        )
        assert result.returncode == 0, result.stderr
        assert (
            '"ci_method": "clopper-pearson"' in result.stdout and '"level": 0.95' in result.stdout
        )
