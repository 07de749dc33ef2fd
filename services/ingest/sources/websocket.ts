/**
 * A source that reads a WebSocket feed: JSON or MessagePack messages, each one record or
 * holding records at a path (`data[*]`). After each connection it sends the spec's
 * subscription messages; a dropped or stale connection (no message within `staleAfterMs`, a
 * ping unanswered) is made again with exponential backoff and full jitter, and counted as a
 * gap (a feed does not replay). While the batches waiting for their commit are past the bound,
 * reading the socket is paused (TCP then pushes back on the server).
 *
 * @module
 */

import { Buffer } from "node:buffer";
// @ts-types="npm:@types/ws@8.18.1"
import { WebSocket } from "ws";
import type { SourceSpec } from "../../../shared/gen/polaroid/v1/ingest.ts";
import { checkOutbound } from "../../../shared/outbound.ts";
import { SourceCore } from "../source_core.ts";
import { backoffMs, pause, within } from "./backoff.ts";
import type { Source } from "../source.ts";
import { jsonRecords, msgpackRecords, parseRecordPath, type RecordPath } from "../records.ts";
import { invalidSpec, type SourceContext, type SourceKind } from "./kind.ts";

const MAX_SUBSCRIBE = 64;
const MAX_SUBSCRIBE_BYTES = 64 * 1024;
/** The largest message a feed may send. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** A connection open this long resets the backoff. */
const STABLE_MS = 10_000;

/** WebSocket sources. */
export const WEBSOCKET_SOURCE: SourceKind<"websocket"> = {
  resolve(value) {
    parseWsUrl(value.url);
    if (value.subscribe.length > MAX_SUBSCRIBE) {
      throw invalidSpec(
        "spec.websocket.subscribe",
        `have at most ${MAX_SUBSCRIBE} messages`,
        String(value.subscribe.length),
      );
    }
    value.subscribe.forEach((message, i) => {
      if (new TextEncoder().encode(message).byteLength > MAX_SUBSCRIBE_BYTES) {
        throw invalidSpec(
          `spec.websocket.subscribe[${i}]`,
          `have at most ${MAX_SUBSCRIBE_BYTES} bytes`,
          "more",
        );
      }
    });
    const format = value.format || "json";
    if (format !== "json" && format !== "msgpack") {
      throw invalidSpec(
        "spec.websocket.format",
        'be "json" or "msgpack"',
        JSON.stringify(value.format.slice(0, 80)),
      );
    }
    try {
      parseRecordPath(value.records);
    } catch (error) {
      throw invalidSpec(
        "spec.websocket.records",
        (error as Error).message.replace(/^must /, ""),
        JSON.stringify(value.records.slice(0, 80)),
      );
    }
    for (
      const [key, field] of [["staleAfterMs", "stale_after_ms"], [
        "pingIntervalMs",
        "ping_interval_ms",
      ]] as const
    ) {
      if (value[key] !== 0 && (value[key] < 100 || value[key] > 3_600_000)) {
        throw invalidSpec(`spec.websocket.${field}`, "be 0 or 100 to 3600000", String(value[key]));
      }
    }
    return {
      ...value,
      format,
      staleAfterMs: value.staleAfterMs || 30_000,
      pingIntervalMs: value.pingIntervalMs || 10_000,
    };
  },
  canPause: true,
  create: async (spec, context) => {
    if (spec.kind?.$case === "websocket") {
      await checkOutbound(parseWsUrl(spec.kind.value.url), context.outbound);
    }
    return createWebSocketSource(spec, context);
  },
};

/** A checked ws:// or wss:// URL. */
export function parseWsUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidSpec(
      "spec.websocket.url",
      "be a ws:// or wss:// URL",
      JSON.stringify(text.slice(0, 80)),
    );
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw invalidSpec(
      "spec.websocket.url",
      "be a ws:// or wss:// URL",
      JSON.stringify(url.protocol),
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw invalidSpec("spec.websocket.url", "carry no credentials", "a URL with user information");
  }
  if (text.length > 2048) {
    throw invalidSpec("spec.websocket.url", "have at most 2048 characters", String(text.length));
  }
  return url;
}

