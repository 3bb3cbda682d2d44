"""Deterministic slot extraction: typo correction, then patterns and synonym tables.

``Extractor`` is built once per ``Parser`` (the adverse-event vocabulary is handed in by the
caller) and compiles every pattern in its constructor, so a parse is a few dozen regex scans over
a short string. Extraction runs in a fixed order and *consumes* what it matches (the span is
blanked in a working copy), so that "duration of response" is read as an endpoint and not also as
"response", and "dose reductions" as an action and not also as "dose".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

from intents import vocabulary as V
from intents.normalise import Text

_WORD = re.compile(r"[a-z][a-z']*[a-z]|[a-z]")
# Questions are a sentence or two; typo correction beyond this many words would only let a
# pasted wall of text cost tens of milliseconds.
MAX_CORRECTED_WORDS = 40


@dataclass(slots=True)
class Hit:
    """One value found in the working text, [start, end) in working-text coordinates."""

    value: Any
    start: int
    end: int
    weight: float = 0.0


@dataclass(slots=True)
class Extraction:
    """Everything the scorer, rules and context merger need to know about one question."""

    text: Text
    hits: dict[str, list[Hit]] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    topics: dict[str, Hit] = field(default_factory=dict)
    baseline: dict[str, Hit] = field(default_factory=dict)

    def add(self, name: str, hit: Hit) -> None:
        self.hits.setdefault(name, []).append(hit)

    def first(self, name: str) -> Hit | None:
        hits = self.hits.get(name)
        return hits[0] if hits else None

    def has(self, name: str) -> bool:
        return bool(self.hits.get(name))


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _variants(term: str) -> list[str]:
    """Regex fragments for a handed-in MedDRA term in both spellings."""
    low = term.lower()
    us = low.replace("haem", "hem").replace("aem", "em").replace("oe", "e").replace("leuc", "leuk")
    out = {re.escape(low), re.escape(us)}
    return sorted(out, key=len, reverse=True)


class Extractor:
    """Compiled patterns for one vocabulary of adverse-event terms."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms: list[str] = [t for t in terms if isinstance(t, str) and t.strip()]
        listed = {t.lower(): t for t in self.terms}
        # Canonical term → alternation; known synonyms first, then the caller's own spellings.
        table: dict[str, list[str]] = {
            k: list(v) for k, v in V.AE_SYNONYMS.items() if k != "Haemorrhage"}
        for term in self.terms:
            key = next((k for k in table if k.lower() == term.lower()), term)
            table.setdefault(key, [])
            table[key] = _variants(term) + table[key]
        self.listed = listed  # lower-case → caller's spelling
        self._term_res: list[tuple[str, re.Pattern[str]]] = []
        for canonical, pats in table.items():
            if canonical.lower() in ("haemorrhage", "hemorrhage"):
                continue  # bleeding words are read by the bleeding cue (see schema.py)
            self._term_res.append((canonical, _c(r"\b(?:" + "|".join(pats) + r")\b")))
        self._categories = [(v, _c(p)) for v, p in V.CATEGORY_PATTERNS]
        self._or_better_after = _c(V.OR_BETTER_AFTER)
        self._or_better_before = _c(V.OR_BETTER_BEFORE)
        self._thresholds = [(v, _c(p), w) for v, p, w in V.THRESHOLD_PATTERNS]
        self._breakdown = _c(V.BREAKDOWN)
        self._breakdown_needs = _c(V.BREAKDOWN_NEEDS)
        self._endpoints = [(v, _c(p), w) for v, p, w in V.ENDPOINT_PATTERNS]
        self._survival = _c(V.SURVIVAL_BARE)
        self._populations = [(v, _c(p)) for v, p in V.POPULATION_PATTERNS]
        self._ci_methods = [(v, _c(p)) for v, p in V.CI_METHOD_PATTERNS]
        self._ci_words = _c(V.CI_WORDS)
        self._level_pct = _c(V.LEVEL_PERCENT)
        self._level_frac = _c(V.LEVEL_FRACTION)
        self._level_bare = _c(V.LEVEL_BARE)
        self._persist = _c(V.PERSIST)
        self._use_only = _c(V.USE_ONLY)
        self._generic_ae = _c(V.GENERIC_AE)
        self._serious = _c(V.SERIOUS)
        self._bleeding = _c(V.BLEEDING)
        self._grade_between = _c(V.GRADE_BETWEEN)
        self._grade_ge = _c(V.GRADE_GE)
        self._grade_eq = _c(V.GRADE_EQ)
        self._grade_severe = _c(V.GRADE_SEVERE)
        self._grade_mild = _c(V.GRADE_MILD)
        self._grade_any = _c(V.GRADE_ANY)
        self._grade_bare = _c(V.GRADE_BARE)
        self._deaths = _c(V.DEATHS)
        self._actions = [(v, _c(p)) for v, p in V.ACTION_PATTERNS]
        self._top = _c(V.TOP)
        self._top_n = _c(V.TOP_N)
        self._baseline = [(v, _c(p)) for v, p in V.BASELINE_PATTERNS]
        self._refractory_count = _c(V.REFRACTORY_COUNT)
        self._topics = [(v, _c(p), w) for v, p, w in V.TOPIC_PATTERNS]
        self._dex = _c(V.DEX)
        self._persons = [(v, _c(p)) for v, p in V.PERSONS]
        self._quote_words = _c(V.QUOTE_WORDS)
        self._def_terms = [(v, _c(r"\b(?:" + p + r")\b")) for v, p in V.DEFINITION_TERMS]
        alternation = "|".join(f"(?P<d{i}>{p})" for i, (_, p) in enumerate(V.DEFINITION_TERMS))
        # "what is a VGPR?" — the whole question is the term (so "what is the ORR?" is not).
        self._def_whole = _c(
            r"^(?:so |ok |okay |and )?(?:what|wht|wat)(?:'s| is| are| r) "
            r"(?:a |an |the (?=safety|m-?itt|modified|intent|imwg|exportin|xpo|clopper|exact|"
            r"confidence)|)?(?:" + alternation + r")s?"
            r"(?: population| patients?| criteria| interval| disease| rate)?\W*$")
        self._def_cues = _c(V.DEFINE_CUES)
        self._reconstructed = _c(V.RECONSTRUCTED_CUES)
        self._discrepancy = _c(V.DISCREPANCY_CUES)
        self._discrepancy_pair = _c(V.DISCREPANCY_PAIR)
        self._discrepancy_topics = [(v, _c(p)) for v, p in V.DISCREPANCY_TOPICS]
        self._compare = _c(V.COMPARE_CUES)
        self._records = _c(V.RECORDS_CUES)
        self._records_list = _c(V.RECORDS_LIST)
        self._mode_list = _c(V.MODE_ONLY_LIST)
        self._mode_count = _c(V.MODE_ONLY_COUNT)
        self._explain = _c(V.EXPLAIN_CUES)
        self._median = _c(r"\bmedian\b|\baverage\b|\bmean\b|\btypical\b")
        self._followup_start = _c(V.FOLLOWUP_START)
        self._followup_end = _c(V.FOLLOWUP_END)
        self._pronoun = _c(V.PRONOUN_REF)
        self._question_head = _c(
            r"^(?:how|what|which|who|whom|when|where|why|did|do|does|was|were|is|are|can|could|"
            r"list|show|give|tell|count|number|rate|proportion|percentage|share|median|compare|"
            r"define|describe|explain|any|were there|i'd like|i want|please)\b")
        self._known, self._targets, self._stems = _lexicon(table)
        self._fixes: dict[str, str | None] = {}

    # ------------------------------------------------------------------ typo correction
    def correct(self, text: Text) -> Text:
        """Replace misspelt words by the nearest domain word (small edit distance only)."""
        edits: list[tuple[int, int, str]] = []
        for i, m in enumerate(_WORD.finditer(text.norm)):
            if i >= MAX_CORRECTED_WORDS:
                break
            word = m.group()
            if len(word) < 4 or word in self._known or word.startswith(self._stems):
                continue
            if word not in self._fixes:
                if len(self._fixes) > 20000:  # bounded memory under adversarial input
                    self._fixes.clear()
                self._fixes[word] = _nearest(word, self._targets)
            fixed = self._fixes[word]
            if fixed and fixed != word:
                edits.append((m.start(), m.end(), fixed))
        return text.replace(edits)

    # ------------------------------------------------------------------ extraction
    def extract(self, text: Text) -> Extraction:
        ex = Extraction(text)
        w = text.norm
        buf = list(w)

        def masked() -> str:
            return "".join(buf)

        def consume(a: int, b: int) -> None:
            buf[a:b] = " " * (b - a)

        # Sentence shape: follow-up markers and question heads (on the unmasked text).
        if self._followup_start.search(w):
            ex.flags.add("followup_start")
        if self._followup_end.search(w):
            ex.flags.add("followup_end")
        if self._question_head.search(w):
            ex.flags.add("question_head")
        if self._pronoun.search(w):
            ex.flags.add("pronoun")

        # Cues read on the whole text before anything is consumed.
        cues = (
            ("explain", self._explain), ("compare", self._compare),
            ("discrepancy", self._discrepancy), ("discrepancy_pair", self._discrepancy_pair),
            ("define", self._def_cues), ("reconstructed", self._reconstructed),
            ("deaths", self._deaths), ("top", self._top), ("quote_words", self._quote_words),
            ("median", self._median), ("persist", self._persist),
            ("use_only", self._use_only), ("serious", self._serious),
            ("refractory_count", self._refractory_count), ("dex", self._dex),
            ("mode_list", self._mode_list), ("mode_count", self._mode_count),
        )
        for flag, rx in cues:
            if rx.search(w):
                ex.flags.add(flag)
        if self._records.search(w):
            ex.flags.add("records")
            if self._records_list.search(w):
                ex.flags.add("records_list")
        m = self._def_whole.search(w)
        if m:
            ex.flags.add("define_whole")
            for i, (value, _) in enumerate(V.DEFINITION_TERMS):
                if m.group(f"d{i}"):
                    ex.add("def_term", Hit(value, m.start(f"d{i}"), m.end(f"d{i}")))
                    break
        for value, rx in self._def_terms:
            m = rx.search(w)
            if m:
                ex.add("def_term", Hit(value, m.start(), m.end()))
        for value, rx in self._discrepancy_topics:
            m = rx.search(w)
            if m:
                ex.add("disc_topic", Hit(value, m.start(), m.end()))
        for value, rx in self._persons:
            m = rx.search(w)
            if m:
                ex.add("person", Hit(value, m.start(), m.end()))

        # 1. Time-to-event endpoints (they contain "response"/"progression" words).
        for value, rx, weight in self._endpoints:
            for m in rx.finditer(masked()):
                ex.add("endpoint", Hit(value, m.start(), m.end(), weight))
                consume(m.start(), m.end())
        if not ex.has("endpoint"):
            m = self._survival.search(masked())
            if m:
                ex.flags.add("survival_bare")
                ex.add("endpoint", Hit("OS", m.start(), m.end(), 3.5))
                consume(m.start(), m.end())
        ex.hits.get("endpoint", []).sort(key=lambda h: h.start)

        # 2. Actions taken for adverse events ("dose reductions" is not a question about dose).
        for value, rx in self._actions:
            for m in rx.finditer(masked()):
                ex.add("action", Hit(value, m.start(), m.end(), 4.5))
                consume(m.start(), m.end())
        ex.hits.get("action", []).sort(key=lambda h: h.start)

        # 3. Statistics: CI method and level.
        for value, rx in self._ci_methods:
            m = rx.search(masked())
            if m:
                ex.add("ci_method", Hit(value, m.start(), m.end()))
                consume(m.start(), m.end())
                break
        self._levels(ex, masked(), consume)

        # 4. Populations ("safety population" is not a safety question).
        for value, rx in self._populations:
            for m in rx.finditer(masked()):
                ex.add("population", Hit(value, m.start(), m.end()))
                consume(m.start(), m.end())
        ex.hits.get("population", []).sort(key=lambda h: h.start)

        # 5. Bleeding, then adverse-event terms, then generic AE words.
        for m in self._bleeding.finditer(masked()):
            ex.add("bleeding", Hit(True, m.start(), m.end(), 4.0))
            consume(m.start(), m.end())
        found: list[Hit] = []
        for canonical, rx in self._term_res:
            for m in rx.finditer(masked()):
                found.append(Hit(canonical, m.start(), m.end(), 3.0))
                consume(m.start(), m.end())
        for hit in sorted(found, key=lambda h: h.start):
            if hit.value.lower() in self.listed:
                ex.add("term", Hit(self.listed[hit.value.lower()], hit.start, hit.end, 3.0))
            else:
                ex.add("term_text", hit)
        m = self._generic_ae.search(masked())
        if m:
            ex.add("generic_ae", Hit("any", m.start(), m.end(), 1.5))
            consume(m.start(), m.end())

        # 6. Grades.
        self._grades(ex, masked(), consume)

        # 7. Response: the best-response table, single categories, thresholds.
        m = self._breakdown.search(masked())
        if m and self._breakdown_needs.search(w):
            ex.add("breakdown", Hit(True, m.start(), m.end(), 4.5))
            if m.group().startswith("best"):
                consume(m.start(), m.end())
        for value, rx in self._categories:
            for m in rx.finditer(masked()):
                s = masked()
                after = self._or_better_after.search(s[m.end():m.end() + 20])
                before = self._or_better_before.search(s[max(0, m.start() - 16):m.start()])
                if after or before:
                    a = m.start() - (len(before.group()) if before else 0)
                    b = m.end() + (after.end() if after else 0)
                    ex.add("threshold", Hit(value, a, b, 3.0))
                    consume(a, b)
                else:
                    ex.add("category", Hit(value, m.start(), m.end(), 3.0))
                    consume(m.start(), m.end())
        for value, rx, weight in self._thresholds:
            for m in rx.finditer(masked()):
                ex.add("threshold", Hit(value, m.start(), m.end(), weight))
                consume(m.start(), m.end())
        for name in ("threshold", "category"):
            ex.hits.get(name, []).sort(key=lambda h: h.start)

        # 8. Top-N, baseline variables, study-fact topics.
        m = self._top_n.search(w)
        if m:
            raw = m.group(1) or m.group(2)
            n = int(raw) if raw.isdigit() else V.NUMBER_WORDS.get(raw, 0)
            if 1 <= n <= 50:
                ex.add("top_n", Hit(n, m.start(), m.end()))
        # Baseline variables on the masked text (so "median" or "response" words already read
        # do not count twice), except the whole-question shape "how many patients were there".
        rest = masked()
        for value, rx in self._baseline:
            m = rx.search(w if value == "population_size" else rest)
            if m:
                ex.baseline[value] = Hit(value, m.start(), m.end(), 4.0)
        # Topics on the unmasked text ("how was response assessed"); "dose" only when it is not
        # part of an action ("dose reductions").
        taken = [(h.start, h.end) for h in ex.baseline.values()]
        for value, rx, weight in self._topics:
            if value == "dose" and ex.has("action"):
                continue
            for m in rx.finditer(w):
                if any(m.start() < b and a < m.end() for a, b in taken):
                    continue  # "prior regimens" is a baseline variable, not the regimen
                old = ex.topics.get(value)
                if old is None or weight > old.weight:
                    ex.topics[value] = Hit(value, m.start(), m.end(), weight)
        return ex

    def _levels(self, ex: Extraction, s: str, consume: Any) -> None:
        """Confidence levels: only numbers next to CI words, so "26% or 26.2%" is not a level."""
        stats_context = "persist" in ex.flags or ex.has("ci_method")
        if not self._ci_words.search(s) and not stats_context:
            return
        cands: list[tuple[int, int, float]] = []
        scales = ((self._level_pct, 100.0), (self._level_bare, 100.0), (self._level_frac, 1.0))
        for rx, scale in scales:
            for m in rx.finditer(s):
                try:
                    value = float(m.group(1))
                except ValueError:
                    continue
                if scale == 1.0 and value >= 1:
                    continue
                cands.append((m.start(), m.end(), value / scale if scale != 1.0 else value))
        for a, b, value in sorted(cands):
            window = s[max(0, a - 30):min(len(s), b + 30)]
            if not self._ci_words.search(window) and not stats_context:
                continue
            value = round(value, 4)
            valid = 0.5 <= value <= 0.999
            ex.add("level", Hit(value, a, b, 1.0 if valid else -1.0))
            consume(a, b)
            return

    def _grades(self, ex: Extraction, s: str, consume: Any) -> None:
        def num(tok: str) -> int:
            return int(tok) if tok.isdigit() else V.GRADE_WORDS.get(tok, 0)

        ordered = ((self._grade_between, "between"), (self._grade_ge, "ge"), (self._grade_eq, "eq"))
        for rx, op in ordered:
            m = rx.search(s)
            if not m:
                continue
            nums = [num(g) for g in m.groups() if g]
            if not nums or not all(1 <= n <= 5 for n in nums):
                continue
            if op == "between":
                low, high = sorted(nums[:2])
                if low == high:
                    op, high = "eq", low
                ex.add("grade", Hit((op, low, high), m.start(), m.end()))
            elif op == "ge":
                ex.add("grade", Hit(("ge", nums[0], None), m.start(), m.end()))
            else:
                ex.add("grade", Hit(("eq", nums[0], nums[0]), m.start(), m.end()))
            consume(m.start(), m.end())
            return
        words: tuple[tuple[re.Pattern[str], tuple[str, int | None, int | None]], ...] = (
            (self._grade_severe, ("ge", 3, None)), (self._grade_mild, ("between", 1, 2)),
            (self._grade_any, ("any", None, None)))
        for rx, value in words:
            m = rx.search(s)
            if m:
                ex.add("grade", Hit(value, m.start(), m.end()))
                consume(m.start(), m.end())
                return
        m = self._grade_bare.search(s)
        if m:
            ex.flags.add("grade_bare")
            ex.add("grade_word", Hit(True, m.start(), m.end()))


