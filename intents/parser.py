"""The pipeline: normalise → rules → typo correction → slots → scorer → follow-up → fallback.

Fallback policy (after Rasa): top score below ``MIN_SCORE`` → ``unknown`` (or ``clarify`` when a
fragment such as "grade 3" was understood but lacks its subject); top two within
``CLOSE_MARGIN`` → ``clarify`` with both readings as alternatives; an explicit ``out_of_scope``
from the rules. ``parse()`` never raises.
"""

from __future__ import annotations

from collections.abc import Iterable

from intents import context
from intents.normalise import Text, bound, normalise
from intents.rules import match as match_rules
from intents.schema import INTENTS, Alternative, Parse, Slot
from intents.scorer import CLOSE_MARGIN, MIN_SCORE, confidence, ranked, score
from intents.slots import Extraction, Extractor, Hit

_COMMON = frozenset({"population", "ci_method", "level", "persist"})
_GRADE = frozenset({"grade_op", "grade_low", "grade_high"})
_TERM = frozenset({"term", "term_text", "serious"})
# Which slots each intent may carry (anything else found in the question is dropped).
ALLOWED: dict[str, frozenset[str]] = {
    "response_rate": _COMMON | {"threshold"},
    "response_category": _COMMON | {"category"},
    "response_breakdown": _COMMON,
    "ae_incidence": _COMMON | _TERM | _GRADE,
    "ae_bleeding": _COMMON | _GRADE,
    "ae_deaths": _COMMON,
    "ae_action": _COMMON | _TERM | {"action"},
    "ae_top": _COMMON | _GRADE | {"top_n"},
    "tte_median": _COMMON | {"endpoint", "response_group"},
    "baseline": _COMMON | {"variable"},
    "study_fact": frozenset({"topic", "person"}),
    "quote": frozenset({"person"}),
    "definition": frozenset({"term"}),
    "discrepancy": frozenset({"topic"}),
    "compare": frozenset({"ci_method", "level", "persist", "measure", "threshold", "group"})
    | _TERM | _GRADE,
    "set_stats": frozenset({"ci_method", "level", "persist"}),
    "explain_method": frozenset(),
    "records": frozenset({"population", "mode", "category", "threshold", "bleeding"})
    | _TERM | _GRADE,
}
_MODIFIERS = ("grade", "population", "ci_method", "level", "top_n")
_CONVERSATION = frozenset({"greeting", "help", "thanks", "out_of_scope", "unknown"})


