"""Published facts about what is missing or contested: the "not found" lists of
published_facts.md sections 3–5, and the known discrepancies between sources (section 7).
"""

from __future__ import annotations

from knowledge.facts_common import MITT, NEJM, NEWS, SAFETY
from knowledge.models import StudyFact

_NOT_FOUND = "published_facts.md (searched sources)"


def not_reported_facts() -> list[StudyFact]:
    """What the sources do not give: answer these as not reported, saying what is known."""
    return [
        StudyFact(
            id="not_reported.baseline",
            topic="not_reported",
            label="Baseline characteristics not reported",
            value="sex, race, ECOG, ISS stage, individual cytogenetic abnormalities, prior "
            "transplant",
            **MITT,
            text="The sources do not report sex, race, ECOG performance status, ISS stage, the "
            "individual cytogenetic abnormalities or prior transplant.",
            source=_NOT_FOUND,
            grade="secondary",
            note="Known instead: median age 65, 6.6 years since diagnosis, 7 prior regimens "
            "(3–18), 10 unique agents, 53 % high-risk cytogenetics, 83 penta-refractory.",
        ),
        StudyFact(
            id="not_reported.efficacy",
            topic="not_reported",
            label="Efficacy figures not reported",
            value="CIs of median PFS and OS; SD/PD/NE counts; response by cytogenetic risk",
            **MITT,
            text="The sources do not report the confidence intervals of median progression-free "
            "and overall survival, the separate counts of stable disease, progressive disease "
            "and not evaluable, or response by cytogenetic risk.",
            source=_NOT_FOUND,
            grade="secondary",
            note="Known instead: medians PFS 3.7 and OS 8.6 months; 74 patients below minimal "
            "response together (122 − 48).",
        ),
        StudyFact(
            id="not_reported.safety",
            topic="not_reported",
            label="Adverse-event figures not reported",
            value="any-grade neutropenia, hyponatraemia, leukopenia, diarrhoea and vomiting; "
            "decreased appetite counts; separate grade 4 figures other than thrombocytopenia; "
            "grade 3–4 figures for fatigue, nausea, leukopenia, diarrhoea and vomiting",
            **SAFETY,
            text="The sources do not report any-grade rates of neutropenia, hyponatraemia, "
            "leukopenia, diarrhoea or vomiting, any count for decreased appetite, separate "
            "grade 4 rates other than for thrombocytopenia, or grade 3–4 rates for fatigue, "
            "nausea, leukopenia, diarrhoea or vomiting.",
            source=_NOT_FOUND,
            grade="secondary",
            note="Known instead: grade 3 (and for neutropenia and hyponatraemia grade 3–4) "
            "rates of those terms; decreased appetite was common and typically grade 1–2.",
        ),
    ]


def discrepancy_facts() -> list[StudyFact]:
    """Section 7: where the sources disagree, each stated as a discrepancy."""
    return [
        StudyFact(
            id="discrepancy.phase",
            topic="discrepancy",
            label="Phase: 1b or 2b",
            value="phase 1b (news item) vs phase 2b (NEJM paper)",
            text="The news item calls the study phase 1b; the NEJM paper (and the registry) "
            "describe STORM Part 2 as phase 2b.",
            source=f"{NEWS}; {NEJM}",
            grade="seed",
            note="Phase 2b is the paper's and registry's description.",
        ),
        StudyFact(
            id="discrepancy.orr",
            topic="discrepancy",
            label="Overall response: 26, 26.0 or 26.2 %",
            value="26 % vs 26.0 % (32/123) vs 26.2 % (32/122)",
            n=32,
            **MITT,
            text="The overall response is given as 26 %, 26.0 % (= 32/123, the safety "
            "population) and 26.2 % (= 32/122); the mITT figure is 26.2 %.",
            source=f"{NEWS}; secondary reports",
            grade="seed",
            note="Efficacy uses the mITT (122): 32/122 = 26.2 %, published rounded as 26 %.",
        ),
        StudyFact(
            id="discrepancy.deaths",
            topic="discrepancy",
            label="Deaths from adverse events: 12 or 10",
            value="12 (paper summaries) vs 10 (FDA briefing, as reported)",
            **SAFETY,
            text="Deaths from adverse events are 12 in the paper summaries but 10 in the FDA "
            "briefing, as reported (a different counting window).",
            source="Nat Rev Clin Oncol highlight; Endpoints News on the FDA briefing",
            grade="secondary",
        ),
        StudyFact(
            id="discrepancy.any_g34",
            topic="discrepancy",
            label="Any grade 3–4 adverse event: 95.1 or 94 %",
            value="95.1 % vs 94 %",
            **SAFETY,
            text="The share of patients with any grade 3–4 adverse event is 95.1 % (FDA "
            "advisory-committee figure) in one report and 94 % in another.",
            source="ASH Clinical News; Endpoints",
            grade="secondary",
        ),
        StudyFact(
            id="discrepancy.discontinuation",
            topic="discrepancy",
            label="Discontinuation for adverse events: 27 %, nearly 30 % or about a quarter",
            value="27 % vs 'nearly 30 %' vs 'about a quarter'",
            **SAFETY,
            text="Discontinuation for adverse events is given as 27 %, as 'nearly 30 %' and "
            "as 'about a quarter'.",
            source="consensus recommendations, Clin Lymphoma Myeloma Leuk 2020; other reports",
            grade="secondary",
        ),
        StudyFact(
            id="discrepancy.complete_responses",
            topic="discrepancy",
            label="'Two complete responses' means the two stringent ones",
            value="2 sCR, 0 CR",
            n=2,
            **MITT,
            text="'Two complete responses' in one summary means the 2 stringent complete "
            "responses; no patient had a complete response that was not stringent.",
            source=f"{NEWS}; one secondary summary",
            grade="seed",
            note="2 sCR + 6 VGPR + 24 PR = 32, so CR (not stringent) = 0.",
        ),
    ]
