"""First stage of the cascade: strict, high-precision rules that settle a question outright
(greetings, thanks, help, and questions outside the study's scope), read from
``data/scope.yaml``. They run before typo correction, so an unrelated word is never "corrected"
into a study word ("code" → "dose"). A rule either decides the intent or stays out of the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intents.lexicon import _Entry, _Trie, tokens
from intents.normalise import Text
from intents.spec import ScopeRule

_ALNUM = re.compile(r"[a-z0-9]")


@dataclass(frozen=True, slots=True)
class RuleMatch:
    intent: str
    confidence: float
    reason: str


@dataclass(frozen=True)
class _Compiled:
    rule: ScopeRule
    whole: tuple[re.Pattern[str], ...]
    search: tuple[re.Pattern[str], ...]
    original: tuple[re.Pattern[str], ...]
    requires: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]

    def matches(self, text: Text, by_phrase: bool) -> bool:
        w = text.norm
        hit = (
            by_phrase
            or any(rx.match(w) for rx in self.whole)
            or any(rx.search(w) for rx in self.search)
            or any(rx.search(text.original) for rx in self.original)
        )
        if not hit:
            return False
        if self.requires and not any(rx.search(w) for rx in self.requires):
            return False
        return not any(rx.search(w) for rx in self.unless)


class ScopeRules:
    def __init__(self, rules: list[ScopeRule]) -> None:
        def c(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(p) for p in patterns)

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
