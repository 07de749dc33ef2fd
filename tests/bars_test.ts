/**
 * OHLCV bars through a live cluster, compared with Python Polars (group_by_dynamic, upsample
 * and the same fill, tests/bars_reference.py) on seeded ticks of three symbols: bars equal
 * exactly (floats to 1e-12), day bars in New York span 23 and 25 hours on the switch days,
 * volume and tick counts are preserved, schemas equal the results' (also with a fill and
 * over zero ticks), and an oversized fill is refused.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { connect, QueryError, type RemoteLazyFrame } from "../sdk/mod.ts";
import type { OhlcvOptions } from "../sdk/timeseries/bars.ts";
import { frameToTable, INTEGRATION, tableToFrame, testCluster } from "./_harness.ts";
import { runPython } from "../scripts/_python.ts";
import { uniform as random } from "./_random.ts";

const cluster = await testCluster();
const dir = await Deno.makeTempDir({ prefix: "polaroid-bars-" });

/** Ticks of A, B and C in two clusters around the 2024 New York DST switches, with gaps. */
function ticks(): pl.DataFrame {
  const u = random(42);
  const sym: string[] = [];
  const ts: Date[] = [];
  const px: number[] = [];
  const qty: number[] = [];
  for (const s of ["A", "B", "C"]) {
    let price = 100 + u() * 50;
    for (
      const [from, to] of [["2024-03-08T13:00Z", "2024-03-12T02:00Z"], [
        "2024-11-01T10:00Z",
        "2024-11-04T20:00Z",
      ]]
    ) {
      let t = Date.parse(from!);
      while (t < Date.parse(to!)) {
        // Several hours without ticks now and then.
        t += u() < 0.02 ? 5 * 3_600_000 : Math.floor(u() * 900_000) + 1;
        price *= Math.exp(0.002 * (u() - 0.5));
        sym.push(s);
        ts.push(new Date(t));
        px.push(price);
        qty.push(1 + Math.floor(u() * 500));
      }
    }
  }
  return pl.DataFrame([
    pl.Series("sym", sym),
    pl.Series("ts", ts, pl.Datetime("ms")),
    pl.Series("px", px, pl.Float64),
    pl.Series("qty", qty, pl.Int64),
  ]);
}

const TICKS = ticks();
const TICKS_PATH = `${dir}/ticks.parquet`;
TICKS.writeParquet(TICKS_PATH);

async function reference(options: OhlcvOptions, input = TICKS_PATH): Promise<pl.DataFrame> {
  const output = `${dir}/ref-${crypto.randomUUID()}.parquet`;
  await runPython(
    new URL("./bars_reference.py", import.meta.url).pathname,
    JSON.stringify({ input, output, options }),
  );
  return pl.readParquet(output);
}

function sameCell(actual: unknown, expected: unknown, what: string): void {
  if (typeof expected === "number" && typeof actual === "number" && !Number.isInteger(expected)) {
    const ok = Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)) ||
      (Number.isNaN(actual) && Number.isNaN(expected));
    assert.ok(ok, `${what}: ${actual} vs ${expected}`);
  } else if (expected instanceof Date) {
    assert.ok(actual instanceof Date, `${what}: ${actual}`);
    assert.equal(actual.getTime(), expected.getTime(), what);
  } else {
    assert.deepEqual(actual, expected, what);
  }
}

/** Equal names, types and values (floats to 1e-12 relative). */
function assertSameBars(actual: pl.DataFrame, expected: pl.DataFrame, what: string): void {
  assert.deepEqual(actual.columns, expected.columns, what);
  assert.deepEqual(actual.dtypes.map(String), expected.dtypes.map(String), what);
  assert.equal(actual.height, expected.height, `${what}: rows`);
  for (const name of expected.columns) {
    const a = actual.getColumn(name).toArray();
    const e = expected.getColumn(name).toArray();
    e.forEach((x, i) => sameCell(a[i], x, `${what}: ${name}[${i}]`));
  }
}

async function run(lf: RemoteLazyFrame): Promise<pl.DataFrame> {
  return tableToFrame(await lf.toArrow());
}

