"""Comparisons between the penta-refractory patients and the other mITT patients."""

from __future__ import annotations

from assistant.answer import Answer, Chart
from assistant.handlers.context import Context
from assistant.handlers.figures import (
    answer,
    level_text,
    published_rate,
    rate_figure,
    sentence_case,
    sources_for,
    table,
)
from assistant.handlers.response import THRESHOLD_NAMES
from intents.schema import Parse
from knowledge import queries as q
from knowledge.stats import compare_rates

POST_HOC = (
    "A post-hoc comparison: the study was single-arm and not designed to compare "
    "these groups, so the p-value is descriptive only."
)


def compare(ctx: Context, parse: Parse, question: str) -> Answer:
    measure = parse.get("measure", "response_rate")
    threshold = parse.get("threshold", "PR")
    if measure != "response_rate" or threshold != "PR":
        return answer(
            parse,
            question,
            "not_reported",
            "The sources compare the penta-refractory patients with the others only "
            "on overall response (partial response or better); other outcomes are "
            'not reported by subgroup. Try: "compare the response rate in '
            'penta-refractory patients with the other patients".',
        )
    categories = q.categories_at_or_above("PR")
    penta = q.responders(ctx.store, "penta", categories)
    other = q.responders(ctx.store, "non_penta", categories)
    n_penta, n_other = len(ctx.store.population("penta")), len(ctx.store.population("non_penta"))
    result = compare_rates(
        len(penta), n_penta, len(other), n_other, ctx.settings.ci_method, ctx.settings.level
    )
    facts = [ctx.store.fact("penta.orr"), ctx.store.fact("nonpenta.orr")]
    diff = 100 * result.difference
    text = (
        f"{sentence_case(THRESHOLD_NAMES['PR'])}: penta-refractory "
        f"{rate_figure(result.first)} vs the other {n_other} patients "
        f"{rate_figure(result.second)}. Difference {diff:+.1f} percentage points "
        f"({level_text(ctx.settings.level)} CI {100 * result.diff_low:+.1f} to "
        f"{100 * result.diff_high:+.1f}, Wald); Fisher's exact test p = "
        f"{result.p_value:.2f}. {POST_HOC}"
    )
    # The other 39's figures are arithmetic on published ones: said so, not "Published".
    published = [
        f"{'derived from published counts' if f.grade == 'derived' else 'published'} for "
        f"{label}: {published_rate(f)}"
        for label, f in zip(("penta-refractory", "the other patients"), facts, strict=True)
        if f
    ]
    if published:
        text += " " + sentence_case("; ".join(published)) + "."
    rows = [
        [
            "penta-refractory",
            f"{result.first.n}/{result.first.N}",
            f"{100 * result.first.rate:.1f} %",
            f"{100 * result.first.ci_low:.1f}–{100 * result.first.ci_high:.1f}",
        ],
        [
            "other mITT",
            f"{result.second.n}/{result.second.N}",
            f"{100 * result.second.rate:.1f} %",
            f"{100 * result.second.ci_low:.1f}–{100 * result.second.ci_high:.1f}",
        ],
    ]
    markdown = (
        "**Overall response by penta-refractory status (post hoc)**\n\n"
        + table(["group", "responders", "rate", f"{level_text(ctx.settings.level)} CI"], rows)
        + f"\n\nDifference {diff:+.1f} points; Fisher's exact p = "
        f"{result.p_value:.2f}. {POST_HOC}"
    )
    chart = Chart(
        kind="bar",
        title="Overall response by penta-refractory status (%)",
        series=[
            {"label": "penta-refractory", "value": 100 * result.first.rate},
            {"label": "other", "value": 100 * result.second.rate},
        ],
        x_label="group",
        y_label="%",
    )
    return answer(
        parse,
        question,
        "answered",
        text,
        {**result.values(), "post_hoc": True},
        sources_for(*facts),
        markdown=markdown,
        chart=chart,
    )
