"""Second stage of the cascade: give every study intent a score from weighted features.

Features are the slots and cues found by ``slots.Extractor``. Weights are additive evidence on a
rough scale where ~3 means "this alone is enough" and <1 means "a hint". The parser turns the top
two scores into a decision (answer, clarify when close, unknown when weak).
"""

from __future__ import annotations

from intents.slots import Extraction

# Below this, nothing was recognised well enough to answer.
MIN_SCORE = 1.2
# Top two within this margin: ask which one was meant.
CLOSE_MARGIN = 0.5


def score(ex: Extraction) -> dict[str, float]:
    """Score every study intent; only positive scores are returned."""
    s: dict[str, float] = {}

    def add(intent: str, weight: float) -> None:
        s[intent] = s.get(intent, 0.0) + weight

    f = ex.flags
    has_endpoint = ex.has("endpoint")
    # Response: a threshold inside a time-to-event question is a response *group*
    # ("OS in patients who responded"), not a question about response.
    if ex.has("threshold") and not has_endpoint:
        add("response_rate", max(h.weight for h in ex.hits["threshold"]))
    if ex.has("category") and not has_endpoint:
        add("response_category", 3.0)
    if ex.has("breakdown"):
        add("response_breakdown", 4.5)

    # Safety.
    if ex.has("term") or ex.has("term_text"):
        add("ae_incidence", 3.0)
    if ex.has("generic_ae"):
        add("ae_incidence", 1.5)
        add("ae_top", 0.3)
    if ex.has("grade"):
        # A grade alone is a hint, not a question: "grade 3" needs a term (→ clarify).
        add("ae_incidence", 0.8)
    if ex.has("bleeding"):
        add("ae_bleeding", 4.0)
    if "deaths" in f:
        add("ae_deaths", 4.0)
    if ex.has("action"):
        add("ae_action", 4.5)
    if "top" in f:
        add("ae_top", 4.5)

    # Time to event.
    if has_endpoint:
        add("tte_median", max(h.weight for h in ex.hits["endpoint"]))
    if "median" in f:
        add("tte_median", 0.5)
        add("baseline", 0.5)

    # Baseline.
    if ex.baseline:
        add("baseline", 4.0)
    # "How many were penta-refractory" counts a status; "how many sCRs in penta-refractory
    # patients" asks about something else within the subgroup.
    other_subject = any(ex.has(n) for n in ("category", "threshold", "term", "endpoint"))
    if "refractory_count" in f and not other_subject:
        add("baseline", 4.5)

    # Study facts (the dose topic only when no action consumed the word "dose").
    if ex.topics:
        add("study_fact", max(h.weight for h in ex.topics.values()))
    if ex.has("person"):
        if "quote_words" in f:
            add("quote", 6.0)
        else:
            add("study_fact", 3.5)

    # Definitions, discrepancies, comparisons, records, method.
    if ex.has("def_term") and ("define" in f or "define_whole" in f):
        add("definition", 6.5)
    if "reconstructed" in f:
        add("definition", 6.5)
    if "discrepancy" in f or "discrepancy_pair" in f:
        add("discrepancy", 6.0)
    pops = {h.value for h in ex.hits.get("population", [])}
    if "compare" in f and pops & {"penta", "non_penta"}:
        add("compare", 6.0)
    # Patient-level queries need a condition to filter on ("which patients had a VGPR").
    conditions = any(ex.has(n) for n in ("term", "category", "threshold", "bleeding"))
    if "records" in f and conditions:
        add("records", 6.0)
    if "explain" in f:
        add("explain_method", 6.0)
    return s


def ranked(scores: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def confidence(top: float, second: float) -> float:
    """Map raw evidence to [0, 1]: more evidence and a wider lead give more confidence."""
    if top <= 0:
        return 0.0
    return round(min(0.99, top / (top + second + 1.0)), 3)
