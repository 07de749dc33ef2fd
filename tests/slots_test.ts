/**
 * Call slots of a real compute worker come back however a call ends: 200 calls cancelled by
 * their clients, past their deadlines, abandoned by clients that stop reading, uploads left
 * half sent, and client processes killed in the middle of streams. Afterwards the in-flight
 * gauge is 0, no handler is left running, no handle was kept for a call nobody waited for,
 * health says SERVING and the worker serves a plain call at once.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { scanHandlePlan } from "../sdk/plan/plan.ts";
import { HealthService } from "../shared/gen/grpc/health/v1/health.ts";
import {
  CollectRequest,
  DataFrameServiceService,
  ExecuteRequest,
  UploadRequest,
} from "../shared/gen/polaroid/v1/dataframe.ts";
import type { Plan } from "../shared/gen/polaroid/v1/plan.ts";
import { HandleServiceService } from "../shared/gen/polaroid/v1/handles.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import { ServingStatus } from "../shared/grpc/health.ts";
import { PolaroidError } from "../shared/errors.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { uniform } from "./_random.ts";

const cluster = await testCluster({
  serviceEnv: {
    compute: {
      POLAROID_MAX_CONCURRENT_CALLS: "16",
      POLAROID_STREAM_IDLE_TIMEOUT_MS: "1000",
    },
  },
});
const { compute, computeHttp } = cluster.endpoints;

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${computeHttp}/metrics`)).text();
  return text.split("\n")
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.split(" ").at(-1)), 0);
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A sort of 1M random values: ~100 ms of engine work per call. */
function heavy(id: string): Plan {
  return {
    node: {
      $case: "sort",
      value: {
        input: scanHandlePlan(id),
        by: [{ kind: { $case: "column", value: { name: "a" } } }],
        descending: [true],
        nullsLast: false,
        maintainOrder: false,
      },
    },
  };
}

