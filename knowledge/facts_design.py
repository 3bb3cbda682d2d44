"""Published facts: design, dosing, endpoints, publication, people and quotes
(published_facts.md sections 1 and 2).

Grades and sources are as published_facts.md gives them; where a row is graded "seed / P" the
fact is the seed's and the primary source is named in ``source`` and ``note``.
"""

from __future__ import annotations

from knowledge.facts_common import MMHUB, NEJM, NEWS
from knowledge.models import StudyFact

# The two quotes, verbatim from seed_news_item.md (between the curly quotes; the line break
# inside Richardson's words collapsed to one space).
RICHARDSON_QUOTE = (
    "Despite recent advances in the treatment of multiple myeloma, almost all our patients will "
    "develop disease that is resistant to the three main classes of anti-myeloma drugs we "
    "currently have available... Together with its unique mechanism of action, this "
    "next-generation novel agent marks a significant advance in the treatment paradigm for "
    "relapsed and refractory multiple myeloma... which will hopefully prove to be a valuable "
    "addition to our therapeutic armamentarium."
)
BAHLIS_QUOTE = (
    "This study provides myeloma patients that have exhausted approved options with another "
    "non-cross-resistant therapy. It also demonstrates that blocking nuclear export is indeed a "
    "viable therapeutic target and opens the door for the development of future molecules "
    "targeting the exportin family of nuclear transport proteins."
)

CHARI_AFFILIATION = "Icahn School of Medicine at Mount Sinai, New York, NY, USA"
RICHARDSON_AFFILIATION = "Dana-Farber Cancer Institute, Boston, MA, USA"
BAHLIS_AFFILIATION = "Arnie Charbonneau Cancer Institute, University of Calgary, AB, Canada"
NEWS_DOI = "10.1016/S1470-2045(19)30566-2"
PAPER = "N Engl J Med 2019; 381: 727–38"
PAPER_TITLE = "Oral Selinexor–Dexamethasone for Triple-Class Refractory Multiple Myeloma"


def design_facts() -> list[StudyFact]:
    """Section 1: design, regimen, endpoints, sites, sponsor; and the dosing."""
    return [
        StudyFact(
            id="design.design",
            topic="design",
            label="Study design",
            value="multicentre, open-label, single-arm",
            text="STORM Part 2 was a multicentre, open-label, single-arm study.",
            source=NEWS,
            grade="seed",
            note="The news item says multicentre and open-label; single-arm as published_facts.md "
            "records it (every patient received selinexor–dexamethasone).",
        ),
        StudyFact(
            id="design.phase",
            topic="design",
            label="Phase",
            value="phase 1b (news item); phase 2b (NEJM paper, registry)",
            text="The news item calls it a phase 1b study; the NEJM paper and the registry "
            "describe STORM Part 2 as a phase 2b study.",
            source=f"{NEWS}; {NEJM} (primary)",
            grade="seed",
            note="Known discrepancy (discrepancy.phase): the seed says 'phase 1b', the primary "
            "sources say phase 2b (Part 2 of STORM).",
        ),
        StudyFact(
            id="design.regimen",
            topic="design",
            label="Regimen",
            value="oral selinexor 80 mg + dexamethasone 20 mg, twice weekly",
            text="Patients received 80 mg oral selinexor and 20 mg dexamethasone twice weekly.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="design.schedule",
            topic="design",
            label="Dosing schedule",
            value="days 1 and 3 of every week, 4-week cycles, until progression or unacceptable "
            "toxicity",
            text="Both drugs were taken on days 1 and 3 of every week in 4-week cycles, until "
            "disease progression or unacceptable toxicity.",
            source=f"{MMHUB} (selinexor-for-refractory-myeloma); label",
            grade="secondary",
        ),
        StudyFact(
            id="design.mechanism",
            topic="design",
            label="Mechanism of selinexor",
            value="selective inhibitor of nuclear export; blocks exportin 1 (XPO1)",
            text="Selinexor is a selective inhibitor of nuclear export: it blocks exportin 1 "
            "(XPO1).",
            source=NEWS,
            grade="seed",
            note="The news item says 'a selective inhibitor of XPO1'; the expansion of the "
            "acronym is as published_facts.md gives it.",
        ),
        StudyFact(
            id="design.prior_exposure",
            topic="design",
            label="Prior exposure required",
            value="bortezomib, carfilzomib, lenalidomide, pomalidomide, daratumumab, an "
            "alkylating agent",
            text="Patients had to have had previous exposure to bortezomib, carfilzomib, "
            "lenalidomide, pomalidomide, daratumumab and an alkylating agent.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="design.triple_class_refractory",
            topic="design",
            label="Triple-class refractory (entry criterion)",
            value="refractory to ≥1 proteasome inhibitor, ≥1 immunomodulatory agent, and "
            "daratumumab",
            text="Patients' disease had to be triple-class refractory: resistant to at least one "
            "proteasome inhibitor, one immunomodulatory agent, and daratumumab.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="design.primary_endpoint",
            topic="endpoint",
            label="Primary endpoint",
            value="overall response: confirmed partial response or better",
            text="The primary endpoint was overall response: a confirmed partial response or "
            "better (≥50 % reduction in the serum level of myeloma protein), assessed by an "
            "independent review committee.",
            source=f"{NEWS}; {NEJM} (primary)",
            grade="seed",
            note="The independent-review-committee assessment is from the NEJM abstract "
            "(primary); the rest is in the news item.",
        ),
        StudyFact(
            id="design.secondary_endpoint",
            topic="endpoint",
            label="Secondary endpoint",
            value="clinical benefit: confirmed minimal response or better",
            text="A secondary endpoint was clinical benefit: a confirmed minimal response or "
            "better (≥25–50 % reduction in the serum level of myeloma protein).",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="design.other_endpoints",
            topic="endpoint",
            label="Other secondary endpoints",
            value="duration of response, progression-free survival, overall survival",
            text="Other secondary endpoints were duration of response, progression-free "
            "survival and overall survival.",
            source="FDA advisory-committee summaries",
            grade="secondary",
        ),
        StudyFact(
            id="design.response_criteria",
            topic="design",
            label="Response criteria",
            value="IMWG uniform response criteria",
            text="Responses were assessed with the International Myeloma Working Group (IMWG) "
            "uniform response criteria.",
            source="nursingcenter.com review",
            grade="secondary",
        ),
        StudyFact(
            id="design.sites",
            topic="design",
            label="Sites",
            value=60,
            unit="centres",
            text="The study was run at 60 centres in the United States and Europe.",
            source="Oncology Times 2020",
            grade="secondary",
        ),
        StudyFact(
            id="design.sponsor",
            topic="design",
            label="Sponsor",
            value="Karyopharm Therapeutics",
            text="The study was sponsored by Karyopharm Therapeutics.",
            source="news reports",
            grade="secondary",
        ),
        StudyFact(
            id="design.registry",
            topic="design",
            label="Registry number",
            value="NCT02336815",
            text="STORM is registered at ClinicalTrials.gov as NCT02336815.",
            source="ClinicalTrials.gov registry; NEJM paper",
            grade="primary",
        ),
        StudyFact(
            id="dosing.selinexor",
            topic="dosing",
            label="Selinexor dose",
            value=80,
            unit="mg",
            text="Selinexor was given orally at 80 mg twice weekly (days 1 and 3 of each week).",
            source=NEWS,
            grade="seed",
            note="Twice weekly is in the news item; days 1 and 3 are from design.schedule "
            "(secondary).",
        ),
        StudyFact(
            id="dosing.dexamethasone",
            topic="dosing",
            label="Dexamethasone dose",
            value=20,
            unit="mg",
            text="Dexamethasone was given at 20 mg twice weekly, together with selinexor.",
            source=NEWS,
            grade="seed",
        ),
    ]


