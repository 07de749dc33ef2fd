/**
 * Calls cancelled in every way a client cancels — at once after starting, after the first
 * message, by breaking out of a stream — among calls that must not notice: 64 workers on one
 * connection for a few seconds. Under Deno 2.9.6 without the workarounds (RpcClient's
 * deferred cancel, the late-frame filters of _late_frames.ts) the same load failed sibling
 * calls with "Call cancelled" (nghttp2 tore the session down, ENHANCE_YOUR_CALM) and stalled
 * them until their deadline (a cancel sent in the turn its call started never left);
 * `POLAROID_CANCEL_REPRO=1` runs it on plain grpc-js credentials to show the first.
 */

import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import {
  CollectRequest,
  DataFrameServiceService,
  ExecuteRequest,
  ExecuteResponse,
} from "../gen/polaroid/v1/dataframe.ts";
import { HandleInfo } from "../gen/polaroid/v1/handle.ts";
import { createLogger } from "../telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../telemetry/metrics.ts";
import { RpcClient } from "./client.ts";
import { startGrpcServer } from "./server.ts";
import { bind } from "./types.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const repro = Deno.env.get("POLAROID_CANCEL_REPRO") === "1";

Deno.test({
  name: "cancelled calls leave the other calls on their connection alone",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const binding = bind(DataFrameServiceService, {
      execute: async () => {
        await sleep(Math.random() * 3);
        return ExecuteResponse.fromPartial({ cached: true });
      },
      schema: () => Promise.resolve({ schema: undefined, rows: 0n }),
      explain: () => Promise.resolve({ logical: "", optimized: "" }),
      sink: () => Promise.resolve({ path: "", bytes: 0n }),
      async *collect(request) {
        for (let i = 0; i < request.batchSize; i++) {
          await sleep(1);
          yield { arrowIpc: Buffer.alloc(32 * 1024), rows: 1n, batchIndex: BigInt(i) };
        }
      },
      upload: () => Promise.resolve({ handle: HandleInfo.fromPartial({}) }),
    });
    await using server = await startGrpcServer({
      host: "127.0.0.1",
      port: 0,
      services: [binding],
      maxMessageBytes: 4 << 20,
      logger: createLogger("test", { write: () => {} }),
      metrics: createRpcMetrics(createRegistry("test")),
    });
    const client = new RpcClient(`127.0.0.1:${server.port}`, DataFrameServiceService, {
      timeoutMs: 10_000,
      ...(repro ? { credentials: grpc.credentials.createInsecure() } : {}),
    });
    const failures = new Map<string, number>();
    let calls = 0;
    let cancels = 0;
    const stopAt = Date.now() + 6000;
    try {
      await Promise.all(Array.from({ length: 64 }, async (_, w) => {
        while (Date.now() < stopAt) {
          const kind = (w + calls) % 4;
          try {
            if (kind === 0) {
              assert.equal(
                (await client.unary("execute", ExecuteRequest.fromPartial({}))).cached,
                true,
              );
            } else {
              const controller = new AbortController();
              const stream = client.serverStream(
                "collect",
                CollectRequest.fromPartial({ batchSize: 50 }),
                { signal: controller.signal },
              );
              cancels++;
              if (kind === 1) {
                // At once, in the turn the call started.
                const first = stream.next();
                controller.abort();
                await first.catch(() => {});
              } else if (kind === 2) {
                // After the first message.
                for await (const _ of stream) controller.abort();
              } else {
                for await (const _ of stream) break;
              }
            }
            calls++;
          } catch (error) {
            if (error instanceof Error && error.name === "CancelledError" && kind !== 0) {
              // The caller's own cancel.
              calls++;
              continue;
            }
            const key = error instanceof Error ? error.message.slice(0, 40) : String(error);
            failures.set(key, (failures.get(key) ?? 0) + 1);
          }
        }
      }));
    } finally {
      client.close();
    }
    console.log(
      `cancel storm: ${calls} calls, ${cancels} cancelled, failures ${
        JSON.stringify(Object.fromEntries(failures))
      }`,
    );
    if (repro) {
      assert.ok(failures.size > 0, "without the workarounds, calls fail");
    } else {
      assert.deepEqual(Object.fromEntries(failures), {});
      assert.ok(cancels > 1000, `${cancels} cancels (enough to trip nghttp2's glitch limit)`);
    }
  },
});
