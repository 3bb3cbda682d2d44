"""Evaluate the parser on the labelled corpus: ``python -m intents.evaluate [--split heldout]``.

Each corpus line is ``{"turns": [...], "intent": ..., "slots": {...}}``; the label applies to
the last turn, earlier turns are parsed in order and passed as ``previous``. Slot accuracy is the
share of utterances whose labelled slots all equal the parse's slot values (names not labelled
are not checked). An out-of-scope leak is an ``out_of_scope`` utterance parsed as a study
question (anything but out_of_scope / unknown / clarify / conversation).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from intents.parser import Parser
from intents.schema import Parse

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "intents_corpus"
TERMS = ["Thrombocytopenia", "Fatigue", "Nausea", "Anaemia", "Neutropenia", "Hyponatraemia",
         "Leukopenia", "Diarrhoea", "Vomiting", "Decreased appetite", "Haemorrhage", "Pneumonia",
         "Sepsis"]
NOT_STUDY = frozenset({"out_of_scope", "unknown", "clarify", "greeting", "help", "thanks"})


@dataclass
class Report:
    n: int = 0
    intent_ok: int = 0
    slot_ok: int = 0
    oos_total: int = 0
    oos_leaks: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)
    pred: Counter[str] = field(default_factory=Counter)
    tp: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    parses: int = 0

    @property
    def intent_accuracy(self) -> float:
        return self.intent_ok / self.n if self.n else 0.0

    @property
    def slot_accuracy(self) -> float:
        return self.slot_ok / self.n if self.n else 0.0

    def prf(self, intent: str) -> tuple[float, float, float]:
        p = self.tp[intent] / self.pred[intent] if self.pred[intent] else 0.0
        r = self.tp[intent] / self.gold[intent] if self.gold[intent] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def load(split: str) -> list[dict[str, object]]:
    names = ["train", "heldout"] if split == "all" else [split]
    rows: list[dict[str, object]] = []
    for name in names:
        with open(CORPUS / f"{name}.jsonl", encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    return rows


def run_case(parser: Parser, turns: list[str]) -> Parse:
    previous: Parse | None = None
    for turn in turns:
        previous = parser.parse(turn, previous=previous)
    assert previous is not None
    return previous


def evaluate(split: str = "heldout", parser: Parser | None = None) -> Report:
    parser = parser or Parser(terms=TERMS)
    rep = Report()
    for row in load(split):
        turns = list(row["turns"])  # type: ignore[call-overload]
        gold_intent = str(row["intent"])
        gold_slots = dict(row.get("slots") or {})  # type: ignore[call-overload]
        t0 = time.perf_counter()
        parse = run_case(parser, turns)
        rep.seconds += time.perf_counter() - t0
        rep.parses += len(turns)
        rep.n += 1
        rep.gold[gold_intent] += 1
        rep.pred[parse.intent] += 1
        intent_ok = parse.intent == gold_intent
        slots_ok = intent_ok and all(parse.get(k) == v for k, v in gold_slots.items())
        if intent_ok:
            rep.intent_ok += 1
            rep.tp[gold_intent] += 1
        else:
            rep.confusion[(gold_intent, parse.intent)] += 1
        if slots_ok:
            rep.slot_ok += 1
        if gold_intent == "out_of_scope":
            rep.oos_total += 1
            if parse.intent not in NOT_STUDY:
                rep.oos_leaks += 1
        if not slots_ok:
            got = {k: s.value for k, s in parse.slots.items()}
            rep.errors.append(
                f"{turns!r}: gold {gold_intent} {gold_slots} | got {parse.intent} {got}")
    return rep


def render(rep: Report, split: str, verbose: bool = False) -> str:
    lines = [f"split: {split}   utterances: {rep.n}"]
    lines.append(f"{'intent':<20}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'pred':>6}")
    for intent in sorted(set(rep.gold) | set(rep.pred)):
        p, r, f = rep.prf(intent)
        lines.append(f"{intent:<20}{p:>7.3f}{r:>7.3f}{f:>7.3f}{rep.gold[intent]:>6}{rep.pred[intent]:>6}")
    lines.append("")
    lines.append("confusion (gold -> predicted: count):")
    if not rep.confusion:
        lines.append("  (none)")
    for (g, p), c in rep.confusion.most_common():
        lines.append(f"  {g} -> {p}: {c}")
    lines.append("")
    lines.append(f"intent accuracy: {rep.intent_accuracy:.3f} ({rep.intent_ok}/{rep.n})")
    lines.append(f"slot exact-match accuracy: {rep.slot_accuracy:.3f} ({rep.slot_ok}/{rep.n})")
    lines.append(f"out-of-scope parsed as study questions: {rep.oos_leaks} of {rep.oos_total}")
    if rep.parses:
        lines.append(f"mean parse time: {1000 * rep.seconds / rep.parses:.3f} ms")
    if verbose and rep.errors:
        lines.append("")
        lines.append("errors:")
        lines.extend(f"  {e}" for e in rep.errors)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m intents.evaluate", description=__doc__)
    ap.add_argument("--split", choices=["heldout", "train", "all"], default="heldout")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every wrong utterance")
    args = ap.parse_args(argv)
    rep = evaluate(args.split)
    print(render(rep, args.split, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
