import assert from "node:assert/strict";
import { CallLog } from "./call_log.ts";

Deno.test("CallLog shows running calls, then finished ones newest first with their log fields", () => {
  const log = new CallLog({ maxRecent: 2 });
  const fields: Record<string, unknown> = { trace_id: "t1" };
  let tenant = "default";
  const end1 = log.begin({ method: "/a/One", tenant: () => tenant, log: fields });
  const end2 = log.begin({ method: "/a/Two", tenant: () => "acme", log: {} });
  assert.deepEqual(log.view().running.map((c) => c.method), ["/a/One", "/a/Two"]);
  tenant = "acme";
  Object.assign(fields, { plan: "scan → filter", rows: 3, secret: "not shown", handle: 5 });
  end1("OK");
  end1("CANCELLED");
  const { running, recent } = log.view();
  assert.deepEqual(running.map((c) => c.method), ["/a/Two"]);
  assert.equal(recent.length, 1, "a call ends once");
  const [one] = recent;
  assert.equal(one!.code, "OK");
  assert.equal(one!.tenant, "acme", "the tenant is read when viewed");
  assert.equal(one!.plan, "scan → filter");
  assert.equal(one!.rows, 3);
  assert.equal(one!.traceId, "t1");
  assert.equal(one!.handle, undefined, "a field of the wrong type is left out");
  assert.ok(!("secret" in one!));
  end2("NOT_FOUND");
  log.begin({ method: "/a/Three", tenant: () => "x", log: {} })("OK");
  assert.deepEqual(log.view().recent.map((c) => c.method), ["/a/Three", "/a/Two"], "bounded");
});
