"""Entity recognition: the lexicons of ``intents/data/lexicon`` compiled for fast matching.

Phrases go into one token trie (a question is scanned once, whatever the size of the lexicon);
the few regular-expression patterns are scanned on their own. All candidates are collected,
then overlaps are settled generically: the longest span wins, so "duration of response" is an
endpoint and not also "response", "safety population" a population and not a safety question,
"dose reductions" an action and not a question about dose. Overlay types (cue words such as
"median" or "how many") never compete for text.
"""

from __future__ import annotations

import pickle
import re
import re._constants as _sre  # the parsed form of a pattern, to find its possible first letters
import re._parser as _sre_parse
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from intents.spec import EntityType, Spec, inputs_of

# Tokens: words (with an inner apostrophe), numbers (with a decimal part), or one symbol.
# Hyphens and blanks only separate tokens, so "progression-free" = "progression free".
# An underscore joins, as in a file name ("test_sql_and_shell" is one token, not "sql").
_TOKEN = re.compile(r"[a-z0-9_]+(?:['.][a-z0-9_]+)*\*?|[^\sa-z0-9\-_]")
_CONJUNCTIONS = frozenset({"and", "or", "/", "+", "&", ","})
_NOT_WORD = re.compile(r"[^\w]")
_INNER_GROUP = re.compile(r"\(\?P<([a-z_]+)>")
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?: ?(%(?![a-z])|percent\b|per ?cent\b|pct\b))?")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Hit:
    """One entity found in the working text, [start, end) in working-text coordinates."""

    type: str
    value: Any
    start: int
    end: int
    weak: bool = False
    groups: tuple[tuple[str, str], ...] = ()

    @property
    def length(self) -> int:
        return self.end - self.start

    def group(self, name: str) -> str | None:
        return next((v for k, v in self.groups if k == name), None)


@dataclass
class Matches:
    """The entities of one question: slot entities without overlaps, and overlay cues."""

    hits: list[Hit] = field(default_factory=list)
    overlays: list[Hit] = field(default_factory=list)
    numbers: list[Hit] = field(default_factory=list)

    def of(self, *types: str) -> list[Hit]:
        return [h for h in self.hits if h.type in types]

    def first(self, etype: str) -> Hit | None:
        return next((h for h in self.hits if h.type == etype), None)

    def cue(self, etype: str) -> Hit | None:
        return next((h for h in self.overlays if h.type == etype), None)

    def has(self, etype: str) -> bool:
        return any(h.type == etype for h in self.hits) or any(
            h.type == etype for h in self.overlays
        )

    def types(self) -> set[str]:
        return {h.type for h in self.hits} | {h.type for h in self.overlays}


@lru_cache(maxsize=512)
def tokens(text: str) -> list[tuple[str, int, int]]:
    """The tokens of a text with their spans (memoised: every stage of a parse asks)."""
    return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def spelling_variants(term: str) -> list[str]:
    """A MedDRA term in British and American spelling."""
    low = term.lower()
    us = low.replace("haem", "hem").replace("aem", "em").replace("oe", "e").replace("leuc", "leuk")
    return sorted({low, us}, key=len, reverse=True)


class _Entry(NamedTuple):
    # A tuple: hashed and made in C (the trie holds thousands, read back at every start).
    type: str
    value: Any
    weak: bool
    overlay: bool


class _Node:
    __slots__ = ("exact", "prefixes", "entries", "by_start")

    def __init__(self) -> None:
        self.exact: dict[str, _Node] = {}
        self.prefixes: list[tuple[str, _Node]] = []
        self.entries: dict[_Entry, None] = {}  # ordered, without repeats
        # Prefixes by their first three letters: the root holds dozens ("thrombocytop*",
        # "discontinu*" …) and each word would otherwise be tested against all of them.
        self.by_start: dict[str, list[tuple[str, _Node]]] = {}

    def matching_prefixes(self, word: str) -> list[tuple[str, _Node]]:
        if len(self.prefixes) < 8:
            return self.prefixes
        if not self.by_start:
            for prefix, node in self.prefixes:
                self.by_start.setdefault(prefix[:3] if len(prefix) >= 3 else "", []).append(
                    (prefix, node)
                )
        short = self.by_start.get("", [])
        return self.by_start.get(word[:3], []) + short if short else self.by_start.get(word[:3], [])


