/**
 * A synthetic market-data WebSocket feed: ticks for a few symbols at a set rate, sent in
 * messages `{"type":"ticks","data":[{sym, ts, px, qty, seq}, ...]}` every 10 ms to each client
 * that subscribed (`{"op":"subscribe","symbols":["AAPL", ...]}`; `"*"` for all). It can drop
 * connections at random, for reconnect tests. `deno task up` runs one for its demo.
 *
 *   deno run -A examples/ws_feed.ts [--port 8765] [--rate 1000] [--drop 0]
 *
 * @module
 */

// @ts-types="npm:@types/ws@8.18.1"
import { WebSocketServer } from "ws";

/** The feed's symbols. */
export const FEED_SYMBOLS = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOG"];

/** Options of startTickFeed(). */
export interface TickFeedOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  hostname?: string;
  /** Ticks per second, all symbols together. @default 1000 */
  ratePerSecond?: number;
  /** Chance that a message is followed by dropping that connection. @default 0 */
  dropProbability?: number;
}

/** A running feed. */
export interface TickFeed extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  /** Ticks sent so far, all clients together. */
  sent(): number;
  /** Connections dropped on purpose so far. */
  dropped(): number;
  stop(): Promise<void>;
}

/** Starts the feed; resolves once it listens. */
export async function startTickFeed(options: TickFeedOptions = {}): Promise<TickFeed> {
  const rate = options.ratePerSecond ?? 1000;
  const drop = options.dropProbability ?? 0;
  const server = new WebSocketServer({
    port: options.port ?? 0,
    host: options.hostname ?? "127.0.0.1",
    maxPayload: 64 * 1024,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const port = (server.address() as { port: number }).port;
  let seq = 0;
  let sent = 0;
  let dropped = 0;
  const price = new Map(FEED_SYMBOLS.map((s, i) => [s, 100 + 50 * i]));
  const subscribed = new Map<import("ws").WebSocket, Set<string>>();
  server.on("connection", (socket) => {
    socket.on("message", (data) => {
      try {
        const request = JSON.parse(String(data)) as { op?: string; symbols?: unknown };
        if (request.op !== "subscribe" || !Array.isArray(request.symbols)) return;
        const symbols = request.symbols.includes("*")
          ? FEED_SYMBOLS
          : request.symbols.filter((s): s is string => FEED_SYMBOLS.includes(String(s)));
        subscribed.set(socket, new Set([...(subscribed.get(socket) ?? []), ...symbols]));
      } catch {
        // Not a request: ignored.
      }
    });
    socket.on("close", () => subscribed.delete(socket));
    socket.on("error", () => subscribed.delete(socket));
  });
  let carry = 0;
  const timer = setInterval(() => {
    carry += rate / 100;
    const count = Math.floor(carry);
    carry -= count;
    if (count === 0) return;
    const ts = Date.now();
    const ticks = Array.from({ length: count }, (_, i) => {
      const sym = FEED_SYMBOLS[(seq + i) % FEED_SYMBOLS.length]!;
      const px = Math.max(1, price.get(sym)! + (Math.random() - 0.5) * 0.2);
      price.set(sym, px);
      return {
        sym,
        ts,
        px: Math.round(px * 100) / 100,
        qty: 1 + Math.floor(Math.random() * 100),
        seq: seq + i,
      };
    });
    seq += count;
    for (const [socket, symbols] of subscribed) {
      const data = ticks.filter((t) => symbols.has(t.sym));
      if (data.length === 0 || socket.readyState !== socket.OPEN) continue;
      socket.send(JSON.stringify({ type: "ticks", data }));
      sent += data.length;
      if (drop > 0 && Math.random() < drop) {
        dropped++;
        socket.terminate();
      }
    }
  }, 10);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    stopping ??= new Promise<void>((resolve) => {
      clearInterval(timer);
      for (const socket of server.clients) socket.terminate();
      server.close(() => resolve());
    });
  return {
    url: `ws://${options.hostname ?? "127.0.0.1"}:${port}`,
    port,
    sent: () => sent,
    dropped: () => dropped,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  const value = i >= 0 ? Number(Deno.args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) {
    console.error(`Cannot start the feed as '--${name}' must be a non-negative number`);
    Deno.exit(2);
  }
  return value;
}

if (import.meta.main) {
  const feed = await startTickFeed({
    port: flag("port", 8765),
    ratePerSecond: flag("rate", 1000),
    dropProbability: flag("drop", 0),
  });
  console.log(`tick feed on ${feed.url}`);
  const onSignal = () => void feed.stop().then(() => Deno.exit(0));
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
}
