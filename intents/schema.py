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
                    "grade_high; or term_text (an event understood but not in the handed-in "
                    "vocabulary, e.g. 'weight loss'); optional serious (True for 'SAE')",
    "ae_bleeding": "grade >= 3 / serious bleeding (every bleeding/haemorrhage question; "
                   "optional grade slots)",
    "ae_deaths": "deaths from adverse events and their causes",
    "ae_action": "discontinuation or dose modification for adverse events: slot action "
                 "(discontinuation|dose_modification), optional term (or term_text)",
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
                  "registry|population|limitations|follow_up), optional person "
                  "(richardson|bahlis|chari)",
    "quote": "what an investigator said: slot person (richardson|bahlis)",
    "definition": "what a term means: slot term (triple_class_refractory|penta_refractory|"
                  "overall_response|clinical_benefit|mitt|safety_population|sCR|CR|VGPR|PR|MR|"
                  "SD|PD|dor|pfs|os|ttr|xpo1|imwg|clopper_pearson|reconstructed)",
    "discrepancy": "where the sources disagree: optional slot topic (phase|orr|deaths|grade34|"
                   "discontinuation)",
    # comparisons
    "compare": "two groups: slots measure (response_rate with threshold, ae_incidence with "
               "term and grade slots), group (penta) against the rest",
    # statistics settings
    "set_stats": "change the CI method and/or level for the rest of the conversation: slots "
                 "ci_method, level",
    "explain_method": "how was that computed?",
    # records
    "records": "list or count patients matching conditions: slots category, term, grade_op, "
               "grade_low, bleeding (bool), population; mode (list|count); optional threshold "
               "('list responders' = PR or better)",
    # conversation
    "greeting": "hello",
    "help": "what can I ask",
    "thanks": "thank you",
    "clarify": "two readings are close (alternatives lists them) or a required slot is "
               "missing: slot missing (term|endpoint|level|measure), plus the slots understood",
    "out_of_scope": "another study, advice about a person's treatment, unrelated topics",
    "unknown": "not understood",
}

# Slots that any study-question intent may also carry:
#   population: "mITT" | "safety" | "penta" | "non_penta"
#   ci_method: "clopper-pearson" | "wilson" | "wilson-cc" | "jeffreys" | "agresti-coull"
#   level: float in [0.5, 0.999], e.g. 0.9
#   persist: True when the stats change should last for the rest of the conversation
#
# Readings the parser applies (intents/parser.py, intents/context.py), for handler writers:
# - Grades: eq N → grade_low = grade_high = N; ge N → grade_low = N (no grade_high); between →
#   both; no grade mentioned → grade_op "any" (ae_incidence). "severe"/"high-grade" = ge 3;
#   "mild"/"low-grade" = between 1, 2. Grades are 1–5.
# - term is always one of the caller's terms (their spelling) or "any". An event the parser
#   knows but the caller did not hand in ("weight loss" → Weight decreased) comes as term_text
#   (the user's words) with no term: the engine should say "not reported". If the caller hands
#   in "Weight decreased", the same question gets term "Weight decreased".
# - Bleeding and haemorrhage words always read as ae_bleeding (records: bleeding=True); the
#   parser never returns term "Haemorrhage", since the study reports bleeding as grade >= 3
#   bleeding (6 patients).
# - "How many were penta-refractory?" → baseline, variable "refractory", population "penta".
#   "How many patients (were in the study)?" → baseline, variable "population_size".
# - Response: a category with "or better"/"at least"/"≥"/"+" is a threshold (response_rate);
#   a bare category is response_category ("MR rate" = exactly MR). "responded", ORR, "response
#   rate" → PR; clinical benefit, CBR → MR. Inside a time-to-event question the same words give
#   response_group ("OS in responders" → endpoint OS, response_group PR).
# - Bare "survival" → clarify between OS and PFS (alternatives), except with a response group
#   (only OS is reported by response group).
# - CI settings inside a question ("ORR with a 90% CI") → that intent with level, no persist.
#   "from now on", "switch", "set", "default", "go back to"… or a stats-only utterance with no
#   previous question → set_stats with persist=True. A stats-only fragment after a question
#   ("use a 90% interval instead", "with Wilson?") re-asks that question with the new setting.
#   A level outside 50–99.9 % → clarify, missing "level" (slot level_text holds the value).
# - Follow-ups (followup=True, carried slots inherited=True with no span): a fragment that only
#   modifies (grade, population, CI, "in responders?") re-asks the previous question; a question
#   marked "and …" / "what about …" / "in …" / "… instead" changes only what it names; a full
#   question without such a marker starts afresh (no stale population). "which patients?" /
#   "how many?" after a question → records with the previous conditions. An answer to a clarify
#   ("grade 3" → "thrombocytopenia") fills the missing slot.
# - compare: group is always "penta" (penta-refractory vs the other 39); a comparison asked right
#   after a rate compares that rate (measure inherited).
# - Farewells ("bye") → thanks; "how are you" → greeting; "tell me about the study" →
#   study_fact topic design. Other trials, other drugs' results, other diseases, advice about a
#   person's own treatment and unrelated topics → out_of_scope.


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
