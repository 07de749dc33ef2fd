"""Compatibility cases of ``Expr.list`` members, on ``mixed.l`` (a List(Int64) column with an
empty list, a null and repeats)."""

from __future__ import annotations

from tests.compat.case import Case, Query
from tests.compat.cases_expr import select

LIST: dict[str, Query | Case] = {
    "Expr.list.agg": select(lambda m: m.col("l").list.agg(m.element().sum())),
    "Expr.list.all": select(lambda m: (m.col("l").list.eval(m.element() > 2)).list.all()),
    "Expr.list.any": select(lambda m: (m.col("l").list.eval(m.element() > 5)).list.any()),
    "Expr.list.arg_max": select(lambda m: m.col("l").list.arg_max()),
    "Expr.list.arg_min": select(lambda m: m.col("l").list.arg_min()),
    "Expr.list.concat": select(lambda m: m.col("l").list.concat(m.concat_list("u").cast(m.List(m.Int64)))),
    "Expr.list.contains": select(
        lambda m: [m.col("l").list.contains(1), m.col("l").list.contains(m.col("i")).alias("ci")]
    ),
    "Expr.list.count_matches": select(lambda m: m.col("l").list.count_matches(1)),
    "Expr.list.diff": select(lambda m: m.col("l").list.diff()),
    "Expr.list.drop_nulls": select(lambda m: m.col("l").list.drop_nulls()),
    "Expr.list.eval": select(lambda m: m.col("l").list.eval(m.element() * 10)),
    "Expr.list.explode": select(lambda m: m.col("l").list.explode()),
    "Expr.list.filter": select(lambda m: m.col("l").list.filter(m.element() % 2 == 0)),
    "Expr.list.first": select(lambda m: m.col("l").list.first()),
    "Expr.list.gather": select(lambda m: m.col("l").list.gather([0, -1], null_on_oob=True)),
    "Expr.list.gather_every": select(lambda m: m.col("l").list.gather_every(2)),
    "Expr.list.get": select(
        lambda m: [m.col("l").list.get(0, null_on_oob=True), m.col("l").list.get(-1, null_on_oob=True).alias("last")]
    ),
    "Expr.list.head": select(lambda m: m.col("l").list.head(2)),
    "Expr.list.item": select(lambda m: m.col("l").list.head(1).list.item(allow_empty=True)),
    "Expr.list.join": select(lambda m: m.col("l").cast(m.List(m.String)).list.join("-")),
    "Expr.list.last": select(lambda m: m.col("l").list.last()),
    "Expr.list.len": select(lambda m: m.col("l").list.len()),
    "Expr.list.max": select(lambda m: m.col("l").list.max()),
    "Expr.list.mean": select(lambda m: m.col("l").list.mean()),
    "Expr.list.median": select(lambda m: m.col("l").list.median()),
    "Expr.list.min": select(lambda m: m.col("l").list.min()),
    "Expr.list.n_unique": select(lambda m: m.col("l").list.n_unique()),
    "Expr.list.reverse": select(lambda m: m.col("l").list.reverse()),
    "Expr.list.sample": select(lambda m: m.col("l").list.sample(fraction=1.0, seed=3).list.sort()),
    "Expr.list.set_difference": select(lambda m: m.col("l").list.set_difference([1, 4, 7]).list.sort()),
    "Expr.list.set_intersection": select(lambda m: m.col("l").list.set_intersection([1, 4, 7]).list.sort()),
    "Expr.list.set_symmetric_difference": select(
        lambda m: m.col("l").list.set_symmetric_difference([1, 4]).list.sort()
    ),
    "Expr.list.set_union": select(lambda m: m.col("l").list.set_union([1, 4]).list.sort()),
    "Expr.list.shift": select(lambda m: m.col("l").list.shift(1)),
    "Expr.list.slice": select(lambda m: m.col("l").list.slice(1, 2)),
    "Expr.list.sort": select(lambda m: m.col("l").list.sort(descending=True)),
    "Expr.list.std": select(lambda m: m.col("l").list.std()),
    "Expr.list.sum": select(lambda m: m.col("l").list.sum()),
    "Expr.list.tail": select(lambda m: m.col("l").list.tail(2)),
    "Expr.list.to_array": select(lambda m: m.col("l").filter(m.col("l").list.len() == 2).list.to_array(2)),
    "Expr.list.to_struct": select(lambda m: m.col("l").list.to_struct(fields=["first", "second"])),
    "Expr.list.unique": select(lambda m: m.col("l").list.unique(maintain_order=True)),
    "Expr.list.var": select(lambda m: m.col("l").list.var(ddof=0)),
}
