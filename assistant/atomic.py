"""Write a file so that readers see either nothing or the complete result, never half of it.

The output goes to a temporary file in the target's own directory (``os.replace`` is atomic
only within one file system) and is moved into place when the writer finishes. If the run
fails or is interrupted (Ctrl-C, or SIGTERM, SIGHUP, SIGUSR1, SIGUSR2: see ``interrupts``),
the temporary file is removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from assistant.interrupts import interruptible


class OutputExistsError(Exception):
    """The target exists and overwriting it was not asked for."""


def check_target(path: Path, force: bool) -> None:
    """Fail early, before any work, on a target that cannot or must not be written.

    Raises ``OutputExistsError`` for an existing file without ``force`` and ``OSError`` (with a
    message fit for one line) for a directory or a missing parent directory."""
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a directory")
    if path.exists() and not path.is_file():
        # A device or a FIFO (-o /dev/null): replacing it with a regular file would be a
        # surprise at best, and as root it would replace /dev/null for everyone.
        raise OutputExistsError(f"{path}: not a regular file (use shell redirection for it)")
    if path.exists() and not force:
        raise OutputExistsError(f"{path}: already exists (use --force to overwrite it)")
    parent = path.parent
    if not parent.is_dir():
        raise FileNotFoundError(f"{path}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise PermissionError(f"{path}: cannot write in the directory {parent}")


def _final_mode(path: Path) -> int:
    """The mode the finished file should have: the replaced file's, or the usual 0666 minus
    the umask (mkstemp's 0600 would surprise whoever reads the output next)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_writer(path: Path | str, force: bool = False) -> Iterator[BinaryIO]:
    """Yield a binary file to write; on normal exit it becomes ``path`` in one step.

    Without ``force`` an existing ``path`` is never replaced, even one created while we were
    writing: ``os.link`` fails on an existing name, so the check and the move are one step."""
    path = Path(path)
    check_target(path, force)
    with interruptible():
        yield from _write_via_temporary(path, force)


def _write_via_temporary(path: Path, force: bool) -> Iterator[BinaryIO]:
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            # The data must be on disk before the name points at it, or a crash could leave
            # an empty file under the final name.
            os.fsync(handle.fileno())
        os.chmod(tmp, _final_mode(path))
        _move_into_place(tmp, path, force)
    except BaseException:
        # Interrupted (Ctrl-C), failed, or refused: leave no temporary file behind.
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _move_into_place(tmp: Path, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputExistsError(f"{path}: already exists (use --force to overwrite it)") from None
    except OSError:
        # No hard links on this file system (FAT, some network mounts): check, then replace.
        if path.exists():
            raise OutputExistsError(
                f"{path}: already exists (use --force to overwrite it)"
            ) from None
        os.replace(tmp, path)
        return
    tmp.unlink()
