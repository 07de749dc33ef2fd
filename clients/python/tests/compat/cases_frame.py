"""Compatibility cases of ``LazyFrame`` and ``LazyGroupBy`` members."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import io
import tempfile
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl

from tests.compat.case import Case, Query, unordered


async def _collect_async(lf: Any) -> Any:
    return await lf.collect_async()


def _printed(action: Any) -> pl.DataFrame:
    """What ``action()`` prints, one row per line."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        action()
    return pl.DataFrame({"line": out.getvalue().splitlines()})


_READ = {"parquet": pl.read_parquet, "csv": pl.read_csv, "ipc": pl.read_ipc, "ndjson": pl.read_ndjson}


def _sunk(m: Any, lf: Any, file_format: str, read: dict[str, Any] | None = None, **options: Any) -> pl.DataFrame:
    """What ``lf.sink_<file_format>(path, **options)`` wrote, read back: in-process from a
    temporary directory; through Polaroid from the server's output root, which the test
    cluster sets to its data root (CSV, Parquet and IPC scans read it; NDJSON, which the
    client does not scan, reports only that the sink returned)."""
    name = f"compat-sink/{uuid.uuid4().hex}.{file_format}"
    if m is pl:
        with tempfile.TemporaryDirectory() as tmp:
            path = f"{tmp}/{name}"
            returned = getattr(lf, f"sink_{file_format}")(path, mkdir=True, **options)
            df = _READ[file_format](path, **(read or {}))
    else:
        returned = getattr(lf, f"sink_{file_format}")(name, mkdir=True, **options)
        if file_format == "ndjson":
            df = pl.read_ndjson(io.BytesIO(lf.collect().write_ndjson().encode()))
        else:
            df = getattr(lf._client, f"scan_{file_format}")(name, **(read or {})).collect()
    return df.with_columns(returned=pl.lit(returned is None))


def _agg(m: Any) -> list[Any]:
    return [m.col("i").sum().alias("total"), m.col("x").mean().alias("mean"), m.len().alias("n")]


