"""Safety questions: incidence by term and grade, bleeding, deaths, dose changes, top events.

Adverse events are counted once per patient and term at the worst grade, over the safety
population (123). A grade band is answered only where the sources publish it or it follows by
arithmetic from what they publish; otherwise the answer says what is known.
"""

from __future__ import annotations

from assistant.answer import Answer, Chart
from assistant.handlers.ae_overview import ae_table as ae_table  # the intents data names it here
from assistant.handlers.ae_overview import asks_grade3_or_higher, ranked_table, term_facts
from assistant.handlers.context import Context
from assistant.handlers.figures import (
    answer,
    as_published,
    grade_words,
    of_the,
    published,
    rate_figure,
    sources_for,
    table,
)
from intents.schema import Parse
from knowledge import queries as q
from knowledge.models import AE_BANDS, StudyFact
from knowledge.stats import rate_ci

# The published bands, and the one derived from them (any grade minus grade 3–4).
GRADE_KEY_LABEL = {**{key: band.label for key, band in AE_BANDS.items()}, "g12": "grade 1–2"}


def _grade_key(op: str, low: int | None, high: int | None) -> str | None:
    """The published band a threshold corresponds to, or None if no source publishes it.

    No reconstructed term has grade-5 rows except the fatal ones, so "grade 3 or higher" is
    the published "grade 3–4" band."""
    if op == "any" or (op == "ge" and (low or 1) <= 1):
        return "any"
    if op == "eq" and low in (3, 4):
        return f"g{low}"
    if (op == "ge" and low == 3) or (op == "between" and (low, high) == (3, 4)):
        return "g34"
    if op == "ge" and low == 4:
        return "g4"
    if op == "between" and (low, high) == (1, 2):
        return "g12"
    return None


def _known(ctx: Context, term: str) -> str:
    """Everything published about a term, as a clause."""
    facts = term_facts(ctx, term)
    parts = []
    recorded = term in ctx.store.adverse_events
    for key, fact in facts.items():
        band = AE_BANDS.get(key)
        if band is not None and recorded:
            rate = q.ae_rate(ctx.store, term, band.op, band.low, band.high)
            parts.append(
                f"{band.label} {rate.n} of {rate.N} "
                f"({100 * rate.rate:.1f} %; published {fact.value} %)"
            )
        else:
            parts.append(f"{GRADE_KEY_LABEL.get(key, key)} {fact.value} %")
    return "; ".join(parts)


