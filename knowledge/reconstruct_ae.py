"""The adverse-event half of the reconstruction: who had which term at which worst grade.

Every count here is an integer target of ``published_facts.md`` section 6, read from the
published facts (``knowledge.targets``; the value is quoted beside each constant). The
allocation is a seeded random draw *constrained* so that the marginal counts and the joint rules
hold by construction, whatever the seed:

- exactly 117 patients have a grade 3-4 row (95.1 % of 123): six patients are chosen first to
  have none, and every other patient is given at least one;
- the six grade >= 3 bleeds are in patients with grade 3-4 thrombocytopenia;
- thrombocytopenia / fatigue rows with a dose modification (53 / 20 patients) all belong to
  patients flagged ``DOSEADJFL`` (71).

Only grades that are published are reconstructed (``AE_MIN_GRADE``): terms whose any-grade
count is unknown get grade >= 3 rows only, so no unpublished count can be read off the records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from knowledge import targets
from knowledge.models import AdverseEvent, AEAction, AEOutcome

THROMBOCYTOPENIA = "Thrombocytopenia"
FATIGUE = "Fatigue"
NAUSEA = "Nausea"
ANAEMIA = "Anaemia"
NEUTROPENIA = "Neutropenia"
HYPONATRAEMIA = "Hyponatraemia"
LEUKOPENIA = "Leukopenia"
DIARRHOEA = "Diarrhoea"
VOMITING = "Vomiting"
HAEMORRHAGE = "Haemorrhage"
PNEUMONIA = "Pneumonia"
SEPSIS = "Sepsis"
FATAL_UNKNOWN = "Fatal adverse event, cause not reported"

# The lowest grade reconstructed per term. 1 where the any-grade count is published; 3 where
# only grade >= 3 is (section 5: "not found" for any grade); 5 for the causes of death, which
# are published only as fatal events.
AE_MIN_GRADE: dict[str, int] = {
    THROMBOCYTOPENIA: 1,
    FATIGUE: 1,
    NAUSEA: 1,
    ANAEMIA: 1,
    NEUTROPENIA: 3,
    HYPONATRAEMIA: 3,
    LEUKOPENIA: 3,
    DIARRHOEA: 3,
    VOMITING: 3,
    HAEMORRHAGE: 3,
    PNEUMONIA: 5,
    SEPSIS: 5,
    FATAL_UNKNOWN: 5,
}

# The targets, read from the published facts (knowledge/data/facts/safety.yaml): a published
# count, or the count the facts derive from a published percentage (section 6).
SAFETY_N = targets.population_size("safety")  # 123
ANY_G34 = targets.count("safety.any_g34")  # 117, derived from 95.1 %


def _ae(term_key: str, band: str) -> int:
    return targets.count(f"safety.ae.{term_key}.{band}")


THR_ANY, THR_G3, THR_G4 = (_ae("thrombocytopenia", b) for b in ("any", "g3", "g4"))  # 90/33/39
# CTCAE fatigue and nausea have no grade 4.
FAT_ANY, FAT_G3 = _ae("fatigue", "any"), _ae("fatigue", "g3")  # 90 / 25
NAU_ANY, NAU_G3 = _ae("nausea", "any"), _ae("nausea", "g3")  # 89 / 12
ANA_ANY, ANA_G3 = _ae("anaemia", "any"), _ae("anaemia", "g3")  # 82 / 52
ANA_G4 = targets.grade4_count("anaemia")  # 54 grade 3–4 − 52 grade 3 = 2
# Grade >= 3 only: (term, grade-3 count, grade-4 count); grade 4 is grade 3–4 minus grade 3
# where both are published (neutropenia 3, hyponatraemia 2), else none.
G3_ONLY_TERMS: tuple[tuple[str, int, int], ...] = tuple(
    (term, _ae(term.lower(), "g3"), targets.grade4_count(term.lower()))
    for term in (NEUTROPENIA, HYPONATRAEMIA, LEUKOPENIA, DIARRHOEA, VOMITING)
)
BLEEDS = targets.count("safety.bleeding.ge3")  # 6, all in patients with thrombocytopenia
THR_DOSE_MOD = targets.count("safety.dose_mod.thrombocytopenia")  # 53
FAT_DOSE_MOD = targets.count("safety.dose_mod.fatigue")  # 20
DOSE_ADJ = targets.count("safety.dose_adjusted")  # 71
# The 12 deaths from adverse events; the two judged related are a pneumonia and a sepsis.
RELATED_DEATHS = targets.count("safety.deaths.related")
# Patients with both a thrombocytopenia and a fatigue dose modification: any overlap >= 2
# keeps the union (53 + 20 - overlap) within the 71 with a dose adjustment; 8 is a choice.
DOSE_MOD_OVERLAP = 8
# Dose adjustments need time on treatment: a patient treated under three weeks gets none.
MIN_WEEKS_FOR_DOSE_ADJ = 3.0


@dataclass(frozen=True)
class AEPatient:
    """What the allocation needs to know about a patient of the safety population."""

    usubjid: str
    fatal: bool  # died of an adverse event (one of the 12)
    ae_discontinued: bool  # DCSREAS "ADVERSE EVENT", fatal or not
    trt_weeks: float


@dataclass(frozen=True)
class AEAllocation:
    rows: list[AdverseEvent]
    dose_adjusted: frozenset[str]


def _sample(rng: random.Random, pool: list[str] | set[str], k: int) -> list[str]:
    """``k`` of ``pool`` at random; sorted first so the draw never depends on set order."""
    ordered = sorted(pool)
    if k > len(ordered):
        raise ValueError(f"cannot draw {k} of {len(ordered)}")
    return sorted(rng.sample(ordered, k))


def allocate_adverse_events(rng: random.Random, patients: list[AEPatient]) -> AEAllocation:
    """Draw the ADAE rows (one per patient and term, at the worst grade) and DOSEADJFL."""
    if len(patients) != SAFETY_N:
        raise ValueError(f"the safety population is {SAFETY_N}, not {len(patients)}")
    by_id = {p.usubjid: p for p in patients}
    everyone = sorted(by_id)
    grades: dict[str, dict[str, int]] = {sid: {} for sid in everyone}

    # The 12 deaths from adverse events; 2 judged treatment-related (pneumonia, sepsis), the
    # causes of the other 10 are not published.
    fatal = sorted(p.usubjid for p in patients if p.fatal)
    if RELATED_DEATHS != 2:
        raise ValueError(f"{RELATED_DEATHS} related deaths; the records name the causes of two")
    related = _sample(rng, fatal, RELATED_DEATHS)
    fatal_term = {sid: FATAL_UNKNOWN for sid in fatal}
    fatal_term[related[0]], fatal_term[related[1]] = PNEUMONIA, SEPSIS
    for sid in fatal:
        grades[sid][fatal_term[sid]] = 5

    # 123 - 117 = 6 patients with no grade 3-4 event; a patient who stopped for an adverse
    # event or died of one is not among them.
    quiet_pool = [p.usubjid for p in patients if not p.fatal and not p.ae_discontinued]
    quiet = set(_sample(rng, quiet_pool, SAFETY_N - ANY_G34))
    severe_pool = [sid for sid in everyone if sid not in quiet]

    def two_level(term: str, any_n: int, g3: int, g4: int) -> set[str]:
        """A term with a published any-grade count: grade 3-4 first, then grades 1-2."""
        high = _sample(rng, severe_pool, g3 + g4)
        g4_ids = set(_sample(rng, high, g4))
        for sid in high:
            grades[sid][term] = 4 if sid in g4_ids else 3
        low_pool = [sid for sid in everyone if term not in grades[sid]]
        for sid in _sample(rng, low_pool, any_n - g3 - g4):
            # The split of grades 1 and 2 is not published; drawn at random.
            grades[sid][term] = rng.choice((1, 2))
        return set(high)

    thr_high = two_level(THROMBOCYTOPENIA, THR_ANY, THR_G3, THR_G4)
    ana_high = two_level(ANAEMIA, ANA_ANY, ANA_G3, ANA_G4)
    fat_high = two_level(FATIGUE, FAT_ANY, FAT_G3, 0)
    nau_high = two_level(NAUSEA, NAU_ANY, NAU_G3, 0)

    # Grade >= 3-only terms: first give one to every patient of the 117 still without a
    # grade 3-4 event (the term with most places left), then fill the remaining places.
    capacity = {term: g3 + g4 for term, g3, g4 in G3_ONLY_TERMS}
    holders: dict[str, list[str]] = {term: [] for term in capacity}
    covered = thr_high | ana_high | fat_high | nau_high
    uncovered = [sid for sid in severe_pool if sid not in covered]
    rng.shuffle(uncovered)
    for sid in uncovered:
        term = max(capacity, key=lambda t: (capacity[t] - len(holders[t]), t))
        if capacity[term] == len(holders[term]):
            raise ValueError("not enough grade >= 3 rows to give every patient one")
        holders[term].append(sid)
    prefer = {LEUKOPENIA: NEUTROPENIA, VOMITING: NAUSEA}  # they go together clinically
    for term in capacity:
        left = capacity[term] - len(holders[term])
        free = [sid for sid in severe_pool if sid not in holders[term]]
        if term in prefer:
            linked = [
                sid
                for sid in free
                if prefer[term] in grades[sid] or sid in holders.get(prefer[term], [])
            ]
            first = _sample(rng, linked, min(left, len(linked)))
            holders[term] += first
            left -= len(first)
            free = [sid for sid in free if sid not in first]
        holders[term] += _sample(rng, free, left)
    for term, _g3, g4 in G3_ONLY_TERMS:  # grade 3 is the remainder of the places
        g4_ids = set(_sample(rng, holders[term], g4))
        for sid in holders[term]:
            grades[sid][term] = 4 if sid in g4_ids else 3

    # Six grade 3-4 bleeds, each in a patient with grade 3-4 thrombocytopenia.
    for sid in _sample(rng, thr_high, BLEEDS):
        grades[sid][HAEMORRHAGE] = rng.choice((3, 4))

    # Dose modifications: thrombocytopenia in 53 (drawn from the grade 3-4 cases), fatigue in
    # 20 (8 of them also thrombocytopenia), and 71 with any dose adjustment.
    def treated(sid: str) -> bool:
        return by_id[sid].trt_weeks >= MIN_WEEKS_FOR_DOSE_ADJ

    thr_mod = set(_sample(rng, [s for s in thr_high if treated(s)], THR_DOSE_MOD))
    fatigued = [sid for sid in everyone if FATIGUE in grades[sid] and treated(sid)]
    fat_mod = set(_sample(rng, [s for s in fatigued if s in thr_mod], DOSE_MOD_OVERLAP))
    fat_mod |= set(
        _sample(rng, [s for s in fatigued if s not in thr_mod], FAT_DOSE_MOD - DOSE_MOD_OVERLAP)
    )
    adjusted = thr_mod | fat_mod
    others = [
        sid for sid in everyone if sid not in adjusted and treated(sid) and not by_id[sid].fatal
    ]
    adjusted |= set(_sample(rng, others, DOSE_ADJ - len(adjusted)))
    for sid in fat_mod:
        # A fatigue that led to a dose change is at least grade 2.
        grades[sid][FATIGUE] = max(grades[sid][FATIGUE], 2)

    rows: list[AdverseEvent] = []
    for sid in everyone:
        for term in AE_MIN_GRADE:  # a fixed term order
            if term not in grades[sid]:
                continue
            grade = grades[sid][term]
            action: AEAction = "DOSE NOT CHANGED"
            outcome: AEOutcome = "RECOVERED"
            if grade == 5:
                # Withdrawal is recorded on the fatal row only: the 21 other discontinuations
                # for adverse events have no published term split, so they stay subject-level.
                action, outcome = "DRUG WITHDRAWN", "FATAL"
            elif by_id[sid].fatal:
                outcome = "NOT RECOVERED"
            if (term == THROMBOCYTOPENIA and sid in thr_mod) or (
                term == FATIGUE and sid in fat_mod
            ):
                action = "DOSE MODIFIED"
            rows.append(
                AdverseEvent(
                    USUBJID=sid,
                    AEDECOD=term,
                    AETOXGR=grade,
                    # Seriousness is published only for the bleeds and the deaths.
                    AESER=grade == 5 or term == HAEMORRHAGE,
                    BLEEDFL=term == HAEMORRHAGE,
                    AEOUT=outcome,
                    # Relatedness is published only for the deaths (2 of 12 related); other rows
                    # do not assert it.
                    AEREL=term in (PNEUMONIA, SEPSIS),
                    AEACN=action,
                )
            )
    return AEAllocation(rows, frozenset(adjusted))