Deno.test({
  name: "200 cancelled, timed-out and abandoned calls leave no slot taken and the worker serving",
  ...INTEGRATION,
  async fn() {
    const client = new RpcClient(compute, DataFrameServiceService, { timeoutMs: 60_000 });
    const handles = new RpcClient(compute, HandleServiceService, { timeoutMs: 10_000 });
    const rows = 1_000_000;
    const ipc = pl.DataFrame({ a: pl.Series("a", Array.from({ length: rows }, Math.random)) })
      .writeIPCStream();
    const { handle } = await client.clientStream("upload", [
      UploadRequest.fromPartial({ arrowIpc: ipc }),
    ]);
    const id = handle!.id;
    const handlesBefore =
      (await handles.unary("listHandles", { limit: 0, after: "", names: [] })).handles.length;
    const u = uniform(20261207);
    const outcomes = new Map<string, number>();
    const count = (e: unknown) => {
      const key = e instanceof PolaroidError ? e.reason : e === undefined ? "OK" : String(e);
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    };
    const collect = async (options: { timeoutMs?: number; signal?: AbortSignal }) => {
      for await (
        const _ of client.serverStream(
          "collect",
          CollectRequest.fromPartial({ source: { $case: "plan", value: heavy(id) } }),
          options,
        )
      ) {
        // read it all
      }
    };
    const kinds = [
      // The client's deadline passes while the engine sorts.
      () => collect({ timeoutMs: 5 + Math.floor(u() * 80) }),
      // The client cancels while the engine sorts.
      () => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(), Math.floor(u() * 80));
        return collect({ signal: controller.signal });
      },
      // An Execute whose caller's deadline passes: its result must not be kept.
      () =>
        client.unary("execute", ExecuteRequest.fromPartial({ plan: heavy(id) }), {
          timeoutMs: 5 + Math.floor(u() * 80),
        }),
      // An upload left half sent.
      () => {
        const controller = new AbortController();
        async function* half() {
          yield UploadRequest.fromPartial({ arrowIpc: ipc.subarray(0, 4096) });
          await new Promise((r) => setTimeout(r, 20));
          controller.abort();
          await new Promise(() => {});
        }
        return client.clientStream("upload", half(), { signal: controller.signal });
      },
    ];
    const started = performance.now();
    for (let round = 0; round < 190 / 10; round++) {
      await Promise.all(
        Array.from(
          { length: 10 },
          () => kinds[Math.floor(u() * kinds.length)]!().then(count, count),
        ),
      );
      // Room for the next round's ten within the budget of abandoned handlers.
      await until(
        "abandoned handlers leaving room",
        async () => (await metric("polaroid_grpc_abandoned_calls")) <= 6,
      );
    }
    // Engine work nobody waits for runs on; new calls wait for it to be done (or are refused
    // as a busy worker's, which the SDK would retry elsewhere).
    await until(
      "the abandoned handlers returning",
      async () => (await metric("polaroid_grpc_abandoned_calls")) === 0,
    );
    // Ten streams read once, then never again by clients that stay: the idle timeout.
    const raw = new RpcClient(compute, DataFrameServiceService, { timeoutMs: 60_000 });
    const stalled = await Promise.all(Array.from({ length: 5 }, async () => {
      const it = raw.serverStream(
        "collect",
        CollectRequest.fromPartial({ source: { $case: "handle", value: id }, batchSize: 1000 }),
      )[Symbol.asyncIterator]();
      await it.next();
      return it;
    }));
    // ...and five read by client processes that are then killed.
    const children = await Promise.all(Array.from({ length: 5 }, () => stalledChild(id)));
    for (const child of children) child.kill("SIGKILL");
    await Promise.all(children.map((c) => c.status));
    console.log(
      `slots: 200 calls in ${Math.round(performance.now() - started)} ms: ${
        JSON.stringify(Object.fromEntries(outcomes))
      }`,
    );

    await until(
      "the in-flight gauge reaching 0",
      async () => (await metric("polaroid_grpc_in_flight")) === 0,
    );
    await until(
      "the abandoned handlers returning",
      async () => (await metric("polaroid_grpc_abandoned_calls")) === 0,
    );
    for (const it of stalled) await it.return?.(undefined).catch(() => {});
    const health = new RpcClient(compute, HealthService, { timeoutMs: 5000 });
    assert.equal((await health.unary("check", { service: "" })).status, ServingStatus.SERVING);
    assert.equal((await fetch(`${computeHttp}/healthz`)).status, 200);
    const handlesAfter =
      (await handles.unary("listHandles", { limit: 0, after: "", names: [] })).handles.length;
    assert.equal(handlesAfter, handlesBefore, "no result was kept for a call that ended");
    const plain = await client.unary("execute", ExecuteRequest.fromPartial({ plan: heavy(id) }));
    assert.equal(plain.handle?.rows, BigInt(rows));
    assert.ok(
      (outcomes.get("CANCELLED") ?? 0) + (outcomes.get("DEADLINE_EXCEEDED") ?? 0) >= 100,
      "most calls ended early (the others were refused as a busy worker's)",
    );
    for (const c of [client, handles, raw, health]) c.close();
  },
});

/** A client process that reads one batch of the handle's stream, says so, and then waits. */
async function stalledChild(id: string): Promise<Deno.ChildProcess> {
  const script = `
    import { RpcClient } from "${new URL("../shared/grpc/client.ts", import.meta.url)}";
    import { CollectRequest, DataFrameServiceService } from "${new URL(
    "../shared/gen/polaroid/v1/dataframe.ts",
    import.meta.url,
  )}";
    const client = new RpcClient(${JSON.stringify(compute)}, DataFrameServiceService);
    const it = client.serverStream("collect", CollectRequest.fromPartial({
      source: { $case: "handle", value: ${
    JSON.stringify(id)
  } }, batchSize: 1000 }))[Symbol.asyncIterator]();
    await it.next();
    console.log("reading");
    await new Promise(() => {});`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  await reader.read();
  reader.releaseLock();
  child.stdout.cancel().catch(() => {});
  return child;
}
