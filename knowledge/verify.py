"""Every published figure the records can reproduce, beside the figure computed from them.

A figure matches when the computed value, rounded the way the source rounds (whole percent,
one decimal for medians), equals the published one. Counts must be equal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from knowledge import queries as q
from knowledge.models import AE_BANDS, StudyFact
from knowledge.stats import Rate
from knowledge.store import Store


@dataclass(frozen=True)
class Check:
    figure: str
    published: str
    computed: str
    source: str
    ok: bool


def rounded(x: float, decimals: int) -> float:
    """Round half up, as publications do (Python's round() rounds half to even)."""
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(x)).quantize(step, rounding=ROUND_HALF_UP))


def _fmt(x: float | None, decimals: int) -> str:
    return "not reached" if x is None else f"{rounded(x, decimals):.{decimals}f}"


def _plain(value: object) -> str:
    """A published number as the source wrote it: 19.0 from JSON is shown as 19."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _decimals(value: float) -> int:
    """How many decimals a published figure was given to (26 → 0, 25.3 → 1)."""
    text = repr(float(value))
    return 0 if text.endswith(".0") else len(text.split(".")[1])


class _Checker:
    """Builds checks against the facts of one store; a missing fact is itself a failed check."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.checks: list[Check] = []

    def _fact(self, fact_id: str) -> StudyFact | None:
        return self.store.fact(fact_id)

    def _add(self, figure: str, fact_id: str, published: Callable[[StudyFact], str],
             computed: str, ok: Callable[[StudyFact], bool]) -> None:
        fact = self._fact(fact_id)
        if fact is None:
            self.checks.append(Check(figure, f"(fact {fact_id} missing)", computed, "—", False))
            return
        self.checks.append(Check(figure, published(fact), computed, fact.source, ok(fact)))

    def count(self, figure: str, fact_id: str, computed: int, attr: str = "n") -> None:
        def published(fact: StudyFact) -> int | None:
            value = getattr(fact, attr)
            return None if value is None else int(value)

        self._add(figure, fact_id, lambda f: str(published(f)), str(computed),
                  lambda f: published(f) == computed)

    def percent(self, figure: str, fact_id: str, rate: Rate) -> None:
        pct = 100 * rate.rate

        def ok(fact: StudyFact) -> bool:
            return isinstance(fact.value, int | float) and \
                rounded(pct, _decimals(fact.value)) == float(fact.value)

        self._add(figure, fact_id, lambda f: f"{f.value} %",
                  f"{pct:.1f} % ({rate.n}/{rate.N})", ok)

    def ci(self, figure: str, fact_id: str, rate: Rate) -> None:
        low, high = 100 * rate.ci_low, 100 * rate.ci_high

        def ok(fact: StudyFact) -> bool:
            if fact.ci_low is None or fact.ci_high is None:
                return False
            d = max(_decimals(fact.ci_low), _decimals(fact.ci_high))
            return rounded(low, d) == fact.ci_low and rounded(high, d) == fact.ci_high

        def published(f: StudyFact) -> str:
            if f.ci_low is None or f.ci_high is None:
                return "—"
            d = max(_decimals(f.ci_low), _decimals(f.ci_high))
            return f"{f.ci_low:.{d}f}–{f.ci_high:.{d}f}"

        self._add(figure, fact_id, published,
                  f"{low:.1f}–{high:.1f}", ok)

    def value(self, figure: str, fact_id: str, computed: float | None, decimals: int = 1,
              attr: str = "value") -> None:
        """A median, a range limit or a CI limit, compared at ``decimals``; None = not reached."""
        def ok(fact: StudyFact) -> bool:
            published = getattr(fact, attr)
            if published is None or computed is None:
                return published is None and computed is None
            return rounded(computed, decimals) == rounded(float(published), decimals)

        self._add(figure, fact_id,
                  lambda f: "not estimable" if getattr(f, attr) is None
                  else _plain(getattr(f, attr)),
                  _fmt(computed, decimals), ok)

    def claim(self, figure: str, fact_id: str, published: str, computed: str, ok: bool) -> None:
        """A published statement that is not a single number, checked by the caller."""
        self._add(figure, fact_id, lambda f: published, computed, lambda f: ok)


