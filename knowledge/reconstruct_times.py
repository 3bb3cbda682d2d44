"""The time axis of the reconstruction: response, progression, survival and treatment.

Kaplan–Meier medians and their Brookmeyer–Crowley intervals depend only on the order of event
and censoring times, so each group's times are laid out around the published values; a seeded
``random.Random`` fills in only what the figures leave free (values inside safe intervals, who
gets which value). The layouts and the arithmetic that makes each median land are given beside
the constants; ``tests/test_reconstruction.py`` checks every one with an exact Kaplan–Meier of
its own.

Two conventions for a median are in use: the first time S(t) <= 0.5 (DESIGN.md), and — where
S(t) is exactly 0.5 over an interval — that interval's midpoint (SAS PROC LIFETEST, R's
``quantile.survfit``). No published median may depend on which: at every one the curve steps
from above 0.5 to below it in one step (two tied events where the count would otherwise stop at
exactly half), so both conventions give the same time.

As in a real trial, patients alive (or without progression) at the data cut-off are censored at
their follow-up, which runs later than most events: the longest time of every curve the
assistant shows is a censored one, so no curve drops to 0 while patients are still followed.

Units: PFS, OS and DOR in months; TTR and treatment duration in weeks (one month = 30.4375 / 7
weeks). DOR = PFS − TTR: a response lasts from its start to progression or death.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Literal

from knowledge import targets
from knowledge.models import ResponseCategory

Reason = Literal["ONGOING", "ADVERSE EVENT", "PROGRESSIVE DISEASE", "OTHER"]

WEEKS_PER_MONTH = 30.4375 / 7

MITT_N, SAFETY_N = targets.population_size("mITT"), targets.population_size("safety")

# ---------------------------------------------------------------------------------------------
# Responders (PR or better, 32): 21 penta-refractory (1 sCR, 4 VGPR, 16 PR) and 11 not
# (1 sCR, 2 VGPR, 8 PR) — section 6 "Penta-refractory: n, sCR, VGPR, PR | 83, 1, 4, 16" and
# section 4 "Follows: the other 39 … 1 sCR, 2 VGPR, 8 PR".
_RESPONSES: tuple[ResponseCategory, ...] = ("sCR", "CR", "VGPR", "PR")


def _best_responses(prefix: str) -> tuple[ResponseCategory, ...]:
    """Each response category as often as the facts ``<prefix>.bor.<category>`` count it."""
    return tuple(c for c in _RESPONSES for _ in range(targets.count(f"{prefix}.bor.{c}")))


PENTA_BOR = _best_responses("penta")
OTHER_BOR = _best_responses("nonpenta")
MR_N = targets.count("efficacy.bor.MR")  # 48 − 32 (section 4)
PENTA_N = targets.population_size("penta-refractory")

# Time to response, weeks. Penta: 21 values, the 11th (median) 4.0, range 1–10 (section 4,
# penta subgroup). With the 11 others: 15 values below 4.0, then 4.0 and 4.2, so the median of
# the 32 is (4.0 + 4.2) / 2 = 4.1 and the range 1–14 (section 4 "4.1 weeks (range 1–14)").
PENTA_TTR = (
    1.0,
    1.9,
    2.0,
    2.1,
    3.0,
    3.1,
    3.4,
    3.7,
    3.9,
    3.9,
    4.0,
    4.2,
    4.3,
    4.9,
    5.1,
    6.0,
    7.1,
    8.0,
    8.3,
    9.0,
    10.0,
)
OTHER_TTR = (1.1, 2.0, 3.1, 3.6, 3.9, 4.4, 4.7, 5.9, 8.1, 12.1, 14.0)
EARLY_TTR_WEEKS = 4.3  # responses this early leave room for DOR > 10.8 in the ongoing

# Duration of response, months. All 32: the 10th event 3.7 (where the lower log-log band
# first reaches 0.5), the 16th and 17th both 4.4 (S steps from 17/32 to 15/32, never resting on
# 0.5: the median under either convention), the 21st 10.8 (after 4 censored, where the upper
# band reaches 0.5) → 4.4 (95 % CI 3.7–10.8). Penta alone: 13 events, then 8
# censored: the 6th event 2.3 (lower limit), the 11th 3.8 (S = 10/21, median), and S stays at
# 8/21 so the upper band never reaches 0.5 → 3.8 (2.3 to not reached). Checked with km_median
# in the tests.
PENTA_DOR_EVENTS = (1.0, 1.4, 1.9, 2.0, 2.1, 2.3, 2.8, 3.0, 3.3, 3.7, 3.8, 4.0, 4.1)
PENTA_DOR_CENSORED = (5.5, 7.9, 9.4, 10.2, 11.3)  # stopped for an AE or other reason
OTHER_DOR_EVENTS = (4.2, 4.3, 4.4, 4.4, 6.9, 8.1, 9.5, 10.8, 12.0)
# Needs an early response, so treatment to progression stays within 60 weeks; shorter than
# every ongoing response (>= 52.1 weeks − 4.3 weeks of TTR ≈ 11.0 months … see the tail check).
LONG_DOR = 12.0
# The 5 still on treatment ("5 (4 %) still on treatment") — 3 penta, 2 not — with their
# treatment so far in weeks; 60.0 is the published maximum (range 1–60). Their DOR (> 10.8)
# is censored and derived: PFS = treatment, DOR = PFS − TTR.
ONGOING_WEEKS = (60.0, 58.4, 56.0, 54.3, 52.1)
ONGOING_PENTA = 3

# Overall survival. Responders: 13 deaths before 11.9 months, then the 5 ongoing censored
# (11.99–13.80), then 3 deaths in (13.9, 15.6]: S = 19/32 · 11/14 = 0.466 at 15.6 and 0.509
# just before → median 15.6. MR adds 7 deaths before 11.9 and 1 in (13.9, 15.6): for the 48,
# S = 28/48 · 19/23 = 0.482 at 15.6 and 28/48 · 20/23 = 0.507 before → median 15.6
# (section 4). Everyone else alive is followed beyond 15.6 months, so no other censoring
# comes before it. Beyond the crossings, deaths come by LATE_DEATH_BY and the patients alive at
# the cut-off are censored at a follow-up of up to LATE_FOLLOW_UP[1] (CENSOR_FROM at least):
# the tail of every curve is censored, as in a real trial.
EARLY_DEATH_BY = 11.8
R_EARLY_DEATHS, MR_EARLY_DEATHS = 13, 7
WINDOW = (13.9, 15.5)  # deaths just before the 15.6 crossing
R_WINDOW_DEATHS, MR_WINDOW_DEATHS = 2, 1  # plus the responder death at exactly 15.6
OS_RESPONDERS_MEDIAN = targets.number("efficacy.os.pr_or_better")  # 15.6
LATE_FOLLOW_UP = (15.8, 22.0)
LATE_DEATH_BY = 20.0
CENSOR_FROM = 11.0  # the shortest follow-up of a patient alive at the cut-off (not ongoing)

# All 122: no PFS censoring before 3.7 months and exactly 60 PFS events before it, two at it,
# so S steps from 62/122 to 60/122 at 3.7 → median 3.7 under either convention (one event
# there would leave S = 61/122 = 0.5 exactly, where SAS and R take the midpoint to the next
# event). Likewise 60 deaths before 8.6 months, two at 8.6, no one censored before → OS median
# 8.6 (section 4).
PFS_MEDIAN, OS_MEDIAN = targets.number("efficacy.pfs"), targets.number("efficacy.os")
EVENTS_BEFORE_MEDIAN = MITT_N // 2 - 1  # 60
EVENTS_AT_MEDIAN = 2

# Deaths from adverse events: 12 (section 5), all early, in non-responders; the first at
# 0.23 months is the published minimum treatment duration of 1 week.
FATAL_AE_N = targets.count("safety.deaths.ae")

# Disposition (123): 5 ongoing, 33 "ADVERSE EVENT" (27 %, section 6; 12 of them fatal), and
# the rest progressive disease or other reasons — the split of those is not published; the
# numbers of "OTHER" below are a choice.
# Non-fatal AE discontinuations (21) and OTHER by group: responders censored, responders
# progressed, MR, non-responders.
AE_DISCONTINUED = targets.count("safety.discontinued_ae")  # 33, derived from 27 %
AE_DISC_SPLIT = {"R_cens": 3, "R_prog": 2, "MR": 4, "NR": AE_DISCONTINUED - FATAL_AE_N - 9}
OTHER_SPLIT = {"R_cens": 2, "R_prog": 0, "MR": 1, "NR": 4}

# Treatment duration (weeks, 123): median 9.0 = the 62nd value, range 1–60 (section 4).
TRT_MEDIAN = targets.number("efficacy.trtdur")
TRT_MIN, TRT_MAX = targets.range_of("efficacy.trtdur")
FIRST_FATAL_OS = round(TRT_MIN / WEEKS_PER_MONTH, 2)  # 1 week = 0.23 months


def _layouts_fit() -> None:
    """The hand-made layouts above encode published figures (group sizes, ranges, medians);
    a fact edited in knowledge/data/facts without its layout must stop the build, not give
    records that miss it. (The Kaplan–Meier medians are checked in the tests.)"""
    penta_ttr, all_ttr = sorted(PENTA_TTR), sorted(PENTA_TTR + OTHER_TTR)
    middle = len(all_ttr) // 2
    ttr_low, ttr_high = targets.range_of("efficacy.ttr")
    checks = {
        "penta responders": (len(PENTA_TTR), len(PENTA_BOR), targets.count("penta.orr")),
        "other responders": (len(OTHER_TTR), len(OTHER_BOR), targets.count("nonpenta.orr")),
        "penta DOR times": (len(PENTA_DOR_EVENTS) + len(PENTA_DOR_CENSORED) + ONGOING_PENTA,),
        "still on treatment": (len(ONGOING_WEEKS), targets.count("efficacy.disposition.ongoing")),
        "longest treatment": (max(ONGOING_WEEKS), TRT_MAX),
        "penta median TTR": (penta_ttr[len(penta_ttr) // 2], targets.number("penta.ttr")),
        "penta longest TTR": (penta_ttr[-1], targets.range_of("penta.ttr")[1]),
        "median TTR": (
            round((all_ttr[middle - 1] + all_ttr[middle]) / 2, 1),
            targets.number("efficacy.ttr"),
        ),
        "TTR range": ((all_ttr[0], all_ttr[-1]), (ttr_low, ttr_high)),
    }
    checks["penta DOR times"] += (len(PENTA_TTR),)
    for what, values in checks.items():
        if len(set(values)) != 1:
            raise ValueError(
                f"the reconstruction's layout of {what} no longer fits the facts "
                f"({values}): edit knowledge/reconstruct_times.py"
            )


_layouts_fit()


@dataclass
class Patient:
    """A patient while being built; turned into records at the end."""

    group: str  # "R" (PR or better), "MR", "NR" (below MR), "SAFETY" (safety-only)
    bor: ResponseCategory | None = None
    penta: bool = False
    ongoing: bool = False
    fatal: bool = False
    ttr: float | None = None  # weeks
    dor: float | None = None  # months
    pfs: float | None = None
    pfs_event: bool = True
    os: float | None = None
    dead: bool = False
    trt: float = 0.0  # weeks
    trt_lo: float = TRT_MIN
    trt_hi: float = TRT_MAX
    reason: Reason = "PROGRESSIVE DISEASE"


class Infeasible(Exception):
    """A draw that cannot meet a target (e.g. too few short treatments to reach the median);
    the construction starts again with the generator's next values."""


