"""Handlers, given a parse, answer with the published figures (published_facts.md), say where
a figure is derived or illustrative, and answer "not reported" where the sources are silent.
These tests build parses directly so that they do not depend on the parser's wording."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answer import ILLUSTRATIVE_SOURCE, RECORDS_SOURCE, Answer
from assistant.engine import Engine
from assistant.handlers import HANDLERS, dispatch
from assistant.handlers.context import Context, Settings
from intents.schema import Parse, Slot
from intents.spec import load_spec
from knowledge.store import Store


def ask(store: Store, intent: str, settings: Settings | None = None, **slots: Any) -> Answer:
    parse = Parse(
        text="q",
        intent=intent,
        confidence=1.0,
        slots={k: Slot(name=k, value=v) for k, v in slots.items()},
    )
    context = Context(store, settings or Settings("clopper-pearson", 0.95))
    answer, _ = dispatch(context, parse, "q")
    return answer


def test_every_intent_has_a_handler() -> None:
    spec = load_spec()
    assert {i for i, s in spec.intents.items() if s.handler != "compound"} == set(HANDLERS)


def test_overall_response_shows_figure_ci_method_population_and_published(store: Store) -> None:
    answer = ask(store, "response_rate", threshold="PR")
    assert answer.status == "answered"
    for part in (
        "26.2 %",
        "32/122",
        "18.7–35.0",
        "Clopper–Pearson",
        "mITT",
        "Published: 32/122 (26 %; 95 % CI 19–35)",
    ):
        assert part in answer.text
    assert answer.values["n"] == 32 and answer.values["N"] == 122
    assert RECORDS_SOURCE in answer.sources and any("news item" in s for s in answer.sources)


def test_interval_settings_for_one_question(store: Store) -> None:
    assert "90 % CI 19.8–33.6" in ask(store, "response_rate", threshold="PR", level=0.9).text
    assert (
        "19.2–34.7, Wilson" in ask(store, "response_rate", threshold="PR", ci_method="wilson").text
    )


def test_settings_persist_only_when_asked(store: Store) -> None:
    context = Context(store, Settings("clopper-pearson", 0.95))
    once = Parse(
        text="q",
        intent="response_rate",
        confidence=1.0,
        slots={"level": Slot(name="level", value=0.9)},
    )
    _, after = dispatch(context, once, "q")
    assert after.level == 0.95
    persist = Parse(
        text="q",
        intent="set_stats",
        confidence=1.0,
        slots={"ci_method": Slot(name="ci_method", value="wilson")},
    )
    _, after = dispatch(context, persist, "q")
    assert after.ci_method == "wilson"


def test_reverting_to_the_defaults_goes_back_to_how_the_conversation_started(
    engine: Engine,
) -> None:
    """ "ok revert to the default method/level" used to confirm the changed settings as they
    were; what the question names (CP 95) is taken, what it does not goes back to the start."""
    talk = engine.conversation()
    talk.ask("use Jeffreys intervals at 90% from now on")
    assert talk.ask("ORR").values["ci_method"] == "jeffreys"
    reset = talk.ask("ok revert to the default method/level")
    assert (talk.settings.ci_method, talk.settings.level) == (
        engine.defaults.ci_method,
        engine.defaults.level,
    )
    assert "Clopper–Pearson intervals at 95 %" in reset.text
    talk.ask("use wilson at 80% from now on")
    talk.ask("revert to the defaults but keep wilson")
    assert (talk.settings.ci_method, talk.settings.level) == ("wilson", engine.defaults.level)


def test_bad_level_asks_back(store: Store) -> None:
    answer = ask(store, "response_rate", threshold="PR", level=0.2)
    assert answer.status == "clarify" and "between 0.5 and 0.999" in answer.text


def test_vgpr_or_better_is_derived_from_published_counts(store: Store) -> None:
    answer = ask(store, "response_rate", threshold="VGPR")
    assert "8/122" in answer.text and "6.6 %" in answer.text
    assert "derived from the published counts" in answer.text


def test_stable_disease_is_not_reported_but_says_what_is_known(store: Store) -> None:
    answer = ask(store, "response_category", category="SD")
    assert answer.status == "not_reported"
    assert "74" in answer.text and "48" in answer.text and "do not split" in answer.text


def test_penta_clinical_benefit_is_not_reported(store: Store) -> None:
    answer = ask(store, "response_rate", threshold="MR", population="penta")
    assert answer.status == "not_reported" and "21" not in answer.text.split(":")[0]


def test_breakdown_table_and_unsplit_rest(store: Store) -> None:
    answer = ask(store, "response_breakdown")
    for part in ("sCR 2", "CR 0", "VGPR 6", "PR 24", "MR 16", "SD, PD or NE 74"):
        assert part in answer.text
    assert answer.markdown and "| sCR |" in answer.markdown
    assert answer.chart is not None and answer.chart.kind == "bar"


@pytest.mark.parametrize(
    ("slots", "figures"),
    [
        ({"term": "Thrombocytopenia"}, ["90/123", "73.2 %", "Published: 90"]),
        (
            {"term": "Thrombocytopenia", "grade_op": "ge", "grade_low": 3},
            ["72/123", "58.5 %", "59 %"],
        ),
        ({"term": "Thrombocytopenia", "grade_op": "eq", "grade_low": 4}, ["39/123", "32 %"]),
        (
            {"term": "Anaemia", "grade_op": "between", "grade_low": 3, "grade_high": 4},
            ["54/123", "43.9 %", "44 %"],
        ),
        (
            {"term": "Hyponatraemia", "grade_op": "between", "grade_low": 3, "grade_high": 4},
            ["27/123", "22.0 %"],
        ),
        ({"term": "Fatigue"}, ["90/123", "73 %"]),
        ({"term": "Nausea", "grade_op": "eq", "grade_low": 3}, ["12/123", "10 %"]),
    ],
)
def test_adverse_event_incidence_over_the_safety_population(
    store: Store, slots: dict[str, Any], figures: list[str]
) -> None:
    answer = ask(store, "ae_incidence", **slots)
    assert answer.status == "answered" and answer.values["N"] == 123
    for figure in figures:
        assert figure in answer.text


def test_any_grade_neutropenia_is_not_reported(store: Store) -> None:
    answer = ask(store, "ae_incidence", term="Neutropenia")
    assert answer.status == "not_reported"
    assert "26 of 123" in answer.text  # grade 3–4 = 23 + 3, what *is* known


def test_grade_3_leukopenia_says_grade_4_is_not_reported(store: Store) -> None:
    answer = ask(store, "ae_incidence", term="Leukopenia", grade_op="ge", grade_low=3)
    assert "15/123" in answer.text and "grade 4 leukopenia is not reported" in answer.text


def test_grade_1_2_is_derived_and_grade_2_alone_not_reported(store: Store) -> None:
    derived = ask(
        store,
        "ae_incidence",
        term="Thrombocytopenia",
        grade_op="between",
        grade_low=1,
        grade_high=2,
    )
    assert "18/123" in derived.text and "derived" in derived.text
    assert (
        ask(store, "ae_incidence", term="Nausea", grade_op="eq", grade_low=2).status
        == "not_reported"
    )


def test_decreased_appetite_has_no_count(store: Store) -> None:
    answer = ask(store, "ae_incidence", term="Decreased appetite")
    assert answer.status == "not_reported" and "grade 1 or 2" in answer.text


def test_bleeding_deaths_and_actions(store: Store) -> None:
    bleeding = ask(store, "ae_bleeding")
    assert "6/123" in bleeding.text and "all 6 had thrombocytopenia" in bleeding.text
    deaths = ask(store, "ae_deaths")
    assert "12/123" in deaths.text and "pneumonia, sepsis" in deaths.text
    assert "10" in deaths.text  # the FDA count, stated as a discrepancy
    stop = ask(store, "ae_action", action="discontinuation")
    assert "33/123" in stop.text and "27 %" in stop.text
    dose = ask(store, "ae_action", action="dose_modification", term="Thrombocytopenia")
    assert "53/123" in dose.text and "43 %" in dose.text


def test_most_common_events(store: Store) -> None:
    answer = ask(store, "ae_top")
    for term in ("thrombocytopenia", "fatigue", "nausea", "anaemia"):
        assert term in answer.text
    severe = ask(store, "ae_top", grade_op="ge", grade_low=3, top_n=2)
    assert severe.text.index("thrombocytopenia") < severe.text.index("anaemia")


@pytest.mark.parametrize(
    ("slots", "figures", "absent"),
    [
        ({"endpoint": "PFS"}, ["3.7 months", "no confidence interval"], "CI"),
        ({"endpoint": "OS"}, ["8.6 months"], "CI"),
        ({"endpoint": "DOR"}, ["4.4 months (95 % CI 3.7–10.8)"], None),
        ({"endpoint": "OS", "response_group": "PR"}, ["15.6 months"], None),
        ({"endpoint": "OS", "response_group": "MR"}, ["15.6 months"], None),
        ({"endpoint": "TTR"}, ["4.1 weeks", "range 1–14"], None),
        ({"endpoint": "TRTDUR"}, ["9.0 weeks", "range 1–60", "5 were still on treatment"], None),
        ({"endpoint": "DOR", "population": "penta"}, ["3.8 months", "2.3–not estimable"], None),
    ],
)
def test_time_to_event(
    store: Store, slots: dict[str, Any], figures: list[str], absent: str | None
) -> None:
    answer = ask(store, "tte_median", **slots)
    assert answer.status == "answered"
    for figure in figures:
        assert figure in answer.text
    if absent:
        assert f"95 % {absent}" not in answer.text


def test_unpublished_survival_is_not_reported(store: Store) -> None:
    assert ask(store, "tte_median", endpoint="PFS", population="penta").status == "not_reported"


def test_non_standard_level_on_reconstructed_times_is_labelled_illustrative(store: Store) -> None:
    answer = ask(store, "tte_median", endpoint="DOR", level=0.9)
    assert "illustrative" in answer.text and ILLUSTRATIVE_SOURCE in answer.sources


def test_no_interval_where_none_is_published_whatever_the_level(store: Store) -> None:
    answer = ask(store, "tte_median", endpoint="PFS", level=0.9)
    assert "90 % CI" not in answer.text and "none is given at 90 %" in answer.text
    assert "ci_low" not in answer.values


def test_grade_4_is_derived_from_grade_3_4_minus_grade_3(store: Store) -> None:
    answer = ask(store, "ae_incidence", term="Neutropenia", grade_op="eq", grade_low=4)
    assert answer.status == "answered" and "3/123" in answer.text and "derived" in answer.text


def test_km_answers_carry_a_curve(store: Store) -> None:
    chart = ask(store, "tte_median", endpoint="OS").chart
    assert chart is not None and chart.kind == "km"
    survival = chart.series[0]["survival"]
    assert survival == sorted(survival, reverse=True)


def test_baseline(store: Store) -> None:
    assert "65.2" in ask(store, "baseline", variable="age").text
    prior = ask(store, "baseline", variable="prior_regimens").text
    assert "7" in prior and "3–18" in prior
    assert "53 %" in ask(store, "baseline", variable="cytogenetics").text
    sizes = ask(store, "baseline", variable="population_size").text
    assert "122" in sizes and "123" in sizes
    assert ask(store, "baseline", variable="sex").status == "not_reported"


def test_study_facts_quotes_definitions_and_discrepancies(store: Store) -> None:
    assert "80 mg" in ask(store, "study_fact", topic="dose_selinexor").text
    assert "20 mg" in ask(store, "study_fact", topic="dose_dexamethasone").text
    assert "XPO1" in ask(store, "study_fact", topic="mechanism").text
    phase = ask(store, "study_fact", topic="phase").text
    assert "1b" in phase and "2b" in phase
    assert "armamentarium" in ask(store, "quote", person="richardson").text
    assert "exportin" in ask(store, "quote", person="bahlis").text
    assert "daratumumab" in ask(store, "definition", term="triple_class_refractory").text
    deaths = ask(store, "discrepancy", topic="deaths").text
    assert "12" in deaths and "10" in deaths


def test_penta_comparison_is_post_hoc_with_fisher(store: Store) -> None:
    answer = ask(store, "compare", measure="response_rate", threshold="PR", group="penta")
    for part in ("25.3 %", "21/83", "28.2 %", "11/39", "Fisher", "post-hoc"):
        assert part in answer.text
    assert 0 < answer.values["p_value"] <= 1


def test_records_are_labelled_reconstructed(store: Store) -> None:
    answer = ask(store, "records", term="Thrombocytopenia", bleeding=True)
    assert answer.values["n"] == 6 and "reconstructed" in answer.text
    assert ILLUSTRATIVE_SOURCE in answer.sources


def test_answers_dump_exactly_the_six_contract_fields(store: Store) -> None:
    for intent in ("response_breakdown", "tte_median", "help", "unknown"):
        dump = ask(store, intent).model_dump()
        assert list(dump) == ["question", "status", "intent", "text", "values", "sources"]


def test_unlisted_event_and_serious_events_are_not_reported(store: Store) -> None:
    weight = ask(store, "ae_incidence", term_text="weight loss")
    assert weight.status == "not_reported" and "weight loss" in weight.text
    serious = ask(store, "ae_incidence", term="any", serious=True)
    assert serious.status == "not_reported" and "six patients" in serious.text


def test_clarify_offers_each_reading_as_a_question(store: Store) -> None:
    from intents.schema import Alternative

    parse = Parse(
        text="survival",
        intent="clarify",
        confidence=0.5,
        alternatives=[
            Alternative(
                intent="tte_median",
                confidence=0.5,
                slots={"endpoint": Slot(name="endpoint", value=e)},
            )
            for e in ("OS", "PFS")
        ],
    )
    answer, _ = dispatch(Context(store, Settings("clopper-pearson", 0.95)), parse, "survival")
    assert answer.status == "clarify"
    assert "median overall survival" in answer.text
    assert "median progression-free survival" in answer.text


def test_follow_up_is_not_reported(store: Store) -> None:
    answer = ask(store, "study_fact", topic="follow_up")
    assert answer.status == "not_reported" and "follow-up" in answer.text


# ------------------------------------------------ disposition and baseline populations (issue 12)


def test_discontinued_answers_the_total_first_then_for_adverse_events(store: Store) -> None:
    # Section 4 "Disposition | 118 (96 %) discontinued; 5 (4 %) still on treatment" over the
    # 123 treated; section 5 "Discontinued for adverse events | 27 %" (33/123, section 6).
    answer = ask(store, "disposition", status="discontinued")
    text = answer.text
    assert answer.status == "answered"
    assert "118/123" in text and "96 %" in text and "safety population" in text
    assert text.index("118") < text.index("adverse events") < text.index("33 of the 118")
    assert "published 27 %" in text
    assert (answer.values["n"], answer.values["N"]) == (118, 123)
    assert answer.values["population"] == "safety"
    assert (answer.values["adverse_events"]["n"], answer.values["adverse_events"]["N"]) == (33, 123)


def test_discontinued_question_is_answered_with_the_total(engine: Engine) -> None:
    answer = engine.conversation().ask("How many discontinued treatment?")
    assert answer.status == "answered" and answer.intent == "disposition"
    assert answer.text.index("118") < answer.text.index("33")


@pytest.mark.parametrize(
    ("variable", "n", "N"),
    [
        ("cytogenetics", 65, 122),  # 53 % (NEJM abstract, of the 122 mITT) → 65 of 122 (53.3 %)
        ("refractory", 83, 122),  # 83 of 122 penta-refractory
    ],
)
def test_baseline_counts_are_over_the_mitt(store: Store, variable: str, n: int, N: int) -> None:
    # Section 3 "Baseline (mITT unless stated)": no baseline answer is over the 123.
    answer = ask(store, "baseline", variable=variable)
    assert (answer.values["n"], answer.values["N"]) == (n, N)
    assert answer.values["population"] == "mITT" and "mITT" in answer.text
    assert f"{n} of {N}" in answer.text and "123" not in answer.text


@pytest.mark.parametrize("variable", ["age", "diagnosis_years", "prior_regimens"])
def test_baseline_medians_are_over_the_mitt(store: Store, variable: str) -> None:
    answer = ask(store, "baseline", variable=variable)
    assert answer.values["N"] == 122 and answer.values["population"] == "mITT"
    assert "mITT (n = 122)" in answer.text
