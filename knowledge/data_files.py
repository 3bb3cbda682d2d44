"""Reading the YAML data files shipped in ``knowledge/data`` (one way, for every loader)."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

# libyaml's loader where the wheel has it: several times faster than the pure-Python one, and
# these files are read on the way to a cold `ask`'s first answer.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(name: str) -> Any:
    """The parsed content of ``knowledge/data/<name>``."""
    text = (resources.files("knowledge.data") / name).read_text(encoding="utf-8")
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, C or Python
