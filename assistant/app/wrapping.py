"""Line wrapping that keeps a no-break space unbroken.

Textual wraps ``Content`` with Rich's ``divide_line`` and ``TextArea`` documents with its own
``compute_wrap_offsets``; both split words with ``\\s``, which in Python matches U+00A0 and the
other no-break spaces. The app puts those between a number and its unit ("95 %", "8.6 months",
"CI 18.7–35.0", see ``text.keep_together``) exactly so that a wrap never separates them, as
Unicode line breaking (UAX #14, class GL) says. ``install()`` makes both word patterns split
at ASCII whitespace only; it is called once when the app module is imported.
"""

from __future__ import annotations

import re

_ASCII_SPACE = r" \t\n\r\f\v"
RICH_WORD = re.compile(rf"[{_ASCII_SPACE}]*[^{_ASCII_SPACE}]+[{_ASCII_SPACE}]*")
TEXTUAL_CHUNK = re.compile(rf"[^{_ASCII_SPACE}]+[{_ASCII_SPACE}]*|[{_ASCII_SPACE}]+")


def install() -> None:
    import rich._wrap
    import textual._wrap

    rich._wrap.re_word = RICH_WORD
    textual._wrap.re_chunk = TEXTUAL_CHUNK
