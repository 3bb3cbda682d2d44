"""Record mode: answers for a store without published facts (a team's ADaM import).

The handlers beside this one answer where a published STORM fact exists and check the records
against it. A store built by ``stormchat import`` has no facts: here every figure is computed
from its records and says so ("computed from the study records (STUDYID)"), per treatment arm
where the store has arms, each arm compared with the control arm (Fisher's exact test,
two-sided, and the difference in rates) as a standard AE table does.

``handler_for`` is the one hook: ``dispatch`` asks it for the handler, and it gives the usual
one for the intents this module does not take (conversation, help, statistics settings).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer import Answer
from assistant.handlers.context import Context
from assistant.handlers.figures import (
    METHOD_SHORT,
    answer,
    distinct_sources,
    grade_words,
    level_text,
    median_figure,
    num,
    table,
)
from intents.schema import Parse, Qualifier
from knowledge import by_arm
from knowledge import queries as q
from knowledge.store import Store

# Intents answered by the usual handlers in record mode too: they say nothing about the study.
GENERIC = frozenset(
    {
        "greeting",
        "help",
        "thanks",
        "out_of_scope",
        "clarify",
        "set_stats",
        "explain_method",
        "compound",
    }
)

# What an endpoint of the parser may be called in a team's ADTTE.
ENDPOINT_PARAMS: dict[str, tuple[str, ...]] = {
    "PFS": ("PFS", "PFSINV", "PFSIRC"),
    "OS": ("OS",),
    "DOR": ("DOR", "DURRSP", "RSD", "CRSD", "DOCR"),
    "TTR": ("TTR", "TTRSP"),
    "TRTDUR": ("TRTDUR",),
}
TOP_N = 10


def is_record_mode(store: Store) -> bool:
    return not store.facts


def source(store: Store) -> str:
    return f"computed from the study records ({store.meta.study_id or store.meta.study})"


Handler = Callable[[Context, Parse, str], Answer]


def handler_for(store: Store, intent: str, usual: Handler, question: str = "") -> Handler:
    """The handler of an intent: the record-mode one in a store without facts, else
    ``usual``. A question naming what the store itself defines is answered as that, whatever
    the parser made of it (see ``named_handler``): "median TTDE" is asked back by the parser
    (its own medians, age or PFS)."""
    if not is_record_mode(store) or intent in CONVERSATIONAL:
        return usual
    named = named_handler(store, question)
    if named is not None:
        return named
    if intent in GENERIC:
        return usual
    return HANDLERS.get(intent, _no_record_answer)


# Intents that are about the conversation, never about a figure.
CONVERSATIONAL = GENERIC - {"clarify", "compound"}


def named_handler(store: Store, question: str) -> Handler | None:
    """A handler for a question that names one of the store's own things: a time-to-event
    parameter by its code or label ("median time to first dermatological event"). (RECIST's
    disease control and its NON-CR/NON-PD category are the parser's: threshold SD, category
    NON-CR/NON-PD.)"""
    timed = tte_named(store, question)
    if timed is not None:
        return lambda ctx, parse, q: tte_median(ctx, parse, q, timed).model_copy(
            update={"intent": "tte_median"}
        )
    return None


def unserved(store: Store, parse: Parse, result: Answer) -> list[Qualifier]:
    """The question's qualifiers the answer does not serve. In record mode an answer by arm
    with Fisher's test against the control arm serves "p-value" and "vs placebo"."""
    left = parse.unserved
    if not left or not is_record_mode(store):
        return left
    arms = result.values.get("arms") if isinstance(result.values, dict) else None
    compared = isinstance(arms, list) and any(isinstance(a, dict) and "p_value" in a for a in arms)
    if not compared:
        return left
    return [
        qualifier
        for qualifier in left
        if not (
            qualifier.kind == "measure"
            and (
                qualifier.value == "p_value"
                or (
                    qualifier.value == "relative_risk"
                    and not re.search(r"relative risk|risk ratio", qualifier.text, re.I)
                )
            )
        )
    ]