def ae_incidence(ctx: Context, parse: Parse, question: str) -> Answer:
    term = parse.get("term")
    op = parse.get("grade_op", "any")
    low, high = parse.get("grade_low"), parse.get("grade_high")
    population = parse.get("population", "safety")
    if parse.get("serious") and term in (None, q.ANY_EVENT):
        return _serious(ctx, parse, question)
    if term is None and parse.get("term_text"):
        return _not_in_records(ctx, parse, question, str(parse.get("term_text")))
    if term is None:
        return answer(
            parse,
            question,
            "clarify",
            'Which adverse event? For example: "How many had thrombocytopenia?", '
            '"grade 3 or higher anaemia", "How common was fatigue?"',
        )
    if term == q.ANY_EVENT:
        return _any_event(ctx, parse, question, op, low, high)
    if term == "Haemorrhage":
        return ae_bleeding(ctx, parse, question)
    if population not in ("safety", "mITT"):
        return answer(
            parse,
            question,
            "not_reported",
            f"The sources do not report adverse events by subgroup. In the whole "
            f"safety population: {_known(ctx, term) or 'no figures'}.",
            sources=sources_for(*term_facts(ctx, term).values(), records=False),
        )
    band = grade_words(op, low, high)
    if op == "eq" and low == 5 or op == "ge" and low == 5:
        return ae_deaths(ctx, parse, question)
    min_grade = ctx.store.meta.ae_min_grade.get(term)
    facts = term_facts(ctx, term)
    if term not in ctx.store.adverse_events:
        said = parse.slots["term"].text if "term" in parse.slots else None
        words = (
            term if not said or said.lower() == term.lower() else f"{said.strip()} ({term.lower()})"
        )
        return _not_in_records(ctx, parse, question, term, words)
    if min_grade == 5:
        return answer(
            parse,
            question,
            "not_reported",
            f"The sources report {term.lower()} only as a cause of death: "
            f"{_fatal_clause(ctx, term)}. No incidence of {term.lower()} "
            "is published.",
            sources=sources_for(ctx.store.fact("safety.deaths.related"), records=False),
        )
    lowest_asked = 1 if op == "any" else (low or 1)
    if min_grade is not None and lowest_asked < min_grade:
        return answer(
            parse,
            question,
            "not_reported",
            f"The sources do not report {band} {term.lower()}: only grade "
            f"{min_grade} or higher is published. Known: {_known(ctx, term)}.",
            sources=sources_for(*facts.values(), records=False),
        )
    key = _grade_key(op, low, high)
    rate = q.ae_rate(
        ctx.store, term, op, low, high, "safety", ctx.settings.ci_method, ctx.settings.level
    )
    values = {**rate.values(), "term": term, "grade": band, "population": "safety"}
    lead = f"{term}, {band}: {rate_figure(rate)}, safety population."
    if key in facts:
        text = f"{lead} {published(facts[key], rate)}."
        return answer(
            parse,
            question,
            "answered",
            text,
            values,
            sources_for(facts[key]),
            chart=_grade_chart(ctx, term),
        )
    if key == "g34" and "g3" in facts and "g4" not in facts:
        # Only grade 3 is published for this term: the records carry no grade 4 rows, so the
        # count is the grade-3 one, and the answer says grade 4 is not reported.
        text = (
            f"{lead} Published: grade 3 in {facts['g3'].value} %; grade 4 "
            f"{term.lower()} is not reported in the sources."
        )
        return answer(parse, question, "answered", text, values, sources_for(facts["g3"]))
    if key == "g34" and "g3" in facts and "g4" in facts:
        text = (
            f"{lead} Not published as one figure; the sum of the published grade 3 "
            f"({facts['g3'].value} %) and grade 4 ({facts['g4'].value} %)."
        )
        return answer(
            parse, question, "answered", text, values, sources_for(facts["g3"], facts["g4"])
        )
    if key == "g4" and "g34" in facts and "g3" in facts and "g4" not in facts:
        text = (
            f"{lead} Not published as such: derived as grade 3–4 ({facts['g34'].value} %) "
            f"minus grade 3 ({facts['g3'].value} %)."
        )
        return answer(
            parse, question, "answered", text, values, sources_for(facts["g34"], facts["g3"])
        )
    if key == "g12" and "any" in facts and "g34" in facts:
        text = (
            f"{lead} Not published as such: derived as any grade ({facts['any'].value} %) "
            f"minus grade 3–4 ({facts['g34'].value} %)."
        )
        return answer(
            parse, question, "answered", text, values, sources_for(facts["any"], facts["g34"])
        )
    return answer(
        parse,
        question,
        "not_reported",
        f"The sources do not report {band} {term.lower()}. "
        f"Known: {_known(ctx, term) or 'no figures'}.",
        sources=sources_for(*facts.values(), records=False),
    )


def _not_in_records(
    ctx: Context, parse: Parse, question: str, term: str, words: str | None = None
) -> Answer:
    """No count of the event in the records: what the sources say of it, if anything."""
    said = (words or term).lower()
    slug = term.lower().replace(" ", "_")
    fact = ctx.store.fact(f"safety.{slug}")
    if fact is not None:
        return answer(
            parse,
            question,
            "not_reported",
            f"No count of {said} is published. {fact.text}",
            sources=sources_for(fact, records=False),
        )
    terms = ", ".join(sorted({f.id.split(".")[2] for f in ctx.store.facts_under("safety.ae.")}))
    return answer(
        parse,
        question,
        "not_reported",
        f"The sources give no figure for {said}. Adverse events with published figures: {terms}.",
    )


def _serious(ctx: Context, parse: Parse, question: str) -> Answer:
    """Serious adverse events as a whole are not counted in the sources; the serious events
    they do count are the grade >= 3 bleeds and the deaths."""
    facts = [ctx.store.fact(i) for i in ("safety.bleeding.ge3", "safety.deaths.ae")]
    known = " ".join(f.text for f in facts if f is not None)
    return answer(
        parse,
        question,
        "not_reported",
        "The sources do not report how many patients had serious adverse events. "
        f"What they do report: {known}",
        sources=sources_for(*facts, records=False),
    )


