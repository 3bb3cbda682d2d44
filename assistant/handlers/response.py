"""Response questions: rates of "X or better", single categories, the best-response table."""

from __future__ import annotations

from assistant.answer import Answer, Chart
from assistant.handlers.context import Context
from assistant.handlers.figures import (
    POPULATION_LABELS,
    answer,
    published,
    rate_figure,
    sentence_case,
    sources_for,
    table,
)
from intents.schema import Parse
from knowledge import queries as q
from knowledge.models import RESPONSE_ORDER, StudyFact
from knowledge.stats import rate_ci

# Where each population's published response figures live in the facts.
FACT_PREFIX = {"mITT": "efficacy", "penta": "penta", "non_penta": "nonpenta"}
THRESHOLD_FACT = {"PR": "orr", "MR": "cbr"}
THRESHOLD_NAMES = {
    "PR": "overall response (partial response or better)",
    "MR": "clinical benefit (minimal response or better)",
}
CATEGORY_NAMES = {
    "sCR": "stringent complete response",
    "CR": "complete response",
    "VGPR": "very good partial response",
    "PR": "partial response",
    "MR": "minimal response",
    "SD": "stable disease",
    "PD": "progressive disease",
    "NE": "not evaluable",
}
BELOW_MR = ("SD", "PD", "NE")


def _population(parse: Parse) -> str:
    population = parse.get("population", "mITT")
    return "mITT" if population == "safety" else population


def _category_fact(ctx: Context, population: str, category: str) -> StudyFact | None:
    return ctx.store.fact(f"{FACT_PREFIX[population]}.bor.{category}")


def _known_counts(ctx: Context, population: str) -> str:
    """What the sources do say for a population, for not-reported answers."""
    parts = []
    for category in RESPONSE_ORDER[:5]:
        fact = _category_fact(ctx, population, category)
        if fact is not None and fact.n is not None:
            parts.append(f"{fact.n} {category}")
    return ", ".join(parts)


def response_rate(ctx: Context, parse: Parse, question: str) -> Answer:
    threshold = parse.get("threshold", "PR")
    if threshold in BELOW_MR:
        return response_category(ctx, parse, question)
    if isinstance(threshold, str) and threshold.startswith("<"):
        return _below(ctx, parse, question, threshold[1:])
    population = _population(parse)
    categories = q.categories_at_or_above(threshold)
    rate = q.response_rate(
        ctx.store, population, categories, ctx.settings.ci_method, ctx.settings.level
    )
    name = THRESHOLD_NAMES.get(
        threshold, f"{CATEGORY_NAMES[threshold]} or better ({threshold} or better)"
    )
    label = POPULATION_LABELS[population]
    fact = ctx.store.fact(f"{FACT_PREFIX[population]}.{THRESHOLD_FACT.get(threshold, '-')}")
    parts_facts = [_category_fact(ctx, population, c) for c in categories]
    values = {**rate.values(), "population": population, "threshold": threshold}
    if fact is not None:
        text = f"{sentence_case(name)}: {rate_figure(rate)}, {label}. {published(fact, rate)}."
        return answer(parse, question, "answered", text, values, sources_for(fact))
    if all(f is not None and f.n is not None for f in parts_facts):
        # No published rate, but every category in it has a published count.
        sum_text = " + ".join(
            f"{f.n} {c}" for f, c in zip(parts_facts, categories, strict=True) if f
        )
        text = (
            f"{sentence_case(name)}: {rate_figure(rate)}, {label}. "
            f"Not published as a rate; "
            f"derived from the published counts ({sum_text} = {rate.n})."
        )
        return answer(parse, question, "answered", text, values, sources_for(*parts_facts))
    known = _known_counts(ctx, population)
    text = (
        f"The sources do not report {name} in {label} patients. "
        f"What is published for them: {known or 'no response counts'}."
    )
    return answer(
        parse,
        question,
        "not_reported",
        text,
        {"population": population},
        sources_for(*[f for f in parts_facts if f], records=False),
    )


