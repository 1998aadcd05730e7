"""`manage.py link_records LEFT [RIGHT] --out pairs.csv [--clusters c.csv] [--engine spark]`.

LEFT and RIGHT are CSV or Parquet files. See vigil/linking/bulk/ and docs/operations.md.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.linking import bulk

# Inputs at least this big (in bytes) show progress on stderr at the default verbosity.
LARGE_INPUT = 500_000


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1, for example 0.9")
    return value


def _memory(text: str) -> str:
    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*", text, re.I):
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount of memory, for example 6GB")
    return text.strip()


class Command(BaseCommand):
    help = (
        "Find records that are the same person: within one CSV or Parquet file (duplicates) or "
        "across two (links). Writes left_id,right_id,match_probability. Bad input exits with "
        "code 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", type=Path, help="CSV or Parquet with a record_id column")
        parser.add_argument(
            "right", type=Path, nargs="?", help="a second file to link the first to (optional)"
        )
        parser.add_argument("--out", type=Path, required=True, help="where to write the pairs")
        parser.add_argument(
            "--dedupe",
            action="store_true",
            help="find duplicates within one file (what one file always does; says so plainly)",
        )
        parser.add_argument(
            "--threshold",
            type=_probability,
            default=None,
            help="lowest match probability to report (default: chosen from the model, to give "
            "the best F1 score it expects, never below 0.5)",
        )
        parser.add_argument(
            "--clusters",
            type=Path,
            help="also write source,record_id,person_id: one person id per cluster of records",
        )
        parser.add_argument(
            "--report",
            type=Path,
            help="a folder for the model's parameters (model.json) and match-weight charts",
        )
        parser.add_argument(
            "--model",
            type=Path,
            help="a saved Splink model (JSON, e.g. a report's model.json) instead of training",
        )
        parser.add_argument(
            "--memory-limit",
            type=_memory,
            default=None,
            help=f"memory DuckDB may use before spilling to disk (default a quarter of this "
            f"machine's: {bulk.default_memory_limit()})",
        )
        parser.add_argument(
            "--threads", type=int, default=None, help="threads for DuckDB (default: all cores)"
        )
        parser.add_argument(
            "--engine",
            choices=bulk.ENGINES,
            default="duckdb",
            help="what scores the pairs: duckdb (this machine, the default) or spark (a local "
            "Spark, or the cluster of spark-submit; needs pyspark and Java)",
        )
        parser.add_argument(
            "--spark-dir",
            type=Path,
            default=None,
            help="with --engine spark: a folder the Spark driver and executors all reach, for "
            "the records and pairs passed between DuckDB and Spark (default: a temporary folder)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = [options["left"]] + ([options["right"]] if options["right"] else [])
        verbosity = options["verbosity"]
        if options["dedupe"] and len(paths) > 1:
            raise CommandError(
                "--dedupe takes one file; give two files to link them.", returncode=2
            )

        def say(message: str) -> None:
            print(message, file=sys.stderr, flush=True)

        size = sum(p.stat().st_size for p in paths if p.is_file())
        show_progress = verbosity >= 2 or (verbosity >= 1 and size >= LARGE_INPUT)
        try:
            result = bulk.link_files(
                paths,
                options["out"],
                threshold=options["threshold"],
                clusters=options["clusters"],
                report=options["report"],
                saved_model=options["model"],
                memory_limit=options["memory_limit"],
                threads=options["threads"],
                progress=say if show_progress else None,
                engine=options["engine"],
                spark_dir=options["spark_dir"],
            )
        except bulk.BulkInputError as error:
            raise CommandError(str(error), returncode=2) from None
        if verbosity >= 1:
            say(
                f"Wrote {result.pairs:,} pairs to {options['out']} "
                f"(threshold {result.threshold:.4f}, {result.records:,} records)."
            )
