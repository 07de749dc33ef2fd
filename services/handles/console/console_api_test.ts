import assert from "node:assert/strict";
import { ApiKeyStore, newApiKey } from "../../../shared/auth/api_keys.ts";
import {
  certificateAuthentication,
  noAuthentication,
  tokenAuthentication,
} from "../../../shared/auth/authenticator.ts";
import { CallLog } from "../../../shared/grpc/call_log.ts";
import type { ActivitySnapshot } from "../../../shared/telemetry/activity.ts";
import { MemoryCatalog } from "../memory_catalog.ts";
import { ActivityView } from "./activity_view.ts";
import { consoleApp } from "./console_api.ts";

const acmeAdmin = newApiKey("acme", ["admin"]);
const acmeReader = newApiKey("acme", ["read"]);
const operator = newApiKey("polaroid", ["service"]);
const tokens = tokenAuthentication({
  apiKeys: ApiKeyStore.parse(
    JSON.stringify([acmeAdmin.record, acmeReader.record, operator.record]),
    "keys",
  ),
});

function snapshot(tenant: string, plan: string): Uint8Array {
  const value: ActivitySnapshot = {
    service: "compute",
    instance: "w1",
    atMs: Date.now(),
    running: [],
    recent: [{
      method: "/polaroid.v1.DataFrameService/Execute",
      tenant,
      startedAtMs: Date.now(),
      ms: 3.5,
      code: "OK",
      plan,
      traceId: "0af7651916cd43dd8448eb211c80319c",
      rows: 10,
    }],
    sources: [{
      tenant,
      name: "ticks",
      kind: "nats",
      state: "running",
      table: "ticks",
      messages: 5,
      rows: 5,
      rejected: 0,
      droppedRows: 0,
      committedRows: 5,
      bufferedBytes: 0,
      lastError: "",
    }],
  };
  return new TextEncoder().encode(JSON.stringify(value));
}

async function setUp(auth = tokens) {
  const catalog = new MemoryCatalog();
  await catalog.register("acme", { rows: 7n, bytes: 100n, name: "prices" });
  await catalog.register("globex", { rows: 9n, bytes: 900n });
  const activity = new ActivityView({ calls: new CallLog() });
  activity.add(snapshot("acme", "scan → filter"));
  activity.add(new TextEncoder().encode(JSON.stringify({ service: "compute", instance: "w2" })));
  const app = consoleApp({ catalog, activity, auth });
  const get = async (path: string, token?: string) => {
    const [pathname, search = ""] = path.split("?");
    const reply = await app.handle({
      path: `/console/api/${pathname}`,
      search: search ? `?${search}` : "",
      authorization: token === undefined ? undefined : `Bearer ${token}`,
    });
    return { status: reply.status, body: JSON.parse(reply.body) };
  };
  return { get, catalog };
}

Deno.test("the console API answers 401 without a credential and 401 for a wrong one", async () => {
  const { get } = await setUp();
  assert.equal((await get("overview")).status, 401);
  assert.equal((await get("overview", "pk_notakey")).status, 401);
});

Deno.test("the console API refuses a tenant's reader: it needs admin", async () => {
  const { get } = await setUp();
  const reply = await get("overview", acmeReader.key);
  assert.equal(reply.status, 403);
});

Deno.test("a tenant's admin sees its own handles, calls and sources only", async () => {
  const { get } = await setUp();
  const { status, body } = await get("overview", acmeAdmin.key);
  assert.equal(status, 200);
  assert.deepEqual(body.tenants, [{ tenant: "acme", live: 1, bytes: 100 }]);
  assert.equal(body.recent.length, 1);
  assert.equal(body.recent[0].plan, "scan → filter");
  assert.equal(body.sources.length, 1);
  assert.deepEqual(body.instances, [], "instances are the operator's");
  const handles = await get("handles?tenant=acme", acmeAdmin.key);
  assert.equal(handles.status, 200);
  assert.equal(handles.body.handles[0].name, "prices");
  assert.equal(handles.body.handles[0].rows, 7);
  assert.equal(handles.body.handles[0].stored, "worker ");
  const other = await get("handles?tenant=globex", acmeAdmin.key);
  assert.equal(other.status, 404, "another tenant's handles are as unknown");
});

Deno.test("a service credential sees every tenant and every instance", async () => {
  const { get } = await setUp();
  const { body } = await get("overview", operator.key);
  assert.deepEqual(body.tenants.map((t: { tenant: string }) => t.tenant), ["globex", "acme"]);
  assert.deepEqual(
    body.instances.map((i: { instance: string }) => i.instance),
    ["handles", "w1"],
    "a malformed snapshot (w2) is ignored",
  );
  assert.equal((await get("handles?tenant=globex", operator.key)).body.handles[0].rows, 9);
});

Deno.test("the console API refuses a malformed tenant or cursor and an unknown route", async () => {
  const { get } = await setUp(noAuthentication());
  assert.equal((await get("handles?tenant=../etc")).status, 400);
  assert.equal((await get("handles?tenant=" + "a".repeat(300))).status, 400);
  assert.equal((await get("handles?tenant=acme&after=%00bad")).status, 400);
  assert.equal((await get("handles")).status, 400, "an operator names the tenant");
  assert.equal((await get("nope")).status, 404);
});

Deno.test("the console API is closed with mTLS, saying why", async () => {
  const { get } = await setUp(certificateAuthentication());
  const reply = await get("overview", operator.key);
  assert.equal(reply.status, 403);
  assert.match(reply.body.error, /POLAROID_AUTH=token/);
});
