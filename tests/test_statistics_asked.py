"""The statistics a biostatistician asks for beside a rate — Wald intervals, the standard
error, one-sided bounds, an exact binomial test — checked against statsmodels and scipy."""

from __future__ import annotations

import math

import pytest
from scipy.stats import beta, binomtest
from statsmodels.stats.proportion import proportion_confint

from assistant.engine import Engine
from knowledge.intervals import interval
from knowledge.stats import rate_ci


def ask(engine: Engine, question: str) -> dict[str, object]:
    answer = engine.conversation().ask(question)
    assert answer.status == "answered", answer.text
    return dict(answer.values)


@pytest.mark.parametrize(("k", "n"), [(32, 122), (48, 122), (21, 83), (2, 122), (90, 123)])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_wald_equals_statsmodels_normal(k: int, n: int, level: float) -> None:
    low, high = proportion_confint(k, n, alpha=1 - level, method="normal")
    got = interval(k, n, "wald", level)
    assert got == pytest.approx((max(0.0, low), min(1.0, high)), abs=1e-12)


@pytest.mark.parametrize(("k", "n"), [(32, 122), (48, 122), (21, 83)])
def test_wald_with_continuity_correction_by_hand(k: int, n: int) -> None:
    p = k / n
    half = 1.959963984540054 * math.sqrt(p * (1 - p) / n) + 1 / (2 * n)
    assert interval(k, n, "wald-cc", 0.95) == pytest.approx((p - half, p + half), abs=1e-9)


def test_the_wald_interval_is_the_one_answered(engine: Engine) -> None:
    values = ask(engine, "ORR with a Wald 95% CI")
    low, high = proportion_confint(32, 122, alpha=0.05, method="normal")
    assert (values["ci_method"], values["ci_low"], values["ci_high"]) == (
        "wald",
        round(low, 4),
        round(high, 4),
    )


def test_standard_error(engine: Engine) -> None:
    values = ask(engine, "standard error of the ORR?")
    assert values["se"] == round(math.sqrt(32 / 122 * (90 / 122) / 122), 4)


def test_one_sided_bound_equals_the_two_sided_limit(engine: Engine) -> None:
    values = ask(engine, "one-sided 97.5% lower bound for the ORR")
    # A one-sided 97.5 % exact lower bound is the 2.5 % beta quantile: the lower limit of the
    # two-sided 95 % Clopper–Pearson interval.
    assert values["one_sided_lower"] == pytest.approx(beta.ppf(0.025, 32, 91), abs=5e-5)
    assert values["one_sided_lower"] == pytest.approx(rate_ci(32, 122).ci_low, abs=5e-5)
    upper = ask(engine, "upper one-sided 95% bound of the clinical benefit rate")
    assert upper["one_sided_upper"] == pytest.approx(
        proportion_confint(48, 122, alpha=0.10, method="beta")[1], abs=5e-5
    )


@pytest.mark.parametrize(
    ("question", "k", "p0"),
    [
        ("is the ORR above 20%?", 32, 0.20),
        ("Is the CBR > 30% at one-sided alpha 0.05? exact test pls", 48, 0.30),
        ("H0: p ≤ 0.10 vs H1: p > 0.10 for overall response — exact binomial p-value?", 32, 0.10),
    ],
)
def test_exact_binomial_test_against_a_stated_rate(
    engine: Engine, question: str, k: int, p0: float
) -> None:
    values = ask(engine, question)
    assert values["null_rate"] == pytest.approx(p0)
    assert values["p_value"] == pytest.approx(
        binomtest(k, 122, p0, alternative="greater").pvalue, rel=1e-9
    )


def test_a_test_without_a_rate_to_test_against_is_not_reported(engine: Engine) -> None:
    answer = engine.conversation().ask("binomial test of the ORR")
    assert answer.status == "not_reported" and "powered against" in answer.text


def test_a_standard_error_of_a_median_is_not_reported(engine: Engine) -> None:
    answer = engine.conversation().ask("SE of the median PFS")
    assert answer.status == "not_reported" and "3.7" in answer.text


def test_how_a_named_figure_was_computed_gives_that_figure_and_its_method(
    engine: Engine,
) -> None:
    """ "How was the ORR CI calculated?" explains the ORR's interval, with the ORR itself, not
    the generic note for a conversation with no figure yet."""
    answer = engine.conversation().ask("how was the ORR CI calculated")
    assert answer.status == "answered" and answer.intent == "explain_method"
    low, high = beta.ppf(0.025, 32, 91), beta.ppf(0.975, 33, 90)  # exact limits by hand
    assert f"{100 * low:.1f}–{100 * high:.1f}" in answer.text
    assert "32 of 122" in answer.text and "Clopper–Pearson" in answer.text
    assert "Ask a question first" not in answer.text


def test_how_an_unreported_figure_was_computed_is_not_reported(engine: Engine) -> None:
    answer = engine.conversation().ask("how was the 1-year OS computed?")
    assert answer.status == "not_reported" and "1-year" in answer.text
