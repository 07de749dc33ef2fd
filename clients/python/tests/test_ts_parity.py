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
from pathlib import Path

import polars as pl
import pytest
from google.protobuf.message import Message

import polaroid as pr
from polaroid import _plan
from polaroid._gen.polaroid.v1 import expr_pb2, plan_pb2
from polaroid.lazyframe import LazyFrame

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
}


class _NoClient:
    endpoint = "nowhere:0"


NO_CLIENT = _NoClient()


def _frame(handle: str) -> LazyFrame:
    # An empty schema: no column is known, so no literal is typed by its partner column.
    return LazyFrame(NO_CLIENT, _plan.handle_plan(handle), pl.Schema())  # type: ignore[arg-type]


LEFT = _frame("default.abcdefghijklmnopqrstuvwxyz")
RIGHT = _frame("default.zyxwvutsrqponmlkjihgfedcba")

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
