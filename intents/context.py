"""Follow-ups: what a turn that leans on the previous one inherits from it.

Policy:

* A turn that only modifies ("grade 3 or higher?", "in penta-refractory patients?", "with a 90 %
  interval instead", "and OS?" after PFS) re-asks the previous question with that change; what
  it may change is the previous intent's ``followups`` in ``intents.yaml``.
* A turn with a new subject marked as a follow-up ("and what about deaths?") asks the new
  intent, carrying only the context: population and interval settings (grades move between
  adverse-event intents).
* A full question without such a marker starts afresh: nothing is inherited.
"""

from __future__ import annotations

from typing import Any

from intents.schema import Parse, Slot
from intents.spec import CONVERSATION, Spec

CONTEXT_SLOTS = ("population", "ci_method", "level", "statistic")
GRADE = frozenset({"grade_op", "grade_low", "grade_high"})
# Slots that replace each other: a new grade replaces all of the old grade.
GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"term", "serious"}),
    GRADE,
    frozenset({"threshold", "category"}),
    frozenset({"statistic", "null_rate"}),
)


def previous_intent(previous: Parse | None, spec: Spec) -> str | None:
    """The intent a follow-up can lean on (a clarify turn offers its first reading)."""
    if previous is None:
        return None
    if previous.intent == "compound" and previous.queries:
        intent = previous.queries[-1].intent
    elif previous.intent == "clarify" and previous.alternatives:
        intent = previous.alternatives[0].intent
    else:
        intent = previous.intent
    # Study facts and definitions take follow-ups too ("and the schedule?", "and PR?").
    return intent if intent in spec.intents and intent not in CONVERSATION else None


def previous_slots(previous: Parse) -> dict[str, Slot]:
    if previous.intent == "clarify" and previous.alternatives:
        merged = dict(previous.alternatives[0].slots)
        merged.update(
            {k: v for k, v in previous.slots.items() if k not in ("missing", "level_text")}
        )
        return merged
    if previous.intent == "compound" and previous.queries:
        return dict(previous.queries[-1].slots)
    return {k: v for k, v in previous.slots.items() if k != "missing"}


def target_intent(fresh: str, prev: str) -> str:
    """Which intent a marked follow-up with a new subject asks."""
    if fresh == "ae_incidence" and prev in ("ae_action", "records", "compare"):
        return prev
    if fresh in ("response_rate", "response_category") and prev in ("records", "compare"):
        return prev
    if fresh == "ae_bleeding" and prev == "records":
        return prev
    if fresh == "ae_incidence" and prev == "disposition":
        return "ae_action"  # "how many stopped?" → "how many because of side effects?"
    return fresh


def _inherit(slot: Slot) -> Slot:
    return Slot(name=slot.name, value=slot.value, inherited=True)


def merge(
    target: str, prev_intent: str, prev: dict[str, Slot], fresh: dict[str, Slot], spec: Spec
) -> dict[str, Slot]:
    """Previous slots (marked inherited) overridden group-wise by the fresh ones."""
    if target == prev_intent:
        carry = set(prev)
    else:
        carry = set(CONTEXT_SLOTS)
        if target in ("compare", "records"):
            # "compare penta with the rest" / "which patients?" after a figure: that figure's
            # subject is what is compared or listed.
            carry |= {"term", "threshold", "category", "bleeding"} | GRADE
        both = {target, prev_intent}
        if all("grade" in spec.intents[i].slots for i in both if i in spec.intents):
            carry |= GRADE
    overridden: set[str] = set()
    for name, slot in fresh.items():
        if slot.start is None and not slot.inherited and name in prev:
            continue
        group = next((g for g in GROUPS if name in g), frozenset({name}))
        overridden |= group
        if name == "population" and slot.value == "mITT" and slot.start is not None:
            # "vs everyone?", "overall?" after a figure in responders: the whole population,
            # without the response group it was restricted to.
            overridden.add("response_group")
    out: dict[str, Slot] = {}
    for name, slot in prev.items():
        if name in carry and name not in overridden:
            out[name] = slot if slot.inherited else _inherit(slot)
    for name, slot in fresh.items():
        if slot.start is None and not slot.inherited and name in prev and name in carry:
            continue  # a default of the new reading never replaces what was asked before
        out[name] = slot
    if target == "records":
        # At patient level "any grade" and "any event" are no condition at all.
        for name in ("grade_op", "term"):
            if name in out and out[name].value == "any":
                out.pop(name)
    if target == "ae_incidence" and "grade_op" not in out:
        out["grade_op"] = Slot(name="grade_op", value="any")
    return out


# Baseline variables that count the patients of the population named with them.
POPULATION_COUNTS = frozenset({"refractory", "population_size"})


def spread_trailing(readings: list[Any], spec: Spec) -> None:
    """A modifier named once, in the last part that names one, applies to every part before
    it that can take it: "ORR and CBR in the penta-refractory", "TTR, then DOR, for the
    penta-refractory; also the ORR in that group"."""
    for group in (frozenset({"population"}), GRADE, frozenset({"ci_method"}), frozenset({"level"})):

        def named(reading: Any, group: frozenset[str] = group) -> dict[str, Any]:
            return {
                k: v
                for k, v in reading.slots.items()
                if k in group and not v.inherited and v.start is not None
            }

        at = next((i for i in range(len(readings) - 1, -1, -1) if named(readings[i])), None)
        if at is None:
            continue
        last, given = readings[at], named(readings[at])
        counted = last.slots.get("variable")
        if "population" in group and counted is not None and counted.value in POPULATION_COUNTS:
            continue  # "high-risk cyto % and penta-ref %": the population is what it counts
        for reading in readings[:at]:
            if _others(reading, group) == _others(last, group):
                continue  # the last part re-asks this one another way: "any grade and grade 3"
            allowed = spec.allowed_slots(reading.intent)
            if any(k in reading.slots and reading.slots[k].start is not None for k in group):
                continue
            if all(k in allowed for k in given):
                reading.slots = {
                    **{k: v for k, v in reading.slots.items() if k not in group},
                    **given,
                }


def _others(reading: Any, group: frozenset[str]) -> tuple[str, dict[str, Any]]:
    return reading.intent, {k: v.value for k, v in reading.slots.items() if k not in group}
