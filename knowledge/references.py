"""How answers cite their sources, read from ``data/references.yaml``.

The published facts name their sources briefly ("NEJM abstract", "multiplemyelomahub.com");
a reader needs the full reference. This module maps each name to the lines an answer cites:
the paper's full reference for the paper's figures (with the secondary source that reported
them), the news item for what only it says, the FDA snapshot for the label population.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, model_validator

from knowledge.data_files import read_yaml

STANDING = {"primary": "primary source", "secondary": "secondary source"}


class SourceEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cites: str | None = None
    via: bool = False
    name: str | None = None
    standing: str | None = None


class References(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    references: dict[str, str]
    sources: dict[str, SourceEntry]
    news_only: tuple[str, ...] = ()
    label_population: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _known_references(self) -> References:
        for name, entry in self.sources.items():
            if entry.cites is not None and entry.cites not in self.references:
                raise ValueError(f"source {name!r} cites unknown reference {entry.cites!r}")
        if entry_missing := {"paper", "news", "fda_snapshot"} - set(self.references):
            raise ValueError(f"references missing: {sorted(entry_missing)}")
        return self

    def cite(self, fact_id: str, source: str, grade: str) -> list[str]:
        """The lines citing one fact whose ``source`` names one or more sources ("; ")."""
        lines: list[str] = []
        if _matches(fact_id, self.label_population):
            lines.append(self.references["fda_snapshot"])
        for name in (part.strip() for part in source.split("; ")):
            if not name:
                continue
            entry = self.sources.get(name)
            if entry is None:  # a source the data does not know yet: its name and standing
                lines.append(_named(name, STANDING.get(grade)))
            elif entry.cites == "paper" and entry.via and _matches(fact_id, self.news_only):
                lines.append(self.references["news"])
            elif entry.cites is not None and entry.via:
                lines.append(self.references[entry.cites])
                lines.append(
                    "as reported by "
                    + _named(entry.name or name, _or(entry.standing, "secondary source"))
                )
            elif entry.cites is not None:
                lines.append(self.references[entry.cites])
            else:
                lines.append(_named(entry.name or name, _or(entry.standing, STANDING.get(grade))))
        return list(dict.fromkeys(lines))

    def is_reference(self, line: str) -> bool:
        return line in self.references.values()


def _or(given: str | None, default: str | None) -> str | None:
    return default if given is None else given


def _named(name: str, standing: str | None) -> str:
    return f"{name} ({standing})" if standing else name


def _matches(fact_id: str, patterns: tuple[str, ...]) -> bool:
    return any(
        fact_id.startswith(p) if p.endswith(".") else fact_id == p or fact_id.startswith(p + ".")
        for p in patterns
    )


@cache
def load_references() -> References:
    return References.model_validate(read_yaml("references.yaml"))
