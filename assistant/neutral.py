"""Neutralise text on its way out of the program: the one place that decides which characters
may reach a terminal, a JSON reader, a spreadsheet or a Markdown renderer as they are.

Text that leaves stormchat comes from people (a question, a file name, a ``--db`` path) and from
stores (terms, USUBJIDs, fact texts, sources), and a store can be anyone's. Whatever it holds:

- no character that drives a terminal goes out raw: C0 controls (but newline and tab where a
  format keeps them), DEL and C1 controls (so no ESC or CSI sequence), bidirectional overrides
  and isolates (U+202A–U+202E, U+2066–U+2069, which make text read differently from what it
  is), and the line and paragraph separators U+2028 / U+2029, which ``str.splitlines()`` and
  some editors take for line ends. ``neutralise`` shows each as a backslash escape
  (``\\x1b``, ``\\u202e``), so the reader sees that something odd was there;
- JSON keeps the data but escapes the same characters as ``\\uXXXX`` (``json_text``), so a
  JSON line stays one line for every line splitter, ``str.splitlines()`` included;
- a CSV cell that a spreadsheet would run as a formula gets a leading ``'`` (``csv_cell``, as
  OWASP recommends);
- text put into Markdown is escaped so it renders as the same text, never as a link, an
  image, emphasis or HTML (``markdown_inline``, ``escape_markdown``).
"""

from __future__ import annotations

import re

# Bidirectional embeddings, overrides and isolates.
_BIDI = frozenset((*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# Line and paragraph separators that are not controls but end a line for str.splitlines().
_SEPARATORS = frozenset((0x2028, 0x2029))


# The same set as a pattern: most text holds none of them, and a search is far cheaper than
# translating every character.
_UNSAFE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def is_unsafe(ch: str) -> bool:
    """A character that must not leave the program raw (see the module docstring)."""
    code = ord(ch)
    return code < 0x20 or 0x7F <= code < 0xA0 or code in _BIDI or code in _SEPARATORS


def _escape(ch: str) -> str:
    return ch.encode("unicode_escape").decode("ascii")


_UNSAFE_TABLE: dict[int, str] = {
    code: _escape(chr(code)) for code in (*range(0x20), *range(0x7F, 0xA0), *_BIDI, *_SEPARATORS)
}
_KEEP_NEWLINE_TAB = {k: v for k, v in _UNSAFE_TABLE.items() if chr(k) not in "\n\t"}
_KEEP_NONE = dict(_UNSAFE_TABLE)
_JSON_TABLE: dict[int, str] = {
    code: f"\\u{code:04x}" for code in (*range(0x20), *range(0x7F, 0xA0), *_BIDI, *_SEPARATORS)
}


def neutralise(text: str, keep: str = "\n\t") -> str:
    """``text`` with every unsafe character but those in ``keep`` shown as a backslash escape:
    ESC [ 2 J comes out as the six visible characters ``\\x1b[2J``."""
    if not _UNSAFE_RE.search(text):
        return text
    if keep == "\n\t":
        table = _KEEP_NEWLINE_TAB
    elif not keep:
        table = _KEEP_NONE
    else:
        table = {k: v for k, v in _UNSAFE_TABLE.items() if chr(k) not in keep}
    return text.translate(table)


def json_text(dumped: str) -> str:
    """A ``json.dumps`` result (``ensure_ascii=False``) with every unsafe character written as a
    ``\\uXXXX`` escape. Outside strings JSON holds only ASCII punctuation, digits, letters and
    whitespace, so every such character is inside a string, where the escape means the same
    character: ``json.loads`` gives back exactly the data, and the text holds no raw control,
    no bidi override and no line end but its own. ``json.dumps`` already escapes C0 controls."""
    return dumped.translate(_JSON_TABLE) if _UNSAFE_RE.search(dumped) else dumped


# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """One CSV cell: neutralised (newlines and tabs kept: the csv module quotes them), then, if
    it would start a formula, prefixed with ``'``. A cell counts as a formula when it starts
    with one of ``= + - @``, a tab or a CR, or does so once leading whitespace and control
    characters are taken away, as some spreadsheets and importers do: neutralising rewrites a
    CR as the text ``\\r`` and a batch line loses its leading tabs, and neither may uncover a
    formula (``"\\t=1+1"``, ``"\\r=1+1"``)."""
    cell = neutralise(value)
    bare = value.lstrip("".join(chr(c) for c in range(0x21)) + "\x7f\x85\xa0")
    if cell.startswith(_FORMULA_START) or bare.startswith(_FORMULA_START):
        return "'" + cell
    return cell


# Every ASCII character that can start inline Markdown (emphasis, code, links, images, HTML,
# entities, tables, strikethrough) or close an ATX heading. CommonMark lets any ASCII
# punctuation be backslash-escaped, so escaping a few more than strictly needed is harmless.
_INLINE = re.compile(r"([\\`*_\[\]<>#|~&!{}])")
# Line starts that would open a block: a list item, a quote, a heading, a setext underline,
# a thematic break, a numbered item.
_BLOCK_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def markdown_inline(text: str) -> str:
    """Text for the inside of a Markdown line (a table cell, a heading, emphasis): neutralised,
    on one line, and escaped so that nothing in it is read as Markdown or HTML."""
    one_line = " ".join(text.splitlines()) if "\n" in text or "\r" in text else text
    return _INLINE.sub(r"\\\1", neutralise(one_line, keep=""))


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that renders as the same text, one line per input line."""
    lines = []
    for line in neutralise(text).split("\n"):
        line = _INLINE.sub(r"\\\1", line)
        line = _BLOCK_START.sub(lambda m: m.group(1) + _escape_block(m.group(2)), line)
        # Four leading spaces would make an indented code block; the text's own indentation
        # carries no meaning in an answer.
        lines.append(line.lstrip(" \t"))
    return "\n".join(lines)


def _escape_block(marker: str) -> str:
    if marker[0].isdigit():
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker
