"""A particular statistic of a rate, asked with the rate: its standard error, a one-sided
bound, or an exact binomial test against a stated rate.

The rate's own answer is computed first (its n and N are in ``values``); the statistic is
added to it. A statistic of something that is not a rate (a median), or a test with no rate to
test against, is said to be not reported rather than left out: an answer without the figure
asked for would answer a neighbouring question.
"""

from __future__ import annotations

import math
import re

from assistant.answer import Answer
from assistant.handlers.context import Settings
from assistant.handlers.figures import METHOD_SHORT, level_text, num
from knowledge.intervals import interval
from knowledge.stats import Alternative, binom_test

_UPPER = re.compile(r"\bupper\b", re.IGNORECASE)
_LOWER_TAIL = re.compile(
    r"\b(?:below|less than|lower than|under|at most|fewer than)\b", re.IGNORECASE
)
_TWO_SIDED = re.compile(r"\btwo[- ]sided\b|\bdiffer\w*|\bnot equal\b", re.IGNORECASE)


def add(
    answer: Answer, statistic: str, null_rate: float | None, settings: Settings, question: str
) -> Answer:
    """``answer`` with the statistic asked for, or a not-reported answer saying why not."""
    values = answer.values
    k, n = values.get("n"), values.get("N")
    if statistic == "n" or answer.status != "answered":
        return answer
    if not isinstance(k, int) or not isinstance(n, int) or n <= 0:
        return _not_reported(
            answer,
            f"a {_NAMES.get(statistic, statistic)} for this figure "
            "(it is not a proportion of patients)",
        )
    p = k / n
    if statistic == "se":
        se = math.sqrt(p * (1 - p) / n)
        extra = (
            f"Standard error: {num(100 * se)} percentage points (√(p̂(1 − p̂)/n) with "
            f"p̂ = {k}/{n}, the Wald standard error)."
        )
        return _with(answer, extra, {"se": round(se, 4)})
    if statistic == "one_sided":
        return _one_sided(answer, k, n, settings, question)
    if statistic == "binomial_test":
        if null_rate is None or not 0 < null_rate < 1:
            return _not_reported(
                answer,
                "the rate the study was powered against (its null "
                "hypothesis); ask against a stated rate, e.g. "
                "“is the ORR above 20 %?”",
            )
        return _binomial_test(answer, k, n, null_rate, question)
    return answer


_NAMES = {"se": "standard error", "one_sided": "one-sided bound", "binomial_test": "binomial test"}


def _one_sided(answer: Answer, k: int, n: int, settings: Settings, question: str) -> Answer:
    level = settings.level
    two_sided = 2 * level - 1
    if two_sided < 0.5:
        return _not_reported(
            answer,
            f"a one-sided bound at {level_text(level)} (stormchat computes them from 75 % up)",
        )
    low, high = interval(k, n, settings.ci_method, round(two_sided, 6))
    upper = bool(_UPPER.search(question))
    bound = high if upper else low
    side = "upper" if upper else "lower"
    extra = (
        f"One-sided {level_text(level)} {side} bound: {num(100 * bound)} % "
        f"({METHOD_SHORT[settings.ci_method]}; the {side} limit of the two-sided "
        f"{level_text(two_sided)} interval)."
    )
    return _with(answer, extra, {f"one_sided_{side}": round(bound, 4), "one_sided_level": level})


def _binomial_test(answer: Answer, k: int, n: int, null_rate: float, question: str) -> Answer:
    alternative: Alternative
    if _TWO_SIDED.search(question):
        alternative, h0 = "two-sided", f"p = {num(100 * null_rate)} %"
    elif _LOWER_TAIL.search(question):
        alternative, h0 = "less", f"p ≥ {num(100 * null_rate)} %"
    else:
        alternative, h0 = "greater", f"p ≤ {num(100 * null_rate)} %"
    p_value = binom_test(k, n, null_rate, alternative)
    shown = f"{p_value:.2g}" if p_value < 0.001 else f"{p_value:.3f}"
    extra = (
        f"Exact binomial test ({alternative}) of H0: {h0} with {k}/{n} = "
        f"{num(100 * k / n)} %: p = {shown}. A test of the published counts against a "
        "rate you chose, not a result reported by the study."
    )
    return _with(
        answer, extra, {"p_value": p_value, "null_rate": null_rate, "alternative": alternative}
    )


def _with(answer: Answer, extra: str, values: dict[str, object]) -> Answer:
    update: dict[str, object] = {
        "text": f"{answer.text} {extra}",
        "values": {**answer.values, **values},
    }
    if answer.markdown is not None:
        update["markdown"] = f"{answer.markdown}\n\n{extra}"
    return answer.model_copy(update=update)


def _not_reported(answer: Answer, what: str) -> Answer:
    text = f"The sources do not give {what}."
    if answer.status == "answered":
        text += f" What they do give: {answer.text}"
    return answer.model_copy(
        update={"status": "not_reported", "text": text, "markdown": None, "chart": None}
    )
