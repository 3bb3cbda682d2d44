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

from pydantic import BaseModel, ConfigDict, Field, model_validator

# Source grades, as in published_facts.md: the news item (seed) outranks a primary source
# (NEJM abstract, FDA, label), which outranks a secondary one (news or congress summaries);
# "derived" is arithmetic on the others.
SourceGrade = Literal["seed", "primary", "secondary", "derived"]

# IMWG uniform response categories, best first.
ResponseCategory = Literal["sCR", "CR", "VGPR", "PR", "MR", "SD", "PD", "NE"]
RESPONSE_ORDER: tuple[str, ...] = ("sCR", "CR", "VGPR", "PR", "MR", "SD", "PD", "NE")

# The time-to-event parameters the store carries and the unit each is published in.
TTE_PARAMS: dict[str, str] = {
    "PFS": "months",
    "OS": "months",
    "DOR": "months",
    "TTR": "weeks",
    "TRTDUR": "weeks",
}
TTEParam = Literal["PFS", "OS", "DOR", "TTR", "TRTDUR"]



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

AEAction = Literal["DOSE NOT CHANGED", "DOSE MODIFIED", "DRUG WITHDRAWN"]
AEOutcome = Literal["RECOVERED", "NOT RECOVERED", "FATAL"]


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
    topic: str = Field(description="design, dosing, endpoint, publication, people, quote, "
                       "definition, baseline, efficacy, subgroup, safety, discrepancy")
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
            raise ValueError(f"n ({self.n}) is larger than its population "
                             f"(population_n {self.population_n})")
        for low, high, what in ((self.ci_low, self.ci_high, "ci"),
                                (self.range_low, self.range_high, "range")):
            if low is not None and high is not None and low > high:
                raise ValueError(f"{what}_low ({low:g}) is above {what}_high ({high:g})")
        if self.unit == "%":
            for name in ("value", "ci_low", "ci_high"):
                number = getattr(self, name)
                if isinstance(number, int | float) and not 0 <= number <= 100:
                    raise ValueError(f"{name} is {number:g} %, outside 0–100 %")
        return self


class Subject(_Strict):
    """ADSL: one row per patient."""

    USUBJID: str
    MITTFL: bool = Field(description="in the modified intention-to-treat population (122)")
    SAFFL: bool = Field(description="in the safety population (123)")
    PENTAFL: bool = Field(description="penta-refractory (bortezomib, carfilzomib, "
                          "lenalidomide, pomalidomide, daratumumab)")
    AGE: float = Field(ge=0, le=MAX_AGE, description="years")
    DIAGYRS: float = Field(ge=0, le=MAX_AGE, description="years since diagnosis")
    PRIORREG: int = Field(ge=0, le=1000, description="number of prior regimens")
    HIGHRISK: bool = Field(description="high-risk cytogenetic abnormality")
    DOSEADJFL: bool = Field(description="needed a dose adjustment")
    DCSREAS: Literal["ONGOING", "ADVERSE EVENT", "PROGRESSIVE DISEASE", "OTHER"] = Field(
        description="why treatment ended; ONGOING = still on treatment at last follow-up")
    DTHFL: bool = Field(description="died during follow-up")


class BestResponse(_Strict):
    """ADRS, PARAMCD BOR: best overall response, IMWG, independent review.

    ``AVALC`` is None for patients below minimal response: the sources say only that 74 had
    stable disease, progressive disease or were not evaluable, without the split, so the
    reconstruction does not invent one.
    """

    USUBJID: str
    PARAMCD: Literal["BOR"] = "BOR"
    AVALC: ResponseCategory | None


class AdverseEvent(_Strict):
    """ADAE: one row per patient and preferred term, at the worst grade (CTCAE)."""

    USUBJID: str
    AEDECOD: str = Field(description="MedDRA preferred term, British spelling")
    AETOXGR: int = Field(ge=1, le=5, description="worst CTCAE grade; 5 = fatal")
    AESER: bool = Field(description="serious")
    BLEEDFL: bool = Field(description="a bleeding event")
    AEOUT: AEOutcome
    AEREL: bool = Field(description="judged related to treatment")
    AEACN: AEAction = Field(description="action taken with study treatment")
    ILLUSFL: bool = Field(default=False, description="illustrative: no published counterpart")


class TimeToEvent(_Strict):
    """ADTTE: one row per patient and parameter. ``CNSR`` 0 = event, 1 = censored (CDISC)."""

    USUBJID: str
    PARAMCD: TTEParam
    AVAL: float = Field(ge=MIN_TIME, le=MAX_TIME)
    AVALU: Literal["months", "weeks"]
    CNSR: Literal[0, 1]


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
