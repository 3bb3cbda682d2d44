"""A generated ADaM study at scale: does `stormchat import` cope, and does a question on the
imported store answer after a cold load in <= 2 s (issue 14)?

    python bench/adam_scale.py [--patients 2000] [--ae-rows 100000] [--terms 400]

Writes ADSL, ADAE, ADRS and ADTTE as CSV (deterministic, seeded) to a temporary folder,
times `stormchat import` and then, in fresh processes, `stormchat --db STORE ask` on a few
questions; prints each time (median of three) beside the target.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def timed(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    return elapsed, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--ae-rows", type=int, default=100_000)
    parser.add_argument("--terms", type=int, default=400)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "assistant.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "study"
        folder.mkdir()
        generate(folder, args.patients, args.ae_rows, args.terms)
        store = Path(tmp) / "study.json"
        seconds, report = timed([*cli, "import", str(folder), "-o", str(store)])
        print(report.rstrip())
        print(f"import: {seconds:.2f} s ({store.stat().st_size / 1e6:.1f} MB store)")
        for question in QUESTIONS:
            runs = [timed([*cli, "--db", str(store), "ask", question]) for _ in range(3)]
            median = statistics.median(t for t, _ in runs)
            mark = "✓" if median <= TARGET_S else "✗"
            print(f"{mark} cold ask {median:.2f} s (target {TARGET_S:g} s): {question}")
            print("   " + runs[0][1].splitlines()[0][:160])
    return 0


if __name__ == "__main__":
    sys.exit(main())