class _Trie:
    def __init__(self) -> None:
        self.root = _Node()

    def add(self, phrase: str, entry: _Entry, reverse: bool = False) -> None:
        toks = [t for t, _, _ in tokens(phrase.lower())]
        if reverse:
            toks.reverse()  # matched backwards, from the word before a hit
        if not toks:
            return
        nodes = [self.root]
        for i, tok in enumerate(toks):
            last = i == len(toks) - 1
            forms = [tok]
            if tok.endswith("*") and len(tok) > 1:
                forms = []
            elif last and not reverse and tok[-1:].isalpha():
                forms += [tok + "s", tok + "es"]  # a final word may be plural
            following: list[_Node] = []
            for node in nodes:
                if not forms:
                    prefix = tok[:-1]
                    child = next((n for p, n in node.prefixes if p == prefix), None)
                    if child is None:
                        child = _Node()
                        node.prefixes.append((prefix, child))
                        node.by_start = {}
                    following.append(child)
                    continue
                shared = node.exact.get(forms[0]) or _Node()
                for form in forms:
                    node.exact.setdefault(form, shared)
                following.append(node.exact[forms[0]])
            nodes = following
        for node in nodes:
            node.entries[entry] = None

    def walk(
        self, toks: list[tuple[str, int, int]], i: int, step: int = 1
    ) -> list[tuple[int, _Entry]]:
        """Every phrase that starts at token ``i`` (reading forwards, or backwards with
        ``step`` -1): its last token's index and its entry."""
        out: list[tuple[int, _Entry]] = []
        frontier = [self.root]
        j = i
        while frontier and 0 <= j < len(toks):
            word = toks[j][0]
            following: list[_Node] = []
            for node in frontier:
                child = node.exact.get(word)
                if child is not None:
                    following.append(child)
                if node.prefixes:  # (most nodes have none)
                    for prefix, pnode in node.matching_prefixes(word):
                        if word.startswith(prefix):
                            following.append(pnode)
            for node in following:
                if node.entries:
                    out.extend([(j, entry) for entry in node.entries])
            frontier = following
            j += step
        return out

    def scan(self, toks: list[tuple[str, int, int]]) -> list[Hit]:
        out: list[Hit] = []
        root = self.root
        for i in range(len(toks)):
            word = toks[i][0]
            if word not in root.exact:
                prefixes = root.matching_prefixes(word)
                if not prefixes or not any(word.startswith(p) for p, _ in prefixes):
                    continue  # no phrase begins with this word: nothing to walk
            for j, entry in self.walk(toks, i):
                out.append(Hit(entry.type, entry.value, toks[i][1], toks[j][2], entry.weak))
        return out


@dataclass(frozen=True)
class _Derived:
    """A type made of another type's hit with words before or after it ("VGPR or better",
    "less than a PR"), matched by composition rather than by listing every combination."""

    name: str
    source: str
    values: frozenset[str]
    prefix: str
    overlay: bool
    before: _Trie
    after: _Trie

    def extend(self, base: list[Hit], toks: list[tuple[str, int, int]]) -> list[Hit]:
        sources = [h for h in base if h.type == self.source and h.value in self.values]
        if not sources:
            return []
        starts = {a: k for k, (_, a, _) in enumerate(toks)}
        ends = {b: k for k, (_, _, b) in enumerate(toks)}
        out: list[Hit] = []
        for hit in sources:
            value = self.prefix + str(hit.value)
            first, last = starts.get(hit.start), ends.get(hit.end)
            if last is not None:
                out.extend(
                    Hit(self.name, value, hit.start, toks[j][2])
                    for j, _ in self.after.walk(toks, last + 1)
                )
            if first is not None:
                out.extend(
                    Hit(self.name, value, toks[j][1], hit.end)
                    for j, _ in self.before.walk(toks, first - 1, step=-1)
                )
        return out


