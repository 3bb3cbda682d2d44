"""A demo script: the steps of a walkthrough, each a question and a caption for the presenter.

Two file formats, told apart by the file name (``.yaml`` / ``.yml`` is YAML, anything else is
plain text), so a question that happens to look like YAML is never read as YAML by surprise.

Plain text, one step per line::

    # a comment; blank lines are ignored too
    The primary endpoint :: What was the overall response rate?
    What was the clinical benefit rate?          <- a question without a caption

YAML, a list of steps, or a mapping whose only keys are ``title`` and ``steps``::

    title: STORM Part 2 for the tumour board
    steps:
      - caption: The primary endpoint
        question: What was the overall response rate?
      - What was the clinical benefit rate?      # a question without a caption

Every error names the file and, where there is one, the line: ``ScriptError`` reads
``demo script FILE, line N: what is wrong``. No Textual here: ``--plain`` runs headless.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from assistant.engine import MAX_QUESTION_CHARS

SEPARATOR = "::"
YAML_SUFFIXES = (".yaml", ".yml")
STEP_KEYS = ("caption", "question")
TOP_KEYS = ("title", "steps")
MAX_CAPTION_CHARS = 200
# A script is a handful of lines; anything far larger is not one (a log, a data file), and
# reading it whole to find that out would only cost memory.
MAX_SCRIPT_BYTES = 1024 * 1024
# A script is a mapping of a list of mappings: three levels. Far deeper is not a script.
MAX_YAML_DEPTH = 16
# Scalars YAML resolves to something other than a string are still text to us ("2019", "yes"):
# only a missing value (null) or a structure in place of text is an error.
_TEXT_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool")}


@dataclass(frozen=True)
class Step:
    question: str
    caption: str = ""
    line: int | None = None  # where the step is written, for messages; None when built in


@dataclass(frozen=True)
class Script:
    steps: tuple[Step, ...]
    name: str
    title: str = ""

    def __len__(self) -> int:
        return len(self.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def heading(self, index: int) -> str:
        """``Step 3/12 — caption`` for the step at ``index`` (0-based)."""
        step = self.steps[index]
        number = f"Step {index + 1}/{len(self.steps)}"
        return f"{number} — {step.caption}" if step.caption else number


class ScriptError(Exception):
    """The script cannot be used: one line naming the file and, where there is one, the line."""

    def __init__(self, name: str, message: str, line: int | None = None) -> None:
        where = f"demo script {name}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {message}")
        self.name = name
        self.line = line
        self.message = message


def load_script(path: Path | str) -> Script:
    """Read, parse and validate the script at ``path``; ``ScriptError`` on any problem."""
    path = Path(path)
    name = str(path)
    data = _read_bytes(path, name)
    text = _decode(data, name)
    if path.suffix.lower() in YAML_SUFFIXES:
        return parse_yaml(text, name)
    return parse_text(text, name)


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        if path.is_dir():
            raise ScriptError(name, "is a directory, not a script")
        with path.open("rb") as handle:
            data = handle.read(MAX_SCRIPT_BYTES + 1)
    except FileNotFoundError:
        raise ScriptError(name, "no such file") from None
    except PermissionError:
        raise ScriptError(name, "permission denied") from None
    except OSError as error:
        raise ScriptError(name, f"cannot read it: {error.strerror or error}") from None
    return data


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes, name: str) -> str:
    # A NUL never occurs in text: this is how a binary file is told from a script, at the
    # line where it shows.
    nul = data.find(b"\0")
    if nul >= 0:
        raise ScriptError(name, "binary data (a NUL byte): not a text file", _line_of(data, nul))
    if len(data) > MAX_SCRIPT_BYTES:
        raise ScriptError(name, f"larger than {MAX_SCRIPT_BYTES // 1024} KiB: not a demo script")
    try:
        # utf-8-sig: a script saved by a Windows editor starts with a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScriptError(name, "not UTF-8 text", _line_of(data, error.start)) from None


def _check_text(value: str, what: str, limit: int, name: str, line: int | None) -> str:
    """A caption or question as one clean line, or ``ScriptError``."""
    # Newlines and tabs inside a YAML block scalar are just wrapping: fold them to spaces.
    value = " ".join(value.split())
    for char in value:
        if not char.isprintable():
            raise ScriptError(
                name, f"the {what} contains a control character (U+{ord(char):04X})", line
            )
    if len(value) > limit:
        raise ScriptError(name, f"the {what} is longer than {limit} characters", line)
    return value


def _make_step(question: str, caption: str, name: str, line: int | None) -> Step:
    question = _check_text(question, "question", MAX_QUESTION_CHARS, name, line)
    caption = _check_text(caption, "caption", MAX_CAPTION_CHARS, name, line)
    if not question:
        raise ScriptError(name, "the question is empty", line)
    return Step(question=question, caption=caption, line=line)


# ------------------------------------------------------------------------------ plain text


def parse_text(text: str, name: str = "<text>") -> Script:
    """One step per line: ``question`` or ``caption :: question``; ``#`` comments and blank
    lines are skipped."""
    steps: list[Step] = []
    # split("\n"), not splitlines(): the line numbers must be the ones an editor shows,
    # and splitlines() also breaks at form feeds and other separators.
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.count(SEPARATOR) > 1:
            raise ScriptError(
                name, f"more than one '{SEPARATOR}' (write 'caption {SEPARATOR} question')", number
            )
        if SEPARATOR in line:
            caption, question = (part.strip() for part in line.split(SEPARATOR))
            if not caption:
                raise ScriptError(
                    name,
                    f"nothing before '{SEPARATOR}' (write 'caption "
                    f"{SEPARATOR} question', or just the question)",
                    number,
                )
        else:
            caption, question = "", line
        steps.append(_make_step(question, caption, name, number))
    if not steps:
        raise ScriptError(name, "no steps: every line is blank or a comment")
    return Script(tuple(steps), name)


# ------------------------------------------------------------------------------------ YAML


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def parse_yaml(text: str, name: str = "<yaml>") -> Script:
    """A list of steps, or ``{title: ..., steps: [...]}``; a step is ``{caption, question}``
    or just the question as a string. Nodes, not Python values, so every error has a line."""
    try:
        _check_depth(text, name)
        # compose() builds nodes with their marks and never constructs objects, so a
        # !!python tag in a team's file is inert here.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or "not valid YAML"
        raise ScriptError(name, f"not valid YAML: {problem}", line) from None
    except yaml.YAMLError as error:  # e.g. a character YAML does not allow, without a mark
        raise ScriptError(name, f"not valid YAML: {error}") from None
    except RecursionError:  # the depth check should make this unreachable: a safety net
        raise ScriptError(name, "nested too deeply: not a demo script") from None
    if root is None:
        raise ScriptError(name, "no steps: the file is empty")
    title = ""
    if isinstance(root, MappingNode):
        fields = _mapping(root, TOP_KEYS, name, "the script")
        if "steps" not in fields:
            raise ScriptError(name, "no 'steps:' list", _line(root))
        if "title" in fields:
            title = _check_text(
                _text(fields["title"], "title", name),
                "title",
                MAX_CAPTION_CHARS,
                name,
                _line(fields["title"]),
            )
        root = fields["steps"]
    if not isinstance(root, SequenceNode):
        raise ScriptError(
            name,
            f"expected a list of steps (or a mapping with 'steps:'), found {_kind(root)}",
            _line(root),
        )
    if not root.value:
        raise ScriptError(name, "no steps: the list is empty", _line(root))
    steps = tuple(_yaml_step(node, name) for node in root.value)
    return Script(steps, name, title)


def _check_depth(text: str, name: str) -> None:
    """Refuse nesting deeper than a script can use, at the line where it goes too deep.

    PyYAML's composer recurses once per level: a file of nested brackets would end in
    RecursionError. Its parser does not recurse, so the events are walked first, stopping at
    the first level too many."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise ScriptError(
                    name,
                    f"nested more than {MAX_YAML_DEPTH} levels deep: not a demo script",
                    None if event.start_mark is None else event.start_mark.line + 1,
                )
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def _yaml_step(node: Node, name: str) -> Step:
    if isinstance(node, ScalarNode):
        return _make_step(_text(node, "question", name), "", name, _line(node))
    if not isinstance(node, MappingNode):
        raise ScriptError(
            name,
            f"a step must be a question or a mapping with 'question:' "
            f"(and 'caption:'), found {_kind(node)}",
            _line(node),
        )
    fields = _mapping(node, STEP_KEYS, name, "a step")
    if "question" not in fields:
        raise ScriptError(name, "the step has no 'question:'", _line(node))
    question = _text(fields["question"], "question", name)
    caption = _text(fields["caption"], "caption", name) if "caption" in fields else ""
    return _make_step(question, caption, name, _line(fields["question"]))


def _mapping(node: MappingNode, allowed: tuple[str, ...], name: str, what: str) -> dict[str, Node]:
    """The mapping's values by key, refusing unknown, repeated and non-text keys."""
    fields: dict[str, Node] = {}
    for key, value in node.value:
        if not isinstance(key, ScalarNode):
            raise ScriptError(name, f"{what} has a key that is not a word", _line(key))
        if key.value not in allowed:
            known = ", ".join(f"'{k}'" for k in allowed)
            raise ScriptError(
                name, f"unknown key '{key.value}' in {what} (known: {known})", _line(key)
            )
        if key.value in fields:
            raise ScriptError(name, f"'{key.value}' is given twice", _line(key))
        fields[key.value] = value
    return fields


def _text(node: Node, what: str, name: str) -> str:
    if isinstance(node, ScalarNode) and node.tag in _TEXT_TAGS:
        return str(node.value)
    if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:null":
        raise ScriptError(name, f"the {what} is empty", _line(node))
    raise ScriptError(name, f"the {what} must be text, found {_kind(node)}", _line(node))


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing (null)"
    if node.tag in _TEXT_TAGS:
        return f"the text '{node.value[:40]}'"
    return f"a value tagged {node.tag}"
