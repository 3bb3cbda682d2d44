"""The statistics every answer is computed with: rates and their intervals, Kaplan–Meier
medians, adverse-event incidence and two-group comparisons.

scipy is imported inside the functions that need it: importing it costs a large share of a
cold ``stormchat ask``, and many questions (study facts, help) never compute a statistic. Rates
need only ``scipy.special`` (``knowledge.intervals`` reproduces scipy.stats' intervals exactly);
``scipy.stats`` itself is loaded for Kaplan–Meier and Fisher's test alone.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from knowledge.intervals import interval, normal_quantile

CIMethod = Literal["clopper-pearson", "wilson", "wilson-cc", "jeffreys", "agresti-coull", "wald",
                   "wald-cc"]
CI_METHODS: dict[str, str] = {
    "clopper-pearson": "Clopper–Pearson (exact)",
    "wilson": "Wilson score",
    "wilson-cc": "Wilson score with continuity correction",
    "jeffreys": "Jeffreys",
    "agresti-coull": "Agresti–Coull",
    "wald": "Wald (normal approximation)",
    "wald-cc": "Wald with continuity correction",
}
DEFAULT_METHOD: CIMethod = "clopper-pearson"
DEFAULT_LEVEL = 0.95
MIN_LEVEL, MAX_LEVEL = 0.5, 0.999


class StatsError(ValueError):
    """An impossible request: a count above its denominator, a level outside the range …"""


@dataclass(frozen=True)
class Rate:
    """k of n, with a confidence interval for the proportion."""

    n: int
    N: int
    rate: float
    ci_low: float
    ci_high: float
    ci_method: str
    level: float

    def values(self) -> dict[str, float | int | str]:
        """The figures as an answer's ``values`` carry them (DESIGN.md)."""
        return {
            "n": self.n,
            "N": self.N,
            "rate": round(self.rate, 4),
            "ci_low": round(self.ci_low, 4),
            "ci_high": round(self.ci_high, 4),
            "ci_method": self.ci_method,
            "level": self.level,
        }


def check_level(level: float) -> float:
    # 99.9 / 100 is 0.9990000000000001 in floating point: compare what was meant.
    level = round(level, 9) if math.isfinite(level) else level
    if not (MIN_LEVEL <= level <= MAX_LEVEL) or math.isnan(level):
        raise StatsError(f"confidence level must be between {MIN_LEVEL} and {MAX_LEVEL}, "
                         f"not {level}")
    return level


def check_method(method: str) -> CIMethod:
    if method not in CI_METHODS:
        raise StatsError(f"unknown CI method {method!r}; one of {', '.join(CI_METHODS)}")
    return method  # type: ignore[return-value]


def rate_ci(k: int, n: int, method: str = DEFAULT_METHOD, level: float = DEFAULT_LEVEL) -> Rate:
    """The proportion k/n with a two-sided ``level`` confidence interval by ``method``."""
    check_level(level)
    check_method(method)
    if n <= 0 or k < 0 or k > n:
        raise StatsError(f"a rate needs 0 <= k <= n and n > 0, not {k}/{n}")
    # Clopper–Pearson, Wilson (±cc) as binomtest(k, n).proportion_ci gives them; Jeffreys from
    # beta.ppf; Agresti–Coull from norm.ppf: identical figures without importing scipy.stats.
    low, high = interval(k, n, method, level)
    return Rate(k, n, k / n, low, high, method, level)


@dataclass(frozen=True)
class Median:
    """A Kaplan–Meier median; ``None`` in a field means "not reached" (not estimable)."""

    median: float | None
    ci_low: float | None
    ci_high: float | None
    level: float
    n: int
    events: int

    def values(self) -> dict[str, float | int | str | None]:
        return {
            "median": _round_or_none(self.median),
            "ci_low": _round_or_none(self.ci_low),
            "ci_high": _round_or_none(self.ci_high),
            "level": self.level,
            "n": self.n,
            "events": self.events,
            "method": "kaplan-meier; CI brookmeyer-crowley, log-log",
        }


