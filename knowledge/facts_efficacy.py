"""Published facts: baseline characteristics, efficacy and the penta-refractory subgroup
(published_facts.md sections 3 and 4).

Percentages are as published (rounded as the source rounds them), never recomputed; a figure
obtained by arithmetic on published ones is graded "derived" and says how in ``note``.
"""

from __future__ import annotations

from knowledge.facts_common import MITT, MMHUB, NEJM, NEWS, PENTA, SAFETY
from knowledge.models import SourceGrade, StudyFact

NRCO = "Nat Rev Clin Oncol highlight"
# A best response of CR means a complete response that was not stringent.
_CR_APART = {"CR": " Stringent complete responses are counted apart, as sCR."}


def baseline_facts() -> list[StudyFact]:
    """Section 3: who was treated (mITT unless stated)."""
    return [
        StudyFact(
            id="baseline.age",
            topic="baseline",
            label="Median age",
            value=65,
            unit="years",
            **MITT,
            text="The median age was 65 years.",
            source=f"{NEJM}; {MMHUB}",
            grade="primary",
            note="65.2 years to one decimal (multiplemyelomahub.com, secondary).",
        ),
        StudyFact(
            id="baseline.age.precise",
            topic="baseline",
            label="Median age, one decimal",
            value=65.2,
            unit="years",
            **MITT,
            text="The median age was 65.2 years.",
            source=MMHUB,
            grade="secondary",
        ),
        StudyFact(
            id="baseline.diagnosis_years",
            topic="baseline",
            label="Median time since diagnosis",
            value=6.6,
            unit="years",
            **MITT,
            text="The median time since diagnosis was 6.6 years.",
            source=MMHUB,
            grade="secondary",
        ),
        StudyFact(
            id="baseline.prior_regimens",
            topic="baseline",
            label="Prior regimens",
            value=7,
            unit="regimens",
            range_low=3,
            range_high=18,
            **MITT,
            text="Patients had received a median of 7 prior regimens (range 3–18).",
            source=f"{NEJM}; {MMHUB}",
            grade="primary",
        ),
        StudyFact(
            id="baseline.unique_agents",
            topic="baseline",
            label="Unique anti-myeloma agents received",
            value=10,
            unit="agents",
            **MITT,
            text="Patients had been exposed to a median of 10 unique anti-myeloma agents.",
            source="Myeloma Patients Europe news",
            grade="secondary",
        ),
        StudyFact(
            id="baseline.high_risk",
            topic="baseline",
            label="High-risk cytogenetic abnormalities",
            value=53,
            unit="%",
            **MITT,
            text="53 % of patients had high-risk cytogenetic abnormalities.",
            source=NEJM,
            grade="primary",
            note="Count not published; the reconstruction's 65 of the 122 mITT patients "
            "(53.3 %) is derived from 53 % (the one treated patient outside the mITT is not "
            "high-risk, so 65 of 123 = 52.8 % also rounds to 53 %). The individual "
            "abnormalities are not reported.",
        ),
        StudyFact(
            id="baseline.penta",
            topic="baseline",
            label="Penta-refractory",
            value=83,
            unit="patients",
            n=83,
            **MITT,
            text="83 of the 122 patients (68.0 %) were penta-refractory.",
            source="FDA approval summaries",
            grade="secondary",
            note="The percentage 68.0 % is derived (83 / 122).",
        ),
        StudyFact(
            id="baseline.population_mitt",
            topic="baseline",
            label="Patients in the mITT",
            value=122,
            unit="patients",
            n=122,
            **MITT,
            text="122 patients were in the modified intention-to-treat population (all "
            "efficacy figures).",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="baseline.population_safety",
            topic="baseline",
            label="Patients in the safety population",
            value=123,
            unit="patients",
            n=123,
            **SAFETY,
            text="123 patients were in the safety population (all adverse-event figures).",
            source=NEWS,
            grade="seed",
        ),
    ]


def _bor(
    cat: str, name: str, n: int, pct: float, grade: SourceGrade, source: str, note: str | None
) -> StudyFact:
    """A best-overall-response count in the mITT population."""
    return StudyFact(
        id=f"efficacy.bor.{cat}",
        topic="efficacy",
        label=f"Best response: {name}",
        value=pct,
        unit="%",
        n=n,
        **MITT,
        text=f"{n} of 122 patients ({pct:g} %) had a best response of {name} ({cat})."
        + _CR_APART.get(cat, ""),
        source=source,
        grade=grade,
        note=note,
    )


