import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { MAX_OFFSET } from "./datetime_offset.ts";
import { A, col, failsAtRun, int64, m, named, refused, select, values } from "./string_testing.ts";

const MS = 1_000_000n;
const HOUR_NS = 3_600_000_000_000n;
const DAY_NS = 24n * HOUR_NS;
const utc = (text: string) => BigInt(Date.parse(text)) * MS;

function nanos(name: string, texts: (string | null)[], zone?: string): pl.Series {
  const raw = texts.map((t) => t === null ? 0n : utc(t));
  const s = int64(name, raw).cast(pl.Datetime("ns", zone));
  const nulls = texts.flatMap((t, k) => t === null ? [k] : []);
  if (nulls.length > 0) s.scatter(nulls, null);
  return s;
}

const offset = (input: string, by: string) => m("dt.offsetBy", col(input), [A.str(by)]);

Deno.test("dt.offsetBy() refuses durations it cannot apply exactly", async () => {
  const df = pl.DataFrame([nanos("t", ["2024-01-01T00:00:00Z"])]);
  await refused(df, offset("t", "1mo1d"), /at most one calendar unit/);
  await refused(df, offset("t", "1w2d"), /at most one calendar unit/);
  await refused(df, offset("t", `${MAX_OFFSET.months + 1}mo`), /at most 100 years/);
  await refused(df, offset("t", `${MAX_OFFSET.days + 1}d`), /at most 100 years/);
  await refused(df, offset("t", `${MAX_OFFSET.days * 24 + 24}h`), /at most 100 years/);
  await refused(df, offset("t", "1x"), /argument 1 must be a duration of <integer><unit> parts/);
  await refused(df, offset("t", ""), /argument 1 must be a duration of 1 to 64 characters/);
  await refused(
    df,
    m("dt.offsetBy", col("t"), [A.e(col("t"))]),
    /argument 1 must be a duration string/,
  );
});

Deno.test("dt.offsetBy() moves calendar days in local time across DST", async () => {
  const df = pl.DataFrame([
    nanos("ny", [
      "2024-03-09T17:00:00Z", // 12:00 EST
      "2024-03-10T16:00:00Z", // 12:00 EDT
      null,
      "2024-11-02T16:00:00.000Z", // 12:00 EDT, the day before the autumn switch
    ], "America/New_York"),
  ]);
  const out = await select(
    df,
    named(offset("ny", "1d"), "day"),
    named(offset("ny", "-1d"), "back"),
    named(offset("ny", "1w"), "week"),
    named(offset("ny", "24h"), "fixed"),
    named(offset("ny", "1d90m"), "mixed"),
  );
  // 12:00 stays 12:00 local: 23 hours across the spring switch, 25 across the autumn one.
  assert.deepEqual(values(out, "day"), [
    utc("2024-03-10T16:00:00Z"),
    utc("2024-03-11T16:00:00Z"),
    null,
    utc("2024-11-03T17:00:00Z"),
  ]);
  assert.deepEqual(values(out, "back")[1], utc("2024-03-09T17:00:00Z"));
  assert.deepEqual(values(out, "week")[0], utc("2024-03-16T16:00:00Z"));
  assert.deepEqual(values(out, "fixed")[0], utc("2024-03-09T17:00:00Z") + DAY_NS);
  assert.deepEqual(values(out, "mixed")[0], utc("2024-03-10T16:00:00Z") + 90n * 60n * 1000n * MS);
});

Deno.test("dt.offsetBy() fails on a local time in a DST gap or overlap, as Polars", async () => {
  const gap = pl.DataFrame([nanos("ny", ["2024-03-09T07:30:00Z"], "America/New_York")]);
  await failsAtRun(gap, offset("ny", "1d"), /does not exist or is ambiguous/);
  const overlap = pl.DataFrame([nanos("ny", ["2024-10-03T05:30:00Z"], "America/New_York")]);
  await failsAtRun(overlap, offset("ny", "1mo"), /does not exist or is ambiguous/);
  // The same instants move by fixed durations without question.
  const out = await select(gap, named(offset("ny", "1h"), "h"));
  assert.deepEqual(values(out, "h"), [utc("2024-03-09T08:30:00Z")]);
});

Deno.test("dt.offsetBy() adds months clamped to the month's end", async () => {
  const df = pl.DataFrame([
    nanos("t", ["2024-01-31T10:00:00Z", "2023-01-31T23:59:59.5Z", "2024-03-31T00:00:00Z"]),
    pl.Series("d", Int32Array.from([19_782, 19_388, -1])).cast(pl.Date), // 2024-02-29, 2023-01-31, 1969-12-31
  ]);
  const out = await select(
    df,
    named(offset("t", "1mo"), "mo"),
    named(offset("t", "-1mo"), "back"),
    named(offset("t", "1q"), "q"),
    named(offset("d", "1y"), "y"),
    named(offset("d", "-13mo"), "d13"),
  );
  assert.deepEqual(values(out, "mo"), [
    utc("2024-02-29T10:00:00Z"),
    utc("2023-02-28T23:59:59.5Z"),
    utc("2024-04-30T00:00:00Z"),
  ]);
  assert.deepEqual(values(out, "back")[2], utc("2024-02-29T00:00:00Z"));
  assert.deepEqual(values(out, "q")[0], utc("2024-04-30T10:00:00Z"));
  // Arrow shows a Date as its midnight in epoch milliseconds.
  const day = (text: string) => Date.parse(text);
  assert.deepEqual(values(out, "y"), [day("2025-02-28"), day("2024-01-31"), day("1970-12-31")]);
  assert.deepEqual(values(out, "d13")[0], day("2023-01-29"));
});

Deno.test("dt.offsetBy() truncates fixed parts to the unit; a Date floors to the day", async () => {
  const df = pl.DataFrame([
    int64("ms", [0n, 1000n]).cast(pl.Datetime("ms")),
    pl.Series("d", Int32Array.from([0, 10])).cast(pl.Date),
  ]);
  const out = await select(
    df,
    named(offset("ms", "1500us"), "up"),
    named(offset("ms", "-1500us"), "down"),
    named(offset("ms", "999us"), "none"),
    named(offset("d", "-1h"), "d_back"),
    named(offset("d", "25h"), "d_next"),
    named(offset("d", "-1d"), "d_day"),
  );
  assert.deepEqual(values(out, "up"), [1n, 1001n]);
  assert.deepEqual(values(out, "down"), [-1n, 999n]);
  assert.deepEqual(values(out, "none"), [0n, 1000n]);
  // Arrow shows a Date as its midnight in epoch milliseconds.
  const days = (...n: number[]) => n.map((k) => k * 86_400_000);
  assert.deepEqual(values(out, "d_back"), days(-1, 9));
  assert.deepEqual(values(out, "d_next"), days(1, 11));
  assert.deepEqual(values(out, "d_day"), days(-1, 9));
});