def _round_or_none(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(x, digits)


@dataclass(frozen=True)
class Curve:
    """A Kaplan–Meier survival curve as steps: S(t) = survival[i] for times[i] <= t < times[i+1]."""

    times: tuple[float, ...]
    survival: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    censor_times: tuple[float, ...]


def _first_at_or_below(times: Sequence[float], curve: Sequence[float], p: float) -> float | None:
    for t, s in zip(times, curve, strict=True):
        # A small tolerance: survival products such as 0.5000000001 are exactly 0.5.
        if not math.isnan(s) and s <= p + 1e-12:
            return float(t)
    return None


def km_curve(times: Sequence[float], events: Sequence[int | bool],
             level: float = DEFAULT_LEVEL) -> Curve:
    """The Kaplan–Meier estimate with its pointwise log-log confidence band.

    ``events`` holds 1 (or True) for an event and 0 for a censored time — note this is the
    opposite of ADTTE's ``CNSR``; callers convert.
    """
    check_level(level)
    if len(times) == 0 or len(times) != len(events):
        raise StatsError("Kaplan–Meier needs one event flag per time and at least one time")
    return _km_curve(tuple(map(float, times)), tuple(map(bool, events)), level)


# The store is immutable, so the same (times, events, level) comes back for every repeat of a
# question (and twice per median answer: the median and its chart): scipy's ecdf and band cost
# about a millisecond, a lookup microseconds. Curves are frozen tuples, safe to share; the
# bound keeps memory flat for big stores.
@lru_cache(maxsize=64)
def _km_curve(times: tuple[float, ...], events: tuple[bool, ...], level: float) -> Curve:
    from scipy import stats

    observed = [t for t, e in zip(times, events, strict=True) if e]
    censored = [t for t, e in zip(times, events, strict=True) if not e]
    if not observed:
        # No event: the curve stays at 1, and nothing is estimable.
        return Curve((0.0,), (1.0,), (1.0,), (1.0,), tuple(sorted(censored)))
    data = stats.CensoredData(uncensored=observed, right=censored)
    sf = stats.ecdf(data).sf
    with warnings.catch_warnings():
        # scipy warns that the log-log band is undefined where S(t) is 0 or 1; those points
        # come back as NaN and are handled below, so the warning would only alarm users.
        warnings.simplefilter("ignore", RuntimeWarning)
        band = sf.confidence_interval(confidence_level=level, method="log-log")
    grid = [float(q) for q in sf.quantiles]
    surv = [float(v) for v in sf.probabilities]
    low = [float(v) for v in band.low.evaluate(grid)]
    high = [float(v) for v in band.high.evaluate(grid)]
    return Curve(tuple(grid), tuple(surv), tuple(low), tuple(high), tuple(sorted(censored)))


def km_median(times: Sequence[float], events: Sequence[int | bool],
              level: float = DEFAULT_LEVEL) -> Median:
    """Median = first time S(t) <= 0.5; its CI by Brookmeyer–Crowley from the log-log band.

    The CI's limits are the first times the lower and upper pointwise limits reach 0.5 (the
    convention of SAS PROC LIFETEST and R's survival); a limit the band never reaches is
    "not reached".
    """
    curve = km_curve(times, events, level)
    n_events = sum(1 for e in events if e)
    # A step where the band is undefined (NaN at S = 0) counts as below 0.5 for the lower limit.
    lower = [0.0 if math.isnan(v) else v for v in curve.lower]
    return Median(
        median=_first_at_or_below(curve.times, curve.survival, 0.5),
        ci_low=_first_at_or_below(curve.times, lower, 0.5),
        ci_high=_first_at_or_below(curve.times, curve.upper, 0.5),
        level=level,
        n=len(times),
        events=n_events,
    )


def median_range(values: Iterable[float]) -> tuple[float, float, float]:
    """Sample median, minimum and maximum."""
    ordered = sorted(values)
    if not ordered:
        raise StatsError("a median needs at least one value")
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return median, ordered[0], ordered[-1]


GradeOp = Literal["any", "eq", "ge", "between"]


def grade_matches(grade: int, op: GradeOp, low: int | None = None,
                  high: int | None = None) -> bool:
    """Whether a worst grade meets a threshold: any; = low; >= low; low..high inclusive."""
    if op == "any":
        return True
    if low is None:
        raise StatsError(f"grade threshold {op!r} needs a grade")
    if op == "eq":
        return grade == low
    if op == "ge":
        return grade >= low
    return low <= grade <= (high if high is not None else low)


def incidence(worst_grades: dict[str, int], population: Iterable[str], op: GradeOp,
              low: int | None = None, high: int | None = None,
              method: str = DEFAULT_METHOD, level: float = DEFAULT_LEVEL) -> Rate:
    """Patients in ``population`` whose worst grade of one term meets the threshold.

    ``worst_grades`` maps each patient with the term to their worst grade: a patient counts
    once, at that grade, and the denominator is the whole population, not those with an event.
    """
    members = set(population)
    k = sum(1 for subject, grade in worst_grades.items()
            if subject in members and grade_matches(grade, op, low, high))
    return rate_ci(k, len(members), method, level)


@dataclass(frozen=True)
class Comparison:
    """Two rates, their difference with a Wald interval, and Fisher's exact test."""

    first: Rate
    second: Rate
    difference: float
    diff_low: float
    diff_high: float
    odds_ratio: float
    p_value: float

    def values(self) -> dict[str, object]:
        return {
            "first": self.first.values(),
            "second": self.second.values(),
            "difference": round(self.difference, 4),
            "diff_ci_low": round(self.diff_low, 4),
            "diff_ci_high": round(self.diff_high, 4),
            "diff_ci_method": "wald",
            "odds_ratio": round(self.odds_ratio, 4) if math.isfinite(self.odds_ratio) else None,
            "p_value": round(self.p_value, 4),
            "test": "fisher-exact, two-sided",
        }


# Memoised as the intervals are: Fisher's test costs about a millisecond, and the answer depends
# on these six values only (``typed`` keeps 1 and 1.0 apart, as the Rate fields would show).
@lru_cache(maxsize=256, typed=True)
def compare_rates(k1: int, n1: int, k2: int, n2: int, method: str = DEFAULT_METHOD,
                  level: float = DEFAULT_LEVEL) -> Comparison:
    """Compare k1/n1 with k2/n2: each rate's CI, the difference and Fisher's exact p."""
    from scipy import stats

    first, second = rate_ci(k1, n1, method, level), rate_ci(k2, n2, method, level)
    diff = first.rate - second.rate
    z = normal_quantile(1 - (1 - level) / 2)  # = stats.norm.ppf
    se = math.sqrt(first.rate * (1 - first.rate) / n1 + second.rate * (1 - second.rate) / n2)
    result = stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]])
    return Comparison(first, second, diff, max(-1.0, diff - z * se), min(1.0, diff + z * se),
                      float(result.statistic), float(result.pvalue))
