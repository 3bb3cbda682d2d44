"""Batch mode: questions from a file or stdin, one answer each, streamed as they are computed.

Input rules (DESIGN.md): every line is a question; consecutive lines are one conversation, so a
follow-up refers back; a blank line starts a new conversation; a line starting with ``#`` is a
comment and does not break the conversation.

The input is read line by line and each answer is written and flushed before the next line is
read, so memory stays flat however long the file, a reader of a pipe sees answers as they come,
and an interrupted run has printed only whole answers. No Textual here: batch runs headless.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, Protocol

from assistant import interrupts
from assistant.answer import Answer, Status
from assistant.neutral import neutralise
from assistant.output import Formatter

# A question is answered on a bounded prefix (the engine looks at 2,000 characters); reading
# more of a line than this only costs memory. 64 KiB still holds 2,000 characters of any
# script, so the engine can tell the question was cut.
MAX_LINE_BYTES = 64 * 1024
# How much of the input is inspected to tell a binary file from a text file.
SNIFF_BYTES = 8192
# Fewer lines than this finish before a progress bar is worth drawing.
PROGRESS_MIN_LINES = 20
_BOM = b"\xef\xbb\xbf"


class InputError(Exception):
    """The input cannot be used (missing, a directory, unreadable, binary): exit 2."""


class ConversationLike(Protocol):
    def ask(self, question: str) -> Answer: ...


class EngineLike(Protocol):
    def conversation(self) -> ConversationLike: ...


@dataclass(frozen=True)
class Question:
    """One question line. ``error`` is set when the line could not be read as a question; it
    is then answered with the error instead of being asked."""

    line: int
    text: str
    error: str | None = None


@dataclass(frozen=True)
class Break:
    """A blank line: the next question starts a new conversation."""

    line: int


# ---------------------------------------------------------------------------------- input


@dataclass
class Source:
    """An open input: the stream, its name for messages, and its size in lines when that can be
    known before reading it (a regular file), for the progress bar."""

    stream: BinaryIO
    name: str
    path: Path | None = None
    owned: bool = True

    def count_lines(self) -> int | None:
        """Lines in a regular file, counted in a separate streaming pass (milliseconds for
        100,000 lines); ``None`` for stdin or a pipe, which can be read only once."""
        if self.path is None:
            return None
        try:
            with open(self.path, "rb") as handle:
                lines, last = 0, b"\n"
                while chunk := handle.read(1 << 20):
                    # \n, and a lone \r (see read_lines); a \r\n cut by a chunk boundary
                    # may count twice, which only moves the bar a line.
                    lines += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
                    last = chunk[-1:]
        except OSError:
            return None
        return lines + (last not in (b"\n", b"\r"))

    def close(self) -> None:
        if self.owned:
            self.stream.close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_input(name: str) -> Source:
    """Open FILE, or stdin for ``-``, and refuse what is clearly not a file of questions.

    Raises ``InputError`` with a message fit for one line on stderr."""
    if name == "-":
        if sys.stdin is None:  # started with stdin closed (`<&-`)
            raise InputError("standard input is closed; give a file of questions instead")
        stream: BinaryIO = getattr(sys.stdin, "buffer", None) or sys.stdin  # type: ignore[assignment]
        source = Source(_peekable(stream), "standard input", owned=False)
    else:
        path = Path(name)
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed by Source
        except FileNotFoundError:
            raise InputError(f"{name}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{name}: is a directory, not a file of questions") from None
        except PermissionError:
            raise InputError(f"{name}: permission denied") from None
        except OSError as error:
            raise InputError(f"{name}: cannot open ({error.strerror or error})") from None
        try:
            regular = stat.S_ISREG(os.fstat(handle.fileno()).st_mode)
        except OSError:
            regular = False
        source = Source(_peekable(handle), name, path if regular else None)
    try:
        _check_text(source)
    except BaseException:
        source.close()
        raise
    return source


def _peekable(stream: BinaryIO) -> BinaryIO:
    # peek() shows the first block without consuming it, which a pipe cannot rewind.
    if hasattr(stream, "peek"):
        return stream
    return io.BufferedReader(stream)  # type: ignore[type-var]


def _check_text(source: Source) -> None:
    try:
        head = source.stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]  # type: ignore[attr-defined]
    except OSError as error:
        raise InputError(f"{source.name}: cannot read ({error.strerror or error})") from None
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{source.name}: UTF-16 text; save it as UTF-8 and try again")
    if b"\0" in head:
        # A text file never holds NUL; answering every line of an image or a zip as "not
        # understood" would help nobody.
        raise InputError(f"{source.name}: not a text file (it contains NUL bytes)")


# A line ends in \n, \r\n or a lone \r (old Mac files, some exports): all three, as
# universal newlines have it, so a file of CR-ended questions is not one long question.
_LINE_END = re.compile(rb"\r\n|\n|\r")


def read_lines(stream: BinaryIO, name: str = "input") -> Iterator[bytes]:
    """The raw lines, each with its line end and at most ``MAX_LINE_BYTES`` (the rest of a
    longer line is read and dropped), so a 10 MB line never sits in memory whole. A line
    ends at \n, \r\n or a lone \r. ``readline`` returns as soon as a \n has arrived, so
    questions piped in one by one are answered one by one."""
    pending = b""  # the start of a line whose end has not been read yet
    dropping = False  # inside a line longer than the bound: discard up to its end
    while chunk := _read(stream, name):
        data = pending + chunk
        start = 0
        for match in _LINE_END.finditer(data):
            if match.group() == b"\r" and match.end() == len(data):
                break  # perhaps the first half of \r\n: decided with the next chunk
            line, start = data[start : match.end()], match.end()
            if dropping:
                dropping = False
            else:
                yield _bounded(line)
        pending = data[start:]
        if len(pending) >= MAX_LINE_BYTES:
            if not dropping:
                yield _bounded(pending)
            dropping = True
            pending = pending[-1:] if pending.endswith(b"\r") else b""
    if pending and not dropping:
        yield _bounded(pending)


def _bounded(line: bytes) -> bytes:
    if len(line) <= MAX_LINE_BYTES:
        return line
    return _trim_partial_utf8(line[:MAX_LINE_BYTES])


def _read(stream: BinaryIO, name: str) -> bytes:
    try:
        return stream.readline(MAX_LINE_BYTES)
    except OSError as error:
        raise InputError(f"{name}: cannot read ({error.strerror or error})") from None


def _trim_partial_utf8(data: bytes) -> bytes:
    """``data`` without a multi-byte character cut in half at its end, so cutting a long line
    does not turn a valid UTF-8 line into an invalid one."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte & 0xC0 != 0x80:  # a lead byte or ASCII: where the last character starts
            width = 1 if byte < 0xC0 else 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data if width <= back else data[:-back]
    return data


