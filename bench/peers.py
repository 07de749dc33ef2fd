"""Python peers of `deno task bench` (bench/main.ts, bench/queries.ts).

The five standard queries (bench/query_set.ts, under the same ids) on Python Polars, on its
in-memory and its streaming engine, and on DuckDB, reading the Parquet files the benchmark
wrote (fact.parquet, dim.parquet). Each engine loads the data into memory first (untimed),
runs each query once to warm up (its result gives the row count and checksum the benchmark
checks), then `--reps` timed runs. Results are materialized in memory (a DataFrame, a DuckDB
temp table), as Polaroid keeps a handle.

Prints one JSON object on stdout; progress goes to stderr.

    python3 bench/peers.py --dir DIR --reps 5 --checksums JSON
"""

import argparse
import gc
import json
import os
import platform
import sys

import duckdb
import polars as pl

# The same warm-up and timing as the time-series peers (this folder is on the path).
from timeseries_peers import timed


def log(line):
    print(f"bench peers: {line}", file=sys.stderr, flush=True)


def polars_queries(fact, dim):
    value, qty = pl.col("value"), pl.col("qty")
    return {
        "group_by": lambda: fact.lazy().group_by("key").agg(
            value.mean().alias("m"), qty.sum().alias("s")),
        "filter": lambda: fact.lazy().filter((value > 0.5) & (qty < 100)),
        "sort": lambda: fact.lazy().sort("value"),
        "join": lambda: fact.lazy().join(dim.lazy(), on="key", how="inner"),
        "group_by3": lambda: fact.lazy().group_by("key", "k2", "k3").agg(
            qty.sum().alias("s"), value.count().alias("n")),
    }


DUCKDB_QUERIES = {
    "group_by": "SELECT key, avg(value) AS m, sum(qty) AS s FROM fact GROUP BY key",
    "filter": "SELECT * FROM fact WHERE value > 0.5 AND qty < 100",
    "sort": "SELECT * FROM fact ORDER BY value",
    "join": "SELECT f.*, d.weight, d.region FROM fact f JOIN dim d USING (key)",
    "group_by3": "SELECT key, k2, k3, sum(qty) AS s, count(value) AS n FROM fact GROUP BY ALL",
}


def polars_checksum(df, spec):
    column = df.get_column(spec["column"])
    if spec["kind"] == "sum":
        return float(column.sum())
    return 0.0 if df.height == 0 else float(column[0]) + float(column[-1])


def duckdb_checksum(con, spec):
    c = spec["column"]
    if spec["kind"] == "sum":
        return float(con.execute(f"SELECT sum({c}) FROM r").fetchone()[0] or 0)
    # A table made with ORDER BY keeps that order in its row ids (insertion order is kept).
    ends = con.execute(
        f"SELECT {c} FROM r WHERE rowid = 0 OR rowid = (SELECT max(rowid) FROM r)"
    ).fetchall()
    return sum(float(row[0]) for row in ends)


def run_polars(paths, reps, checksums, engine):
    fact = pl.read_parquet(paths["fact"])
    dim = pl.read_parquet(paths["dim"])
    out = {}
    for qid, build in polars_queries(fact, dim).items():
        result, samples = timed(lambda: build().collect(engine=engine), reps)
        out[qid] = {"ms": samples, "rows": result.height,
                    "checksum": polars_checksum(result, checksums[qid])}
        log(f"Python Polars ({engine}) {qid}: median {sorted(samples)[len(samples) // 2]:.1f} ms")
        del result
        gc.collect()
    return out


def run_duckdb(paths, reps, checksums):
    con = duckdb.connect()
    threads = int(con.execute("SELECT current_setting('threads')").fetchone()[0])
    con.execute("CREATE TABLE fact AS SELECT * FROM read_parquet(?)", [paths["fact"]])
    con.execute("CREATE TABLE dim AS SELECT * FROM read_parquet(?)", [paths["dim"]])
    out = {}
    for qid, sql in DUCKDB_QUERIES.items():
        _, samples = timed(lambda: con.execute(f"CREATE OR REPLACE TEMP TABLE r AS {sql}"), reps)
        rows = con.execute("SELECT count(*) FROM r").fetchone()[0]
        out[qid] = {"ms": samples, "rows": int(rows),
                    "checksum": duckdb_checksum(con, checksums[qid])}
        log(f"DuckDB {qid}: median {sorted(samples)[len(samples) // 2]:.1f} ms")
        con.execute("DROP TABLE r")
    con.close()
    return out, threads


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--checksums", required=True, help="JSON: query id -> checksum spec")
    args = parser.parse_args()
    checksums = json.loads(args.checksums)
    paths = {name: os.path.join(args.dir, f"{name}.parquet") for name in ("fact", "dim")}
    engines = {}
    for engine in ("in-memory", "streaming"):
        log(f"Python Polars {pl.__version__}, {engine} engine")
        engines[f"polars-{engine}"] = run_polars(paths, args.reps, checksums, engine)
        gc.collect()
    log(f"DuckDB {duckdb.__version__}")
    engines["duckdb"], threads = run_duckdb(paths, args.reps, checksums)
    result = {
        "versions": {"python": platform.python_version(), "polars": pl.__version__,
                     "duckdb": duckdb.__version__},
        "polarsThreads": pl.thread_pool_size(),
        "duckdbThreads": threads,
        "engines": engines,
    }
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
