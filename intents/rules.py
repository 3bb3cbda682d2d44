"""First stage of the cascade: strict, high-precision rules that settle a question outright.

They run on the normalised text *before* typo correction, so that an unrelated word is never
"corrected" into a study word ("code" → "dose"). A rule either decides the intent or stays out of
the way; nothing here guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intents import vocabulary as V
from intents.normalise import Text


@dataclass(frozen=True, slots=True)
class RuleMatch:
    intent: str
    confidence: float
    reason: str


_GREETING = re.compile(V.GREETING)
_THANKS = re.compile(V.THANKS)
_THANKS_WORD = re.compile(V.THANKS_WORD)
_HELP = re.compile(V.HELP)
_TRIALS = re.compile(V.OTHER_TRIALS)
_BOSTON = re.compile(V.BOSTON_UPPER)
_DRUGS = re.compile(V.OTHER_DRUGS)
_DRUG_OK = re.compile(V.OTHER_DRUG_OK)
_DISEASES = re.compile(V.OTHER_DISEASES)
_ADVICE = re.compile(V.ADVICE)
_UNRELATED = re.compile(V.UNRELATED)
_ALNUM = re.compile(r"[a-z0-9]")
_SELINEXOR = re.compile(V.SELINEXOR)


def match(text: Text) -> RuleMatch | None:
    """Conversation and scope rules; None when the question needs the scorer."""
    w = text.norm
    if not _ALNUM.search(w):
        return RuleMatch("unknown", 0.0, "no words")
    if _GREETING.match(w):
        return RuleMatch("greeting", 0.99, "greeting")
    if _THANKS_WORD.search(w) and _THANKS.match(w):
        return RuleMatch("thanks", 0.99, "thanks")
    if _HELP.match(w):
        return RuleMatch("help", 0.99, "help")
    # Scope. Another trial by name, even with study words in it ("ORR in DREAMM-2").
    if _TRIALS.search(w) or _BOSTON.search(text.original):
        return RuleMatch("out_of_scope", 0.97, "another trial")
    # Advice about a person's own treatment is never a study question.
    if _ADVICE.search(w):
        return RuleMatch("out_of_scope", 0.97, "medical advice")
    if _UNRELATED.search(w):
        return RuleMatch("out_of_scope", 0.95, "unrelated topic")
    if _DISEASES.search(w):
        return RuleMatch("out_of_scope", 0.9, "another disease")
    # Other drugs are in scope only as STORM's prior therapies ("refractory to carfilzomib").
    if _DRUGS.search(w) and not _DRUG_OK.search(w):
        return RuleMatch("out_of_scope", 0.9, "another drug")
    return None
