"""`stormchat verify`: at least 60 published figures, all reproduced by the records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from knowledge.store import Store, default_store_path
from knowledge.verify import rounded, verify


def test_every_published_figure_matches(store: Store) -> None:
    checks = verify(store)
    assert len(checks) >= 60
    failures = [c for c in checks if not c.ok]
    assert failures == []


def test_verify_command_prints_table_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    assert "✓" in out and "✗" not in out
    assert "overall response (≥PR): %" in out
    assert out.rstrip().endswith("0 differ")


def test_verify_exits_1_when_a_record_is_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(default_store_path().read_text(encoding="utf-8"))
    # Turn one responder's partial response into a minimal response: ORR becomes 31/122.
    for doc in data["adrs"].values():
        if doc["AVALC"] == "PR":
            doc["AVALC"] = "MR"
            break
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["--db", str(path), "verify"]) == 1
    out = capsys.readouterr().out
    assert "✗" in out and "differ" in out


def test_rounding_is_half_up_as_publications_round() -> None:
    assert rounded(0.5, 0) == 1.0 and rounded(2.5, 0) == 3.0 and rounded(26.25, 1) == 26.3


# ------------------------------------------------------ one bad fact fails its own rows alone


def _store_with(tmp_path: Path, change: dict[str, object], fact_id: str) -> Path:
    data = json.loads(default_store_path().read_text(encoding="utf-8"))
    (doc,) = [doc for doc in data["facts"].values() if doc["id"] == fact_id]
    doc.update(change)
    path = tmp_path / "one_bad_fact.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("fact_id", "change", "failing"),
    [
        # Text where a number belongs: the two median-age rows that read this fact fail, nothing
        # else (it used to take the whole baseline section down to one "cannot compute" row).
        ("baseline.age", {"value": "sixty-five"}, {"median age (years)"}),
        ("baseline.prior_regimens", {"value": "seven"}, {"median prior regimens"}),
        (
            "efficacy.pfs",
            {"value": "3.7 months"},
            {"median PFS (months) [first S≤0.5]", "median PFS (months) [SAS/R midpoint]"},
        ),
        ("efficacy.disposition.discontinued", {"n": None}, {"discontinued treatment"}),
    ],
)
def test_one_bad_fact_fails_only_its_own_rows(
    tmp_path: Path, store: Store, fact_id: str, change: dict[str, object], failing: set[str]
) -> None:
    from knowledge.store import load_store

    good = verify(store)
    bad = verify(load_store(_store_with(tmp_path, change, fact_id)))
    assert [c.figure for c in bad] == [c.figure for c in good]  # every check is its own row
    assert {c.figure for c in bad if not c.ok} == failing


def test_one_bad_fact_makes_verify_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _store_with(tmp_path, {"value": "sixty-five"}, "baseline.age")
    assert main(["--db", str(path), "verify"]) == 1
    out = capsys.readouterr().out
    assert "1 differ" in out.splitlines()[-1]
    assert "median years since diagnosis" in out  # the rest of the section is still there


# ------------------------------------------------------------ medians under both conventions


def test_every_median_is_checked_under_both_rules(store: Store) -> None:
    # published_facts.md section 4: PFS 3.7, OS 8.6, OS 15.6 (PR+ and MR+), DOR 4.4
    # (3.7–10.8), penta DOR 3.8 (2.3–not estimable): each under each rule, the rule named.
    checks = {c.figure: c for c in verify(store)}
    for figure in (
        "median PFS (months)",
        "median OS (months)",
        "median OS, PR or better",
        "median OS, MR or better",
        "median DOR (months)",
        "penta-refractory: median DOR",
    ):
        for rule in ("first S≤0.5", "SAS/R midpoint"):
            check = checks[f"{figure} [{rule}]"]
            assert check.ok and check.computed == check.published
    for rule in ("first S≤0.5", "SAS/R midpoint"):
        assert checks[f"median DOR (months): 95 % CI lower [{rule}]"].computed == "3.7"
        assert checks[f"median DOR (months): 95 % CI upper [{rule}]"].computed == "10.8"


def test_verify_prints_the_rule_beside_each_median(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "median OS (months)" in line]
    assert len(lines) == 2
    assert "[first S≤0.5]" in lines[0] and "[SAS/R midpoint]" in lines[1]
    assert all("8.6" in line and line.startswith("✓") for line in lines)


def test_baseline_figures_are_all_over_the_mitt(store: Store) -> None:
    # Section 3 "Baseline (mITT unless stated)": 53 % high-risk is 65 of the 122, not of 123.
    (check,) = [c for c in verify(store) if c.figure.startswith("high-risk cytogenetics")]
    assert check.ok and "(65/122)" in check.computed and "mITT" in check.figure


def test_a_store_without_records_still_has_every_row(tmp_path: Path, store: Store) -> None:
    from knowledge.store import load_store

    data = json.loads(default_store_path().read_text(encoding="utf-8"))
    for table in ("adsl", "adrs", "adae", "adtte"):
        data[table] = {}
    path = tmp_path / "no_records.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    checks = verify(load_store(path))
    assert [c.figure for c in checks] == [c.figure for c in verify(store)]
    assert not any(c.ok for c in checks if c.figure.startswith("median"))
