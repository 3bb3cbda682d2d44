"""The conversation as a Markdown file. Plain Python: no Textual, testable on its own.

Written to a temp file and then linked into place, so the file appears whole or not at all,
and an existing file is never overwritten: a default name that is taken gets a numeric
suffix; a name the user chose that is taken is an error for the user to resolve.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.app.text import multi_line, one_line

if TYPE_CHECKING:
    from assistant.answer import Answer

TITLE = "stormchat conversation: STORM Part 2 (selinexor-dexamethasone)"


def current_directory() -> Path | None:
    """The working directory, or None when it is gone (removed since the app started: the
    process still runs in it, but ``getcwd`` fails)."""
    try:
        return Path.cwd()
    except OSError:
        return None


def _home() -> Path:
    try:
        return Path.home()
    except RuntimeError:  # no $HOME and no password entry
        return Path(tempfile.gettempdir())


def default_path(
    now: datetime | None = None,
    directory: Path | None = None,
    what: str = "conversation",
    extension: str = ".md",
) -> Path:
    """``stormchat-conversation-YYYYMMDD-HHMMSS.md`` (or another ``what`` and ``extension``)
    in ``directory`` (default: the current one, or the home directory when the current one no
    longer exists), with ``-2``, ``-3`` … added if that name is taken."""
    now = now or datetime.now()
    if directory is None:
        directory = current_directory() or _home()
    stem = f"stormchat-{what}-{now:%Y%m%d-%H%M%S}"
    path = directory / f"{stem}{extension}"
    suffix = 2
    while path.exists():
        path = directory / f"{stem}-{suffix}{extension}"
        suffix += 1
    return path


# Saved screens and charts go in a folder of their own, not among the user's files.
SAVE_FOLDER = "stormchat-saved"


def save_folder() -> Path:
    """``stormchat-saved`` in the current directory (the home directory when that was
    removed), created when missing; ``OSError`` when it cannot be."""
    folder = (current_directory() or _home()) / SAVE_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def conversation_markdown(
    turns: Sequence[tuple[str, Answer]], settings_line: str, now: datetime | None = None
) -> str:
    """One section per question: the question as typed, the answer, its sources."""
    now = now or datetime.now()
    lines = [f"# {TITLE}", "", f"Exported {now:%Y-%m-%d %H:%M}. {settings_line}", ""]
    for number, (question, answer) in enumerate(turns, start=1):
        lines += [f"## {number}. {one_line(question)}", ""]
        body = answer.markdown or answer.text
        lines += [multi_line(body).rstrip(), ""]
        if answer.chart is not None:
            lines += [f"*Chart in the app: {one_line(answer.chart.title)}*", ""]
        if answer.sources:
            lines += ["Source: " + "; ".join(one_line(s) for s in answer.sources), ""]
    return "\n".join(lines)


def copy_text(answer: Answer, form: str, settings_line: str) -> str:
    """One answer for the clipboard: ``text`` (the answer and its sources), ``markdown`` (its
    Markdown, tables and all) or ``reference`` (the question, the answer, its sources, the
    interval settings and the study, to paste into a report)."""
    sources = "Source: " + "; ".join(one_line(s) for s in answer.sources) if answer.sources else ""
    if form == "markdown":
        body = multi_line(answer.markdown or answer.text).rstrip()
        return "\n\n".join(part for part in (body, sources) if part)
    if form == "reference":
        return "\n".join(
            part
            for part in (
                f"Q: {one_line(answer.question)}",
                f"A: {multi_line(answer.text).rstrip()}",
                sources,
                settings_line,
                f"Study: {study_reference()}; answered by stormchat",
            )
            if part
        )
    return "\n".join(part for part in (multi_line(answer.text).rstrip(), sources) if part)


@cache
def study_reference() -> str:
    """The study and its paper, for a copied reference. Read on first use: the references
    file is YAML validated by pydantic, which the app's first frame must not wait for."""
    from knowledge.references import load_references

    return (
        "STORM Part 2, selinexor–dexamethasone in triple-class-refractory multiple myeloma: "
        + load_references().references["paper"]
    )


def write_new(path: Path, text: str) -> Path:
    """Create ``path`` with ``text``; ``FileExistsError`` if it exists."""
    path = path.expanduser()
    if path.exists():
        raise FileExistsError(f"{path} already exists")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            # link() fails if the name was taken meanwhile: no silent overwrite even in a race.
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            # Filesystems without hard links: the exists() check above is the guard.
            os.replace(tmp, path)
            return path
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return path
