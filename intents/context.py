"""Follow-ups: decide whether a question leans on the previous turn, and merge the two.

Policy (documented in schema.py):

* A fragment that only *modifies* ("grade 3 or higher?", "in penta-refractory patients?", "with a
  90% interval instead", "severe?") re-asks the previous question with that change.
* A question that names its own subject inherits only when it is marked as a follow-up ("and
  OS?", "what about nausea?", "in responders?", "… instead"). Then the previous intent is kept
  when the new subject fits it (a new term for a dose-modification question stays a
  dose-modification question), otherwise the new intent takes only the context slots
  (population, CI method and level; grades move between adverse-event intents).
* A full question without such a marker ("what was the median PFS?") starts afresh: stale
  slots such as a subgroup are not carried.
"""

from __future__ import annotations

from intents.schema import Parse, Slot

# Intents whose figures depend on population / CI settings: these accept carried context.
DATA_INTENTS = frozenset({
    "response_rate", "response_category", "response_breakdown", "ae_incidence", "ae_bleeding",
    "ae_deaths", "ae_action", "ae_top", "tte_median", "baseline", "compare", "records",
})
GRADE_INTENTS = frozenset({"ae_incidence", "ae_top", "ae_bleeding", "records", "compare"})
CONTEXT_SLOTS = ("population", "ci_method", "level")
# Slots that replace each other: a new grade replaces all of the old grade.
GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"term", "term_text", "serious"}),
    frozenset({"grade_op", "grade_low", "grade_high"}),
    frozenset({"threshold", "category"}),
    frozenset({"endpoint"}), frozenset({"population"}), frozenset({"ci_method"}),
    frozenset({"level"}), frozenset({"response_group"}), frozenset({"action"}),
    frozenset({"top_n"}), frozenset({"bleeding"}), frozenset({"mode"}), frozenset({"measure"}),
    frozenset({"variable"}), frozenset({"topic"}), frozenset({"person"}), frozenset({"group"}),
    frozenset({"persist"}),
)


def previous_intent(previous: Parse | None) -> str | None:
    """The intent a follow-up can lean on (a clarify turn offers its first reading)."""
    if previous is None:
        return None
    if previous.intent in DATA_INTENTS:
        return previous.intent
    if previous.intent == "clarify":
        if previous.alternatives and previous.alternatives[0].intent in DATA_INTENTS:
            return previous.alternatives[0].intent
        if "grade_op" in previous.slots:
            return "ae_incidence"
    return None


def previous_slots(previous: Parse) -> dict[str, Slot]:
    if previous.intent == "clarify" and previous.alternatives:
        merged = dict(previous.alternatives[0].slots)
        merged.update({k: v for k, v in previous.slots.items() if k != "missing"})
        return merged
    return {k: v for k, v in previous.slots.items() if k != "missing"}


def target_intent(fresh: str | None, prev: str, fresh_slots: dict[str, Slot]) -> str:
    """Which intent a follow-up asks, given its own reading (None = modifiers only)."""
    if fresh is None or fresh == prev:
        return prev
    if fresh == "ae_incidence" and prev in ("ae_action", "records", "compare"):
        return prev
    if fresh in ("response_rate", "response_category"):
        if prev in ("records", "compare"):
            return prev
        if prev == "response_rate" and fresh == "response_category":
            return "response_rate"  # "ORR" → "and CR?" reads as CR-or-better
    if fresh == "ae_bleeding" and prev == "records":
        return prev
    return fresh


def _inherit(slot: Slot) -> Slot:
    return Slot(name=slot.name, value=slot.value, inherited=True)


def merge(target: str, prev_intent: str, prev: dict[str, Slot],
          fresh: dict[str, Slot]) -> dict[str, Slot]:
    """Previous slots (marked inherited) overridden group-wise by the fresh ones."""
    fresh = dict(fresh)
    # Re-read fresh response slots for the target intent.
    if target == "response_rate" and "category" in fresh and "threshold" not in fresh:
        cat = fresh.pop("category")
        fresh["threshold"] = Slot(name="threshold", value=cat.value, text=cat.text,
                                  start=cat.start, end=cat.end)
    if target == "compare":
        if "term" in fresh or "term_text" in fresh:
            fresh.setdefault("measure", Slot(name="measure", value="ae_incidence"))
        elif "threshold" in fresh or "category" in fresh:
            fresh.setdefault("measure", Slot(name="measure", value="response_rate"))
            if "category" in fresh and "threshold" not in fresh:
                cat = fresh.pop("category")
                fresh["threshold"] = Slot(name="threshold", value=cat.value, text=cat.text,
                                          start=cat.start, end=cat.end)
    if target == "records" and "bleeding" in fresh:
        fresh.pop("grade_op", None)
        fresh.pop("grade_low", None)
        fresh.pop("grade_high", None)

    if target == prev_intent:
        carry = set(prev)
    else:
        carry = set(CONTEXT_SLOTS)
        if target in GRADE_INTENTS and prev_intent in GRADE_INTENTS:
            carry |= {"grade_op", "grade_low", "grade_high"}
    new_measure, old_measure = fresh.get("measure"), prev.get("measure")
    if target == "compare" and new_measure is not None and old_measure is not None \
            and new_measure.value != old_measure.value:
        # Switching the measure of a comparison drops the old measure's slots.
        carry -= {"term", "term_text", "threshold", "grade_op", "grade_low", "grade_high"}
    overridden: set[str] = set()
    for group in GROUPS:
        if group & fresh.keys():
            overridden |= group
    out: dict[str, Slot] = {}
    for name, slot in prev.items():
        if name in carry and name not in overridden:
            out[name] = slot if slot.inherited else _inherit(slot)
    out.update(fresh)
    return out
