"""The terminal driver of the chat app and the demo: Textual's own (Linux and macOS), except
that a quit does not wait for its input thread.

Textual's ``LinuxDriver.disable_input`` joins the thread that reads the keys, which looks for
its stop signal only every 0.1 s and then sleeps 0.1 s more (a ``select`` on no files): up to
0.2 s of every ctrl+q, most of the app's quit. Once the app is ending, that thread is told to
stop and not waited for: the terminal is restored as before, and the process ends right after
(``run_until_exit``), which ends the thread too. Suspending (ctrl+z) still waits, as it must:
the thread would otherwise read the shell's keys.
"""

from __future__ import annotations

import contextlib
import signal

from textual.drivers.linux_driver import LinuxDriver


class PromptQuitDriver(LinuxDriver):
    ending = False  # set by the app's exit()

    def disable_input(self) -> None:
        if not self.ending:
            super().disable_input()
            return
        if self.exit_event.is_set():
            return
        with contextlib.suppress(Exception):  # as Textual's: a terminal gone is no error
            signal.signal(signal.SIGWINCH, signal.SIG_DFL)
            self._disable_mouse_support()
        self.exit_event.set()  # the input thread stops at its next wake-up
