"""Handlers: one module per family of intents, each ``(context, parse, question) -> Answer``.

Which handler answers which intent is data (``intents/data/intents.yaml``); ``HANDLERS`` is
derived from it. ``dispatch`` applies the statistics settings a question asks for (for this
question, or for the rest of the conversation), answers each part of a compound question,
turns an unserved qualifier into "not reported", and never lets an exception escape: a bug
becomes an answer with status ``error`` that says so, not a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from types import ModuleType

from assistant.answer import Answer
from assistant.handlers import (
    baseline,
    compare,
    compose,
    conversation,
    record_mode,
    records,
    response,
    safety,
    statistic,
    study,
    survival,
)
from assistant.handlers.context import Context, Settings
from intents.schema import Parse
from intents.spec import CONVERSATION, load_spec
from knowledge.stats import StatsError, check_level, check_method

Handler = Callable[[Context, Parse, str], Answer]

MODULES: dict[str, ModuleType] = {
    "baseline": baseline,
    "compare": compare,
    "conversation": conversation,
    "records": records,
    "response": response,
    "safety": safety,
    "study": study,
    "survival": survival,
}


def _resolve(name: str) -> Handler:
    module, _, function = name.partition(".")
    handler = getattr(MODULES[module], function)
    assert callable(handler), name
    return handler  # type: ignore[no-any-return]


SPEC = load_spec()
HANDLERS: dict[str, Handler] = {
    intent: _resolve(spec.handler)
    for intent, spec in SPEC.intents.items()
    if spec.handler != "compound"
}


def _requested(settings: Settings, parse: Parse, defaults: Settings | None) -> Settings:
    method = parse.get("ci_method")
    level = parse.get("level")
    if parse.get("reset") and defaults is not None:
        settings = defaults
    return Settings(
        check_method(method) if method else settings.ci_method,
        check_level(float(level)) if level is not None else settings.level,
    )


def dispatch(context: Context, parse: Parse, question: str) -> tuple[Answer, Settings]:
    """Answer one parse; return the answer and the conversation's settings after it."""
    if parse.intent == "compound" and parse.queries:
        settings = context.settings
        last = context.last_answer
        parts: list[Answer] = []
        for query in parse.queries:
            part, after = _dispatch_with_subject(
                replace(context, settings=settings, last_answer=last), parse.part(query), question
            )
            parts.append(part)
            settings = after
            if part.status in ("answered", "not_reported"):
                last = part  # "… and how was that computed?" explains the part before
        return compose.compound(parse, question, parts), settings
    return _dispatch_with_subject(context, parse, question)


def _dispatch_with_subject(
    context: Context, parse: Parse, question: str
) -> tuple[Answer, Settings]:
    """A method question about a figure it names ("how was the ORR CI calculated?"): the
    figure is answered first, so that the method explained is that figure's; a figure the
    sources do not report (with the qualifier asked) is said to be so instead."""
    about = parse.queries[0].about if len(parse.queries) == 1 else None
    if about is None:
        return _dispatch_one(context, parse, question)
    subject, _ = _dispatch_one(context, parse.part(about), question)
    if subject.status == "not_reported":
        return subject.model_copy(update={"intent": parse.intent}), context.settings
    if subject.status != "answered":
        return _dispatch_one(context, parse, question)
    return _dispatch_one(replace(context, last_answer=subject), parse, question)


def _dispatch_one(context: Context, parse: Parse, question: str) -> tuple[Answer, Settings]:
    try:
        asked = _requested(context.settings, parse, context.defaults)
    except (StatsError, TypeError, ValueError) as error:
        return (
            Answer(
                question=question,
                status="clarify",
                intent="clarify",
                text=f'{error}. Try for example "use a 90% interval" or "switch to Wilson".',
                values={},
                sources=[],
            ),
            context.settings,
        )
    persist = parse.intent == "set_stats" or bool(parse.get("persist"))
    # A store without published facts (a team's import) is answered from its records.
    handler = record_mode.handler_for(
        context.store, parse.intent, HANDLERS.get(parse.intent, conversation.unknown), question
    )
    try:
        result = handler(replace(context, settings=asked), parse, question)
        if parse.get("statistic") and parse.intent in SPEC.data_intents:
            result = statistic.add(
                result, str(parse.get("statistic")), parse.get("null_rate"), asked, question
            )
        left = record_mode.unserved(context.store, parse, result)
        if left and parse.intent not in CONVERSATION:
            result = (
                record_mode.not_reported_for(context.store, parse, question, result, left)
                if record_mode.is_record_mode(context.store)
                else compose.not_reported_for(parse, question, result)
            )
    except StatsError as error:
        # Understood, but the records of this store cannot give the figure (a --db store
        # with no patients, an empty group): the data's limit, not a bug to report.
        result = Answer(
            question=question,
            status="not_reported",
            intent=parse.intent,
            text=f"The records in this study store cannot give this figure ({error}).",
            values={},
            sources=[],
        )
    except Exception as error:  # noqa: BLE001 - the last line of defence for the user
        result = Answer(
            question=question,
            status="error",
            intent=parse.intent,
            text=f"Sorry: stormchat failed while answering this "
            f"({type(error).__name__}: {error}). Please report it with the "
            "question.",
            values={},
            sources=[],
        )
    return result, (asked if persist else context.settings)
