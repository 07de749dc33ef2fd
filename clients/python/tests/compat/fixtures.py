"""The frames the compatibility cases run on, built once in Python Polars; Polaroid gets the
same frames through ``client.from_polars``.

- ``mixed``: twelve rows of every common type, with nulls, NaN, repeats and ties; ``t`` is
  sorted (for rolling and dynamic windows).
- ``left`` and ``right``: small frames joining on ``k`` (sorted, with clashing ``name``
  columns and keys on one side only).
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

_BASE = dt.datetime(2024, 3, 8, 9, 30)  # a Friday before the US DST switch
_MINUTES = [0, 1, 1, 3, 7, 8, 15, 60, 61, 180, 1440, 2900]


def _mixed() -> pl.DataFrame:
    times = [_BASE + dt.timedelta(minutes=m) for m in _MINUTES]
    return pl.DataFrame(
        {
            "g": ["a", "b", "a", "c", "b", "a", "c", "c", "a", "b", "a", "c"],
            "i": [3, -1, None, 7, 7, 0, 12, -5, 2, 9, 4, 1],
            "u": list(range(1, 13)),
            "f": [1.5, -2.25, math.nan, None, 0.0, 3.75, 10.0, -0.5, 2.5, 2.5, 100.125, 7.0],
            "x": [0.1, 0.9, 0.4, 0.25, 0.75, 0.5, 0.6, 0.33, 0.8, 0.2, 0.05, 0.95],
            "s": [
                "Apple pie",
                "banana",
                None,
                "  cherry ",
                "date-01",
                "Elder_berry",
                "fig",
                "grape,seed",
                "",
                "apple",
                '{"a": 1, "b": "x"}',
                "kiwi",
            ],
            "b": [True, False, None, True, True, False, False, True, None, False, True, True],
            "d": [dt.date(2024, 3, 8) + dt.timedelta(days=k * 17 + m % 3) for k, m in enumerate(_MINUTES)],
            "t": times,
            "tz": times,
            "l": [[1, 2], [3], [], None, [4, 5, 6], [7], [8, 9], [10], [1, 1], [2], [3, 4], [5]],
        },
        schema={
            "g": pl.String,
            "i": pl.Int64,
            "u": pl.UInt32,
            "f": pl.Float64,
            "x": pl.Float64,
            "s": pl.String,
            "b": pl.Boolean,
            "d": pl.Date,
            "t": pl.Datetime("us"),
            "tz": pl.Datetime("ms"),
            "l": pl.List(pl.Int64),
        },
    ).with_columns(
        pl.col("tz").dt.replace_time_zone("UTC").dt.convert_time_zone("America/New_York"),
        pl.struct("g", "i").alias("st"),
    )


def _left() -> pl.DataFrame:
    return pl.DataFrame(
        {"k": [1, 2, 3, 4, 5], "v": [10.5, 20.0, 30.25, 40.0, 50.0], "name": ["one", "two", "three", "four", "five"]}
    )


def _right() -> pl.DataFrame:
    return pl.DataFrame({"k": [2, 3, 3, 6], "w": [200, 300, 301, 600], "name": ["zwei", "drei", "trois", "sechs"]})


def fixtures() -> dict[str, pl.DataFrame]:
    """The fixture frames by name (new frames on each call)."""
    return {"mixed": _mixed(), "left": _left(), "right": _right()}