def _floor1(x: float) -> float:
    return math.floor(x * 10 + 1e-9) / 10


def _ceil1(x: float) -> float:
    return math.ceil(x * 10 - 1e-9) / 10


def _ceil2(x: float) -> float:
    return math.ceil(x * 100 - 1e-9) / 100


def _uniform2(rng: random.Random, lo: float, hi: float) -> float:
    """A value in [lo, hi] to 2 decimals (lo and hi already on the 0.01 grid or inside)."""
    lo, hi = math.ceil(lo * 100 - 1e-9), math.floor(hi * 100 + 1e-9)
    if lo > hi:
        raise Infeasible("empty interval")
    return rng.randint(lo, hi) / 100


def _uniform1(rng: random.Random, lo: float, hi: float) -> float:
    lo_i, hi_i = math.ceil(lo * 10 - 1e-9), math.floor(hi * 10 + 1e-9)
    if lo_i > hi_i:
        raise Infeasible("empty interval")
    return rng.randint(lo_i, hi_i) / 10


# ---------------------------------------------------------------------------------------------
# Efficacy: responders, MR, non-responders


def _responders(rng: random.Random) -> list[Patient]:
    out: list[Patient] = []
    for penta, bors, ttrs, events, censored, n_ongoing in (
        (True, PENTA_BOR, PENTA_TTR, PENTA_DOR_EVENTS, PENTA_DOR_CENSORED, ONGOING_PENTA),
        (False, OTHER_BOR, OTHER_TTR, OTHER_DOR_EVENTS, (), len(ONGOING_WEEKS) - ONGOING_PENTA),
    ):
        early = [t for t in ttrs if t <= EARLY_TTR_WEEKS]
        # The ongoing, and the longest response, need an early response (see the constants).
        n_early = n_ongoing + (LONG_DOR in events)
        chosen = rng.sample(early, n_early)
        rest = list(ttrs)
        for t in chosen:
            rest.remove(t)
        rng.shuffle(rest)
        slots: list[tuple[float | None, bool]] = [(None, False)] * n_ongoing
        if LONG_DOR in events:
            slots.append((LONG_DOR, True))
        slots += [(d, True) for d in events if d != LONG_DOR]
        slots += [(d, False) for d in censored]
        bor = list(bors)
        rng.shuffle(bor)
        for i, (dor, event) in enumerate(slots):
            ttr = (chosen + rest)[i]
            p = Patient("R", bor=bor[i], penta=penta, ttr=ttr)
            if dor is None:
                p.ongoing = True
            else:
                p.dor, p.pfs_event = dor, event
                p.pfs = round(ttr / WEEKS_PER_MONTH + dor, 2)
            out.append(p)
    ongoing = [p for p in out if p.ongoing]
    for p, weeks in zip(ongoing, rng.sample(ONGOING_WEEKS, len(ONGOING_WEEKS)), strict=True):
        # Still on treatment at the cut-off: PFS, OS and DOR censored there.
        p.trt = weeks
        p.pfs, p.pfs_event = _ceil2(weeks / WEEKS_PER_MONTH), False
        assert p.ttr is not None
        p.dor = round(p.pfs - p.ttr / WEEKS_PER_MONTH, 2)
        p.os, p.reason = p.pfs, "ONGOING"
    return out


