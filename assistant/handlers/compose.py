"""Answers built from other answers: a question with a qualifier the sources do not serve, and
a question that asks several things at once.

A qualifier the sources cannot serve (an age band, a time point, a hazard ratio …) makes the
answer ``not_reported``, naming it, with the whole population's figure beside it as context and
labelled as such: never ``answered`` with the unqualified figure.

A compound answer holds one part per query; its ``values`` are ``{"parts": [...]}``, each part
``{"question", "status", "intent", "text", "values", "sources"}`` as a whole answer has.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.answer import Answer, Status
from assistant.handlers.figures import distinct_sources, table
from intents.schema import Parse, Qualifier

SUBGROUPS = {
    "age": "age",
    "sex": "sex",
    "race": "race or ethnicity",
    "ecog": "performance status",
    "iss": "ISS stage",
    "cytogenetics": "cytogenetic risk or abnormality",
    "prior_lines": "number of prior lines",
    "transplant": "prior transplant",
    "renal": "renal function",
    "refractory_drug": "refractoriness to a single drug",
    "disease_type": "type of myeloma",
    "region": "region or country",
    "ae_term": "adverse events",
    "bleeding": "bleeding",
    "category": "best response",
    "threshold": "response",
    "threshold_below": "response",
    "population_size": "subgroup",
    "diagnosis_years": "time since diagnosis",
    "unique_agents": "number of prior agents",
    "refractory": "refractory status",
    "other": "subgroup",
}
MEASURES = {
    "hazard_ratio": "a hazard ratio (a single-arm study has no comparator arm)",
    "odds_ratio": "an odds ratio",
    "relative_risk": "a relative risk",
    "p_value": "a p-value against a control (a single-arm study has none)",
    "mean": "a mean (the sources give medians)",
    "landmark": "rates at a time point",
    "mrd": "minimal residual disease",
    "qol": "quality of life",
    "other": "that statistic",
}
COHORTS = {
    "part1": "STORM Part 1",
    "other_dose": "another dose",
    "other_regimen": "another regimen",
    "label_population": "the label's pooled population",
}
# The order parts are worst-first when a compound answer has no answered part.
_STATUS_ORDER: tuple[Status, ...] = (
    "answered",
    "not_reported",
    "clarify",
    "out_of_scope",
    "unknown",
    "error",
)


def describe(q: Qualifier) -> str:
    """What the sources do not report, as a sentence: 'The sources do not report this by age
    (“over 70”).'"""
    quoted = f"“{q.text.strip()}”"
    if q.kind == "subgroup":
        return f"The sources do not report this by {SUBGROUPS.get(q.value, 'subgroup')} ({quoted})."
    if q.kind == "timepoint":
        return (
            f"The sources do not report this at a time point ({quoted}): they give medians "
            "and totals over the whole study."
        )
    if q.kind == "measure":
        return f"The sources do not report {MEASURES.get(q.value, 'that statistic')} ({quoted})."
    if q.kind == "assessor":
        return (
            f"The sources do not report this as assessed by the investigators ({quoted}): "
            "response was assessed by the independent review committee."
        )
    if q.kind == "cohort":
        return (
            f"The sources do not report this for {COHORTS.get(q.value, 'another cohort')} "
            f"({quoted}): they cover STORM Part 2, selinexor 80 mg with dexamethasone 20 mg "
            "twice weekly."
        )
    if q.kind == "number":
        return (
            f"The sources do not report this for the restriction {quoted}, which no "
            "reported figure matches."
        )
    return f"The sources do not report this ({quoted})."


def not_reported_for(parse: Parse, question: str, whole: Answer) -> Answer:
    """The answer to a question with unserved qualifiers: what is not reported, and the whole
    population's figure as context."""
    unserved = parse.unserved
    text = " ".join(dict.fromkeys(describe(q) for q in unserved))
    if whole.status == "answered":
        text += f" For the whole study population, not the group you asked about: {whole.text}"
    values: dict[str, object] = {
        "not_reported": [q.model_dump(include={"kind", "value", "text"}) for q in unserved]
    }
    if whole.status == "answered":
        values["whole_population"] = whole.values
    return Answer(
        question=question,
        status="not_reported",
        intent=whole.intent or parse.intent,
        text=text,
        values=values,
        sources=list(whole.sources),
    )


def not_reported_for_group(
    parse: Parse,
    question: str,
    missing: str,
    whole: Answer,
    who: str,
    markdown: str | None = None,
) -> Answer:
    """A figure asked for a group the sources do not report it for: ``missing`` says so, and
    the answer for ``who`` (the whole population) follows as context, labelled as such."""
    return Answer(
        question=question,
        status="not_reported",
        intent=None if parse.intent == "unknown" else parse.intent,
        text=f"{missing} For the whole {who}, not the group you asked about: {whole.text}",
        values={
            "not_reported": {"population": parse.get("population")},
            "whole_population": whole.values,
        },
        sources=list(whole.sources),
        markdown=markdown,
    )


def compound(parse: Parse, question: str, parts: list[Answer]) -> Answer:
    """One answer for a question that asked several things, each part with its figures."""
    statuses = [p.status for p in parts]
    status: Status = (
        "answered" if "answered" in statuses else min(statuses, key=_STATUS_ORDER.index)
    )
    text = " ".join(f"({i}) {p.text}" for i, p in enumerate(parts, 1))
    sources = distinct_sources(s for part in parts for s in part.sources)
    rows = [
        [str(i), q.text or "", p.text]
        for i, (q, p) in enumerate(zip(parse.queries, parts, strict=True), 1)
    ]
    markdown = table(["", "asked", "answer"], rows)
    values = {"parts": [p.model_dump() for p in parts]}
    chart = next((p.chart for p in parts if p.chart is not None), None)
    return Answer(
        question=question,
        status=status,
        intent="compound",
        text=text,
        values=values,
        sources=sources,
        markdown=markdown,
        chart=chart,
    )


def each(parse: Parse, answer_one: Callable[[Parse], Answer]) -> list[Answer]:
    return [answer_one(parse.part(q)) for q in parse.queries]