@dataclass(slots=True)
class _Pattern:
    type: str
    value: Any
    overlay: bool
    source: str  # compiled on first use: most patterns are never tried in a run
    inner: tuple[str, ...]
    first: frozenset[str] | None  # the characters a match can start with (None: any)
    needles: tuple[str, ...] | None  # one of these occurs in any text it matches (None: ?)
    pairs: frozenset[str] | None  # the needles' first two letters
    # Every match begins with one of these pairs of characters, so the pattern is tried
    # only where one begins (None: everywhere, by ``finditer``); ``anchored``: only at the
    # start of the text; ``ascii``: the pairs hold for ASCII text only (``\\d`` is every
    # Unicode digit).
    heads: frozenset[str] | None = None
    anchored: bool = False
    ascii: bool = False
    word: bool = False
    # The same for the first ``_GATE`` characters: most places a pair lets through, these do
    # not, and a failed match costs more than looking a string up (``ascii_gate``: they hold
    # for ASCII text only).
    gate: frozenset[str] | None = None
    ascii_gate: bool = False
    # Literal strings one of which occurs in any text it matches (None: not known): a
    # pattern tried on every text is not run on one that has none of them.
    musts: tuple[str, ...] | None = None
    compiled: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self.compiled is None:
            self.compiled = re.compile(self.source)
        return self.compiled


_ALL = frozenset(string.printable)
_DIGITS = frozenset(string.digits)
_WORD = frozenset(string.ascii_lowercase + string.digits + "_")


