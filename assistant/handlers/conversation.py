"""Greeting, help, thanks, clarification, scope, statistics settings and "how was that
computed?"."""

from __future__ import annotations

from assistant.answer import Answer
from assistant.handlers.context import Context, Settings
from assistant.handlers.figures import METHOD_SHORT, answer, level_text
from intents.schema import Parse
from intents.spec import load_spec

# Example questions by area, from the intent spec (intents/data/intents.yaml): the help
# answer, the unknown answer, clarifications and the chat app's help screen use the same list.
EXAMPLES: dict[str, list[str]] = load_spec().examples()


def greeting(ctx: Context, parse: Parse, question: str) -> Answer:
    return answer(
        parse,
        question,
        "answered",
        f"Hello. Ask me about {ctx.store.meta.study} ({len(ctx.store.population('mITT'))}"
        " patients): response rates, adverse events, survival, the patients and the "
        "study itself. Type 'help' for examples.",
    )


def thanks(ctx: Context, parse: Parse, question: str) -> Answer:
    return answer(parse, question, "answered", "You're welcome.")


def help_answer(ctx: Context, parse: Parse, question: str) -> Answer:
    lines = [
        f"{area}: " + "; ".join(f'"{e}"' for e in examples) for area, examples in EXAMPLES.items()
    ]
    markdown = "\n".join(
        f"**{area}**\n" + "\n".join(f"- {e}" for e in examples) + "\n"
        for area, examples in EXAMPLES.items()
    )
    text = (
        "You can ask about response, safety, survival, the patients, the study, "
        'subgroups and statistics, and the records. Follow-ups such as "and grade 3 or '
        'higher?" or "and in penta-refractory patients?" reuse the previous question. '
        + " ".join(lines)
    )
    return answer(parse, question, "answered", text, {"areas": list(EXAMPLES)}, markdown=markdown)


ENDPOINT_NAMES = {
    "PFS": "progression-free survival",
    "OS": "overall survival",
    "DOR": "duration of response",
    "TTR": "time to response",
    "TRTDUR": "duration of treatment",
}


def example_for(intent: str, slots: dict[str, object]) -> str | None:
    """A question that asks for one reading of an ambiguous parse."""
    if intent == "tte_median" and slots.get("endpoint") in ENDPOINT_NAMES:
        return f"What was the median {ENDPOINT_NAMES[str(slots['endpoint'])]}?"
    if intent == "ae_incidence" and isinstance(slots.get("term"), str) and slots["term"] != "any":
        return f"How many patients had {str(slots['term']).lower()}?"
    if intent == "response_rate" and slots.get("threshold") == "MR":
        return "What was the clinical benefit rate?"
    spec = load_spec()
    named = [str(v).lower().split("_") for v in slots.values() if isinstance(v, str)]
    # The intent's own example that names the value ("dose_dexamethasone" → "What dose of
    # dexamethasone was given?"), else its canonical one.
    examples = spec.intents[intent].examples if intent in spec.intents else []
    for example in examples:
        if any(all(w in example.lower() for w in words) for words in named):
            return example
    return spec.example(intent)


def clarify(ctx: Context, parse: Parse, question: str) -> Answer:
    examples = (
        example_for(alt.intent, {k: s.value for k, s in alt.slots.items()})
        for alt in parse.alternatives
    )
    readings = list(dict.fromkeys(r for r in examples if r))[:3]
    missing = parse.get("missing")
    if missing == "term":
        text = (
            'Which adverse event do you mean? For example: "grade 3 or higher '
            'thrombocytopenia", "grade 3 anaemia", "grade 4 neutropenia".'
        )
    elif missing == "level":
        asked = parse.get("level_text")
        shown = (
            f"{asked * 100:g} %"
            if isinstance(asked, int | float) and asked <= 1
            else f"{asked:g} %"
            if isinstance(asked, int | float)
            else "another level"
        )
        text = (
            f"A confidence level must be between 50 and 99.9 % (you asked for {shown}). "
            'For example: "use a 90% interval".'
        )
    elif readings:
        text = "Did you mean one of these? " + " / ".join(f'"{r}"' for r in readings)
    else:
        text = (
            'Could you say a little more? For example: "What was the overall response '
            'rate?" or "How many had grade 3 or higher thrombocytopenia?"'
        )
    return answer(parse, question, "clarify", text, {"readings": readings})


