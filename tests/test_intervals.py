"""The intervals computed without scipy.stats agree with scipy.stats' own.

``knowledge.intervals`` solves Clopper–Pearson on the binomial tail in plain Python and takes
the normal quantile from the standard library (Jeffreys alone uses scipy.special), so that a
rate question need not import scipy; these tests hold it to scipy.stats over a grid of
counts, denominators and levels, for every method stormchat offers, far below the one decimal
answers show.
"""

from __future__ import annotations

import pytest
from scipy import stats

from knowledge import intervals
from knowledge.stats import rate_ci

LEVELS = (0.5, 0.8, 0.9, 0.95, 0.975, 0.99, 0.999, 0.6543)
CASES = [
    (k, n)
    for n in (1, 2, 3, 7, 10, 33, 122, 123)
    for k in range(n + 1)
    if n <= 33 or k in (0, 1, 2, 32, 48, n // 2, n - 1, n)
]
CASES += [(0, 12300), (3200, 12300), (12299, 12300), (12300, 12300)]
SCIPY_NAMES = {"clopper-pearson": "exact", "wilson": "wilson", "wilson-cc": "wilsoncc"}


@pytest.mark.parametrize("method", list(SCIPY_NAMES))
def test_binomtest_intervals_are_identical(method: str) -> None:
    for k, n in CASES:
        result = stats.binomtest(k, n)
        for level in LEVELS:
            ci = result.proportion_ci(confidence_level=level, method=SCIPY_NAMES[method])
            expected = (float(ci.low), float(ci.high))
            got = intervals.interval.__wrapped__(k, n, method, level)
            assert got == pytest.approx(expected, abs=1e-10), (k, n, level)


def test_jeffreys_and_normal_quantile_are_identical() -> None:
    for k, n in CASES:
        for level in LEVELS:
            alpha = 1 - level
            low = 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2, k + 0.5, n - k + 0.5))
            high = 1.0 if k == n else float(stats.beta.ppf(1 - alpha / 2, k + 0.5, n - k + 0.5))
            assert intervals.jeffreys(k, n, level) == pytest.approx((low, high), abs=1e-12)
    for level in LEVELS:
        q = 1 - (1 - level) / 2
        assert intervals.normal_quantile(q) == pytest.approx(float(stats.norm.ppf(q)), abs=1e-12)


def test_clopper_pearson_equals_the_beta_quantiles_at_any_size() -> None:
    # The closed form the tail is solved for: the lower limit is the α/2 quantile of
    # Beta(k, n − k + 1), the upper the 1 − α/2 quantile of Beta(k + 1, n − k); to 1e-12
    # from one patient to a hundred thousand, at both ends and in the middle.
    from scipy import special

    for n in (1, 5, 122, 2000, 12300, 100_000):
        for k in sorted({0, 1, 2, n // 7, n // 2, n - 1, n} & set(range(n + 1))):
            for level in (0.5, 0.95, 0.999):
                alpha = (1 - level) / 2
                low = 0.0 if k == 0 else float(special.betaincinv(k, n - k + 1, alpha))
                high = 1.0 if k == n else float(special.betaincinv(k + 1, n - k, 1 - alpha))
                got = intervals.clopper_pearson(k, n, level)
                assert got == pytest.approx((low, high), abs=1e-12), (k, n, level)
    # k = 0 and k = n have closed forms: 1 − (α/2)^(1/n) and (α/2)^(1/n).
    assert intervals.clopper_pearson(0, 7, 0.999)[1] == pytest.approx(
        1 - 0.0005 ** (1 / 7), abs=1e-15
    )
    assert intervals.clopper_pearson(7, 7, 0.95)[0] == pytest.approx(0.025 ** (1 / 7), abs=1e-15)


def test_rate_ci_uses_them() -> None:
    ci = stats.binomtest(32, 122).proportion_ci(confidence_level=0.95, method="exact")
    rate = rate_ci(32, 122)
    assert (rate.ci_low, rate.ci_high) == pytest.approx((float(ci.low), float(ci.high)), abs=1e-10)
    # Asked again (memoised), the same figures.
    assert rate_ci(32, 122) == rate