const CASES: OhlcvOptions[] = [
  { index: "ts", price: "px", volume: "qty", every: "1h", by: "sym" },
  { index: "ts", price: "px", volume: "qty", every: "1h", by: "sym", fill: "null" },
  { index: "ts", price: "px", volume: "qty", every: "1h", by: "sym", fill: "previous_close" },
  { index: "ts", price: "px", volume: "qty", every: "1h", by: "sym", fill: "linear" },
  {
    index: "ts",
    price: "px",
    volume: "qty",
    every: "15m",
    offset: "5m",
    closed: "right",
    label: "right",
    by: "sym",
    fill: "null",
  },
  { index: "ts", price: "px", every: "30m", period: "1h", by: ["sym"], vwap: false },
  { index: "ts", price: "px", volume: "qty", every: "4h", fill: "previous_close" },
  {
    index: "ts",
    price: "px",
    volume: "qty",
    every: "1d",
    by: "sym",
    timeZone: "America/New_York",
    fill: "linear",
  },
  { index: "ts", price: "px", volume: "qty", every: "1w", by: "sym", timeZone: "Europe/Paris" },
  { index: "ts", price: "px", volume: "qty", every: "1mo", by: "sym", fill: "null", count: false },
];

Deno.test({
  name: "ohlcv() equals Python Polars group_by_dynamic with upsample and fill",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromArrow(frameToTable(TICKS));
    for (const options of CASES) {
      const what = JSON.stringify(options);
      const [actual, expected] = await Promise.all([
        run(df.lazy().ohlcv(options)),
        reference(options),
      ]);
      assert.ok(expected.height > 3, what);
      assertSameBars(actual, expected, what);
    }
  },
});

Deno.test({
  name: "ohlcv() keeps the volume and the tick count of the input, also with fill",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromArrow(frameToTable(TICKS));
    const totalVolume = TICKS.getColumn("qty").sum();
    for (const fill of ["none", "null", "previous_close", "linear"] as const) {
      const bars = await run(
        df.lazy().ohlcv({ index: "ts", price: "px", volume: "qty", every: "10m", by: "sym", fill }),
      );
      assert.equal(bars.getColumn("volume").sum(), totalVolume, fill);
      assert.equal(bars.getColumn("count").sum(), TICKS.height, fill);
      const empty = bars.filter(pl.col("count").eq(0)).height;
      assert.ok(fill === "none" ? empty === 0 : empty > 100, `${fill}: ${empty} empty bars`);
    }
  },
});

Deno.test({
  name: "ohlcv() day bars in America/New_York span 23 and 25 hours on the DST switch days",
  ...INTEGRATION,
  async fn() {
    // One tick at every UTC hour around both switches of 2024.
    const hours: Date[] = [];
    for (const from of ["2024-03-08T05:00Z", "2024-11-01T04:00Z"]) {
      for (let h = 0; h < 24 * 5; h++) hours.push(new Date(Date.parse(from) + h * 3_600_000));
    }
    const local = pl.DataFrame([
      pl.Series("ts", hours, pl.Datetime("ms")),
      pl.Series("px", hours.map((_, i) => 100 + i), pl.Float64),
      pl.Series("qty", hours.map(() => 1), pl.Int64),
    ]);
    const path = `${dir}/hours.parquet`;
    local.writeParquet(path);
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromArrow(frameToTable(local));
    const options: OhlcvOptions = {
      index: "ts",
      price: "px",
      volume: "qty",
      every: "1d",
      timeZone: "America/New_York",
      fill: "null",
    };
    const bars = await run(df.lazy().ohlcv(options));
    assertSameBars(bars, await reference(options, path), "hourly ticks");
    assert.equal(String(bars.getColumn("ts").dtype), "DataType(Datetime(ms,America/New_York))");
    const counts = new Map<string, number>();
    const starts = bars.getColumn("ts").toArray() as unknown as Date[];
    const n = bars.getColumn("count").toArray() as number[];
    starts.forEach((d, i) => counts.set(d.toISOString(), n[i]!));
    // Local midnights: EST is UTC-5, EDT UTC-4.
    assert.equal(counts.get("2024-03-09T05:00:00.000Z"), 24);
    assert.equal(counts.get("2024-03-10T05:00:00.000Z"), 23, "spring forward");
    assert.equal(counts.get("2024-03-11T04:00:00.000Z"), 24);
    assert.equal(counts.get("2024-11-02T04:00:00.000Z"), 24);
    assert.equal(counts.get("2024-11-03T04:00:00.000Z"), 25, "fall back");
    assert.equal(counts.get("2024-11-04T05:00:00.000Z"), 24);
    // The grid between the clusters holds every local day: consecutive labels are 24 hours
    // apart but for one 23-hour and one 25-hour day; empty days have zero volume.
    const lengths = starts.slice(1).map((d, i) => (d.getTime() - starts[i]!.getTime()) / 3_600_000);
    assert.deepEqual(lengths.filter((h) => h !== 24), [23, 25]);
    assert.equal(
      starts.length,
      1 + Math.round((starts.at(-1)!.getTime() - starts[0]!.getTime()) / 86_400_000),
    );
    const empty = bars.filter(pl.col("count").eq(0));
    assert.equal(empty.height, starts.length - 11, "6 local days of ticks in March, 5 in November");
    assert.equal(bars.getColumn("count").sum(), hours.length);
    assert.deepEqual(empty.getColumn("volume").unique().toArray(), [0]);
  },
});

