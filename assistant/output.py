"""Answers as text for people, and as JSON lines, CSV or Markdown for programs and documents.

A formatter turns one answer into one complete chunk of output (whole lines, ending in a
newline), so the batch runner can write each answer in a single write and an interrupted run
never leaves half an answer. Formatters may keep state (the text format separates answers with
blank lines; CSV writes its header once), so use one formatter per output.
"""

from __future__ import annotations

import csv
import io
import json
import math
from typing import TYPE_CHECKING, Any, Protocol

from assistant.neutral import csv_cell, escape_markdown, json_text, neutralise

if TYPE_CHECKING:
    from assistant.answer import Answer

__all__ = [
    "FORMATS",
    "CSV_COLUMNS",
    "escape_markdown",
    "make_formatter",
    "render_ask",
    "render_parse",
    "to_json",
    "visible",
]

FORMATS: tuple[str, ...] = ("text", "jsonl", "csv", "markdown")
CSV_COLUMNS: tuple[str, ...] = ("question", "status", "intent", "text", "values", "sources")

_DIM, _RESET = "\x1b[2m", "\x1b[0m"


def to_json(answer: Answer, parse: dict[str, Any] | None = None) -> str:
    """The contract dump (exactly the six fields) as one line of JSON, no trailing newline;
    with ``parse``, a seventh key holding how the question was read (``ask --parse``).

    Every line must parse as strict JSON, so a stray NaN or infinity in ``values`` becomes
    null (``json.dumps`` would write the non-standard ``NaN``) and a number type json does not
    know (a numpy scalar) is written as the plain number it holds. Controls, bidi overrides and
    line separators in strings are ``\\uXXXX`` escapes (``neutral.json_text``): the line is
    one line for every splitter and drives no terminal."""
    data = answer.model_dump()
    if parse is not None:
        data["parse"] = parse
    return dumps(data)


