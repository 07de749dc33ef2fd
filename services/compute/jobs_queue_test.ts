import assert from "node:assert/strict";
import { freePort } from "../../scripts/_ports.ts";
import { waitForTcp } from "../../scripts/_wait.ts";
import { InvalidArgumentError } from "../../shared/errors.ts";
import { connectNats } from "../../shared/nats.ts";
import { createRegistry } from "../../shared/telemetry/metrics.ts";
import { registerJobQueueGauges } from "./metrics.ts";
import { JobQueue, type JobRecord, TENANT_HEADER, validateJobId } from "./jobs_queue.ts";

/** nats-server with JetStream on a free port and a temporary store directory. */
async function startJetStream(): Promise<{ url: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "polaroid-js-" });
  const port = freePort();
  const child = new Deno.Command("nats-server", {
    args: ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", dir],
    stdout: "null",
    stderr: "null",
  }).spawn();
  await waitForTcp("127.0.0.1", port, { timeoutMs: 10_000, intervalMs: 20, what: "nats-server" });
  return {
    url: `nats://127.0.0.1:${port}`,
    async [Symbol.asyncDispose]() {
      child.kill("SIGKILL");
      await child.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function record(id: string, tenant = "t1"): JobRecord {
  return {
    id,
    tenant,
    status: "queued",
    worker: "",
    attempts: 0,
    handle: "",
    submittedAtMs: 1,
    startedAtMs: 0,
    finishedAtMs: 0,
  };
}

Deno.test("validateJobId() accepts UUIDs and keys, rejects other characters", () => {
  assert.equal(validateJobId(crypto.randomUUID()).length, 36);
  assert.equal(validateJobId("nightly_2026-11-23"), "nightly_2026-11-23");
  assert.throws(() => validateJobId(""), InvalidArgumentError);
  assert.throws(() => validateJobId("a.b"), InvalidArgumentError);
  assert.throws(() => validateJobId("x".repeat(65)), /must match/);
});

Deno.test({
  name: "JobQueue stores a job once per tenant, queues it, and updates it by compare-and-set",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startJetStream();
    const nc = await connectNats(server.url, { name: "jobs-queue-test" });
    try {
      const queue = await JobQueue.open(nc, { ackWaitMs: 1000, maxDeliver: 2 });
      const request = { jobId: "j1", plan: undefined, ttlSeconds: 0n, name: "" };
      assert.equal(await queue.submit(record("j1"), request), true);
      assert.equal(await queue.submit(record("j1"), request), false);
      assert.equal(await queue.submit(record("j1", "t2"), request), true);
      assert.equal(await queue.get("t3", "j1"), undefined);

      const msg = await queue.consumer.next({ expires: 2000 });
      assert.ok(msg);
      assert.equal(msg.headers?.get(TENANT_HEADER), "t1");
      msg.ack();

      const found = await queue.get("t1", "j1");
      assert.ok(found);
      const running: JobRecord = { ...found.record, status: "running", worker: "w1", attempts: 1 };
      const revision = await queue.update(running, found.revision);
      assert.ok(revision !== undefined && revision > found.revision);
      // A write from the stale revision loses.
      assert.equal(await queue.update({ ...running, worker: "w2" }, found.revision), undefined);

      const abort = new AbortController();
      const seen: string[] = [];
      const watching = (async () => {
        for await (const r of queue.watch("t1", "j1", abort.signal)) {
          seen.push(r.status);
          if (r.status === "succeeded") abort.abort();
        }
      })();
      await queue.update({ ...running, status: "succeeded", handle: "t1.x" }, revision!);
      await watching;
      assert.deepEqual(seen.at(-1), "succeeded");
      assert.equal((await queue.get("t1", "j1"))?.record.worker, "w1");
    } finally {
      await nc.close();
    }
  },
});

Deno.test({
  name:
    "JobQueue.depth() counts the jobs no worker took yet and the age of the oldest; the gauges read it, NaN once JetStream is gone",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using server = await startJetStream();
    const nc = await connectNats(server.url, { name: "jobs-queue-depth-test" });
    try {
      const queue = await JobQueue.open(nc, { ackWaitMs: 5000 });
      const registry = createRegistry("test");
      registerJobQueueGauges(registry, queue);
      const gauge = async (name: string) =>
        Number((await registry.getSingleMetricAsString(name)).split("\n").at(-1)?.split(" ")[1]);
      assert.deepEqual(await queue.depth(1000), { queued: 0, oldestAgeSeconds: 0 });
      const submitted = Date.now();
      for (const id of ["j1", "j2"]) {
        const request = { jobId: id, plan: undefined, ttlSeconds: 0n, name: "" };
        assert.equal(await queue.submit(record(id), request), true);
      }
      const later = submitted + 30_000;
      const two = await queue.depth(1000, later);
      assert.equal(two.queued, 2);
      assert.ok(two.oldestAgeSeconds > 29 && two.oldestAgeSeconds < 31, JSON.stringify(two));
      assert.equal(await gauge("polaroid_jobs_queued"), 2);
      assert.ok(await gauge("polaroid_jobs_oldest_queued_age_seconds") < 29);
      // Taken by a worker (running, not yet acked): no longer waiting.
      const first = await queue.consumer.next({ expires: 2000 });
      assert.ok(first);
      assert.equal((await queue.depth(1000, later)).queued, 1);
      const second = await queue.consumer.next({ expires: 2000 });
      assert.ok(second);
      assert.deepEqual(await queue.depth(1000), { queued: 0, oldestAgeSeconds: 0 });
      first.ack();
      second.ack();
      await nc.close();
      assert.ok(Number.isNaN(await gauge("polaroid_jobs_queued")));
    } finally {
      if (!nc.isClosed()) await nc.close();
    }
  },
});