def _first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can begin with, or None when that is not known.

    Scanning a question with seventy patterns costs more than the rest of the parse; trying
    a pattern only where its first character occurs costs almost nothing."""
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:
        return None
    found = _first_of(list(parsed.data))
    return None if found is None or found[1] else frozenset(found[0])


# What ``(?<![\w])`` (``_bounded``'s start) parses to.
_NOT_AFTER_WORD = _sre_parse.parse(r"(?<![\w])").data[0]
_HEAD = 2  # the length of the heads a pattern is indexed by
_GATE = 3  # the length of the heads a place it is tried at must begin with
_MAX_HEADS = 256
_MAX_GATES = 2048  # a gate is a set looked up at a place, not an index: it may be larger
_ASCII_DIGITS = "0123456789"


@dataclass(frozen=True)
class _Heads:
    heads: frozenset[str]
    anchored: bool
    ascii: bool
    word: bool  # a match begins a word: the character before it is none of \w


def _heads(pattern: str, length: int = _HEAD, limit: int = _MAX_HEADS) -> _Heads | None:
    """The strings of ``length`` characters that every match of ``pattern`` begins with (or
    None when they are not known, when the pattern can match the empty string or fewer
    than ``length`` characters, or when there are too many to be worth it.

    Exact for the pattern's literal text and character sets; assertions are left out, which
    only lets more places through, never fewer. A pattern with a flag that changes how
    literals compare (IGNORECASE) is not indexed; a digit class (``\\d``) is read as ASCII
    digits, and the heads then only serve ASCII text."""
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:
        return None
    flags = parsed.state.flags
    if flags & (re.IGNORECASE | re.VERBOSE | re.MULTILINE) or parsed.getwidth()[0] < 1:
        return None
    items = list(parsed.data)
    anchored = bool(items) and items[0] == (_sre.AT, _sre.AT_BEGINNING)
    digits: list[bool] = []
    found = _expand(items, "", digits, length, limit)
    if found is None or any(len(h) < length for h in found):
        return None  # a match may be shorter: not worth indexing
    word = bool(items) and items[0] == _NOT_AFTER_WORD
    return _Heads(frozenset(found), anchored, bool(digits), word)


def _expand(
    items: list[Any], head: str, digits: list[bool], length: int, limit: int
) -> set[str] | None:
    """The heads (of ``length`` characters) of the matches of ``items`` that follow ``head``
    (None: too many). A digit class read as ASCII digits is noted in ``digits``."""
    if len(head) >= length or not items:
        return {head}
    (op, arg), rest = items[0], items[1:]
    if op is _sre.LITERAL:
        return _expand(rest, head + chr(arg), digits, length, limit)
    if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
        return _expand(rest, head, digits, length, limit)  # zero-width
    if op is _sre.IN:
        chars: list[str] = []
        for kind, value in arg:
            if kind is _sre.LITERAL:
                chars.append(chr(value))
            elif kind is _sre.RANGE and value[1] - value[0] < 64:
                chars.extend(chr(c) for c in range(value[0], value[1] + 1))
            elif kind is _sre.CATEGORY and value is _sre.CATEGORY_DIGIT:
                digits.append(True)
                chars.extend(_ASCII_DIGITS)
            else:
                return {head}  # a negated set, another category: the head ends here
        return _union([(rest, head + c) for c in chars], digits, length, limit)
    if op is _sre.SUBPATTERN:
        add_flags, body = arg[1], arg[3]
        if add_flags & re.IGNORECASE:
            return {head}
        return _expand(list(body) + rest, head, digits, length, limit)
    if op is _sre.ATOMIC_GROUP:
        return _expand(list(arg) + rest, head, digits, length, limit)
    if op is _sre.BRANCH:
        return _union([(list(branch) + rest, head) for branch in arg[1]], digits, length, limit)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, high, body = arg
        times = range(low, min(high, low + length) + 1)
        return _union([(list(body) * n + rest, head) for n in times], digits, length, limit)
    return {head}  # anything else (any character, a back-reference …): the head ends here


def _union(
    ways: list[tuple[list[Any], str]], digits: list[bool], length: int, limit: int
) -> set[str] | None:
    out: set[str] = set()
    for items, start in ways:
        found = _expand(items, start, digits, length, limit)
        if found is None:
            return None
        out |= found
        if len(out) > limit:
            return None
    return out


def _musts(pattern: str) -> tuple[str, ...] | None:
    """Literal strings one of which every match of ``pattern`` contains (None when that is
    not known: a pattern that ignores case, or no literal it must hold)."""
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    found = _contained(list(parsed.data))
    return tuple(sorted(found)) if found else None


def _contained(items: list[Any]) -> set[str] | None:
    """One set of literal strings one of which every match of ``items`` contains: of those
    the sequence's parts give, the one whose shortest string is longest."""
    sets: list[set[str]] = []
    run = ""  # literal characters matched one after the other
    for op, arg in items:
        if op is _sre.LITERAL:
            run += chr(arg)
            continue
        if run:
            sets.append({run})
            run = ""
        inner: set[str] | None = None
        if op is _sre.SUBPATTERN and not arg[1] & re.IGNORECASE:
            inner = _contained(list(arg[3]))
        elif op is _sre.ATOMIC_GROUP:
            inner = _contained(list(arg))
        elif op is _sre.BRANCH:
            branches = [_contained(list(branch)) for branch in arg[1]]
            if all(branches):
                inner = set().union(*(b for b in branches if b))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
            inner = _contained(list(arg[2]))
        if inner:
            sets.append(inner)
    if run:
        sets.append({run})
    return max(sets, key=lambda found: min(map(len, found)), default=None)


def _needles(pattern: str) -> tuple[str, ...] | None:
    """Literal strings of two letters or more, one of which begins every match (None when
    the pattern does not start with literal text): a pattern none of them occurs in cannot
    match, and is not run."""
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error:
        return None
    found = _leading(list(parsed.data), "")
    return tuple(sorted(found)) if found is not None and len(found) <= 64 else None


def _leading(items: list[Any], head: str) -> set[str] | None:
    text = head
    for i, (op, arg) in enumerate(items):
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue
        if op is _sre.LITERAL:
            text += chr(arg)
            continue
        if len(text) >= 2:
            return {text}
        rest = items[i + 1 :]
        if op is _sre.SUBPATTERN:
            return _leading(list(arg[-1]) + rest, text)
        if op is _sre.BRANCH:
            out: set[str] = set()
            for branch in arg[1]:
                found = _leading(list(branch) + rest, text)
                if found is None:
                    return None
                out |= found
            return out
        return None
    return {text} if len(text) >= 2 else None


def _first_of(items: list[Any]) -> tuple[set[str], bool] | None:
    """(first characters, can match empty) of a sequence of parsed items."""
    out: set[str] = set()
    for op, arg in items:
        step = _first_of_item(op, arg)
        if step is None:
            return None
        chars, nullable = step
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _first_of_item(op: Any, arg: Any) -> tuple[set[str], bool] | None:
    if op is _sre.LITERAL:
        return {chr(arg)}, False
    if op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.AT):
        return set(), True  # zero-width
    if op is _sre.IN:
        chars: set[str] = set()
        for kind, value in arg:
            if kind is _sre.LITERAL:
                chars.add(chr(value))
            elif kind is _sre.RANGE:
                chars |= {chr(c) for c in range(value[0], value[1] + 1)}
            elif kind is _sre.CATEGORY and value is _sre.CATEGORY_DIGIT:
                chars |= _DIGITS
            elif kind is _sre.CATEGORY and value is _sre.CATEGORY_WORD:
                chars |= _WORD
            else:
                return None
        return chars, False
    if op is _sre.SUBPATTERN:
        return _first_of(list(arg[-1]))
    if op is _sre.BRANCH:
        chars, nullable = set(), False
        for branch in arg[1]:
            step = _first_of(list(branch))
            if step is None:
                return None
            chars |= step[0]
            nullable = nullable or step[1]
        return chars, nullable
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
        low, _high, body = arg
        step = _first_of(list(body))
        if step is None:
            return None
        return step[0], step[1] or low == 0
    return None


