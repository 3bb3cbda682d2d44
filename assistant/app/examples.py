"""Example questions by area (from the intent spec) and the vocabulary the input completes:
one list shared by the welcome panel, the help screen, the `help` answer and the suggester, so
they never disagree."""

from __future__ import annotations

from functools import cache


@cache
def examples() -> dict[str, list[str]]:
    """The example questions by area. Read from the intent spec on first use, not on import:
    the app paints its first screen before the spec (and pydantic) are loaded."""
    from intents.spec import load_spec

    return load_spec().examples()


@cache
def welcome_examples() -> list[str]:
    """The few the welcome panel offers: one per kind of answer (rate, table + chart, KM)."""
    from intents.spec import load_spec

    return [
        q
        for intent in ("response_rate", "response_breakdown", "ae_incidence", "tte_median")
        if (q := load_spec().example(intent)) is not None
    ]


# Words worth completing mid-sentence, besides the adverse-event terms of the store.
TERMS: list[str] = [
    "overall response rate",
    "clinical benefit rate",
    "best response",
    "response",
    "progression-free survival",
    "overall survival",
    "duration of response",
    "time to response",
    "penta-refractory",
    "triple-class-refractory",
    "non-penta-refractory",
    "stringent complete response",
    "complete response",
    "very good partial response",
    "partial response",
    "minimal response",
    "stable disease",
    "progressive disease",
    "adverse events",
    "serious adverse events",
    "discontinued",
    "dose modification",
    "grade 3 or higher",
    "grade 3 or worse",
    "selinexor",
    "dexamethasone",
    "clopper-pearson",
    "wilson",
    "wilson-cc",
    "jeffreys",
    "agresti-coull",
    "interval",
    "median",
    "cytogenetics",
    "prior regimens",
    "bleeding",
    "thrombocytopenia",
    "anaemia",
    "neutropenia",
    "nausea",
    "fatigue",
    "hyponatraemia",
    "diarrhoea",
    "vomiting",
]


def all_examples() -> list[str]:
    return [question for questions in examples().values() for question in questions]