def describe(store: Store, qualifier: Qualifier) -> str:
    """What the records do not give, as a sentence, in a store's own terms (the wording of
    ``compose.describe`` is about STORM's published sources)."""
    from assistant.handlers.compose import COHORTS, MEASURES, SUBGROUPS

    quoted = f"“{qualifier.text.strip()}”"
    if qualifier.kind == "subgroup":
        return (
            f"Not computed from the records by "
            f"{SUBGROUPS.get(qualifier.value, 'subgroup')} ({quoted})."
        )
    if qualifier.kind == "timepoint":
        return (
            f"Not computed from the records at a time point ({quoted}): stormchat gives "
            "medians and totals over the whole study."
        )
    if qualifier.kind == "measure":
        measure = MEASURES.get(qualifier.value, "that statistic").split(" (")[0]
        return f"Not computed from the records: {measure} ({quoted})."
    if qualifier.kind == "cohort":
        return (
            f"This store holds one study, {store.meta.study_id or store.meta.study} "
            f"({quoted}: {COHORTS.get(qualifier.value, 'another cohort')})."
        )
    if qualifier.kind == "number":
        return f"No figure of the records matches the restriction {quoted}."
    return f"Not computed from the records ({quoted})."


def not_reported_for(
    store: Store, parse: Parse, question: str, whole: Answer, left: list[Qualifier]
) -> Answer:
    """``compose.not_reported_for`` in record mode: what the records do not give, and the
    figure for the whole population beside it."""
    text = " ".join(dict.fromkeys(describe(store, qualifier) for qualifier in left))
    values: dict[str, object] = {
        "not_reported": [q.model_dump(include={"kind", "value", "text"}) for q in left]
    }
    if whole.status == "answered":
        text += f" For the whole study population, not the group you asked about: {whole.text}"
        values["whole_population"] = whole.values
    return Answer(
        question=question,
        status="not_reported",
        intent=whole.intent or parse.intent,
        text=text,
        values=values,
        sources=list(whole.sources),
    )


# ------------------------------------------------------------------ wording


def _arm_clause(row: by_arm.ArmRate, control: str | None) -> str:
    rate = row.rate
    text = f"{row.arm} {rate.n}/{rate.N} ({num(100 * rate.rate)} %"
    if row.p_value is not None:
        text += f"; Fisher p vs {control} {_p(row.p_value)}"
    return text + ")"


def _p(p: float) -> str:
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _rates_text(ctx: Context, lead: str, rows: list[by_arm.ArmRate], population: str) -> str:
    control = ctx.store.meta.control_arm
    label = "safety population" if population == "safety" else "efficacy population"
    if len(rows) == 1 and rows[0].p_value is None:
        rate = rows[0].rate
        return (
            f"{lead}: {num(100 * rate.rate)} % ({rate.n}/{rate.N}; "
            f"{level_text(rate.level)} CI {num(100 * rate.ci_low)}–"
            f"{num(100 * rate.ci_high)}, {METHOD_SHORT[rate.ci_method]}), {label}, "
            f"{source(ctx.store)}."
        )
    parts = "; ".join(_arm_clause(row, control) for row in rows)
    return f"{lead}, {label}, by arm: {parts}. {sentence_source(ctx.store)}."


def sentence_source(store: Store) -> str:
    text = source(store)
    return text[:1].upper() + text[1:]


def _rates_values(
    ctx: Context, rows: list[by_arm.ArmRate], population: str, **extra: object
) -> dict[str, object]:
    total_n = sum(row.rate.n for row in rows)
    total = sum(row.rate.N for row in rows)
    values: dict[str, object] = {
        **extra,
        "population": population,
        "n": total_n,
        "N": total,
        "arms": [row.values() for row in rows],
    }
    if ctx.store.meta.control_arm and len(rows) > 1:
        values.update(
            {"control_arm": ctx.store.meta.control_arm, "test": "fisher-exact, two-sided"}
        )
    return values


def _rates_markdown(lead: str, rows: list[by_arm.ArmRate], note: str) -> str:
    body = [
        [
            row.arm,
            str(row.rate.n),
            str(row.rate.N),
            f"{num(100 * row.rate.rate)} %",
            "—" if row.p_value is None else _p(row.p_value),
        ]
        for row in rows
    ]
    return (
        f"**{lead}**\n\n"
        + table(["arm", "n", "N", "%", "Fisher p vs control"], body)
        + f"\n\n_{note}_"
    )


def _rates_answer(
    ctx: Context,
    parse: Parse,
    question: str,
    lead: str,
    hits: set[str],
    population: str,
    **extra: object,
) -> Answer:
    rows = by_arm.rates_by_arm(
        ctx.store, hits, population, ctx.settings.ci_method, ctx.settings.level
    )
    if not rows:
        return answer(
            parse,
            question,
            "not_reported",
            f"The records hold no patients in the {population} population.",
            sources=[source(ctx.store)],
        )
    text = _rates_text(ctx, lead, rows, population)
    return answer(
        parse,
        question,
        "answered",
        text,
        _rates_values(ctx, rows, population, **extra),
        [source(ctx.store)],
        markdown=_rates_markdown(lead, rows, sentence_source(ctx.store)),
    )


