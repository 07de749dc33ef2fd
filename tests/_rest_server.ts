/**
 * A paginated JSON HTTP server for the REST source's tests: one dataset of records (`id`,
 * `ts`, `px`) served by offset/limit (`/offset`), page number (`/page`), cursor (`/cursor`,
 * the body's `next`), and Link headers (`/link`), plus `/poll?since=` for records past a
 * watermark. It answers some requests with 429 (`Retry-After`) or 503 on purpose, and
 * records what it was asked (for rate and concurrency checks).
 *
 * @module
 */

/** One record of the dataset. */
export interface RestRecord {
  id: number;
  ts: number;
  px: number;
}

/** Options of startRestServer(). */
export interface RestServerOptions {
  /** Records at start. @default 1000 */
  records?: number;
  /** Every Nth request is answered 429 with `Retry-After: 1`... @default 0 (never) */
  every429?: number;
  /** ...and every Mth with 503. @default 0 (never) */
  every503?: number;
  /** Each answer waits this long (to see concurrency). @default 0 */
  delayMs?: number;
  /** The Authorization header every request must carry. @default none */
  authorization?: string;
}

/** A running server. */
export interface RestServer extends AsyncDisposable {
  readonly url: string;
  /** The dataset (append to it to grow the feed). */
  readonly data: RestRecord[];
  /** Requests so far: their times (ms) and the most answered at once. */
  readonly requests: { at: number; path: string; status: number }[];
  maxInFlight(): number;
  stop(): Promise<void>;
}

export function startRestServer(options: RestServerOptions = {}): RestServer {
  const data: RestRecord[] = Array.from({ length: options.records ?? 1000 }, (_, i) => ({
    id: i,
    ts: 1_700_000_000_000 + i * 1000,
    px: 100 + (i % 50) / 10,
  }));
  const requests: RestServer["requests"] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const json = (body: unknown, init: ResponseInit = {}) =>
    new Response(JSON.stringify(body), {
      ...init,
      headers: { "content-type": "application/json", ...init.headers },
    });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    const n = requests.length + 1;
    const record = (status: number) => {
      requests.push({ at: Date.now(), path: url.pathname + url.search, status });
    };
    if (options.authorization && req.headers.get("authorization") !== options.authorization) {
      record(401);
      return json({ error: "unauthorized" }, { status: 401 });
    }
    if (options.every429 && n % options.every429 === 0) {
      record(429);
      return json({ error: "slow down" }, { status: 429, headers: { "retry-after": "1" } });
    }
    if (options.every503 && n % options.every503 === 0) {
      record(503);
      return json({ error: "busy" }, { status: 503 });
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const limit = Number(url.searchParams.get("limit") ?? 100);
      record(200);
      switch (url.pathname) {
        case "/offset": {
          const offset = Number(url.searchParams.get("offset") ?? 0);
          return json({ data: data.slice(offset, offset + limit) });
        }
        case "/page": {
          const page = Number(url.searchParams.get("page") ?? 1);
          return json({ data: data.slice((page - 1) * limit, page * limit) });
        }
        case "/cursor": {
          const from = Number(url.searchParams.get("cursor") ?? 0);
          const slice = data.slice(from, from + limit);
          const next = from + limit < data.length ? String(from + limit) : null;
          return json({ data: slice, meta: { next } });
        }
        case "/link": {
          const from = Number(url.searchParams.get("from") ?? 0);
          const slice = data.slice(from, from + limit);
          const headers: Record<string, string> = {};
          if (from + limit < data.length) {
            headers.link = `</link?from=${
              from + limit
            }&limit=${limit}>; rel="next", </link?from=0>; rel="first"`;
          }
          return json(slice, { headers });
        }
        case "/poll": {
          const since = Number(url.searchParams.get("since") ?? 0);
          return json({ data: data.filter((r) => r.ts > since).slice(0, limit) });
        }
      }
      return json({ error: "not found" }, { status: 404 });
    } finally {
      inFlight--;
    }
  });
  const stop = () => server.shutdown();
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    data,
    requests,
    maxInFlight: () => maxInFlight,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
