"""Compatibility cases of ``Expr.str`` members, on ``mixed.s`` (text with a null, an empty
string, padding, punctuation and a JSON object) and ``mixed.g``."""

from __future__ import annotations

from tests.compat.case import Case, Query
from tests.compat.cases_expr import select

STR: dict[str, Query | Case] = {
    "Expr.str.contains": select(
        lambda m: [m.col("s").str.contains("a.p").alias("re"), m.col("s").str.contains("(?i)^apple").alias("flags")]
    ),
    "Expr.str.contains:literal": select(lambda m: m.col("s").str.contains("e-0", literal=True)),
    "Expr.str.contains:expr": select(lambda m: m.col("s").str.contains(m.col("g"))),
    "Expr.str.contains_any": select(lambda m: m.col("s").str.contains_any(["an", "rr"])),
    "Expr.str.count_matches": select(lambda m: m.col("s").str.count_matches("a")),
    "Expr.str.count_matches:literal": select(lambda m: m.col("s").str.count_matches(".", literal=True)),
    "Expr.str.decode": select(lambda m: m.col("s").str.encode("hex").str.decode("hex")),
    "Expr.str.encode": select(lambda m: [m.col("s").str.encode("hex"), m.col("g").str.encode("base64").alias("b64")]),
    "Expr.str.ends_with": select(lambda m: m.col("s").str.ends_with("y")),
    "Expr.str.ends_with:expr": select(lambda m: m.col("s").str.ends_with(m.col("g"))),
    "Expr.str.escape_regex": select(lambda m: m.col("s").str.escape_regex()),
    "Expr.str.extract": select(
        lambda m: [
            m.col("s").str.extract(r"([a-z]+)[-_,]([a-z0-9]+)", 2),
            m.col("s").str.extract(r"^(\w)").alias("initial"),
        ]
    ),
    "Expr.str.extract_all": select(lambda m: m.col("s").str.extract_all(r"[aeiou]")),
    "Expr.str.extract_groups": select(lambda m: m.col("s").str.extract_groups(r"(?<word>[a-z]+)[-_,](?<rest>\w+)")),
    "Expr.str.extract_many": select(lambda m: m.col("s").str.extract_many(["an", "pp", "e"])),
    "Expr.str.find": select(lambda m: [m.col("s").str.find("an"), m.col("s").str.find(".", literal=True).alias("dot")]),
    "Expr.str.find_many": select(lambda m: m.col("s").str.find_many(["an", "e"])),
    "Expr.str.head": select(lambda m: [m.col("s").str.head(3), m.col("s").str.head(-2).alias("neg")]),
    "Expr.str.join": select(lambda m: m.col("s").str.join("|")),
    "Expr.str.json_decode": select(
        lambda m: (
            m.col("s").filter(m.col("s").str.starts_with("{")).str.json_decode(m.Struct({"a": m.Int64, "b": m.String}))
        )
    ),
    "Expr.str.json_path_match": select(
        lambda m: m.col("s").filter(m.col("s").str.starts_with("{")).str.json_path_match("$.b")
    ),
    "Expr.str.len_bytes": select(lambda m: m.col("s").str.len_bytes()),
    "Expr.str.len_chars": select(lambda m: m.col("s").str.len_chars()),
    "Expr.str.normalize": select(lambda m: m.col("s").str.normalize("NFKC")),
    "Expr.str.pad_end": select(lambda m: m.col("s").str.pad_end(8, "*")),
    "Expr.str.pad_start": select(lambda m: m.col("s").str.pad_start(8)),
    "Expr.str.replace": select(lambda m: m.col("s").str.replace("a", "A")),
    "Expr.str.replace:groups": select(lambda m: m.col("s").str.replace(r"(\w)(\w)", "$2$1")),
    "Expr.str.replace:literal_n": select(lambda m: m.col("s").str.replace("p", "P", literal=True, n=2)),
    "Expr.str.replace_all": select(lambda m: m.col("s").str.replace_all("[aeiou]", "_")),
    "Expr.str.replace_all:literal": select(lambda m: m.col("s").str.replace_all(".", "", literal=True)),
    "Expr.str.replace_many": select(lambda m: m.col("s").str.replace_many({"a": "4", "e": "3"})),
    "Expr.str.reverse": select(lambda m: m.col("s").str.reverse()),
    "Expr.str.slice": select(lambda m: [m.col("s").str.slice(1, 3), m.col("s").str.slice(-3).alias("end")]),
    "Expr.str.split": select(lambda m: m.col("s").str.split(" ")),
    "Expr.str.split:inclusive": select(lambda m: m.col("s").str.split(",", inclusive=True)),
    "Expr.str.split_exact": select(lambda m: m.col("s").str.split_exact("-", 1)),
    "Expr.str.splitn": select(lambda m: m.col("s").str.splitn(" ", 2)),
    "Expr.str.starts_with": select(lambda m: m.col("s").str.starts_with("a")),
    "Expr.str.strip_chars": select(lambda m: m.col("s").str.strip_chars()),
    "Expr.str.strip_chars:characters": select(lambda m: m.col("s").str.strip_chars("ae ")),
    "Expr.str.strip_chars_end": select(lambda m: m.col("s").str.strip_chars_end()),
    "Expr.str.strip_chars_start": select(lambda m: m.col("s").str.strip_chars_start(" a")),
    "Expr.str.strip_prefix": select(lambda m: m.col("s").str.strip_prefix("ap")),
    "Expr.str.strip_suffix": select(lambda m: m.col("s").str.strip_suffix("e")),
    "Expr.str.strptime": select(
        lambda m: m.col("t").dt.strftime("%Y/%m/%d %H:%M").str.strptime(m.Datetime("ms"), "%Y/%m/%d %H:%M")
    ),
    "Expr.str.tail": select(lambda m: m.col("s").str.tail(3)),
    "Expr.str.to_date": select(lambda m: m.col("d").dt.strftime("%d.%m.%Y").str.to_date("%d.%m.%Y")),
    "Expr.str.to_datetime": select(
        lambda m: m.col("t").dt.strftime("%Y-%m-%dT%H:%M:%S").str.to_datetime(time_unit="ms")
    ),
    "Expr.str.to_decimal": select(lambda m: m.col("x").cast(m.String).str.to_decimal(scale=2)),
    "Expr.str.to_integer": select(lambda m: m.col("u").cast(m.String).str.to_integer()),
    "Expr.str.to_integer:base_dtype": select(lambda m: m.col("g").str.to_integer(base=16, dtype=m.Int32)),
    "Expr.str.to_lowercase": select(lambda m: m.col("s").str.to_lowercase()),
    "Expr.str.to_time": select(lambda m: m.col("t").dt.strftime("%H:%M").str.to_time("%H:%M")),
    "Expr.str.to_titlecase": select(lambda m: m.col("s").str.to_titlecase()),
    "Expr.str.to_uppercase": select(lambda m: m.col("s").str.to_uppercase()),
    "Expr.str.zfill": select(lambda m: m.col("i").cast(m.String).str.zfill(4)),
}
