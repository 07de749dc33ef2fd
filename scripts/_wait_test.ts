import assert from "node:assert/strict";
import { delay, httpOk, tcpOpen, waitFor, waitForHttp } from "./_wait.ts";
import { freePort } from "./_ports.ts";

Deno.test("waitFor() resolves once the probe holds", async () => {
  let calls = 0;
  await waitFor(() => ++calls >= 3, { intervalMs: 1 });
  assert.equal(calls, 3);
});

Deno.test("waitFor() treats a throwing probe as not ready", async () => {
  let calls = 0;
  await waitFor(() => {
    if (++calls < 2) throw new Error("not yet");
    return true;
  }, { intervalMs: 1 });
  assert.equal(calls, 2);
});

Deno.test("waitFor() rejects after the timeout naming what it awaited", async () => {
  await assert.rejects(
    waitFor(() => false, { timeoutMs: 30, intervalMs: 5, what: "the moon" }),
    /Timed out after 30 ms waiting for the moon/,
  );
});

Deno.test("waitFor() stops when aborted", async () => {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("gave up")), 10);
  await assert.rejects(
    waitFor(() => false, { signal: controller.signal, intervalMs: 5 }),
    /gave up/,
  );
});

Deno.test("delay() rejects at once with an aborted signal", async () => {
  await assert.rejects(delay(10_000, AbortSignal.abort(new Error("no"))), /no/);
});

Deno.test("waitForHttp() resolves on 200 and httpOk() is false on 503", async () => {
  let healthy = false;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () => new Response("x", { status: healthy ? 200 : 503 }),
  );
  try {
    const url = `http://127.0.0.1:${server.addr.port}/healthz`;
    assert.equal(await httpOk(url), false);
    setTimeout(() => healthy = true, 30);
    await waitForHttp(url, { timeoutMs: 5000, intervalMs: 10 });
    assert.equal(await httpOk(url), true);
  } finally {
    await server.shutdown();
  }
});

Deno.test("tcpOpen() is false for a closed port and true for a listening one", async () => {
  const port = freePort();
  assert.equal(await tcpOpen("127.0.0.1", port), false);
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  try {
    assert.equal(await tcpOpen("127.0.0.1", port), true);
  } finally {
    listener.close();
  }
});