# ------------------------------------------------------------------ adverse events


def _said(parse: Parse, name: str) -> str | None:
    slot = parse.slots.get(name)
    text = getattr(slot, "text", None)
    return str(text).strip() if text else None


def _soc_named(store: Store, *texts: str | None) -> str | None:
    """A system organ class the words name ("cardiac disorders"), if any."""
    known = {soc.lower(): soc for soc in by_arm.socs(store)}
    for text in texts:
        if text and text.strip().lower() in known:
            return known[text.strip().lower()]
    return None


def named_in(store: Store, question: str) -> tuple[str, str] | None:
    """The longest system organ class or preferred term of the store the question names,
    word for word: ("soc", name) or ("term", name)."""
    names = store.derived(
        ("record_names",),
        lambda: sorted(
            [(soc.lower(), "soc", soc) for soc in by_arm.socs(store)]
            + [(term.lower(), "term", term) for term in store.adverse_events],
            key=lambda item: -len(item[0]),
        ),
    )
    text = " " + re.sub(r"[^\w]+", " ", question.lower()) + " "
    for lower, kind, name in names:
        if " " + re.sub(r"[^\w]+", " ", lower).strip() + " " in text:
            return kind, name
    return None


def _term_named(store: Store, text: str | None) -> str | None:
    if not text:
        return None
    known = {term.lower(): term for term in store.adverse_events}
    return known.get(text.strip().lower())


SEVERITY_WORDS = {"mild": "MILD", "moderate": "MODERATE", "severe": "SEVERE"}


def _severities(store: Store, question: str) -> tuple[str, ...] | None:
    """The severities a question names, in a study graded by severity; None if it names
    none (or the study has CTCAE grades)."""
    if store.meta.ae_grading != "severity":
        return None
    words = set(re.findall(r"[a-z]+", question.lower()))
    named = tuple(code for word, code in SEVERITY_WORDS.items() if word in words)
    return named or None


def ae_incidence(
    ctx: Context, parse: Parse, question: str, named: tuple[str, str] | None = None
) -> Answer:
    store = ctx.store
    term = parse.get("term")
    op = parse.get("grade_op", "any")
    low, high = parse.get("grade_low"), parse.get("grade_high")
    serious = bool(parse.get("serious"))
    if serious and op != "any" and _said(parse, "grade_op") == _said(parse, "serious"):
        # The parser reads "serious" as grade 3 or higher too (STORM's sources use the words
        # alike); a study's own records have the serious flag itself (AESER), which is meant.
        op, low, high = "any", None, None
    said = _said(parse, "term") or parse.get("term_text")
    soc = _soc_named(store, said, term)
    named = named or named_in(store, question)
    if named is not None:
        # The store's own names, word for word, outrank the parser's nearest term: "sinus
        # bradycardia" is not "bradycardia", "cardiac disorders" is the class.
        kind, name = named
        soc, term = (name, None) if kind == "soc" else (None, name)
    if term is None and soc is None:
        term = _term_named(store, said)
        if term is None and said:
            return answer(
                parse,
                question,
                "not_reported",
                f"No patient in the records had {said}. {sentence_source(store)}.",
                sources=[source(store)],
            )
        if term is None:
            return answer(
                parse,
                question,
                "clarify",
                "Which adverse event? Name a preferred term or a system organ class, "
                'e.g. "How many had vomiting?" or "cardiac disorders".',
            )
    severity = _severities(store, question)
    if severity is not None:
        # The parser reads "severe" as grade 3 or higher; a study graded by severity has the
        # words themselves ("moderate or severe" is both).
        op, low, high = "any", None, None
    if op != "any" and store.meta.ae_grading != "CTCAE":
        grading = (
            "by severity (mild, moderate, severe)"
            if store.meta.ae_grading == "severity"
            else "without a grade"
        )
        return answer(
            parse,
            question,
            "not_reported",
            f"This study records adverse events {grading}, not by CTCAE grade: "
            f"there is no {grade_words(op, low, high)} count. Ask without the grade "
            "for the count at any severity.",
            sources=[source(store)],
        )
    if soc is not None:
        terms: list[str] | None = by_arm.socs(store)[soc]
        name = soc
    elif term == q.ANY_EVENT:
        terms, name = None, "Any adverse event"
    else:
        if term not in store.adverse_events:
            return answer(
                parse,
                question,
                "not_reported",
                f"No patient in the records had {str(term).lower()}. {sentence_source(store)}.",
                sources=[source(store)],
            )
        terms, name = [str(term)], str(term)
    hits = by_arm.ae_hits(store, terms, op, low, high, serious=serious, severity=severity)
    te = " treatment-emergent" if _all_treatment_emergent(store) else ""
    grade = (
        f"worst severity {' or '.join(s.lower() for s in severity)}"
        if severity
        else grade_words(op, low, high)
    )
    qualifiers = ", ".join(filter(None, ["serious" if serious else "", te.strip(), grade]))
    lead = f"{name} ({qualifiers})"
    return _rates_answer(
        ctx,
        parse,
        question,
        lead,
        hits,
        "safety",
        term=name,
        grade=grade,
        **({"soc": soc} if soc else {}),
    )