# ---------------------------------------------------------------------------- lexicon
_EXTRA_TARGETS = """
response responses responded responders respond overall clinical benefit survival progression
duration median stringent complete partial minimal stable disease progressive evaluable
thrombocytopenia fatigue nausea anaemia anemia neutropenia hyponatraemia hyponatremia leukopenia
diarrhoea diarrhea vomiting appetite decreased pneumonia sepsis haemorrhage hemorrhage bleeding
adverse events event effects discontinued discontinuation discontinue reduction reductions
modification modifications interruption interruptions adjustment adjustments deaths died
refractory penta triple class cytogenetics cytogenetic regimens regimen diagnosis transplant
selinexor dexamethasone richardson bahlis chari mechanism endpoint endpoints eligibility eligible
published publication journal sponsor interval intervals confidence wilson jeffreys clopper pearson
agresti coull continuity correction patients proportion percentage platelets platelet tiredness
exhaustion sodium neutrophils haemoglobin hemoglobin vomit appetite anorexia treatment treated
therapy weeks months grade grades severe common frequent baseline prior previous unique agents
transplantation definition define compare comparison versus subgroup population safety computed
calculated method explain records list rate rates partial response very good minimal benefit
quickly durable responses last lasted progression-free disease phase design randomised randomized
schedule dose doses weekly twice primary secondary criteria authors author investigator
""".split()


