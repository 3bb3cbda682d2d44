"""The trained scorers at run time: multinomial logistic regressions read by numpy.

The weights are a build artefact (``data/model.json``), made by ``python -m intents.train``
from the labelled corpus; answering never imports scikit-learn. The file holds one classifier
for the intent and one for each slot the spec marks ``learned`` (a study topic, a baseline
variable …): class names, feature names, a bias per class and the weights as float32 (base64).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MODEL_PATH = Path(__file__).resolve().parent / "data" / "model.json"


class ModelError(ValueError):
    """The model file is missing or malformed."""


@dataclass(frozen=True)
class Scores:
    """Class probabilities, best first."""

    ranked: tuple[tuple[str, float], ...]

    @property
    def best(self) -> tuple[str, float]:
        return self.ranked[0] if self.ranked else ("unknown", 0.0)

    @property
    def second(self) -> tuple[str, float]:
        return self.ranked[1] if len(self.ranked) > 1 else ("", 0.0)

    def prob(self, label: str) -> float:
        return next((p for c, p in self.ranked if c == label), 0.0)


class Classifier:
    def __init__(
        self, classes: list[str], features: list[str], bias: np.ndarray, weights: np.ndarray
    ) -> None:
        self.classes = classes
        self.features = features
        self._index: dict[str, int] | None = None
        self.bias = bias
        self.weights = weights

    @property
    def index(self) -> dict[str, int]:
        """Feature name → row, made on first use (most slot scorers are not used in a run)."""
        if self._index is None:
            self._index = {f: i for i, f in enumerate(self.features)}
        return self._index

    def __getstate__(self) -> dict[str, Any]:
        # Not the index: it is made again from the features when first needed.
        return {
            "classes": self.classes,
            "features": self.features,
            "bias": self.bias,
            "weights": self.weights,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.classes = state["classes"]
        self.features = state["features"]
        self._index = None
        self.bias = state["bias"]
        self.weights = state["weights"]

    def score(self, features: list[str]) -> Scores:
        index = self.index
        rows = [i for i in map(index.get, features) if i is not None]
        # The rows added in the order of the features (``take`` gathers them as indexing
        # does); the reductions are the ufuncs' own, which ``sum`` and ``max`` call through
        # a layer of Python: the same arithmetic, with less overhead.
        total = np.add.reduce(self.weights.take(rows, axis=0), axis=0) if rows else 0.0
        logits = self.bias + total
        logits -= np.maximum.reduce(logits)
        probs = np.exp(logits)
        probs /= np.add.reduce(probs)
        values = probs.tolist()
        order = sorted(range(len(values)), key=values.__getitem__, reverse=True)
        classes = self.classes
        return Scores(tuple([(classes[i], values[i]) for i in order]))

    def weight(self, feature: str, label: str) -> float:
        row = self.index.get(feature)
        if row is None or label not in self.classes:
            return 0.0
        return float(self.weights[row, self.classes.index(label)])

    def to_json(self) -> dict[str, Any]:
        weights = np.ascontiguousarray(np.round(self.weights, 4), dtype="<f4")
        bias = np.ascontiguousarray(np.round(self.bias, 4), dtype="<f4")
        return {
            "classes": self.classes,
            "features": self.features,
            "bias": base64.b64encode(bias.tobytes()).decode("ascii"),
            "weights": base64.b64encode(weights.tobytes()).decode("ascii"),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Classifier:
        classes = list(data["classes"])
        features = list(data["features"])
        bias = np.frombuffer(base64.b64decode(data["bias"]), dtype="<f4").astype(np.float64)
        weights = np.frombuffer(base64.b64decode(data["weights"]), dtype="<f4")
        return cls(
            classes, features, bias, weights.reshape(len(features), len(classes)).astype(np.float64)
        )


@dataclass
class Model:
    intent: Classifier
    slots: dict[str, Classifier] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> Model:
        """The model in ``path``, decoded (between processes, from the cache while the file
        is unchanged: ``intents.artefact``)."""
        from intents.artefact import cached

        return cached("model", [path], lambda: cls.read(path))

    @classmethod
    def read(cls, path: Path = MODEL_PATH) -> Model:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                Classifier.from_json(data["intent"]),
                {k: Classifier.from_json(v) for k, v in data.get("slots", {}).items()},
                dict(data.get("meta", {})),
            )
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ModelError(
                f"{path.name}: cannot be read ({error}); rebuild it with `python -m intents.train`"
            ) from error

    def score(self, features: list[str]) -> Scores:
        return self.intent.score(features)

    def weight(self, feature: str, label: str) -> float:
        return self.intent.weight(feature, label)

    def dumps(self) -> str:
        data = {
            "meta": self.meta,
            "intent": self.intent.to_json(),
            "slots": {k: v.to_json() for k, v in sorted(self.slots.items())},
        }
        return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=0) + "\n"
