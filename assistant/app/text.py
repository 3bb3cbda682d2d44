"""Make text safe to show: no control characters or escape sequences reach the terminal.

Markup is handled elsewhere (every widget showing foreign text is built with ``markup=False``
or a Markdown widget); this module only deals with characters the terminal would act on.
"""

from __future__ import annotations

import re

# C0 controls become their Unicode "control pictures" (ESC -> ␛) so the user sees that
# something odd was pasted instead of it silently vanishing; DEL and C1 controls likewise.
_PICTURES: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})
_KEEP_LINES = {ord("\n"): "\n", ord("\t"): "    "}


def one_line(text: str) -> str:
    """User input shown as typed, with every control character (newlines too) made visible."""
    return text.translate(_PICTURES)


def multi_line(text: str) -> str:
    """Answer text or Markdown: keep line breaks, expand tabs, neutralise other controls."""
    return text.replace("\r\n", "\n").translate({**_PICTURES, **_KEEP_LINES})


NBSP = "\u00a0"
# A number and what belongs to it, which a wrap must not split: "95 %", "8.6 months",
# "CI 18.7–35.0", "% CI", "n = 122".
_TOGETHER = re.compile(
    r"(?<=\d) (?=%|months?\b|weeks?\b|days?\b|years?\b|mg\b|patients?\b)"
    r"|(?<=\bCI) (?=\d)|(?<=%) (?=CI\b)|(?<=\bn) (?==)|(?<=\bn =) (?=\d)"
)


def keep_together(text: str) -> str:
    """Non-breaking spaces between a number and its unit (and in "95 % CI 18.7–35.0"), so a
    wrapped line never leaves "%" or "CI" at the start of the next one."""
    return _TOGETHER.sub(NBSP, text)
