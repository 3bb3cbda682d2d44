"""Confidence limits for a proportion from ``scipy.special``, without ``scipy.stats``.

Importing ``scipy.stats`` costs about 0.6 s of a cold ``stormchat ask`` (most of the run),
while every interval needs only a beta quantile or a normal quantile:

- Clopper–Pearson (exact): beta quantiles, the closed form of the interval that
  ``binomtest(k, n).proportion_ci(method="exact")`` finds by root-finding;
- Wilson (with and without continuity correction): the formulas of
  ``scipy.stats._binomtest._binom_wilson_conf_int``;
- Jeffreys: beta quantiles of the Beta(k + ½, n − k + ½) posterior;
- Agresti–Coull: the normal quantile;
- Wald (the normal approximation, statsmodels' ``method="normal"``) and Wald with continuity
  correction (± 1/(2n)), both clipped to [0, 1].

``tests/test_intervals.py`` checks them against scipy.stats over a grid of k, n and levels.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any


def _ufuncs() -> Any:
    # scipy.special is imported on the first interval only: a study-fact question needs none.
    import scipy.special as scu

    return scu


def clopper_pearson(k: int, n: int, level: float) -> tuple[float, float]:
    """The exact interval in its closed form, from beta quantiles (Clopper & Pearson 1934):
    the same limits binomtest finds by root-finding, to within its 1e-12 tolerance."""
    scu = _ufuncs()
    alpha = (1 - level) / 2
    low = 0.0 if k == 0 else float(scu.betaincinv(k, n - k + 1, alpha))
    high = 1.0 if k == n else float(scu.betaincinv(k + 1, n - k, 1 - alpha))
    return low, high


def wilson(k: int, n: int, level: float, correction: bool) -> tuple[float, float]:
    scu = _ufuncs()
    p = k / n
    z = scu.ndtri(0.5 + 0.5 * level)  # a numpy float64, as in scipy: same arithmetic below
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
    return float(_ufuncs().ndtri(q))


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