def _all_treatment_emergent(store: Store) -> bool:
    return store.derived(
        ("all_trtemfl",),
        lambda: all(row.TRTEMFL for rows in store.adverse_events.values() for row in rows.values()),
    )


BY_SOC = re.compile(
    r"\b(system organ class(es)?|socs?|body systems?|organ class(es)?)\b", re.IGNORECASE
)


def soc_table(ctx: Context, parse: Parse, question: str) -> Answer:
    """Every system organ class with its patients per arm and Fisher's p against control."""
    store = ctx.store
    arm_names = by_arm.arms(store)
    rows, entries, parts = [], [], []
    for soc, terms in by_arm.socs(store).items():
        per = by_arm.rates_by_arm(
            store,
            by_arm.ae_hits(store, terms),
            "safety",
            ctx.settings.ci_method,
            ctx.settings.level,
        )
        rows.append(
            [soc]
            + [
                f"{r.rate.n} ({num(100 * r.rate.rate)} %)"
                + ("" if r.p_value is None else f", p {_p(r.p_value)}")
                for r in per
            ]
        )
        entries.append({"soc": soc, "arms": [r.values() for r in per]})
        parts.append(f"{soc} ({', '.join(f'{r.arm} {r.rate.n}/{r.rate.N}' for r in per)})")
    if not entries:
        return answer(
            parse,
            question,
            "not_reported",
            "The adverse-event records of this study carry no system organ class.",
            sources=[source(store)],
        )
    text = (
        "Adverse events by system organ class, safety population: "
        + "; ".join(parts)
        + f". {sentence_source(store)}."
    )
    markdown = (
        table(["system organ class"] + (arm_names or ["all"]), rows)
        + f"\n\n_{sentence_source(store)}._"
    )
    return answer(
        parse, question, "answered", text, {"socs": entries}, [source(store)], markdown=markdown
    )


def ae_table(ctx: Context, parse: Parse, question: str) -> Answer:
    """A group of events: the system organ class it names, every class, or the most common
    events."""
    if BY_SOC.search(question) and named_in(ctx.store, question) is None:
        return soc_table(ctx, parse, question)
    if named_in(ctx.store, question) is not None:
        return ae_incidence(ctx, parse, question)
    group = _said(parse, "group")
    if group:
        for soc in by_arm.socs(ctx.store):
            if soc.lower().startswith(group.lower()):
                return ae_incidence(ctx, parse, question, ("soc", soc))
    return ae_top(ctx, parse, question)


def unknown(ctx: Context, parse: Parse, question: str) -> Answer:
    """Not understood by the parser, but naming one of the store's own adverse events or
    system organ classes word for word: that event's incidence. Otherwise the usual answer."""
    if named_in(ctx.store, question) is not None:
        result = ae_incidence(ctx, parse, question)
        return result.model_copy(update={"intent": "ae_incidence"})
    if BY_SOC.search(question):
        return soc_table(ctx, parse, question).model_copy(update={"intent": "ae_table"})
    from assistant.handlers import conversation

    return conversation.unknown(ctx, parse, question)