def _fatal_clause(ctx: Context, term: str) -> str:
    fatal = [(sid, rel) for sid, name, rel in q.fatal_events(ctx.store) if name == term]
    related = sum(1 for _, rel in fatal if rel)
    return f"{len(fatal)} fatal {term.lower()} event(s)" + (
        ", judged treatment-related" if related else ""
    )


def _any_event(
    ctx: Context, parse: Parse, question: str, op: str, low: int | None, high: int | None
) -> Answer:
    fact = ctx.store.fact("safety.any_g34")
    if op in ("ge", "between") and low == 3 and fact is not None:
        hits = q.any_grade34_subjects(ctx.store)
        rate = rate_ci(
            len(hits),
            len(ctx.store.population("safety")),
            ctx.settings.ci_method,
            ctx.settings.level,
        )
        discrepancy = ctx.store.fact("discrepancy.any_g34")
        text = (
            f"Any grade 3–4 adverse event: {rate_figure(rate)}, safety population. "
            f"Published: {fact.value} %."
        )
        if discrepancy is not None:
            text += f" Sources differ: {discrepancy.text}"
        return answer(
            parse,
            question,
            "answered",
            text,
            {**rate.values(), "term": "any", "grade": "grade 3–4"},
            sources_for(fact, discrepancy),
        )
    known = f" Published: any grade 3–4 adverse event in {fact.value} %." if fact else ""
    return answer(
        parse,
        question,
        "not_reported",
        f"The sources do not report the number of patients with "
        f"{grade_words(op, low, high)} adverse events of any kind.{known}",
        sources=sources_for(fact, records=False),
    )


def _grade_chart(ctx: Context, term: str) -> Chart | None:
    grades = ctx.store.worst_grades(term)
    if not grades:
        return None
    counts = [sum(1 for g in grades.values() if g == grade) for grade in range(1, 6)]
    # The sources publish no grade 1 or grade 2 count for any term (at most "typically grade
    # 1 or 2"): how the reconstructed records split them is illustrative.
    series: list[dict[str, object]] = [
        {
            "label": f"G{grade}",
            "value": count,
            **({"note": "G1/G2 split not published: illustrative"} if grade <= 2 else {}),
        }
        for grade, count in zip(range(1, 6), counts, strict=True)
        if count
    ]
    n = len(ctx.store.population("safety"))
    return Chart(
        kind="bar",
        title=f"{term}: patients by worst grade (n = {n})",
        series=series,
        x_label="worst grade",
        y_label="patients",
    )


def ae_bleeding(ctx: Context, parse: Parse, question: str) -> Answer:
    fact = ctx.store.fact("safety.bleeding.ge3")
    bleeders = q.ae_subjects(ctx.store, "Haemorrhage", "ge", 3)
    thrombo = ctx.store.worst_grades("Thrombocytopenia")
    with_thrombo = sum(1 for sid in bleeders if sid in thrombo)
    rate = rate_ci(
        len(bleeders),
        len(ctx.store.population("safety")),
        ctx.settings.ci_method,
        ctx.settings.level,
    )
    text = (
        f"Clinically significant (grade ≥3) bleeding: {rate_figure(rate)}, safety "
        f"population; {of_the(with_thrombo, len(bleeders))} had thrombocytopenia."
    )
    if fact is not None:
        text += f" {as_published(fact.text)}"
    return answer(
        parse,
        question,
        "answered",
        text,
        {**rate.values(), "with_thrombocytopenia": with_thrombo},
        sources_for(fact),
    )


def ae_deaths(ctx: Context, parse: Parse, question: str) -> Answer:
    """Deaths from adverse events (published); deaths of any cause are not reported, so a
    question about them gets the adverse-event deaths as what is known, not as its answer."""
    answered = _ae_deaths(ctx, parse, question)
    if parse.get("cause", "adverse_event") != "any":
        return answered
    return answered.model_copy(
        update={
            "status": "not_reported",
            "text": "The sources do not report how many patients died of any cause (the total "
            f"number of deaths). What they report: {answered.text}",
        }
    )


