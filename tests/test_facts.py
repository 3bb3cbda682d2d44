"""The published facts: well formed, verbatim where quoted, and equal to published_facts.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.facts import AE_TERMS, TOPICS, published_facts
from knowledge.models import StudyFact

GRADES = {"seed", "primary", "secondary", "derived"}


def _shared_file(name: str) -> Path | None:
    """``shared/storm/<name>`` beside the repository (``/work/shared`` for ``/work/main``)."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "storm" / name
        if candidate.is_file():
            return candidate
    return None


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def facts() -> dict[str, StudyFact]:
    return {fact.id: fact for fact in published_facts()}


@pytest.fixture(scope="module")
def seed_text() -> str:
    path = _shared_file("seed_news_item.md")
    if path is None:
        pytest.skip("shared/storm/seed_news_item.md not found beside the repository")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def published_md() -> str:
    path = _shared_file("published_facts.md")
    if path is None:
        pytest.skip("shared/storm/published_facts.md not found beside the repository")
    return path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- well formed


def test_ids_unique() -> None:
    ids = [fact.id for fact in published_facts()]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates


def test_every_fact_validates() -> None:
    for fact in published_facts():
        assert StudyFact.model_validate(fact.model_dump()) == fact
        assert fact.text.strip() and fact.label.strip() and fact.source.strip()


def test_grades_and_topics() -> None:
    for fact in published_facts():
        assert fact.grade in GRADES, fact.id
        assert fact.topic in TOPICS, fact.id


def test_ids_are_stable_style() -> None:
    for fact in published_facts():
        assert re.fullmatch(r"[a-z_]+(\.[A-Za-z0-9_]+)+", fact.id), fact.id


def test_derived_facts_say_how() -> None:
    for fact in published_facts():
        if fact.grade == "derived":
            assert fact.note and "Derived" in fact.note, fact.id


def test_percentages_carry_their_population() -> None:
    for fact in published_facts():
        if fact.unit == "%" and fact.topic in {"efficacy", "subgroup", "safety", "baseline"}:
            assert fact.population and fact.population_n, fact.id
            if fact.n is not None:
                assert fact.n <= fact.population_n, fact.id


REQUIRED_IDS = """
design.design design.phase design.regimen design.schedule design.mechanism design.prior_exposure
design.triple_class_refractory design.primary_endpoint design.secondary_endpoint
design.other_endpoints design.response_criteria design.sites design.sponsor design.registry
dosing.selinexor dosing.dexamethasone
publication.paper publication.news_item people.chari people.richardson people.bahlis
quote.richardson quote.bahlis
baseline.age baseline.diagnosis_years baseline.prior_regimens baseline.unique_agents
baseline.high_risk baseline.penta baseline.population_mitt baseline.population_safety
not_reported.baseline
efficacy.orr efficacy.cbr efficacy.bor.sCR efficacy.bor.CR efficacy.bor.VGPR efficacy.bor.PR
efficacy.bor.MR efficacy.bor.below_mr efficacy.ttr efficacy.dor efficacy.pfs efficacy.os
efficacy.os.pr_or_better efficacy.os.mr_or_better efficacy.trtdur
efficacy.disposition.discontinued efficacy.disposition.ongoing not_reported.efficacy
penta.orr penta.bor.sCR penta.bor.CR penta.bor.VGPR penta.bor.PR penta.ttr penta.dor
nonpenta.orr nonpenta.bor.sCR nonpenta.bor.VGPR nonpenta.bor.PR
safety.ae.thrombocytopenia.any safety.ae.thrombocytopenia.g3 safety.ae.thrombocytopenia.g4
safety.ae.thrombocytopenia.g34 safety.ae.fatigue.any safety.ae.fatigue.g3 safety.ae.nausea.any
safety.ae.nausea.g3 safety.ae.anaemia.any safety.ae.anaemia.g3 safety.ae.anaemia.g34
safety.ae.neutropenia.g3 safety.ae.neutropenia.g34 safety.ae.hyponatraemia.g3
safety.ae.hyponatraemia.g34 safety.ae.leukopenia.g3 safety.ae.diarrhoea.g3 safety.ae.vomiting.g3
safety.decreased_appetite safety.common_low_grade safety.bleeding.ge3 safety.deaths.ae
safety.deaths.related safety.deaths.ae.fda safety.any_g34 safety.discontinued_ae
safety.dose_adjusted safety.dose_mod.thrombocytopenia safety.dose_mod.fatigue not_reported.safety
discrepancy.phase discrepancy.orr discrepancy.deaths discrepancy.any_g34
discrepancy.discontinuation discrepancy.complete_responses
definition.triple_class_refractory definition.penta_refractory definition.overall_response
definition.clinical_benefit definition.mitt definition.safety_population
definition.sCR definition.CR definition.VGPR definition.PR definition.MR definition.SD
definition.PD
population.mitt population.safety population.penta population.fda_safety population.ema_safety
""".split()


