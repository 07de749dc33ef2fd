"""Compatibility cases of ``Expr.struct`` members (on ``mixed.st``, a struct of ``g`` and
``i``) and ``Expr.name`` members (output names)."""

from __future__ import annotations

from tests.compat.case import Case, Query
from tests.compat.cases_expr import select

STRUCT: dict[str, Query | Case] = {
    "Expr.struct.drop": select(lambda m: m.col("st").struct.drop(["g"])),
    "Expr.struct.eval": select(lambda m: m.col("st").struct.eval(m.field("i") * 2)),
    "Expr.struct.field": select(lambda m: [m.col("st").struct.field("g"), m.col("st").struct.field("i").alias("si")]),
    "Expr.struct.json_encode": select(lambda m: m.col("st").struct.json_encode()),
    "Expr.struct.rename_fields": select(lambda m: m.col("st").struct.rename_fields(["group", "int"])),
    "Expr.struct.unnest": select(lambda m: m.col("st").struct.unnest()),
    "Expr.struct.with_fields": select(lambda m: m.col("st").struct.with_fields(twice=m.field("i") * 2)),
}

NAME: dict[str, Query | Case] = {
    "Expr.name.keep": select(lambda m: (m.col("i") * 2).alias("doubled").name.keep()),
    "Expr.name.map": select(lambda m: m.col("i", "x").name.map(lambda name: name.upper() + "!")),
    "Expr.name.map_fields": select(lambda m: m.col("st").name.map_fields(lambda name: name * 2)),
    "Expr.name.prefix": select(lambda m: m.col("i", "x").name.prefix("p_")),
    "Expr.name.prefix_fields": select(lambda m: m.col("st").name.prefix_fields("p_")),
    "Expr.name.replace": select(lambda m: m.col("i", "x").name.replace("^(.)$", "col_$1")),
    "Expr.name.strip_prefix": select(lambda m: m.col("i").alias("pre_i").name.strip_prefix("pre_")),
    "Expr.name.strip_suffix": select(lambda m: m.col("i").alias("i_post").name.strip_suffix("_post")),
    "Expr.name.suffix": select(lambda m: m.col("i", "x").name.suffix("_s")),
    "Expr.name.suffix_fields": select(lambda m: m.col("st").name.suffix_fields("_s")),
    "Expr.name.to_lowercase": select(lambda m: m.col("i").alias("MiXeD").name.to_lowercase()),
    "Expr.name.to_uppercase": select(lambda m: m.col("i", "x").name.to_uppercase()),
}
