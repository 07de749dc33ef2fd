import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { HandleNotFoundError, InternalError, UnavailableError } from "../../shared/errors.ts";
import type { CollectResponse } from "../../shared/gen/polaroid/v1/dataframe.ts";
import { fromServiceError, toStatusObject } from "../../shared/grpc/status.ts";
import { abortableSleep, isBrokenStream, type OpenCollect, resumableCollect } from "./resume.ts";

/** A frame of `total` batches of `size` rows; attempt k fails after `failAfter[k]` batches. */
function source(total: number, size: number, failAfter: number[], error = () => broken()) {
  const calls: { startBatch: bigint; batchSize: number }[] = [];
  const open: OpenCollect = async function* (startBatch, batchSize) {
    const attempt = calls.length;
    calls.push({ startBatch, batchSize });
    const limit = failAfter[attempt] ?? Infinity;
    let sent = 0;
    for (let i = Number(startBatch); i < total; i++) {
      if (sent++ === limit) throw error();
      yield message(i, i === total - 1 ? 1 : size);
    }
    if (sent === limit) throw error();
  };
  return { open, calls };
}

function message(index: number, rows: number): CollectResponse {
  return { arrowIpc: Buffer.alloc(0), rows: BigInt(rows), batchIndex: BigInt(index) };
}

function broken(): Error {
  return new UnavailableError("Connection dropped");
}

async function indices(messages: AsyncIterable<CollectResponse>): Promise<number[]> {
  const out: number[] = [];
  for await (const m of messages) out.push(Number(m.batchIndex));
  return out;
}

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: (ms: number) => (waits.push(ms), Promise.resolve()) };
}

Deno.test("resumableCollect() reopens a broken stream from the next batch, not the start", async () => {
  const { open, calls } = source(10, 5, [3, 4]);
  const { waits, sleep } = recordingSleep();
  const got = await indices(resumableCollect(open, { batchSize: 5, sleep }));
  assert.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(calls.map((c) => c.startBatch), [0n, 3n, 7n]);
  assert.deepEqual(waits, [100, 100], "each break after progress starts the backoff again");
});

Deno.test("resumableCollect() backs off exponentially and gives up after maxRetries", async () => {
  const { open, calls } = source(10, 5, [2, 0, 0, 0]);
  const { waits, sleep } = recordingSleep();
  const stream = resumableCollect(open, {
    batchSize: 5,
    sleep,
    maxRetries: 3,
    initialDelayMs: 10,
    maxDelayMs: 25,
  });
  const got: number[] = [];
  await assert.rejects(async () => {
    for await (const m of stream) got.push(Number(m.batchIndex));
  }, UnavailableError);
  assert.deepEqual(got, [0, 1]);
  assert.deepEqual(waits, [10, 20, 25]);
  assert.equal(calls.length, 4);
});

Deno.test("resumableCollect() starts at startBatch and learns the server's batch size", async () => {
  const { open, calls } = source(6, 8, [1]);
  const { sleep } = recordingSleep();
  const got = await indices(resumableCollect(open, { batchSize: 0, startBatch: 2n, sleep }));
  assert.deepEqual(got, [2, 3, 4, 5]);
  assert.deepEqual(calls, [{ startBatch: 2n, batchSize: 0 }, { startBatch: 3n, batchSize: 8 }]);
});

Deno.test("resumableCollect() does not retry errors a server sent", async () => {
  for (
    const error of [
      () => new HandleNotFoundError("gone"),
      () => fromServiceError({ ...toStatusObject(new InternalError("bug")), message: "bug" }),
    ]
  ) {
    const { open, calls } = source(4, 2, [1], error);
    const { waits, sleep } = recordingSleep();
    await assert.rejects(indices(resumableCollect(open, { batchSize: 2, sleep })));
    assert.equal(calls.length, 1);
    assert.deepEqual(waits, []);
  }
});

Deno.test("resumableCollect() refuses a resumed stream that starts at another batch", async () => {
  let attempt = 0;
  const open: OpenCollect = async function* () {
    // A server that ignores start_batch: every attempt starts over.
    yield message(0, 2);
    if (attempt++ === 0) throw broken();
    yield message(1, 2);
  };
  const { sleep } = recordingSleep();
  await assert.rejects(
    indices(resumableCollect(open, { batchSize: 2, sleep })),
    (e: unknown) => e instanceof InternalError && /batch 1 was due .* sent batch 0/.test(e.message),
  );
});

Deno.test("resumableCollect() stops waiting when the signal aborts", async () => {
  const { open, calls } = source(4, 2, [1, 1, 1, 1, 1]);
  const controller = new AbortController();
  const stream = resumableCollect(open, {
    batchSize: 2,
    signal: controller.signal,
    initialDelayMs: 60_000,
  });
  const first = await stream.next();
  assert.equal(first.value?.batchIndex, 0n);
  const pending = stream.next();
  setTimeout(() => controller.abort(new Error("stop")), 10);
  await assert.rejects(pending, /stop/);
  assert.equal(calls.length, 1);
});

Deno.test("isBrokenStream() tells transport failures from server answers", () => {
  assert.equal(isBrokenStream(new UnavailableError("Connection dropped")), true);
  const reset = fromServiceError({
    code: 13,
    details: "Received RST_STREAM with code 2",
    message: "13 INTERNAL: Received RST_STREAM with code 2",
    metadata: { get: () => [] },
  });
  // A reset grpc-js reports as INTERNAL is a lost connection (shared/grpc/status.ts).
  assert.ok(reset instanceof UnavailableError);
  assert.equal(isBrokenStream(reset), true);
  const sent = fromServiceError({ ...toStatusObject(new InternalError("bug")), message: "bug" });
  assert.equal(isBrokenStream(sent), false);
  assert.equal(isBrokenStream(new HandleNotFoundError("gone")), false);
  assert.equal(isBrokenStream(new Error("plain")), false);
});

Deno.test("abortableSleep() resolves after the delay and rejects on abort", async () => {
  const started = performance.now();
  await abortableSleep(20);
  assert.ok(performance.now() - started >= 15);
  const controller = new AbortController();
  const pending = abortableSleep(60_000, controller.signal);
  controller.abort(new Error("now"));
  await assert.rejects(pending, /now/);
});