def response_category(ctx: Context, parse: Parse, question: str) -> Answer:
    category = parse.get("category") or parse.get("threshold", "PR")
    population = _population(parse)
    label = POPULATION_LABELS[population]
    if category in BELOW_MR or category not in RESPONSE_ORDER:
        mr_plus = q.response_rate(ctx.store, population, q.categories_at_or_above("MR"))
        below = ctx.store.fact("efficacy.bor.below_mr") if population == "mITT" else None
        text = (
            f"The sources do not report how many had {CATEGORY_NAMES.get(category, category)}"
            f" ({category}). {mr_plus.n} of {mr_plus.N} ({label}) had a minimal response "
            f"or better; the other {mr_plus.N - mr_plus.n} had stable disease, progressive "
            "disease or were not evaluable, which the sources do not split."
        )
        return answer(
            parse,
            question,
            "not_reported",
            text,
            {
                "n_mr_or_better": mr_plus.n,
                "n_below_mr": mr_plus.N - mr_plus.n,
                "N": mr_plus.N,
                "population": population,
            },
            sources_for(below, ctx.store.fact("efficacy.cbr")),
        )
    fact = _category_fact(ctx, population, category)
    if fact is None or fact.n is None:
        text = (
            f"The sources do not report the number of {CATEGORY_NAMES[category]}s in "
            f"{label} patients. Published for them: "
            f"{_known_counts(ctx, population) or 'no response counts'}."
        )
        return answer(
            parse,
            question,
            "not_reported",
            text,
            {"population": population},
            sources_for(fact, records=False),
        )
    rate = q.response_rate(
        ctx.store, population, [category], ctx.settings.ci_method, ctx.settings.level
    )
    text = (
        f"{sentence_case(CATEGORY_NAMES[category])} ({category}): {rate_figure(rate)}, "
        f"{label}. {published(fact, rate)}."
    )
    if fact.note:
        text += f" Note: {fact.note}"
    return answer(
        parse,
        question,
        "answered",
        text,
        {**rate.values(), "population": population, "category": category},
        sources_for(fact),
    )


def response_breakdown(ctx: Context, parse: Parse, question: str) -> Answer:
    population = _population(parse)
    label = POPULATION_LABELS[population]
    members = ctx.store.population(population)
    rows: list[list[str]] = []
    values: dict[str, object] = {"population": population, "N": len(members)}
    bars: list[dict[str, object]] = []
    facts: list[StudyFact] = []
    unsplit = 0
    split = 0  # patients counted in a category of their own
    lines = []
    for category in RESPONSE_ORDER[:5]:
        fact = _category_fact(ctx, population, category)
        count = len(q.responders(ctx.store, population, [category]))
        if fact is None or fact.n is None:
            unsplit += count
            continue
        facts.append(fact)
        pct = 100 * count / len(members)
        rows.append(
            [
                category,
                CATEGORY_NAMES[category],
                str(count),
                f"{pct:.1f} %",
                f"{fact.n} ({fact.value} %)",
            ]
        )
        lines.append(f"{category} {count} ({pct:.1f} %)")
        values[category] = count
        split += count
        bars.append({"label": category, "value": count})
    rest = len(members) - split
    rest_label = "SD, PD or NE" if unsplit == 0 else "MR, SD, PD or NE"
    rows.append(
        [
            rest_label.replace(", ", "/").replace(" or ", "/"),
            "not split in the sources",
            str(rest),
            f"{100 * rest / len(members):.1f} %",
            "—",
        ]
    )
    lines.append(f"{rest_label} {rest} (not split in the sources)")
    values["not_split"] = rest
    bars.append(
        {
            "label": rest_label.replace(", ", "/").replace(" or ", "/"),
            "value": rest,
            "note": "not split in the sources",
        }
    )
    text = f"Best overall response, {label} (n = {len(members)}): " + "; ".join(lines) + "."
    markdown = f"**Best overall response, {label} (n = {len(members)})**\n\n" + table(
        ["", "category", "patients", "%", "published"], rows
    )
    chart = Chart(
        kind="bar",
        title=f"Best response, {label}",
        series=bars,
        x_label="category",
        y_label="patients",
    )
    return answer(
        parse,
        question,
        "answered",
        text,
        values,
        sources_for(*facts),
        markdown=markdown,
        chart=chart,
    )


def _below(ctx: Context, parse: Parse, question: str, threshold: str) -> Answer:
    """The complement of a threshold: "did not respond" = less than a partial response."""
    population = _population(parse)
    label = POPULATION_LABELS[population]
    categories = q.categories_at_or_above(threshold)
    reached = q.response_rate(ctx.store, population, categories)
    n_below = reached.N - reached.n
    rate = rate_ci(n_below, reached.N, ctx.settings.ci_method, ctx.settings.level)
    name = THRESHOLD_NAMES.get(threshold, f"{CATEGORY_NAMES[threshold]} or better")
    fact = ctx.store.fact(f"{FACT_PREFIX[population]}.{THRESHOLD_FACT.get(threshold, '-')}")
    parts = [_category_fact(ctx, population, c) for c in categories]
    values = {**rate.values(), "population": population, "threshold": f"<{threshold}"}
    if fact is not None and fact.n is not None:
        basis = f"{reached.N} − {fact.n} with {name}"
        facts: list[StudyFact | None] = [fact]
    elif all(f is not None and f.n is not None for f in parts):
        basis = f"{reached.N} − {reached.n} with {name} (from the published counts)"
        facts = list(parts)
    else:
        return answer(
            parse,
            question,
            "not_reported",
            f"The sources do not report {name} in {label} patients, so neither its complement.",
            {"population": population},
            sources_for(*parts, records=False),
        )
    text = (
        f"Did not reach {name}: {rate_figure(rate)}, {label}. Derived from published "
        f"counts: {basis} = {n_below}; not published as such."
    )
    return answer(parse, question, "answered", text, values, sources_for(*facts))
