import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { AggKind } from "../../../shared/gen/polaroid/v1/expr.ts";
import {
  ClosedWindow,
  type GroupByDynamic,
  GroupByOutput,
  type Plan,
  StartBy,
  WindowLabel,
} from "../../../shared/gen/polaroid/v1/plan.ts";
import { LimitExceededError } from "../../../shared/errors.ts";
import { assertFramesEqual, E, int64Series, P, run, sampleFrame } from "./_testing.ts";

const T = P.handle("t");
const lazy = () => sampleFrame().lazy();

function groupBy(output: GroupByOutput, n = 0n, aggs = [] as ReturnType<typeof E.col>[]): Plan {
  return {
    node: {
      $case: "groupBy",
      value: { input: T, keys: [E.col("g")], aggs, maintainOrder: true, output, n },
    },
  };
}

/** A sorted Datetime("us") column `t` (minutes apart, irregular), a group `g` and `v`. */
function series(): pl.DataFrame {
  const minutes = [0, 1, 2, 5, 9, 10, 30, 61, 62, 180];
  return pl.DataFrame([
    int64Series("t", minutes.map((m) => BigInt(m) * 60_000_000n)).cast(pl.Datetime("us")),
    pl.Series("g", ["a", "b", "a", "a", "b", "b", "a", "b", "a", "a"]),
    pl.Series("v", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
  ]);
}

function dynamic(extra: Partial<GroupByDynamic>): Plan {
  return {
    node: {
      $case: "groupByDynamic",
      value: {
        input: P.handle("s"),
        indexColumn: "t",
        every: "15m",
        label: WindowLabel.WINDOW_LABEL_UNSPECIFIED,
        includeBoundaries: false,
        closed: ClosedWindow.CLOSED_WINDOW_UNSPECIFIED,
        by: [],
        startBy: StartBy.START_BY_UNSPECIFIED,
        aggs: [E.alias(E.agg(AggKind.AGG_KIND_SUM, E.col("v")), "sum")],
        ...extra,
      },
    },
  };
}

Deno.test("runPlan() gives each group's head, tail and length", async () => {
  const frames = { t: sampleFrame() };
  const groups = () => lazy().groupBy("g", true);
  assertFramesEqual(
    await run(groupBy(GroupByOutput.GROUP_BY_OUTPUT_HEAD, 2n), frames),
    await groups().head(2).collect(),
  );
  assertFramesEqual(
    await run(groupBy(GroupByOutput.GROUP_BY_OUTPUT_TAIL, 1n), frames),
    await groups().tail(1).collect(),
  );
  assertFramesEqual(
    await run(groupBy(GroupByOutput.GROUP_BY_OUTPUT_LEN), frames),
    await groups().len().collect(),
  );
  assertFramesEqual(
    await run(groupBy(GroupByOutput.GROUP_BY_OUTPUT_HEAD, 2n ** 40n), frames),
    await groups().head(100).collect(),
  );
  assertFramesEqual(
    await run(groupBy(GroupByOutput.GROUP_BY_OUTPUT_AGG, 0n, [E.col("f")]), frames),
    await groups().agg(pl.col("f")).collect(),
  );
});

Deno.test("runPlan() groups by dynamic windows with nodejs-polars' options", async () => {
  const frames = { s: series() };
  const lf = () => series().lazy();
  assertFramesEqual(
    await run(dynamic({}), frames),
    await lf().groupByDynamic({ indexColumn: "t", every: "15m", startBy: "window" })
      .agg(pl.col("v").sum().alias("sum")).collect(),
  );
  assertFramesEqual(
    await run(
      dynamic({
        period: "30m",
        offset: "-5m",
        label: WindowLabel.WINDOW_LABEL_RIGHT,
        includeBoundaries: true,
        closed: ClosedWindow.CLOSED_WINDOW_BOTH,
        by: [E.col("g")],
        startBy: StartBy.START_BY_DATAPOINT,
      }),
      frames,
    ),
    await lf().groupByDynamic({
      indexColumn: "t",
      every: "15m",
      period: "30m",
      offset: "-5m",
      label: "right",
      includeBoundaries: true,
      closed: "both",
      by: "g",
      startBy: "datapoint",
    }).agg(pl.col("v").sum().alias("sum")).collect(),
  );
});

Deno.test("runPlan() groups dynamic windows by expressions too", async () => {
  const frames = { s: series() };
  const upper = E.alias(E.col("g"), "h");
  assertFramesEqual(
    await run(dynamic({ by: [upper, E.col("g")] }), frames),
    // nodejs-polars' own groupByDynamic fails on an array of expressions: the keys are
    // computed first here instead.
    await series().lazy().withColumns(pl.col("g").alias("h")).groupByDynamic({
      indexColumn: "t",
      every: "15m",
      by: ["h", "g"],
      startBy: "window",
    }).agg(pl.col("v").sum().alias("sum")).collect(),
  );
  assertFramesEqual(
    await run(dynamic({ by: [upper] }), frames),
    await series().lazy().groupByDynamic({
      indexColumn: "t",
      every: "15m",
      by: pl.col("g").alias("h"),
      startBy: "window",
    }).agg(pl.col("v").sum().alias("sum")).collect(),
  );
});

Deno.test("runPlan() groups by rolling windows, offset -period and closed right by default", async () => {
  const frames = { s: series() };
  const rolling = (extra: Record<string, unknown>): Plan => ({
    node: {
      $case: "groupByRolling",
      value: {
        input: P.handle("s"),
        indexColumn: E.col("t"),
        period: "10m",
        closed: ClosedWindow.CLOSED_WINDOW_UNSPECIFIED,
        by: [],
        aggs: [E.alias(E.agg(AggKind.AGG_KIND_SUM, E.col("v")), "sum")],
        ...extra,
      },
    },
  });
  const lf = () => series().lazy();
  assertFramesEqual(
    await run(rolling({}), frames),
    await lf().groupByRolling({ indexColumn: "t", period: "10m" })
      .agg(pl.col("v").sum().alias("sum")).collect(),
  );
  assertFramesEqual(
    await run(
      rolling({ offset: "0m", closed: ClosedWindow.CLOSED_WINDOW_LEFT, by: [E.col("g")] }),
      frames,
    ),
    await lf().groupByRolling({
      indexColumn: "t",
      period: "10m",
      offset: "0m",
      closed: "left",
      by: "g",
    })
      .agg(pl.col("v").sum().alias("sum")).collect(),
  );
});

Deno.test("runPlan() refuses dynamic windows that would exceed the allocation bound", async () => {
  // Two days of 1us windows: 1.7e11 windows (Polars would try to allocate 1.4 TB).
  const wide = pl.DataFrame([
    int64Series("t", [0n, 86_400_000_000n, 172_800_000_000n]).cast(pl.Datetime("us")),
    pl.Series("v", [1, 2, 3]),
    pl.Series("g", ["a", "b", "a"]),
  ]);
  await assert.rejects(
    run(dynamic({ every: "1us" }), { s: wide }),
    (e) => e instanceof LimitExceededError && /at most 100000000 windows/.test(e.message),
  );
  await assert.rejects(
    run(dynamic({ every: "1us", by: [E.col("g")] }), { s: wide }),
    LimitExceededError,
  );
  const ok = await run(dynamic({ every: "1h" }), { s: wide });
  assert.equal(ok.height, 3);
});
