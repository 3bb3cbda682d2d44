"""Shared fixtures: the shipped store is loaded once, and its bytes are checked before and
after the whole session — nothing at run time may write it. No test may write a file that
another test (or another pytest-xdist worker, or the user) reads: each test's app history goes
to its own temporary directory, in its subprocesses too."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.app.history import DATA_DIR_ENV  # plain Python: imports no Textual
from assistant.engine import Engine
from knowledge.store import Store, default_store_path, load_store


def _digest() -> str:
    return hashlib.sha256(default_store_path().read_bytes()).hexdigest()


@pytest.fixture(scope="session", autouse=True)
def shipped_store_is_never_written() -> Iterator[None]:
    before = _digest()
    yield
    assert _digest() == before, "the shipped store changed during the test run"


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the user's history (~/.local/share/stormchat), never one shared between tests."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))


@pytest.fixture(scope="session")
def store() -> Store:
    return load_store()


@pytest.fixture(scope="session")
def engine() -> Engine:
    """One engine for the whole run: it is immutable, and conversations are per test."""
    return Engine.load()


@pytest.fixture
def app_home(own_data_dir: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app's history in the test's own data dir (``own_data_dir``), exports to the temp cwd."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path / "data"
