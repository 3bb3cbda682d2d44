"""The cascade: normalise → scope rules → typo correction → entities → clauses → scorer →
slots → follow-up → coverage.

- Scope rules (``scope.yaml``) settle greetings, help and out-of-scope questions outright.
- Entities come from the lexicons (``lexicon.py``); the trained scorer (``model.py``) reads the
  question's shape with the entities replaced by their types.
- A question with several subjects joined by "and", "/", "," … is several queries, read in
  turn, each later one against the one before ("grade 3 fatigue and nausea").
- Slots are filled as ``intents.yaml`` says; entities the intent does not use become qualifiers
  (an age band, a hazard ratio …) or are listed as unused, never silently dropped.
- Fallback (after Rasa): a weak best score → ``unknown``; two close readings → ``clarify``.

``parse()`` never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from intents import context
from intents.artefact import collector_paused
from intents.features import features
from intents.lexicon import Hit, Lexicon, Matches, tokens
from intents.model import Model, Scores
from intents.normalise import Text, bound, cased_pattern, normalise, uncase
from intents.schema import Alternative, Parse, Qualifier, Query, Slot
from intents.scope import ScopeRules
from intents.spec import CONVERSATION, Spec, inputs_of, load_spec
from intents.typos import Corrector

# Below this probability nothing was recognised well enough to answer.
MIN_PROBABILITY = 0.30
# A question in which no lexicon word occurs must be read with at least this probability
# ("; DROP TABLE facts; --" is not a question about the study).
MIN_PROBABILITY_WITHOUT_EVIDENCE = 0.75
# … or this, when the question names the subject and no rival reading comes close.
LOW_PROBABILITY_WITH_SUBJECT = 0.2
_EVIDENCE_CUES = frozenset(
    {
        "median_cue",
        "count_cue",
        "list_cue",
        "compare_cue",
        "explain_cue",
        "define_cue",
        "discrepancy_cue",
        "top",
        "quote_word",
        "dex",
        "selinexor",
        "definition_term",
        "study_name",
        "reconstructed_cue",
    }
)
# Words that make what follows a restriction of the subject, not the subject.
_RESTRICTION = re.compile(
    r"\b(?:in|among|amongst|for|of) (?:the )?(?:pts|patients|people|those|"
    r"subjects|ones|participants)? ?(?:with|who had|who have|having|who got)"
    r" (?:an? |any )?$"
)
# A clause that asks for the figure of what another clause defines ("…, and what was it in this
# study?", "did many patients get one?", "what's the number").
_FIGURE_ASKED = re.compile(
    r"\b(?:what|how (?:long|much|high))(?: was| were| is|'s| are) (?:it|they|that|the number|"
    r"the figure|the result)\b|\bwhat'?s the (?:number|figure|result|rate)\b|"
    r"\bdid (?:many|any|anyone|anybody|most)(?: \w+){0,2} (?:get|achieve|have|reach)\b|"
    r"\bachieved (?:it|one|that)\b"
)
# Cues of a detail of a figure (its interval, its count, its denominator).
_DETAIL_CUES = frozenset({"ci_word", "count_cue", "denominator"})
# Words just before a subject that set it aside ("TTP, not PFS"; "rather than the PFS").
_CONTRAST = re.compile(
    r"(?:(?:^|[,;:?!.\u2014\u2013-]|\bbut|\band)\s*(?:not|never)|\brather than|\binstead of|"
    r"\bas distinct from|\bas opposed to|\bother than|\b(?:don'?t|do not) substitute|"
    r"\bbeyond|\bon top of|\bover and above)"
    r"\s+(?:the |a |an |with |just )?$"
)
# Words before a population that make it the group a figure is asked in ("and in the penta
# group?", "for those penta-refractory").
_IN_GROUP = re.compile(
    r"\b(?:in|among|amongst|for|within|across|from|of|same)\b(?: the| those| that| this| these)?"
    r"(?: \w+)?\s*$"
)
# What joins two interval levels: "90 % and 95 %", "90, 95 or 99 %".
_LEVEL_JOIN = re.compile(
    r"\s*%?\s*(?:(?:ci|cis|intervals?|confidence intervals?)\s*)?"
    r"(?:,|or|and|vs\.?|versus|/|&|,? and|,? or)\s*(?:an? |the )?"
)
# Plain words and sentence punctuation (no code, markup or symbols).
_MOSTLY_ENGLISH = re.compile(r"[a-z' ,?.!-]+")
# Below this, the scorer's "out of scope" gives way to a reading the question names.
OUT_OF_SCOPE_OVER_SUBJECT = 0.7
OUT_OF_SCOPE_RIVAL = 0.2  # … to a reading at least this likely
# Two readings closer than this, both with evidence in the question: ask which one.
CLOSE_MARGIN = 0.10
# A learned slot (a study topic the lexicon did not name) needs at least this probability.
LEARNED_SLOT_PROBABILITY = 0.5
# Where a question with several subjects divides into queries.
_COORDINATOR = re.compile(
    r"\s*(?:(?P<alt>,?\s*(?:\bvs\.?|\bversus\b|\bor\b))|,|;|/(?<!\bw/)(?<!\bn/)(?<!\bk/)"
    r"(?<!\band/)|&|\+|\?(?=\s*\S)|\band\b|\bplus\b|\bas well as\b|\balong with\b|\balso\b|"
    r"\bthen\b|(?<!\bvs)(?<!\be\.g)(?<!\bi\.e)(?<!\bapprox)(?<!\bno)\.(?=\s+\S))\s*"
)
# Intents whose questions name several things on purpose ("penta vs the others", "patients with
# thrombocytopenia and bleeding", "10 or 12 deaths?"): never divided.
_WHOLE = frozenset(
    {
        "compare",
        "records",
        "discrepancy",
        "explain_method",
        "set_stats",
        "response_breakdown",
        "ae_table",
        "ae_top",
    }
)
# What a number after which counts is no restriction of the patients: the answer's length.
_NOT_ABOUT_PATIENTS = re.compile(
    r"[- ]?(?:words?|pages?|slides?|lines?|sentences?|paragraphs?|minutes?|mins?|bullets?"
    r"|points?)\b"
)
_AT_LEAST = re.compile(r"(?:>=|=>|>|at least|minimum of|min\.?)\s*$")
# "1) ORR 2) CBR 3) mDOR": the numbers of a numbered list.
_LIST_MARK = re.compile(r"(?:^|(?<=[\s:;,]))\(?\d{1,2}\)(?=\s)")


def _without_list_marks(text: Text) -> Text:
    """A numbered list's marks divide its items like semicolons; they are no figures."""
    if ")" not in text.norm:
        return text  # (every mark has one)
    marks = list(_LIST_MARK.finditer(text.norm))
    if len(marks) < 2:
        return text  # one "3)" is more likely part of the question
    return text.replace(
        [(x.start(), x.end(), ";" + " " * (x.end() - x.start() - 1)) for x in marks]
    )


# What the comparison answers side by side (intents.yaml: compare's measures).
_COMPARED = frozenset({"response_rate", "response_category", "ae_incidence", "compare"})
# A response threshold said as a rate, not as a group of patients.
_RATE_WORDS = re.compile(r"\b(?:orr|cbr|rates?|ratio)\b")
# A sentence that goes on with the request before it.
_CONTINUES = re.compile(
    r"(?:then|also|and|plus|next|additionally|separately|finally|lastly|as well)\b", re.IGNORECASE
)
# The rows of the best-response table, as the lexicon names them.
_RESPONSE_ROWS = frozenset({"category", "threshold", "threshold_below"})
# Baseline variables that, beside an outcome, are subgroups of it.
_SUBGROUP_VARIABLES = frozenset({"sex", "race", "ecog", "iss", "transplant", "renal"})
# Entities that name an outcome of the study (what a subgroup question would be about).
_OUTCOME_TYPES = frozenset(
    {
        "threshold",
        "threshold_below",
        "category",
        "endpoint",
        "ae_term",
        "bleeding",
        "deaths",
        "action",
    }
)
_QUALIFIER_TYPES = frozenset({"subgroup", "timepoint", "measure", "assessor", "cohort"})
# Subjects people list without "and": "sCR VGPR PR", "nausea vomiting diarrhoea".
# Entity types that ask one kind of thing, for "X vs Y" ("responders vs non-responders").
_KIND = {
    "threshold": "response",
    "threshold_below": "response",
    "category": "response",
    "action": "treatment",
    "disposition_ongoing": "treatment",
}
# Hits that vary a question without being its subject ("G3 vs G4 thrombocytopenia").
_VARIANT_TYPES = frozenset({"grade"})
_LISTABLE = frozenset({"category", "threshold", "endpoint", "ae_term"})
_SETTINGS = frozenset({"ci_method", "level", "statistic", "null_rate", "persist", "population"})
# Words before a percentage that make it the rate a test is against, not an interval level.
_NULL_RATE = re.compile(
    r"(?:above|over|than|exceed\w*|against|vs\.?|versus|null|h0|h1|p ?[<>]=?|"
    r"[<>]=?|at least|below|under|beat|surpass\w*)\s*(?:a |the )?$"
)
_ALPHA = re.compile(r"(?:alpha|α|significance(?: level)?|type i error|p ?[<=])\s*(?:of |= ?|at )?$")
# A part of a compound question must be read with at least this probability to stand alone.
PART_PROBABILITY = 0.5
# A sentence ends at ".", "!" or "?" before a blank or the end ("0.9" and "e.g." do not end one).
_SENTENCE = re.compile(r"\S.*?(?:(?<!\be\.g)(?<!\bi\.e)[.!?]+(?=\s|$)|$)")


# The last two texts only: the scope rules and the commentary read the same one, in one parse.
@lru_cache(maxsize=2)
def _sentences(norm: str) -> tuple[tuple[int, int], ...]:
    """The spans of the sentences of ``norm``."""
    return tuple((x.start(), x.end()) for x in _SENTENCE.finditer(norm) if x.group().strip())


# A sentence that tells rather than asks.
_METHOD_OR_SELF = re.compile(r"(?:why|how|i|i'[a-z]+|we|we'[a-z]+)\b")
_REMARK = re.compile(
    r"(?:i|we) (?:know|think|realise|realize|understand|believe|guess|assume|"
    r"suspect|appreciate|remember|recall|read|saw|heard)\b|i'?m (?:aware|sure|"
    r"guessing|assuming)\b|(?:note|fyi|btw|ps)\b|(?:thanks|thank you|cheers)\b"
)
# A clause of its own, at the start, that says who is asking rather than what ("my platelets r
# 40 now,", "I have kidney problems from the myeloma,", "my consultant says …,").
_DISCLOSURE = re.compile(
    r"\s*(?:(?:my|our) (?:\w+ ){0,3}(?:is|are|r|was|were|has|have|had|says|said|mentioned|"
    r"told|keeps?|got|goes|went)|i (?:have|had|am|was|got|'ve)|i'?m|ive|we (?:have|had|are))\b"
    r"[^,?;.]{0,80}?,\s*(?=\S)"
)
# An aside that explains rather than asks: "(i.e. not VGPR or better)", "i.e. …", "e.g. …".
_ASIDE = re.compile(
    r"\((?:i\.?e\.?|e\.?g\.?|ie|eg|that is|not|excluding|rather than)\b[^)]*\)|"
    r"\([^)]{0,30}?\b(?:def|defn|definition|defined as|per)\b[^)]*\)|"
    r"\b(?:i\.e\.|e\.g\.)[^?)]*"
)
# Words that set what follows apart as a clarification, not a restriction: "a PR as best
# response (i.e. not VGPR or better)".
_CLARIFYING = re.compile(
    r"(?:\bi\.?e\.?,?|\bnot|\brather than|\bexcluding|\bexcept|"
    r"\bother than|\bunlike|\bas opposed to)\s*(?:an? |the )?$"
)
_LEVEL_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?) ?(%|percent\b|per ?cent\b|pct\b)?")
_TOP_N = re.compile(
    r"\btop (\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\b|"
    r"\b(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten) (?:most|commonest|"
    r"main|leading)\b"
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


@dataclass
class Reading:
    """What one clause (or the whole question) asks."""

    intent: str
    confidence: float
    slots: dict[str, Slot] = field(default_factory=dict)
    qualifiers: list[Qualifier] = field(default_factory=list)
    used: list[Hit] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)
    followup: bool = False
    start: int = 0
    end: int = 0
    refined: bool = False  # a follow-up that only added slots to the previous query
    # One of two parts that ask the same query, one of them qualified ("mOS + 1-yr OS", "mean
    # and median lines"): each takes only the qualifiers said in its own clause.
    scoped: bool = False
    # The figure a method question names ("how was the ORR CI calculated?"): one question,
    # the method of that figure.
    about: Reading | None = None


