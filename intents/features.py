"""What the intent scorer sees of a question: words with the entities replaced by their type.

Unigrams, bigrams and trigrams of that sequence, the entity types and values, crude stems and
character 4-grams of the other words, and the question's length.

"G3 neut %" and "how many patients had grade 3 or worse thrombocytopenia" both read as
"<grade> <ae_term> …": the scorer learns the shape of a question, the lexicons know the words.
Character n-grams of the remaining words carry typos and word forms the lexicons lack.
Training (``intents.train``) and answering use this one function, so they cannot drift apart.
"""

from __future__ import annotations

import re

from intents.lexicon import Matches, tokens

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PUNCTUATION = frozenset("?.!,;:\"'()")
# Overlay cues whose presence says something about the kind of question.
CUE_TYPES = (
    "median_cue",
    "count_cue",
    "list_cue",
    "compare_cue",
    "explain_cue",
    "define_cue",
    "discrepancy_cue",
    "top",
    "quote_word",
    "persist",
    "ci_word",
    "claim",
    "dex",
    "selinexor",
    "any_reason",
    "followup_start",
    "followup_end",
    "pronoun",
    "question_head",
    "serious",
    "definition_term",
    "reconstructed_cue",
)
_CUES = frozenset(CUE_TYPES)


def features(norm: str, matches: Matches, start: int = 0, end: int | None = None) -> list[str]:
    """Feature names of the working text ``norm[start:end]`` (a clause of it or all of it)."""
    stop = len(norm) if end is None else end
    hits = [h for h in matches.hits if h.start >= start and h.end <= stop]
    out: list[str] = []
    seq: list[str] = []
    words: list[str] = []
    hit_index = 0
    for tok, a, b in tokens(norm[start:stop]):
        a += start
        b += start
        while hit_index < len(hits) and hits[hit_index].end <= a:
            hit_index += 1
        if hit_index < len(hits) and hits[hit_index].start <= a < hits[hit_index].end:
            hit = hits[hit_index]
            label = f"<{hit.type}{'~' if hit.weak else ''}>"
            if not seq or seq[-1] != label:
                seq.append(label)
            continue
        if tok[0].isdigit() and _NUMBER.fullmatch(tok):  # (a number begins with a digit)
            seq.append("<num>")
            continue
        if tok in _PUNCTUATION:
            continue  # "?" ends fragments and full questions alike
        seq.append(tok)
        if tok[0].isalpha():
            words.append(tok)
    # (The order they are made in does not matter: the list is sorted at the end.)
    out += ["w:" + item for item in seq]
    out += [f"b:{before}_{after}" for before, after in zip(["^", *seq], [*seq, "$"], strict=True)]
    for hit in hits:
        weak = "~" if hit.weak else ""
        out.append(f"e:{hit.type}{weak}")
        out.append(f"v:{hit.type}{weak}={hit.value}")
    out += [
        f"o:{hit.type}"
        for hit in matches.overlays
        if hit.type in _CUES and hit.start >= start and hit.end <= stop
    ]
    out += [f"t:{x}_{y}_{z}" for x, y, z in zip(seq, seq[1:], seq[2:], strict=False)]
    for word in words:
        out.append("s:" + word[:5])  # a crude stem: "respond", "responded", "responders"
        padded = f"#{word}#"
        out += ["c:" + padded[i : i + 4] for i in range(len(padded) - 3)]
    n = len(seq)
    out.append(
        "n:"
        + ("1" if n <= 1 else "2" if n == 2 else "3-4" if n <= 4 else "5-9" if n <= 9 else "10+")
    )
    return sorted(set(out))
