/**
 * The bulk port (docs/adr/0016) against a real worker: results and uploads over it equal
 * gRPC's; every door of it refuses what it must (path, method, ticket shape, credentials,
 * unknown, reused, expired and other tenants' tickets, oversized uploads); frames held for
 * tickets are let go of on every path; the SDK falls back to gRPC when the port does not
 * open and resumes a broken download over gRPC from the next batch.
 */

import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { tableFromArrays } from "apache-arrow";
import { INTEGRATION, rowsOf, testCluster } from "./_harness.ts";
import { startSwitchProxy } from "./_switch_proxy.ts";
import { freePorts } from "../scripts/_ports.ts";
import { waitFor } from "../scripts/_wait.ts";
import { newApiKey } from "../shared/auth/api_keys.ts";
import { RpcClient } from "../shared/grpc/client.ts";
import {
  type BulkTicket,
  type CollectRequest,
  type CollectResponse,
  DataFrameServiceService,
} from "../shared/gen/polaroid/v1/dataframe.ts";
import { LimitExceededError, NotFoundError, PolaroidError } from "../shared/errors.ts";
import { col, connect, intRange } from "../sdk/mod.ts";

const dir = await Deno.makeTempDir({ prefix: "polaroid-bulk-" });
const service = newApiKey("polaroid", ["service"]);
const acme = newApiKey("acme", ["admin"]);
const globex = newApiKey("globex", ["admin"]);
await Deno.writeTextFile(
  `${dir}/api-keys.json`,
  JSON.stringify([service, acme, globex].map((k) => k.record)),
);
await Deno.writeTextFile(`${dir}/service-token`, service.key);
const [bulkPort, proxyPort] = freePorts(2) as [number, number];
const MAX_UPLOAD = 32 * 1024 * 1024;
const cluster = await testCluster({
  env: {
    POLAROID_AUTH: "token",
    POLAROID_AUTH_API_KEYS_FILE: `${dir}/api-keys.json`,
    POLAROID_SERVICE_TOKEN_FILE: `${dir}/service-token`,
  },
  serviceEnv: {
    compute: {
      POLAROID_BULK_PORT: String(bulkPort),
      // Tickets point at the proxy, which the tests switch to forward, refuse or cut.
      POLAROID_BULK_ADVERTISE: `127.0.0.1:${proxyPort}`,
      POLAROID_BULK_MIN_BYTES: "1KiB",
      POLAROID_BULK_TICKET_MS: "3000",
      POLAROID_BULK_IDLE_MS: "5000",
      POLAROID_BULK_MAX_STREAMS: "3",
      POLAROID_BULK_MAX_STREAMS_PER_TENANT: "3",
      POLAROID_MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
    },
  },
});
const proxy = startSwitchProxy(proxyPort, bulkPort);
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

const endpoint = cluster.endpoints.compute;
const BULK = `http://127.0.0.1:${bulkPort}`;
const client = await connect({ endpoint, token: acme.key });
const grpcOnly = await connect({ endpoint, token: acme.key, bulk: false });
const raw = new RpcClient(endpoint, DataFrameServiceService, { token: acme.key });
const ROWS = 50_000;
const stored = await client.fromArrow(tableFromArrays({
  k: Int32Array.from({ length: ROWS }, (_, i) => i),
  v: Float64Array.from({ length: ROWS }, (_, i) => i / 3),
  s: Array.from({ length: ROWS }, (_, i) => (i % 7 === 0 ? `name-${i}` : `x${i % 13}`)),
}));

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${cluster.endpoints.computeHttp}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? Number.NaN : Number(line.split(" ").at(-1));
}

