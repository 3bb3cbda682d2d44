"""A team's table of expected counts against the records: the double programming a
biostatistician does for QC (``stormchat verify --against TABLE.csv``).

The table is CSV with the columns ``term``, ``arm``, ``n`` and ``N`` (any order, any case,
more columns ignored): ``term`` is a preferred term, a system organ class, or "ANY" (any
adverse event; also "ANY BODY SYSTEM", "ANY ADVERSE EVENT"); ``arm`` is a treatment arm of
the store, or "ALL"/"TOTAL" for the whole safety population. A patient counts once per term
(or class), the denominator is the arm's safety population, as in an AE table.
"""

from __future__ import annotations

import csv
from pathlib import Path

from knowledge import by_arm
from knowledge.store import Store
from knowledge.verify import Check

ANY = frozenset({"ANY", "ANY BODY SYSTEM", "ANY ADVERSE EVENT", "ANY AE", "ANY TEAE"})
ALL_ARMS = frozenset({"ALL", "TOTAL", "OVERALL"})
COLUMNS = ("term", "arm", "n", "N")


class TableError(ValueError):
    """The table cannot be read: missing, not CSV, a column missing, a count not a number."""


def read_table(path: Path | str) -> list[dict[str, str]]:
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            names = {name.strip(): name for name in reader.fieldnames or []}
            lower = {name.lower(): name for name in names}
            columns: dict[str, str] = {}
            for column in COLUMNS:
                # n and N differ only by case: match them exactly, the others in any case.
                found = names.get(column) if column in ("n", "N") else lower.get(column)
                if found is None:
                    raise TableError(f"{path}: no column {column!r} (needs {', '.join(COLUMNS)})")
                columns[column] = names[found]
            return [{c: (row.get(columns[c]) or "").strip() for c in COLUMNS} for row in reader]
    except OSError as error:
        raise TableError(f"{path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise TableError(f"{path}: not a CSV table ({error})") from None


def check_table(store: Store, path: Path | str) -> list[Check]:
    """One check per row of the table."""
    socs = {soc.upper(): soc for soc in by_arm.socs(store)}
    terms = {term.upper(): term for term in store.adverse_events}
    arms = {arm.upper(): arm for arm in by_arm.arms(store)}
    checks: list[Check] = []
    for number, row in enumerate(read_table(path), 2):
        try:
            n, big_n = int(row["n"]), int(row["N"])
        except ValueError:
            raise TableError(
                f"{path}, line {number}: n and N must be whole numbers, not "
                f"{row['n']!r} and {row['N']!r}"
            ) from None
        key, arm_key = row["term"].upper(), row["arm"].upper()
        figure = f"{row['term']} — {row['arm']}"
        expected = f"{n}/{big_n}"
        if arm_key not in arms and arm_key not in ALL_ARMS:
            checks.append(
                Check(
                    figure,
                    expected,
                    f"no such arm (arms: {', '.join(arms.values())})",
                    f"line {number}",
                    False,
                )
            )
            continue
        if key in ANY:
            hits, kind = by_arm.ae_hits(store, None), "any adverse event"
        elif key in terms:
            hits, kind = by_arm.ae_hits(store, [terms[key]]), "preferred term"
        elif key in socs:
            hits, kind = by_arm.ae_hits(store, by_arm.socs(store)[socs[key]]), "system organ class"
        else:
            hits, kind = set(), "not in the records"
        members = by_arm.arm_members(
            store, "safety", None if arm_key in ALL_ARMS else arms[arm_key]
        )
        k = sum(1 for sid in members if sid in hits)
        computed = f"{k}/{len(members)}"
        checks.append(
            Check(
                figure,
                expected,
                f"{computed} ({kind})",
                f"line {number}",
                (k, len(members)) == (n, big_n),
            )
        )
    return checks