class Parser:
    """Turns one typed question (plus the previous turn's parse) into a ``Parse``."""

    def __init__(
        self,
        terms: Iterable[str] = (),
        known_numbers: Iterable[float] = (),
        spec: Spec | None = None,
        model: Model | None = None,
    ) -> None:
        with collector_paused():  # thousands of small objects, none of them garbage
            self._set_up(terms, known_numbers, spec, model)

    def _set_up(
        self,
        terms: Iterable[str],
        known_numbers: Iterable[float],
        spec: Spec | None,
        model: Model | None,
    ) -> None:
        self.spec = spec or load_spec()
        # A store's terms pass the same check as the built-in words: a term that is a word
        # every question uses ("what", "patients") would read every question as that event.
        self.lexicon = Lexicon(self.spec, [t for t in terms or () if not _common(t)])
        self.model = model or Model.load()
        corpus_words = self.model.meta.get("words") or []
        self.corrector = Corrector(self.lexicon.words() | set(corpus_words))
        self.rules = ScopeRules(self.spec.scope, inputs_of(self.spec))
        self.known_numbers = {round(float(n), 1) for n in known_numbers}
        # Entity types that name what a question is about (an interval method only says how
        # to answer it).
        self.heads = frozenset(
            h
            for i in self.spec.intents.values()
            for h in i.heads
            if h != "ci_method" and not (h in self.spec.entities and self.spec.entities[h].overlay)
        )
        # The same with the cue words that are an intent's subject ("which method", "define").
        self.subject_types = frozenset(h for i in self.spec.intents.values() for h in i.heads)
        self.qualifier_types = frozenset(self.spec.leftover_qualifiers)
        self._cased = cased_pattern(self.spec.cased)

    # ------------------------------------------------------------------ public
    def parse(self, text: str, previous: Parse | None = None) -> Parse:
        raw, truncated = bound(text)
        try:
            prev = previous if isinstance(previous, Parse) else None
            return self._parse(raw, truncated, prev)
        except Exception:  # noqa: BLE001 - the contract is "never raises"; say "unknown" instead
            return Parse(text=raw, intent="unknown", confidence=0.0, truncated=truncated)

    def analyse(self, text: str) -> tuple[Text, Matches]:
        """The corrected working text and its entities (for training and evaluation)."""
        t, _ = self.corrector.correct(self._uncased(normalise(bound(text)[0])))
        return t, self.lexicon.match(t.norm)

    # ------------------------------------------------------------------ pipeline
    def _parse(self, raw: str, truncated: bool, previous: Parse | None) -> Parse:
        t0 = _without_list_marks(normalise(raw))
        rule = self.rules.match(self._questions_only(t0))
        if rule is not None:
            return Parse(
                text=raw, intent=rule.intent, confidence=rule.confidence, truncated=truncated
            )
        t, corrections = self.corrector.correct(self._uncased(t0))
        m = self._without_contrasts(
            t.norm,
            self._without_labels(
                t.norm,
                self._without_asides(
                    t.norm, self._without_commentary(t.norm, self.lexicon.match(t.norm))
                ),
            ),
        )
        whole = self._read(t, m, 0, len(t.norm), previous)
        readings = [whole]
        # (Only a question that may be divided is cut into clauses.)
        segments = (
            self.segments(t.norm, m, leans=previous is not None)
            if whole.intent not in _WHOLE
            else []
        )
        if len(segments) > 1 and whole.intent not in _WHOLE:
            parts = self._read_parts(t, m, segments, previous)
            # "…, so I can put both on a summary slide": why it is asked, not a question. The
            # first part keeps its opening ("For the deck, ORR and CBR": the deck is a preamble
            # and the ORR the first question).
            parts = [
                r
                for i, r in enumerate(parts)
                if i == 0 or not _PURPOSE.match(t.norm[r.start : r.end])
            ] or parts
            parts = self._without_covered(parts)
            if len(parts) > 1 and self._one_kind(parts):
                readings = parts
        elif whole.intent == "explain_method":
            readings = self._explain_with_subject(t, m, whole, previous)
            readings += self._and_from_now_on(t, m)
        readings = [part for r in readings for part in self._each_value(t, m, r)]
        if len(readings) == 1:
            readings += self._how_computed(t, m, readings[0])
        readings = self._defined_each(t, m, readings)
        readings = self._defined_and_counted(t, m, readings, previous)
        if len(readings) == 1 and previous is not None:
            readings = self._each_part(t, m, whole, previous) or readings
        # Every part at every level and with every method named ("ORR and CBR with 90% and
        # 95% CIs" is four figures).
        readings = [
            r
            for reading in readings
            for level in self._at_each_level(t, m, reading)
            for method in self._by_each_method(t, m, level)
            for stat in self._by_each_statistic(t, m, method)
            for r in self._and_the_rest(t, m, stat)
        ]
        readings = self._qualify_all(t, m, _listed(t.norm, _distinct(readings)))
        for r in readings:
            if r.about is not None:  # its own qualifiers: "how was the 1-year OS computed?"
                r.about = self._qualify_all(t, m, [r.about])[0]
                # A number in a method question is the figure queried ("how did you arrive
                # at 33 discontinuations?"), not a restriction of it.
                r.about.qualifiers = [q for q in r.about.qualifiers if q.kind != "number"]
        readings = self._carry_restrictions(readings, previous)
        return self._finish(raw, truncated, t, m, readings, corrections)

    def _uncased(self, text: Text) -> Text:
        return uncase(text, self._cased, self.spec.cased)

    @staticmethod
    def _without_asides(norm: str, m: Matches) -> Matches:
        """Drop what a parenthesis or an "i.e." says: "a PR as best response (i.e. not VGPR or
        better)" asks about PR alone."""
        if "(" not in norm and "i.e." not in norm and "e.g." not in norm:
            return m  # (every aside has one of them)
        spans = [(x.start(), x.end()) for x in _ASIDE.finditer(norm)]
        if not spans:
            return m

        def outside(h: Hit) -> bool:
            return not any(a <= h.start and h.end <= b for a, b in spans)

        # The cue words of an aside go with it ("(IMWG def: del17p …)" asks no definition).
        return Matches(
            [h for h in m.hits if outside(h)], [h for h in m.overlays if outside(h)], m.numbers
        )

    def _without_contrasts(self, norm: str, m: Matches) -> Matches:
        """Drop a subject named only to be set aside: "TTP, not PFS", "the OS rather than the
        PFS", "TTP as distinct from PFS" ask about TTP alone. Another subject must remain."""

        def set_aside(group: list[Hit]) -> list[Hit]:
            found = [h for h in group if _CONTRAST.search(norm, max(0, h.start - 30), h.start)]
            return found if len(found) < len(group) else []

        heads = set_aside([h for h in m.hits if h.type in self.heads and not h.weak])
        # a term defined against another: "what does sCR require beyond CR"
        terms = set_aside([h for h in m.overlays if h.type == "definition_term"])
        if not heads and not terms:
            return m
        return Matches(
            [h for h in m.hits if h not in heads],
            [h for h in m.overlays if h not in terms],
            m.numbers,
        )

    @staticmethod
    def _without_labels(norm: str, m: Matches) -> Matches:
        """A table's name beside the rows asked is where they come from, not the table asked
        for: "PD as best response", "SD, PD and NE counts for the best-response table" ask
        for those categories. Rows in brackets show what the table holds ("the best-response
        distribution (sCR, CR, VGPR …)"), and a row in a clause of its own ("ORR, CBR, the
        response breakdown") is another question."""
        parens = _parentheses(norm)
        rows = [
            h
            for h in m.hits
            if h.type in _RESPONSE_ROWS and not any(a <= h.start < b for a, b in parens)
        ]
        labels = [
            h
            for h in m.hits
            if h.type == "breakdown"
            and any(
                _clause_around(norm, h.start, h.end) == _clause_around(norm, r.start, r.end)
                for r in rows
            )
            # "the sCR/VGPR/PR breakdown": rows that name the table's columns
            and not any(
                r.end <= h.start and re.fullmatch(r"[\s/,&+-]*", norm[r.end : h.start])
                for r in rows
            )
        ]
        if not labels:
            return m
        return Matches([h for h in m.hits if h not in labels], m.overlays, m.numbers)

    def _questions_only(self, text: Text) -> Text:
        """The sentences that ask (for the scope rules): "Some of our team come from solid
        tumours." is context, not a question about another disease."""
        sentences = list(_sentences(text.norm))
        if len(sentences) < 2:
            return text
        asks = [(a, b) for a, b in sentences if self._asks(text.norm, a, b)]
        if not asks or len(asks) == len(sentences):
            return text
        edits = [(a, b, " " * (b - a)) for a, b in sentences if (a, b) not in asks]
        return text.replace(edits)

    def _without_commentary(self, norm: str, m: Matches) -> Matches:
        """Drop what sentences that are not questions say ("One of our KOLs prefers 90 %
        intervals." after the question): they explain the question, they do not ask."""
        sentences = list(_sentences(norm))
        disclosed = _DISCLOSURE.match(norm)
        if disclosed is not None:
            heads = [h for h in m.hits if h.type in self.heads and not h.weak]
            later = {(h.type, h.value) for h in heads if h.start >= disclosed.end()}
            if any((h.type, h.value) not in later for h in heads if h.end <= disclosed.end()):
                # "I'm seeing ORR quoted as 26%, which is right?": what it names is asked about
                disclosed = None
        if disclosed is not None and sentences and disclosed.end() < sentences[0][1]:
            # "my platelets r 40 now, how many in the trial got low platelets": who is asking,
            # then the question; the 40 restricts nothing.
            sentences[0:1] = [(0, disclosed.end()), (disclosed.end(), sentences[0][1])]
        if len(sentences) < 2:
            return m
        asks = [
            self._asks(norm, a, b) and not (disclosed is not None and a == 0) for a, b in sentences
        ]
        if not any(asks):
            return m
        keep = [span for span, ask in zip(sentences, asks, strict=True) if ask]

        def inside(h: Hit) -> bool:
            return any(a <= h.start and h.end <= b for a, b in keep)

        asked = [
            h
            for h in m.hits + m.overlays
            if (h.type in self.subject_types or h.type in self.qualifier_types) and inside(h)
        ]
        if not asked and any(h.type in self.heads for h in m.hits):
            # "A press release said 1 in 4 responded. Is that right?", "Headline numbers:
            # ORR, PFS, OS. Go.": the question points at what the other sentence names.
            return m

        return Matches(
            [h for h in m.hits if inside(h)],
            [h for h in m.overlays if inside(h)],
            [h for h in m.numbers if inside(h)],
        )

    def _asks(self, norm: str, a: int, b: int) -> bool:
        text = norm[a:b].strip()
        if _REMARK.match(text):
            return False  # "I know it's single arm."
        if text.endswith("?") or len(tokens(text)) <= 6 or _CONTINUES.match(text):
            return True  # "Then, separately, the median DOR with its CI.": the list goes on
        # A sentence that opens as a question or a request ("I need any grade and grade 3 if
        # available.") asks, wherever it stands in the text.
        return self._opens_as_question(text)

    def _opens_as_question(self, text: str) -> bool:
        """The text, read on its own, starts like a question or a request (the lexicon's
        question-head cue matches only at the start of what it reads)."""
        return self.lexicon.match(text.strip()).cue("question_head") is not None

    def segments(self, norm: str, m: Matches, leans: bool = False) -> list[tuple[int, int]]:
        """Clauses that each name a subject of their own (several → a compound question)."""
        parens = _parentheses(norm)
        cuts = [
            (c.start(), c.end())
            for c in _COORDINATOR.finditer(norm)
            if not any(h.start < c.end() and c.start() < h.end for h in m.hits)
            and not self._synonyms_around(norm, m, c.start(), c.end())
            and not any(a < c.start() < b for a, b in parens)  # "(del17p, t(4;14))"
            and (
                c.group("alt") is None
                or self._same_kind_around(m, c.start(), c.end(), "or" not in c.group("alt"))
            )
        ]
        # A bare list of the same kind of subject: "sCR VGPR and PR", "nausea vomiting".
        strong = [h for h in m.hits if h.type in self.heads and not h.weak]
        for first, second in zip(strong, strong[1:], strict=False):
            if (
                first.type == second.type
                and first.type in _LISTABLE
                and first.value != second.value
                and not norm[first.end : second.start].strip()
            ):
                cuts.append((first.end, second.start))
        cuts.sort()
        bounds: list[tuple[int, int]] = []
        pos = 0
        for a, b in cuts:
            bounds.append((pos, a))
            pos = b
        bounds.append((pos, len(norm)))
        parts: list[tuple[int, int]] = []
        for a, b in bounds:
            if self._has_subject(m, a, b) or (parts and self._has_variant(m, a, b)) or not parts:
                parts.append((a, b))
            else:
                parts[-1] = (parts[-1][0], b)
        # A clause before the first subject ("for the penta-refractory, ORR and DOR") belongs
        # to what follows it, unless it is a variant of it ("G3 and G4 thrombo").
        if (
            len(parts) > 1
            and not self._has_subject(m, *parts[0])
            and not (self._has_variant(m, *parts[0]) and self._has_variant(m, *parts[1]))
            and not (leans and self._asks_detail(m, *parts[0]))
        ):
            parts[1] = (parts[0][0], parts[1][1])
            parts.pop(0)
        return parts

    def _synonyms_around(self, norm: str, m: Matches, a: int, b: int) -> bool:
        """Two words for one thing side by side ("dose holds/reductions", "held or reduced"):
        one question, not two."""
        before = next((h for h in reversed(m.hits) if h.end <= a), None)
        after = next((h for h in m.hits if h.start >= b), None)
        return (
            before is not None
            and after is not None
            and before.end == a
            and after.start == b
            # "/" and "or" join two words for one thing; "and", "&" and "+" two questions
            # ("what is XPO1 & how does selinexor work")
            and norm[a:b].strip() in ("/", "or")
            and before.type == after.type
            and before.value == after.value
            and before.type in self.heads
            and before.type != "baseline_variable"  # "how many …, and how many …"
        )

    def _same_kind_around(self, m: Matches, a: int, b: int, variants: bool = True) -> bool:
        """ "or" and "vs" join two questions only between subjects (or variants) of one kind
        ("grade 3 fatigue vs grade 3 nausea", "G3 vs G4", "responders vs non-responders",
        "discontinued vs still on treatment"); otherwise they compare or qualify ("PFS in
        high-risk vs standard-risk")."""

        def differ(x: Hit, y: Hit) -> bool:
            return (
                _KIND.get(x.type, x.type) == _KIND.get(y.type, y.type)
                and (x.type, x.value) != (y.type, y.value)
                and x.type != "baseline_variable"
            )

        def subject(h: Hit) -> bool:
            return h.type in self.heads and h.type != "ae_generic" and not h.weak

        heads_before = [h for h in m.hits if h.end <= a and subject(h)]
        heads_after = [h for h in m.hits if h.start >= b and subject(h)]
        if heads_before and heads_after and differ(heads_before[-1], heads_after[0]):
            return True
        # Two variants side by side: "thrombocytopenia G3 vs G4" (but "moderate or severe" is
        # one band of grades).
        if not variants:
            return False
        before = [h for h in m.hits if h.end <= a and not h.weak]
        after = [h for h in m.hits if h.start >= b and not h.weak]
        return bool(
            before
            and after
            and before[-1].type in _VARIANT_TYPES
            and after[0].type == before[-1].type
            and differ(before[-1], after[0])
        )

    @staticmethod
    def _asks_detail(m: Matches, a: int, b: int) -> bool:
        """A clause that asks only a detail of the figure before ("CI?", "as a count?", "n/N?",
        "99% CI?"): in a follow-up it is about the previous question, not a preamble of the
        clause after it ("CI? and OS too" asks the CI and the OS)."""
        inside = [h for h in m.hits if a <= h.start and h.end <= b]
        cues = [h for h in m.overlays if a <= h.start and h.end <= b]
        return not inside and any(h.type in _DETAIL_CUES for h in cues)

    def _has_subject(self, m: Matches, a: int, b: int) -> bool:
        return any(
            h.type in self.heads
            and not h.weak
            and h.type != "ae_generic"
            and a <= h.start
            and h.end <= b
            for h in m.hits
        )

    def _has_variant(self, m: Matches, a: int, b: int) -> bool:
        """A clause that re-asks with another population or grade ("… and in the other 39",
        "any grade and grade 3")."""
        return any(
            h.type in ("population", "grade")
            and h.value != ("bare", None, None)
            and a <= h.start
            and h.end <= b
            for h in m.hits
        )

    def _read_parts(
        self, t: Text, m: Matches, segments: list[tuple[int, int]], previous: Parse | None
    ) -> list[Reading]:
        readings: list[Reading] = []
        prev = previous
        if not self._has_subject(m, *segments[0]) and not (
            previous is not None and self._asks_detail(m, *segments[0])
        ):
            # "G3 and G4 thrombo": the first clause borrows the subject of the second.
            second = self._read(t, m, *segments[1], previous)
            first = self._read(t, m, *segments[0], self._as_parse(t.original, second), inner=True)
            readings = [first, second]
            if _same(first, second) and self._qualified_apart(t, m, first, second):
                first.scoped = second.scoped = True
            elif self._restated(t, first, second):
                # "the bad kind, grade 3 or 4": the grade in words, then in numbers.
                second.used = first.used + [h for h in second.used if h not in first.used]
                second.start = first.start
                readings = [second]
            prev = self._as_parse(t.original, second)
            segments = segments[2:]
        for a, b in segments:
            counts = readings and self._counts_population(t, m, a, b)
            reading = (
                self._read(t, m, a, b, None)  # "…, plus how many were penta-refractory"
                if counts
                else self._read(t, m, a, b, prev, inner=bool(readings))
            )
            if readings and not counts and not self._stands_alone(reading, t, m):
                # Not a question of its own ("… I realise it may not be published"): part of
                # the clause before it.
                merged = self._read(
                    t,
                    m,
                    readings[-1].start,
                    b,
                    previous if len(readings) == 1 else self._as_parse(t.original, readings[-2]),
                    inner=len(readings) > 1,
                )
                readings[-1] = merged
                prev = self._as_parse(t.original, merged)
                continue
            if (
                readings
                and _same(readings[-1], reading)
                and self._qualified_apart(t, m, readings[-1], reading)
            ):
                readings[-1].scoped = reading.scoped = True
                readings.append(reading)
            elif readings and (
                (reading.refined and not _another_group(t.norm, m, readings[-1], reading))
                or _same(readings[-1], reading)
                or self._restated(t, readings[-1], reading)
            ):
                # "haematological toxicity, focusing on grade 3 or higher": one query, refined;
                # "how many felt sick, like nausea": one query, said twice.
                reading.used = readings[-1].used + [
                    h for h in reading.used if h not in readings[-1].used
                ]
                reading.start = readings[-1].start
                readings[-1] = reading
            else:
                readings.append(reading)
            if reading.intent not in CONVERSATION:
                prev = self._as_parse(t.original, reading)
        # "renal impairment and ORR": a subgroup the sources do not report, beside an outcome,
        # restricts the outcome; it is not a question about the patients of its own.
        outcomes = [
            r for r in readings if r.intent in self.spec.data_intents and r.intent != "baseline"
        ]
        if outcomes:
            readings = [
                r
                for r in readings
                if not (
                    r.intent == "baseline"
                    and r.slots.get("variable") is not None
                    and r.slots["variable"].value in _SUBGROUP_VARIABLES
                )
            ] or readings
            for r in readings:
                r.used = [
                    h
                    for h in r.used
                    if h.type != "baseline_variable" or h.value not in _SUBGROUP_VARIABLES
                ]
        data = [r for r in readings if r.intent in self.spec.data_intents]
        if len(data) >= 2:
            context.spread_trailing(data, self.spec)
        return readings

    def _counts_population(self, t: Text, m: Matches, a: int, b: int) -> bool:
        """A clause that asks how many patients a population has ("how many were penta
        refractory", "n penta", "penta-ref %"), not the figure before it in that population
        ("and in the penta group?")."""
        hits = [h for h in m.hits if a <= h.start and h.end <= b]
        named = [h for h in hits if h.type == "population"]
        return (
            len(named) == 1
            and all(h.type in ("population", "baseline_variable") for h in hits)
            and all(h.value == "population_size" for h in hits if h.type == "baseline_variable")
            and any(a <= h.start and h.end <= b for h in m.overlays if h.type == "count_cue")
            and _IN_GROUP.search(t.norm[a : named[0].start]) is None
        )

    def _qualifiers_in(self, m: Matches, r: Reading) -> set[tuple[str, str]]:
        kinds = _QUALIFIER_TYPES
        return {
            (h.type, str(h.value))
            for h in m.hits
            if h.type in kinds and not h.weak and r.start <= h.start and h.end <= r.end
        }

    def _qualified_apart(self, t: Text, m: Matches, a: Reading, b: Reading) -> bool:
        """Two clauses joined by "and", "+" or "vs" that ask one figure, only one of them with
        a qualifier of its own ("mOS + 1-yr OS"). A clause that restates the other ("…, basically
        how many hadn't progressed by then") is not a second question."""
        if a.intent not in self.spec.data_intents:
            return False
        first, second = (a, b) if a.start <= b.start else (b, a)
        if _JOINED.search(t.norm[first.end : second.start]) is None:
            return False
        qa, qb = self._qualifiers_in(m, a), self._qualifiers_in(m, b)
        return qa != qb and not (qa and qb)

    @staticmethod
    def _restated(t: Text, before: Reading, after: Reading) -> bool:
        """ "severe anorexia, like G3": a grade in words, then the same question with the
        grade in numbers, is one question."""
        if before.intent != after.intent or not after.followup:
            return False

        def rest(r: Reading) -> dict[str, Any]:
            return {k: v.value for k, v in r.slots.items() if k not in context.GRADE}

        # ("any grade" is no grade said in words: "anaemia any grade as well as G3" is two.)
        words = [
            h for h in before.used if h.type == "grade" and not h.groups and h.value[0] != "any"
        ]
        numbers = [h for h in after.used if h.type == "grade" and h.groups]
        return (
            rest(before) == rest(after)
            and bool(words)
            and bool(numbers)
            and _apposed(t.norm, words[-1], numbers[0])
        )

    def _each_part(self, t: Text, m: Matches, whole: Reading, previous: Parse) -> list[Reading]:
        """A follow-up to a question of several parts changes each of them ("ORR and CBR?"
        → "at 90 %?", "and in the penta-refractory?"); "both" after a clarify asks every
        reading offered."""
        if (
            previous.intent == "clarify"
            and len(previous.alternatives) > 1
            and m.cue("every_part") is not None
            and not any(h.type in self.heads and not h.weak for h in m.hits)
        ):
            return [
                Reading(
                    alt.intent,
                    alt.confidence,
                    dict(alt.slots),
                    followup=True,
                    start=0,
                    end=len(t.norm),
                )
                for alt in previous.alternatives
            ]
        data = [q for q in previous.queries if q.intent in self.spec.data_intents]
        if previous.intent != "compound" or len(data) < 2 or not whole.followup:
            return []
        parts = [self._read(t, m, 0, len(t.norm), previous.part(q)) for q in data]
        if not all(r.followup and r.intent == q.intent for r, q in zip(parts, data, strict=True)):
            return []
        return _distinct(parts)

    def _at_each_level(self, t: Text, m: Matches, reading: Reading) -> list[Reading]:
        """ "ORR with 90 % and 95 % CIs": the same figure at each level asked."""
        if reading.intent not in self.spec.data_intents or "level" not in reading.slots:
            return [reading]
        first = self._level(t, m, 0, len(t.norm))
        if first is None or first.weak:
            return [reading]
        levels = [first]
        candidates = [
            n
            for n in m.numbers
            if n.start != first.start
            and 50 <= float(n.value) <= 99.9
            and not any(h.start <= n.start and n.end <= h.end for h in m.hits)
        ]
        grown = True
        while grown:  # "80, 90 and 95 %": each joined to a level next to it
            grown = False
            for num in candidates:
                if any(h.start == num.start for h in levels):
                    continue
                if any(
                    _LEVEL_JOIN.fullmatch(t.norm[min(h.end, num.end) : max(h.start, num.start)])
                    for h in levels
                ):
                    levels.append(
                        Hit("level", round(float(num.value) / 100, 4), num.start, num.end)
                    )
                    grown = True
        if len({h.value for h in levels}) < 2:
            return [reading]
        return self._one_per_value(t, reading, "level", sorted(levels, key=lambda h: h.start))

    def _by_each_method(self, t: Text, m: Matches, reading: Reading) -> list[Reading]:
        """ "CBR: Wilson vs exact CI": the same figure with each interval method named."""
        if reading.intent not in self.spec.data_intents or "ci_method" not in reading.slots:
            return [reading]
        methods = [h for h in m.hits if h.type == "ci_method"]
        if len({h.value for h in methods}) < 2:
            return [reading]
        return self._one_per_value(t, reading, "ci_method", methods)

    def _by_each_statistic(self, t: Text, m: Matches, reading: Reading) -> list[Reading]:
        """ "binomial test vs 20 %, and the SE": the figure once for each statistic named."""
        if reading.intent not in self.spec.data_intents or "statistic" not in reading.slots:
            return [reading]
        named = [h for h in m.hits if h.type == "statistic" and not h.weak]
        if any(h.value == "binomial_test" for h in named):
            named = [h for h in named if h.value != "one_sided"]  # a one-sided test is a test
        if len({h.value for h in named}) < 2:
            return [reading]
        first = {h.value: h for h in reversed(named)}  # each statistic at its first mention
        hits = sorted(first.values(), key=lambda h: h.start)
        parts = self._one_per_value(t, reading, "statistic", hits)
        if "one_sided" in first:
            # "SE, and the one-sided 97.5 % bound": the level is the bound's.
            for part in parts:
                if part.slots["statistic"].value != "one_sided":
                    part.slots = {k: v for k, v in part.slots.items() if k != "level"}
        return parts

    def _and_the_rest(self, t: Text, m: Matches, reading: Reading) -> list[Reading]:
        """ "mOS responders vs not": the figure in the group named and in the others."""
        group = reading.slots.get("response_group")
        if group is None or group.inherited or group.end is None or str(group.value)[0] == "<":
            return [reading]
        start = next((i for i, s in enumerate(t.starts) if s >= group.end), len(t.norm))
        said = _THE_REST.match(t.norm, start)
        if said is None:
            return [reading]
        others = [h for h in m.hits if said.start() <= h.start < said.end() + 20]
        rest = Reading(
            reading.intent,
            reading.confidence,
            {
                **reading.slots,
                "response_group": Slot(name="response_group", value=f"<{group.value}"),
            },
            used=[*reading.used, *(h for h in others if h.type == "threshold_below")],
            followup=reading.followup,
            start=reading.start,
            end=reading.end,
        )
        return [reading, rest]

    def _and_everyone(self, t: Text, m: Matches, reading: Reading) -> list[Reading]:
        """ "TTR in the penta subgroup vs overall", "mOS in >=PR vs overall mOS": the figure
        in the group named and in the whole population, each a part."""
        if reading.intent not in self.spec.data_intents or reading.intent == "compare":
            return [reading]
        inside = [h for h in m.hits if reading.start <= h.start and h.end <= reading.end]
        everyone = [h for h in inside if h.type == "population" and h.value == "mITT"]
        group = reading.slots.get("response_group")
        named = [h for h in inside if h.type == "population" and h.value != "mITT"]
        if group is not None and not group.inherited:
            named += [h for h in reading.used if h.type in _RESPONSE_GROUP_TYPES]
        joined = [
            (g, e)
            for g in named
            for e in everyone
            if _JOINED.search(t.norm[min(g.end, e.end) : max(g.start, e.start)])
        ]
        if not joined:
            return [reading]
        g, e = joined[0]
        slots = {k: v for k, v in reading.slots.items() if k not in _GROUP_SLOTS}
        whole = Reading(
            reading.intent,
            reading.confidence,
            {**slots, "population": self._slot(t, "population", e.value, e)},
            used=[*reading.used, e],
            start=reading.start,
            end=reading.end,
        )
        restricted = dict(slots)
        if g.type == "population":
            restricted["population"] = self._slot(t, "population", g.value, g)
        else:
            restricted["response_group"] = reading.slots["response_group"]
        part = Reading(
            reading.intent,
            reading.confidence,
            restricted,
            used=[*reading.used, g],
            qualifiers=reading.qualifiers,
            start=reading.start,
            end=reading.end,
        )
        return [part, whole] if g.start < e.start else [whole, part]

    def _one_per_value(
        self, t: Text, reading: Reading, name: str, hits: list[Hit]
    ) -> list[Reading]:
        """The reading once for each hit, with that hit's value in slot ``name``."""
        return _distinct(
            [
                Reading(
                    reading.intent,
                    reading.confidence,
                    {**reading.slots, name: self._slot(t, name, hit.value, hit)},
                    used=[*reading.used, *hits],
                    followup=reading.followup,
                    start=reading.start,
                    end=reading.end,
                )
                for hit in hits
            ]
        )

    def _without_covered(self, parts: list[Reading]) -> list[Reading]:
        """Drop a part whose value another part's answer already gives (the spec's
        ``covers``: the news item's answer names its author and date)."""

        def covered(r: Reading) -> bool:
            spec = self.spec.intents.get(r.intent)
            if spec is None:
                return False
            for name, slot in spec.slots.items():
                mine = r.slots.get(name)
                if mine is None or not slot.covers:
                    continue
                for other in parts:
                    theirs = other.slots.get(name)
                    if (
                        other is not r
                        and other.intent == r.intent
                        and theirs is not None
                        and mine.value in slot.covers.get(theirs.value, ())
                    ):
                        return True
            return False

        kept = [r for r in parts if not covered(r)]
        return kept or parts

    def _each_value(self, t: Text, m: Matches, reading: Reading) -> list[Reading]:
        """The reading once per value of a slot the spec asks ``each`` of, when the question
        names two or more ("the phase discrepancy and the deaths one")."""
        spec = self.spec.intents.get(reading.intent)
        if spec is None or not spec.each:
            return [reading]
        for name in spec.each:
            sources = spec.slots[name].sources
            named = [
                h
                for h in m.hits + m.overlays
                if h.type in sources and reading.start <= h.start and h.end <= reading.end
            ]
            first = {h.value: h for h in sorted(named, key=lambda h: h.start)}
            if len(first) >= 2:
                return self._one_per_value(t, reading, name, list(first.values()))
        return [reading]

    def _one_kind(self, parts: list[Reading]) -> bool:
        """Several figures, or several facts about the study, are several questions; a
        figure beside a study fact is more often one question and its explanation ("Define
        PFS — does it include deaths?", "who assessed response, the sites?")."""
        data = [r.intent in self.spec.data_intents for r in parts]
        return all(data) or not any(data)

    def _explain_with_subject(
        self, t: Text, m: Matches, whole: Reading, previous: Parse | None
    ) -> list[Reading]:
        """ "Which method gives the published 31–49 % for clinical benefit?": the figure named,
        then how it is computed."""
        heads = [h for h in m.hits if h.type in self.heads and not h.weak]
        if not heads:
            return [whole]
        # "how was the ORR CI calculated?", "where does 13.1 % for MR come from?": the figure
        # is what the method question is about, not a question of its own. Only a clause
        # apart from the one asking how asks for the figure too.
        cues = [h for h in m.overlays if h.type == "explain_cue"]
        asking = [_clause_around(t.norm, h.start, h.end) for h in cues] or [
            _clause_around(t.norm, heads[0].start, heads[0].end)
        ]
        named_only = all(
            any(a <= h.start and h.end <= b for a, b in asking) for h in heads
        ) and not self._asks_elsewhere(t.norm, asking)
        scores = self.model.score(features(t.norm, m))
        label = next(
            (
                i
                for i, _ in scores.ranked
                if i in self.spec.data_intents and self._evidence(i, heads)
            ),
            None,
        )
        if label is None:
            return [whole]
        # The figure asked about is the published one: an interval method named in the
        # question is the one the user tried ("Wilson gives me 31.1–48.2"), not the one asked.
        hits = [h for h in m.hits if h.type != "ci_method"]
        level = self._level(t, m, 0, len(t.norm))
        subject = self._fresh(label, whole.confidence, t, m, 0, len(t.norm), hits, level)
        if subject.intent not in self.spec.data_intents:
            return [whole]
        if named_only:
            whole.about = subject
            return [whole]
        return [subject, whole]

    def _and_from_now_on(self, t: Text, m: Matches) -> list[Reading]:
        """ "What CI method are you using? Switch to Wilson from now on": the method
        explained, and the setting changed."""
        persist = m.cue("persist")
        if persist is None:
            return []
        a, b = _clause_around(t.norm, persist.start, persist.end)
        if any(h.type == "explain_cue" and a <= h.start < b for h in m.overlays):
            return []  # "why Clopper-Pearson by default?": one question about the method
        hits = [h for h in m.hits if a <= h.start and h.end <= b and h.type == "ci_method"]
        level = self._level(t, m, a, b)
        if not hits and level is None:
            return []
        return [self._set_stats(t, m, a, b, hits, level)]

    def _asks_elsewhere(self, norm: str, asking: list[tuple[int, int]]) -> bool:
        """A clause apart from these opens as a question of its own ("Which method did they
        use, and what are the limits?")."""
        pos = 0
        for cut in [*_CLAUSE_BREAK.finditer(norm), None]:
            a, b = pos, len(norm) if cut is None else cut.start()
            pos = b if cut is None else cut.end()
            clause = norm[a:b].strip()
            if (
                clause
                and not any(x <= a < y or x < b <= y for x, y in asking)
                # not a remark, a purpose ("I'd like to describe it in a footnote") or
                # another question about the method ("and why Clopper-Pearson?")
                and not _REMARK.match(clause)
                and not _METHOD_OR_SELF.match(clause)
                and self._opens_as_question(clause)
                and self.lexicon.match(clause).cue("explain_cue") is None
            ):
                return True
        return False

    def _how_computed(self, t: Text, m: Matches, reading: Reading) -> list[Reading]:
        """A figure, then a clause of its own asking how it was computed ("median OS, and was
        it a Kaplan-Meier estimate?", "how were the medians estimated? any CI for mPFS?"): the
        figure and the method are both asked."""
        if reading.intent not in self.spec.data_intents:
            return []
        heads = [h for h in reading.used if h.type in self.heads and not h.weak]
        cues = [h for h in m.overlays if h.type == "explain_cue"]
        clauses = [_clause_around(t.norm, h.start, h.end) for h in cues]
        if not heads or not clauses:
            return []
        if any(a <= h.start and h.end <= b for a, b in clauses for h in heads):
            return []  # "how was the ORR computed?": the method of that figure, one question
        return [self._fresh("explain_method", reading.confidence, t, m, *clauses[0], [], None)]

    def _defined_each(self, t: Text, m: Matches, readings: list[Reading]) -> list[Reading]:
        """ "define TCR vs penta-refractory", "sCR vs CR, what's the difference?": each term
        named is defined, when the terms are all the question names (not "the difference in
        ORR between the penta-refractory and the others", a comparison of figures)."""
        # "mean TTR and mean DOR": the word that can ask a meaning asks a mean here.
        cues = {h.type for h in _cues_not_measures(m)}
        # Asked as a definition by its words, or read as one ("whats MR + sCR").
        asked = cues & {"define_cue", "contrast_cue"} or all(
            r.intent == "definition" for r in readings
        )
        if not asked or cues & {"count_cue", "median_cue"}:
            return readings
        if not all(
            r.intent in ("definition", "response_category", "response_rate", "tte_median")
            for r in readings
        ):
            return readings
        named = [
            h
            for h in m.overlays
            if h.type == "definition_term" and not _CONTEXT_OF.search(t.norm[: h.start])
        ]  # "define PR and SD as used in the IMWG criteria": IMWG is where, not what
        # "stringent complete response" names sCR, not CR as well.
        terms = [
            h
            for h in named
            if not any(
                o is not h
                and o.start <= h.start
                and h.end <= o.end
                and o.end - o.start > h.end - h.start
                for o in named
            )
        ]
        if len({h.value for h in terms}) == 1 and len(readings) == 1:
            # "define PR according to IMWG": PR is defined, IMWG is the frame.
            one, reading = terms[0], readings[0]
            if (
                reading.intent == "definition"
                and reading.slots.get("term") is not None
                and (reading.slots["term"].value != one.value)
            ):
                reading.slots = {**reading.slots, "term": self._slot(t, "term", one.value, one)}
            return readings
        if len({h.value for h in terms}) < 2:
            return readings
        heads = [
            h
            for h in m.hits
            if h.type in self.heads and not h.weak and not _CONTEXT_OF.search(t.norm[: h.start])
        ]
        if not all(any(d.start <= h.start and h.end <= d.end for d in terms) for h in heads):
            return readings
        p = max(r.confidence for r in readings)
        return _distinct(
            [
                Reading(
                    "definition",
                    p,
                    {"term": self._slot(t, "term", h.value, h)},
                    used=[h],
                    start=h.start,
                    end=h.end,
                )
                for h in sorted(terms, key=lambda h: h.start)
            ]
        )

    def _defined_and_counted(
        self, t: Text, m: Matches, readings: list[Reading], previous: Parse | None
    ) -> list[Reading]:
        """ "VGPR meaning + how many", "what is TTR measured from, and what was its median?":
        a term defined in one clause and counted (or its median asked) in another is two
        questions, the definition and the figure of what it names."""
        if len(readings) != 1:
            return readings
        # "the mean, rather than median, DOR" asks a mean
        define = [h for h in _cues_not_measures(m) if h.type == "define_cue"]
        figure = [h for h in m.overlays if h.type in ("count_cue", "median_cue")] + [
            Hit("figure_asked", True, x.start(), x.end()) for x in _FIGURE_ASKED.finditer(t.norm)
        ]
        mentioned = [h for h in m.overlays if h.type == "definition_term"]
        # "stringent cr" names one term, not also "cr"
        terms = [
            h
            for h in mentioned
            if not any(o is not h and o.start <= h.start and h.end <= o.end for o in mentioned)
        ]
        if not define or not figure or len({h.value for h in terms}) != 1:
            return readings
        cuts = [c.start() for c in _COORDINATOR.finditer(t.norm) if c.group("alt") is None]
        if not any(
            min(d.start, f.start) < c < max(d.end, f.end)
            for d in define
            for f in figure
            for c in cuts
        ):
            return readings  # "what does 'how many responded' mean": one clause
        reading = readings[0]
        if reading.intent == "definition":
            plain = Matches(
                m.hits,
                [h for h in m.overlays if h.type not in ("define_cue", "definition_term")],
                m.numbers,
            )
            counted = self._read(t, plain, 0, len(t.norm), previous)
            if counted.intent not in self.spec.data_intents:
                # "What does overall survival mean, and what was it?": the figure of the
                # term, the likeliest question whose subject the text names.
                heads = [h for h in m.hits if h.type in self.heads and not h.weak]
                named = self._named(self.model.score(features(t.norm, plain)), heads)
                if named is not None:
                    counted = self._fresh(
                        named[0],
                        max(named[1], MIN_PROBABILITY),
                        t,
                        plain,
                        0,
                        len(t.norm),
                        m.hits,
                        None,
                    )
            defined = reading
        elif reading.intent in self.spec.data_intents:
            term = terms[0]
            counted = reading
            defined = Reading(
                "definition",
                reading.confidence,
                {"term": self._slot(t, "term", term.value, term)},
                used=[term],
                start=term.start,
                end=term.end,
            )
        else:
            return readings
        if counted.intent not in self.spec.data_intents:
            return readings
        if min(h.start for h in figure) < min(h.start for h in define):
            return [counted, defined]
        return [defined, counted]

    def _stands_alone(self, reading: Reading, t: Text, m: Matches) -> bool:
        """A later clause is a query of its own when it is read confidently as a question
        about the study with a subject of its own kind."""
        if reading.followup:
            return True  # "… and grade 4?": a variant of the clause before
        spec = self.spec.intents.get(reading.intent)
        if spec is None or reading.intent in CONVERSATION or reading.confidence < PART_PROBABILITY:
            return False
        return any(
            h.type in spec.heads
            and not h.weak
            and reading.start <= h.start
            and h.end <= reading.end
            for h in m.hits + m.overlays  # a definition's head is an overlay
        )

    def _as_parse(self, text: str, reading: Reading) -> Parse:
        return Parse(
            text=text,
            intent=reading.intent,
            confidence=reading.confidence,
            slots=reading.slots,
            alternatives=reading.alternatives,
        )

    # ------------------------------------------------------------------ one clause
    def _read(
        self, t: Text, m: Matches, a: int, b: int, previous: Parse | None, inner: bool = False
    ) -> Reading:
        scores = self.model.score(features(t.norm, m, a, b))
        label, p = scores.best
        hits = [h for h in m.hits if a <= h.start and h.end <= b]
        heads = [h for h in hits if h.type in self.heads and not h.weak]
        prev_intent = context.previous_intent(previous, self.spec)
        marked = inner or self._marked(m, a, b)
        level = self._level(t, m, a, b)
        stats_only = all(h.type == "ci_method" for h in hits) and (
            any(h.type == "ci_method" for h in hits) or level is not None
        )

        if stats_only and m.cue("explain_cue") is not None:
            label, stats_only = "explain_method", False  # "why Clopper-Pearson by default?"
        if stats_only and m.cue("persist") is not None:
            return self._set_stats(t, m, a, b, hits, level)  # "switch to Wilson": from now on
        explains = label == "explain_method" and m.cue("explain_cue") is not None
        if prev_intent is not None and previous is not None and not explains:
            words = [w for w, _, _ in tokens(t.norm[a:b]) if w[0].isalnum()]
            short = len(words) <= 4 and not m.cue("question_head")
            # A full question ("how many patients were penta-refractory?") stands alone even
            # without a subject word; a short or marked turn, or one that points back
            # ("those", "them"), leans on the previous one.
            full = (
                m.cue("question_head") is not None and m.cue("pronoun") is None and len(words) > 4
            )
            if (
                label == "fragment"
                or marked
                or short
                or (not heads and not full)
                or _restricts_only(hits)
                # "could you give the 90 % and 80 % intervals?": the figure just given, at
                # those levels; only "from now on" makes it a setting.
                or (
                    stats_only
                    and prev_intent in self.spec.data_intents
                    and label not in ("explain_method", "definition")
                    and m.cue("define_cue") is None
                )
            ):
                if level is None and (short or marked) and m.cue("claim") is None:
                    level = self._bare_level(m, a, b)  # "and 90?"; not "I've seen 94 %?"
                follow = self._follow(
                    t,
                    m,
                    a,
                    b,
                    hits,
                    heads,
                    label,
                    scores,
                    prev_intent,
                    previous,
                    marked,
                    level,
                    short,
                    inner,
                )
                if follow is not None:
                    return follow
        if stats_only and label not in ("explain_method", "definition"):
            return self._set_stats(t, m, a, b, hits, level)
        if (
            label == "definition"
            and m.cue("define_cue") is None
            and _COUNT_ASKED.search(t.norm, a, b) is not None
        ):
            # "what proportion had a PR as their best response?": a count asked, not what
            # the term means; the likeliest reading whose subject the question names.
            counted = self._named(scores, heads)
            if counted is not None:
                label, p = counted[0], max(counted[1], MIN_PROBABILITY)
        if label == "out_of_scope" and p < OUT_OF_SCOPE_OVER_SUBJECT:
            # The scope rules (which name other trials, drugs, diseases and advice) found
            # nothing: a question that names this study's subject ("ORR for sel-dex in TCR
            # MM", "the mechanism of selinexor") is about the study.
            named = next(
                (
                    (i, q)
                    for i, q in scores.ranked
                    if i not in CONVERSATION
                    and q >= OUT_OF_SCOPE_RIVAL
                    and self._evidence(i, heads)
                ),
                None,
            )
            if named is not None:
                label, p = named[0], max(named[1], MIN_PROBABILITY)
        if (
            not hits
            and not self._cues(m, a, b)
            and (p < MIN_PROBABILITY_WITHOUT_EVIDENCE or not self._mostly_words(t.norm[a:b]))
        ):
            if self._vague_question(t, m, a, b):
                return self._missing_subject(t, m, a, b, hits, scores, level)
            # No study word and little language ("; touch x", "[/bold]"): not understood.
            return Reading("unknown", p, start=a, end=b)
        if label == "fragment":
            # Nothing to lean on: the best reading of it as a question of its own, if any:
            # one whose subject the question names, else the next likeliest.
            weak = [h for h in hits if h.weak and h.type in self.heads]
            named = self._named(scores, heads) or self._named(scores, weak, weak=True)
            second, p2 = scores.second
            if named is not None:
                label, p = named[0], max(named[1], MIN_PROBABILITY)
            elif second not in ("clarify", "") and p2 >= MIN_PROBABILITY:
                label, p = second, p2
            else:
                return self._missing_subject(t, m, a, b, hits, scores, level)
        if label == "clarify":
            # "show the survival results": an overview named outright is not "survival?".
            overview = next(
                (
                    intent
                    for intent, _slot, value in _OVERVIEWS
                    if any(h.value == value and h.type in self.heads for h in heads)
                ),
                None,
            )
            if overview is None:
                return self._ambiguous(t, m, a, b, hits, scores, level)
            label, p = overview, max(p, MIN_PROBABILITY)
        if p < MIN_PROBABILITY and self._named_and_ahead(label, p, scores, heads):
            p = MIN_PROBABILITY  # "show me all grade 3+ AEs": unsure, but it names its subject
        if p < MIN_PROBABILITY:
            if self._vague_question(t, m, a, b):
                return self._missing_subject(t, m, a, b, hits, scores, level)
            return Reading("unknown", p, start=a, end=b)
        if level is not None and level.weak and label in self.spec.data_intents:
            # A level outside 50–99.9 % is asked back, never silently replaced by 95 %.
            slots, _ = self._fill(label, t, m, hits, None, bounds=(a, b))
            return Reading(
                "clarify",
                0.5,
                {
                    "missing": Slot(name="missing", value="level"),
                    "level_text": self._slot(t, "level_text", level.value, level),
                },
                alternatives=[Alternative(intent=label, confidence=0.4, slots=slots)],
                start=a,
                end=b,
            )
        if label == "set_stats" and not any(h.type not in ("ci_method", "level") for h in heads):
            return self._set_stats(t, m, a, b, hits, level)
        if label == "set_stats":
            # "agresti-coull please, 80 % level, for thrombocytopenia any grade": a figure
            # asked with a method, not only a setting.
            found = self._named(scores, heads)
            if found is not None:
                label, p = found[0], max(found[1], MIN_PROBABILITY)
        second, p2 = scores.second
        # "bleeds in pts with TCP": what follows "in patients with" restricts the subject.
        subjects = [
            h for h in heads if not _RESTRICTION.search(t.norm[max(0, h.start - 40) : h.start])
        ] or heads
        if (
            label in self.spec.data_intents
            and subjects != heads
            and not self._evidence(label, subjects)
        ):
            named = self._named(scores, subjects)
            if named is not None:
                label, p = named[0], max(named[1], MIN_PROBABILITY)
        elif (
            p - p2 < CLOSE_MARGIN
            and second in self.spec.data_intents
            and label in self.spec.data_intents
            and second != label
            and self._evidence(second, subjects)
            and self._evidence(label, subjects)
        ):
            alts = [
                Alternative(
                    intent=i, confidence=round(q, 3), slots=self._fill(i, t, m, hits, level)[0]
                )
                for i, q in (scores.best, scores.second)
            ]
            return Reading("clarify", p, alternatives=alts, start=a, end=b)
        label, p = self._named_by_cue(label, p, t, m, a, b, hits)
        label, p = self._satisfiable(label, p, scores, hits)
        label, p = self._outcome_in_subgroup(label, p, scores, hits)
        return self._fresh(label, p, t, m, a, b, hits, level)

    def _named_and_ahead(self, label: str, p: float, scores: Scores, heads: list[Hit]) -> bool:
        """A reading below the usual floor is still taken when the question names its subject
        and no other reading with a subject named comes close."""
        if label not in self.spec.data_intents or p < LOW_PROBABILITY_WITH_SUBJECT:
            return False
        family = self.spec.intents[label].family  # "AEs" names the safety questions' subject
        kin = [i for i, spec in self.spec.intents.items() if spec.family == family]
        if not any(self._evidence(i, heads) for i in kin):
            return False
        rivals = [
            q
            for i, q in scores.ranked
            if i not in kin and i in self.spec.data_intents and self._evidence(i, heads)
        ]
        return not rivals or p - max(rivals) >= CLOSE_MARGIN / 2

    def _named_by_cue(
        self, label: str, p: float, t: Text, m: Matches, a: int, b: int, hits: list[Hit]
    ) -> tuple[str, float]:
        """A cue that says what kind of answer is wanted outweighs the subject's usual
        question: "PFS in lay terms" asks what PFS means, "count subjects with G3 anaemia"
        counts records, "thrombocytopenia in the penta-refractory compared to the others"
        compares two groups."""
        if label not in self.spec.data_intents:
            return label, p
        cues = [h for h in m.overlays if a <= h.start and h.end <= b]
        kinds = {h.type for h in cues}
        define = [h for h in cues if h.type == "define_cue" and t.norm[h.start : h.end] != "mean"]
        if define and "definition_term" in kinds and not kinds & {"count_cue", "median_cue"}:
            return "definition", max(p, MIN_PROBABILITY)
        if "record_word" in kinds and label not in ("records", "compare", "baseline"):
            return "records", max(p, MIN_PROBABILITY)  # "count subjects with G3 anaemia"
        if (
            label != "compare"
            and "compare_cue" in kinds
            and any(h.type == "population" and h.value in ("penta", "non_penta") for h in hits)
            and any(h.type in _OUTCOME_TYPES for h in hits)
        ):
            return "compare", max(p, MIN_PROBABILITY)
        return label, p

    def _outcome_in_subgroup(
        self, label: str, p: float, scores: Scores, hits: list[Hit]
    ) -> tuple[str, float]:
        """ "t(4;14) resp?", "response in pts with renal impairment": a baseline variable beside
        an outcome word is the subgroup the outcome is asked in, not a question about the
        patients (the subgroup then becomes a qualifier)."""
        if label != "baseline" or not any(h.type == "baseline_variable" for h in hits):
            return label, p
        outcomes = [h for h in hits if h.type in _OUTCOME_TYPES]
        if not outcomes:
            return label, p
        for intent, q in scores.ranked:
            if (
                intent in self.spec.data_intents
                and intent != "baseline"
                and self._evidence(intent, outcomes, weak=True)
            ):
                return intent, q
        return label, p

    def _satisfiable(
        self, label: str, p: float, scores: Scores, hits: list[Hit]
    ) -> tuple[str, float]:
        """An intent whose required entities are absent gives way to the next reading:
        "ORR and CBR side by side" names no groups, so it is not a comparison."""
        for intent, q in ((label, p), *scores.ranked):
            spec = self.spec.intents.get(intent)
            if spec is None or all(any(h.type == r for h in hits) for r in spec.requires):
                return intent, q
        return label, p

    def _mostly_words(self, text: str) -> bool:
        """At least three words, most of them English or the study's."""
        found = [w for w, _, _ in tokens(text) if w[:1].isalpha()]
        known = sum(1 for w in found if self.corrector.known(w))
        return len(found) >= 3 and known >= 0.7 * len(found)

    @staticmethod
    def _vague_question(t: Text, m: Matches, a: int, b: int) -> bool:
        """A short question that says what kind of thing it asks but not about what ("was it
        good?", "and the other one?", "how long?"): ask back rather than give up."""
        words = [w for w, _, _ in tokens(t.norm[a:b]) if w[0].isalpha()]
        return (
            0 < len(words) <= 5
            and bool(_MOSTLY_ENGLISH.fullmatch(t.norm[a:b].strip()))
            and any(
                h.type in ("question_head", "followup_start", "pronoun")
                and a <= h.start
                and h.end <= b
                for h in m.overlays
            )
        )

    @staticmethod
    def _cues(m: Matches, a: int, b: int) -> bool:
        """Words that say what kind of question this is, even without a subject."""
        return any(h.type in _EVIDENCE_CUES and a <= h.start and h.end <= b for h in m.overlays)

    def _cue_evidence(self, intent: str, m: Matches, a: int, b: int) -> bool:
        """The clause has a cue word that is the subject of this intent ("compare", "which
        patients"), and whatever the intent requires ("vs 20 %" names no groups to compare)."""
        spec = self.spec.intents.get(intent)
        return (
            spec is not None
            and any(h.type in spec.heads and a <= h.start and h.end <= b for h in m.overlays)
            and all(
                any(h.type == r and a <= h.start and h.end <= b for h in m.hits)
                for r in spec.requires
            )
        )

    def _named(
        self, scores: Scores, heads: list[Hit], weak: bool = False
    ) -> tuple[str, float] | None:
        """The likeliest data intent whose subject these words name, with its probability."""
        return next(
            (
                (i, q)
                for i, q in scores.ranked
                if i in self.spec.data_intents and self._evidence(i, heads, weak=weak)
            ),
            None,
        )

    def _evidence(self, intent: str, heads: list[Hit], weak: bool = False) -> bool:
        spec = self.spec.intents.get(intent)
        return spec is not None and any(
            h.type in spec.heads and (weak or not h.weak) for h in heads
        )

    def _marked(self, m: Matches, a: int, b: int) -> bool:
        for cue in ("followup_start", "followup_end", "same_group"):
            hit = m.cue(cue)
            if hit is not None and a <= hit.start and hit.end <= b:
                return True
        return False

    def _fresh(
        self,
        intent: str,
        p: float,
        t: Text,
        m: Matches,
        a: int,
        b: int,
        hits: list[Hit],
        level: Hit | None,
    ) -> Reading:
        slots, used = self._fill(intent, t, m, hits, level, bounds=(a, b))
        reading = Reading(intent, p, slots, used=used, start=a, end=b)
        return self._check_required(reading, t, m, hits)

    def _check_required(self, reading: Reading, t: Text, m: Matches, hits: list[Hit]) -> Reading:
        spec = self.spec.intents.get(reading.intent)
        if spec is None:
            return reading
        for name, slot in spec.slots.items():
            if slot.required and name not in reading.slots:
                alt = Alternative(intent=reading.intent, confidence=0.4, slots=reading.slots)
                slots = {**reading.slots, "missing": Slot(name="missing", value=name)}
                return Reading(
                    "clarify",
                    0.5,
                    slots,
                    used=reading.used,
                    alternatives=[alt],
                    start=reading.start,
                    end=reading.end,
                )
        return reading

    def _missing_subject(
        self,
        t: Text,
        m: Matches,
        a: int,
        b: int,
        hits: list[Hit],
        scores: Scores,
        level: Hit | None,
    ) -> Reading:
        """A fragment with nothing to lean on ("grade 3?", "CI?"): ask what it is about —
        unless it names a qualifier or a statistic ("MRD neg rate", "is 26 % significantly
        more than 20 %?"): then it is the likeliest question, qualified, so the answer says
        what is not reported."""
        if any(h.type in _QUALIFIER_TYPES or h.type == "statistic" for h in hits):
            base = next(
                (
                    i
                    for i, _ in scores.ranked
                    if i in self.spec.data_intents and not self.spec.intents[i].requires
                ),
                None,
            )
            if base is not None:
                return self._fresh(
                    base, max(scores.prob(base), MIN_PROBABILITY), t, m, a, b, hits, level
                )
        if self._counts_population(t, m, a, b) and "baseline" in self.spec.intents:
            # "number of penta-refractory patients", "n penta", "% penta-refractory": the size
            # of the population it names.
            return self._fresh(
                "baseline", max(scores.prob("baseline"), MIN_PROBABILITY), t, m, a, b, hits, level
            )
        if any(h.type == "grade" for h in hits):
            slots, used = self._fill("ae_incidence", t, m, hits, level)
            slots["missing"] = Slot(name="missing", value="term")
            alts = [
                Alternative(
                    intent="ae_incidence",
                    confidence=0.4,
                    slots={k: v for k, v in slots.items() if k != "missing"},
                ),
                Alternative(intent="ae_top", confidence=0.3),
            ]
            return Reading("clarify", 0.5, slots, used=used, alternatives=alts, start=a, end=b)
        if m.cue("median_cue"):
            return Reading(
                "clarify",
                0.5,
                {"missing": Slot(name="missing", value="endpoint")},
                alternatives=[
                    self._alt("tte_median", {"endpoint": "OS"}, 0.4),
                    self._alt("tte_median", {"endpoint": "PFS"}, 0.4),
                ],
                start=a,
                end=b,
            )
        data = [(i, q) for i, q in scores.ranked if i in self.spec.data_intents][:2]
        return Reading(
            "clarify",
            0.4,
            {"missing": Slot(name="missing", value="subject")},
            alternatives=[Alternative(intent=i, confidence=round(q, 3)) for i, q in data],
            start=a,
            end=b,
        )

    def _ambiguous(
        self,
        t: Text,
        m: Matches,
        a: int,
        b: int,
        hits: list[Hit],
        scores: Scores,
        level: Hit | None,
    ) -> Reading:
        """The readings to offer back: "survival?" is overall or progression-free survival;
        otherwise the likeliest intents the question has words for."""
        if hits and all(h.type == "grade" for h in hits):
            return self._missing_subject(t, m, a, b, hits, scores, level)  # "grade?": of what?
        if any(h.type == "endpoint" for h in hits):
            alts = [self._alt("tte_median", {"endpoint": e}, 0.4) for e in ("OS", "PFS")]
            return Reading(
                "clarify",
                0.5,
                {"missing": Slot(name="missing", value="endpoint")},
                alternatives=alts,
                start=a,
                end=b,
            )
        refined = self._refine_choices(t, m, a, b, hits, scores, level)
        if refined is not None:
            return refined
        data = [
            (i, q)
            for i, q in scores.ranked
            if i in self.spec.data_intents and self._evidence(i, hits)
        ][:2] or [(i, q) for i, q in scores.ranked if i in self.spec.data_intents][:2]
        alts = [
            Alternative(
                intent=i,
                confidence=round(q, 3),
                slots=self._fill(i, t, m, hits, level, bounds=(a, b))[0],
            )
            for i, q in data
        ]
        return Reading("clarify", scores.best[1], alternatives=alts, start=a, end=b)

    def _refine_choices(
        self,
        t: Text,
        m: Matches,
        a: int,
        b: int,
        hits: list[Hit],
        scores: Scores,
        level: Hit | None,
    ) -> Reading | None:
        """ "what was the dose?": the values a slot's word can stand for (the dose of selinexor
        or of dexamethasone, the spec's ``refine``), offered back when nothing in the question
        says which."""
        ranked = [i for i, _ in scores.ranked]
        for intent in ranked + [i for i in self.spec.intents if i not in ranked]:
            spec = self.spec.intents.get(intent)
            if spec is None or not self._evidence(intent, hits):
                continue
            for name, slot in spec.slots.items():
                word = next(
                    (h for h in hits if h.type in slot.sources and h.value in slot.refine), None
                )
                if word is None:
                    continue
                # the "else" value (the usual one) first: selinexor's dose before dex's
                choices = list(dict.fromkeys(reversed(slot.refine[word.value].values())))
                if len(choices) < 2:
                    continue
                base, _ = self._fill(intent, t, m, hits, level, bounds=(a, b))
                alts = [
                    Alternative(
                        intent=intent,
                        confidence=0.4,
                        slots={**base, name: self._slot(t, name, value, word)},
                    )
                    for value in choices
                ]
                missing = {"missing": Slot(name="missing", value=name)}
                return Reading("clarify", 0.5, missing, alternatives=alts, start=a, end=b)
        return None

    @staticmethod
    def _alt(intent: str, values: dict[str, Any], c: float) -> Alternative:
        return Alternative(
            intent=intent, confidence=c, slots={k: Slot(name=k, value=v) for k, v in values.items()}
        )

    # ------------------------------------------------------------------ follow-ups
    def _follow(
        self,
        t: Text,
        m: Matches,
        a: int,
        b: int,
        hits: list[Hit],
        heads: list[Hit],
        label: str,
        scores: Scores,
        prev_intent: str,
        previous: Parse,
        marked: bool,
        level: Hit | None,
        short: bool,
        inner: bool = False,
    ) -> Reading | None:
        """A turn that leans on the previous one (``inner``: an earlier clause of the same
        question), or None when it stands on its own."""
        prev_slots = context.previous_slots(previous)
        spec = self.spec.intents[prev_intent]
        # 1. A modification of the previous question: every subject word it names fits one of
        #    that question's follow-up slots ("G4?", "and OS?", "in responders?").
        if (
            prev_intent != "baseline"
            and heads
            and all(h.type == "baseline_variable" for h in heads)
        ):
            # "what about in the standard-risk group?" after an outcome: that outcome in a
            # subgroup (a qualifier), not a question about the patients.
            hits = [h for h in hits if h.type != "baseline_variable"]
            heads = []
        refill, used = self._fill(
            prev_intent, t, m, hits, level, only=self.spec.followups(prev_intent), bounds=(a, b)
        )
        # Every word the turn names must fit the previous question: "and grade 3?" after a
        # response rate is not a modification of it.
        said = {(h.type, str(h.value)) for h in used}  # "the 39 non-penta": one group, twice
        consumed = all(
            h in used or (h.type, str(h.value)) in said
            for h in hits
            if not h.weak and h.type not in spec.ignores and h.type not in _QUALIFIER_TYPES
        )  # those become its qualifiers
        if any(
            h.type in ("threshold", "threshold_below")
            and _RATE_WORDS.search(t.norm[h.start : h.end])
            for h in used
        ):
            # "TTR and DOR; also the ORR": a rate named is a question of its own, not the
            # group the previous median is asked in ("… in patients with a PR or better").
            consumed = False
        if not marked and label != "fragment" and any(h.type not in spec.heads for h in heads):
            # Unmarked, a subject of another kind starts a new question: "CBR" after the
            # median OS is the clinical benefit rate, "in those with a CBR?" would refine it.
            consumed = False
        # "compare with the others", "which patients?": a cue word that names another
        # intent's subject switches to it, taking the previous question's subject along.
        # Only a figure (or a clause naming one) can be compared or listed: "vs penta-ref"
        # after "TCR def?" asks for another definition, not a comparison.
        figure = prev_intent in self.spec.data_intents or any(
            h.type in _OUTCOME_TYPES for h in hits
        )
        cued = (
            next(
                (
                    i
                    for i, _ in scores.ranked
                    if i in self.spec.data_intents
                    and i != prev_intent
                    and self._cue_evidence(i, m, a, b)
                    # "median OS in responders", "vs everyone?": medians are not compared
                    # side by side; the median for everyone is asked.
                    and not (
                        i == "compare"
                        and prev_intent not in _COMPARED
                        and not any(h.type in ("threshold", "category", "ae_term") for h in hits)
                    )
                ),
                None,
            )
            if figure
            else None
        )
        cue = cued is not None
        if cued is not None:
            label = cued
            consumed = False
        non_data = label not in self.spec.data_intents and label not in ("fragment", "clarify")
        # "is there a number just for the over-75s?": a restriction and no subject of its own
        # asks the previous question in that subgroup (which the answer says is not reported).
        restricts = _restricts_only(hits)
        if consumed and (heads or refill or label == "fragment" or not non_data or restricts):
            if non_data and scores.best[1] > 0.6 and not refill and not restricts:
                return None
            merged = context.merge(prev_intent, prev_intent, prev_slots, refill, self.spec)
            # Only adds a setting ("ORR, with a 90 % CI") or narrows a table ("haematological
            # toxicity, focusing on grade 3 or higher"): the same query, refined.
            # (A value the previous query holds, even one it took from the turn before, is
            # changed, not added: "CI? and OS too" after a PFS question asks the OS too.)
            adds_only = bool(refill) and not any(
                k in prev_slots
                and (
                    prev_slots[k].start is not None
                    or (
                        prev_slots[k].value != refill[k].value
                        and k not in context.GRADE
                        and k not in _SETTINGS
                    )
                )
                for k in refill
            )
            # A bare modifier ("low sodium & low plts, grade 3") narrows the clause before;
            # a clause that asks ("… and how many had it grade 3?") is a question of its own.
            refined = adds_only and (
                set(refill) <= _SETTINGS
                or prev_intent in _WHOLE
                or (inner and not self._opens_as_question(t.norm[a:b]))
            )
            return Reading(
                prev_intent, 0.85, merged, used=used, followup=True, start=a, end=b, refined=refined
            )
        # 2. A new subject, marked as a follow-up ("and OS?" after a response question) or
        #    too short to stand alone ("were any of them fatal?"): the new intent, with the
        #    context (population, CI settings) carried over.
        leans = marked or label == "fragment" or short or cue
        if heads and label not in self.spec.data_intents and (marked or label == "fragment"):
            label = next(
                (
                    i
                    for i, _ in scores.ranked
                    if i in self.spec.data_intents and self._evidence(i, heads)
                ),
                label,
            )
        if (heads or cue) and leans and label in self.spec.data_intents:
            fresh, used = self._fill(label, t, m, hits, level, bounds=(a, b))
            target = context.target_intent(label, prev_intent)
            if target != label:
                fresh, used = self._fill(target, t, m, hits, level, bounds=(a, b))
            merged = context.merge(target, prev_intent, prev_slots, fresh, self.spec)
            reading = Reading(
                target, scores.best[1], merged, used=used, followup=True, start=a, end=b
            )
            return self._check_required(reading, t, m, hits)
        return None

    # ------------------------------------------------------------------ statistics settings
    def _level(self, t: Text, m: Matches, a: int, b: int) -> Hit | None:
        """A confidence level: a percentage (or 0.9) next to an interval word, a method or
        "from now on" — not a null rate ("above 20 %"), a count ("the 32 responders") or a
        figure being quoted."""
        near = [h for h in m.overlays if h.type in ("ci_word", "persist")] + [
            h for h in m.hits if h.type == "ci_method"
        ]
        if not near:
            return None
        for num in m.numbers:
            if not (a <= num.start and num.end <= b):
                continue
            if any(
                h.start <= num.start and num.end <= h.end for h in m.hits if h.type != "ci_method"
            ):
                continue
            value = float(num.value)
            percent = bool(num.group("unit"))
            gap = min(min(abs(h.start - num.end), abs(num.start - h.end)) for h in near)
            if value < 1:
                level = value  # "a 0.9 interval"
            elif percent or 50 <= value <= 99.9:
                level = value / 100
            else:
                continue
            if gap > (25 if percent or value < 1 else 12):
                continue
            if _NULL_RATE.search(t.norm[max(0, num.start - 14) : num.start]):
                continue  # "above 20 %", "vs 15 %": the rate a test is against
            if _ALPHA.search(t.norm[max(0, num.start - 22) : num.start]):
                continue  # "one-sided alpha 0.05": a test's size, not an interval level
            level = round(level, 4)
            valid = 0.5 <= level <= 0.999
            if not valid and gap > 12:
                continue  # an out-of-range level must be said next to the interval words
            return Hit("level", level if valid else value, num.start, num.end, weak=not valid)
        return None

    @staticmethod
    def _bare_level(m: Matches, a: int, b: int) -> Hit | None:
        """ "at 90%?" after a question: a percentage alone is the interval level."""
        for num in m.numbers:
            if a <= num.start and num.end <= b and num.group("unit"):
                if any(h.start <= num.start and num.end <= h.end for h in m.hits):
                    continue
                level = round(float(num.value) / 100, 4)
                if 0.5 <= level <= 0.999:
                    return Hit("level", level, num.start, num.end)
        return None

    def _set_stats(
        self, t: Text, m: Matches, a: int, b: int, hits: list[Hit], level: Hit | None
    ) -> Reading:
        slots: dict[str, Slot] = {}
        used: list[Hit] = []
        if level is not None and level.weak:
            return Reading(
                "clarify",
                0.5,
                {
                    "missing": Slot(name="missing", value="level"),
                    "level_text": self._slot(t, "level_text", level.value, level),
                },
                start=a,
                end=b,
            )
        method = next((h for h in hits if h.type == "ci_method"), None)
        if method is not None:
            slots["ci_method"] = self._slot(t, "ci_method", method.value, method)
            used.append(method)
        if level is not None:
            slots["level"] = self._slot(t, "level", level.value, level)
            used.append(level)
        reset = m.cue("stats_reset")
        if reset is not None and a <= reset.start and reset.end <= b:
            # "revert to the defaults": what is not named goes back to how it started
            slots["reset"] = self._slot(t, "reset", True, reset)
            used.append(reset)
        slots["persist"] = Slot(name="persist", value=True)
        return Reading("set_stats", 0.95, slots, used=used, start=a, end=b)

    # ------------------------------------------------------------------ slot filling
    def _slot(self, t: Text, name: str, value: Any, hit: Hit | None) -> Slot:
        if hit is None:
            return Slot(name=name, value=value)
        start, end = t.span(hit.start, hit.end)
        return Slot(name=name, value=value, text=t.original[start:end], start=start, end=end)

    def _fill(
        self,
        intent: str,
        t: Text,
        m: Matches,
        hits: list[Hit],
        level: Hit | None,
        only: Iterable[str] | None = None,
        bounds: tuple[int, int] | None = None,
    ) -> tuple[dict[str, Slot], list[Hit]]:
        """The intent's slots from the clause's entities (``only``: just these slots)."""
        spec = self.spec.intents.get(intent)
        if spec is None:
            return {}, []
        wanted = set(only) if only is not None else None
        table = dict(spec.slots)
        if intent in self.spec.data_intents:
            for name, slot in self.spec.common_slots.items():
                table.setdefault(name, slot)
        slots: dict[str, Slot] = {}
        used: list[Hit] = []
        consumed: list[Hit] = []
        lo, hi = bounds if bounds is not None else (0, len(t.norm))
        overlays = [h for h in m.overlays if lo <= h.start and h.end <= hi]
        candidates = _by_strength(hits + overlays, t.norm)
        for name, slot in table.items():
            if wanted is not None and name not in wanted:
                continue
            if name == "level":
                if level is not None and not level.weak:
                    slots["level"] = self._slot(t, "level", level.value, level)
                    used.append(level)
                continue
            fits = [
                h
                for source in slot.sources
                for h in candidates
                if h.type == source and (slot.by_type or h not in consumed)
            ]
            # "GI AEs table" is the gastrointestinal table: "AEs table" only names the kind.
            hit = next((h for h in fits if h.value != slot.generic), fits[0] if fits else None)
            if hit is None:
                if slot.default is not None and wanted is None:
                    slots[name] = Slot(name=name, value=slot.default)
                continue
            if hit not in used:
                used.append(hit)
            if not slot.by_type:
                consumed.append(hit)  # a slot derived from a hit's type leaves it to others
            if name == "grade":
                op, low, high = hit.value
                if op == "bare":
                    continue
                slots["grade_op"] = self._slot(t, "grade_op", op, hit)
                # "badly enough to be grade 3", "severe, like G3": the grade in words beside
                # the grade in numbers is the same grade said twice.
                used.extend(
                    h
                    for h in candidates
                    if h.type == "grade"
                    and not h.groups
                    and hit.groups
                    and h not in used
                    and _apposed(t.norm, h, hit)
                )
                if low is not None:
                    slots["grade_low"] = self._slot(t, "grade_low", low, hit)
                if high is not None:
                    slots["grade_high"] = self._slot(t, "grade_high", high, hit)
                continue
            value = slot.by_type.get(hit.type, hit.value)
            slots[name] = self._slot(t, name, value, hit)
        if wanted is None:
            self._learned(intent, t, m, slots, table, bounds)
            self._refine(hits + overlays, slots, table)
            # The words that name the intent's subject are part of its meaning ("did anyone
            # bleed?" is the bleeding question) even where no slot holds them.
            used.extend(h for h in hits if h.type in spec.heads and h not in used)
        if wanted is None or "top_n" in (wanted or ()):
            self._top_n(t, intent, slots, table)
        if "statistic" in slots and slots["statistic"].value == "binomial_test":
            rate = _null_rate(t.norm)
            if rate is not None:
                slots["null_rate"] = Slot(name="null_rate", value=rate)
        if "ci_method" in slots or "level" in slots:
            if m.cue("persist") is not None:
                slots["persist"] = Slot(name="persist", value=True)
        if intent == "ae_incidence" and "grade_op" not in slots and wanted is None:
            fatal = self._fatal(t, candidates, slots.get("term"))
            if fatal is not None:  # "G5 sepsis", "fatal pneumonia": grade 5 of that event
                used.append(fatal)
                slots["grade_op"] = self._slot(t, "grade_op", "eq", fatal)
                slots["grade_low"] = self._slot(t, "grade_low", 5, fatal)
                slots["grade_high"] = self._slot(t, "grade_high", 5, fatal)
            else:
                slots["grade_op"] = Slot(name="grade_op", value="any")
        return slots, used

    @staticmethod
    def _fatal(t: Text, candidates: list[Hit], term: Slot | None) -> Hit | None:
        """A word for a fatal adverse event said with the event, in one phrase."""
        if term is None or term.start is None:
            return None
        named = [h for h in candidates if h.type == "ae_term" and h.value == term.value]
        return next(
            (
                h
                for h in candidates
                if h.type == "deaths" and h.value == "adverse_event"
                for n in named
                if abs(h.start - n.start) <= 24 and _apposed(t.norm, h, n)
            ),
            None,
        )

    def _learned(
        self,
        intent: str,
        t: Text,
        m: Matches,
        slots: dict[str, Slot],
        table: dict[str, Any],
        bounds: tuple[int, int] | None,
    ) -> None:
        """Slots no lexicon entry named, picked by their classifier ("how often do you take
        the tablets" → topic schedule) when it is sure enough."""
        for name, slot in table.items():
            if not slot.learned:
                continue
            current = slots.get(name)
            if current is not None and current.start is not None:
                continue  # named in the question: the lexicon's reading stands
            classifier = self.model.slots.get(f"{intent}.{name}")
            if classifier is None:
                continue
            a, b = bounds if bounds is not None else (0, len(t.norm))
            value, p = classifier.score(features(t.norm, m, a, b)).best
            if p >= LEARNED_SLOT_PROBABILITY:
                slots[name] = Slot(name=name, value=value)

    @staticmethod
    def _refine(clause: list[Hit], slots: dict[str, Slot], table: dict[str, Any]) -> None:
        """Values that depend on something else in the clause ("dose" of dexamethasone; not
        "n enrolled" beside "n penta", which is another clause)."""
        present: set[str] | None = None  # (made when a slot has a rule to apply)
        for name, slot in table.items():
            current = slots.get(name)
            if current is None or current.value not in slot.refine:
                continue
            if present is None:
                present = {h.type for h in clause} | {f"{h.type}={h.value}" for h in clause}
            rule = slot.refine[current.value]
            new = next(
                (v for cue, v in rule.items() if cue != "else" and cue in present), rule.get("else")
            )
            if new is not None:
                slots[name] = current.model_copy(update={"value": new})

    def _top_n(self, t: Text, intent: str, slots: dict[str, Slot], table: dict[str, Any]) -> None:
        if "top_n" not in table:
            return
        m = _TOP_N.search(t.norm)
        if m is None:
            return
        raw = m.group(1) or m.group(2)
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 0)
        if 1 <= n <= 50:
            slots["top_n"] = self._slot(t, "top_n", n, Hit("top_n", n, m.start(), m.end()))

    # ------------------------------------------------------------------ coverage
    def _qualify_all(self, t: Text, m: Matches, readings: list[Reading]) -> list[Reading]:
        """Entities no reading used become qualifiers (or are ignored where the intent says
        so); so do numbers nothing explains."""
        used = {id(h) for r in readings for h in r.used}
        used_spans = [(h.start, h.end) for r in readings for h in r.used]
        said = {(h.type, str(h.value)) for r in readings for h in r.used}
        leftovers = [
            h
            for h in m.hits
            if id(h) not in used
            and not any(a <= h.start and h.end <= b for a, b in used_spans)
            and (h.type, str(h.value)) not in said  # "felt sick (nausea)": said twice
            and f"{h.type}={h.value}" not in self.spec.leftover_ignore
            and not _CLARIFYING.search(t.norm[max(0, h.start - 14) : h.start])
            # "what does that mean": the words that ask for a definition are not a statistic
            # (a define cue longer than the word: "mean number of prior lines" asks a mean)
            and not (
                h.type == "measure"
                and any(
                    d.type == "define_cue"
                    and d.start <= h.start
                    and h.end <= d.end
                    and d.end - d.start > h.end - h.start
                    for d in m.overlays
                )
            )
        ]
        # A level any part takes is no restriction of another ("ORR and CBR with 95% CIs, and
        # the median DOR": the 95 % is not a figure the DOR is restricted to).
        levels = [u for r in readings for u in r.used if u.type == "level"]
        for reading in readings:
            spec = self.spec.intents.get(reading.intent)
            if spec is None or reading.intent in CONVERSATION:
                continue
            found: list[Qualifier] = []
            for hit in leftovers:
                if hit.weak or hit.type in spec.ignores:
                    continue
                if reading.scoped and not (reading.start <= hit.start and hit.end <= reading.end):
                    continue
                kind = self.spec.leftover_qualifiers.get(hit.type)
                if kind is None:
                    continue
                value = (
                    str(hit.value)
                    if hit.type
                    in (
                        "subgroup",
                        "timepoint",
                        "measure",
                        "assessor",
                        "cohort",
                        "baseline_variable",
                    )
                    else hit.type
                )
                start, end = t.span(hit.start, hit.end)
                tested = (
                    (kind, value) == ("measure", "p_value") and "null_rate" in reading.slots
                )  # the p-value of the test asked for against a stated rate
                found.append(
                    Qualifier(
                        kind=kind,
                        value=value,
                        text=t.original[start:end],
                        start=start,
                        end=end,
                        served=spec.serves_qualifier(kind, value) or tested,
                    )
                )
            if reading.intent in self.spec.data_intents:
                found.extend(self._numbers(t, m, reading, levels))
            reading.qualifiers = found
        return readings

    def _carry_restrictions(self, readings: list[Reading], previous: Parse | None) -> list[Reading]:
        """A follow-up keeps the previous question's restrictions: after "ORR in patients over
        70", "and PFS?" asks PFS in patients over 70 (which the answer says is not reported),
        not the whole population's median. A group named anew ("and in the penta-refractory?",
        "overall?") or a restriction of the same kind replaces them."""
        if previous is None:
            return readings
        carried = [q for q in previous.qualifiers if q.kind in _QUALIFIER_TYPES]
        if not carried:
            return readings
        for reading in readings:
            spec = self.spec.intents.get(reading.intent)
            if spec is None or not reading.followup or reading.intent not in self.spec.data_intents:
                continue
            if any(
                name in ("population", "response_group") and not slot.inherited
                for name, slot in reading.slots.items()
            ):
                continue
            own = {q.kind for q in reading.qualifiers}
            reading.qualifiers = reading.qualifiers + [
                Qualifier(
                    kind=q.kind,
                    value=q.value,
                    text=q.text,
                    served=spec.serves_qualifier(q.kind, q.value),
                )
                for q in _unique(carried)
                if q.kind not in own
            ]
        return readings

    def _numbers(self, t: Text, m: Matches, reading: Reading, levels: list[Hit]) -> list[Qualifier]:
        """A number no entity explains ("in the 2 patients …") may restrict the question."""
        if m.cue("claim") is not None:
            return []  # "I read 26 %, right?": the numbers are the claim being checked
        # Spans in the working text (entities, and every level asked), and in the original
        # (the reading's slots).
        work = [
            (h.start, h.end)
            for h in m.hits + m.overlays + [u for u in reading.used if u.type == "level"] + levels
        ]
        original = [(s.start, s.end) for s in reading.slots.values() if s.start is not None]
        out: list[Qualifier] = []
        for num in m.numbers:
            ostart, oend = t.span(num.start, num.end)
            # The digits decide: in "grade 3 %" the 3 is the grade, the % asks for a share.
            digits = num.start + len(t.norm[num.start : num.end].split(" ")[0].rstrip("%"))
            if any(a <= num.start and digits <= b for a, b in work):
                continue
            if any(
                s is not None and e is not None and s <= ostart and oend <= e for s, e in original
            ):
                continue
            if _NOT_ABOUT_PATIENTS.match(t.norm, num.end):
                continue  # "a 300-word piece", "a 2-page summary": the answer's size
            if num.value == 1 and _AT_LEAST.search(t.norm[max(0, num.start - 10) : num.start]):
                continue  # "had >=1 G3+ AE", "at least one": how every incidence counts
            before = t.norm[max(0, num.start - 22) : num.start]
            if _ALPHA.search(before) or (
                "null_rate" in reading.slots and _NULL_RATE.search(before[-14:])
            ):
                continue  # a test's size or the rate it is against, not a restriction
            quoted = bool(num.group("unit")) or not float(num.value).is_integer() or num.value >= 20
            if quoted and round(float(num.value), 1) in self.known_numbers:
                continue  # "the 26 %", "72 of 123": a published figure, quoted
            out.append(
                Qualifier(
                    kind="number",
                    value=t.original[ostart:oend],
                    text=t.original[ostart:oend],
                    start=ostart,
                    end=oend,
                )
            )
        return out

    def _unaccounted(self, t: Text, m: Matches, readings: list[Reading]) -> list[str]:
        covered = [(h.start, h.end) for h in m.hits + m.overlays]
        intents = {r.intent for r in readings}
        out: list[str] = []
        for tok, a, b in tokens(t.norm):
            if not tok[0].isalpha() or tok in FUNCTION_WORDS:
                continue
            if any(s <= a and b <= e for s, e in covered):
                continue
            if any(self.model.weight("w:" + tok, i) > 0.25 for i in intents):
                continue
            start, end = t.span(a, b)
            out.append(t.original[start:end])
        return out

    # ------------------------------------------------------------------ the parse
    def _finish(
        self,
        raw: str,
        truncated: bool,
        t: Text,
        m: Matches,
        readings: list[Reading],
        corrections: list[tuple[str, str]],
    ) -> Parse:
        readings = [
            self._validate(part)
            for r in readings
            for part in self._and_everyone(t, m, self._otherwise(r, t, m))
        ]
        queries = [self._query(t, m, r) for r in readings]
        qualifiers = _unique([q for r in readings for q in r.qualifiers])
        unaccounted = self._unaccounted(t, m, readings)
        if len(readings) > 1:
            conf = min(r.confidence for r in readings)
            return Parse(
                text=raw,
                truncated=truncated,
                qualifiers=qualifiers,
                unaccounted=unaccounted,
                corrections=corrections,
                intent="compound",
                confidence=max(0.0, min(1.0, conf)),
                slots={},
                queries=queries,
                followup=any(r.followup for r in readings),
            )
        r = readings[0]
        return Parse(
            text=raw,
            truncated=truncated,
            qualifiers=qualifiers,
            unaccounted=unaccounted,
            corrections=corrections,
            intent=r.intent,
            confidence=max(0.0, min(1.0, r.confidence)),
            slots=r.slots,
            alternatives=r.alternatives,
            followup=r.followup,
            queries=queries,
        )

    def _query(self, t: Text, m: Matches, r: Reading) -> Query:
        about = (
            None
            if r.about is None
            else self._query(t, m, self._validate(self._otherwise(r.about, t, m)))
        )
        return Query(
            intent=r.intent,
            slots=r.slots,
            qualifiers=r.qualifiers,
            text=t.original[slice(*t.span(r.start, r.end))] if r.end > r.start else "",
            about=about,
        )

    def _otherwise(self, reading: Reading, t: Text, m: Matches) -> Reading:
        """The intent the spec names instead when the question says none of the words this
        one needs (``otherwise`` in intents.yaml)."""
        spec = self.spec.intents.get(reading.intent)
        rule = spec.otherwise if spec is not None else None
        if rule is None:
            return reading
        slot = reading.slots.get(rule.slot)
        # What this part of the question names ("ORR, sCR n": the second part names a category).
        named = {
            h.type for h in m.hits + m.overlays if reading.start <= h.start and h.end <= reading.end
        }
        forced = (
            slot is not None
            and slot.value in rule.values
            and bool(named & set(rule.force))
            and not named & set(rule.unless)
        )
        if not forced and (
            slot is None
            or slot.value not in rule.values
            or slot.inherited
            or named & set(rule.unless)
            or not set(rule.when) <= named
        ):
            return reading
        slots, used = self._fill(
            rule.intent,
            t,
            m,
            [h for h in m.hits if reading.start <= h.start and h.end <= reading.end],
            None,
            bounds=(reading.start, reading.end),
        )
        keep = {k: v for k, v in reading.slots.items() if k in context.CONTEXT_SLOTS}
        return Reading(
            rule.intent,
            reading.confidence,
            {**slots, **keep},
            used=reading.used + used,
            followup=reading.followup,
            start=reading.start,
            end=reading.end,
            qualifiers=reading.qualifiers,
        )

    def _validate(self, reading: Reading) -> Reading:
        """Only the slots the intent takes; a level the question gave but out of range is
        asked back, never silently replaced by 95 %."""
        if reading.intent not in self.spec.intents:
            return Reading("unknown", 0.0, start=reading.start, end=reading.end)
        if reading.intent in ("clarify",):
            return reading
        allowed = self.spec.allowed_slots(reading.intent) | {"missing"}
        reading.slots = {k: v for k, v in reading.slots.items() if k in allowed}
        return reading


