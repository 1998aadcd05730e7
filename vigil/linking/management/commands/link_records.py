"""`manage.py link_records LEFT.csv [RIGHT.csv] --out pairs.csv [--threshold P]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vigil.linking import bulk

# Inputs at least this big show progress on stderr.
LARGE_INPUT = 5000


def _probability(text: str) -> float:
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1, for example 0.9")
    return value


class Command(BaseCommand):
    help = (
        "Find records that are the same person: within one CSV file (duplicates) or across two "
        "(links). Writes left_id,right_id,match_probability. Bad input exits with code 2."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", type=Path, help="CSV with a header and a record_id column")
        parser.add_argument(
            "right", type=Path, nargs="?", help="a second CSV to link the first to (optional)"
        )
        parser.add_argument("--out", type=Path, required=True, help="where to write the pairs")
        parser.add_argument(
            "--threshold",
            type=_probability,
            default=bulk.DEFAULT_THRESHOLD,
            help=f"lowest match probability to report (default {bulk.DEFAULT_THRESHOLD})",
        )
        parser.add_argument(
            "--model",
            type=Path,
            help="a saved Splink model (JSON) to use instead of training on the input",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = [options["left"]] + ([options["right"]] if options["right"] else [])
        verbosity = options["verbosity"]

        def say(message: str) -> None:
            print(message, file=sys.stderr, flush=True)

        try:
            datasets = [bulk.read_records(path) for path in paths]
            if options["model"] is not None and not options["model"].is_file():
                raise bulk.BulkInputError(f"{options['model']}: model file not found.")
        except bulk.BulkInputError as error:
            raise CommandError(str(error), returncode=2) from None
        total = sum(len(d.rows) for d in datasets)
        show_progress = verbosity >= 2 or (verbosity >= 1 and total >= LARGE_INPUT)
        if show_progress:
            say(f"Read {total:,} records from {len(paths)} file(s).")
        pairs = bulk.link(
            datasets,
            threshold=options["threshold"],
            progress=say if show_progress else None,
            model=options["model"],
        )
        try:
            with options["out"].open("w", newline="", encoding="utf-8") as out:
                count = bulk.write_pairs(pairs, out)
        except OSError as error:
            raise CommandError(
                f"{options['out']}: cannot write the output ({error.strerror}).", returncode=2
            ) from None
        if verbosity >= 1:
            say(f"Wrote {count:,} pairs to {options['out']}.")
