"""The language layer's knowledge, as data: the intent spec, the lexicons and the scope rules.

Everything people edit lives in ``intents/data/`` as YAML; this module is its schema. Loading
validates it (unknown keys, an entity type an intent names but no lexicon defines, a regular
expression that does not compile all stop with a message naming the file), so a mistake in the
data fails the tests and the build, never a user's question.
"""

from __future__ import annotations

import re
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DATA = Path(__file__).resolve().parent / "data"


class SpecError(ValueError):
    """The data files are inconsistent or malformed."""


class _Strict(BaseModel):
    # Validators are built when the data files are first read, not at import: a spec read
    # from the cache (``intents.artefact``) never needs them.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _as_strings(value: Any) -> Any:
    # YAML reads "26.2" as a float and "true" as a bool; a phrase is always text.
    if isinstance(value, list):
        return [str(v) if not isinstance(v, str) else v for v in value]
    return value


# --------------------------------------------------------------------------- lexicons
class EntityValue(_Strict):
    """The words for one value of an entity type."""

    phrases: list[str] = Field(default_factory=list)
    weak: list[str] = Field(default_factory=list)  # hits that never stop an answer
    patterns: list[str] = Field(default_factory=list)
    grade: list[Any] | None = None  # grade words: [op, low?, high?]

    _coerce = field_validator("phrases", "weak", "patterns", mode="before")(_as_strings)


