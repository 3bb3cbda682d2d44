"""Overview answers as tables: the adverse-event tables by term × grade band and by group, and
the one-screen summary. Every published figure is checked against published_facts.md itself
(its section 5 table is parsed here), and every count against the integer targets of its
section 6, never against what the code prints."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from assistant.answer import ILLUSTRATIVE_SOURCE, RECORDS_SOURCE, Answer
from assistant.engine import Engine
from knowledge.ae_groups import AEGroups, load_ae_groups

BANDS = {"Any grade": "any", "Grade 3": "g3", "Grade 4": "g4", "Grade 3–4": "g34"}
MEDDRA = {"Anaemia", "Diarrhoea", "Hyponatraemia"}  # the store spells them the British way


def _published_md() -> str:
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "storm" / "published_facts.md"
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    pytest.skip("shared/storm/published_facts.md not found beside the repository")


@pytest.fixture(scope="module")
def section5() -> dict[tuple[str, str], float]:
    """(term, band) → the published percentage, read from published_facts.md section 5's table
    ("| Thrombocytopenia | **90 (73 %)** | 27 % | 32 % | 59 % | …")."""
    text = _published_md().split("## 5.", 1)[1].split("## 6.", 1)[0]
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    out: dict[tuple[str, str], float] = {}
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        for name, cell in zip(header, cells, strict=False):
            band = BANDS.get(name)
            found = re.search(r"(\d+(?:\.\d+)?) %", cell)
            if band and found and re.fullmatch(r"[A-Za-z]+", cells[0]):
                out[(cells[0], band)] = float(found.group(1))
    return out


@pytest.fixture(scope="module")
def section6() -> dict[tuple[str, str], int]:
    """(term, band) → the integer target of published_facts.md section 6
    ("| Anaemia any / G3 / G4 | 82 / 52 / 2 | …"); grade 3–4 is G3 + G4 where both are given."""
    text = _published_md().split("## 6.", 1)[1].split("## 7.", 1)[0]
    out: dict[tuple[str, str], int] = {}
    for line in text.splitlines():
        found = re.match(
            r"\| ([A-Z][a-z]+) ((?:any|G3|G4)(?: / (?:any|G3|G4))*) \| ([\d /]+?) [|(]", line
        )
        if not found:
            continue
        term, keys, counts = found.groups()
        numbers = [int(n) for n in counts.split("/")]
        for key, count in zip(keys.split(" / "), numbers, strict=True):
            out[(term, {"any": "any", "G3": "g3", "G4": "g4"}[key])] = count
        if (term, "g3") in out and (term, "g4") in out:
            out[(term, "g34")] = out[(term, "g3")] + out[(term, "g4")]
    return out


def _ask(engine: Engine, question: str) -> Answer:
    return engine.conversation().ask(question)


def _cells(answer: Answer) -> dict[tuple[str, str], dict[str, Any]]:
    return {(e["term"], e["band"]): e for e in answer.values["events"] if "band" in e}


def test_section5_parsed(section5: dict[tuple[str, str], float]) -> None:
    # The parse must find the whole table: thrombocytopenia 4 cells, anaemia 3, fatigue,
    # nausea, neutropenia and hyponatraemia 2 each, leukopenia, diarrhoea and vomiting 1: 18.
    assert section5[("Thrombocytopenia", "g34")] == 59
    assert len(section5) == 18


def test_section6_parsed(section6: dict[tuple[str, str], int]) -> None:
    assert section6[("Thrombocytopenia", "g34")] == 33 + 39
    assert len({term for term, _ in section6}) == 9


def test_full_table_every_published_cell_beside_its_count(
    engine: Engine,
    section5: dict[tuple[str, str], float],
    section6: dict[tuple[str, str], int],
) -> None:
    answer = _ask(engine, "full AE table")
    assert answer.status == "answered" and answer.intent == "ae_table"
    cells = _cells(answer)
    for (term, band), pct in section5.items():
        entry = cells[(term, band)]
        assert entry["published"] == "published", (term, band)
        assert entry["published_pct"] == pct, (term, band)
        assert entry["N"] == 123
        # The count rounds to the published percentage (published_facts.md: G3–4
        # thrombocytopenia 72/123 = 58.5 %, which the paper rounds to 59 %).
        assert abs(100 * entry["n"] / 123 - pct) <= 0.5 + 1e-9, (term, band)
    for key, count in section6.items():
        assert cells[key]["n"] == count, key
    # Each published cell is beside the count: in the text as "n/N (x %; published p %)", in
    # the Markdown table as "n (x %); p %".
    assert "90/123 (73.2 %; published 73 %)" in answer.text
    assert answer.markdown is not None
    assert "| 90 (73.2 %); 73 % |" in answer.markdown
    assert "72 (58.5 %); 59 %" in answer.markdown
    assert "2 (1.6 %); 2 % derived (44 − 42)" in answer.markdown


def test_cells_without_a_published_counterpart_are_named(engine: Engine) -> None:
    answer = _ask(engine, "full AE table")
    cells = _cells(answer)
    # Fatigue: only any grade (73 %) and grade 3 (20 %) are published (section 5).
    assert cells[("Fatigue", "g4")]["published"] == "none"
    assert cells[("Fatigue", "g4")]["published_pct"] is None
    assert "fatigue grade 4" in answer.text and "not study results" in answer.text
    assert ILLUSTRATIVE_SOURCE in answer.sources and RECORDS_SOURCE in answer.sources
    # Any-grade neutropenia is "not found" in section 5 and not in the records: no count.
    assert cells[("Neutropenia", "any")]["n"] is None
    assert "Neutropenia: any grade not reported" in answer.text


def test_grade4_follows_from_published_bands(engine: Engine) -> None:
    """Anaemia grade 4 is not published; grade 3–4 (44 %) minus grade 3 (42 %) is 2 %."""
    cells = _cells(_ask(engine, "full AE table"))
    anaemia = cells[("Anaemia", "g4")]
    assert anaemia["published"] == "derived" and anaemia["published_pct"] == 44 - 42
    assert anaemia["n"] == 2  # section 6: anaemia G4 2
    assert cells[("Neutropenia", "g4")]["published_pct"] == 21 - 19


def test_groups_are_data_and_each_term_in_one() -> None:
    groups = load_ae_groups()
    assert set(groups.groups) >= {"haematological", "gastrointestinal", "metabolic"}
    assert "Thrombocytopenia" in groups.groups["haematological"].terms
    with pytest.raises(ValueError, match="both"):
        AEGroups.model_validate(
            {
                "groups": {
                    "a": {"title": "A", "terms": ["X"]},
                    "b": {"title": "B", "terms": ["X"]},
                },
                "other": "Other",
            }
        )
    # A term no group lists falls under "other".
    assert groups.arrange(["Rash"]) == [("other", groups.other, ["Rash"])]


def test_haematological_grade3_table(
    engine: Engine, section5: dict[tuple[str, str], float]
) -> None:
    answer = _ask(engine, "haematological toxicity grade 3 or higher")
    assert answer.intent == "ae_table"
    terms = {e["term"] for e in answer.values["events"]}
    assert terms == {"Thrombocytopenia", "Anaemia", "Neutropenia", "Leukopenia"}
    assert {e["band"] for e in answer.values["events"]} == {"g3", "g4", "g34"}
    cells = _cells(answer)
    assert cells[("Anaemia", "g34")]["published_pct"] == section5[("Anaemia", "g34")]


def test_all_grade3_events_most_frequent_first(
    engine: Engine, section5: dict[tuple[str, str], float]
) -> None:
    answer = _ask(engine, "show me all grade 3+ AEs")
    assert answer.status == "answered"
    order = list(dict.fromkeys(e["term"] for e in answer.values["events"]))
    # Every term with a published grade 3 figure, none left out (the defect: one number).
    assert set(order) == {t for t, band in section5 if band == "g3"}
    # Ranked by the published grade 3–4 figure, else grade 3: 59, 44, 22, 21, 20, 12, 10, 7, 3.
    rank = {t: section5.get((t, "g34"), section5[(t, "g3")]) for t in order}
    assert [rank[t] for t in order] == sorted(rank.values(), reverse=True)
    assert "Hyponatraemia (metabolic)" in answer.text


def test_most_common_says_why_four(engine: Engine) -> None:
    answer = _ask(engine, "most common adverse events")
    assert len(answer.values["events"]) == 4
    assert "published at grade 3 or higher only" in answer.text
    assert "neutropenia" in answer.text


def test_summary_one_screen(engine: Engine) -> None:
    answer = _ask(engine, "what did the study show")
    assert answer.status == "answered"
    lines = answer.text.splitlines()
    assert len(lines) <= 20 and all(len(line) <= 160 for line in lines)
    # Published figures: news item "32 of 122 patients (26%; 95% CI 19–35)", "48 of 122
    # (39%; 95% CI 31–49)"; section 4: PFS 3.7, OS 8.6, DOR 4.4 (3.7–10.8) months.
    for figure in (
        "26 %; 95 % CI 19–35",
        "39 %; 95 % CI 31–49",
        "3.7 months",
        "8.6 months",
        "4.4 months (95 % CI 3.7–10.8)",
        "90 (73 %) of 123",
        "six patients",
    ):
        assert figure in answer.text, figure
    assert RECORDS_SOURCE not in answer.sources
    assert answer.markdown is not None and answer.markdown.count("\n| ") >= 10


# ------------------------------------------------------------------ baseline and time to event
def _section_rows(section: str, stop: str) -> dict[str, str]:
    """First column → second column of every table row in one section of published_facts.md."""
    text = _published_md().split(section, 1)[1].split(stop, 1)[0]
    rows: dict[str, str] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) >= 2 and not set(cells[1]) <= {"-"}:
            rows[cells[0]] = cells[1]
    return rows


def _numbers(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?", text)


@pytest.mark.parametrize(
    "question",
    ["What were the baseline characteristics?", "baseline demographics table pls"],
)
def test_the_baseline_overview_holds_every_published_baseline_figure(
    engine: Engine, question: str
) -> None:
    published = _section_rows("## 3. Baseline", "## 4.")
    answer = _ask(engine, question)
    assert answer.status == "answered" and answer.intent == "baseline"
    assert answer.markdown is not None and "| characteristic |" in answer.markdown
    for fact in ("Median age", "Median time since diagnosis", "Prior regimens", "Penta-refractory"):
        value = published[fact].split("(")[0]  # "65 years (65.2)" → 65; "83 of 122 (68.0 %)" → 83
        for number in _numbers(value):
            assert number in answer.text, (fact, number)
    assert "53 %" in answer.text  # high-risk cytogenetics
    # What the sources do not report is named, not left out.
    for missing in ("sex", "race", "ECOG", "ISS", "prior transplant"):
        assert missing in answer.text


def test_the_baseline_overview_records_column_is_the_records_own(engine: Engine) -> None:
    """Each records figure is recomputed here from the store, independently of the handler."""
    from statistics import median

    store = engine.store
    mitt = store.population("mITT")
    ages = sorted(store.subjects[s].AGE for s in mitt)
    answer = _ask(engine, "baseline characteristics")
    assert f"{median(ages):g} years (range {ages[0]:g}–{ages[-1]:g})" in answer.text
    penta = sum(1 for s in mitt if store.subjects[s].PENTAFL)
    assert f"{penta}/{len(mitt)} ({100 * penta / len(mitt):.1f} %)" in answer.text


@pytest.mark.parametrize(
    ("question", "group"),
    [
        ("median age of the penta-refractory patients", "penta-refractory"),
        ("high-risk cytogenetics in the other 39", "not penta-refractory"),
        ("patient characteristics in the penta group", "penta-refractory"),
    ],
)
def test_a_baseline_figure_for_a_subgroup_is_not_reported(
    engine: Engine, question: str, group: str
) -> None:
    # The sources give baseline characteristics for the whole mITT only: the mITT figure is
    # context, never the answer.
    answer = _ask(engine, question)
    assert answer.status == "not_reported"
    assert (
        group in answer.text and "For the whole mITT, not the group you asked about" in answer.text
    )


def test_renal_function_at_baseline_is_not_reported(engine: Engine) -> None:
    answer = _ask(engine, "baseline renal function")
    assert answer.status == "not_reported" and "renal function" in answer.text


@pytest.mark.parametrize(
    "question",
    ["Show me all the time-to-event medians", "what were the survival outcomes?", "tte table"],
)
def test_the_time_to_event_overview_holds_every_published_median(
    engine: Engine, question: str
) -> None:
    published = _section_rows("| Time-to-event | Value", "### Penta-refractory")
    answer = _ask(engine, question)
    assert answer.status == "answered" and answer.intent == "tte_median"
    assert answer.markdown is not None and "| median |" in answer.markdown
    rows = {
        "Median time to response (PR or better)": "4.1 weeks",
        "Median duration of response (n = 32)": "4.4 months",
        "Median progression-free survival": "3.7 months",
        "Median overall survival": "8.6 months",
        "Median OS, patients with PR or better": "15.6 months",
        "Median duration of treatment": "9.0 weeks",
    }
    for fact, figure in rows.items():
        assert published[fact].startswith(figure)  # the table as published
        assert f"published {figure}" in answer.text, fact
    assert "95 % CI 3.7–10.8" in answer.text  # the one published interval
    assert "time to progression" in answer.text and "follow-up" in answer.text  # not reported


def test_the_time_to_event_overview_for_penta_names_what_is_missing(engine: Engine) -> None:
    answer = _ask(engine, "survival data for penta-refractory pts")
    assert answer.status == "answered"
    assert "published 3.8 months" in answer.text and "published 4 weeks" in answer.text
    assert "do not report progression-free survival or overall survival for this group" in (
        answer.text
    )
    other = _ask(engine, "survival results for the other 39")
    assert other.status == "not_reported" and "not the group you asked about" in other.text
