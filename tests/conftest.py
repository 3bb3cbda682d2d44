"""Shared fixtures: the shipped store is loaded once, and its bytes are checked before and
after the whole session — nothing at run time may write it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest

from knowledge.store import Store, default_store_path, load_store


def _digest() -> str:
    return hashlib.sha256(default_store_path().read_bytes()).hexdigest()


@pytest.fixture(scope="session", autouse=True)
def shipped_store_is_never_written() -> Iterator[None]:
    before = _digest()
    yield
    assert _digest() == before, "the shipped store changed during the test run"


@pytest.fixture(scope="session")
def store() -> Store:
    return load_store()