_NULL_PERCENT = re.compile(
    r"(?:above|greater than|more than|higher than|exceeds?|better than|over|vs\.?|versus|"
    r"against|>=?|<=?|less than|below|null(?: response)?(?: rate)?(?: of)?|threshold(?: of)?|"
    r"benchmark(?: of)?)\s*(?:a |the )?(\d{1,2}(?:\.\d+)?)\s*%|"
    r"(\d{1,2}(?:\.\d+)?)\s*% (?:null|benchmark|threshold|historical)"
)
_NULL_FRACTION = re.compile(r"(?:h0|null|p0|p_0)[^0-9]{0,12}(0?\.\d+)")


def _null_rate(text: str) -> float | None:
    """The rate a test is against: "above 20 %", "a 10 % null rate", "H0: p ≤ 0.10"."""
    m = _NULL_PERCENT.search(text)
    if m is not None:
        return float(m.group(1) or m.group(2)) / 100
    f = _NULL_FRACTION.search(text)
    return float(f.group(1)) if f is not None else None


def _parentheses(text: str) -> list[tuple[int, int]]:
    """Outermost parenthesised spans (nested ones included in them)."""
    if "(" not in text:
        return []  # most questions: no need to read them character by character
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    if depth:
        spans.append((start, len(text)))
    return spans