class Parser:
    """Turns one typed question (plus the previous turn's parse) into a ``Parse``."""

    def __init__(self, terms: Iterable[str] = ()) -> None:
        # All patterns are compiled here, once; parse() only scans.
        self.extractor = Extractor(list(terms or ()))

    # ------------------------------------------------------------------ public
    def parse(self, text: str, previous: Parse | None = None) -> Parse:
        raw, truncated = bound(text)
        try:
            prev = previous if isinstance(previous, Parse) else None
            return self._parse(raw, truncated, prev)
        except Exception:  # noqa: BLE001 - the contract is "never raises"; say "unknown" instead
            return Parse(text=raw, intent="unknown", confidence=0.0, truncated=truncated)

    # ------------------------------------------------------------------ pipeline
    def _parse(self, raw: str, truncated: bool, previous: Parse | None) -> Parse:
        t0 = normalise(raw)
        rule = match_rules(t0)
        if rule is not None:
            return Parse(text=raw, intent=rule.intent, confidence=rule.confidence,
                         truncated=truncated)
        t = self.extractor.correct(t0)
        ex = self.extractor.extract(t)
        scores = score(ex)
        rank = ranked(scores)
        s1 = rank[0][1] if rank else 0.0
        s2 = rank[1][1] if len(rank) > 1 else 0.0
        fresh = rank[0][0] if s1 >= MIN_SCORE else None
        prev_intent = context.previous_intent(previous)
        marked = bool(ex.flags & {"followup_start", "followup_end"})
        if previous is not None and previous.intent == "clarify" and prev_intent is not None \
                and "missing" in previous.slots:
            # The answer to our own question ("grade 3" → "which event?" → "thrombocytopenia").
            marked = True
        conf = confidence(s1, s2)

        def out(intent: str, slots: dict[str, Slot], c: float,
                alts: list[Alternative] | None = None, followup: bool = False) -> Parse:
            return self._finish(raw, truncated, intent, slots, c, alts or [], followup, ex)

        # "OS" → "in patients who responded?": the response words name a response *group*.
        if (fresh == "response_rate" and prev_intent == "tte_median" and marked
                and not ex.has("endpoint")):
            assert previous is not None
            fresh_slots = self._slots(ex)
            thr = fresh_slots.pop("threshold", None)
            if thr is not None:
                fresh_slots["response_group"] = Slot(name="response_group", value=thr.value,
                                                     text=thr.text, start=thr.start, end=thr.end)
            merged = context.merge("tte_median", prev_intent, context.previous_slots(previous),
                                   fresh_slots)
            return out("tte_median", merged, 0.85, followup=True)

        if fresh is None and prev_intent is not None and ex.flags & {"mode_list", "mode_count"}:
            assert previous is not None
            return self._mode_followup(raw, truncated, prev_intent, previous, ex)

        has_stats = ex.has("ci_method") or ex.has("level")
        if fresh is None:
            modifiers = any(ex.has(n) for n in _MODIFIERS)
            if has_stats and (prev_intent is None or "persist" in ex.flags):
                return self._set_stats(raw, truncated, ex)
            if prev_intent is not None and modifiers:
                assert previous is not None
                return self._followup(raw, truncated, None, prev_intent, previous, ex, 0.85)
            if ex.has("grade") or "grade_bare" in ex.flags:
                slots = self._slots(ex)
                slots["missing"] = Slot(name="missing", value="term")
                partial = {k: v for k, v in slots.items() if k in ALLOWED["ae_incidence"]}
                alts = [Alternative(intent="ae_incidence", confidence=0.4, slots=partial),
                        Alternative(intent="ae_top", confidence=0.3)]
                return out("clarify", slots, 0.5, alts)
            if "median" in ex.flags:
                return out("clarify", {"missing": Slot(name="missing", value="endpoint")}, 0.5,
                           [self._alt("tte_median", {"endpoint": "OS"}, 0.3),
                            self._alt("tte_median", {"endpoint": "PFS"}, 0.3),
                            self._alt("baseline", {"variable": "age"}, 0.2)])
            if has_stats:
                return self._set_stats(raw, truncated, ex)
            return Parse(text=raw, intent="unknown", confidence=round(min(0.3, s1 / 4), 3),
                         truncated=truncated)

        # A set_stats request that also names "from now on" but no question.
        if fresh in ("explain_method",) or fresh not in context.DATA_INTENTS:
            if fresh in ALLOWED and s1 - s2 < CLOSE_MARGIN and s2 > 0:
                return self._clarify_close(raw, truncated, rank, ex)
            return out(fresh, self._slots_for(fresh, ex), conf)

        # Bare "survival": overall or progression-free? (With a response group it can only
        # be OS, the one reported by response.)
        if ("survival_bare" in ex.flags and fresh == "tte_median"
                and not (ex.has("threshold") or ex.has("category"))
                and not (marked and prev_intent == "tte_median")):
            return out("clarify", {"missing": Slot(name="missing", value="endpoint")}, 0.5,
                       [self._alt("tte_median", {"endpoint": "OS"}, 0.45),
                        self._alt("tte_median", {"endpoint": "PFS"}, 0.4)])

        if s2 > 0 and s1 - s2 < CLOSE_MARGIN and not (marked and prev_intent):
            return self._clarify_close(raw, truncated, rank, ex)

        if prev_intent is not None and marked:
            assert previous is not None
            return self._followup(raw, truncated, fresh, prev_intent, previous, ex, conf)

        slots = self._slots_for(fresh, ex)
        if fresh == "compare" and "measure" not in slots:
            if prev_intent is not None and previous is not None:
                return self._followup(raw, truncated, "compare", prev_intent, previous, ex, conf)
            slots["missing"] = Slot(name="missing", value="measure")
            return out("clarify", slots, 0.5,
                       [self._alt("compare", {"measure": "response_rate", "threshold": "PR",
                                              "group": "penta"}, 0.4)])
        return out(fresh, slots, conf)

    # ------------------------------------------------------------------ pieces
    def _followup(self, raw: str, truncated: bool, fresh: str | None, prev_intent: str,
                  previous: Parse, ex: Extraction, conf: float) -> Parse:
        fresh_slots = self._slots(ex)
        if fresh is not None:
            own = self._slots_for(fresh, ex)
            context_slots = {k: v for k, v in fresh_slots.items() if k in _GRADE or k in _COMMON}
            fresh_slots = {**context_slots, **own}
        target = context.target_intent(fresh, prev_intent, fresh_slots)
        if fresh is None or target == prev_intent:
            # Keep the fresh slots that make sense for the target.
            keep = ALLOWED.get(target, frozenset()) | _GRADE
            fresh_slots = {k: v for k, v in fresh_slots.items() if k in keep or k == "category"}
        prev_slots = context.previous_slots(previous)
        merged = context.merge(target, prev_intent, prev_slots, fresh_slots)
        if target == "compare" and "measure" not in merged:
            merged.update(self._measure_from(prev_intent, prev_slots))
        if target == "compare":
            if "group" not in merged:
                merged["group"] = Slot(name="group", value="penta", inherited=True)
            merged.pop("population", None)
        return self._finish(raw, truncated, target, merged, conf, [], True, ex)

    def _mode_followup(self, raw: str, truncated: bool, prev_intent: str, previous: Parse,
                       ex: Extraction) -> Parse:
        """ "which patients?" / "how many?" after a question: the same conditions, patient level."""
        mode = "list" if "mode_list" in ex.flags else "count"
        prev = context.previous_slots(previous)
        inh = {k: Slot(name=k, value=v.value, inherited=True) for k, v in prev.items()}
        if mode == "count" and prev_intent != "records":
            # "how many?" after a count question asks the same thing again.
            return self._finish(raw, truncated, prev_intent, inh, 0.8, [], True, ex)
        conditions: dict[str, Slot] = {}
        if prev_intent in ("ae_incidence", "response_category", "response_rate", "records"):
            keep = _TERM | _GRADE | {"category", "threshold", "bleeding", "population"}
            conditions = {k: v for k, v in inh.items() if k in keep}
            for name in ("term", "grade_op"):  # "any" is no condition at patient level
                if conditions.get(name) is not None and conditions[name].value == "any":
                    conditions.pop(name)
        elif prev_intent == "ae_bleeding":
            conditions = {"bleeding": Slot(name="bleeding", value=True, inherited=True)}
        if not conditions:
            return Parse(text=raw, intent="unknown", confidence=0.2, truncated=truncated)
        conditions["mode"] = Slot(name="mode", value=mode)
        return self._finish(raw, truncated, "records", conditions, 0.8, [], True, ex)

    @staticmethod
    def _measure_from(prev_intent: str, prev: dict[str, Slot]) -> dict[str, Slot]:
        """A comparison asked right after a rate compares that rate."""
        inh = {k: Slot(name=k, value=v.value, inherited=True) for k, v in prev.items()}
        if prev_intent == "response_rate":
            return {"measure": Slot(name="measure", value="response_rate", inherited=True),
                    **{k: v for k, v in inh.items() if k == "threshold"}}
        if prev_intent == "response_category" and "category" in inh:
            return {"measure": Slot(name="measure", value="response_rate", inherited=True),
                    "threshold": Slot(name="threshold", value=inh["category"].value,
                                      inherited=True)}
        if prev_intent in ("ae_incidence", "ae_bleeding"):
            keep = {k: v for k, v in inh.items() if k in _TERM | _GRADE}
            return {"measure": Slot(name="measure", value="ae_incidence", inherited=True), **keep}
        return {"measure": Slot(name="measure", value="response_rate", inherited=True),
                "threshold": Slot(name="threshold", value="PR", inherited=True)}

    def _set_stats(self, raw: str, truncated: bool, ex: Extraction) -> Parse:
        slots = self._slots(ex)
        level = ex.first("level")
        if level is not None and level.weight < 0:
            return self._finish(raw, truncated, "clarify",
                                {"missing": Slot(name="missing", value="level"),
                                 "level_text": self._slot(ex, "level_text", level.value, level)},
                                0.5, [], False, ex)
        slots = {k: v for k, v in slots.items() if k in ("ci_method", "level")}
        slots["persist"] = Slot(name="persist", value=True)
        return self._finish(raw, truncated, "set_stats", slots, 0.95, [], False, ex)

    def _clarify_close(self, raw: str, truncated: bool, rank: list[tuple[str, float]],
                       ex: Extraction) -> Parse:
        total = sum(s for _, s in rank[:2]) + 1.0
        alts = [Alternative(intent=i, confidence=round(s / total, 3), slots=self._slots_for(i, ex))
                for i, s in rank[:2]]
        return self._finish(raw, truncated, "clarify", {}, 0.5, alts, False, ex)

    @staticmethod
    def _alt(intent: str, values: dict[str, object], c: float) -> Alternative:
        return Alternative(intent=intent, confidence=c,
                           slots={k: Slot(name=k, value=v) for k, v in values.items()})

    def _finish(self, raw: str, truncated: bool, intent: str, slots: dict[str, Slot], conf: float,
                alts: list[Alternative], followup: bool, ex: Extraction) -> Parse:
        if intent not in INTENTS:
            intent, slots = "unknown", {}
        bad_level = ex.first("level")
        if intent in context.DATA_INTENTS and bad_level is not None and bad_level.weight < 0:
            # A level outside 50–99.9 % must be asked back, not silently replaced by 95 %.
            alt = Alternative(intent=intent, confidence=0.4,
                              slots={k: v for k, v in slots.items() if k != "level"})
            return Parse(text=raw, intent="clarify", confidence=0.5, truncated=truncated,
                         followup=followup, alternatives=[alt],
                         slots={"missing": Slot(name="missing", value="level"),
                                "level_text": self._slot(ex, "level_text", bad_level.value,
                                                         bad_level)})
        # Validation after merging: a grade needs an adverse event to attach to.
        grade_without_event = (intent in context.DATA_INTENTS
                               and intent not in context.GRADE_INTENTS and ex.has("grade")
                               and not ex.has("term") and not ex.has("generic_ae"))
        if grade_without_event or (intent == "ae_incidence"
                                   and not ({"term", "term_text"} & slots.keys())):
            if grade_without_event:
                slots = {k: v for k, v in slots.items() if k in _GRADE or k == "population"}
            alt = Alternative(intent="ae_incidence", confidence=0.4, slots=slots)
            kept = {**slots, "missing": Slot(name="missing", value="term")}
            return Parse(text=raw, intent="clarify", confidence=0.5, slots=kept,
                         truncated=truncated, followup=followup, alternatives=[alt])
        if intent == "ae_action" and slots.get("term") is not None and slots["term"].value == "any":
            slots = {k: v for k, v in slots.items() if k != "term"}  # "because of AEs" = all AEs
        if intent == "ae_incidence" and "grade_op" not in slots:
            # No grade mentioned (nor carried): all grades.
            slots["grade_op"] = Slot(name="grade_op", value="any")
        if intent in ALLOWED:
            allowed = ALLOWED[intent] | {"missing"}
            slots = {k: v for k, v in slots.items() if k in allowed}
        return Parse(text=raw, intent=intent, confidence=max(0.0, min(1.0, conf)), slots=slots,
                     alternatives=alts, followup=followup, truncated=truncated)

    # ------------------------------------------------------------------ slot filling
    def _slot(self, ex: Extraction, name: str, value: object, hit: Hit | None) -> Slot:
        if hit is None:
            return Slot(name=name, value=value)
        start, end = ex.text.span(hit.start, hit.end)
        return Slot(name=name, value=value, text=ex.text.original[start:end], start=start, end=end)

    def _slots(self, ex: Extraction) -> dict[str, Slot]:
        """Every generic slot the question mentions, whatever the intent."""
        s: dict[str, Slot] = {}
        term = ex.first("term")
        if term is not None:
            s["term"] = self._slot(ex, "term", term.value, term)
        elif ex.has("term_text"):
            h = ex.hits["term_text"][0]
            start, end = ex.text.span(h.start, h.end)
            s["term_text"] = self._slot(ex, "term_text", ex.text.original[start:end].strip(), h)
        elif ex.has("generic_ae"):
            s["term"] = self._slot(ex, "term", "any", ex.first("generic_ae"))
        if "serious" in ex.flags and ex.has("generic_ae") and not ex.has("bleeding"):
            s["serious"] = Slot(name="serious", value=True)
        grade = ex.first("grade")
        if grade is not None:
            op, low, high = grade.value
            s["grade_op"] = self._slot(ex, "grade_op", op, grade)
            if low is not None:
                s["grade_low"] = self._slot(ex, "grade_low", low, grade)
            if high is not None:
                s["grade_high"] = self._slot(ex, "grade_high", high, grade)
        thr = self._best_threshold(ex)
        if thr is not None:
            s["threshold"] = self._slot(ex, "threshold", thr.value, thr)
        cat = ex.first("category")
        if cat is not None:
            s["category"] = self._slot(ex, "category", cat.value, cat)
        endpoint = ex.first("endpoint")
        if endpoint is not None:
            s["endpoint"] = self._slot(ex, "endpoint", endpoint.value, endpoint)
            group = thr or cat
            if group is not None:
                s["response_group"] = self._slot(ex, "response_group", group.value, group)
        pop = ex.first("population")
        if pop is not None:
            s["population"] = self._slot(ex, "population", pop.value, pop)
        method = ex.first("ci_method")
        if method is not None:
            s["ci_method"] = self._slot(ex, "ci_method", method.value, method)
        level = ex.first("level")
        if level is not None and level.weight > 0:
            s["level"] = self._slot(ex, "level", level.value, level)
        if (method is not None or level is not None) and "persist" in ex.flags:
            s["persist"] = Slot(name="persist", value=True)
        action = ex.first("action")
        if action is not None:
            s["action"] = self._slot(ex, "action", action.value, action)
        top_n = ex.first("top_n")
        if top_n is not None:
            s["top_n"] = self._slot(ex, "top_n", top_n.value, top_n)
        bleed = ex.first("bleeding")
        if bleed is not None:
            s["bleeding"] = self._slot(ex, "bleeding", True, bleed)
        return s

    @staticmethod
    def _best_threshold(ex: Extraction) -> Hit | None:
        hits = ex.hits.get("threshold", [])
        if not hits:
            return None
        best = max(h.weight for h in hits)
        return next(h for h in hits if h.weight == best)

    def _slots_for(self, intent: str, ex: Extraction) -> dict[str, Slot]:
        """The slots of one intent's reading of the question."""
        s = self._slots(ex)
        f = ex.flags
        if intent == "response_rate" and "threshold" not in s and "category" in s:
            cat = s.pop("category")
            s["threshold"] = Slot(name="threshold", value=cat.value, text=cat.text,
                                  start=cat.start, end=cat.end)
        elif intent == "baseline":
            s.update(self._baseline(ex, s))
        elif intent == "study_fact":
            s = {}
            if ex.topics:
                best = max(ex.topics.values(), key=lambda h: (h.weight, -h.start))
                topic = best.value
                if topic == "dose":
                    topic = "dose_dexamethasone" if "dex" in f else "dose_selinexor"
                person = ex.first("person")
                if person is not None and topic not in ("authors", "news_item"):
                    topic = "authors" if best.weight < 4 else topic
                s["topic"] = self._slot(ex, "topic", topic, best)
            person = ex.first("person")
            if person is not None:
                s["person"] = self._slot(ex, "person", person.value, person)
                s.setdefault("topic", Slot(name="topic", value="authors"))
        elif intent == "quote":
            person = ex.first("person")
            s = {"person": self._slot(ex, "person", person.value, person)} if person else {}
        elif intent == "definition":
            s = {}
            if "reconstructed" in f and not ("define_whole" in f or "define" in f):
                s["term"] = Slot(name="term", value="reconstructed")
            else:
                hit = ex.first("def_term")
                if hit is not None:
                    s["term"] = self._slot(ex, "term", hit.value, hit)
                elif "reconstructed" in f:
                    s["term"] = Slot(name="term", value="reconstructed")
        elif intent == "discrepancy":
            s = {}
            hit = ex.first("disc_topic")
            if hit is not None:
                s["topic"] = self._slot(ex, "topic", hit.value, hit)
        elif intent == "compare":
            pops = [h for h in ex.hits.get("population", [])]
            s.pop("population", None)
            group_hit = next((h for h in pops if h.value == "penta"), pops[0] if pops else None)
            s["group"] = self._slot(ex, "group", "penta", group_hit)
            if "term" in s or "term_text" in s:
                s["measure"] = Slot(name="measure", value="ae_incidence")
                s.pop("threshold", None)
            elif "threshold" in s or "category" in s:
                s["measure"] = Slot(name="measure", value="response_rate")
                if "threshold" not in s:
                    cat = s.pop("category")
                    s["threshold"] = Slot(name="threshold", value=cat.value, text=cat.text,
                                          start=cat.start, end=cat.end)
        elif intent == "records":
            s["mode"] = Slot(name="mode", value="list" if "records_list" in f else "count")
            if "bleeding" in s:
                # The grade in "thrombocytopenia and grade 3 bleeding" describes the bleeding.
                for k in _GRADE:
                    s.pop(k, None)
            if "category" in s:
                s.pop("threshold", None)
            op = s.get("grade_op")
            if op is not None and op.value == "any" and op.start is None:
                s.pop("grade_op")
        elif intent == "set_stats":
            s = {k: v for k, v in s.items() if k in ("ci_method", "level")}
            s["persist"] = Slot(name="persist", value=True)
        elif intent == "ae_top":
            if s.get("grade_op") is not None and s["grade_op"].start is None:
                s.pop("grade_op")
        elif intent == "ae_bleeding":
            for k in ("grade_op",):
                if s.get(k) is not None and s[k].start is None:
                    s.pop(k)
        return s

    def _baseline(self, ex: Extraction, s: dict[str, Slot]) -> dict[str, Slot]:
        out: dict[str, Slot] = {}
        if "refractory_count" in ex.flags and not ex.baseline:
            out["variable"] = Slot(name="variable", value="refractory")
            return out
        if ex.baseline:
            hits = sorted(ex.baseline.values(), key=lambda h: h.start)
            specific = [h for h in hits if h.value != "population_size"] or hits
            h = specific[0]
            out["variable"] = self._slot(ex, "variable", h.value, h)
        return out


def _debug(text: str, terms: Iterable[str] = ()) -> Extraction:  # pragma: no cover - dev aid
    p = Parser(terms)
    return p.extractor.extract(p.extractor.correct(normalise(text)))


__all__ = ["Parser", "Text"]