def _survival_after_progression(
    rng: random.Random, group: list[Patient], early: int, window: int, crossing: bool
) -> None:
    """OS for progressed patients, sorted by PFS: ``early`` deaths before 11.8 months,
    ``window`` deaths in (13.9, 15.5], the 15.6 death if ``crossing``, the rest late."""
    ordered = sorted(group, key=lambda p: (p.pfs or 0.0, p.ttr or 0.0, p.bor or ""))
    for i, p in enumerate(ordered):
        assert p.pfs is not None
        if i < early:
            p.os, p.dead = _uniform2(rng, p.pfs + 0.5, min(p.pfs + 8.0, EARLY_DEATH_BY)), True
        elif i < early + window:
            p.os, p.dead = _uniform2(rng, max(WINDOW[0], p.pfs + 0.5), WINDOW[1]), True
        elif crossing and i == early + window:
            p.os, p.dead = OS_RESPONDERS_MEDIAN, True
        else:
            # Beyond the crossing: about half die later, the rest are alive at the cut-off.
            p.dead = rng.random() < 0.5
            p.os = _uniform2(
                rng,
                max(LATE_FOLLOW_UP[0], p.pfs + 0.5),
                LATE_DEATH_BY if p.dead else LATE_FOLLOW_UP[1],
            )
    for p in ordered:
        if p.os is not None and p.pfs is not None and p.os < p.pfs + 0.3:
            raise Infeasible("death before progression")