def ae_top(ctx: Context, parse: Parse, question: str) -> Answer:
    """The most common preferred terms, with counts per arm."""
    store = ctx.store
    op = parse.get("grade_op", "any")
    low, high = parse.get("grade_low"), parse.get("grade_high")
    severity = _severities(store, question)
    if severity is not None:
        # The parser reads "severe" as grade 3 or higher; a study graded by severity has the
        # words themselves ("moderate or severe" is both).
        op, low, high = "any", None, None
    if op != "any" and store.meta.ae_grading != "CTCAE":
        return answer(
            parse,
            question,
            "not_reported",
            "This study records adverse events by severity, not by CTCAE grade.",
            sources=[source(store)],
        )
    top = int(parse.get("top_n") or TOP_N)
    safety = set(store.population("safety"))
    counted = []
    for term in store.adverse_events:
        hits = by_arm.ae_hits(store, [term], op, low, high, severity=severity) & safety
        counted.append((len(hits), term, hits))
    counted.sort(key=lambda item: (-item[0], item[1]))
    arm_names = by_arm.arms(store)
    rows, parts, entries = [], [], []
    for _, term, hits in counted[:top]:
        per = by_arm.rates_by_arm(store, hits, "safety", ctx.settings.ci_method, ctx.settings.level)
        rows.append([term] + [f"{r.rate.n} ({num(100 * r.rate.rate)} %)" for r in per])
        parts.append(f"{term} ({', '.join(f'{r.arm} {r.rate.n}/{r.rate.N}' for r in per)})")
        entries.append({"term": term, "arms": [r.values() for r in per]})
    band = (
        f"worst severity {' or '.join(s.lower() for s in severity)}"
        if severity
        else grade_words(op, low, high)
    )
    text = (
        f"The {len(parts)} most common adverse events ({band}, safety population): "
        + "; ".join(parts)
        + f". {sentence_source(store)}."
    )
    markdown = (
        table(["preferred term"] + (arm_names or ["all"]), rows)
        + f"\n\n_{sentence_source(store)}._"
    )
    return answer(
        parse,
        question,
        "answered",
        text,
        {"grade": band, "terms": entries},
        [source(store)],
        markdown=markdown,
    )


# ------------------------------------------------------------------ response


def _no_response_data(ctx: Context, parse: Parse, question: str) -> Answer | None:
    if not ctx.store.responses:
        return answer(
            parse,
            question,
            "not_reported",
            "This study store holds no best-response records (no ADRS was imported).",
            sources=[source(ctx.store)],
        )
    return None


def _category_words(categories: tuple[str, ...]) -> str:
    return "/".join(categories)


def response_rate(
    ctx: Context, parse: Parse, question: str, threshold: str | None = None
) -> Answer:
    missing = _no_response_data(ctx, parse, question)
    if missing:
        return missing
    threshold = threshold or str(parse.get("threshold", "PR"))
    categories = by_arm.categories_at_or_above(ctx.store, threshold)
    criteria = ctx.store.meta.response_criteria or "the study's criteria"
    if categories is None:
        return answer(
            parse,
            question,
            "not_reported",
            f"{threshold} is not a response category of {criteria} "
            f"({', '.join(by_arm.response_order(ctx.store))}).",
            sources=[source(ctx.store)],
        )
    name = {"PR": "Objective response", "SD": "Disease control"}.get(
        threshold, f"{threshold} or better"
    )
    lead = f"{name} ({_category_words(categories)}; {criteria})"
    return _rates_answer(
        ctx,
        parse,
        question,
        lead,
        by_arm.response_hits(ctx.store, categories),
        "mITT",
        categories=list(categories),
        criteria=criteria,
    )


def response_category(
    ctx: Context, parse: Parse, question: str, category: str | None = None
) -> Answer:
    missing = _no_response_data(ctx, parse, question)
    if missing:
        return missing
    category = category or str(parse.get("category") or parse.get("threshold", "PR"))
    order = by_arm.response_order(ctx.store)
    criteria = ctx.store.meta.response_criteria or "the study's criteria"
    if category not in order:
        return answer(
            parse,
            question,
            "not_reported",
            f"{category} is not a response category of {criteria} ({', '.join(order)}).",
            sources=[source(ctx.store)],
        )
    lead = f"Best overall response {category} ({criteria})"
    return _rates_answer(
        ctx,
        parse,
        question,
        lead,
        by_arm.response_hits(ctx.store, (category,)),
        "mITT",
        categories=[category],
        criteria=criteria,
    )


