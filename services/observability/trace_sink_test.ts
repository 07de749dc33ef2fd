import assert from "node:assert/strict";
import { traceTree } from "../../scripts/trace.ts";
import { spansOf, startTraceSink } from "./trace_sink.ts";

const TRACE = "0af7651916cd43dd8448eb211c80319c";

function exportRequest(service: string, spans: Record<string, unknown>[]) {
  return {
    resourceSpans: [{
      resource: { attributes: [{ key: "service.name", value: { stringValue: service } }] },
      scopeSpans: [{ spans }],
    }],
  };
}

const span = (id: string, parent: string, name: string, start: number, end: number) => ({
  traceId: TRACE,
  spanId: id,
  parentSpanId: parent,
  name,
  kind: 2,
  startTimeUnixNano: String(start * 1e6),
  endTimeUnixNano: String(end * 1e6),
  attributes: [
    { key: "polaroid.rows", value: { intValue: "5" } },
    { key: "polaroid.tenant", value: { stringValue: "acme" } },
  ],
});

Deno.test("the sink keeps OTLP JSON spans by trace and serves them; traceTree indents them", async () => {
  await using sink = await startTraceSink({ maxTraces: 2 });
  const post = (body: unknown, type = "application/json") =>
    fetch(`${sink.url}/v1/traces`, {
      method: "POST",
      headers: { "content-type": type },
      body: JSON.stringify(body),
    });
  assert.equal((await post(exportRequest("client", [span("a1", "", "root", 0, 10)]))).status, 200);
  assert.equal(
    (await post(exportRequest("compute", [span("b2", "a1", "child", 2, 5)]))).status,
    200,
  );
  const got = await (await fetch(`${sink.url}/traces/${TRACE}`)).json();
  assert.deepEqual(got.map((s: { name: string }) => s.name), ["root", "child"]);
  assert.deepEqual(traceTree(sink.spans(TRACE)), [
    "root [client] 10.00 ms (+0.00 ms) tenant=acme rows=5",
    "  child [compute] 3.00 ms (+2.00 ms) tenant=acme rows=5",
  ]);
  // Bad input is refused, not kept; logs and metrics are accepted and dropped.
  assert.equal((await post("not otlp", "application/x-protobuf")).status, 415);
  const broken = await fetch(`${sink.url}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{",
  });
  assert.equal(broken.status, 400);
  await broken.body?.cancel();
  const logs = await fetch(`${sink.url}/v1/logs`, { method: "POST", body: "{}" });
  assert.equal(logs.status, 200);
  await logs.body?.cancel();
  assert.equal((await fetch(`${sink.url}/traces/${"f".repeat(32)}`)).status, 404);
  // At most maxTraces are kept: the oldest goes.
  for (const id of ["1".repeat(32), "2".repeat(32)]) {
    await (await post({
      resourceSpans: [{ scopeSpans: [{ spans: [{ ...span("c3", "", "x", 0, 1), traceId: id }] }] }],
    })).body?.cancel();
  }
  assert.deepEqual(sink.spans(TRACE), []);
  const listed = await (await fetch(`${sink.url}/traces`)).json();
  assert.deepEqual(listed.map((t: { traceId: string }) => t.traceId), [
    "2".repeat(32),
    "1".repeat(32),
  ]);
});

Deno.test("spansOf() skips spans without ids and reads every attribute kind", () => {
  const spans = spansOf({
    resourceSpans: [{
      scopeSpans: [{
        spans: [{ name: "no ids" }, {
          traceId: TRACE,
          spanId: "s",
          attributes: [
            { key: "b", value: { boolValue: true } },
            { key: "d", value: { doubleValue: 1.5 } },
          ],
        }],
      }],
    }],
  });
  assert.equal(spans.length, 1);
  assert.deepEqual(spans[0]!.attributes, { b: true, d: 1.5 });
  assert.equal(spans[0]!.service, "");
});
