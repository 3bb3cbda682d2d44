"""Input history: recalled with up/down, kept across runs in the user's data directory.

Plain Python (no Textual) so it is tested on its own. The file is tiny and rewritten whole on
every question, atomically (temp file + ``os.replace``): a crash mid-write never leaves half a
file.

Loading never stops the app and never loses what can be read: anything but a regular file (a
FIFO would block start-up forever, a device never end) is ignored; at most
``MAX_FILE_BYTES`` are read and each entry is cut to ``MAX_ENTRY_CHARS``; a damaged file
(invalid UTF-8, broken JSON, too large) keeps the entries that can still be read, and is moved
aside as ``history.damaged-YYYYMMDD-HHMMSS.json`` before the next write replaces it.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

DATA_DIR_ENV = "STORMCHAT_DATA_DIR"
HISTORY_FILE = "history.json"
DEFAULT_LIMIT = 500
# Same bound as the engine applies to a question: a pasted novel is not worth remembering.
MAX_ENTRY_CHARS = 2000
# DEFAULT_LIMIT entries of MAX_ENTRY_CHARS, each character at most 6 bytes as JSON (\\uXXXX),
# with room to spare: a larger file was not written by stormchat.
MAX_FILE_BYTES = 8 * 1024 * 1024


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
    """The saved entries that can be read; [] for a missing or unusable file."""
    return _read(path)[0]


def read_regular(path: Path, max_bytes: int) -> tuple[bytes, bool] | None:
    """At most ``max_bytes`` of a regular file and whether it was longer; None for a missing
    file, one that cannot be read, or anything but a regular file."""
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None  # a FIFO, a device, a directory: not ours, not read
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data[:max_bytes], len(data) > max_bytes


def _read(path: Path) -> tuple[list[str], bool]:
    """(entries, damaged): ``damaged`` when the file is there but not wholly readable."""
    read = read_regular(path, MAX_FILE_BYTES)
    if read is None:
        return [], False
    data, damaged = read
    # surrogateescape: an invalid byte becomes a lone surrogate in the entry that holds it, so
    # that entry alone is dropped below and the rest are kept.
    text = data.decode("utf-8", errors="surrogateescape")
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        damaged, raw = True, _salvage(text)
    else:
        found = parsed.get("entries") if isinstance(parsed, dict) else None
        if isinstance(found, list):
            raw = found
        else:
            damaged, raw = True, []
    entries = []
    for entry in raw:
        if not isinstance(entry, str) or not entry.strip():
            continue
        if any("\udc80" <= char <= "\udcff" for char in entry):
            damaged = True
            continue
        entries.append(entry.strip()[:MAX_ENTRY_CHARS])
    return entries, damaged


def _salvage(text: str) -> list[Any]:
    """The entries of a broken file up to where it breaks: each element of the ``entries``
    list decoded one at a time."""
    decoder = json.JSONDecoder()
    key = text.find('"entries"')
    start = text.find("[", key) if key >= 0 else -1
    if start < 0:
        return []
    values: list[Any] = []
    position = start + 1
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            return values
        try:
            value, position = decoder.raw_decode(text, position)
        except ValueError:
            return values
        values.append(value)


def set_aside(path: Path, now: datetime | None = None) -> Path | None:
    """Move a damaged file out of the way (so the next write does not destroy it), as
    ``STEM.damaged-YYYYMMDD-HHMMSS.json``; the new name, or None when it could not be moved."""
    now = now or datetime.now()
    stem = f"{path.stem}.damaged-{now:%Y%m%d-%H%M%S}"
    target = path.with_name(f"{stem}{path.suffix}")
    suffix = 2
    while target.exists():
        target = path.with_name(f"{stem}-{suffix}{path.suffix}")
        suffix += 1
    try:
        os.rename(path, target)
    except OSError:
        return None
    return target


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

    def __init__(
        self, path: Path | None = None, limit: int = DEFAULT_LIMIT, entries: list[str] | None = None
    ) -> None:
        self.path = path
        self.limit = limit
        self.entries: list[str] = _dedupe(entries or [])[-limit:]
        self._cursor = len(self.entries)
        self._draft = ""
        # Where a damaged file was moved on load, for the app to say so.
        self.set_aside: Path | None = None

    @classmethod
    def load(cls, path: Path | None = None, limit: int = DEFAULT_LIMIT) -> History:
        path = history_path() if path is None else path
        entries, damaged = _read(path)
        history = cls(path, limit, entries)
        if damaged:
            history.set_aside = set_aside(path)
        return history

    def add(self, entry: str) -> bool:
        """Remember ``entry`` and save; False when saving failed (the entry is still kept for
        this session: a read-only home must not stop the app)."""
        entry = entry.strip()[:MAX_ENTRY_CHARS]
        if entry:
            if entry in self.entries:
                self.entries.remove(entry)
            self.entries.append(entry)
            del self.entries[: -self.limit]
        self.reset()
        return self.save() if entry else True

    def save(self) -> bool:
        if self.path is None:
            return True
        if self.path.exists() and not self.path.is_file():
            return False  # a FIFO or a directory in its place: not replaced, never ours
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