/** Bulk log lines of the worker, parsed. */
function computeLines(): Record<string, unknown>[] {
  return cluster.logs("compute").split("\n").filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function bulkLines(): Record<string, unknown>[] {
  return computeLines().filter((l) => l.msg === "bulk");
}

/** The worker's Collect lines: their plans' runs, and the tickets read over gRPC. */
function collectLines(): Record<string, unknown>[] {
  return computeLines().filter((l) => l.msg === "rpc" && String(l.method).endsWith("/Collect"));
}

/** A ticket to a Collect, asked for over gRPC. */
async function collectTicket(
  request: Partial<CollectRequest>,
  token = acme.key,
): Promise<BulkTicket> {
  const rpc = token === acme.key
    ? raw
    : new RpcClient(endpoint, DataFrameServiceService, { token });
  try {
    const messages = [];
    for await (
      const m of rpc.serverStream("collect", {
        source: { $case: "handle", value: stored.id },
        batchSize: 0,
        startBatch: 0n,
        streaming: false,
        engine: 0,
        bulk: true,
        ...request,
      })
    ) messages.push(m);
    assert.equal(messages.length, 1, "a ticket is the reply's only message");
    assert.ok(messages[0]!.bulk, "the reply is a ticket");
    return messages[0]!.bulk;
  } finally {
    if (rpc !== raw) rpc.close();
  }
}

function redeem(
  ticket: string,
  init: { token?: string; method?: string; path?: string; body?: BodyInit } = {},
): Promise<Response> {
  return fetch(`${BULK}${init.path ?? "/v1/bulk/collect"}`, {
    method: init.method ?? "GET",
    headers: {
      "x-polaroid-ticket": ticket,
      ...(init.token === "" ? {} : { authorization: `Bearer ${init.token ?? acme.key}` }),
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
}

/** Waits until no ticket is waiting and nothing is held for tickets or transfers. */
async function released(what: string): Promise<void> {
  await waitFor(async () =>
    await metric("polaroid_compute_bulk_tickets") === 0 &&
    await metric("polaroid_compute_bulk_held_bytes") === 0 &&
    await metric("polaroid_compute_bulk_transfers") === 0 &&
    await metric("polaroid_compute_collect_streams") === 0, { timeoutMs: 15_000, what });
}

Deno.test(
  "toArrow() and stream() over the bulk port equal gRPC's, for a stored frame and a plan",
  INTEGRATION,
  async () => {
    const before = bulkLines().filter((l) => l.kind === "collect").length;
    const viaGrpc = await (await grpcOnly.handle(stored.id)).toArrow();
    assert.deepEqual(rowsOf(await stored.toArrow()), rowsOf(viaGrpc));
    let streamed = 0;
    for await (const batch of stored.stream({ batchSize: 4096 })) streamed += batch.numRows;
    assert.equal(streamed, ROWS);
    const plan = stored.lazy().filter(col("k").gt(100)).withColumns(col("v").mul(2).alias("w"));
    const viaBulk = await plan.toArrow();
    assert.equal(viaBulk.numRows, ROWS - 101);
    assert.equal(viaBulk.getChild("w")!.get(0), (101 / 3) * 2);
    const completed = bulkLines().filter((l) => l.kind === "collect" && l.outcome === "completed");
    assert.ok(completed.length >= before + 3, "the downloads went over the bulk port");
    await released("the downloads' frames let go of");
  },
);

Deno.test(
  "the bulk port refuses a wrong path, method, ticket shape or credentials, and unknown tickets",
  INTEGRATION,
  async () => {
    const ticket = "A".repeat(43);
    const cases: Array<[string, Promise<Response>, number]> = [
      ["wrong path", redeem(ticket, { path: "/v1/bulk/other" }), 404],
      ["path traversal", redeem(ticket, { path: "/v1/bulk/../collect/x" }), 404],
      ["query string", redeem(ticket, { path: "/v1/bulk/collect?x=1" }), 400],
      ["wrong method", redeem(ticket, { method: "POST" }), 405],
      ["PUT on collect", redeem(ticket, { method: "PUT", body: "x" }), 405],
      ["GET on upload", redeem(ticket, { path: "/v1/bulk/upload" }), 405],
      ["malformed ticket", redeem("not-a-ticket"), 400],
      ["no credentials", redeem(ticket, { token: "" }), 401],
      ["bad credentials", redeem(ticket, { token: "pk_nope" }), 401],
      ["unknown ticket", redeem(ticket), 404],
    ];
    for (const [what, reply, status] of cases) {
      const response = await reply;
      const body = await response.json();
      assert.equal(response.status, status, `${what}: ${JSON.stringify(body)}`);
      assert.equal(typeof body.message, "string", what);
    }
  },
);

Deno.test(
  "a ticket is used once, by its tenant only, and expires unused",
  INTEGRATION,
  async () => {
    const ticket = await collectTicket({});
    const shown = await redeem(ticket.ticket, { token: globex.key });
    assert.equal(shown.status, 404, "another tenant's ticket is not found");
    await shown.body?.cancel();
    const spent = await redeem(ticket.ticket);
    assert.equal(spent.status, 404, "a ticket shown to another tenant is spent");
    await spent.body?.cancel();

    const good = await collectTicket({ batchSize: 10_000 });
    assert.equal(good.batches, 5n);
    const first = await redeem(good.ticket);
    assert.equal(first.status, 200);
    const body = new Uint8Array(await first.arrayBuffer());
    assert.ok(body.byteLength > 1024);
    const again = await redeem(good.ticket);
    assert.equal(again.status, 404, "a ticket is used once");
    await again.body?.cancel();

    const unused = await collectTicket({});
    assert.ok(await metric("polaroid_compute_bulk_tickets") >= 1);
    await released("the unused ticket expired and let go of its frame");
    const late = await redeem(unused.ticket);
    assert.equal(late.status, 404, "an expired ticket is not found");
    await late.body?.cancel();
  },
);

Deno.test(
  "a ticket read over gRPC: its batches once, for its tenant only, with no options of its own",
  INTEGRATION,
  async () => {
    const overGrpc = async (ticket: string, extra: Partial<CollectRequest> = {}, token = "") => {
      const rpc = token === "" ? raw : new RpcClient(endpoint, DataFrameServiceService, { token });
      try {
        const messages: CollectResponse[] = [];
        for await (
          const m of rpc.serverStream("collect", {
            source: { $case: "bulkTicket", value: ticket },
            batchSize: 0,
            startBatch: 0n,
            streaming: false,
            engine: 0,
            bulk: false,
            ...extra,
          })
        ) messages.push(m);
        return messages;
      } finally {
        if (rpc !== raw) rpc.close();
      }
    };
    const good = await collectTicket({ batchSize: 10_000 });
    for (const extra of [{ startBatch: 1n }, { streaming: true }, { engine: 2 }, { bulk: true }]) {
      await assert.rejects(
        overGrpc(good.ticket, extra),
        (e: Error) => e instanceof PolaroidError && /ticket's options apply/.test(e.message),
        JSON.stringify(extra, (_, v) => typeof v === "bigint" ? String(v) : v),
      );
    }
    const messages = await overGrpc(good.ticket);
    assert.equal(messages.length, 5);
    assert.deepEqual(messages.map((m) => m.batchIndex), [0n, 1n, 2n, 3n, 4n]);
    assert.equal(messages.reduce((n, m) => n + m.rows, 0n), BigInt(ROWS));
    await assert.rejects(overGrpc(good.ticket), NotFoundError, "a ticket is used once");
    const theirs = await collectTicket({});
    await assert.rejects(overGrpc(theirs.ticket, {}, globex.key), NotFoundError);
    await assert.rejects(overGrpc(theirs.ticket), NotFoundError, "shown to another tenant: spent");
    await assert.rejects(overGrpc("B".repeat(43)), NotFoundError);
    await released("the tickets read over gRPC let go of their frames");
  },
);

Deno.test(
  "an upload past its limits is refused before its bytes are read",
  INTEGRATION,
  async () => {
    await assert.rejects(
      raw.clientStream("upload", [{
        arrowIpc: Buffer.alloc(0),
        ttlSeconds: 0n,
        name: "",
        bulkBytes: BigInt(MAX_UPLOAD + 1),
      }]),
      LimitExceededError,
    );
    const offer = await raw.clientStream("upload", [{
      arrowIpc: Buffer.alloc(0),
      ttlSeconds: 0n,
      name: "",
      bulkBytes: 1000n,
    }]);
    assert.ok(offer.bulk && !offer.handle);
    const declared = await fetch(`${BULK}/v1/bulk/upload`, {
      method: "PUT",
      headers: { "x-polaroid-ticket": offer.bulk.ticket, authorization: `Bearer ${acme.key}` },
      body: new Uint8Array(2000),
    });
    assert.equal(declared.status, 413, "a declared length past the ticket's is refused");
    assert.equal((await declared.json()).reason, "LIMIT_EXCEEDED");

    const second = await raw.clientStream("upload", [{
      arrowIpc: Buffer.alloc(0),
      ttlSeconds: 0n,
      name: "",
      bulkBytes: 1000n,
    }]);
    const chunked = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new Uint8Array(600));
      },
    });
    const streamed = await fetch(`${BULK}/v1/bulk/upload`, {
      method: "PUT",
      headers: { "x-polaroid-ticket": second.bulk!.ticket, authorization: `Bearer ${acme.key}` },
      body: chunked,
    });
    assert.equal(streamed.status, 429, "a body running past the ticket's bytes is cut");
    assert.equal((await streamed.json()).reason, "LIMIT_EXCEEDED");
    await released("the uploads' slots given back");
  },
);

