"""Helpers shared by the benchmark's parts: paths, the question set, summaries, child processes.

Everything here is standard library only, so the workers start as lean as the thing they time.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The development questions live beside the repository (../shared/eval), not in it.
DEV_CASES = Path(__file__).resolve().parents[2] / "shared/eval/dev_cases.jsonl"
BENCH = REPO / "bench"


def load_conversations(path: Path = DEV_CASES) -> list[list[str]]:
    """Each case's turns, as one conversation."""
    if not path.exists():
        raise SystemExit(f"bench: {path} not found (the development questions, ../shared/eval)")
    cases = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    return [list(case["turns"]) for case in cases]


def batch_text(conversations: list[list[str]], count: int) -> str:
    """``count`` questions for ``stormchat batch``: the conversations over and over, each one
    separated from the next by a blank line (a new conversation), as the batch format has it."""
    blocks: list[str] = []
    total = 0
    while total < count:
        for turns in conversations:
            take = turns[: count - total]
            blocks.append("\n".join(take))
            total += len(take)
            if total >= count:
                break
    return "\n\n".join(blocks) + "\n"


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: p95 of 60 values is the 57th smallest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Summary:
    """Median, min and max of several runs of one figure."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        return cls(statistics.median(values), min(values), max(values), len(values))


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    max_rss_mb: float
    returncode: int
    # User plus system time: on a shared machine the wall time moves with the other load,
    # this much less.
    cpu_seconds: float = 0.0


def run_child(
    argv: Sequence[str], stdout: int | None = subprocess.DEVNULL, cwd: Path = REPO
) -> ChildRun:
    """Run a process to completion: its wall time and its own peak memory.

    ``os.wait4`` gives the resource usage of this one child (RUSAGE_CHILDREN would be the
    maximum over every child so far, so one big run would mask the others)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(argv), stdout=stdout, stderr=subprocess.PIPE, cwd=cwd, env=child_env()
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(
            f"bench: {' '.join(argv)} exited {proc.returncode}:\n"
            f"{err.decode(errors='replace')[-2000:]}"
        )
    # ru_maxrss is in kilobytes on Linux.
    return ChildRun(
        seconds, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime
    )


def write_floor(path: Path, modules: Sequence[str]) -> Path:
    """A script importing exactly these third-party modules, in this order: the cost of the
    libraries a command loads, which stormchat's own code cannot go below."""
    path.write_text(
        "import importlib\n"
        f"for name in {list(modules)!r}:\n"
        "    try:\n        importlib.import_module(name)\n"
        "    except Exception:\n        pass\n",
        encoding="utf-8",
    )
    return path


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    # No colour, no progress bar decisions from a terminal; same hash seed every run.
    env.update(NO_COLOR="1", TERM="dumb", PYTHONHASHSEED="0")
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def python() -> str:
    return sys.executable


def stormchat() -> list[str]:
    """The command as users run it: the console script installed beside this Python, or
    ``python -m assistant.cli`` where there is none (runpy adds a few milliseconds)."""
    script = Path(python()).parent / "stormchat"
    return [str(script)] if script.exists() else [python(), "-m", "assistant.cli"]
