/**
 * Compatibility cases: `expr.str` (nodejs-polars' ExprString), on the fixture's `s` column
 * (text with a null, an empty string, padding, a JSON object and non-ASCII-free words).
 *
 * @module
 */

import pl from "nodejs-polars";
import type { CompatCase } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

/** The fixture's `s` column as JS values (text only, lossless). */
function texts(): (string | null)[] {
  return fixtures().mixed.getColumn("s").toArray() as (string | null)[];
}

export const STRING_CASES: readonly CompatCase[] = [
  {
    covers: ["ExprString.concat"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.concat("-").alias("skip"),
        pl.col("g").str.concat("|", false).alias("keep"),
      ),
  },
  {
    covers: ["ExprString.contains"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.contains("a.p").alias("re"),
        pl.col("s").str.contains(/^APPLE/i).alias("flags"),
        pl.col("s").str.contains("e-0", true).alias("lit"),
        pl.col("s").str.contains(pl.col("g")).alias("expr"),
      ),
  },
  {
    covers: ["ExprString.startsWith", "ExprString.endsWith"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.startsWith("a").alias("sw"),
        pl.col("s").str.endsWith(pl.col("g")).alias("ew"),
        pl.col("s").str.endsWith("y").alias("ey"),
      ),
  },
  {
    covers: [
      "ExprString.encode",
      "ExprString.decode",
      "ExprString.decode.encoding",
      "ExprString.decode.strict",
    ],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.encode("hex").alias("hex"),
        pl.col("s").str.encode("base64").alias("b64"),
        pl.col("s").str.encode("hex").str.decode("hex").alias("unhex"),
        pl.col("s").str.encode("base64").str.decode({ encoding: "base64", strict: true })
          .alias("unb64"),
        pl.col("g").str.decode("hex").alias("bad"),
      ),
  },
  {
    covers: ["ExprString.extract"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.extract(/([a-z]+)[-_,]([a-z0-9]+)/, 2).alias("second"),
        pl.col("s").str.extract("^(\\w)", 1).alias("initial"),
        pl.col("s").str.extract(/an/, 0).alias("whole"),
      ),
  },
  {
    covers: ["ExprString.jsonDecode", "ExprString.jsonPathMatch"],
    query: (pl, f) =>
      f.mixed
        .select(
          pl.when(pl.col("s").str.startsWith("{")).then(pl.col("s")).otherwise(pl.lit(null))
            .alias("j"),
        )
        .select(
          pl.col("j").str.jsonDecode(pl.Struct({ a: pl.Int64, b: pl.Utf8 })).alias("obj"),
          pl.col("j").str.jsonPathMatch("$.b").alias("b"),
          pl.col("j").str.jsonPathMatch("$.a").alias("a"),
        ),
  },
  {
    covers: ["ExprString.lengths"],
    query: (pl, f) =>
      f.mixed.select(pl.col("s").str.lengths(), pl.col("g").str.lengths().alias("g")),
  },
  {
    // nodejs-polars declares the count's type as String, so arithmetic on it fails to plan
    // ("arithmetic on string and numeric not allowed"); Python Polars' len_chars is UInt32.
    covers: ["ExprString.lengths"],
    query: (pl, f) =>
      f.mixed.select(pl.col("s").str.lengths().add(pl.lit(1).cast(pl.UInt32)).alias("n")),
    expected: () =>
      pl.DataFrame([
        pl.Series("n", texts().map((t) => t === null ? null : [...t].length + 1)).cast(pl.UInt32),
      ]),
  },
  {
    covers: ["ExprString.strip", "ExprString.lstrip", "ExprString.rstrip"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.strip().alias("both"),
        pl.col("s").str.lstrip().alias("start"),
        pl.col("s").str.rstrip().alias("end"),
      ),
  },
  {
    covers: ["ExprString.stripChars", "ExprString.stripCharsStart", "ExprString.stripCharsEnd"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.stripChars(" ch").alias("both"),
        pl.col("s").str.stripCharsStart("Aa").alias("start"),
        pl.col("s").str.stripCharsEnd(pl.lit("ey")).alias("end"),
        pl.col("s").str.stripChars(pl.col("g")).alias("expr"),
      ),
  },
  {
    covers: ["ExprString.replace"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.replace("a", "A").alias("first"),
        pl.col("s").str.replace(/(\w)e/, "$1E").alias("group"),
        pl.col("s").str.replace("a", "_", true, 2).alias("two"),
        pl.col("s").str.replace("e", pl.col("g")).alias("expr"),
      ),
  },
  {
    covers: ["ExprString.replaceAll"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.replaceAll(/[aeiou]/, "*").alias("vowels"),
        pl.col("s").str.replaceAll(".", "!", true).alias("lit"),
        pl.col("s").str.replaceAll("a", pl.col("g")).alias("expr"),
      ),
  },
  {
    covers: ["ExprString.toLowerCase", "ExprString.toUpperCase"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.toLowerCase().alias("lo"),
        pl.col("s").str.toUpperCase().alias("up"),
      ),
  },
  {
    covers: ["ExprString.padStart", "ExprString.padEnd", "ExprString.zFill"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.padStart(12, "*").alias("ps"),
        pl.col("s").str.padEnd(8, "-+").alias("pe"),
        pl.col("i").cast(pl.Utf8).str.zFill(4).alias("z"),
      ),
  },
  {
    covers: ["ExprString.slice"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.slice(1, 3).alias("mid"),
        pl.col("s").str.slice(-3).alias("tail"),
      ),
  },
  {
    covers: ["ExprString.split"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.split(" ").alias("words"),
        pl.col("s").str.split("e", { inclusive: false }).alias("e"),
      ),
  },
  {
    // nodejs-polars drops `inclusive` (its split binding takes only the separator); Python
    // Polars' split(by, inclusive=True) keeps each separator at the end of its part.
    covers: ["ExprString.split", "ExprString.split.inclusive"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("s").str.split(",", { inclusive: true }).alias("a"),
        pl.col("s").str.split("-", true).alias("b"),
      ),
    expected: () => {
      // The engine's inclusive split of "" has no part (Rust's split_inclusive), not [""].
      const inclusive = (sep: string) => (t: string | null) => {
        if (t === null) return null;
        if (t === "") return [];
        const parts = t.split(sep);
        return parts.map((p, k) => k < parts.length - 1 ? p + sep : p);
      };
      return pl.DataFrame([
        pl.Series("a", texts().map(inclusive(",")), pl.List(pl.Utf8)),
        pl.Series("b", texts().map(inclusive("-")), pl.List(pl.Utf8)),
      ]);
    },
  },
  {
    covers: ["ExprString.strptime"],
    query: (pl, f) =>
      f.mixed
        .select(
          pl.col("t").dt.strftime("%Y-%m-%d %H:%M:%S").alias("ts"),
          pl.col("d").dt.strftime("%d/%m/%Y").alias("ds"),
        )
        .select(
          pl.col("ts").str.strptime(pl.Datetime, "%Y-%m-%d %H:%M:%S").alias("t"),
          pl.col("ds").str.strptime(pl.Date, "%d/%m/%Y").alias("d"),
          pl.col("ts").str.strptime(pl.Date, "%Y-%m-%d").alias("bad"),
        ),
  },
];
