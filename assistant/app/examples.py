"""Example questions by area and the vocabulary the input completes: one list shared by the
welcome panel, the help screen and the suggester, so they never disagree."""

from __future__ import annotations

EXAMPLES: dict[str, list[str]] = {
    "Response": [
        "What was the overall response rate?",
        "What was the clinical benefit rate?",
        "Show the best response breakdown",
        "ORR in penta-refractory patients",
        "How many had a VGPR or better?",
    ],
    "Safety": [
        "Grade 3 or worse thrombocytopenia?",
        "How many had anaemia?",
        "What were the most common adverse events?",
        "How many discontinued because of adverse events?",
        "Deaths from adverse events",
    ],
    "Time to event": [
        "What was the median progression-free survival?",
        "What was the median overall survival?",
        "Median duration of response",
        "Median time to response",
    ],
    "Patients and study": [
        "What was the median age?",
        "How many prior regimens had patients received?",
        "What was the dosing schedule?",
        "What was the primary endpoint?",
        "What does penta-refractory mean?",
    ],
    "Statistics and follow-ups": [
        "ORR with a Wilson 90% interval",
        "How was that computed?",
        "and in penta-refractory patients?",
        "and grade 3 or higher?",
    ],
}

# The few the welcome panel offers: one per kind of answer (rate, table + chart, KM curve).
WELCOME_EXAMPLES: list[str] = [
    "What was the overall response rate?",
    "Show the best response breakdown",
    "Grade 3 or worse thrombocytopenia?",
    "What was the median progression-free survival?",
]

# Words worth completing mid-sentence, besides the adverse-event terms of the store.
TERMS: list[str] = [
    "overall response rate", "clinical benefit rate", "best response", "response",
    "progression-free survival", "overall survival", "duration of response",
    "time to response", "penta-refractory", "triple-class-refractory", "non-penta-refractory",
    "stringent complete response", "complete response", "very good partial response",
    "partial response", "minimal response", "stable disease", "progressive disease",
    "adverse events", "serious adverse events", "discontinued", "dose modification",
    "grade 3 or higher", "grade 3 or worse", "selinexor", "dexamethasone",
    "clopper-pearson", "wilson", "wilson-cc", "jeffreys", "agresti-coull", "interval",
    "median", "cytogenetics", "prior regimens", "bleeding", "thrombocytopenia", "anaemia",
    "neutropenia", "nausea", "fatigue", "hyponatraemia", "diarrhoea", "vomiting",
]


def all_examples() -> list[str]:
    return [question for questions in EXAMPLES.values() for question in questions]