def response_breakdown(ctx: Context, parse: Parse, question: str) -> Answer:
    missing = _no_response_data(ctx, parse, question)
    if missing:
        return missing
    store = ctx.store
    order = list(by_arm.response_order(store)) + ["missing"]
    arm_names: list[str | None] = [*by_arm.arms(store)] or [None]  # None: all patients
    counts: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for arm in arm_names:
        members = by_arm.arm_members(store, "mITT", arm)
        label = arm or "all"
        totals[label] = len(members)
        row = dict.fromkeys(order, 0)
        for sid in members:
            response = store.responses.get(sid)
            category = response.AVALC if response and response.AVALC in order else "missing"
            row[str(category)] += 1
        counts[label] = row
    shown = [c for c in order if any(counts[a][c] for a in counts)]
    criteria = store.meta.response_criteria or "the study's criteria"
    parts = [
        f"{arm} (N = {totals[arm]}): " + ", ".join(f"{c} {counts[arm][c]}" for c in shown)
        for arm in counts
    ]
    text = (
        f"Best overall response ({criteria}), efficacy population, by arm: "
        + "; ".join(parts)
        + f". {sentence_source(store)}."
    )
    rows = [
        [c]
        + [
            f"{counts[a][c]} ({num(100 * counts[a][c] / totals[a]) if totals[a] else '—'} %)"
            for a in counts
        ]
        for c in shown
    ]
    markdown = (
        table(["best response"] + [f"{a} (N = {totals[a]})" for a in counts], rows)
        + f"\n\n_{sentence_source(store)}._"
    )
    values = {
        "criteria": criteria,
        "population": "mITT",
        "arms": [{"arm": a, "N": totals[a], "counts": counts[a]} for a in counts],
    }
    return answer(parse, question, "answered", text, values, [source(store)], markdown=markdown)


# ------------------------------------------------------------------ time to event


def _param_for(store: Store, endpoint: str) -> str | None:
    for name in ENDPOINT_PARAMS.get(endpoint, (endpoint,)):
        if name in store.tte:
            return name
    return None


TIME_CUE = re.compile(r"\b(time|times|median|survival|duration|how long|until)\b", re.I)
LABEL_FILLER = frozenset(
    {"to", "of", "the", "a", "an", "first", "time", "by", "in", "for", "and", "or", "any"}
)


def _stems(text: str) -> set[str]:
    return {word[:6] for word in re.findall(r"[a-z0-9]+", text.lower())}


def tte_named(store: Store, question: str) -> str | None:
    """A time-to-event parameter of the store the question names, by its code ("TTDE") or
    the words of its label ("time to first dermatological event"), when it asks for a time."""
    if not store.tte or not TIME_CUE.search(question):
        return None
    words = set(re.findall(r"[a-z0-9]+", question.lower()))
    stems = _stems(question)
    for param, rows in store.tte.items():
        if param.lower() in words and param not in ENDPOINT_PARAMS:
            return param
        label = next((row.PARAM for row in rows.values() if row.PARAM), None)
        content = {
            w for w in re.findall(r"[a-z0-9]+", (label or "").lower()) if w not in LABEL_FILLER
        }
        if content and {w[:6] for w in content} <= stems:
            return param
    return None


def tte_median(ctx: Context, parse: Parse, question: str, named: str | None = None) -> Answer:
    store = ctx.store
    endpoint = str(parse.get("endpoint", "PFS"))
    if endpoint == "ALL" and named is None:
        return _each_of(
            parse,
            question,
            "Time-to-event medians",
            [tte_median(ctx, parse, question, named=param) for param in sorted(store.tte)],
        )
    param = named or tte_named(store, question) or _param_for(store, endpoint)
    if param is None:
        present = ", ".join(sorted(store.tte)) or "none"
        return answer(
            parse,
            question,
            "not_reported",
            f"This study's records hold no {endpoint} parameter (time-to-event "
            f"parameters: {present}).",
            sources=[source(store)],
        )
    if parse.get("response_group"):
        return answer(
            parse,
            question,
            "not_reported",
            f"{endpoint} by response group is not computed from imported records.",
            sources=[source(store)],
        )
    rows = by_arm.medians_by_arm(store, param, "mITT", ctx.settings.level)
    if not rows:
        return answer(
            parse,
            question,
            "not_reported",
            f"No patient of the efficacy population has a {param} record.",
            sources=[source(store)],
        )
    label = next((r.PARAM for r in store.tte[param].values() if r.PARAM), param)
    parts, entries = [], []
    for row in rows:
        median = row.median
        shown, unit = median, row.unit
        if row.unit == "days":
            # Oncology tables give days as months.
            shown = type(median)(
                by_arm.in_months(median.median, "days"),
                by_arm.in_months(median.ci_low, "days"),
                by_arm.in_months(median.ci_high, "days"),
                median.level,
                median.n,
                median.events,
            )
            unit = "months"
        figure = median_figure(shown, unit, with_ci=True)
        extra = (
            f" = {num(median.median, 0)} days"
            if row.unit == "days" and median.median is not None
            else ""
        )
        events = f"{median.events} event{'' if median.events == 1 else 's'}"
        parts.append(f"{row.arm} {figure}{extra} ({events} in {median.n})")
        entries.append(
            {
                "arm": row.arm,
                **median.values(),
                "unit": row.unit,
                "median_months": None if shown.median is None else round(shown.median, 4),
            }
        )
    text = (
        f"Median {label} ({param}), Kaplan–Meier, efficacy population"
        + (", by arm: " if len(rows) > 1 else ": ")
        + "; ".join(parts)
        + f". {sentence_source(store)}."
    )
    return answer(
        parse,
        question,
        "answered",
        text,
        {"endpoint": param, "population": "mITT", "arms": entries},
        [source(store)],
    )


