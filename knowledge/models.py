"""The shapes of everything in the store: study facts and ADaM-like patient records.

Field names of the record types follow CDISC ADaM (ADSL, ADRS, ADAE, ADTTE) so that a team with
the real data can map theirs onto the same schema and point stormchat at it with ``--db``.
Every model forbids unknown fields: a store that does not match the schema is rejected when it
is loaded rather than half-understood. Every number is finite (no NaN or ±Infinity, which
Python's json reads) and bounded to what the field can mean — no negative age, no 309-digit
time, no count larger than its population — so a figure computed from a store is never built
on nonsense, and the bad field is named when the store is loaded.
"""

from __future__ import annotations

from typing import Annotated, Literal, NamedTuple, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# Source grades, as in published_facts.md: the news item (seed) outranks a primary source
# (NEJM abstract, FDA, label), which outranks a secondary one (news or congress summaries);
# "derived" is arithmetic on the others.
SourceGrade = Literal["seed", "primary", "secondary", "derived"]

# IMWG uniform response categories, best first; RECIST 1.1 adds NON-CR/NON-PD (non-target
# disease only), and shares CR, PR, SD, PD and NE with IMWG.
ResponseCategory = Literal["sCR", "CR", "VGPR", "PR", "MR", "SD", "NON-CR/NON-PD", "PD", "NE"]
RESPONSE_ORDER: tuple[str, ...] = ("sCR", "CR", "VGPR", "PR", "MR", "SD", "PD", "NE")
RECIST_ORDER: tuple[str, ...] = ("CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE")

# The time-to-event parameters the store carries and the unit each is published in.
TTE_PARAMS: dict[str, str] = {
    "PFS": "months",
    "OS": "months",
    "DOR": "months",
    "TTR": "weeks",
    "TRTDUR": "weeks",
}
TTEParam = Literal["PFS", "OS", "DOR", "TTR", "TRTDUR"]
# Units an ADTTE AVAL may come in (AVALU, lower case); days are shown as months, as
# oncology tables do (one month = 365.25 / 12 days).
TTEUnit = Literal["days", "weeks", "months", "years"]
DAYS_PER: dict[str, float] = {"days": 1.0, "weeks": 7.0, "months": 365.25 / 12, "years": 365.25}


class AEBand(NamedTuple):
    """A grade band the sources publish adverse events in, and the worst-grade threshold it
    means (as ``knowledge.stats.grade_matches`` takes it)."""

    label: str
    op: Literal["any", "eq", "ge", "between"]
    low: int | None
    high: int | None


# Keyed by the suffix of the fact ids: safety.ae.<term>.<band>.
AE_BANDS: dict[str, AEBand] = {
    "any": AEBand("any grade", "any", None, None),
    "g3": AEBand("grade 3", "eq", 3, None),
    "g4": AEBand("grade 4", "eq", 4, None),
    "g34": AEBand("grade 3–4", "between", 3, 4),
}

# STORM's own three actions, then the CDISC code list ACN (C66767).
AEAction = Literal[
    "DOSE NOT CHANGED",
    "DOSE MODIFIED",
    "DRUG WITHDRAWN",
    "DOSE REDUCED",
    "DOSE INCREASED",
    "DOSE RATE REDUCED",
    "DRUG INTERRUPTED",
    "NOT APPLICABLE",
    "NOT EVALUABLE",
    "UNKNOWN",
]
# STORM's own three outcomes, then the CDISC code list OUT (C66768).
AEOutcome = Literal[
    "RECOVERED",
    "NOT RECOVERED",
    "FATAL",
    "RECOVERED/RESOLVED",
    "RECOVERING/RESOLVING",
    "NOT RECOVERED/NOT RESOLVED",
    "RECOVERED/RESOLVED WITH SEQUELAE",
    "UNKNOWN",
]
AESeverity = Literal["MILD", "MODERATE", "SEVERE"]
# How a study grades adverse events: CTCAE grades (AETOXGR), or severity only (AESEV).
AEGrading = Literal["CTCAE", "severity"]
SEVERITY_ORDER: tuple[str, ...] = ("MILD", "MODERATE", "SEVERE")


