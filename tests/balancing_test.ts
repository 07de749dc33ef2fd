/**
 * The SDK over several compute workers that share an external handle store: round robin
 * spreads a pipeline's steps over every worker, affinity keeps a handle's reads on one
 * worker, a download resumes on another worker when its worker is killed, and with a worker
 * down a pipeline still completes through retries.
 */

import assert from "node:assert/strict";
import { col, connect, type RemoteDataFrame } from "../sdk/mod.ts";
import { rendezvousOrder } from "../sdk/transport/balancer.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-state-" });
const notices: string[] = [];
const cluster = await testCluster({
  workers: 3,
  env: { POLAROID_HANDLE_STORE: "external", POLAROID_STATE_DIR: stateDir },
  notice: (line) => notices.push(line),
});
const workers = cluster.endpoints.computeWorkers;
/** Worker names by endpoint: "compute", "compute-2", "compute-3". */
const NAMES = new Map(workers.map((e, i) => [e, i === 0 ? "compute" : `compute-${i + 1}`]));

const rows = Array.from({ length: 500 }, (_, i) => ({ k: i % 5, v: i }));

/** Each step adds 1 to `v` on the previous step's handle; returns every step's frame. */
async function pipeline(first: RemoteDataFrame, steps: number): Promise<RemoteDataFrame[]> {
  const frames = [first];
  for (let i = 0; i < steps; i++) {
    frames.push(await frames.at(-1)!.lazy().withColumns(col("v").add(1)).collect());
  }
  return frames;
}

/** The Collect log lines of a handle that worker `name` wrote. */
function collectLines(name: string, id: string): Record<string, unknown>[] {
  return cluster.logs(name).split("\n")
    .filter((l) => l.startsWith("{") && l.includes('/Collect"'))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === "rpc" && l.handle === id);
}

async function waitFor(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

Deno.test({
  name: "round robin sends consecutive steps of a pipeline to different workers",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoints: workers });
    const frames = await pipeline(await client.fromRecords(rows), 20);
    const steps = frames.slice(1).map((f) => f.info.worker);
    for (let i = 1; i < steps.length; i++) {
      assert.notEqual(steps[i], steps[i - 1], `steps ${i - 1} and ${i} ran on ${steps[i]}`);
    }
    assert.deepEqual(new Set(steps), new Set(NAMES.values()));
    const last = await frames.at(-1)!.toRecords();
    assert.deepEqual(last, rows.map((r) => ({ k: r.k, v: r.v + 20 })));
    for (const f of frames) await f.release();
  },
});

Deno.test({
  name: "affinity sends every read of one handle to the worker rendezvous hashing picks",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoints: workers, balance: "affinity" });
    await using base = await client.fromRecords(rows);
    const home = NAMES.get(rendezvousOrder(base.id, workers)[0]!)!;
    const results: RemoteDataFrame[] = [];
    for (let i = 0; i < 6; i++) {
      results.push(await base.lazy().filter(col("k").gt(i % 4)).collect());
      assert.equal((await base.toRecords()).length, rows.length);
      assert.deepEqual(await base.lazy().head(2).toRecords(), rows.slice(0, 2));
    }
    assert.deepEqual(results.map((r) => r.info.worker), Array(6).fill(home));
    assert.deepEqual(results.map((r) => r.height), [400, 300, 200, 100, 400, 300]);
    // Each worker logs a call when it ends: wait for the six reads of the handle.
    await waitFor(
      "the home worker's Collect log lines",
      () => collectLines(home, base.id).length === 6,
    );
    for (const name of NAMES.values()) {
      if (name !== home) {
        assert.equal(collectLines(name, base.id).length, 0, `${name} read the handle`);
      }
    }
    for (const r of results) await r.release();
  },
});

Deno.test({
  name: "a handle's download resumes on another worker when its worker is killed mid-stream",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoints: workers, balance: "affinity" });
    const n = 200_000;
    const big = Array.from({ length: n }, (_, i) => ({ k: i % 5, v: i }));
    // A frame whose home (by rendezvous hashing) is compute-2.
    let df = await client.fromRecords(big);
    while (NAMES.get(rendezvousOrder(df.id, workers)[0]!) !== "compute-2") {
      await df.release();
      df = await client.fromRecords(big);
    }
    let seen = 0;
    let killed = false;
    for await (const batch of df.stream({ batchSize: 1000 })) {
      const v = batch.getChild("v")!;
      for (let i = 0; i < batch.numRows; i++) assert.equal(v.get(i), seen + i);
      seen += batch.numRows;
      if (!killed) {
        await cluster.kill("compute-2");
        killed = true;
      }
    }
    assert.equal(seen, n, "every row arrived once, in order");
    assert.match(notices.join("\n"), /compute-2 exited unexpectedly \(signal SIGKILL\)/);
    await waitFor(
      "the resumed Collect's log line",
      () =>
        ["compute", "compute-3"].some((name) =>
          collectLines(name, df.id).some((l) => Number(l.startBatch ?? 0) > 0)
        ),
    );
    await df.release();
  },
});

Deno.test({
  name: "with one worker killed, a pipeline completes through retries on the others",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoints: workers });
    const first = await client.fromRecords(rows);
    const frames = await pipeline(first, 20);
    const steps = frames.slice(1).map((f) => f.info.worker);
    assert.deepEqual(new Set(steps), new Set(["compute", "compute-3"]));
    const last = await frames.at(-1)!.toRecords();
    assert.deepEqual(last, rows.map((r) => ({ k: r.k, v: r.v + 20 })));
    // A client that connects now skips the dead worker as well.
    await using late = await connect({ endpoints: workers, balance: "affinity" });
    const again = await late.handle(frames[10]!.id);
    assert.deepEqual(await again.toRecords(), rows.map((r) => ({ k: r.k, v: r.v + 10 })));
    for (const f of frames) await f.release();
  },
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(stateDir, { recursive: true });
});
