/**
 * The job queue (JetStream work queue POLAROID_JOBS, records in KV `polaroid_jobs`) with two
 * real compute workers on a shared state directory: a job's result equals an Execute of the
 * same plan, failures come back as their error class, an id submitted twice runs once, a
 * tenant sees only its jobs, and a worker SIGKILLed mid-job leaves the job to the other one.
 */

import assert from "node:assert/strict";
import { INTEGRATION, rowsOf, testCluster } from "./_harness.ts";
import { type Client, col, connect, len, type RemoteLazyFrame } from "../sdk/mod.ts";
import { openJob } from "../sdk/frame/lazy_frame.ts";
import { ColumnNotFoundError, NotFoundError } from "../shared/errors.ts";

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-jobs-" });
const cluster = await testCluster({
  workers: 2,
  env: {
    POLAROID_HANDLE_STORE: "external",
    POLAROID_STATE_DIR: stateDir,
    POLAROID_JOB_ACK_WAIT_MS: "2000",
  },
});
globalThis.addEventListener("unload", () => {
  Deno.removeSync(stateDir, { recursive: true });
});

async function client(tenant = "jobs"): Promise<Client> {
  return await connect({ endpoints: cluster.endpoints.computeWorkers, tenant });
}

/** A plan over an uploaded frame of `n` rows; with `cross`, over its n² pairs. */
async function plan(c: Client, n: number, cross = false): Promise<RemoteLazyFrame> {
  const rows = Array.from({ length: n }, (_, i) => ({ a: i, g: i % 7 }));
  const lf = (await c.fromRecords(rows)).lazy();
  const input = cross ? lf.join(lf.rename({ a: "b", g: "h" }), { how: "cross" }) : lf;
  return input
    .withColumns(col("a").mul(cross ? col("b") : 3).modulo(97).alias("p"))
    .groupBy("g")
    .agg(col("p").sum().alias("s"), len().alias("n"))
    .sort("g");
}

Deno.test({
  name: "submit() runs a plan as a job whose result equals an Execute of the plan",
  ...INTEGRATION,
  async fn() {
    await using c = await client();
    const lf = await plan(c, 1000);
    const job = await lf.submit({ ttlSeconds: 600 });
    assert.match(job.id, /^[0-9a-f-]{36}$/);
    const result = await job.wait({ timeoutMs: 60_000 });
    const state = await job.status();
    assert.equal(state.status, "succeeded");
    assert.equal(state.handle, result.id);
    assert.equal(state.attempts, 1);
    assert.ok(cluster.endpoints.computeWorkers.length === 2 && state.worker.startsWith("compute"));
    assert.ok(state.finishedAtMs >= state.startedAtMs && state.startedAtMs >= state.submittedAtMs);
    const expected = await (await lf.collect({ cache: false })).toArrow();
    assert.deepEqual(rowsOf(await result.toArrow()), rowsOf(expected));
    assert.equal(expected.numRows, 7);
  },
});

Deno.test({
  name: "a job that fails reports failed and wait() throws the error's class",
  ...INTEGRATION,
  async fn() {
    await using c = await client();
    const lf = (await plan(c, 10)).select(col("missing"));
    const job = await lf.submit();
    await assert.rejects(job.wait({ timeoutMs: 60_000 }), ColumnNotFoundError);
    const state = await job.status();
    assert.equal(state.status, "failed");
    assert.equal(state.handle, "");
    assert.ok(state.error instanceof ColumnNotFoundError);
    assert.match(state.error.message, /missing/);
  },
});

Deno.test({
  name: "a job id submitted twice runs once, and other tenants cannot see it",
  ...INTEGRATION,
  async fn() {
    await using c = await client();
    const lf = await plan(c, 500);
    const before = (await c.listHandles()).length;
    const jobId = `twice-${crypto.randomUUID()}`;
    const first = await lf.submit({ jobId });
    const second = await lf.submit({ jobId });
    assert.equal(second.id, jobId);
    const a = await first.wait({ timeoutMs: 60_000 });
    const b = await second.wait({ timeoutMs: 60_000 });
    assert.equal(a.id, b.id);
    const third = await lf.submit({ jobId }); // after it finished
    assert.equal((await third.status()).handle, a.id);
    assert.equal((await first.status()).attempts, 1);
    assert.equal((await c.listHandles()).length, before + 1);
    await using other = await client("someone-else");
    await assert.rejects(openJob(other, jobId), NotFoundError);
    assert.equal((await (await openJob(c, jobId)).status()).status, "succeeded");
  },
});

Deno.test({
  name: "a worker SIGKILLed while running a job leaves it to the other worker, which runs it once",
  ...INTEGRATION,
  async fn() {
    await using c = await client();
    const lf = await plan(c, 6000, true);
    const before = (await c.listHandles()).length;
    const job = await lf.submit();
    let state = await job.status();
    const deadline = Date.now() + 60_000;
    while (state.status !== "running" && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      state = await job.status();
    }
    assert.equal(state.status, "running");
    const victim = state.worker;
    await cluster.kill(victim, "SIGKILL");
    const result = await job.wait({ timeoutMs: 120_000 });
    const done = await job.status();
    assert.equal(done.status, "succeeded");
    assert.equal(done.attempts, 2);
    assert.notEqual(done.worker, victim);
    assert.equal((await c.listHandles()).length, before + 1);
    const rows = rowsOf(await result.toArrow());
    assert.equal(rows.length, 7);
    // Every pair (a, b) is counted once: n² rows over the 7 groups of `a`.
    assert.equal(rows.reduce((sum, r) => sum + Number(r.n), 0), 6000 * 6000);
    assert.equal(rows[0]!.n, 858 * 6000);
  },
});
