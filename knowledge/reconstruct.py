"""Patient records reconstructed from the published aggregates of STORM Part 2.

The trial's individual data are not public. These records are built to reproduce every
integer target of ``published_facts.md`` section 6 exactly and every published median to one
decimal, under either convention for a Kaplan–Meier median (the first time S <= 0.5, or the
SAS/R midpoint of an exact 0.5 plateau) — and nothing else about them is real.

How: every figure is hit *by construction*, not by luck. Kaplan–Meier medians and their
Brookmeyer–Crowley intervals depend only on the order of event and censoring times, so each
group's times are laid out around the published values (``knowledge.stats.km_median`` is the
check, in the tests). A seeded ``random.Random`` only fills in what the figures leave free:
values inside safe intervals, who gets which value, who has which adverse event. Any seed
therefore gives records that meet the targets; ``SEED`` fixes the shipped ones.

Units: PFS, OS and DOR in months; TTR and treatment duration (TRTDUR) in weeks, with one month
= 30.4375 / 7 weeks. DOR = PFS − TTR: a response lasts from its start to progression or death.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from knowledge import targets
from knowledge.models import AdverseEvent, BestResponse, Subject, TimeToEvent, TTEParam
from knowledge.reconstruct_ae import AE_MIN_GRADE, AEPatient, allocate_adverse_events
from knowledge.reconstruct_times import (
    MITT_N,
    SAFETY_N,
    WEEKS_PER_MONTH,
    Infeasible,
    build_cohort,
)

__all__ = ["AE_MIN_GRADE", "SEED", "WEEKS_PER_MONTH", "Records", "reconstruct"]

# Fixed so that the shipped store is always the same; every seed meets the targets (the tests
# run three).
SEED = 20190829

# A draw that cannot meet a target is rare (a few in a hundred); the next attempt continues
# the same generator, so the records still depend on the seed alone.
MAX_ATTEMPTS = 50

# Baseline (section 6 "Age / years since diagnosis / prior regimens | medians 65.2 / 6.6 / 7
# (range 3–18)"); "High-risk cytogenetics | 65 of 123 (52.8 %)", all 65 in the mITT.
# The medians and counts are read from the facts; the age and diagnosis ranges are not
# published and are a choice.
AGE_MEDIAN, AGE_RANGE = targets.number("baseline.age.precise"), (40.0, 86.0)
DIAG_MEDIAN, DIAG_RANGE = targets.number("baseline.diagnosis_years"), (1.0, 25.0)
PRIORREG_MEDIAN = int(targets.number("baseline.prior_regimens"))
_FEWEST, _MOST = targets.range_of("baseline.prior_regimens")
PRIORREG_RANGE = (int(_FEWEST), int(_MOST))
HIGHRISK_N = targets.count("baseline.high_risk")  # 65, derived from 53 %

_PARAM_ORDER: tuple[TTEParam, ...] = ("PFS", "OS", "DOR", "TTR", "TRTDUR")


@dataclass(frozen=True)
class Records:
    subjects: list[Subject]
    responses: list[BestResponse]
    adverse_events: list[AdverseEvent]
    tte: list[TimeToEvent]


# ---------------------------------------------------------------------------------------------
# Baseline


def _with_median(
    rng: random.Random,
    n: int,
    median: float,
    lo: float,
    hi: float,
    mode_below: float,
    mode_above: float,
) -> list[float]:
    """``n`` (even) values to 1 decimal whose sample median is exactly ``median``: two at it,
    half the rest drawn below, half above (triangular, for a plausible shape)."""
    half = n // 2 - 1
    below = [
        min(round(rng.triangular(lo, median, mode_below), 1), median - 0.1) for _ in range(half)
    ]
    above = [
        max(round(rng.triangular(median, hi, mode_above), 1), median + 0.1) for _ in range(half)
    ]
    values = below + [median, median] + above
    rng.shuffle(values)
    return values


def _prior_regimens(rng: random.Random, n: int) -> list[int]:
    """Median 7, range 3–18: 55 below 7 (one of them 3), 12 at 7, 55 above (one 18); the
    61st and 62nd are then 7."""
    lo, hi = PRIORREG_RANGE
    below = [lo] + [rng.randint(lo + 1, PRIORREG_MEDIAN - 1) for _ in range(54)]
    above = [hi] + [
        min(hi - 1, PRIORREG_MEDIAN + 1 + int(rng.expovariate(1 / 2.5))) for _ in range(54)
    ]
    values = below + [PRIORREG_MEDIAN] * (n - len(below) - len(above)) + above
    rng.shuffle(values)
    return values


# ---------------------------------------------------------------------------------------------


def reconstruct(seed: int = SEED) -> Records:
    """The reconstructed records; the same seed always gives the same records."""
    rng = random.Random(seed)
    for _ in range(MAX_ATTEMPTS):
        try:
            return _build(rng)
        except Infeasible:
            continue
    raise RuntimeError(f"no reconstruction for seed {seed} in {MAX_ATTEMPTS} attempts")


def _build(rng: random.Random) -> Records:
    patients = build_cohort(rng)  # the 122 mITT first, the safety-only patient last

    # Baseline, mITT medians exact; the safety-only patient drawn separately.
    ages = _with_median(rng, MITT_N, AGE_MEDIAN, *AGE_RANGE, 60.0, 70.0)
    diag = _with_median(rng, MITT_N, DIAG_MEDIAN, *DIAG_RANGE, 5.0, 8.0)
    prior = _prior_regimens(rng, MITT_N)
    high = set(rng.sample(range(MITT_N), HIGHRISK_N))
    baseline = [(ages[i], diag[i], prior[i], i in high) for i in range(MITT_N)]
    baseline.append(
        (
            round(rng.uniform(55.0, 75.0), 1),
            round(rng.uniform(3.0, 10.0), 1),
            rng.randint(5, 9),
            False,
        )
    )

    # Subject identifiers in a random order, so that groups are not contiguous.
    order = list(range(SAFETY_N))
    rng.shuffle(order)
    ids = {order[i]: f"STORM-{i + 1:03d}" for i in range(SAFETY_N)}

    allocation = allocate_adverse_events(
        rng,
        [
            AEPatient(ids[i], p.fatal, p.reason == "ADVERSE EVENT", p.trt)
            for i, p in enumerate(patients)
        ],
    )

    subjects: list[Subject] = []
    responses: list[BestResponse] = []
    tte: list[TimeToEvent] = []
    for i, p in enumerate(patients):
        sid = ids[i]
        age, years, regimens, risk = baseline[i]
        subjects.append(
            Subject(
                USUBJID=sid,
                MITTFL=p.group != "SAFETY",
                SAFFL=True,
                PENTAFL=p.penta,
                AGE=age,
                DIAGYRS=years,
                PRIORREG=regimens,
                HIGHRISK=risk,
                DOSEADJFL=sid in allocation.dose_adjusted,
                DCSREAS=p.reason,
                DTHFL=p.dead,
            )
        )
        tte.append(_tte(sid, "TRTDUR", p.trt, "weeks", event=not p.ongoing))
        if p.group == "SAFETY":
            continue
        responses.append(BestResponse(USUBJID=sid, AVALC=p.bor))
        assert p.pfs is not None and p.os is not None
        tte.append(_tte(sid, "PFS", p.pfs, "months", event=p.pfs_event))
        tte.append(_tte(sid, "OS", p.os, "months", event=p.dead))
        if p.group == "R":
            assert p.dor is not None and p.ttr is not None
            # DOR ends where PFS does, with the same event status.
            tte.append(_tte(sid, "DOR", p.dor, "months", event=p.pfs_event))
            tte.append(_tte(sid, "TTR", p.ttr, "weeks", event=True))

    return Records(
        subjects=sorted(subjects, key=lambda s: s.USUBJID),
        responses=sorted(responses, key=lambda r: r.USUBJID),
        adverse_events=allocation.rows,
        tte=sorted(tte, key=lambda t: (t.USUBJID, _PARAM_ORDER.index(t.PARAMCD))),
    )


def _tte(
    sid: str, param: TTEParam, value: float, unit: Literal["months", "weeks"], event: bool
) -> TimeToEvent:
    return TimeToEvent(USUBJID=sid, PARAMCD=param, AVAL=value, AVALU=unit, CNSR=0 if event else 1)