def efficacy_facts() -> list[StudyFact]:
    """Section 4: response, time to event, disposition (mITT, n = 122)."""
    return [
        StudyFact(
            id="efficacy.orr",
            topic="efficacy",
            label="Overall response (PR or better)",
            value=26,
            unit="%",
            n=32,
            ci_low=19,
            ci_high=35,
            **MITT,
            text="32 of 122 patients (26 %; 95 % CI 19–35) had a partial response or better.",
            source=NEWS,
            grade="seed",
            note="The primary endpoint; also in the NEJM abstract (primary). 32/122 = 26.2 %; "
            "the CI is exact (Clopper–Pearson) 18.7–35.0. See discrepancy.orr.",
        ),
        StudyFact(
            id="efficacy.cbr",
            topic="efficacy",
            label="Clinical benefit (MR or better)",
            value=39,
            unit="%",
            n=48,
            ci_low=31,
            ci_high=49,
            **MITT,
            text="48 of 122 patients (39 %; 95 % CI 31–49) achieved clinical benefit (a minimal "
            "response or better).",
            source=NEWS,
            grade="seed",
            note="48/122 = 39.3 %; the CI is exact (Clopper–Pearson) 30.6–48.6.",
        ),
        _bor("sCR", "stringent complete response", 2, 2, "seed", NEWS, None),
        _bor(
            "CR",
            "complete response",
            0,
            0,
            "derived",
            "derived (2 + 6 + 24 = 32)",
            "Derived: 2 sCR + 6 VGPR + 24 PR = 32 responses, so none had a CR that was not "
            "stringent.",
        ),
        _bor("VGPR", "very good partial response", 6, 5, "seed", NEWS, None),
        _bor("PR", "partial response", 24, 20, "seed", NEWS, None),
        _bor(
            "MR",
            "minimal response",
            16,
            13.1,
            "derived",
            "derived (48 − 32)",
            "Derived: 48 with MR or better − 32 with PR or better = 16; 16/122 = 13.1 %.",
        ),
        StudyFact(
            id="efficacy.bor.below_mr",
            topic="efficacy",
            label="Below minimal response (SD, PD or NE)",
            value=74,
            unit="patients",
            n=74,
            **MITT,
            text="74 of 122 patients had stable disease, progressive disease or were not "
            "evaluable; the split between these is not reported.",
            source="derived (122 − 48)",
            grade="derived",
            note="Derived: 122 − 48 = 74. The SD / PD / NE split is not in these sources.",
        ),
        StudyFact(
            id="efficacy.ttr",
            topic="efficacy",
            label="Median time to response",
            value=4.1,
            unit="weeks",
            range_low=1,
            range_high=14,
            population="mITT responders (PR or better)",
            population_n=32,
            text="Among the 32 responders, the median time to response (PR or better) was 4.1 "
            "weeks (range 1–14).",
            source=MMHUB,
            grade="secondary",
        ),
        StudyFact(
            id="efficacy.dor",
            topic="efficacy",
            label="Median duration of response",
            value=4.4,
            unit="months",
            ci_low=3.7,
            ci_high=10.8,
            population="mITT responders (PR or better)",
            population_n=32,
            text="Among the 32 responders, the median duration of response was 4.4 months "
            "(95 % CI 3.7–10.8).",
            source=MMHUB,
            grade="secondary",
        ),
        StudyFact(
            id="efficacy.pfs",
            topic="efficacy",
            label="Median progression-free survival",
            value=3.7,
            unit="months",
            **MITT,
            text="The median progression-free survival was 3.7 months.",
            source=f"{NRCO}; Mount Sinai",
            grade="secondary",
            note="Its confidence interval is not reported in these sources.",
        ),
        StudyFact(
            id="efficacy.os",
            topic="efficacy",
            label="Median overall survival",
            value=8.6,
            unit="months",
            **MITT,
            text="The median overall survival was 8.6 months.",
            source=f"{NRCO}; Mount Sinai",
            grade="secondary",
            note="Its confidence interval is not reported in these sources.",
        ),
        StudyFact(
            id="efficacy.os.pr_or_better",
            topic="efficacy",
            label="Median overall survival, PR or better",
            value=15.6,
            unit="months",
            population="mITT, PR or better",
            population_n=32,
            text="In the 32 patients with a partial response or better, the median overall "
            "survival was 15.6 months.",
            source=NRCO,
            grade="secondary",
        ),
        StudyFact(
            id="efficacy.os.mr_or_better",
            topic="efficacy",
            label="Median overall survival, MR or better",
            value=15.6,
            unit="months",
            population="mITT, MR or better",
            population_n=48,
            text="In the 48 patients with a minimal response or better, the median overall "
            "survival was 15.6 months.",
            source=NRCO,
            grade="secondary",
        ),
        StudyFact(
            id="efficacy.trtdur",
            topic="efficacy",
            label="Median duration of treatment",
            value=9.0,
            unit="weeks",
            range_low=1,
            range_high=60,
            **SAFETY,
            text="The median duration of treatment was 9.0 weeks (range 1–60).",
            source=MMHUB,
            grade="secondary",
            note="Treatment exposure, counted over everyone treated: the disposition figures "
            "(118 discontinued + 5 ongoing) add up to the safety population (123).",
        ),
        StudyFact(
            id="efficacy.disposition.discontinued",
            topic="efficacy",
            label="Discontinued treatment",
            value=96,
            unit="%",
            n=118,
            **SAFETY,
            text="118 patients (96 %) had discontinued treatment at last follow-up.",
            source=MMHUB,
            grade="secondary",
            note="118 + 5 = 123 and 118/123 = 95.9 %: the disposition counts add up to the "
            "safety population (123), not the mITT (122).",
        ),
        StudyFact(
            id="efficacy.disposition.ongoing",
            topic="efficacy",
            label="Still on treatment at last follow-up",
            value=4,
            unit="%",
            n=5,
            **SAFETY,
            text="5 patients (4 %) were still on treatment at last follow-up.",
            source=MMHUB,
            grade="secondary",
            note="118 + 5 = 123: the safety population.",
        ),
    ]