# After a response group: "… vs not", "… or those who didn't".
_THE_REST = re.compile(
    r"\s*,?\s*(?:vs\.?|versus|or|and|compared (?:to|with))\s+"
    r"(?:(?:those|people|patients|pts|the ones) (?:who )?)?"
    r"(?:not|didn'?t|did not|non-?responders?|no response|without)\b"
)
_PURPOSE = re.compile(
    r"\W*(?:so (?:that )?(?:i|we|they|you|it|both|the two) (?:can|could|may|might|will|fit|sit)"
    r"|in order to|so as to|because|since (?:i|we)|as (?:i|we) (?:need|want|am|are)"
    r"|for (?:my|our|the|a) (?:slide|deck|talk|poster|presentation|footnote|table|chart|booth))\b"
)
_CLAUSE_BREAK = re.compile(r"[.?!;,:]\s|[.?!]$|\s-\s|\band\b|\bbut\b|\balso\b")


def _clause_around(norm: str, a: int, b: int) -> tuple[int, int]:
    """The clause (between punctuation or "and") that holds the span [a, b)."""
    start = max((x.end() for x in _CLAUSE_BREAK.finditer(norm, 0, a)), default=0)
    end = next((x.start() for x in _CLAUSE_BREAK.finditer(norm, b)), len(norm))
    return start, end


