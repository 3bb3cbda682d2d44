"""Time-to-event questions: PFS, OS (overall and by response), duration of response, time to
response and duration of treatment.

PFS, OS and DOR are Kaplan–Meier medians; time to response and duration of treatment are the
simple medians and ranges the sources report.
"""

from __future__ import annotations

from assistant.answer import Answer, Chart
from assistant.handlers.compose import not_reported_for_group
from assistant.handlers.context import Context
from assistant.handlers.figures import (
    POPULATION_LABELS,
    answer,
    as_published,
    known_figures,
    level_text,
    median_figure,
    published_median,
    sentence_case,
    sources_for,
    table,
)
from intents.schema import Parse
from knowledge import queries as q
from knowledge.models import TTE_PARAMS, StudyFact

NAMES = {
    "PFS": "progression-free survival",
    "OS": "overall survival",
    "DOR": "duration of response",
    "TTR": "time to response",
    "TRTDUR": "duration of treatment",
}
KAPLAN_MEIER = ("PFS", "OS", "DOR")
GROUP_NAMES = {
    "PR": "patients with a partial response or better",
    "MR": "patients with a minimal response or better",
    "VGPR": "patients with a very good partial response or better",
    "sCR": "patients with a stringent complete response",
    "CR": "patients with a complete response or better",
    "<PR": "patients without a response (less than a partial response)",
    "<MR": "patients without clinical benefit (less than a minimal response)",
    "SD": "patients with stable disease",
    "PD": "patients with progressive disease",
    "NE": "patients who were not evaluable",
    "non_penta": "the other 39 (not penta-refractory)",
}
# Endpoints people ask for that the sources do not report, and what to say instead.
UNREPORTED = {
    "TTP": "time to progression (they report progression-free survival)",
    "FOLLOWUP": "the median duration of follow-up",
    "EFS": "event-free survival",
    "TTNT": "time to next treatment",
}
# (endpoint, population, response group) → the published fact.
PUBLISHED = {
    ("PFS", "mITT", None): "efficacy.pfs",
    ("OS", "mITT", None): "efficacy.os",
    ("OS", "mITT", "PR"): "efficacy.os.pr_or_better",
    ("OS", "mITT", "MR"): "efficacy.os.mr_or_better",
    ("DOR", "mITT", None): "efficacy.dor",
    ("DOR", "penta", None): "penta.dor",
    ("TTR", "mITT", None): "efficacy.ttr",
    ("TTR", "penta", None): "penta.ttr",
    ("TRTDUR", "mITT", None): "efficacy.trtdur",
}


def _subjects(ctx: Context, endpoint: str, population: str, group: str | None) -> list[str]:
    if endpoint == "TRTDUR":
        # Treatment duration is published over everyone treated (the safety population).
        return list(ctx.store.population("safety" if population == "mITT" else population))
    if endpoint in ("DOR", "TTR"):
        return q.responders(ctx.store, population, q.categories_at_or_above("PR"))
    if group is not None:
        return q.responders(ctx.store, population, q.categories_at_or_above(group))
    return list(ctx.store.population(population))