def _ae_deaths(ctx: Context, parse: Parse, question: str) -> Answer:
    fatal = q.fatal_events(ctx.store)
    related = [term for _, term, rel in fatal if rel]
    facts = [
        ctx.store.fact(i)
        for i in ("safety.deaths.ae", "safety.deaths.related", "discrepancy.deaths")
    ]
    rate = rate_ci(
        len(fatal), len(ctx.store.population("safety")), ctx.settings.ci_method, ctx.settings.level
    )
    text = (
        f"Deaths from adverse events: {rate_figure(rate)}, safety population; "
        f"{len(related)} judged treatment-related ({', '.join(t.lower() for t in related)})."
        " The causes of the other deaths are not reported."
    )
    published = facts[0]
    if published is not None:
        text += f" {as_published(published.text)}"
    if facts[2] is not None:
        text += f" Sources differ: {facts[2].text}"
    return answer(
        parse,
        question,
        "answered",
        text,
        {
            **rate.values(),
            "treatment_related": len(related),
            "related_causes": [t.lower() for t in related],
        },
        sources_for(*facts),
    )


ACTION_FACTS = {
    ("discontinuation", None): "safety.discontinued_ae",
    ("dose_modification", None): "safety.dose_adjusted",
    ("dose_modification", "Thrombocytopenia"): "safety.dose_mod.thrombocytopenia",
    ("dose_modification", "Fatigue"): "safety.dose_mod.fatigue",
}
ACTION_LABEL = {
    "discontinuation": "Discontinued treatment for adverse events",
    "dose_modification": "Needed a dose adjustment",
}


def ae_action(ctx: Context, parse: Parse, question: str) -> Answer:
    action = parse.get("action", "discontinuation")
    term = parse.get("term")
    fact_id = ACTION_FACTS.get((action, term))
    fact = ctx.store.fact(fact_id) if fact_id else None
    label = ACTION_LABEL.get(action, ACTION_LABEL["discontinuation"])
    if term is not None:
        label = (
            f"Dose modified or interrupted for {term.lower()}"
            if action == "dose_modification"
            else f"Discontinued for {term.lower()}"
        )
    if fact is None:
        return answer(
            parse,
            question,
            "not_reported",
            "The sources do not report that. What they report: "
            + " ".join(
                f.text for f in (ctx.store.fact(i) for i in ACTION_FACTS.values()) if f is not None
            ),
            sources=sources_for(records=False),
        )
    subjects = q.action_subjects(ctx.store, action, term)
    rate = rate_ci(
        len(subjects),
        len(ctx.store.population("safety")),
        ctx.settings.ci_method,
        ctx.settings.level,
    )
    text = f"{label}: {rate_figure(rate)}, safety population. Published: {fact.value} %."
    discrepancy = (
        ctx.store.fact("discrepancy.discontinuation") if action == "discontinuation" else None
    )
    if discrepancy is not None:
        text += f" Sources differ: {discrepancy.text}"
    stopped = (
        ctx.store.fact("efficacy.disposition.discontinued")
        if action == "discontinuation" and term is None
        else None
    )
    if stopped is not None:
        # "How many stopped treatment?" may mean for any reason: say that figure too.
        text += f" For any reason: {stopped.text}"
    return answer(
        parse,
        question,
        "answered",
        text,
        {**rate.values(), "action": action, "term": term},
        sources_for(fact, discrepancy, stopped),
    )


