"""Shared by the Python reference scripts in tests/: results as JSON-ready lists."""

import math


def values(series):
    """The values of a pandas/Polars series or any iterable as floats, None for null or NaN."""
    return [None if (v is None or (isinstance(v, float) and math.isnan(v))) else float(v)
            for v in list(series)]