def parse_lines(lines: Iterable[bytes]) -> Iterator[Question | Break]:
    """Questions and conversation breaks, following the batch input rules. Each line is
    decoded on its own, so one bad line costs one answer, not the run."""
    for number, raw in enumerate(lines, 1):
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]  # Windows editors start UTF-8 files with a BOM
        raw = raw.rstrip(b"\n").rstrip(b"\r")  # \n, \r\n and \r line ends
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            reason = (
                f"Line {number} is not valid UTF-8 text (byte 0x{raw[error.start]:02x} "
                f"at position {error.start + 1}), so it was not asked. Save the file as "
                f"UTF-8 and ask again."
            )
            yield Question(number, raw.decode("utf-8", errors="replace").strip(), reason)
            continue
        stripped = text.strip()
        if not stripped:
            yield Break(number)
        elif not stripped.startswith("#"):
            yield Question(number, stripped)


# ---------------------------------------------------------------------------------- output


class Sink:
    """Where answers go. Each chunk is encoded as UTF-8 (batch output is data: it must not
    depend on the locale), written in one call and flushed.

    Used as a context manager, it turns terminating signals into ``Interrupted`` and holds
    back one that arrives during a write until the write is complete, so an interrupted run
    has printed only whole answers — unless the write stays blocked (a full pipe nobody
    reads), which is then abandoned so that a kill still ends the run (``interrupts``)."""

    def __init__(self, stream: IO[bytes] | IO[str]) -> None:
        self.stream = stream
        self._text = isinstance(stream, io.TextIOBase)
        self._signals = contextlib.ExitStack()

    def __enter__(self) -> Sink:
        self._signals.enter_context(interrupts.interruptible())
        return self

    def __exit__(self, *exc: object) -> None:
        self._signals.close()

    def write(self, chunk: str) -> None:
        if not chunk:
            return
        data: str | bytes = chunk if self._text else chunk.encode("utf-8", "backslashreplace")
        try:
            with interrupts.holding():
                self.stream.write(data)  # type: ignore[arg-type]
                self.stream.flush()
        except interrupts.Interrupted as stop:
            if stop.cut_write:
                _discard(self.stream)
            raise


