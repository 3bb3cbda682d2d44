"""Provenance a medical-affairs reader can use: the paper's full reference for the paper's
figures, the news item for what only it says, the FDA snapshot for the label population; no
internal words or file names; each source once; no label repeated after "Published:"."""

from __future__ import annotations

import re

import pytest

from assistant.answer import Answer
from assistant.app.export import copy_text
from assistant.engine import Engine
from knowledge.references import load_references
from knowledge.store import Store

# The reference as the paper is cited (N Engl J Med 2019;381:727-38, Chari A et al.).
PAPER = (
    "Chari A, et al. Oral selinexor–dexamethasone for triple-class refractory multiple "
    "myeloma. N Engl J Med 2019;381:727–38"
)
# The news item: seed_news_item.md, "Robert Stirrups … Published Online August 30, 2019 …
# 10.1016/S1470-2045(19)30566-2".
NEWS_DOI = "doi:10.1016/S1470-2045(19)30566-2"
FDA_SNAPSHOT = "Drug Trials Snapshots: XPOVIO"

QUESTIONS = [
    "What was the ORR?",
    "How many patients had grade 3 or 4 thrombocytopenia?",
    "What was the median PFS?",
    "What was the median age?",
    "ORR in penta-refractory patients",
    "What did Richardson say?",
    "What phase was the study?",
    "full AE table",
    "what did the study show",
    "ORR and CBR with exact 95% CIs",
    "Compare the ORR in penta-refractory vs the others",
    "How many stopped because of side effects?",
    "median follow-up?",
    "What's the median survival for people who didn't respond?",
    "How many patients died?",
    "What was the ORR in patients over 70?",
]


@pytest.fixture(scope="module")
def answers(engine: Engine) -> dict[str, Answer]:
    return {q: engine.conversation().ask(q) for q in QUESTIONS}


def test_every_source_name_of_the_store_is_in_the_data(store: Store) -> None:
    names = {
        name.strip()
        for fact in store.facts.values()
        if fact.grade != "derived"
        for name in fact.source.split("; ")
    }
    assert names - set(load_references().sources) == set()
    # A full reference never holds the "; " that separates sources.
    assert all("; " not in ref for ref in load_references().references.values())


@pytest.mark.parametrize(
    "question",
    ["What was the ORR?", "What was the median PFS?", "full AE table", "What was the median age?"],
)
def test_paper_figures_cite_the_paper(answers: dict[str, Answer], question: str) -> None:
    sources = answers[question].sources
    assert sources[0] == PAPER
    # … and say who reported the figure, never as a second full reference.
    assert any(s.startswith("as reported by ") for s in sources)


def test_news_item_only_for_what_only_it_says(answers: dict[str, Answer]) -> None:
    quote = answers["What did Richardson say?"].sources
    assert len(quote) == 1 and NEWS_DOI in quote[0] and "Stirrups R" in quote[0]
    # The phase: the news item says 1b, the paper 2b; both are cited.
    phase = answers["What phase was the study?"].sources
    assert any(NEWS_DOI in s for s in phase) and PAPER in phase
    # The ORR is the paper's figure: the paper is cited, the news item as its reporter.
    assert not any(NEWS_DOI in s for s in answers["What was the ORR?"].sources)


def test_label_population_cites_the_fda_snapshot(answers: dict[str, Answer]) -> None:
    assert FDA_SNAPSHOT in answers["ORR in penta-refractory patients"].sources[0]


def test_no_internal_words_and_each_source_once(answers: dict[str, Answer]) -> None:
    for question, answer in answers.items():
        shown = " ".join([answer.text, *answer.sources])
        for word in ("seed", "— derived", ".md", ".py", ".json", "(primary)"):
            assert word not in shown, (question, word)
        assert len(answer.sources) == len(set(answer.sources)), question


def test_no_label_repeated_after_published(answers: dict[str, Answer]) -> None:
    """ "Published: Median overall survival: 8.6 months" read as a slip."""
    for question, answer in answers.items():
        assert not re.search(r"Published: [A-Z][a-z]", answer.text), (question, answer.text)


def test_derived_figure_not_called_published(answers: dict[str, Answer]) -> None:
    # The other 39 patients' 11/39 is 32 − 21 over 122 − 83 (published_facts.md section 4).
    text = answers["Compare the ORR in penta-refractory vs the others"].text
    assert "derived from published counts for the other patients: 11/39" in text


def test_copy_with_reference_carries_the_full_reference(answers: dict[str, Answer]) -> None:
    copied = copy_text(answers["What was the ORR?"], "reference", "Intervals: exact 95 %")
    assert PAPER in copied and "32/122" in copied
