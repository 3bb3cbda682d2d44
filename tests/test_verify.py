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


def test_verify_exits_1_when_a_record_is_changed(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
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
