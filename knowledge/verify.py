"""Every published figure the records can reproduce, beside the figure computed from them.

A figure matches when the computed value, rounded the way the source rounds (whole percent,
one decimal for medians), equals the published one. Counts must be equal. Kaplan–Meier medians
are checked under both conventions in use (the first time S(t) <= 0.5, and the SAS/R midpoint
of an exact 0.5 plateau), each row naming its rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from knowledge import queries as q
from knowledge.models import AE_BANDS, AEBand, StudyFact
from knowledge.stats import Median, MedianRule, Rate, median_range
from knowledge.store import Store

T = TypeVar("T")
A = TypeVar("A")
B = TypeVar("B")


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


# A check's computed figure, as a function that computes it: so that a figure the records
# cannot give fails its own row alone.

# The two conventions for a Kaplan–Meier median (knowledge.stats.MEDIAN_RULES): every median is
# checked under both, and the rule is printed beside it.
RULE_LABELS: dict[MedianRule, str] = {
    "first": "first S≤0.5",
    "midpoint": "SAS/R midpoint",
}


# What a store of the right shape may still get wrong: a fact whose value is text where a number
# belongs, a figure the records cannot give (no patients, an empty population).
_BAD_DATA = (ArithmeticError, LookupError, TypeError, ValueError, AttributeError)


class _Checker:
    """Builds checks against the facts of one store. Every check is its own row and fails
    alone: a missing or unusable fact, or a figure the records cannot give, fails that check
    and no other."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.checks: list[Check] = []

    def _fact(self, fact_id: str) -> StudyFact | None:
        return self.store.fact(fact_id)

    def _add(
        self,
        figure: str,
        fact_id: str,
        published: Callable[[StudyFact], str],
        computed: Callable[[], T],
        show: Callable[[T], str],
        ok: Callable[[StudyFact, T], bool],
    ) -> None:
        fact = self._fact(fact_id)
        try:
            value = computed()
            shown = show(value)
        except _BAD_DATA as error:
            # The records cannot give this figure: this row fails, the others are still checked.
            self.checks.append(
                Check(
                    figure,
                    "—" if fact is None else _safe(published, fact),
                    f"cannot compute ({error})",
                    "—" if fact is None else fact.source,
                    False,
                )
            )
            return
        if fact is None:
            self.checks.append(Check(figure, f"(fact {fact_id} missing)", shown, "—", False))
            return
        try:
            passed = bool(ok(fact, value))
        except _BAD_DATA as error:
            self.checks.append(
                Check(figure, f"(fact {fact_id} unusable: {error})", shown, fact.source, False)
            )
            return
        self.checks.append(Check(figure, _safe(published, fact), shown, fact.source, passed))

    def count(
        self, figure: str, fact_id: str, computed: Callable[[], int], attr: str = "n"
    ) -> None:
        def published(fact: StudyFact) -> int | None:
            value = getattr(fact, attr)
            return None if value is None else int(value)

        self._add(
            figure,
            fact_id,
            lambda f: str(published(f)),
            computed,
            str,
            lambda f, n: published(f) == n,
        )

    def percent(self, figure: str, fact_id: str, computed: Callable[[], Rate]) -> None:
        def ok(fact: StudyFact, rate: Rate) -> bool:
            return isinstance(fact.value, int | float) and rounded(
                100 * rate.rate, _decimals(fact.value)
            ) == float(fact.value)

        self._add(
            figure,
            fact_id,
            lambda f: f"{f.value} %",
            computed,
            lambda rate: f"{100 * rate.rate:.1f} % ({rate.n}/{rate.N})",
            ok,
        )

    def ci(self, figure: str, fact_id: str, computed: Callable[[], Rate]) -> None:
        def ok(fact: StudyFact, rate: Rate) -> bool:
            if fact.ci_low is None or fact.ci_high is None:
                return False
            d = max(_decimals(fact.ci_low), _decimals(fact.ci_high))
            return (
                rounded(100 * rate.ci_low, d) == fact.ci_low
                and rounded(100 * rate.ci_high, d) == fact.ci_high
            )

        def published(f: StudyFact) -> str:
            if f.ci_low is None or f.ci_high is None:
                return "—"
            d = max(_decimals(f.ci_low), _decimals(f.ci_high))
            return f"{f.ci_low:.{d}f}–{f.ci_high:.{d}f}"

        self._add(
            figure,
            fact_id,
            published,
            computed,
            lambda rate: f"{100 * rate.ci_low:.1f}–{100 * rate.ci_high:.1f}",
            ok,
        )

    def value(
        self,
        figure: str,
        fact_id: str,
        computed: Callable[[], float | None],
        decimals: int | Callable[[StudyFact], int] = 1,
        attr: str = "value",
    ) -> None:
        """A median, a range limit or a CI limit, compared at ``decimals`` (or the decimals the
        fact was published to, given a function of the fact); None = not reached."""
        fact = self._fact(fact_id)

        def places(f: StudyFact | None) -> int:
            if callable(decimals):
                return decimals(f) if f is not None else 1
            return decimals

        def ok(f: StudyFact, value: float | None) -> bool:
            published = getattr(f, attr)
            d = places(f)
            if published is None or value is None:
                return published is None and value is None
            return rounded(value, d) == rounded(float(published), d)

        try:
            shown_places = places(fact)
        except _BAD_DATA:
            shown_places = 1
        self._add(
            figure,
            fact_id,
            lambda f: "not estimable" if getattr(f, attr) is None else _plain(getattr(f, attr)),
            computed,
            lambda v: _fmt(v, shown_places),
            ok,
        )

    def median(
        self,
        figure: str,
        fact_id: str,
        param: str,
        subjects: Callable[[], Sequence[str]],
        limits: bool = False,
    ) -> None:
        """A Kaplan–Meier median under each rule, the rule beside it; with ``limits``, its
        95 % CI limits too (Brookmeyer–Crowley, log-log)."""
        for rule, label in RULE_LABELS.items():

            def compute(rule: MedianRule = rule) -> Median:
                return q.tte_median(self.store, param, subjects(), rule=rule)

            self.value(f"{figure} [{label}]", fact_id, _then(compute, lambda v: v.median))
            if limits:
                self.value(
                    f"{figure}: 95 % CI lower [{label}]",
                    fact_id,
                    _then(compute, lambda v: v.ci_low),
                    attr="ci_low",
                )
                self.value(
                    f"{figure}: 95 % CI upper [{label}]",
                    fact_id,
                    _then(compute, lambda v: v.ci_high),
                    attr="ci_high",
                )

    def claim(
        self, figure: str, fact_id: str, published: str, computed: Callable[[], tuple[str, bool]]
    ) -> None:
        """A published statement that is not a single number: ``computed`` gives what the
        records show and whether it agrees."""
        self._add(
            figure,
            fact_id,
            lambda f: published,
            computed,
            lambda pair: pair[0],
            lambda f, pair: pair[1],
        )


