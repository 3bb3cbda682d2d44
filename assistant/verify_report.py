"""``stormchat verify``: the table of published figures against the records."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from assistant.neutral import neutralise
from knowledge.store import Store
from knowledge.verify import verify


def print_report(store: Store, out: TextIO, against: Path | None = None) -> int:
    """Print the table; return 0 when every figure matches, 1 otherwise. ``against``: a
    team's CSV of expected counts (term, arm, n, N) instead of the published figures.

    Every cell and the store's path are neutralised (``assistant.neutral``): a store is anyone's
    file, and its texts, like its file name, may hold escape sequences meant for the terminal."""
    if against is not None:
        from knowledge.verify_table import check_table

        checks = check_table(store, against)
        headers = ("", "term — arm", "expected", "from the records", f"in {against.name}")
    else:
        checks = verify(store)
        headers = ("", "figure", "published", "from the records", "source")
    rows = [
        tuple(
            neutralise(cell, keep="")
            for cell in ("✓" if c.ok else "✗", c.figure, c.published, c.computed, c.source)
        )
        for c in checks
    ]
    widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers) - 1)]

    def line(row: tuple[str, ...]) -> str:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        return "  ".join([*cells, row[-1]]).rstrip()

    out.write(f"Store: {neutralise(store.path, keep='')}\n")
    if store.meta.reconstructed:
        out.write(
            "Records: reconstructed from the published aggregates (not the trial's "
            "individual patient data).\n\n"
        )
    out.write(line(headers) + "\n")
    for row in rows:
        out.write(line(row) + "\n")
    failed = sum(1 for c in checks if not c.ok)
    out.write(f"\n{len(checks)} figures: {len(checks) - failed} match, {failed} differ\n")
    out.flush()
    return 0 if failed == 0 else 1
