"""What the chat app and the demo say about the study: STORM Part 2 as published, or, for a
store without published facts (a team's ADaM import), the study its metadata and records
describe — its id, title and arms — and questions its records answer. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.store import Store


@dataclass(frozen=True)
class StudyProfile:
    name: str  # the card's title
    summary: str  # the study in a sentence (the demo's handout)
    subtitle: str  # the app's subtitle
    source: str  # under the card's title
    sections: tuple[tuple[str, str], ...]  # (heading, text) on the card
    key_questions: tuple[tuple[str, str], ...]  # (label, question): the card's key results
    lead: str  # the welcome's first paragraph
    hint: str  # the one-line welcome after the first run
    placeholder: str  # the empty input's
    examples: tuple[str, ...]  # questions the welcome offers


STORM = StudyProfile(
    name="STORM Part 2",
    summary=(
        "STORM Part 2: oral selinexor 80 mg + dexamethasone 20 mg twice weekly in 122 "
        "patients with triple-class-refractory multiple myeloma (N Engl J Med "
        "2019;381:727-38)"
    ),
    subtitle="STORM Part 2 · selinexor + dexamethasone",
    source="Chari et al. N Engl J Med 2019;381:727-38",
    sections=(
        (
            "Regimen",
            "Selinexor 80 mg + dexamethasone 20 mg, orally, days 1 and 3 of every week "
            "(twice weekly)",
        ),
        (
            "Population",
            "Triple-class-refractory multiple myeloma: refractory to a proteasome "
            "inhibitor, an immunomodulatory drug and daratumumab",
        ),
    ),
    key_questions=(
        ("Overall response", "ORR"),
        ("Clinical benefit", "CBR"),
        ("Median PFS", "median PFS"),
        ("Median OS", "median OS"),
        ("Median DOR", "median DOR"),
        ("Grade ≥3 thrombocytopenia", "grade 3 or worse thrombocytopenia"),
    ),
    lead=(
        "Answers about STORM Part 2: oral selinexor 80 mg + dexamethasone 20 mg twice "
        "weekly in 122 patients with triple-class-refractory myeloma (N Engl J Med "
        "2019;381:727-38). Every figure comes with its numerator, denominator, "
        "interval, method and source. Click a question, or type your own:"
    ),
    hint=(
        "Ask about STORM Part 2. Up recalls your earlier questions; F1 lists "
        "the keys and example questions."
    ),
    placeholder="Ask about STORM Part 2, e.g. What was the overall response rate?",
    examples=(),  # the app offers the intent spec's (assistant.app.examples.WELCOME_EXAMPLES)
)


def profile(store: Store) -> StudyProfile:
    """STORM's profile for the shipped store (or one like it); the store's own otherwise."""
    # Imported here: the chat app shows STORM (this module's constant) in its first frame,
    # before the handlers and the store are loaded.
    from assistant.handlers.record_mode import is_record_mode

    return _from_records(store) if is_record_mode(store) else STORM


def _from_records(store: Store) -> StudyProfile:
    from assistant.handlers.record_mode import source
    from knowledge import by_arm

    meta = store.meta
    name = meta.study_id or meta.title or meta.study
    title = meta.title if meta.title and meta.title != name else None
    arms = by_arm.arms(store)
    per_arm = ", ".join(f"{arm} ({len(by_arm.arm_members(store, 'safety', arm))})" for arm in arms)
    sections: list[tuple[str, str]] = []
    if title:
        sections.append(("Study", title))
    if arms:
        control = f"; control: {meta.control_arm}" if meta.control_arm else ""
        sections.append(("Arms (safety population)", per_arm + control))
    sections.append(
        (
            "Records",
            f"{len(store.subjects)} subjects; {len(store.population('safety'))} in the "
            f"safety and {len(store.population('mITT'))} in the efficacy population",
        )
    )
    questions = _questions(store)
    return StudyProfile(
        name=name,
        summary=(
            f"{name}{f' ({title})' if title else ''}: {len(store.subjects)} subjects"
            + (f" in {len(arms)} arms ({', '.join(arms)})" if arms else "")
            + f", {source(store)}"
        ),
        subtitle=f"{name} · {', '.join(arms)}" if arms else name,
        source=source(store)[:1].upper() + source(store)[1:],
        sections=tuple(sections),
        key_questions=tuple(questions),
        lead=(
            f"Answers about {name}{f' ({title})' if title else ''}"
            + (f", arms {', '.join(arms)}" if arms else "")
            + f": computed from the study's own records ({len(store.subjects)} subjects), "
            "with no published figures beside them. Every figure comes with its numerator, "
            "denominator, interval and method"
            + (", per arm against the control arm" if meta.control_arm else "")
            + ". Click a question, or type your own:"
        ),
        hint=(
            f"Ask about {name}, from its records. Up recalls your earlier questions; F1 "
            "lists the keys."
        ),
        placeholder=f"Ask about {name}"
        + (f", e.g. {questions[0][1]}" if questions else ", from its records"),
        examples=tuple(question for _, question in questions),
    )


def _questions(store: Store) -> list[tuple[str, str]]:
    """Questions the records answer: any adverse event and the most common one, the
    response rate, and the median of each time-to-event parameter (up to three)."""
    out: list[tuple[str, str]] = []
    if store.adverse_events:
        out.append(("Any adverse event", "How many patients had any adverse event?"))
        counts = {term: len(rows) for term, rows in store.adverse_events.items()}
        common = max(sorted(counts), key=lambda term: counts[term])
        out.append((f"{common.capitalize()} (most common)", f"How many had {common.lower()}?"))
    if any(row.AVALC for row in store.responses.values()):
        out.append(("Overall response", "What was the overall response rate?"))
    for param in sorted(store.tte)[:3]:
        out.append((f"Median {param}", f"What was the median {param}?"))
    return out