def _then(compute: Callable[[], A], pick: Callable[[A], B]) -> Callable[[], B]:
    """``pick`` applied to what ``compute`` gives, computed only when the check runs (bound
    now, unlike a lambda over a loop variable)."""
    return lambda: pick(compute())


def _safe(published: Callable[[StudyFact], str], fact: StudyFact) -> str:
    try:
        return published(fact)
    except _BAD_DATA as error:
        return f"(fact {fact.id} unusable: {error})"


def _fact_decimals(fact: StudyFact) -> int:
    """The decimals a baseline median was published to (65 → 0, 65.2 → 1)."""
    return _decimals(float(fact.value))  # type: ignore[arg-type]


def _efficacy(c: _Checker, store: Store) -> None:
    def mitt() -> Sequence[str]:
        return store.population("mITT")

    c.count("mITT population", "baseline.population_mitt", lambda: len(mitt()), attr="value")
    c.count(
        "safety population",
        "baseline.population_safety",
        lambda: len(store.population("safety")),
        attr="value",
    )
    for label, fact_id, threshold in (
        ("overall response (≥PR)", "efficacy.orr", "PR"),
        ("clinical benefit (≥MR)", "efficacy.cbr", "MR"),
    ):

        def rate(threshold: str = threshold) -> Rate:
            return q.response_rate(store, "mITT", q.categories_at_or_above(threshold))

        c.count(f"{label}: patients", fact_id, _then(rate, lambda v: v.n))
        c.percent(f"{label}: %", fact_id, rate)
        c.ci(f"{label}: 95 % CI", fact_id, rate)
    for category in ("sCR", "CR", "VGPR", "PR", "MR"):

        def one(category: str = category) -> Rate:
            return q.response_rate(store, "mITT", [category])

        c.count(
            f"best response {category}: patients",
            f"efficacy.bor.{category}",
            _then(one, lambda v: v.n),
        )
        c.percent(f"best response {category}: %", f"efficacy.bor.{category}", one)
    c.count(
        "SD, PD or NE together",
        "efficacy.bor.below_mr",
        lambda: len(mitt()) - len(q.responders(store, "mITT", q.categories_at_or_above("MR"))),
    )

    def pr_plus() -> list[str]:
        return q.responders(store, "mITT", q.categories_at_or_above("PR"))

    def mr_plus() -> list[str]:
        return q.responders(store, "mITT", q.categories_at_or_above("MR"))

    c.median("median PFS (months)", "efficacy.pfs", "PFS", mitt)
    c.median("median OS (months)", "efficacy.os", "OS", mitt)
    c.median("median OS, PR or better", "efficacy.os.pr_or_better", "OS", pr_plus)
    c.median("median OS, MR or better", "efficacy.os.mr_or_better", "OS", mr_plus)
    c.median("median DOR (months)", "efficacy.dor", "DOR", pr_plus, limits=True)

    def safety() -> Sequence[str]:
        return store.population("safety")

    for label, fact_id, param, subjects in (
        ("time to response (weeks)", "efficacy.ttr", "TTR", pr_plus),
        ("duration of treatment (weeks)", "efficacy.trtdur", "TRTDUR", safety),
    ):

        def observed(
            param: str = param, subjects: Callable[[], Sequence[str]] = subjects
        ) -> tuple[float, float, float]:
            return q.observed_median(store, param, subjects())

        c.value(f"median {label}", fact_id, _then(observed, lambda v: v[0]))
        c.value(
            f"{label}: shortest",
            fact_id,
            _then(observed, lambda v: v[1]),
            decimals=0,
            attr="range_low",
        )
        c.value(
            f"{label}: longest",
            fact_id,
            _then(observed, lambda v: v[2]),
            decimals=0,
            attr="range_high",
        )

    def ongoing() -> int:
        return sum(1 for sid in safety() if store.subjects[sid].DCSREAS == "ONGOING")

    c.count("still on treatment", "efficacy.disposition.ongoing", ongoing)
    c.count(
        "discontinued treatment",
        "efficacy.disposition.discontinued",
        lambda: len(safety()) - ongoing(),
    )


