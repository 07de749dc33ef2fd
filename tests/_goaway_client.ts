/**
 * A test client under load against tests/_goaway_server.ts, until its stdin closes; then
 * one JSON summary line on stdout (calls by outcome, GOAWAYs its shields dropped) and exit 0.
 * A crash of the runtime shows as its exit status instead.
 *
 * Over one connection: unary calls, server streams read fast, slowly and very slowly, and
 * client-streaming uploads, all at once. Over three more connections: a burst of unary calls
 * now and then, the connection idle in between (Deno's crash on a received GOAWAY shows most
 * on such connections, denoland/deno#36788).
 *
 * An upload that fails with UNAVAILABLE is sent once more, as the SDK does (counted as
 * retried): a refused upload whose body was still being written fails so, instead of being
 * retried by grpc-js (docs/adr/0005).
 *
 * `deno run -A --v8-flags=--expose-gc tests/_goaway_client.ts --endpoint 127.0.0.1:50099`
 *
 * `--shield off` runs the same client over plain insecure credentials (no GoawayShield);
 * `--shield nosession` with a shield that leaves Deno's session alone (the fallback).
 *
 * @module
 */

import * as grpc from "@grpc/grpc-js";
import { parseArgs } from "node:util";
import { GrpcCode, PolaroidError } from "../shared/errors.ts";
import {
  CollectRequest,
  DataFrameServiceService,
  ExecuteRequest,
} from "../shared/gen/polaroid/v1/dataframe.ts";
import { RpcClient, type RpcClientOptions } from "../shared/grpc/client.ts";
import { shieldedCredentials, type ShieldObserver } from "../shared/grpc/shielded_credentials.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    endpoint: { type: "string" },
    shield: { type: "string", default: "on" },
  },
});
const shielded = values.shield !== "off";
const observer: ShieldObserver = {
  goaway(info) {
    counts.goaways++;
    counts.refused += info.refused;
    if (!info.notified) counts.unnotified++;
  },
};

const counts = {
  ok: 0,
  /** Failed calls, by call, code and message. */
  failed: {} as Record<string, number>,
  /** Uploads sent a second time after UNAVAILABLE. */
  retried: 0,
  /** Streams that ended without error but short of their messages. */
  short: 0,
  goaways: 0,
  refused: 0,
  /** GOAWAYs whose session could not be told (the fallback). */
  unnotified: 0,
};
const options: RpcClientOptions = {
  timeoutMs: 20_000,
  waitForReady: true,
  credentials: values.shield === "off"
    ? grpc.credentials.createInsecure()
    : shieldedCredentials({ observer, useSession: values.shield !== "nosession" }),
};
const busy = new RpcClient(values.endpoint!, DataFrameServiceService, options);
// Other channel options, other connections (grpc-js shares connections of equal channels).
const bursty = [1, 2, 3].map((i) =>
  new RpcClient(values.endpoint!, DataFrameServiceService, {
    ...options,
    maxMessageBytes: (64 << 20) + i,
  })
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let running = true;

function codeName(code: number): string {
  return Object.entries(GrpcCode).find(([, value]) => value === code)?.[0] ?? String(code);
}

async function counted(name: string, call: () => Promise<boolean>): Promise<void> {
  try {
    if (await call()) counts.ok++;
    else counts.short++;
  } catch (error) {
    const code = error instanceof PolaroidError ? codeName(error.code) : "?";
    const message = error instanceof Error ? error.message.slice(0, 80) : String(error);
    const key = `${name} ${code}: ${message}`;
    counts.failed[key] = (counts.failed[key] ?? 0) + 1;
  }
}

async function execute(client: RpcClient<typeof DataFrameServiceService>): Promise<boolean> {
  const response = await client.unary("execute", ExecuteRequest.fromPartial({}));
  return response.handle !== undefined;
}

async function collect(messages: number, bytes: number, pauseMs: number): Promise<boolean> {
  const request = CollectRequest.fromPartial({
    source: { $case: "handle", value: `${messages}x${bytes}` },
  });
  let seen = 0;
  for await (const message of busy.serverStream("collect", request)) {
    if (message.arrowIpc.length !== bytes || Number(message.batchIndex) !== seen) return false;
    seen++;
    if (pauseMs > 0) await sleep(pauseMs);
  }
  return seen === messages;
}

async function upload(chunks: number, bytes: number): Promise<boolean> {
  const chunk = Buffer.alloc(bytes, 3);
  const requests = () =>
    Array.from(
      { length: chunks },
      () => ({ arrowIpc: chunk, ttlSeconds: 0n, name: "", bulkBytes: 0n }),
    );
  let response;
  try {
    response = await busy.clientStream("upload", requests());
  } catch (error) {
    if (!(error instanceof PolaroidError && error.code === GrpcCode.UNAVAILABLE)) throw error;
    counts.retried++;
    response = await busy.clientStream("upload", requests());
  }
  return response.handle?.id === String(chunks * bytes);
}

const loops: Array<[string, () => Promise<unknown>]> = [
  ["execute", () => counted("execute", () => execute(busy))],
  ["execute", () => counted("execute", () => execute(busy))],
  ["collect fast", () => counted("collect fast", () => collect(200, 16 * 1024, 0))],
  ["collect slow", () => counted("collect slow", () => collect(20, 64 * 1024, 10))],
  ["collect slower", () => counted("collect slower", () => collect(8, 256 * 1024, 40))],
  ["upload small", () => counted("upload small", () => upload(16, 256 * 1024))],
  ["upload large", () => counted("upload large", () => upload(4, 1024 * 1024))],
  ...bursty.map((client) =>
    [
      "burst",
      async () => {
        for (let i = 0; i < 13 && running; i++) await counted("burst", () => execute(client));
        await sleep(1500);
      },
    ] as [string, () => Promise<unknown>]
  ),
];
// Garbage collection now and then, as a long-running process has (with --expose-gc).
const gc = (globalThis as { gc?: () => void }).gc;
const collector = gc ? setInterval(gc, 100) : undefined;
const workers = loops.map(async ([, run]) => {
  while (running) await run();
});

// Runs until the test closes stdin.
for await (const _ of Deno.stdin.readable) {
  // nothing to read
}
running = false;
await Promise.all(workers);
clearInterval(collector);
for (const client of [busy, ...bursty]) client.close();
console.log(JSON.stringify({ shielded, ...counts }));
