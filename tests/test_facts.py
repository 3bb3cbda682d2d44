"""The published facts (knowledge/data/facts/*.yaml): well formed, each answering a query the
language layer knows, their figures pinned here to the published values, verbatim where quoted.

Every test runs in any checkout. Only the cross-checks against the shared documents
(``../shared/storm/published_facts.md`` and the seed news item) skip where those are absent,
and their skip reason says so.
"""

from __future__ import annotations

import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from knowledge.facts import (
    FACT_FILES,
    TOPICS,
    FactEntry,
    FactsError,
    fact_entries,
    facts_dir,
    load_fact_entries,
    published_facts,
)
from knowledge.models import StudyFact
from knowledge.store import Store

REPO = Path(__file__).resolve().parents[1]

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
        pytest.skip(
            "cross-check only: ../shared/storm/seed_news_item.md is not beside this checkout "
            "(the quotes' form is checked without it)"
        )
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def published_md() -> str:
    path = _shared_file("published_facts.md")
    if path is None:
        pytest.skip(
            "cross-check only: ../shared/storm/published_facts.md is not beside this checkout "
            "(the repo's figures in knowledge/data/facts are checked without it)"
        )
    return path.read_text(encoding="utf-8")


# Fact key → MedDRA preferred term, as the adverse-event facts name it in their query.
AE_TERMS: dict[str, str] = {
    entry.id.split(".")[2]: str(entry.answers.slots["term"])
    for entry in fact_entries()
    if entry.id.startswith("safety.ae.") and entry.answers is not None
}


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
def test_quotes_are_stored_plain(facts: dict[str, StudyFact], fact_id: str) -> None:
    quote = facts[fact_id].value
    assert isinstance(quote, str)
    assert quote == _squash(quote), "store the quote with single spaces"
    assert quote[0] not in '“”"' and quote[-1] not in '“”"'
    assert f"“{quote}”" in facts[fact_id].text


def test_quotes_verbatim_in_the_seed(facts: dict[str, StudyFact], seed_text: str) -> None:
    quoted = [_squash(q) for q in re.findall(r"“(.*?)”", seed_text, flags=re.S)]
    for fact_id in ("quote.richardson", "quote.bahlis"):
        assert facts[fact_id].value in quoted, fact_id  # exactly the text between the marks


def test_quotes_keep_ellipses(facts: dict[str, StudyFact]) -> None:
    quote = str(facts["quote.richardson"].value)
    assert quote.count("...") == 2
    assert "resistant to the three main classes" in quote


def test_people_and_publication(facts: dict[str, StudyFact]) -> None:
    assert facts["people.chari"].value == "Ajai Chari"
    assert facts["people.richardson"].value == "Paul Richardson"
    assert facts["people.bahlis"].value == "Nizar Bahlis"
    assert facts["people.chari.affiliation"].value == (
        "Icahn School of Medicine at Mount Sinai, New York, NY, USA"
    )
    for key in ("chari", "richardson", "bahlis"):
        affiliation = str(facts[f"people.{key}.affiliation"].value)
        assert affiliation in facts[f"people.{key}"].text
    news = facts["publication.news_item"].text
    for part in NEWS_ITEM_PARTS:
        assert part in news
    assert facts["publication.paper"].value == "N Engl J Med 2019; 381: 727–38"
    assert facts["design.registry"].value == "NCT02336815"


NEWS_ITEM_PARTS = ("Robert Stirrups", "August 30, 2019", "10.1016/S1470-2045(19)30566-2")


def test_people_and_publication_in_the_seed(facts: dict[str, StudyFact], seed_text: str) -> None:
    squashed = _squash(seed_text)
    for key in ("chari", "richardson", "bahlis"):
        assert str(facts[f"people.{key}.affiliation"].value) in squashed
    for part in NEWS_ITEM_PARTS:
        assert part in squashed


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


