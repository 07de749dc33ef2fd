import assert from "node:assert/strict";
import {
  FileFormat,
  GroupByOutput,
  JoinType,
  type Plan,
  UniqueKeep,
} from "../../shared/gen/polaroid/v1/plan.ts";
import { type Client, connect } from "../client.ts";
import { DataType } from "../datatypes.ts";
import { col, len } from "../functions.ts";
import type { RemoteLazyFrame } from "./lazy_frame.ts";

/** A client that never calls: building plans needs no server. */
async function offline(fn: (client: Client) => void | Promise<void>): Promise<void> {
  await using client = await connect({ endpoint: "127.0.0.1:9", connectTimeoutMs: 0 });
  await fn(client);
}

function chain(plan: Plan): string[] {
  const kinds: string[] = [];
  let at: Plan | undefined = plan;
  while (at?.node) {
    kinds.push(at.node.$case);
    const value = at.node.value as { input?: Plan; left?: Plan };
    at = value.input ?? value.left;
  }
  return kinds;
}

Deno.test("RemoteLazyFrame methods each add one node and leave the receiver unchanged", async () => {
  await offline((client) => {
    const base = client.scanParquet("trades/*.parquet");
    const lf = base
      .filter(col("qty").gt(0))
      .withColumns(col("px").mul(col("qty")).alias("notional"))
      .withColumn(col("px").alias("p"))
      .select("sym", "notional")
      .sort("notional", true)
      .head(10);
    assert.deepEqual(chain(lf.plan), [
      "slice",
      "sort",
      "select",
      "withColumns",
      "withColumns",
      "filter",
      "scan",
    ]);
    assert.deepEqual(chain(base.plan), ["scan"]);
    assert.deepEqual(base.plan.node, {
      $case: "scan",
      value: {
        source: {
          $case: "file",
          value: { format: FileFormat.FILE_FORMAT_PARQUET, path: "trades/*.parquet" },
        },
      },
    });
  });
});

Deno.test("RemoteLazyFrame.sort() positional and options forms give the same plan", async () => {
  await offline((client) => {
    const lf = client.scanIpc("t.arrow");
    const a = lf.sort(["a", "b"], [true, false], true, true).plan;
    const b =
      lf.sort({ by: ["a", "b"], descending: [true, false], nullsLast: true, maintainOrder: true })
        .plan;
    assert.deepEqual(a, b);
  });
});

Deno.test("RemoteLazyFrame.join() takes a frame and on or leftOn/rightOn", async () => {
  await offline((client) => {
    const left = client.scanParquet("l.parquet");
    const right = client.scanCsv("r.csv", { hasHeader: false, sep: ";" });
    const on = left.join(right, { on: "k", how: "left" }).plan;
    assert.ok(on.node?.$case === "join");
    assert.equal(on.node.value.how, JoinType.JOIN_TYPE_LEFT);
    assert.deepEqual(on.node.value.leftOn, [col("k").toProto()]);
    assert.deepEqual(on.node.value.rightOn, [col("k").toProto()]);
    assert.equal(on.node.value.right, right.plan);
    assert.deepEqual(right.plan.node?.$case === "scan" && right.plan.node.value.source, {
      $case: "file",
      value: {
        format: FileFormat.FILE_FORMAT_CSV,
        path: "r.csv",
        hasHeader: false,
        separator: ";",
      },
    });
    const lr = left.join(right, { leftOn: ["a", "b"], rightOn: ["x", "y"] }).plan;
    assert.ok(lr.node?.$case === "join");
    assert.deepEqual(lr.node.value.rightOn, [col("x").toProto(), col("y").toProto()]);
    assert.throws(() => client.scanCsv("r.csv", { sep: ";;" }), /'sep' must be one character/);
  });
});

Deno.test("RemoteLazyFrame.groupBy().agg() records keys, aggregations and order", async () => {
  await offline((client) => {
    const lf = client.scanJson("e.ndjson");
    const grouped =
      lf.groupBy(["sym", col("day")]).agg(col("px").mean().alias("avg"), len().alias("n")).plan;
    assert.ok(grouped.node?.$case === "groupBy");
    assert.equal(grouped.node.value.maintainOrder, true);
    assert.deepEqual(grouped.node.value.keys, [col("sym").toProto(), col("day").toProto()]);
    assert.deepEqual(grouped.node.value.aggs, [
      col("px").mean().alias("avg").toProto(),
      len().alias("n").toProto(),
    ]);
    const unordered = lf.groupBy("sym", { maintainOrder: false }).len().plan;
    assert.ok(unordered.node?.$case === "groupBy");
    assert.equal(unordered.node.value.maintainOrder, false);
    assert.equal(unordered.node.value.output, GroupByOutput.GROUP_BY_OUTPUT_LEN);
    assert.deepEqual(unordered.node.value.aggs, []);
    const sums = lf.groupBy("sym", false).sum().plan;
    assert.ok(sums.node?.$case === "groupBy");
    assert.deepEqual(sums.node.value.aggs, [col("*").sum().toProto()]);
  });
});

Deno.test("RemoteLazyFrame slicing methods: head, limit, tail, first, last, slice", async () => {
  await offline((client) => {
    const lf = client.scanParquet("t.parquet");
    const slice = (f: RemoteLazyFrame) => {
      assert.ok(f.plan.node?.$case === "slice");
      return [f.plan.node.value.offset, f.plan.node.value.length];
    };
    assert.deepEqual(slice(lf.head()), [0n, 5n]);
    assert.deepEqual(slice(lf.limit(3)), [0n, 3n]);
    assert.deepEqual(slice(lf.first()), [0n, 1n]);
    assert.deepEqual(slice(lf.slice(2, 4)), [2n, 4n]);
    assert.deepEqual(slice(lf.slice({ offset: -2, length: 1 })), [-2n, 1n]);
    const tail = lf.tail().plan;
    assert.ok(tail.node?.$case === "tail");
    assert.equal(tail.node.value.n, 5n);
    const last = lf.last().plan;
    assert.ok(last.node?.$case === "tail");
    assert.equal(last.node.value.n, 1n);
  });
});

Deno.test("RemoteLazyFrame unique, drop, rename, withColumnRenamed and cast", async () => {
  await offline((client) => {
    const lf = client.scanParquet("t.parquet");
    const unique = lf.unique(true, "a", "last").plan;
    assert.ok(unique.node?.$case === "unique");
    assert.deepEqual(unique.node.value.subset, ["a"]);
    assert.equal(unique.node.value.keep, UniqueKeep.UNIQUE_KEEP_LAST);
    assert.equal(unique.node.value.maintainOrder, true);
    assert.deepEqual(lf.unique({ subset: "a", keep: "last", maintainOrder: true }).plan, unique);
    assert.deepEqual(lf.unique(["a"], "last", true).plan, unique);
    const drop = lf.drop("a", ["b"]).plan;
    assert.ok(drop.node?.$case === "drop");
    assert.deepEqual(drop.node.value.columns, ["a", "b"]);
    assert.deepEqual(lf.withColumnRenamed("a", "b").plan, lf.rename({ a: "b" }).plan);
    const cast = lf.cast({ a: DataType.Int32 }, false).plan;
    assert.ok(cast.node?.$case === "cast");
    assert.deepEqual(cast.node.value.dtypes, { a: DataType.Int32.toProto() });
    assert.equal(cast.node.value.strict, false);
  });
});
