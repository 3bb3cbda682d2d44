"""Synthetic stores for the scaling test: the shipped store with every patient copied.

Each copy of a patient gets a new USUBJID (``<id>-x<copy>``) on its ADSL, ADRS, ADAE and ADTTE
records; study facts and metadata stay as they are. The file is written the way TinyDB lays
one out (table → document id → document), so ``load_store`` reads it like the real one.
"""

from __future__ import annotations

import json
from pathlib import Path

PATIENT_TABLES = ("adsl", "adrs", "adae", "adtte")


def shipped_store() -> Path:
    from knowledge.store import default_store_path

    return default_store_path()


def build(source: Path, target: Path, factor: int) -> int:
    """Write ``factor`` × the patients of ``source`` to ``target``; the number of subjects."""
    raw = json.loads(source.read_text(encoding="utf-8"))
    for table in PATIENT_TABLES:
        rows = [raw[table][key] for key in sorted(raw[table], key=int)]
        copies = list(rows)
        for copy in range(1, factor):
            copies.extend({**row, "USUBJID": f"{row['USUBJID']}-x{copy}"} for row in rows)
        raw[table] = {str(i): row for i, row in enumerate(copies, start=1)}
    target.write_text(json.dumps(raw), encoding="utf-8")
    return len(raw["adsl"])
