"""Time series and finance against a running cluster (POLAROID_ENDPOINT; skipped when
unset): each result is compared with Python Polars running the same query in-process, and
the statistical tests with statsmodels, as the TypeScript SDK's tests do."""

from __future__ import annotations

import datetime as dt
import math
import random
import warnings
from collections.abc import Iterator
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import polaroid as pr

pytestmark = pytest.mark.integration


def _ticks() -> pl.DataFrame:
    """Two symbols' trades at distinct, unevenly spaced instants over two hours."""
    rng = random.Random(7)
    rows: list[tuple[str, dt.datetime, float, int]] = []
    for symbol, start_price in (("A", 100.0), ("B", 20.0)):
        at = dt.datetime(2024, 3, 1, 9, 30)
        price = start_price
        for _ in range(400):
            at += dt.timedelta(seconds=rng.randint(1, 30))
            price = max(0.5, price + rng.gauss(0, 0.1))
            rows.append((symbol, at, round(price, 4), rng.randint(1, 500)))
    rows.sort(key=lambda r: r[1])  # symbols interleaved in time
    return pl.DataFrame(rows, schema={"s": pl.String, "t": pl.Datetime("us"), "p": pl.Float64, "v": pl.Int64}, orient="row")


def _quotes(ticks: pl.DataFrame) -> pl.DataFrame:
    """Quotes a few seconds off the trades, for the asof joins."""
    return (
        ticks.select("s", (pl.col("t") - pl.duration(seconds=3)).alias("t"), (pl.col("p") - 0.01).alias("bid"))
        .gather_every(3)
        .sort("s", "t")
    )


def _series(n: int, seed: int, phi: float) -> list[float]:
    """An AR(1) series (phi = 1: a random walk)."""
    rng = random.Random(seed)
    out = [0.0]
    for _ in range(n - 1):
        out.append(phi * out[-1] + rng.gauss(0, 1))
    return out


TICKS = _ticks()
QUOTES = _quotes(TICKS)
SORTED = TICKS.sort("s", "t")
LEVELS = pl.DataFrame({"sym": ["A"] * 300 + ["B"] * 300, "px": _series(300, 1, 1.0) + _series(300, 2, 0.5)})


@pytest.fixture(scope="module")
def ticks(client: pr.Client) -> Iterator[pr.RemoteDataFrame]:
    with client.from_polars(TICKS) as remote:
        yield remote


@pytest.fixture(scope="module")
def quotes(client: pr.Client) -> Iterator[pr.RemoteDataFrame]:
    with client.from_polars(QUOTES) as remote:
        yield remote


def test_ohlcv_equals_python_polars_group_by_dynamic(ticks: pr.RemoteDataFrame) -> None:
    got = ticks.lazy().ohlcv(index="t", price="p", volume="v", every="5m", by="s").collect()
    p, v = pl.col("p"), pl.col("v")
    want = (
        SORTED.group_by_dynamic("t", every="5m", closed="left", label="left", group_by="s", start_by="window")
        .agg(
            p.first().alias("open"),
            p.max().alias("high"),
            p.min().alias("low"),
            p.last().alias("close"),
            v.sum().alias("volume"),
            ((p * v).sum() / v.sum()).alias("vwap"),
            pl.len().alias("count"),
        )
        .sort("s", "t", maintain_order=True)
    )
    assert_frame_equal(got, want)
    assert got["volume"].sum() == TICKS["v"].sum() and got["count"].sum() == TICKS.height


def test_ohlcv_fill_previous_close(ticks: pr.RemoteDataFrame) -> None:
    got = ticks.lazy().ohlcv(index="t", price="p", every="10s", by="s", fill="previous_close").collect()
    bars = SORTED.group_by_dynamic("t", every="10s", group_by="s", start_by="window").agg(pl.col("p").last().alias("close"))
    want = bars.upsample("t", every="10s", group_by="s", maintain_order=True).with_columns(pl.col("s").forward_fill())
    want = want.with_columns(pl.col("close").forward_fill().over("s")).sort("s", "t")
    assert_frame_equal(got.select("s", "t", "close"), want.select("s", "t", "close"))
    filled = got.filter(pl.col("count") == 0)
    assert filled.height > 0 and (filled["open"] == filled["close"]).all()