# ------------------------------------------------------------------ the study


def study_fact(ctx: Context, parse: Parse, question: str) -> Answer:
    store = ctx.store
    if named_in(store, question) is not None:
        # "general disorders and administration site conditions" is a class of events, not
        # a question about how the drug was given.
        return ae_incidence(ctx, parse, question).model_copy(update={"intent": "ae_incidence"})
    meta = store.meta
    arms = by_arm.arms(store)
    per_arm = ", ".join(f"{arm} {len(by_arm.arm_members(store, 'safety', arm))}" for arm in arms)
    card = (
        f"{meta.title or meta.study} ({meta.study_id or 'no study id'}): "
        f"{len(store.subjects)} subjects in the records, "
        f"{len(store.population('safety'))} in the safety population"
        + (f" ({per_arm})" if per_arm else "")
        + f", {len(store.population('mITT'))} in the efficacy population. "
        + (f"Control arm: {meta.control_arm}. " if meta.control_arm else "")
        + f"{meta.description}"
    )
    values = {
        "study_id": meta.study_id,
        "title": meta.title,
        "arms": arms,
        "subjects": len(store.subjects),
    }
    topic = parse.get("topic", "design")
    if parse.get("person") or topic != "design":
        # Authors, dosing, dates …: published facts, which this store does not hold.
        return answer(
            parse,
            question,
            "not_reported",
            f"This store holds no published facts ({topic}), only the study's "
            f"records. What they say of the study: {card}",
            values,
            [source(store)],
        )
    return answer(parse, question, "answered", card, values, [source(store)])


def ae_deaths(ctx: Context, parse: Parse, question: str) -> Answer:
    """Deaths by arm: from adverse events (AEOUT FATAL) where that is asked, else all deaths
    (ADSL DTHFL)."""
    store = ctx.store
    if parse.get("cause") == "adverse_event":
        hits = {
            sid
            for rows in store.adverse_events.values()
            for sid, row in rows.items()
            if row.AEOUT == "FATAL"
        }
        lead = "Patients with a fatal adverse event (AEOUT FATAL)"
    else:
        hits = {sid for sid, subject in store.subjects.items() if subject.DTHFL}
        lead = "Deaths (DTHFL)"
    return _rates_answer(ctx, parse, question, lead, hits, "safety")


DOSE_CHANGES = frozenset(
    {"DOSE MODIFIED", "DOSE REDUCED", "DOSE INCREASED", "DOSE RATE REDUCED", "DRUG INTERRUPTED"}
)


def ae_action(ctx: Context, parse: Parse, question: str) -> Answer:
    """Action taken with study treatment for adverse events (AEACN), by arm."""
    store = ctx.store
    action = parse.get("action", "discontinuation")
    term = parse.get("term")
    wanted = {"DRUG WITHDRAWN"} if action == "discontinuation" else DOSE_CHANGES
    rows_of = store.adverse_events if term is None else {term: store.adverse_events.get(term, {})}
    hits = {sid for rows in rows_of.values() for sid, row in rows.items() if row.AEACN in wanted}
    if not any(row.AEACN for rows in store.adverse_events.values() for row in rows.values()):
        return answer(
            parse,
            question,
            "not_reported",
            "The adverse-event records of this study carry no action taken (AEACN).",
            sources=[source(store)],
        )
    what = (
        "Drug withdrawn"
        if action == "discontinuation"
        else "Dose changed (reduced, increased or interrupted)"
    )
    lead = f"{what} for {'an adverse event' if term is None else term} (AEACN)"
    return _rates_answer(ctx, parse, question, lead, hits, "safety")