Deno.test({
  name: "ohlcv() upsamples ticks into finer bars through the same fill",
  ...INTEGRATION,
  async fn() {
    const local = TICKS.filter(pl.col("ts").ltEq(new Date("2024-03-08T16:00Z")));
    const path = `${dir}/few.parquet`;
    local.writeParquet(path);
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromArrow(frameToTable(local));
    for (const fill of ["null", "previous_close"] as const) {
      const options: OhlcvOptions = {
        index: "ts",
        price: "px",
        volume: "qty",
        every: "5s",
        by: "sym",
        fill,
      };
      const bars = await run(df.lazy().ohlcv(options));
      assertSameBars(bars, await reference(options, path), fill);
      assert.ok(bars.height > 10 * local.height, `${bars.height} bars of ${local.height} ticks`);
      assert.equal(bars.getColumn("count").sum(), local.height);
    }
  },
});

Deno.test({
  name: "ohlcv() refuses a fill of more bars than the limit, naming it",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromArrow(frameToTable(TICKS));
    const lf = df.lazy();
    await assert.rejects(
      () => lf.ohlcv({ index: "ts", price: "px", every: "1s", by: "sym", fill: "null" }).toArrow(),
      (e: unknown) =>
        e instanceof QueryError &&
        /must number at most 10000000 \(maxBars\): current value is about \d{8}"/.test(e.message),
    );
    await assert.rejects(
      () =>
        lf.ohlcv({ index: "ts", price: "px", every: "1h", fill: "null", maxBars: 100 }).toArrow(),
      (e: unknown) =>
        e instanceof QueryError &&
        /at most 100 \(maxBars\): current value is about \d{4}"/.test(e.message),
    );
  },
});

/** A schema as "name: type" lines, in column order. */
function schemaText(schema: Readonly<Record<string, { toString(): string }>>): string[] {
  return Object.entries(schema).map(([name, type]) => `${name}: ${type}`);
}

Deno.test({
  name: "ohlcv() schema() and columns() equal the collected bars' schema, with every fill",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromArrow(frameToTable(TICKS));
    for (const options of CASES) {
      const what = JSON.stringify(options);
      const lf = df.lazy().ohlcv(options);
      const schema = schemaText(await lf.schema());
      const columns = await lf.columns();
      await using bars = await lf.collect();
      assert.ok(bars.height > 3, what);
      assert.deepEqual(schema, schemaText(bars.schema), what);
      assert.deepEqual(columns, bars.columns, what);
    }
  },
});

Deno.test({
  name: "ohlcv() of zero ticks gives zero bars with every fill, as Python Polars",
  ...INTEGRATION,
  async fn() {
    const none = TICKS.head(0);
    const path = `${dir}/none.parquet`;
    none.writeParquet(path);
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    await using df = await client.fromArrow(frameToTable(none));
    for (const fill of ["none", "null", "previous_close", "linear"] as const) {
      for (const by of [{ by: "sym" }, {}]) {
        const options: OhlcvOptions = {
          index: "ts",
          price: "px",
          volume: "qty",
          every: "1h",
          fill,
          ...by,
        };
        const what = JSON.stringify(options);
        const lf = df.lazy().ohlcv(options);
        const bars = await run(lf);
        assertSameBars(bars, await reference(options, path), what);
        assert.equal(bars.height, 0, what);
        await using stored = await lf.collect();
        assert.deepEqual(schemaText(await lf.schema()), schemaText(stored.schema), what);
      }
    }
  },
});

Deno.test({
  name: "cleanup",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
    await Deno.remove(dir, { recursive: true });
  },
});
