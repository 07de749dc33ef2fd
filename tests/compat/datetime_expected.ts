/**
 * Compatibility cases: the `expr.dt` functions nodejs-polars lacks or gets wrong, against
 * Python Polars' results computed here by hand from the fixture's raw values, with exact
 * types. The fixture's `tz` column holds New York times from 2024-03-08 04:30 EST to
 * 2024-03-10 05:50 EDT; the DST switch is at 2024-03-10 07:00 UTC.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { CompatCase } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

const MINUTE_MS = 60_000n;
const HOUR_MS = 3_600_000n;
const DAY_MS = 86_400_000n;

/** Raw physical values of a fixture column without nulls (days, or its time unit). */
function raw(name: "d" | "t" | "tz"): bigint[] {
  const s = fixtures().mixed.getColumn(name).cast(pl.Int64);
  return [...(s.toTypedArray() as unknown as BigInt64Array)];
}

function int64(name: string, values: bigint[]): pl.Series {
  return pl.Series(name, BigInt64Array.from(values) as unknown as number[], pl.Int64);
}

function temporal(name: string, values: bigint[], type: pl.DataType): pl.Series {
  return int64(name, values).cast(type);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q;
}

/** A day count as a proleptic Gregorian date, in UTC (JS Date). */
function civil(days: bigint): Date {
  return new Date(Number(days * DAY_MS));
}

/** Day count + n calendar months, the day clamped to the month's end (Polars' rule). */
function addMonths(days: bigint, n: number): bigint {
  const d = civil(days);
  const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n + 1, 0)).getUTCDate();
  return BigInt(first / Number(DAY_MS)) + BigInt(Math.min(d.getUTCDate(), last) - 1);
}

const NY = pl.Datetime("ms", "America/New_York");