# How published_facts.md writes each figure, filled in from the repo's facts: the cross-check
# that knowledge/data/facts carries the figures of the shared list.
MD_TOKENS: tuple[tuple[str, str], ...] = (
    ("efficacy.orr", "{n} | {value:g} (95 % CI {ci_low:g}–{ci_high:g})"),
    ("efficacy.cbr", "{n} | {value:g} (95 % CI {ci_low:g}–{ci_high:g})"),
    ("safety.ae.thrombocytopenia.any", "**{n} ({value:g} %)**"),
    ("safety.bleeding.ge3", "**{n} patients**"),
    ("penta.orr", "{n} of {population_n}, {value:g} % (95 % CI {ci_low:.1f}–{ci_high:.1f})"),
    ("efficacy.dor", "{value:g} months (95 % CI {ci_low:g}–{ci_high:g})"),
    ("efficacy.pfs", "{value:g} months"),
    ("efficacy.os", "{value:g} months"),
    ("efficacy.os.pr_or_better", "{value:g} months"),
    ("efficacy.ttr", "{value:g} weeks (range {range_low:g}–{range_high:g})"),
    ("efficacy.trtdur", "{value:.1f} weeks (range {range_low:g}–{range_high:g})"),
    ("baseline.diagnosis_years", "{value:g} years"),
    ("baseline.prior_regimens", "median {value:g} (range {range_low:g}–{range_high:g})"),
    ("baseline.high_risk", "| {value:g} % |"),
    ("safety.deaths.ae", "| {n}; 2 judged"),
    ("safety.deaths.ae.fda", "| {n} (different"),
    ("penta.dor", "{value:g} months (95 % CI {ci_low:g} to not estimable)"),
    ("penta.ttr", "{value:g} weeks (range {range_low:g}–{range_high:g})"),
    ("safety.any_g34", "| {value:g} %"),
)


def _token(fact: StudyFact, template: str) -> str:
    return template.format(**fact.model_dump())


def test_figures_match_published_md(facts: dict[str, StudyFact], published_md: str) -> None:
    """The cross-check: the repo's figures are the ones published_facts.md carries today (one
    test, listing every figure that differs)."""
    tokens = [_token(facts[fact_id], template) for fact_id, template in MD_TOKENS]
    age, precise = facts["baseline.age"].value, facts["baseline.age.precise"].value
    tokens.append(f"{age} years ({precise})")
    ongoing = facts["efficacy.disposition.ongoing"]
    stopped = facts["efficacy.disposition.discontinued"]
    tokens.append(f"{stopped.n} ({stopped.value} %) discontinued; {ongoing.n} ({ongoing.value} %)")
    bor = {c: facts[f"penta.bor.{c}"].n for c in ("sCR", "CR", "VGPR", "PR")}
    tokens.append(f"{bor['sCR']} sCR, {bor['CR']} CR, {bor['VGPR']} VGPR, {bor['PR']} PR")
    assert len(tokens) == 22
    assert [token for token in tokens if token not in published_md] == []


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


DISCREPANCY_PARTS = {
    "discrepancy.phase": ("1b", "2b"),
    "discrepancy.orr": ("26 %", "26.0 %", "26.2 %", "32/123", "32/122"),
    "discrepancy.deaths": ("12", "10"),
    "discrepancy.any_g34": ("95.1 %", "94 %"),
    "discrepancy.discontinuation": ("27 %", "nearly 30 %", "about a quarter"),
    "discrepancy.complete_responses": ("stringent",),
}


def test_every_discrepancy_present(facts: dict[str, StudyFact]) -> None:
    discrepancies = {f.id for f in facts.values() if f.topic == "discrepancy"}
    assert discrepancies == set(DISCREPANCY_PARTS)
    for fact_id, parts in DISCREPANCY_PARTS.items():
        for part in parts:
            assert part in facts[fact_id].text, (fact_id, part)


def test_as_many_discrepancies_as_published_md(published_md: str) -> None:
    section = published_md.split("## 7.", 1)[1]
    assert len(re.findall(r"^\d+\. ", section, flags=re.M)) == len(DISCREPANCY_PARTS)