# Bounds generous enough for any real study and tight enough to refuse nonsense.
MAX_COUNT = 10_000_000  # patients, events, regimens: more than any trial has enrolled
MAX_FIGURE = 1e9  # any published number (a count, a percentage, a median, a year)
MAX_AGE = 130.0  # years
MAX_TIME = 10_000.0  # months or weeks: centuries of follow-up
MIN_TIME = 1e-3  # a thousandth of a month or week: under an hour

Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Figure = Annotated[float, Field(ge=-MAX_FIGURE, le=MAX_FIGURE)]


class _Strict(BaseModel):
    # allow_inf_nan=False: a float field refuses NaN and ±Infinity.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class StudyFact(_Strict):
    """One published statement about the study, with where it comes from.

    ``value`` holds the figure or text; numbers that belong to it (a numerator, a CI, a range)
    have their own fields so that answers and ``verify`` can use them without parsing text.
    """

    id: str = Field(description="stable key, e.g. 'efficacy.orr'")
    topic: str = Field(
        description="design, dosing, endpoint, publication, people, quote, "
        "definition, baseline, efficacy, subgroup, safety, discrepancy"
    )
    label: str = Field(description="what the figure is, in a few words")
    value: str | Annotated[int, Field(ge=-MAX_FIGURE, le=MAX_FIGURE)] | Figure | None = None
    unit: str | None = None
    n: Count | None = Field(default=None, description="numerator, where the figure is a count")
    population: str | None = Field(default=None, description="mITT, safety, penta-refractory …")
    population_n: Count | None = None
    ci_low: Figure | None = None
    ci_high: Figure | None = None
    range_low: Figure | None = None
    range_high: Figure | None = None
    text: str = Field(description="the fact as a sentence, as it may be shown to a user")
    source: str
    grade: SourceGrade
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        """A count within its population, intervals and ranges the right way round, and a
        percentage between 0 and 100."""
        if self.n is not None and self.population_n is not None and self.n > self.population_n:
            raise ValueError(
                f"n ({self.n}) is larger than its population (population_n {self.population_n})"
            )
        for low, high, what in (
            (self.ci_low, self.ci_high, "ci"),
            (self.range_low, self.range_high, "range"),
        ):
            if low is not None and high is not None and low > high:
                raise ValueError(f"{what}_low ({low:g}) is above {what}_high ({high:g})")
        if self.unit == "%":
            for name in ("value", "ci_low", "ci_high"):
                number = getattr(self, name)
                if isinstance(number, int | float) and not 0 <= number <= 100:
                    raise ValueError(f"{name} is {number:g} %, outside 0–100 %")
        return self


class Subject(_Strict):
    """ADSL: one row per patient.

    STORM's store fills every field; a store imported from a team's ADaM files
    (``knowledge.adam_import``) fills what ADSL holds and leaves the STORM-specific fields
    (penta-refractory, diagnosis years, prior regimens, risk) at None."""

    USUBJID: str
    MITTFL: bool = Field(
        description="in the efficacy population: STORM's modified "
        "intention-to-treat (122); for an import, the flag the map names "
        "(MITTFL, FASFL, ITTFL … by default the first present)"
    )
    SAFFL: bool = Field(description="in the safety population (123)")
    PENTAFL: bool | None = Field(
        default=None,
        description="penta-refractory (bortezomib, "
        "carfilzomib, lenalidomide, pomalidomide, daratumumab)",
    )
    AGE: float = Field(ge=0, le=MAX_AGE, description="years (ADaM IG: required in ADSL)")
    DIAGYRS: float | None = Field(
        default=None, ge=0, le=MAX_AGE, description="years since diagnosis"
    )
    PRIORREG: int | None = Field(
        default=None, ge=0, le=1000, description="number of prior regimens"
    )
    HIGHRISK: bool | None = Field(default=None, description="high-risk cytogenetic abnormality")
    DOSEADJFL: bool | None = Field(default=None, description="needed a dose adjustment")
    DCSREAS: str | None = Field(
        default=None,
        description="why treatment ended; STORM: ONGOING (still on treatment at "
        "last follow-up), ADVERSE EVENT, PROGRESSIVE DISEASE, OTHER; an import keeps ADSL's "
        "DCSREAS, upper case",
    )
    DTHFL: bool = Field(default=False, description="died during follow-up")
    STUDYID: str | None = None
    ARM: str | None = Field(default=None, description="actual treatment (TRT01A, else ACTARM)")
    ITTFL: bool | None = Field(default=None, description="intention-to-treat population")
    FASFL: bool | None = Field(default=None, description="full analysis set")
    SEX: str | None = None