def _discard(stream: IO[bytes] | IO[str]) -> None:
    """After a write was abandoned, what the stream still buffers must not block the exit
    again: its file descriptor goes to /dev/null, so the final flush drops it."""
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


def stdout_sink() -> Sink:
    """A sink on stdout's bytes, after flushing anything already written through its text
    layer so nothing comes out of order."""
    if sys.stdout is None:  # started with stdout closed (`>&-`)
        raise OSError(errno.EBADF, os.strerror(errno.EBADF), "stdout")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    return Sink(buffer if buffer is not None else sys.stdout)


class Progress:
    """A progress bar on stderr (a line counter when the total is unknown), redrawn at most
    ten times a second so it never slows the run."""

    def __init__(self, stream: IO[str], total: int | None, width: int = 30) -> None:
        self.stream, self.total, self.width = stream, total, width
        self._last = 0.0

    def update(self, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < 0.1:
            return
        self._last = now
        if self.total:
            share = min(done / self.total, 1.0)
            filled = int(share * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            line = f"[{bar}] {done}/{self.total} lines {share:4.0%}"
        else:
            line = f"{done} lines read"
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        # Leave the terminal line clean: the bar was only ever a status, not output.
        with contextlib.suppress(OSError, ValueError):
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def make_progress(source: Source, to_stdout: bool) -> Progress | None:
    """A progress display only for a person watching stderr, and only where it cannot get in
    the way: not when the answers themselves are scrolling on the same terminal, not when
    stdin is being typed, not for a handful of lines."""
    if not _isatty(sys.stderr) or (to_stdout and _isatty(sys.stdout)):
        return None
    if source.path is None:
        return None if _isatty(sys.stdin) else Progress(sys.stderr, None)
    total = source.count_lines()
    if total is None or total <= PROGRESS_MIN_LINES:
        return None
    return Progress(sys.stderr, total)


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


# ---------------------------------------------------------------------------------- running


def error_answer(question: str, text: str, status: Status = "unknown") -> Answer:
    """An answer for a question that could not be asked at all: ``unknown`` for a line that
    cannot be read as a question, ``error`` for a failure of stormchat itself."""
    return Answer(question=question, status=status, intent=None, text=text)


def safe_ask(conversation: ConversationLike, question: str, warn: IO[str] | None = None) -> Answer:
    """The engine's answer; if the engine fails on this one question, an ``error`` answer
    saying so (and one line on stderr), so one bad question does not cost the rest of a
    batch or show a traceback, and a reader of the JSON can tell a bug from "not
    understood"."""
    try:
        return conversation.ask(question)
    except Exception as error:  # noqa: BLE001 - any engine failure becomes an answer
        detail = f"{type(error).__name__}: {error}".strip().splitlines()[0][:200]
        if warn is not None:
            # The message may quote store or question text: neutralised like all output.
            warn.write(
                f"stormchat: internal error on {question[:60]!r}: {neutralise(detail, keep='')}\n"
            )
            warn.flush()
        return error_answer(
            question,
            f"Sorry, this question could not be answered because of an internal error ({detail}).",
            status="error",
        )


def run_batch(
    items: Iterable[Question | Break],
    engine: EngineLike,
    formatter: Formatter,
    sink: Sink,
    progress: Progress | None = None,
) -> int:
    """Answer every question in order, writing each answer as soon as it is computed.
    Returns the number of answers written."""
    conversation: ConversationLike | None = None
    answered = 0
    try:
        with sink:
            sink.write(formatter.header())
            for item in items:
                if isinstance(item, Break):
                    conversation = None
                else:
                    if item.error is not None:
                        answer = error_answer(item.text, item.error)
                    else:
                        if conversation is None:
                            conversation = engine.conversation()
                        answer = safe_ask(conversation, item.text, warn=sys.stderr)
                    sink.write(formatter.format(answer))
                    answered += 1
                if progress is not None:
                    progress.update(item.line)
            sink.write(formatter.footer())
    finally:
        if progress is not None:
            progress.close()
    return answered