/** Starts the feed's connection loop. The spec must be validated, defaulted, of the kind. */
export function createWebSocketSource(spec: SourceSpec, context: SourceContext): Source {
  if (spec.kind?.$case !== "websocket") {
    throw new TypeError(
      `Cannot create WebSocket source as 'spec.kind' must be websocket: current value is ${spec.kind?.$case}`,
    );
  }
  const feed = spec.kind.value;
  const url = parseWsUrl(feed.url);
  const path: RecordPath = parseRecordPath(feed.records);
  const core = new SourceCore(spec, context);
  const stop = new AbortController();
  let socket: WebSocket | undefined;

  const take = (data: Uint8Array | string) => {
    try {
      const records = feed.format === "msgpack"
        ? msgpackRecords(typeof data === "string" ? new TextEncoder().encode(data) : data, path)
        : path.length === 0
        ? [data]
        : jsonRecords(typeof data === "string" ? data : new TextDecoder().decode(data), path);
      for (const record of records) core.push(record);
    } catch (error) {
      core.batcher.rejectMessage(
        data,
        `Cannot read records of the message: ${(error as Error).message}`,
      );
    }
  };

  /** One connection, until it closes or goes stale; resolves with why it ended. */
  const connectOnce = async (): Promise<{ why: string; opened: boolean }> => {
    const addresses = await checkOutbound(url, context.outbound);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    // Connect to the address checked; the Host header and TLS name stay the URL's.
    const target = new URL(url);
    target.hostname = addresses[0]!.includes(":") ? `[${addresses[0]}]` : addresses[0]!;
    return await new Promise<{ why: string; opened: boolean }>((resolve) => {
      const ws = new WebSocket(target, {
        headers: { Host: url.host },
        ...(url.protocol === "wss:" ? { servername: host } : {}),
        maxPayload: MAX_MESSAGE_BYTES,
        handshakeTimeout: 10_000,
        perMessageDeflate: false,
      });
      socket = ws;
      let lastMessage = Date.now();
      let openedAt = 0;
      let paused = false;
      const ping = setInterval(() => {
        if (ws.readyState !== WebSocket.OPEN) return;
        // A paused socket reads nothing, pongs included: not stale, only waiting.
        if (!paused && Date.now() - lastMessage > feed.staleAfterMs) {
          ws.terminate();
          return;
        }
        ws.ping();
      }, Math.min(feed.pingIntervalMs, feed.staleAfterMs));
      const onAbort = () => ws.terminate();
      stop.signal.addEventListener("abort", onAbort, { once: true });
      ws.on("open", () => {
        openedAt = Date.now();
        for (const message of feed.subscribe) ws.send(message);
        core.running();
      });
      ws.on("pong", () => (lastMessage = Date.now()));
      ws.on("message", (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
        lastMessage = Date.now();
        const bytes = Array.isArray(data)
          ? Buffer.concat(data)
          : data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : data;
        take(isBinary || feed.format === "msgpack" ? bytes : bytes.toString("utf8"));
        // Backpressure: stop reading the socket until the batches waiting are committed.
        if (core.output?.full && spec.overflow === "block" && !paused) {
          paused = true;
          ws.pause();
          void core.room().then(() => {
            paused = false;
            lastMessage = Date.now();
            if (ws.readyState === WebSocket.OPEN) ws.resume();
          });
        }
      });
      ws.on("error", () => {}); // the close that follows says why
      ws.on("close", (code: number, reason: Buffer) => {
        clearInterval(ping);
        stop.signal.removeEventListener("abort", onAbort);
        resolve({
          why: `${openedAt > 0 ? "connection closed" : "could not connect"} (code ${code}${
            reason.length > 0 ? `: ${reason.toString("utf8").slice(0, 200)}` : ""
          })`,
          opened: openedAt > 0,
        });
      });
      ws.on("unexpected-response", (_request: unknown, response: { statusCode?: number }) => {
        ws.terminate();
        resolve({
          why: `the server answered the upgrade with HTTP ${response.statusCode}`,
          opened: false,
        });
      });
    });
  };

  const run = (async () => {
    let failures = 0;
    while (!stop.signal.aborted) {
      const started = Date.now();
      let ended: { why: string; opened: boolean };
      try {
        ended = await connectOnce();
      } catch (error) {
        ended = { why: error instanceof Error ? error.message : String(error), opened: false };
      }
      if (stop.signal.aborted) break;
      // A connection that stayed up a while starts the backoff again.
      failures = ended.opened && Date.now() - started >= STABLE_MS ? 1 : failures + 1;
      const delay = backoffMs(failures);
      const message = `WebSocket ${url.host}: ${ended.why}`;
      // A connection that was read and is lost is a gap (what the feed sent meanwhile is
      // lost); an attempt that never connected is only a retry.
      if (ended.opened) {
        core.gap(`${message}; messages sent meanwhile are lost`, Date.now() + delay);
      } else core.retrying(message, Date.now() + delay);
      await pause(delay, stop.signal);
    }
  })();
  return core.source({
    info: () => ({}),
    close: async () => {
      stop.abort();
      socket?.terminate();
      await within(run, 5000);
    },
  });
}
