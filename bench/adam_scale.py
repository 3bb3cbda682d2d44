"""A generated ADaM study at scale: does `stormchat import` cope, and does a question on the
imported store answer after a cold load in <= 2 s (issue 14)?

    python bench/adam_scale.py [--patients 2000] [--ae-rows 100000] [--terms 400] [--runs 5]

Writes ADSL, ADAE, ADRS and ADTTE as CSV (deterministic, seeded) to a temporary folder,
times `stormchat import` and then, in fresh processes, `stormchat --db STORE ask` on a few
questions, each beside its floor (a process importing just the libraries that ask loads,
interleaved with it so drift in the machine hits both alike); prints the median wall time and
the median CPU time (user + system) of each beside the target. The target is on the wall
time; the CPU time is what to read on a shared machine, where the wall time moves with the
other load.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    BENCH,
    REPO,
    ChildRun,
    child_env,
    python,
    run_child,
    stormchat,
    write_floor,
)

ARMS = ("Placebo", "Drug 10 mg", "Drug 20 mg")
QUESTIONS = (
    "How many patients had joint stiffness?",
    "What was the median overall survival?",
    "What was the overall response rate?",
)
TARGET_S = 2.0


def generate(folder: Path, patients: int, ae_rows: int, terms: int, seed: int = 14) -> None:
    rng = random.Random(seed)
    socs = [f"SOC {i} DISORDERS" for i in range(1, 27)]
    # Preferred-term-like names without digits (a number in a question is a restriction).
    first = [
        "ACUTE",
        "CHRONIC",
        "LOCAL",
        "SKIN",
        "EYE",
        "EAR",
        "JOINT",
        "MUSCLE",
        "NERVE",
        "BLOOD",
        "LIVER",
        "RENAL",
        "CARDIAC",
        "GASTRIC",
        "NASAL",
        "ORAL",
        "BACK",
        "CHEST",
        "SCALP",
        "THROAT",
    ]
    second = [
        "PAIN",
        "RASH",
        "OEDEMA",
        "SWELLING",
        "ITCHING",
        "BURNING",
        "STIFFNESS",
        "CRAMP",
        "IRRITATION",
        "DISCOMFORT",
        "BLEEDING",
        "NUMBNESS",
        "TENDERNESS",
        "DRYNESS",
        "REDNESS",
        "SPASM",
        "WEAKNESS",
        "TINGLING",
        "LESION",
        "FATIGUE",
    ]
    names = [f"{a} {b}" for b in second for a in first][:terms]
    soc_of = {name: rng.choice(socs) for name in names}
    ids = [f"GEN-{i:05d}" for i in range(1, patients + 1)]
    arm_of = {sid: ARMS[i % len(ARMS)] for i, sid in enumerate(ids)}

    def write(name: str, header: list[str], rows: list[list[object]]) -> None:
        with (folder / name).open("w", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(header)
            out.writerows(rows)

    write(
        "adsl.csv",
        ["STUDYID", "USUBJID", "AGE", "SEX", "TRT01A", "SAFFL", "ITTFL", "DTHFL"],
        [
            [
                "GEN01",
                sid,
                rng.randint(30, 85),
                rng.choice("MF"),
                arm_of[sid],
                "Y",
                "Y",
                rng.choice("NNNY"),
            ]
            for sid in ids
        ],
    )
    write(
        "adae.csv",
        ["USUBJID", "AEDECOD", "AESOC", "AETOXGR", "TRTEMFL", "AESER", "AEOUT", "AEACN"],
        [
            [
                sid,
                term,
                soc_of[term],
                rng.choice((1, 1, 2, 2, 3, 4, 5)),
                "Y",
                rng.choice("NNNY"),
                "RECOVERED/RESOLVED",
                "DOSE NOT CHANGED",
            ]
            for sid, term in ((rng.choice(ids), rng.choice(names)) for _ in range(ae_rows))
        ],
    )
    write(
        "adrs.csv",
        ["USUBJID", "PARAMCD", "AVALC"],
        [[sid, "BOR", rng.choice(("CR", "PR", "SD", "PD", "NE"))] for sid in ids],
    )
    write(
        "adtte.csv",
        ["USUBJID", "PARAMCD", "AVAL", "AVALU", "CNSR"],
        [
            [sid, param, round(rng.expovariate(1 / 300), 1) + 1, "DAYS", rng.choice((0, 0, 1))]
            for sid in ids
            for param in ("OS", "PFS")
        ],
    )


def _row(label: str, runs: list[ChildRun], floors: list[ChildRun] | None = None) -> str:
    wall = statistics.median(r.seconds for r in runs)
    cpu = statistics.median(r.cpu_seconds for r in runs)
    text = f"{label}: {wall:.2f} s (CPU {cpu:.2f} s)"
    if floors is not None:
        floor_wall = statistics.median(r.seconds for r in floors)
        floor_cpu = statistics.median(r.cpu_seconds for r in floors)
        mark = "✓" if wall <= TARGET_S else "✗"
        text = (
            f"{mark} {text}, floor {floor_wall:.2f} s (CPU {floor_cpu:.2f} s); "
            f"target {TARGET_S:g} s"
        )
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--ae-rows", type=int, default=100_000)
    parser.add_argument("--terms", type=int, default=400)
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per figure")
    parser.add_argument(
        "--source",
        type=Path,
        help="run stormchat from this source tree instead (a checkout of another commit, "
        "to compare before and after a change)",
    )
    args = parser.parse_args()
    cli = stormchat() if args.source is None else [python(), "-m", "assistant.cli"]
    cwd = REPO if args.source is None else args.source.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "study"
        folder.mkdir()
        generate(folder, args.patients, args.ae_rows, args.terms)
        store = Path(tmp) / "study.json"
        imported = run_child([*cli, "import", str(folder), "-o", str(store)], stdout=None, cwd=cwd)
        print(_row("import", [imported]) + f", {store.stat().st_size / 1e6:.1f} MB store")
        print(
            f"{args.runs} runs each, median; Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
        )
        for question in QUESTIONS:
            modules = _imports(store, question)
            floor = [python(), str(write_floor(Path(tmp) / "floor.py", modules))]
            ask = [*cli, "--db", str(store), "ask", question]
            run_child(ask, cwd=cwd), run_child(floor)  # warm-up: files in the page cache
            asks, floors = [], []
            for _ in range(args.runs):
                floors.append(run_child(floor))
                asks.append(run_child(ask, cwd=cwd))
            print(_row("cold ask", asks, floors) + f": {question}")
            answer = subprocess.run(ask, capture_output=True, text=True, check=True, cwd=cwd)
            print("   " + answer.stdout.splitlines()[0][:160])
    return 0


def _imports(store: Path, question: str) -> list[str]:
    """The third-party modules `ask` loads on this store for this question."""
    out = subprocess.run(
        [python(), str(BENCH / "worker.py"), "imports", question, "--db", str(store)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env=child_env(),
    )
    modules = json.loads(out.stdout.strip().splitlines()[-1])["modules"]
    assert isinstance(modules, list)
    return [str(m) for m in modules]


if __name__ == "__main__":
    sys.exit(main())
