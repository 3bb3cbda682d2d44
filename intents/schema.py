"""The parse: what a question asks, as typed data the engine can act on.

This module is the contract between ``intents`` (which fills it) and ``assistant`` (which acts
on it). What each intent means and which slots it takes is data, in ``intents/data/intents.yaml``
(see ``intents.spec``); slot values are plain strings, ints or floats.

Readings handlers rely on:

- Grades: eq N → grade_low = grade_high = N; ge N → grade_low = N (no grade_high); between →
  both; no grade mentioned → grade_op "any" (ae_incidence). "severe"/"badly" = ge 3; "mild" =
  between 1, 2; "life-threatening" = eq 4.
- term is one of the store's terms (its spelling), another MedDRA term the lexicon knows (the
  handler says it is not reported), or "any".
- Response thresholds: "PR" = partial response or better; "<PR" = less than that.
- A parse with several ``queries`` (intent "compound") asks each of them; ``qualifiers`` are the
  restrictions the question adds (age, a time point, a hazard ratio …), each saying whether the
  intent serves it: an unserved one means the answer is "not reported" for it, never the
  unqualified figure.
- ``unaccounted`` lists the words of the question that no part of the parse used.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Slot(BaseModel):
    """One piece of information taken from the question, with the text it came from.

    ``start``/``end`` index into the *original* question; both are None when the slot was
    carried over from an earlier turn of the conversation.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    value: Any
    text: str | None = None
    start: int | None = None
    end: int | None = None
    inherited: bool = False


class Qualifier(BaseModel):
    """A restriction the question adds: a subgroup, a time point, a measure, an assessor or
    another cohort (or a number nothing else explains)."""

    model_config = ConfigDict(frozen=True)

    kind: str
    value: str
    text: str
    start: int | None = None
    end: int | None = None
    served: bool = False


class Alternative(BaseModel):
    model_config = ConfigDict(frozen=True)

    intent: str
    confidence: float
    slots: dict[str, Slot] = Field(default_factory=dict)


class Query(BaseModel):
    """One thing asked: an intent and its slots."""

    model_config = ConfigDict(frozen=True)

    intent: str
    slots: dict[str, Slot] = Field(default_factory=dict)
    qualifiers: list[Qualifier] = Field(default_factory=list)
    text: str = ""
    # The figure a method question is about ("how was the ORR CI calculated?" asks one
    # thing, explain_method, about the ORR): answered first so the method can be explained.
    about: Query | None = None

    def get(self, name: str, default: Any = None) -> Any:
        slot = self.slots.get(name)
        return default if slot is None else slot.value


class Parse(BaseModel):
    """The reading of one question. ``intent`` and ``slots`` are those of the question as a
    whole; a compound question (intent "compound") lists its parts in ``queries``."""

    model_config = ConfigDict(frozen=True)

    text: str
    intent: str
    confidence: float = Field(ge=0.0, le=1.0)
    slots: dict[str, Slot] = Field(default_factory=dict)
    alternatives: list[Alternative] = Field(default_factory=list)
    followup: bool = False
    truncated: bool = False
    queries: list[Query] = Field(default_factory=list)
    qualifiers: list[Qualifier] = Field(default_factory=list)
    unaccounted: list[str] = Field(default_factory=list)
    corrections: list[tuple[str, str]] = Field(default_factory=list)

    def get(self, name: str, default: Any = None) -> Any:
        slot = self.slots.get(name)
        return default if slot is None else slot.value

    @property
    def unserved(self) -> list[Qualifier]:
        return [q for q in self.qualifiers if not q.served]

    def part(self, query: Query) -> Parse:
        """One part of a compound question as a parse of its own."""
        return self.model_copy(
            update={
                "intent": query.intent,
                "slots": query.slots,
                "qualifiers": query.qualifiers,
                "queries": [query],
            }
        )

    def with_slot(self, name: str, value: Any) -> Parse:
        """The same reading with one slot set, as if the question had said it (an overview
        answers each of its rows as that row's own question)."""
        return self.model_copy(update={"slots": {**self.slots, name: Slot(name=name, value=value)}})

    def summary(self) -> dict[str, Any]:
        """What ``ask --json`` shows of the parse."""

        def slots(s: dict[str, Slot]) -> dict[str, Any]:
            return {k: v.value for k, v in s.items()}

        def query(q: Query) -> dict[str, Any]:
            shown = {"intent": q.intent, "slots": slots(q.slots)}
            return shown | ({"about": query(q.about)} if q.about else {})

        return {
            "intent": self.intent,
            "confidence": self.confidence,
            "slots": slots(self.slots),
            "queries": [query(q) for q in self.queries],
            "qualifiers": [q.model_dump() for q in self.qualifiers],
            "unaccounted": list(self.unaccounted),
            "corrections": [list(c) for c in self.corrections],
            "followup": self.followup,
        }