Deno.test(
  "fromArrow() of a large table goes over the bulk port, and over gRPC when it does not open",
  INTEGRATION,
  async () => {
    const n = 1_100_000; // 8.8 MB of Float64: past the SDK's bulk threshold
    const table = tableFromArrays({ x: Float64Array.from({ length: n }, (_, i) => i * 0.25) });
    const before =
      bulkLines().filter((l) => l.kind === "upload" && l.outcome === "completed").length;
    const up = await client.fromArrow(table);
    assert.equal(up.height, n);
    const after =
      bulkLines().filter((l) => l.kind === "upload" && l.outcome === "completed").length;
    assert.equal(after, before + 1);
    proxy.switch({ kind: "refuse" });
    try {
      const refused = proxy.counts.refused;
      const fallback = await client.fromArrow(table);
      assert.equal(fallback.height, n);
      assert.ok(proxy.counts.refused > refused, "the bulk port was tried");
      const back = await fallback.toArrow();
      assert.equal(back.getChild("x")!.get(n - 1), (n - 1) * 0.25);
    } finally {
      proxy.switch({ kind: "forward" });
    }
    await released("the upload ticket the client could not use expired");
  },
);

Deno.test(
  "a download falls back to gRPC when the bulk port does not open",
  INTEGRATION,
  async () => {
    proxy.switch({ kind: "refuse" });
    try {
      const refused = proxy.counts.refused;
      assert.deepEqual(
        rowsOf(await stored.toArrow()),
        rowsOf(await (await grpcOnly.handle(stored.id)).toArrow()),
      );
      const before = collectLines().length;
      const plan = await stored.lazy().filter(col("k").lt(1000)).toArrow();
      assert.equal(plan.numRows, 1000);
      assert.ok(proxy.counts.refused >= refused + 2, "the bulk port was tried for both");
      // The plan ran once: its unused ticket was read over gRPC, not the plan run again.
      await waitFor(() => collectLines().slice(before).some((l) => l.bulkTicket === true), {
        timeoutMs: 10_000,
        what: "the Collect that read the ticket",
      });
      const calls = collectLines().slice(before);
      assert.equal(calls.filter((l) => l.engine !== undefined).length, 1, JSON.stringify(calls));
      assert.equal(calls.filter((l) => l.bulkTicket === true).length, 1, JSON.stringify(calls));
    } finally {
      proxy.switch({ kind: "forward" });
    }
    await released("the tickets the client could not use expired");
  },
);

