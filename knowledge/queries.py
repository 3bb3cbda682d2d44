"""Figures computed from the records: the one place that turns rows into counts, rates and
medians. ``verify`` and the answer handlers both call these, so a figure is computed one way.

Subject lists and counts are remembered on the store (``Store.derived``): the store never
changes, and without this every question re-scans every patient, which dominates an answer's
time for a store of thousands. Lists are handed out as fresh copies, so callers may keep them.
"""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.models import RESPONSE_ORDER, TTE_PARAMS, Subject
from knowledge.stats import (
    DEFAULT_LEVEL,
    DEFAULT_METHOD,
    Curve,
    GradeOp,
    Median,
    MedianRule,
    Rate,
    grade_matches,
    km_curve,
    km_median,
    median_range,
    rate_ci,
)
from knowledge.store import Store

ANY_EVENT = "any"


def categories_at_or_above(threshold: str) -> tuple[str, ...]:
    """The IMWG categories that count as ``threshold`` or better (PR → sCR, CR, VGPR, PR)."""
    if threshold not in RESPONSE_ORDER:
        raise ValueError(f"unknown response category {threshold!r}")
    return RESPONSE_ORDER[: RESPONSE_ORDER.index(threshold) + 1]


def _members(store: Store, population: str) -> frozenset[str]:
    return store.derived(("members", population), lambda: frozenset(store.population(population)))


def responders(store: Store, population: str, categories: Sequence[str]) -> list[str]:
    """Subjects of a population whose best response is one of ``categories``."""
    wanted = frozenset(categories)

    def compute() -> tuple[str, ...]:
        out = []
        for sid in store.population(population):
            row = store.responses.get(sid)
            if row is not None and row.AVALC in wanted:
                out.append(sid)
        return tuple(out)

    return list(store.derived(("responders", population, wanted), compute))


def response_rate(
    store: Store,
    population: str,
    categories: Sequence[str],
    method: str = DEFAULT_METHOD,
    level: float = DEFAULT_LEVEL,
) -> Rate:
    hits = responders(store, population, categories)
    return rate_ci(len(hits), len(store.population(population)), method, level)


def ae_subjects(
    store: Store,
    term: str,
    op: GradeOp,
    low: int | None = None,
    high: int | None = None,
    population: str = "safety",
) -> list[str]:
    """Subjects with ``term`` at a worst grade meeting the threshold; ``term`` "any" means any
    adverse event (each patient's worst grade over all terms counts once)."""

    def compute() -> tuple[str, ...]:
        members = _members(store, population)
        grades = _worst_any(store) if term == ANY_EVENT else store.worst_grades(term)
        return tuple(
            sid
            for sid, grade in grades.items()
            if sid in members and grade_matches(grade, op, low, high)
        )

    return list(store.derived(("ae_subjects", term, op, low, high, population), compute))


def _worst_any(store: Store) -> dict[str, int]:
    """subject → worst grade over all terms (shared: read only)."""

    def compute() -> dict[str, int]:
        worst: dict[str, int] = {}
        for rows in store.adverse_events.values():
            for sid, row in rows.items():
                worst[sid] = max(worst.get(sid, 0), row.AETOXGR or 0)
        return worst

    return store.derived(("worst_any",), compute)


def ae_rate(
    store: Store,
    term: str,
    op: GradeOp,
    low: int | None = None,
    high: int | None = None,
    population: str = "safety",
    method: str = DEFAULT_METHOD,
    level: float = DEFAULT_LEVEL,
) -> Rate:
    """Incidence over the whole population (never over the patients with an event).

    For one term this is ``stats.incidence`` (a patient counts once, at the worst grade; the
    denominator is the population), with the count remembered through ``ae_subjects``."""
    hits = ae_subjects(store, term, op, low, high, population)
    return rate_ci(len(hits), len(_members(store, population)), method, level)


def any_grade34_subjects(store: Store, population: str = "safety") -> list[str]:
    """Patients with at least one adverse event of grade 3 or 4 (the 'any grade 3–4 AE' figure
    counts grade 3–4 events, whatever else a patient had)."""

    def compute() -> tuple[str, ...]:
        members = _members(store, population)
        return tuple(
            sorted(
                {
                    sid
                    for rows in store.adverse_events.values()
                    for sid, row in rows.items()
                    if row.AETOXGR in (3, 4) and sid in members
                }
            )
        )

    return list(store.derived(("any_grade34", population), compute))


