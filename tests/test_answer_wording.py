"""Regression tests for defects an audit found in what answers say (the figures were right)."""

from __future__ import annotations

import re

import pytest

from assistant import cli
from assistant.engine import Engine


def text(engine: Engine, question: str) -> tuple[str, str]:
    answer = engine.conversation().ask(question)
    return answer.status, answer.text


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("How many VGPRs in the penta-refractory patients?", "4/83"),
        ("how many sCRs in the other 39 patients?", "1/39"),
    ],
)
def test_a_published_count_is_not_printed_as_a_percentage(
    engine: Engine, question: str, count: str
) -> None:
    status, said = text(engine, question)
    assert status == "answered" and count in said
    n, total = (int(x) for x in count.split("/"))
    # The only percentage for it is the computed one, to one decimal: never "4 %" for 4/83.
    assert f"({n} %)" not in said and f"{100 * n / total:.1f} %" in said


@pytest.mark.parametrize("question", ["ORR in the other 39", "How many had a minimal response?"])
def test_a_derived_figure_is_not_called_published(engine: Engine, question: str) -> None:
    status, said = text(engine, question)
    assert status == "answered"
    assert "Derived from published counts" in said and "Published:" not in said


def test_deaths_of_any_cause_are_not_reported(engine: Engine) -> None:
    status, said = text(engine, "How many patients died?")
    assert status == "not_reported" and "any cause" in said and "12" in said
    status, said = text(engine, "How many patients died from adverse events?")
    assert status == "answered" and "12/123" in said and "2 judged treatment-related" in said


@pytest.mark.parametrize(
    ("level", "shown"), [("99.9", "99.9 % CI"), ("95.01", "95.01 % CI"), ("0.999", "99.9 % CI")]
)
def test_levels_are_accepted_and_shown_as_given(
    level: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["--level", level, "ask", "ORR"]) == 0
    out = capsys.readouterr().out
    assert shown in out and not re.search(r"\b100 % CI", out)


@pytest.mark.parametrize(
    "question",
    [
        "What was the median age?",
        "did anyone bleed?",
        "How many prior regimens had patients received?",
    ],
)
def test_a_published_sentence_does_not_read_as_a_slip(engine: Engine, question: str) -> None:
    """Issue 13.6: no "Published: The median age was …", no "6 of the 6"."""
    _, said = text(engine, question)
    assert not re.search(r"Published: [A-Z][a-z]", said), said
    assert "As published, " in said
    assert not re.search(r"\b(\d+) of the \1\b", said), said
    assert "((" not in said and "))" not in said


def test_all_of_a_group_is_all(engine: Engine) -> None:
    _, said = text(engine, "How many patients had serious bleeding?")
    assert "all 6 had thrombocytopenia" in said


@pytest.mark.parametrize(
    "question", ["What was the ORR with a Wilson interval?", "ORR with a 90% CI"]
)
def test_no_parentheses_inside_parentheses(engine: Engine, question: str) -> None:
    """Issue 13.6: "(26 %; its interval is the exact (Clopper–Pearson) 95 % one)"."""
    _, said = text(engine, question)
    assert "Published: 32/122" in said, said
    depth = 0
    for char in said:
        depth += {"(": 1, ")": -1}.get(char, 0)
        assert depth <= 1, said
