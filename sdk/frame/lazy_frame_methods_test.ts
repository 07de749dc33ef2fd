import assert from "node:assert/strict";
import { GroupByOutput, type Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import { type Client, connect } from "../client.ts";
import { concat } from "./concat.ts";
import { col, len } from "../functions.ts";

/** A client that never calls: building plans needs no server. */
async function offline(fn: (client: Client) => void | Promise<void>): Promise<void> {
  await using client = await connect({ endpoint: "127.0.0.1:9", connectTimeoutMs: 0 });
  await fn(client);
}

function kind(plan: Plan): string | undefined {
  return plan.node?.$case;
}

Deno.test("RemoteLazyFrame reshaping methods add their node over the receiver's plan", async () => {
  await offline((client) => {
    const lf = client.scanParquet("t.parquet");
    const input = (p: Plan) => (p.node?.value as { input?: Plan }).input;
    for (
      const [frame, expected] of [
        [lf.explode("l"), "explode"],
        [lf.unpivot("a", ["b"]), "unpivot"],
        [lf.unnest("s"), "unnest"],
        [lf.withRowIndex("i", 3), "withRowIndex"],
        [lf.dropNulls("a"), "dropNulls"],
        [lf.cache(), "cache"],
        [lf.pivot("v", { index: "k", on: "c" }), "pivot"],
        [lf.fillNull(0), "select"],
        [lf.shift(1), "select"],
        [lf.shift({ periods: -1 }), "select"],
        [lf.shiftAndFill({ n: 1, fillValue: 0 }), "select"],
        [lf.reverse(), "select"],
      ] as const
    ) {
      assert.equal(kind(frame.plan), expected);
      assert.equal(input(frame.plan), lf.plan);
    }
    assert.deepEqual(
      lf.melt("a", ["b"], { valueName: "v" }).plan,
      lf.unpivot("a", ["b"], { valueName: "v" }).plan,
    );
    assert.deepEqual(lf.shiftAndFill(2, 1).plan, lf.shiftAndFill({ n: 2, fillValue: 1 }).plan);
    assert.equal(lf.clone().plan, lf.plan);
  });
});

Deno.test("RemoteLazyGroupBy head, tail and len ask the server for that output", async () => {
  await offline((client) => {
    const lf = client.scanParquet("t.parquet");
    const output = (p: Plan) =>
      p.node?.$case === "groupBy" ? [p.node.value.output, p.node.value.n] : [];
    assert.deepEqual(output(lf.groupBy("g").head().plan), [GroupByOutput.GROUP_BY_OUTPUT_HEAD, 5n]);
    assert.deepEqual(output(lf.groupBy("g").tail(2).plan), [
      GroupByOutput.GROUP_BY_OUTPUT_TAIL,
      2n,
    ]);
    assert.deepEqual(output(lf.groupBy("g").len().plan), [GroupByOutput.GROUP_BY_OUTPUT_LEN, 0n]);
    const named = lf.groupBy("g").len("n").plan;
    assert.ok(named.node?.$case === "groupBy");
    assert.deepEqual(named.node.value.aggs, len().alias("n").toProtos());
    assert.throws(() => lf.groupBy("g").head(-1), RangeError);
  });
});

Deno.test("RemoteLazyFrame.groupByDynamic() and groupByRolling() aggregate windows", async () => {
  await offline((client) => {
    const lf = client.scanParquet("t.parquet");
    const dynamic = lf.groupByDynamic({ indexColumn: "t", every: "1h" });
    const agg = dynamic.agg(col("v").sum()).plan;
    assert.ok(agg.node?.$case === "groupByDynamic");
    assert.deepEqual(agg.node.value.aggs, col("v").sum().toProtos());
    const counted = dynamic.len().plan;
    assert.ok(counted.node?.$case === "groupByDynamic");
    assert.deepEqual(counted.node.value.aggs, len().toProtos());
    const rolling = lf.groupByRolling({ indexColumn: "t", period: "1d" });
    assert.equal(kind(rolling.agg(col("v").max()).plan), "groupByRolling");
    assert.throws(() => dynamic.head(1), /only key groups have one/);
    assert.throws(() => rolling.tail(1), /only key groups have one/);
    assert.throws(
      () => lf.groupByDynamic({ indexColumn: "t", every: "1h", closed: "x" as "left" }).agg(),
      /'closed'/,
    );
  });
});

Deno.test("RemoteLazyFrame.joinAsof() and concat() combine plans; one frame concats to itself", async () => {
  await offline((client) => {
    const a = client.scanParquet("a.parquet");
    const b = client.scanParquet("b.parquet");
    const asof = a.joinAsof(b, { on: "t", tolerance: "1m" }).plan;
    assert.ok(asof.node?.$case === "joinAsof");
    assert.equal(asof.node.value.left, a.plan);
    assert.equal(asof.node.value.right, b.plan);
    const both = concat([a, b], { how: "diagonal" }).plan;
    assert.ok(both.node?.$case === "concat");
    assert.deepEqual(both.node.value.inputs, [a.plan, b.plan]);
    assert.equal(concat([a]), a);
    assert.throws(() => concat([]), /'items' must not be empty/);
    assert.throws(() => concat([a, b], { how: "zigzag" as "vertical" }), /'how' must be one of/);
  });
});

Deno.test("RemoteLazyFrame.serialize(), toJSON() and inner() give the plan's wire form", async () => {
  await offline((client) => {
    const lf = client.scanParquet("t.parquet").head(2);
    assert.equal(lf.inner(), lf.plan);
    assert.deepEqual(JSON.parse(lf.toJSON()), {
      slice: {
        input: { scan: { file: { format: "FILE_FORMAT_PARQUET", path: "t.parquet" } } },
        length: "2",
      },
    });
    assert.equal(lf.serialize("json").toString(), lf.toJSON());
    assert.ok(lf.serialize("bincode").length > 0);
    assert.throws(() => lf.serialize("yaml" as "json"), /'format' must be "json" or "bincode"/);
  });
});