def publication_facts() -> list[StudyFact]:
    """Section 2: the paper, the news item, the people and their words."""
    return [
        StudyFact(
            id="publication.paper",
            topic="publication",
            label="Paper",
            value=PAPER,
            text=f"Chari A, Vogl DT, et al. {PAPER_TITLE}. {PAPER}.",
            source=NEWS,
            grade="seed",
            note="The citation is in the news item; the title and co-author are from "
            "published_facts.md.",
        ),
        StudyFact(
            id="publication.news_item",
            topic="publication",
            label="News item",
            value="Selinexor–dexamethasone for refractory multiple myeloma",
            text="'Selinexor–dexamethasone for refractory multiple myeloma', Lancet Oncology "
            f"news by Robert Stirrups, published online August 30, 2019; doi {NEWS_DOI}.",
            source=NEWS,
            grade="seed",
            note="The project's founding document (seed_news_item.md).",
        ),
        StudyFact(
            id="publication.news_item.author",
            topic="publication",
            label="News item author",
            value="Robert Stirrups",
            text="The news item was written by Robert Stirrups.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="publication.news_item.date",
            topic="publication",
            label="News item date",
            value="2019-08-30",
            text="The news item was published online on August 30, 2019.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="publication.news_item.doi",
            topic="publication",
            label="News item DOI",
            value=NEWS_DOI,
            text=f"The news item's doi is {NEWS_DOI}.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="people.chari",
            topic="people",
            label="First author",
            value="Ajai Chari",
            text=f"The first author is Ajai Chari ({CHARI_AFFILIATION}).",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="people.chari.affiliation",
            topic="people",
            label="Affiliation of Ajai Chari",
            value=CHARI_AFFILIATION,
            text=f"Ajai Chari: {CHARI_AFFILIATION}.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="people.richardson",
            topic="people",
            label="Study author quoted",
            value="Paul Richardson",
            text=f"Study author Paul Richardson ({RICHARDSON_AFFILIATION}) is quoted in the "
            "news item.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="people.richardson.affiliation",
            topic="people",
            label="Affiliation of Paul Richardson",
            value=RICHARDSON_AFFILIATION,
            text=f"Paul Richardson: {RICHARDSON_AFFILIATION}.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="people.bahlis",
            topic="people",
            label="Investigator quoted",
            value="Nizar Bahlis",
            text=f"Nizar Bahlis ({BAHLIS_AFFILIATION}) is quoted in the news item.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="people.bahlis.affiliation",
            topic="people",
            label="Affiliation of Nizar Bahlis",
            value=BAHLIS_AFFILIATION,
            text=f"Nizar Bahlis: {BAHLIS_AFFILIATION}.",
            source=NEWS,
            grade="seed",
        ),
        StudyFact(
            id="quote.richardson",
            topic="quote",
            label="Paul Richardson's words",
            value=RICHARDSON_QUOTE,
            text=f"Paul Richardson said: “{RICHARDSON_QUOTE}”",
            source=NEWS,
            grade="seed",
            note="Verbatim, ellipses as in the news item.",
        ),
        StudyFact(
            id="quote.bahlis",
            topic="quote",
            label="Nizar Bahlis's words",
            value=BAHLIS_QUOTE,
            text=f"Nizar Bahlis added: “{BAHLIS_QUOTE}”",
            source=NEWS,
            grade="seed",
            note="Verbatim from the news item.",
        ),
    ]