def test_required_ids_present(facts: dict[str, StudyFact]) -> None:
    missing = [i for i in REQUIRED_IDS if i not in facts]
    assert not missing


# ---------------------------------------------------------------------------- adverse events


def test_ae_terms_are_meddra_british() -> None:
    assert AE_TERMS["anaemia"] == "Anaemia"
    assert AE_TERMS["diarrhoea"] == "Diarrhoea"
    assert AE_TERMS["hyponatraemia"] == "Hyponatraemia"
    for key, term in AE_TERMS.items():
        assert key == term.lower()


def test_ae_facts_use_known_terms_and_grades(facts: dict[str, StudyFact]) -> None:
    ae = [f for f in facts.values() if f.id.startswith("safety.ae.")]
    for fact in ae:
        _, _, term, grade = fact.id.split(".")
        assert term in AE_TERMS, fact.id
        assert grade in {"any", "g3", "g4", "g34"}, fact.id
        assert fact.population == "safety" and fact.population_n == 123, fact.id
        assert fact.unit == "%", fact.id
    assert {f.id.split(".")[2] for f in ae} == set(AE_TERMS)


def test_unpublished_ae_cells_have_no_fact(facts: dict[str, StudyFact]) -> None:
    for term in ("neutropenia", "hyponatraemia", "leukopenia", "diarrhoea", "vomiting"):
        assert f"safety.ae.{term}.any" not in facts
        assert term in str(facts["not_reported.safety"].value)
    assert not any(
        i.startswith("safety.ae.") and i.endswith(".g4") and "thrombocytopenia" not in i
        for i in facts
    )


@pytest.mark.parametrize(
    ("fact_id", "pct"),
    [
        ("safety.ae.thrombocytopenia.g3", 27),
        ("safety.ae.thrombocytopenia.g4", 32),
        ("safety.ae.thrombocytopenia.g34", 59),
        ("safety.ae.fatigue.any", 73),
        ("safety.ae.fatigue.g3", 20),
        ("safety.ae.nausea.any", 72),
        ("safety.ae.nausea.g3", 10),
        ("safety.ae.anaemia.any", 67),
        ("safety.ae.anaemia.g3", 42),
        ("safety.ae.anaemia.g34", 44),
        ("safety.ae.neutropenia.g3", 19),
        ("safety.ae.neutropenia.g34", 21),
        ("safety.ae.hyponatraemia.g3", 20),
        ("safety.ae.hyponatraemia.g34", 22),
        ("safety.ae.leukopenia.g3", 12),
        ("safety.ae.diarrhoea.g3", 7),
        ("safety.ae.vomiting.g3", 3),
        ("safety.any_g34", 95.1),
        ("safety.discontinued_ae", 27),
        ("safety.dose_adjusted", 58),
        ("safety.dose_mod.thrombocytopenia", 43),
        ("safety.dose_mod.fatigue", 16),
    ],
)
def test_safety_percentages(facts: dict[str, StudyFact], fact_id: str, pct: float) -> None:
    fact = facts[fact_id]
    assert fact.value == pct and fact.unit == "%"
    assert fact.n is None  # only the percentage is published
    assert fact.grade == "secondary"


# ---------------------------------------------------------------------------- quotes


@pytest.mark.parametrize("fact_id", ["quote.richardson", "quote.bahlis"])
def test_quotes_verbatim(facts: dict[str, StudyFact], seed_text: str, fact_id: str) -> None:
    quote = facts[fact_id].value
    assert isinstance(quote, str)
    assert quote == _squash(quote), "store the quote with single spaces"
    assert quote[0] not in '“”"' and quote[-1] not in '“”"'
    quoted = [_squash(q) for q in re.findall(r"“(.*?)”", seed_text, flags=re.S)]
    assert quote in quoted  # exactly the text between the quote marks
    assert quote in facts[fact_id].text


def test_quotes_keep_ellipses(facts: dict[str, StudyFact]) -> None:
    quote = str(facts["quote.richardson"].value)
    assert quote.count("...") == 2
    assert "resistant to the three main classes" in quote


