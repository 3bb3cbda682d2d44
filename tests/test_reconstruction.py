"""The reconstructed records against the published figures (published_facts.md, section 6).

Every expected number below is the published one (or the one derived from it in section 6),
read from the repo's facts (knowledge/data/facts, pinned to the published values in
tests/test_facts.py) with the value quoted beside it; every actual one is computed from the
records: rows are counted, medians come from knowledge.stats or an exact Kaplan–Meier here.
The count and median tests run for the shipped seed and two others, to show that the targets
are met by construction and not by a lucky draw.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import pytest

from knowledge import targets as published
from knowledge.models import TTE_PARAMS, AdverseEvent, BestResponse, Subject, TimeToEvent
from knowledge.reconstruct import AE_MIN_GRADE, SEED, WEEKS_PER_MONTH, Records, reconstruct
from knowledge.stats import Median, km_median, median_range

# scipy warns when a Kaplan–Meier curve reaches 0 (the band is undefined there); km_median
# handles that step, so the warning says nothing about these records.
pytestmark = pytest.mark.filterwarnings("ignore:The confidence interval is undefined")

RESPONDER = {"sCR", "CR", "VGPR", "PR"}
CLINICAL_BENEFIT = RESPONDER | {"MR"}
FATAL_UNKNOWN = "Fatal adverse event, cause not reported"
TOL = 1e-9

count, number, range_of = published.count, published.number, published.range_of
MITT_N, SAFETY_N = published.population_size("mITT"), published.population_size("safety")


def _ae(term: str, band: str) -> int:
    return count(f"safety.ae.{term.lower()}.{band}")


@dataclass
class View:
    """The records indexed for counting."""

    records: Records

    @cached_property
    def subjects(self) -> dict[str, Subject]:
        return {s.USUBJID: s for s in self.records.subjects}

    @cached_property
    def bor(self) -> dict[str, str | None]:
        return {r.USUBJID: r.AVALC for r in self.records.responses}

    @cached_property
    def tte(self) -> dict[str, dict[str, TimeToEvent]]:
        out: dict[str, dict[str, TimeToEvent]] = {}
        for row in self.records.tte:
            out.setdefault(row.PARAMCD, {})[row.USUBJID] = row
        return out

    @cached_property
    def ae(self) -> dict[str, dict[str, AdverseEvent]]:
        """term → patient → row."""
        out: dict[str, dict[str, AdverseEvent]] = {}
        for row in self.records.adverse_events:
            out.setdefault(row.AEDECOD, {})[row.USUBJID] = row
        return out

    @cached_property
    def mitt(self) -> list[str]:
        return [s.USUBJID for s in self.records.subjects if s.MITTFL]

    @cached_property
    def safety(self) -> list[str]:
        return [s.USUBJID for s in self.records.subjects if s.SAFFL]

    def with_bor(
        self, categories: set[str | None] | set[str], penta: bool | None = None
    ) -> list[str]:
        return [
            sid
            for sid in self.mitt
            if self.bor[sid] in categories
            and (penta is None or self.subjects[sid].PENTAFL == penta)
        ]

    def km(self, param: str, ids: list[str]) -> Median:
        rows = [self.tte[param][sid] for sid in ids]
        # km_median takes 1 = event; ADTTE's CNSR is 0 = event.
        return km_median([r.AVAL for r in rows], [1 - r.CNSR for r in rows])

    def grade_count(self, term: str, low: int, high: int | None = None) -> int:
        top = low if high is None else high
        return sum(1 for row in self.ae.get(term, {}).values() if low <= row.AETOXGR <= top)


@pytest.fixture(scope="module", params=[SEED, 7, 12345], ids=lambda s: f"seed{s}")
def v(request: pytest.FixtureRequest) -> View:
    return View(reconstruct(request.param))


@pytest.fixture(scope="module")
def shipped() -> View:
    return View(reconstruct())


# ------------------------------------------------------------------------------ contract


def test_deterministic() -> None:
    assert reconstruct() == reconstruct()
    assert reconstruct(SEED) == reconstruct()
    assert reconstruct(1) != reconstruct(2)


def test_every_record_validates(shipped: View) -> None:
    r = shipped.records
    for model, rows in (
        (Subject, r.subjects),
        (BestResponse, r.responses),
        (AdverseEvent, r.adverse_events),
        (TimeToEvent, r.tte),
    ):
        for row in rows:
            assert isinstance(row, model)
            assert model.model_validate(row.model_dump()) == row


def test_subject_ids(v: View) -> None:
    # "mITT / safety | 122 / 123"
    ids = [f"STORM-{i:03d}" for i in range(1, SAFETY_N + 1)]
    assert [s.USUBJID for s in v.records.subjects] == ids
    assert (len(v.safety), len(v.mitt)) == (SAFETY_N, MITT_N)


def test_safety_only_patient(v: View) -> None:
    (sid,) = [s for s in v.safety if s not in v.mitt]
    assert sid not in v.bor
    for param in ("PFS", "OS", "DOR", "TTR"):
        assert sid not in v.tte[param]
    assert sid in v.tte["TRTDUR"]
    assert any(sid in rows for rows in v.ae.values())
    assert not v.subjects[sid].PENTAFL and not v.subjects[sid].HIGHRISK


def test_one_row_per_patient_and_parameter(v: View) -> None:
    counts = Counter((row.USUBJID, row.PARAMCD) for row in v.records.tte)
    assert max(counts.values()) == 1
    assert set(v.tte["PFS"]) == set(v.tte["OS"]) == set(v.mitt)
    assert set(v.tte["TRTDUR"]) == set(v.safety)
    responders = set(v.with_bor(RESPONDER))
    # MR patients and non-responders have no response to date or last.
    assert set(v.tte["DOR"]) == set(v.tte["TTR"]) == responders
    # ADAE: one row per patient and term, at the worst grade.
    per_term = Counter((r.USUBJID, r.AEDECOD) for r in v.records.adverse_events)
    assert max(per_term.values()) == 1


def test_units_and_values(v: View) -> None:
    for row in v.records.tte:
        assert row.AVALU == TTE_PARAMS[row.PARAMCD]
        assert row.AVAL > 0
        assert round(row.AVAL, 2) == row.AVAL  # 1 or 2 decimals, so medians are exact


# ------------------------------------------------------------------------------ response


def test_best_response(v: View) -> None:
    # "sCR / CR / VGPR / PR / MR | 2 / 0 / 6 / 24 / 16"; the other 74 (SD/PD/NE) unsplit.
    counts = Counter(v.bor[sid] for sid in v.mitt)
    expected = {c: count(f"efficacy.bor.{c}") for c in ("sCR", "VGPR", "PR", "MR")}
    assert counts == {**expected, None: count("efficacy.bor.below_mr")}
    assert counts["CR"] == count("efficacy.bor.CR") == 0
    assert len(v.with_bor(RESPONDER)) == count("efficacy.orr")  # section 4: PR or better 32
    assert len(v.with_bor(CLINICAL_BENEFIT)) == count("efficacy.cbr")  # MR or better 48


def test_penta_refractory(v: View) -> None:
    # "Penta-refractory: n, sCR, VGPR, PR | 83, 1, 4, 16"
    penta = [sid for sid in v.mitt if v.subjects[sid].PENTAFL]
    n_penta = published.population_size("penta-refractory")
    assert len(penta) == n_penta
    assert sum(s.PENTAFL for s in v.records.subjects) == n_penta  # the safety-only is not penta
    assert Counter(v.bor[sid] for sid in penta if v.bor[sid] in RESPONDER) == {
        c: count(f"penta.bor.{c}") for c in ("sCR", "VGPR", "PR")
    }
    # Section 4 "Follows": the other 39 have 1 sCR, 2 VGPR, 8 PR.
    others = [sid for sid in v.mitt if not v.subjects[sid].PENTAFL]
    assert len(others) == MITT_N - n_penta
    assert Counter(v.bor[sid] for sid in others if v.bor[sid] in RESPONDER) == {
        c: count(f"nonpenta.bor.{c}") for c in ("sCR", "VGPR", "PR")
    }


def test_high_risk(v: View) -> None:
    # "High-risk cytogenetics | 65 of 123 (52.8 %)" — and 65 of the 122 mITT.
    assert sum(s.HIGHRISK for s in v.records.subjects) == count("baseline.high_risk")
    assert sum(v.subjects[sid].HIGHRISK for sid in v.mitt) == count("baseline.high_risk")


# ------------------------------------------------------------------------------ safety


@pytest.mark.parametrize(
    ("term", "low", "high", "expected"),
    [
        # "Thrombocytopenia any / G3 / G4 | 90 / 33 / 39"
        ("Thrombocytopenia", 1, 5, _ae("Thrombocytopenia", "any")),
        ("Thrombocytopenia", 3, 3, _ae("Thrombocytopenia", "g3")),
        ("Thrombocytopenia", 4, 4, _ae("Thrombocytopenia", "g4")),
        (
            "Thrombocytopenia",
            1,
            2,
            _ae("Thrombocytopenia", "any")
            - _ae("Thrombocytopenia", "g3")
            - _ae("Thrombocytopenia", "g4"),
        ),  # 90 − 33 − 39 = 18
        ("Thrombocytopenia", 5, 5, 0),
        ("Fatigue", 1, 5, _ae("Fatigue", "any")),  # "Fatigue any / G3 | 90 / 25"
        ("Fatigue", 3, 3, _ae("Fatigue", "g3")),
        ("Fatigue", 4, 5, 0),  # CTCAE fatigue has no grade 4
        ("Nausea", 1, 5, _ae("Nausea", "any")),  # "Nausea any / G3 | 89 / 12"
        ("Nausea", 3, 3, _ae("Nausea", "g3")),
        ("Nausea", 4, 5, 0),
        ("Anaemia", 1, 5, _ae("Anaemia", "any")),  # "Anaemia any / G3 / G4 | 82 / 52 / 2"
        ("Anaemia", 3, 3, _ae("Anaemia", "g3")),
        ("Anaemia", 4, 4, _ae("Anaemia", "g34") - _ae("Anaemia", "g3")),  # 54 − 52
        ("Neutropenia", 3, 3, _ae("Neutropenia", "g3")),  # "Neutropenia G3 / G4 | 23 / 3"
        ("Neutropenia", 4, 4, _ae("Neutropenia", "g34") - _ae("Neutropenia", "g3")),
        ("Hyponatraemia", 3, 3, _ae("Hyponatraemia", "g3")),  # "Hyponatraemia G3 / G4 | 25 / 2"
        ("Hyponatraemia", 4, 4, _ae("Hyponatraemia", "g34") - _ae("Hyponatraemia", "g3")),
        ("Leukopenia", 3, 3, _ae("Leukopenia", "g3")),  # "Leukopenia G3 | 15"
        ("Diarrhoea", 3, 3, _ae("Diarrhoea", "g3")),  # "Diarrhoea G3 | 9"
        ("Vomiting", 3, 3, _ae("Vomiting", "g3")),  # "Vomiting G3 | 4"
        ("Haemorrhage", 3, 4, count("safety.bleeding.ge3")),  # "Grade ≥3 bleeding | 6"
        # "Deaths from AEs | 12 (2 treatment-related: pneumonia, sepsis)"
        ("Pneumonia", 5, 5, 1),
        ("Sepsis", 5, 5, 1),
        (FATAL_UNKNOWN, 5, 5, count("safety.deaths.ae") - count("safety.deaths.related")),
    ],
)
def test_adverse_event_counts(v: View, term: str, low: int, high: int, expected: int) -> None:
    assert v.grade_count(term, low, high) == expected


def test_only_published_grades_are_reconstructed(v: View) -> None:
    assert AE_MIN_GRADE == {
        "Thrombocytopenia": 1,
        "Fatigue": 1,
        "Nausea": 1,
        "Anaemia": 1,
        "Neutropenia": 3,
        "Hyponatraemia": 3,
        "Leukopenia": 3,
        "Diarrhoea": 3,
        "Vomiting": 3,
        "Haemorrhage": 3,
        "Pneumonia": 5,
        "Sepsis": 5,
        FATAL_UNKNOWN: 5,
    }
    assert set(v.ae) == set(AE_MIN_GRADE)  # no decreased appetite or anything unpublished
    for row in v.records.adverse_events:
        assert row.AETOXGR >= AE_MIN_GRADE[row.AEDECOD]
        assert row.USUBJID in v.subjects
    # Grade-3-only terms: their any-grade count is their grade >= 3 count (no low rows).
    for term in ("Neutropenia", "Hyponatraemia", "Leukopenia", "Diarrhoea", "Vomiting"):
        assert v.grade_count(term, 1, 2) == 0


def test_any_grade_3_4(v: View) -> None:
    # "Any grade 3–4 AE | 117 | D from 95.1 %"
    patients = {r.USUBJID for r in v.records.adverse_events if r.AETOXGR in (3, 4)}
    assert len(patients) == count("safety.any_g34")


def test_bleeding(v: View) -> None:
    # "Grade ≥3 bleeding | 6, all in patients with thrombocytopenia"
    bleeds = [r for r in v.records.adverse_events if r.BLEEDFL]
    assert len({r.USUBJID for r in bleeds}) == count("safety.bleeding.ge3")
    for row in bleeds:
        assert row.AEDECOD == "Haemorrhage" and row.AETOXGR >= 3 and row.AESER
        assert v.ae["Thrombocytopenia"][row.USUBJID].AETOXGR in (3, 4)
    assert all(r.BLEEDFL for r in v.ae["Haemorrhage"].values())


def test_deaths_from_adverse_events(v: View) -> None:
    # "Deaths from AEs | 12 (2 treatment-related: pneumonia, sepsis)"
    fatal = [r for r in v.records.adverse_events if r.AETOXGR == 5]
    deaths = count("safety.deaths.ae")
    assert len(fatal) == deaths and len({r.USUBJID for r in fatal}) == deaths
    assert all(r.AEOUT == "FATAL" for r in fatal)
    assert all(r.AEOUT != "FATAL" for r in v.records.adverse_events if r.AETOXGR < 5)
    assert sorted(r.AEDECOD for r in fatal if r.AEREL) == ["Pneumonia", "Sepsis"]
    assert all(r.AEDECOD == FATAL_UNKNOWN for r in fatal if not r.AEREL)
    assert all(r.AEACN == "DRUG WITHDRAWN" for r in fatal)
    for row in fatal:
        sid = row.USUBJID
        subject = v.subjects[sid]
        assert subject.DTHFL and subject.DCSREAS == "ADVERSE EVENT" and subject.MITTFL
        os_, pfs, trt = v.tte["OS"][sid], v.tte["PFS"][sid], v.tte["TRTDUR"][sid]
        assert os_.CNSR == 0
        # Died without progression: the PFS event is the death.
        assert pfs.CNSR == 0 and pfs.AVAL == os_.AVAL
        # Treatment ends at death.
        assert trt.CNSR == 0
        assert os_.AVAL * WEEKS_PER_MONTH - 0.1 - TOL <= trt.AVAL <= os_.AVAL * WEEKS_PER_MONTH


def test_discontinued_for_adverse_events(v: View) -> None:
    # "Discontinued for AEs | 33 | D from 27 %", the 12 fatal among them.
    assert sum(s.DCSREAS == "ADVERSE EVENT" for s in v.records.subjects) == count(
        "safety.discontinued_ae"
    )
    # Term-level withdrawal only on the fatal rows (no published term split).
    withdrawn = [r for r in v.records.adverse_events if r.AEACN == "DRUG WITHDRAWN"]
    assert len(withdrawn) == count("safety.deaths.ae") and all(r.AETOXGR == 5 for r in withdrawn)


def test_dose_adjustments(v: View) -> None:
    # "Dose adjustments | 71 | D from 58 %"
    adjusted = {s.USUBJID for s in v.records.subjects if s.DOSEADJFL}
    assert len(adjusted) == count("safety.dose_adjusted")
    # "Dose modification or interruption for thrombocytopenia / fatigue | 53 / 20"
    modified: dict[str, set[str]] = {}
    for row in v.records.adverse_events:
        if row.AEACN == "DOSE MODIFIED":
            modified.setdefault(row.AEDECOD, set()).add(row.USUBJID)
    assert {term: len(ids) for term, ids in modified.items()} == {
        "Thrombocytopenia": count("safety.dose_mod.thrombocytopenia"),  # 53
        "Fatigue": count("safety.dose_mod.fatigue"),  # 20
    }
    assert modified["Thrombocytopenia"] | modified["Fatigue"] <= adjusted


def test_disposition(v: View) -> None:
    # "Treatment duration | … 5 still on treatment"; section 4: 118 discontinued.
    reasons = Counter(s.DCSREAS for s in v.records.subjects)
    assert reasons["ONGOING"] == count("efficacy.disposition.ongoing")
    stopped = sum(n for reason, n in reasons.items() if reason != "ONGOING")
    assert stopped == count("efficacy.disposition.discontinued")
    for sid, row in v.tte["TRTDUR"].items():
        assert (row.CNSR == 1) == (v.subjects[sid].DCSREAS == "ONGOING")


# ------------------------------------------------------------------------------ medians
#
# An exact Kaplan–Meier written here, independent of knowledge.stats: survival as fractions, so
# a plateau at exactly 0.5 is seen exactly. Two conventions are in use for the median: the first
# time S(t) <= 0.5, and — where S(t) = 0.5 exactly on an interval — the midpoint of that
# interval (SAS PROC LIFETEST, R's quantile.survfit). Every published median must hold under
# both (issue 12).

RULES = ("first", "midpoint")
Z95 = 1.959963984540054  # the standard normal 97.5 % quantile


def exact_km(rows: list[TimeToEvent]) -> list[tuple[float, Fraction, int, int]]:
    """(time, S(time), events there, number at risk) at each distinct time."""
    data = sorted((r.AVAL, r.CNSR == 0) for r in rows)
    steps, s, i = [], Fraction(1), 0
    while i < len(data):
        t, j = data[i][0], i
        while j < len(data) and data[j][0] == t:
            j += 1
        at_risk, deaths = len(data) - i, sum(event for _, event in data[i:j])
        s *= Fraction(at_risk - deaths, at_risk)
        steps.append((t, s, deaths, at_risk))
        i = j
    return steps


def exact_median(rows: list[TimeToEvent], rule: str) -> float | None:
    steps = exact_km(rows)
    half = Fraction(1, 2)
    for i, (t, s, _, _) in enumerate(steps):
        if s <= half:
            if rule == "midpoint" and s == half:
                later = [u for u, s2, _, _ in steps[i + 1 :] if s2 < half]
                return (t + later[0]) / 2 if later else t
            return t
    return None


def loglog_limits(rows: list[TimeToEvent]) -> tuple[float | None, float | None]:
    """Brookmeyer–Crowley 95 % limits from the log-log band (Greenwood's variance): the first
    times the lower and the upper pointwise limit reach 0.5 (Klein & Moeschberger 4.3)."""
    low = high = None
    greenwood = 0.0
    for t, s, deaths, at_risk in exact_km(rows):
        if deaths == at_risk:
            low = low if low is not None else t  # S = 0: the lower limit is 0
            break
        greenwood += deaths / (at_risk * (at_risk - deaths))
        if s == 1:
            continue
        ls = math.log(float(s))
        se = math.sqrt(greenwood) / abs(ls)
        lower = math.exp(-math.exp(math.log(-ls) + Z95 * se))
        upper = math.exp(-math.exp(math.log(-ls) - Z95 * se))
        if low is None and lower <= 0.5:
            low = t
        if high is None and upper <= 0.5:
            high = t
    return low, high


@pytest.mark.parametrize("rule", RULES)
def test_medians_hold_under_both_rules(v: View, rule: str) -> None:
    # Section 6 "Kaplan–Meier medians | PFS 3.7 mo; OS 8.6 mo; DOR 4.4 mo (95 % CI 3.7–10.8);
    # OS 15.6 mo in PR-or-better and in MR-or-better"; section 4 penta DOR 3.8.
    responders, benefit = v.with_bor(RESPONDER), v.with_bor(CLINICAL_BENEFIT)
    penta_responders = v.with_bor(RESPONDER, penta=True)
    for param, ids, fact_id in (
        ("PFS", v.mitt, "efficacy.pfs"),
        ("OS", v.mitt, "efficacy.os"),
        ("DOR", responders, "efficacy.dor"),
        ("OS", responders, "efficacy.os.pr_or_better"),
        ("OS", benefit, "efficacy.os.mr_or_better"),
        ("DOR", penta_responders, "penta.dor"),
    ):
        median = exact_median([v.tte[param][sid] for sid in ids], rule)
        assert median is not None and round(median, 1) == number(fact_id), (param, len(ids))


def test_no_published_median_sits_on_an_exact_half(v: View) -> None:
    # Where S(t) = 0.5 exactly, the two conventions differ: no published curve may rest there.
    groups = [
        ("PFS", v.mitt),
        ("OS", v.mitt),
        ("DOR", v.with_bor(RESPONDER)),
        ("OS", v.with_bor(RESPONDER)),
        ("OS", v.with_bor(CLINICAL_BENEFIT)),
        ("DOR", v.with_bor(RESPONDER, penta=True)),
    ]
    for param, ids in groups:
        steps = exact_km([v.tte[param][sid] for sid in ids])
        assert all(s != Fraction(1, 2) for _, s, _, _ in steps), param


def test_duration_of_response_interval_independently(v: View) -> None:
    # "DOR 4.4 mo (95 % CI 3.7–10.8)"; penta "3.8 months (95 % CI 2.3 to not estimable)".
    low, high = loglog_limits([v.tte["DOR"][sid] for sid in v.with_bor(RESPONDER)])
    assert low is not None and high is not None
    dor = published.fact("efficacy.dor")
    assert (round(low, 1), round(high, 1)) == (dor.ci_low, dor.ci_high)
    low, high = loglog_limits([v.tte["DOR"][sid] for sid in v.with_bor(RESPONDER, penta=True)])
    assert low is not None and round(low, 1) == published.fact("penta.dor").ci_low and high is None


# ------------------------------------------------------------------------------ follow-up


def _groups(v: View) -> dict[str, list[str]]:
    return {
        "mITT": v.mitt,
        "penta": [sid for sid in v.mitt if v.subjects[sid].PENTAFL],
        "non-penta": [sid for sid in v.mitt if not v.subjects[sid].PENTAFL],
        "PR or better": v.with_bor(RESPONDER),
        "MR or better": v.with_bor(CLINICAL_BENEFIT),
        "below PR": v.with_bor({"MR", None}),
        "below MR": v.with_bor({None}),
    }


def test_patients_alive_at_the_cut_off_are_censored_in_the_tail(v: View) -> None:
    # Issue 12: OS used to drop to 0 at its last death with 34 of 122 still alive. In a trial
    # the patients alive at the cut-off are the longest follow-up: every OS curve ends
    # censored, above 0, with the alive patients spread over the tail of follow-up.
    for name, ids in _groups(v).items():
        rows = [v.tte["OS"][sid] for sid in ids]
        steps = exact_km(rows)
        assert steps[-1][1] > 0, name
        longest = max(rows, key=lambda r: (r.AVAL, r.CNSR))
        assert longest.CNSR == 1, name
    os_rows = [v.tte["OS"][sid] for sid in v.mitt]
    alive = sorted(r.AVAL for r in os_rows if r.CNSR == 1)
    deaths = sorted(r.AVAL for r in os_rows if r.CNSR == 0)
    assert len(alive) >= 20
    # Censoring comes after the median (it cannot move it) and runs past the last death.
    assert alive[0] > number("efficacy.os") and alive[-1] > deaths[-1]
    # The last few months of follow-up are mostly censored times, as at a data cut-off.
    tail = [r for r in os_rows if r.AVAL >= sorted(r.AVAL for r in os_rows)[-10]]
    assert sum(r.CNSR for r in tail) >= 6


@pytest.mark.parametrize(
    ("param", "groups"),
    [
        ("PFS", ("mITT", "penta", "non-penta", "PR or better")),
        ("DOR", ("PR or better",)),
    ],
)
def test_pfs_and_dor_end_censored(v: View, param: str, groups: tuple[str, ...]) -> None:
    # The patients still on treatment without progression at the cut-off (5, "still on
    # treatment") are the longest PFS and DOR: those curves end censored, above 0.
    all_groups = _groups(v)
    for name in groups:
        rows = [v.tte[param][sid] for sid in all_groups[name]]
        assert exact_km(rows)[-1][1] > 0, (param, name)
        assert max(rows, key=lambda r: (r.AVAL, r.CNSR)).CNSR == 1, (param, name)
    penta = [v.tte["DOR"][sid] for sid in v.with_bor(RESPONDER, penta=True)]
    assert max(penta, key=lambda r: (r.AVAL, r.CNSR)).CNSR == 1


def test_pfs_and_os_medians(v: View) -> None:
    # "Kaplan–Meier medians | PFS 3.7 mo; OS 8.6 mo"
    assert round(v.km("PFS", v.mitt).median, 1) == number("efficacy.pfs")  # 3.7
    assert round(v.km("OS", v.mitt).median, 1) == number("efficacy.os")  # 8.6


def test_duration_of_response(v: View) -> None:
    # "DOR 4.4 mo (95 % CI 3.7–10.8)", n = 32
    m, dor = v.km("DOR", v.with_bor(RESPONDER)), published.fact("efficacy.dor")
    assert m.n == dor.population_n
    assert round(m.median, 1) == dor.value
    assert round(m.ci_low, 1) == dor.ci_low and round(m.ci_high, 1) == dor.ci_high


def test_os_in_responders(v: View) -> None:
    # "OS 15.6 mo in PR-or-better and in MR-or-better"
    assert round(v.km("OS", v.with_bor(RESPONDER)).median, 1) == number("efficacy.os.pr_or_better")
    assert round(v.km("OS", v.with_bor(CLINICAL_BENEFIT)).median, 1) == number(
        "efficacy.os.mr_or_better"
    )


def test_penta_duration_of_response(v: View) -> None:
    # Section 4 penta subgroup: DOR median 3.8 months (95 % CI 2.3 to not estimable).
    m, dor = v.km("DOR", v.with_bor(RESPONDER, penta=True)), published.fact("penta.dor")
    assert m.n == dor.population_n
    assert round(m.median, 1) == dor.value
    assert round(m.ci_low, 1) == dor.ci_low and m.ci_high is None is dor.ci_high


def test_time_to_response(v: View) -> None:
    # "Time to response | median 4.1 weeks, range 1–14"
    rows = [v.tte["TTR"][sid] for sid in v.with_bor(RESPONDER)]
    assert all(r.CNSR == 0 for r in rows)
    assert median_range(r.AVAL for r in rows) == (
        pytest.approx(number("efficacy.ttr")),  # 4.1
        *range_of("efficacy.ttr"),  # 1–14
    )
    # Section 4 penta subgroup: median time to first response 4 weeks (range 1–10).
    penta = v.with_bor(RESPONDER, penta=True)
    ttr = (number("penta.ttr"), *range_of("penta.ttr"))
    assert median_range(v.tte["TTR"][sid].AVAL for sid in penta) == ttr
    assert v.km("TTR", penta).median == number("penta.ttr")


def test_treatment_duration(v: View) -> None:
    # "Treatment duration | median 9.0 weeks, range 1–60"
    trtdur = (number("efficacy.trtdur"), *range_of("efficacy.trtdur"))
    assert median_range(r.AVAL for r in v.tte["TRTDUR"].values()) == trtdur
    assert len(v.tte["TRTDUR"]) == SAFETY_N


def test_baseline(v: View) -> None:
    # "Age / years since diagnosis / prior regimens | medians 65.2 / 6.6 / 7 (range 3–18)"
    subjects = [v.subjects[sid] for sid in v.mitt]
    age = median_range(s.AGE for s in subjects)
    assert round(age[0], 1) == number("baseline.age.precise") and 40 <= age[1] and age[2] <= 86
    years = median_range(s.DIAGYRS for s in subjects)
    assert (
        round(years[0], 1) == number("baseline.diagnosis_years")
        and 1 <= years[1]
        and years[2] <= 25
    )
    regimens = (number("baseline.prior_regimens"), *range_of("baseline.prior_regimens"))
    assert median_range(s.PRIORREG for s in subjects) == regimens
    assert all(isinstance(s.PRIORREG, int) for s in v.records.subjects)
    safety_only = [s for s in v.records.subjects if not s.MITTFL][0]
    assert 40 <= safety_only.AGE <= 86 and 1 <= safety_only.DIAGYRS <= 25


# ------------------------------------------------------------------------------ coherence


def test_response_before_progression(v: View) -> None:
    for sid in v.with_bor(RESPONDER):
        assert v.tte["TTR"][sid].AVAL / WEEKS_PER_MONTH < v.tte["PFS"][sid].AVAL


def test_duration_of_response_is_pfs_minus_ttr(v: View) -> None:
    for sid in v.with_bor(RESPONDER):
        dor, pfs, ttr = v.tte["DOR"][sid], v.tte["PFS"][sid], v.tte["TTR"][sid]
        # 2-decimal rounding of PFS: within half a hundredth.
        assert abs(dor.AVAL - (pfs.AVAL - ttr.AVAL / WEEKS_PER_MONTH)) <= 0.005 + TOL
        # The response ends where PFS does: at progression or death, or both censored.
        assert dor.CNSR == pfs.CNSR


def test_pfs_within_os(v: View) -> None:
    for sid in v.mitt:
        pfs, os_ = v.tte["PFS"][sid], v.tte["OS"][sid]
        assert pfs.AVAL <= os_.AVAL
        if pfs.CNSR == 0 and pfs.AVAL == os_.AVAL:
            # A PFS event at the OS time is the death itself.
            assert os_.CNSR == 0


def test_death_without_progression_is_the_pfs_event(v: View) -> None:
    # Patients who died of an adverse event on treatment did so before any progression.
    for sid in {r.USUBJID for r in v.records.adverse_events if r.AETOXGR == 5}:
        assert v.tte["PFS"][sid].CNSR == 0
        assert v.tte["PFS"][sid].AVAL == v.tte["OS"][sid].AVAL


def test_nothing_after_death(v: View) -> None:
    for sid in v.mitt:
        os_ = v.tte["OS"][sid].AVAL
        for param, rows in v.tte.items():
            if sid in rows:
                value = rows[sid].AVAL
                months = value / WEEKS_PER_MONTH if TTE_PARAMS[param] == "weeks" else value
                assert months <= os_ + TOL, (sid, param)


def test_death_flag_matches_os(v: View) -> None:
    for sid in v.mitt:
        assert v.subjects[sid].DTHFL == (v.tte["OS"][sid].CNSR == 0)
    assert not any(v.subjects[sid].DTHFL for sid in v.safety if sid not in v.mitt)


def test_treatment_ends_by_progression(v: View) -> None:
    for sid in v.mitt:
        if v.subjects[sid].DCSREAS == "ONGOING":
            continue
        trt = v.tte["TRTDUR"][sid].AVAL / WEEKS_PER_MONTH
        assert trt <= v.tte["PFS"][sid].AVAL + 1.0


def test_ongoing_patients(v: View) -> None:
    ongoing = [sid for sid in v.safety if v.subjects[sid].DCSREAS == "ONGOING"]
    assert len(ongoing) == 5
    for sid in ongoing:
        pfs, os_, trt = v.tte["PFS"][sid], v.tte["OS"][sid], v.tte["TRTDUR"][sid]
        assert not v.subjects[sid].DTHFL and os_.CNSR == 1
        assert pfs.CNSR == 1 and trt.CNSR == 1
        # On treatment until the cut-off, which is where PFS is censored.
        assert abs(trt.AVAL / WEEKS_PER_MONTH - pfs.AVAL) < 0.01
        if sid in v.tte["DOR"]:
            assert v.tte["DOR"][sid].CNSR == 1


def test_responders_do_better(v: View) -> None:
    non = v.with_bor({None})
    responders = v.with_bor(RESPONDER)
    pfs_non = v.km("PFS", non).median
    pfs_resp = v.km("PFS", responders).median
    assert pfs_non is not None and pfs_resp is not None and pfs_non < 3.7 < pfs_resp
    os_non = v.km("OS", non).median
    assert os_non is not None and os_non < 8.6 < 15.6
