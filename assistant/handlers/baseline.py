"""Baseline questions: who the patients were."""

from __future__ import annotations

from assistant.answer import Answer
from assistant.handlers.compose import not_reported_for_group
from assistant.handlers.context import Context
from assistant.handlers.figures import (
    answer,
    as_published,
    of_the,
    published_median,
    published_rate,
    sources_for,
    table,
)
from intents.schema import Parse
from knowledge import queries as q
from knowledge.models import StudyFact
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
    "renal": "renal function",
}
# The sources give baseline characteristics for the mITT only; for these groups a baseline
# figure is not reported (the counts of the groups themselves are).
GROUP_NAMES = {
    "penta": "the penta-refractory patients",
    "non_penta": "the patients who were not penta-refractory (the other 39)",
}
# The rows of the baseline overview ("baseline characteristics"), each answered as its own
# question: variable → (row label, fact id).
OVERVIEW_ROWS = {
    "population_size": ("Patients", "baseline.population_mitt"),
    "age": ("Median age", "baseline.age"),
    "diagnosis_years": ("Median time since diagnosis", "baseline.diagnosis_years"),
    "prior_regimens": ("Median prior regimens", "baseline.prior_regimens"),
    "unique_agents": ("Median unique anti-myeloma agents", "baseline.unique_agents"),
    "cytogenetics": ("High-risk cytogenetic abnormalities", "baseline.high_risk"),
    "refractory": ("Penta-refractory", "baseline.penta"),
}


def baseline(ctx: Context, parse: Parse, question: str) -> Answer:
    variable = parse.get("variable", "population_size")
    population = parse.get("population")
    if population in GROUP_NAMES and variable not in ("refractory", "population_size"):
        return _not_for_group(ctx, parse, question, GROUP_NAMES[population])
    if population == "safety" and variable != "population_size":
        # One treated patient is outside the mITT; the sources describe the mITT only.
        mitt = baseline(ctx, parse.with_slot("population", BASELINE_POPULATION), question)
        note = (
            f" The sources give baseline characteristics for the {POPULATION} "
            f"({len(ctx.store.population(POPULATION))} patients), not the safety population."
        )
        return mitt.model_copy(update={"text": mitt.text + note})
    if variable == "overview":
        return _overview(ctx, parse, question)
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


def _not_for_group(ctx: Context, parse: Parse, question: str, group: str) -> Answer:
    """A baseline figure asked for a subgroup: not reported, with the mITT's as context."""
    whole = baseline(ctx, parse.with_slot("population", BASELINE_POPULATION), question)
    missing = (
        f"The sources do not report baseline characteristics for {group}: they give them for "
        f"the whole {POPULATION} only."
    )
    return not_reported_for_group(parse, question, missing, whole, POPULATION)


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


def _overview(ctx: Context, parse: Parse, question: str) -> Answer:
    """The baseline characteristics as one table: each published figure beside what the
    reconstructed records hold, and what the sources do not report."""
    rows: list[list[str]] = []
    lines = ["Baseline characteristics (mITT, the published figure beside the records'):"]
    facts = []
    entries: list[dict[str, object]] = []
    for variable, (label, fact_id) in OVERVIEW_ROWS.items():
        fact = ctx.store.fact(fact_id)
        if fact is None:
            continue
        facts.append(fact)
        part = baseline(ctx, parse.with_slot("variable", variable), question)
        published = _published(ctx, variable, fact)
        records = _records_figure(part.values)
        rows.append([label, published, records])
        in_records = "not in them" if records == "—" else records
        lines.append(f"  {label}: published {published}; reconstructed records {in_records}.")
        entries.append({"variable": variable, "published": published, **part.values})
    missing = ", ".join(UNREPORTED.values())
    rows.append(["Not reported", missing, "—"])
    lines.append(f"  The sources do not report {missing}.")
    markdown = "**Baseline characteristics (mITT)**\n\n" + table(
        ["characteristic", "published", "reconstructed records"], rows
    )
    return answer(
        parse,
        question,
        "answered",
        "\n".join(lines),
        {"rows": entries, "not_reported": list(UNREPORTED)},
        sources_for(*facts),
        markdown=markdown,
    )


def _published(ctx: Context, variable: str, fact: StudyFact) -> str:
    if variable == "population_size":
        safety = ctx.store.fact("baseline.population_safety")
        return f"{fact.value} mITT" + (f"; {safety.value} safety" if safety else "")
    if variable == "refractory":
        return published_rate(fact)
    if fact.unit == "%":
        return f"{fact.value} %"
    text = published_median(fact)
    return text + (" (secondary source)" if fact.grade == "secondary" else "")


def _records_figure(values: dict[str, object]) -> str:
    """One row's figure in the records: "65 (range 40–86)", "83/122 (68.0 %)", "122; 123"."""
    if "median" in values and "min" in values:
        return (
            f"{values['median']:g} {values.get('unit', '')} "
            f"(range {values['min']:g}–{values['max']:g})"
        )
    if "rate" in values:
        return f"{values['n']}/{values['N']} ({100 * float(str(values['rate'])):.1f} %)"
    if "mITT" in values:
        return f"{values['mITT']} mITT; {values['safety']} safety"
    return "—"
