"""Statistics pinned to known values (published_facts.md and textbook data)."""

from __future__ import annotations

import pytest

from knowledge.stats import (
    CI_METHODS,
    StatsError,
    compare_rates,
    grade_matches,
    incidence,
    km_median,
    median_range,
    rate_ci,
)


def pct(x: float) -> float:
    return round(100 * x, 1)


@pytest.mark.parametrize(("k", "n", "rate", "low", "high"), [
    (32, 122, 26.2, 18.7, 35.0),   # overall response, published 26 % (19–35)
    (48, 122, 39.3, 30.6, 48.6),   # clinical benefit, published 39 % (31–49)
    (21, 83, 25.3, 16.4, 36.0),    # penta-refractory, published 25.3 % (16.4–36.0)
])
def test_clopper_pearson_reproduces_published_intervals(k: int, n: int, rate: float,
                                                        low: float, high: float) -> None:
    result = rate_ci(k, n)
    assert (pct(result.rate), pct(result.ci_low), pct(result.ci_high)) == (rate, low, high)
    assert result.ci_method == "clopper-pearson" and result.level == 0.95


def test_wilson_differs_from_exact_as_published_facts_says() -> None:
    wilson = rate_ci(32, 122, "wilson")
    assert (pct(wilson.ci_low), pct(wilson.ci_high)) == (19.2, 34.7)
    # 48/122 by Wilson rounds to 31–48, not the published 31–49: exact is the default.
    cbr = rate_ci(48, 122, "wilson")
    assert (round(100 * cbr.ci_low), round(100 * cbr.ci_high)) == (31, 48)


def test_ninety_percent_exact_interval() -> None:
    result = rate_ci(32, 122, level=0.90)
    assert (pct(result.ci_low), pct(result.ci_high)) == (19.8, 33.6)


@pytest.mark.parametrize("method", list(CI_METHODS))
def test_every_method_brackets_the_rate_and_narrows_with_level(method: str) -> None:
    wide, narrow = rate_ci(32, 122, method, 0.99), rate_ci(32, 122, method, 0.80)
    assert wide.ci_low < narrow.ci_low < narrow.rate < narrow.ci_high < wide.ci_high


@pytest.mark.parametrize("method", list(CI_METHODS))
def test_edges_stay_inside_zero_and_one(method: str) -> None:
    for k in (0, 5):
        result = rate_ci(k, 5, method)
        assert 0.0 <= result.ci_low <= result.rate <= result.ci_high <= 1.0


def test_jeffreys_and_agresti_coull_values() -> None:
    # Reference values computed independently (beta quantiles; Agresti & Coull 1998 formula).
    jeffreys = rate_ci(32, 122, "jeffreys")
    assert (pct(jeffreys.ci_low), pct(jeffreys.ci_high)) == (19.0, 34.5)
    ac = rate_ci(32, 122, "agresti-coull")
    assert (pct(ac.ci_low), pct(ac.ci_high)) == (19.2, 34.7)


@pytest.mark.parametrize(("k", "n", "method", "level"), [
    (5, 3, "clopper-pearson", 0.95), (-1, 3, "wilson", 0.95), (1, 0, "wilson", 0.95),
    (1, 3, "bogus", 0.95), (1, 3, "wilson", 0.2), (1, 3, "wilson", 1.0),
])
def test_impossible_requests_raise_stats_error(k: int, n: int, method: str,
                                               level: float) -> None:
    with pytest.raises(StatsError):
        rate_ci(k, n, method, level)


# Freireich et al. (1963): remission times in weeks, 6-MP arm, 21 patients (0 = censored).
FREIREICH_6MP = [(6, 1), (6, 1), (6, 1), (6, 0), (7, 1), (9, 0), (10, 1), (10, 0), (11, 0),
                 (13, 1), (16, 1), (17, 0), (19, 0), (20, 0), (22, 1), (23, 1), (25, 0),
                 (32, 0), (32, 0), (34, 0), (35, 0)]


def test_kaplan_meier_median_of_freireich_6mp_arm() -> None:
    times, events = zip(*FREIREICH_6MP, strict=True)
    median = km_median(times, events)
    assert median.median == 23
    # log-log band, as SAS PROC LIFETEST and R survival (conf.type="log-log") give: 13 – NA.
    assert median.ci_low == 13 and median.ci_high is None
    assert (median.n, median.events) == (21, 9)


def test_median_not_reached_when_curve_stays_above_half() -> None:
    median = km_median([1, 2, 3, 4], [1, 0, 0, 0])
    assert median.median is None and median.ci_high is None


def test_median_range_even_and_odd() -> None:
    assert median_range([3, 1, 2]) == (2, 1, 3)
    assert median_range([4, 1, 2, 3]) == (2.5, 1, 4)


def test_incidence_counts_each_patient_once_over_the_whole_population() -> None:
    grades = {"a": 4, "b": 3, "c": 1}
    population = ["a", "b", "c", "d", "e"]
    assert incidence(grades, population, "any").n == 3
    assert incidence(grades, population, "ge", 3).n == 2
    assert incidence(grades, population, "eq", 3).n == 1
    assert incidence(grades, population, "between", 3, 4).N == 5


def test_grade_threshold_needs_a_grade() -> None:
    assert grade_matches(2, "any")
    with pytest.raises(StatsError):
        grade_matches(2, "ge")


def test_compare_penta_with_the_other_39() -> None:
    result = compare_rates(21, 83, 11, 39)
    assert pct(result.second.rate) == 28.2
    assert round(100 * result.difference, 1) == -2.9
    # Fisher's exact test on [[21, 62], [11, 28]]: no evidence of a difference.
    assert 0.6 < result.p_value <= 1.0
