"""The Python client sends what the TypeScript SDK (the reference client) sends for the same
query: each case below is written in Python Polars' API, and compared with the protobuf the
TS SDK builds for it (fixtures/ts_encodings.json, made by fixtures/ts_encodings.ts).
Python ints are compared as the TS SDK's bigint (Int64) literals: the client sends them as
dynamic literals (int32), typed by their partner column (see test_encoding.py).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest
from google.protobuf.message import Message

import polaroid as pr
from polaroid import _plan
from polaroid._gen.polaroid.v1 import expr_pb2, plan_pb2
from polaroid.lazyframe import LazyFrame
from polaroid.timeseries import Frequency, TimeSeries, TimeSeriesInfo

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "ts_encodings.json").read_text())

col, lit, when = pr.col, pr.lit, pr.when

EXPRS: dict[str, Callable[[], pr.Expr]] = {
    "add_int": lambda: col("a") + 1,
    "rsub_int": lambda: 1 - col("a"),
    "mul_float": lambda: col("a") * 1.5,
    "truediv": lambda: col("a") / col("b"),
    "floordiv": lambda: col("a") // 2,
    "mod": lambda: col("a") % 3,
    "compare_and": lambda: (col("a") > 1) & (col("b") <= 2.5),
    "eq_str": lambda: col("s") == "x",
    "not_null": lambda: ~col("a").is_not_null(),
    "alias": lambda: col("a").alias("b"),
    "cast_strict": lambda: col("a").cast(pl.Float64),
    "cast_datetime": lambda: col("a").cast(pl.Datetime("us", "UTC")),
    "fill_null_value": lambda: col("a").fill_null(0),
    "fill_null_forward": lambda: col("a").fill_null(strategy="forward"),
    "sum": lambda: col("a").sum(),
    "mean": lambda: col("a").mean(),
    "count": lambda: col("a").count(),
    "n_unique": lambda: col("a").n_unique(),
    "first": lambda: col("a").first(),
    "std_default": lambda: col("a").std(),
    "var_ddof0": lambda: col("a").var(ddof=0),
    "quantile": lambda: col("a").quantile(0.25, interpolation="linear"),
    "median": lambda: col("a").median(),
    "abs": lambda: col("a").abs(),
    "round": lambda: col("a").round(2),
    "sort_desc": lambda: col("a").sort(descending=True),
    "over": lambda: col("v").sum().over("k"),
    "over_two": lambda: col("v").mean().over("k", col("j")),
    "is_in_ints": lambda: col("a").is_in([1, 2]),
    "str_contains": lambda: col("s").str.contains("^a.*"),
    "str_contains_literal": lambda: col("s").str.contains("a.b", literal=True),
    "str_starts_with": lambda: col("s").str.starts_with("ab"),
    "str_ends_with": lambda: col("s").str.ends_with("yz"),
    "str_upper": lambda: col("s").str.to_uppercase(),
    "str_lower": lambda: col("s").str.to_lowercase(),
    "str_len_chars": lambda: col("s").str.len_chars(),
    "str_replace": lambda: col("s").str.replace("a", "b"),
    "str_replace_all": lambda: col("s").str.replace_all("a", "b", literal=True),
    "dt_year": lambda: col("t").dt.year(),
    "dt_month": lambda: col("t").dt.month(),
    "dt_day": lambda: col("t").dt.day(),
    "dt_hour": lambda: col("t").dt.hour(),
    "dt_truncate": lambda: col("t").dt.truncate("1h"),
    "when_then": lambda: when(col("a") > 0).then(lit("pos")).otherwise(lit("neg")),
    "when_chain": lambda: when(col("a") > 0).then("b").when(col("a") < 0).then(-1).otherwise(None),
    "len": lambda: pr.len(),
    "rolling_mean": lambda: col("a").rolling_mean(3),
    "rolling_sum_min": lambda: col("a").rolling_sum(5, min_samples=2, center=True),
    "rolling_std_ddof0": lambda: col("a").rolling_std(4, ddof=0),
    "rolling_quantile": lambda: col("a").rolling_quantile(0.25, "linear", 4),
    "ewm_mean_span": lambda: col("a").ewm_mean(span=10),
    "ewm_std_alpha": lambda: col("a").ewm_std(alpha=0.5, adjust=False, min_samples=2),
    "forward_fill": lambda: col("a").forward_fill(),
    "backward_fill_limit": lambda: col("a").backward_fill(2),
    "interpolate": lambda: col("a").interpolate(),
    "pct_change": lambda: col("a").pct_change(2),
    "clip": lambda: col("a").clip(0, 10),
    "is_finite": lambda: col("a").is_finite(),
    "skew": lambda: col("a").skew(),
    "null_count": lambda: col("a").null_count(),
    "filter": lambda: col("a").filter(col("a") > 1),
    "dt_convert_time_zone": lambda: col("t").dt.convert_time_zone("America/New_York"),
    "dt_replace_time_zone": lambda: col("t").dt.replace_time_zone("Asia/Tokyo"),
    "dt_offset_by": lambda: col("t").dt.offset_by("-1d"),
    "dt_epoch": lambda: col("t").dt.epoch(),
    "int_range": lambda: pr.int_range(0, pr.len()),
    "int_ranges": lambda: pr.int_ranges(col("a"), 10, 2),
    "format": lambda: pr.format("v={}!", "a"),
    "concat_list": lambda: pr.concat_list("a", col("b")),
    "corr": lambda: pr.corr("a", "b"),
    "corr_spearman": lambda: pr.corr("a", "b", method="spearman"),
    "cov": lambda: pr.cov("a", "b"),
}


class _NoClient:
    endpoint = "nowhere:0"


NO_CLIENT = _NoClient()


def _frame(handle: str) -> LazyFrame:
    # An empty schema: no column is known, so no literal is typed by its partner column.
    return LazyFrame(NO_CLIENT, _plan.handle_plan(handle), pl.Schema())  # type: ignore[arg-type]


LEFT = _frame("default.abcdefghijklmnopqrstuvwxyz")
RIGHT = _frame("default.zyxwvutsrqponmlkjihgfedcba")

INFO = TimeSeriesInfo(
    index="t",
    by=("s",),
    kind="datetime",
    time_unit="us",
    time_zone="",
    rows=0,
    symbols=1,
    duplicates=0,
    start=None,
    end=None,
    frequency=Frequency(regular=False, step=None, min_step=None, max_step=None),
)
TS = TimeSeries(LEFT, INFO)
SINGLE = TimeSeries(LEFT, replace(INFO, by=()))
F = LEFT.finance

TS_PLANS: dict[str, Callable[[], LazyFrame]] = {
    "group_by_dynamic": lambda: LEFT.group_by_dynamic("t", every="1h", period="2h", group_by="k").agg(col("v").sum()),
    "group_by_dynamic_all": lambda: LEFT.group_by_dynamic(
        "t", every=timedelta(days=1), offset="2h", closed="both", label="right", include_boundaries=True, start_by="monday"
    ).agg(m=col("v").mean()),
    "rolling": lambda: LEFT.rolling("t", period="1h", group_by=["k"]).agg(col("v").mean()),
    "rolling_offset": lambda: LEFT.rolling(col("t"), period="10i", offset="-5i", closed="both").agg(col("v").max()),
    "join_asof": lambda: LEFT.join_asof(RIGHT, on="t", by="k", tolerance="5s"),
    "join_asof_number": lambda: LEFT.join_asof(
        RIGHT,
        left_on="a",
        right_on="b",
        by_left=["k", "j"],
        by_right=["k2", "j2"],
        strategy="nearest",
        suffix="_r",
        tolerance=2.5,
        allow_exact_matches=False,
        check_sortedness=False,
        coalesce=False,
    ),
    "cache": lambda: LEFT.cache(),
    "adf": lambda: LEFT.adf("px", by="sym"),
    "adf_fixed": lambda: LEFT.adf("px", regression="ct", autolag=None, max_lag=4),
    "kpss": lambda: LEFT.kpss("px", by=["sym"]),
    "kpss_lags": lambda: LEFT.kpss("px", regression="ct", nlags=3),
    "coint": lambda: LEFT.coint("y", ["x", "z"], autolag="BIC", max_lag=2),
    "johansen": lambda: LEFT.johansen(["a", "b", "c"], by="sym", det_order=-1, k_ar_diff=2),
    "half_life": lambda: LEFT.half_life("px", by="sym"),
    "hurst": lambda: LEFT.hurst("px"),
    "ohlcv": lambda: LEFT.ohlcv(index="t", price="p", volume="v", every="1m", by="s"),
    "ohlcv_fill_previous_close": lambda: LEFT.ohlcv(
        index="t", price="p", volume="v", every="1d", by=["s"], time_zone="America/New_York", fill="previous_close"
    ),
    "ohlcv_fill_linear": lambda: LEFT.ohlcv(
        index="t", price="p", every="15m", offset="5m", closed="right", label="right", fill="linear", count=False, max_bars=1000
    ),
    "ohlcv_fill_null_sorted": lambda: LEFT.ohlcv(
        index="t", price="p", volume="v", every="1h", period="2h", fill="null", vwap=False, sorted=True
    ),
    "returns": lambda: F.returns("c", by="s"),
    "returns_log": lambda: F.returns("c", kind="log", periods=5, alias="r"),
    "returns_cumulative": lambda: F.returns("c", kind="cumulative", by=["s", "x"]),
    "lag": lambda: F.lag("c", 2, by="s"),
    "lead": lambda: F.lead("c", 1, alias="next"),
    "diff": lambda: F.diff("c", 3, by="s"),
    "pct_change": lambda: F.pct_change("c", 1),
    "volatility_close": lambda: F.volatility(by="s"),
    "volatility_ewma": lambda: F.volatility(method="ewma", window=30, lambda_=0.9, annualization=98280),
    "volatility_parkinson": lambda: F.volatility(method="parkinson", high="h", low="l"),
    "volatility_garman_klass": lambda: F.volatility(method="garman_klass", window=10),
    "volatility_rogers_satchell": lambda: F.volatility(method="rogers_satchell", alias="rs"),
    "volatility_yang_zhang": lambda: F.volatility(method="yang_zhang", window=20, by="s"),
    "vwap": lambda: F.vwap(by="s"),
    "vwap_all": lambda: F.vwap(price="p", volume="q", alias="w"),
    "twap": lambda: F.twap(index="t", by="s"),
    "twap_mean": lambda: F.twap(price="p"),
    "rolling_vwap": lambda: F.rolling_vwap(20, by="s"),
    "correlation": lambda: F.correlation(["a", "b", "c"]),
    "correlation_spearman": lambda: F.correlation(["a", "b"], method="spearman", by="s"),
    "rolling_correlation": lambda: F.rolling_correlation("a", "b", 60, by="s"),
    "ts_rolling_duration": lambda: TS.rolling("5m", columns=["p"], stats=["mean", "std"]).lazy(),
    "ts_rolling_rows": lambda: TS.rolling(
        20, columns=["p", "q"], stats=["median", "quantile", "skew", "count", "var"], quantile=0.9, ddof=0, bias=True
    ).lazy(),
    "ts_rolling_pairs": lambda: TS.rolling(
        "1h", pairs=[("a", "b")], pair_stats=["corr", "cov"], min_periods=5, closed="both"
    ).lazy(),
    "ts_rolling_single": lambda: SINGLE.rolling(3, columns=["p"], stats=["sum", "min", "max"]).lazy(),
    "ts_expanding": lambda: TS.expanding(
        ["p"], stats=["mean", "sum", "min", "max", "std", "var", "median", "quantile", "count"], min_periods=2, ddof=0, quantile=0.25
    ).lazy(),
    "ts_ewm": lambda: TS.ewm(["p"], stats=["mean", "std", "var"], span=10).lazy(),
    "ts_ewm_half_life": lambda: SINGLE.ewm(["p"], half_life=5, adjust=False, min_periods=3, bias=True).lazy(),
    "ts_lag_rows": lambda: TS.lag(["p", "q"], 2).lazy(),
    "ts_lag_time": lambda: TS.lag("p", "1m").lazy(),
    "ts_lead_time": lambda: SINGLE.lead(["p"], "30s").lazy(),
    "ts_diff": lambda: TS.diff("p", 2).lazy(),
    "ts_pct_change": lambda: TS.pct_change("p").lazy(),
    "ts_returns": lambda: TS.returns("p", kind="log").lazy(),
    "ts_volatility": lambda: TS.volatility(method="parkinson"),
    "ts_ohlcv": lambda: TS.ohlcv(price="p", volume="v", every="5m"),
    "ts_asof": lambda: TS.asof_join(RIGHT).lazy(),
    "ts_asof_aj0": lambda: TS.asof_join(
        RIGHT, right_index="quote_time", tolerance="5s", allow_exact_matches=False, strategy="forward", suffix="_q"
    ).lazy(),
    "ts_asof_time": lambda: TS.asof_join(RIGHT, interpolate="time", columns=["bid", "ask"]).lazy(),
    "ts_asof_linear": lambda: SINGLE.asof_join(RIGHT, interpolate="linear", columns=["bid"], suffix="_i").lazy(),
    "ts_fill_forward": lambda: TS.fill_forward(columns=["p"], limit=3, max_age="5m").lazy(),
    "ts_fill_forward_plain": lambda: SINGLE.fill_forward(columns=["p", "q"]).lazy(),
    "ts_upsample_null": lambda: TS.upsample("1m").lazy(),
    "ts_upsample_forward": lambda: TS.upsample("1m", fill="forward", columns=["p"], max_rows=5000).lazy(),
    "ts_upsample_time": lambda: SINGLE.upsample("30s", fill="time", columns=["p"]).lazy(),
    "ts_upsample_linear": lambda: TS.upsample("1h", fill="linear", columns=["p", "q"]).lazy(),
    "ts_convert_time_zone": lambda: TS.convert_time_zone("Europe/Paris").lazy(),
    "ts_replace_time_zone": lambda: TS.replace_time_zone(None).lazy(),
    "ts_adf": lambda: TS.adf("p"),
    "ts_hurst": lambda: SINGLE.hurst("p", max_lag=50),
}

PLANS: dict[str, Callable[[], LazyFrame]] = {
    "filter": lambda: LEFT.filter(col("a") > 1),
    "select": lambda: LEFT.select("a", c=col("b")),
    "with_columns": lambda: LEFT.with_columns((col("a") * 2).alias("a2")),
    "sort": lambda: LEFT.sort("a", "b", descending=[True, False]),
    "sort_nulls_last": lambda: LEFT.sort("a", nulls_last=True, maintain_order=True),
    "group_by": lambda: LEFT.group_by("k").agg(total=col("v").sum()),
    "join_left": lambda: LEFT.join(RIGHT, on="k", how="left"),
    "join_keys": lambda: LEFT.join(RIGHT, left_on="a", right_on="b", suffix="_r"),
    "head": lambda: LEFT.head(),
    "tail": lambda: LEFT.tail(3),
    "slice": lambda: LEFT.slice(-10, 4),
    "unique": lambda: LEFT.unique(subset="a", keep="first", maintain_order=True),
    "drop": lambda: LEFT.drop("a", "b"),
    "rename": lambda: LEFT.rename({"a": "x", "b": "y"}),
    **TS_PLANS,
}


def as_ts_sends(message: Message) -> Message:
    """``message`` with Python's dynamic int literals (int32 without a dtype, typed later by
    their partner column) as the TS SDK's bigint literals (int64): the one intended
    difference of encoding."""
    copy = type(message)()
    copy.CopyFrom(message)
    stack: list[Message] = [copy]
    while stack:
        node = stack.pop()
        if isinstance(node, expr_pb2.Literal) and node.WhichOneof("value") == "int32" and not node.HasField("dtype"):
            node.int64 = node.int32
        for field, value in node.ListFields():
            if field.message_type is None:
                continue
            if isinstance(value, Message):
                stack.append(value)
            elif field.message_type.GetOptions().map_entry:
                stack.extend(v for v in value.values() if isinstance(v, Message))
            else:
                stack.extend(value)
    return copy


def test_every_fixture_has_a_case() -> None:
    assert set(FIXTURES["exprs"]) == set(EXPRS)
    assert set(FIXTURES["plans"]) == set(PLANS)


@pytest.mark.parametrize("name", sorted(EXPRS))
def test_expr_encodes_as_the_ts_sdk(name: str) -> None:
    expected = expr_pb2.Expr.FromString(base64.b64decode(FIXTURES["exprs"][name]))
    assert as_ts_sends(EXPRS[name]().to_proto()) == expected


@pytest.mark.parametrize("name", sorted(PLANS))
def test_plan_encodes_as_the_ts_sdk(name: str) -> None:
    expected = plan_pb2.Plan.FromString(base64.b64decode(FIXTURES["plans"][name]))
    assert as_ts_sends(PLANS[name]().plan) == expected