class BestResponse(_Strict):
    """ADRS, PARAMCD BOR: best overall response (STORM: IMWG, independent review; an import:
    the criteria its metadata names, e.g. RECIST 1.1).

    ``AVALC`` is None for patients below minimal response: the sources say only that 74 had
    stable disease, progressive disease or were not evaluable, without the split, so the
    reconstruction does not invent one.
    """

    USUBJID: str
    PARAMCD: Literal["BOR"] = "BOR"
    AVALC: ResponseCategory | None


class AdverseEvent(_Strict):
    """ADAE: one row per patient and preferred term, at the worst grade (CTCAE) or, where the
    study grades by severity only (AESEV, no AETOXGR), at the worst severity."""

    USUBJID: str
    AEDECOD: str = Field(description="MedDRA preferred term (STORM: British spelling)")
    AETOXGR: int | None = Field(
        default=None, ge=1, le=5, description="worst CTCAE grade; 5 = fatal; None = not graded"
    )
    AESER: bool = Field(default=False, description="serious")
    BLEEDFL: bool = Field(default=False, description="a bleeding event")
    AEOUT: AEOutcome | None = None
    AEREL: bool | None = Field(default=None, description="judged related to treatment")
    AEACN: AEAction | None = Field(default=None, description="action taken with study treatment")
    ILLUSFL: bool = Field(default=False, description="illustrative: no published counterpart")
    AESOC: str | None = Field(default=None, description="MedDRA system organ class")
    AESEV: AESeverity | None = Field(default=None, description="worst severity")
    TRTEMFL: bool = Field(default=True, description="treatment-emergent")


class AERecord(NamedTuple):
    """An ADAE row as a loaded store holds it: the fields of ``AdverseEvent``, in its order,
    once validated. A study holds up to hundreds of thousands of AE rows, and a tuple takes a
    fraction of the time and memory of a model to make and to free, and none of the garbage
    collector's (tests check that the two have the same fields)."""

    USUBJID: str
    AEDECOD: str
    AETOXGR: int | None
    AESER: bool
    BLEEDFL: bool
    AEOUT: str | None
    AEREL: bool | None
    AEACN: str | None
    ILLUSFL: bool
    AESOC: str | None
    AESEV: str | None
    TRTEMFL: bool


class TimeToEvent(_Strict):
    """ADTTE: one row per patient and parameter. ``CNSR`` 0 = event, 1 = censored (CDISC)."""

    USUBJID: str
    PARAMCD: str = Field(
        pattern=r"^[A-Z0-9_]{1,8}$", description="STORM: PFS, OS, DOR, TTR, TRTDUR; an import: any"
    )
    # 0 is a real time (an event or a censoring on day 0); a subnormal one is a broken file.
    AVAL: float = Field(ge=0, le=MAX_TIME)
    AVALU: TTEUnit

    CNSR: Literal[0, 1]
    PARAM: str | None = Field(default=None, description="the parameter's label")

    @field_validator("AVAL")
    @classmethod
    def _not_vanishing(cls, value: float) -> float:
        if 0 < value < MIN_TIME:
            raise ValueError(f"a time of {value!r} is below {MIN_TIME} (under an hour)")
        return value


class StoreMeta(_Strict):
    """What the store is and how it was made; shown to users who ask."""

    study: str
    schema_version: Annotated[int, Field(ge=0, le=1_000_000)]
    reconstructed: bool
    description: str
    seed: Annotated[int, Field(ge=0, le=2**64)] | None = None
    # The lowest grade reconstructed for each adverse-event term. Counts below it (e.g.
    # any-grade neutropenia, where only grade >= 3 is published) are not in the records and
    # must be answered as not reported.
    ae_min_grade: dict[str, Annotated[int, Field(ge=1, le=5)]] = Field(default_factory=dict)
    # Study metadata, filled by an import (STORM's store leaves them at their defaults).
    study_id: str | None = None
    title: str | None = None
    arms: list[str] = Field(default_factory=list, description="treatment arms, in order")
    control_arm: str | None = Field(
        default=None, description="the arm others are compared with (placebo)"
    )
    response_criteria: str | None = Field(default=None, description="IMWG, RECIST 1.1 …")
    ae_grading: AEGrading | None = None
    sources: list[str] = Field(default_factory=list, description="the files it was built from")