def _efficacy(c: _Checker, store: Store) -> None:
    mitt = store.population("mITT")
    c.count("mITT population", "baseline.population_mitt", len(mitt), attr="value")
    c.count("safety population", "baseline.population_safety",
            len(store.population("safety")), attr="value")
    for label, fact_id, threshold in (("overall response (≥PR)", "efficacy.orr", "PR"),
                                      ("clinical benefit (≥MR)", "efficacy.cbr", "MR")):
        rate = q.response_rate(store, "mITT", q.categories_at_or_above(threshold))
        c.count(f"{label}: patients", fact_id, rate.n)
        c.percent(f"{label}: %", fact_id, rate)
        c.ci(f"{label}: 95 % CI", fact_id, rate)
    for category in ("sCR", "CR", "VGPR", "PR", "MR"):
        rate = q.response_rate(store, "mITT", [category])
        c.count(f"best response {category}: patients", f"efficacy.bor.{category}", rate.n)
        c.percent(f"best response {category}: %", f"efficacy.bor.{category}", rate)
    below = len(mitt) - len(q.responders(store, "mITT", q.categories_at_or_above("MR")))
    c.count("SD, PD or NE together", "efficacy.bor.below_mr", below)

    pr_plus = q.responders(store, "mITT", q.categories_at_or_above("PR"))
    mr_plus = q.responders(store, "mITT", q.categories_at_or_above("MR"))
    for label, fact_id, param, subjects in (
        ("median PFS (months)", "efficacy.pfs", "PFS", mitt),
        ("median OS (months)", "efficacy.os", "OS", mitt),
        ("median OS, PR or better", "efficacy.os.pr_or_better", "OS", pr_plus),
        ("median OS, MR or better", "efficacy.os.mr_or_better", "OS", mr_plus),
    ):
        c.value(label, fact_id, q.tte_median(store, param, subjects).median)
    dor = q.tte_median(store, "DOR", pr_plus)
    c.value("median DOR (months)", "efficacy.dor", dor.median)
    c.value("median DOR: 95 % CI lower", "efficacy.dor", dor.ci_low, attr="ci_low")
    c.value("median DOR: 95 % CI upper", "efficacy.dor", dor.ci_high, attr="ci_high")
    for label, fact_id, param, subjects in (
        ("time to response (weeks)", "efficacy.ttr", "TTR", pr_plus),
        ("duration of treatment (weeks)", "efficacy.trtdur", "TRTDUR",
         store.population("safety")),
    ):
        median, low, high = q.observed_median(store, param, subjects)
        c.value(f"median {label}", fact_id, median)
        c.value(f"{label}: shortest", fact_id, low, decimals=0, attr="range_low")
        c.value(f"{label}: longest", fact_id, high, decimals=0, attr="range_high")
    ongoing = [sid for sid in store.population("safety")
               if store.subjects[sid].DCSREAS == "ONGOING"]
    safety_n = len(store.population("safety"))
    c.count("still on treatment", "efficacy.disposition.ongoing", len(ongoing))
    c.count("discontinued treatment", "efficacy.disposition.discontinued",
            safety_n - len(ongoing))


def _subgroup(c: _Checker, store: Store) -> None:
    penta = q.flag_count(store, "PENTAFL", "mITT")
    c.count("penta-refractory patients", "baseline.penta", penta.n)
    orr = q.response_rate(store, "penta", q.categories_at_or_above("PR"))
    c.count("penta-refractory: overall response", "penta.orr", orr.n)
    c.percent("penta-refractory: overall response %", "penta.orr", orr)
    c.ci("penta-refractory: overall response 95 % CI", "penta.orr", orr)
    for category in ("sCR", "CR", "VGPR", "PR"):
        rate = q.response_rate(store, "penta", [category])
        c.count(f"penta-refractory: {category}", f"penta.bor.{category}", rate.n)
    other = q.response_rate(store, "non_penta", q.categories_at_or_above("PR"))
    c.count("other 39: overall response", "nonpenta.orr", other.n)
    penta_responders = q.responders(store, "penta", q.categories_at_or_above("PR"))
    dor = q.tte_median(store, "DOR", penta_responders)
    c.value("penta-refractory: median DOR", "penta.dor", dor.median)
    c.value("penta-refractory: DOR 95 % CI lower", "penta.dor", dor.ci_low, attr="ci_low")
    c.value("penta-refractory: DOR 95 % CI upper", "penta.dor", dor.ci_high, attr="ci_high")
    median, low, high = q.observed_median(store, "TTR", penta_responders)
    c.value("penta-refractory: median time to response", "penta.ttr", median, decimals=0)
    c.value("penta-refractory: time to response, longest", "penta.ttr", high, decimals=0,
            attr="range_high")


