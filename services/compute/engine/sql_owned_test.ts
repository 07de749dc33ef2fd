import assert from "node:assert/strict";
import type { HandleInfo } from "../../../shared/gen/polaroid/v1/handle.ts";
import type { ListHandlesRequest } from "../../../shared/gen/polaroid/v1/handles.ts";
import type { Plan, Sql } from "../../../shared/gen/polaroid/v1/plan.ts";
import { P, testLimits } from "./_testing.ts";
import { analyzePlan } from "./analyze.ts";
import { addOwnedHandleTables, listNamedHandles } from "./sql_owned.ts";

const owned = (plan: Plan) => analyzePlan(plan, testLimits()).ownedSql;
const planHandleIds = (plan: Plan) => analyzePlan(plan, testLimits()).handleIds;

function info(id: string, name: string): HandleInfo {
  return {
    id,
    name,
    owner: "acme",
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
}

/** ListHandles over a fixed list, in pages of `pageSize`. */
function lister(handles: HandleInfo[], pageSize = 2) {
  const calls: ListHandlesRequest[] = [];
  const list = (request: ListHandlesRequest) => {
    calls.push(request);
    if (request.names.length > 0) {
      const found = handles.filter((h) => h.name !== "" && request.names.includes(h.name));
      return Promise.resolve({ handles: found, nextAfter: "" });
    }
    const start = request.after === "" ? 0 : handles.findIndex((h) => h.id === request.after) + 1;
    const page = handles.slice(start, start + pageSize);
    const more = start + pageSize < handles.length;
    return Promise.resolve({ handles: page, nextAfter: more ? page.at(-1)!.id : "" });
  };
  return { list, calls };
}

const sqlPlan = (query: string, tables: Record<string, Plan>, ownedHandles: boolean): Plan => ({
  node: { $case: "sql", value: { query, tables, ownedHandles } },
});

const HANDLES = [
  info("acme.aaaaaaaaaaaaaaaaaaaaaaaaaa", "trades"),
  info("acme.bbbbbbbbbbbbbbbbbbbbbbbbbb", ""),
  info("acme.cccccccccccccccccccccccccc", "quotes"),
  info("acme.dddddddddddddddddddddddddd", "__proto__"),
  info("acme.eeeeeeeeeeeeeeeeeeeeeeeeee", "unused"),
];

Deno.test("listNamedHandles() pages through every handle and keeps the named ones", async () => {
  const { list, calls } = lister(HANDLES);
  const named = await listNamedHandles(list);
  assert.deepEqual([...named.keys()], ["trades", "quotes", "__proto__", "unused"]);
  assert.equal(calls.length, 3);
  assert.equal(calls[0]!.limit, 1000);
});

Deno.test("addOwnedHandleTables() adds the named handles a query reads; explicit tables win", async () => {
  const explicit = P.handle("acme.zzzzzzzzzzzzzzzzzzzzzzzzzz");
  const plan = P.select(
    sqlPlan('SELECT * FROM trades JOIN "quotes" USING (s) JOIN __proto__ USING (s)', {
      quotes: explicit,
    }, true),
    [],
  );
  const { list, calls } = lister(HANDLES);
  assert.equal(await addOwnedHandleTables(owned(plan), list), 2);
  assert.equal(calls.length, 1, "one call asks for the query's words only");
  assert.ok(calls[0]!.names.includes("trades") && !calls[0]!.names.includes("missing"));
  const sql = (plan.node as { value: { input: Plan } }).value.input.node!.value as Sql;
  assert.deepEqual(Object.keys(sql.tables).sort(), ["__proto__", "quotes", "trades"]);
  assert.equal(sql.tables.quotes, explicit);
  assert.deepEqual(planHandleIds(plan).sort(), [
    "acme.aaaaaaaaaaaaaaaaaaaaaaaaaa",
    "acme.dddddddddddddddddddddddddd",
    "acme.zzzzzzzzzzzzzzzzzzzzzzzzzz",
  ]);
});

Deno.test("addOwnedHandleTables() lists nothing when no Sql node asks for owned handles", async () => {
  const { list, calls } = lister(HANDLES);
  const plan = sqlPlan("SELECT * FROM trades", {}, false);
  assert.equal(await addOwnedHandleTables(owned(plan), list), 0);
  assert.equal(
    await addOwnedHandleTables(owned(P.handle("acme.aaaaaaaaaaaaaaaaaaaaaaaaaa")), list),
    0,
  );
  assert.equal(calls.length, 0);
  assert.deepEqual((plan.node!.value as Sql).tables, {});
});
