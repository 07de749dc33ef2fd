import assert from "node:assert/strict";
import {
  ClosedWindow,
  GroupByOutput,
  type Plan,
  StartBy,
  WindowLabel,
} from "../../shared/gen/polaroid/v1/plan.ts";
import { col } from "../functions.ts";
import { scanHandlePlan } from "./plan.ts";
import { groupByDynamicPlan, groupByOutputPlan, groupByRollingPlan } from "./plan_group.ts";

const scan = scanHandlePlan("t.x");

function value(plan: Plan): Record<string, unknown> {
  return plan.node!.value as unknown as Record<string, unknown>;
}

Deno.test("groupByOutputPlan() asks for each group's head, tail or length", () => {
  const head = value(groupByOutputPlan(scan, ["g", col("h")], false, "head", 3));
  assert.deepEqual(head, {
    input: scan,
    keys: [col("g").toProto(), col("h").toProto()],
    aggs: [],
    maintainOrder: false,
    output: GroupByOutput.GROUP_BY_OUTPUT_HEAD,
    n: 3n,
  });
  assert.equal(
    value(groupByOutputPlan(scan, "g", true, "tail", 1)).output,
    GroupByOutput.GROUP_BY_OUTPUT_TAIL,
  );
  assert.equal(
    value(groupByOutputPlan(scan, "g", true, "len")).output,
    GroupByOutput.GROUP_BY_OUTPUT_LEN,
  );
  assert.throws(() => groupByOutputPlan(scan, "g", true, "head", -1), RangeError);
  assert.throws(() => groupByOutputPlan(scan, [], true, "head", 1), /'by' must name/);
});

Deno.test("groupByDynamicPlan() sends nodejs-polars' defaults explicitly", () => {
  const plan = value(groupByDynamicPlan(scan, { indexColumn: "t", every: "1h" }, [col("v").sum()]));
  assert.deepEqual(plan, {
    input: scan,
    indexColumn: "t",
    every: "1h",
    period: undefined,
    offset: undefined,
    label: WindowLabel.WINDOW_LABEL_LEFT,
    includeBoundaries: false,
    closed: ClosedWindow.CLOSED_WINDOW_LEFT,
    by: [],
    startBy: StartBy.START_BY_MONDAY,
    aggs: [col("v").sum().toProto()],
  });
  const full = value(groupByDynamicPlan(scan, {
    indexColumn: "t",
    every: "1h",
    period: "2h",
    offset: "-5m",
    label: "datapoint",
    includeBoundaries: true,
    closed: "none",
    by: ["g", col("h")],
    startBy: "sunday",
  }, []));
  assert.deepEqual(
    [full.period, full.offset, full.label, full.includeBoundaries, full.closed, full.startBy],
    [
      "2h",
      "-5m",
      WindowLabel.WINDOW_LABEL_DATAPOINT,
      true,
      ClosedWindow.CLOSED_WINDOW_NONE,
      StartBy.START_BY_SUNDAY,
    ],
  );
  assert.deepEqual(full.by, [col("g").toProto(), col("h").toProto()]);
  const bad = (options: Record<string, unknown>) => () =>
    groupByDynamicPlan(scan, { indexColumn: "t", every: "1h", ...options }, []);
  assert.throws(bad({ label: "middle" }), /'label' must be one of/);
  assert.throws(bad({ closed: "open" }), /'closed' must be one of/);
  assert.throws(bad({ startBy: "noon" }), /'startBy' must be one of/);
  assert.throws(bad({ every: "" }), /'every' must be a duration/);
  assert.throws(bad({ indexColumn: "" }), /'indexColumn' must be a column name/);
});

Deno.test("groupByRollingPlan() takes a name or an Expr index, closed right by default", () => {
  const plan = value(
    groupByRollingPlan(scan, { indexColumn: "t", period: "1d" }, [col("v").max()]),
  );
  assert.deepEqual(plan, {
    input: scan,
    indexColumn: col("t").toProto(),
    period: "1d",
    offset: undefined,
    closed: ClosedWindow.CLOSED_WINDOW_RIGHT,
    by: [],
    aggs: [col("v").max().toProto()],
  });
  const full = value(groupByRollingPlan(scan, {
    indexColumn: col("t"),
    period: "1d",
    offset: "0d",
    closed: "both",
    by: "g",
  }, []));
  assert.deepEqual([full.offset, full.closed, full.by], ["0d", ClosedWindow.CLOSED_WINDOW_BOTH, [
    col("g").toProto(),
  ]]);
  assert.throws(
    () => groupByRollingPlan(scan, { indexColumn: "t", period: 5 as unknown as string }, []),
    /'period' must be a duration/,
  );
  assert.throws(
    () => groupByRollingPlan(scan, { indexColumn: "", period: "1d" }, []),
    /'indexColumn'/,
  );
});
