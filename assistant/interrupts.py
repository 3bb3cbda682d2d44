"""Terminating signals as an exception, so that clean-up code runs before the process ends.

By default SIGTERM, SIGHUP, SIGUSR1 and SIGUSR2 end Python on the spot: no ``finally``, no
``except``, so a temporary file of ``-o`` would stay behind. Inside ``interruptible()`` each of
them, and Ctrl-C, raises ``Interrupted`` in the main thread instead; the CLI reports it in one
line and exits 128 + the signal, as a shell does.

A writer that must not be cut in the middle of a chunk (batch prints whole answers) wraps the
write in ``holding()``: a signal that arrives during it is raised when the write is done. A
write still blocked after ``GRACE_SECONDS`` (a reader that stopped reading a full pipe) is
abandoned instead, by raising into it: a kill must end the process, whole answer or not.

Signals are process-wide, so this is one module-level state; ``interruptible()`` nests, and a
signal that the caller chose to handle (``SIG_IGN`` under ``nohup``, a handler of its own) is
left alone.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

# The signals whose default ends the process at once, leaving no chance to clean up.
TERMINATING: tuple[signal.Signals, ...] = (
    signal.SIGTERM,  # kill, a shutdown
    signal.SIGHUP,  # the terminal closed
    signal.SIGUSR1,
    signal.SIGUSR2,
)
_Handler = Callable[[int, FrameType | None], object] | int | signal.Handlers | None
# Each signal caught, with the disposition it has when nobody handles it.
CAUGHT: tuple[tuple[signal.Signals, _Handler], ...] = (
    (signal.SIGINT, signal.default_int_handler),  # Ctrl-C
    *((signum, signal.SIG_DFL) for signum in TERMINATING),
)
# A write to a reader that is reading takes microseconds; one blocked this long is not coming
# back on its own.
GRACE_SECONDS = 1.0


class Interrupted(KeyboardInterrupt):
    """The run was stopped by a signal. ``cut_write`` is true when a blocked write was
    abandoned: the stream then holds part of a chunk and should not be written again."""

    def __init__(self, signum: int, cut_write: bool = False) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.cut_write = cut_write


class _State:
    def __init__(self) -> None:
        self.depth = 0
        self.previous: dict[int, _Handler] = {}
        self.holding = False
        self.pending: int | None = None  # a signal held back during a write
        self.kicked = False  # our own signal, sent to end a blocked write
        self.closing = False
        self.late: int | None = None  # a signal that came while the handlers were restored
        self.timer: threading.Timer | None = None


_state = _State()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    state = _state
    if state.kicked:
        state.kicked = False
        if state.holding and state.pending is not None:
            raise Interrupted(state.pending, cut_write=True)
        return  # the write ended before the kick arrived: nothing to abandon
    if state.closing:
        state.late = state.late or signum
        return
    if not state.holding:
        raise Interrupted(signum)
    if state.pending is None:
        state.pending = signum
        state.timer = threading.Timer(GRACE_SECONDS, _kick, (signum,))
        state.timer.daemon = True
        state.timer.start()


def _kick(signum: int) -> None:
    """From the timer thread: interrupt the main thread's blocked write with the signal."""
    if _state.holding and _state.pending is not None:
        _state.kicked = True
        main = threading.main_thread().ident
        if main is not None:
            signal.pthread_kill(main, signum)


@contextmanager
def interruptible() -> Iterator[None]:
    """While inside, the signals of ``CAUGHT`` raise ``Interrupted`` (main thread only)."""
    state = _state
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if state.depth == 0:
        state.closing, state.late = False, None
        for signum, default in CAUGHT:
            if signal.getsignal(signum) is default:
                state.previous[signum] = signal.signal(signum, _on_signal)
    state.depth += 1
    failed = False
    try:
        yield
    except BaseException:
        failed = True
        raise
    finally:
        state.depth -= 1
        if state.depth == 0:
            state.closing = True  # a signal now is noted, not raised half-way through this
            for caught, handler in state.previous.items():
                signal.signal(caught, handler)
            state.previous.clear()
            state.closing = False
    if state.depth == 0 and state.late is not None and not failed:
        late, state.late = state.late, None
        raise Interrupted(late)


@contextmanager
def holding() -> Iterator[None]:
    """A signal that arrives inside is raised on the way out (see the module's docstring)."""
    state = _state
    if (
        state.depth == 0
        or state.holding
        or threading.current_thread() is not (threading.main_thread())
    ):
        yield
        return
    state.holding = True
    try:
        yield
    finally:
        state.holding = False
        pending, state.pending = state.pending, None
        if state.timer is not None:
            state.timer.cancel()
            state.timer = None
    if pending is not None:
        raise Interrupted(pending)


def message(error: KeyboardInterrupt) -> tuple[str, int]:
    """The one line and the exit code for an interruption: 130 for Ctrl-C, 128 + the signal."""
    signum = error.signum if isinstance(error, Interrupted) else signal.SIGINT
    if signum == signal.SIGINT:
        return "interrupted", 128 + signum
    return f"interrupted by {signal.Signals(signum).name}", 128 + signum
