"""Shell completion (issue 13.10): `stormchat completion SHELL` prints a script; the bash one
is run in bash here, as bash runs it at a Tab."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from assistant import cli
from knowledge.stats import CI_METHODS

COMMANDS = ["verify", "ask", "batch", "demo", "import", "serve", "completion"]


def script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(["completion", shell]) == 0
    return capsys.readouterr().out


def complete(bash_script: str, words: list[str], cwd: Path) -> list[str]:
    """What bash offers for the last of ``words`` (the word under the cursor)."""
    array = " ".join(f"'{w}'" for w in words)
    program = (
        f"{bash_script}\n"
        f"COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}; _stormchat\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    out = subprocess.run(
        ["bash", "--norc", "--noprofile"],
        input=program,
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
        timeout=30,
    )
    return sorted(line for line in out.stdout.splitlines() if line)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_options_and_their_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bash = script("bash", capsys)
    (tmp_path / "questions.txt").write_text("ORR\n", encoding="utf-8")
    assert complete(bash, ["stormchat", ""], tmp_path) == sorted(COMMANDS)
    assert complete(bash, ["stormchat", "b"], tmp_path) == ["batch"]
    assert complete(bash, ["stormchat", "--ci-method", "w"], tmp_path) == sorted(
        m for m in CI_METHODS if m.startswith("w")
    )
    assert complete(bash, ["stormchat", "batch", "--format", "j"], tmp_path) == ["jsonl"]
    assert complete(bash, ["stormchat", "ask", "--j"], tmp_path) == ["--json"]
    # The global options after the command too, as the parser takes them.
    assert "--level" in complete(bash, ["stormchat", "ask", "--"], tmp_path)
    assert complete(bash, ["stormchat", "batch", "qu"], tmp_path) == ["questions.txt"]
    assert complete(bash, ["stormchat", "batch", "-o", "qu"], tmp_path) == ["questions.txt"]
    assert complete(bash, ["stormchat", "--db", "qu"], tmp_path) == ["questions.txt"]
    assert complete(bash, ["stormchat", "completion", ""], tmp_path) == ["bash", "fish", "zsh"]
    assert complete(bash, ["stormchat", "--level", ""], tmp_path) == []  # a number
    assert complete(bash, ["stormchat", "ask", "wh"], tmp_path) == []  # the question: free text


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_name_every_command_and_choice(
    shell: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = script(shell, capsys)
    for command in COMMANDS:
        assert (f"'{command}:" if shell == "zsh" else f"-a {command} ") in text, command
    assert " ".join(CI_METHODS) in text and "text jsonl csv markdown" in text
    for option in ("--json", "--parse", "--format", "--output", "--against", "--map", "--plain"):
        assert (option if shell == "zsh" else f"-l {option[2:]}") in text, option
    if shutil.which(shell):  # not installed here; where it is, the script must parse
        path = tmp_path / f"stormchat.{shell}"
        path.write_text(text, encoding="utf-8")
        subprocess.run([shell, "-n", str(path)], check=True, timeout=30)


def test_an_unknown_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["completion", "tcsh"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("stormchat: argument SHELL: invalid choice: 'tcsh'") and "bash" in err
