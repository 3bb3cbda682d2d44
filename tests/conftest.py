"""Shared fixtures: the shipped store is loaded once, and its bytes are checked before and
after the whole session — nothing at run time may write it. Helpers more than one test
module uses live here too (``from tests.conftest import …``). No test may write a file that
another test (or another pytest-xdist worker, or the user) reads: each test's app history goes
to its own temporary directory, in its subprocesses too."""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

# The everyday run takes a few hundred examples of each property (each test says how many);
# `pytest --hypothesis-profile=thorough` takes 2,000 of each, the same strategies, for a
# deeper search before a release.
# Neither keeps hypothesis's example database (it would be written into the repository as
# .hypothesis/): every run draws afresh.
settings.register_profile("default", database=None)
settings.register_profile("thorough", max_examples=2000, database=None)
settings.load_profile("default")

# OpenBLAS's idle threads spin for 2**28 cycles (its default) before they sleep: the model
# rebuild (test_language) then takes 97 s of CPU instead of 34 s, and on two cores shared by two
# xdist workers the spinning takes them from the other worker. 2**4 cycles: the same threads,
# the same partition of the work and so the same bytes (checked), without the spinning. Read
# when numpy loads OpenBLAS, so set before anything imports numpy; subprocesses inherit it.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")
# The language layer's cache between runs (intents.artefact) in a directory of this session's
# own, never the user's ~/.cache: the processes the tests start read what the first one wrote.
os.environ["STORMCHAT_CACHE_DIR"] = _CACHE = tempfile.mkdtemp(prefix="stormchat-cache-")
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
# Hypothesis keeps what it learns of the code's constants under its home directory (.hypothesis
# in the working directory by default): this session's directory too, not the repository.
set_hypothesis_home_dir(os.path.join(_CACHE, "hypothesis"))
# The model rebuild's bytes need the two BLAS threads intents.train asks for, and OpenBLAS
# cannot start more threads than it was loaded with: OMP_NUM_THREADS=1 (common in CI) or a
# one-core machine would load it with one. An explicit OPENBLAS_NUM_THREADS is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

from assistant.app.history import DATA_DIR_ENV  # noqa: E402 - plain Python: imports no Textual
from assistant.cli_config import CONFIG_ENV  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from knowledge.store import Store, default_store_path, load_store  # noqa: E402

if TYPE_CHECKING:  # the helpers for the app tests; importing this module imports no Textual
    from textual.message import Message
    from textual.pilot import Pilot
    from textual.widgets import Static

# Bytes that drive a terminal: C0 controls but newline and tab, DEL, and C1 controls as UTF-8.
CONTROL_BYTES = {*range(0x20), 0x7F} - {0x0A, 0x09}
C1_UTF8 = tuple(chr(code).encode() for code in range(0x80, 0xA0))


def assert_terminal_safe(data: bytes) -> None:
    assert not CONTROL_BYTES & set(data), data
    assert not any(c1 in data for c1 in C1_UTF8), data


def assert_one_error_line(stderr: bytes | str) -> str:
    """The CLI's contract for an error: one ``stormchat:`` line on stderr, no traceback."""
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    assert text.startswith("stormchat: ") and text.count("\n") == 1, text
    assert "Traceback" not in text
    return text


def _digest() -> str:
    return hashlib.sha256(default_store_path().read_bytes()).hexdigest()


@pytest.fixture(scope="session", autouse=True)
def shipped_store_is_never_written() -> Iterator[None]:
    before = _digest()
    yield
    assert _digest() == before, "the shipped store changed during the test run"


# A test run leaves nothing new in the repository's top directory: no tool's cache
# (.mypy_cache, .ruff_cache, .hypothesis, .import_linter_cache), no build output.
@pytest.fixture(scope="session", autouse=True)
def repository_is_never_written() -> Iterator[None]:
    root = Path(__file__).resolve().parent.parent
    before = {p.name for p in root.iterdir()}
    yield
    made = {p.name for p in root.iterdir()} - before
    assert not made, f"the test run wrote {sorted(made)} into the repository"


