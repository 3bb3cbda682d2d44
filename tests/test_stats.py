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


@pytest.mark.parametrize(
    ("k", "n", "rate", "low", "high"),
    [
        (32, 122, 26.2, 18.7, 35.0),  # overall response, published 26 % (19–35)
        (48, 122, 39.3, 30.6, 48.6),  # clinical benefit, published 39 % (31–49)
        (21, 83, 25.3, 16.4, 36.0),  # penta-refractory, published 25.3 % (16.4–36.0)
    ],
)
def test_clopper_pearson_reproduces_published_intervals(
    k: int, n: int, rate: float, low: float, high: float
) -> None:
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


@pytest.mark.parametrize(
    ("k", "n", "method", "level"),
    [
        (5, 3, "clopper-pearson", 0.95),
        (-1, 3, "wilson", 0.95),
        (1, 0, "wilson", 0.95),
        (1, 3, "bogus", 0.95),
        (1, 3, "wilson", 0.2),
        (1, 3, "wilson", 1.0),
    ],
)
def test_impossible_requests_raise_stats_error(k: int, n: int, method: str, level: float) -> None:
    with pytest.raises(StatsError):
        rate_ci(k, n, method, level)


# Freireich et al. (1963): remission times in weeks, 6-MP arm, 21 patients (0 = censored).
FREIREICH_6MP = [
    (6, 1),
    (6, 1),
    (6, 1),
    (6, 0),
    (7, 1),
    (9, 0),
    (10, 1),
    (10, 0),
    (11, 0),
    (13, 1),
    (16, 1),
    (17, 0),
    (19, 0),
    (20, 0),
    (22, 1),
    (23, 1),
    (25, 0),
    (32, 0),
    (32, 0),
    (34, 0),
    (35, 0),
]


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


# ------------------------------------------- Kaplan–Meier, Fisher and binomial without scipy.stats


def _random_samples(count: int, seed: int) -> list[tuple[list[float], list[bool]]]:
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(count):
        n = rng.randint(1, 60)
        times = [round(rng.uniform(0.1, 20), rng.choice([0, 1, 2])) for _ in range(n)]
        share = rng.choice([0.5, 0.8, 1.0])  # 1.0: no censoring, which scipy treats apart
        events = [rng.random() < share for _ in range(n)]
        if any(events):
            out.append((times, events))
    return out


@pytest.mark.filterwarnings("ignore:The confidence interval is undefined")
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_kaplan_meier_equals_scipy_stats_ecdf(level: float) -> None:
    import math

    from scipy import stats

    from knowledge.stats import km_curve

    for times, events in _random_samples(300, seed=int(level * 100)):
        curve = km_curve(times, events, level)
        sf = stats.ecdf(
            stats.CensoredData(
                uncensored=[t for t, e in zip(times, events, strict=True) if e],
                right=[t for t, e in zip(times, events, strict=True) if not e],
            )
        ).sf
        band = sf.confidence_interval(confidence_level=level, method="log-log")
        assert list(curve.times) == [float(t) for t in sf.quantiles]
        assert list(curve.survival) == [float(s) for s in sf.probabilities]
        for ours, theirs in (
            (curve.lower, band.low.evaluate(sf.quantiles)),
            (curve.upper, band.high.evaluate(sf.quantiles)),
        ):
            for a, b in zip(ours, theirs, strict=True):
                assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-12)


def test_fisher_exact_equals_scipy_stats() -> None:
    import math
    import random

    from scipy import stats

    from knowledge.stats import fisher_exact

    rng = random.Random(11)
    tables = [(21, 62, 11, 28), (0, 5, 0, 7), (3, 0, 0, 4), (8, 2, 1, 5)]
    tables += [tuple(rng.randint(0, 40) for _ in range(4)) for _ in range(500)]
    for a, b, c, d in tables:
        odds, p = fisher_exact(a, b, c, d)
        ref = stats.fisher_exact([[a, b], [c, d]])
        assert p == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-15)
        if math.isnan(ref.statistic):
            assert math.isnan(odds)
        else:
            assert odds == ref.statistic
    assert fisher_exact(8, 2, 1, 5)[1] == pytest.approx(0.034965034965034975)  # scipy's doc


def test_binomial_test_equals_scipy_stats_binomtest() -> None:
    import random

    from scipy.stats import binomtest

    from knowledge.stats import binom_test

    rng = random.Random(13)
    for _ in range(1000):
        n = rng.randint(1, 300)
        k, p = rng.randint(0, n), rng.choice([0.1, 0.2, 0.25, 0.5, rng.random()])
        for alternative in ("two-sided", "less", "greater"):
            assert binom_test(k, n, p, alternative) == pytest.approx(
                binomtest(k, n, p, alternative=alternative).pvalue, rel=1e-12, abs=1e-300
            )


def test_median_rules_differ_only_on_an_exact_half_plateau() -> None:
    # Four deaths at 1, 2, 3, 4: S = 0.5 exactly on [2, 3). R's survfit (and SAS LIFETEST)
    # report the median as 2.5, the midpoint; the first time S <= 0.5 is 2.
    assert km_median([1, 2, 3, 4], [1, 1, 1, 1]).median == 2
    assert km_median([1, 2, 3, 4], [1, 1, 1, 1], rule="midpoint").median == 2.5
    # No plateau at 0.5 (S: 0.8, 0.6, 0.4 …): the rules agree.
    times, events = [1, 2, 3, 4, 5], [1, 1, 1, 1, 1]
    assert km_median(times, events).median == km_median(times, events, rule="midpoint").median == 3
    # Freireich 6-MP: no plateau at 0.5 either, 23 by both.
    t, e = zip(*FREIREICH_6MP, strict=True)
    assert km_median(t, e, rule="midpoint").median == 23
    with pytest.raises(StatsError):
        km_median([1, 2], [1, 1], rule="bogus")  # type: ignore[arg-type]


def test_no_answer_imports_scipy_stats() -> None:
    # Issue 12 item 8: a median (Kaplan–Meier), a comparison (Fisher) and a binomial test
    # answer on the shipped store without the cost of importing scipy.stats.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from assistant.engine import Engine\n"
        "conversation = Engine.load().conversation()\n"
        "for question in ['median PFS', 'median OS', 'median duration of response', "
        "'What was the ORR?', 'compare ORR in penta vs non-penta', "
        "'is the ORR above 20%?', 'show the survival results']:\n"
        "    answer = conversation.ask(question)\n"
        "    assert answer.status in ('answered', 'not_reported'), (question, answer)\n"
        "assert 'scipy.stats' not in sys.modules, 'scipy.stats imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_rates_medians_and_comparisons_import_no_scipy() -> None:
    # The cold `ask` of a rate, a median and a comparison (and the intervals other than
    # Jeffreys) need neither scipy.stats nor scipy.special, a third of what a rate question
    # used to import; Jeffreys' beta quantiles import scipy.special when first asked.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from assistant.engine import Engine\n"
        "conversation = Engine.load().conversation()\n"
        "for question in ['What was the ORR?', 'What was the median PFS?', 'median OS', "
        "'Compare the ORR in penta-refractory vs the others', "
        "'overall response rate using a Wilson interval', "
        "'ORR with a 90% confidence interval']:\n"
        "    answer = conversation.ask(question)\n"
        "    assert answer.status == 'answered', (question, answer)\n"
        "    assert answer.values, (question, answer)\n"
        "assert not [m for m in sys.modules if m.startswith('scipy')], 'scipy imported'\n"
        "from knowledge.stats import rate_ci\n"
        "rate_ci(32, 122, 'jeffreys')\n"
        "assert 'scipy.special' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
