"""Open the study store read-only, validate it, and hold it as typed in-memory indexes.

TinyDB is neither thread- nor process-safe and its writes are not atomic, so the store is
treated as a build artefact: read once with ``access_mode="r"``, validated with pydantic, and
never written at run time. Every failure to read becomes one ``StoreError`` naming the file and
what is wrong, which the CLI turns into one line on stderr and exit 3.
"""

from __future__ import annotations

import json
import os
import stat
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from knowledge.collector import collector_paused
from knowledge.models import (
    AdverseEvent,
    AERecord,
    BestResponse,
    StoreMeta,
    StudyFact,
    Subject,
    TimeToEvent,
)

SCHEMA_VERSION = 1
# The largest store file read: a thousand times the shipped store (100,000 patients or so).
# Parsing JSON takes several times its size in memory, so a bound on the file is a bound on
# the memory and time a load can take.
MAX_STORE_BYTES = 256 << 20

# Table name → the model each of its documents must validate as.
TABLES: dict[str, type[BaseModel]] = {
    "meta": StoreMeta,
    "facts": StudyFact,
    "adsl": Subject,
    "adrs": BestResponse,
    "adae": AdverseEvent,
    "adtte": TimeToEvent,
}

# The tables of patient records. An imported store writes each by column: the table's one
# document is {COLUMNS: {field: [value per record]}} (see ``columns_of``), about half the JSON
# of one document per record (no key repeated per value) and four times faster to parse.
RECORD_TABLES = ("adsl", "adrs", "adae", "adtte")
COLUMNS = "columns"

POPULATIONS: dict[str, str] = {
    "mITT": "modified intention-to-treat population",
    "safety": "safety population",
    "penta": "penta-refractory patients",
    "non_penta": "patients not penta-refractory",
}


def default_store_path() -> Path:
    """The store that ships inside the package."""
    return Path(str(resources.files("knowledge.data").joinpath("storm.json")))


