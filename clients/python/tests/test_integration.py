"""Against a running cluster (POLAROID_ENDPOINT; skipped when unset): each query is written
once against Python Polars' API and run both remotely and in-process with Python Polars,
and the results must be equal (values and types)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import ModuleType
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import polaroid as pr
from polaroid import _plan

pytestmark = pytest.mark.integration

SALES = pl.DataFrame(
    {
        "region": ["north", "south", "north", "east", "south", "north", None, "east"],
        "product": ["a", "b", "a", "c", "a", "b", "c", None],
        "qty": [3, 1, 4, 1, 5, 9, 2, 6],
        "price": [2.5, 10.0, 2.5, 7.25, 2.0, 10.0, None, 7.0],
        "small": pl.Series([1, 2, 3, 4, 5, 6, 7, 8], dtype=pl.Int32),
        "tiny": pl.Series([1, None, 3, 4, 5, 6, 7, 100], dtype=pl.Int8),
        "u8": pl.Series([1, 2, 3, 4, 5, 6, 7, 8], dtype=pl.UInt8),
        "f32": pl.Series([0.5, 1.5, None, 3.5, 4.5, 5.5, 6.5, 7.5], dtype=pl.Float32),
        "day": [dt.date(2024, 1, d) for d in (1, 2, 3, 4, 5, 6, 7, 8)],
        "at": [dt.datetime(2024, 3, 1, h, 30) for h in (0, 3, 6, 9, 12, 15, 18, 21)],
        "ok": [True, False, True, None, True, False, True, True],
    }
)
PRODUCTS = pl.DataFrame({"product": ["a", "b", "d"], "label": ["Apple", "Banana", "Dates"], "qty": [10, 20, 30]})


@pytest.fixture(scope="module")
def sales(client: pr.Client) -> Any:
    with client.from_polars(SALES) as remote:
        yield remote


@pytest.fixture(scope="module")
def products(client: pr.Client) -> Any:
    with client.from_polars(PRODUCTS) as remote:
        yield remote


Query = Callable[[ModuleType, Any], Any]


def same(query: Query, remote: pr.RemoteDataFrame, local: pl.DataFrame, **compare: Any) -> pl.DataFrame:
    """Runs ``query`` remotely (polaroid) and in-process (polars); asserts equal results."""
    got = query(pr, remote.lazy()).collect()
    want = query(pl, local.lazy()).collect()
    assert_frame_equal(got, want, **compare)
    return got


def test_upload_round_trip_keeps_values_and_types(sales: pr.RemoteDataFrame) -> None:
    assert sales.shape == SALES.shape
    assert sales.schema == SALES.schema
    assert_frame_equal(sales.to_polars(), SALES)


def test_filter_group_by_agg_sort(sales: pr.RemoteDataFrame) -> None:
    def query(m: ModuleType, lf: Any) -> Any:
        return (
            lf.filter(m.col("qty") > 1)
            .group_by("region")
            .agg(
                m.col("qty").sum().alias("total"),
                m.col("price").mean().alias("avg_price"),
                m.col("price").std().alias("std"),
                m.col("product").n_unique().alias("products"),
                m.len().alias("rows"),
            )
            .sort("region", nulls_last=True)
        )

    got = same(query, sales, SALES)
    assert got.height == 4


def test_expressions_match_python_polars(sales: pr.RemoteDataFrame) -> None:
    def query(m: ModuleType, lf: Any) -> Any:
        c = m.col
        return lf.with_columns(
            revenue=c("qty") * c("price"),
            plus_one=c("small") + 1,
            half=c("qty") / 2,
            floor_div=c("qty") // 2,
            rem=c("qty") % 4,
            neg=-c("qty"),
            squared=c("price") ** 2,
            cubed=c("qty") ** 3.0,
            tiny_plus=c("tiny") + 1,
            tiny_wide=c("tiny") * 300,
            u8_minus=c("u8") - 1,
            u8_signed=c("u8") + -1,
            f32_twice=c("f32") * 2,
            f32_half=c("f32") * 0.5,
            f32_div=c("f32") / 2,
            tiny_filled=c("tiny").fill_null(0),
            tiny_or_one=m.when(c("ok")).then(1).otherwise(c("tiny")),
            tiny_in=c("tiny").is_in([1, 100]),
            lit_alone=m.lit(7),
            float_alone=m.lit(0.25),
            big=(c("qty") >= 4) & c("ok"),
            not_ok=~c("ok"),
            missing=c("price").is_null(),
            filled=c("price").fill_null(0.0),
            filled_fwd=c("price").fill_null(strategy="forward"),
            region_filled=c("region").fill_null("unknown"),
            label=m.when(c("qty") > 4)
            .then(m.lit("many"))
            .when(c("qty") > 1)
            .then(m.lit("some"))
            .otherwise(m.lit("one")),
            picked=m.when(c("ok")).then("qty").otherwise(0),
            rounded=(c("price") / 3).round(2),
            absolute=(c("qty") - 5).abs(),
            as_float=c("qty").cast(pl.Float32),
            in_list=c("product").is_in(["a", "c"]),
            in_ints=c("qty").is_in([1, 9]),
            share=c("qty") / c("qty").sum().over("region"),
            upper=c("region").str.to_uppercase(),
            chars=c("region").str.len_chars(),
            has_rt=c("region").str.contains("rt"),
            starts=c("region").str.starts_with("no"),
            ends=c("region").str.ends_with("th"),
            replaced=c("region").str.replace("o", "0"),
            year=c("day").dt.year(),
            month=c("day").dt.month(),
            mday=c("day").dt.day(),
            hour=c("at").dt.hour(),
            bucket=c("at").dt.truncate("6h"),
            later=c("day") > dt.date(2024, 1, 4),
            sorted_qty=c("qty").sort(descending=True),
        )

    same(query, sales, SALES)


def test_aggregations_match_python_polars(sales: pr.RemoteDataFrame) -> None:
    def query(m: ModuleType, lf: Any) -> Any:
        c = m.col("qty")
        return lf.select(
            c.sum().alias("sum"),
            c.mean().alias("mean"),
            c.min().alias("min"),
            c.max().alias("max"),
            c.median().alias("median"),
            c.std().alias("std"),
            c.var(ddof=0).alias("var0"),
            c.quantile(0.3).alias("q30"),
            c.quantile(0.3, interpolation="linear").alias("q30_linear"),
            c.first().alias("first"),
            c.last().alias("last"),
            m.col("price").count().alias("count"),
            m.col("region").n_unique().alias("n_unique"),
            m.len(),
        )

    same(query, sales, SALES)


def test_joins_match_python_polars(sales: pr.RemoteDataFrame, products: pr.RemoteDataFrame) -> None:
    for how in ("inner", "left", "full", "semi", "anti"):
        got = sales.lazy().join(products.lazy(), on="product", how=how).collect()
        want = SALES.lazy().join(PRODUCTS.lazy(), on="product", how=how).collect()
        sort_by = [c for c in ("product", "qty", "day") if c in want.columns]
        assert_frame_equal(got.sort(sort_by, nulls_last=True), want.sort(sort_by, nulls_last=True))
    keyed = sales.lazy().join(products, left_on="product", right_on="product", suffix="_p").collect()
    assert "qty_p" in keyed.columns
    # A defined order is compared as is. ("right" orders of a left join leave its unmatched
    # rows to the engine, as an inner join's "right" leaves rows matching one right row.)
    for how, order in (("left", "left"), ("left", "left_right"), ("inner", "right_left")):
        got = sales.lazy().join(products.lazy(), on="product", how=how, maintain_order=order).collect()
        want = SALES.lazy().join(PRODUCTS.lazy(), on="product", how=how, maintain_order=order).collect()
        assert_frame_equal(got, want)


def test_frame_methods_match_python_polars(sales: pr.RemoteDataFrame) -> None:
    same(lambda m, lf: lf.sort("qty", "day", descending=[True, False]).head(3), sales, SALES)
    same(lambda m, lf: lf.sort("price", nulls_last=True).tail(2), sales, SALES)
    same(lambda m, lf: lf.slice(2, 3).select("qty", "day"), sales, SALES)
    same(lambda m, lf: lf.drop("at", "ok").rename({"qty": "quantity"}).limit(4), sales, SALES)
    same(lambda m, lf: lf.unique(subset="region", keep="first", maintain_order=True), sales, SALES)
    same(lambda m, lf: lf.drop_nulls().select(m.col("qty", "small").sum()), sales, SALES)
    same(lambda m, lf: lf.group_by("region", maintain_order=True).len(), sales, SALES)


def test_collect_schema_matches_python_polars(sales: pr.RemoteDataFrame) -> None:
    def query(m: ModuleType, lf: Any) -> Any:
        return lf.group_by("region").agg(m.col("qty").sum(), m.col("price").mean(), n=m.len())

    assert query(pr, sales.lazy()).collect_schema() == query(pl, SALES.lazy()).collect_schema()


def test_keep_stores_the_result(client: pr.Client, sales: pr.RemoteDataFrame) -> None:
    kept = sales.lazy().filter(pr.col("qty") > 3).collect(keep=True)
    assert isinstance(kept, pr.RemoteDataFrame)
    with kept:
        assert kept.height == SALES.filter(pl.col("qty") > 3).height
        assert_frame_equal(kept.to_polars(), SALES.filter(pl.col("qty") > 3))
    with pytest.raises(pr.HandleNotFoundError):
        client.handle(kept.id)


def test_sql_and_explain(client: pr.Client, sales: pr.RemoteDataFrame) -> None:
    out = client.sql("SELECT region, SUM(qty) AS total FROM s GROUP BY region ORDER BY region", {"s": sales}).collect()
    want = SALES.sql("SELECT region, SUM(qty) AS total FROM self GROUP BY region ORDER BY region")
    assert_frame_equal(out, want)
    plan = sales.lazy().filter(pr.col("qty") > 1).select("qty").explain()
    assert "FILTER" in plan.upper() or "SELECTION" in plan.upper()


def test_a_million_rows_round_trip(client: pr.Client) -> None:
    n = 1_000_000
    df = pl.DataFrame(
        {
            "i": pl.int_range(n, eager=True),
            "f": pl.int_range(n, eager=True) * 0.5,
            "s": pl.int_range(n, eager=True).cast(pl.String),
        }
    )
    with client.from_polars(df) as remote:
        assert remote.shape == (n, 3)
        assert_frame_equal(remote.to_polars(), df)
        assert_frame_equal(remote.lazy().collect(), df)


def test_arrow_round_trip(client: pr.Client) -> None:
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"x": [1, 2, None], "y": ["a", None, "c"]})
    with client.from_arrow(table) as remote:
        assert remote.to_arrow().to_pydict() == table.to_pydict()


def test_unknown_column_is_column_not_found(sales: pr.RemoteDataFrame) -> None:
    with pytest.raises(pr.ColumnNotFoundError, match="nope"):
        sales.lazy().select(pr.col("nope")).collect()
    with pytest.raises(pr.ColumnNotFoundError):
        sales.lazy().filter(pr.col("nope") > 1).collect_schema()


def test_unknown_handle_is_handle_not_found(client: pr.Client) -> None:
    missing = "default.aaaaaaaaaaaaaaaaaaaaaaaaaa"
    with pytest.raises(pr.HandleNotFoundError):
        client.handle(missing)
    with pytest.raises(pr.HandleNotFoundError):
        pr.LazyFrame(client, _plan.handle_plan(missing)).collect()


def test_bad_queries_raise_typed_errors(sales: pr.RemoteDataFrame) -> None:
    with pytest.raises(pr.InvalidArgumentError):
        sales.lazy().select(pr.col("region") + pr.col("day")).collect()
