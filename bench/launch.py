"""Launch → input usable, and quit, of a full-screen app on a pseudo-terminal (issue 13.8).

The app is started as a user starts it, in a terminal (a pty of 80×24 here, TERM=xterm-256color),
and measured from outside: a probe character is typed every few milliseconds from the moment
the process starts, and the input is usable when the app first draws it (before that the keys
are lost or wait in the terminal). Then ctrl+q is sent, and quit is the time until the process
has exited. A minimal Textual app (an Input and nothing else) measured the same way is the
floor: what Textual itself costs on this machine.

Standard library only, like the rest of the bench's plumbing.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# A character nothing else on the screen shows (nor any escape sequence), so seeing it means
# the input took the key.
PROBE = "`"
PROBE_EVERY = 0.05  # seconds between probe keys (each one costs the app a redraw)
CTRL_Q = "\x11"
ESCAPE = b"\x1b"  # the chat input's "clear"
KEY_EVERY = 0.05  # seconds between the keys of the question
TIMEOUT = 30.0

MINIMAL_APP = """\
from textual.app import App
from textual.widgets import Input


class Minimal(App[None]):
    def compose(self):
        yield Input(placeholder="type")


Minimal().run()
"""


@dataclass(frozen=True)
class Launch:
    usable_s: float  # process started -> a typed key shows in the input
    quit_s: float  # ctrl+q sent -> the process has exited
    answered_s: float | None  # Enter on the first question -> its answer drawn


def spawn_on_pty(
    argv: Sequence[str],
    env: dict[str, str],
    cwd: Path,
    size: tuple[int, int] = (80, 24),
    *,
    term: str = "xterm-256color",
    echo: bool = True,
) -> tuple[subprocess.Popen[bytes], int]:
    """Start ``argv`` as a user starts it in a terminal window: a new pseudo-terminal of
    ``size`` (columns, rows) is its stdin, stdout and stderr and, in a session of its own, its
    controlling terminal; TERM, COLUMNS and LINES say so. Returns the process and the
    terminal's master end, which the caller reads, writes and closes. The bench and
    tests/test_app_terminal.py both start the app this way."""
    master, slave = pty.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    if not echo:
        attrs = termios.tcgetattr(slave)
        attrs[3] &= ~termios.ECHO
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
    env = {**env, "TERM": term, "COLUMNS": str(columns), "LINES": str(rows)}
    try:
        process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
    except BaseException:
        os.close(master)
        raise
    finally:
        os.close(slave)
    return process, master


def read_pty(master: int, timeout: float) -> bytes:
    """What the program wrote to its terminal within ``timeout`` seconds; b"" for nothing,
    or once it has closed the terminal."""
    ready, _, _ = select.select([master], [], [], timeout)
    if not ready:
        return b""
    try:
        return os.read(master, 65536)
    except OSError:  # the child closed the terminal
        return b""


def _drain(master: int, quiet: float) -> None:
    """Read until the app has drawn nothing for ``quiet`` seconds."""
    while read_pty(master, quiet):
        pass


def measure(
    argv: Sequence[str],
    env: dict[str, str],
    cwd: Path,
    size: tuple[int, int] = (80, 24),
    question: str | None = None,
    answer_mark: str | None = None,
) -> Launch:
    """Start ``argv`` on a pty; time launch → input usable and ctrl+q → exit. With
    ``question``, it is typed once the input is usable and ``answered_s`` is from its Enter
    to ``answer_mark`` first drawn."""
    start = time.perf_counter()
    # No echo from the terminal itself: only the app can draw the probe.
    proc, master = spawn_on_pty(argv, env, cwd, size, echo=False)
    seen = b""
    probe = PROBE.encode()
    usable = answered = None
    try:
        while usable is None:
            if time.perf_counter() - start > TIMEOUT or proc.poll() is not None:
                raise SystemExit(f"bench: {' '.join(argv)} never showed a typed key")
            os.write(master, probe)
            seen += read_pty(master, PROBE_EVERY)
            if probe in seen:
                usable = time.perf_counter() - start
        if question is not None and answer_mark is not None:
            # Let the probes typed before the app read them arrive, clear the input (Esc),
            # then ask at a fast typist's pace: keys much faster than that arrive together,
            # and a burst read at once is not typing.
            _drain(master, 0.3)
            os.write(master, ESCAPE)
            _drain(master, 0.3)
            for key in question:
                os.write(master, key.encode())
                read_pty(master, KEY_EVERY)
            mark, seen = answer_mark.encode(), b""
            asked = time.perf_counter()
            os.write(master, b"\r")
            while answered is None:
                if time.perf_counter() - asked > TIMEOUT:
                    raise SystemExit(f"bench: no answer to {question!r} within {TIMEOUT:g} s")
                seen += read_pty(master, 0.005)
                if mark in seen:
                    answered = time.perf_counter() - asked
        quit_sent = time.perf_counter()
        os.write(master, CTRL_Q.encode())
        while proc.poll() is None:
            if time.perf_counter() - quit_sent > TIMEOUT:
                raise SystemExit(f"bench: {' '.join(argv)} did not quit on ctrl+q")
            read_pty(master, 0.002)  # keep draining, so the app never blocks on a full terminal
        quit_s = time.perf_counter() - quit_sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return Launch(usable, quit_s, answered)


def minimal_app(directory: Path) -> list[str]:
    """The floor's command line: a Textual app with one Input, written to ``directory``."""
    script = directory / "minimal_textual_app.py"
    script.write_text(MINIMAL_APP, encoding="utf-8")
    return [sys.executable, str(script)]
