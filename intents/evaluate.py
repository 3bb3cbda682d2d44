"""Evaluate the parser on the labelled corpus: ``python -m intents.evaluate [--split validation]``.

Prints per-intent precision / recall / F1, the confusions, slot accuracy, qualifier accuracy
(kind and span), the unaccounted-word rate and parse times. The validation split was written by
writers whose questions were never used to train the scorer or to write the lexicons; read the
train split's figures as optimistic. ``--curve`` retrains on growing shares of the train split
and prints validation accuracy against corpus size (needs scikit-learn).

A question's gold intent is its query's intent, or "compound" when it asks several; the
context turns are parsed first and passed as ``previous``. A compound parse counts as right
when its queries' intents are the gold ones, in order.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from intents import corpus
from intents.parser import Parser
from intents.schema import Parse, Query
from intents.train import STORE_TERMS

NOT_STUDY = frozenset({"out_of_scope", "unknown", "clarify", "greeting", "help", "thanks"})
# Slots compared with the gold labels (others the labels do not carry consistently).
CHECKED_SLOTS = (
    "threshold",
    "category",
    "term",
    "grade_op",
    "grade_low",
    "grade_high",
    "endpoint",
    "response_group",
    "population",
    "variable",
    "topic",
    "action",
    "ci_method",
    "level",
    "status",
    "group",
    "person",
)


@dataclass
class Report:
    n: int = 0
    intent_ok: int = 0
    slot_ok: int = 0
    slot_n: int = 0
    qualifier_gold: int = 0
    qualifier_found: int = 0
    qualifier_span: int = 0
    qualifier_false: int = 0
    qualifier_free: int = 0
    words: int = 0
    unaccounted: int = 0
    oos_total: int = 0
    oos_leaks: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)
    pred: Counter[str] = field(default_factory=Counter)
    tp: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    writers: Counter[str] = field(default_factory=Counter)
    writers_ok: Counter[str] = field(default_factory=Counter)

    @property
    def intent_accuracy(self) -> float:
        return self.intent_ok / self.n if self.n else 0.0

    def prf(self, intent: str) -> tuple[float, float, float]:
        p = self.tp[intent] / self.pred[intent] if self.pred[intent] else 0.0
        r = self.tp[intent] / self.gold[intent] if self.gold[intent] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


# A context turn that is stormchat's answer, written into the conversation by the writer
# ("12 patients died of adverse events; 2 were judged treatment-related."): the app never
# parses its own answers, so neither does the evaluation. A reply states figures: it starts
# with one ("32/122, 26.2 %", "4.4 months (95 % CI …)"), or it is a sentence that reports one.
_REPLY_START = re.compile(r"^\d[\d.,]*(?: ?%| ?/ ?\d+| of \d+| months?| patients| deaths)")
_REPLY_SENTENCE = re.compile(
    r"\b(?:was|were|had|died|occurred|calls it|discontinued|judged|"
    r"is not reported|from now on|\d+ ?/ ?\d+)\b"
)
_REQUEST = re.compile(
    r"^(?:please|give|provide|show|list|set|use|switch|what|how|can|could|"
    r"count|tell)\b",
    re.IGNORECASE,
)


def is_reply(turn: str) -> bool:
    text = turn.strip()
    if "?" in text or _REQUEST.match(text) or not re.search(r"\d", text):
        return False
    return bool(_REPLY_START.match(text)) or (
        text.endswith(".") and bool(_REPLY_SENTENCE.search(text.lower()))
    )


def run_case(parser: Parser, turns: list[str]) -> Parse:
    """The parse of the last turn, each earlier user turn parsed first as the app does."""
    previous: Parse | None = None
    for i, turn in enumerate(turns):
        if i < len(turns) - 1 and is_reply(turn):
            continue
        previous = parser.parse(turn, previous=previous)
    assert previous is not None
    return previous


def _gold_slots(query: dict[str, Any]) -> dict[str, Any]:
    slots = corpus.parse_slots(dict(query.get("slots") or {}))
    if slots.pop("below", False) and "threshold" in slots:
        slots["threshold"] = "<" + str(slots["threshold"])
    if slots.get("response_group") == "below_PR":
        slots["response_group"] = "<PR"
    return {k: v for k, v in slots.items() if k in CHECKED_SLOTS}


def _slots_match(gold: dict[str, Any], got: Query) -> bool:
    for name, value in gold.items():
        mine = got.get(name)
        if name == "level" and isinstance(mine, float) and isinstance(value, int | float):
            if abs(mine - float(value)) > 1e-6:
                return False
        elif name == "grade_op" and value == "any" and mine in (None, "any"):
            continue
        elif mine != value:
            return False
    return True


def evaluate(split: str = "validation", parser: Parser | None = None) -> Report:
    return evaluate_rows(parser or Parser(terms=STORE_TERMS), corpus.load(split))


def evaluate_rows(parser: Parser, rows: list[corpus.Example]) -> Report:
    rep = Report()
    for row in rows:
        t0 = time.perf_counter()
        parse = run_case(parser, [*row.context, row.text])
        rep.seconds.append(time.perf_counter() - t0)
        gold_intents = [str(q["intent"]) for q in row.queries]
        gold = row.intent
        rep.n += 1
        rep.writers[row.writer] += 1
        predicted = (
            [q.intent for q in parse.queries] if parse.intent == "compound" else [parse.intent]
        )
        rep.gold[gold] += 1
        rep.pred[parse.intent] += 1
        ok = predicted == gold_intents
        if ok:
            rep.intent_ok += 1
            rep.tp[gold] += 1
            rep.writers_ok[row.writer] += 1
        else:
            rep.confusion[(gold, parse.intent)] += 1
        if gold == "out_of_scope":
            rep.oos_total += 1
            if parse.intent not in NOT_STUDY:
                rep.oos_leaks += 1
        queries = parse.queries or [Query(intent=parse.intent, slots=parse.slots)]
        slot_ok = True
        if ok:
            rep.slot_n += 1
            for gq, mq in zip(row.queries, queries, strict=False):
                if not _slots_match(_gold_slots(gq), mq):
                    slot_ok = False
            rep.slot_ok += slot_ok
        _qualifiers(rep, row, parse)
        rep.words += len(row.text.split())
        rep.unaccounted += len(parse.unaccounted)
        if not ok or not slot_ok:
            got = [(q.intent, {k: s.value for k, s in q.slots.items()}) for q in queries]
            rep.errors.append(
                f"[{row.writer}] {[*row.context, row.text]!r}: gold "
                f"{[(q['intent'], _gold_slots(q)) for q in row.queries]} | got "
                f"{got} {[(q.kind, q.text) for q in parse.unserved]}"
            )
    return rep


def _qualifiers(rep: Report, row: corpus.Example, parse: Parse) -> None:
    unserved = parse.unserved
    gold = [
        q
        for q in row.qualifiers
        if q.get("kind") in ("subgroup", "timepoint", "measure", "assessor", "cohort")
        and not (q.get("kind") == "assessor" and q.get("value") == "irc")
    ]
    if not gold:
        rep.qualifier_free += 1
        if unserved:
            rep.qualifier_false += 1
        return
    for q in gold:
        rep.qualifier_gold += 1
        text = str(q.get("text", "")).lower()
        start = row.text.lower().find(text) if text else -1
        end = start + len(text)
        if unserved:
            rep.qualifier_found += 1
        if any(
            u.start is not None and u.end is not None and u.start < end and start < u.end
            for u in unserved
        ):
            rep.qualifier_span += 1


def render(rep: Report, split: str, verbose: bool = False) -> str:
    lines = [f"split: {split}   questions: {rep.n}"]
    lines.append(f"{'intent':<20}{'P':>7}{'R':>7}{'F1':>7}{'gold':>6}{'pred':>6}")
    for intent in sorted(set(rep.gold) | set(rep.pred)):
        p, r, f = rep.prf(intent)
        lines.append(
            f"{intent:<20}{p:>7.3f}{r:>7.3f}{f:>7.3f}{rep.gold[intent]:>6}{rep.pred[intent]:>6}"
        )
    lines.append("")
    lines.append("confusion (gold -> predicted: count):")
    for (gold, pred), c in rep.confusion.most_common(25):
        lines.append(f"  {gold} -> {pred}: {c}")
    lines.append("")
    lines.append(
        "by writer: "
        + ", ".join(f"{w} {rep.writers_ok[w]}/{n}" for w, n in sorted(rep.writers.items()))
    )
    lines.append(f"intent accuracy: {rep.intent_accuracy:.3f} ({rep.intent_ok}/{rep.n})")
    if rep.slot_n:
        lines.append(
            f"slot accuracy (where the intent is right): "
            f"{rep.slot_ok / rep.slot_n:.3f} ({rep.slot_ok}/{rep.slot_n})"
        )
    if rep.qualifier_gold:
        lines.append(
            f"qualifiers: {rep.qualifier_found}/{rep.qualifier_gold} questions with a "
            f"gold qualifier stopped; span found for {rep.qualifier_span}/"
            f"{rep.qualifier_gold}; {rep.qualifier_false}/{rep.qualifier_free} "
            "questions without one stopped by a qualifier"
        )
    if rep.words:
        lines.append(
            f"unaccounted words: {rep.unaccounted}/{rep.words} "
            f"({100 * rep.unaccounted / rep.words:.1f} %)"
        )
    lines.append(f"out-of-scope parsed as study questions: {rep.oos_leaks} of {rep.oos_total}")
    if rep.seconds:
        ordered = sorted(rep.seconds)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        lines.append(
            f"parse time per question (with its context turns): mean "
            f"{1000 * sum(ordered) / len(ordered):.3f} ms, p95 {1000 * p95:.3f} ms"
        )
    if verbose and rep.errors:
        lines.append("")
        lines.append("errors:")
        lines.extend(f"  {e}" for e in rep.errors)
    return "\n".join(lines)


def learning_curve(shares: tuple[float, ...] = (0.25, 0.5, 0.75, 1.0)) -> list[str]:
    """Validation intent accuracy when the scorer is trained on a share of the train split."""
    from intents import train
    from intents.spec import load_spec

    spec = load_spec()
    analyser = train.analyser()
    rows = corpus.load("train")
    rng = random.Random(20191)
    order = list(rows)
    rng.shuffle(order)
    out = []
    for share in shares:
        subset = order[: max(1, int(share * len(order)))]
        model = train.fit(analyser, subset)
        rep = evaluate("validation", Parser(terms=STORE_TERMS, spec=spec, model=model))
        out.append(
            f"{len(subset):>5} train questions ({model.meta['examples']} examples): "
            f"validation intent accuracy {rep.intent_accuracy:.3f}"
        )
    return out


def cross_validate(verbose: bool = False) -> list[str]:
    """Leave one writer out: train on the other writers of the train split, evaluate on that
    writer's questions. A development measure that never touches the validation split."""
    from intents import train
    from intents.spec import load_spec

    spec = load_spec()
    analyser = train.analyser()
    rows = corpus.load("train")
    out: list[str] = []
    total = right = 0
    for writer in sorted({r.writer for r in rows}):
        model = train.fit(analyser, [r for r in rows if r.writer != writer])
        parser = Parser(terms=STORE_TERMS, spec=spec, model=model)
        rep = evaluate_rows(parser, [r for r in rows if r.writer == writer])
        total += rep.n
        right += rep.intent_ok
        out.append(f"{writer:<16} {rep.intent_accuracy:.3f} ({rep.intent_ok}/{rep.n})")
        if verbose:
            out.extend(f"  {e}" for e in rep.errors)
    out.append(f"{'all':<16} {right / total:.3f} ({right}/{total})")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m intents.evaluate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--split", choices=["validation", "train", "all"], default="validation")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every wrong question")
    ap.add_argument("--curve", action="store_true", help="print the learning curve")
    ap.add_argument(
        "--cv", action="store_true", help="leave-one-writer-out cross-validation on the train split"
    )
    args = ap.parse_args(argv)
    if args.cv:
        print("\n".join(cross_validate(args.verbose)))
        return 0
    if args.curve:
        print("\n".join(learning_curve()))
        return 0
    rep = evaluate(args.split)
    print(render(rep, args.split, args.verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
