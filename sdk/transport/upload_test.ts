import assert from "node:assert/strict";
import { tableFromArrays } from "apache-arrow";
import { LimitExceededError } from "../../shared/errors.ts";
import type { UploadResponse } from "../../shared/gen/polaroid/v1/dataframe.ts";
import { BULK_UPLOAD_MIN_BYTES } from "./bulk.ts";
import { uploadTable } from "./upload.ts";

const HANDLE = {
  id: "default.x",
  schema: undefined,
  rows: 1n,
  bytes: 1n,
  name: "",
} as unknown as NonNullable<UploadResponse["handle"]>;

/** A bulk port that answers every PUT with `status` and `body`; the requests it saw. */
function fakePort(status: number, body: unknown) {
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (r) => {
    seen.push(`${r.method} ${r.headers.get("x-polaroid-ticket")}`);
    await r.body?.cancel();
    return new Response(JSON.stringify(body), { status });
  });
  return { server, seen, url: `http://127.0.0.1:${server.addr.port}/v1/bulk/upload` };
}

/** A pool whose first Upload answers a ticket to `url`, and whose next ones store the table. */
function fakePool(url: string) {
  const calls: string[] = [];
  return {
    calls,
    pool: {
      call<T>(): Promise<T> {
        calls.push(calls.length === 0 ? "ticket" : "grpc");
        const answer: UploadResponse = calls.length === 1
          ? {
            handle: undefined,
            bulk: {
              url,
              ticket: "t".repeat(43),
              expiresInMs: 30_000n,
              batches: 0n,
              startBatch: 0n,
              batchSize: 0,
              maxBytes: 1n << 30n,
            },
          }
          : { handle: HANDLE, bulk: undefined };
        return Promise.resolve(answer as T);
      },
    },
  };
}

const big = tableFromArrays({
  x: new Float64Array(BULK_UPLOAD_MIN_BYTES / 8 + 1024),
});
const options = { ttlSeconds: 0, name: "", bulk: { credentials: {}, uploadTimeoutMs: 10_000 } };

Deno.test("uploadTable() goes over gRPC when the bulk port refuses as busy (retryable)", async () => {
  const port = fakePort(429, {
    code: 8,
    reason: "LIMIT_EXCEEDED",
    message: "busy",
    metadata: { retryable: "true" },
  });
  try {
    const { pool, calls } = fakePool(port.url);
    assert.equal(await uploadTable(pool as never, big, options), HANDLE);
    assert.deepEqual(calls, ["ticket", "grpc"]);
    assert.deepEqual(port.seen, [`PUT ${"t".repeat(43)}`]);
  } finally {
    await port.server.shutdown();
  }
});

Deno.test("uploadTable() throws the bulk port's refusal when it is final", async () => {
  const port = fakePort(429, {
    code: 8,
    reason: "LIMIT_EXCEEDED",
    message: "too large",
    metadata: {},
  });
  try {
    const { pool, calls } = fakePool(port.url);
    await assert.rejects(uploadTable(pool as never, big, options), LimitExceededError);
    assert.deepEqual(calls, ["ticket"]);
  } finally {
    await port.server.shutdown();
  }
});

Deno.test("uploadTable() sends a small table over gRPC without asking for a ticket", async () => {
  let calls = 0;
  const pool = {
    call<T>(): Promise<T> {
      calls++;
      return Promise.resolve({ handle: HANDLE, bulk: undefined } as T);
    },
  };
  const small = tableFromArrays({ x: new Float64Array(10) });
  assert.equal(await uploadTable(pool as never, small, options), HANDLE);
  assert.equal(calls, 1, "one call: the upload itself");
});