Deno.test(
  "a bulk port that never answers costs the wait to open, then gRPC",
  INTEGRATION,
  async () => {
    await using patient = await connect({ endpoint, token: acme.key, connectTimeoutMs: 1000 });
    proxy.switch({ kind: "hang" });
    try {
      const started = performance.now();
      const table = await (await patient.handle(stored.id)).toArrow();
      assert.equal(table.numRows, ROWS);
      const ms = performance.now() - started;
      assert.ok(ms >= 900 && ms < 20_000, `fell back after ${ms} ms`);
    } finally {
      proxy.switch({ kind: "forward" });
    }
    await released("the ticket the client could not use expired");
  },
);

Deno.test(
  "a bulk download that breaks midway resumes over gRPC from the next batch",
  INTEGRATION,
  async () => {
    proxy.switch({ kind: "cut", afterBytes: 120_000 });
    try {
      const cut = proxy.counts.cut;
      const table = await stored.toArrow({ batchSize: 2000 });
      assert.ok(proxy.counts.cut > cut, "the download was cut");
      assert.deepEqual(rowsOf(table), rowsOf(await (await grpcOnly.handle(stored.id)).toArrow()));
    } finally {
      proxy.switch({ kind: "forward" });
    }
    const resumed = cluster.logs("compute").split("\n").filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) =>
        l.msg === "rpc" && String(l.method).endsWith("/Collect") && Number(l.startBatch) > 0
      );
    assert.ok(resumed.length >= 1, "a gRPC Collect went on from a later batch");
    await released("the cut download let go of its frame");
  },
);