class StoreError(Exception):
    """The store cannot be used: missing, unreadable, not JSON, or not the expected shape."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class Store:
    """The whole study, validated and indexed for the questions people ask."""

    path: str
    meta: StoreMeta
    facts: dict[str, StudyFact]
    subjects: dict[str, Subject]
    responses: dict[str, BestResponse]
    # term → subject → that subject's row for the term (one row per patient and term).
    adverse_events: dict[str, dict[str, AERecord]]
    # PARAMCD → subject → row.
    tte: dict[str, dict[str, TimeToEvent]]
    _populations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Figures derived from the records, kept once computed (see ``derived``).
    _derived: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, remembered under ``key`` for the life of the store.

        The store never changes after loading, so anything computed from it stays true; a
        repeated question then costs a lookup instead of a pass over every patient (which, for
        a store of thousands of patients, is most of an answer's time). Keys are drawn from a
        small, fixed vocabulary (populations, terms, parameters), so this stays small too.
        Callers must treat the value as read-only, or hand out copies."""
        try:
            return self._derived[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._derived[key] = compute()
            return value

    def population(self, name: str) -> tuple[str, ...]:
        """The subject ids of a population: mITT, safety, penta, non_penta."""
        try:
            return self._populations[name]
        except KeyError:
            known = ", ".join(POPULATIONS)
            raise KeyError(f"unknown population {name!r}; one of {known}") from None

    def fact(self, fact_id: str) -> StudyFact | None:
        return self.facts.get(fact_id)

    def facts_under(self, prefix: str) -> list[StudyFact]:
        """Facts whose id starts with ``prefix`` (e.g. "safety.ae."), in store order (a copy:
        callers may change it). Remembered per prefix: an adverse-event answer looks up its
        term's facts this way, and a scan of every fact was a tenth of its time."""

        def compute() -> tuple[StudyFact, ...]:
            return tuple(fact for key, fact in self.facts.items() if key.startswith(prefix))

        return list(self.derived(("facts_under", prefix), compute))

    def worst_grades(self, term: str) -> dict[str, int]:
        """subject → worst grade of one adverse-event term (a copy: callers may change it)."""

        def compute() -> dict[str, int]:
            # 0 stands for "not graded" (a study that records severity, not CTCAE grade):
            # such a row counts at "any grade" and under no grade threshold.
            return {sid: row.AETOXGR or 0 for sid, row in self.adverse_events.get(term, {}).items()}

        return dict(self.derived(("worst_grades", term), compute))

    @property
    def ae_terms(self) -> list[str]:
        return sorted(self.adverse_events)


@cache
def _list_adapter(model: type[M]) -> TypeAdapter[list[M]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def _validate_rows(path: Path, table: str, rows: list[dict[str, Any]], model: type[M]) -> list[M]:
    # One call into pydantic-core per table rather than one per row: the per-row Python loop
    # cost more than the validation itself (a third of the load time; seconds for big stores).
    try:
        return _list_adapter(model).validate_python(rows)
    except ValidationError as error:
        # Errors come in row order, so the first is the first bad row's first bad field, as
        # when rows were validated one by one; its location starts with the row's index.
        first = error.errors()[0]
        index, *field = first["loc"]
        assert isinstance(index, int)
        row = rows[index]
        where = ".".join(str(part) for part in field) or "(record)"
        key = row.get("USUBJID") or row.get("id") if isinstance(row, dict) else None
        record = f"record {index + 1}" + (f" ({key})" if key else "")
        raise StoreError(
            path, f"table {table!r}, {record}, field {where!r}: {first['msg']}"
        ) from None


def _check_file(path: Path) -> None:
    """Refuse what cannot be a store before reading a byte of it: a missing path, a directory,
    a device or a pipe (read without end), a file too large to be one (a 2 GB file would take
    a minute and gigabytes before failing as "not JSON"), a path we may not look at."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise StoreError(path, "no such file") from None
    except PermissionError:
        raise StoreError(path, "permission denied") from None
    except OSError as error:
        raise StoreError(path, f"cannot read ({error.strerror or error})") from None
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(path, "is a directory, not a store file")
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(path, "not a regular file")
    if info.st_size > MAX_STORE_BYTES:
        raise StoreError(
            path,
            f"too large to be a store ({_size(info.st_size)}; a store is at "
            f"most {_size(MAX_STORE_BYTES)})",
        )


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def _read_tables(path: Path) -> dict[str, Table]:
    """Read every table through TinyDB, read-only, as UTF-8 whatever the locale, as plain
    documents in id order (or, for a record table stored by column, its columns)."""
    from tinydb import TinyDB

    _check_file(path)
    try:
        with TinyDB(path, access_mode="r", encoding="utf-8") as db:
            raw = db.storage.read()
            if not raw:
                raise StoreError(path, "the store is empty")
            if not isinstance(raw, dict):
                raise StoreError(path, "not a stormchat store: the top level is not an object")
            tables: dict[str, Table] = {}
            for name in TABLES:
                table = raw.get(name)
                if table is None:
                    raise StoreError(path, f"not a stormchat store: table {name!r} is missing")
                if not isinstance(table, dict):
                    raise StoreError(
                        path,
                        f"not a stormchat store: table {name!r} is a "
                        f"{type(table).__name__}, not a table of records",
                    )
                docs = _in_id_order(table)
                if not all(isinstance(doc, dict) for doc in docs):
                    raise StoreError(path, f"table {name!r} holds something other than records")
                if name in RECORD_TABLES and len(docs) == 1 and set(docs[0]) == {COLUMNS}:
                    tables[name] = _columns(path, name, docs[0][COLUMNS])
                else:
                    tables[name] = docs
            return tables
    except StoreError:
        raise
    except PermissionError:
        raise StoreError(path, "permission denied") from None
    except json.JSONDecodeError as error:
        raise StoreError(
            path,
            f"not valid JSON (line {error.lineno}, column {error.colno}): "
            f"{error.msg}; the file may be truncated or corrupt",
        ) from None
    except UnicodeDecodeError:
        raise StoreError(path, "not a text file: the store must be UTF-8 JSON") from None
    except OSError as error:
        raise StoreError(path, f"cannot read ({error.strerror or error})") from None
    except (TypeError, ValueError) as error:
        raise StoreError(path, f"not a stormchat store: {error}") from None
    except RecursionError:
        # json gives up on deeply nested arrays ("[[[[…") with a RecursionError.
        raise StoreError(path, "not a stormchat store: nested too deeply to read") from None
    except MemoryError:
        raise StoreError(path, "too large to read into the memory available") from None


def _in_id_order(table: dict[str, Any]) -> list[Any]:
    """A table's documents in id order. TinyDB numbers them 1, 2, 3 …: taken in that order
    without a sort (sorting 100,000 keys by a Python key function is a tenth of a second);
    other ids are sorted."""
    try:
        return [table[str(i)] for i in range(1, len(table) + 1)]
    except KeyError:
        return [table[key] for key in sorted(table, key=_doc_order)]


@dataclass(frozen=True)
class Columns:
    """A table stored by column: field → one value per record, every list the same length."""

    values: dict[str, list[Any]]

    def __len__(self) -> int:
        return len(next(iter(self.values.values()), []))

    def rows(self) -> list[dict[str, Any]]:
        fields = list(self.values)
        return [
            dict(zip(fields, values, strict=True))
            for values in zip(*self.values.values(), strict=True)
        ]


# A table as read: its documents in order, or its columns.
Table = list[dict[str, Any]] | Columns


def _columns(path: Path, name: str, columns: object) -> Columns:
    if not isinstance(columns, dict) or not all(
        isinstance(values, list) for values in columns.values()
    ):
        raise StoreError(path, f"table {name!r}: its columns must each be a list of values")
    lengths = {len(values) for values in columns.values()}
    if len(lengths) > 1:
        raise StoreError(
            path, f"table {name!r}: its columns differ in length ({min(lengths)}–{max(lengths)})"
        )
    return Columns(columns)


def _rows(table: Table) -> list[dict[str, Any]]:
    return table.rows() if isinstance(table, Columns) else table


def _ae_records(path: Path, table: Table) -> list[AERecord]:
    """The AE rows, validated, as ``AERecord`` tuples: a table of columns by its columns'
    distinct values where that shortcut applies, else record by record."""
    if isinstance(table, Columns):
        checked = _checked_columns(AdverseEvent, table)
        if checked is not None:
            ordered = (checked[name] for name in AERecord._fields)
            return list(map(AERecord._make, zip(*ordered, strict=True)))
    rows = _validate_rows(path, "adae", _rows(table), AdverseEvent)
    return [AERecord(**vars(row)) for row in rows]


def _checked_columns(model: type[BaseModel], table: Columns) -> dict[str, list[Any]] | None:
    """Every field's column, validated through ``model`` by its distinct values rather than
    record by record (a 100,000-row ADAE has a few hundred distinct values per column), with
    a missing column at the field's default. That equals validating each record when the
    model checks each field on its own (no model or field validators) and a column's values
    are of one type (so no 1 stands in for a True). None where that does not hold or a value
    is invalid: the caller then validates record by record, naming the first bad one."""
    decorators = model.__pydantic_decorators__
    fields = model.model_fields
    if decorators.model_validators or decorators.field_validators or not len(table):
        return None
    if not set(table.values) <= set(fields):
        return None
    if any(info.is_required() and name not in table.values for name, info in fields.items()):
        return None
    distinct: dict[str, list[Any]] = {}
    for name, column in table.values.items():
        if len(set(map(type, column)) - {type(None)}) > 1:
            return None
        try:
            distinct[name] = list(dict.fromkeys(column))
        except TypeError:  # an unhashable value (a list or an object) in a column
            return None
    width = max(len(values) for values in distinct.values())
    probe = [
        {name: values[i % len(values)] for name, values in distinct.items()} for i in range(width)
    ]
    try:
        checked = _list_adapter(model).validate_python(probe)
    except ValidationError:
        return None
    out: dict[str, list[Any]] = {}
    for name, info in fields.items():
        if name not in distinct:
            out[name] = [info.get_default(call_default_factory=True)] * len(table)
            continue
        values = distinct[name]
        valid = {raw: getattr(checked[i], name) for i, raw in enumerate(values)}
        column = table.values[name]
        unchanged = all(type(valid[raw]) is type(raw) and valid[raw] == raw for raw in values)
        out[name] = column if unchanged else [valid[raw] for raw in column]
    return out


def columns_of(model: type[BaseModel], rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Records as a table stored by column (what ``Columns`` reads back): one list
    per field some record has, a record without it taking the field's default."""
    fields = [name for name in model.model_fields if any(name in row for row in rows)]
    defaults = {
        name: model.model_fields[name].get_default(call_default_factory=True) for name in fields
    }
    return {name: [row.get(name, defaults[name]) for row in rows] for name in fields}


def _doc_order(key: str) -> tuple[int, str]:
    # TinyDB keys documents by their id as a string; order "10" after "9".
    return (int(key), "") if key.isdigit() else (1 << 62, key)


def load_store(path: Path | str | None = None) -> Store:
    """Open, validate and index a store; ``None`` means the one shipped with the package."""
    store_path = Path(path) if path is not None else default_store_path()
    with collector_paused():
        try:
            return _build(store_path)
        except MemoryError:
            raise StoreError(store_path, "too large to load into the memory available") from None


def _build(store_path: Path) -> Store:
    return store_from_tables(store_path, _read_tables(store_path))


def store_from_tables(store_path: Path, tables: dict[str, Table]) -> Store:
    """Validate and index a store's tables (documents in order), as ``load_store`` does after
    reading them: an import checks what it is about to write with this."""
    metas = _validate_rows(store_path, "meta", _rows(tables["meta"]), StoreMeta)
    if len(metas) != 1:
        raise StoreError(store_path, f"table 'meta' must hold one record, not {len(metas)}")
    meta = metas[0]
    if meta.schema_version != SCHEMA_VERSION:
        raise StoreError(
            store_path,
            f"schema version {meta.schema_version}; this stormchat reads version {SCHEMA_VERSION}",
        )
    facts = _validate_rows(store_path, "facts", _rows(tables["facts"]), StudyFact)
    subjects = _validate_rows(store_path, "adsl", _rows(tables["adsl"]), Subject)
    responses = _validate_rows(store_path, "adrs", _rows(tables["adrs"]), BestResponse)
    events = _ae_records(store_path, tables["adae"])
    times = _validate_rows(store_path, "adtte", _rows(tables["adtte"]), TimeToEvent)

    subject_index = _unique(store_path, "adsl", ((s.USUBJID, s) for s in subjects))
    fact_index = _unique(store_path, "facts", ((f.id, f) for f in facts))
    known = set(subject_index)
    for table, rows in (("adrs", responses), ("adae", events), ("adtte", times)):
        for row in rows:
            if row.USUBJID not in known:
                raise StoreError(
                    store_path, f"table {table!r}: subject {row.USUBJID!r} is not in 'adsl'"
                )
    response_index = _unique(store_path, "adrs", ((r.USUBJID, r) for r in responses))
    ae_index = _grouped(store_path, "adae", events, lambda row: row.AEDECOD)
    tte_index = _grouped(store_path, "adtte", times, lambda row: row.PARAMCD)

    ordered = list(subject_index.values())
    populations = {
        "mITT": tuple(s.USUBJID for s in ordered if s.MITTFL),
        "safety": tuple(s.USUBJID for s in ordered if s.SAFFL),
        "penta": tuple(s.USUBJID for s in ordered if s.MITTFL and s.PENTAFL),
        "non_penta": tuple(s.USUBJID for s in ordered if s.MITTFL and not s.PENTAFL),
    }
    return Store(
        path=str(store_path),
        meta=meta,
        facts=fact_index,
        subjects=subject_index,
        responses=response_index,
        adverse_events=ae_index,
        tte=tte_index,
        _populations=populations,
    )


R = TypeVar("R", AERecord, TimeToEvent)


def _grouped(
    path: Path, table: str, rows: Iterable[R], group: Callable[[R], str]
) -> dict[str, dict[str, R]]:
    """group → subject → row, refusing a second row for the same subject and group (one row
    per patient and term in ADAE, per patient and parameter in ADTTE)."""
    index: dict[str, dict[str, R]] = defaultdict(dict)
    for row in rows:
        key = group(row)
        if row.USUBJID in index[key]:
            raise StoreError(
                path,
                f"table {table!r}: {row.USUBJID} has two rows for {key!r}; "
                "one row per patient and group",
            )
        index[key][row.USUBJID] = row
    return dict(index)


def _unique(path: Path, table: str, pairs: Iterable[tuple[str, M]]) -> dict[str, M]:
    index: dict[str, M] = {}
    for key, row in pairs:
        if key in index:
            raise StoreError(path, f"table {table!r}: {key!r} appears twice")
        index[key] = row
    return index