def tte_median(ctx: Context, parse: Parse, question: str) -> Answer:
    endpoint = parse.get("endpoint", "PFS")
    if endpoint == "ALL":
        return _overview(ctx, parse, question)
    if endpoint in UNREPORTED:
        known = [
            ctx.store.fact(fid)
            for key, fid in PUBLISHED.items()
            if key[1:] == ("mITT", None) and key[0] in ("PFS", "OS")
        ]
        known_text = known_figures((f.label, published_median(f)) for f in known if f)
        return answer(
            parse,
            question,
            "not_reported",
            f"The sources do not report {UNREPORTED[endpoint]}."
            + (f" Published: {known_text}." if known_text else ""),
            {"endpoint": endpoint},
            sources_for(*known, records=False),
        )
    population = parse.get("population", "mITT")
    population = "mITT" if population == "safety" else population
    group = parse.get("response_group") if endpoint in ("OS", "PFS") else None
    name = NAMES[endpoint]
    who = GROUP_NAMES.get(group or "", POPULATION_LABELS[population])
    if endpoint == "TRTDUR":
        who = "all treated patients (safety population)" if population == "mITT" else who
    elif endpoint in ("DOR", "TTR"):
        who = f"responders (partial response or better), {who}"
    fact_id = PUBLISHED.get((endpoint, population, group))
    fact = ctx.store.fact(fact_id) if fact_id else None
    if fact is None:
        return _not_reported(ctx, parse, question, endpoint, who)
    subjects = _subjects(ctx, endpoint, population, group)
    unit = TTE_PARAMS[endpoint]
    if endpoint in KAPLAN_MEIER:
        return _kaplan_meier(ctx, parse, question, endpoint, subjects, fact, who)
    median, low, high = q.observed_median(ctx.store, endpoint, subjects)
    text = (
        f"Median {name}, {who}: {median:.1f} {unit} (range {low:g}–{high:g}; "
        f"n = {len(subjects)}). Published: {published_median(fact)}."
    )
    values: dict[str, object] = {
        "median": median,
        "min": low,
        "max": high,
        "n": len(subjects),
        "unit": unit,
        "endpoint": endpoint,
        "method": "observed median and range",
    }
    if endpoint == "TRTDUR":
        ongoing = ctx.store.fact("efficacy.disposition.ongoing")
        still = sum(1 for sid in subjects if ctx.store.tte["TRTDUR"][sid].CNSR == 1)
        values["ongoing"] = still
        text += f" {still} were still on treatment at last follow-up."
        if ongoing is not None:
            text += f" {as_published(ongoing.text)}"
        return answer(parse, question, "answered", text, values, sources_for(fact, ongoing))
    return answer(parse, question, "answered", text, values, sources_for(fact))


def _kaplan_meier(
    ctx: Context,
    parse: Parse,
    question: str,
    endpoint: str,
    subjects: list[str],
    fact: StudyFact,
    who: str,
) -> Answer:
    level = ctx.settings.level
    median = q.tte_median(ctx.store, endpoint, subjects, level)
    unit = TTE_PARAMS[endpoint]
    published_ci = fact.ci_low is not None
    standard_level = abs(level - 0.95) < 1e-9
    # An interval is shown only where the sources publish one: the reconstructed times were
    # built to reproduce the published interval, so at another level it is illustrative, and
    # where none is published (PFS, OS) any interval from them would be an artefact.
    with_ci = published_ci
    text = (
        f"Median {NAMES[endpoint]}, {who}: {median_figure(median, unit, with_ci)} "
        f"(Kaplan–Meier, n = {median.n}, {median.events} events). "
        f"Published: {published_median(fact)}."
    )
    illustrative = published_ci and not standard_level
    if not published_ci:
        text += " The sources give no confidence interval for this median"
        text += (
            "."
            if standard_level
            else f", so none is given at {level_text(level)}: one "
            "from the reconstructed records would only reflect how they were built."
        )
    elif illustrative:
        text += (
            f" The {level_text(level)} interval comes from the reconstructed records "
            "and is illustrative — not a published figure."
        )
    values = {**median.values(), "unit": unit, "endpoint": endpoint}
    if not with_ci:
        values.pop("ci_low")
        values.pop("ci_high")
    curve = q.tte_curve(ctx.store, endpoint, subjects)
    chart = Chart(
        kind="km",
        title=f"{sentence_case(NAMES[endpoint])}, {who} (reconstructed records)",
        series=[
            {
                "label": who,
                "times": list(curve.times),
                "survival": list(curve.survival),
                # For the censor marks and the numbers at risk under the time axis.
                "censored": list(curve.censor_times),
                "follow_up": q.tte_values(ctx.store, endpoint, subjects),
            }
        ],
        x_label=unit,
        y_label="probability",
    )
    return answer(
        parse,
        question,
        "answered",
        text,
        values,
        sources_for(fact, illustrative=illustrative),
        chart=chart,
    )


