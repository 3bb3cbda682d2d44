"""Study facts: design, dosing, endpoints, publication, people, quotes, definitions and the
places where the sources disagree. Each answer is the stored fact's text and source."""

from __future__ import annotations

from assistant.answer import Answer
from assistant.handlers.context import Context
from assistant.handlers.figures import answer, sources_for, table
from intents.schema import Parse
from knowledge.models import StudyFact

TOPICS: dict[str, tuple[str, ...]] = {
    "design": ("design.design", "design.phase", "design.regimen"),
    "phase": ("design.phase",),
    "regimen": ("design.regimen", "design.schedule"),
    "dose_selinexor": ("dosing.selinexor", "design.schedule"),
    "dose_dexamethasone": ("dosing.dexamethasone",),
    "schedule": ("design.schedule",),
    "mechanism": ("design.mechanism",),
    "eligibility": ("design.prior_exposure", "design.triple_class_refractory"),
    "primary_endpoint": ("design.primary_endpoint",),
    "secondary_endpoint": ("design.secondary_endpoint", "design.other_endpoints"),
    "endpoints": ("design.primary_endpoint", "design.secondary_endpoint", "design.other_endpoints"),
    "response_criteria": ("design.response_criteria",),
    "publication": ("publication.paper", "publication.news_item"),
    "authors": ("people.chari", "people.richardson", "people.bahlis"),
    "sponsor": ("design.sponsor",),
    "sites": ("design.sites",),
    "news_item": ("publication.news_item", "publication.news_item.author"),
    "registry": ("design.registry",),
    "population": ("population.mitt", "population.safety", "population.penta"),
    "limitations": ("design.design",),
    "assessment": ("design.primary_endpoint", "design.response_criteria"),
    "confirmation": ("definition.overall_response", "definition.clinical_benefit"),
    "summary": (
        "design.design",
        "design.regimen",
        "population.mitt",
        "efficacy.orr",
        "efficacy.cbr",
        "efficacy.dor",
        "efficacy.pfs",
        "efficacy.os",
        "safety.ae.thrombocytopenia.any",
        "safety.bleeding.ge3",
        "safety.common_low_grade",
        "safety.deaths.ae",
    ),
}
# How the one-screen summary ("what did the study show?") heads each of its facts.
SUMMARY_LABELS: dict[str, str] = {
    "design.design": "Design",
    "design.regimen": "Treatment",
    "population.mitt": "Patients",
    "efficacy.orr": "Overall response",
    "efficacy.cbr": "Clinical benefit",
    "efficacy.dor": "Duration of response",
    "efficacy.pfs": "Progression-free survival",
    "efficacy.os": "Overall survival",
    "safety.ae.thrombocytopenia.any": "Thrombocytopenia",
    "safety.bleeding.ge3": "Bleeding",
    "safety.common_low_grade": "Common side-effects",
    "safety.deaths.ae": "Deaths from adverse events",
}
# Topics understood but not reported by any source: answered as such, never guessed.
UNREPORTED_TOPICS = {"follow_up": "the duration of follow-up"}
PEOPLE = {
    "chari": ("people.chari", "people.chari.affiliation"),
    "richardson": ("people.richardson", "people.richardson.affiliation"),
    "bahlis": ("people.bahlis", "people.bahlis.affiliation"),
    "stirrups": ("publication.news_item.author", "publication.news_item"),
}
# Definitions that live under another id than definition.<term>.
DEFINITION_ALIASES = {
    "xpo1": "design.mechanism",
    "imwg": "design.response_criteria",
    "safety": "definition.safety_population",
}


def _facts(ctx: Context, ids: tuple[str, ...]) -> list[StudyFact]:
    return [fact for fact in (ctx.store.fact(i) for i in ids) if fact is not None]


def _from_facts(parse: Parse, question: str, facts: list[StudyFact], extra: str = "") -> Answer:
    if not facts:
        # A store (--db) without these facts: say so, rather than "answered" with no text.
        return answer(
            parse,
            question,
            "not_reported",
            "The study store in use holds no published fact on this.",
        )
    text = " ".join(fact.text for fact in facts) + extra
    values = {fact.id: fact.value for fact in facts}
    return answer(
        parse, question, "answered", text.strip(), values, sources_for(*facts, records=False)
    )


