"""The shortcuts that make entity and scope matching fast never change what matches.

A lexicon pattern is tried only where its heads or gates begin, or skipped when a text lacks
the literals it needs; a scope pattern is searched for by its alternatives. Each must find
exactly what plain ``finditer`` / ``search`` of the whole pattern finds, on the corpus's
questions and on random text (ASCII and not, with digits, symbols and blanks).
"""

from __future__ import annotations

import random
import re

import pytest

from intents import corpus
from intents.lexicon import Lexicon, _musts
from intents.normalise import normalise
from intents.scope import _alternatives, _gates
from intents.spec import load_spec


def _texts() -> list[str]:
    rows = corpus.load("all")
    rng = random.Random(7)
    questions = [normalise(r.text).norm for r in rng.sample(rows, 600)]
    words = sorted({w for q in questions for w in q.split()})
    pieces = [*words, "≥", "3", "90%", "1-yr", "6 mo", "(", ")", "=", "?", "é", "٣", ",", "  "]
    noise = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(300)]
    return questions + noise


TEXTS = _texts()


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon(load_spec())


def _plain(lexicon: Lexicon, text: str) -> list[tuple[int, int, int]]:
    """Every pattern's non-empty matches by plain finditer, pattern by pattern."""
    return [
        (index, m.start(), m.end())
        for index, pattern in enumerate(lexicon.patterns)
        for m in re.finditer(pattern.source, text)
        if m.end() > m.start()
    ]


def test_gated_patterns_match_as_finditer_does(lexicon: Lexicon) -> None:
    index = {id(p): i for i, p in enumerate(lexicon.patterns)}
    for text in TEXTS:
        fast = [(index[id(p)], m.start(), m.end()) for p, m in lexicon._pattern_matches(text)]
        assert fast == _plain(lexicon, text), text


def test_the_shortcuts_are_used(lexicon: Lexicon) -> None:
    # Not a test of speed: that most patterns are indexed, and gated, at all.
    indexed = [p for p in lexicon.patterns if p.heads is not None and not p.anchored]
    assert len(indexed) >= len(lexicon.patterns) // 2
    assert sum(p.gate is not None for p in indexed) >= len(indexed) // 2


@pytest.mark.parametrize(
    ("pattern", "musts"),
    [
        (r"ab(?:cd|ef)g", ("ab",)),
        (r"(?:x|yz)+q?", ("x", "yz")),
        (r"^[^=?]{1,30}? ?= ?\?\s*$", ("=",)),
        (r"a?b*", None),  # nothing it must hold
        (r"(?i)abc", None),  # case ignored: a literal may be typed otherwise
        (r"(?:ab|c?)d", ("d",)),  # a branch that can be empty gives nothing
    ],
)
def test_literals_every_match_holds(pattern: str, musts: tuple[str, ...] | None) -> None:
    assert _musts(pattern) == musts


def test_scope_patterns_search_as_a_whole() -> None:
    rules = load_spec().scope
    gates = _gates(rules)
    patterns = {p for r in rules for p in r.search + r.search_original + r.requires + r.unless}
    split = [p for p in patterns if len(gates[p]) > 1]
    assert split  # the one without heads is searched for by its alternatives
    for pattern in patterns:
        whole = re.compile(pattern)
        parts = [re.compile(part) for part, _ in gates[pattern]]
        for text in TEXTS:
            assert bool(whole.search(text)) == any(p.search(text) for p in parts), (pattern, text)


@pytest.mark.parametrize(
    ("pattern", "parts"),
    [
        (r"a|b(?:c|d)|[|]e", ["a", "b(?:c|d)", "[|]e"]),
        (r"[]|]x|y", ["[]|]x", "y"]),
        (r"a\|b", [r"a\|b"]),  # an escaped bar divides nothing
        (r"(?i)a|b", [r"(?i)a|b"]),  # a global flag holds for every alternative
        (r"(a)|\1", [r"(a)|\1"]),  # a back-reference ties them
    ],
)
def test_alternatives(pattern: str, parts: list[str]) -> None:
    assert _alternatives(pattern) == parts
