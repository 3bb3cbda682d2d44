"""Build the intent scorer from the corpus: ``python -m intents.train [--check]``.

Multinomial logistic regression (scikit-learn, needed only here: ``pip install -e .[build]``)
over the features of ``intents.features``, trained on the train split only. The result is
written to ``data/model.json`` deterministically: the same corpus and lexicons give a
byte-identical file (``--check`` says whether the shipped file is current).

Labels: each question's intent; a follow-up that names no subject of its own ("G4?", "CI?")
is labelled ``fragment`` (it leans on the previous turn); each part of a compound question
that divides into as many clauses as it has queries is one example of its own.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from intents import corpus
from intents.features import features
from intents.lexicon import Hit
from intents.model import MODEL_PATH, Classifier, Model
from intents.parser import Parser
from intents.spec import Spec, load_spec
from intents.typos import english_words

# The shipped store's adverse-event terms: the vocabulary the parser is built with at run time.
STORE_TERMS = (
    "Thrombocytopenia",
    "Fatigue",
    "Nausea",
    "Anaemia",
    "Neutropenia",
    "Hyponatraemia",
    "Leukopenia",
    "Diarrhoea",
    "Vomiting",
    "Decreased appetite",
    "Haemorrhage",
    "Pneumonia",
    "Sepsis",
)
TOLERANCE = 1e-4  # when the fit stops (the gradient's size)
C = 4.0  # inverse regularisation strength, chosen by cross-validation on the train split
PRUNE = 1e-3  # features whose weights are all below this are left out of the file


def blank_model() -> Model:
    """A model that knows nothing, to analyse text before a model exists."""
    return Model(Classifier(["unknown"], [], np.zeros(1), np.zeros((0, 1))))


def analyser() -> Parser:
    """A parser with a blank model: the lexicons and clause splitter, for building examples."""
    return Parser(terms=STORE_TERMS, spec=load_spec(), model=blank_model())


def examples(parser: Parser, rows: list[corpus.Example]) -> tuple[list[list[str]], list[str]]:
    spec = parser.spec
    xs: list[list[str]] = []
    ys: list[str] = []
    for row in rows:
        t, m = parser.analyse(row.text)
        gold = [str(q["intent"]) for q in row.queries]
        if len(gold) == 1:
            xs.append(features(t.norm, m))
            ys.append(_label(spec, gold[0], m.hits, bool(row.context)))
            continue
        segments = parser.segments(t.norm, m)
        if len(segments) != len(gold):
            continue
        for i, ((a, b), intent) in enumerate(zip(segments, gold, strict=True)):
            hits = [h for h in m.hits if a <= h.start and h.end <= b]
            xs.append(features(t.norm, m, a, b))
            ys.append(_label(spec, intent, hits, i > 0 or bool(row.context)))
    return xs, ys


def _label(spec: Spec, intent: str, hits: list[Hit], leans: bool) -> str:
    if leans and intent in spec.data_intents:
        heads = set(spec.intents[intent].heads)
        if not any(h.type in heads and not h.weak for h in hits):
            return "fragment"
    return intent


def fit_classifier(xs: list[list[str]], ys: list[str], c: float = C) -> Classifier:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sort=True)
    matrix = vectorizer.fit_transform([{f: 1.0 for f in x} for x in xs])
    classes = sorted(set(ys))
    # tol 1e-4 (scikit-learn's default): the same validation accuracy as 1e-6 (0.855 on
    # both, measured) for under half the fitting time, which the reproducibility test pays.
    model = LogisticRegression(C=c, max_iter=5000, tol=TOLERANCE)
    model.fit(matrix, ys)
    assert list(model.classes_) == classes
    weights = model.coef_.T.astype(np.float32)  # (features, classes)
    bias = model.intercept_
    if len(classes) == 2:  # scikit-learn keeps one column for two classes
        weights = np.hstack([-weights / 2, weights / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2])
    names = list(vectorizer.get_feature_names_out())
    keep = np.abs(weights).max(axis=1) >= PRUNE
    kept = [n for n, k in zip(names, keep, strict=True) if k]
    return Classifier(classes, kept, bias.astype(np.float32).astype(np.float64), weights[keep])


def slot_examples(
    parser: Parser, rows: list[corpus.Example]
) -> dict[str, tuple[list[list[str]], list[str]]]:
    """Training pairs for every slot the spec marks ``learned``: questions of that intent
    with that slot labelled."""
    learned = {
        (name, slot_name)
        for name, spec in parser.spec.intents.items()
        for slot_name, slot in spec.slots.items()
        if slot.learned
    }
    out: dict[str, tuple[list[list[str]], list[str]]] = {}
    for row in rows:
        if len(row.queries) != 1:
            continue
        query = row.queries[0]
        for slot_name, value in (query.get("slots") or {}).items():
            key = (str(query["intent"]), slot_name)
            if key not in learned or not isinstance(value, str):
                continue
            t, m = parser.analyse(row.text)
            xs, ys = out.setdefault(f"{key[0]}.{key[1]}", ([], []))
            xs.append(features(t.norm, m))
            ys.append(value)
    return out


def vocabulary(rows: list[corpus.Example]) -> list[str]:
    """English words the corpus uses at least twice: targets for the typo corrector beside
    the lexicons' words ("bleding" → "bleeding")."""
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(w for w in re.findall(r"[a-z]+", row.text.lower()) if len(w) >= 4)
    english = english_words()
    return sorted(w for w, n in counts.items() if n >= 2 and w in english)


def fit(parser: Parser, rows: list[corpus.Example], c: float = C) -> Model:
    xs, ys = examples(parser, rows)
    slots = {
        name: fit_classifier(sx, sy, c)
        for name, (sx, sy) in sorted(slot_examples(parser, rows).items())
        if len(set(sy)) >= 2
    }
    meta: dict[str, object] = {
        "examples": len(ys),
        "questions": len(rows),
        "C": c,
        "writers": dict(sorted(Counter(r.writer for r in rows).items())),
        "labels": dict(sorted(Counter(ys).items())),
        "words": vocabulary(rows),
    }
    return Model(fit_classifier(xs, ys, c), slots, meta)


# BLAS divides its sums between its threads, so the thread count moves the last bits of the
# weights: data/model.json was built on two, and two give its bytes on any machine where
# OpenBLAS may use two (OPENBLAS_NUM_THREADS=1 cannot be raised).
BLAS_THREADS = 2


def build(c: float = C) -> tuple[str, dict[str, object]]:
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # sklearn's

    with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
        model = fit(analyser(), corpus.load("train"), c)
    return model.dumps(), model.meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m intents.train",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument(
        "--check",
        action="store_true",
        help="do not write: exit 1 if data/model.json is not what the corpus gives",
    )
    ap.add_argument("-o", "--output", type=Path, default=MODEL_PATH)
    args = ap.parse_args(argv)
    text, meta = build()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run python -m intents.train", file=sys.stderr)
            return 1
        print(f"{args.output} is current ({meta['examples']} examples)")
        return 0
    tmp = args.output.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.output)
    print(
        f"wrote {args.output}: {meta['examples']} examples from {meta['questions']} "
        f"questions, {len(json.loads(text)['intent']['features'])} features"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
