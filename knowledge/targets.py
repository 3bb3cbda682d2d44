"""The figures the reconstruction must hit, read from the published facts (``knowledge.facts``).

Each target is looked up by fact id, so a figure lives once, in ``knowledge/data/facts``: the
store's facts, the reconstructed records built to match them, ``verify`` that compares the two,
and the tests all read the same number. A count is the fact's published ``n`` or, where only a
percentage is published, its ``derived_count``; a fact that gives neither is a ``KeyError``
naming it, raised when the reconstruction is built, never a silent default.
"""

from __future__ import annotations

from functools import cache

from knowledge.facts import FactEntry, fact_entries

__all__ = ["count", "fact", "grade4_count", "number", "population_size", "range_of"]


@cache
def _by_id() -> dict[str, FactEntry]:
    return {entry.id: entry for entry in fact_entries()}


def fact(fact_id: str) -> FactEntry:
    """The fact ``fact_id`` as written in its file."""
    try:
        return _by_id()[fact_id]
    except KeyError:
        raise KeyError(
            f"the reconstruction needs fact {fact_id}, which no facts file has"
        ) from None


def count(fact_id: str) -> int:
    """The fact's published count, else the count derived from its percentage."""
    entry = fact(fact_id)
    value = entry.n if entry.n is not None else entry.derived_count
    if value is None:
        raise KeyError(f"fact {fact_id} has neither n nor derived_count")
    return value


def number(fact_id: str) -> float:
    """The fact's numeric value (a median, a percentage)."""
    value = fact(fact_id).value
    if isinstance(value, str) or value is None:
        raise KeyError(f"fact {fact_id} has no numeric value ({value!r})")
    return float(value)


def range_of(fact_id: str) -> tuple[float, float]:
    """The fact's published range (lowest, highest)."""
    entry = fact(fact_id)
    if entry.range_low is None or entry.range_high is None:
        raise KeyError(f"fact {fact_id} has no range")
    return entry.range_low, entry.range_high


def grade4_count(term_key: str) -> int:
    """Grade-4 patients of an adverse-event term: its grade 3–4 count minus its grade-3 one
    where both are published (or derived from published percentages), else 0 — a separate
    grade-4 figure the sources do not give is not invented."""
    ids = {entry.id for entry in fact_entries()}
    g34, g3 = f"safety.ae.{term_key}.g34", f"safety.ae.{term_key}.g3"
    g4 = f"safety.ae.{term_key}.g4"
    if g4 in ids:
        return count(g4)
    if g34 in ids and g3 in ids:
        return count(g34) - count(g3)
    return 0


def population_size(name: str) -> int:
    """The size of a population as declared in ``populations.yaml``."""
    for entry in fact_entries():
        if entry.population == name and entry.population_n is not None:
            return entry.population_n
    raise KeyError(f"no fact has population {name!r}")