def _by_strength(hits: list[Hit], norm: str) -> list[Hit]:
    """Strong hits before weak ones, a grade in numbers before a grade in words ("severe
    (G3)" is grade 3), an event by its own name before a lay word for it ("low white cells
    (neutropenia)" is neutropenia), the longer (more specific) before the shorter, then by
    position."""

    def lay(h: Hit) -> bool:
        if h.type != "ae_term":
            return False  # (the spellings are compared for events only)
        said = sorted(_spelling(norm[h.start : h.end]).split())
        return said != sorted(_spelling(str(h.value)).split())

    return sorted(
        hits,
        key=lambda h: (h.weak, h.type == "grade" and not h.groups, lay(h), -h.length, h.start),
    )


def _spelling(word: str) -> str:
    """One spelling for British and American names ("anaemia", "anemia")."""
    return word.lower().replace("ae", "e").replace("oe", "e")


_JOINED = re.compile(
    r"\b(?:and|or|vs|versus|plus|then|as well as|along with|together with|also)\b|[+&/;]"
)


def _apposed(norm: str, x: Hit, y: Hit) -> bool:
    """Two mentions in one phrase, with no coordinator between them."""
    first, second = (x, y) if x.start <= y.start else (y, x)
    return _JOINED.search(norm[first.end : second.start]) is None


