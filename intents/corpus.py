"""The labelled corpus: questions with what they ask, kept as JSONL in ``data/corpus``.

One line per question (the format of ``data/corpus/LABELS.md``)::

    {"text": "mOS in >=PR pts", "context": [], "queries": [{"intent": "tte_median",
     "slots": {"endpoint": "OS", "response_group": "PR"}}], "qualifiers": [], "expect": "15.6"}

The file a line comes from is its writer. Files under ``data/corpus/validation`` were written
by writers whose questions are never used for training or for writing rules: the validation
split measures phrasing nobody on the project wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
VALIDATION = CORPUS / "validation"
# Labels that are not intents of the spec.
GRADE_LABELS: dict[str, tuple[str, int | None, int | None]] = {
    "any": ("any", None, None),
    "1": ("eq", 1, 1),
    "2": ("eq", 2, 2),
    "3": ("eq", 3, 3),
    "4": ("eq", 4, 4),
    "5": ("eq", 5, 5),
    ">=3": ("ge", 3, None),
    "3-4": ("between", 3, 4),
    "1-2": ("between", 1, 2),
}


@dataclass(frozen=True)
class Example:
    writer: str
    split: str  # "train" or "validation"
    text: str
    context: list[str]
    queries: list[dict[str, Any]]
    qualifiers: list[dict[str, Any]] = field(default_factory=list)
    expect: str = ""
    persona: str = ""

    @property
    def intent(self) -> str:
        """The label of the question as a whole."""
        return "compound" if len(self.queries) > 1 else str(self.queries[0]["intent"])


def parse_slots(slots: dict[str, Any]) -> dict[str, Any]:
    """Corpus slot labels in the parser's terms ("grade": ">=3" → grade_op/low/high)."""
    out = dict(slots)
    grade = out.pop("grade", None)
    if grade is not None:
        op, low, high = GRADE_LABELS.get(str(grade), ("any", None, None))
        out["grade_op"] = op
        if low is not None:
            out["grade_low"] = low
        if high is not None and op == "between":
            out["grade_high"] = high
    return out


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def load(split: str = "train", root: Path = CORPUS) -> list[Example]:
    """The examples of one split ("train", "validation" or "all")."""
    files: list[tuple[str, Path]] = []
    if split in ("train", "all"):
        files += [("train", p) for p in sorted(root.glob("*.jsonl"))]
    if split in ("validation", "all"):
        files += [("validation", p) for p in sorted((root / "validation").glob("*.jsonl"))]
    out: list[Example] = []
    for name, path in files:
        for row in _rows(path):
            out.append(
                Example(
                    writer=path.stem,
                    split=name,
                    text=str(row["text"]),
                    context=list(row.get("context") or []),
                    queries=list(row["queries"]),
                    qualifiers=list(row.get("qualifiers") or []),
                    expect=str(row.get("expect", "")),
                    persona=str(row.get("persona", "")),
                )
            )
    return out
