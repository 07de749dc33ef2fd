import assert from "node:assert/strict";
import { type Plan, Plan as PlanMessage, StartBy } from "../../shared/gen/polaroid/v1/plan.ts";
import { MAX_FILL_BARS, ohlcv, type OhlcvOptions, shortestDuration } from "./bars.ts";
import { type Client, connect } from "../client.ts";

/** A client that never calls: building plans needs no server. */
async function offline(fn: (client: Client) => void | Promise<void>): Promise<void> {
  await using client = await connect({ endpoint: "127.0.0.1:9", connectTimeoutMs: 0 });
  await fn(client);
}

/** The plan's nodes, outermost first, following each node's (first) input. */
function chain(plan: Plan): Plan[] {
  const out: Plan[] = [];
  let p: Plan | undefined = plan;
  while (p !== undefined) {
    out.push(p);
    const value = p.node?.value as { input?: Plan; left?: Plan } | undefined;
    p = value?.input ?? value?.left;
  }
  return out;
}

function json(plan: Plan): string {
  return JSON.stringify(PlanMessage.toJSON(plan));
}

const BASE: OhlcvOptions = { index: "ts", price: "px", volume: "qty", every: "1m", by: "sym" };

Deno.test("ohlcv() sorts, groups by dynamic windows from their start and selects the bars", async () => {
  await offline((client) => {
    const lf = client.scanParquet("t.parquet");
    const bars = lf.ohlcv({ ...BASE, period: "2m", offset: "30s", closed: "right" });
    const kinds = chain(bars.plan).map((p) => p.node?.$case);
    assert.deepEqual(kinds, ["sort", "select", "groupByDynamic", "sort", "scan"]);
    const dynamic = chain(bars.plan)[2]!.node!.value as unknown as Record<string, unknown>;
    assert.equal(dynamic.every, "1m");
    assert.equal(dynamic.period, "2m");
    assert.equal(dynamic.offset, "30s");
    assert.equal(dynamic.startBy, StartBy.START_BY_WINDOW);
    assert.equal(dynamic.includeBoundaries, false);
    const text = json(bars.plan);
    for (const name of ["open", "high", "low", "close", "volume", "vwap", "count"]) {
      assert.ok(text.includes(`"${name}"`), name);
    }
    assert.ok(!text.includes("convertTimeZone"));
  });
});

Deno.test("ohlcv() leaves out vwap, count and volume when asked or without a volume", async () => {
  await offline((client) => {
    const lf = client.scanParquet("t.parquet");
    const plain = json(ohlcv(lf, { index: "ts", price: "px", every: "1h", count: false }).plan);
    for (const name of ["volume", "vwap", "count"]) assert.ok(!plain.includes(`"${name}"`), name);
    const noVwap = json(lf.ohlcv({ ...BASE, vwap: false }).plan);
    assert.ok(noVwap.includes('"volume"') && !noVwap.includes('"vwap"'));
  });
});

Deno.test("ohlcv() converts the index to the time zone before grouping", async () => {
  await offline((client) => {
    const bars = client.scanParquet("t.parquet").ohlcv({ ...BASE, timeZone: "America/New_York" });
    const kinds = chain(bars.plan).map((p) => p.node?.$case);
    assert.deepEqual(kinds.slice(-2), ["withColumns", "scan"]);
    const text = json(chain(bars.plan).at(-2)!);
    assert.ok(text.includes("dt.convertTimeZone") && text.includes("America/New_York"), text);
  });
});

