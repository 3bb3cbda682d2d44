"""Handlers: one module per family of intents, each ``(context, parse, question) -> Answer``.

``dispatch`` applies the statistics settings a question asks for (for this question, or for
the rest of the conversation) and never lets an exception escape: a bug becomes an answer
that says so, not a traceback in the user's terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from assistant.answer import Answer
from assistant.handlers import (
    baseline,
    compare,
    conversation,
    records,
    response,
    safety,
    study,
    survival,
)
from assistant.handlers.context import Context, Settings
from intents.schema import Parse
from knowledge.stats import StatsError, check_level, check_method

Handler = Callable[[Context, Parse, str], Answer]

HANDLERS: dict[str, Handler] = {
    "response_rate": response.response_rate,
    "response_category": response.response_category,
    "response_breakdown": response.response_breakdown,
    "ae_incidence": safety.ae_incidence,
    "ae_bleeding": safety.ae_bleeding,
    "ae_deaths": safety.ae_deaths,
    "ae_action": safety.ae_action,
    "ae_top": safety.ae_top,
    "tte_median": survival.tte_median,
    "baseline": baseline.baseline,
    "study_fact": study.study_fact,
    "quote": study.quote,
    "definition": study.definition,
    "discrepancy": study.discrepancy,
    "compare": compare.compare,
    "records": records.records,
    "set_stats": conversation.set_stats,
    "explain_method": conversation.explain_method,
    "greeting": conversation.greeting,
    "help": conversation.help_answer,
    "thanks": conversation.thanks,
    "clarify": conversation.clarify,
    "out_of_scope": conversation.out_of_scope,
    "unknown": conversation.unknown,
}


def _requested(settings: Settings, parse: Parse) -> Settings:
    method = parse.get("ci_method")
    level = parse.get("level")
    return Settings(check_method(method) if method else settings.ci_method,
                    check_level(float(level)) if level is not None else settings.level)


def dispatch(context: Context, parse: Parse, question: str) -> tuple[Answer, Settings]:
    """Answer one parse; return the answer and the conversation's settings after it."""
    try:
        asked = _requested(context.settings, parse)
    except (StatsError, TypeError, ValueError) as error:
        return (Answer(question=question, status="clarify", intent="clarify",
                       text=f"{error}. Try for example \"use a 90% interval\" or \"switch "
                            "to Wilson\".", values={}, sources=[]), context.settings)
    persist = parse.intent == "set_stats" or bool(parse.get("persist"))
    handler = HANDLERS.get(parse.intent, conversation.unknown)
    try:
        result = handler(replace(context, settings=asked), parse, question)
    except StatsError as error:
        # Understood, but the records of this store cannot give the figure (a --db store
        # with no patients, an empty group): the data's limit, not a bug to report.
        result = Answer(question=question, status="not_reported", intent=parse.intent,
                        text=f"The records in this study store cannot give this figure "
                             f"({error}).", values={}, sources=[])
    except Exception as error:  # noqa: BLE001 - the last line of defence for the user
        result = Answer(question=question, status="unknown", intent=parse.intent,
                        text=f"Sorry: stormchat failed while answering this "
                             f"({type(error).__name__}: {error}). Please report it with the "
                             "question.", values={}, sources=[])
    return result, (asked if persist else context.settings)
