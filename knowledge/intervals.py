"""Confidence limits for a proportion, without ``scipy.stats`` and, for every method but
Jeffreys, without ``scipy.special``.

Importing ``scipy.stats`` costs about 0.6 s of a cold ``stormchat ask`` and ``scipy.special``
(through its array-API layer) about 0.2 s, a third of the libraries a rate question loads,
while the intervals need only a binomial tail, a normal quantile or, for Jeffreys, a beta
quantile:

- Clopper–Pearson (exact): the limits are where a binomial tail equals α/2 (Clopper &
  Pearson 1934), the same limits ``binomtest(k, n).proportion_ci(method="exact")`` finds;
  solved here on the tail summed in plain Python;
- Wilson (with and without continuity correction): the formulas of
  ``scipy.stats._binomtest._binom_wilson_conf_int``;
- Jeffreys: beta quantiles of the Beta(k + ½, n − k + ½) posterior (``scipy.special``,
  imported on the first Jeffreys interval);
- Agresti–Coull: the normal quantile;
- Wald (the normal approximation, statsmodels' ``method="normal"``) and Wald with continuity
  correction (± 1/(2n)), both clipped to [0, 1].

The normal quantile is the standard library's (``statistics.NormalDist``, Wichura's AS241,
which agrees with ``scipy.special.ndtri`` to a few units in the last place).
``tests/test_intervals.py`` checks every method against scipy.stats over a grid of k, n and
levels.
"""

from __future__ import annotations

import math
from functools import lru_cache
from statistics import NormalDist
from typing import Any

_STANDARD_NORMAL = NormalDist()


def _ufuncs() -> Any:
    # scipy.special is imported on the first Jeffreys interval only.
    import scipy.special as scu

    return scu


def _binomial_pmf(i: int, n: int, p: float) -> float:
    """P(X = i) for X ~ Binomial(n, p), 0 < p < 1, from logarithms (no overflow for any n)."""
    return math.exp(
        math.lgamma(n + 1)
        - math.lgamma(i + 1)
        - math.lgamma(n - i + 1)
        + i * math.log(p)
        + (n - i) * math.log1p(-p)
    )


def _binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p), 0 < k <= n, 0 < p < 1.

    Summed from the pmf at the end of the tail nearer the mode, so every term is smaller than
    the one before and the sum stops once they no longer change it: a few standard
    deviations' worth of terms, whatever n is. Below the mean it is 1 − P(X <= k − 1)."""
    q = 1.0 - p
    upper = k >= n * p
    start = k if upper else k - 1
    term = _binomial_pmf(start, n, p)
    total, i = term, start
    if upper:  # pmf(i + 1) = pmf(i) · (n − i) / (i + 1) · p / q
        while i < n and term > total * 1e-17:
            term *= (n - i) / (i + 1) * p / q
            total += term
            i += 1
        return total
    while i > 0 and term > total * 1e-17:  # pmf(i − 1) = pmf(i) · i / (n − i + 1) · q / p
        term *= i / (n - i + 1) * q / p
        total += term
        i -= 1
    return 1.0 - total


def _lower_limit(k: int, n: int, tail: float) -> float:
    """The p at which P(X >= k | n, p) = ``tail`` (0 < k <= n, 0 < tail < 1): the lower
    Clopper–Pearson limit, ``betaincinv(k, n − k + 1, tail)``.

    Newton's method on the tail, whose derivative in p is k/p · pmf(k), kept inside a bracket
    that halves whenever a step would leave it; the tail rises with p, so the bracket always
    holds the root."""
    low, high = 0.0, 1.0
    p = k / (n + 1)
    for _ in range(200):
        excess = _binomial_tail(k, n, p) - tail
        if excess == 0:
            return p
        if excess > 0:
            high = p
        else:
            low = p
        slope = k / p * _binomial_pmf(k, n, p)
        step = p - excess / slope if slope > 0 else low
        if not low < step < high:
            step = 0.5 * (low + high)
        if abs(step - p) <= 1e-16 * p or high - low <= 1e-16 * high:
            return step
        p = step
    return p


def clopper_pearson(k: int, n: int, level: float) -> tuple[float, float]:
    """The exact interval: the p at which P(X >= k) = α/2 and the p at which
    P(X <= k) = α/2, the upper one by symmetry (n − X is Binomial(n, 1 − p))."""
    alpha = (1 - level) / 2
    low = 0.0 if k == 0 else _lower_limit(k, n, alpha)
    high = 1.0 if k == n else 1.0 - _lower_limit(n - k, n, alpha)
    return low, high


def wilson(k: int, n: int, level: float, correction: bool) -> tuple[float, float]:
    p = k / n
    z = normal_quantile(0.5 + 0.5 * level)
    denom = 2 * (n + z**2)
    center = (2 * n * p + z**2) / denom
    q = 1 - p
    if correction:
        lo = (
            0.0
            if k == 0
            else center - (1 + z * math.sqrt(z**2 - 2 - 1 / n + 4 * p * (n * q + 1))) / denom
        )
        hi = (
            1.0
            if k == n
            else center + (1 + z * math.sqrt(z**2 + 2 - 1 / n + 4 * p * (n * q - 1))) / denom
        )
    else:
        delta = z / denom * math.sqrt(4 * n * p * q + z**2)
        lo = 0.0 if k == 0 else center - delta
        hi = 1.0 if k == n else center + delta
    return float(lo), float(hi)


def jeffreys(k: int, n: int, level: float) -> tuple[float, float]:
    scu = _ufuncs()
    alpha = 1 - level
    low = 0.0 if k == 0 else float(scu.betaincinv(k + 0.5, n - k + 0.5, alpha / 2))
    high = 1.0 if k == n else float(scu.betaincinv(k + 0.5, n - k + 0.5, 1 - alpha / 2))
    return low, high


def normal_quantile(q: float) -> float:
    """``scipy.stats.norm.ppf(q)`` for 0 < q < 1."""
    return _STANDARD_NORMAL.inv_cdf(q)


def agresti_coull(k: int, n: int, level: float) -> tuple[float, float]:
    z = normal_quantile(1 - (1 - level) / 2)
    n_tilde = n + z * z
    p_tilde = (k + z * z / 2) / n_tilde
    half = z * math.sqrt(p_tilde * (1 - p_tilde) / n_tilde)
    return max(0.0, p_tilde - half), min(1.0, p_tilde + half)


def wald(k: int, n: int, level: float, correction: bool) -> tuple[float, float]:
    z = normal_quantile(1 - (1 - level) / 2)
    p = k / n
    half = z * math.sqrt(p * (1 - p) / n) + (0.5 / n if correction else 0.0)
    return max(0.0, p - half), min(1.0, p + half)


@lru_cache(maxsize=4096, typed=True)
def interval(k: int, n: int, method: str, level: float) -> tuple[float, float]:
    """The two limits by ``method``; arguments already checked by ``stats.rate_ci``.

    Memoised: a figure is asked for again and again (in a conversation, a batch, ``verify``)
    and the result depends on these four values only."""
    if method == "clopper-pearson":
        return clopper_pearson(k, n, level)
    if method in ("wilson", "wilson-cc"):
        return wilson(k, n, level, correction=method == "wilson-cc")
    if method == "jeffreys":
        return jeffreys(k, n, level)
    if method in ("wald", "wald-cc"):
        return wald(k, n, level, correction=method == "wald-cc")
    return agresti_coull(k, n, level)
