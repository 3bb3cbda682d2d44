"""First stage of the cascade: strict, high-precision rules that settle a question outright
(greetings, thanks, help, and questions outside the study's scope), read from
``data/scope.yaml``. They run before typo correction, so an unrelated word is never "corrected"
into a study word ("code" → "dose"). A rule either decides the intent or stays out of the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from intents.artefact import cached
from intents.lexicon import _Entry, _heads, _Trie, tokens
from intents.normalise import Text
from intents.spec import ScopeRule

_ALNUM = re.compile(r"[a-z0-9]")


@dataclass(frozen=True, slots=True)
class RuleMatch:
    intent: str
    confidence: float
    reason: str


class _Gated:
    """A rule's regular expression, compiled on first use and tried only on a text where a
    match of it can begin (the pairs of characters its matches begin with, ``lexicon``)."""

    __slots__ = ("source", "heads", "ascii", "compiled")

    def __init__(self, source: str, heads: tuple[frozenset[str], bool] | None) -> None:
        self.source = source
        self.heads: frozenset[str] | None = heads[0] if heads is not None else None
        self.ascii = heads is not None and heads[1]
        self.compiled: re.Pattern[str] | None = None

    def _regex(self) -> re.Pattern[str]:
        if self.compiled is None:
            self.compiled = re.compile(self.source)
        return self.compiled

    def match(self, text: str) -> bool:
        """Whether it matches at the start of ``text``."""
        if self.heads is not None and text[:2] not in self.heads and self._exact(text):
            return False
        return self._regex().match(text) is not None

    def search(self, text: str, pairs: frozenset[str]) -> bool:
        """Whether it matches anywhere in ``text`` (``pairs``: the text's pairs of
        characters)."""
        if self.heads is not None and self.heads.isdisjoint(pairs) and self._exact(text):
            return False
        return self._regex().search(text) is not None

    def _exact(self, text: str) -> bool:
        return not self.ascii or text.isascii()


def _pairs(text: str) -> frozenset[str]:
    return frozenset([text[i : i + 2] for i in range(len(text) - 1)])


def _gates(rules: list[ScopeRule]) -> dict[str, tuple[frozenset[str], bool] | None]:
    """The heads of every pattern the rules search with (what ``_Gated`` is made from)."""
    out: dict[str, tuple[frozenset[str], bool] | None] = {}
    for rule in rules:
        for pattern in rule.whole + rule.search + rule.search_original:
            heads = _heads(pattern)
            out[pattern] = None if heads is None else (heads.heads, heads.ascii)
    return out


@dataclass(frozen=True)
class _Compiled:
    rule: ScopeRule
    whole: tuple[_Gated, ...]
    search: tuple[_Gated, ...]
    original: tuple[_Gated, ...]
    requires: tuple[_Gated, ...]
    unless: tuple[_Gated, ...]

    def matches(self, text: Text, by_phrase: bool, pairs: _Pairs) -> bool:
        w = text.norm
        hit = (
            by_phrase
            or any(rx.match(w) for rx in self.whole)
            or any(rx.search(w, pairs.norm) for rx in self.search)
            or any(rx.search(text.original, pairs.original) for rx in self.original)
        )
        if not hit:
            return False
        if self.requires and not any(rx.search(w, pairs.norm) for rx in self.requires):
            return False
        return not any(rx.search(w, pairs.norm) for rx in self.unless)


class _Pairs:
    """The pairs of characters of a question's working text and of its original, each made
    when first asked for."""

    def __init__(self, text: Text) -> None:
        self.text = text
        self._norm: frozenset[str] | None = None
        self._original: frozenset[str] | None = None

    @property
    def norm(self) -> frozenset[str]:
        if self._norm is None:
            self._norm = _pairs(self.text.norm)
        return self._norm

    @property
    def original(self) -> frozenset[str]:
        if self._original is None:
            self._original = _pairs(self.text.original)
        return self._original


class ScopeRules:
    def __init__(self, rules: list[ScopeRule], inputs: list[Path] | None = None) -> None:
        """``inputs``: the data files the rules were read from, when they were (their
        patterns' heads are then kept between runs, ``intents.artefact``)."""
        gates = _gates(rules) if inputs is None else cached("scope", inputs, lambda: _gates(rules))

        def c(patterns: list[str]) -> tuple[_Gated, ...]:
            return tuple(_Gated(p, gates.get(p)) for p in patterns)

        self.rules = [
            _Compiled(r, c(r.whole), c(r.search), c(r.search_original), c(r.requires), c(r.unless))
            for r in rules
        ]
        # The rules' keywords in one trie: one scan of the question finds them all.
        self.trie = _Trie()
        for index, rule in enumerate(rules):
            for phrase in rule.phrases:
                self.trie.add(phrase, _Entry("rule", index, False, False))

    def match(self, text: Text) -> RuleMatch | None:
        """The first rule that settles the question, or None when it needs the scorer."""
        if not _ALNUM.search(text.norm):
            return RuleMatch("unknown", 0.0, "no words")
        found = {hit.value for hit in self.trie.scan(tokens(text.norm))}
        pairs = _Pairs(text)
        for index, compiled in enumerate(self.rules):
            if compiled.matches(text, index in found, pairs):
                rule = compiled.rule
                return RuleMatch(rule.intent, rule.confidence, rule.reason)
        return None