def _minimal_responders(rng: random.Random) -> list[Patient]:
    # PFS for MR: a third before 3.7 months, the rest up to 11 (all progress).
    pfs = [_uniform2(rng, 1.8, 3.6) for _ in range(5)]
    pfs += [_uniform2(rng, 3.8, 11.0) for _ in range(MR_N - 5)]
    return [Patient("MR", bor="MR", pfs=t) for t in pfs]


def _non_responders(rng: random.Random, others: list[Patient]) -> list[Patient]:
    """74 below MR: 12 fatal adverse events (PFS = OS = death) and 62 progressing early.

    Their PFS and OS fill up whatever the responders and MR leave to the 60 events before the
    medians 3.7 (PFS) and 8.6 (OS), so the overall medians are exact."""
    n_nr = MITT_N - len(others) - FATAL_AE_N
    fatal_os = [FIRST_FATAL_OS] + sorted(
        round(rng.triangular(0.4, 6.0, 1.0), 2) for _ in range(FATAL_AE_N - 1)
    )
    fatal = [
        Patient("NR", fatal=True, pfs=t, os=t, dead=True, reason="ADVERSE EVENT") for t in fatal_os
    ]

    pfs_before = sum(1 for p in others + fatal if p.pfs is not None and p.pfs < PFS_MEDIAN)
    k = EVENTS_BEFORE_MEDIAN - pfs_before
    if not 0 <= k <= n_nr - EVENTS_AT_MEDIAN:
        raise Infeasible(f"cannot place the PFS median: {k} events needed")
    # Most progress at the first or second monthly assessment.
    pfs = [round(rng.triangular(0.7, 3.65, 1.0), 2) for _ in range(k)]
    pfs += [PFS_MEDIAN] * EVENTS_AT_MEDIAN
    pfs += [_uniform2(rng, 3.8, 9.0) for _ in range(n_nr - k - EVENTS_AT_MEDIAN)]
    progressing = [Patient("NR", pfs=t) for t in sorted(pfs)]

    deaths_before = sum(
        1 for p in others + fatal if p.dead and p.os is not None and p.os < OS_MEDIAN
    )
    d = EVENTS_BEFORE_MEDIAN - deaths_before
    if not 0 <= d <= n_nr - EVENTS_AT_MEDIAN:
        raise Infeasible(f"cannot place the OS median: {d} deaths needed")
    for i, p in enumerate(progressing):
        assert p.pfs is not None
        if i < d:
            p.os, p.dead = _uniform2(rng, p.pfs + 0.3, min(p.pfs + 6.0, OS_MEDIAN - 0.05)), True
        elif i < d + EVENTS_AT_MEDIAN:
            p.os, p.dead = OS_MEDIAN, True
        else:
            # After the median: about half die later; the rest are alive at the cut-off and
            # censored at their follow-up, which runs to the end of the curve.
            p.dead = rng.random() < 0.5
            p.os = (
                _uniform2(rng, max(OS_MEDIAN + 0.1, p.pfs + 0.3), LATE_DEATH_BY - 1.0)
                if p.dead
                else _uniform2(rng, max(CENSOR_FROM, p.pfs + 0.3), LATE_FOLLOW_UP[1])
            )
        if p.os < p.pfs + 0.3:
            raise Infeasible("death before progression")
    return fatal + progressing


