"""The walkthrough without the app: as plain text (``demo --plain``) and as Markdown
(``demo --export``). Both come from the same answers, so a handout says what the screen said.

The steps are asked in order in one conversation, as the app asks them. No Textual here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from assistant.answer import Answer
from assistant.atomic import atomic_writer
from assistant.demo.script import Script, Step
from assistant.engine import Engine
from assistant.handlers.context import Settings
from assistant.output import escape_markdown, visible
from assistant.study_profile import STORM, profile
from knowledge.stats import CI_METHODS

RECORDS_NOTE = (
    "Figures marked 'computed from the reconstructed records' come from patient "
    "records rebuilt to match the published aggregates, not from the trial's data."
)


@dataclass(frozen=True)
class Result:
    index: int | None  # 0-based; None for a question the presenter typed in the app
    step: Step
    answer: Answer


def walk(script: Script, engine: Engine) -> Iterator[Result]:
    """Ask every step in order in one conversation, yielding each answer as it is computed
    (so ``--plain`` prints as it goes)."""
    conversation = engine.conversation()
    for index, step in enumerate(script):
        yield Result(index, step, conversation.ask(step.question))


def settings_line(settings: Settings) -> str:
    method = CI_METHODS.get(settings.ci_method, settings.ci_method)
    return f"Intervals: {method}, {settings.level * 100:g} %"


def title_of(script: Script) -> str:
    return script.title or f"stormchat demo: {script.name}"


# ------------------------------------------------------------------------------ plain text


def text_header(script: Script, settings: Settings, study: str = STORM.summary) -> str:
    return (
        f"{visible(title_of(script))}\n{visible(study)}\n{len(script)} steps. "
        f"{settings_line(settings)}.\n"
    )


def heading_of(script: Script, result: Result) -> str:
    return PRESENTER if result.index is None else script.heading(result.index)


# The heading of a question the presenter typed during the demo.
PRESENTER = "The presenter's question"


def text_step(script: Script, result: Result) -> str:
    """One step: a rule, ``Step n/N — caption``, the question, the answer, its sources."""
    heading = visible(heading_of(script, result))
    answer = result.answer
    lines = ["", "-" * 72, heading, "", f"Q: {visible(result.step.question)}"]
    body = visible(answer.text).rstrip("\n").split("\n")
    lines.append(f"A: {body[0]}")
    # Continuation lines line up under the first line of the answer, as batch's text format.
    lines += [f"   {line}" if line else "" for line in body[1:]]
    if answer.chart is not None:
        lines.append(f"   [chart in the app: {visible(answer.chart.title)}]")
    if answer.sources:
        lines.append("Sources: " + "; ".join(visible(source) for source in answer.sources))
    if answer.status != "answered":
        lines.append(f"Status: {answer.status}")
    return "\n".join(lines) + "\n"


def text_footer(results: list[Result]) -> str:
    return f"\n{RECORDS_NOTE}\n" if _uses_records(results) else ""


# -------------------------------------------------------------------------------- Markdown


def markdown_document(
    script: Script, results: list[Result], settings: Settings, study: str = STORM.summary
) -> str:
    """The whole walkthrough as one Markdown document. Captions, questions and answers are
    plain text, escaped so nothing in a team's script changes the document's structure."""
    parts = [
        f"# {escape_markdown(title_of(script)).replace(chr(10), ' ')}",
        "",
        escape_markdown(study),
        "",
        f"*{escape_markdown(_steps_shown(script, results))}. "
        f"{escape_markdown(settings_line(settings))}.*",
        "",
    ]
    for result in results:
        parts += _markdown_step(script, result)
    if _uses_records(results):
        parts += ["---", "", escape_markdown(RECORDS_NOTE), ""]
    return "\n".join(parts)


def _steps_shown(script: Script, results: list[Result]) -> str:
    """``12 steps``, or what a presentation that skipped or added some showed."""
    steps = len({r.index for r in results if r.index is not None})
    own = sum(1 for r in results if r.index is None)
    if steps == len(script) and not own:
        return f"{len(script)} steps"
    said = f"{steps} of {len(script)} steps shown"
    return said + (
        f", and {own} question{'s' if own != 1 else ''} from the presenter" if own else ""
    )


def _markdown_step(script: Script, result: Result) -> list[str]:
    answer = result.answer
    parts = [
        f"## {escape_markdown(heading_of(script, result))}",
        "",
        f"**Q:** {escape_markdown(result.step.question)}",
        "",
    ]
    # Hard line breaks (a trailing backslash) keep the answer's own line structure; blank
    # lines stay paragraph breaks (as batch's Markdown format does).
    lines = escape_markdown(answer.text.rstrip("\n")).split("\n")
    for index, line in enumerate(lines):
        follows = index + 1 < len(lines) and lines[index + 1].strip()
        parts.append(line + "\\" if line.strip() and follows else line)
    parts.append("")
    if answer.chart is not None:
        parts += [f"*Chart in the app: {escape_markdown(answer.chart.title)}*", ""]
    if answer.status != "answered":
        parts += [f"*Status: {answer.status}*", ""]
    if answer.sources:
        parts += ["Sources:", ""] + [f"- {escape_markdown(s)}" for s in answer.sources] + [""]
    return parts


def _uses_records(results: list[Result]) -> bool:
    return any(
        any("reconstructed" in source for source in result.answer.sources) for result in results
    )


# ------------------------------------------------------------------------- the two outputs


def print_walkthrough(script: Script, engine: Engine, stream: TextIO) -> list[Result]:
    """``demo --plain``: each step written and flushed as soon as it is answered, so a
    terminal or a log shows progress; the results, for ``--export`` to reuse."""
    settings = engine.defaults
    stream.write(text_header(script, settings, profile(engine.store).summary))
    results: list[Result] = []
    for result in walk(script, engine):
        results.append(result)
        stream.write(text_step(script, result))
        stream.flush()
    stream.write(text_footer(results))
    return results


def export_walkthrough(
    path: Path, script: Script, engine: Engine, force: bool, results: list[Result] | None = None
) -> None:
    """``demo --export``: the Markdown document, written atomically; an existing ``path`` is
    kept unless ``force`` (``OutputExistsError``)."""
    if results is None:
        results = list(walk(script, engine))
    write_export(path, script, results, engine.defaults, force, profile(engine.store).summary)


def write_export(
    path: Path,
    script: Script,
    results: list[Result],
    settings: Settings,
    force: bool,
    study: str = STORM.summary,
) -> None:
    """The Markdown document of ``results``, written atomically (``OutputExistsError`` for an
    existing ``path`` without ``force``)."""
    document = markdown_document(script, results, settings, study)
    with atomic_writer(path, force) as handle:
        handle.write(document.encode("utf-8"))
