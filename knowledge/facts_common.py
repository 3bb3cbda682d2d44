"""Shared pieces of the published-fact modules: source names and population keywords.

Kept apart so that every ``facts_<area>`` module names sources and populations the same way.
"""

from __future__ import annotations

from typing import Final

# The founding document: Lancet Oncology news item by Robert Stirrups, 30 August 2019.
NEWS: Final[str] = "news item (Lancet Oncology, 2019)"
NEJM: Final[str] = "NEJM abstract"
MMHUB: Final[str] = "multiplemyelomahub.com"
IMWG: Final[str] = "IMWG uniform response criteria"

# Keyword arguments for the three populations of the study (published_facts.md, top).
MITT: Final[dict[str, str | int]] = {"population": "mITT", "population_n": 122}
SAFETY: Final[dict[str, str | int]] = {"population": "safety", "population_n": 123}
PENTA: Final[dict[str, str | int]] = {"population": "penta-refractory", "population_n": 83}
