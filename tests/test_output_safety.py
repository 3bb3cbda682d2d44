"""Text leaving stormchat (issue 15): one neutralising function for every way out — ``ask``
text and JSON, every batch format, ``verify`` (store texts and the store path) — so no control
sequence, DEL, C1 control or bidi override reaches a terminal raw, a JSON line stays one line
for ``str.splitlines()``, CSV cells never run as spreadsheet formulas, and store text never
renders as a Markdown link.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from assistant import cli
from assistant.answer import Answer
from assistant.handlers.figures import table
from assistant.neutral import csv_cell, is_unsafe, json_text, markdown_inline, neutralise
from assistant.output import CsvFormatter, MarkdownFormatter, make_formatter, to_json
from knowledge.store import default_store_path

# What the attacker pasted: a title change and a screen clear (OSC and CSI), a C1 NEL, DEL,
# a line separator, a paragraph separator, bidi overrides and isolates.
HOSTILE = (
    "\x1b]0;PWNED\x07\x1b[2J\x9b31m\x85 NEL\x7f DEL\u2028LS\u2029PS"
    "\u202eRLO\u202aLRE\u2066LRI\u2069PDI"
)
UNSAFE = [
    chr(c)
    for c in (
        *range(0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x2028,
        0x2029,
    )
]


def assert_safe(text: str, keep: str = "\n") -> None:
    bad = sorted({f"U+{ord(ch):04X}" for ch in text if is_unsafe(ch) and ch not in keep})
    assert not bad, (bad, text[:300])


# ---------------------------------------------------------------------------- the function


@pytest.mark.parametrize("ch", UNSAFE, ids=lambda ch: f"U+{ord(ch):04X}")
def test_every_unsafe_character_is_shown_as_an_escape(ch: str) -> None:
    out = neutralise(f"a{ch}b", keep="")
    assert out.startswith("a\\") and out.endswith("b") and not any(map(is_unsafe, out))


def test_newline_and_tab_are_kept_only_where_asked() -> None:
    assert neutralise("a\nb\tc") == "a\nb\tc"
    assert neutralise("a\nb\tc", keep="") == "a\\nb\\tc"
    assert neutralise("ORR 26 % [95% CI] é ≥ – 日本") == "ORR 26 % [95% CI] é ≥ – 日本"


def test_json_text_keeps_the_data_and_one_line() -> None:
    dumped = json_text(json.dumps({"q": HOSTILE}, ensure_ascii=False))
    assert_safe(dumped, keep="")
    assert len(dumped.splitlines()) == 1 and json.loads(dumped) == {"q": HOSTILE}


# ---------------------------------------------------------------------------- ask


def test_ask_json_escapes_c1_del_separators_and_bidi(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["ask", f"What was the ORR? {HOSTILE}", "--json"]) == 0
    out = capsys.readouterr().out
    assert_safe(out)
    # U+2028 and U+0085 used to cut the line in four for str.splitlines().
    assert len(out.splitlines()) == 1
    assert json.loads(out)["question"] == f"What was the ORR? {HOSTILE}"


def test_ask_json_parse_is_one_safe_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["ask", f"ORR {HOSTILE}", "--json", "--parse"]) == 0
    out = capsys.readouterr().out
    assert_safe(out) and len(out.splitlines()) == 1


def test_ask_text_and_parse_are_neutralised(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["ask", f"ORR {HOSTILE}", "--parse"]) == 0
    assert_safe(capsys.readouterr().out)


# ---------------------------------------------------------------------------- batch


@pytest.mark.parametrize("fmt", ["text", "jsonl", "csv", "markdown"])
def test_every_batch_format_is_neutralised(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text(f"What was the ORR? {HOSTILE}\nmedian PFS \u202e\n", encoding="utf-8")
    assert cli.main(["batch", str(questions), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert_safe(out)
    if fmt == "jsonl":
        assert [json.loads(line)["question"] for line in out.splitlines()] == [
            f"What was the ORR? {HOSTILE}",
            "median PFS \u202e",
        ]


def test_json_of_an_answer_holding_hostile_text_everywhere() -> None:
    answer = Answer(
        question=HOSTILE,
        status="answered",
        intent="x",
        text=HOSTILE,
        values={"term": HOSTILE, "n": 1},
        sources=[HOSTILE],
    )
    line = to_json(answer)
    assert_safe(line, keep="") and len(line.splitlines()) == 1
    assert json.loads(line)["values"]["term"] == HOSTILE


# ---------------------------------------------------------------------------- verify


def test_verify_neutralises_store_texts_and_the_store_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(default_store_path().read_text(encoding="utf-8"))
    for doc in data["facts"].values():
        doc["source"] = f"{doc['source']} {HOSTILE}"
    path = tmp_path / "st\x1b[2Jore\u202e.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    code = cli.main(["--db", str(path), "verify"])
    out = capsys.readouterr().out
    assert code == 0, out[-500:]
    assert_safe(out)
    assert "st\\x1b[2Jore\\u202e.json" in out and "\\x1b]0;PWNED" in out


# ---------------------------------------------------------------------------- CSV formulas


@pytest.mark.parametrize(
    "cell",
    ['=HYPERLINK("https://evil","x")', "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "\t\r=1+1"],
)
def test_formula_cells_get_a_leading_quote(cell: str) -> None:
    out = csv_cell(cell)
    assert out.startswith("'") and not any(is_unsafe(ch) for ch in out if ch != "\t")


def test_plain_cells_are_left_alone() -> None:
    assert csv_cell("What was the ORR?") == "What was the ORR?"
    assert csv_cell("a\nb") == "a\nb"


def test_csv_formatter_neutralises_every_cell() -> None:
    formatter = CsvFormatter()
    answer = Answer(
        question='=HYPERLINK("https://evil","click")',
        status="answered",
        intent="x",
        text="@SUM(1+1)\x1b[2J",
        values={},
        sources=["-2+3"],
    )
    rows = list(csv.reader(io.StringIO(formatter.header() + formatter.format(answer))))
    question, _, _, text, values, sources = rows[1]
    assert question.startswith("'=HYPERLINK") and text == "'@SUM(1+1)\\x1b[2J"
    assert json.loads(values) == {} and json.loads(sources) == ["-2+3"]


@pytest.mark.parametrize("line", ["\t=1+1", "=1+1", " \r=1+1", "@SUM(A1)"])
def test_batch_csv_never_writes_a_formula(
    line: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The batch reader strips a line's tabs and spaces: the check runs after that, so a
    # stripped "\t=1+1" is still quoted.
    questions = tmp_path / "q.txt"
    questions.write_bytes(line.encode() + b"\n")
    assert cli.main(["batch", str(questions), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), rows[1]


# ---------------------------------------------------------------------------- Markdown


LINK = "[CLICK ME](https://evil.example/phish)"


def test_markdown_table_cells_are_escaped() -> None:
    out = table(["patient"], [[LINK], ["![img](https://evil/x.png)"], ["<b>x</b>"]])
    assert "[CLICK ME](" not in out and "![img](" not in out and "<b>" not in out
    assert "\\[CLICK ME\\](https://evil.example/phish)" in out


def test_markdown_inline_is_one_neutral_line() -> None:
    assert markdown_inline("a\nb *c* \x1b[2J") == "a b \\*c\\* \\\\x1b\\[2J"


def test_store_usubjid_does_not_render_as_a_link(tmp_path: Path) -> None:
    from assistant.engine import Engine

    data = json.loads(default_store_path().read_text(encoding="utf-8"))
    renamed = {}
    for table_name in ("adsl", "adrs", "adae", "adtte"):
        for doc in data[table_name].values():
            old = doc["USUBJID"]
            doc["USUBJID"] = renamed.setdefault(old, f"{LINK}-{len(renamed)}")
    path = tmp_path / "store.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    answer = Engine.load(path).conversation().ask("list the patients with grade 4 thrombocytopenia")
    assert answer.markdown is not None and "CLICK ME" in answer.markdown, answer.text
    assert "[CLICK ME](" not in answer.markdown
    out = MarkdownFormatter().format(answer)
    assert "[CLICK ME](" not in out


def test_batch_markdown_of_hostile_answer() -> None:
    formatter = make_formatter("markdown")
    answer = Answer(question=LINK, status="answered", intent="x", text=LINK, sources=[LINK])
    out = formatter.format(answer)
    assert "[CLICK ME](" not in out


def test_engine_failure_warning_is_neutralised() -> None:
    from assistant.batch import safe_ask

    class Broken:
        def ask(self, question: str) -> Answer:
            raise RuntimeError(f"bad term {HOSTILE}")

    warn = io.StringIO()
    answer = safe_ask(Broken(), f"ORR {HOSTILE}", warn=warn)
    assert answer.status == "error"
    assert_safe(warn.getvalue())
    assert_safe(make_formatter("text").format(answer))


def test_the_fast_check_and_the_definition_agree() -> None:
    from assistant.neutral import _UNSAFE_RE

    for code in range(0x10000):
        ch = chr(code)
        assert (_UNSAFE_RE.search(ch) is not None) == is_unsafe(ch), f"U+{code:04X}"
