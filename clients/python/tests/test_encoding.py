"""What the Python client sends where Python Polars' semantics are its own: explicit
options where Python Polars' default differs from the server's (nodejs-polars'), literal
types, Python Polars' parsing of inputs, and NotImplementedError for what the server cannot
honour (never a silent difference)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import polars as pl
import pytest

import polaroid as pr
from polaroid import _plan
from polaroid._gen.polaroid.v1 import expr_pb2, plan_pb2, types_pb2
from polaroid._scan import csv_scan
from polaroid.lazyframe import LazyFrame

col, lit = pr.col, pr.lit


class _NoClient:
    endpoint = "nowhere:0"


NO_CLIENT = _NoClient()
SCHEMA = pl.Schema(
    {
        "a": pl.Int64,
        "b": pl.Int64,
        "i8": pl.Int8,
        "u8": pl.UInt8,
        "u32": pl.UInt32,
        "f32": pl.Float32,
        "f64": pl.Float64,
        "s": pl.String,
    }
)
HANDLE = _plan.handle_plan("default.abcdefghijklmnopqrstuvwxyz")
LF = LazyFrame(NO_CLIENT, HANDLE, SCHEMA)  # type: ignore[arg-type]


def literal(e: pr.Expr) -> expr_pb2.Literal:
    return e.to_proto().literal


# ---- Python Polars' defaults, sent explicitly ------------------------------------------------


def test_group_by_sends_maintain_order_false_unless_asked() -> None:
    assert LF.group_by("k").agg(col("v").sum()).plan.group_by.maintain_order is False
    assert LF.group_by("k", maintain_order=True).agg(col("v").sum()).plan.group_by.maintain_order is True


def test_join_sends_python_suffix_and_leaves_coalesce_to_the_join_type() -> None:
    join = LF.join(LF, on="k").plan.join
    assert join.HasField("suffix") and join.suffix == "_right"
    assert join.how == plan_pb2.JOIN_TYPE_INNER
    assert not join.HasField("coalesce")
    assert LF.join(LF, on="k", how="full", coalesce=True).plan.join.coalesce is True


def test_join_sends_maintain_order_and_refuses_an_unknown_one() -> None:
    assert LF.join(LF, on="k").plan.join.maintain_order == plan_pb2.JOIN_MAINTAIN_ORDER_UNSPECIFIED
    assert LF.join(LF, on="k", maintain_order="none").plan.join.maintain_order == 0
    assert LF.join(LF, on="k", maintain_order="left").plan.join.maintain_order == plan_pb2.JOIN_MAINTAIN_ORDER_LEFT
    crossed = LF.join(LF, how="cross", maintain_order="right_left").plan.join
    assert crossed.maintain_order == plan_pb2.JOIN_MAINTAIN_ORDER_RIGHT_LEFT
    for bad in ("sideways", 1, ["left"]):
        with pytest.raises(ValueError, match="maintain_order"):
            LF.join(LF, on="k", maintain_order=bad)  # type: ignore[arg-type]


def test_std_var_send_ddof() -> None:
    assert col("a").std().to_proto().aggregate.HasField("ddof")
    assert col("a").var(ddof=0).to_proto().aggregate.ddof == 0


def test_cast_is_strict_by_default() -> None:
    assert col("a").cast(pl.Int32).to_proto().cast.strict is True
    assert col("a").cast(pl.Int32, strict=False).to_proto().cast.strict is False


def test_expr_sort_sends_every_option() -> None:
    options = col("a").sort().to_proto().function.options
    assert {k: v.bool for k, v in options.items()} == {"descending": False, "nullsLast": False, "maintainOrder": False}


def test_round_sends_decimals_and_mode() -> None:
    options = col("a").round().to_proto().function.options
    assert options["decimals"].int == 0 and options["mode"].string == "halftoeven"
    assert col("a").round(1, "half_away_from_zero").to_proto().function.options["mode"].string == "halfawayfromzero"


def test_csv_scan_sends_python_defaults() -> None:
    file = csv_scan(
        "x.csv",
        has_header=True, separator=",", comment_prefix=None, quote_char='"', skip_rows=0, skip_lines=0,
        null_values=None, empty_string_is_null=True, ignore_errors=False, infer_schema_length=100, n_rows=None,
        encoding="utf8", low_memory=False, skip_rows_after_header=0, row_index_name=None, row_index_offset=0,
        try_parse_dates=False, eol_char="\n", truncate_ragged_lines=None, raise_if_empty=None, decimal_comma=False,
        unsupported={},
    )  # fmt: skip
    assert file.has_header and file.separator == ","
    options = file.options
    assert options.infer_schema_length == 100 and options.raise_if_empty is True
    assert options.quote_char == '"' and options.missing_utf8_is_empty_string is False


# ---- literals ----------------------------------------------------------------------------


def test_literal_types() -> None:
    assert literal(lit(5)).WhichOneof("value") == "int32"
    assert literal(lit(2**31)).int64 == 2**31
    assert literal(lit(2**63)).uint64 == 2**63
    assert literal(lit(1.0)).float64 == 1.0
    assert literal(lit(True)).bool is True
    assert literal(lit(None)).WhichOneof("value") == "null"
    assert literal(lit(dt.date(1970, 1, 11))).date == 10
    with pytest.raises(OverflowError):
        lit(2**64)
    with pytest.raises(NotImplementedError):
        lit(b"bytes")


def test_datetime_literals_keep_their_zone_and_unit() -> None:
    naive = literal(lit(dt.datetime(1970, 1, 1, 0, 0, 1)))
    assert naive.datetime == 1_000_000 and naive.dtype.time_unit == types_pb2.TIME_UNIT_MICROSECONDS
    assert naive.dtype.time_zone == ""
    aware = literal(lit(dt.datetime(1970, 1, 1, 1, tzinfo=ZoneInfo("Europe/Paris"))))
    assert aware.datetime == 0 and aware.dtype.time_zone == "Europe/Paris"
    ms = literal(lit(dt.datetime(1970, 1, 1, 0, 0, 2), dtype=pl.Datetime("ms")))
    assert ms.datetime == 2000 and ms.dtype.time_unit == types_pb2.TIME_UNIT_MILLISECONDS
    duration = literal(lit(dt.timedelta(seconds=1)))
    assert duration.int64 == 1_000_000 and duration.dtype.kind == types_pb2.DataType.KIND_DURATION


def test_literal_with_dtype_is_cast_by_the_server() -> None:
    proto = literal(lit(5, dtype=pl.Int8))
    assert proto.int64 == 5 and proto.dtype.kind == types_pb2.DataType.KIND_INT8


# ---- Python Polars' input parsing -------------------------------------------------------------


def test_strings_are_columns_in_select_and_literals_in_operators() -> None:
    exprs = LF.select("a", 1, b="c").plan.select.exprs
    assert exprs[0].column.name == "a"
    assert exprs[1].literal.int32 == 1
    assert exprs[2].alias.name == "b" and exprs[2].alias.input.column.name == "c"
    assert (col("s") == "a").to_proto().binary.right.literal.string == "a"
    assert col("s").fill_null("x").to_proto().function.args[1].expr.literal.string == "x"


def test_when_then_parses_strings_as_columns() -> None:
    node = pr.when(col("a") > 0).then("b").otherwise(None).to_proto().when
    assert node.branches[0].then.column.name == "b"
    assert node.otherwise.literal.WhichOneof("value") == "null"
    assert not pr.when(a=1).then(lit(1)).to_proto().when.HasField("otherwise")


def test_filter_combines_predicates_and_constraints() -> None:
    predicate = LF.filter(col("a") > 1, b="x").plan.filter.predicate
    assert predicate.binary.op == expr_pb2.BINARY_OP_AND
    assert predicate.binary.right.binary.right.literal.string == "x"


def test_is_in_lists_carry_their_type() -> None:
    def options(e: pr.Expr) -> dict[str, expr_pb2.Arg]:
        return dict(e.to_proto().function.options)

    assert options(col("s").is_in(["a", "b"]))["dtype"].dtype.kind == types_pb2.DataType.KIND_STRING
    assert options(col("a").is_in([1.5, 2]))["dtype"].dtype.kind == types_pb2.DataType.KIND_FLOAT64
    series = pl.Series([1, 2], dtype=pl.Int16)
    assert options(col("a").is_in(series))["dtype"].dtype.kind == types_pb2.DataType.KIND_INT16
    assert col("a").is_in("b").to_proto().function.args[1].expr.column.name == "b"
    assert options(col("a").is_in([1], nulls_equal=True))["nullsEquals"].bool is True


def test_multi_column_expressions() -> None:
    protos = (col("a", "b") + 1).to_protos()
    assert [p.binary.left.column.name for p in protos] == ["a", "b"]
    assert [e.aggregate.kind for e in LF.select(col(["a", "b"]).sum()).plan.select.exprs] == [expr_pb2.AGG_KIND_SUM] * 2
    with pytest.raises(ValueError):
        col("a", "b").alias("c")
    assert col(pl.Float64).to_proto().function.name == "pl.dtypeCols"


def test_expr_truth_value_is_refused() -> None:
    with pytest.raises(TypeError):
        bool(col("a") > 1)


def test_group_by_len_and_head() -> None:
    assert LF.group_by("k").len().plan.group_by.output == plan_pb2.GROUP_BY_OUTPUT_LEN
    renamed = LF.group_by("k").len(name="n").plan
    assert renamed.rename.mapping == {"len": "n"}
    head = LF.group_by("k").head(2).plan.group_by
    assert head.output == plan_pb2.GROUP_BY_OUTPUT_HEAD and head.n == 2


# ---- dynamic literals: typed by their partner column, as Python Polars -----------------------


def typed_literal(frame_expr: pr.Expr) -> types_pb2.DataType | None:
    """The dtype the literal of ``col(x) OP number`` gets in a select of LF."""
    [proto] = LF.select(frame_expr).plan.select.exprs
    node = proto.binary.right if proto.WhichOneof("kind") == "binary" else proto.function.args[1].expr
    return node.literal.dtype if node.literal.HasField("dtype") else None


K = types_pb2.DataType


@pytest.mark.parametrize(
    ("expr", "kind"),
    [
        (col("i8") + 1, K.KIND_INT8),
        (col("i8") * 300, K.KIND_INT16),
        (col("u8") + 1, K.KIND_UINT8),
        (col("u8") - -1, K.KIND_INT8),
        (col("u32") + 2**40, K.KIND_UINT64),
        (col("a") + 1, K.KIND_INT8),
        (col("f32") * 2, K.KIND_FLOAT32),
        (col("f32") * 1.5, K.KIND_FLOAT32),
        (col("f64") * 2, K.KIND_FLOAT64),
        (col("i8").fill_null(0), K.KIND_INT8),
        (col("i8") > 1, K.KIND_INT8),
    ],
)
def test_dynamic_literals_take_their_partner_column_type(expr: pr.Expr, kind: int) -> None:
    dtype = typed_literal(expr)
    assert dtype is not None and dtype.kind == kind


@pytest.mark.parametrize(
    "expr",
    [col("a") + 1.5, col("s") + 1, col("i8") + lit(1, dtype=pl.Int64), col("nope") + 1, (col("i8") + col("a")) * 2],
)
def test_other_literals_are_left_alone(expr: pr.Expr) -> None:
    proto = LF.select(expr).plan.select.exprs[0]
    assert proto == expr.to_proto()


def test_when_values_take_the_column_type() -> None:
    node = LF.select(pr.when(col("a") > 0).then(1).otherwise(col("i8"))).plan.select.exprs[0].when
    assert node.branches[0].then.literal.dtype.kind == K.KIND_INT8
    assert node.branches[0].when.binary.right.literal.dtype.kind == K.KIND_INT8


def test_group_by_aggs_are_typed_by_the_input() -> None:
    [agg] = LF.group_by("s").agg((col("f32") * 2).sum()).plan.group_by.aggs
    assert agg.aggregate.input.binary.right.literal.dtype.kind == K.KIND_FLOAT32


def test_integer_powers_need_a_float_column() -> None:
    LF.select(col("f32") ** 2, col("a") ** 2.0)
    with pytest.raises(NotImplementedError, match="integer power"):
        LF.select(col("a") ** 2)
    with pytest.raises(NotImplementedError, match="integer power"):
        LF.select((col("f32") * 2) ** 2)


def test_the_schema_is_asked_only_when_a_number_meets_a_column() -> None:
    unknown = LazyFrame(NO_CLIENT, HANDLE)  # type: ignore[arg-type]
    unknown.select(col("a") + col("b"), lit(1), col("s").str.contains("x")).filter(col("a").is_null())
    with pytest.raises(AttributeError):  # the fake client cannot answer the schema request
        unknown.select(col("a") + 1)
    kept = LF.filter(col("a").is_null()).sort("a").head(2)  # schema-keeping nodes keep it
    assert kept.select(col("i8") + 1).plan.select.exprs[0].binary.right.literal.dtype.kind == K.KIND_INT8


# ---- what the server cannot honour raises NotImplementedError naming it ----------------------


@pytest.mark.parametrize(
    ("build", "named"),
    [
        (lambda: LF.join(LF, on="k", validate="1:1"), "validate"),
        (lambda: LF.join(LF, on="k", nulls_equal=True), "nulls_equal"),
        (lambda: LF.join(LF, on="k", how="right"), "right"),
        (lambda: LF.sort("a", "b", nulls_last=[True, False]), "nulls_last"),
        (lambda: LF.drop("a", strict=False), "strict"),
        (lambda: LF.unique(subset=col("a")), "column names"),
        (lambda: LF.collect(background=True), "background"),
        (lambda: LF.explain(format="tree"), "format"),
        (lambda: col("a").over("k", order_by="t"), "order_by"),
        (lambda: col("a").over("k", mapping_strategy="explode"), "mapping_strategy"),
        (lambda: col("a").first(ignore_nulls=True), "ignore_nulls"),
        (lambda: col("a").cast(pl.Int8, wrap_numerical=True), "wrap_numerical"),
        (lambda: col("a").quantile([0.1, 0.9]), "several quantiles"),
        (lambda: col("a").quantile(0.5, interpolation="equiprobable"), "interpolation"),
        (lambda: col("s").str.replace("a+", "b", n=2), "n != 1"),
        (lambda: col("a").pow(col("b")), "exponent"),
        (lambda: LF.select(col("a") ** 2), "integer power"),
        (lambda: col("t").dt.second(fractional=True), "fractional"),
        (lambda: col("a").cast(pl.Int128), "Int128"),
        (lambda: lit(1, allow_object=True), "allow_object"),
    ],
)
def test_unsupported_options_raise(build: object, named: str) -> None:
    with pytest.raises(NotImplementedError, match=named):
        build()  # type: ignore[operator]


# ---- connection options ------------------------------------------------------------------------


def test_an_unknown_engine_is_refused_before_any_call() -> None:
    # NO_CLIENT cannot call: a ValueError (not an AttributeError) shows nothing was sent.
    with pytest.raises(ValueError, match="engine must be 'auto', 'in-memory' or 'streaming'"):
        LF.collect(engine="gpu")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="engine must be 'auto', 'in-memory' or 'streaming'"):
        LF.to_arrow(engine="gpu")  # type: ignore[arg-type]
