"""Prepared language data kept between runs, so a cold start does not read YAML and JSON again.

Reading the spec (YAML, validated), decoding the model's weights and building the lexicon's
trie cost more than the rest of a cold ``stormchat ask``. Each is built once and stored as a
pickle in the cache directory (``$STORMCHAT_CACHE_DIR``, else ``$XDG_CACHE_HOME/stormchat``,
else ``~/.cache/stormchat``), under a key made from everything the result depends on: the
Python, pydantic and numpy versions, and the path, size and modification time of every input
file and of the language layer's own modules (the rule Python uses for its byte-code). A
change to any of them is another key, so the artefact is rebuilt, never stale; a file that
cannot be read or unpickled is rebuilt too, and a cache directory that cannot be written only
means building every time. Files are written to a temporary name and moved into place, so
processes running at once never read half a file.
"""

from __future__ import annotations

import gc
import hashlib
import mmap
import os
import pickle
import struct
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar, cast

CACHE_DIR_ENV = "STORMCHAT_CACHE_DIR"
_HERE = Path(__file__).resolve().parent
# Bumped when what is stored changes shape in a way the sources' times would not show.
_FORMAT = "1"

T = TypeVar("T")


def cache_dir() -> Path:
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stormchat"


def _versions() -> str:
    import numpy
    import pydantic

    return f"{sys.version}|{pydantic.VERSION}|{numpy.__version__}|{pickle.HIGHEST_PROTOCOL}"


def key(inputs: Iterable[Path]) -> str:
    """A digest of the versions and of every input's path, size and modification time (the
    language layer's modules are always inputs)."""
    digest = hashlib.sha256(f"{_FORMAT}|{_versions()}".encode())
    for path in sorted({*(Path(p).absolute() for p in inputs), *_HERE.glob("*.py")}):
        try:
            stat = path.stat()
            digest.update(f"|{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        except OSError:
            digest.update(f"|{path}|missing".encode())
    return digest.hexdigest()[:32]


@contextmanager
def collector_paused() -> Iterator[None]:
    """No garbage collection while a structure of many small objects is made: each
    collection would traverse everything alive (the libraries, the model's names) and find
    nothing to free, several times over."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def cached(name: str, inputs: Iterable[Path], build: Callable[[], T]) -> T:
    """``build()``'s result, read from the cache when its inputs have not changed since it
    was stored; otherwise built and stored."""
    # Named by where this package is too: two checkouts side by side keep their own.
    where = hashlib.sha256(str(_HERE).encode()).hexdigest()[:8]
    path = cache_dir() / f"{name}-{where}-{key(inputs)}.pickle"
    try:
        with collector_paused():
            return cast(T, _read(path))
    except Exception:  # noqa: BLE001 - missing, truncated, from other code: build it again
        pass
    with collector_paused():
        value = build()
    _store(path, f"{name}-{where}", value)
    return value


# The file: this mark, the number of chunks, each chunk's start and end, then the chunks: the
# pickle, and the large arrays it refers to (numpy's out-of-band buffers, pickle protocol 5),
# each at a multiple of 64 bytes, so that they are mapped from the file rather than copied: a
# run reads only the rows of the model's weights it uses.
_MAGIC = b"STORMCA1"
_ALIGN = 64


def _read(path: Path) -> object:
    with path.open("rb") as fh:
        mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    if bytes(view[:8]) != _MAGIC:
        raise ValueError("not an artefact")
    (count,) = struct.unpack_from("<Q", view, 8)
    ends = struct.unpack_from(f"<{2 * count}Q", view, 16)
    chunks = [view[ends[i] : ends[i + 1]] for i in range(0, 2 * count, 2)]
    return pickle.loads(chunks[0], buffers=chunks[1:])  # noqa: S301 - our own file


def _store(path: Path, name: str, value: object) -> None:
    try:
        buffers: list[pickle.PickleBuffer] = []
        body = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
        chunks: list[bytes | memoryview] = [body, *(b.raw() for b in buffers)]
        at, spans = 16 + 16 * len(chunks), []
        for chunk in chunks:
            at += -at % _ALIGN
            spans += [at, at + len(chunk)]
            at += len(chunk)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(_MAGIC + struct.pack(f"<Q{len(spans)}Q", len(chunks), *spans))
            for start, chunk in zip(spans[::2], chunks, strict=True):
                fh.write(b"\0" * (start - fh.tell()))
                fh.write(chunk)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, ValueError):
        return  # a read-only or full disk: the next run builds again
    for old in path.parent.glob(f"{name}-*.pickle"):  # earlier versions of the same artefact
        if old != path:
            try:
                old.unlink()
            except OSError:
                pass
