"""Adverse-event overview tables: every term by grade band, grouped as ``ae_groups.yaml`` says.

Each cell is the count in the reconstructed records (a patient once per term, at the worst
grade, over the safety population) with its published counterpart beside it: the published
percentage, a percentage that follows by arithmetic from published ones (grade 4 = grade 3–4
minus grade 3), or "no published figure". A cell with no published counterpart is a count the
records hold only because they were built to match the other figures: the answer says which
cells those are, and that they are not study results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from assistant.answer import ILLUSTRATIVE_SOURCE, Answer
from assistant.handlers.context import Context
from assistant.handlers.figures import answer, sources_for, table
from intents.schema import Parse
from knowledge import queries as q
from knowledge.models import AE_BANDS, StudyFact

if TYPE_CHECKING:
    from knowledge.ae_groups import AEGroups

Standing = Literal["published", "derived", "none", "not_recorded"]

ALL_BANDS = ("any", "g3", "g4", "g34")
SEVERE_BANDS = ("g3", "g4", "g34")
# The lowest grade each band counts: a term whose records start at grade 3 has no any-grade
# count in them.
BAND_LOW = {"any": 1, "g3": 3, "g4": 4, "g34": 3}
NO_COUNTERPART = "no published figure"
EVERY_EVENT = ("show", "list", "give", "tabulate")


@dataclass(frozen=True)
class Cell:
    """One term × band: the records' count and its published counterpart."""

    band: str
    n: int | None
    N: int
    standing: Standing
    published_pct: float | None = None
    derivation: str = ""  # "44 − 42" for a derived counterpart
    facts: tuple[StudyFact, ...] = ()

    @property
    def counterpart(self) -> str:
        if self.standing == "published":
            return f"published {_pct(self.published_pct)}"
        if self.standing == "derived":
            return f"derived from published {self.derivation} = {_pct(self.published_pct)}"
        return NO_COUNTERPART

    def short(self) -> str:
        """The same for a table cell: "33 (26.8 %); 27 %", "2 (1.6 %); 2 % derived (44 − 42)",
        "0 (0.0 %); none" (the table's heading says what the two figures are)."""
        if self.n is None:
            return f"—; {_pct(self.published_pct)}" if self.facts else "not reported"
        counterpart = {
            "published": _pct(self.published_pct),
            "derived": f"{_pct(self.published_pct)} derived ({self.derivation})",
        }.get(self.standing, "none")
        return f"{self.n} ({100 * self.n / self.N:.1f} %); {counterpart}"

    def text(self) -> str:
        """ "90/123 (73.2 %; published 73 %)"; "not counted (published 19 %)"."""
        if self.n is None and self.facts:
            return f"not counted (published {_pct(self.published_pct)})"
        if self.n is None:
            return "not reported"
        return f"{self.n}/{self.N} ({100 * self.n / self.N:.1f} %; {self.counterpart})"


def _pct(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g} %"


def term_facts(ctx: Context, term: str) -> dict[str, StudyFact]:
    prefix = f"safety.ae.{term.lower()}."
    return {f.id[len(prefix) :]: f for f in ctx.store.facts_under(prefix)}


def _value(fact: StudyFact | None) -> float | None:
    if fact is None or isinstance(fact.value, bool) or not isinstance(fact.value, int | float):
        return None
    return float(fact.value)


def cell(ctx: Context, term: str, band: str, facts: dict[str, StudyFact]) -> Cell:
    """The records' count for ``term`` in ``band`` beside what the sources give for it."""
    n_safety = len(ctx.store.population("safety"))
    fact = facts.get(band)
    min_grade = ctx.store.meta.ae_min_grade.get(term, 1)
    if term not in ctx.store.adverse_events or min_grade > BAND_LOW[band]:
        return Cell(
            band,
            None,
            n_safety,
            "not_recorded",
            _value(fact),
            facts=(fact,) if fact else (),
        )
    spec = AE_BANDS[band]
    n = len(q.ae_subjects(ctx.store, term, spec.op, spec.low, spec.high))
    if fact is not None:
        return Cell(band, n, n_safety, "published", _value(fact), facts=(fact,))
    g3, g4, g34 = (_value(facts.get(k)) for k in ("g3", "g4", "g34"))
    if band == "g4" and g34 is not None and g3 is not None:
        return Cell(
            band,
            n,
            n_safety,
            "derived",
            round(g34 - g3, 1),
            f"{g34:g} − {g3:g}",
            (facts["g34"], facts["g3"]),
        )
    if band == "g34" and g3 is not None and g4 is not None:
        return Cell(
            band,
            n,
            n_safety,
            "derived",
            round(g3 + g4, 1),
            f"{g3:g} + {g4:g}",
            (facts["g3"], facts["g4"]),
        )
    return Cell(band, n, n_safety, "none")


def _groups() -> AEGroups:
    # Imported here: only a table question needs the groups, and a cold `ask` of any other
    # question should not pay for their models.
    from knowledge.ae_groups import load_ae_groups

    return load_ae_groups()


def _terms(ctx: Context) -> list[str]:
    """Terms with a published figure by grade, and any term a group names that the store
    has a count or a published sentence for (decreased appetite: "common", no count)."""
    named = {t for g in _groups().groups.values() for t in g.terms}
    return sorted(
        t
        for t in set(ctx.store.ae_terms) | named
        if term_facts(ctx, t) or (t in named and _sentence(ctx, t) is not None)
    )


def _sentence(ctx: Context, term: str) -> StudyFact | None:
    """A published sentence about a term that has no figure by grade."""
    return ctx.store.fact(f"safety.{term.lower().replace(' ', '_')}")


