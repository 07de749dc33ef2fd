import assert from "node:assert/strict";
import { createRegistry } from "./metrics.ts";
import { serveHttp } from "./http.ts";
import { createHealthState, readHealth, writeHealth } from "./http_state.ts";

Deno.test("readHealth() is NOT_SERVING when told so or when the last beat is too old", () => {
  const { slots } = createHealthState();
  writeHealth(slots, 1000, true);
  assert.deepEqual(readHealth(slots, 1200, 500), { serving: true });
  assert.deepEqual(readHealth(slots, 1600, 500), { serving: false, blockedMs: 600 });
  writeHealth(slots, 2000, false);
  assert.deepEqual(readHealth(slots, 2000, 500), { serving: false });
});

Deno.test("serveHttp() answers /healthz and /metrics from its own thread", async () => {
  const registry = createRegistry("test");
  let healthy = true;
  await using http = await serveHttp({
    host: "127.0.0.1",
    port: 0,
    registry,
    healthy: () => healthy,
    service: "test",
  });
  const base = `http://127.0.0.1:${http.port}`;
  const ok = await fetch(`${base}/healthz`);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { service: "test", status: "SERVING" });
  const metrics = await fetch(`${base}/metrics`);
  assert.equal(metrics.status, 200);
  assert.match(await metrics.text(), /polaroid_process_resident_memory_bytes/);
  healthy = false;
  const deadline = Date.now() + 5000;
  let status = 200;
  while (status === 200 && Date.now() < deadline) {
    const r = await fetch(`${base}/healthz`);
    status = r.status;
    await r.body?.cancel();
  }
  assert.equal(status, 503, "the service's own NOT_SERVING shows within a beat");
  assert.equal(
    await fetch(`${base}/nope`).then(async (r) => (await r.body?.cancel(), r.status)),
    404,
  );
});

Deno.test({
  name: "/healthz says NOT_SERVING while the main thread is blocked",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const registry = createRegistry("test");
    await using http = await serveHttp({
      host: "127.0.0.1",
      port: 0,
      registry,
      healthy: () => true,
      service: "test",
      maxBlockMs: 300,
    });
    // A probe in another process, 400 ms into a 1.5 s block of this thread.
    const probe = new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `await new Promise((r) => setTimeout(r, 400));
         const r = await fetch("http://127.0.0.1:${http.port}/healthz");
         console.log(JSON.stringify({ status: r.status, body: await r.json() }));`,
      ],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    while (Date.now() - started < 1500) {
      // blocked
    }
    const out = JSON.parse(new TextDecoder().decode((await probe.output()).stdout));
    assert.equal(out.status, 503);
    assert.equal(out.body.status, "NOT_SERVING");
    assert.match(out.body.reason, /^event loop blocked for \d+ ms$/);
    assert.ok(out.body.blockedMs > 300);
    // Unblocked, it serves again at the next beat.
    const deadline = Date.now() + 5000;
    let status = 503;
    while (status !== 200 && Date.now() < deadline) {
      const r = await fetch(`http://127.0.0.1:${http.port}/healthz`);
      status = r.status;
      await r.body?.cancel();
    }
    assert.equal(status, 200);
  },
});

Deno.test("serveHttp() serves an app's files with a strict policy and asks the main thread for its API", async () => {
  const seen: unknown[] = [];
  await using http = await serveHttp({
    host: "127.0.0.1",
    port: 0,
    registry: createRegistry("test"),
    healthy: () => true,
    service: "test",
    app: {
      assets: { "/app/": { body: "<p>hi</p>", contentType: "text/html" } },
      apiPrefix: "/app/api/",
      handle: (request) => {
        seen.push(request);
        if (request.path.endsWith("/boom")) return Promise.reject(new Error("secret detail"));
        return Promise.resolve({
          status: 200,
          body: '{"ok":true}',
          contentType: "application/json",
        });
      },
    },
  });
  const base = `http://127.0.0.1:${http.port}`;
  const page = await fetch(`${base}/app/`);
  assert.equal(await page.text(), "<p>hi</p>");
  assert.match(page.headers.get("content-security-policy")!, /default-src 'none'/);
  assert.equal(page.headers.get("x-content-type-options"), "nosniff");
  const api = await fetch(`${base}/app/api/x?y=1`, { headers: { authorization: "Bearer t" } });
  assert.deepEqual(await api.json(), { ok: true });
  assert.deepEqual(seen, [{ path: "/app/api/x", search: "?y=1", authorization: "Bearer t" }]);
  const failed = await fetch(`${base}/app/api/boom`);
  assert.equal(failed.status, 500);
  assert.doesNotMatch(await failed.text(), /secret/, "a failure's detail stays inside");
  const post = await fetch(`${base}/app/api/x`, { method: "POST", body: "x" });
  assert.equal(post.status, 405);
  await post.body?.cancel();
  const long = await fetch(`${base}/app/api/x?${"a".repeat(3000)}`);
  assert.equal(long.status, 414);
  await long.body?.cancel();
  assert.equal(seen.length, 2, "refused requests never reach the main thread");
});