def _subgroup(c: _Checker, store: Store) -> None:
    c.count(
        "penta-refractory patients",
        "baseline.penta",
        lambda: q.flag_count(store, "PENTAFL", "mITT").n,
    )

    def orr() -> Rate:
        return q.response_rate(store, "penta", q.categories_at_or_above("PR"))

    c.count("penta-refractory: overall response", "penta.orr", lambda: orr().n)
    c.percent("penta-refractory: overall response %", "penta.orr", orr)
    c.ci("penta-refractory: overall response 95 % CI", "penta.orr", orr)
    for category in ("sCR", "CR", "VGPR", "PR"):

        def count(category: str = category) -> int:
            return q.response_rate(store, "penta", [category]).n

        c.count(f"penta-refractory: {category}", f"penta.bor.{category}", count)
    c.count(
        "other 39: overall response",
        "nonpenta.orr",
        lambda: q.response_rate(store, "non_penta", q.categories_at_or_above("PR")).n,
    )

    def penta_responders() -> list[str]:
        return q.responders(store, "penta", q.categories_at_or_above("PR"))

    c.median("penta-refractory: median DOR", "penta.dor", "DOR", penta_responders, limits=True)

    def ttr() -> tuple[float, float, float]:
        return q.observed_median(store, "TTR", penta_responders())

    c.value("penta-refractory: median time to response", "penta.ttr", lambda: ttr()[0], decimals=0)
    c.value(
        "penta-refractory: time to response, longest",
        "penta.ttr",
        lambda: ttr()[2],
        decimals=0,
        attr="range_high",
    )


def _baseline(c: _Checker, store: Store) -> None:
    # Baseline figures are the mITT's (published_facts.md section 3), all of them.
    for label, fact_id, field in (
        ("median age (years)", "baseline.age", "AGE"),
        ("median age, one decimal", "baseline.age.precise", "AGE"),
        ("median years since diagnosis", "baseline.diagnosis_years", "DIAGYRS"),
        ("median prior regimens", "baseline.prior_regimens", "PRIORREG"),
    ):

        def summary(field: str = field) -> tuple[float, float, float]:
            return median_range(q.baseline_values(store, field, "mITT"))

        c.value(label, fact_id, _then(summary, lambda v: v[0]), decimals=_fact_decimals)
        if field == "PRIORREG":
            c.value(
                "prior regimens: fewest",
                fact_id,
                _then(summary, lambda v: v[1]),
                decimals=0,
                attr="range_low",
            )
            c.value(
                "prior regimens: most",
                fact_id,
                _then(summary, lambda v: v[2]),
                decimals=0,
                attr="range_high",
            )
    c.percent(
        "high-risk cytogenetics (mITT)",
        "baseline.high_risk",
        lambda: q.flag_count(store, "HIGHRISK", "mITT"),
    )