Lexicon = tuple[frozenset[str], tuple[str, ...], tuple[str, ...]]


def _lexicon(table: dict[str, list[str]]) -> Lexicon:
    """Known words (never corrected), correction targets, and stems ("respon" of "respon\\w*")."""
    pattern_sources: list[str] = [p for pats in table.values() for p in pats]
    for name in dir(V):
        value = getattr(V, name)
        if isinstance(value, str) and name.isupper():
            pattern_sources.append(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, tuple):
                    pattern_sources.extend(x for x in item if isinstance(x, str))
    words: set[str] = set()
    stems: set[str] = set()
    for src in pattern_sources:
        # Drop regex escapes first: "\\bmeaning" is the word "meaning"; "respon\\w*" a stem.
        plain = re.sub(r"\\[bB]", " ", src)
        plain = re.sub(r"\\[wW][*+]", "#", plain)
        plain = re.sub(r"\\.", " ", plain)
        for m in re.finditer(r"(?<![a-z])([a-z]{4,})(#)?", plain):
            (stems if m.group(2) else words).add(m.group(1))
    targets = tuple(sorted(words | set(_EXTRA_TARGETS)))
    known = set(V.COMMON_WORDS) | set(targets) | stems
    # Regular inflections of longer words are known too ("bled"+"ing" is not a word, hence >= 5).
    for word in list(known):
        if len(word) >= 5:
            known.update({word + "s", word + "es", word + "ed", word + "ing", word + "ly"})
    stems_t = tuple(sorted(s for s in stems if len(s) >= 5))
    return frozenset(known), targets, stems_t


def _nearest(word: str, targets: tuple[str, ...]) -> str | None:
    # Allowed edit distance grows with length: one slip in a short word, two in a long one.
    n = len(word)
    limit = 1 if n <= 5 else 2 if n <= 10 else 3
    found = process.extract(word, targets, scorer=OSA.distance, processor=default_process,
                            score_cutoff=limit, limit=5)
    if not found:
        return None
    # People rarely mistype the first letter; allowing it turns real words we do not know
    # into domain words ("centers" → "genders"). Then the smallest distance, then closest length.
    pool = [(d, abs(len(t) - n), t) for t, d, _ in found if t[0] == word[0]]
    if not pool:
        return None
    return min(pool)[2]
