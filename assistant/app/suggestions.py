"""Completion as you type: whole known questions first, then the word being typed."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from textual.suggester import Suggester

_LAST_WORD = re.compile(r"[\w-]+$")
# Completing "a" to "anaemia" is noise; two letters are the least that says what you mean.
MIN_WORD = 2


class QuestionSuggester(Suggester):
    """Suggests the rest of a remembered or example question whose start matches what is
    typed, else completes the last word from the study's terms.

    ``questions`` is called on every lookup so it sees the history as it grows; the cache is
    off for the same reason.
    """

    def __init__(self, questions: Callable[[], Iterable[str]], terms: Iterable[str]) -> None:
        # case_sensitive=True: we fold case ourselves, so the typed text keeps its case when
        # the suggestion is accepted.
        super().__init__(use_cache=False, case_sensitive=True)
        self._questions = questions
        self._terms: list[str] = []
        self.add_terms(terms)

    def add_terms(self, terms: Iterable[str]) -> None:
        """More words to complete (the store's event terms, once it is loaded)."""
        seen: dict[str, str] = {}
        for term in [*self._terms, *terms]:
            seen.setdefault(term.casefold(), term)
        # Shorter terms first so "response" is offered before "response rate" is guessed.
        self._terms = sorted(seen.values(), key=lambda term: (len(term), term.casefold()))

    async def get_suggestion(self, value: str) -> str | None:
        return self.suggest(value)

    def suggest(self, value: str) -> str | None:
        if not value.strip():
            return None
        folded = value.casefold()
        for question in self._questions():
            if len(question) > len(value) and question.casefold().startswith(folded):
                return value + question[len(value) :]
        match = _LAST_WORD.search(value)
        if match is None or len(match.group()) < MIN_WORD:
            return None
        word = match.group().casefold()
        for term in self._terms:
            if len(term) > len(word) and term.casefold().startswith(word):
                return value + term[len(word) :]
        return None
