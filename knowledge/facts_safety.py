"""Published facts: adverse events and other safety figures (published_facts.md section 5).

Safety population, n = 123; a patient is counted once per term, at the worst grade. Only the
published cells of the adverse-event table become facts; the empty ones are listed in
``not_reported.safety`` (facts_gaps).
"""

from __future__ import annotations

from typing import NamedTuple

from knowledge.facts_common import NEWS, SAFETY
from knowledge.models import AE_BANDS, SourceGrade, StudyFact

# Fact key → MedDRA preferred term (British spelling, as MedDRA has it).
AE_TERMS: dict[str, str] = {
    "thrombocytopenia": "Thrombocytopenia",
    "fatigue": "Fatigue",
    "nausea": "Nausea",
    "anaemia": "Anaemia",
    "neutropenia": "Neutropenia",
    "hyponatraemia": "Hyponatraemia",
    "leukopenia": "Leukopenia",
    "diarrhoea": "Diarrhoea",
    "vomiting": "Vomiting",
}

_NURSE = "nursingcenter.com; Oncology Nurse Advisor"
_NURSE_NRCO = "nursingcenter.com; Oncology Nurse Advisor; Nat Rev Clin Oncol"
_ONA = "Oncology Nurse Advisor"
_THROMBO = "Oncology Nurse Advisor; Nat Rev Clin Oncol"


class _Cell(NamedTuple):
    """One published cell of the adverse-event table."""

    term: str
    grade_key: str
    pct: float
    source: str
    derived_count: int | None  # the reconstruction's integer target (section 6), derived


# Every published cell, as published_facts.md section 5 gives it.
_CELLS: tuple[_Cell, ...] = (
    _Cell("thrombocytopenia", "g3", 27, _THROMBO, 33),
    _Cell("thrombocytopenia", "g4", 32, _THROMBO, 39),
    _Cell("thrombocytopenia", "g34", 59, _THROMBO, 72),
    _Cell("fatigue", "any", 73, _NURSE, 90),
    _Cell("fatigue", "g3", 20, _NURSE, 25),
    _Cell("nausea", "any", 72, _NURSE, 89),
    _Cell("nausea", "g3", 10, _NURSE, 12),
    _Cell("anaemia", "any", 67, _NURSE_NRCO, 82),
    _Cell("anaemia", "g3", 42, _NURSE_NRCO, 52),
    _Cell("anaemia", "g34", 44, _NURSE_NRCO, 54),
    _Cell("neutropenia", "g3", 19, _NURSE_NRCO, 23),
    _Cell("neutropenia", "g34", 21, _NURSE_NRCO, 26),
    _Cell("hyponatraemia", "g3", 20, _NURSE_NRCO, 25),
    _Cell("hyponatraemia", "g34", 22, _NURSE_NRCO, 27),
    _Cell("leukopenia", "g3", 12, _ONA, 15),
    _Cell("diarrhoea", "g3", 7, _ONA, 9),
    _Cell("vomiting", "g3", 3, _ONA, 4),
)


def _ae(cell: _Cell) -> StudyFact:
    term = AE_TERMS[cell.term]
    grade_label = AE_BANDS[cell.grade_key].label
    what = f"{term}" if cell.grade_key == "any" else f"{term} of {grade_label}"
    grade: SourceGrade = "secondary"
    return StudyFact(
        id=f"safety.ae.{cell.term}.{cell.grade_key}",
        topic="safety",
        label=f"{term}, {grade_label}",
        value=cell.pct,
        unit="%",
        **SAFETY,
        text=f"{what} occurred in {cell.pct:g} % of the 123 patients of the safety population.",
        source=cell.source,
        grade=grade,
        note=None
        if cell.derived_count is None
        else f"Only the percentage is published; the reconstruction's count {cell.derived_count} "
        "of 123 is derived from it.",
    )


