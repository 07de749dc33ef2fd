import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { parseArgs, phaseTable } from "./timeseries.ts";
import {
  type BarsSummary,
  barsSummaryExprs,
  disagreements,
  localAsof,
  localBars,
  localOhlcvPlan,
  quotesFrame,
  summarizeBars,
  ticksFrame,
  tradesFrame,
} from "./timeseries_data.ts";

Deno.test("parseArgs() reads digit groups and falls back to the defaults", () => {
  assert.deepEqual(parseArgs(["--ticks", "2_000_000", "--reps", "1"]), {
    ticks: 2_000_000,
    asofRows: 10_000_000,
    reps: 1,
  });
  assert.throws(() => parseArgs(["--asof-rows", "-5"]), RangeError);
});

Deno.test("phaseTable() gives median seconds, rows/s and ratios to both baselines", () => {
  const rows = phaseTable({
    title: "p",
    rows: 1000,
    sides: [
      { engine: "a", ms: [400, 200, 300] },
      { engine: "b", ms: [100] },
      { engine: "c", ms: [50, 50] },
    ],
  }, ["b", "c"]);
  assert.deepEqual(rows, [
    "| p | a | 0.300 | 3,333 | 3.00× | 6.00× |",
    "| p | b | 0.100 | 10,000 | 1.00× | 2.00× |",
    "| p | c | 0.050 | 20,000 | 0.50× | 1.00× |",
  ]);
});

Deno.test("ticksFrame() gives 10 symbols, time sorted within each, whole-number sizes", async () => {
  const ticks = await ticksFrame(10_005).collect();
  assert.equal(ticks.height, 10_005);
  assert.deepEqual(
    Object.entries(ticks.schema).map(([name, dtype]) => `${name}: ${dtype}`),
    [
      "ts: DataType(Datetime(us,))",
      "symbol: DataType(Categorical)",
      "price: DataType(Float64)",
      "size: DataType(Float64)",
    ],
  );
  const stats = ticks.groupBy("symbol").agg(
    pl.col("ts").cast(pl.Int64).diff(1, "ignore").min().alias("step"),
    pl.len().alias("n"),
  );
  assert.equal(stats.height, 10);
  assert.ok((stats.getColumn("step").min() as number) > 0);
  const sizes = ticks.getColumn("size");
  assert.equal(sizes.sub(sizes.floor()).abs().max(), 0);
  assert.deepEqual([sizes.min(), sizes.max()], [1, 1000]);
  const again = await ticksFrame(10_005).collect();
  assert.ok(again.frameEqual(ticks));
});

Deno.test("tradesFrame() and quotesFrame() are time sorted, different, and all join", async () => {
  const trades = await tradesFrame(5000).collect();
  const quotes = await quotesFrame(5000).collect();
  assert.deepEqual(trades.columns, ["ts", "symbol", "price", "size"]);
  assert.deepEqual(quotes.columns, ["ts", "symbol", "bid", "ask"]);
  assert.ok(
    (trades.getColumn("ts").cast(pl.Int64).diff({ n: 1, nullBehavior: "ignore" }).min() as number) >
      0,
  );
  assert.equal(quotes.getColumn("symbol").nUnique(), 10);
  assert.ok(!trades.getColumn("price").seriesEqual(quotes.getColumn("bid")));
  const joined = await localAsof(trades.lazy(), quotes.lazy()).collect();
  assert.equal(joined.height, 5000);
  // Only the first trades of a symbol may come before its first quote.
  assert.ok(joined.getColumn("bid").nullCount() < 20);
  const spread = joined.getColumn("ask").sub(joined.getColumn("bid")).dropNulls();
  assert.deepEqual([spread.min(), spread.max()], [1, 5]);
});

Deno.test("localBars() and localOhlcvPlan() keep every tick in the same bars", async () => {
  const ticks = ticksFrame(50_000).collect();
  const summary = async (lf: pl.LazyDataFrame) =>
    (await lf.select(...barsSummaryExprs()).collect()).toRecords()[0] as unknown as BarsSummary;
  const a = await summary(localBars((await ticks).lazy()));
  const b = await summary(localOhlcvPlan((await ticks).lazy()));
  const total = (await ticks).getColumn("size").sum();
  assert.equal(a.count, 50_000);
  assert.equal(a.volume, total);
  // 5000 ticks of each symbol, 0.1 s apart: 500 s, 9 or 10 minutes.
  assert.ok(a.bars >= 90 && a.bars <= 100, `${a.bars} bars`);
  assert.deepEqual(disagreements("ohlcv plan", a, b), []);
});

Deno.test("disagreements() names lost ticks and tolerates rounding of the close sum", () => {
  const want = summarizeBars(2, [10, 20], [1, 2], [1.5, 2.5]);
  assert.deepEqual(want, { bars: 2, volume: 30, count: 3, closeSum: 4 });
  assert.deepEqual(disagreements("x", want, { ...want, closeSum: 4 + 1e-12 }), []);
  assert.deepEqual(disagreements("x", want, { ...want, count: 2, closeSum: 4.1 }), [
    "x: 'count' is 2, the reference has 3",
    "x: 'closeSum' is 4.1, the reference has 4",
  ]);
});
