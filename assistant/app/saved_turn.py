"""One turn of a saved conversation file, validated as it is read back (pydantic, the answer by
the ``Answer`` model).

A module of its own, imported only when a file is read (the history screen, reopening): pydantic
and the answer model take a good part of a second to import, which the chat app's first frame
must not wait for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from assistant.answer import Answer


class _SavedTurn(BaseModel):
    """One turn as stored: the answer's six contract fields plus its Markdown and chart."""

    question: str
    asked: datetime
    ci_method: str
    level: float
    answer: dict[str, Any]


def read_turn(raw: Any) -> tuple[str, Answer, str, float, datetime] | None:
    """(question, answer, CI method, level, asked), or None when ``raw`` does not validate."""
    try:
        saved = _SavedTurn.model_validate(raw)
        answer = Answer.model_validate(saved.answer)
    except ValidationError:
        return None
    return saved.question, answer, saved.ci_method, saved.level, saved.asked
