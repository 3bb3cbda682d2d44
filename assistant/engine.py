"""The engine: a question and the conversation so far in, an ``Answer`` out.

The engine never imports Textual: the chat app, ``ask``, ``batch`` and ``demo`` all sit on it,
and the tests check that the headless path stays headless.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

from assistant.answer import Answer
from assistant.handlers import dispatch
from assistant.handlers.context import Context, Settings
from intents.parser import Parser
from intents.schema import Parse
from knowledge.by_arm import socs
from knowledge.collector import collector_paused
from knowledge.stats import DEFAULT_LEVEL, DEFAULT_METHOD, check_level, check_method
from knowledge.store import Store, load_store

# Questions are answered on a bounded prefix: nobody asks a 10 MB question, and the parser's
# cost must not grow with a paste.
MAX_QUESTION_CHARS = 2000


class Engine:
    """Holds the store and the parser; hands out conversations."""

    def __init__(
        self, store: Store, ci_method: str = DEFAULT_METHOD, level: float = DEFAULT_LEVEL
    ) -> None:
        self.store = store
        self.defaults = Settings(check_method(ci_method), check_level(level))
        # The store's own vocabulary: its terms and, for an imported study, its system organ
        # classes ("skin and subcutaneous tissue disorders" is one name, not three words).
        self.parser = Parser(
            terms=store.ae_terms + list(socs(store)) + _unrecorded_terms(store),
            known_numbers=_known_numbers(store),
        )

    @classmethod
    def load(
        cls,
        db: Path | str | None = None,
        ci_method: str = DEFAULT_METHOD,
        level: float = DEFAULT_LEVEL,
    ) -> Engine:
        # The store is loaded with the collector held back and, in a process's first engine,
        # frozen with the start-up heap before the collector runs again: otherwise its first
        # two collections traverse every record just made (0.7 s for 100,000 AE rows).
        with collector_paused():
            store = load_store(db)
            _freeze_startup_heap()
        return cls(store, ci_method, level)

    def conversation(self) -> Conversation:
        return Conversation(self)


_heap_frozen = False


def _freeze_startup_heap() -> None:
    """Take what exists when the first engine's store is loaded out of the garbage collector's
    sight.

    By then the interpreter, the libraries (pydantic, scipy, numpy …) and the store's records
    hold hundreds of thousands of objects that live until exit. Every collection would traverse
    the young ones and every full collection all of them again: about 40 ms of a cold
    ``stormchat ask`` on the shipped store, 0.7 s on one of 100,000 AE rows.
    ``gc.freeze`` moves them to a generation that is never collected.
    Garbage cycles that exist at that moment would never be reclaimed, so this is done once
    per process, at start-up, before the chat app or a batch has made any."""
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.freeze()


def _known_numbers(store: Store) -> set[float]:
    """Every figure the store publishes: a question that quotes one ("the 26 %", "72 of 123")
    is checking it, not restricting the question to a subgroup."""
    numbers: set[float] = {float(len(store.population(p))) for p in ("mITT", "safety")}
    for fact in store.facts.values():
        for value in (
            fact.value,
            fact.n,
            fact.population_n,
            fact.ci_low,
            fact.ci_high,
            fact.range_low,
            fact.range_high,
        ):
            if isinstance(value, int | float) and not isinstance(value, bool):
                numbers.add(float(value))
    return numbers


def _unrecorded_terms(store: Store) -> list[str]:
    """Terms the sources mention without a count (decreased appetite): the parser must know
    them so the answer can say what is known instead of "not understood"."""
    return ["Decreased appetite"] if "Decreased appetite" not in store.adverse_events else []


@dataclass
class Conversation:
    """One conversation: follow-ups read against the previous question, and statistics
    settings changed in it last until it ends."""

    engine: Engine
    settings: Settings | None = None
    previous: Parse | None = None
    last_answer: Answer | None = None
    last_parse: Parse | None = None  # how the last question was read (ask --parse)

    def __post_init__(self) -> None:
        if self.settings is None:
            self.settings = self.engine.defaults

    def ask(self, question: str) -> Answer:
        text = clean_question(question)
        parse = self.engine.parser.parse(text, previous=self.previous)
        self.last_parse = parse
        assert self.settings is not None
        # Only a cut that loses words counts: trailing blanks after the prefix lose nothing.
        truncated = bool(question[MAX_QUESTION_CHARS:].strip())
        context = Context(
            self.engine.store, self.settings, self.last_answer, defaults=self.engine.defaults
        )
        answer, settings = dispatch(context, parse, question)
        if truncated:
            # Said here, once for every status, rather than left to each handler: an answer
            # read from a cut question must say so whatever kind of answer it is.
            answer = with_truncation_note(answer)
        self.settings = settings
        # A clarify parse is kept too: the parser fills its gap from the next turn
        # ("grade 3" → "which event?" → "thrombocytopenia").
        if parse.intent not in ("unknown", "help", "thanks", "greeting", "out_of_scope"):
            self.previous = parse
        if answer.status in ("answered", "not_reported"):
            self.last_answer = answer
        return answer


# The words every answer to a cut question carries.
TRUNCATION_MARK = f"only its first {MAX_QUESTION_CHARS:,} characters were read"
TRUNCATION_NOTE = f"(The question was very long: {TRUNCATION_MARK}.)"


def with_truncation_note(answer: Answer) -> Answer:
    """``answer`` saying that only a prefix of its question was read, unless it says so."""
    if TRUNCATION_MARK in answer.text:
        return answer
    update: dict[str, str] = {"text": f"{answer.text.rstrip()} {TRUNCATION_NOTE}".lstrip()}
    if answer.markdown is not None and TRUNCATION_MARK not in answer.markdown:
        update["markdown"] = f"{answer.markdown.rstrip()}\n\n*{TRUNCATION_NOTE}*"
    return answer.model_copy(update=update)


def clean_question(question: str) -> str:
    """The text the parser sees: a bounded prefix. The parser itself drops escape sequences
    and control characters (intents.normalise), keeping offsets into what was typed."""
    return question[:MAX_QUESTION_CHARS]
