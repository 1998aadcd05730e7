"""Precision, recall, F1 and run time of `manage.py link_records` on synthetic people.

    .venv/bin/python bench/linking.py [--left 5000] [--right 5000] [--links 4850] [--seed 7]

Generates two files with bench/linking_data.py (a different seed from the one the shipped model
was trained on), runs the command exactly as a user would (a new process, Django start-up
included in the time) and compares its pairs with the truth.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linking_data import write_files

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--left", type=int, default=5000)
    parser.add_argument("--right", type=int, default=5000)
    parser.add_argument("--links", type=int, default=4850)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=str, default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        left, right, truth = write_files(
            Path(tmp), left=args.left, right=args.right, links=args.links, seed=args.seed
        )
        out = Path(tmp) / "pairs.csv"
        command = [sys.executable, "manage.py", "link_records", str(left), str(right)]
        command += ["--out", str(out)]
        if args.threshold:
            command += ["--threshold", args.threshold]
        env = {**os.environ, "VIGIL_ENV": os.environ.get("VIGIL_ENV", "development")}
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603
        elapsed = time.perf_counter() - started
        with out.open(encoding="utf-8") as handle:
            found = {(row["left_id"], row["right_id"]) for row in csv.DictReader(handle)}
    true_positives = len(found & truth)
    precision = true_positives / len(found) if found else 0.0
    recall = true_positives / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"records:   {args.left:,} x {args.right:,}, true links {len(truth):,}")
    print(f"pairs:     {len(found):,} found, {true_positives:,} correct")
    print(f"precision: {precision:.4f}")
    print(f"recall:    {recall:.4f}")
    print(f"F1:        {f1:.4f}")
    print(f"run time:  {elapsed:.1f} s (whole command, including start-up)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
