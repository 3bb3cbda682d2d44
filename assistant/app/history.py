"""Input history: recalled with up/down, kept across runs in the user's data directory.

Plain Python (no Textual) so it is tested on its own. The file is tiny and rewritten whole on
every question, atomically (temp file + ``os.replace``): a crash mid-write never leaves half a
file. A file that cannot be read or parsed is treated as empty, never as an error.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

DATA_DIR_ENV = "STORMCHAT_DATA_DIR"
HISTORY_FILE = "history.json"
DEFAULT_LIMIT = 500
# Same bound as the engine applies to a question: a pasted novel is not worth remembering.
MAX_ENTRY_CHARS = 2000


def data_dir() -> Path:
    """Where stormchat keeps its state; ``$STORMCHAT_DATA_DIR`` wins so tests and sandboxes
    never touch the real home directory."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("stormchat", appauthor=False))


def history_path() -> Path:
    return data_dir() / HISTORY_FILE


def read_entries(path: Path) -> list[str]:
    """The saved entries, or [] for a missing, unreadable or malformed file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return []
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, str) and entry.strip()]


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temp file in the same directory, so readers see
    the old file or the new one, never a torn one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class History:
    """Entries oldest first, deduplicated (a repeat moves to the end), at most ``limit``.

    Navigation keeps a cursor: ``len(entries)`` means "the line being typed", which is saved
    on the first step back so stepping forward past the newest entry restores it.
    """

    def __init__(self, path: Path | None = None, limit: int = DEFAULT_LIMIT,
                 entries: list[str] | None = None) -> None:
        self.path = path
        self.limit = limit
        self.entries: list[str] = _dedupe(entries or [])[-limit:]
        self._cursor = len(self.entries)
        self._draft = ""

    @classmethod
    def load(cls, path: Path | None = None, limit: int = DEFAULT_LIMIT) -> History:
        path = history_path() if path is None else path
        return cls(path, limit, read_entries(path))

    def add(self, entry: str) -> bool:
        """Remember ``entry`` and save; False when saving failed (the entry is still kept for
        this session: a read-only home must not stop the app)."""
        entry = entry.strip()[:MAX_ENTRY_CHARS]
        if entry:
            if entry in self.entries:
                self.entries.remove(entry)
            self.entries.append(entry)
            del self.entries[:-self.limit]
        self.reset()
        return self.save() if entry else True

    def save(self) -> bool:
        if self.path is None:
            return True
        payload = json.dumps({"version": 1, "entries": self.entries}, ensure_ascii=False)
        try:
            write_atomic(self.path, payload + "\n")
        except OSError:
            return False
        return True

    def reset(self) -> None:
        self._cursor = len(self.entries)
        self._draft = ""

    def previous(self, current: str) -> str | None:
        """The entry before the cursor, or None at the oldest."""
        if self._cursor == len(self.entries):
            self._draft = current
        if self._cursor == 0:
            return None
        self._cursor -= 1
        return self.entries[self._cursor]

    def next(self) -> str | None:
        """The entry after the cursor, the saved draft past the newest, None when not
        navigating."""
        if self._cursor >= len(self.entries):
            return None
        self._cursor += 1
        if self._cursor == len(self.entries):
            return self._draft
        return self.entries[self._cursor]


def _dedupe(entries: list[str]) -> list[str]:
    """Keep the last occurrence of each entry, in order."""
    seen: set[str] = set()
    kept: list[str] = []
    for entry in reversed(entries):
        if entry not in seen:
            seen.add(entry)
            kept.append(entry)
    return kept[::-1]