def _baseline(c: _Checker, store: Store) -> None:
    for label, fact_id, field in (("median age (years)", "baseline.age", "AGE"),
                                  ("median age, one decimal", "baseline.age.precise", "AGE"),
                                  ("median years since diagnosis", "baseline.diagnosis_years",
                                   "DIAGYRS"),
                                  ("median prior regimens", "baseline.prior_regimens",
                                   "PRIORREG")):
        median, low, high = q.median_range(q.baseline_values(store, field))
        fact = store.fact(fact_id)
        decimals = _decimals(float(fact.value)) if fact and isinstance(
            fact.value, int | float) else 1
        c.value(label, fact_id, median, decimals=decimals)
        if field == "PRIORREG":
            c.value("prior regimens: fewest", fact_id, low, decimals=0, attr="range_low")
            c.value("prior regimens: most", fact_id, high, decimals=0, attr="range_high")
    c.percent("high-risk cytogenetics", "baseline.high_risk",
              q.flag_count(store, "HIGHRISK", "safety"))


# Every published adverse-event figure: (term in the records, band). A band missing from the
# facts is itself a failed check.
_AE_FIGURES: tuple[tuple[str, str], ...] = (
    ("Thrombocytopenia", "any"), ("Thrombocytopenia", "g3"), ("Thrombocytopenia", "g4"),
    ("Thrombocytopenia", "g34"), ("Fatigue", "any"), ("Fatigue", "g3"), ("Nausea", "any"),
    ("Nausea", "g3"), ("Anaemia", "any"), ("Anaemia", "g3"), ("Anaemia", "g34"),
    ("Neutropenia", "g3"), ("Neutropenia", "g34"), ("Hyponatraemia", "g3"),
    ("Hyponatraemia", "g34"), ("Leukopenia", "g3"), ("Diarrhoea", "g3"), ("Vomiting", "g3"),
)


def _safety(c: _Checker, store: Store) -> None:
    for term, key in _AE_FIGURES:
        band = AE_BANDS[key]
        rate = q.ae_rate(store, term, band.op, band.low, band.high)
        label, fact_id = f"{term}, {band.label}", f"safety.ae.{term.lower()}.{key}"
        fact = store.fact(fact_id)
        if fact is not None and fact.n is not None:
            c.count(f"{label}: patients", fact_id, rate.n)
        c.percent(f"{label}: %", fact_id, rate)

    bleeders = q.ae_subjects(store, "Haemorrhage", "ge", 3)
    c.count("grade ≥3 bleeding: patients", "safety.bleeding.ge3", len(bleeders))
    thrombo = store.worst_grades("Thrombocytopenia")
    in_thrombo = sum(1 for sid in bleeders if sid in thrombo)
    c.claim("grade ≥3 bleeding in patients with thrombocytopenia", "safety.bleeding.ge3",
            "all", f"{in_thrombo} of {len(bleeders)}", in_thrombo == len(bleeders) > 0)

    fatal = q.fatal_events(store)
    c.count("deaths from adverse events", "safety.deaths.ae", len(fatal))
    related = sorted(term.lower() for _, term, rel in fatal if rel)
    c.count("treatment-related deaths", "safety.deaths.related", len(related))
    c.claim("treatment-related deaths: causes", "safety.deaths.related", "pneumonia, sepsis",
            ", ".join(related), related == ["pneumonia", "sepsis"])

    safety_n = len(store.population("safety"))
    for label, fact_id, subjects in (
        ("any grade 3–4 adverse event", "safety.any_g34", q.any_grade34_subjects(store)),
        ("discontinued for adverse events", "safety.discontinued_ae",
         q.action_subjects(store, "discontinuation")),
        ("dose adjustments", "safety.dose_adjusted",
         q.action_subjects(store, "dose_modification")),
        ("dose modified for thrombocytopenia", "safety.dose_mod.thrombocytopenia",
         q.action_subjects(store, "dose_modification", "Thrombocytopenia")),
        ("dose modified for fatigue", "safety.dose_mod.fatigue",
         q.action_subjects(store, "dose_modification", "Fatigue")),
    ):
        c.percent(label, fact_id, _rate(len(subjects), safety_n))


def _rate(k: int, n: int) -> Rate:
    from knowledge.stats import rate_ci

    return rate_ci(k, n)


def verify(store: Store) -> list[Check]:
    """All checks, in the order a reader meets them: populations, efficacy, subgroup,
    baseline, safety."""
    checker = _Checker(store)
    for section in (_efficacy, _subgroup, _baseline, _safety):
        try:
            section(checker, store)
        except (ArithmeticError, LookupError, TypeError, ValueError) as error:
            # A store of the right shape whose records cannot give these figures (no patients,
            # an empty population): the figures it cannot compute fail, the rest are still
            # checked, and the run ends with "differ" rather than a traceback.
            name = section.__name__.lstrip("_")
            checker.checks.append(Check(f"{name} figures", "—", f"cannot compute ({error})",
                                        "—", False))
    return checker.checks
