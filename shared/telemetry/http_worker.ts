/**
 * The HTTP side of a service, run on a worker thread of its own (see http.ts): it answers
 * `/healthz` from what the main thread last wrote into shared memory, so a main thread that
 * is blocked is reported as NOT_SERVING instead of leaving the probe without an answer, and
 * it asks the main thread for `/metrics` (a blocked main thread answers 503 after a bound).
 *
 * Messages: in, `{ kind: "start", state, host, port, service, maxBlockMs }` then
 * `{ kind: "metrics", id, text, contentType }` replies and `{ kind: "close" }`; out,
 * `{ kind: "listening", port }`, `{ kind: "metrics", id }` requests and `{ kind: "closed" }`.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { HEARTBEAT, readHealth } from "./http_state.ts";

interface Start {
  kind: "start";
  state: SharedArrayBuffer;
  host: string;
  port: number;
  service: string;
  maxBlockMs: number;
}

/** How long a /metrics request waits for the main thread. */
const METRICS_TIMEOUT_MS = 5000;

let server: Deno.HttpServer | undefined;
const pending = new Map<number, (reply: { text: string; contentType: string }) => void>();
let nextId = 0;

self.onmessage = (event: MessageEvent) => {
  const message = event.data as
    | Start
    | { kind: "metrics"; id: number; text: string; contentType: string }
    | { kind: "close" };
  if (message.kind === "start") start(message);
  else if (message.kind === "metrics") pending.get(message.id)?.(message);
  else if (message.kind === "close") {
    (server?.shutdown() ?? Promise.resolve()).then(() => self.postMessage({ kind: "closed" }));
  }
};

function start(options: Start): void {
  const state = new BigInt64Array(options.state);
  server = Deno.serve({
    hostname: options.host,
    port: options.port,
    onListen: ({ port }) => self.postMessage({ kind: "listening", port }),
  }, async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname === "/healthz") {
      const health = readHealth(state, Date.now(), options.maxBlockMs);
      const body = {
        service: options.service,
        status: health.serving ? "SERVING" : "NOT_SERVING",
        ...(health.blockedMs !== undefined
          ? { reason: `event loop blocked for ${health.blockedMs} ms`, blockedMs: health.blockedMs }
          : {}),
      };
      return Response.json(body, { status: health.serving ? 200 : 503 });
    }
    if (pathname === "/metrics") {
      const id = nextId++;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const reply = await Promise.race([
        new Promise<{ text: string; contentType: string }>((resolve) => {
          pending.set(id, resolve);
          self.postMessage({ kind: "metrics", id });
        }),
        new Promise<undefined>((resolve) =>
          timer = setTimeout(() => resolve(undefined), METRICS_TIMEOUT_MS)
        ),
      ]);
      clearTimeout(timer);
      pending.delete(id);
      if (!reply) {
        const age = Date.now() - Number(Atomics.load(state, HEARTBEAT));
        return new Response(`metrics unavailable: event loop blocked for ${age} ms\n`, {
          status: 503,
        });
      }
      return new Response(reply.text, { headers: { "content-type": reply.contentType } });
    }
    return new Response("not found\n", { status: 404 });
  });
}
