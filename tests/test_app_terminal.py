"""The chat app as a user runs it: a real process on a pseudo-terminal (or without one).

Pilot tests run the app headless inside pytest; these start ``stormchat`` itself, so what is
checked is what a user sees: the exit status, what is left on the terminal, what is printed
after the app closes. Each run is bounded (a hang fails the test instead of stalling it).
"""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.launch import read_pty, spawn_on_pty

pytest.importorskip("textual")

STORMCHAT = [sys.executable, "-m", "assistant.cli"]
TIMEOUT = 90.0
F1, F3, ESC, CTRL_Q = b"\x1bOP", b"\x1bOR", b"\x1b", b"\x11"
LEAVE_ALT_SCREEN, SHOW_CURSOR = b"\x1b[?1049l", b"\x1b[?25h"


class Terminal:
    """A process on a pseudo-terminal of 100×30 (the bench's, bench/launch.py), and everything
    it wrote."""

    def __init__(self, args: list[str], cwd: Path, term: str = "xterm-256color") -> None:
        environment = {
            **os.environ,
            "STORMCHAT_DATA_DIR": str(cwd / "data"),
            "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        }
        environment.pop("STORMCHAT_DEBUG", None)
        environment.pop("NO_COLOR", None)
        self.process, self.master = spawn_on_pty(args, environment, cwd, (100, 30), term=term)
        self.output = b""

    def read_until(self, needle: bytes, timeout: float = TIMEOUT) -> bool:
        deadline = time.monotonic() + timeout
        while needle not in self.output and time.monotonic() < deadline:
            if not self._read(0.2) and self.process.poll() is not None:
                break
        return needle in self.output

    def _read(self, wait: float) -> bool:
        chunk = read_pty(self.master, wait)
        self.output += chunk
        return bool(chunk)

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def wait(self, timeout: float = TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.2)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"still running after {timeout:g} s; output tail: {self.output[-500:]!r}"
            )
        while self._read(0.05):
            pass
        os.close(self.master)
        return self.process.returncode

    def ready(self) -> None:
        assert self.read_until(b"Ask about STORM"), self.output[-500:]
        time.sleep(0.5)  # past the first frame: keys typed now are read by the app


@pytest.mark.slow
def test_a_level_of_95_01_then_f3_does_not_crash(tmp_path: Path) -> None:
    """Issue 15: 'level-950' was the widget id of both 95 % and 95.01 %: traceback, exit 0."""
    term = Terminal([*STORMCHAT, "--level", "95.01"], tmp_path)
    term.ready()
    term.send(F3)
    assert term.read_until(b"Confidence intervals"), term.output[-800:]
    term.send(ESC)
    time.sleep(0.5)
    term.send(CTRL_Q)
    assert term.wait() == 0
    assert b"Traceback" not in term.output and b"MountError" not in term.output


@pytest.mark.slow
def test_a_crash_of_the_app_is_one_line_and_a_failure(tmp_path: Path) -> None:
    crash = (
        "import sys; from assistant.app import app; "
        "app.StormChatApp.action_help = lambda self: 1 / 0; "
        "from assistant.cli import main; sys.exit(main())"
    )
    term = Terminal([sys.executable, "-c", crash], tmp_path)
    term.ready()
    term.send(F1)
    code = term.wait()
    after = re.sub(
        r"\x1b\[[?0-9;]*[A-Za-z]",
        "",
        term.output.rsplit(LEAVE_ALT_SCREEN, 1)[-1].decode("utf-8", "replace"),
    )
    lines = [line for line in after.splitlines() if line.strip()]
    assert code == 4  # internal error (README: exit codes), not verify's 1 or a usage 2
    assert b"Traceback" not in term.output
    assert len(lines) == 1 and lines[0].startswith(
        "stormchat: internal error (ZeroDivisionError"
    ), lines


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "signum"),
    [
        ([], signal.SIGTERM),
        ([], signal.SIGHUP),
        ([], signal.SIGUSR1),  # default: die on the spot, the terminal left as it was
        (["demo"], signal.SIGTERM),
    ],
)
@pytest.mark.usefixtures("signals_default")
def test_a_signal_restores_the_terminal(tmp_path: Path, command: list[str], signum: int) -> None:
    term = Terminal([*STORMCHAT, *command], tmp_path)
    term.ready()
    before = len(term.output)
    term.process.send_signal(signum)
    code = term.wait()
    restored = term.output[before:]
    assert LEAVE_ALT_SCREEN in restored and SHOW_CURSOR in restored
    assert code == 128 + signum


def _without_terminal(args: list[str], tmp_path: Path, **streams: object) -> tuple[int, str]:
    env = {**os.environ, "STORMCHAT_DATA_DIR": str(tmp_path / "data")}
    env.pop("STORMCHAT_DEBUG", None)
    done = subprocess.run(
        [*STORMCHAT, *args],
        capture_output=not streams,
        timeout=60,
        cwd=tmp_path,
        env=env,
        text=True,
        **streams,
    )  # type: ignore[call-overload]
    return done.returncode, done.stderr or ""


@pytest.mark.slow
@pytest.mark.parametrize("args", [[], ["demo"]])
def test_without_a_terminal_the_app_refuses_in_one_line(tmp_path: Path, args: list[str]) -> None:
    """`setsid stormchat </dev/null >out` ran the app at 100 % CPU forever."""
    code, stderr = _without_terminal(args, tmp_path)
    assert code == 2
    assert len(stderr.splitlines()) == 1 and "needs a terminal" in stderr


@pytest.mark.slow
@pytest.mark.parametrize("args", [[], ["demo"]])
def test_term_dumb_is_refused(tmp_path: Path, args: list[str]) -> None:
    term = Terminal([*STORMCHAT, *args], tmp_path, term="dumb")
    code = term.wait(60)
    assert code == 2 and b"TERM=dumb" in term.output


@pytest.mark.slow
def test_demo_with_stderr_not_a_terminal_is_refused(tmp_path: Path) -> None:
    """The app draws on stderr: with stderr redirected it would draw into the file."""
    master, slave = pty.openpty()
    try:
        code, stderr = _without_terminal(
            ["demo"], tmp_path, stdin=slave, stderr=subprocess.PIPE, stdout=slave
        )
    finally:
        os.close(master)
        os.close(slave)
    assert code == 2 and "standard error is not a terminal" in stderr