class Derive(_Strict):
    """Values made from another entity's phrases with words before or after them
    ("VGPR or better", ">=PR", "less than a PR"); before and after are phrases."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    source: str = Field(alias="from")
    values: list[str]
    before: list[str] = Field(default_factory=list)
    after: list[str] = Field(default_factory=list)

    _coerce = field_validator("before", "after", mode="before")(_as_strings)


class EntityType(_Strict):
    doc: str
    overlay: bool = False  # a cue: matched on the whole text, never competes for it
    values: dict[str, EntityValue] = Field(default_factory=dict)
    derive: Derive | None = None
    number_words: dict[str, int] = Field(default_factory=dict)

    @field_validator("values", mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        return value


class LexiconFile(_Strict):
    entities: dict[str, EntityType]
    # Abbreviations whose case carries the meaning, read before the text is lower-cased: "Sd"
    # (selinexor-dexamethasone) is not "SD" (stable disease).
    cased: dict[str, str] = Field(default_factory=dict)


# --------------------------------------------------------------------------- scope rules
class ScopeRule(_Strict):
    _coerce = field_validator("phrases", mode="before")(_as_strings)

    intent: str
    confidence: float = Field(ge=0, le=1)
    reason: str
    whole: list[str] = Field(default_factory=list)
    phrases: list[str] = Field(default_factory=list)
    search: list[str] = Field(default_factory=list)
    search_original: list[str] = Field(default_factory=list)
    requires: list[str] = Field(default_factory=list)
    unless: list[str] = Field(default_factory=list)


class ScopeFile(_Strict):
    rules: list[ScopeRule]


# --------------------------------------------------------------------------- intents
class SlotSpec(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    sources: list[str] = Field(alias="from")
    default: Any = None
    required: bool = False
    by_type: dict[str, Any] = Field(default_factory=dict)
    # value → {"type" or "type=value" present in the question: new value, "else": value}
    refine: dict[str, dict[str, str]] = Field(default_factory=dict)
    # no lexicon entry names the value: a classifier trained on the corpus picks it
    learned: bool = False
    # a value whose words only name the kind of thing ("AE table" for a table's group): any
    # other value named in the question wins over it ("GI AEs table")
    generic: Any = None
    # value → values its answer already gives ("news_item": its author and date, so "the news
    # piece: author, date?" is one question)
    covers: dict[str, list[str]] = Field(default_factory=dict)


class Otherwise(_Strict):
    """Another intent answers when none of ``types`` is named: "how many discontinued?"
    without a word about adverse events is the disposition question, not the AE one."""

    slot: str
    values: list[str]
    unless: list[str]
    when: list[str] = Field(default_factory=list)  # and all of these are named
    # Any of these named switches even a follow-up ("discontinuations for AEs?" then "and for
    # any reason?").
    force: list[str] = Field(default_factory=list)
    intent: str


class IntentSpec(_Strict):
    doc: str
    handler: str
    family: str
    heads: list[str] = Field(default_factory=list)
    slots: dict[str, SlotSpec] = Field(default_factory=dict)
    serves: list[str] = Field(default_factory=list)
    ignores: list[str] = Field(default_factory=list)
    requires: list[str] = Field(default_factory=list)
    followups: list[str] = Field(default_factory=list)
    otherwise: Otherwise | None = None
    # slots a question of this (never divided) intent asks once per value it names ("where do
    # the sources differ on the phase, and on the deaths?" is two discrepancies)
    each: list[str] = Field(default_factory=list)
    examples: list[str] = Field(default_factory=list)

    def serves_qualifier(self, kind: str, value: str) -> bool:
        return kind in self.serves or f"{kind}.{value}" in self.serves


class IntentsFile(_Strict):
    families: dict[str, str] = Field(default_factory=dict)
    common_slots: dict[str, SlotSpec]
    leftover_qualifiers: dict[str, str]
    leftover_ignore: list[str] = Field(default_factory=list)
    intents: dict[str, IntentSpec]


# Intents that are about the conversation rather than the study's figures.
CONVERSATION = frozenset(
    {"greeting", "help", "thanks", "out_of_scope", "clarify", "unknown", "compound"}
)


class Spec(BaseModel):
    """Everything in ``intents/data``, validated and cross-checked."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    entities: dict[str, EntityType]
    cased: dict[str, str] = Field(default_factory=dict)
    intents: dict[str, IntentSpec]
    families: dict[str, str] = Field(default_factory=dict)
    common_slots: dict[str, SlotSpec]
    leftover_qualifiers: dict[str, str]
    leftover_ignore: frozenset[str] = frozenset()
    scope: list[ScopeRule]

    @model_validator(mode="after")
    def _cross_check(self) -> Spec:
        known = set(self.entities) | BUILTIN_ENTITIES
        for name, intent in self.intents.items():
            if intent.otherwise is not None:
                if intent.otherwise.intent not in self.intents:
                    raise SpecError(
                        f"intents.yaml: intent {name!r} gives way to unknown intent "
                        f"{intent.otherwise.intent!r}"
                    )
                if intent.otherwise.slot not in intent.slots:
                    raise SpecError(
                        f"intents.yaml: intent {name!r}: `otherwise` reads slot "
                        f"{intent.otherwise.slot!r}, which it does not have"
                    )
            unless = (
                intent.otherwise.unless + intent.otherwise.when + intent.otherwise.force
                if intent.otherwise is not None
                else []
            )
            for ref in intent.heads + intent.ignores + intent.requires + unless:
                if ref not in known:
                    raise SpecError(
                        f"intents.yaml: intent {name!r} names entity type {ref!r}, "
                        "which no lexicon defines"
                    )
            for slot_name, slot in intent.slots.items():
                for ref in slot.sources:
                    if ref not in known:
                        raise SpecError(
                            f"intents.yaml: slot {name}.{slot_name} reads entity "
                            f"type {ref!r}, which no lexicon defines"
                        )
            for slot_name in intent.followups:
                if slot_name not in intent.slots and slot_name not in self.common_slots:
                    raise SpecError(
                        f"intents.yaml: intent {name!r} lists follow-up slot "
                        f"{slot_name!r}, which it does not have"
                    )
        for rule in self.scope:
            if rule.intent not in self.intents:
                raise SpecError(
                    f"scope.yaml: rule {rule.reason!r} gives unknown intent {rule.intent!r}"
                )
        for name, intent in self.intents.items():
            if intent.family not in self.families and intent.family != "conversation":
                raise SpecError(
                    f"intents.yaml: intent {name!r} has family {intent.family!r}, "
                    "which `families` does not title"
                )
        for etype in self.leftover_qualifiers:
            if etype not in known:
                raise SpecError(f"intents.yaml: leftover_qualifiers names unknown type {etype!r}")
        return self

    # ------------------------------------------------------------------ derived views
    @cached_property
    def data_intents(self) -> frozenset[str]:
        """Intents whose answers are figures (they take population, CI settings, follow-ups)."""
        return frozenset(
            n
            for n, i in self.intents.items()
            if n not in CONVERSATION
            and i.family not in ("study", "conversation")
            and n not in ("set_stats", "explain_method")
        )

    def followups(self, intent: str) -> list[str]:
        """What a follow-up may change: the intent's own list and, for a figure, the
        population, the interval settings and a statistic ("and Wilson?", "SE?")."""
        spec = self.intents[intent]
        extra = (
            [s for s in self.common_slots if s not in spec.followups]
            if intent in self.data_intents
            else []
        )
        return [*spec.followups, *extra]

    def allowed_slots(self, intent: str) -> frozenset[str]:
        spec = self.intents.get(intent)
        if spec is None:
            return frozenset()
        names = set(spec.slots)
        if "grade" in names:
            names |= {"grade_op", "grade_low", "grade_high"}
        if intent in self.data_intents:
            names |= set(self.common_slots) | {"persist", "null_rate"}
        if intent in ("set_stats",):
            names |= {"ci_method", "level", "persist"}
        return frozenset(names)

    def examples(self) -> dict[str, list[str]]:
        """Example questions by area title, in the order of ``families``: the one list the
        help answer, the help screen and the welcome draw from."""
        out: dict[str, list[str]] = {}
        for family, title in self.families.items():
            questions = [q for i in self.intents.values() if i.family == family for q in i.examples]
            if questions:
                out[title] = questions
        return out

    def example(self, intent: str) -> str | None:
        """The canonical question of an intent (its first example)."""
        spec = self.intents.get(intent)
        return spec.examples[0] if spec is not None and spec.examples else None


