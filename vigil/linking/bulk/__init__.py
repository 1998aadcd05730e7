"""Bulk record linkage of CSV and Parquet files with Splink (Fellegi-Sunter) on DuckDB.

Used by `manage.py link_records`. The public names are here; engine.py runs a linkage, model.py
holds the Splink model, inputs.py reads and checks the files, sql.py normalises in DuckDB,
spark.py scores on Spark for `--engine spark`.
"""

from vigil.linking.bulk.engine import ENGINES, Result, default_memory_limit, link_files
from vigil.linking.bulk.inputs import INPUT_COLUMNS, BulkInputError
from vigil.linking.bulk.model import MIN_RECORDS_TO_TRAIN, MODEL_PATH

__all__ = [
    "ENGINES",
    "INPUT_COLUMNS",
    "MIN_RECORDS_TO_TRAIN",
    "MODEL_PATH",
    "BulkInputError",
    "Result",
    "default_memory_limit",
    "link_files",
]