def _not_reported(ctx: Context, parse: Parse, question: str, endpoint: str, who: str) -> Answer:
    known = [ctx.store.fact(fid) for key, fid in PUBLISHED.items() if key[0] == endpoint]
    known_text = known_figures((f.label, published_median(f)) for f in known if f is not None)
    text = f"The sources do not report {NAMES[endpoint]} for {who}." + (
        f" Published: {known_text}." if known_text else ""
    )
    return answer(
        parse,
        question,
        "not_reported",
        text,
        {"endpoint": endpoint},
        sources_for(*known, records=False),
    )


def _overview(ctx: Context, parse: Parse, question: str) -> Answer:
    """Every published time-to-event result for the population asked (the mITT unless one is
    named) as one table, each answered as its own question: the published median beside the
    reconstructed records' one, then the endpoints the sources do not report."""
    population = parse.get("population", "mITT")
    population = "mITT" if population == "safety" else population
    rows: list[list[str]] = []
    lines = [f"Time-to-event results, {POPULATION_LABELS[population]}:"]
    facts: list[StudyFact] = []
    entries: list[dict[str, object]] = []
    for (endpoint, where, group), fact_id in PUBLISHED.items():
        fact = ctx.store.fact(fact_id)
        if where != population or fact is None:
            continue
        part = tte_median(ctx, _row(parse, endpoint, group), question)
        facts.append(fact)
        records = _records_median(part.values)
        rows.append([fact.label, published_median(fact), records])
        lines.append(
            f"  {fact.label}: published {published_median(fact)}; reconstructed records {records}."
        )
        entries.append({"endpoint": endpoint, "response_group": group, **part.values})
    if not rows and population != "mITT":
        whole = _overview(ctx, parse.with_slot("population", "mITT"), question)
        group = GROUP_NAMES.get(population, POPULATION_LABELS[population] + " patients")
        missing = f"The sources do not report time-to-event results for {group}."
        return not_reported_for_group(
            parse, question, missing, whole, "mITT", markdown=whole.markdown
        )
    shown = {str(e["endpoint"]) for e in entries}
    absent = [NAMES[e] for e in ("PFS", "OS", "DOR", "TTR") if e not in shown]
    missing = "; ".join(
        ([f"{' or '.join(absent)} for this group"] if absent else [])
        + [UNREPORTED[e] for e in ("TTP", "FOLLOWUP")]
    )
    rows.append(["Not reported", missing, "—"])
    lines.append(f"  The sources do not report {missing}.")
    markdown = f"**Time-to-event results, {POPULATION_LABELS[population]}**\n\n" + table(
        ["median", "published", "reconstructed records"], rows
    )
    return answer(
        parse,
        question,
        "answered",
        "\n".join(lines),
        {"population": population, "rows": entries},
        sources_for(*facts),
        markdown=markdown,
    )


def _row(parse: Parse, endpoint: str, group: str | None) -> Parse:
    row = parse.with_slot("endpoint", endpoint)
    if group is None:
        return row.model_copy(
            update={"slots": {k: v for k, v in row.slots.items() if k != "response_group"}}
        )
    return row.with_slot("response_group", group)


def _records_median(values: dict[str, object]) -> str:
    """ "3.7 months (Kaplan–Meier, n = 122, 95 events)"; "4.1 weeks (range 1–14, n = 32)"."""
    unit = values.get("unit", "")
    if "events" in values:
        median = values.get("median")
        figure = "not reached" if median is None else f"{float(str(median)):.1f} {unit}"
        return f"{figure} (Kaplan–Meier, n = {values['n']}, {values['events']} events)"
    if "median" in values:
        return (
            f"{float(str(values['median'])):.1f} {unit} (range {values['min']:g}–"
            f"{values['max']:g}, n = {values['n']})"
        )
    return "—"