def ae_top(ctx: Context, parse: Parse, question: str) -> Answer:
    """The most common events, ranked by the published figure for the band asked; "all grade
    3+ AEs" (no number asked) is every event, by grade band, the most frequent first."""
    severe = asks_grade3_or_higher(parse)
    if severe and "top_n" not in parse.slots:
        return ranked_table(ctx, parse, question).model_copy(update={"intent": parse.intent})
    top_n = max(1, min(int(parse.get("top_n", 5) or 5), 20))
    key_order = ("g34", "g3") if severe else ("any",)
    ranked: list[tuple[float, str, str, StudyFact]] = []
    for term in ctx.store.ae_terms:
        facts = term_facts(ctx, term)
        for key in key_order:
            value = facts[key].value if key in facts else None
            if isinstance(value, int | float):
                ranked.append((float(value), term, key, facts[key]))
                break
    ranked.sort(key=lambda item: (-item[0], item[1]))
    ranked = ranked[:top_n]
    if not ranked:
        return answer(parse, question, "not_reported", "No adverse-event figures are published.")
    rows, lines, bars = [], [], []
    for _, term, key, fact in ranked:
        band = AE_BANDS[key]
        rate = q.ae_rate(ctx.store, term, band.op, band.low, band.high)
        rows.append(
            [
                term,
                GRADE_KEY_LABEL[key],
                f"{rate.n}/{rate.N}",
                f"{100 * rate.rate:.1f} %",
                f"{fact.value} %",
            ]
        )
        lines.append(
            f"{term.lower()} {rate.n}/{rate.N} ({100 * rate.rate:.1f} %; "
            f"published {fact.value} %, {GRADE_KEY_LABEL[key]})"
        )
        bars.append({"label": term, "value": rate.n})
    what = "grade 3 or higher" if severe else "any grade"
    text = f"Most common adverse events ({what}), safety population: " + "; ".join(lines) + "."
    common = ctx.store.fact("safety.common_low_grade")
    if not severe and common is not None:
        text += f" {common.text}"
    if not severe:
        listed = {term for _, term, _, _ in ranked}
        only_severe = [
            t.lower() for t in ctx.store.ae_terms if t not in listed and "g3" in term_facts(ctx, t)
        ]
        if only_severe:
            # Why the list is short: the other events are published at grade 3 or higher only.
            text += (
                " The sources give any-grade figures only for these; "
                f"{', '.join(only_severe)} are published at grade 3 or higher only "
                '(ask for "all grade 3 or higher adverse events").'
            )
    n = len(ctx.store.population("safety"))
    markdown = f"**Most common adverse events ({what}), safety population (n = {n})**\n\n" + table(
        ["event", "grade", "patients", "%", "published"], rows
    )
    chart = Chart(
        kind="bar",
        title=f"Most common adverse events ({what})",
        series=bars,
        x_label="event",
        y_label="patients",
    )
    return answer(
        parse,
        question,
        "answered",
        text,
        {"events": [{"term": t, "band": k, "published_pct": v} for v, t, k, _ in ranked]},
        sources_for(*[f for *_, f in ranked], common),
        markdown=markdown,
        chart=chart,
    )


def disposition(ctx: Context, parse: Parse, question: str) -> Answer:
    """Treatment status for any reason: discontinued, or still on treatment."""
    status = parse.get("status", "discontinued")
    key = "ongoing" if status == "ongoing" else "discontinued"
    fact = ctx.store.fact(f"efficacy.disposition.{key}")
    other = ctx.store.fact(
        "efficacy.disposition." + ("discontinued" if key == "ongoing" else "ongoing")
    )
    if fact is None or fact.n is None:
        return answer(
            parse, question, "not_reported", "The study store in use holds no disposition figures."
        )
    n_safety = len(ctx.store.population("safety"))
    rate = rate_ci(fact.n, n_safety, ctx.settings.ci_method, ctx.settings.level)
    label = (
        "Still on treatment at last follow-up"
        if key == "ongoing"
        else "Discontinued treatment, for any reason"
    )
    text = (
        f"{label}: {rate_figure(rate)}, everyone treated (safety population). "
        f"{as_published(fact.text)}"
    )
    if key == "discontinued":
        # The total first (published_facts.md section 4, "118 (96 %) discontinued"), then the
        # part of it for adverse events (section 5, "Discontinued for adverse events 27 %").
        ae = ctx.store.fact("safety.discontinued_ae")
        values: dict[str, object] = {**rate.values(), "status": key, "population": "safety"}
        if ae is not None:
            stopped = rate_ci(
                len(q.action_subjects(ctx.store, "discontinuation", None)),
                n_safety,
                ctx.settings.ci_method,
                ctx.settings.level,
            )
            text += (
                f" Because of adverse events: {stopped.n} of the {rate.n} "
                f"({100 * stopped.rate:.1f} % of all {n_safety} treated; published "
                f"{ae.value} %)."
            )
            values["adverse_events"] = stopped.values()
        if other is not None:
            text += f" {other.text}"
        return answer(parse, question, "answered", text, values, sources_for(fact, ae, other))
    if other is not None:
        text += f" {other.text}"
    return answer(
        parse,
        question,
        "answered",
        text,
        {**rate.values(), "status": key},
        sources_for(fact, other),
    )