def ae_table(ctx: Context, parse: Parse, question: str) -> Answer:
    """Adverse events by term and grade band (any, 3, 4, 3–4; or 3, 4, 3–4 for "grade 3 or
    higher"), in the groups of ``ae_groups.yaml``, each count beside its published figure.
    Grade 3 or higher with no group named ("show me all grade 3+ AEs") is every event, the
    most frequent first, as ``ae_top`` gives it."""
    group = parse.slots.get("group")
    # "show me all …" asks for every event (the lexicon reads it as the group "all"), not for
    # the table by group.
    every = group is not None and (group.text or "").lower().startswith(EVERY_EVENT)
    if asks_grade3_or_higher(parse) and (group is None or group.start is None or every):
        return ranked_table(ctx, parse, question)
    return _table(ctx, parse, question, ranked=False)


def asks_grade3_or_higher(parse: Parse) -> bool:
    """Grade 3, 4, 3–4 or 3 and higher: the bands the sources publish event by event."""
    return parse.get("grade_op") in ("ge", "between", "eq") and (parse.get("grade_low") or 0) >= 3


def ranked_table(ctx: Context, parse: Parse, question: str) -> Answer:
    """Every adverse event by grade band, the most frequent first (by its published grade 3–4,
    else grade 3, else any-grade figure), each row naming its group."""
    return _table(ctx, parse, question, ranked=True)


def _rank(ctx: Context, term: str) -> float:
    facts = term_facts(ctx, term)
    for key in ("g34", "g3", "any"):
        value = _value(facts.get(key))
        if value is not None:
            return value
    return -1.0


def _table(ctx: Context, parse: Parse, question: str, ranked: bool) -> Answer:
    group = str(parse.get("group", "all") or "all")
    severe = parse.get("grade_op") in ("ge", "between", "eq") and (parse.get("grade_low") or 0) >= 3
    bands = SEVERE_BANDS if severe else ALL_BANDS
    groups = _groups()
    sections = groups.arrange(_terms(ctx), group)
    if ranked:
        # One section, the most frequent first; each row keeps its group's heading.
        pairs = [(t, key, heading) for key, heading, terms in sections for t in terms]
        pairs.sort(key=lambda p: (-_rank(ctx, p[0]), p[0]))
        headings = {t: (key, heading) for t, key, heading in pairs}
        sections = [("ranked", "", [t for t, _, _ in pairs])]
    title = (
        (
            "Adverse events"
            if group == "all"
            else f"{groups.groups[group].title if group in groups.groups else group.title()} "
            "adverse events"
        )
        + (", grade 3 or higher" if severe else "")
        + (", most frequent first" if ranked else "")
    )
    n = len(ctx.store.population("safety"))
    if not sections:
        return answer(parse, question, "not_reported", f"The sources report no {title.lower()}.")
    rows: list[list[str]] = []
    lines = [
        f"{title}, safety population (n = {n}): patients in the reconstructed records, "
        "each beside its published figure."
    ]
    entries: list[dict[str, object]] = []
    used: list[StudyFact] = []
    unpublished: list[str] = []
    indent = "  " if group == "all" and not ranked else ""
    for key, heading, terms in sections:
        if group == "all" and not ranked:
            lines.append(f"{heading}:")
        for index, term in enumerate(terms):
            if ranked:
                key, heading = headings[term]
            facts = term_facts(ctx, term)
            sentence = _sentence(ctx, term) if not facts else None
            if sentence is not None and severe:
                continue  # a term published as "typically grade 1 or 2", no count
            cells = [cell(ctx, term, band, facts) for band in bands]
            label = heading if index == 0 or ranked else ""
            if sentence is not None:
                used.append(sentence)
                rows.append([label, term, "no count", *("—" for _ in bands[1:])])
                lines.append(f"{indent}{term}: no count published. {sentence.text}")
                entries.append({"term": term, "section": key, "published": sentence.text})
                continue
            rows.append([label, term, *(c.short() for c in cells)])
            parts = [f"{AE_BANDS[c.band].label} {c.text()}" for c in cells]
            where = f" ({heading.lower()})" if ranked else ""
            lines.append(f"{indent}{term}{where}: " + "; ".join(parts))
            for c in cells:
                used.extend(c.facts)
                if c.n is not None and c.standing == "none":
                    unpublished.append(f"{term.lower()} {AE_BANDS[c.band].label}")
                entries.append(
                    {
                        "term": term,
                        "section": key,
                        "band": c.band,
                        "n": c.n,
                        "N": c.N,
                        "rate": None if c.n is None else round(c.n / c.N, 4),
                        "published_pct": c.published_pct,
                        "published": c.standing,
                    }
                )
    note = ""
    if unpublished:
        note = (
            f"No published figure for {', '.join(unpublished)}: those counts are the "
            "reconstructed records', built only to match the published figures, so they are "
            "not study results."
        )
        lines.append(note)
    markdown = (
        f"**{title}, safety population (n = {n})**\n\nEach cell: patients in the "
        f"reconstructed records (% of {n}); the published figure.\n\n"
    ) + table(["group", "event", *(AE_BANDS[k].label for k in bands)], rows)
    if note:
        markdown += f"\n\n{note}"
    sources = sources_for(*used)
    if unpublished:
        sources.append(ILLUSTRATIVE_SOURCE)
    return answer(
        parse,
        question,
        "answered",
        "\n".join(lines),
        {
            "group": group,
            "grade": "grade 3 or higher" if severe else "any",
            "events": entries,
        },
        sources,
        markdown=markdown,
    )
