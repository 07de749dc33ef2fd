"""Polaroid from Python with only `polaroid` installed (`pip install ./clients/python`):
upload a frame, run a filter -> group_by -> agg -> sort and a time-series query (1-minute
OHLCV bars) on the server, and check that each gives exactly Python Polars' rows in-process.

    python examples/python/quickstart.py            # POLAROID_ENDPOINT, else 127.0.0.1:50051

Prints both results and "identical to Python Polars"; exits 1 on any difference.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

import polars as pl
from polars.testing import assert_frame_equal

import polaroid as pr


def ticks() -> pl.DataFrame:
    start = datetime(2026, 12, 7, 9, 30)
    rows = 6_000
    return pl.DataFrame(
        {
            "ts": [start + timedelta(seconds=3 * i) for i in range(rows)],
            "sym": ["AAPL" if i % 3 else "MSFT" for i in range(rows)],
            "px": [100 + (i % 97) * 0.25 - (i % 13) * 0.5 for i in range(rows)],
            "qty": [(i * 37) % 500 + 1 for i in range(rows)],
        }
    )


def main() -> int:
    data = ticks()
    with pr.connect() as client:
        trades = client.from_polars(data)

        # The query as Python Polars writes it; only the first and last lines differ.
        def volume(lf, col):
            return (
                lf.filter(col("qty") >= 100)
                .group_by("sym")
                .agg(col("qty").sum().alias("volume"), col("px").mean().alias("avg_px"))
                .sort("volume", descending=True)
            )

        remote = volume(trades.lazy(), pr.col).collect()
        local = volume(data.lazy(), pl.col).collect()
        assert_frame_equal(remote, local)
        print(remote)

        # A time-series query: 1-minute OHLCV bars per symbol, and the same bars in Polars.
        bars = (
            trades.lazy()
            .ohlcv(index="ts", price="px", volume="qty", every="1m", by="sym", vwap=False, count=False)
            .collect()
        )
        want = (
            data.sort("sym", "ts")
            .group_by_dynamic("ts", every="1m", group_by="sym")
            .agg(
                pl.col("px").first().alias("open"),
                pl.col("px").max().alias("high"),
                pl.col("px").min().alias("low"),
                pl.col("px").last().alias("close"),
                pl.col("qty").sum().alias("volume"),
            )
        )
        assert_frame_equal(bars.sort("sym", "ts"), want.sort("sym", "ts"), check_dtypes=False)
        print(bars.head(4))
        trades.release()
    print("identical to Python Polars")
    return 0


if __name__ == "__main__":
    sys.exit(main())