def _bounded(pattern: str) -> str:
    """A lexicon pattern with word boundaries where it starts or ends with a word character."""
    head = (
        r"(?<![\w])"
        if re.match(r"[\w(\[]", pattern) and not pattern.startswith(("(?<", "^"))
        else ""
    )
    tail = r"(?![\w])" if re.search(r"[\w)\]*+?]$", pattern) and not pattern.endswith("$") else ""
    return head + pattern + tail


@dataclass(frozen=True)
class _Prepared:
    """What a lexicon is built from, for one spec: its trie (pickled: each lexicon unpickles
    its own copy, which the store's terms then go into), its patterns (uncompiled) and the
    words it knows; stored between runs (``intents.artefact``)."""

    trie: bytes
    patterns: list[tuple[Any, ...]]
    words: frozenset[str]


def _prepare(spec: Spec) -> _Prepared:
    trie = _Trie()
    patterns: list[tuple[Any, ...]] = []
    words: set[str] = set()
    for name, etype in spec.entities.items():
        for value, entry in etype.values.items():
            stored: Any = tuple(entry.grade) if entry.grade is not None else value
            if name == "grade" and entry.grade is None:
                stored = value  # an operator whose numbers come from the pattern's groups
            for phrase in entry.phrases:
                trie.add(phrase, _Entry(name, stored, False, etype.overlay))
            for phrase in entry.weak:
                trie.add(phrase, _Entry(name, stored, True, etype.overlay))
            for pattern in entry.patterns:
                bounded = _bounded(pattern)
                needles = _needles(bounded)
                heads = _heads(bounded)
                gate = _heads(bounded, _GATE, _MAX_GATES) if heads is not None else None
                patterns.append(
                    (
                        name,
                        stored,
                        etype.overlay,
                        bounded,
                        tuple(_INNER_GROUP.findall(pattern)),
                        _first_chars(bounded),
                        needles,
                        frozenset(n[:2] for n in needles) if needles else None,
                        *(
                            (heads.heads, heads.anchored, heads.ascii, heads.word)
                            if heads is not None
                            else (None, False, False, False)
                        ),
                        *((gate.heads, gate.ascii) if gate is not None else (None, False)),
                        _musts(bounded),
                    )
                )
            for phrase in entry.phrases + entry.weak + [value]:
                words.update(re.findall(r"[a-z][a-z']+", phrase.lower().replace("*", "")))
    root = pickle.dumps(trie.root, protocol=pickle.HIGHEST_PROTOCOL)
    return _Prepared(root, patterns, frozenset(words))


