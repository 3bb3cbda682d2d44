"""The built-in walkthrough of STORM Part 2, in the order a presentation tells it.

Kept as Python rather than a data file so it ships with the code without package data. Every
question is worded the way the parser understands it (the tests check that each one is
``answered``, asked in order in one conversation, as the demo asks them).
"""

from __future__ import annotations

from assistant.demo.script import Script, Step
from assistant.study_profile import STORM, StudyProfile

BUILTIN_NAME = "built-in"
BUILTIN_TITLE = "STORM Part 2: the findings, step by step"

_STEPS: tuple[tuple[str, str], ...] = (
    (
        "The patients: triple-class-refractory, most of them penta-refractory",
        "How many patients were triple-class-refractory?",
    ),
    (
        "The regimen: oral selinexor 80 mg + dexamethasone 20 mg twice weekly",
        "What was the regimen?",
    ),
    ("How selinexor works", "How does selinexor work?"),
    (
        "The primary endpoint: overall response, with its 95 % CI",
        "What was the overall response rate?",
    ),
    ("The best-response breakdown", "Show the best response breakdown"),
    ("Clinical benefit: minimal response or better", "What was the clinical benefit rate?"),
    ("Durability: how long responses lasted", "What was the median duration of response?"),
    ("Progression-free survival", "What was the median progression-free survival?"),
    ("Overall survival", "What was the median overall survival?"),
    (
        "The penta-refractory subgroup (the FDA label's population)",
        "ORR in penta-refractory patients",
    ),
    ("Safety: thrombocytopenia, the main toxicity", "Grade 3 or worse thrombocytopenia?"),
    ("Safety: bleeding", "How many had bleeding events?"),
    ("Safety: the common events, mostly grade 1-2", "What were the most common adverse events?"),
    ("What the investigators said", "What did Paul Richardson say?"),
    (
        "The limits of the evidence: single arm, no comparator, reconstructed records",
        "What are the limitations of the study?",
    ),
)

BUILTIN = Script(
    steps=tuple(Step(question=question, caption=caption) for caption, question in _STEPS),
    name=BUILTIN_NAME,
    title=BUILTIN_TITLE,
)


def default_script(study: StudyProfile) -> Script:
    """The walkthrough ``stormchat demo`` runs without ``--script``: STORM's, or for an
    imported study the questions its records answer (those of its study card)."""
    if study == STORM:
        return BUILTIN
    return Script(
        steps=tuple(
            Step(question=question, caption=label) for label, question in study.key_questions
        ),
        name=BUILTIN_NAME,
        title=f"{study.name}: the records, step by step",
    )
