/**
 * The HTTP side of a service, run on a worker thread of its own (see http.ts): it answers
 * `/healthz` from what the main thread last wrote into shared memory, so a main thread that
 * is blocked is reported as NOT_SERVING instead of leaving the probe without an answer, and
 * it asks the main thread for `/metrics` and an app's API replies (a blocked main thread
 * answers 503 after a bound). An app's files are served from here.
 *
 * Messages: in, `{ kind: "start", state, host, port, service, maxBlockMs, assets?, apiPrefix? }`
 * then `{ kind: "metrics" | "api", id, ... }` replies and `{ kind: "close" }`; out,
 * `{ kind: "listening", port }`, `{ kind: "metrics" | "api", id, ... }` requests and
 * `{ kind: "closed" }`.
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
  assets?: Record<string, { body: string; contentType: string }>;
  apiPrefix?: string;
}

interface Reply {
  kind: "metrics" | "api";
  id: number;
  /** /metrics */
  text?: string;
  /** API */
  status?: number;
  body?: string;
  contentType: string;
}

/** How long a request waits for the main thread. */
const MAIN_THREAD_TIMEOUT_MS = 5000;
/** The longest URL an app's API reads. */
const MAX_URL_CHARS = 2048;
/** What every page and API reply of an app carries. */
const APP_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

let server: Deno.HttpServer | undefined;
const pending = new Map<number, (reply: Reply) => void>();
let nextId = 0;

self.onmessage = (event: MessageEvent) => {
  const message = event.data as Start | Reply | { kind: "close" };
  if (message.kind === "start") start(message);
  else if (message.kind === "metrics" || message.kind === "api") pending.get(message.id)?.(message);
  else if (message.kind === "close") {
    (server?.shutdown() ?? Promise.resolve()).then(() => self.postMessage({ kind: "closed" }));
  }
};

/** Asks the main thread; undefined when it does not answer in time. */
async function ask(request: Record<string, unknown>): Promise<Reply | undefined> {
  const id = nextId++;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      new Promise<Reply>((resolve) => {
        pending.set(id, resolve);
        self.postMessage({ ...request, id });
      }),
      new Promise<undefined>((resolve) =>
        timer = setTimeout(() => resolve(undefined), MAIN_THREAD_TIMEOUT_MS)
      ),
    ]);
  } finally {
    clearTimeout(timer);
    pending.delete(id);
  }
}

function start(options: Start): void {
  const state = new BigInt64Array(options.state);
  const blocked = () => {
    const age = Date.now() - Number(Atomics.load(state, HEARTBEAT));
    return `event loop blocked for ${age} ms`;
  };
  const assets = new Map(Object.entries(options.assets ?? {}));
  const apiPrefix = options.apiPrefix;
  server = Deno.serve({
    hostname: options.host,
    port: options.port,
    onListen: ({ port }) => self.postMessage({ kind: "listening", port }),
  }, async (request) => {
    const url = new URL(request.url);
    const { pathname } = url;
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
      const reply = await ask({ kind: "metrics" });
      if (!reply) return new Response(`metrics unavailable: ${blocked()}\n`, { status: 503 });
      return new Response(reply.text, { headers: { "content-type": reply.contentType } });
    }
    const asset = assets.get(pathname);
    if (asset) {
      if (request.method !== "GET" && request.method !== "HEAD") return notAllowed();
      return new Response(asset.body, {
        headers: { ...APP_HEADERS, "content-type": asset.contentType },
      });
    }
    if (apiPrefix !== undefined && pathname.startsWith(apiPrefix)) {
      if (request.method !== "GET") return notAllowed();
      if (request.url.length > MAX_URL_CHARS) {
        return apiError(414, `the URL must be at most ${MAX_URL_CHARS} characters`);
      }
      const reply = await ask({
        kind: "api",
        path: pathname,
        search: url.search,
        authorization: request.headers.get("authorization") ?? undefined,
      });
      if (!reply) return apiError(503, blocked());
      return new Response(reply.body, {
        status: reply.status,
        headers: { ...APP_HEADERS, "content-type": reply.contentType },
      });
    }
    return new Response("not found\n", { status: 404 });
  });
}

function notAllowed(): Response {
  return new Response("method not allowed\n", { status: 405, headers: { allow: "GET" } });
}

function apiError(status: number, error: string): Response {
  return Response.json({ error }, { status, headers: APP_HEADERS });
}