Deno.test("ohlcv() with a fill left-joins the bars to a guarded grid of bar labels", async () => {
  await offline((client) => {
    const bars = client.scanParquet("t.parquet").ohlcv({ ...BASE, fill: "previous_close" });
    const text = json(bars.plan);
    assert.ok(text.includes('"join"') && text.includes("JOIN_TYPE_LEFT"), "left join");
    assert.ok(text.includes("pl.intRanges"), "lattice");
    assert.ok(text.includes(`at most ${MAX_FILL_BARS} (maxBars)`), "guard");
    assert.ok(text.includes("forwardFill") && text.includes('"over"'), "close per symbol");
    const linear = json(client.scanParquet("t.parquet").ohlcv({ ...BASE, fill: "linear" }).plan);
    assert.ok(linear.includes("interpolate"));
    const small = json(
      client.scanParquet("t.parquet").ohlcv({ ...BASE, fill: "null", maxBars: 7 }).plan,
    );
    assert.ok(small.includes("at most 7 (maxBars)"));
  });
});

Deno.test("ohlcv() refuses bad options naming them", async () => {
  await offline((client) => {
    const lf = client.scanParquet("t.parquet");
    const cases: [Partial<OhlcvOptions> | null, RegExp][] = [
      [null, /'options' must be an object: current value is null/],
      [{ index: "" }, /'index' must be a column name: current value is ""/],
      [{ price: 3 as never }, /'price' must be a column name: current value is 3/],
      [{ volume: "" }, /'volume' must be a column name/],
      [
        { every: "1x" },
        /'every' must be a positive duration such as "1m", "1d2h" or "10i": current value is "1x"/,
      ],
      [{ every: "0h" }, /'every' must be a positive duration: current value is "0h"/],
      [{ every: "1h10i" }, /'every' must be a positive duration/],
      [{ period: "-1h" }, /'period' must be a positive duration/],
      [{ offset: "soon" }, /'offset' must be a duration such as "0ns" or "-2h"/],
      [
        { closed: "open" as never },
        /'closed' must be one of left, right, both, none: current value is "open"/,
      ],
      [{ label: "middle" as never }, /'label' must be one of left, right, datapoint/],
      [{ fill: "zero" as never }, /'fill' must be one of none, null, previous_close, linear/],
      [{ fill: "null", label: "datapoint" }, /'label' must be "left" or "right" with fill "null"/],
      [{ fill: "linear", every: "10i" }, /'every' must be a time duration with fill "linear"/],
      [{ by: [1] as never }, /'by' must be a column name: current value is 1/],
      [{ by: {} as never }, /'by' must be a column name or an array of them/],
      [{ timeZone: "" }, /'timeZone' must be an IANA time zone such as "America\/New_York"/],
      [{ vwap: "yes" as never }, /'vwap' must be a boolean: current value is "yes"/],
    ];
    for (const [patch, message] of cases) {
      const options = patch === null ? null : { ...BASE, ...patch };
      assert.throws(() => lf.ohlcv(options as OhlcvOptions), (e: unknown) => {
        assert.ok(e instanceof TypeError, String(e));
        assert.match(e.message, /^Cannot build OHLCV bars as /);
        assert.match(e.message, message);
        return true;
      });
    }
    for (const maxBars of [0, 1.5, MAX_FILL_BARS + 1]) {
      assert.throws(
        () => lf.ohlcv({ ...BASE, fill: "null", maxBars }),
        (e: unknown) =>
          e instanceof RangeError &&
          e.message ===
            `Cannot build OHLCV bars as 'maxBars' must be an integer from 1 to 10000000: current value is ${maxBars}`,
      );
    }
  });
});

Deno.test("shortestDuration() gives the shortest length of calendar units in a zone", () => {
  const hour = 3_600_000_000_000n;
  assert.equal(shortestDuration("every", "90s"), 90_000_000_000n);
  assert.equal(shortestDuration("every", "1d12h"), 35n * hour);
  assert.equal(shortestDuration("every", "1w"), 167n * hour);
  assert.equal(shortestDuration("every", "1mo"), (28n * 24n - 1n) * hour);
  assert.equal(shortestDuration("every", "1q"), (89n * 24n - 1n) * hour);
  assert.equal(shortestDuration("every", "1y_saturating"), (365n * 24n - 1n) * hour);
  assert.equal(shortestDuration("every", "250ms"), 250_000_000n);
  assert.equal(shortestDuration("every", "10i"), 10n);
});