def dumps(data: Any) -> str:
    """Any JSON-able data as one safe line of strict JSON (see ``to_json``)."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, default=_plain)
    except ValueError:
        text = json.dumps(_finite(data), ensure_ascii=False, allow_nan=False, default=_plain)
    return json_text(text)


def _plain(value: Any) -> Any:
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        return item()
    if isinstance(value, set | frozenset):
        return list(value)
    return str(value)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def visible(text: str) -> str:
    """``text`` with control characters shown as escapes (newline and tab kept): text output
    goes to terminals, and a question line or a store text may carry an escape sequence that
    would otherwise drive the terminal. See ``assistant.neutral``."""
    return neutralise(text)


def render_ask(answer: Answer, dim: bool = False) -> str:
    """``stormchat ask``: the answer text, then the sources on one line (dimmed on a terminal,
    so the eye lands on the answer)."""
    out = visible(answer.text).rstrip("\n") + "\n"
    if answer.sources:
        line = "Sources: " + "; ".join(visible(source) for source in answer.sources)
        out += f"{_DIM}{line}{_RESET}\n" if dim else line + "\n"
    return out


class Formatter(Protocol):
    def header(self) -> str: ...
    def format(self, answer: Answer) -> str: ...
    def footer(self) -> str: ...


class JsonlFormatter:
    """One JSON object per line: what scripts and the scorer read."""

    def header(self) -> str:
        return ""

    def format(self, answer: Answer) -> str:
        return to_json(answer) + "\n"

    def footer(self) -> str:
        return ""


class TextFormatter:
    """For reading: the question, the answer, its sources; a blank line between answers."""

    def __init__(self) -> None:
        self._first = True

    def header(self) -> str:
        return ""

    def format(self, answer: Answer) -> str:
        # The separator goes before every answer but the first, so the output neither starts
        # nor ends with a blank line.
        lead = "" if self._first else "\n"
        self._first = False
        lines = visible(answer.text).rstrip("\n").split("\n") or [""]
        block = [f"Q: {visible(answer.question)}", f"A: {lines[0]}"]
        # Continuation lines line up under the first line of the answer.
        block += [f"   {line}" if line else "" for line in lines[1:]]
        if answer.sources:
            block.append("Sources: " + "; ".join(visible(s) for s in answer.sources))
        return lead + "\n".join(block) + "\n"

    def footer(self) -> str:
        return ""


class CsvFormatter:
    """RFC 4180 quoting by the csv module; values and sources as JSON strings so a spreadsheet
    or ``csv.reader`` gets one cell each and ``json.loads`` gets the data back.

    Lines end in ``\\n`` rather than the module's default ``\\r\\n``, like the other formats;
    newlines inside the answer text stay inside the quoted cell, and readers accept both.

    Every cell goes through ``neutral.csv_cell``: no raw control character, and a cell that a
    spreadsheet would run as a formula (``=HYPERLINK(…)``, ``@SUM``, a leading tab) starts
    with ``'``."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")

    def _row(self, row: list[str]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(row)
        return self._buffer.getvalue()

    def header(self) -> str:
        return self._row(list(CSV_COLUMNS))

    def format(self, answer: Answer) -> str:
        # The same JSON as the jsonl format, so both read back to the same data.
        data = json.loads(to_json(answer))
        return self._row(
            [
                csv_cell(cell)
                for cell in (
                    data["question"],
                    data["status"],
                    data["intent"] or "",
                    data["text"],
                    dumps(data["values"]),
                    dumps(data["sources"]),
                )
            ]
        )

    def footer(self) -> str:
        return ""


class MarkdownFormatter:
    """A document: one section per question, the answer as a paragraph, sources as a list.

    Question and answer are plain text, escaped so that nothing in them (a leading ``#``, a
    ``*``, a ``<tag>``) changes the document's structure."""

    def header(self) -> str:
        return "# stormchat answers\n"

    def format(self, answer: Answer) -> str:
        question = escape_markdown(answer.question).replace("\n", " ")
        intent = f", intent {escape_markdown(answer.intent)}" if answer.intent else ""
        # Hard line breaks (a trailing backslash) keep the answer's own line structure, which a
        # plain newline would fold into one paragraph; its blank lines stay paragraph breaks.
        paragraphs = escape_markdown(answer.text.rstrip("\n")).split("\n")
        body = []
        for index, line in enumerate(paragraphs):
            follows = index + 1 < len(paragraphs) and paragraphs[index + 1].strip()
            body.append(line + "\\" if line.strip() and follows else line)
        parts = [
            "",
            f"### Q: {question}",
            "",
            f"*Status: {answer.status}{intent}*",
            "",
            "\n".join(body),
            "",
        ]
        if answer.sources:
            parts += ["Sources:", ""] + [f"- {escape_markdown(s)}" for s in answer.sources]
        else:
            parts += ["Sources: none"]
        return "\n".join(parts) + "\n"

    def footer(self) -> str:
        return ""


def make_formatter(name: str) -> Formatter:
    formatters: dict[str, type[Formatter]] = {
        "text": TextFormatter,
        "jsonl": JsonlFormatter,
        "csv": CsvFormatter,
        "markdown": MarkdownFormatter,
    }
    return formatters[name]()


def render_parse(parse: dict[str, Any]) -> str:
    """How the question was read, for ``ask --parse`` (plain text, one item a line)."""

    def slots(values: dict[str, Any]) -> str:
        return ", ".join(f"{k}={v}" for k, v in values.items()) or "no slots"

    lines = [f"Parse: {parse['intent']} (confidence {parse['confidence']:.2f})"]
    queries = parse.get("queries") or []
    if len(queries) > 1:
        lines += [
            f"  query {i}: {q['intent']}: {slots(q['slots'])}" for i, q in enumerate(queries, 1)
        ]
    else:
        lines.append(f"  slots: {slots(parse.get('slots') or {})}")
    for q in parse.get("qualifiers") or []:
        served = "served" if q.get("served") else "not reported"
        lines.append(f"  qualifier: {q['kind']} {q['value']} ({q['text']!r}, {served})")
    if parse.get("corrections"):
        lines.append("  corrected: " + ", ".join(f"{a} -> {b}" for a, b in parse["corrections"]))
    if parse.get("unaccounted"):
        lines.append("  unaccounted: " + ", ".join(parse["unaccounted"]))
    # The parse quotes the question's own words, so it is neutralised like the answer.
    return visible("\n".join(lines)) + "\n"
