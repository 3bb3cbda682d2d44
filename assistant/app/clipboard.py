"""Copy text to the clipboard, and say truthfully where it went.

Plain Python (no Textual). The platform's own tool is tried first, because it either copies or
fails visibly: ``wl-copy`` (Wayland), ``xclip`` / ``xsel`` (X11), ``pbcopy`` (macOS),
``clip.exe`` (Windows, WSL). Inside tmux, ``tmux load-buffer -w -`` puts the text in tmux's
paste buffer (and, where tmux allows, the outer clipboard). Only when none of these worked does
the app fall back to OSC 52, an escape sequence asking the terminal to copy, which many
terminals (and tmux by default) silently ignore: the app then says so rather than claiming a
copy that may not have happened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass

# A tool that has not finished by then is stuck (a dead X display): give up on it.
TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class Tool:
    name: str
    argv: tuple[str, ...]
    needs: str | None = None  # an environment variable that must be set for it to work
    where: str = "the clipboard"


TOOLS: tuple[Tool, ...] = (
    Tool("wl-copy", ("wl-copy",), needs="WAYLAND_DISPLAY"),
    Tool("xclip", ("xclip", "-selection", "clipboard"), needs="DISPLAY"),
    Tool("xsel", ("xsel", "--clipboard", "--input"), needs="DISPLAY"),
    Tool("pbcopy", ("pbcopy",)),
    Tool("clip.exe", ("clip.exe",)),
    Tool("tmux", ("tmux", "load-buffer", "-w", "-"), needs="TMUX", where="the tmux paste buffer"),
    # tmux before 3.2 has no -w: the paste buffer only.
    Tool("tmux", ("tmux", "load-buffer", "-"), needs="TMUX", where="the tmux paste buffer"),
)
TOOL_NAMES = ", ".join(tool.name for tool in TOOLS if tool.name != "tmux")


@dataclass(frozen=True)
class Copied:
    """Where the text went: ``tool`` is None when no tool worked (OSC 52 is all that is
    left), with the reasons the tools gave."""

    tool: str | None
    where: str = ""
    failures: tuple[str, ...] = ()


def copy_with_tool(text: str, env: Mapping[str, str] | None = None) -> Copied:
    """Try each platform tool in turn; the first that exits 0 has the text."""
    env = os.environ if env is None else env
    failures: list[str] = []
    data = text.encode("utf-8")
    for tool in TOOLS:
        if tool.needs and not env.get(tool.needs):
            continue
        path = shutil.which(tool.argv[0], path=env.get("PATH"))
        if path is None:
            continue
        try:
            # stdout/stderr to /dev/null: xclip stays behind to serve the selection, and a
            # pipe held open by it would make run() wait for it.
            done = subprocess.run(
                [path, *tool.argv[1:]],
                input=data,
                timeout=TIMEOUT_SECONDS,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=dict(env),
                check=False,
            )
        except (OSError, subprocess.SubprocessError) as error:
            failures.append(f"{tool.name}: {type(error).__name__}")
            continue
        if done.returncode == 0:
            return Copied(tool.name, tool.where)
        failures.append(f"{tool.name}: exit {done.returncode}")
    return Copied(None, failures=tuple(failures))


def platform_hint() -> str:
    """Which tool would make copying work here."""
    if sys.platform == "darwin":
        return "pbcopy"
    if os.environ.get("WAYLAND_DISPLAY"):
        return "wl-copy (wl-clipboard)"
    if os.environ.get("DISPLAY"):
        return "xclip or xsel"
    return TOOL_NAMES
