"""Figures per treatment arm, computed from the records alone: what a study's own tables show
(an AE table by arm with Fisher's exact test against the control arm, best response by arm,
Kaplan–Meier medians by arm).

These serve stores without published facts (a team's ADaM import); the counting rules are
those of ``knowledge.queries``: a patient counts once per term, the denominator is every
patient of the arm in the population.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from knowledge import queries as q
from knowledge.models import DAYS_PER, RECIST_ORDER, RESPONSE_ORDER
from knowledge.stats import (
    DEFAULT_LEVEL,
    DEFAULT_METHOD,
    GradeOp,
    Median,
    Rate,
    compare_rates,
    grade_matches,
    rate_ci,
)
from knowledge.store import Store


@dataclass(frozen=True)
class ArmRate:
    """One arm's count, with the comparison against the control arm (None for the control
    itself, or where there is none)."""

    arm: str
    rate: Rate
    p_value: float | None = None
    difference: float | None = None
    diff_low: float | None = None
    diff_high: float | None = None

    def values(self) -> dict[str, object]:
        out: dict[str, object] = {"arm": self.arm, **self.rate.values()}
        if self.p_value is not None:
            out.update(
                {
                    "p_value": round(self.p_value, 6),
                    "difference": round(self.difference or 0.0, 4),
                    "diff_ci_low": round(self.diff_low or 0.0, 4),
                    "diff_ci_high": round(self.diff_high or 0.0, 4),
                }
            )
        return out


def arms(store: Store) -> list[str]:
    """The treatment arms, control first (the store's metadata, else the arms in ADSL)."""
    if store.meta.arms:
        return list(store.meta.arms)
    return sorted({s.ARM for s in store.subjects.values() if s.ARM})


def arm_members(store: Store, population: str, arm: str | None) -> tuple[str, ...]:
    """Subjects of a population in one arm (``None``: the whole population)."""

    def compute() -> tuple[str, ...]:
        members = store.population(population)
        if arm is None:
            return members
        return tuple(sid for sid in members if store.subjects[sid].ARM == arm)

    return store.derived(("arm_members", population, arm), compute)


def rates_by_arm(
    store: Store,
    hits: Collection[str],
    population: str,
    method: str = DEFAULT_METHOD,
    level: float = DEFAULT_LEVEL,
) -> list[ArmRate]:
    """k/N per arm for the subjects in ``hits``, each arm compared with the control arm by
    Fisher's exact test (two-sided) and the difference in rates (Wald interval)."""
    wanted = set(hits)
    counts: dict[str, tuple[int, int]] = {}
    for arm in arms(store):
        members = arm_members(store, population, arm)
        if members:
            counts[arm] = (sum(1 for sid in members if sid in wanted), len(members))
    control = store.meta.control_arm if store.meta.control_arm in counts else None
    out: list[ArmRate] = []
    for arm, (k, n) in counts.items():
        if control is None or arm == control:
            out.append(ArmRate(arm, rate_ci(k, n, method, level)))
            continue
        kc, nc = counts[control]
        cmp = compare_rates(k, n, kc, nc, method, level)
        out.append(
            ArmRate(arm, cmp.first, cmp.p_value, cmp.difference, cmp.diff_low, cmp.diff_high)
        )
    return out


def socs(store: Store) -> dict[str, list[str]]:
    """System organ class → its preferred terms in the records."""

    def compute() -> dict[str, list[str]]:
        out: dict[str, set[str]] = {}
        for term, rows in store.adverse_events.items():
            for soc in {row.AESOC for row in rows.values()}:
                if soc:
                    out.setdefault(soc, set()).add(term)
        return {soc: sorted(terms) for soc, terms in sorted(out.items())}

    return store.derived(("socs",), compute)


def ae_hits(
    store: Store,
    terms: Sequence[str] | None,
    op: GradeOp = "any",
    low: int | None = None,
    high: int | None = None,
    serious: bool = False,
    severity: str | Collection[str] | None = None,
) -> set[str]:
    """Patients with any of ``terms`` (None: any adverse event) meeting a grade threshold,
    serious if asked, at a worst severity (or one of several) if asked."""
    severities = (
        {severity}
        if isinstance(severity, str)
        else (set(severity) if severity is not None else None)
    )
    chosen = (
        store.adverse_events
        if terms is None
        else {t: store.adverse_events.get(t, {}) for t in terms}
    )
    out: set[str] = set()
    for rows in chosen.values():
        for sid, row in rows.items():
            if serious and not row.AESER:
                continue
            if severities is not None and row.AESEV not in severities:
                continue
            if op != "any" and not grade_matches(row.AETOXGR or 0, op, low, high):
                continue
            out.add(sid)
    return out


def response_order(store: Store) -> tuple[str, ...]:
    """The response categories of the store's criteria, best first."""
    criteria = (store.meta.response_criteria or "").upper()
    return RECIST_ORDER if criteria.startswith("RECIST") else RESPONSE_ORDER


def categories_at_or_above(store: Store, threshold: str) -> tuple[str, ...] | None:
    """Categories counting as ``threshold`` or better under the store's criteria; RECIST's
    NON-CR/NON-PD counts with SD (disease control). None: not a category of the criteria."""
    order = response_order(store)
    if threshold not in order:
        return None
    return order[: order.index(threshold) + 1] + (
        ("NON-CR/NON-PD",) if threshold == "SD" and "NON-CR/NON-PD" in order else ()
    )


def response_hits(store: Store, categories: Collection[str]) -> set[str]:
    wanted = set(categories)
    return {sid for sid, row in store.responses.items() if row.AVALC in wanted}


@dataclass(frozen=True)
class ArmMedian:
    arm: str
    median: Median
    unit: str


def medians_by_arm(
    store: Store, param: str, population: str = "mITT", level: float = DEFAULT_LEVEL
) -> list[ArmMedian]:
    """Kaplan–Meier median of one parameter per arm, in the parameter's own unit."""
    rows = store.tte.get(param, {})
    units = {row.AVALU for row in rows.values()}
    unit = units.pop() if len(units) == 1 else "days"
    out = []
    every: list[str | None] = [*arms(store)] or [None]
    for arm in every:
        members = [sid for sid in arm_members(store, population, arm) if sid in rows]
        if members:
            out.append(ArmMedian(arm or "all", q.tte_median(store, param, members, level), unit))
    return out


def in_months(value: float | None, unit: str) -> float | None:
    """A time in months (oncology tables show days as months: 365.25 / 12 days each)."""
    if value is None:
        return None
    return value * DAYS_PER[unit] / DAYS_PER["months"]