def _penta_bor(cat: str, name: str, n: int) -> StudyFact:
    return StudyFact(
        id=f"penta.bor.{cat}",
        topic="subgroup",
        label=f"Penta-refractory best response: {name}",
        value=n,
        unit="patients",
        n=n,
        **PENTA,
        text=f"{n} of the 83 penta-refractory patients had a best response of {name} ({cat})."
        + _CR_APART.get(cat, ""),
        source="ASH Clinical News; multiplemyelomahub.com",
        grade="secondary",
        note="Only the count is published for the subgroup.",
    )


def _nonpenta_bor(cat: str, name: str, n: int, total: int, penta: int) -> StudyFact:
    return StudyFact(
        id=f"nonpenta.bor.{cat}",
        topic="subgroup",
        label=f"Not penta-refractory best response: {name}",
        value=n,
        unit="patients",
        n=n,
        population="not penta-refractory (mITT)",
        population_n=39,
        text=f"{n} of the 39 mITT patients who were not penta-refractory had a best response of "
        f"{name} ({cat}) (derived)." + _CR_APART.get(cat, ""),
        source="derived (mITT − penta-refractory: 32 − 21 etc.)",
        grade="derived",
        note=f"Derived: {total} in the mITT − {penta} penta-refractory = {n}.",
    )


def subgroup_facts() -> list[StudyFact]:
    """Section 4, penta-refractory subgroup (n = 83, the FDA label population) and the rest."""
    return [
        StudyFact(
            id="penta.orr",
            topic="subgroup",
            label="Overall response, penta-refractory",
            value=25.3,
            unit="%",
            n=21,
            ci_low=16.4,
            ci_high=36.0,
            **PENTA,
            text="21 of the 83 penta-refractory patients (25.3 %; 95 % CI 16.4–36.0) had a "
            "partial response or better.",
            source="FDA Drug Trials Snapshot; approval summaries",
            grade="primary",
            note="The FDA label's efficacy figure; also in secondary approval summaries.",
        ),
        _penta_bor("sCR", "stringent complete response", 1),
        _penta_bor("CR", "complete response", 0),
        _penta_bor("VGPR", "very good partial response", 4),
        _penta_bor("PR", "partial response", 16),
        StudyFact(
            id="penta.ttr",
            topic="subgroup",
            label="Median time to first response, penta",
            value=4,
            unit="weeks",
            range_low=1,
            range_high=10,
            population="penta-refractory responders",
            population_n=21,
            text="In the penta-refractory responders, the median time to first response was 4 "
            "weeks (range 1–10).",
            source="Medscape",
            grade="secondary",
        ),
        StudyFact(
            id="penta.dor",
            topic="subgroup",
            label="Median duration of response, penta",
            value=3.8,
            unit="months",
            ci_low=2.3,
            ci_high=None,
            population="penta-refractory responders",
            population_n=21,
            text="In the penta-refractory responders, the median duration of response was 3.8 "
            "months (95 % CI 2.3 to not estimable).",
            source="FDA release; ASH Clinical News",
            grade="secondary",
            note="upper limit not estimable",
        ),
        StudyFact(
            id="nonpenta.orr",
            topic="subgroup",
            label="Overall response, not penta-refractory",
            value=28.2,
            unit="%",
            n=11,
            population="not penta-refractory (mITT)",
            population_n=39,
            text="11 of the 39 mITT patients who were not penta-refractory (28.2 %) had a "
            "partial response or better (derived, no published CI).",
            source="derived (mITT − penta-refractory: 32 − 21 etc.)",
            grade="derived",
            note="Derived: 32 − 21 = 11 responses among 122 − 83 = 39 patients; 11/39 = 28.2 %.",
        ),
        _nonpenta_bor("sCR", "stringent complete response", 1, 2, 1),
        _nonpenta_bor("CR", "complete response", 0, 0, 0),
        _nonpenta_bor("VGPR", "very good partial response", 2, 6, 4),
        _nonpenta_bor("PR", "partial response", 8, 24, 16),
    ]
