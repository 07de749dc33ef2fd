/**
 * The frames compatibility cases run on, built in nodejs-polars (through typed arrays and
 * Arrow, never lossy JS values) and uploaded to the cluster under the same names.
 *
 * @module
 */

import pl from "nodejs-polars";

const DAY_MS = 86_400_000;
const BASE_MS = Date.UTC(2024, 2, 8, 9, 30); // a Friday before the US DST switch

function datetimes(name: string, ms: number[], unit: "ms" | "us", zone?: string): pl.Series {
  const scale = unit === "ms" ? 1n : 1000n;
  const raw = pl.Series(name, BigInt64Array.from(ms.map((m) => BigInt(m) * scale)), pl.Int64);
  return raw.cast(pl.Datetime(unit, zone));
}

/** Twelve rows of every common type, with nulls, NaN, repeats and ties. */
function mixed(): pl.DataFrame {
  const minutes = [0, 1, 1, 3, 7, 8, 15, 60, 61, 180, 1440, 2900];
  const ms = minutes.map((m) => BASE_MS + m * 60_000);
  const df = pl.DataFrame([
    pl.Series("g", ["a", "b", "a", "c", "b", "a", "c", "c", "a", "b", "a", "c"]),
    pl.Series("i", [3, -1, null, 7, 7, 0, 12, -5, 2, 9, 4, 1], pl.Int64),
    pl.Series("u", Uint32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])),
    pl.Series("f", [1.5, -2.25, NaN, null, 0, 3.75, 10, -0.5, 2.5, 2.5, 100.125, 7]),
    pl.Series("x", [0.1, 0.9, 0.4, 0.25, 0.75, 0.5, 0.6, 0.33, 0.8, 0.2, 0.05, 0.95]),
    pl.Series("s", [
      "Apple pie",
      "banana",
      null,
      "  cherry ",
      "date-01",
      "Elder_berry",
      "fig",
      "grape,seed",
      "",
      "apple",
      '{"a": 1, "b": "x"}',
      "kiwi",
    ]),
    pl.Series("b", [true, false, null, true, true, false, false, true, null, false, true, true]),
    pl.Series(
      "d",
      Int32Array.from(minutes.map((m, k) => Math.floor(BASE_MS / DAY_MS) + k * 17 + m % 3)),
    ).cast(pl.Date),
    datetimes("t", ms, "us"),
    datetimes("tz", ms, "ms", "America/New_York"),
    pl.Series("l", [[1, 2], [3], [], null, [4, 5, 6], [7], [8, 9], [10], [1, 1], [2], [3, 4], [5]])
      .cast(pl.List(pl.Int64)),
  ]);
  return df.withColumns(
    pl.struct([pl.col("g"), pl.col("i")]).alias("st"),
  );
}

/** Two small frames that join on `k`, with clashing and missing keys. */
function left(): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("k", [1, 2, 3, 4, 5], pl.Int64),
    pl.Series("v", [10.5, 20, 30.25, 40, 50]),
    pl.Series("name", ["one", "two", "three", "four", "five"]),
  ]);
}

function right(): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("k", [2, 3, 3, 6], pl.Int64),
    pl.Series("w", [200, 300, 301, 600], pl.Int64),
    pl.Series("name", ["zwei", "drei", "trois", "sechs"]),
  ]);
}

/** The fixture frames by name. */
export function fixtures(): Record<FixtureName, pl.DataFrame> {
  return { mixed: mixed(), left: left(), right: right() };
}

/** Names of the fixture frames. */
export type FixtureName = "mixed" | "left" | "right";
