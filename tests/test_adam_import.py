"""`stormchat import`: real public ADaM datasets into stores, and the answers on top of them.

The data are in ../shared/adam (see its README): the CDISC pilot (XPT and Dataset-JSON), the
pharmaverse oncology study (CSV) and random.cdisc.data (CSV). Tests that read them skip when
the folder is absent. Figures are checked against the pilot's Table 14-5.01 (the rows the
README lists, and more from the RTF) and against computations written here, from the raw
files, without stormchat's code.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from assistant.cli import main
from knowledge import by_arm
from knowledge.adam_import import import_adam
from knowledge.store import load_store

ADAM = Path(__file__).resolve().parents[1].parent / "shared" / "adam"
needs_adam = pytest.mark.skipif(
    not ADAM.is_dir(), reason=f"the public ADaM datasets are not at {ADAM}"
)
pytest.importorskip("pyreadstat", reason="pyreadstat (the 'adam' extra) reads the pilot's XPT")

ARMS = ("Placebo", "Xanomeline Low Dose", "Xanomeline High Dose")


def _import(tmp: Path, name: str, *paths: Path, map_text: str | None = None) -> Path:
    out = tmp / f"{name}.json"
    args = ["import", *map(str, paths), "-o", str(out)]
    if map_text is not None:
        mapping = tmp / f"{name}.toml"
        mapping.write_text(map_text)
        args += ["--map", str(mapping)]
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if not ADAM.is_dir():
        pytest.skip(f"the public ADaM datasets are not at {ADAM}")
    tmp = tmp_path_factory.mktemp("adam")
    return {
        "pilot": _import(tmp, "pilot", ADAM / "cdiscpilot01"),
        "pilot_json": _import(tmp, "pilot_json", ADAM / "cdiscpilot01_datasetjson"),
        "onco": _import(tmp, "onco", ADAM / "pharmaverseadam_onco"),
        "random": _import(
            tmp,
            "random",
            ADAM / "random_cdisc_data",
            map_text='[adrs]\nbest_response = "BESRSPI"\n',
        ),
    }


def ask(store: Path, question: str, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["--db", str(store), "ask", "--json", question]) == 0
    return json.loads(capsys.readouterr().out)


# ------------------------------------------------------------------ the pilot: Table 14-5.01

# (row, counts placebo / low / high, Fisher p vs placebo as the table prints them: low, high).
# The first five rows are those of ../shared/adam/README.md; the rest are from the RTF.
TABLE_14_5_01 = [
    ("ANY", (65, 77, 76), ("0.007", "0.014")),
    ("SINUS BRADYCARDIA", (2, 7, 8), ("0.097", "0.056")),
    ("MYOCARDIAL INFARCTION", (4, 2, 4), ("0.682", ">.99")),
    ("VOMITING", (3, 3, 7), (">.99", "0.208")),
    ("ATRIAL FIBRILLATION", (1, 1, 3), (">.99", "0.365")),
    ("CARDIAC DISORDERS", (12, 13, 15), ("0.831", "0.534")),
    ("GASTROINTESTINAL DISORDERS", (17, 14, 20), ("0.692", "0.580")),
    ("NAUSEA", (3, 3, 6), (">.99", "0.326")),
    ("DIARRHOEA", (9, 4, 4), ("0.248", "0.248")),
    ("APPLICATION SITE PRURITUS", (6, 22, 22), ("0.001", "0.001")),
    ("APPLICATION SITE ERYTHEMA", (3, 12, 15), ("0.015", "0.002")),
    ("DIZZINESS", (2, 8, 11), ("0.056", "0.009")),
    ("NERVOUS SYSTEM DISORDERS", (8, 20, 25), ("0.013", "0.001")),
    ("PRURITUS", (8, 21, 26), ("0.008", "0.000")),
    ("COUGH", (1, 5, 5), ("0.115", "0.115")),
    ("UPPER RESPIRATORY TRACT INFECTION", (6, 1, 3), ("0.117", "0.496")),
    ("SKIN AND SUBCUTANEOUS TISSUE DISORDERS", (20, 39, 40), ("0.002", "0.001")),
]

QUESTIONS = {
    "ANY": "How many patients had any adverse event?",
    "SINUS BRADYCARDIA": "How many patients had sinus bradycardia?",
    "MYOCARDIAL INFARCTION": "How many had a myocardial infarction?",
    "VOMITING": "How many had vomiting?",
    "ATRIAL FIBRILLATION": "How many had atrial fibrillation?",
    "CARDIAC DISORDERS": "How many had cardiac disorders?",
    "GASTROINTESTINAL DISORDERS": "gastrointestinal disorders",
    "NAUSEA": "How many had nausea?",
    "DIARRHOEA": "How many patients had diarrhea?",
    "APPLICATION SITE PRURITUS": "How many had application site pruritus?",
    "APPLICATION SITE ERYTHEMA": "How many had application site erythema?",
    "DIZZINESS": "How many had dizziness?",
    "NERVOUS SYSTEM DISORDERS": "nervous system disorders",
    "PRURITUS": "How many had pruritus?",
    "COUGH": "How many had a cough?",
    "UPPER RESPIRATORY TRACT INFECTION": "How many had an upper respiratory tract infection?",
    "SKIN AND SUBCUTANEOUS TISSUE DISORDERS": (
        "How many had skin and subcutaneous tissue disorders?"
    ),
}


def table_p(p: float) -> str:
    """A p-value as Table 14-5.01 prints it."""
    return ">.99" if p > 0.99 else f"{p:.3f}"


def _row_hits(store, row: str) -> set[str]:
    if row == "ANY":
        return by_arm.ae_hits(store, None)
    terms = by_arm.socs(store).get(row) or [row]
    return by_arm.ae_hits(store, terms)


@pytest.mark.slow
@needs_adam
def test_pilot_imports_the_same_from_xpt_and_dataset_json(stores: dict[str, Path]) -> None:
    xpt, js = load_store(stores["pilot"]), load_store(stores["pilot_json"])
    # The Dataset-JSON ADSL has DCSREAS, the XPT one (an older cut) does not: all else is equal.
    assert {k: s.model_dump(exclude={"DCSREAS"}) for k, s in xpt.subjects.items()} == {
        k: s.model_dump(exclude={"DCSREAS"}) for k, s in js.subjects.items()
    }
    assert xpt.adverse_events == js.adverse_events
    assert xpt.tte == js.tte
    assert xpt.meta.arms == js.meta.arms == list(ARMS)
    assert xpt.meta.control_arm == "Placebo" and xpt.meta.study_id == "CDISCPILOT01"
    assert xpt.meta.ae_grading == "severity" and not xpt.facts


@needs_adam
@pytest.mark.parametrize("store_name", ["pilot", "pilot_json"])
@pytest.mark.parametrize(
    ("row", "counts", "p_values"), TABLE_14_5_01, ids=[row for row, _, _ in TABLE_14_5_01]
)
def test_table_14_5_01_rows_from_the_statistics_layer(
    stores: dict[str, Path],
    store_name: str,
    row: str,
    counts: tuple[int, ...],
    p_values: tuple[str, str],
) -> None:
    store = load_store(stores[store_name])
    rows = by_arm.rates_by_arm(store, _row_hits(store, row), "safety")
    assert [r.arm for r in rows] == list(ARMS)
    assert tuple(r.rate.N for r in rows) == (86, 84, 84)
    assert tuple(r.rate.n for r in rows) == counts
    assert rows[0].p_value is None
    assert tuple(table_p(r.p_value) for r in rows[1:]) == p_values


@needs_adam
@pytest.mark.parametrize(
    ("row", "counts", "p_values"), TABLE_14_5_01, ids=[row for row, _, _ in TABLE_14_5_01]
)
def test_table_14_5_01_rows_asked_in_words(
    stores: dict[str, Path],
    row: str,
    counts: tuple[int, ...],
    p_values: tuple[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = ask(stores["pilot"], QUESTIONS[row], capsys)
    assert result["status"] == "answered", result["text"]
    arms = result["values"]["arms"]
    assert [a["arm"] for a in arms] == list(ARMS)
    assert tuple(a["n"] for a in arms) == counts
    assert tuple(a["N"] for a in arms) == (86, 84, 84)
    assert tuple(table_p(a["p_value"]) for a in arms[1:]) == p_values
    assert result["values"]["test"] == "fisher-exact, two-sided"
    assert result["sources"] == ["computed from the study records (CDISCPILOT01)"]
    assert "computed from the study records (cdiscpilot01)" in result["text"].lower()


@pytest.mark.slow
@needs_adam
def test_the_console_script_answers_from_an_imported_store(stores: dict[str, Path]) -> None:
    script = Path(sys.executable).with_name("stormchat")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "assistant.cli"]
    done = subprocess.run(
        [*command, "--db", str(stores["pilot"]), "ask", "How many patients had sinus bradycardia?"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Placebo 2/86" in done.stdout and "Xanomeline High Dose 8/84" in done.stdout
    assert "Fisher p vs Placebo 0.056" in done.stdout


@needs_adam
def test_a_grade_is_not_reported_where_the_study_grades_by_severity(
    stores: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    result = ask(stores["pilot"], "How many had grade 3 or higher vomiting?", capsys)
    assert result["status"] == "not_reported"
    assert "severity" in result["text"]


# ------------------------------------------------------------------ oncology: independent figures


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _population(adsl: Path, flag: str) -> dict[str, str]:
    """subject → arm (TRT01A) for the subjects flagged Y."""
    return {r["USUBJID"]: r["TRT01A"] for r in _csv(adsl) if r[flag] == "Y"}


def _hand_km_median(times: list[float], events: list[int]) -> float | None:
    """Product-limit estimate, written out: the first event time where S(t) <= 0.5."""
    survival = 1.0
    for t in sorted({t for t, e in zip(times, events, strict=True) if e}):
        at_risk = sum(1 for u in times if u >= t)
        died = sum(1 for u, e in zip(times, events, strict=True) if e and u == t)
        survival *= 1 - died / at_risk
        if survival <= 0.5 + 1e-12:
            return t
    return None


ONCO = {
    # name: (folder, ADSL, ADRS, ADTTE, efficacy flag, best-response PARAMCD)
    "onco": ("pharmaverseadam_onco", "adsl.csv", "adrs_onco.csv", "adtte_onco.csv", "SAFFL", "BOR"),
    "random": ("random_cdisc_data", "adsl.csv", "adrs.csv", "adtte.csv", "ITTFL", "BESRSPI"),
}


@needs_adam
@pytest.mark.parametrize("name", list(ONCO))
def test_orr_and_best_response_by_arm(
    stores: dict[str, Path], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, adsl, adrs, _, flag, paramcd = ONCO[name]
    arm_of = _population(ADAM / folder / adsl, flag)
    best = {r["USUBJID"]: r["AVALC"] for r in _csv(ADAM / folder / adrs) if r["PARAMCD"] == paramcd}
    expected_n: dict[str, int] = defaultdict(int)
    expected_N: dict[str, int] = defaultdict(int)
    categories: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sid, arm in arm_of.items():
        expected_N[arm] += 1
        expected_n[arm] += best.get(sid) in ("CR", "PR")
        if best.get(sid) in ("CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE"):
            categories[arm][best[sid]] += 1

    result = ask(stores[name], "What was the overall response rate?", capsys)
    assert result["status"] == "answered", result["text"]
    got = {a["arm"]: (a["n"], a["N"]) for a in result["values"]["arms"]}
    assert got == {arm: (expected_n[arm], expected_N[arm]) for arm in expected_N}
    assert result["values"]["categories"] == ["CR", "PR"]

    table = ask(stores[name], "Give me the best-response breakdown", capsys)
    assert table["status"] == "answered", table["text"]
    for entry in table["values"]["arms"]:
        shown = {c: k for c, k in entry["counts"].items() if k and c != "missing"}
        assert shown == dict(categories[entry["arm"]])
        assert entry["N"] == expected_N[entry["arm"]]


@needs_adam
@pytest.mark.parametrize("name", list(ONCO))
@pytest.mark.parametrize(
    ("question", "wanted", "intent"),
    [
        # RECIST's disease control: CR, PR, SD or NON-CR/NON-PD (the parser reads "disease
        # control" as PFS, STORM's lay word for it; the store's criteria settle it).
        (
            "What was the disease control rate?",
            ("CR", "PR", "SD", "NON-CR/NON-PD"),
            "response_rate",
        ),
        ("disease control rate by arm", ("CR", "PR", "SD", "NON-CR/NON-PD"), "response_rate"),
        # One category, not CR and PD (the parser splits it at the slash).
        ("How many had non-CR/non-PD?", ("NON-CR/NON-PD",), "response_category"),
    ],
)
def test_recist_wordings_by_arm(
    stores: dict[str, Path],
    name: str,
    question: str,
    wanted: tuple[str, ...],
    intent: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, adsl, adrs, _, flag, paramcd = ONCO[name]
    arm_of = _population(ADAM / folder / adsl, flag)
    best = {r["USUBJID"]: r["AVALC"] for r in _csv(ADAM / folder / adrs) if r["PARAMCD"] == paramcd}
    expected: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for sid, arm in arm_of.items():
        expected[arm][0] += best.get(sid) in wanted
        expected[arm][1] += 1
    result = ask(stores[name], question, capsys)
    assert (result["status"], result["intent"]) == ("answered", intent), result["text"]
    got = {a["arm"]: [a["n"], a["N"]] for a in result["values"]["arms"]}
    assert got == dict(expected)
    assert result["values"]["categories"] == list(wanted)


@needs_adam
@pytest.mark.parametrize("name", list(ONCO))
@pytest.mark.parametrize(
    ("endpoint", "question"),
    [
        ("PFS", "What was the median progression-free survival?"),
        ("OS", "What was the median overall survival?"),
    ],
)
def test_median_pfs_and_os_by_arm(
    stores: dict[str, Path],
    name: str,
    endpoint: str,
    question: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, adsl, _, adtte, flag, _ = ONCO[name]
    arm_of = _population(ADAM / folder / adsl, flag)
    times: dict[str, list[float]] = defaultdict(list)
    events: dict[str, list[int]] = defaultdict(list)
    for r in _csv(ADAM / folder / adtte):
        if r["PARAMCD"] == endpoint and r["USUBJID"] in arm_of:
            times[arm_of[r["USUBJID"]]].append(float(r["AVAL"]))
            events[arm_of[r["USUBJID"]]].append(1 - int(float(r["CNSR"])))

    result = ask(stores[name], question, capsys)
    assert result["status"] == "answered", result["text"]
    got = {a["arm"]: a for a in result["values"]["arms"]}
    assert set(got) == set(times)
    for arm, entry in got.items():
        expected = _hand_km_median(times[arm], events[arm])
        assert entry["n"] == len(times[arm]) and entry["events"] == sum(events[arm])
        if expected is None:
            assert entry["median"] is None
        else:
            assert entry["median"] == pytest.approx(expected, abs=1e-4)
            # Days are shown as months (365.25 / 12 days each).
            assert entry["median_months"] == pytest.approx(expected / (365.25 / 12), abs=1e-4)
    assert "computed from the study records" in result["text"].lower()


@needs_adam
def test_an_adverse_event_by_grade_by_arm(
    stores: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = ADAM / "random_cdisc_data"
    arm_of = _population(folder / "adsl.csv", "SAFFL")
    worst: dict[str, int] = {}
    for r in _csv(folder / "adae.csv"):
        if r["TRTEMFL"] == "Y" and r["USUBJID"] in arm_of:
            worst[r["USUBJID"]] = max(worst.get(r["USUBJID"], 0), int(float(r["AETOXGR"])))
    expected = defaultdict(lambda: [0, 0])
    for sid, arm in arm_of.items():
        expected[arm][1] += 1
        expected[arm][0] += worst.get(sid, 0) >= 3

    result = ask(stores["random"], "How many had grade 3 or higher adverse events?", capsys)
    assert result["status"] == "answered", result["text"]
    assert result["values"]["grade"] == "grade 3 or higher"
    got = {a["arm"]: [a["n"], a["N"]] for a in result["values"]["arms"]}
    assert got == dict(expected)
    # Fisher's exact test against the placebo arm, as scipy gives it.
    from scipy.stats import fisher_exact

    control = expected["B: Placebo"]
    for entry in result["values"]["arms"]:
        if entry["arm"] == "B: Placebo":
            assert "p_value" not in entry
            continue
        k, n = expected[entry["arm"]]
        p = fisher_exact([[k, n - k], [control[0], control[1] - control[0]]]).pvalue
        assert entry["p_value"] == pytest.approx(p, abs=1e-6)


@needs_adam
def test_one_term_at_one_grade_through_the_statistics_layer(stores: dict[str, Path]) -> None:
    folder = ADAM / "random_cdisc_data"
    store = load_store(stores["random"])
    arm_of = _population(folder / "adsl.csv", "SAFFL")
    rows = _csv(folder / "adae.csv")
    term = max({r["AEDECOD"] for r in rows}, key=lambda t: sum(r["AEDECOD"] == t for r in rows))
    worst: dict[str, int] = {}
    for r in rows:
        if r["AEDECOD"] == term and r["TRTEMFL"] == "Y":
            worst[r["USUBJID"]] = max(worst.get(r["USUBJID"], 0), int(float(r["AETOXGR"])))
    for grade in (1, 2, 3, 4, 5):
        hits = by_arm.ae_hits(store, [term], "eq", grade)
        got = {r.arm: r.rate.n for r in by_arm.rates_by_arm(store, hits, "safety")}
        expected = {
            arm: sum(1 for sid, g in worst.items() if g == grade and arm_of.get(sid) == arm)
            for arm in set(arm_of.values())
        }
        assert got == expected, grade


# ------------------------------------------------------------------ the command itself


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _tiny_study(folder: Path) -> Path:
    folder.mkdir()
    _write_csv(
        folder / "adsl.csv",
        [
            {
                "STUDYID": "T1",
                "USUBJID": f"T1-{i}",
                "AGE": "60",
                "SAFFL": "Y",
                "ITTFL": "Y",
                "TRT01A": "Placebo" if i % 2 else "Drug",
            }
            for i in range(1, 9)
        ],
    )
    _write_csv(
        folder / "adae.csv",
        [
            {
                "USUBJID": "T1-1",
                "AEDECOD": "NAUSEA",
                "AESOC": "GASTROINTESTINAL DISORDERS",
                "AETOXGR": "1",
                "TRTEMFL": "Y",
                "AESER": "N",
                "AEOUT": "RECOVERED/RESOLVED",
                "AEACN": "DOSE NOT CHANGED",
            },
            {
                "USUBJID": "T1-1",
                "AEDECOD": "NAUSEA",
                "AESOC": "GASTROINTESTINAL DISORDERS",
                "AETOXGR": "3",
                "TRTEMFL": "Y",
                "AESER": "Y",
                "AEOUT": "RECOVERED/RESOLVED",
                "AEACN": "DRUG WITHDRAWN",
            },
            {
                "USUBJID": "T1-2",
                "AEDECOD": "NAUSEA",
                "AESOC": "GASTROINTESTINAL DISORDERS",
                "AETOXGR": "2",
                "TRTEMFL": "N",
                "AESER": "N",
                "AEOUT": "",
                "AEACN": "",
            },
            {
                "USUBJID": "T1-99",
                "AEDECOD": "NAUSEA",
                "AESOC": "GASTROINTESTINAL DISORDERS",
                "AETOXGR": "2",
                "TRTEMFL": "Y",
                "AESER": "N",
                "AEOUT": "",
                "AEACN": "",
            },
        ],
    )
    return folder


def test_import_reports_rows_read_kept_and_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = _tiny_study(tmp_path / "study")
    out = tmp_path / "store.json"
    assert main(["import", str(study), "-o", str(out)]) == 0
    report = capsys.readouterr().out
    assert "ADSL (adsl.csv): 8 rows read, 8 kept, 0 dropped" in report
    assert "ADAE (adae.csv): 4 rows read, 1 kept, 2 dropped" in report
    assert "dropped 1: not treatment-emergent (TRTEMFL is not Y)" in report
    assert "dropped 1: subject not in ADSL" in report
    assert "1 further rows" in report
    store = load_store(out)
    row = store.adverse_events["NAUSEA"]["T1-1"]
    # Merged at the worst grade; serious and withdrawn carried from any row.
    assert (row.AETOXGR, row.AESER, row.AEACN, row.AESOC) == (
        3,
        True,
        "DRUG WITHDRAWN",
        "GASTROINTESTINAL DISORDERS",
    )
    assert store.meta.arms == ["Placebo", "Drug"] and store.meta.control_arm == "Placebo"
    assert store.meta.reconstructed is False


def test_import_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = _tiny_study(tmp_path / "study")
    out = tmp_path / "store.json"
    out.write_text("keep me")
    assert main(["import", str(study), "-o", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text() == "keep me"
    assert main(["import", str(study), "-o", str(out), "--force"]) == 0
    assert load_store(out).meta.study_id == "T1"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("dataset", "variable"),
    [("adsl.csv", "SAFFL"), ("adae.csv", "AEDECOD"), ("adsl.csv", "USUBJID")],
)
def test_a_missing_required_variable_exits_2_naming_it_and_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dataset: str, variable: str
) -> None:
    study = _tiny_study(tmp_path / "study")
    path = study / dataset
    rows = _csv(path)
    _write_csv(path, [{k: v for k, v in r.items() if k != variable} for r in rows])
    out = tmp_path / "store.json"
    assert main(["import", str(study), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("stormchat: ") and err.count("\n") == 1
    assert f"required variable {variable} is missing" in err and dataset in err
    assert not out.exists()


def test_a_map_with_an_unknown_key_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = _tiny_study(tmp_path / "study")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[adrs]\nbest_respons = "BESRSPI"\n')
    assert main(["import", str(study), "-o", str(tmp_path / "s.json"), "--map", str(mapping)]) == 2
    assert "unknown key 'best_respons' in [adrs]" in capsys.readouterr().err


def test_no_adsl_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["import", str(tmp_path / "empty"), "-o", str(tmp_path / "s.json")]) == 2
    assert "no ADSL" in capsys.readouterr().err


def test_the_map_names_the_efficacy_flag_and_the_control_arm(tmp_path: Path) -> None:
    study = _tiny_study(tmp_path / "study")
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[study]\ncontrol_arm = "Drug"\ntitle = "Tiny"\n[adsl]\nefficacy_flag = "SAFFL"\n'
    )
    result = import_adam([study], mapping)
    assert result.store.meta.control_arm == "Drug" and result.store.meta.arms[0] == "Drug"
    assert result.store.meta.title == "Tiny"
    assert "efficacy population SAFFL" in result.report()


@needs_adam
def test_an_empty_file_beside_a_good_one_is_passed_over(tmp_path: Path) -> None:
    # random_cdisc_data ships empty .xpt files beside its CSVs.
    folder = tmp_path / "study"
    folder.mkdir()
    shutil.copy(ADAM / "random_cdisc_data" / "adsl.csv", folder)
    (folder / "adsl.xpt").write_bytes(b"")
    result = import_adam([folder])
    assert "empty, passed over" in result.report()
    assert len(result.store.subjects) == 400


def test_the_storm_store_is_not_in_record_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "How many patients had anaemia?"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["sources"][-1] == "computed from the reconstructed records"
    assert not math.isnan(result["values"]["rate"])


# ------------------------------------------------------------------ verify --against


@needs_adam
def test_verify_against_a_table_of_expected_counts(
    stores: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "t-14-5-01.csv"
    lines = ["term,arm,n,N"]
    for row, counts, _ in TABLE_14_5_01:
        lines += [
            f'"{row}",{arm},{n},{big_n}'
            for arm, n, big_n in zip(ARMS, counts, (86, 84, 84), strict=True)
        ]
    table.write_text("\n".join(lines) + "\n")
    capsys.readouterr()
    assert main(["--db", str(stores["pilot"]), "verify", "--against", str(table)]) == 0
    out = capsys.readouterr().out
    assert f"{3 * len(TABLE_14_5_01)} figures: {3 * len(TABLE_14_5_01)} match, 0 differ" in out

    table.write_text("term,arm,n,N\nVOMITING,Placebo,4,86\nVOMITING,Nowhere,1,2\n")
    assert main(["--db", str(stores["pilot"]), "verify", "--against", str(table)]) == 1
    out = capsys.readouterr().out
    assert "✗  VOMITING — Placebo" in out and "3/86 (preferred term)" in out
    assert "no such arm" in out and "2 figures: 0 match, 2 differ" in out


def test_verify_against_a_table_without_its_columns_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "t.csv"
    table.write_text("term,arm,count\nNAUSEA,Placebo,3\n")
    assert main(["verify", "--against", str(table)]) == 2
    assert "no column 'n'" in capsys.readouterr().err
    assert main(["verify", "--against", str(tmp_path / "absent.csv")]) == 2


# ------------------------------------------------------------------ record mode, more


@needs_adam
def test_a_p_value_or_a_comparison_with_placebo_is_served_by_the_arm_table(
    stores: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    for question in ("What was the p-value for dizziness?", "dizziness vs placebo"):
        result = ask(stores["pilot"], question, capsys)
        assert result["status"] == "answered", result["text"]
        assert [table_p(a["p_value"]) for a in result["values"]["arms"][1:]] == ["0.056", "0.009"]
    # A hazard ratio is not computed: still not reported.
    assert ask(stores["random"], "hazard ratio for OS", capsys)["status"] == "not_reported"


@needs_adam
def test_adverse_events_by_system_organ_class(
    stores: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    result = ask(stores["pilot"], "treatment-emergent adverse events by system organ class", capsys)
    assert result["status"] == "answered", result["text"]
    by_soc = {e["soc"]: [a["n"] for a in e["arms"]] for e in result["values"]["socs"]}
    for row, counts, _ in TABLE_14_5_01:
        if row.endswith("DISORDERS"):
            assert tuple(by_soc[row]) == counts


@needs_adam
def test_severe_means_the_worst_severity_where_the_study_grades_by_severity(
    stores: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    arm_of = _population(ADAM / "pharmaverseadam_onco" / "adsl.csv", "SAFFL")
    severe = {
        r["USUBJID"]
        for r in _csv(ADAM / "pharmaverseadam_onco" / "adae.csv")
        if r["TRTEMFL"] == "Y" and r["ASEV"] == "SEVERE"
    }
    expected: dict[str, int] = defaultdict(int)
    for sid, arm in arm_of.items():
        expected[arm] += sid in severe
    result = ask(stores["onco"], "How many had severe adverse events?", capsys)
    assert result["status"] == "answered", result["text"]
    assert {a["arm"]: a["n"] for a in result["values"]["arms"]} == dict(expected)


@needs_adam
def test_deaths_and_patients_by_arm(
    stores: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _csv(ADAM / "random_cdisc_data" / "adsl.csv")
    died: dict[str, int] = defaultdict(int)
    size: dict[str, int] = defaultdict(int)
    for r in rows:
        if r["SAFFL"] == "Y":
            size[r["TRT01A"]] += 1
            died[r["TRT01A"]] += r["DTHFL"] == "Y"
    result = ask(stores["random"], "How many patients died?", capsys)
    assert {a["arm"]: (a["n"], a["N"]) for a in result["values"]["arms"]} == {
        arm: (died[arm], size[arm]) for arm in size
    }
    result = ask(stores["random"], "How many patients were in each arm?", capsys)
    assert {a["arm"]: a["safety"] for a in result["values"]["arms"]} == dict(size)


def test_a_study_fact_is_not_reported_in_a_store_without_facts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = _tiny_study(tmp_path / "study")
    out = tmp_path / "store.json"
    assert main(["import", str(study), "-o", str(out)]) == 0
    result = ask(out, "who was the first author?", capsys)
    assert result["status"] == "not_reported"
    assert "computed from the study records (T1)" in result["sources"]


def _dataset_json(path: Path) -> list[dict]:
    doc = json.loads(path.read_text())
    names = [c["name"] for c in doc["columns"]]
    return [dict(zip(names, row, strict=True)) for row in doc["rows"]]


@needs_adam
@pytest.mark.parametrize(
    "question",
    [
        "median time to first dermatological event",
        # By its code: the parser asks back between its own medians (age, PFS); the store's
        # parameter settles it.
        "median TTDE",
        "What was the median TTDE?",
    ],
)
def test_a_time_to_event_parameter_named_in_words(
    question: str, stores: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The pilot's TTDE ("Time to First Dermatologic Event") is no endpoint the parser knows;
    its label's words or its code find it, and the medians are the product-limit ones by
    arm."""
    folder = ADAM / "cdiscpilot01_datasetjson"
    arm_of = {
        r["USUBJID"]: r["TRT01A"] for r in _dataset_json(folder / "adsl.json") if r["ITTFL"] == "Y"
    }
    times: dict[str, list[float]] = defaultdict(list)
    events: dict[str, list[int]] = defaultdict(list)
    for r in _dataset_json(folder / "adtte.json"):
        if r["PARAMCD"] == "TTDE" and r["USUBJID"] in arm_of:
            times[arm_of[r["USUBJID"]]].append(float(r["AVAL"]))
            events[arm_of[r["USUBJID"]]].append(1 - int(r["CNSR"]))
    result = ask(stores["pilot"], question, capsys)
    assert result["status"] == "answered" and result["intent"] == "tte_median", result["text"]
    assert result["values"]["endpoint"] == "TTDE"
    for entry in result["values"]["arms"]:
        expected = _hand_km_median(times[entry["arm"]], events[entry["arm"]])
        assert entry["median"] == (None if expected is None else pytest.approx(expected))
        assert entry["events"] == sum(events[entry["arm"]])


