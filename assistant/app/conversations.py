"""Saved conversations: one JSON file per conversation, written as it goes, read back for the
history screen (ctrl+o) and to reopen one.

Plain Python (no Textual) so it is tested on its own. The files live in ``conversations/``
under the data directory of the input history (``history.data_dir``: ``$STORMCHAT_DATA_DIR``,
else the platform's user data dir, which honours ``$XDG_DATA_HOME``), one per conversation,
named for when it started: ``conversation-YYYYMMDD-HHMMSS.json``. Each file is rewritten whole
after every answer through ``assistant.atomic`` (a temp file moved into place), so a crash
never leaves half of one.

Each turn keeps what redisplays it (the question as typed; the answer's status, text,
Markdown, chart and sources) and the CI settings it was asked with, so a reopened
conversation can rebuild the context a follow-up needs (``replay``).

Reading never stops the app and never destroys what it cannot read, as for the input
history: anything but a regular file is ignored, at most ``MAX_FILE_BYTES`` are read, and a
damaged file (invalid UTF-8, broken JSON, a turn that does not validate, too large) is moved
aside as ``conversation-….damaged-YYYYMMDD-HHMMSS.json``; the turns that could be read are
written back under the original name.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.app.history import data_dir, read_regular, set_aside
from assistant.atomic import OutputExistsError, atomic_writer
from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.answer import Answer
    from assistant.engine import Conversation, Engine

CONVERSATIONS_DIR = "conversations"
VERSION = 1
# A conversation of a few hundred answers with their charts is well under this: a larger
# file was not written by stormchat.
MAX_FILE_BYTES = 8 * 1024 * 1024
# The history screen lists the newest this many (the names sort by date).
MAX_LISTED = 500
# A follow-up reads only the previous question's parse and the last answer, so replaying the
# last few turns rebuilds the context without asking a long conversation's every question.
REPLAYED_TURNS = 8
_NAME = re.compile(r"conversation-\d{8}-\d{6}(-\d+)?\.json")


@dataclass
class Turn:
    question: str  # as typed (the answer's own ``question`` is what the engine read)
    answer: Answer
    settings: Settings  # in effect when it was asked
    asked: datetime


@dataclass
class SavedConversation:
    """A conversation and its file; ``path`` is None until the first answer is saved."""

    directory: Path
    started: datetime
    path: Path | None = None
    turns: list[Turn] = field(default_factory=list)

    @property
    def first_question(self) -> str:
        return self.turns[0].question if self.turns else ""

    @property
    def updated(self) -> datetime:
        return self.turns[-1].asked if self.turns else self.started

    def search_text(self) -> str:
        """Everything a search of the history looks in, case-folded."""
        parts: list[str] = []
        for turn in self.turns:
            parts += [turn.question, turn.answer.text, *turn.answer.sources]
        return "\n".join(parts).casefold()

    def add(
        self, question: str, answer: Answer, settings: Settings, now: datetime | None = None
    ) -> bool:
        """Keep a turn and save; False when saving failed (the turn is kept for the session)."""
        self.turns.append(Turn(question, answer, settings, now or datetime.now()))
        return self.save()

    def save(self) -> bool:
        payload = json.dumps(
            {
                "version": VERSION,
                "started": self.started.isoformat(timespec="seconds"),
                "turns": [_dump(turn) for turn in self.turns],
            },
            ensure_ascii=False,
        )
        data = (payload + "\n").encode("utf-8", errors="replace")
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            if self.path is not None:
                _write(self.path, data, force=True)
                return True
            # The first save picks a name no other conversation (or app instance) holds:
            # without force the move into place fails on an existing name.
            for path in _names(self.directory, self.started):
                try:
                    _write(path, data, force=False)
                except OutputExistsError:
                    continue
                self.path = path
                return True
        except (OSError, OutputExistsError):
            return False
        return False


def _names(directory: Path, started: datetime) -> list[Path]:
    stem = f"conversation-{started:%Y%m%d-%H%M%S}"
    return [directory / f"{stem}.json"] + [directory / f"{stem}-{n}.json" for n in range(2, 100)]


def _write(path: Path, data: bytes, *, force: bool) -> None:
    with atomic_writer(path, force=force) as handle:
        handle.write(data)


def _dump(turn: Turn) -> dict[str, Any]:
    answer = turn.answer
    stored = answer.model_dump(mode="json")
    stored["markdown"] = answer.markdown
    stored["chart"] = None if answer.chart is None else answer.chart.model_dump(mode="json")
    return {
        "question": turn.question,
        "asked": turn.asked.isoformat(timespec="seconds"),
        "ci_method": turn.settings.ci_method,
        "level": turn.settings.level,
        "answer": stored,
    }


def _has_surrogate(value: Any) -> bool:
    """Whether an invalid byte (decoded as a lone surrogate) is anywhere in ``value``."""
    if isinstance(value, str):
        return any("\udc80" <= char <= "\udcff" for char in value)
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(item) for item in value)
    return False


def _turn(raw: Any) -> Turn | None:
    if _has_surrogate(raw):
        return None
    # Only reading a file needs pydantic and the answer model (see saved_turn).
    from assistant.app.saved_turn import read_turn

    read = read_turn(raw)
    if read is None:
        return None
    question, answer, ci_method, level, asked = read
    if not question.strip():
        return None
    return Turn(question, answer, Settings(ci_method, level), asked)


def _parse(path: Path, data: bytes) -> tuple[SavedConversation | None, bool]:
    """(the conversation, damaged); the conversation is None when no turn could be read."""
    text = data.decode("utf-8", errors="surrogateescape")
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        return None, True
    if not isinstance(parsed, dict) or parsed.get("version") != VERSION:
        return None, True
    raw_turns = parsed.get("turns")
    if not isinstance(raw_turns, list):
        return None, True
    turns = [turn for turn in map(_turn, raw_turns) if turn is not None]
    damaged = len(turns) != len(raw_turns)
    try:
        started = datetime.fromisoformat(str(parsed.get("started")))
    except ValueError:
        damaged = True
        started = turns[0].asked if turns else datetime.now()
    if not turns:
        return None, True
    return SavedConversation(path.parent, started, path, turns), damaged


@dataclass
class Loaded:
    """What reading one file gave: the conversation (None if nothing could be read) and,
    for a damaged file, where it was moved."""

    conversation: SavedConversation | None
    set_aside: Path | None = None
    damaged: bool = False


@dataclass
class Listing:
    conversations: list[SavedConversation]  # the one asked in last first
    set_aside: list[Path]  # damaged files moved out of the way while listing
    left_out: int = 0  # older files beyond MAX_LISTED


class ConversationStore:
    """The directory of saved conversations."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def default(cls) -> ConversationStore:
        return cls(data_dir() / CONVERSATIONS_DIR)

    def new(self, now: datetime | None = None) -> SavedConversation:
        """A conversation not yet on disk: its file is made with its first answer."""
        return SavedConversation(self.directory, now or datetime.now())

    def paths(self) -> list[Path]:
        """The conversation files, newest first by name (names carry the start time)."""
        try:
            names = [entry.name for entry in self.directory.iterdir()]
        except OSError:
            return []
        return [
            self.directory / name for name in sorted(names, reverse=True) if _NAME.fullmatch(name)
        ]

    def load(self, path: Path) -> Loaded:
        read = read_regular(path, MAX_FILE_BYTES)
        if read is None:
            return Loaded(None)
        data, too_large = read
        conversation, damaged = (None, True) if too_large else _parse(path, data)
        if not damaged:
            return Loaded(conversation)
        moved = set_aside(path)
        if moved is not None and conversation is not None:
            # The turns that could be read go back under the file's own name: listed and
            # reopened as before, the damaged original kept beside it.
            conversation.save()
        return Loaded(conversation if moved is not None else None, moved, True)

    def list(self) -> Listing:
        paths = self.paths()
        conversations: list[SavedConversation] = []
        moved: list[Path] = []
        for path in paths[:MAX_LISTED]:
            loaded = self.load(path)
            if loaded.set_aside is not None:
                moved.append(loaded.set_aside)
            if loaded.conversation is not None:
                conversations.append(loaded.conversation)
        # The one asked in last first: a reopened and continued conversation comes to the top.
        conversations.sort(key=lambda c: (c.updated, c.started, str(c.path)), reverse=True)
        return Listing(conversations, moved, max(0, len(paths) - MAX_LISTED))

    def delete(self, path: Path) -> bool:
        if path.parent != self.directory or not _NAME.fullmatch(path.name):
            return False  # only ever a conversation file of this directory
        try:
            path.unlink()
        except FileNotFoundError:
            return True
        except OSError:
            return False
        return True


def replay(engine: Engine, turns: list[Turn]) -> Conversation:
    """A conversation of ``engine`` in the state the saved one ended in: its last few
    questions asked again, each with the settings it was asked with, so a follow-up reads
    against them (the answers are not shown: the saved ones are)."""
    conversation = engine.conversation()
    for turn in turns[-REPLAYED_TURNS:]:
        conversation.settings = turn.settings
        conversation.ask(turn.question)
    return conversation
