"""Exit codes and output errors (issue 15): stdout closed, full or in an encoding that cannot
show the output is exit 2 with one line, from every command that writes; a bug is exit 4, never
taken for verify's "mismatch" (1); the README's table lists every code the program uses.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import cli
from assistant.interrupts import TERMINATING

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "assistant.cli"]
COMMANDS = {
    "verify": ["verify"],
    "ask": ["ask", "What was the ORR?"],
    "ask --json": ["ask", "What was the ORR?", "--json"],
    "batch": ["batch", "{questions}"],
    "demo --plain": ["demo", "--plain"],
}


def run_shell(
    redirect: str, args: list[str], tmp_path: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    questions = tmp_path / "q.txt"
    questions.write_text("What was the ORR?\nmedian PFS\n", encoding="utf-8")
    argv = [*CLI, *(arg.replace("{questions}", str(questions)) for arg in args)]
    return subprocess.run(
        ["sh", "-c", f'exec "$@" {redirect}', "sh", *argv],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def one_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace")
    assert text.startswith("stormchat: ") and text.count("\n") == 1, text
    assert "Traceback" not in text and "internal error" not in text
    assert "Exception ignored" not in text
    return text


@pytest.mark.slow
@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("redirect", [">/dev/full", ">&-"])
def test_unwritable_stdout_is_exit_2_in_one_line(
    command: str, redirect: str, tmp_path: Path
) -> None:
    if redirect == ">/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    result = run_shell(redirect, COMMANDS[command], tmp_path)
    line = one_line(result.stderr)
    assert result.returncode == 2, line
    assert "cannot write stdout" in line


@pytest.mark.slow
def test_verify_to_an_ascii_stdout_is_exit_2_saying_why(tmp_path: Path) -> None:
    result = run_shell(">/dev/null", ["verify"], tmp_path, env={"PYTHONIOENCODING": "ascii"})
    line = one_line(result.stderr)
    assert result.returncode == 2
    assert "encoding (ascii)" in line and "PYTHONIOENCODING=utf-8" in line


@pytest.mark.slow
def test_ask_and_batch_write_utf8_whatever_the_stdout_encoding(tmp_path: Path) -> None:
    # Their output is data: UTF-8 always, so an ASCII stdout is not an error for them.
    for args in (COMMANDS["ask"], COMMANDS["batch"]):
        result = run_shell("", args, tmp_path, env={"PYTHONIOENCODING": "ascii"})
        assert result.returncode == 0, result.stderr
        assert "–" in result.stdout.decode("utf-8")


def test_internal_error_is_exit_4_not_mismatch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(args: object) -> int:
        raise KeyError("a bug")

    monkeypatch.setitem(cli.COMMANDS, "verify", broken)
    monkeypatch.delenv("STORMCHAT_DEBUG", raising=False)
    assert cli.main(["verify"]) == 4 != cli.EXIT_MISMATCH
    err = capsys.readouterr().err
    assert err.startswith("stormchat: internal error") and err.count("\n") == 1


def documented_codes() -> set[int]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Exit codes") :]
    section = section[: section.index("\n## ", 4)]
    return {int(code) for code in re.findall(r"^\| `(\d+)` \|", section, re.M)}


def test_every_exit_code_is_documented() -> None:
    codes = {value for name, value in vars(cli).items() if name.startswith("EXIT_")}
    assert codes == {0, 1, 2, 3, 4, 130}
    codes |= {128 + signum for signum in TERMINATING}
    documented = documented_codes()
    assert documented == codes
    epilog = cli.build_parser().epilog or ""
    assert all(re.search(rf"\b{code}\b", epilog) for code in codes), epilog


def literal_exit_codes(tree: ast.AST) -> set[int]:
    """Integers written as exit codes: ``sys.exit(n)``, ``os._exit(n)``, ``SystemExit(n)``,
    an app's ``.exit(n)``, and ``return n`` in a function whose name says it runs a command
    or prints a report (the CLI returns those as the exit code)."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            arg = node.args[0]
            if name in ("exit", "_exit", "SystemExit") and isinstance(arg, ast.Constant):
                if isinstance(arg.value, int):
                    found.add(arg.value)
        if isinstance(node, ast.FunctionDef) and re.match(r"(_run_|main$|print_report)", node.name):
            for sub in ast.walk(node):
                if isinstance(sub, ast.Return) and isinstance(sub.value, ast.Constant):
                    if isinstance(sub.value.value, int) and not isinstance(sub.value.value, bool):
                        found.add(sub.value.value)
    return found


def test_no_exit_code_in_the_source_is_missing_from_the_readme() -> None:
    """The table above is checked against the CLI's constants; this catches a code written as
    a number anywhere in assistant/ (an app's exit(1), a report's return 1)."""
    used: dict[int, list[str]] = {}
    for path in sorted((ROOT / "assistant").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for code in literal_exit_codes(tree):
            used.setdefault(code, []).append(str(path.relative_to(ROOT)))
    assert {0, 1} <= set(used), used  # the scan finds the codes it should (demo, verify)
    assert set(used) <= documented_codes(), used


def test_a_bug_while_writing_is_still_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Only failures of stdout itself are output errors; a ValueError raised while the report
    # is computed is a bug (exit 4), not "cannot write stdout".
    from assistant import verify_report

    def broken(store: object, out: object, against: object = None) -> int:
        raise ValueError("computation failed")

    monkeypatch.setattr(verify_report, "print_report", broken)
    monkeypatch.delenv("STORMCHAT_DEBUG", raising=False)
    assert cli.main(["verify"]) == 4
    assert "internal error (ValueError: computation failed)" in capsys.readouterr().err
