"""The chat app's configuration file: ``config.toml`` in the user config dir.

    [statistics]
    ci_method = "wilson"      # a key of knowledge.stats.CI_METHODS
    level = 0.90              # 0.5–0.999, or 50–99.9 (a percentage)

    [app]
    theme = "textual-light"   # a Textual theme

    [keys]                    # action id = "key[,key…]" (README: the keys table)
    help = "f1,question_mark"

Where: ``$STORMCHAT_CONFIG`` (a file) if set, else ``config.toml`` in the platform's user config
dir (``~/.config/stormchat`` on Linux, honouring ``$XDG_CONFIG_HOME``). A missing file is an
empty configuration. It sets the chat app's defaults only: ``ask``, ``batch`` and ``demo`` give
the same answers whoever runs them, and ``--ci-method`` / ``--level`` override it. A file that
cannot be used is one ``ConfigError`` naming the file and the problem (the CLI's one line,
exit 2), never a traceback. F3's "Save as default" rewrites the file with ``save_statistics``
(atomically; comments are not kept). Plain Python: no Textual here.
"""

from __future__ import annotations

import json
import math
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.atomic import atomic_writer
from assistant.settings import Settings
from knowledge.stats import CI_METHODS

CONFIG_ENV = "STORMCHAT_CONFIG"
CONFIG_FILE = "config.toml"
# A configuration is a few lines; anything larger was not written for stormchat.
MAX_CONFIG_BYTES = 64 * 1024
# Each table and the keys it takes: anything else is a typo, said as such.
SCHEMA: dict[str, tuple[str, ...]] = {
    "statistics": ("ci_method", "level"),
    "app": ("theme",),
    "keys": (),  # any action id: the app checks them against its actions
}


class ConfigError(Exception):
    """The configuration file cannot be used; the message is one line, naming the file."""


@dataclass(frozen=True)
class Config:
    path: Path
    ci_method: str | None = None
    level: float | None = None
    theme: str | None = None
    keys: dict[str, str] = field(default_factory=dict)

    def error(self, problem: str) -> ConfigError:
        """An error about this file (for the app's own checks: themes, action ids)."""
        return ConfigError(f"config {self.path}: {problem}")


def config_path() -> Path:
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("stormchat", appauthor=False)) / CONFIG_FILE


def level_value(value: float) -> float | None:
    """A confidence level from 0.5–0.999 or a percentage 50–99.9; None when out of range."""
    level = round(value / 100, 9) if value > 1 else value  # 99.9 / 100 is 0.99900000000000001
    return level if 0.5 <= level <= 0.999 else None


def load_config(path: Path | None = None) -> Config:
    path = config_path() if path is None else path
    config = Config(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        return config
    except IsADirectoryError:
        raise config.error("is a directory, not a file") from None
    except OSError as error:
        raise config.error(f"cannot be read ({error.strerror or error})") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise config.error(f"is larger than {MAX_CONFIG_BYTES // 1024} KB; not a config file")
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise config.error("is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise config.error(f"is not valid TOML: {error}") from None
    return _validated(config, parsed)


def _validated(config: Config, parsed: dict[str, Any]) -> Config:
    for table, value in parsed.items():
        if table not in SCHEMA:
            raise config.error(f"unknown table [{table}] (known: {_names(SCHEMA)})")
        if not isinstance(value, dict):
            raise config.error(f"{table} must be a table, [{table}]")
        allowed = SCHEMA[table]
        for key in value:
            if allowed and key not in allowed:
                raise config.error(f"unknown key {key!r} in [{table}] (known: {_names(allowed)})")
    statistics = parsed.get("statistics", {})
    method, level = statistics.get("ci_method"), statistics.get("level")
    if method is not None and method not in CI_METHODS:
        raise config.error(f"[statistics] ci_method {method!r} is not one of {_names(CI_METHODS)}")
    if level is not None:
        if isinstance(level, bool) or not isinstance(level, int | float) or math.isnan(level):
            raise config.error(f"[statistics] level must be a number, not {level!r}")
        checked = level_value(float(level))
        if checked is None:
            raise config.error(
                f"[statistics] level must be between 0.5 and 0.999 (50–99.9 %), not {level}"
            )
        level = checked
    theme = parsed.get("app", {}).get("theme")
    if theme is not None and not (isinstance(theme, str) and theme.strip()):
        raise config.error(f"[app] theme must be a theme's name, not {theme!r}")
    keys = parsed.get("keys", {})
    for action, key in keys.items():
        if not isinstance(key, str) or not all(part.strip() for part in key.split(",")):
            raise config.error(
                f'[keys] {action} must be a key or keys separated by commas, e.g. "f1,ctrl+h"'
            )
    return replace(config, ci_method=method, level=level, theme=theme, keys=dict(keys))


def _names(names: Any) -> str:
    return ", ".join(str(name) for name in names)


def save_statistics(path: Path, settings: Settings) -> Config:
    """Write ``settings`` as the default CI method and level into the file at ``path``, keeping
    the rest of its settings as it holds them now (read again: it may have been edited since
    the app started; its comments are not kept); the configuration saved. Raises ``OSError``,
    or ``ConfigError`` when the file there cannot be read as a configuration."""
    saved = replace(load_config(path), ci_method=settings.ci_method, level=settings.level)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_writer(path, force=True) as handle:
        handle.write(to_toml(saved).encode("utf-8"))
    return saved


def to_toml(config: Config) -> str:
    tables: dict[str, dict[str, str | float]] = {
        "statistics": {
            k: v for k, v in (("ci_method", config.ci_method), ("level", config.level)) if v
        },
        "app": {"theme": config.theme} if config.theme else {},
        "keys": dict(config.keys),
    }
    lines = [
        "# stormchat's chat app settings (README: Configuration). F3's \"Save as default\"",
        "# rewrites this file: comments are not kept.",
    ]
    for table, values in tables.items():
        if values:
            lines += ["", f"[{table}]"]
            lines += [f"{_toml_key(key)} = {_toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "")
    return key if bare.isascii() and bare.isalnum() else _toml_value(key)


def _toml_value(value: str | float) -> str:
    if isinstance(value, str):
        # A JSON string is a TOML basic string: the same escapes (\", \\, \n, \uXXXX), but
        # TOML also wants DEL escaped.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    return repr(float(value))
