"""The checks that keep the code honest, run with the tests so that CI runs them too: lint,
formatting, types (strict on ``intents/`` and ``assistant/``) and the import layering of
DESIGN.md."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tomllib
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
        ("ruff", "check", "--no-cache", "."),
        ("ruff", "format", "--no-cache", "--check", "."),
        ("mypy",),
        ("lint-imports", "--no-cache"),
    ],
    ids=lambda c: " ".join(c),
)
def test_code_check(command: tuple[str, ...], tmp_path: Path) -> None:
    # No tool writes its cache into the repository (mypy's goes to this test's directory).
    extra = ("--cache-dir", str(tmp_path / "mypy")) if command[0] == "mypy" else ()
    result = _run(_tool(command[0]), *command[1:], *extra)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_ci_runs_these_checks() -> None:
    """.ci/run runs the README's test command: that command, with pytest's configured
    options, must collect this module, or CI would pass without the checks above."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("Install and run the tests:") :]
    command = re.search(r"```sh\n(.*)\n", block)
    assert command is not None
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").count("Install and run the tests:")
    pytest_args = shlex.split(command.group(1).split("&&")[-1])
    assert pytest_args[0].endswith("pytest"), pytest_args
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    options = config["tool"]["pytest"]["ini_options"]
    args = [*shlex.split(options.get("addopts", "")), *pytest_args[1:]]
    # No selection (-m 'not slow', -k, --ignore, --deselect, a path) leaves these out.
    assert not {"-m", "-k", "--ignore", "--deselect", "--lf"} & set(args), args
    assert not [a for a in args if a.startswith(("-m", "-k", "--ignore", "--deselect", "tests/"))]
    assert options["testpaths"] == ["tests"]
