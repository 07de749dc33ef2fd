/**
 * Compatibility cases: `expr.dt` (nodejs-polars' ExprDateTime), on the fixture's Date `d`,
 * naive Datetime(us) `t` and Datetime(ms, America/New_York) `tz` (which crosses the
 * 2024-03-10 switch from EST to EDT).
 *
 * @module
 */

import type { CompatCase } from "./_harness.ts";

export const DATETIME_CASES: readonly CompatCase[] = [
  {
    covers: [
      "ExprDateTime.year",
      "ExprDateTime.month",
      "ExprDateTime.week",
      "ExprDateTime.weekday",
      "ExprDateTime.day",
      "ExprDateTime.ordinalDay",
    ],
    query: (pl, f) =>
      f.mixed.select(
        ...["d", "t", "tz"].flatMap((c) => [
          pl.col(c).dt.year().alias(`${c}_year`),
          pl.col(c).dt.month().alias(`${c}_month`),
          pl.col(c).dt.week().alias(`${c}_week`),
          pl.col(c).dt.weekday().alias(`${c}_weekday`),
          pl.col(c).dt.day().alias(`${c}_day`),
          pl.col(c).dt.ordinalDay().alias(`${c}_ordinal`),
        ]),
      ),
  },
  {
    covers: [
      "ExprDateTime.hour",
      "ExprDateTime.minute",
      "ExprDateTime.second",
      "ExprDateTime.nanosecond",
    ],
    query: (pl, f) =>
      f.mixed.select(
        ...["t", "tz"].flatMap((c) => [
          pl.col(c).dt.hour().alias(`${c}_hour`),
          pl.col(c).dt.minute().alias(`${c}_minute`),
          pl.col(c).dt.second().alias(`${c}_second`),
          pl.col(c).dt.nanosecond().alias(`${c}_ns`),
        ]),
      ),
  },
  {
    covers: ["ExprDateTime.strftime"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("d").dt.strftime("%Y/%m/%d %a").alias("d"),
        pl.col("t").dt.strftime("%H:%M:%S%.6f").alias("t"),
        pl.col("tz").dt.strftime("%Y-%m-%d %H:%M %Z %z").alias("tz"),
      ),
  },
  {
    covers: ["ExprDateTime.timestamp"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("d").dt.timestamp().alias("d"),
        pl.col("t").dt.timestamp().alias("t"),
        pl.col("tz").dt.timestamp().alias("tz"),
      ),
  },
  {
    covers: ["ExprDateTime.truncate"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("t").dt.truncate("1h").alias("t1h"),
        pl.col("tz").dt.truncate("1d").alias("tz1d"),
        pl.col("tz").dt.truncate("30m").alias("tz30m"),
        pl.col("d").dt.truncate("1mo").alias("d1mo"),
        pl.col("t").dt.truncate(pl.lit("1w")).alias("t1w"),
      ),
  },
  {
    covers: ["ExprDateTime.round"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("t").dt.round("1h").alias("t1h"),
        pl.col("tz").dt.round("1d").alias("tz1d"),
        pl.col("tz").dt.round("15m").alias("tz15m"),
        pl.col("t").dt.round(pl.lit("2d")).alias("t2d"),
      ),
  },
  {
    covers: ["ExprDateTime.convertTimeZone"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("tz").dt.convertTimeZone("Europe/London").alias("london"),
        pl.col("tz").dt.convertTimeZone("UTC").alias("utc"),
        pl.col("tz").dt.convertTimeZone("Asia/Kolkata").dt.hour().alias("kolkata_hour"),
      ),
  },
  {
    covers: ["ExprDateTime.replaceTimeZone"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("t").dt.replaceTimeZone("Europe/Paris").alias("paris"),
        pl.col("tz").dt.replaceTimeZone("UTC").alias("utc"),
        pl.col("t").dt.replaceTimeZone("America/New_York", pl.lit("earliest")).alias("ny"),
        pl.col("t").dt.replaceTimeZone("Asia/Tokyo", "raise", "null").alias("tokyo"),
      ),
  },
  {
    covers: ["ExprDateTime.replaceTimeZone"],
    query: (pl, f) =>
      f.mixed
        .select(
          pl.col("g"),
          pl.when(pl.col("b")).then(pl.lit("2024-11-03 01:30")).otherwise(
            pl.lit("2024-11-03 03:30"),
          ).str.strptime(pl.Datetime, "%Y-%m-%d %H:%M").alias("wall"),
        )
        .select(
          pl.col("wall").dt.replaceTimeZone(
            "America/New_York",
            pl.when(pl.col("g").eq(pl.lit("a"))).then(pl.lit("earliest")).otherwise(
              pl.lit("latest"),
            ),
          ).alias("ny"),
          pl.col("wall").dt.replaceTimeZone("America/New_York", "null").alias("overlap_null"),
        ),
  },
];
