"""Every published fact about STORM Part 2, read from the YAML files in ``knowledge/data/facts``.

The facts are data a medical writer edits (``knowledge/data/facts/README.md`` says how); this
module holds their schema and the loader. Each fact says which query it answers (``answers``:
an intent and its slots), gives its figure once (value, unit, n, its population — whose size is
declared once, in ``populations.yaml`` — CI and range where published), its wording, source and
grade; a count that is not published but that the reconstruction must hit (the integer behind a
published percentage) is its ``derived_count``. The store build, the reconstruction targets
(``knowledge.targets``), ``verify`` and the tests all read the figures from here.

A file that does not match the schema is refused with its name and the fact's id (``FactsError``).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from knowledge.models import Count, StudyFact

__all__ = [
    "FACT_FILES",
    "TOPICS",
    "FactEntry",
    "FactsError",
    "QueryKey",
    "fact_entries",
    "facts_dir",
    "load_fact_entries",
    "published_facts",
]

# The files, in the order of published_facts.md (the store keeps this order, so a rebuild gives
# the same bytes). Every YAML file in the directory must be listed here.
FACT_FILES: tuple[str, ...] = (
    "design",
    "publication",
    "populations",
    "baseline",
    "efficacy",
    "subgroups",
    "safety",
    "not_reported",
    "discrepancies",
    "definitions",
)

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


class FactsError(ValueError):
    """A facts file that cannot be read or does not match the schema; the message names the
    file and, where there is one, the fact."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class QueryKey(_Strict):
    """The query a fact answers: an intent of ``intents/data/intents.yaml`` and the slot
    values that select this fact (``tests/test_facts.py`` checks both exist)."""

    intent: str = Field(pattern=r"^[a-z_]+$")
    slots: dict[str, str | int] = Field(default_factory=dict)


class FactEntry(StudyFact):
    """One fact as written in a facts file: a ``StudyFact`` plus what the store does not carry
    (which query it answers, the reconstruction's integer target). ``population_n`` is usually
    left out and filled from the file set's ``populations`` table."""

    answers: QueryKey | None = Field(
        default=None, description="the query this fact answers; None for context only"
    )
    derived_count: Count | None = Field(
        default=None,
        description="the integer the reconstruction must hit where only a percentage is "
        "published (derived from it, never shown as published)",
    )

    def fact(self) -> StudyFact:
        """The fact as the store holds it."""
        return StudyFact.model_validate(self.model_dump(exclude={"answers", "derived_count"}))


class _FactFile(_Strict):
    """The top level of a facts file."""

    populations: dict[str, Annotated[int, Field(ge=1, le=10_000_000)]] = Field(default_factory=dict)
    facts: list[dict[str, object]]


def facts_dir() -> Path:
    """The shipped facts directory."""
    return Path(str(files("knowledge.data"))) / "facts"


def _read(path: Path) -> _FactFile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise FactsError(f"{path}: cannot be read ({error})") from None
    try:
        return _FactFile.model_validate(raw)
    except ValidationError as error:
        raise FactsError(f"{path}: {_first_error(error)}") from None


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def load_fact_entries(directory: Path) -> list[FactEntry]:
    """Every fact of ``directory``, in ``FACT_FILES`` order, validated; raises ``FactsError``
    naming the file and the fact on the first problem."""
    listed = {f"{name}.yaml" for name in FACT_FILES}
    unlisted = sorted(p.name for p in directory.glob("*.yaml") if p.name not in listed)
    if unlisted:
        raise FactsError(
            f"{directory}: {', '.join(unlisted)} not in knowledge.facts.FACT_FILES "
            "(list a new file there, in reading order)"
        )
    files_ = [
        (directory / f"{name}.yaml", _read(directory / f"{name}.yaml")) for name in FACT_FILES
    ]
    sizes: dict[str, int] = {}
    for path, parsed in files_:
        for name, size in parsed.populations.items():
            if sizes.setdefault(name, size) != size:
                raise FactsError(
                    f"{path}: population {name!r} declared as {size} and {sizes[name]}"
                )
    entries: list[FactEntry] = []
    seen: dict[str, Path] = {}
    for path, parsed in files_:
        for index, raw in enumerate(parsed.facts):
            entry = _entry(path, index, raw, sizes)
            if entry.id in seen:
                raise FactsError(f"{path}: fact {entry.id}: id already used in {seen[entry.id]}")
            seen[entry.id] = path
            entries.append(entry)
    return entries


def _entry(path: Path, index: int, raw: dict[str, object], sizes: dict[str, int]) -> FactEntry:
    """One fact, its population's size filled in from the ``populations`` table."""
    name = f"fact {raw.get('id', f'#{index + 1} (no id)')}"
    population = raw.get("population")
    if population is not None and "population_n" not in raw:
        if not isinstance(population, str) or population not in sizes:
            raise FactsError(
                f"{path}: {name}: population {population!r} has no size: declare it under "
                "'populations' (populations.yaml) or give population_n"
            )
        raw = {**raw, "population_n": sizes[population]}
    elif isinstance(population, str) and population in sizes:
        if raw.get("population_n") != sizes[population]:
            raise FactsError(
                f"{path}: {name}: population_n {raw.get('population_n')!r} contradicts "
                f"{population!r} = {sizes[population]} (populations.yaml); leave it out"
            )
    try:
        entry = FactEntry.model_validate(raw)
    except ValidationError as error:
        raise FactsError(f"{path}: {name}: {_first_error(error)}") from None
    if entry.topic not in TOPICS:
        raise FactsError(f"{path}: {name}: topic {entry.topic!r} is not one of {sorted(TOPICS)}")
    return entry


@cache
def fact_entries() -> tuple[FactEntry, ...]:
    """The shipped facts as written, read once."""
    return tuple(load_fact_entries(facts_dir()))


def published_facts() -> list[StudyFact]:
    """All published facts as the store holds them, in the order of published_facts.md; ids
    are unique."""
    return [entry.fact() for entry in fact_entries()]