# Entities computed by code rather than read from a lexicon (numbers need arithmetic).
BUILTIN_ENTITIES = frozenset({"level", "top_n", "number"})


_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ten times faster


class _Loader(_BASE_LOADER):  # type: ignore[misc]
    """YAML without its 1.1 booleans: in a lexicon "no", "on" and "off" are words."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _unique_keys(loader: Any, node: Any, deep: bool = False) -> Any:
    # YAML keeps the last of two equal keys silently: a second `phrases:` under one value
    # would drop the first list of words. Say so instead.
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_keys)


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SpecError(f"{path.name}: cannot be read: {error}") from error


def _check_patterns(where: str, patterns: list[str]) -> None:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise SpecError(f"{where}: pattern {pattern!r} does not compile: {error}") from error


def spec_inputs(root: Path = DATA) -> list[Path]:
    """The data files a spec is read from."""
    return [*sorted((root / "lexicon").glob("*.yaml")), root / "intents.yaml", root / "scope.yaml"]


_LOADED: dict[int, list[Path]] = {}  # id of a spec load_spec returned → the files it read


def inputs_of(spec: Spec) -> list[Path] | None:
    """The data files ``spec`` was read from, when it is one ``load_spec`` returned (None
    for a spec made otherwise): what something derived from it depends on."""
    return _LOADED.get(id(spec))


@cache
def load_spec(root: Path = DATA) -> Spec:
    """Read and validate every data file (once per process; between processes, from the
    cache while the files are unchanged: ``intents.artefact``)."""
    from intents.artefact import cached

    inputs = spec_inputs(root)
    spec = cached("spec", inputs, lambda: _load_spec(root))
    _LOADED[id(spec)] = inputs
    return spec


def _load_spec(root: Path) -> Spec:
    entities: dict[str, EntityType] = {}
    cased: dict[str, str] = {}
    for path in sorted((root / "lexicon").glob("*.yaml")):
        try:
            lexicon = LexiconFile.model_validate(_read(path))
        except ValueError as error:
            raise SpecError(f"lexicon/{path.name}: {error}") from error
        for name, etype in lexicon.entities.items():
            if name in entities:
                raise SpecError(f"lexicon/{path.name}: entity type {name!r} defined twice")
            for value, words in etype.values.items():
                _check_patterns(f"lexicon/{path.name}: {name}.{value}", words.patterns)
            entities[name] = etype
        cased.update(lexicon.cased)
    for name, etype in entities.items():
        if etype.derive is not None and etype.derive.source not in entities:
            raise SpecError(f"lexicon: {name} derives from unknown type {etype.derive.source!r}")
    try:
        intents = IntentsFile.model_validate(_read(root / "intents.yaml"))
        scope = ScopeFile.model_validate(_read(root / "scope.yaml"))
    except ValueError as error:
        raise SpecError(f"{error}") from error
    for rule in scope.rules:
        _check_patterns(
            f"scope.yaml: {rule.reason}",
            rule.whole + rule.search + rule.search_original + rule.requires + rule.unless,
        )
    try:
        return Spec(
            entities=entities,
            cased=cased,
            intents=intents.intents,
            families=intents.families,
            common_slots=intents.common_slots,
            leftover_qualifiers=intents.leftover_qualifiers,
            leftover_ignore=frozenset(intents.leftover_ignore),
            scope=scope.rules,
        )
    except ValueError as error:  # the cross-checks: one line naming the file and the mistake
        errors = getattr(error, "errors", None)
        message = errors()[0].get("msg", str(error)) if callable(errors) else str(error)
        raise SpecError(message.removeprefix("Value error, ")) from error