def action_subjects(
    store: Store, action: str, term: str | None = None, population: str = "safety"
) -> list[str]:
    """Patients whose treatment was changed for adverse events.

    ``action`` "discontinuation" is subject-level (ADSL DCSREAS); "dose_modification" is
    subject-level (DOSEADJFL) unless a term is given, then the term's AEACN.
    """

    def compute() -> tuple[str, ...]:
        members = store.population(population)
        if term is not None:
            rows = store.adverse_events.get(term, {})
            wanted = "DRUG WITHDRAWN" if action == "discontinuation" else "DOSE MODIFIED"
            return tuple(sid for sid in members if sid in rows and rows[sid].AEACN == wanted)
        subjects = store.subjects
        if action == "discontinuation":
            return tuple(sid for sid in members if subjects[sid].DCSREAS == "ADVERSE EVENT")
        return tuple(sid for sid in members if subjects[sid].DOSEADJFL)

    return list(store.derived(("action", action, term, population), compute))


def fatal_events(store: Store, population: str = "safety") -> list[tuple[str, str, bool | None]]:
    """(subject, term, treatment-related) for every fatal adverse event; related is None where
    the store does not record it."""

    def compute() -> tuple[tuple[str, str, bool | None], ...]:
        members = _members(store, population)
        return tuple(
            sorted(
                (sid, row.AEDECOD, row.AEREL)
                for rows in store.adverse_events.values()
                for sid, row in rows.items()
                if row.AEOUT == "FATAL" and sid in members
            )
        )

    return list(store.derived(("fatal", population), compute))


def tte_median(
    store: Store,
    param: str,
    subjects: Sequence[str],
    level: float = DEFAULT_LEVEL,
    rule: MedianRule = "first",
) -> Median:
    """Kaplan–Meier median of a time-to-event parameter over the given subjects who have it,
    by ``rule`` (``knowledge.stats.MEDIAN_RULES``)."""
    if param not in TTE_PARAMS and param not in store.tte:
        raise ValueError(f"unknown time-to-event parameter {param!r}")

    def compute() -> Median:
        rows = store.tte.get(param, {})
        present = [rows[sid] for sid in subjects if sid in rows]
        return km_median([r.AVAL for r in present], [1 - r.CNSR for r in present], level, rule)

    # Keyed by the subjects themselves: callers pass populations and responder groups, a
    # handful of lists per store, each rebuilt per question.
    return store.derived(("tte_median", param, tuple(subjects), level, rule), compute)


def tte_curve(
    store: Store, param: str, subjects: Sequence[str], level: float = DEFAULT_LEVEL
) -> Curve:
    """The Kaplan–Meier curve behind ``tte_median``, for charts."""

    def compute() -> Curve:
        rows = store.tte.get(param, {})
        present = [rows[sid] for sid in subjects if sid in rows]
        return km_curve([r.AVAL for r in present], [1 - r.CNSR for r in present], level)

    return store.derived(("tte_curve", param, tuple(subjects), level), compute)


def tte_values(store: Store, param: str, subjects: Sequence[str]) -> list[float]:
    rows = store.tte.get(param, {})
    return [rows[sid].AVAL for sid in subjects if sid in rows]


def observed_median(
    store: Store, param: str, subjects: Sequence[str]
) -> tuple[float, float, float]:
    """Simple median and range of a time (time to response, treatment duration), as the
    sources report those: not a Kaplan–Meier estimate."""
    return median_range(tte_values(store, param, subjects))


def baseline_values(store: Store, field: str, population: str = "mITT") -> list[float]:
    if field not in Subject.model_fields:
        raise ValueError(f"unknown baseline field {field!r}")

    def compute() -> tuple[float, ...]:
        return tuple(
            float(getattr(store.subjects[sid], field)) for sid in store.population(population)
        )

    return list(store.derived(("baseline", field, population), compute))


def flag_count(store: Store, field: str, population: str = "mITT") -> Rate:
    """Patients of a population with a true subject-level flag (HIGHRISK, PENTAFL …)."""
    members = store.population(population)
    k = store.derived(
        ("flag", field, population),
        lambda: sum(1 for sid in members if getattr(store.subjects[sid], field)),
    )
    return rate_ci(k, len(members))
