"""List or count patients in the reconstructed records that match conditions."""

from __future__ import annotations

from assistant.answer import ILLUSTRATIVE_SOURCE, RECORDS_SOURCE, Answer
from assistant.handlers.context import Context
from assistant.handlers.figures import POPULATION_LABELS, answer, table
from assistant.neutral import markdown_inline
from intents.schema import Parse
from knowledge import queries as q

MAX_LISTED = 40
CAVEAT = (
    "These are reconstructed records, not the trial's patients: individual rows are "
    "illustrative; only totals with a published counterpart are study results."
)


def records(ctx: Context, parse: Parse, question: str) -> Answer:
    population = parse.get("population", "safety")
    members = list(ctx.store.population(population))
    conditions: list[str] = []
    category = parse.get("category") or parse.get("threshold")
    if category:
        wanted = (
            q.categories_at_or_above(category)
            if parse.get("threshold") and not parse.get("category")
            else (category,)
        )
        hits = set(q.responders(ctx.store, "mITT", wanted))
        members = [sid for sid in members if sid in hits]
        conditions.append("best response " + "/".join(wanted))
    term = parse.get("term")
    if term and term != q.ANY_EVENT:
        op = parse.get("grade_op", "any")
        hits = set(
            q.ae_subjects(ctx.store, term, op, parse.get("grade_low"), parse.get("grade_high"))
        )
        members = [sid for sid in members if sid in hits]
        conditions.append(
            term.lower() + ("" if op == "any" else f" (grade {op} {parse.get('grade_low')})")
        )
    if parse.get("bleeding"):
        hits = set(q.ae_subjects(ctx.store, "Haemorrhage", "ge", 3))
        members = [sid for sid in members if sid in hits]
        conditions.append("grade ≥3 bleeding")
    where = " and ".join(conditions) or "no condition"
    head = (
        f"{len(members)} patients in the reconstructed records match {where} "
        f"({POPULATION_LABELS.get(population, population)})."
    )
    rows = [_row(ctx, sid) for sid in members[:MAX_LISTED]]
    listing = ""
    if parse.get("mode", "list") == "list" and members:
        listing = (
            " "
            + ", ".join(members[:MAX_LISTED])
            + (f" … and {len(members) - MAX_LISTED} more" if len(members) > MAX_LISTED else "")
        )
        listing += "."
    headers = ["patient", "best response", "penta", "adverse events (worst grade)"]
    markdown = (
        f"{markdown_inline(head)}\n\n" + (table(headers, rows) if rows else "") + f"\n\n_{CAVEAT}_"
    )
    return answer(
        parse,
        question,
        "answered",
        f"{head}{listing} {CAVEAT}",
        {"n": len(members), "subjects": members[:MAX_LISTED], "conditions": conditions},
        [RECORDS_SOURCE, ILLUSTRATIVE_SOURCE],
        markdown=markdown,
    )


def _row(ctx: Context, sid: str) -> list[str]:
    response = ctx.store.responses.get(sid)
    bor = response.AVALC if response and response.AVALC else ("SD/PD/NE" if response else "—")
    events = sorted(
        (term, rows[sid].AETOXGR) for term, rows in ctx.store.adverse_events.items() if sid in rows
    )
    return [
        sid,
        bor,
        "yes" if ctx.store.subjects[sid].PENTAFL else "no",
        ", ".join(f"{t} G{g}" for t, g in events) or "none",
    ]
