import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import {
  CollectRequest,
  DataFrameServiceService,
  ExecuteRequest,
  ExecuteResponse,
  type UploadRequest,
} from "../gen/polaroid/v1/dataframe.ts";
import { HandleInfo } from "../gen/polaroid/v1/handle.ts";
import { NotFoundError } from "../errors.ts";
import { createLogger } from "../telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../telemetry/metrics.ts";
import { RpcClient } from "./client.ts";
import { type GrpcServer, startGrpcServer } from "./server.ts";
import { shieldedCredentials, type ShieldObserver } from "./shielded_credentials.ts";
import { bind } from "./types.ts";

/** Collect sends `batchSize` messages of 16 KiB at once; Upload counts the bytes it got. */
const binding = bind(DataFrameServiceService, {
  execute: () => Promise.resolve(ExecuteResponse.fromPartial({ cached: true })),
  schema: () => Promise.reject(new NotFoundError("no schema here")),
  explain: () => Promise.reject(new NotFoundError("no plan here")),
  sink: () => Promise.reject(new NotFoundError("no output here")),
  async *collect(request) {
    const payload = Buffer.alloc(16 * 1024, 1);
    for (let i = 0; i < request.batchSize; i++) {
      yield { arrowIpc: payload, rows: 1n, batchIndex: BigInt(i) };
    }
  },
  async upload(requests) {
    let bytes = 0;
    for await (const request of requests) bytes += request.arrowIpc.length;
    return { handle: HandleInfo.fromPartial({ id: String(bytes) }) };
  },
});

function serve(port = 0): Promise<GrpcServer> {
  return startGrpcServer({
    host: "127.0.0.1",
    port,
    services: [binding],
    maxMessageBytes: 8 << 20,
    logger: createLogger("test", { write: () => {} }),
    metrics: createRpcMetrics(createRegistry("test")),
  });
}

type Seen = { lastStreamId: number; refused: number; notified: boolean };
/** The GOAWAY notice of a drain names the highest stream id. */
const NOTICE = 2 ** 31 - 1;

/** A client whose shield reports into `goaways`. */
function client(port: number, goaways: Seen[]) {
  const observer: ShieldObserver = {
    goaway: ({ lastStreamId, refused, notified }) =>
      goaways.push({ lastStreamId, refused, notified }),
  };
  return new RpcClient(`127.0.0.1:${port}`, DataFrameServiceService, {
    timeoutMs: 20_000,
    goawayObserver: observer,
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, probe: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(5);
  }
}

async function* slowUpload(chunks: number, pauseMs: number): AsyncGenerator<UploadRequest> {
  for (let i = 0; i < chunks; i++) {
    yield { arrowIpc: Buffer.alloc(256 * 1024, 2), ttlSeconds: 0n, name: "", bulkBytes: 0n };
    await sleep(pauseMs);
  }
}

Deno.test("a drain lets the calls in flight finish: a slowly read stream, an upload being sent", async () => {
  const server = await serve();
  const goaways: Seen[] = [];
  const rpc = client(server.port, goaways);
  try {
    const stream = rpc.serverStream("collect", CollectRequest.fromPartial({ batchSize: 100 }));
    const first = await stream.next();
    const upload = rpc.clientStream("upload", slowUpload(8, 50));
    await until("both calls in flight", () => server.activeCalls === 2);
    const closed = server.close(10_000);
    await until("the GOAWAYs", () => goaways.length === 2);
    let seen = first.value ? 1 : 0;
    for await (const _ of stream) {
      seen++;
      await sleep(2);
    }
    assert.equal(seen, 100, "the stream is read to its end");
    assert.equal((await upload).handle?.id, String(8 * 256 * 1024), "the upload is whole");
    await closed;
    assert.equal(goaways[0]?.lastStreamId, NOTICE, "a notice first");
    assert.ok(goaways[1]!.lastStreamId < NOTICE, "then the last stream taken");
    assert.deepEqual(goaways.map((g) => [g.refused, g.notified]), [[0, true], [0, true]]);
  } finally {
    rpc.close();
    await server.close(1000);
  }
});

Deno.test("the server closing the connection after its drain fails no call whose reader is behind", async () => {
  const server = await serve();
  const goaways: Seen[] = [];
  const rpc = client(server.port, goaways);
  try {
    const stream = rpc.serverStream("collect", CollectRequest.fromPartial({ batchSize: 200 }));
    await stream.next();
    let closedAt = Infinity;
    const closing = server.close(10_000).then(() => closedAt = performance.now());
    // A slow reader: the server sends the last messages and the status, then closes the
    // connection, while the reader has not taken them yet.
    let seen = 1;
    for await (const _ of stream) {
      seen++;
      await sleep(3);
    }
    const readAt = performance.now();
    await closing;
    assert.equal(seen, 200, "every message and the OK status are delivered");
    assert.ok(closedAt < readAt, "the connection closed before the reader was done");
    assert.deepEqual(goaways.map((g) => g.refused), [0, 0]);
  } finally {
    rpc.close();
    await server.close(1000);
  }
});

Deno.test("a call made during a drain waits for the restarted server (waitForReady)", async () => {
  const first = await serve();
  const port = first.port;
  const goaways: Seen[] = [];
  const rpc = client(port, goaways);
  let second: GrpcServer | undefined;
  try {
    assert.equal((await rpc.unary("execute", ExecuteRequest.fromPartial({}))).cached, true);
    await first.close(10_000);
    // An idle connection closes at the notice: the final GOAWAY may never come.
    await until("the GOAWAY notice", () => goaways.length >= 1);
    const call = rpc.unary("execute", ExecuteRequest.fromPartial({}), { waitForReady: true });
    await sleep(300);
    second = await serve(port);
    assert.equal((await call).cached, true, "the call ran on the new server");
  } finally {
    rpc.close();
    await second?.close(1000);
  }
});

Deno.test("shieldedCredentials() are equal when their inner credentials and observer are", () => {
  const observer: ShieldObserver = {};
  assert.ok(shieldedCredentials()._equals(shieldedCredentials()), "one connection for all");
  assert.ok(shieldedCredentials({ observer })._equals(shieldedCredentials({ observer })));
  assert.ok(!shieldedCredentials({ observer })._equals(shieldedCredentials()));
  assert.ok(!shieldedCredentials()._equals(grpc.credentials.createInsecure()));
  assert.equal(shieldedCredentials()._isSecure(), false);
  assert.equal(shieldedCredentials({ inner: grpc.credentials.createSsl() })._isSecure(), true);
});
