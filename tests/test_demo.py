"""``stormchat demo`` without the app: the built-in script, script files and their errors,
``--plain`` and ``--export``. The presenter mode itself is in test_demo_app.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import cli
from assistant.demo import BUILTIN, ScriptError, load_script
from assistant.demo.plain import markdown_document, walk
from assistant.demo.script import parse_text, parse_yaml
from assistant.engine import Engine

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["demo", *args])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------------ the built-in script


def test_builtin_tells_the_story_and_every_step_is_answered(engine: Engine) -> None:
    assert 12 <= len(BUILTIN) <= 16
    assert all(step.caption and step.question for step in BUILTIN)
    # Asked in order in one conversation, as the app and --plain ask them.
    results = list(walk(BUILTIN, engine))
    statuses = {r.step.question: r.answer.status for r in results}
    assert set(statuses.values()) == {"answered"}, statuses
    intents = [r.answer.intent for r in results]
    # The story: patients first, the limits of the evidence last; the curves are there.
    assert intents[0] == "baseline" and results[-1].answer.text.count("single-arm")
    assert sum(1 for r in results if r.answer.chart and r.answer.chart.kind == "km") == 3
    assert "response_rate" in intents and "ae_bleeding" in intents and "quote" in intents


def test_heading_numbers_the_step() -> None:
    assert BUILTIN.heading(0).startswith(f"Step 1/{len(BUILTIN)} — ")
    assert parse_text("What was the ORR?").heading(0) == "Step 1/1"


# ---------------------------------------------------------------------------- script formats


def test_plain_text_script_captions_comments_and_blank_lines() -> None:
    script = parse_text(
        "# a comment\n\nThe ORR :: What was the ORR?\n  CBR?  \n"
        "   # indented comment\nSafety::Deaths from adverse events\n"
    )
    assert [(s.caption, s.question, s.line) for s in script] == [
        ("The ORR", "What was the ORR?", 3),
        ("", "CBR?", 4),
        ("Safety", "Deaths from adverse events", 6),
    ]


def test_yaml_script_list_and_mapping_forms() -> None:
    listed = parse_yaml("- caption: The ORR\n  question: What was the ORR?\n- CBR?\n")
    assert [(s.caption, s.question) for s in listed] == [
        ("The ORR", "What was the ORR?"),
        ("", "CBR?"),
    ]
    mapped = parse_yaml(
        "title: Tumour board\nsteps:\n  - question: >\n      What was\n"
        "      the ORR?\n    caption: 2019\n"
    )
    assert mapped.title == "Tumour board"
    # A folded scalar is wrapping, not a two-line question; a number is text to a caption.
    assert [(s.caption, s.question, s.line) for s in mapped] == [("2019", "What was the ORR?", 3)]


def test_yaml_tags_are_never_constructed() -> None:
    with pytest.raises(ScriptError) as caught:
        parse_yaml("- question: !!python/object/apply:os.system ['true']\n", "s.yaml")
    assert "line 1" in str(caught.value) and "must be text" in str(caught.value)


GOOD_TEXT = "The ORR :: What was the ORR?\nWhat was the clinical benefit rate?\n"
BAD_SCRIPTS: list[tuple[str, bytes, int | None, str]] = [
    # (file name, content, line named in the error or None, words in the message)
    ("nocaption.txt", b"What was the ORR?\n:: What was the CBR?\n", 2, "nothing before"),
    ("noquestion.txt", b"# intro\n\nThe ORR ::\n", 3, "question is empty"),
    ("twoseps.txt", b"a :: b :: c\n", 1, "more than one"),
    ("control.txt", b"ok question\nbad \x1b[31m question\n", 2, "control character"),
    ("binary.txt", b"line one\nline two\n\x89PNG\x00\x00", 3, "binary"),
    ("latin1.txt", b"fine\nna\xefve question\n", 2, "not UTF-8"),
    ("empty.txt", b"", None, "no steps"),
    ("comments.txt", b"# only\n\n# comments\n", None, "no steps"),
    ("long.txt", b"cap :: " + b"x" * 2500 + b"\n", 1, "longer than"),
    ("scalar.yaml", b"just some words\n", 1, "expected a list"),
    ("unknown.yaml", b"- question: What was the ORR?\n  captoin: typo\n", 2, "unknown key"),
    ("top.yaml", b"title: x\nstep:\n  - q\n", 2, "unknown key 'step'"),
    ("nosteps.yaml", b"title: x\n", 1, "no 'steps:'"),
    ("noq.yaml", b"- question: fine\n- caption: only a caption\n", 2, "no 'question:'"),
    ("listq.yaml", b"- question:\n    - a\n    - b\n", 2, "must be text"),
    ("nullq.yaml", b"- caption: c\n  question:\n", 2, "question is empty"),
    ("twice.yaml", b"- question: a\n  question: b\n", 2, "given twice"),
    ("syntax.yaml", b"- question: a\n- question: [unclosed\n", 3, "not valid YAML"),
    ("emptylist.yaml", b"steps: []\n", 1, "list is empty"),
    ("emptyfile.yml", b"# nothing\n", None, "no steps"),
    ("nested.yaml", b"- - a\n  - b\n", 1, "a step must be"),
    # PyYAML's composer recursed once a level: RecursionError, "internal error", exit 1.
    ("brackets.yaml", b"- question: a\n-\n" + b"[\n" * 600 + b"]\n" * 600, 4, "not valid YAML"),
    (
        "huge-brackets.yaml",
        b"- question: a\n-\n" + b"[" * 500_000 + b"]" * 500_000,
        3,
        "not valid YAML",
    ),
    ("indented.yaml", b"".join(b"  " * i + b"- \n" for i in range(600)), 17, "nested more than"),
    ("mappings.yml", b"".join(b"  " * i + b"a:\n" for i in range(600)), 17, "nested more than"),
]


@pytest.mark.parametrize(
    ("name", "content", "line", "words"), BAD_SCRIPTS, ids=[case[0] for case in BAD_SCRIPTS]
)
def test_bad_script_exits_2_naming_the_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    line: int | None,
    words: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(["--plain", "--script", str(path)], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1, err
    where = f"demo script {path}" + (f", line {line}:" if line is not None else ":")
    assert err.startswith(f"stormchat: {where}"), err
    assert words in err


def test_directory_and_missing_file_are_script_errors(tmp_path: Path) -> None:
    with pytest.raises(ScriptError, match="is a directory"):
        load_script(tmp_path)
    with pytest.raises(ScriptError, match="no such file"):
        load_script(tmp_path / "missing.txt")


def test_bad_script_is_reported_before_the_export_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- nope: 1\n")
    target = tmp_path / "out.md"
    code, _, err = run(["--plain", "--script", str(bad), "--export", str(target)], capsys)
    assert code == 2 and "line 1" in err and not target.exists()


def test_bad_options_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--auto", "0"], ["--auto", "soon"], ["--pace", "-1"]):
        code, _, err = run(args, capsys)
        assert code == 2 and err.startswith("stormchat: ") and err.count("\n") == 1


# ------------------------------------------------------------------------------------ --plain


def test_plain_prints_every_step_answered(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["--plain"], capsys)
    assert code == 0 and err == ""
    total = len(BUILTIN)
    for index, step in enumerate(BUILTIN):
        assert f"Step {index + 1}/{total} — {step.caption}\n" in out
        assert f"Q: {step.question}\n" in out
    assert out.count("\nA: ") == total
    assert out.count("\nSources: ") == total
    assert "Status:" not in out  # only a step that is not answered gets a status line
    assert "26.2 % (32/122; 95 % CI 18.7–35.0" in out


def test_plain_runs_a_team_script_and_flags_unanswered_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "team.txt"
    script.write_text("Response :: What was the ORR?\nWhat is the weather in Paris?\n")
    code, out, _ = run(["--plain", "--script", str(script)], capsys)
    assert code == 0
    assert "Step 1/2 — Response" in out and "Step 2/2\n" in out
    assert "Status: " in out.split("Step 2/2")[1]


def test_plain_honours_the_global_interval_options(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    script = tmp_path / "s.txt"
    script.write_text("What was the ORR?\n")
    code, out, _ = run(
        ["--plain", "--script", str(script), "--ci-method", "wilson", "--level", "90"], capsys
    )
    assert code == 0 and "90 %" in out and "Wilson" in out


# ----------------------------------------------------------------------------------- --export


def test_export_writes_markdown_and_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "transcript.md"
    code, plain_out, _ = run(["--plain", "--export", str(target)], capsys)
    assert code == 0
    document = target.read_text(encoding="utf-8")
    assert document.startswith("# ")
    assert document.count("\n## Step ") == len(BUILTIN)
    # The same walkthrough as the plain run: every answer figure appears in both.
    assert "26.2 % (32/122; 95 % CI 18.7–35.0" in document
    assert "26.2 % (32/122; 95 % CI 18.7–35.0" in plain_out
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left

    target.write_text("keep me")
    code, _, err = run(["--plain", "--export", str(target)], capsys)
    assert code == 2 and "already exists" in err and "--force" in err
    assert target.read_text() == "keep me"

    code, _, _ = run(["--plain", "--export", str(target), "--force"], capsys)
    assert code == 0 and target.read_text(encoding="utf-8") == document


def test_export_into_a_missing_directory_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["--plain", "--export", str(tmp_path / "no" / "t.md")], capsys)
    assert code == 2 and err.startswith("stormchat: cannot write") and err.count("\n") == 1


def test_export_without_plain_is_handed_to_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the app the handout holds what was shown (issue 13.7): the CLI checks the target
    and hands it to the app, which writes it as the demo goes (tests/test_demo_app.py)."""
    from assistant.demo import app_demo

    target = tmp_path / "handout.md"
    seen: dict[str, object] = {}

    def fake_app(engine: Engine, script: object, **options: object) -> int:
        seen.update(options, script=script)
        return 0

    monkeypatch.setattr(app_demo, "run_demo_app", fake_app)
    monkeypatch.setattr(cli, "_require_terminal", lambda instead: None)  # pytest has none
    code, out, _ = run(["--export", str(target), "--auto", "5", "--pace", "0"], capsys)
    assert code == 0 and out == ""
    assert seen == {
        "auto": 5.0,
        "typing_delay": 0.0,
        "export": target,
        "force": False,
        "script": BUILTIN,
    }
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run(["--export", str(target)], capsys)
    assert code == 2 and "already exists" in err  # refused before the app starts
    assert target.read_text(encoding="utf-8") == "keep me"


def test_markdown_keeps_foreign_text_from_changing_the_structure(engine: Engine) -> None:
    script = parse_text("# x\n[link](http://e) *cap* ## y :: What was the ORR? <b>\n")
    document = markdown_document(script, list(walk(script, engine)), engine.defaults)
    headings = [line for line in document.splitlines() if line.startswith("#")]
    assert len(headings) == 2  # the title and the one step, nothing from the caption
    assert "\\[link\\]" in document and "\\<b\\>" in document


@pytest.mark.slow
def test_headless_demo_modules_do_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys; import assistant.demo, assistant.demo.plain, assistant.cli; "
        "from assistant.cli import main; "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'textual'); "
        "assert not loaded, loaded"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        cwd=ROOT,
        env={**os.environ, "STORMCHAT_DATA_DIR": str(tmp_path)},
    )


@pytest.mark.slow
def test_plain_cli_in_a_subprocess_never_starts_the_app(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "demo", "--plain"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "STORMCHAT_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.count("\nQ: ") == len(BUILTIN)
