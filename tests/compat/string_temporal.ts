/**
 * Compatibility cases: `str.strptime` with an exact time unit and time zone. nodejs-polars
 * accepts only `pl.Datetime("ms")` (any other unit or a zone throws "only DataType.Date and
 * DataType.Datetime are supported") and then returns Datetime(us): these cases compare
 * against Python Polars' results, built here with exact types.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { CompatCase } from "./_harness.ts";
import { fixtures } from "./fixtures.ts";

const HOUR_US = 3_600_000_000n;
/** 2024-03-10 07:00 UTC: New York leaves EST (-5h) for EDT (-4h). */
const NY_SWITCH_WALL_US = BigInt(Date.UTC(2024, 2, 10, 2)) * 1000n;

/** The fixture's naive `t` column (wall-clock microseconds; no nulls). */
function wallMicros(): bigint[] {
  const t = fixtures().mixed.getColumn("t").cast(pl.Int64);
  return [...(t.toTypedArray() as unknown as BigInt64Array)];
}

function datetimes(name: string, values: bigint[], unit: "ms" | "us" | "ns", zone?: string) {
  return pl.Series(name, BigInt64Array.from(values) as unknown as number[], pl.Int64)
    .cast(pl.Datetime(unit, zone));
}

const FORMAT = "%Y-%m-%d %H:%M:%S";

export const STRING_TEMPORAL_CASES: readonly CompatCase[] = [
  {
    // Python Polars: str.strptime(pl.Datetime("ms"), fmt) gives Datetime(ms); nodejs-polars
    // gives Datetime(us) for the same call.
    covers: ["ExprString.strptime"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("t").dt.strftime(FORMAT).str.strptime(pl.Datetime("ms"), FORMAT).alias("ms"),
      ),
    expected: () => pl.DataFrame([datetimes("ms", wallMicros().map((us) => us / 1000n), "ms")]),
  },
  {
    // Python Polars: str.strptime(pl.Datetime("ns", "America/New_York"), fmt) reads the text
    // as New York wall-clock time: +5h to UTC before the DST switch, +4h after it.
    covers: ["ExprString.strptime"],
    query: (pl, f) =>
      f.mixed.select(
        pl.col("t").dt.strftime(FORMAT)
          .str.strptime(pl.Datetime("ns", "America/New_York"), FORMAT, { strict: true })
          .alias("ny"),
      ),
    expected: () =>
      pl.DataFrame([
        datetimes(
          "ny",
          wallMicros().map((us) => (us + (us < NY_SWITCH_WALL_US ? 5n : 4n) * HOUR_US) * 1000n),
          "ns",
          "America/New_York",
        ),
      ]),
  },
];
