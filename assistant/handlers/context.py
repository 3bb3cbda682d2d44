"""What every handler receives besides the parse."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer import Answer
from assistant.settings import Settings
from knowledge.store import Store

__all__ = ["Context", "Settings"]


@dataclass(frozen=True)
class Context:
    store: Store
    settings: Settings
    last_answer: Answer | None = None
    # the settings the conversation started with ("revert to the defaults" goes back to them)
    defaults: Settings | None = None