def test_people_and_publication(facts: dict[str, StudyFact], seed_text: str) -> None:
    squashed = _squash(seed_text)
    assert facts["people.chari"].value == "Ajai Chari"
    assert facts["people.richardson"].value == "Paul Richardson"
    assert facts["people.bahlis"].value == "Nizar Bahlis"
    for key in ("chari", "richardson", "bahlis"):
        affiliation = str(facts[f"people.{key}.affiliation"].value)
        assert affiliation in squashed
        assert affiliation in facts[f"people.{key}"].text
    news = facts["publication.news_item"].text
    for part in ("Robert Stirrups", "August 30, 2019", "10.1016/S1470-2045(19)30566-2"):
        assert part in news and part in squashed
    assert facts["publication.paper"].value == "N Engl J Med 2019; 381: 727–38"
    assert facts["design.registry"].value == "NCT02336815"


# ---------------------------------------------------------------------------- figures


def _check(fact: StudyFact, **expected: object) -> None:
    for attr, value in expected.items():
        assert getattr(fact, attr) == value, f"{fact.id}.{attr}: {getattr(fact, attr)!r}"


def test_efficacy_figures(facts: dict[str, StudyFact]) -> None:
    _check(
        facts["efficacy.orr"],
        n=32,
        value=26,
        unit="%",
        population="mITT",
        population_n=122,
        ci_low=19,
        ci_high=35,
        grade="seed",
    )
    _check(
        facts["efficacy.cbr"], n=48, value=39, population_n=122, ci_low=31, ci_high=49, grade="seed"
    )
    counts = {"sCR": 2, "CR": 0, "VGPR": 6, "PR": 24, "MR": 16}
    for cat, n in counts.items():
        _check(facts[f"efficacy.bor.{cat}"], n=n, population_n=122)
    assert counts["sCR"] + counts["CR"] + counts["VGPR"] + counts["PR"] == 32
    _check(facts["efficacy.bor.MR"], value=13.1, grade="derived")
    _check(facts["efficacy.bor.CR"], grade="derived")
    _check(facts["efficacy.bor.below_mr"], n=74, grade="derived")
    _check(facts["efficacy.pfs"], value=3.7, unit="months", ci_low=None, ci_high=None)
    _check(facts["efficacy.os"], value=8.6, unit="months")
    _check(facts["efficacy.dor"], value=4.4, unit="months", ci_low=3.7, ci_high=10.8)
    _check(facts["efficacy.os.pr_or_better"], value=15.6)
    _check(facts["efficacy.os.mr_or_better"], value=15.6)
    _check(facts["efficacy.ttr"], value=4.1, unit="weeks", range_low=1, range_high=14)
    _check(facts["efficacy.trtdur"], value=9.0, unit="weeks", range_low=1, range_high=60)
    _check(facts["efficacy.disposition.discontinued"], n=118)
    _check(facts["efficacy.disposition.ongoing"], n=5)


def test_subgroup_figures(facts: dict[str, StudyFact]) -> None:
    _check(
        facts["penta.orr"],
        n=21,
        value=25.3,
        population="penta-refractory",
        population_n=83,
        ci_low=16.4,
        ci_high=36.0,
    )
    for cat, n in {"sCR": 1, "CR": 0, "VGPR": 4, "PR": 16}.items():
        _check(facts[f"penta.bor.{cat}"], n=n)
    _check(facts["penta.ttr"], value=4, unit="weeks", range_low=1, range_high=10)
    _check(facts["penta.dor"], value=3.8, ci_low=2.3, ci_high=None)
    assert "not estimable" in (facts["penta.dor"].note or "")
    _check(facts["nonpenta.orr"], n=11, population_n=39, grade="derived")
    for cat, n in {"sCR": 1, "VGPR": 2, "PR": 8}.items():
        _check(facts[f"nonpenta.bor.{cat}"], n=n, grade="derived")


def test_baseline_figures(facts: dict[str, StudyFact]) -> None:
    _check(facts["baseline.age"], value=65, unit="years")
    assert "65.2" in (facts["baseline.age"].note or "")
    _check(facts["baseline.diagnosis_years"], value=6.6, unit="years")
    _check(facts["baseline.prior_regimens"], value=7, range_low=3, range_high=18)
    _check(facts["baseline.unique_agents"], value=10)
    _check(facts["baseline.high_risk"], value=53, unit="%")
    _check(facts["baseline.penta"], value=83, n=83, population_n=122)
    _check(facts["baseline.population_mitt"], value=122)
    _check(facts["baseline.population_safety"], value=123)