_PREPARED: dict[int, tuple[Spec, _Prepared]] = {}


def _prepared(spec: Spec) -> _Prepared:
    """The prepared lexicon of ``spec``: once per process, and for a spec read from the data
    files, from the cache while they are unchanged."""
    known = _PREPARED.get(id(spec))
    if known is not None and known[0] is spec:
        return known[1]
    from intents.artefact import cached

    inputs = inputs_of(spec)
    prepared = (
        _prepare(spec) if inputs is None else cached("lexicon", inputs, lambda: _prepare(spec))
    )
    _PREPARED[id(spec)] = (spec, prepared)
    return prepared


class Lexicon:
    """All entity types compiled once; ``match`` scans a normalised question."""

    def __init__(self, spec: Spec, terms: Iterable[str] = ()) -> None:
        self.spec = spec
        self.terms: dict[str, str] = {}  # lower-case → the caller's spelling
        prepared = _prepared(spec)
        self.trie = _Trie()
        self.trie.root = pickle.loads(prepared.trie)  # noqa: S301 - made by _prepare; its own copy
        self.patterns = [_Pattern(*row) for row in prepared.patterns]
        self._words = prepared.words
        self.derived: list[_Derived] = []
        for name, etype in spec.entities.items():
            if etype.derive is not None:
                self._add_derived(name, etype, spec.entities[etype.derive.source])
        self.grade_words = spec.entities["grade"].number_words
        self._overlay_types = frozenset(n for n, e in spec.entities.items() if e.overlay)
        # The indexed patterns (not anchored) by the pairs of characters their matches
        # begin with: a question's pairs name the few worth trying, and where.
        # Those whose matches begin a word (most: ``_bounded``) are looked up among the pairs
        # that begin one. The others are tried on every text: ``unindexed``.
        self.by_head: dict[str, list[int]] = {}
        self.by_word_head: dict[str, list[int]] = {}
        # On ASCII text (nearly every question) the same patterns by their gates where they
        # have one (``_GATE`` characters: far fewer places match one), else by their heads.
        self.by_gate: dict[str, list[int]] = {}
        self.by_head_ungated: dict[str, list[int]] = {}
        self.unindexed: list[int] = []
        self.ascii_only: list[int] = []  # indexed for ASCII text only: tried on any other
        for index, pattern in enumerate(self.patterns):
            if pattern.heads is None or pattern.anchored:
                self.unindexed.append(index)
                continue
            if pattern.ascii:
                self.ascii_only.append(index)
            table = self.by_word_head if pattern.word else self.by_head
            for head in pattern.heads:
                table.setdefault(head, []).append(index)
            if pattern.word:
                continue
            if pattern.gate is not None:
                for gate in pattern.gate:
                    self.by_gate.setdefault(gate, []).append(index)
            else:
                for head in pattern.heads:
                    self.by_head_ungated.setdefault(head, []).append(index)
        self.add_terms(terms)

    def add_terms(self, terms: Iterable[str]) -> None:
        """The store's own adverse-event terms, in its spelling (and the other one)."""
        ae_known = {v.lower(): v for v in self.spec.entities["ae_term"].values}
        for term in terms:
            if not isinstance(term, str) or not term.strip():
                continue
            self.terms[term.lower()] = term
            key = ae_known.get(term.lower(), term)
            for phrase in spelling_variants(term):
                self.trie.add(phrase, _Entry("ae_term", key, False, False))

    def _add_derived(self, name: str, etype: EntityType, base: EntityType) -> None:
        assert etype.derive is not None
        before, after = _Trie(), _Trie()
        marker = _Entry(name, None, False, etype.overlay)
        for phrase in etype.derive.before:
            before.add(phrase, marker, reverse=True)
        for phrase in etype.derive.after:
            after.add(phrase, marker)
        self.derived.append(
            _Derived(
                name,
                etype.derive.source,
                frozenset(etype.derive.values),
                "<" if name.endswith("_below") else "",
                etype.overlay,
                before,
                after,
            )
        )

    def match(self, text: str) -> Matches:
        found = Matches()
        candidates: list[Hit] = []
        toks = tokens(text)
        overlay = self._overlay_types
        for hit in self.trie.scan(toks):
            (found.overlays if hit.type in overlay else candidates).append(hit)
        candidates.extend(self._gapped(toks))
        base = list(candidates)
        for derived in self.derived:
            for hit in derived.extend(base, toks):
                (found.overlays if derived.overlay else candidates).append(hit)
        for pattern, m in self._pattern_matches(text):
            groups = tuple((g, m.group(g)) for g in pattern.inner if m.group(g) is not None)
            hit = Hit(pattern.type, pattern.value, m.start(), m.end(), False, groups)
            (found.overlays if pattern.overlay else candidates).append(hit)
        # Longest span first; at equal length the strong over the weak, then the earlier.
        candidates.sort(key=lambda h: (-h.length, h.weak, h.start, h.type))
        taken = bytearray(len(text) + 1)
        for hit in candidates:
            if any(taken[hit.start : hit.end]):
                continue
            taken[hit.start : hit.end] = b"\x01" * hit.length
            found.hits.append(self._finish(hit))
        found.hits.sort(key=lambda h: h.start)
        found.overlays.sort(key=lambda h: h.start)
        for m in _NUMBER.finditer(text) if _DIGIT.search(text) else ():  # (each has a digit)
            found.numbers.append(
                Hit(
                    "number",
                    float(m.group(1)),
                    m.start(),
                    m.end(),
                    groups=(("unit", m.group(2) or ""),),
                )
            )
        return found

    def _pattern_matches(self, text: str) -> list[tuple[_Pattern, re.Match[str]]]:
        """Every pattern's non-empty matches, pattern by pattern in order, each pattern's as
        ``finditer`` gives them; a pattern is tried only where a match of it can begin."""
        present = frozenset(text)
        ascii = text.isascii()
        # Every pair of characters (the heads are pairs: a last single character is none).
        pairs = [text[i : i + 2] for i in range(len(text) - 1)]
        # Where each pair an indexed pattern's matches begin with begins; for the patterns
        # whose matches begin a word, only where the character before is none of \w (as the
        # regular expressions read it; on ASCII text only, to be sure of that).
        tried: dict[int, list[int]] = {}
        by_head, by_word = self.by_head, self.by_word_head
        if ascii:
            # (A pattern is in one table or the other: each one's places come in order.)
            by_gate, ungated = self.by_gate, self.by_head_ungated
            where = [
                (i, x)
                for i in range(len(text) - _GATE + 1)
                if (x := by_gate.get(text[i : i + _GATE])) is not None
            ]
            where += [
                (i, x) for i, pair in enumerate(pairs) if (x := ungated.get(pair)) is not None
            ]
        else:
            where = [(i, x) for i, pair in enumerate(pairs) if (x := by_head.get(pair)) is not None]
        for i, indexes in where:
            for index in indexes:
                if index in tried:
                    tried[index].append(i)
                else:
                    tried[index] = [i]
        if by_word:
            begins = (
                [0, *(m.end() for m in _NOT_WORD.finditer(text))] if ascii else range(len(text))
            )
            for i in begins:
                for index in by_word.get(text[i : i + 2], ()):
                    tried.setdefault(index, []).append(i)
        starts = set(pairs)
        out: list[tuple[_Pattern, re.Match[str]]] = []
        every = self.unindexed if ascii else self.unindexed + self.ascii_only
        patterns = self.patterns
        for index in sorted({*tried, *every}):
            pattern = patterns[index]
            indexed = pattern.heads is not None and not pattern.anchored
            if indexed and not (pattern.ascii and not ascii):
                pass  # tried only where its heads begin: the tests below would only
                # spare it matches that fail there
            elif pattern.first is not None and pattern.first.isdisjoint(present):
                continue
            elif pattern.pairs is not None and pattern.pairs.isdisjoint(starts):
                continue  # none of the literal words it starts with occurs here
            elif pattern.musts is not None and not any(map(text.__contains__, pattern.musts)):
                continue  # nor any of those it must hold
            if pattern.heads is None or (pattern.ascii and not ascii):
                found = pattern.regex.finditer(text)
                out.extend((pattern, m) for m in found if m.end() > m.start())
            elif pattern.anchored:
                if text[:2] in pattern.heads and (m := pattern.regex.match(text)) is not None:
                    out.append((pattern, m))
            else:
                # finditer's matches: the first match from each position on, the next one
                # searched from its end (a pattern with heads never matches empty).
                regex, end = pattern.regex, 0
                # On ASCII text a gated pattern's places were found by its gate already.
                gate = pattern.gate if not ascii and not pattern.ascii_gate else None
                places = tried[index]
                for i in sorted(places) if by_word else places:
                    if i < end or (gate is not None and text[i : i + _GATE] not in gate):
                        continue
                    m = regex.match(text, i)
                    if m is not None:
                        out.append((pattern, m))
                        end = m.end()
        return out

    def _gapped(self, toks: list[tuple[str, int, int]]) -> list[Hit]:
        """A word that shares the next phrase's head: in "primary and secondary endpoints"
        or "sel + dex dose" the first word names a phrase of the same kind ("primary
        endpoints", "sel dose") whose head was said once."""
        out: list[Hit] = []
        for i in range(2, len(toks)):
            if toks[i - 1][0] not in _CONJUNCTIONS or not toks[i - 2][0][0].isalpha():
                continue
            for j, entry in self.trie.walk(toks, i):
                if j == i or entry.overlay:
                    continue  # a one-word phrase has no head to share
                virtual = [toks[i - 2], *toks[i + 1 : j + 1]]
                for k, other in self.trie.walk(virtual, 0):
                    if (
                        k == len(virtual) - 1
                        and other.type == entry.type
                        and other.value != entry.value
                    ):
                        out.append(
                            Hit(other.type, other.value, toks[i - 2][1], toks[i - 2][2], other.weak)
                        )
        return out

    def _is_overlay(self, etype: str) -> bool:
        return etype in self._overlay_types

    def _finish(self, hit: Hit) -> Hit:
        """Values that need arithmetic: grades from their numbers, AE terms in the caller's
        spelling."""
        if hit.type == "grade":
            return Hit(hit.type, self._grade(hit), hit.start, hit.end, hit.weak, hit.groups)
        if hit.type == "ae_term" and isinstance(hit.value, str):
            spelled = self.terms.get(hit.value.lower(), hit.value)
            return Hit(hit.type, spelled, hit.start, hit.end, hit.weak, hit.groups)
        return hit

    def _grade(self, hit: Hit) -> tuple[Any, Any, Any]:
        if isinstance(hit.value, tuple):  # a grade word: severe = (ge, 3)
            parts = list(hit.value) + [None, None]
            kind = parts[0]
            if kind == "eq":
                return ("eq", parts[1], parts[1])
            return (kind, parts[1], parts[2] if kind == "between" else None)
        low = self._grade_number(hit.group("low"))
        high = self._grade_number(hit.group("high"))
        if low is None:
            return ("bare", None, None)
        if hit.value == "between" and high is not None:
            low, high = sorted((low, high))
            return ("eq", low, low) if low == high else ("between", low, high)
        if hit.value == "eq":
            return ("eq", low, low)
        return ("ge", low, None)

    def _grade_number(self, token: str | None) -> int | None:
        if token is None:
            return None
        number = int(token) if token.isdigit() else self.grade_words.get(token)
        return number if number is not None and 1 <= number <= 5 else None

    def words(self) -> set[str]:
        """Every plain word the lexicons use (the typo corrector's targets)."""
        out = set(self._words)
        for term in self.terms:
            out.update(re.findall(r"[a-z]+", term))
        return out