def test_phase_states_both(facts: dict[str, StudyFact]) -> None:
    phase = facts["design.phase"]
    assert "1b" in phase.text and "2b" in phase.text
    assert phase.grade == "seed" and "NEJM" in phase.source


# ---------------------------------------------------------------------------- the data files


def _rounded(x: float, decimals: int) -> float:
    """Half up, as publications round."""
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(x)).quantize(step, rounding=ROUND_HALF_UP))


NUMBER_WORDS = {6: "six"}  # the seed's wording: "in six patients"


def _mentions(text: str, number: float) -> bool:
    """Whether ``text`` states ``number`` as a whole number (not 6 inside 26 or 6.6)."""
    # As the fact gives it (9.0) or without a trailing .0 (9).
    written = "|".join(re.escape(form) for form in {f"{number:g}", str(number)})
    word = NUMBER_WORDS.get(int(number)) if float(number).is_integer() else None
    return bool(re.search(rf"(?<![\d.])(?:{written})(?![\d]|\.\d)", text)) or (
        word is not None and word in text
    )


def test_text_states_the_figure() -> None:
    """A figure edited without its wording (or the reverse) fails here."""
    for entry in fact_entries():
        if isinstance(entry.value, int | float):
            assert _mentions(entry.text, entry.value), (entry.id, entry.value)
        if entry.n is not None:
            assert _mentions(entry.text, entry.n), (entry.id, entry.n)
    assert not _mentions("in 26 % of", 6) and not _mentions("6.6 years", 6)
    assert _mentions("in six patients", 6) and _mentions("(26 %;", 26)


def test_derived_counts_round_to_the_published_percentage() -> None:
    derived = [e for e in fact_entries() if e.derived_count is not None]
    assert len(derived) == 23  # 22 safety figures and high-risk cytogenetics
    for entry in derived:
        assert entry.unit == "%" and entry.n is None, entry.id  # a count published is n
        assert isinstance(entry.value, int | float) and entry.population_n, entry.id
        assert entry.derived_count is not None
        decimals = 0 if float(entry.value).is_integer() else 1
        share = 100 * entry.derived_count / entry.population_n
        assert _rounded(share, decimals) == entry.value, entry.id
        assert str(entry.derived_count) in (entry.note or ""), entry.id
    by_id = {e.id: e.derived_count for e in derived}
    # Hand arithmetic: 33/123 = 26.8 % → 27 %; 117/123 = 95.1 %; 65/122 = 53.3 % → 53 %.
    assert by_id["safety.ae.thrombocytopenia.g3"] == 33
    assert by_id["safety.any_g34"] == 117
    assert by_id["baseline.high_risk"] == 65


def test_population_sizes_are_declared_once() -> None:
    raw = yaml.safe_load((facts_dir() / "populations.yaml").read_text(encoding="utf-8"))
    sizes = raw["populations"]
    assert sizes["mITT"] == 122 and sizes["safety"] == 123 and sizes["penta-refractory"] == 83
    for name in FACT_FILES:
        text = (facts_dir() / f"{name}.yaml").read_text(encoding="utf-8")
        assert "population_n" not in text, f"{name}.yaml: population sizes belong in populations"
    for key, population in (("mitt", "mITT"), ("safety", "safety"), ("penta", "penta-refractory")):
        fact = next(e for e in fact_entries() if e.id == f"population.{key}")
        assert fact.n == fact.value == sizes[population] == fact.population_n


def test_every_yaml_file_is_read() -> None:
    assert sorted(p.stem for p in facts_dir().glob("*.yaml")) == sorted(FACT_FILES)


def _intents() -> dict[str, dict[str, object]]:
    raw = yaml.safe_load((REPO / "intents" / "data" / "intents.yaml").read_text(encoding="utf-8"))
    intents: dict[str, dict[str, object]] = raw["intents"]
    return intents


