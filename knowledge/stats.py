"""The statistics every answer is computed with: rates and their intervals, Kaplan–Meier
medians, adverse-event incidence and two-group comparisons.

No answer imports ``scipy.stats``: importing it costs most of a cold ``stormchat ask``. Rates
need no scipy at all but for Jeffreys' interval (``knowledge.intervals`` reproduces scipy.stats'
intervals); Kaplan–Meier and its log-log band, and Fisher's exact test, are computed here in
plain Python the way scipy.stats computes them (``tests/test_stats.py`` holds them to
scipy.stats); the binomial test uses ``scipy.special``'s binomial functions, imported when one
is asked.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from knowledge.intervals import interval, normal_quantile

CIMethod = Literal[
    "clopper-pearson", "wilson", "wilson-cc", "jeffreys", "agresti-coull", "wald", "wald-cc"
]
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
        raise StatsError(
            f"confidence level must be between {MIN_LEVEL} and {MAX_LEVEL}, not {level}"
        )
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


MedianRule = Literal["first", "midpoint"]
MEDIAN_RULES: dict[str, str] = {
    "first": "first time S(t) <= 0.5",
    "midpoint": "midpoint where S(t) = 0.5 on an interval (SAS LIFETEST, R quantile.survfit)",
}
# Survival products such as 0.5000000001 are exactly 0.5.
_TOL = 1e-12


def _crossing(
    times: Sequence[float], curve: Sequence[float], p: float, rule: MedianRule = "first"
) -> float | None:
    """The first time ``curve`` is at or below ``p``; under the midpoint rule, where it sits
    exactly on ``p`` until the next step, the midpoint of that step and the next (the time
    the curve drops below ``p``), as SAS PROC LIFETEST and R's ``quantile.survfit`` take it.
    A curve that stays at ``p`` to its end gives that first time under either rule."""
    for i, (t, s) in enumerate(zip(times, curve, strict=True)):
        if math.isnan(s) or s > p + _TOL:
            continue
        if rule == "midpoint" and s >= p - _TOL:
            for later, value in zip(times[i + 1 :], curve[i + 1 :], strict=True):
                if not math.isnan(value) and value < p - _TOL:
                    return (float(t) + float(later)) / 2
        return float(t)
    return None


def km_curve(
    times: Sequence[float], events: Sequence[int | bool], level: float = DEFAULT_LEVEL
) -> Curve:
    """The Kaplan–Meier estimate with its pointwise log-log confidence band.

    ``events`` holds 1 (or True) for an event and 0 for a censored time — note this is the
    opposite of ADTTE's ``CNSR``; callers convert.
    """
    check_level(level)
    if len(times) == 0 or len(times) != len(events):
        raise StatsError("Kaplan–Meier needs one event flag per time and at least one time")
    return _km_curve(tuple(map(float, times)), tuple(map(bool, events)), level)


# The store is immutable, so the same (times, events, level) comes back for every repeat of a
# question (and twice per median answer: the median and its chart). Curves are frozen tuples,
# safe to share; the bound keeps memory flat for big stores.
@lru_cache(maxsize=64)
def _km_curve(times: tuple[float, ...], events: tuple[bool, ...], level: float) -> Curve:
    """The product-limit estimate and its log-log band (Greenwood's variance), in plain
    Python: the same steps, in the same floating-point order, as ``scipy.stats.ecdf(
    CensoredData(...)).sf`` and its ``confidence_interval(method="log-log")`` — without
    importing scipy.stats, which would cost a cold ``stormchat ask`` most of its time
    (``tests/test_stats.py`` holds the two to each other and to lifelines-style references).

    Steps at every distinct time, censored-only ones included (as scipy has them; without
    any censoring, S is computed as scipy computes it then, 1 − events / n); the band
    is NaN where it is undefined (S = 1 before the first event, S = 0 after the last)."""
    censored = tuple(sorted(t for t, e in zip(times, events, strict=True) if not e))
    if not any(events):
        # No event: the curve stays at 1, and nothing is estimable.
        return Curve((0.0,), (1.0,), (1.0,), (1.0,), censored)
    z = normal_quantile(1 / 2 + level / 2)  # scipy: special.ndtri(1/2 + confidence_level/2)
    order = sorted(zip(times, events, strict=True), key=lambda pair: pair[0])
    grid: list[float] = []
    surv: list[float] = []
    low: list[float] = []
    high: list[float] = []
    at_risk, s, greenwood, i = len(order), 1.0, 0.0, 0
    while i < len(order):
        t, deaths, j = order[i][0], 0, i
        while j < len(order) and order[j][0] == t:
            deaths += order[j][1]
            j += 1
        if censored:
            s *= (at_risk - deaths) / at_risk
        else:
            # Without censoring scipy takes the empirical survival, 1 − (events so far) / n.
            s = 1 - (len(order) - at_risk + deaths) / len(order)
        greenwood += deaths / (at_risk * (at_risk - deaths)) if at_risk != deaths else math.inf
        grid.append(t)
        surv.append(s)
        if 0.0 < s < 1.0 and math.isfinite(greenwood):
            se = math.sqrt(1 / math.log(s) ** 2 * greenwood)
            lnl = math.log(-math.log(s))
            low.append(min(1.0, max(0.0, math.exp(-math.exp(lnl + z * se)))))
            high.append(min(1.0, max(0.0, math.exp(-math.exp(lnl - z * se)))))
        else:
            low.append(math.nan)
            high.append(math.nan)
        at_risk -= j - i
        i = j
    return Curve(tuple(grid), tuple(surv), tuple(low), tuple(high), censored)


def km_median(
    times: Sequence[float],
    events: Sequence[int | bool],
    level: float = DEFAULT_LEVEL,
    rule: MedianRule = "first",
) -> Median:
    """Median and its CI by Brookmeyer–Crowley from the log-log band.

    ``rule`` "first": the first time S(t) <= 0.5 (DESIGN.md). "midpoint": the same, except
    where S(t) is exactly 0.5 over an interval, the midpoint of that interval (SAS PROC
    LIFETEST, R's ``quantile.survfit``). The CI's limits are the first times the lower and
    upper pointwise limits reach 0.5, by the same rule (the convention of SAS and R's
    survival); a limit the band never reaches is "not reached".
    """
    if rule not in MEDIAN_RULES:
        raise StatsError(f"unknown median rule {rule!r}; one of {', '.join(MEDIAN_RULES)}")
    curve = km_curve(times, events, level)
    n_events = sum(1 for e in events if e)
    # A step where the band is undefined (NaN at S = 0) counts as below 0.5 for the lower limit.
    lower = [
        0.0 if math.isnan(v) and s < 0.5 else v
        for v, s in zip(curve.lower, curve.survival, strict=True)
    ]
    return Median(
        median=_crossing(curve.times, curve.survival, 0.5, rule),
        ci_low=_crossing(curve.times, lower, 0.5, rule),
        ci_high=_crossing(curve.times, curve.upper, 0.5, rule),
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


def grade_matches(grade: int, op: GradeOp, low: int | None = None, high: int | None = None) -> bool:
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


def incidence(
    worst_grades: dict[str, int],
    population: Iterable[str],
    op: GradeOp,
    low: int | None = None,
    high: int | None = None,
    method: str = DEFAULT_METHOD,
    level: float = DEFAULT_LEVEL,
) -> Rate:
    """Patients in ``population`` whose worst grade of one term meets the threshold.

    ``worst_grades`` maps each patient with the term to their worst grade: a patient counts
    once, at that grade, and the denominator is the whole population, not those with an event.
    """
    members = set(population)
    k = sum(
        1
        for subject, grade in worst_grades.items()
        if subject in members and grade_matches(grade, op, low, high)
    )
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
def compare_rates(
    k1: int, n1: int, k2: int, n2: int, method: str = DEFAULT_METHOD, level: float = DEFAULT_LEVEL
) -> Comparison:
    """Compare k1/n1 with k2/n2: each rate's CI, the difference and Fisher's exact p."""
    first, second = rate_ci(k1, n1, method, level), rate_ci(k2, n2, method, level)
    diff = first.rate - second.rate
    z = normal_quantile(1 - (1 - level) / 2)  # = stats.norm.ppf
    se = math.sqrt(first.rate * (1 - first.rate) / n1 + second.rate * (1 - second.rate) / n2)
    odds_ratio, p_value = fisher_exact(k1, n1 - k1, k2, n2 - k2)
    return Comparison(
        first, second, diff, max(-1.0, diff - z * se), min(1.0, diff + z * se), odds_ratio, p_value
    )


def fisher_exact(a: int, b: int, c: int, d: int) -> tuple[float, float]:
    """Fisher's exact test of the table [[a, b], [c, d]], two-sided: the sample odds ratio
    a·d / (b·c) and the p-value, as ``scipy.stats.fisher_exact`` gives them.

    The p-value sums the hypergeometric probabilities (margins fixed) of every table no more
    likely than the one observed. They are exact integers over a common denominator here, so
    ties are found exactly (scipy compares floats within a relative 1e-14)."""
    if min(a, b, c, d) < 0:
        raise StatsError("a 2×2 table needs non-negative counts")
    row1, col1, total = a + b, a + c, a + b + c + d
    if 0 in (row1, c + d, col1, b + d):
        return math.nan, 1.0
    odds_ratio = a * d / (b * c) if b > 0 and c > 0 else math.inf
    # Tables with the same margins: x in the top-left cell, weight C(row1, x)·C(rest, col1 − x).
    weights = {
        x: math.comb(row1, x) * math.comb(total - row1, col1 - x)
        for x in range(max(0, col1 - (total - row1)), min(row1, col1) + 1)
    }
    observed = weights[a]
    p_value = sum(w for w in weights.values() if w <= observed) / math.comb(total, col1)
    return odds_ratio, min(1.0, float(p_value))


Alternative = Literal["two-sided", "less", "greater"]


def binom_test(k: int, n: int, p: float, alternative: Alternative = "two-sided") -> float:
    """The exact binomial test's p-value for k of n against the rate ``p``: the algorithm of
    ``scipy.stats.binomtest`` (two-sided: every outcome no more likely than the one observed,
    within a relative 1e-7), on the same binomial functions (``scipy.special._ufuncs``, which
    ``scipy.stats.binom`` calls), without importing scipy.stats."""
    if n <= 0 or not 0 <= k <= n:
        raise StatsError(f"a binomial test needs 0 <= k <= n and n > 0, not {k}/{n}")
    if not 0 <= p <= 1 or math.isnan(p):
        raise StatsError(f"a binomial test needs a rate between 0 and 1, not {p}")
    import scipy.special._ufuncs as scu

    def pmf(x: int) -> float:
        return float(scu._binom_pmf(x, n, p))

    def cdf(x: int) -> float:
        return float(scu._binom_cdf(x, n, p)) if x >= 0 else 0.0

    def sf(x: int) -> float:
        return float(scu._binom_sf(x, n, p)) if x >= 0 else 1.0

    if alternative == "less":
        return cdf(k)
    if alternative == "greater":
        return sf(k - 1)
    if alternative != "two-sided":
        raise StatsError(f"unknown alternative {alternative!r}")
    d = pmf(k)
    rerr = 1 + 1e-7
    if k == p * n:
        return 1.0
    if k < p * n:
        ix = _binary_search(lambda x: -pmf(x), -d * rerr, math.ceil(p * n), n)
        y = n - ix + int(d * rerr == pmf(ix))
        p_value = cdf(k) + sf(n - y)
    else:
        ix = _binary_search(pmf, d * rerr, 0, math.floor(p * n))
        p_value = cdf(ix) + sf(k - 1)
    return min(1.0, p_value)


def _binary_search(a: Callable[[int], float], d: float, lo: int, hi: int) -> int:
    """The i in [lo, hi] with a(i) <= d < a(i + 1), for ``a`` ascending there
    (scipy.stats._binomtest._binary_search_for_binom_tst)."""
    while lo < hi:
        mid = lo + (hi - lo) // 2
        value = a(mid)
        if value < d:
            lo = mid + 1
        elif value > d:
            hi = mid - 1
        else:
            return mid
    return lo if a(lo) <= d else lo - 1