def _common(term: str) -> bool:
    words = [w for w, _, _ in tokens(term.lower())]
    return not words or all(w in FUNCTION_WORDS or not w[0].isalnum() for w in words)


def _restricts_only(hits: list[Hit]) -> bool:
    """The clause names a restriction (an age band, a time point, a hazard ratio …) and no
    subject."""
    return any(h.type in _QUALIFIER_TYPES for h in hits) and all(
        h.weak or h.type in _QUALIFIER_TYPES for h in hits
    )


# Words before a term that make it the frame of a definition, not a term to define.
_CONTEXT_OF = re.compile(
    r"\b(?:as (?:used|defined|given|set out) (?:in|by)|under|according to|per)\s+(?:the\s+)?$"
)
# A clause that opens a request of its own: "then give me …", "and show me …".
_OWN_REQUEST = re.compile(
    r"\W*(?:(?:and|then|also|finally|plus)\W+)*(?:please\W+)?(?:give|show|provide|add|"
    r"include|send|produce|generate)\b"
)
# The slot values that ask for a whole overview table ("all the medians", "baseline
# characteristics").
_OVERVIEWS = {("tte_median", "endpoint", "ALL"), ("baseline", "variable", "overview")}


def _listed(norm: str, readings: list[Reading]) -> list[Reading]:
    """An overview named beside the rows it should hold ("baseline table: median age, prior
    regimens", "all the medians: TTR, DOR, PFS") asks for those rows: the list is what the
    reader wants, the overview's name only says how to show it. A clause that names the
    overview and its first row asks for the row; an overview asked in a request of its own
    ("…; then give me the whole baseline table") is asked too."""

    def overview(r: Reading) -> str | None:
        return next(
            (name for name, slot in r.slots.items() if (r.intent, name, slot.value) in _OVERVIEWS),
            None,
        )

    listed = {r.intent for r in readings if overview(r) is None}
    if not any(overview(r) is not None and r.intent in listed for r in readings):
        return readings
    out: list[Reading] = []
    spare: list[Hit] = []  # the overview's own words, accounted for by the rows
    for r in readings:
        name = overview(r)
        if name is None or r.intent not in listed or _OWN_REQUEST.match(norm, r.start):
            out.append(r)
            continue
        row = next(
            (
                h
                for h in r.used
                if (r.intent, name, str(h.value)) not in _OVERVIEWS
                and h.type in ("endpoint", "baseline_variable")
            ),
            None,
        )
        if row is None:
            spare += r.used
            continue
        r.slots = {**r.slots, name: Slot(name=name, value=row.value, text=r.slots[name].text)}
        out.append(r)
    if out:
        out[0].used = out[0].used + spare
    return out or readings


