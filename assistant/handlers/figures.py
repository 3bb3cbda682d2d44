"""How figures are written in answers, so every handler writes them the same way.

A rate reads "26.2 % (32/122; 95 % CI 18.7–35.0, Clopper–Pearson), mITT. Published: 26 %
(95 % CI 19–35)." — numerator, denominator, one decimal, the interval with its method and
level, the population, and the published figure beside it where there is one.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from assistant.answer import ILLUSTRATIVE_SOURCE, RECORDS_SOURCE, Answer, Status
from assistant.neutral import markdown_inline
from intents.schema import Parse
from knowledge.models import StudyFact
from knowledge.references import load_references
from knowledge.stats import CI_METHODS, Median, Rate
from knowledge.store import Store

POPULATION_LABELS: dict[str, str] = {
    "mITT": "mITT",
    "safety": "safety population",
    "penta": "penta-refractory",
    "non_penta": "not penta-refractory",
}

METHOD_SHORT: dict[str, str] = {
    "clopper-pearson": "Clopper–Pearson",
    "wilson": "Wilson",
    "wilson-cc": "Wilson with continuity correction",
    "jeffreys": "Jeffreys",
    "agresti-coull": "Agresti–Coull",
    "wald": "Wald",
    "wald-cc": "Wald with continuity correction",
}
assert set(METHOD_SHORT) == set(CI_METHODS)


def num(x: float, decimals: int = 1) -> str:
    return f"{x:.{decimals}f}"


def level_text(level: float) -> str:
    """0.95 → "95 %", 0.999 → "99.9 %", 0.9501 → "95.01 %" (never rounded into another
    level)."""
    pct = round(level * 100, 6)
    return f"{pct:g} %"


def rate_figure(rate: Rate) -> str:
    """ "26.2 % (32/122; 95 % CI 18.7–35.0, Clopper–Pearson)" """
    return (
        f"{num(100 * rate.rate)} % ({rate.n}/{rate.N}; {level_text(rate.level)} CI "
        f"{num(100 * rate.ci_low)}–{num(100 * rate.ci_high)}, "
        f"{METHOD_SHORT[rate.ci_method]})"
    )


def published(fact: StudyFact, rate: Rate | None = None) -> str:
    """ "Published: 32/122 (26 %; 95 % CI 19–35)", or for a figure that is arithmetic on
    published ones, "Derived from published counts: 11/39 (28.2 %)"."""
    label = "Derived from published counts" if fact.grade == "derived" else "Published"
    return f"{label}: {published_rate(fact, rate)}"


def as_published(text: str) -> str:
    """A published sentence after the computed one: "As published, the median age was 65
    years." rather than "Published: The median age was …", which reads as a slip."""
    return f"As published, {lower_first(text.strip())}"


def known_figures(pairs: Iterable[tuple[str, str]]) -> str:
    """What is published, as a clause after "Published:": "median overall survival 8.6
    months; median overall survival, PR or better, 15.6 months" (a fact's label starts with
    a capital as a heading; repeated after "Published:" it reads as a slip)."""
    return "; ".join(f"{lower_first(label)} {figure}" for label, figure in pairs)


