"""The checks that keep the code honest, run with the tests so that CI runs them too: lint,
formatting, types (strict on ``intents/`` and ``assistant/``) and the import layering of
DESIGN.md."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command,
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )


def _tool(name: str) -> str:
    """The tool installed beside this Python (the test extra installs them all)."""
    path = Path(sys.executable).parent / name
    found = str(path) if path.exists() else shutil.which(name)
    assert found is not None, f"{name} is not installed: pip install -e '.[test]'"
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "."),
        ("ruff", "format", "--check", "."),
        ("mypy",),
        ("lint-imports",),
    ],
    ids=lambda c: " ".join(c),
)
def test_code_check(command: tuple[str, ...]) -> None:
    result = _run(_tool(command[0]), *command[1:])
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
