import assert from "node:assert/strict";
import { Plan, type Sql } from "../shared/gen/polaroid/v1/plan.ts";
import type { HandleInfo } from "../shared/gen/polaroid/v1/handle.ts";
import { col } from "./functions.ts";
import { RemoteDataFrame, RemoteLazyFrame } from "./frame/lazy_frame.ts";
import { scanHandlePlan } from "./plan/plan.ts";
import type { Session } from "./transport/session.ts";
import { sqlPlan } from "./sql.ts";

/** Frames only record plans: building them makes no call, so no session is needed. */
const session = {} as Session;
const ID = "default.abcdefghijklmnopqrstuvwxyz";

function stored(): RemoteDataFrame {
  const info: HandleInfo = {
    id: ID,
    owner: "default",
    name: "trades",
    schema: undefined,
    rows: 0n,
    bytes: 0n,
    createdAtMs: 0n,
    ttlSeconds: 0n,
    expiresAtMs: 0n,
    refcount: 1,
    worker: "",
    metadata: {},
    objectKey: "",
    objectPending: false,
    pinned: false,
    lost: false,
  };
  return new RemoteDataFrame(session, info);
}

function sqlNode(plan: Plan): Sql {
  assert.equal(plan.node?.$case, "sql");
  // The plan also survives the wire.
  assert.deepEqual(Plan.toJSON(Plan.decode(Plan.encode(plan).finish())), Plan.toJSON(plan));
  return plan.node.value as Sql;
}

Deno.test("sqlPlan() records the query and the plans of lazy and stored frames", () => {
  const df = stored();
  assert.equal(df.name, "trades");
  const lf = new RemoteLazyFrame(session, scanHandlePlan(ID)).filter(col("a").gt(1));
  const node = sqlNode(sqlPlan("SELECT * FROM t JOIN u USING (a)", { tables: { t: df, u: lf } }));
  assert.equal(node.query, "SELECT * FROM t JOIN u USING (a)");
  assert.deepEqual(node.tables.t, scanHandlePlan(ID));
  assert.deepEqual(node.tables.u, lf.plan);
  assert.equal(node.ownedHandles, false);
  assert.equal(sqlNode(sqlPlan("SELECT 1", { ownedHandles: true })).ownedHandles, true);
});

Deno.test("sqlPlan() keeps a table named __proto__ as a table", () => {
  const plan = sqlPlan("SELECT * FROM __proto__", { tables: { ["__proto__"]: stored() } });
  const node = plan.node!.value as Sql;
  assert.deepEqual(Object.keys(node.tables), ["__proto__"]);
  assert.equal(Object.getPrototypeOf(node.tables), Object.prototype);
});

Deno.test("sqlPlan() refuses an empty query, an empty table name and a table that is no frame", () => {
  assert.throws(() => sqlPlan("  "), TypeError);
  assert.throws(() => sqlPlan(42 as unknown as string), TypeError);
  assert.throws(() => sqlPlan("SELECT 1", { tables: { "": stored() } }), /must not be empty/);
  assert.throws(
    () => sqlPlan("SELECT 1", { tables: { t: {} as RemoteLazyFrame } }),
    /table "t" must be a RemoteLazyFrame or RemoteDataFrame/,
  );
});
