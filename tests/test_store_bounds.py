"""The store against hostile files and environments (issue 15): read and written as UTF-8 in
any locale; numbers finite, bounded and consistent with their populations; a huge file refused
before it is read; permission denied said as such. Every refusal is one ``stormchat:`` line and
exit 3, from every command.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import cli
from knowledge import store as store_module
from knowledge.store import MAX_STORE_BYTES, StoreError, default_store_path, load_store

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "assistant.cli"]
C_LOCALE = {**os.environ, "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}


def shipped() -> dict:
    return json.loads(default_store_path().read_text(encoding="utf-8"))


def first(table: dict) -> dict:
    return table[sorted(table, key=int)[0]]


def one_error_line(err: str) -> str:
    assert err.startswith("stormchat: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "internal error" not in err
    return err


# ---------------------------------------------------------------------------- UTF-8 always


def test_ask_in_the_c_locale_reads_the_store_as_utf8() -> None:
    result = subprocess.run(
        CLI + ["ask", "median PFS"], capture_output=True, cwd=ROOT, env=C_LOCALE, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "3.7 months" in result.stdout.decode("utf-8")


def test_verify_in_the_c_locale_reads_the_store(tmp_path: Path) -> None:
    # A --db store whose texts are all non-ASCII, read under a locale that knows only ASCII.
    data = shipped()
    first(data["facts"])["text"] = "Médiane — ≥ 3 · 日本"
    path = tmp_path / "store.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    env = {**C_LOCALE, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        CLI + ["--db", str(path), "verify"], capture_output=True, cwd=ROOT, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "✓" in result.stdout.decode("utf-8")


def test_build_in_the_c_locale_writes_the_same_utf8_bytes(tmp_path: Path) -> None:
    out = tmp_path / "storm.json"
    result = subprocess.run(
        [sys.executable, "-m", "knowledge.build", "--out", str(out)],
        capture_output=True,
        cwd=ROOT,
        env=C_LOCALE,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == default_store_path().read_bytes()


# ---------------------------------------------------------------------------- bad data


def set_field(
    table: str, field: str, value: object, pick: Callable[[dict], dict] = first
) -> Callable[[], str]:
    def make() -> str:
        data = shipped()
        pick(data[table])[field] = value
        return json.dumps(data)  # NaN and Infinity are written as Python's json reads them

    return make


def fact(fact_id: str) -> Callable[[dict], dict]:
    return lambda table: next(doc for doc in table.values() if doc["id"] == fact_id)


def raw_number(table: str, field: str, digits: str) -> Callable[[], str]:
    """A number with more digits than a float holds, written into the JSON text itself."""

    def make() -> str:
        marker = "__BIG__"
        return set_field(table, field, marker)().replace(f'"{marker}"', digits)

    return make


BAD_DATA: dict[str, tuple[Callable[[], str], tuple[str, ...]]] = {
    "NaN age": (set_field("adsl", "AGE", float("nan")), ("'adsl'", "AGE", "finite")),
    "infinite time": (set_field("adtte", "AVAL", float("inf")), ("'adtte'", "AVAL", "finite")),
    "minus infinity CI": (
        set_field("facts", "ci_low", float("-inf"), fact("efficacy.orr")),
        ("'facts'", "efficacy.orr", "ci_low", "finite"),
    ),
    "NaN figure": (
        set_field("facts", "value", float("nan"), fact("efficacy.orr")),
        ("'facts'", "efficacy.orr", "value"),
    ),
    "negative age": (set_field("adsl", "AGE", -5), ("'adsl'", "AGE", "greater than")),
    "negative years": (set_field("adsl", "DIAGYRS", -1.5), ("'adsl'", "DIAGYRS")),
    "309-digit time": (raw_number("adtte", "AVAL", "1" + "0" * 308), ("'adtte'", "AVAL")),
    "400-digit regimens": (raw_number("adsl", "PRIORREG", "9" * 400), ("'adsl'", "PRIORREG")),
    "tiny time": (set_field("adtte", "AVAL", 5e-324), ("'adtte'", "AVAL")),
    "500 of 122": (
        set_field("facts", "n", 500, fact("efficacy.orr")),
        ("'facts'", "efficacy.orr", "n (500) is larger than its population"),
    ),
    "negative count": (
        set_field("facts", "n", -3, fact("efficacy.orr")),
        ("'facts'", "efficacy.orr", "'n'"),
    ),
    "250 percent": (
        set_field("facts", "value", 250, fact("efficacy.orr")),
        ("efficacy.orr", "250 %, outside 0–100 %"),
    ),
    "CI upside down": (
        set_field("facts", "ci_low", 90, fact("efficacy.orr")),
        ("efficacy.orr", "ci_low (90) is above ci_high"),
    ),
    "AE grade 0 minimum": (
        lambda: json.dumps(
            {
                **shipped(),
                "meta": {"1": {**first(shipped()["meta"]), "ae_min_grade": {"Anaemia": 0}}},
            }
        ),
        ("'meta'", "ae_min_grade"),
    ),
}


@pytest.mark.parametrize("name", list(BAD_DATA))
def test_bad_data_is_refused_naming_the_field(name: str, tmp_path: Path) -> None:
    make, words = BAD_DATA[name]
    path = tmp_path / "store.json"
    path.write_text(make(), encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        load_store(path)
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


@pytest.mark.parametrize("command", [["verify"], ["ask", "What was the ORR?"]])
def test_bad_data_is_exit_3_in_one_line(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "store.json"
    path.write_text(BAD_DATA["500 of 122"][0](), encoding="utf-8")
    assert cli.main(["--db", str(path), *command]) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "larger than its population" in one_error_line(captured.err)


def test_the_shipped_store_is_within_every_bound(store) -> None:
    assert store.facts and store.subjects


# ---------------------------------------------------------------------------- size


def test_huge_sparse_file_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(2 << 30)  # 2 GB, sparse: no disk used
    start = time.monotonic()
    code = cli.main(["--db", str(path), "ask", "What was the ORR?"])
    elapsed = time.monotonic() - start
    err = one_error_line(capsys.readouterr().err)
    assert code == 3 and "too large" in err and "2.0 GB" in err, err
    assert elapsed < 10  # was 44 s and 4 GB before "not valid JSON"


def test_a_store_just_over_the_bound_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "store.json"
    path.write_bytes(default_store_path().read_bytes())
    monkeypatch.setattr(store_module, "MAX_STORE_BYTES", path.stat().st_size - 1)
    with pytest.raises(StoreError, match="too large"):
        load_store(path)
    monkeypatch.setattr(store_module, "MAX_STORE_BYTES", path.stat().st_size)
    assert load_store(path).subjects


def test_the_bound_leaves_room_for_big_stores() -> None:
    assert MAX_STORE_BYTES >= 500 * default_store_path().stat().st_size


def test_memory_error_while_loading_is_a_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_memory(*args: object) -> object:
        raise MemoryError

    monkeypatch.setattr(store_module, "_build", no_memory)
    with pytest.raises(StoreError, match="memory"):
        load_store(default_store_path())


# ---------------------------------------------------------------------------- permissions


def deny(monkeypatch: pytest.MonkeyPatch, denied: Path, where: str) -> None:
    """Make ``denied`` unreadable as a non-root user would find it (the tests run as root,
    who may read anything): the directory cannot be searched (``stat``) or the file cannot
    be opened (``open``)."""
    if where == "directory":
        real_stat = os.stat

        def fake_stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
            if Path(os.fsdecode(path)) == denied:  # type: ignore[arg-type]
                raise PermissionError(13, "Permission denied", str(path))
            return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "stat", fake_stat)
    else:
        import builtins

        import tinydb.storages

        real_open = builtins.open

        def fake_open(file: object, *args: object, **kwargs: object) -> object:
            if Path(os.fsdecode(file)) == denied:  # type: ignore[arg-type]
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(tinydb.storages, "open", fake_open, raising=False)


@pytest.mark.parametrize("where", ["directory", "file"])
@pytest.mark.parametrize("command", ["verify", "ask", "batch"])
def test_permission_denied_is_exit_3_never_cannot_write(
    where: str,
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "locked" / "storm.json"
    path.parent.mkdir()
    path.write_bytes(default_store_path().read_bytes())
    questions = tmp_path / "q.txt"
    questions.write_text("What was the ORR?\n", encoding="utf-8")
    args = {
        "verify": ["verify"],
        "ask": ["ask", "What was the ORR?"],
        "batch": ["batch", str(questions)],
    }[command]
    deny(monkeypatch, path, where)
    code = cli.main(["--db", str(path), *args])
    err = one_error_line(capsys.readouterr().err)
    assert code == 3, err
    assert "permission denied" in err and "cannot write" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_permission_denied_for_real(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    path = locked / "storm.json"
    path.write_bytes(default_store_path().read_bytes())
    locked.chmod(0)
    try:
        assert cli.main(["--db", str(path), "verify"]) == 3
    finally:
        locked.chmod(0o755)
    assert "permission denied" in capsys.readouterr().err
