"""Published facts: the analysis populations (the top of published_facts.md) and definitions
of the terms a user may ask about. IMWG response categories that the sources do not define
are graded secondary with the IMWG criteria as their source.
"""

from __future__ import annotations

from knowledge.facts_common import IMWG, MITT, NEJM, NEWS, PENTA, SAFETY
from knowledge.models import StudyFact


def population_facts() -> list[StudyFact]:
    """The analysis populations, and the label pools that are not this study's figures."""
    return [
        StudyFact(
            id="population.mitt",
            topic="population",
            label="mITT population",
            value=122,
            unit="patients",
            n=122,
            **MITT,
            text="The modified intention-to-treat (mITT) population is 122 patients; every "
            "efficacy figure uses it.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="population.safety",
            topic="population",
            label="Safety population",
            value=123,
            unit="patients",
            n=123,
            **SAFETY,
            text="The safety population is 123 patients; every adverse-event figure uses it.",
            source=NEWS,
            grade="seed",
            note="The news item gives it as the denominator of thrombocytopenia (90 of 123).",
        ),
        StudyFact(
            id="population.penta",
            topic="population",
            label="Penta-refractory subgroup",
            value=83,
            unit="patients",
            n=83,
            **PENTA,
            text="83 of the 122 mITT patients were penta-refractory (refractory to bortezomib, "
            "carfilzomib, lenalidomide, pomalidomide and daratumumab); this is the FDA "
            "label's efficacy population.",
            source="FDA approval summaries",
            grade="secondary",
        ),
        StudyFact(
            id="population.fda_safety",
            topic="population",
            label="FDA label safety pool",
            value=202,
            unit="patients",
            n=202,
            population="FDA label safety pool",
            population_n=202,
            text="The FDA label's safety population is a larger pool of 202 patients: not this "
            "study's figures.",
            source="FDA label",
            grade="primary",
            note="Other, larger pool; never mix with the STORM Part 2 safety population (123).",
        ),
        StudyFact(
            id="population.ema_safety",
            topic="population",
            label="EU label safety pool",
            value=214,
            unit="patients",
            n=214,
            population="EU label safety pool",
            population_n=214,
            text="The EU label's safety population is a larger pool of 214 patients: not this "
            "study's figures.",
            source="EU label",
            grade="primary",
            note="Other, larger pool; never mix with the STORM Part 2 safety population (123).",
        ),
    ]