# A slot may also be a follow-up the intent takes (population), or the parts a grade slot is
# read into (as the handlers take them: grade_op, grade_low, grade_high).
GRADE_PARTS = {"grade_op", "grade_low", "grade_high"}


def test_each_fact_names_a_query_the_language_layer_knows() -> None:
    intents = _intents()
    context_only = []
    for entry in fact_entries():
        if entry.answers is None:
            context_only.append(entry.id)
            continue
        spec = intents.get(entry.answers.intent)
        assert spec is not None, (entry.id, entry.answers.intent)
        known = set(spec.get("slots") or {}) | set(spec.get("followups") or [])  # type: ignore[call-overload]
        if "grade" in known:
            known |= GRADE_PARTS
        unknown = set(entry.answers.slots) - known
        assert not unknown, (entry.id, entry.answers.intent, unknown)
    # Only what is context for other answers names no query of its own.
    assert sorted(context_only) == [
        "not_reported.baseline",
        "not_reported.efficacy",
        "not_reported.safety",
        "population.ema_safety",
        "population.fda_safety",
    ]


def test_ae_facts_answer_their_term_and_band() -> None:
    for entry in fact_entries():
        if not entry.id.startswith("safety.ae."):
            continue
        assert entry.answers is not None and entry.answers.intent == "ae_incidence"
        band = entry.id.rsplit(".", 1)[1]
        slots = entry.answers.slots
        expected = {"any": None, "g3": ("eq", 3), "g4": ("eq", 4), "g34": ("between", 3)}[band]
        if expected is None:
            assert "grade_op" not in slots, entry.id
        else:
            assert (slots["grade_op"], slots["grade_low"]) == expected, entry.id
        assert str(slots["term"]).lower() == entry.id.split(".")[2]


# ---------------------------------------------------------------------------- schema errors


@pytest.fixture
def facts_copy(tmp_path: Path) -> Path:
    target = tmp_path / "facts"
    shutil.copytree(facts_dir(), target)
    return target


def _edit(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_copy_loads_as_the_shipped_facts(facts_copy: Path) -> None:
    assert load_fact_entries(facts_copy) == list(fact_entries())


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        # A misspelt field.
        ("efficacy", "  ci_low: 19.0\n", "  ci_lo: 19.0\n", "fact efficacy.orr: ci_lo: Extra"),
        # A percentage outside 0-100.
        ("safety", "  value: 27\n", "  value: 127\n", "fact safety.ae.thrombocytopenia.g3:"),
        # Text where a number belongs.
        ("efficacy", "  n: 32\n", "  n: thirty-two\n", "fact efficacy.orr: n:"),
        # A population whose size is declared nowhere.
        (
            "efficacy",
            "  population: mITT\n",
            "  population: mitt\n",
            "fact efficacy.orr: population 'mitt' has no size",
        ),
        # A size that contradicts the table.
        (
            "efficacy",
            "  population: mITT\n",
            "  population: mITT\n  population_n: 123\n",
            "fact efficacy.orr: population_n 123 contradicts 'mITT' = 122",
        ),
        # An unknown topic.
        ("efficacy", "  topic: efficacy\n", "  topic: efficacies\n", "fact efficacy.orr: topic"),
        # The same id twice.
        (
            "efficacy",
            "- id: efficacy.cbr\n",
            "- id: efficacy.orr\n",
            "fact efficacy.orr: id already used",
        ),
        # A query key of the wrong shape.
        (
            "efficacy",
            "{intent: response_rate, slots: {threshold: PR}}",
            "response_rate",
            "fact efficacy.orr: answers",
        ),
        # A fact without an id.
        ("efficacy", "- id: efficacy.orr\n", "- label_only: x\n", "fact #1 (no id)"),
        # Broken YAML.
        ("efficacy", "facts:\n", "facts: [\n", "cannot be read"),
    ],
)
def test_a_schema_error_names_the_file_and_the_fact(
    facts_copy: Path, name: str, old: str, new: str, expected: str
) -> None:
    _edit(facts_copy, name, old, new)
    with pytest.raises(FactsError) as caught:
        load_fact_entries(facts_copy)
    message = str(caught.value)
    assert f"{name}.yaml" in message and expected in message, message


