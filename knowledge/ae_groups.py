"""Groups of adverse-event terms for overview tables, read from ``data/ae_groups.yaml``.

The grouping is data a medical writer edits; this module only validates it and answers
"which group is this term in" for a list of store terms.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, ConfigDict, Field, model_validator

from knowledge.data_files import read_yaml


class AEGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    terms: tuple[str, ...] = Field(min_length=1)


class AEGroups(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    groups: dict[str, AEGroup]
    other: str = Field(min_length=1)

    @model_validator(mode="after")
    def _each_term_once(self) -> AEGroups:
        seen: dict[str, str] = {}
        for key, group in self.groups.items():
            for term in group.terms:
                if term in seen:
                    raise ValueError(f"{term!r} is in both {seen[term]!r} and {key!r}")
                seen[term] = key
        if "other" in self.groups:
            raise ValueError("'other' is the heading for ungrouped terms, not a group key")
        return self

    def arrange(self, terms: list[str], group: str = "all") -> list[tuple[str, str, list[str]]]:
        """``terms`` (store terms) as ``(key, title, terms)`` sections in the data's order:
        every group, then "other" for the terms no group lists; only the one group asked
        for unless ``group`` is "all". Empty sections are left out."""
        present = set(terms)
        sections = [
            (key, g.title, [t for t in g.terms if t in present]) for key, g in self.groups.items()
        ]
        listed = {t for g in self.groups.values() for t in g.terms}
        sections.append(("other", self.other, sorted(present - listed)))
        return [s for s in sections if s[2] and group in ("all", s[0])]


@cache
def load_ae_groups() -> AEGroups:
    return AEGroups.model_validate(read_yaml("ae_groups.yaml"))
