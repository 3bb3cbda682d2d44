"""Typo correction toward the study's own vocabulary, and never away from English.

A word is rewritten only when it is not a word we know (the lexicons' words or one of the
60,000 most frequent English words in ``data/english_words.txt``) and one small edit away from a
word of the lexicons with the same first letter. So "paitents" becomes "patients" and
"thrombocytopaenia" stays what it is, but "several" is never read as "severe", "male" as
"made", "renal" as "real", or "stage" as "stag".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from intents.normalise import Text

ENGLISH_WORDS = Path(__file__).resolve().parent / "data" / "english_words.txt"
_WORD = re.compile(r"[a-z][a-z']*[a-z]")
# A question is a sentence or two: correcting more words would only let a pasted wall of text
# cost time.
MAX_CORRECTED_WORDS = 40
# Domain words that are not in the lexicons but that people misspell (targets of correction).
EXTRA_TARGETS = """
patients patient people participants responded response responses respond responders overall
clinical benefit survival progression duration median stringent complete partial minimal stable
disease progressive evaluable percentage percent proportion number treatment treated therapy
months weeks grade grades severe common frequent baseline prior previous selinexor dexamethasone
myeloma multiple refractory triple class penta adverse events effects side platelets platelet
thrombocytopenia fatigue nausea anaemia anemia neutropenia hyponatraemia hyponatremia leukopenia
diarrhoea diarrhea vomiting appetite interval confidence discontinued discontinuation reduction
dose doses study trial published sources haematological hematological toxicity
""".split()


@cache
def english_words() -> frozenset[str]:
    """The shipped English word list (read once, on first need)."""
    try:
        lines = ENGLISH_WORDS.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(w for w in lines if w and not w.startswith("#"))


class Corrector:
    """Corrects misspelt words toward a fixed vocabulary of domain words."""

    def __init__(self, domain_words: Iterable[str]) -> None:
        words = {w for w in domain_words if len(w) >= 4 and w.isalpha()}
        words.update(EXTRA_TARGETS)
        self.targets: tuple[str, ...] = tuple(sorted(words))
        self.domain = frozenset(words) | {w for w in domain_words if w}
        self._fixes: dict[str, str | None] = {}

    def known(self, word: str) -> bool:
        if word in self.domain or word in english_words():
            return True
        # A plural of a word we know ("ascts", "sdes") is spelled right.
        return any(
            word.endswith(end) and (word[: -len(end)] in self.domain)
            for end in ("s", "es")
            if len(word) > len(end) + 2
        )

    def correct(self, text: Text) -> tuple[Text, list[tuple[str, str]]]:
        """The text with misspellings replaced, and the (typed, corrected) pairs."""
        edits: list[tuple[int, int, str]] = []
        changes: list[tuple[str, str]] = []
        for i, m in enumerate(_WORD.finditer(text.norm)):
            if i >= MAX_CORRECTED_WORDS:
                break
            word = m.group()
            if len(word) < 4 or self.known(word):
                continue
            if word not in self._fixes:
                if len(self._fixes) > 20000:  # bounded memory under adversarial input
                    self._fixes.clear()
                self._fixes[word] = self._nearest(word)
            fixed = self._fixes[word]
            if fixed and fixed != word:
                edits.append((m.start(), m.end(), fixed))
                changes.append((word, fixed))
        return text.replace(edits), changes

    def _nearest(self, word: str) -> str | None:
        # One slip in a short word, two in a long one.
        n = len(word)
        limit = 1 if n <= 5 else 2 if n <= 12 else 3
        found = process.extract(
            word, self.targets, scorer=OSA.distance, score_cutoff=limit, limit=8
        )
        # People rarely mistype the first letter; allowing it turns words we do not know into
        # domain words. Then the smallest distance, then the closest length.
        # A word cut short ("respons") is completed rather than changed ("respond").
        pool = [
            (d, not t.startswith(word), abs(len(t) - n), t) for t, d, _ in found if t[0] == word[0]
        ]
        return min(pool)[-1] if pool else None
