"""The figures' columns and shapes, kept under their old names for `health.py` and
`mapdata.py`: they live in `grassroots.figures.columns` (definitions: `figures.registry`)."""

from grassroots.figures.columns import (
    BUCKET_BOUNDS,
    BUCKET_FIELDS,
    COUNTERS,
    FIELDS,
    SHOWN,
    bucket_label,
    figures_of,
    median_bucket,
    rate,
)

__all__ = [
    "BUCKET_BOUNDS",
    "BUCKET_FIELDS",
    "COUNTERS",
    "FIELDS",
    "SHOWN",
    "bucket_label",
    "figures_of",
    "median_bucket",
    "rate",
]
