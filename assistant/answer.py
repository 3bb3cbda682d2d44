"""The answer to one question: the contract of DESIGN.md, and what batch JSON dumps."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["answered", "not_reported", "clarify", "out_of_scope", "unknown", "error"]
STATUSES: tuple[str, ...] = (
    "answered",
    "not_reported",
    "clarify",
    "out_of_scope",
    "unknown",
    "error",
)

RECORDS_SOURCE = "computed from the reconstructed records"
ILLUSTRATIVE_SOURCE = "illustrative — not a published figure"


class Chart(BaseModel):
    """What the chat app draws beside an answer; never part of the JSON contract."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["km", "bar"]
    title: str
    # km: one series per curve, {"label", "times", "survival"}; bar: {"label", "value"} rows.
    series: list[dict[str, Any]] = Field(default_factory=list)
    x_label: str = ""
    y_label: str = ""


class Answer(BaseModel):
    """One answer. ``model_dump()`` is exactly the six contract fields: the Markdown and chart
    the chat app shows are carried beside them, excluded from the dump."""

    question: str
    status: Status
    intent: str | None
    text: str
    values: dict[str, Any] = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list)
    markdown: str | None = Field(default=None, exclude=True)
    chart: Chart | None = Field(default=None, exclude=True)