def lower_first(text: str) -> str:
    """ "Median overall survival" → "median overall survival"; "PFS", "IMWG" stay."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def of_the(count: int, total: int) -> str:
    """ "5 of the 6", or "all 6" when they are the same (not "6 of the 6")."""
    return f"all {total}" if count == total else f"{count} of the {total}"


def published_rate(fact: StudyFact, rate: Rate | None = None) -> str:
    """ "32/122 (26 %; 95 % CI 19–35)", "90 (73 %)", "59 %" or, for a count the source gives
    without a percentage, "4/83", as the source gave it.

    Beside a figure computed with another interval method or level (``rate``), the published
    interval is not repeated as if it were comparable: it is named as the exact 95 % one."""
    if fact.unit not in (None, "%") and fact.n is not None:
        return f"{fact.n}/{fact.population_n}" if fact.population_n else str(fact.n)
    inner = f"{_plain(fact.value)} %"
    if fact.ci_low is not None and fact.ci_high is not None:
        same = rate is None or (
            rate.ci_method == "clopper-pearson" and abs(rate.level - 0.95) < 1e-9
        )
        inner += (
            f"; 95 % CI {ci_pair(fact.ci_low, fact.ci_high)}"
            if same
            else "; its interval is the exact Clopper–Pearson 95 % one"
        )
    if fact.n is None:
        return inner
    count = f"{fact.n}/{fact.population_n}" if fact.population_n else str(fact.n)
    return f"{count} ({inner})"


def ci_pair(low: float, high: float) -> str:
    """Both limits to the same number of decimals: 16.4–36.0, 19–35."""
    decimals = max(_decimals(low), _decimals(high))
    return f"{low:.{decimals}f}–{high:.{decimals}f}"


def _decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if text.endswith(".0") else len(text.split(".")[1])


def sentence_case(text: str) -> str:
    """Capitalise the first letter only (str.capitalize would lower "VGPR")."""
    return text[:1].upper() + text[1:]


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def median_figure(median: Median, unit: str, with_ci: bool) -> str:
    """ "4.4 months (95 % CI 3.7–10.8)"; "not reached" where the curve never falls to 0.5."""
    if median.median is None:
        text = "not reached"
    else:
        text = f"{num(median.median)} {unit}"
    if with_ci:
        low = "not reached" if median.ci_low is None else num(median.ci_low)
        high = "not estimable" if median.ci_high is None else num(median.ci_high)
        text += f" ({level_text(median.level)} CI {low}–{high})"
    return text


def published_median(fact: StudyFact) -> str:
    text = f"{fact.value} {fact.unit or ''}".strip()
    if fact.ci_low is not None:
        high = "not estimable" if fact.ci_high is None else _plain(fact.ci_high)
        text += f" (95 % CI {_plain(fact.ci_low)}–{high})"
    if fact.range_low is not None and fact.range_high is not None:
        text += f" (range {_plain(fact.range_low)}–{_plain(fact.range_high)})"
    return text


def grade_words(op: str, low: int | None, high: int | None) -> str:
    """A grade band as words: "any grade", "grade 3", "grade 3 or higher", "grade 3–4"."""
    if op == "any":
        return "any grade"
    if op == "eq":
        return f"grade {low}"
    if op == "ge":
        return f"grade {low} or higher"
    return f"grade {low}–{high}"


def distinct_sources(labels: Iterable[str]) -> list[str]:
    """Each source once: full references first, then who reported them, then other sources,
    then what was derived and computed here (a compound answer merges its parts' lists)."""
    out: list[str] = []
    for label in labels:
        for item in label.split("; "):
            if item and item not in out:
                out.append(item)
    return sorted(out, key=_source_rank)


def _source_rank(line: str) -> int:
    if load_references().is_reference(line):
        return 0
    if line.startswith("as reported by "):
        return 1
    if line.startswith("derived from published counts"):
        return 3
    if line in (RECORDS_SOURCE, ILLUSTRATIVE_SOURCE):
        return 4
    return 2


def source_lines(fact: StudyFact) -> list[str]:
    """A fact's sources as a reader cites them (``knowledge/data/references.yaml``): the
    paper's full reference for the paper's figures, with the source that reported them; the
    news item for what only it says; a derived figure says what it was derived from, once."""
    return list(_cited(fact.id, fact.source, fact.grade))


@cache
def _cited(fact_id: str, source: str, grade: str) -> tuple[str, ...]:
    # Remembered: the references never change in a process, and a batch cites the same few
    # dozen facts again and again (reading them out was a fifth of an answer's own time).
    if grade == "derived":
        detail = source.removeprefix("derived").strip()
        return (f"derived from published counts {detail}".strip(),)
    return tuple(load_references().cite(fact_id, source, grade))


def sources_for(
    *facts: StudyFact | None, records: bool = True, illustrative: bool = False
) -> list[str]:
    """Published sources first (deduplicated, in order), then the records' provenance."""
    out = distinct_sources(line for f in facts if f is not None for line in source_lines(f))
    if records:
        out.append(RECORDS_SOURCE)
    if illustrative:
        out.append(ILLUSTRATIVE_SOURCE)
    return out


def answer(
    parse: Parse,
    question: str,
    status: Status,
    text: str,
    values: dict[str, Any] | None = None,
    sources: list[str] | None = None,
    markdown: str | None = None,
    **extra: Any,
) -> Answer:
    """Build an answer; the intent recorded is the parse's."""
    intent = None if parse.intent == "unknown" else parse.intent
    return Answer(
        question=question,
        status=status,
        intent=intent,
        text=text,
        values=values or {},
        sources=sources or [],
        markdown=markdown,
        **extra,
    )


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (the chat app renders it; batch text keeps the plain text). Cells are
    plain text — store terms, USUBJIDs, the asked words — escaped so that none of them renders
    as a link, an image, emphasis or HTML, or breaks the table."""
    cell = markdown_inline

    lines = [
        "| " + " | ".join(cell(h) for h in headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def population_n(store: Store, population: str) -> str:
    return f"{POPULATION_LABELS[population]}, n = {len(store.population(population))}"
