"""What every handler receives besides the parse."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answer import Answer
from knowledge.store import Store


@dataclass(frozen=True)
class Settings:
    """Statistics settings of a conversation."""

    ci_method: str
    level: float


@dataclass(frozen=True)
class Context:
    store: Store
    settings: Settings
    last_answer: Answer | None = None