Deno.test("a client that goes away mid-download lets the frame go", INTEGRATION, async () => {
  const ticket = await collectTicket({ batchSize: 500 });
  const response = await redeem(ticket.ticket);
  assert.equal(response.status, 200);
  const reader = response.body!.getReader();
  const first = await reader.read();
  assert.ok(!first.done && first.value.byteLength > 0);
  assert.equal(await metric("polaroid_compute_bulk_transfers"), 1);
  await reader.cancel();
  await released("the cancelled download let go of its frame");
});

Deno.test(
  "a client that stops reading is cut after the idle time and the frame let go",
  INTEGRATION,
  async () => {
    // 40 MB: more than the sockets' buffers hold, so the worker waits on the client.
    const big = await client.select(intRange(0, 5_000_000).alias("i")).collect();
    const ticket = await collectTicket({ source: { $case: "handle", value: big.id } });
    const response = await redeem(ticket.ticket);
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    assert.ok(!(await reader.read()).done);
    await waitFor(async () => await metric("polaroid_compute_bulk_transfers") === 1, {
      timeoutMs: 5000,
      what: "the transfer to run",
    });
    await released("the idle download cut after POLAROID_BULK_IDLE_MS");
    const idle = bulkLines().filter((l) => l.kind === "collect" && l.outcome === "idle");
    assert.equal(idle.length, 1);
    await reader.cancel().catch(() => {});
    await big.release();
  },
);

Deno.test(
  "past POLAROID_BULK_MAX_STREAMS a Collect streams over gRPC and an upload is told to",
  INTEGRATION,
  async () => {
    const held = [await collectTicket({}), await collectTicket({}), await collectTicket({})];
    assert.equal(new Set(held.map((t) => t.ticket)).size, 3);
    const replies = [];
    for await (
      const m of raw.serverStream("collect", {
        source: { $case: "handle", value: stored.id },
        batchSize: 0,
        startBatch: 0n,
        streaming: false,
        engine: 0,
        bulk: true,
      })
    ) replies.push(m);
    assert.ok(replies.length >= 1 && replies.every((m) => m.bulk === undefined && m.rows > 0n));
    const offer = await raw.clientStream("upload", [{
      arrowIpc: Buffer.alloc(0),
      ttlSeconds: 0n,
      name: "",
      bulkBytes: 1000n,
    }]);
    assert.deepEqual([offer.handle, offer.bulk], [undefined, undefined]);
    // And the SDK goes on over gRPC without a word.
    assert.equal((await stored.toArrow()).numRows, ROWS);
    await released("the three unused tickets expired");
  },
);

Deno.test("cleanup", INTEGRATION, async () => {
  client.close();
  grpcOnly.close();
  raw.close();
  await proxy.close();
  await cluster.stop();
});
