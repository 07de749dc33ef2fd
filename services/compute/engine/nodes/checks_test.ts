import assert from "node:assert/strict";
import { InvalidPlanError } from "../../../../shared/errors.ts";
import type { Plan } from "../../../../shared/gen/polaroid/v1/plan.ts";
import { E, P, run, sampleFrame } from "../_testing.ts";
import { checkPlanNode } from "./registry.ts";

const T = P.handle("t");
/** A node as a client could send it: enums may hold any number. */
type Node = { $case: string; value: unknown };

function refused(node: Node, pattern: RegExp): void {
  assert.throws(
    () => checkPlanNode({ node } as Plan),
    (e) => e instanceof InvalidPlanError && pattern.test(e.message),
    JSON.stringify(node, (_, v) => typeof v === "bigint" ? `${v}n` : v),
  );
}

function accepted(node: Node): void {
  checkPlanNode({ node } as Plan);
}

const dynamic = {
  input: T,
  indexColumn: "t",
  every: "1h",
  label: 0,
  includeBoundaries: false,
  closed: 0,
  by: [],
  startBy: 0,
  aggs: [],
};

const rolling = { input: T, indexColumn: E.col("t"), period: "1h", closed: 0, by: [], aggs: [] };

const asof = {
  left: T,
  right: T,
  leftOn: "k",
  rightOn: "k",
  byLeft: [],
  byRight: [],
  strategy: 0,
  suffix: "",
  checkSortedness: true,
  coalesce: true,
};

const pivot = {
  input: T,
  values: ["v"],
  index: ["i"],
  on: ["o"],
  aggregate: 0,
  maintainOrder: true,
  sortColumns: false,
};

const group = { input: T, keys: [E.col("g")], aggs: [], maintainOrder: true, output: 0, n: 0n };

Deno.test("checkPlanNode() refuses unknown enum values of every new node", () => {
  refused(
    { $case: "concat", value: { inputs: [T], how: 99, rechunk: false, parallel: true } },
    /'concat.how' must be a known enum value: current value is 9/,
  );
  refused({ $case: "groupBy", value: { ...group, output: 7 } }, /'group_by.output'/);
  refused({ $case: "pivot", value: { ...pivot, aggregate: 42 } }, /'pivot.aggregate'/);
  refused({ $case: "groupByDynamic", value: { ...dynamic, label: 4 } }, /'group_by_dynamic.label'/);
  refused(
    { $case: "groupByDynamic", value: { ...dynamic, closed: 5 } },
    /'group_by_dynamic.closed'/,
  );
  refused(
    { $case: "groupByDynamic", value: { ...dynamic, startBy: 10 } },
    /'group_by_dynamic.start_by'/,
  );
  refused(
    { $case: "groupByRolling", value: { ...rolling, closed: -1 } },
    /'group_by_rolling.closed'/,
  );
  refused({ $case: "joinAsof", value: { ...asof, strategy: 4 } }, /'join_asof.strategy'/);
  refused({
    $case: "join",
    value: {
      left: T,
      right: T,
      how: 8,
      leftOn: [E.col("k")],
      rightOn: [E.col("k")],
      suffix: "",
      coalesce: false,
      maintainOrder: 0,
    },
  }, /'join.how'/);
  refused({
    $case: "join",
    value: {
      left: T,
      right: T,
      how: 1,
      leftOn: [E.col("k")],
      rightOn: [E.col("k")],
      maintainOrder: 6,
    },
  }, /'join.maintain_order' must be a known enum value: current value is 6/);
  refused(
    { $case: "unique", value: { input: T, subset: [], keep: 6, maintainOrder: false } },
    /'unique.keep'/,
  );
});

