"""Record tables stored by column (what `stormchat import` writes): read back to the same
records as one document per record, refused with the same message when a value is bad, and
AE rows held as ``AERecord`` tuples with ``AdverseEvent``'s fields (issue 14: a 100,000-row
ADAE loads in a fraction of a second)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from knowledge.models import AdverseEvent, AERecord, BestResponse, Subject, TimeToEvent
from knowledge.store import COLUMNS, StoreError, columns_of, default_store_path, load_store

MODELS = {"adsl": Subject, "adrs": BestResponse, "adae": AdverseEvent, "adtte": TimeToEvent}


def shipped() -> dict[str, Any]:
    return json.loads(default_store_path().read_text(encoding="utf-8"))


def rows_of(table: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [table[key] for key in sorted(table, key=int)]


def by_column(data: dict[str, Any], *names: str) -> dict[str, Any]:
    out = dict(data)
    for name in names:
        out[name] = {"1": {COLUMNS: columns_of(MODELS[name], rows_of(data[name]))}}
    return out


def write(tmp_path: Path, data: dict[str, Any], name: str = "store.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_ae_record_has_the_fields_of_the_model_in_order() -> None:
    assert AERecord._fields == tuple(AdverseEvent.model_fields)


def test_every_record_table_by_column_loads_the_same_records(tmp_path: Path) -> None:
    data = shipped()
    rows = load_store(default_store_path())
    cols = load_store(write(tmp_path, by_column(data, *MODELS)))
    assert cols.subjects == rows.subjects
    assert cols.responses == rows.responses
    assert cols.tte == rows.tte
    assert cols.adverse_events == rows.adverse_events
    some = next(iter(cols.adverse_events["Nausea"].values()))
    assert isinstance(some, AERecord)
    # Fields the rows leave at their default come back as it (BLEEDFL False, TRTEMFL True).
    assert (some.TRTEMFL, some.AESOC) == (True, None)


def test_columns_are_at_most_half_the_json_of_rows() -> None:
    data = shipped()
    rows = len(json.dumps(data["adae"]))
    cols = len(json.dumps(by_column(data, "adae")["adae"]))
    assert cols < rows / 2


def bad_columns(change: dict[str, tuple[int, object]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The shipped store with the given AE values changed (field → (record index, value)),
    once as rows and once as columns."""
    data = shipped()
    rows = rows_of(data["adae"])
    for field, (index, value) in change.items():
        rows[index][field] = value
    as_rows = {**data, "adae": {str(i): row for i, row in enumerate(rows, 1)}}
    return as_rows, by_column(as_rows, "adae")


@pytest.mark.parametrize(
    "change",
    [
        {"AETOXGR": (2, 7)},  # above the CTCAE range
        {"AEOUT": (5, "BETTER")},  # not in the code list
        {"AESER": (0, "maybe")},
        {"AETOXGR": (4, True)},  # a bool among ints: the shortcut must not read it as 1
        {"AETOXGR": (4, 2.0)},  # a float among ints
        {"AESEV": (1, ["MILD"])},  # unhashable
        {"AETOXGR": (3, float("nan"))},
    ],
    ids=str,
)
def test_a_bad_value_in_a_column_is_refused_as_in_rows(
    change: dict[str, tuple[int, object]], tmp_path: Path
) -> None:
    as_rows, as_cols = bad_columns(change)
    outcomes = []
    for name, data in (("rows.json", as_rows), ("cols.json", as_cols)):
        try:
            store = load_store(write(tmp_path, data, name))
        except StoreError as error:
            outcomes.append(("refused", error.reason))
        else:
            outcomes.append(("loaded", store.adverse_events))
    assert outcomes[0] == outcomes[1]
    if outcomes[0][0] == "refused":
        field = next(iter(change))
        index = change[field][0]
        assert f"table 'adae', record {index + 1}" in outcomes[0][1]
        assert field in outcomes[0][1]


def test_an_unknown_column_is_named(tmp_path: Path) -> None:
    data = by_column(shipped(), "adae")
    columns = data["adae"]["1"][COLUMNS]
    columns["AEWHAT"] = ["x"] * len(columns["USUBJID"])
    with pytest.raises(StoreError) as caught:
        load_store(write(tmp_path, data))
    assert "'adae'" in caught.value.reason and "AEWHAT" in caught.value.reason


def test_columns_of_different_lengths_are_refused(tmp_path: Path) -> None:
    data = by_column(shipped(), "adae")
    data["adae"]["1"][COLUMNS]["AETOXGR"].pop()
    with pytest.raises(StoreError) as caught:
        load_store(write(tmp_path, data))
    assert "columns differ in length" in caught.value.reason


def test_a_column_that_is_not_a_list_is_refused(tmp_path: Path) -> None:
    data = by_column(shipped(), "adsl")
    data["adsl"]["1"][COLUMNS]["AGE"] = 64
    with pytest.raises(StoreError) as caught:
        load_store(write(tmp_path, data))
    assert "each be a list" in caught.value.reason


def test_a_valid_ae_column_table_is_checked_by_its_distinct_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The shortcut is taken (no record-by-record validation of ADAE) where it applies.
    from knowledge import store as store_module

    validated: list[str] = []
    real = store_module._validate_rows

    def spy(path: Path, table: str, rows: list[dict[str, Any]], model: type) -> list[Any]:
        validated.append(table)
        return real(path, table, rows, model)

    monkeypatch.setattr(store_module, "_validate_rows", spy)
    load_store(write(tmp_path, by_column(shipped(), *MODELS)))
    assert "adae" not in validated and "adsl" in validated