def baseline(ctx: Context, parse: Parse, question: str) -> Answer:
    """Patients per arm, age and sex by arm, from ADSL."""
    store = ctx.store
    variable = parse.get("variable", "population_size")
    if variable == "overview":
        return _each_of(
            parse,
            question,
            "Baseline characteristics",
            [
                baseline(ctx, parse.with_slot("variable", v), question)
                for v in ("population_size", "age", "sex")
            ],
        )
    arm_names: list[str | None] = [*by_arm.arms(store)] or [None]  # None: all patients
    if variable == "age":
        parts, entries = [], []
        for arm in arm_names:
            ages = [store.subjects[sid].AGE for sid in by_arm.arm_members(store, "safety", arm)]
            if not ages:
                continue
            median, low, high = _median_range(ages)
            parts.append(
                f"{arm or 'all'} {num(median)} years (range {num(low, 0)}–"
                f"{num(high, 0)}; N = {len(ages)})"
            )
            entries.append(
                {"arm": arm or "all", "median": median, "min": low, "max": high, "N": len(ages)}
            )
        return answer(
            parse,
            question,
            "answered",
            "Median age, safety population, by arm: "
            + "; ".join(parts)
            + f". {sentence_source(store)}.",
            {"variable": "age", "arms": entries},
            [source(store)],
        )
    if variable == "sex":
        parts, entries = [], []
        for arm in arm_names:
            members = by_arm.arm_members(store, "safety", arm)
            counts: dict[str, int] = {}
            for sid in members:
                sex = store.subjects[sid].SEX or "unknown"
                counts[sex] = counts.get(sex, 0) + 1
            parts.append(
                f"{arm or 'all'} (N = {len(members)}): "
                + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            )
            entries.append({"arm": arm or "all", "N": len(members), "counts": counts})
        return answer(
            parse,
            question,
            "answered",
            "Sex, safety population, by arm: " + "; ".join(parts) + f". {sentence_source(store)}.",
            {"variable": "sex", "arms": entries},
            [source(store)],
        )
    if variable == "population_size":
        entries = [
            {
                "arm": arm or "all",
                "safety": len(by_arm.arm_members(store, "safety", arm)),
                "efficacy": len(by_arm.arm_members(store, "mITT", arm)),
            }
            for arm in arm_names
        ]
        parts = [f"{e['arm']} {e['safety']} (efficacy {e['efficacy']})" for e in entries]
        return answer(
            parse,
            question,
            "answered",
            f"Patients in the safety population, by arm: {'; '.join(parts)}; "
            f"{len(store.subjects)} in the records. {sentence_source(store)}.",
            {"variable": "population_size", "arms": entries},
            [source(store)],
        )
    return _no_record_answer(ctx, parse, question)


def _each_of(parse: Parse, question: str, title: str, parts: list[Answer]) -> Answer:
    """An overview in record mode: the answers it is made of, one row each."""
    shown = [p for p in parts if p.status == "answered"]
    if not shown:
        return parts[0] if parts else _no_record_answer_for(parse, question, title)
    markdown = f"**{title}**\n\n" + table(
        [title.split()[0].lower(), "records"], [[str(i), p.text] for i, p in enumerate(shown, 1)]
    )
    return answer(
        parse,
        question,
        "answered",
        f"{title}:\n" + "\n".join(f"  {p.text}" for p in shown),
        {"parts": [p.values for p in shown]},
        distinct_sources(s for p in shown for s in p.sources),
        markdown=markdown,
    )


def _no_record_answer_for(parse: Parse, question: str, title: str) -> Answer:
    return answer(parse, question, "not_reported", f"{title}: none in this study's records.")


def _median_range(values: list[float]) -> tuple[float, float, float]:
    from knowledge.stats import median_range

    return median_range(values)


def _no_record_answer(ctx: Context, parse: Parse, question: str) -> Answer:
    return answer(
        parse,
        question,
        "not_reported",
        "This store holds a study's records without published facts, and this kind "
        f"of question ({parse.intent}) is not yet computed from records alone. "
        "Answered from the records: adverse events by preferred term or system "
        "organ class (per arm, with Fisher's exact test), the most common adverse "
        "events, deaths, treatment withdrawn or dose changed for adverse events, "
        "response rates and best response, median time-to-event by arm, and "
        "patients, age and sex by arm.",
        sources=[source(ctx.store)],
    )


HANDLERS: dict[str, Callable[[Context, Parse, str], Answer]] = {
    "ae_incidence": ae_incidence,
    "ae_top": ae_top,
    "ae_table": ae_table,
    "unknown": unknown,
    "response_rate": response_rate,
    "response_category": response_category,
    "response_breakdown": response_breakdown,
    "tte_median": tte_median,
    "study_fact": study_fact,
    "ae_deaths": ae_deaths,
    "ae_action": ae_action,
    "baseline": baseline,
}