def test_an_unlisted_file_is_refused(facts_copy: Path) -> None:
    (facts_copy / "extra.yaml").write_text("facts: []\n", encoding="utf-8")
    with pytest.raises(FactsError, match="extra.yaml not in knowledge.facts.FACT_FILES"):
        load_fact_entries(facts_copy)


def test_an_entry_gives_the_store_fact_without_its_query_fields() -> None:
    entry = next(e for e in fact_entries() if e.id == "safety.any_g34")
    assert isinstance(entry, FactEntry) and entry.derived_count == 117
    fact = entry.fact()
    assert type(fact) is StudyFact and fact.value == 95.1 and fact.population_n == 123
    assert "derived_count" not in fact.model_dump() and "answers" not in fact.model_dump()


# ---------------------------------------------------------------------------- targets


def test_targets_read_the_facts() -> None:
    from knowledge import targets

    assert targets.count("efficacy.orr") == 32  # published n
    assert targets.count("safety.ae.thrombocytopenia.g3") == 33  # derived from 27 %
    assert targets.population_size("mITT") == 122
    assert targets.number("efficacy.pfs") == 3.7
    assert targets.range_of("efficacy.trtdur") == (1.0, 60.0)
    # Grade 4 = grade 3–4 − grade 3 where both are published: anaemia 54 − 52.
    assert targets.grade4_count("anaemia") == 2 and targets.grade4_count("leukopenia") == 0
    with pytest.raises(KeyError, match="efficacy.nothing"):
        targets.count("efficacy.nothing")
    with pytest.raises(KeyError, match="neither n nor derived_count"):
        targets.count("efficacy.pfs")


def test_a_fact_the_layouts_no_longer_fit_stops_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge import reconstruct_times, targets

    real = targets.count

    def edited(fact_id: str) -> int:
        return 6 if fact_id == "efficacy.disposition.ongoing" else real(fact_id)

    monkeypatch.setattr(targets, "count", edited)
    with pytest.raises(ValueError, match="layout of still on treatment no longer fits"):
        reconstruct_times._layouts_fit()


# ---------------------------------------------------------------------------- answered


MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _as_shown(value: object) -> str:
    """A figure as an answer writes it: numbers as published, ISO dates spelt out."""
    if isinstance(value, int | float):
        return f"{value:g}"
    text = str(value)
    date = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if date:
        year, month, day = (int(part) for part in date.groups())
        return f"{MONTHS[month - 1]} {day}, {year}"
    return text


def test_each_fact_is_answered_by_the_query_it_names(store: Store) -> None:
    """The query key is true: asking it (as a parse, so that the parser's wording does not
    matter) gives an answer that states the fact's figure or its words."""
    from assistant.handlers import dispatch
    from assistant.handlers.context import Context, Settings
    from intents.schema import Parse, Slot

    wrong = []
    for entry in fact_entries():
        if entry.answers is None:
            continue
        parse = Parse(
            text="q",
            intent=entry.answers.intent,
            confidence=1.0,
            slots={k: Slot(name=k, value=v) for k, v in entry.answers.slots.items()},
        )
        answer, _ = dispatch(Context(store, Settings("clopper-pearson", 0.95)), parse, "q")
        figure = _as_shown(entry.value)
        states = (
            _mentions(answer.text, entry.value)
            if isinstance(entry.value, int | float)
            else figure in answer.text or entry.text in answer.text
        )
        # A fact without a count (decreased appetite: "common") is rightly "not reported" as a
        # count, with the fact's words.
        if answer.status not in ("answered", "not_reported") or not states:
            wrong.append((entry.id, answer.status, answer.text[:120]))
    assert wrong == []
