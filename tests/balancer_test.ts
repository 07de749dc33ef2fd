/**
 * Three compute workers behind nginx (`startCluster({ workers: 3, balancer: true })`) on one
 * external handle store: calls through the balancer are spread over every worker, a handle
 * made through it is readable through each worker directly, and with a worker killed calls
 * through the balancer still succeed (nginx tries the next worker, then skips the dead one);
 * once restarted, the worker gets calls again.
 */

import assert from "node:assert/strict";
import { connect } from "../sdk/mod.ts";
import { scanHandlePlan, selectPlan } from "../sdk/plan/plan.ts";
import { DataFrameServiceService, ExecuteRequest } from "../shared/gen/polaroid/v1/dataframe.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { waitFor } from "../scripts/_wait.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-state-" });
const cluster = await testCluster({
  workers: 3,
  balancer: true,
  env: { POLAROID_HANDLE_STORE: "external", POLAROID_STATE_DIR: stateDir },
  // A worker is killed on purpose below.
  notice: () => {},
});
const balancer = cluster.endpoints.balancer!;
const workers = cluster.endpoints.computeWorkers;
const WORKER_NAMES = ["compute", "compute-2", "compute-3"];
const ACCESS_LOG = `${cluster.logDir}/balancer.access.log`;

/** One frame made through the balancer, shared by the tests. */
const ROWS = Array.from({ length: 500 }, (_, i) => ({ k: i % 5, v: i * 0.25 }));
const maker = await connect({ endpoint: balancer });
const frame = await maker.fromRecords(ROWS);

/** Runs `n` Execute calls through the balancer; the worker that ran each one, in order. */
async function executeThroughBalancer(n: number): Promise<string[]> {
  const client = new RpcClient(balancer, DataFrameServiceService, { timeoutMs: 30_000 });
  try {
    const ran: string[] = [];
    for (let i = 0; i < n; i++) {
      const response = await client.unary(
        "execute",
        ExecuteRequest.fromPartial({
          plan: selectPlan(scanHandlePlan(frame.id), ["k"]),
          skipCache: true,
          ttlSeconds: 60n,
        }),
      );
      ran.push(response.handle!.worker);
    }
    return ran;
  } finally {
    client.close();
  }
}

/**
 * The `upstream=` field of each Execute line the balancer logged after `offset` lines, once
 * there are `expected` of them (nginx writes a line after the response has left; on a busy
 * machine the last one may come a moment after the client has its answer), or after 5 s.
 */
async function executeUpstreams(offset: number, expected: number): Promise<string[]> {
  let upstreams: string[] = [];
  const read = async () => {
    const lines = (await Deno.readTextFile(ACCESS_LOG)).trim().split("\n").slice(offset);
    upstreams = lines.filter((line) => line.includes("/polaroid.v1.DataFrameService/Execute"))
      .map((line) => /upstream=(.*?) upstream_status=/.exec(line)?.[1] ?? "");
    return upstreams.length >= expected;
  };
  // Fewer than expected after the wait: the caller's assertion says how many.
  await waitFor(read, { timeoutMs: 5000, intervalMs: 50 }).catch(() => {});
  return upstreams;
}

async function logLines(): Promise<number> {
  return (await Deno.readTextFile(ACCESS_LOG)).trim().split("\n").length;
}

Deno.test({
  name: "calls through the balancer reach every worker",
  ...INTEGRATION,
  async fn() {
    const offset = await logLines();
    const ran = await executeThroughBalancer(6);
    assert.deepEqual([...new Set(ran)].sort(), WORKER_NAMES, `workers that ran: ${ran}`);
    const upstreams = await executeUpstreams(offset, 6);
    assert.equal(upstreams.length, 6);
    assert.deepEqual([...new Set(upstreams)].sort(), [...workers].sort());
    assert.match(
      (await Deno.readTextFile(ACCESS_LOG)).trim().split("\n").at(-1)!,
      /" 200 upstream=\S+ upstream_status=200 grpc_status=0 /,
      "nginx logs the gRPC status of each call",
    );
  },
});

Deno.test({
  name: "a handle made through the balancer is readable through each worker directly",
  ...INTEGRATION,
  async fn() {
    assert.ok(WORKER_NAMES.includes(frame.info.worker));
    for (const endpoint of workers) {
      await using direct = await connect({ endpoint });
      const there = await direct.handle(frame.id);
      assert.deepEqual(await there.toRecords(), ROWS, `read through ${endpoint}`);
    }
  },
});

Deno.test({
  name: "with a worker killed, calls through the balancer still succeed and it rejoins later",
  ...INTEGRATION,
  async fn() {
    const dead = workers[1]!;
    const status = await cluster.kill("compute-2", "SIGKILL");
    assert.equal(status.signal, "SIGKILL");
    const offset = await logLines();
    const ran = await executeThroughBalancer(6);
    assert.ok(!ran.includes("compute-2"), `workers that ran: ${ran}`);
    assert.deepEqual([...new Set(ran)].sort(), ["compute", "compute-3"]);
    const upstreams = await executeUpstreams(offset, 6);
    assert.ok(
      upstreams.some((u) => u.startsWith(`${dead}, `)),
      `nginx tried the dead worker once and went on to the next: ${upstreams.join(" | ")}`,
    );
    assert.equal(
      upstreams.filter((u) => u.includes(dead)).length,
      1,
      "then it is marked down and skipped",
    );
    // Reads through the balancer go on too.
    assert.deepEqual((await (await maker.handle(frame.id)).toRecords()).length, ROWS.length);

    await cluster.restart("compute-2");
    const deadline = Date.now() + 20_000;
    let back: string[] = [];
    while (!back.includes("compute-2")) {
      assert.ok(Date.now() < deadline, "compute-2 got no call within 20 s of its restart");
      await new Promise((r) => setTimeout(r, 500));
      back = await executeThroughBalancer(3);
    }
  },
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(stateDir, { recursive: true });
});

Deno.test({
  name: "stopping the cluster stops the balancer",
  ...INTEGRATION,
  async fn() {
    await frame.release().catch(() => {});
    await maker[Symbol.asyncDispose]();
    const pid = cluster.pids().balancer!;
    assert.ok(pid > 0);
    await cluster.stop();
    assert.equal(cluster.pids().balancer, undefined);
    let alive = true;
    try {
      Deno.readTextFileSync(`/proc/${pid}/stat`);
    } catch {
      alive = false;
    }
    assert.equal(alive, false, "no nginx process is left");
  },
});
