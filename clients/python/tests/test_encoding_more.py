"""What the Python client sends for the list, struct and name namespaces, the row and value
methods of Expr and the reshaping LazyFrame methods: Python Polars' defaults explicit,
Python Polars' definitions where the server's function differs, output names told on the
client, and NotImplementedError for what the server cannot honour."""

from __future__ import annotations

import polars as pl
import pytest

import polaroid as pr
from polaroid import _plan
from polaroid._gen.polaroid.v1 import expr_pb2
from polaroid.lazyframe import LazyFrame

col = pr.col


class _NoClient:
    endpoint = "nowhere:0"


SCHEMA = pl.Schema({"a": pl.Int64, "l": pl.List(pl.Int64), "s": pl.String, "f": pl.Float64})
LF = LazyFrame(_NoClient(), _plan.handle_plan("default.abcdefghijklmnopqrstuvwxyz"), SCHEMA)  # type: ignore[arg-type]


def fn(e: pr.Expr) -> expr_pb2.FunctionCall:
    return e.to_proto().function


def names(lf: LazyFrame) -> list[str]:
    return [e.alias.name for e in lf.plan.select.exprs]


def test_list_methods_send_python_defaults() -> None:
    get = fn(col("l").list.get(0))
    assert get.name == "lst.get" and get.args[2].bool is False
    join = fn(col("l").list.join("-"))
    assert join.name == "lst.join" and join.args[2].bool is True
    assert fn(col("l").list.contains(1)).args[2].bool is True


def test_list_reductions_the_server_lacks_run_through_eval() -> None:
    median = fn(col("l").list.median())
    assert median.name == "lst.first"
    inner = median.args[0].expr.function
    assert inner.name == "lst.eval" and inner.args[1].expr.aggregate.kind == expr_pb2.AGG_KIND_MEDIAN
    assert fn(col("l").list.sort(nulls_last=True)).name == "lst.eval"


def test_list_head_refuses_an_expression() -> None:
    with pytest.raises(NotImplementedError, match="'n'"):
        col("l").list.head(col("a"))


def test_element_is_the_server_function() -> None:
    assert fn(pr.element()).name == "pl.element"


def test_struct_field_gives_one_column_per_name() -> None:
    protos = col("st").struct.field("a", "b").to_protos()
    assert [p.function.args[1].string for p in protos] == ["a", "b"]
    with pytest.raises(NotImplementedError, match="wildcard"):
        col("st").struct.field("*")


def test_name_namespace_aliases_the_output_name() -> None:
    assert (col("a") * 2).alias("x").name.suffix("_s").to_proto().alias.name == "x_s"
    assert (col("a") * 2).alias("x").name.keep().to_proto().alias.name == "a"
    assert [p.alias.name for p in col("a", "s").name.map(str.upper).to_protos()] == ["A", "S"]
    assert col("a").name.replace("^(.)$", "c_$1").to_proto().alias.name == "c_a"
    with pytest.raises(NotImplementedError, match="depends on the frame"):
        col("*").name.prefix("p_")


def test_rows_and_ranks_send_every_option() -> None:
    rank = fn(col("a").rank())
    assert {k: v.WhichOneof("value") for k, v in rank.options.items()} == {"method": "string", "descending": "bool"}
    assert fn(col("a").cum_max()).options["reverse"].bool is False
    assert fn(col("a").arg_sort()).options["nullsLast"].bool is False
    assert list(fn(col("a").sort_by("s", "f", descending=[True, False])).options["descending"].list.items) == [
        expr_pb2.Arg(bool=True),
        expr_pb2.Arg(bool=False),
    ]
    assert fn(col("a").value_counts()).options["name"].string == "count"
    assert fn(col("a").value_counts(normalize=True)).options["name"].string == "proportion"


def test_refusals_name_their_option() -> None:
    for build, option in [
        (lambda: col("a").gather([0], null_on_oob=True), "null_on_oob"),
        (lambda: col("a").sort_by("s", nulls_last=True), "nulls_last"),
        (lambda: col("a").mode(maintain_order=True), "maintain_order"),
        (lambda: col("a").rank("random"), "random"),
        (lambda: col("l").explode(keep_nulls=False), "keep_nulls"),
        (lambda: col("a").shift(1, fill_value=col("a")), "fill_value"),
    ]:
        with pytest.raises(NotImplementedError, match=option):
            build()


def test_explode_drops_empty_lists_as_python_polars() -> None:
    dropped = fn(col("l").explode())
    assert dropped.name == "explode" and dropped.args[0].expr.function.name == "filter"
    assert fn(col("l").explode(empty_as_null=True)).args[0].expr.column.name == "l"
    lf = LF.explode("l")
    assert lf.plan.explode.input.WhichOneof("node") == "filter"
    assert LF.explode("l", empty_as_null=True).plan.explode.input.WhichOneof("node") == "scan"


def test_shift_fill_value_fills_only_the_vacated_rows() -> None:
    when = col("s").shift(-2, fill_value="z").to_proto().when
    assert when.branches[0].then.function.name == "shift"
    assert when.otherwise.literal.string == "z"


def test_frame_methods_build_their_nodes() -> None:
    row = LF.with_row_index("row", offset=10).plan.with_row_index
    assert (row.name, row.offset) == ("row", 10)
    unpivot = LF.unpivot(["a"], index="s", variable_name="v").plan.unpivot
    assert (list(unpivot.on), list(unpivot.index), unpivot.variable_name, unpivot.HasField("value_name")) == (
        ["a"],
        ["s"],
        "v",
        False,
    )
    assert list(LF.unnest("st", separator=".").plan.unnest.columns) == ["st"]
    cast = LF.cast({"a": pl.Float64}).plan.cast
    assert cast.strict is True and list(cast.dtypes) == ["a"]
    with pytest.raises(NotImplementedError, match="keep_nulls"):
        LF.explode("l", keep_nulls=False)


def test_frame_fill_null_chooses_columns_as_python_polars() -> None:
    exprs = LF.fill_null(0).plan.with_columns.exprs
    filled = [e.cast.input.function.args[0].expr.column.name for e in exprs]
    assert filled == ["a", "f"]


def test_top_k_sorts_descending_with_nulls_last() -> None:
    sort = LF.top_k(3, by=["a", "f"], reverse=[False, True]).plan.slice.input.sort
    assert list(sort.descending) == [True, False] and sort.nulls_last is True
    assert list(LF.bottom_k(3, by="a").plan.slice.input.sort.descending) == [False]
