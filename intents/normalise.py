"""Text normalisation that never loses track of where each character came from.

Every later stage works on a lower-cased, NFKC-normalised, whitespace-collapsed copy of the
question, but slots must report spans in the *original* text. So instead of a plain string we
keep, for every working character, the start/end offsets of the original characters it came
from. Substitutions (typo corrections, ``≥`` → ``>=``) map all their output characters to the
original span they replace.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Work on a bounded prefix: a question is a sentence or two; anything longer is pasted noise and
# must not cost time (10 MB inputs must stay fast).
MAX_CHARS = 2000

# ANSI/VT escape sequences (colour codes pasted from a terminal) are dropped, not read as text.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-_]")

# Characters NFKC leaves alone but people use interchangeably with ASCII.
_CHAR_MAP: dict[str, str] = {
    "≥": ">=",
    "⩾": ">=",
    "≧": ">=",
    "≤": "<=",
    "⩽": "<=",
    "≦": "<=",
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "−": "-",
    "﹣": "-",
    "―": "-",
    "’": "'",
    "‘": "'",
    "‛": "'",
    "`": "'",
    "´": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "×": "x",
    "…": "...",
}


@dataclass(frozen=True, slots=True)
class Text:
    """A working copy of the question with a map back to the original characters."""

    original: str
    norm: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Original (start, end) for the working-text slice [a, b)."""
        if not self.norm or b <= a:
            pos = self.starts[a] if a < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[a], self.ends[b - 1]

    def original_text(self, a: int, b: int) -> str:
        s, e = self.span(a, b)
        return self.original[s:e]

    def replace(self, edits: list[tuple[int, int, str]]) -> Text:
        """Return a copy with working slices replaced (non-overlapping, any order).

        Replacement characters all map to the original span of the slice they replace, so a
        corrected word still points at the misspelt word the user typed.
        """
        if not edits:
            return self
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for a, b, new in sorted(edits):
            out.append(self.norm[pos:a])
            starts.extend(self.starts[pos:a])
            ends.extend(self.ends[pos:a])
            s, e = self.span(a, b)
            out.append(new)
            starts.extend([s] * len(new))
            ends.extend([e] * len(new))
            pos = b
        out.append(self.norm[pos:])
        starts.extend(self.starts[pos:])
        ends.extend(self.ends[pos:])
        return Text(self.original, "".join(out), tuple(starts), tuple(ends))


def bound(text: object) -> tuple[str, bool]:
    """Coerce to str and cut to MAX_CHARS; report whether anything was cut."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if len(text) > MAX_CHARS:
        return text[:MAX_CHARS], True
    return text, False


_PLAIN = re.compile(r"[ -~]*")  # printable ASCII: nothing to map but case and blanks
# Printable ASCII but the blank and the characters ``_CHAR_MAP`` rewrites: each is itself,
# lower-cased, in the working text.
_ASCII_WORDISH = frozenset(chr(c) for c in range(0x21, 0x7F)) - set(_CHAR_MAP)
_BLANKS = re.compile(r" +")


def normalise(original: str) -> Text:
    """NFKC, lower case, ASCII punctuation, control characters dropped, whitespace collapsed."""
    if _PLAIN.fullmatch(original) and "`" not in original:
        return _normalise_plain(original)
    skip = bytearray(len(original))
    for m in _ANSI.finditer(original):
        skip[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last_space = True  # also strips leading whitespace
    for i, ch in enumerate(original):
        if skip[i]:
            continue
        if ch in _ASCII_WORDISH:  # NFKC leaves it, no map changes it, it is no blank
            out.append(ch.lower())
            starts.append(i)
            ends.append(i + 1)
            last_space = False
            continue
        # Per-character NFKC keeps the offset map simple; it differs from whole-string NFKC only
        # for combining sequences, which matter to no keyword here.
        piece = _CHAR_MAP.get(ch)
        if piece is None:
            piece = unicodedata.normalize("NFKC", ch)
            piece = "".join(_CHAR_MAP.get(c, c) for c in piece).lower()
        for c in piece:
            cat = unicodedata.category(c)
            if c.isspace() or cat in ("Cc", "Cf", "Zs", "Zl", "Zp", "Cs", "Co", "Cn"):
                if last_space:
                    continue
                c = " "
                last_space = True
            else:
                last_space = False
            out.append(c)
            starts.append(i)
            ends.append(i + 1)
    while out and out[-1] == " ":
        out.pop()
        starts.pop()
        ends.pop()
    return Text(original, "".join(out), tuple(starts), tuple(ends))


def _normalise_plain(original: str) -> Text:
    """The common case, printable ASCII, without the per-character Unicode work (the same
    result as the general path)."""
    if "  " not in original and original[:1] != " " and original[-1:] != " ":
        # Single blanks only, none at either end: every character is itself, lower-cased.
        return Text(
            original,
            original.lower(),
            tuple(range(len(original))),
            tuple(range(1, len(original) + 1)),
        )
    out: list[str] = []
    starts: list[int] = []
    pos = 0
    blank = 0  # where the run of blanks before ``pos`` began
    lower = original.lower()
    for m in [*_BLANKS.finditer(original), None]:
        a, b = m.span() if m is not None else (len(original), len(original))
        if a > pos:
            if out:
                out.append(" ")
                starts.append(blank)
            out.append(lower[pos:a])
            starts.extend(range(pos, a))
        pos, blank = b, a
    ends = [x + 1 for x in starts]
    return Text(original, "".join(out), tuple(starts), tuple(ends))


def cased_pattern(words: dict[str, str]) -> re.Pattern[str] | None:
    """One pattern for the abbreviations whose case carries their meaning (as typed, whole
    words); None when there are none. Built once, by the parser."""
    if not words:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])")


def uncase(text: Text, pattern: re.Pattern[str] | None, words: dict[str, str]) -> Text:
    """Replace the abbreviations ``pattern`` finds in the original text (``words``: as typed →
    replacement) before case is lost."""
    if pattern is None:
        return text
    found = list(pattern.finditer(text.original))
    if not found:
        return text
    where = {start: i for i, start in enumerate(text.starts)}
    edits: list[tuple[int, int, str]] = []
    for m in found:
        a = where.get(m.start())
        if a is None:
            continue
        b = a
        while b < len(text.ends) and text.ends[b] <= m.end():
            b += 1
        edits.append((a, b, words[m.group()]))
    return text.replace(edits)
