"""Compatibility cases of ``Expr`` members: operators, math, aggregations, predicates and
value transforms (order-dependent and window members are in cases_expr_series.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import ModuleType
from typing import Any

from tests.compat.case import Case, Query, unordered


def select(build: Callable[[ModuleType], Any]) -> Query:
    """A case selecting ``build(pl_or_pr)`` (an expression or a list) from ``mixed``."""
    return lambda m, f: f.mixed.select(build(m))


def grouped(build: Callable[[ModuleType], Any]) -> Case:
    """A case aggregating ``build(pl_or_pr)`` per group ``g`` of ``mixed``."""
    return unordered(lambda m, f: f.mixed.group_by("g").agg(build(m)), "g")


OPERATORS: dict[str, Query | Case] = {
    "Expr.add": select(lambda m: [m.col("i").add(m.col("u")).alias("iu"), m.col("s").add("!")]),
    "Expr.and_": select(lambda m: m.col("b").and_(m.col("i") > 0, m.col("x") < 0.9)),
    "Expr.eq": select(lambda m: [m.col("g").eq("a"), m.col("i").eq(m.col("u")).alias("iu")]),
    "Expr.eq_missing": select(lambda m: m.col("i").eq_missing(m.lit(None, m.Int64))),
    "Expr.floordiv": select(lambda m: [m.col("i").floordiv(3), m.col("f").floordiv(2.0)]),
    "Expr.ge": select(lambda m: m.col("i").ge(3)),
    "Expr.gt": select(lambda m: m.col("f").gt(m.col("x"))),
    "Expr.le": select(lambda m: m.col("i").le(3)),
    "Expr.lt": select(lambda m: m.col("d").lt(m.col("d").max())),
    "Expr.mod": select(lambda m: [m.col("i").mod(4), m.col("f").mod(2.0)]),
    "Expr.mul": select(lambda m: [m.col("i").mul(m.col("x")), m.col("u").mul(3)]),
    "Expr.mul:dynamic_literal": select(
        lambda m: [m.col("i").cast(m.Int8).mul(3).alias("i8"), m.col("x").cast(m.Float32).mul(2).alias("f32")]
    ),
    "Expr.ne": select(lambda m: m.col("g").ne("b")),
    "Expr.ne_missing": select(lambda m: m.col("i").ne_missing(7)),
    "Expr.neg": select(lambda m: [m.col("i").neg(), m.col("f").neg()]),
    "Expr.not_": select(lambda m: m.col("b").not_()),
    "Expr.or_": select(lambda m: m.col("b").or_(m.col("i") > 5)),
    "Expr.pow": select(lambda m: [m.col("f").pow(2), m.col("x").pow(0.5).alias("root")]),
    "Expr.pow:expr": select(lambda m: m.col("x").pow(m.col("x"))),
    "Expr.sub": select(lambda m: [m.col("i").sub(m.col("u")), m.col("t").sub(m.col("t").min()).alias("dt")]),
    "Expr.truediv": select(lambda m: [m.col("i").truediv(4), m.col("u").truediv(m.col("i")).alias("ui")]),
    "Expr.truncdiv": select(lambda m: m.col("i").truncdiv(4)),
    "Expr.xor": select(lambda m: m.col("b").xor(m.col("i") > 2)),
}

MATH: dict[str, Query | Case] = {
    "Expr.abs": select(lambda m: [m.col("i").abs(), m.col("f").abs()]),
    "Expr.arccos": select(lambda m: m.col("x").arccos()),
    "Expr.arccosh": select(lambda m: (m.col("x") + 1.0).arccosh()),
    "Expr.arcsin": select(lambda m: m.col("x").arcsin()),
    "Expr.arcsinh": select(lambda m: m.col("f").arcsinh()),
    "Expr.arctan": select(lambda m: m.col("f").arctan()),
    "Expr.arctanh": select(lambda m: m.col("x").arctanh()),
    "Expr.cbrt": select(lambda m: [m.col("f").cbrt(), m.col("i").cbrt()]),
    "Expr.ceil": select(lambda m: m.col("f").ceil()),
    "Expr.cos": select(lambda m: m.col("f").cos()),
    "Expr.cosh": select(lambda m: m.col("x").cosh()),
    "Expr.cot": select(lambda m: m.col("x").cot()),
    "Expr.degrees": select(lambda m: m.col("x").degrees()),
    "Expr.erf": select(lambda m: m.col("f").erf()),
    "Expr.erfc": select(lambda m: m.col("x").erfc()),
    "Expr.exp": select(lambda m: [m.col("x").exp(), m.col("i").exp()]),
    "Expr.floor": select(lambda m: m.col("f").floor()),
    "Expr.log": select(lambda m: m.col("x").log()),
    "Expr.log:base": select(lambda m: m.col("u").log(2)),
    "Expr.log10": select(lambda m: m.col("u").log10()),
    "Expr.log1p": select(lambda m: m.col("x").log1p()),
    "Expr.radians": select(lambda m: m.col("f").radians()),
    "Expr.round": select(lambda m: [m.col("f").round(1), m.col("x").round().alias("r")]),
    "Expr.round:mode": select(lambda m: m.col("f").round(0, "half_away_from_zero")),
    "Expr.round_sig_figs": select(lambda m: m.col("f").round_sig_figs(2)),
    "Expr.sign": select(lambda m: [m.col("i").sign(), m.col("f").sign()]),
    "Expr.sin": select(lambda m: m.col("f").sin()),
    "Expr.sinh": select(lambda m: m.col("x").sinh()),
    "Expr.sqrt": select(lambda m: [m.col("x").sqrt(), m.col("u").sqrt()]),
    "Expr.tan": select(lambda m: m.col("x").tan()),
    "Expr.tanh": select(lambda m: m.col("f").tanh()),
    "Expr.truncate": select(lambda m: m.col("f").truncate(1)),
    "Expr.bitwise_count_ones": select(lambda m: m.col("i").bitwise_count_ones()),
    "Expr.bitwise_count_zeros": select(lambda m: m.col("u").bitwise_count_zeros()),
    "Expr.bitwise_leading_ones": select(lambda m: m.col("i").bitwise_leading_ones()),
    "Expr.bitwise_leading_zeros": select(lambda m: m.col("u").bitwise_leading_zeros()),
    "Expr.bitwise_trailing_ones": select(lambda m: m.col("i").bitwise_trailing_ones()),
    "Expr.bitwise_trailing_zeros": select(lambda m: m.col("u").bitwise_trailing_zeros()),
    "Expr.bitwise_and": grouped(lambda m: m.col("i").bitwise_and()),
    "Expr.bitwise_or": grouped(lambda m: m.col("i").bitwise_or()),
    "Expr.bitwise_xor": grouped(lambda m: m.col("u").bitwise_xor()),
}

AGGREGATIONS: dict[str, Query | Case] = {
    "Expr.all": grouped(lambda m: m.col("b").all()),
    "Expr.all:ignore_nulls": grouped(lambda m: m.col("b").all(ignore_nulls=False)),
    "Expr.any": grouped(lambda m: m.col("b").any()),
    "Expr.any:ignore_nulls": grouped(lambda m: m.col("b").any(ignore_nulls=False)),
    "Expr.approx_n_unique": select(lambda m: m.col("g").approx_n_unique()),
    "Expr.approx_quantile": select(lambda m: m.col("u").approx_quantile(0.5)),
    "Expr.arg_max": select(lambda m: [m.col("i").arg_max(), m.col("x").arg_max()]),
    "Expr.arg_min": select(lambda m: [m.col("i").arg_min(), m.col("x").arg_min()]),
    "Expr.count": grouped(lambda m: [m.col("i").count(), m.col("f").count()]),
    "Expr.entropy": select(lambda m: m.col("x").entropy()),
    "Expr.entropy:base": select(lambda m: m.col("u").entropy(base=2, normalize=False)),
    "Expr.first": grouped(lambda m: [m.col("i").first(), m.col("s").first()]),
    "Expr.first:ignore_nulls": grouped(lambda m: m.col("i").first(ignore_nulls=True)),
    "Expr.has_nulls": grouped(lambda m: m.col("i").has_nulls()),
    "Expr.implode": grouped(lambda m: m.col("u").implode()),
    "Expr.is_empty": grouped(lambda m: m.col("i").filter(m.col("i") > 5).is_empty()),
    "Expr.item": select(lambda m: m.col("u").max().item()),
    "Expr.kurtosis": select(lambda m: m.col("x").kurtosis()),
    "Expr.kurtosis:fisher_bias": select(lambda m: m.col("u").kurtosis(fisher=False, bias=False)),
    "Expr.last": grouped(lambda m: [m.col("i").last(), m.col("s").last()]),
    "Expr.last:ignore_nulls": grouped(lambda m: m.col("s").last(ignore_nulls=True)),
    "Expr.len": grouped(lambda m: [m.col("i").len(), m.col("f").len().alias("fl")]),
    "Expr.lower_bound": select(lambda m: [m.col("i").lower_bound(), m.col("x").lower_bound()]),
    "Expr.max": grouped(lambda m: [m.col("i").max(), m.col("f").max(), m.col("s").max()]),
    "Expr.max_by": grouped(lambda m: m.col("s").max_by("x")),
    "Expr.mean": grouped(lambda m: [m.col("i").mean(), m.col("x").mean(), m.col("b").mean()]),
    "Expr.median": grouped(lambda m: [m.col("i").median(), m.col("x").median()]),
    "Expr.min": grouped(lambda m: [m.col("i").min(), m.col("f").min(), m.col("d").min()]),
    "Expr.min_by": grouped(lambda m: m.col("s").min_by("x")),
    "Expr.mode": select(lambda m: m.col("i").mode().sort()),
    "Expr.n_unique": grouped(lambda m: [m.col("i").n_unique(), m.col("b").n_unique()]),
    "Expr.nan_max": select(lambda m: m.col("f").nan_max()),
    "Expr.nan_min": select(lambda m: m.col("f").nan_min()),
    "Expr.null_count": grouped(lambda m: [m.col("i").null_count(), m.col("s").null_count()]),
    "Expr.product": grouped(lambda m: [m.col("i").product(), m.col("x").product()]),
    "Expr.quantile": grouped(lambda m: [m.col("x").quantile(0.25), m.col("i").quantile(0.5)]),
    "Expr.quantile:interpolation": grouped(lambda m: m.col("x").quantile(0.3, "linear")),
    "Expr.quantile:methods": select(
        lambda m: [m.col("x").quantile(0.3, method).alias(method) for method in ("lower", "higher", "midpoint")]
    ),
    "Expr.skew": select(lambda m: m.col("x").skew()),
    "Expr.skew:bias": select(lambda m: m.col("u").skew(bias=False)),
    "Expr.std": grouped(lambda m: [m.col("x").std(), m.col("i").std()]),
    "Expr.std:ddof": grouped(lambda m: m.col("x").std(ddof=0)),
    "Expr.sum": grouped(lambda m: [m.col("i").sum(), m.col("x").sum(), m.col("u").sum()]),
    "Expr.sum:bool": grouped(lambda m: m.col("b").sum()),
    "Expr.upper_bound": select(lambda m: [m.col("u").upper_bound(), m.col("f").upper_bound()]),
    "Expr.var": grouped(lambda m: [m.col("x").var(), m.col("i").var()]),
    "Expr.var:ddof": grouped(lambda m: m.col("x").var(ddof=0)),
}

PREDICATES: dict[str, Query | Case] = {
    "Expr.is_between": select(lambda m: [m.col("i").is_between(0, 7), m.col("x").is_between(0.25, 0.75)]),
    "Expr.is_between:closed": select(lambda m: m.col("x").is_between(0.25, 0.75, "left")),
    "Expr.is_between:temporal": select(
        lambda m: [
            m.col("d").is_between(dt.date(2024, 4, 1), dt.date(2024, 8, 1)),
            m.col("t").is_between(dt.datetime(2024, 3, 8, 9, 31), dt.datetime(2024, 3, 8, 12), "none"),
        ]
    ),
    "Expr.is_close": select(lambda m: m.col("f").is_close(m.col("x") * 4, abs_tol=1.0)),
    "Expr.is_duplicated": select(lambda m: [m.col("g").is_duplicated(), m.col("i").is_duplicated()]),
    "Expr.is_finite": select(lambda m: m.col("f").is_finite()),
    "Expr.is_first_distinct": select(lambda m: m.col("g").is_first_distinct()),
    "Expr.is_in": select(lambda m: [m.col("i").is_in([0, 7, 9]), m.col("g").is_in(["a", "c"])]),
    "Expr.is_in:nulls_equal": select(lambda m: m.col("i").is_in([0, None], nulls_equal=True)),
    "Expr.is_infinite": select(lambda m: (m.col("f") / m.col("i")).is_infinite()),
    "Expr.is_last_distinct": select(lambda m: m.col("g").is_last_distinct()),
    "Expr.is_nan": select(lambda m: m.col("f").is_nan()),
    "Expr.is_not_nan": select(lambda m: m.col("f").is_not_nan()),
    "Expr.is_not_null": select(lambda m: [m.col("i").is_not_null(), m.col("s").is_not_null()]),
    "Expr.is_null": select(lambda m: [m.col("f").is_null(), m.col("l").is_null()]),
    "Expr.is_sorted": select(lambda m: [m.col("t").is_sorted(), m.col("i").is_sorted()]),
    "Expr.is_unique": select(lambda m: m.col("i").is_unique()),
}

VALUES: dict[str, Query | Case] = {
    "Expr.alias": select(lambda m: m.col("i").alias("renamed")),
    "Expr.cast": select(
        lambda m: [m.col("i").cast(m.Float32), m.col("u").cast(m.String), m.col("x").cast(m.Int8).alias("x8")]
    ),
    "Expr.cast:strict": select(
        lambda m: [m.col("s").cast(m.Int64, strict=False), m.col("i").cast(m.UInt8, strict=False)]
    ),
    "Expr.cast:temporal": select(
        lambda m: [m.col("t").cast(m.Date), m.col("d").cast(m.Datetime("ms")), m.col("t").cast(m.String).alias("text")]
    ),
    "Expr.clip": select(lambda m: [m.col("i").clip(0, 5), m.col("f").clip(lower_bound=-1.0)]),
    "Expr.clip:temporal": select(lambda m: m.col("d").clip(dt.date(2024, 4, 1), dt.date(2024, 8, 1))),
    "Expr.exclude": select(lambda m: m.all().exclude("s", "l", "st", "tz")),
    "Expr.fill_nan": select(lambda m: [m.col("f").fill_nan(0.0), m.col("f").fill_nan(None).alias("null")]),
    "Expr.fill_null": select(lambda m: [m.col("i").fill_null(0), m.col("s").fill_null("?")]),
    "Expr.fill_null:expr": select(lambda m: m.col("i").fill_null(m.col("u"))),
    "Expr.fill_null:strategy": select(
        lambda m: [m.col("f").fill_null(strategy="forward"), m.col("i").fill_null(strategy="mean")]
    ),
    "Expr.hash": select(lambda m: m.col("u").hash(42)),
    "Expr.interpolate": select(lambda m: [m.col("i").interpolate(), m.col("f").interpolate()]),
    "Expr.interpolate:method": select(lambda m: m.col("i").interpolate("nearest")),
    "Expr.interpolate_by": select(lambda m: m.col("i").interpolate_by("u")),
    "Expr.pipe": select(lambda m: m.col("i").pipe(lambda e, n: e * n, 3)),
    "Expr.pipe_with_dtype": select(
        lambda m: m.col("i").pipe_with_dtype(lambda e, dtype: e.cast(m.Float64) if dtype == m.Int64 else e)
    ),
    "Expr.reinterpret": select(lambda m: m.col("i").reinterpret(signed=False)),
    "Expr.replace": select(lambda m: [m.col("g").replace({"a": "A", "b": "B"}), m.col("i").replace([7, 9], [70, 90])]),
    "Expr.replace_strict": select(
        lambda m: m.col("g").replace_strict({"a": 1, "b": 2}, default=0, return_dtype=m.Int16)
    ),
    "Expr.set_sorted": select(lambda m: m.col("u").set_sorted().max()),
    "Expr.to_physical": select(lambda m: [m.col("d").to_physical(), m.col("t").to_physical()]),
}