Deno.test("checkPlanNode() refuses empty and missing inputs, keys and names", () => {
  refused(
    { $case: "concat", value: { inputs: [], how: 0, rechunk: false, parallel: true } },
    /'concat.inputs' must not be empty/,
  );
  refused(
    { $case: "explode", value: { input: undefined, columns: [] } },
    /'explode.input' must be set/,
  );
  refused(
    { $case: "unnest", value: { input: T, columns: [] } },
    /'unnest.columns' must not be empty/,
  );
  refused(
    { $case: "unnest", value: { input: T, columns: [""] } },
    /'unnest.columns' must hold non-empty names/,
  );
  refused({ $case: "unpivot", value: { input: T, index: [""], on: [] } }, /'unpivot.index'/);
  refused(
    { $case: "unpivot", value: { input: T, index: [], on: [], valueName: "" } },
    /'unpivot.value_name' must not be empty/,
  );
  refused({ $case: "dropNulls", value: { input: T, subset: ["a", ""] } }, /'drop_nulls.subset'/);
  refused({ $case: "cache", value: { input: undefined } }, /'cache.input' must be set/);
  refused({ $case: "pivot", value: { ...pivot, on: [] } }, /'pivot.on' must not be empty/);
  refused(
    { $case: "pivot", value: { ...pivot, values: [], index: [] } },
    /'pivot.index' must not be empty when 'values' is empty/,
  );
  refused(
    { $case: "groupByDynamic", value: { ...dynamic, indexColumn: "" } },
    /'group_by_dynamic.index_column' must not be empty/,
  );
  refused(
    { $case: "groupByRolling", value: { ...rolling, indexColumn: undefined } },
    /'group_by_rolling.index_column' must be set/,
  );
  refused(
    { $case: "groupByRolling", value: { ...rolling, indexColumn: E.len() } },
    /'group_by_rolling.index_column' must be a column/,
  );
  refused(
    { $case: "joinAsof", value: { ...asof, right: undefined } },
    /'join_asof.right' must be set/,
  );
  refused(
    { $case: "joinAsof", value: { ...asof, leftOn: "" } },
    /'join_asof.left_on' must not be empty/,
  );
  refused(
    { $case: "joinAsof", value: { ...asof, byLeft: ["a"], byRight: [] } },
    /'join_asof.by_right' must have as many columns as by_left \(1\)/,
  );
  refused({ $case: "groupBy", value: { ...group, keys: [] } }, /'group_by.keys' must not be empty/);
  refused(
    { $case: "groupBy", value: { ...group, output: 2, aggs: [E.col("x")] } },
    /'group_by.aggs' must be empty for output head/,
  );
});

Deno.test("checkPlanNode() refuses malformed durations, tolerances and offsets", () => {
  for (const every of ["", "1", "h", "1hh", "1 h", "-1h", "0s", "1i2s", "1x"]) {
    refused(
      { $case: "groupByDynamic", value: { ...dynamic, every } },
      /'group_by_dynamic.every' must be/,
    );
  }
  refused(
    { $case: "groupByDynamic", value: { ...dynamic, period: "0m" } },
    /'group_by_dynamic.period' must be a positive duration/,
  );
  refused(
    { $case: "groupByDynamic", value: { ...dynamic, offset: "5" } },
    /'group_by_dynamic.offset'/,
  );
  refused(
    { $case: "groupByRolling", value: { ...rolling, period: "-2d" } },
    /'group_by_rolling.period'/,
  );
  refused({
    $case: "joinAsof",
    value: { ...asof, tolerance: { $case: "toleranceNumber", value: -1 } },
  }, /'join_asof.tolerance_number' must be a finite number >= 0/);
  refused({
    $case: "joinAsof",
    value: { ...asof, tolerance: { $case: "toleranceNumber", value: NaN } },
  }, /tolerance_number/);
  refused({
    $case: "joinAsof",
    value: { ...asof, tolerance: { $case: "toleranceDuration", value: "-1m" } },
  }, /'join_asof.tolerance_duration' must not be negative/);
  refused({
    $case: "joinAsof",
    value: { ...asof, tolerance: { $case: "toleranceDuration", value: "soon" } },
  }, /'join_asof.tolerance_duration' must be a Polars duration/);
  refused(
    { $case: "withRowIndex", value: { input: T, name: "", offset: 2n ** 32n } },
    /'with_row_index.offset' must be at most 4294967295/,
  );
});

Deno.test("checkPlanNode() accepts well-formed new nodes", () => {
  accepted({
    $case: "groupByDynamic",
    value: { ...dynamic, every: "1h30m", period: "2h", offset: "-15m", startBy: 3 },
  });
  accepted({
    $case: "groupByDynamic",
    value: { ...dynamic, every: "1mo", period: "1q", offset: "1y" },
  });
  accepted({ $case: "groupByDynamic", value: { ...dynamic, every: "10i" } });
  accepted({
    $case: "groupByRolling",
    value: { ...rolling, period: "3d12h4m25s", offset: "0ns", closed: 3 },
  });
  accepted({
    $case: "joinAsof",
    value: {
      ...asof,
      byLeft: ["a"],
      byRight: ["b"],
      tolerance: { $case: "toleranceDuration", value: "1w" },
    },
  });
  accepted({ $case: "pivot", value: { ...pivot, values: [] } });
  accepted({ $case: "withRowIndex", value: { input: T, name: "id", offset: 4294967295n } });
  accepted({ $case: "groupBy", value: { ...group, output: 4 } });
  accepted({ $case: "explode", value: { input: T, columns: [] } });
  accepted({ $case: "concat", value: { inputs: [T, T], how: 5, rechunk: true, parallel: false } });
});

Deno.test("runPlan() refuses a malformed new node with InvalidPlanError before running", async () => {
  const plan = {
    node: { $case: "concat", value: { inputs: [T], how: 99, rechunk: false, parallel: true } },
  } as unknown as Plan;
  await assert.rejects(
    run(plan, { t: sampleFrame() }),
    (e) => e instanceof InvalidPlanError && /'concat.how'/.test(e.message),
  );
});
