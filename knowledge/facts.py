"""Every published fact about STORM Part 2, as structured ``StudyFact`` rows.

The content follows ``shared/storm/published_facts.md`` sections 1–5 and 7 (and the news item
``seed_news_item.md`` for the quotes). Each fact keeps the grade and source that document gives
it; percentages are as published, never recomputed; derived figures say how in ``note``.
The facts are split by area into ``facts_<area>`` modules and combined here.
"""

from __future__ import annotations

from knowledge.facts_definitions import definition_facts, population_facts
from knowledge.facts_design import (
    BAHLIS_QUOTE,
    RICHARDSON_QUOTE,
    design_facts,
    publication_facts,
)
from knowledge.facts_efficacy import baseline_facts, efficacy_facts, subgroup_facts
from knowledge.facts_gaps import discrepancy_facts, not_reported_facts
from knowledge.facts_safety import AE_TERMS, safety_facts
from knowledge.models import StudyFact

__all__ = [
    "AE_TERMS",
    "BAHLIS_QUOTE",
    "RICHARDSON_QUOTE",
    "TOPICS",
    "published_facts",
]

# Every topic a fact may carry.
TOPICS: frozenset[str] = frozenset(
    {
        "design",
        "dosing",
        "endpoint",
        "publication",
        "people",
        "quote",
        "population",
        "definition",
        "baseline",
        "efficacy",
        "subgroup",
        "safety",
        "not_reported",
        "discrepancy",
    }
)


def published_facts() -> list[StudyFact]:
    """All published facts, in the order of published_facts.md; ids are unique."""
    return [
        *design_facts(),
        *publication_facts(),
        *population_facts(),
        *baseline_facts(),
        *efficacy_facts(),
        *subgroup_facts(),
        *safety_facts(),
        *not_reported_facts(),
        *discrepancy_facts(),
        *definition_facts(),
    ]
