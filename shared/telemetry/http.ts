/**
 * The HTTP side of every service: `/healthz` and `/metrics` (Prometheus text format).
 *
 * @module
 */

import type { Registry } from "./metrics.ts";

export interface HttpServer extends AsyncDisposable {
  /** The port bound (useful when 0 was asked for). */
  readonly port: number;
  close(): Promise<void>;
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
}

/** Starts the HTTP server; resolves once it listens. */
export function serveHttp(options: HttpOptions): Promise<HttpServer> {
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: options.host,
      port: options.port,
      onListen: ({ port }) => {
        let closed: Promise<void> | undefined;
        const close = () => (closed ??= server.shutdown());
        resolve({ port, close, [Symbol.asyncDispose]: close });
      },
    }, async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname === "/healthz") {
        const ok = options.healthy();
        return Response.json({ service: options.service, status: ok ? "SERVING" : "NOT_SERVING" }, {
          status: ok ? 200 : 503,
        });
      }
      if (pathname === "/metrics") {
        return new Response(await options.registry.metrics(), {
          headers: { "content-type": options.registry.contentType },
        });
      }
      return new Response("not found\n", { status: 404 });
    });
  });
}
