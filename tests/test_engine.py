"""The engine itself (issue 7): whatever text arrives, in whatever order, the
engine answers with one of the five statuses and the six contract fields, never raises, and
never hides an internal failure behind an answer.

One engine is built for the module (it is immutable); every example gets a fresh
conversation, so examples cannot leak state into each other.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.answer import STATUSES, Answer
from assistant.engine import MAX_QUESTION_CHARS, TRUNCATION_MARK, Engine
from assistant.output import to_json

FIELDS = {"question", "status", "intent", "text", "values", "sources"}
# What dispatch() writes when a handler raised: an answer, but a bug all the same. Arbitrary
# input must never reach it, so the property below looks for it.
INTERNAL_FAILURE = "stormchat failed while answering"
LONG = "z" * (MAX_QUESTION_CHARS + 500)

# Words and phrases of the study, so generated questions reach the handlers, the slots and
# the follow-up logic rather than stopping at "not understood".
STUDY_WORDS = [
    "ORR",
    "overall response rate",
    "clinical benefit",
    "CBR",
    "partial response",
    "VGPR",
    "complete response",
    "sCR",
    "minimal response",
    "stable disease",
    "median PFS",
    "progression-free survival",
    "overall survival",
    "OS",
    "duration of response",
    "DOR",
    "time to response",
    "thrombocytopenia",
    "anaemia",
    "anemia",
    "neutropenia",
    "fatigue",
    "nausea",
    "hyponatraemia",
    "diarrhea",
    "vomiting",
    "bleeding",
    "deaths",
    "serious",
    "grade 3",
    "grade >= 3",
    "grade 3-4",
    "grade 4",
    "penta-refractory",
    "non penta",
    "mITT",
    "safety population",
    "Wilson",
    "Clopper-Pearson",
    "90% CI",
    "at 99% confidence",
    "20% CI",
    "use a 80% interval",
    "compare",
    "vs",
    "how many",
    "what was",
    "and in",
    "median age",
    "prior regimens",
    "dose",
    "selinexor",
    "dexamethasone",
    "why",
    "list patients",
    "discontinued",
    "dose reduction",
    "help",
    "thanks",
    "hi",
    "what about",
    "only",
    "%",
    "?",
]

# Any Unicode text Python can hold (control characters, NUL, escape sequences, combining and
# right-to-left characters, emoji; no lone surrogates, which a str from a terminal never has).
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)))
STUDY_TEXT = st.lists(
    st.one_of(st.sampled_from(STUDY_WORDS), ANY_TEXT.map(lambda s: s[:12])), min_size=1, max_size=8
).map(" ".join)
# Now and then a question past the bound, so the truncation path is exercised too.
LONG_TEXT = st.tuples(
    STUDY_TEXT,
    st.sampled_from(["x", " é", "😀", "\x1b[0m"]),
    st.integers(MAX_QUESTION_CHARS, MAX_QUESTION_CHARS + 300),
).map(lambda t: t[0] + t[1] * t[2])
QUESTION = st.one_of(ANY_TEXT, STUDY_TEXT, STUDY_TEXT, LONG_TEXT)


def check(answer: Answer, question: str) -> None:
    """The contract every answer keeps, whatever the question."""
    assert isinstance(answer, Answer)
    assert answer.status in STATUSES
    data = json.loads(to_json(answer))
    assert set(data) == FIELDS
    assert data["question"] == question
    assert isinstance(data["text"], str) and data["text"].strip()
    assert isinstance(data["values"], dict)
    assert isinstance(data["sources"], list) and all(isinstance(s, str) for s in data["sources"])
    assert data["intent"] is None or isinstance(data["intent"], str)
    assert INTERNAL_FAILURE not in answer.text, answer.text
    if question[MAX_QUESTION_CHARS:].strip():
        assert TRUNCATION_MARK in answer.text


def _settings(examples: int) -> settings:
    """``examples`` new examples a run (the strategies vary them from run to run), or the
    profile's count where that is larger: ``pytest --hypothesis-profile=thorough`` takes 2,000
    of each (tests/conftest.py). A fixture shared across examples is fine here: the engine is
    immutable and each example makes its own conversation."""
    return settings(
        max_examples=max(examples, settings.default.max_examples),
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.mark.slow
@_settings(1000)
@given(question=ANY_TEXT)
def test_any_text_gets_a_contract_answer(engine: Engine, question: str) -> None:
    check(engine.conversation().ask(question), question)


# 300 conversations are about 900 questions, a quarter of them past the length bound: the
# slow part, as each long one is parsed up to the bound.
@pytest.mark.slow
@_settings(300)
@given(turns=st.lists(QUESTION, min_size=1, max_size=5))
def test_any_conversation_gets_contract_answers(engine: Engine, turns: list[str]) -> None:
    conversation = engine.conversation()
    for question in turns:
        check(conversation.ask(question), question)


# ---------------------------------------------------------------------------- named cases


@pytest.mark.parametrize("question", ["", "   ", "\t\n", "\u3000"])
def test_empty_or_blank_question_asks_for_one(engine: Engine, question: str) -> None:
    answer = engine.conversation().ask(question)
    check(answer, question)
    assert answer.status == "unknown" and "Please type a question" in answer.text


@pytest.mark.parametrize("question", ["\x00", "\x00" * 100, "\x1b[2J", "\x7f\x9b"])
def test_control_characters_alone_are_not_understood(engine: Engine, question: str) -> None:
    answer = engine.conversation().ask(question)
    check(answer, question)
    assert answer.status == "unknown" and answer.intent is None


@pytest.mark.parametrize(
    ("question", "status"),
    [
        ("What was the ORR? " + LONG, "answered"),
        ("grade 3 " + LONG, "clarify"),
        ("should I take selinexor? " + LONG, "out_of_scope"),
        ("serious adverse events " + LONG, "not_reported"),
        (LONG, "unknown"),
    ],
    ids=["answered", "clarify", "out_of_scope", "not_reported", "unknown"],
)
def test_every_status_says_the_question_was_cut(engine: Engine, question: str, status: str) -> None:
    answer = engine.conversation().ask(question)
    check(answer, question)
    assert answer.status == status
    # Once, even where the handler itself mentions it (unknown).
    assert answer.text.count(TRUNCATION_MARK) == 1


@pytest.mark.parametrize("size", [10_000, 10_000_000])
def test_ten_kilobyte_and_ten_megabyte_questions(engine: Engine, size: int) -> None:
    question = "What was the median PFS? " + "y" * size
    answer = engine.conversation().ask(question)
    check(answer, question)
    assert (answer.status, answer.intent) == ("answered", "tte_median")


def test_trailing_blanks_past_the_bound_are_not_a_cut(engine: Engine) -> None:
    question = "What was the ORR?" + " " * (2 * MAX_QUESTION_CHARS)
    answer = engine.conversation().ask(question)
    assert answer.status == "answered" and TRUNCATION_MARK not in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "What was the ORR?\x00",
        "What\x07 was the\x08 ORR?",
        "\x1b[31mWhat was the ORR?\x1b[0m",
        "What was the\x1b]0;title\x07 ORR?",
        "What\u200b was the ORR?\u2028",
        # Markup-like text: Rich/Textual markup means nothing here, and must not hide the words.
        "ORR [95% CI]",
        "[bold]ORR[/bold]",
        "[link=https://example.com]ORR[/link]",
        "ORR [/",
        # Emoji, right-to-left, combining and full-width characters.
        "What was the ORR? 😀👍🏽",
        "\u202eWhat was the ORR?",
        "ما هو ORR",
        "מה היה ה-ORR?",
        "o\u0304verall response rate",
        "ＯＲＲ",
    ],
)
def test_odd_characters_do_not_hide_the_question(engine: Engine, question: str) -> None:
    answer = engine.conversation().ask(question)
    check(answer, question)
    assert (answer.status, answer.intent) == ("answered", "response_rate")


@pytest.mark.parametrize("question", ["[/", "[/bold]", "[", "]]]["])
def test_bare_markup_is_not_understood(engine: Engine, question: str) -> None:
    answer = engine.conversation().ask(question)
    check(answer, question)
    assert answer.status == "unknown"


@pytest.mark.parametrize(
    "template",
    [
        "'; DROP TABLE facts; --",
        "Robert'); DROP TABLE adsl;--",
        "$(touch {marker})",
        "`touch {marker}`",
        "; touch {marker}",
        "| touch {marker}",
        "{{{{7*7}}}} ${{7*7}}",
    ],
)
def test_sql_and_shell_text_is_not_understood_and_nothing_runs(
    engine: Engine, tmp_path: Path, template: str
) -> None:
    marker = tmp_path / "ran"
    question = template.format(marker=marker)
    conversation = engine.conversation()
    answer = conversation.ask(question)
    check(answer, question)
    assert answer.status == "unknown" and answer.intent is None
    assert not marker.exists()
    # The store is untouched: the next question still gets the study's figure.
    follow = conversation.ask("What was the ORR?")
    assert follow.status == "answered" and follow.values["n"] == 32


@pytest.mark.parametrize("question", ["ORR at a 20% confidence level", "ORR with a 20% CI"])
def test_out_of_range_level_in_a_question_is_a_clarify(engine: Engine, question: str) -> None:
    answer = engine.conversation().ask(question)
    check(answer, question)
    assert answer.status == "clarify" and "20 %" in answer.text


def test_out_of_range_level_on_its_own_is_a_clarify(engine: Engine) -> None:
    answer = engine.conversation().ask("use a 20% interval")
    assert answer.status == "clarify" and "50" in answer.text