def study_fact(ctx: Context, parse: Parse, question: str) -> Answer:
    person = parse.get("person")
    if person in PEOPLE:
        return _from_facts(parse, question, _facts(ctx, PEOPLE[person]))
    topic = parse.get("topic", "design")
    if topic in UNREPORTED_TOPICS:
        return answer(
            parse,
            question,
            "not_reported",
            f"The sources do not report {UNREPORTED_TOPICS[topic]}.",
            sources=sources_for(records=False),
        )
    if topic == "limitations":
        return _limitations(ctx, parse, question)
    if topic == "summary":
        return _summary(ctx, parse, question)
    facts = _facts(ctx, TOPICS.get(topic, TOPICS["design"]))
    return _from_facts(parse, question, facts)


def _summary(ctx: Context, parse: Parse, question: str) -> Answer:
    """ "What did the study show?": one screen, a line per finding, each as published."""
    facts = _facts(ctx, TOPICS["summary"])
    if not facts:
        return _from_facts(parse, question, facts)
    rows = [
        [SUMMARY_LABELS.get(f.id, f.id), f.text, "; ".join(sources_for(f, records=False))]
        for f in facts
    ]
    text = "STORM Part 2 in brief, every figure as published:\n" + "\n".join(
        f"{label}: {finding}" for label, finding, _ in rows
    )
    markdown = "**STORM Part 2 in brief, every figure as published**\n\n" + table(
        ["", "finding", "source"], rows
    )
    return answer(
        parse,
        question,
        "answered",
        text,
        {fact.id: fact.value for fact in facts},
        sources_for(*facts, records=False),
        markdown=markdown,
    )


def _limitations(ctx: Context, parse: Parse, question: str) -> Answer:
    facts = _facts(ctx, ("design.design", "not_reported.efficacy"))
    text = (
        " ".join(f.text for f in facts) + " A single-arm study has no comparator: "
        "response rates and medians cannot be set against another treatment within it. "
        + (
            "The patient records in this tool are reconstructed from published aggregates, "
            "not the trial's data: only figures with a published counterpart are study "
            "results."
            if ctx.store.meta.reconstructed
            else ""
        )
    )
    return answer(parse, question, "answered", text.strip(), {}, sources_for(*facts, records=False))


def quote(ctx: Context, parse: Parse, question: str) -> Answer:
    person = parse.get("person")
    ids = (
        (f"quote.{person}",)
        if person in ("richardson", "bahlis")
        else ("quote.richardson", "quote.bahlis")
    )
    return _from_facts(parse, question, _facts(ctx, ids))


def definition(ctx: Context, parse: Parse, question: str) -> Answer:
    term = str(parse.get("term", ""))
    if term == "reconstructed":
        return answer(
            parse, question, "answered", ctx.store.meta.description, {}, ["store metadata"]
        )
    if term == "clopper_pearson":
        return answer(
            parse,
            question,
            "answered",
            "The Clopper–Pearson interval is the 'exact' binomial confidence "
            "interval, built from the binomial distribution itself rather than a "
            "normal approximation. It is what reproduces the published intervals "
            "(32/122 gives 18.7–35.0 %, published 19–35), so it is the default here;"
            " Wilson, Wilson with continuity correction, Jeffreys and Agresti–Coull "
            "are available on request.",
            {},
            ["stormchat methods"],
        )
    fact_id = DEFINITION_ALIASES.get(term.lower(), f"definition.{term}")
    facts = _facts(ctx, (fact_id,))
    if not facts:
        available = sorted(f.id.split(".", 1)[1] for f in ctx.store.facts_under("definition."))
        return answer(
            parse,
            question,
            "not_reported",
            f"The sources give no definition of {term or 'that'}. Definitions "
            f"available: {', '.join(available)}.",
        )
    return _from_facts(parse, question, facts)


# The parser's topic where the fact is filed under another name.
_DISCREPANCY_FACT = {"grade34": "any_g34"}


def discrepancy(ctx: Context, parse: Parse, question: str) -> Answer:
    topic = parse.get("topic")
    if topic:
        topic = _DISCREPANCY_FACT.get(str(topic), str(topic))
    facts = _facts(ctx, (f"discrepancy.{topic}",)) if topic else []
    if not facts:
        facts = ctx.store.facts_under("discrepancy.")
    return _from_facts(parse, question, facts)