def safety_facts() -> list[StudyFact]:
    """Adverse events by term and grade, bleeding, deaths, discontinuations, dose changes."""
    facts = [
        StudyFact(
            id="safety.ae.thrombocytopenia.any",
            topic="safety",
            label="Thrombocytopenia, any grade",
            value=73,
            unit="%",
            n=90,
            **SAFETY,
            text="Thrombocytopenia occurred in 90 (73 %) of 123 patients.",
            source=NEWS,
            grade="seed",
        ),
    ]
    facts += [_ae(cell) for cell in _CELLS]
    facts += [
        StudyFact(
            id="safety.decreased_appetite",
            topic="safety",
            label="Decreased appetite",
            value="common, typically grade 1 or 2",
            **SAFETY,
            text="Decreased appetite was a common side-effect, typically of grade 1 or 2 severity.",
            source=NEWS,
            grade="seed",
            note="No count or percentage is published.",
        ),
        StudyFact(
            id="safety.common_low_grade",
            topic="safety",
            label="Common side-effects, typically low grade",
            value="fatigue, nausea, decreased appetite",
            **SAFETY,
            text="Fatigue, nausea and decreased appetite, typically of grade 1 or 2 severity, "
            "were common side-effects.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="safety.bleeding.ge3",
            topic="safety",
            label="Grade ≥3 bleeding",
            value=6,
            unit="patients",
            n=6,
            **SAFETY,
            text="Thrombocytopenia led to clinically significant bleeding (grade ≥3) in six "
            "patients.",
            source=NEWS,
            grade="seed",
            note='The news item ties the six bleeds to thrombocytopenia ("it only led to '
            'clinically significant bleeding (grade ≥ 3) in six patients"), so all six were in '
            "patients with thrombocytopenia.",
        ),
        StudyFact(
            id="safety.deaths.ae",
            topic="safety",
            label="Deaths from adverse events",
            value=12,
            unit="patients",
            n=12,
            **SAFETY,
            text="12 patients died from adverse events; 2 of these deaths (one pneumonia, one "
            "sepsis) were judged related to treatment.",
            source="Nat Rev Clin Oncol highlight",
            grade="secondary",
            note="The FDA briefing, as reported, counts 10 (safety.deaths.ae.fda; "
            "discrepancy.deaths).",
        ),
        StudyFact(
            id="safety.deaths.related",
            topic="safety",
            label="Treatment-related deaths",
            value=2,
            unit="patients",
            n=2,
            **SAFETY,
            text="2 deaths were judged related to treatment: one from pneumonia and one from "
            "sepsis.",
            source="Nat Rev Clin Oncol highlight",
            grade="secondary",
            note="Causes: pneumonia, sepsis.",
        ),
        StudyFact(
            id="safety.deaths.ae.fda",
            topic="safety",
            label="Deaths from fatal adverse events, FDA count",
            value=10,
            unit="patients",
            n=10,
            **SAFETY,
            text="The FDA briefing, as reported, counted 10 deaths from fatal adverse events.",
            source="Endpoints News on the FDA briefing",
            grade="secondary",
            note="A different counting window from the 12 of the paper summaries; a known "
            "discrepancy (discrepancy.deaths).",
        ),
        StudyFact(
            id="safety.any_g34",
            topic="safety",
            label="Any grade 3–4 adverse event",
            value=95.1,
            unit="%",
            **SAFETY,
            text="95.1 % of patients had at least one grade 3–4 adverse event.",
            source="ASH Clinical News; Endpoints",
            grade="secondary",
            note="The FDA advisory-committee figure; another report says 94 % "
            "(discrepancy.any_g34). Count not published (the reconstruction's 117 is derived).",
        ),
        StudyFact(
            id="safety.discontinued_ae",
            topic="safety",
            label="Discontinued for adverse events",
            value=27,
            unit="%",
            **SAFETY,
            text="27 % of patients discontinued treatment because of adverse events.",
            source="consensus recommendations, Clin Lymphoma Myeloma Leuk 2020",
            grade="secondary",
            note="Other reports say 'nearly 30 %' or 'about a quarter' "
            "(discrepancy.discontinuation). Count not published (the reconstruction's 33 is "
            "derived).",
        ),
        StudyFact(
            id="safety.dose_adjusted",
            topic="safety",
            label="Needed dose adjustments",
            value=58,
            unit="%",
            **SAFETY,
            text="58 % of patients needed dose adjustments.",
            source="consensus recommendations, Clin Lymphoma Myeloma Leuk 2020",
            grade="secondary",
            note="Count not published (the reconstruction's 71 is derived).",
        ),
        StudyFact(
            id="safety.dose_mod.thrombocytopenia",
            topic="safety",
            label="Dose modification or interruption for thrombocytopenia",
            value=43,
            unit="%",
            **SAFETY,
            text="Thrombocytopenia led to dose modification or interruption in 43 % of patients.",
            source="nursingcenter.com",
            grade="secondary",
            note="Count not published (the reconstruction's 53 is derived).",
        ),
        StudyFact(
            id="safety.dose_mod.fatigue",
            topic="safety",
            label="Dose modification or interruption for fatigue",
            value=16,
            unit="%",
            **SAFETY,
            text="Fatigue led to dose modification or interruption in 16 % of patients.",
            source="nursingcenter.com",
            grade="secondary",
            note="Count not published (the reconstruction's 20 is derived).",
        ),
    ]
    return facts
