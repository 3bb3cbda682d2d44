"""First stage of the cascade: strict, high-precision rules that settle a question outright
(greetings, thanks, help, and questions outside the study's scope), read from
``data/scope.yaml``. They run before typo correction, so an unrelated word is never "corrected"
into a study word ("code" → "dose"). A rule either decides the intent or stays out of the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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

    def matches(self, text: Text) -> bool:
        w = text.norm
        hit = (any(rx.match(w) for rx in self.whole) or any(rx.search(w) for rx in self.search)
               or any(rx.search(text.original) for rx in self.original))
        if not hit:
            return False
        if self.requires and not any(rx.search(w) for rx in self.requires):
            return False
        return not any(rx.search(w) for rx in self.unless)


class ScopeRules:
    def __init__(self, rules: list[ScopeRule]) -> None:
        def c(patterns: list[str]) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(p) for p in patterns)

        self.rules = [_Compiled(r, c(r.whole), c(r.search), c(r.search_original),
                                c(r.requires), c(r.unless)) for r in rules]
        # Most questions match no rule: one scan of every rule's patterns at once says so,
        # instead of a dozen scans with large alternations.
        self.any = re.compile("|".join(f"(?:{p})" for r in rules for p in r.whole + r.search))
        self.any_original = re.compile(
            "|".join(f"(?:{p})" for r in rules for p in r.search_original) or r"(?!)")

    def match(self, text: Text) -> RuleMatch | None:
        """The first rule that settles the question, or None when it needs the scorer."""
        if not _ALNUM.search(text.norm):
            return RuleMatch("unknown", 0.0, "no words")
        if not self.any.search(text.norm) and not self.any_original.search(text.original):
            return None
        for compiled in self.rules:
            if compiled.matches(text):
                rule = compiled.rule
                return RuleMatch(rule.intent, rule.confidence, rule.reason)
        return None