# Every published adverse-event figure: (term in the records, band). A band missing from the
# facts is itself a failed check.
_AE_FIGURES: tuple[tuple[str, str], ...] = (
    ("Thrombocytopenia", "any"),
    ("Thrombocytopenia", "g3"),
    ("Thrombocytopenia", "g4"),
    ("Thrombocytopenia", "g34"),
    ("Fatigue", "any"),
    ("Fatigue", "g3"),
    ("Nausea", "any"),
    ("Nausea", "g3"),
    ("Anaemia", "any"),
    ("Anaemia", "g3"),
    ("Anaemia", "g34"),
    ("Neutropenia", "g3"),
    ("Neutropenia", "g34"),
    ("Hyponatraemia", "g3"),
    ("Hyponatraemia", "g34"),
    ("Leukopenia", "g3"),
    ("Diarrhoea", "g3"),
    ("Vomiting", "g3"),
)


def _safety(c: _Checker, store: Store) -> None:
    for term, key in _AE_FIGURES:
        band = AE_BANDS[key]

        def rate(term: str = term, band: AEBand = band) -> Rate:
            return q.ae_rate(store, term, band.op, band.low, band.high)

        label, fact_id = f"{term}, {band.label}", f"safety.ae.{term.lower()}.{key}"
        fact = store.fact(fact_id)
        if fact is not None and fact.n is not None:
            c.count(f"{label}: patients", fact_id, _then(rate, lambda v: v.n))
        c.percent(f"{label}: %", fact_id, rate)

    def bleeders() -> list[str]:
        return q.ae_subjects(store, "Haemorrhage", "ge", 3)

    c.count("grade ≥3 bleeding: patients", "safety.bleeding.ge3", lambda: len(bleeders()))

    def in_thrombo() -> tuple[str, bool]:
        thrombo = store.worst_grades("Thrombocytopenia")
        who = bleeders()
        k = sum(1 for sid in who if sid in thrombo)
        return f"{k} of {len(who)}", k == len(who) > 0

    c.claim(
        "grade ≥3 bleeding in patients with thrombocytopenia",
        "safety.bleeding.ge3",
        "all",
        in_thrombo,
    )

    def related() -> list[str]:
        return sorted(term.lower() for _, term, rel in q.fatal_events(store) if rel)

    c.count("deaths from adverse events", "safety.deaths.ae", lambda: len(q.fatal_events(store)))
    c.count("treatment-related deaths", "safety.deaths.related", lambda: len(related()))
    c.claim(
        "treatment-related deaths: causes",
        "safety.deaths.related",
        "pneumonia, sepsis",
        lambda: (", ".join(related()), related() == ["pneumonia", "sepsis"]),
    )

    for label, fact_id, subjects in (
        ("any grade 3–4 adverse event", "safety.any_g34", lambda: q.any_grade34_subjects(store)),
        (
            "discontinued for adverse events",
            "safety.discontinued_ae",
            lambda: q.action_subjects(store, "discontinuation"),
        ),
        (
            "dose adjustments",
            "safety.dose_adjusted",
            lambda: q.action_subjects(store, "dose_modification"),
        ),
        (
            "dose modified for thrombocytopenia",
            "safety.dose_mod.thrombocytopenia",
            lambda: q.action_subjects(store, "dose_modification", "Thrombocytopenia"),
        ),
        (
            "dose modified for fatigue",
            "safety.dose_mod.fatigue",
            lambda: q.action_subjects(store, "dose_modification", "Fatigue"),
        ),
    ):
        c.percent(
            label,
            fact_id,
            _then(subjects, lambda who: _rate(len(who), len(store.population("safety")))),
        )


def _rate(k: int, n: int) -> Rate:
    from knowledge.stats import rate_ci

    return rate_ci(k, n)


def verify(store: Store) -> list[Check]:
    """All checks, in the order a reader meets them: populations, efficacy, subgroup,
    baseline, safety. Each is computed on its own, so one bad fact or one figure the records
    cannot give fails its own row and no other."""
    checker = _Checker(store)
    for section in (_efficacy, _subgroup, _baseline, _safety):
        section(checker, store)
    return checker.checks