def _dispositions(rng: random.Random, mitt: list[Patient]) -> None:
    """Why treatment ended, for the patients not ongoing and not dead of an adverse event."""
    pools = {
        "R_cens": [p for p in mitt if p.group == "R" and not p.ongoing and not p.pfs_event],
        "R_prog": [p for p in mitt if p.group == "R" and p.pfs_event],
        "MR": [p for p in mitt if p.group == "MR"],
        "NR": [p for p in mitt if p.group == "NR" and not p.fatal],
    }
    for name, pool in pools.items():
        picked = rng.sample(pool, AE_DISC_SPLIT[name] + OTHER_SPLIT[name])
        for i, p in enumerate(picked):
            p.reason = "ADVERSE EVENT" if i < AE_DISC_SPLIT[name] else "OTHER"
        if name == "R_cens" and len(picked) != len(pool):
            # Stopped without progression, so every one needs a reason other than it.
            raise AssertionError("a censored responder without a reason to stop")


def _treatment(rng: random.Random, patients: list[Patient]) -> None:
    """Treatment duration in weeks, then the 62nd of 123 moved onto the published 9.0."""
    for p in patients:
        if p.ongoing:
            p.trt_lo = p.trt_hi = p.trt
            continue
        if p.fatal:
            # Treatment ends at death; floor so that it never passes the death date.
            assert p.os is not None
            p.trt = p.trt_lo = p.trt_hi = max(TRT_MIN, _floor1(p.os * WEEKS_PER_MONTH))
            continue
        if p.group == "SAFETY":
            p.trt_lo, p.trt_hi = 1.1, 20.0
            p.trt = _uniform1(rng, 2.0, 12.0)
            continue
        assert p.pfs is not None and p.os is not None
        at_pfs = p.pfs * WEEKS_PER_MONTH
        cap = min(_floor1(p.os * WEEKS_PER_MONTH), TRT_MAX - 0.1)
        if p.reason == "PROGRESSIVE DISEASE":
            # Stopped for progression: at the independent review's date or up to 2 weeks
            # later, or earlier on the investigator's assessment or clinical progression
            # (down to half the way) — the published medians (treatment 9.0 weeks, PFS
            # 3.7 months) need treatment to end well before PFS for many patients.
            p.trt_lo = max(1.1, _ceil1(0.5 * at_pfs), p.ttr or 0.0)
            p.trt_hi = min(_floor1(at_pfs + 2.0), cap)
            p.trt = _uniform1(rng, p.trt_lo, min(p.trt_hi, at_pfs + 1.0))
        else:
            # Stopped for toxicity or another reason, before progression (and, for a
            # responder, not before the response was seen on treatment).
            p.trt_lo = max(1.1, p.ttr or 0.0)
            p.trt_hi = max(p.trt_lo, min(_floor1(0.95 * at_pfs), cap))
            p.trt = _uniform1(rng, p.trt_lo, max(p.trt_lo, min(p.trt_hi, 0.9 * at_pfs)))
    _force_median(rng, patients, TRT_MEDIAN, len(patients) // 2)


def _pick(rng: random.Random, candidates: list[Patient]) -> Patient:
    if not candidates:
        raise Infeasible("no duration can move onto the median")
    return rng.choice(candidates)


def _force_median(rng: random.Random, patients: list[Patient], target: float, n_below: int) -> None:
    """Redraw a few durations (within their bounds) so that exactly ``n_below`` lie below
    ``target`` and one equals it: then the sorted middle value is ``target``. Who is redrawn
    is random and the new value spread over the patient's whole range, so no gap or pile-up
    marks the median."""

    def movable(p: Patient) -> bool:
        return p.trt_lo < p.trt_hi

    below = [p for p in patients if p.trt < target]
    while len(below) > n_below:
        p = _pick(rng, [p for p in below if movable(p) and p.trt_hi >= target + 0.1])
        p.trt = _uniform1(rng, target + 0.1, p.trt_hi)
        below.remove(p)
    while len(below) < n_below:
        p = _pick(
            rng, [p for p in patients if p.trt > target and movable(p) and p.trt_lo <= target - 0.1]
        )
        p.trt = _uniform1(rng, p.trt_lo, target - 0.1)
        below.append(p)
    if not any(p.trt == target for p in patients):
        p = _pick(
            rng,
            [
                p
                for p in patients
                if p.trt > target and movable(p) and p.trt_lo <= target <= p.trt_hi
            ],
        )
        p.trt = target


def build_cohort(rng: random.Random) -> list[Patient]:
    """The 122 mITT patients and the safety-only one, with times, penta status and the
    reason treatment ended. Raises ``Infeasible`` on a draw that cannot meet a target."""
    responders = _responders(rng)
    mr = _minimal_responders(rng)
    progressed_r = [p for p in responders if p.pfs_event]
    _survival_after_progression(rng, progressed_r, R_EARLY_DEATHS, R_WINDOW_DEATHS, True)
    for p in responders:
        if not p.ongoing and not p.pfs_event:
            # Stopped without progression and followed for survival: alive at the cut-off.
            assert p.pfs is not None
            p.os = _uniform2(rng, max(LATE_FOLLOW_UP[0], p.pfs + 0.5), LATE_FOLLOW_UP[1])
    _survival_after_progression(rng, mr, MR_EARLY_DEATHS, MR_WINDOW_DEATHS, False)
    nr = _non_responders(rng, responders + mr)
    mitt = responders + mr + nr
    if len(mitt) != MITT_N:
        raise AssertionError(len(mitt))

    # Penta-refractory: the 21 responders plus 62 of the 90 others (83 in all).
    others = [p for p in mitt if p.group != "R"]
    for p in rng.sample(others, PENTA_N - len(PENTA_BOR)):
        p.penta = True
    _dispositions(rng, mitt)
    _check_tails(mitt)
    # The one treated patient outside the mITT (no efficacy records).
    patients = mitt + [Patient("SAFETY", reason="OTHER")]
    _treatment(rng, patients)
    return patients


def _tail_censored(times: list[tuple[float, bool]]) -> bool:
    """Whether the curve of (time, event) pairs ends on a censored time: S stays above 0."""
    events = [t for t, event in times if event]
    censored = [t for t, event in times if not event]
    return not events or (bool(censored) and max(censored) >= max(events))


def _check_tails(mitt: list[Patient]) -> None:
    """Every curve the assistant can show ends censored: patients still followed at the
    cut-off are the longest times, as in a real trial. (PFS for patients without a response
    is the exception: every one of them progressed or died, so that curve reaches 0.)"""
    responders = [p for p in mitt if p.group == "R"]
    groups = {
        "mITT": mitt,
        "penta": [p for p in mitt if p.penta],
        "non-penta": [p for p in mitt if not p.penta],
        "PR or better": responders,
        "MR or better": [p for p in mitt if p.group in ("R", "MR")],
        "below PR": [p for p in mitt if p.group != "R"],
        "below MR": [p for p in mitt if p.group == "NR"],
    }
    curves: dict[str, list[tuple[float, bool]]] = {}
    for name, group in groups.items():
        curves[f"OS {name}"] = [(p.os or 0.0, p.dead) for p in group]
        if name in ("mITT", "penta", "non-penta", "PR or better"):
            curves[f"PFS {name}"] = [(p.pfs or 0.0, p.pfs_event) for p in group]
    for name, group in (
        ("all", responders),
        ("penta", [p for p in responders if p.penta]),
        ("non-penta", [p for p in responders if not p.penta]),
    ):
        curves[f"DOR {name}"] = [(p.dor or 0.0, p.pfs_event) for p in group]
    for name, times in curves.items():
        if not _tail_censored(times):
            raise Infeasible(f"{name} ends on an event")