def _cues_not_measures(m: Matches) -> list[Hit]:
    """The cue words, but those that say a statistic ("mean TTR", "what was the mean"): the
    word that can ask a meaning or a median asks for a mean there."""
    means = [(h.start, h.end) for h in m.hits if h.type == "measure"]
    return [h for h in m.overlays if not any(a <= h.start and h.end <= b for a, b in means)]


def _another_group(norm: str, m: Matches, before: Reading, after: Reading) -> bool:
    """ "median PFS, and for the penta group?", "how many sCRs, and were any of them in the
    penta-refractory?": a clause joined by "and" or "vs" that names another group asks the
    figure again for it. A clause that only narrows it ("…, focusing on grade 3 or higher"),
    says what the figure is of ("its CI in the penta group"), or names the population every
    figure of its kind is over ("k/n in the safety population") does not."""
    if _JOINED.search(norm[before.end : after.start]) is None:
        return False
    if _POSSESSIVE.search(norm, after.start, after.end):
        return False
    for name in _GROUP_SLOTS:
        mine, theirs = after.slots.get(name), before.slots.get(name)
        if mine is None or mine.inherited:
            continue
        if theirs is not None and not theirs.inherited:
            if theirs.value != mine.value:
                return True  # "the safety population versus the mITT"
            continue
        if name == "population" and mine.value in _WHOLE_POPULATIONS:
            continue
        introduced = any(
            h.type in ("population", *_RESPONSE_GROUP_TYPES)
            and after.start <= h.start < after.end
            and _GROUP_PREPOSITION.search(norm, max(after.start, h.start - 30), h.start)
            for h in m.hits
        )
        if introduced:
            return True
    return False


