/**
 * Workers killed with SIGKILL at random points: three real compute workers share the
 * external store (a state directory) under a supervisor that restarts what dies; 50
 * pipelines of 6 steps each run through an SDK client balancing over the three, and during
 * each pipeline one worker, chosen at random, is killed after a random delay. Every pipeline
 * must complete through retries with the right result; afterwards no live handle points at a
 * missing or partial object, and garbage collection removes every object no handle names.
 * A CPU hog (one busy process per core) runs beside it all along: retries must find a live
 * worker on a machine that is slow to restart the dead one.
 */

import assert from "node:assert/strict";
import { col, connect, type RemoteDataFrame } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { FsStateStore } from "../shared/state_store/fs.ts";
import { uniform } from "./_random.ts";

const PIPELINES = 50;
const STEPS = 6;
const ROWS = 100_000;
const GRACE_SECONDS = 2;

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-kill-" });
const notices: string[] = [];
const cluster = await testCluster({
  workers: 3,
  restart: true,
  notice: (line) => notices.push(line),
  env: {
    POLAROID_HANDLE_STORE: "external",
    POLAROID_STATE_DIR: stateDir,
    POLAROID_GC_INTERVAL_MS: "500",
    POLAROID_GC_GRACE_SECONDS: String(GRACE_SECONDS),
  },
});
const WORKERS = ["compute", "compute-2", "compute-3"];

/** One busy process per core, until disposed. */
function cpuHog(): AsyncDisposable {
  const hogs = Array.from(
    { length: navigator.hardwareConcurrency },
    () =>
      new Deno.Command(Deno.execPath(), {
        args: ["eval", "for (;;) {}"],
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn(),
  );
  return {
    async [Symbol.asyncDispose]() {
      for (const hog of hogs) hog.kill("SIGKILL");
      await Promise.all(hogs.map((h) => h.status));
    },
  };
}
const store = await FsStateStore.open({ root: stateDir });

globalThis.addEventListener("unload", () => {
  Deno.removeSync(stateDir, { recursive: true });
});

/** Step i: v ← v * 2 + i, every row kept; the sum after all steps is known in closed form. */
function expectedSum(base: number): number {
  let sum = base;
  for (let i = 0; i < STEPS; i++) sum = sum * 2 + i * ROWS;
  return sum;
}

Deno.test({
  name: "50 pipelines complete while a random worker is killed during each; no dangling handle",
  ...INTEGRATION,
  async fn() {
    await using _hog = cpuHog();
    await using client = await connect({
      endpoints: cluster.endpoints.computeWorkers,
      retry: { budgetMs: 60_000, baseDelayMs: 100, maxDelayMs: 1500 },
      timeoutMs: 120_000,
    });
    const values = Array.from({ length: ROWS }, (_, i) => i % 97);
    const baseSum = values.reduce((a, b) => a + b, 0);
    await using base = await client.fromRecords(values.map((v) => ({ v })));
    const u = uniform(20261123);
    let completed = 0;
    let kills = 0;
    for (let p = 0; p < PIPELINES; p++) {
      const victim = WORKERS[Math.floor(u() * WORKERS.length)]!;
      const delayMs = Math.floor(u() * 400);
      const killer = (async () => {
        await new Promise((r) => setTimeout(r, delayMs));
        await cluster.kill(victim);
        kills++;
      })();
      let current: RemoteDataFrame = base;
      const made: RemoteDataFrame[] = [];
      for (let i = 0; i < STEPS; i++) {
        current = await current.lazy().withColumns(col("v").mul(2).add(i)).collect();
        made.push(current);
      }
      const [row] = await current.lazy().select(col("v").sum().alias("s")).toRecords();
      assert.equal(Number(row!.s), expectedSum(baseSum), `pipeline ${p}`);
      completed++;
      await killer;
      for (const frame of made) await frame.release().catch(() => {});
      // The victim comes back before the next round (the supervisor restarts it).
      await cluster.waitReady(victim, 30_000);
    }
    console.log(
      `kill test: ${completed}/${PIPELINES} pipelines completed, ${kills} workers killed`,
    );
    assert.equal(completed, PIPELINES);
    assert.equal(kills, PIPELINES);
    assert.ok(notices.length >= PIPELINES, "the supervisor saw the unexpected exits");

    // No live handle points at a missing or partial object.
    const live = await client.listHandles();
    let dangling = 0;
    for (const info of live) {
      const meta = info.objectKey === "" ? undefined : await store.head(info.objectKey);
      const body = meta && await store.get(info.objectKey).catch(() => undefined);
      if (!meta || body?.byteLength !== meta.bytes) dangling++;
    }
    console.log(`kill test: ${live.length} live handles, ${dangling} dangling`);
    assert.equal(dangling, 0);

    // Orphans (results whose worker died before registering them, partial bodies) go after
    // the grace period.
    const keys = new Set(live.map((info) => info.objectKey));
    const deadline = Date.now() + 20_000;
    let orphans: string[] = [];
    do {
      await new Promise((r) => setTimeout(r, 500));
      orphans = (await Array.fromAsync(store.list("handles/")))
        .filter((o) => !keys.has(o.key)).map((o) => o.key);
    } while (orphans.length > 0 && Date.now() < deadline);
    assert.deepEqual(orphans, [], "every unnamed object is collected");
  },
});