def out_of_scope(ctx: Context, parse: Parse, question: str) -> Answer:
    return answer(
        parse,
        question,
        "out_of_scope",
        "I only answer questions about the STORM Part 2 study of selinexor with "
        "dexamethasone, from its published results. I can't advise on anyone's "
        "treatment — that is a conversation for their doctor — or answer about other "
        "studies or topics.",
    )


def unknown(ctx: Context, parse: Parse, question: str) -> Answer:
    spec = load_spec()
    examples = [
        q
        for i in ("response_rate", "ae_incidence", "tte_median", "study_fact")
        if (q := spec.example(i)) is not None
    ]
    if not question.strip():
        lead = "Please type a question about STORM Part 2."
    else:
        lead = "I didn't understand that."
    return answer(
        parse,
        question,
        "unknown",
        f"{lead} Try: " + " / ".join(f'"{e}"' for e in examples) + " — or type 'help'.",
        {"examples": examples},
    )


def settings_text(settings: Settings) -> str:
    return f"{METHOD_SHORT[settings.ci_method]} intervals at {level_text(settings.level)}"


def set_stats(ctx: Context, parse: Parse, question: str) -> Answer:
    """The settings themselves are changed by the dispatcher; this confirms them."""
    return answer(
        parse,
        question,
        "answered",
        f"From now on in this conversation: {settings_text(ctx.settings)}.",
        {"ci_method": ctx.settings.ci_method, "level": ctx.settings.level},
    )


def explain_method(ctx: Context, parse: Parse, question: str) -> Answer:
    last = ctx.last_answer
    if last is None:
        return answer(
            parse,
            question,
            "answered",
            "Rates are k of n with an exact (Clopper–Pearson) 95 % interval unless "
            "you ask for another; adverse events count each patient once per term at "
            "the worst grade over the whole safety population; medians "
            "of survival are Kaplan–Meier with a Brookmeyer–Crowley interval (log-log)."
            " Ask a question first and I will explain how its figure was computed.",
        )
    values = last.values
    # The figure this very question named is given in full, then how it was computed.
    parts = (
        [last.text.rstrip(), "How it was computed:"]
        if last.question == question
        else [f'For "{last.question.strip()[:80]}":']
    )
    if "ci_method" in values and "N" in values:
        parts.append(
            f"{values.get('n')} of {values.get('N')} patients, a proportion with a "
            f"{level_text(values['level'])} {METHOD_SHORT[values['ci_method']]} "
            "confidence interval (scipy.stats.binomtest)."
        )
    if "median" in values and "events" in values:
        parts.append(
            "A Kaplan–Meier median (first time the survival curve is at or below "
            "0.5), its interval by Brookmeyer–Crowley from the log-log pointwise band "
            f"({values.get('n')} patients, {values.get('events')} events)."
        )
    elif "median" in values:
        parts.append("The observed median and range of the values, as the sources report it.")
    if "p_value" in values:
        parts.append("Fisher's exact test (two-sided) and a Wald interval for the difference.")
    if last.intent and last.intent.startswith("ae_"):
        parts.append(
            "Adverse events count each patient once per term, at the worst grade, "
            "over the safety population."
        )
    if last.question != question:  # else the answer's own sources are those of the figure
        parts.append(
            "Sources: " + "; ".join(last.sources) + "."
            if last.sources
            else "No figure was computed."
        )
    return answer(parse, question, "answered", " ".join(parts), dict(values), list(last.sources))