@needs_adam
def test_without_pyreadstat_an_xpt_file_says_which_extra_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pyreadstat", None)  # import pyreadstat → ImportError
    assert main(["import", str(ADAM / "cdiscpilot01"), "-o", str(tmp_path / "s.json")]) == 2
    err = capsys.readouterr().err
    assert "adsl.xpt" in err and "pip install 'stormchat[adam]'" in err


@needs_adam
def test_severity_words_are_the_severities_asked(
    stores: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    store = load_store(stores["pilot"])
    rows = store.adverse_events["RASH"]
    expected = {
        arm: sum(
            1
            for sid, row in rows.items()
            if row.AESEV in ("MODERATE", "SEVERE")
            and store.subjects[sid].ARM == arm
            and store.subjects[sid].SAFFL
        )
        for arm in ARMS
    }
    result = ask(stores["pilot"], "How many had a moderate or severe rash?", capsys)
    assert result["values"]["grade"] == "worst severity moderate or severe"
    assert {a["arm"]: a["n"] for a in result["values"]["arms"]} == expected


def test_verify_without_a_table_on_a_store_without_facts_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = _tiny_study(tmp_path / "study")
    out = tmp_path / "store.json"
    assert main(["import", str(study), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["--db", str(out), "verify"]) == 2
    assert "--against TABLE.csv" in capsys.readouterr().err


@needs_adam
def test_what_the_records_do_not_give_is_said_in_the_store_s_terms(
    stores: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    result = ask(stores["random"], "hazard ratio for OS", capsys)
    assert result["status"] == "not_reported"
    assert result["text"].startswith("Not computed from the records: a hazard ratio")
    assert "single-arm" not in result["text"] and "sources" not in result["text"]
    assert result["values"]["whole_population"]["endpoint"] == "OS"
    result = ask(stores["random"], "ORR in patients over 70", capsys)
    assert result["status"] == "not_reported"
    assert result["text"].startswith("Not computed from the records by age")