def definition_facts() -> list[StudyFact]:
    """Terms a user may ask about; IMWG categories beyond the sources are marked secondary."""
    return [
        StudyFact(
            id="definition.triple_class_refractory",
            topic="definition",
            label="Triple-class refractory",
            value="refractory to ≥1 proteasome inhibitor, ≥1 immunomodulatory agent and "
            "daratumumab",
            text="Triple-class refractory: disease resistant to at least one proteasome "
            "inhibitor, one immunomodulatory agent, and daratumumab.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="definition.penta_refractory",
            topic="definition",
            label="Penta-refractory",
            value="refractory to bortezomib, carfilzomib, lenalidomide, pomalidomide and "
            "daratumumab",
            text="Penta-refractory: disease refractory to bortezomib, carfilzomib, "
            "lenalidomide, pomalidomide and daratumumab (two proteasome inhibitors, two "
            "immunomodulatory agents and an anti-CD38 antibody).",
            source="FDA approval summaries",
            grade="secondary",
        ),
        StudyFact(
            id="definition.overall_response",
            topic="definition",
            label="Overall response",
            value="confirmed partial response or better",
            text="Overall response: a confirmed partial response or better (≥50 % reduction in "
            "the serum level of myeloma protein), i.e. sCR, CR, VGPR or PR.",
            source=f"{NEWS}; {NEJM} (primary)",
            grade="seed",
        ),
        StudyFact(
            id="definition.clinical_benefit",
            topic="definition",
            label="Clinical benefit",
            value="confirmed minimal response or better",
            text="Clinical benefit: a confirmed minimal response or better (≥25–50 % reduction "
            "in the serum level of myeloma protein), i.e. overall response plus MR.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="definition.mitt",
            topic="definition",
            label="Modified intention-to-treat population",
            value="the efficacy population: 122 patients",
            **MITT,
            text="mITT (modified intention-to-treat): the 122 patients on whom every efficacy "
            "figure of the study is computed.",
            source=NEWS,
            grade="seed",
            note="The sources here give its size and use, not its inclusion rule.",
        ),
        StudyFact(
            id="definition.safety_population",
            topic="definition",
            label="Safety population",
            value="the adverse-event population: 123 patients",
            **SAFETY,
            text="Safety population: the 123 patients on whom every adverse-event figure of the "
            "study is computed.",
            source=NEWS,
            grade="seed",
            note="The sources here give its size and use, not its inclusion rule.",
        ),
        StudyFact(
            id="definition.sCR",
            topic="definition",
            label="Stringent complete response (sCR)",
            value="CR plus normal free light chain ratio and no clonal plasma cells in marrow",
            text="sCR (stringent complete response): a complete response plus a normal serum "
            "free light chain ratio and absence of clonal plasma cells in the bone marrow.",
            source=IMWG,
            grade="secondary",
        ),
        StudyFact(
            id="definition.CR",
            topic="definition",
            label="Complete response (CR)",
            value="negative immunofixation, no plasmacytomas, <5 % marrow plasma cells",
            text="CR (complete response): negative immunofixation of serum and urine, "
            "disappearance of any soft-tissue plasmacytomas, and <5 % plasma cells in the bone "
            "marrow.",
            source=IMWG,
            grade="secondary",
        ),
        StudyFact(
            id="definition.VGPR",
            topic="definition",
            label="Very good partial response (VGPR)",
            value="M-protein on immunofixation only, or ≥90 % serum M-protein reduction",
            text="VGPR (very good partial response): serum and urine M-protein detectable by "
            "immunofixation but not on electrophoresis, or ≥90 % reduction in serum M-protein "
            "with urine M-protein <100 mg per 24 h.",
            source=IMWG,
            grade="secondary",
        ),
        StudyFact(
            id="definition.PR",
            topic="definition",
            label="Partial response (PR)",
            value="≥50 % reduction in serum myeloma protein",
            text="PR (partial response): ≥50 % reduction in the serum level of myeloma protein "
            "(IMWG also requires a ≥90 % reduction in 24-h urine M-protein, or to <200 mg "
            "per 24 h).",
            source=f"{NEWS}; {IMWG}",
            grade="seed",
            note="The ≥50 % serum criterion is the news item's; the urine criterion is IMWG's "
            "(secondary).",
        ),
        StudyFact(
            id="definition.MR",
            topic="definition",
            label="Minimal response (MR)",
            value="≥25–50 % reduction in serum myeloma protein",
            text="MR (minimal response): ≥25–50 % reduction in the serum level of myeloma "
            "protein (IMWG: ≥25 % but ≤49 %, with a 50–89 % reduction in 24-h urine "
            "M-protein).",
            source=f"{NEWS}; {IMWG}",
            grade="seed",
            note="The serum criterion is the news item's; the urine criterion is IMWG's "
            "(secondary).",
        ),
        StudyFact(
            id="definition.SD",
            topic="definition",
            label="Stable disease (SD)",
            value="not meeting the criteria for CR, VGPR, PR, MR or PD",
            text="SD (stable disease): not meeting the criteria for CR, VGPR, PR, MR or "
            "progressive disease.",
            source=IMWG,
            grade="secondary",
        ),
        StudyFact(
            id="definition.PD",
            topic="definition",
            label="Progressive disease (PD)",
            value="≥25 % increase from the lowest confirmed response value",
            text="PD (progressive disease): an increase of ≥25 % from the lowest confirmed "
            "response value in serum M-protein (absolute increase ≥0.5 g/dL) or urine "
            "M-protein (≥200 mg per 24 h), or new or enlarging bone lesions or plasmacytomas.",
            source=IMWG,
            grade="secondary",
        ),
    ]
