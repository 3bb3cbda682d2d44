"""The store: shipped, rebuilt byte for byte, opened read-only, and every broken copy refused
with one line and exit 3."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant import cli
from assistant.cli import main
from knowledge.build import write_store
from knowledge.store import Store, StoreError, default_store_path, load_store

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "assistant.cli"]


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


# ------------------------------------------------------------------------------------------
# ``--db`` (issue 7): every unusable store gives one ``stormchat:`` line naming the file and
# what is wrong, and exit 3, from ``ask``, ``batch`` and ``verify`` alike; a store of the right
# shape but without the records gives answers, not tracebacks; two processes can read one store
# at once.


def shipped() -> dict:
    return json.loads(default_store_path().read_text(encoding="utf-8"))


def first_key(table: dict) -> str:
    return sorted(table, key=int)[0]


def bad_record() -> str:
    data = shipped()
    data["adae"][first_key(data["adae"])]["AETOXGR"] = 9
    return json.dumps(data)


def without_field() -> str:
    data = shipped()
    del data["adsl"][first_key(data["adsl"])]["AGE"]
    return json.dumps(data)


# name → (what to write, words the one line must hold besides the path)
BROKEN: dict[str, tuple[Callable[[], bytes | str], tuple[str, ...]]] = {
    "empty": (lambda: b"", ("empty",)),
    "truncated": (lambda: default_store_path().read_bytes()[:50_000], ("not valid JSON",)),
    "not json": (lambda: "{not json", ("not valid JSON",)),
    "binary": (lambda: bytes(range(256)) * 4, ("not a text file",)),
    "a list": (lambda: "[1, 2, 3]", ("not a stormchat store",)),
    "null": (lambda: "null", ("empty",)),
    "table missing": (lambda: '{"meta": {}}', ("table 'facts' is missing",)),
    "table a list": (lambda: json.dumps({**shipped(), "facts": []}), ("table 'facts'", "list")),
    "rows not records": (
        lambda: json.dumps({**shipped(), "adsl": {"1": 5}}),
        ("table 'adsl'", "something other than records"),
    ),
    "bad record": (bad_record, ("table 'adae'", "record 1", "AETOXGR")),
    "missing field": (without_field, ("table 'adsl'", "record 1", "AGE")),
    "wrong schema": (
        lambda: json.dumps(
            {
                **shipped(),
                "meta": {"1": {**next(iter(shipped()["meta"].values())), "schema_version": 99}},
            }
        ),
        ("version 99",),
    ),
    "deeply nested": (lambda: "[" * 100_000, ("nested too deeply",)),
}


COMMANDS: dict[str, list[str]] = {
    "ask": ["ask", "What was the ORR?"],
    "batch": ["batch", "{questions}"],
    "verify": ["verify"],
}


@pytest.fixture
def questions(tmp_path: Path) -> Path:
    path = tmp_path / "questions.txt"
    path.write_text("What was the ORR?\nmedian PFS\n", encoding="utf-8")
    return path


def command(name: str, questions: Path, db: Path) -> list[str]:
    return [arg.format(questions=questions) for arg in COMMANDS[name]] + ["--db", str(db)]


def assert_store_error(code: int, out: str, err: str, db: Path, words: tuple[str, ...]) -> None:
    assert code == 3 and out == ""
    assert err.startswith("stormchat: cannot use the store ") and err.count("\n") == 1, err
    assert str(db) in err and "Traceback" not in err
    for word in words:
        assert word in err, (word, err)


@pytest.mark.parametrize("name", list(COMMANDS))
@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_store_is_one_line_and_exit_3(
    case: str, name: str, tmp_path: Path, questions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, words = BROKEN[case]
    db = tmp_path / "store.json"
    content = make()
    db.write_bytes(content.encode() if isinstance(content, str) else content)
    code = cli.main(command(name, questions, db))
    out, err = capsys.readouterr()
    assert_store_error(code, out, err, db, words)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_missing_store_and_directory(
    name: str, tmp_path: Path, questions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for db, words in ((tmp_path / "nope.json", ("no such file",)), (tmp_path, ("directory",))):
        code = cli.main(command(name, questions, db))
        out, err = capsys.readouterr()
        assert_store_error(code, out, err, db, words)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_permission_denied_whoever_runs_the_tests(
    name: str,
    tmp_path: Path,
    questions: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Root reads a mode-000 file, so the refusal is simulated where TinyDB opens the file;
    # the next test does it for real when not root.
    import tinydb

    def refuse(path: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    db = tmp_path / "store.json"
    db.write_bytes(default_store_path().read_bytes())
    monkeypatch.setattr(tinydb, "TinyDB", refuse)
    code = cli.main(command(name, questions, db))
    out, err = capsys.readouterr()
    assert_store_error(code, out, err, db, ("permission denied",))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
@pytest.mark.parametrize("name", list(COMMANDS))
def test_unreadable_store_file(
    name: str, tmp_path: Path, questions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "store.json"
    db.write_bytes(default_store_path().read_bytes())
    db.chmod(0)
    code = cli.main(command(name, questions, db))
    out, err = capsys.readouterr()
    assert_store_error(code, out, err, db, ("permission denied",))


@pytest.mark.slow
@pytest.mark.parametrize("name", list(COMMANDS))
def test_through_the_real_entry_point(name: str, tmp_path: Path, questions: Path) -> None:
    # In a process of its own, as users run it: nothing but the one line reaches stderr.
    db = tmp_path / "store.json"
    db.write_bytes(default_store_path().read_bytes()[:50_000])
    result = subprocess.run(
        CLI + command(name, questions, db), capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert_store_error(result.returncode, result.stdout, result.stderr, db, ("not valid JSON",))


# ---------------------------------------------------------------------------- right shape, no data


@pytest.fixture
def no_patients(tmp_path: Path) -> Path:
    """A store of the right schema with its facts but no patient records (a team that has
    not loaded its records yet)."""
    data = shipped()
    for table in ("adsl", "adrs", "adae", "adtte"):
        data[table] = {}
    path = tmp_path / "no_patients.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_verify_without_records_reports_mismatches(
    no_patients: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["verify", "--db", str(no_patients)])
    out, err = capsys.readouterr()
    assert code == 1 and err == ""
    assert "cannot compute" in out and " 0 match" in out


def test_questions_without_records_are_answered(
    no_patients: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = [
        "What was the ORR?",
        "median PFS",
        "median age",
        "who was the first author?",
        "compare ORR in penta vs non-penta",
        "list patients with a CR",
    ]
    for question in questions:
        code = cli.main(["ask", question, "--json", "--db", str(no_patients)])
        out, err = capsys.readouterr()
        answer = json.loads(out)
        assert code == 0 and err == ""
        assert answer["text"].strip() and "stormchat failed" not in answer["text"], answer


def test_facts_missing_are_not_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = shipped()
    data["facts"] = {}
    path = tmp_path / "no_facts.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    for question in ("who was the first author?", "what was the dose of selinexor?"):
        assert cli.main(["ask", question, "--json", "--db", str(path)]) == 0
        answer = json.loads(capsys.readouterr().out)
        # Not "answered" with an empty text, as it was.
        assert answer["status"] == "not_reported" and answer["text"].strip()


# ---------------------------------------------------------------------------- sharing the store


@pytest.mark.parametrize("db", [None, "copy"])
def test_two_processes_read_one_store_at_once(db: str | None, tmp_path: Path) -> None:
    args: list[str] = []
    if db == "copy":
        copy = tmp_path / "store.json"
        copy.write_bytes(default_store_path().read_bytes())
        copy.chmod(0o444)
        args = ["--db", str(copy)]
    asks = {"What was the ORR?": ("response_rate", 32), "median PFS": ("tte_median", None)}
    processes = {
        question: subprocess.Popen(
            CLI + ["ask", question, "--json", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for question in asks
    }
    for question, process in processes.items():
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0 and err == "", err
        answer = json.loads(out)
        intent, n = asks[question]
        assert (answer["status"], answer["intent"]) == ("answered", intent)
        if n is not None:
            assert answer["values"]["n"] == n
        else:
            assert answer["values"]["median"] == pytest.approx(3.7, abs=0.05)
