"""Build the study store: published facts plus reconstructed records, as one TinyDB file.

    python -m knowledge.build            # rebuild the store shipped in the package
    python -m knowledge.build --out F    # write it elsewhere

The file is written to a temporary path beside the target and moved into place with
``os.replace``, so a reader never sees half a store and an interrupted build leaves the old one
intact. Keys are sorted and document ids sequential, so the same code gives the same bytes: a
test rebuilds the store and compares it with the shipped file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from knowledge.facts import FactsError, published_facts
from knowledge.models import AdverseEvent, StoreMeta, Subject, TimeToEvent
from knowledge.store import SCHEMA_VERSION, default_store_path

DESCRIPTION = (
    "STORM Part 2 (NCT02336815): published facts, and patient records RECONSTRUCTED from the "
    "published aggregates. The trial's individual patient data are not public: the records "
    "reproduce every published count and median, and nothing else about them is real."
)


def store_tables() -> dict[str, list[dict[str, object]]]:
    """Every table of the store as JSON-ready documents."""
    # Imported here: the reconstruction reads its targets from the facts when imported, so a
    # facts file that is broken is reported by main() in one line.
    from knowledge.reconstruct import AE_MIN_GRADE, SEED, reconstruct

    records = reconstruct(SEED)
    meta = StoreMeta(
        study="STORM Part 2: selinexor-dexamethasone in triple-class-refractory myeloma",
        schema_version=SCHEMA_VERSION,
        reconstructed=True,
        description=DESCRIPTION,
        seed=SEED,
        ae_min_grade=dict(sorted(AE_MIN_GRADE.items())),
    )
    groups: dict[str, Sequence[BaseModel]] = {
        "meta": [meta],
        "facts": published_facts(),
        "adsl": records.subjects,
        "adrs": records.responses,
        "adae": records.adverse_events,
        "adtte": records.tte,
    }
    return {
        name: [
            row.model_dump(mode="json", exclude=IMPORT_ONLY_FIELDS.get(type(row))) for row in rows
        ]
        for name, rows in groups.items()
    }


# Fields the schema grew for stores imported from ADaM files (knowledge.adam_import). STORM's
# records leave them at their defaults, and its store is written without them, so the shipped
# file stays byte for byte what it was.
IMPORT_ONLY_FIELDS: dict[type, set[str]] = {
    Subject: {"STUDYID", "ARM", "ITTFL", "FASFL", "SEX"},
    AdverseEvent: {"AESOC", "AESEV", "TRTEMFL"},
    TimeToEvent: {"PARAM"},
    StoreMeta: {
        "study_id",
        "title",
        "arms",
        "control_arm",
        "response_criteria",
        "ae_grading",
        "sources",
    },
}


def write_store(path: Path) -> Path:
    """Write the store to ``path`` atomically (temporary file, then ``os.replace``)."""
    from tinydb import TinyDB

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=".storm-", suffix=".json.tmp", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        # TinyDB rewrites the whole file on every insert, so gather each table first and
        # insert it in one call.
        with TinyDB(temp, encoding="utf-8", sort_keys=True, indent=1, ensure_ascii=False) as db:
            db.drop_tables()
            for name, docs in store_tables().items():
                db.table(name).insert_multiple(docs)
        # mkstemp creates the file private (0600); the store is meant to be world-readable.
        temp.chmod(0o644)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m knowledge.build",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write the store (default: the one in the package)",
    )
    args = parser.parse_args(argv)
    try:
        target = write_store(args.out or default_store_path())
    except (FactsError, LookupError, ValueError) as error:
        # A facts file that breaks the schema, a target it lacks, or a layout it no longer
        # fits: one line naming the file and the fact, no traceback.
        message = str(error.args[0]) if isinstance(error, LookupError) and error.args else error
        print(f"knowledge.build: cannot build the store: {message}", file=sys.stderr)
        return 2
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
