"""Python peers of the time-series benchmark (bench/timeseries.ts).

Python Polars (group_by_dynamic, join_asof) and DuckDB (time_bucket, ASOF LEFT JOIN) on
the Parquet files the benchmark wrote, one engine and one dataset in memory at a time.
Each engine first loads the data into memory (untimed), runs once to warm up (its result
gives the summary the benchmark checks), then `--reps` timed runs. Results are
materialized in memory (a DataFrame, a DuckDB temp table), as Polaroid keeps a handle.

Prints one JSON object on stdout; progress goes to stderr.

    python3 bench/timeseries_peers.py --dir DIR --reps 3
"""

import argparse
import gc
import json
import os
import platform
import sys
import time

import duckdb
import polars as pl


def log(line):
    print(f"timeseries peers: {line}", file=sys.stderr, flush=True)


def timed(run, reps):
    """Warm-up run (its result is returned), then `reps` timed runs in milliseconds."""
    result = run()
    samples = []
    for _ in range(reps):
        gc.collect()
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return result, samples


def polars_bars(ticks):
    price, size = pl.col("price"), pl.col("size")
    return (
        ticks.lazy()
        .group_by_dynamic(
            "ts", every="1m", group_by="symbol", closed="left", label="left", start_by="window"
        )
        .agg(
            price.first().alias("open"),
            price.max().alias("high"),
            price.min().alias("low"),
            price.last().alias("close"),
            size.sum().alias("volume"),
            (price * size).sum().truediv(size.sum()).alias("vwap"),
            pl.len().alias("count"),
        )
        .collect()
    )


def polars_asof(trades, quotes):
    return trades.join_asof(quotes, on="ts", by="symbol", strategy="backward")


DUCKDB_BARS = """
CREATE OR REPLACE TEMP TABLE bars AS
SELECT symbol, time_bucket(INTERVAL '1 minute', ts) AS ts,
       arg_min(price, ts) AS open, max(price) AS high, min(price) AS low,
       arg_max(price, ts) AS close, sum(size) AS volume,
       sum(price * size) / sum(size) AS vwap, count(*) AS count
FROM ticks GROUP BY ALL ORDER BY symbol, ts
"""

DUCKDB_ASOF = """
CREATE OR REPLACE TEMP TABLE joined AS
SELECT t.ts, t.symbol, t.price, t.size, q.bid, q.ask
FROM trades t ASOF LEFT JOIN quotes q ON t.symbol = q.symbol AND t.ts >= q.ts
"""


def bars_summary(bars, volume, count, close_sum):
    return {"bars": int(bars), "volume": float(volume), "count": float(count),
            "closeSum": float(close_sum)}


def asof_summary(rows, matched, bid_sum):
    return {"rows": float(rows), "matched": float(matched), "bidSum": float(bid_sum or 0)}


def run_polars(paths, reps):
    out = {}
    log("Python Polars: loading ticks")
    ticks = pl.read_parquet(paths["ticks"])
    log("Python Polars: resample")
    bars, samples = timed(lambda: polars_bars(ticks), reps)
    out["resample"] = {
        "ms": samples,
        "summary": bars_summary(bars.height, bars["volume"].sum(), bars["count"].sum(),
                                bars["close"].sum()),
    }
    del ticks, bars
    gc.collect()
    log("Python Polars: loading trades and quotes")
    trades = pl.read_parquet(paths["trades"])
    quotes = pl.read_parquet(paths["quotes"])
    log("Python Polars: as-of join")
    joined, samples = timed(lambda: polars_asof(trades, quotes), reps)
    out["asof"] = {
        "ms": samples,
        "summary": asof_summary(joined.height, joined["bid"].count(), joined["bid"].sum()),
    }
    del trades, quotes, joined
    gc.collect()
    return out


def run_duckdb(paths, reps):
    out = {}
    con = duckdb.connect()
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    log(f"DuckDB ({threads} threads): loading ticks")
    con.execute("CREATE TABLE ticks AS SELECT * FROM read_parquet(?)", [paths["ticks"]])
    log("DuckDB: resample")
    _, samples = timed(lambda: con.execute(DUCKDB_BARS), reps)
    row = con.execute("SELECT count(*), sum(volume), sum(count), sum(close) FROM bars").fetchone()
    out["resample"] = {"ms": samples, "summary": bars_summary(*row)}
    con.execute("DROP TABLE ticks")
    con.execute("DROP TABLE bars")
    log("DuckDB: loading trades and quotes")
    con.execute("CREATE TABLE trades AS SELECT * FROM read_parquet(?)", [paths["trades"]])
    con.execute("CREATE TABLE quotes AS SELECT * FROM read_parquet(?)", [paths["quotes"]])
    log("DuckDB: as-of join")
    _, samples = timed(lambda: con.execute(DUCKDB_ASOF), reps)
    row = con.execute("SELECT count(*), count(bid), sum(bid) FROM joined").fetchone()
    out["asof"] = {"ms": samples, "summary": asof_summary(*row)}
    out["threads"] = int(threads)
    con.close()
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    paths = {name: os.path.join(args.dir, f"{name}.parquet")
             for name in ("ticks", "trades", "quotes")}
    result = {
        "versions": {"python": platform.python_version(), "polars": pl.__version__,
                     "duckdb": duckdb.__version__},
        "polarsThreads": pl.thread_pool_size(),
        "polars": run_polars(paths, args.reps),
        "duckdb": run_duckdb(paths, args.reps),
    }
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
