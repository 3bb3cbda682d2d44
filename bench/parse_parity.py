"""Parse parity: the full parse of every labelled question, dumped, to compare two versions.

    python bench/parse_parity.py dump OUT.jsonl     write every parse to OUT.jsonl
    python bench/parse_parity.py check OUT.jsonl    parse again; exit 1 on any difference

A change meant only to make the language layer faster must not change a single parse. This
dumps, for every text of ``intents/data/corpus`` (training and validation files, each row's
``context`` turns parsed first as ``intents.evaluate`` does) and every turn of
``../shared/eval/dev_cases*.jsonl`` (in conversation, as the engine reads them), the whole
``Parse`` (intent, confidence, slots with spans, queries, qualifiers, unaccounted words,
corrections) twice: with the parser the evaluation uses (its fixed term list) and with the
engine's parser on the shipped store (the store's terms and published numbers). A set of long
random texts (seeded, so the same every run) covers the slow paths a question never reaches.
Dump before the change, check after it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "eval"
sys.path.insert(0, str(REPO))

# Long texts made of corpus words, symbols and numbers: how many, and up to how many words.
RANDOM_TEXTS = 150
RANDOM_WORDS = 400


def _conversations() -> Iterator[tuple[str, list[str], bool]]:
    """(label, turns, skip replies) for every case: corpus rows first, then dev cases."""
    from intents import corpus

    for row in corpus.load("all"):
        yield f"{row.split}/{row.writer}", [*row.context, row.text], True
    for path in sorted(EVAL.glob("dev_cases*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                yield f"{path.stem}/{case['id']}", list(case["turns"]), False


def _random_texts(words: list[str]) -> list[str]:
    rng = random.Random(20191)
    extra = ["and", "or", "/", ",", "vs", "(", ")", "3", "90%", "≥", "i.e.", "?", ".", "-"]
    pool = words + extra
    out = []
    for _ in range(RANDOM_TEXTS):
        n = rng.randint(20, RANDOM_WORDS)
        out.append(" ".join(rng.choice(pool) for _ in range(n)))
    return out


def _parsers() -> list[tuple[str, object]]:
    from assistant.engine import Engine
    from intents.parser import Parser
    from intents.train import STORE_TERMS

    return [("evaluate", Parser(terms=STORE_TERMS)), ("engine", Engine.load().parser)]


def dump_lines() -> Iterator[str]:
    from intents.evaluate import is_reply
    from intents.schema import Parse

    cases = list(_conversations())
    words = sorted({w for _, turns, _ in cases for t in turns for w in t.split()})
    texts = _random_texts(words)
    for name, parser in _parsers():
        parse = parser.parse  # type: ignore[attr-defined]
        for label, turns, skip_replies in cases:
            previous: Parse | None = None
            for i, turn in enumerate(turns):
                if skip_replies and i < len(turns) - 1 and is_reply(turn):
                    continue
                previous = parse(turn, previous)
                yield json.dumps(
                    {"parser": name, "case": label, "turn": i, "parse": previous.model_dump()},
                    ensure_ascii=False,
                    sort_keys=True,
                    default=repr,
                )
        for i, text in enumerate(texts):
            got = parse(text, None)
            yield json.dumps(
                {"parser": name, "case": f"random/{i}", "turn": 0, "parse": got.model_dump()},
                ensure_ascii=False,
                sort_keys=True,
                default=repr,
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=["dump", "check"])
    ap.add_argument("path", type=Path)
    args = ap.parse_args(argv)
    lines = list(dump_lines())
    if args.action == "dump":
        args.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"parse_parity: {len(lines)} parses written to {args.path}")
        return 0
    before = args.path.read_text(encoding="utf-8").splitlines()
    if len(before) != len(lines):
        print(f"parse_parity: {len(before)} parses before, {len(lines)} now")
        return 1
    differ = [(a, b) for a, b in zip(before, lines, strict=True) if a != b]
    for a, b in differ[:5]:
        print(f"- {a}\n+ {b}\n")
    print(f"parse_parity: {len(lines)} parses, {len(differ)} different")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