def test_rolling_mean_equals_python_polars(ticks: pr.RemoteDataFrame) -> None:
    def query(m: Any, lf: Any) -> Any:
        c = m.col("p")
        return lf.sort("s", "t").with_columns(
            mean3=c.rolling_mean(3).over("s"),
            sum5=c.rolling_sum(5, min_samples=2),
            std4=c.rolling_std(4, ddof=0),
            max3=c.rolling_max(3),
            ewm=c.ewm_mean(span=10).over("s"),
            ffill=m.when(c > 100).then(c).otherwise(None).forward_fill(),
            change=c.pct_change(2),
        )

    got = query(pr, ticks.lazy()).collect()
    want = query(pl, TICKS.lazy()).collect()
    assert_frame_equal(got, want, rel_tol=1e-9)


def test_time_series_rolling_by_duration_equals_rolling_by(ticks: pr.RemoteDataFrame) -> None:
    series = ticks.as_time_series("t", by="s", unsorted="sort")
    try:
        assert series.info.rows == TICKS.height and series.info.symbols == 2
        assert series.frame is not None and series.frame.metadata[pr.timeseries.TIME_SERIES_METADATA]
        got = series.rolling("5m", columns=["p"], stats=["mean", "max"]).lazy().collect()
        # Each symbol's instants rise already: the series keeps the interleaved rows.
        assert series.info.duplicates == 0 and series.info.frequency.min_step == "1s"
        want = TICKS.with_columns(
            pl.col("p").rolling_mean_by("t", "5m").over("s").alias("p_mean_5m"),
            pl.col("p").rolling_max_by("t", "5m").over("s").alias("p_max_5m"),
        )
        assert_frame_equal(got, want, rel_tol=1e-9)
        again = series.frame.as_time_series()
        assert again.info == series.info and again.index == "t" and again.by == ["s"]
    finally:
        if series.frame is not None:
            series.frame.release()


def test_group_by_dynamic_and_rolling_equal_python_polars(ticks: pr.RemoteDataFrame) -> None:
    def dynamic(m: Any, lf: Any) -> Any:
        return (
            lf.sort("s", "t")
            .group_by_dynamic("t", every="10m", period="20m", group_by="s", closed="right", label="right")
            .agg(m.col("p").mean().alias("mean"), m.col("v").sum().alias("volume"), m.len())
            .sort("s", "t")
        )

    assert_frame_equal(dynamic(pr, ticks.lazy()).collect(), dynamic(pl, TICKS.lazy()).collect())

    def rolling(m: Any, lf: Any) -> Any:
        return lf.sort("s", "t").rolling("t", period="3m", group_by="s").agg(m.col("p").max().alias("high"))

    assert_frame_equal(rolling(pr, ticks.lazy()).collect(), rolling(pl, TICKS.lazy()).collect())


def test_join_asof_equals_python_polars(ticks: pr.RemoteDataFrame, quotes: pr.RemoteDataFrame) -> None:
    cases: list[dict[str, Any]] = [
        {},
        {"strategy": "forward", "tolerance": "10s"},
        {"strategy": "nearest", "allow_exact_matches": False},
    ]
    for options in cases:
        options["check_sortedness"] = False  # Python Polars cannot check it with 'by'; the rows are sorted
        got = ticks.lazy().sort("t").join_asof(quotes.lazy().sort("t"), on="t", by="s", **options).collect()
        want = TICKS.sort("t").join_asof(QUOTES.sort("t"), on="t", by="s", **options)
        assert_frame_equal(got, want)


def test_returns_equal_python_polars(ticks: pr.RemoteDataFrame) -> None:
    lf = ticks.lazy().sort("s", "t")
    got = lf.finance.returns("p", by="s").finance.returns("p", kind="log", periods=2, by="s").collect()
    c = pl.col("p")
    want = SORTED.with_columns(
        ((c - c.shift(1)) / c.shift(1)).over("s").alias("p_return"),
        (c / c.shift(2)).log().over("s").alias("p_log_return"),
    )
    assert_frame_equal(got, want, rel_tol=1e-12)
    vol = lf.finance.volatility(method="close", window=20, close="p", by="s").collect()["volatility"]
    log_returns = SORTED.select((c / c.shift(1)).log().over("s").alias("r"), "s")
    expected = log_returns.select((pl.col("r").rolling_var(20) * 252).sqrt().over("s"))["r"]
    assert vol.null_count() == expected.null_count()
    assert max(abs(a - b) for a, b in zip(vol.drop_nulls(), expected.drop_nulls())) < 1e-9