@pytest.fixture(autouse=True)
def own_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never the user's history (~/.local/share/stormchat) or settings (~/.config/stormchat),
    never one shared between tests."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.setenv(CONFIG_ENV, str(tmp_path / "config" / "config.toml"))


@pytest.fixture
def sigint_default() -> Iterator[None]:
    """Ctrl-C as an interactive shell delivers it. A pytest started in the background of a
    script (`pytest &`, nohup) inherits SIGINT ignored, and so would every process it starts:
    a test of Ctrl-C would then wait for an interruption that never comes."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.fixture
def signals_default() -> Iterator[None]:
    """The terminating signals as a login shell leaves them. Under ``nohup`` (or any parent
    that ignores SIGHUP) the processes a test starts inherit SIGHUP ignored, and stormchat
    rightly keeps an ignored signal ignored: a test that sends one would wait for nothing."""
    names = ("SIGHUP", "SIGTERM", "SIGUSR1", "SIGUSR2")
    previous = {name: signal.signal(getattr(signal, name), signal.SIG_DFL) for name in names}
    yield
    for name, handler in previous.items():
        signal.signal(getattr(signal, name), handler)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Each xdist worker starts with a share of the slow tests. pytest-xdist's worksteal
    (pyproject's addopts) gives each of the N workers one N-th of this list, in order, and a
    worker that runs out takes the not-yet-started end of another's share. So each share is
    made to begin with every N-th slow test: the long tests start at once on every worker, the
    short ones come after and are the ones taken, and the workers finish together. A test that
    uses a module-scoped fixture stays with its module, so the fixture is still set up once."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))

    def movable(item: pytest.Item) -> bool:
        if item.get_closest_marker("slow") is None:
            return False
        info = getattr(item, "_fixtureinfo", None)
        definitions = info.name2fixturedefs.values() if info is not None else ()
        return not any(d.scope == "module" for defs in definitions for d in defs)

    slow = [item for item in items if movable(item)]
    rest = [item for item in items if not movable(item)]
    ordered: list[pytest.Item] = []
    for worker in range(workers):
        share = len(items) // workers + (worker < len(items) % workers)
        mine = slow[worker::workers]
        take = max(share - len(mine), 0) if worker < workers - 1 else len(rest)
        ordered += mine + rest[:take]
        rest = rest[take:]
    items[:] = ordered


@pytest.fixture(scope="session")
def store() -> Store:
    return load_store()


@pytest.fixture(scope="session")
def engine() -> Engine:
    """One engine for the whole run: it is immutable, and conversations are per test."""
    return Engine.load()


@pytest.fixture(scope="session")
def rebuilt_model() -> str:
    """The intent model trained again from the corpus, once a session (half a minute of CPU),
    with BLAS held to one thread around it: the build must set the thread count its bytes
    depend on itself, not take the caller's."""
    pytest.importorskip("sklearn")
    from threadpoolctl import threadpool_limits

    from intents import train

    with threadpool_limits(limits=1, user_api="blas"):
        text, _ = train.build()
    return text


@pytest.fixture
def app_home(own_data_dir: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The app's history in the test's own data dir (``own_data_dir``), exports to the temp cwd."""
    monkeypatch.chdir(tmp_path)
    yield tmp_path / "data"


# ---------------------------------------------------------------- helpers for the Pilot tests


async def submit(pilot: Pilot[int], text: str) -> None:
    """Ask ``text`` in the app's input and wait for the answer. Setting the value is as good
    as typing it (test_app_pilot presses each key once) and much faster."""
    pilot.app.prompt.value = text  # type: ignore[attr-defined]
    await pilot.press("enter")
    await pilot.pause()


def plain(widget: Static) -> str:
    """A Static's text as displayed, without its styles."""
    return str(getattr(widget.visual, "plain", widget.visual))


def notes(posted: list[Message]) -> list[tuple[str, str]]:
    """The notifications an app posted (``message_hook``): (message, severity)."""
    from textual.notifications import Notify

    return [
        (m.notification.message, m.notification.severity) for m in posted if isinstance(m, Notify)
    ]


def temp_files(root: Path) -> list[Path]:
    """Temporary files an atomic write left behind under ``root`` (there must be none)."""
    return [path for path in root.rglob("*") if path.name.endswith(".tmp")]