LAZYFRAME: dict[str, Query | Case] = {
    "LazyFrame.bottom_k": lambda m, f: f.mixed.bottom_k(4, by=["i", "u"]).select("i", "u"),
    "LazyFrame.cache": lambda m, f: f.mixed.cache().select("g", "i"),
    "LazyFrame.cast": lambda m, f: f.mixed.select("i", "u", "b").cast({"i": m.Float64, "b": m.Int8}),
    "LazyFrame.clear": lambda m, f: f.mixed.clear(),
    "LazyFrame.clone": lambda m, f: f.mixed.clone().select("g", "i"),
    "LazyFrame.collect": lambda m, f: f.mixed.filter(m.col("i") > 2).collect(),
    "LazyFrame.collect:streaming": lambda m, f: f.mixed.filter(m.col("i") > 2).collect(engine="streaming"),
    "LazyFrame.collect_async": lambda m, f: asyncio.run(_collect_async(f.mixed.filter(m.col("i") > 2))),
    "LazyFrame.collect_batches": lambda m, f: pl.concat(list(f.mixed.select("g", "i").collect_batches())),
    "LazyFrame.collect_schema": lambda m, f: f.mixed.select(list(f.mixed.collect_schema())[::3]),
    "LazyFrame.columns": lambda m, f: f.mixed.select(f.mixed.columns[1:4]),
    "LazyFrame.count": lambda m, f: f.mixed.count(),
    "LazyFrame.describe": lambda m, f: f.mixed.select("i", "x", "g").describe(),
    "LazyFrame.drop": lambda m, f: f.mixed.drop("s", "l", "st"),
    "LazyFrame.drop:strict": lambda m, f: f.mixed.drop("s", "nope", strict=False),
    "LazyFrame.drop_nans": lambda m, f: f.mixed.select("g", "f", "x").drop_nans(),
    "LazyFrame.drop_nulls": lambda m, f: f.mixed.drop_nulls(["i", "f"]),
    "LazyFrame.drop_nulls:all": lambda m, f: f.mixed.drop_nulls(),
    "LazyFrame.dtypes": lambda m, f: pl.DataFrame({"dtype": [str(d) for d in f.mixed.dtypes]}),
    "LazyFrame.execute": lambda m, f: f.mixed.filter(m.col("i") > 2).execute().lazy().select("g", "i"),
    "LazyFrame.explain": lambda m, f: pl.DataFrame({"filter": ["FILTER" in f.mixed.filter(m.col("i") > 2).explain()]}),
    "LazyFrame.explode": lambda m, f: f.mixed.select("g", "l").explode("l"),
    "LazyFrame.fill_nan": lambda m, f: f.mixed.select("f", "x").fill_nan(-1.0),
    "LazyFrame.fill_null": lambda m, f: f.mixed.select("i", "f").fill_null(0),
    "LazyFrame.fill_null:strategy": lambda m, f: f.mixed.select("i", "f").fill_null(strategy="backward"),
    "LazyFrame.filter": lambda m, f: f.mixed.filter(m.col("i") > 0, g="a"),
    "LazyFrame.filter:temporal": lambda m, f: f.mixed.filter(
        m.col("t") >= dt.datetime(2024, 3, 8, 10, 30),
        m.col("d") < dt.date(2024, 8, 1),
        m.col("tz") < dt.datetime(2024, 3, 8, 7, 0, tzinfo=ZoneInfo("America/New_York")),
    ),
    "LazyFrame.first": lambda m, f: f.mixed.first(),
    "LazyFrame.gather": lambda m, f: f.mixed.gather([0, 5, 2]).select("g", "i"),
    "LazyFrame.gather_every": lambda m, f: f.mixed.gather_every(3, offset=1),
    "LazyFrame.group_by": unordered(lambda m, f: f.mixed.group_by("g").agg(*_agg(m)), "g"),
    "LazyFrame.group_by:maintain_order": lambda m, f: f.mixed.group_by("g", maintain_order=True).agg(*_agg(m)),
    "LazyFrame.group_by:keys": unordered(
        lambda m, f: f.mixed.group_by("g", m.col("b"), parity=m.col("u") % 2).agg(m.col("x").sum()), "g", "b", "parity"
    ),
    "LazyFrame.group_by_dynamic": lambda m, f: f.mixed.group_by_dynamic("t", every="1h").agg(*_agg(m)),
    "LazyFrame.group_by_dynamic:options": lambda m, f: f.mixed.group_by_dynamic(
        "t", every="30m", period="1h", offset="10m", closed="right", label="right", include_boundaries=True
    ).agg(*_agg(m)),
    "LazyFrame.group_by_dynamic:group_by": unordered(
        lambda m, f: f.mixed.group_by_dynamic("t", every="1d", group_by="g").agg(*_agg(m)), "g", "t"
    ),
    "LazyFrame.head": lambda m, f: f.mixed.head(3),
    "LazyFrame.interpolate": lambda m, f: f.mixed.select("i", "f").interpolate(),
    "LazyFrame.join": unordered(lambda m, f: f.left.join(f.right, on="k"), "k", "w"),
    "LazyFrame.join:null_keys": unordered(
        lambda m, f: f.mixed.select("i", "g").join(f.mixed.select("i", "u"), on="i"), "i", "g", "u"
    ),
    "LazyFrame.join:left": unordered(lambda m, f: f.left.join(f.right, on="k", how="left"), "k", "w"),
    "LazyFrame.join:full": unordered(lambda m, f: f.left.join(f.right, on="k", how="full"), "k", "k_right", "w"),
    "LazyFrame.join:right": unordered(lambda m, f: f.left.join(f.right, on="k", how="right"), "k", "w"),
    "LazyFrame.join:full_coalesce": unordered(
        lambda m, f: f.left.join(f.right, on="k", how="full", coalesce=True), "k", "w"
    ),
    "LazyFrame.join:semi": unordered(lambda m, f: f.left.join(f.right, on="k", how="semi"), "k"),
    "LazyFrame.join:anti": unordered(lambda m, f: f.left.join(f.right, on="k", how="anti"), "k"),
    "LazyFrame.join:cross": unordered(lambda m, f: f.left.join(f.right, how="cross"), "k", "k_right", "w"),
    "LazyFrame.join:left_on_right_on": unordered(
        lambda m, f: f.left.join(f.right, left_on="k", right_on=m.col("w") // 100, suffix="_r"), "k", "w"
    ),
    "LazyFrame.join_asof": lambda m, f: f.left.join_asof(f.right, on="k", strategy="backward"),
    "LazyFrame.join_asof:strategy": lambda m, f: f.left.join_asof(f.right, on="k", strategy="nearest"),
    "LazyFrame.join_asof:tolerance": lambda m, f: f.left.join_asof(f.right, on="k", strategy="forward", tolerance=1),
    "LazyFrame.join_where": unordered(
        lambda m, f: f.left.join_where(f.right, m.col("k") < m.col("k_right")), "k", "k_right", "w"
    ),
    "LazyFrame.last": lambda m, f: f.mixed.last(),
    "LazyFrame.lazy": lambda m, f: f.mixed.lazy().select("g"),
    "LazyFrame.limit": lambda m, f: f.mixed.limit(4),
    "LazyFrame.match_to_schema": lambda m, f: f.left.match_to_schema(
        {"name": pl.String, "k": pl.Int64, "v": pl.Float64}
    ),
    "LazyFrame.max": lambda m, f: f.mixed.select("i", "u", "f", "x", "s").max(),
    "LazyFrame.mean": lambda m, f: f.mixed.select("i", "u", "x", "b").mean(),
    "LazyFrame.median": lambda m, f: f.mixed.select("i", "u", "x").median(),
    "LazyFrame.merge_sorted": lambda m, f: f.left.select("k", "name").merge_sorted(f.right.select("k", "name"), "k"),
    "LazyFrame.min": lambda m, f: f.mixed.select("i", "u", "f", "x", "s").min(),
    "LazyFrame.null_count": lambda m, f: f.mixed.null_count(),
    "LazyFrame.pipe": lambda m, f: f.mixed.pipe(lambda lf, n: lf.head(n), 2),
    "LazyFrame.pipe_with_schema": lambda m, f: f.mixed.pipe_with_schema(
        lambda lf, schema: lf.select([name for name, dtype in schema.items() if dtype == pl.Int64])
    ),
    "LazyFrame.pivot": lambda m, f: (
        f.mixed.with_columns(k=m.col("u") % 3)
        .pivot("g", on_columns=["a", "b", "c"], index="k", values="x", aggregate_function="sum")
        .sort("k")
    ),
    "LazyFrame.quantile": lambda m, f: f.mixed.select("i", "x").quantile(0.3, "linear"),
    "LazyFrame.remove": lambda m, f: f.mixed.remove(m.col("i") > 2),
    "LazyFrame.rename": lambda m, f: f.mixed.rename({"g": "group", "i": "int"}),
    "LazyFrame.rename:callable": lambda m, f: f.mixed.rename(str.upper),
    "LazyFrame.reverse": lambda m, f: f.mixed.reverse(),
    "LazyFrame.rolling": lambda m, f: f.mixed.rolling("t", period="10m").agg(*_agg(m)),
    "LazyFrame.rolling:group_by": unordered(
        lambda m, f: f.mixed.rolling("t", period="1h", offset="-30m", closed="both", group_by="g").agg(*_agg(m)),
        "g",
        "t",
    ),
    "LazyFrame.schema": lambda m, f: pl.DataFrame({"name": list(f.mixed.schema)}),
    "LazyFrame.select": lambda m, f: f.mixed.select("g", m.col("i") * 2, doubled=m.col("x") * 2),
    "LazyFrame.select_seq": lambda m, f: f.mixed.select_seq("g", m.col("i") + m.col("u")),
    "LazyFrame.set_sorted": lambda m, f: f.mixed.set_sorted("t").select("t", "u"),
    "LazyFrame.shift": lambda m, f: f.mixed.select("g", "i").shift(2, fill_value=0),
    "LazyFrame.show": lambda m, f: _printed(lambda: f.left.show(3)),
    "LazyFrame.sink_csv": lambda m, f: _sunk(m, f.mixed.select("g", "i", "x", "s", "b"), "csv", {"separator": ";"}, separator=";"),
    "LazyFrame.sink_ipc": lambda m, f: _sunk(m, f.mixed.drop("tz"), "ipc", compression="zstd"),
    "LazyFrame.sink_ndjson": lambda m, f: _sunk(m, f.mixed.select("g", "i", "x", "s"), "ndjson"),
    "LazyFrame.sink_parquet": lambda m, f: _sunk(m, f.mixed, "parquet", compression="snappy", row_group_size=5),
    "LazyFrame.slice": lambda m, f: f.mixed.slice(2, 4),
    "LazyFrame.slice:negative": lambda m, f: f.mixed.slice(-4, 2),
    "LazyFrame.sort": lambda m, f: f.mixed.sort("g", "u"),
    "LazyFrame.sort:expr": lambda m, f: f.mixed.sort(m.col("x") * -1),
    "LazyFrame.sort:maintain_order": lambda m, f: f.mixed.sort("g", maintain_order=True),
    "LazyFrame.sort:descending_nulls_last": lambda m, f: f.mixed.sort(
        "g", "i", descending=[False, True], nulls_last=True
    ),
    "LazyFrame.sql": lambda m, f: f.mixed.sql("SELECT g, SUM(u) AS total FROM self GROUP BY g ORDER BY g"),
    "LazyFrame.std": lambda m, f: f.mixed.select("i", "u", "x").std(),
    "LazyFrame.sum": lambda m, f: f.mixed.select("i", "u", "x", "b").sum(),
    "LazyFrame.tail": lambda m, f: f.mixed.tail(3),
    "LazyFrame.top_k": lambda m, f: f.mixed.top_k(4, by=["i", "u"]).select("i", "u"),
    "LazyFrame.unique": unordered(lambda m, f: f.mixed.select("g", "b").unique(), "g", "b"),
    "LazyFrame.unique:subset": lambda m, f: f.mixed.unique(["g", "b"], keep="first", maintain_order=True),
    "LazyFrame.unique:keep_none": unordered(lambda m, f: f.mixed.select("g", "b").unique(keep="none"), "g", "b"),
    "LazyFrame.unique:keep": lambda m, f: f.mixed.unique("g", keep="last", maintain_order=True),
    "LazyFrame.unnest": lambda m, f: f.mixed.select("st").unnest("st"),
    # Python Polars' lazy unpivot leaves the row order open (its streaming engine interleaves).
    "LazyFrame.unpivot": unordered(
        lambda m, f: f.mixed.select("u", "i", "x").unpivot(["i", "x"], index="u", variable_name="column", value_name="value"),
        "column",
        "u",
    ),
    "LazyFrame.update": lambda m, f: f.left.update(f.right.select("k", "name"), on="k"),
    "LazyFrame.var": lambda m, f: f.mixed.select("i", "u", "x").var(),
    "LazyFrame.width": lambda m, f: pl.DataFrame({"width": [f.mixed.width]}),
    "LazyFrame.with_columns": lambda m, f: f.mixed.with_columns(m.col("i") * 2, y=m.col("x") + 1),
    "LazyFrame.with_columns:literal_types": lambda m, f: f.mixed.with_columns(
        m.col("u") + 1, u2=m.col("u") * 2, x=0.5 - m.col("x"), i=m.col("i") // 2
    ),
    "LazyFrame.with_columns_seq": lambda m, f: f.mixed.with_columns_seq(m.col("i") * 2, y=m.col("x") + 1),
    "LazyFrame.with_row_index": lambda m, f: f.mixed.with_row_index("row", offset=10).select("row", "g"),
}

LAZYGROUPBY: dict[str, Query | Case] = {
    "LazyGroupBy.agg": unordered(lambda m, f: f.mixed.group_by("g").agg(*_agg(m), m.col("s").first()), "g"),
    "LazyGroupBy.agg:named": unordered(
        lambda m, f: f.mixed.group_by("g").agg(top=m.col("x").max(), rows=m.len(), items=m.col("u").sort()), "g"
    ),
    "LazyGroupBy.all": unordered(lambda m, f: f.mixed.group_by("g", maintain_order=True).all().select("g", "i"), "g"),
    "LazyGroupBy.first": unordered(lambda m, f: f.mixed.select("g", "i", "s").group_by("g").first(), "g"),
    "LazyGroupBy.having": unordered(
        lambda m, f: f.mixed.group_by("g").having(m.col("i").sum() > 10).agg(m.col("u").sum()), "g"
    ),
    "LazyGroupBy.head": unordered(
        lambda m, f: f.mixed.select("g", "u").group_by("g", maintain_order=True).head(2), "g", "u"
    ),
    "LazyGroupBy.last": unordered(lambda m, f: f.mixed.select("g", "i", "s").group_by("g").last(), "g"),
    "LazyGroupBy.len": unordered(lambda m, f: f.mixed.group_by("g").len("rows"), "g"),
    "LazyGroupBy.max": unordered(lambda m, f: f.mixed.select("g", "i", "x").group_by("g").max(), "g"),
    "LazyGroupBy.mean": unordered(lambda m, f: f.mixed.select("g", "i", "x").group_by("g").mean(), "g"),
    "LazyGroupBy.median": unordered(lambda m, f: f.mixed.select("g", "i", "x").group_by("g").median(), "g"),
    "LazyGroupBy.min": unordered(lambda m, f: f.mixed.select("g", "i", "x").group_by("g").min(), "g"),
    "LazyGroupBy.n_unique": unordered(lambda m, f: f.mixed.select("g", "i", "b").group_by("g").n_unique(), "g"),
    "LazyGroupBy.quantile": unordered(
        lambda m, f: f.mixed.select("g", "i", "x").group_by("g").quantile(0.5, "linear"), "g"
    ),
    "LazyGroupBy.sum": unordered(lambda m, f: f.mixed.select("g", "i", "x").group_by("g").sum(), "g"),
    "LazyGroupBy.tail": unordered(
        lambda m, f: f.mixed.select("g", "u").group_by("g", maintain_order=True).tail(2), "g", "u"
    ),
}
