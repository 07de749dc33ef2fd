import assert from "node:assert/strict";
import { type Cluster, startCluster } from "./cluster.ts";
import { httpOk } from "./_wait.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { HealthService } from "../shared/gen/grpc/health/v1/health.ts";
import { ServingStatus } from "../shared/grpc/health.ts";

/** Processes whose parent is this test process, `ps` itself left out. */
async function childPids(): Promise<number[]> {
  const out = await new Deno.Command("ps", { args: ["-eo", "pid=,ppid=,comm="], stdout: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout).trim().split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(([, ppid, comm]) => Number(ppid) === Deno.pid && comm !== "ps")
    .map(([pid]) => Number(pid));
}

/** Child processes that were not there before. */
async function newChildPids(before: number[]): Promise<number[]> {
  return (await childPids()).filter((pid) => !before.includes(pid));
}

/** True while `pid` runs (a zombie left for its reaper counts as gone). */
function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

async function grpcHealth(endpoint: string): Promise<number> {
  const client = new RpcClient(endpoint, HealthService, { timeoutMs: 5000 });
  try {
    return (await client.unary("check", { service: "" })).status;
  } finally {
    client.close();
  }
}

async function assertAllHealthy(cluster: Cluster): Promise<void> {
  const { endpoints } = cluster;
  for (const url of [endpoints.handlesHttp, endpoints.computeHttp, endpoints.ingestHttp]) {
    assert.equal(await httpOk(`${url}/healthz`), true, `${url}/healthz answers 200`);
  }
  assert.equal(await httpOk(`${endpoints.natsMonitor}/healthz`), true);
  for (const endpoint of [endpoints.handles, endpoints.compute, endpoints.ingest]) {
    assert.equal(await grpcHealth(endpoint), ServingStatus.SERVING, `${endpoint} is SERVING`);
  }
}

Deno.test({
  name: "startCluster() serves health on every service and stop() leaves no process",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const before = await childPids();
    const cluster = await startCluster();
    const pids = Object.values(cluster.pids());
    try {
      assert.deepEqual(cluster.names, ["nats", "handles", "compute", "ingest"]);
      assert.equal(pids.length, 4);
      await assertAllHealthy(cluster);
      const metrics = await fetch(`${cluster.endpoints.computeHttp}/metrics`);
      assert.match(await metrics.text(), /polaroid_grpc_requests_total/);
      assert.match(cluster.logs("compute"), /"msg":"listening"/);
    } finally {
      await cluster.stop();
    }
    assert.deepEqual(pids.filter(alive), [], "every process of the cluster is gone");
    assert.deepEqual(await newChildPids(before), [], "no child process remains");
    await assert.rejects(Deno.stat(cluster.logDir), Deno.errors.NotFound);
    await cluster.stop(); // twice is harmless
  },
});

Deno.test({
  name: "startCluster() restarts a killed service and restart() brings one back on its ports",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const notices: string[] = [];
    await using cluster = await startCluster({
      restart: true,
      notice: (line) => notices.push(line),
    });
    const first = cluster.pids().compute!;
    const status = await cluster.kill("compute", "SIGKILL");
    assert.equal(status.signal, "SIGKILL");
    await cluster.waitReady("compute");
    assert.equal(cluster.restarts("compute"), 1);
    assert.notEqual(cluster.pids().compute, first);
    assert.ok(notices.some((n) => /compute exited unexpectedly \(signal SIGKILL\)/.test(n)));
    const before = cluster.pids().handles;
    await cluster.restart("handles");
    assert.notEqual(cluster.pids().handles, before);
    assert.equal(cluster.restarts("handles"), 0, "a requested restart is not a crash");
    await assertAllHealthy(cluster);
  },
});

Deno.test({
  name: "startCluster() fails with the log tail of a service that cannot start",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const before = await childPids();
    const notices: string[] = [];
    await assert.rejects(
      startCluster({
        serviceEnv: { compute: { POLAROID_MAX_UPLOAD_BYTES: "lots" } },
        notice: (line) => notices.push(line),
        readyTimeoutMs: 20_000,
      }),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, /Cannot start the cluster as compute did not become ready/);
        assert.match(error.message, /POLAROID_MAX_UPLOAD_BYTES/);
        return true;
      },
    );
    assert.deepEqual(await newChildPids(before), [], "no child process remains");
    assert.deepEqual(notices.map((n) => n.split("\n")[0]), [
      "compute exited unexpectedly (code 1)",
    ]);
    assert.match(notices[0]!, /POLAROID_MAX_UPLOAD_BYTES/, "the notice shows the log tail");
  },
});
