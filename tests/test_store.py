"""The store: shipped, rebuilt byte for byte, opened read-only, and every broken copy refused
with one line and exit 3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main
from knowledge.build import write_store
from knowledge.store import Store, StoreError, default_store_path, load_store


def test_shipped_store_loads_and_says_it_is_reconstructed(store: Store) -> None:
    assert store.meta.reconstructed
    assert "RECONSTRUCTED" in store.meta.description
    assert len(store.population("mITT")) == 122
    assert len(store.population("safety")) == 123


def test_rebuild_is_byte_identical_to_the_shipped_store(tmp_path: Path) -> None:
    rebuilt = write_store(tmp_path / "storm.json")
    assert rebuilt.read_bytes() == default_store_path().read_bytes()
    # And no temporary file is left beside it.
    assert [p.name for p in tmp_path.iterdir()] == ["storm.json"]


def test_build_replaces_an_existing_file_atomically(tmp_path: Path) -> None:
    target = tmp_path / "storm.json"
    target.write_text("old", encoding="utf-8")
    write_store(target)
    assert load_store(target).meta.reconstructed


def _broken(tmp_path: Path, content: bytes | str, name: str = "broken.json") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def _shipped() -> dict:
    return json.loads(default_store_path().read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "empty"),
        ('{"meta": {"1": ', "not valid JSON"),
        ("[1, 2, 3]", "not a stormchat store"),
        ('{"meta": {}}', "table 'facts' is missing"),
        (b"\xff\xfe\x00garbage", "not"),
    ],
)
def test_broken_stores_raise_store_error(
    tmp_path: Path, content: str | bytes, expected: str
) -> None:
    with pytest.raises(StoreError) as info:
        load_store(_broken(tmp_path, content))
    assert expected in str(info.value)


def test_truncated_copy_of_the_real_store(tmp_path: Path) -> None:
    data = default_store_path().read_bytes()
    with pytest.raises(StoreError, match="not valid JSON"):
        load_store(_broken(tmp_path, data[: len(data) // 2]))


def test_invalid_record_names_table_record_and_field(tmp_path: Path) -> None:
    data = _shipped()
    first_key = sorted(data["adae"], key=int)[0]
    data["adae"][first_key]["AETOXGR"] = 9
    with pytest.raises(StoreError) as info:
        load_store(_broken(tmp_path, json.dumps(data)))
    message = str(info.value)
    assert "'adae'" in message and "record 1" in message and "AETOXGR" in message


def test_unknown_subject_is_refused(tmp_path: Path) -> None:
    data = _shipped()
    first_key = sorted(data["adrs"], key=int)[0]
    data["adrs"][first_key]["USUBJID"] = "NOBODY"
    with pytest.raises(StoreError, match="NOBODY"):
        load_store(_broken(tmp_path, json.dumps(data)))


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such file"):
        load_store(tmp_path / "nope.json")
    with pytest.raises(StoreError, match="directory"):
        load_store(tmp_path)


def test_device_or_pipe_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo):
        with pytest.raises(StoreError, match="not a regular file"):
            load_store(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = _broken(tmp_path, "{}")
    path.chmod(0)
    with pytest.raises(StoreError, match="permission"):
        load_store(path)


def test_cli_gives_one_line_and_exit_3_for_a_corrupt_store(tmp_path: Path) -> None:
    data = default_store_path().read_bytes()
    path = _broken(tmp_path, data[:1000])
    run = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "--db", str(path), "verify"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 3
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stormchat: ") and str(path) in lines[0]
    assert "Traceback" not in run.stderr and run.stdout == ""


def test_db_option_after_the_command_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["verify", "--db", str(tmp_path / "missing.json")]) == 3
    assert "no such file" in capsys.readouterr().err


def test_store_file_is_opened_read_only(tmp_path: Path) -> None:
    copy = tmp_path / "ro.json"
    copy.write_bytes(default_store_path().read_bytes())
    copy.chmod(0o444)
    before = copy.stat().st_mtime_ns
    assert load_store(copy).meta.reconstructed
    assert copy.stat().st_mtime_ns == before