export const DATETIME_EXPECTED_CASES: readonly CompatCase[] = [
  {
    // nodejs-polars' timestamp() takes no unit (always ms). Python Polars: timestamp(unit)
    // is the value cast to a naive Datetime of that unit, as Int64 (a Date from midnight).
    covers: ["ExprDateTime.timestamp"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("tz").dt.timestamp("us").alias("tz_us"),
        pl.col("tz").dt.timestamp("ns").alias("tz_ns"),
        pl.col("t").dt.timestamp("ms").alias("t_ms"),
        pl.col("d").dt.timestamp("us").alias("d_us"),
      ),
    expected: () =>
      pl.DataFrame([
        int64("tz_us", raw("tz").map((ms) => ms * 1000n)),
        int64("tz_ns", raw("tz").map((ms) => ms * 1_000_000n)),
        int64("t_ms", raw("t").map((us) => us / 1000n)),
        int64("d_us", raw("d").map((days) => days * DAY_MS * 1000n)),
      ]),
  },
  {
    // Python Polars' dt.epoch (missing in nodejs-polars): "us" by default, "s" truncated
    // toward zero, "d" a day count (Int32).
    covers: ["ExprDateTime.epoch"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("tz").dt.epoch().alias("us"),
        pl.col("tz").dt.epoch("s").alias("s"),
        pl.col("t").dt.epoch("d").alias("days"),
        pl.col("d").dt.epoch("ms").alias("d_ms"),
      ),
    expected: () =>
      pl.DataFrame([
        int64("us", raw("tz").map((ms) => ms * 1000n)),
        int64("s", raw("tz").map((ms) => ms / 1000n)),
        int64("days", raw("t").map((us) => floorDiv(us, DAY_MS * 1000n))).cast(pl.Int32),
        int64("d_ms", raw("d").map((days) => days * DAY_MS)),
      ]),
  },
  {
    // Python Polars' dt.quarter (Int8), dt.millisecond and dt.microsecond (Int32), missing
    // in nodejs-polars; the sub-second values come from u * 1_234_567_891 ns.
    covers: ["ExprDateTime.quarter", "ExprDateTime.millisecond", "ExprDateTime.microsecond"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("d").dt.quarter().alias("q"),
        pl.col("u").cast(pl.Int64).mul(pl.lit(1_234_567_891n)).cast(pl.Datetime("ns")).alias("x"),
      ).select(
        pl.col("q"),
        pl.col("x").dt.millisecond().alias("ms"),
        pl.col("x").dt.microsecond().alias("us"),
        pl.col("x").dt.nanosecond().alias("ns"),
      ),
    expected: () => {
      const subsecond = Array.from({ length: 12 }, (_, k) => BigInt(k + 1) * 1_234_567_891n)
        .map((ns) => ns % 1_000_000_000n);
      return pl.DataFrame([
        int64("q", raw("d").map((days) => BigInt(Math.floor(civil(days).getUTCMonth() / 3) + 1)))
          .cast(pl.Int8),
        int64("ms", subsecond.map((ns) => ns / 1_000_000n)).cast(pl.Int32),
        int64("us", subsecond.map((ns) => ns / 1000n)).cast(pl.Int32),
        int64("ns", subsecond).cast(pl.Int32),
      ]);
    },
  },
  {
    // Python Polars' dt.offset_by (missing in nodejs-polars). "1d" on a zoned value is a
    // calendar day: 2024-03-09 04:30 EST + 1d = 2024-03-10 04:30 EDT, 23 hours later (row
    // 10); the other rows stay on one side of the switch (24 hours). "25h" is fixed.
    covers: ["ExprDateTime.offsetBy"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("tz").dt.offsetBy("1d").alias("day"),
        pl.col("tz").dt.offsetBy("-1d").alias("back"),
        pl.col("tz").dt.offsetBy("25h").alias("fixed"),
      ),
    expected: () => {
      const tz = raw("tz");
      const switchMs = BigInt(Date.UTC(2024, 2, 10, 7));
      const shift = (ms: bigint, days: bigint) => {
        const moved = ms + days * DAY_MS;
        const crossed = (ms < switchMs) !== (moved < switchMs);
        return crossed ? moved + (days > 0n ? -HOUR_MS : HOUR_MS) : moved;
      };
      return pl.DataFrame([
        temporal("day", tz.map((ms) => shift(ms, 1n)), NY),
        temporal("back", tz.map((ms) => shift(ms, -1n)), NY),
        temporal("fixed", tz.map((ms) => ms + 25n * HOUR_MS), NY),
      ]);
    },
  },
  {
    // Months clamp the day to the month's end (2024-01-31 + 1mo = 2024-02-29); on a Date a
    // negative fixed offset floors to the previous day (Polars adds it in milliseconds).
    covers: ["ExprDateTime.offsetBy"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("d").dt.offsetBy("1mo").alias("d_mo"),
        pl.col("d").dt.offsetBy("-1y").alias("d_y"),
        pl.col("d").dt.offsetBy("-1h").alias("d_h"),
        pl.col("d").dt.offsetBy("2w").alias("d_w"),
        pl.col("t").dt.offsetBy("1q").alias("t_q"),
        pl.col("t").dt.offsetBy("-90m").alias("t_m"),
      ),
    expected: () => {
      const d = raw("d");
      const t = raw("t");
      const dayUs = DAY_MS * 1000n;
      const months = (us: bigint, n: number) => {
        const days = floorDiv(us, dayUs);
        return addMonths(days, n) * dayUs + (us - days * dayUs);
      };
      return pl.DataFrame([
        temporal("d_mo", d.map((x) => addMonths(x, 1)), pl.Int32).cast(pl.Date),
        temporal("d_y", d.map((x) => addMonths(x, -12)), pl.Int32).cast(pl.Date),
        temporal("d_h", d.map((x) => x - 1n), pl.Int32).cast(pl.Date),
        temporal("d_w", d.map((x) => x + 14n), pl.Int32).cast(pl.Date),
        temporal("t_q", t.map((us) => months(us, 3)), pl.Datetime("us")),
        temporal("t_m", t.map((us) => us - 90n * MINUTE_MS * 1000n), pl.Datetime("us")),
      ]);
    },
  },
  {
    // Python Polars: replace_time_zone(None) drops the zone and keeps the wall clock;
    // nodejs-polars sets UTC instead. castTimeUnit is Python Polars' dt.cast_time_unit.
    covers: ["ExprDateTime.replaceTimeZone"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("tz").dt.replaceTimeZone(null).alias("wall"),
        pl.col("tz").dt.castTimeUnit("ns").alias("ns"),
      ),
    expected: () => {
      const tz = raw("tz");
      const switchMs = BigInt(Date.UTC(2024, 2, 10, 7));
      return pl.DataFrame([
        temporal(
          "wall",
          tz.map((ms) => ms - (ms < switchMs ? 5n : 4n) * HOUR_MS),
          pl.Datetime("ms"),
        ),
        temporal("ns", tz.map((ms) => ms * 1_000_000n), pl.Datetime("ns", "America/New_York")),
      ]);
    },
  },
];
