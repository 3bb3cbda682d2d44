"""The language layer's cache between runs (intents.artefact): used while its inputs are
unchanged, rebuilt when one changes or the file is damaged, and never a different parse."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from intents import artefact
from intents.model import Model
from intents.parser import Parser
from intents.spec import DATA, _load_spec
from intents.train import STORE_TERMS


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(artefact.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _counting(value: object) -> tuple[list[int], object]:
    calls: list[int] = []

    def build() -> object:
        calls.append(1)
        return value

    return calls, build


def test_built_once_then_read(cache: Path, tmp_path: Path) -> None:
    source = tmp_path / "input.txt"
    source.write_text("one", encoding="utf-8")
    calls, build = _counting({"words": ["a", "b"]})
    assert artefact.cached("thing", [source], build) == {"words": ["a", "b"]}
    assert artefact.cached("thing", [source], build) == {"words": ["a", "b"]}
    assert len(calls) == 1
    assert len(list(cache.glob("thing-*.pickle"))) == 1


def test_a_changed_input_is_built_again(cache: Path, tmp_path: Path) -> None:
    source = tmp_path / "input.txt"
    source.write_text("one", encoding="utf-8")
    artefact.cached("thing", [source], lambda: "old")
    source.write_text("two words", encoding="utf-8")
    assert artefact.cached("thing", [source], lambda: "new") == "new"
    # The same size, another modification time: built again too.
    source.write_text("two wordz", encoding="utf-8")
    stat = source.stat()
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert artefact.cached("thing", [source], lambda: "newer") == "newer"
    assert len(list(cache.glob("thing-*.pickle"))) == 1  # the earlier ones removed


def test_a_damaged_file_is_built_again(cache: Path, tmp_path: Path) -> None:
    source = tmp_path / "input.txt"
    source.write_text("one", encoding="utf-8")
    artefact.cached("thing", [source], lambda: "first")
    (stored,) = cache.glob("thing-*.pickle")
    stored.write_bytes(b"\x80\x05not a pickle")
    assert artefact.cached("thing", [source], lambda: "rebuilt") == "rebuilt"


def test_an_unwritable_cache_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv(artefact.CACHE_DIR_ENV, str(blocker / "cache"))  # under a file
    calls, build = _counting(42)
    assert artefact.cached("thing", [blocker], build) == 42
    assert artefact.cached("thing", [blocker], build) == 42
    assert len(calls) == 2


def test_parser_from_the_cache_parses_as_one_built_afresh() -> None:
    """The spec, lexicon and model read from the cache give the parses of ones read from
    the data files themselves."""
    cached = Parser(terms=STORE_TERMS)
    fresh = Parser(terms=STORE_TERMS, spec=_load_spec(DATA), model=Model.read())
    assert fresh.spec == cached.spec and fresh.spec is not cached.spec
    for turns in (
        ["What was the ORR?"],
        ["grade 3 or higher thrombocytopenia", "and nausea?"],
        ["mOS in >=PR pts"],
        ["Compare the ORR in penta-refractory vs the others"],
        ["ORR and median PFS in penta, aged over 65?"],
    ):
        a = b = None
        for turn in turns:
            a, b = cached.parse(turn, a), fresh.parse(turn, b)
            assert a.model_dump() == b.model_dump(), turn
