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

    def _exact(self, text: str) -> bool:
        return not self.ascii or text.isascii()


# Where a pattern has no heads, its top-level alternatives each may: "a|b|c" occurs in a
# text when one of "a", "b", "c" does, so each is searched for on its own, where it can
# begin. Not for a pattern whose alternatives depend on each other (a global flag, a
# back-reference or a conditional group).
_ENTANGLED = re.compile(r"^\(\?[aiLmsux]|\\[1-9]|\(\?P=|\(\?\(")


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (itself alone when it has one, or when they
    cannot be read apart)."""
    if _ENTANGLED.search(pattern):
        return [pattern]
    out: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            # "[]…]" and "[^]…]": a "]" first in a set is a character of it
            i += 1
            if pattern[i : i + 1] == "^":
                i += 1
            if pattern[i : i + 1] == "]":
                i += 1
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    if len(out) < 2 or depth != 0 or in_class:
        return [pattern]
    for alternative in out:
        try:
            re.compile(alternative)
        except re.error:
            return [pattern]
    return out


_Gate = tuple[frozenset[str], bool] | None


def _gate(pattern: str) -> _Gate:
    heads = _heads(pattern)
    return None if heads is None else (heads.heads, heads.ascii)


def _gates(rules: list[ScopeRule]) -> dict[str, list[tuple[str, _Gate]]]:
    """What ``_Gated`` is made from, for every pattern the rules use: the pattern and its
    heads; for a pattern searched for that has none, each alternative and its heads."""
    out: dict[str, list[tuple[str, _Gate]]] = {}
    for rule in rules:
        for pattern in rule.whole:
            out[pattern] = [(pattern, _gate(pattern))]
        for pattern in rule.search + rule.search_original + rule.requires + rule.unless:
            gate = _gate(pattern)
            parts = [pattern] if gate is not None else _alternatives(pattern)
            out[pattern] = [(p, _gate(p)) for p in parts] if len(parts) > 1 else [(pattern, gate)]
    return out


@dataclass(frozen=True)
class _Compiled:
    rule: ScopeRule
    whole: tuple[_Gated, ...]
    search: tuple[_Gated, ...]
    original: tuple[_Gated, ...]
    requires: tuple[_Gated, ...]
    unless: tuple[_Gated, ...]

    def matches(self, text: Text, by_phrase: bool) -> bool:
        # Loops rather than any(...): every question runs every rule, and the generators
        # cost more than the tests most of them make.
        w = text.norm
        if not by_phrase and not self._hit(w, text.original):
            return False
        if self.requires and not _found(self.requires, w):
            return False
        return not _found(self.unless, w)

    def _hit(self, w: str, original: str) -> bool:
        for rx in self.whole:
            if rx.match(w):
                return True
        return _found(self.search, w) or _found(self.original, original)


def _found(patterns: tuple[_Gated, ...], text: str) -> bool:
    """Whether one of ``patterns`` matches anywhere in ``text``: never one none of whose
    heads occurs in it (a pair of characters occurs in a text when it is a substring of it)."""
    for rx in patterns:
        heads = rx.heads
        if heads is not None and rx._exact(text) and not any(map(text.__contains__, heads)):
            continue
        if rx._regex().search(text) is not None:
            return True
    return False


class ScopeRules:
    def __init__(self, rules: list[ScopeRule], inputs: list[Path] | None = None) -> None:
        """``inputs``: the data files the rules were read from, when they were (their
        patterns' heads are then kept between runs, ``intents.artefact``)."""
        gates = _gates(rules) if inputs is None else cached("scope", inputs, lambda: _gates(rules))

        def c(patterns: list[str]) -> tuple[_Gated, ...]:
            # A pattern searched for is one or more of its alternatives (``_gates``).
            return tuple(_Gated(part, heads) for p in patterns for part, heads in gates[p])

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
        for index, compiled in enumerate(self.rules):
            if compiled.matches(text, index in found):
                rule = compiled.rule
                return RuleMatch(rule.intent, rule.confidence, rule.reason)
        return None