def test_adf_and_friends_equal_statsmodels(client: pr.Client) -> None:
    stattools = pytest.importorskip("statsmodels.tsa.stattools")
    with client.from_polars(LEVELS) as remote:
        adf = remote.adf("px", by="sym", regression="ct").collect()
        kpss = remote.lazy().kpss("px", by="sym", nlags="legacy").collect()
        hurst = remote.lazy().filter(pr.col("sym") == "A").hurst("px", max_lag=20).collect()
    assert adf["sym"].to_list() == ["A", "B"]
    for row in adf.iter_rows(named=True):
        series = LEVELS.filter(pl.col("sym") == row["sym"])["px"].to_numpy()
        statistic, p_value, used_lag, nobs, critical, _ = stattools.adfuller(series, regression="ct", autolag="AIC")
        assert math.isclose(row["statistic"], statistic, rel_tol=1e-6)
        assert math.isclose(row["p_value"], p_value, rel_tol=1e-4, abs_tol=1e-8)
        assert (row["used_lag"], row["nobs"]) == (used_lag, nobs)
        assert math.isclose(row["crit_5pct"], critical["5%"], rel_tol=1e-6)
    assert adf.filter(pl.col("sym") == "B")["p_value"][0] < 0.05  # the AR(1) is stationary
    for row in kpss.iter_rows(named=True):
        series = LEVELS.filter(pl.col("sym") == row["sym"])["px"].to_numpy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # statsmodels warns when its table clips the p-value
            statistic, _, lags, _ = stattools.kpss(series, regression="c", nlags="legacy")
        assert math.isclose(row["statistic"], statistic, rel_tol=1e-6) and row["lags"] == lags
    assert 0.2 < hurst["hurst"][0] < 0.8



def test_ordered_expressions_equal_python_polars(ticks: pr.RemoteDataFrame) -> None:
    def query(m: Any, lf: Any) -> Any:
        c, t = m.col("p"), m.col("t")
        gappy = m.when(m.col("v") > 250).then(c).otherwise(None)
        return lf.with_columns(
            var3=c.rolling_var(3),
            median4=c.rolling_median(4),
            q=c.rolling_quantile(0.25, "linear", 4),
            min2=c.rolling_min(2, min_samples=1),
            ewm_std=c.ewm_std(alpha=0.3, adjust=False),
            ewm_var=c.ewm_var(half_life=4, ignore_nulls=True),
            back=gappy.backward_fill(),
            back2=gappy.backward_fill(2),
            inter=gappy.interpolate(),
            clipped=c.clip(20, 100),
            finite=(c / (c - c)).is_finite(),
            new_york=t.dt.replace_time_zone("UTC").dt.convert_time_zone("America/New_York"),
            later=t.dt.offset_by("1mo"),
            epoch_ms=t.dt.epoch("ms"),
            epoch_s=t.dt.epoch("s"),
            label=m.format("{} at {}", "s", m.col("v")),
            pair=m.concat_list("p", m.col("v").cast(pl.Float64)),
        ).with_columns(
            n=m.int_range(0, m.len()),
            ranges=m.int_ranges(0, m.col("v") % 4),
        )

    got = query(pr, ticks.lazy()).collect()
    want = query(pl, TICKS.lazy()).collect()
    assert_frame_equal(got, want, rel_tol=1e-9)

    def stats(m: Any, lf: Any) -> Any:
        return lf.group_by("s", maintain_order=True).agg(
            m.corr("p", "v").alias("pearson"),
            m.corr("p", "v", method="spearman").alias("spearman"),
            m.cov("p", "v").alias("cov"),
            m.col("p").skew().alias("skew"),
            m.col("p").skew(bias=False).alias("skew_unbiased"),
            m.col("p").filter(m.col("v") > 400).mean().alias("big_mean"),
            m.col("p").null_count().alias("nulls"),
        )

    assert_frame_equal(stats(pr, ticks.lazy()).collect(), stats(pl, TICKS.lazy()).collect(), rel_tol=1e-9)
