"""The statistics settings of a conversation, in a module of their own: the chat app needs
them to draw its first screen, before the handlers (and the store) are loaded."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Statistics settings of a conversation."""

    ci_method: str
    level: float
