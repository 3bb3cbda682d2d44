"""Baseline questions: who the patients were."""

from __future__ import annotations

from assistant.answer import Answer
from assistant.handlers.context import Context
from assistant.handlers.figures import answer, as_published, of_the, published_rate, sources_for
from intents.schema import Parse
from knowledge import queries as q
from knowledge.stats import median_range

# variable → (fact id, ADSL field or None, unit)
MEDIANS = {
    "age": ("baseline.age", "AGE", "years"),
    "diagnosis_years": ("baseline.diagnosis_years", "DIAGYRS", "years"),
    "prior_regimens": ("baseline.prior_regimens", "PRIORREG", "regimens"),
}
NAMES = {
    "age": "Median age",
    "diagnosis_years": "Median time since diagnosis",
    "prior_regimens": "Median number of prior regimens",
}
# Every baseline figure is the mITT's (published_facts.md section 3, "mITT unless stated"):
# one population, named in every answer, so no answer mixes 122 and 123.
BASELINE_POPULATION = "mITT"
POPULATION = "mITT"
UNREPORTED = {
    "sex": "sex",
    "race": "race",
    "ecog": "ECOG performance status",
    "iss": "ISS stage",
    "transplant": "prior transplant",
}


def baseline(ctx: Context, parse: Parse, question: str) -> Answer:
    variable = parse.get("variable", "population_size")
    if variable in MEDIANS:
        return _median(ctx, parse, question, variable)
    if variable == "cytogenetics":
        return _cytogenetics(ctx, parse, question)
    if variable == "unique_agents":
        fact = ctx.store.fact("baseline.unique_agents")
        if fact is not None:
            return answer(
                parse,
                question,
                "answered",
                fact.text,
                {"median": fact.value},
                sources_for(fact, records=False),
            )
    if variable == "refractory" or parse.get("population") == "penta":
        return _refractory(ctx, parse, question)
    if variable in UNREPORTED:
        fact = ctx.store.fact("not_reported.baseline")
        text = f"The sources do not report {UNREPORTED[variable]}."
        if fact is not None:
            text += f" Not reported at all: {fact.value}."
        return answer(
            parse, question, "not_reported", text, sources=sources_for(fact, records=False)
        )
    return _population_size(ctx, parse, question)


def _cytogenetics(ctx: Context, parse: Parse, question: str) -> Answer:
    """High-risk cytogenetics over the mITT (122), like every baseline figure: the sources
    give 53 % for the patients whose other characteristics they give (published_facts.md
    section 3, "mITT unless stated")."""
    fact = ctx.store.fact("baseline.high_risk")
    rate = q.flag_count(ctx.store, "HIGHRISK", BASELINE_POPULATION)
    published = f"{fact.value} %" if fact is not None and fact.value is not None else "?"
    text = (
        f"High-risk cytogenetic abnormalities: {rate.n} of {rate.N} ({100 * rate.rate:.1f} "
        f"%), {POPULATION}, in the reconstructed records. Published: {published} of the "
        f"{rate.N} {POPULATION} patients; the count is derived from that percentage. The "
        "individual abnormalities are not reported."
    )
    return answer(
        parse,
        question,
        "answered",
        text,
        {"n": rate.n, "N": rate.N, "rate": round(rate.rate, 4), "population": BASELINE_POPULATION},
        sources_for(fact),
    )


def _median(ctx: Context, parse: Parse, question: str, variable: str) -> Answer:
    fact_id, field, unit = MEDIANS[variable]
    fact = ctx.store.fact(fact_id)
    values = q.baseline_values(ctx.store, field, BASELINE_POPULATION)
    median, low, high = median_range(values)
    text = (
        f"{NAMES[variable]}: {median:g} {unit} (range {low:g}–{high:g}), {POPULATION} "
        f"(n = {len(values)})."
    )
    if fact is not None:
        text += f" {as_published(fact.text)}"
    return answer(
        parse,
        question,
        "answered",
        text,
        {
            "median": median,
            "min": low,
            "max": high,
            "unit": unit,
            "N": len(values),
            "population": BASELINE_POPULATION,
        },
        sources_for(fact),
    )


def _refractory(ctx: Context, parse: Parse, question: str) -> Answer:
    fact = ctx.store.fact("baseline.penta")
    definition = ctx.store.fact("design.triple_class_refractory")
    rate = q.flag_count(ctx.store, "PENTAFL", BASELINE_POPULATION)
    text = (
        f"All {rate.N} mITT patients were triple-class refractory (an entry criterion). "
        f"Penta-refractory: {rate.n} of {rate.N} ({100 * rate.rate:.1f} %), {POPULATION}."
    )
    if fact is not None:
        text += f" {as_published(fact.text)}"
    if definition is not None:
        text += f" {definition.text}"
    return answer(
        parse,
        question,
        "answered",
        text,
        {"n": rate.n, "N": rate.N, "rate": round(rate.rate, 4), "population": BASELINE_POPULATION},
        sources_for(fact, definition),
    )


def _population_size(ctx: Context, parse: Parse, question: str) -> Answer:
    mitt, safety = ctx.store.population("mITT"), ctx.store.population("safety")
    facts = [
        ctx.store.fact("baseline.population_mitt"),
        ctx.store.fact("baseline.population_safety"),
    ]
    text = (
        f"{len(safety)} patients were treated (the safety population, used for adverse "
        f"events); {len(mitt)} form the modified intention-to-treat population used for "
        "efficacy."
    )
    penta = ctx.store.fact("baseline.penta")
    if penta is not None:
        share = (
            published_rate(penta) + " of them" if penta.n is None else of_the(penta.n, len(mitt))
        )
        text += f" {share[0].upper()}{share[1:]} were penta-refractory."
    return answer(
        parse,
        question,
        "answered",
        text,
        {"mITT": len(mitt), "safety": len(safety)},
        sources_for(*facts),
    )
