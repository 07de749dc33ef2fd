/**
 * The HTTP side of every service: `/healthz` and `/metrics` (Prometheus text format), served
 * from a worker thread (http_worker.ts) so that health is answered even while the main
 * thread is blocked: the main thread beats every 100 ms into shared memory, and `/healthz`
 * answers 503 NOT_SERVING ("event loop blocked for N ms") once the last beat is older than
 * `maxBlockMs`, or when the service says it cannot serve. A service may add an app (the
 * handles service's console): its files are served by the worker thread as they are, its API
 * requests are answered by the main thread (bounded in time like `/metrics`).
 *
 * @module
 */

import type { Registry } from "./metrics.ts";
import { createHealthState, writeHealth } from "./http_state.ts";

export interface HttpServer extends AsyncDisposable {
  /** The port bound (useful when 0 was asked for). */
  readonly port: number;
  /** Writes the service's health now rather than at the next beat (call it on a change). */
  refresh(): void;
  close(): Promise<void>;
}

/** An API request, as the main thread sees it. */
export interface HttpApiRequest {
  /** The path, under the app's `apiPrefix`. */
  path: string;
  /** The query string, "?" included ("" when none). */
  search: string;
  /** The Authorization header; undefined when none was sent. */
  authorization: string | undefined;
}

/** The answer to an API request. */
export interface HttpApiReply {
  status: number;
  body: string;
  contentType: string;
}

/** Pages and an API served beside /healthz and /metrics. */
export interface HttpApp {
  /** Files served as they are, by path. */
  assets: Readonly<Record<string, { body: string; contentType: string }>>;
  /** GET requests under this prefix are answered by `handle`. */
  apiPrefix: string;
  handle(request: HttpApiRequest): Promise<HttpApiReply>;
}

/** Options of serveHttp(). */
export interface HttpOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  registry: Registry;
  /** Reports whether the service can take work; /healthz answers 503 when it cannot. */
  healthy: () => boolean;
  service: string;
  /**
   * A main thread blocked longer than this is reported NOT_SERVING by /healthz.
   * @default 10000
   */
  maxBlockMs?: number;
  /** @default none */
  app?: HttpApp;
}

/** How often the main thread beats. */
const BEAT_MS = 100;

/** Starts the HTTP server on its own thread; resolves once it listens. */
export async function serveHttp(options: HttpOptions): Promise<HttpServer> {
  const state = createHealthState();
  const beat = () => writeHealth(state.slots, Date.now(), options.healthy());
  beat();
  const beating = setInterval(beat, BEAT_MS);
  Deno.unrefTimer(beating);
  const worker = new Worker(new URL("./http_worker.ts", import.meta.url), { type: "module" });
  const closed = Promise.withResolvers<void>();
  const listening = Promise.withResolvers<number>();
  worker.onmessage = async (event: MessageEvent) => {
    const message = event.data as
      | { kind: "listening"; port: number }
      | { kind: "metrics"; id: number }
      | ({ kind: "api"; id: number } & HttpApiRequest)
      | { kind: "closed" };
    if (message.kind === "listening") listening.resolve(message.port);
    else if (message.kind === "closed") closed.resolve();
    else if (message.kind === "metrics") {
      const text = await options.registry.metrics();
      worker.postMessage({
        kind: "metrics",
        id: message.id,
        text,
        contentType: options.registry.contentType,
      });
    } else if (message.kind === "api" && options.app) {
      const { id, path, search, authorization } = message;
      const reply = await options.app.handle({ path, search, authorization }).catch(() => ({
        status: 500,
        body: JSON.stringify({ error: "internal error" }),
        contentType: "application/json",
      }));
      worker.postMessage({ kind: "api", id, ...reply });
    }
  };
  worker.onerror = (event) => {
    event.preventDefault();
    listening.reject(new Error(`the HTTP thread failed: ${event.message}`));
  };
  worker.postMessage({
    kind: "start",
    state: state.buffer,
    host: options.host,
    port: options.port,
    service: options.service,
    maxBlockMs: options.maxBlockMs ?? 10_000,
    ...(options.app ? { assets: options.app.assets, apiPrefix: options.app.apiPrefix } : {}),
  });
  let port: number;
  try {
    port = await listening.promise;
  } catch (error) {
    clearInterval(beating);
    worker.terminate();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const close = () =>
    closing ??= (async () => {
      clearInterval(beating);
      worker.postMessage({ kind: "close" });
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([closed.promise, new Promise((r) => timer = setTimeout(r, 5000))]);
      clearTimeout(timer);
      worker.terminate();
    })();
  return { port, refresh: beat, close, [Symbol.asyncDispose]: close };
}