def test_safety_figures(facts: dict[str, StudyFact]) -> None:
    _check(
        facts["safety.ae.thrombocytopenia.any"],
        n=90,
        value=73,
        unit="%",
        population="safety",
        population_n=123,
        grade="seed",
    )
    _check(facts["safety.bleeding.ge3"], n=6, value=6, grade="seed")
    _check(facts["safety.deaths.ae"], n=12)
    _check(facts["safety.deaths.ae.fda"], n=10)
    _check(facts["safety.deaths.related"], n=2)
    assert "pneumonia" in facts["safety.deaths.related"].text
    assert "sepsis" in facts["safety.deaths.related"].text
    _check(facts["safety.decreased_appetite"], n=None, grade="seed")


def test_dosing(facts: dict[str, StudyFact]) -> None:
    _check(facts["dosing.selinexor"], value=80, unit="mg")
    _check(facts["dosing.dexamethasone"], value=20, unit="mg")


def test_populations(facts: dict[str, StudyFact]) -> None:
    expected = {"mitt": 122, "safety": 123, "penta": 83, "fda_safety": 202, "ema_safety": 214}
    for key, n in expected.items():
        _check(facts[f"population.{key}"], value=n)
    for key in ("fda_safety", "ema_safety"):
        assert "not this study" in facts[f"population.{key}"].text


@pytest.mark.parametrize(
    "token",
    [
        "32 | 26 (95 % CI 19–35)",
        "48 | 39 (95 % CI 31–49)",
        "**90 (73 %)**",
        "**6 patients**",
        "21 of 83, 25.3 % (95 % CI 16.4–36.0)",
        "4.4 months (95 % CI 3.7–10.8)",
        "3.7 months",
        "8.6 months",
        "15.6 months",
        "4.1 weeks (range 1–14)",
        "9.0 weeks (range 1–60)",
        "65 years (65.2)",
        "6.6 years",
        "median 7 (range 3–18)",
        "| 53 % |",
        "| 12; 2 judged",
        "| 10 (different",
        "3.8 months (95 % CI 2.3 to not estimable)",
        "4 weeks (range 1–10)",
        "118 (96 %) discontinued; 5 (4 %)",
        "1 sCR, 0 CR, 4 VGPR, 16 PR",
        "| 95.1 %",
    ],
)
def test_figures_match_published_md(published_md: str, token: str) -> None:
    """The figures hard-coded above are the ones published_facts.md carries today."""
    assert token in published_md


# ---------------------------------------------------------------------------- gaps


def test_not_reported(facts: dict[str, StudyFact]) -> None:
    baseline = str(facts["not_reported.baseline"].value)
    for item in ("sex", "race", "ECOG", "ISS stage", "cytogenetic", "prior transplant"):
        assert item in baseline
    efficacy = str(facts["not_reported.efficacy"].value)
    for item in ("PFS", "OS", "SD/PD/NE", "cytogenetic risk"):
        assert item in efficacy
    for fact_id in ("not_reported.baseline", "not_reported.efficacy", "not_reported.safety"):
        assert facts[fact_id].topic == "not_reported"


def test_every_discrepancy_present(facts: dict[str, StudyFact], published_md: str) -> None:
    section = published_md.split("## 7.", 1)[1]
    items = re.findall(r"^\d+\. ", section, flags=re.M)
    discrepancies = [f for f in facts.values() if f.topic == "discrepancy"]
    assert len(discrepancies) == len(items) == 6
    expected = {
        "discrepancy.phase": ("1b", "2b"),
        "discrepancy.orr": ("26 %", "26.0 %", "26.2 %", "32/123", "32/122"),
        "discrepancy.deaths": ("12", "10"),
        "discrepancy.any_g34": ("95.1 %", "94 %"),
        "discrepancy.discontinuation": ("27 %", "nearly 30 %", "about a quarter"),
        "discrepancy.complete_responses": ("stringent",),
    }
    for fact_id, parts in expected.items():
        fact = facts[fact_id]
        assert fact.topic == "discrepancy"
        for part in parts:
            assert part in fact.text, (fact_id, part)


def test_phase_states_both(facts: dict[str, StudyFact]) -> None:
    phase = facts["design.phase"]
    assert "1b" in phase.text and "2b" in phase.text
    assert phase.grade == "seed" and "NEJM" in phase.source
