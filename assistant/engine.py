"""The engine: a question and the conversation so far in, an ``Answer`` out.

The engine never imports Textual: the chat app, ``ask``, ``batch`` and ``demo`` all sit on it,
and the tests check that the headless path stays headless.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.answer import Answer
from assistant.handlers import dispatch
from assistant.handlers.context import Context, Settings
from intents.parser import Parser
from intents.schema import Parse
from knowledge.stats import DEFAULT_LEVEL, DEFAULT_METHOD, check_level, check_method
from knowledge.store import Store, load_store

# Questions are answered on a bounded prefix: nobody asks a 10 MB question, and the parser's
# cost must not grow with a paste.
MAX_QUESTION_CHARS = 2000


class Engine:
    """Holds the store and the parser; hands out conversations."""

    def __init__(self, store: Store, ci_method: str = DEFAULT_METHOD,
                 level: float = DEFAULT_LEVEL) -> None:
        self.store = store
        self.defaults = Settings(check_method(ci_method), check_level(level))
        self.parser = Parser(terms=store.ae_terms + _unrecorded_terms(store))

    @classmethod
    def load(cls, db: Path | str | None = None, ci_method: str = DEFAULT_METHOD,
             level: float = DEFAULT_LEVEL) -> Engine:
        return cls(load_store(db), ci_method, level)

    def conversation(self) -> Conversation:
        return Conversation(self)


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

    def __post_init__(self) -> None:
        if self.settings is None:
            self.settings = self.engine.defaults

    def ask(self, question: str) -> Answer:
        text = clean_question(question)
        parse = self.engine.parser.parse(text, previous=self.previous)
        assert self.settings is not None
        context = Context(self.engine.store, self.settings, self.last_answer,
                          truncated=len(question) > MAX_QUESTION_CHARS)
        answer, settings = dispatch(context, parse, question)
        self.settings = settings
        # A clarify parse is kept too: the parser fills its gap from the next turn
        # ("grade 3" → "which event?" → "thrombocytopenia").
        if parse.intent not in ("unknown", "help", "thanks", "greeting", "out_of_scope"):
            self.previous = parse
        if answer.status in ("answered", "not_reported"):
            self.last_answer = answer
        return answer


def clean_question(question: str) -> str:
    """The text the parser sees: a bounded prefix with control characters (NUL, escape
    sequences) turned into spaces."""
    prefix = question[:MAX_QUESTION_CHARS]
    return "".join(ch if ch.isprintable() else " " for ch in prefix)