_POSSESSIVE = re.compile(r"\b(?:its|their)\b")
_WHOLE_POPULATIONS = ("mITT", "safety")
# "in the penta group", "for those with >=PR", "among the responders"
_GROUP_PREPOSITION = re.compile(
    r"\b(?:in|for|among|amongst|within|across|of)\b(?: (?:the|those|them|patients|pts|who|"
    r"with|were|was|had|group|subgroup))*\s*$"
)
_COUNT_ASKED = re.compile(
    r"\b(?:how many|what (?:proportion|percentage|share|fraction) "
    r"(?:of|had|were|achieved|got|reached))\b"
)
_GROUP_SLOTS = ("population", "response_group")
_RESPONSE_GROUP_TYPES = ("threshold", "threshold_below", "category")


def _distinct(readings: list[Reading]) -> list[Reading]:
    """Each query once: "did loads bleed? like proper bleeds" asks one thing twice."""
    out: list[Reading] = []
    for r in readings:
        if not any(_same(r, o) for o in out):
            out.append(r)
    return out


def _same(a: Reading, b: Reading) -> bool:
    def values(r: Reading) -> dict[str, Any]:
        return {k: v.value for k, v in r.slots.items()}

    if (a.scoped or b.scoped) and (a.start, a.end) != (b.start, b.end):
        return False
    return a.intent == b.intent and values(a) == values(b)


def _unique(qualifiers: list[Qualifier]) -> list[Qualifier]:
    seen: set[tuple[Any, ...]] = set()
    out: list[Qualifier] = []
    for q in qualifiers:
        key = (q.kind, q.value, q.start, q.end)
        if key not in seen:
            seen.add(key)
            out.append(q)
    return out


# Words that carry no content of their own (never listed as unaccounted).
FUNCTION_WORDS = frozenset(
    """
a about above after again all also am an and any anyone are as at be been before being below
between both but by can could did do does doing done during each either for from further get got
had has have having he her here his how i if in into is it its just me might more most much must
my no nor not now of off on once only or other our out over own please same she should so some
such than that the their them then there these they this those through to too under until up
upon us very was we were what whatever when where whether which while who whom whose why will
with within would you your yours ok okay hi thanks thank tell give show know like want need
patients patient people pts pt subjects participants study trial data number numbers figure
figures value values result results exactly really actually just also overall total plus versus vs
""".split()
)
