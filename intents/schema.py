"""The parse: what a question asks, as typed data the engine can act on.

This module is the contract between ``intents`` (which fills it) and ``assistant`` (which acts
on it). Intent names and slot names below are the whole vocabulary; handlers rely on them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# Every intent the parser can return, with the slots it may carry. Slot values are plain
# strings, ints or floats as listed; a slot that is not mentioned is simply absent.
INTENTS: dict[str, str] = {
    # response
    "response_rate": "rate of a response threshold: slot threshold = a category meaning "
                     "'that or better' (PR = overall response, MR = clinical benefit, VGPR …)",
    "response_category": "count/rate of exactly one category: slot category (sCR CR VGPR PR MR "
                         "SD PD NE)",
    "response_breakdown": "the best-response table",
    # safety
    "ae_incidence": "incidence of one adverse event: slots term (MedDRA PT, British spelling, "
                    "or 'any' for any adverse event), grade_op (any|eq|ge|between), grade_low, "
                    "grade_high",
    "ae_bleeding": "grade >= 3 / serious bleeding",
    "ae_deaths": "deaths from adverse events and their causes",
    "ae_action": "discontinuation or dose modification for adverse events: slot action "
                 "(discontinuation|dose_modification), optional term",
    "ae_top": "the most common adverse events: slots top_n (int), grade_op/grade_low",
    # time to event
    "tte_median": "Kaplan–Meier median: slot endpoint (PFS|OS|DOR|TTR|TRTDUR), optional "
                  "response_group (PR|MR = in patients with that or better)",
    # baseline
    "baseline": "baseline characteristic: slot variable (age|diagnosis_years|prior_regimens|"
                "unique_agents|cytogenetics|refractory|population_size|sex|race|ecog|iss|"
                "transplant)",
    # study facts
    "study_fact": "slot topic (design|phase|regimen|dose_selinexor|dose_dexamethasone|"
                  "schedule|mechanism|eligibility|primary_endpoint|secondary_endpoint|"
                  "endpoints|response_criteria|publication|authors|sponsor|sites|news_item|"
                  "registry|population|limitations), optional person (richardson|bahlis|chari)",
    "quote": "what an investigator said: slot person (richardson|bahlis)",
    "definition": "what a term means: slot term (triple_class_refractory|penta_refractory|"
                  "overall_response|clinical_benefit|mitt|safety_population|sCR|CR|VGPR|PR|MR|"
                  "SD|PD|dor|pfs|os|ttr|xpo1|imwg|clopper_pearson|reconstructed)",
    "discrepancy": "where the sources disagree: optional slot topic (phase|orr|deaths|grade34|"
                   "discontinuation)",
    # comparisons
    "compare": "two groups: slots measure (response_rate with threshold, ae_incidence with "
               "term …), group (penta) against the rest",
    # statistics settings
    "set_stats": "change the CI method and/or level for the rest of the conversation: slots "
                 "ci_method, level",
    "explain_method": "how was that computed?",
    # records
    "records": "list or count patients matching conditions: slots category, term, grade_op, "
               "grade_low, bleeding (bool), population; mode (list|count)",
    # conversation
    "greeting": "hello",
    "help": "what can I ask",
    "thanks": "thank you",
    "clarify": "two readings are close or a required slot is missing",
    "out_of_scope": "another study, advice about a person's treatment, unrelated topics",
    "unknown": "not understood",
}

# Slots that any study-question intent may also carry:
#   population: "mITT" | "safety" | "penta" | "non_penta"
#   ci_method: "clopper-pearson" | "wilson" | "wilson-cc" | "jeffreys" | "agresti-coull"
#   level: float in [0.5, 0.999], e.g. 0.9
#   persist: True when the stats change should last for the rest of the conversation


class Slot(BaseModel):
    """One piece of information taken from the question, with the text it came from.

    ``start``/``end`` index into the *original* question; both are None when the slot was
    carried over from an earlier turn of the conversation.
    """

    model_config = ConfigDict(frozen=True)

    name: str
    value: Any
    text: str | None = None
    start: int | None = None
    end: int | None = None
    inherited: bool = False


class Alternative(BaseModel):
    model_config = ConfigDict(frozen=True)

    intent: str
    confidence: float
    slots: dict[str, Slot] = Field(default_factory=dict)


class Parse(BaseModel):
    """The reading of one question."""

    model_config = ConfigDict(frozen=True)

    text: str
    intent: str
    confidence: float = Field(ge=0.0, le=1.0)
    slots: dict[str, Slot] = Field(default_factory=dict)
    alternatives: list[Alternative] = Field(default_factory=list)
    followup: bool = False
    truncated: bool = False

    def get(self, name: str, default: Any = None) -> Any:
        slot = self.slots.get(name)
        return default if slot is None else slot.value
