/**
 * A source that reads a Redis stream through a consumer group (XREADGROUP), one consumer per
 * source. An entry is a JSON object in one field, or its fields as string columns.
 *
 * Exactly once: each segment is committed with the last entry id it holds, and the entries
 * are acknowledged (XACK) only after that. A source that starts claims what the group's
 * consumers left pending (XAUTOCLAIM: a dead consumer's entries become its own), reads its own
 * pending entries first, in id order, then new ones: an entry at or below the table's last id
 * is acknowledged and skipped, so a crash at any moment neither loses nor duplicates one. It
 * reads only while the batches waiting for their commit are under the bound ("block").
 *
 * @module
 */

import { Redis } from "ioredis";
import type { SourceSpec } from "../../../shared/gen/polaroid/v1/ingest.ts";
import { checkOutbound } from "../../../shared/outbound.ts";
import { SourceCore } from "../source_core.ts";
import { backoffMs, pause, within } from "./backoff.ts";
import type { Source } from "../source.ts";
import { invalidSpec, type SourceContext, type SourceKind } from "./kind.ts";
import { FailedPreconditionError } from "../../../shared/errors.ts";

/** Entries asked for per read. */
const READ_COUNT = 1000;
/** How long a read of new entries waits. */
const BLOCK_MS = 1000;

const KEY_LIMIT = 1024;

/** Redis Streams sources. */
export const REDIS_SOURCE: SourceKind<"redis"> = {
  resolve({ url, stream, group, start, field }) {
    parseRedisUrl(url);
    if (stream.length === 0 || stream.length > KEY_LIMIT) {
      throw invalidSpec(
        "spec.redis.stream",
        `be a key of 1 to ${KEY_LIMIT} characters`,
        JSON.stringify(stream.slice(0, 80)),
      );
    }
    const resolvedGroup = group || "polaroid";
    if (resolvedGroup.length > 256 || /\s/.test(resolvedGroup)) {
      throw invalidSpec(
        "spec.redis.group",
        "have at most 256 characters and no spaces",
        JSON.stringify(group.slice(0, 80)),
      );
    }
    const resolvedStart = start || "earliest";
    if (resolvedStart !== "earliest" && resolvedStart !== "latest") {
      throw invalidSpec(
        "spec.redis.start",
        'be "earliest" or "latest"',
        JSON.stringify(start.slice(0, 80)),
      );
    }
    if (field.length > 256) {
      throw invalidSpec("spec.redis.field", "have at most 256 characters", `${field.length}`);
    }
    return { url, stream, group: resolvedGroup, start: resolvedStart, field };
  },
  canPause: true,
  create: async (spec, context) => {
    // A host the outbound policy refuses is refused to the caller (PERMISSION_DENIED).
    if (spec.kind?.$case === "redis") {
      await checkOutbound(parseRedisUrl(spec.kind.value.url).url, context.outbound);
    }
    return createRedisSource(spec, context);
  },
};

/** A checked redis:// or rediss:// URL. */
export function parseRedisUrl(text: string): { url: URL; tls: boolean; port: number; db: number } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidSpec(
      "spec.redis.url",
      "be a redis:// or rediss:// URL",
      JSON.stringify(text.slice(0, 80)),
    );
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw invalidSpec(
      "spec.redis.url",
      "be a redis:// or rediss:// URL",
      JSON.stringify(url.protocol),
    );
  }
  if (url.username !== "" || url.password !== "") {
    // A spec is echoed in SourceInfo and kept in the state store: no secret belongs there.
    throw invalidSpec("spec.redis.url", "carry no credentials", "a URL with user information");
  }
  const db = url.pathname === "" || url.pathname === "/" ? 0 : Number(url.pathname.slice(1));
  if (!Number.isSafeInteger(db) || db < 0 || db > 15) {
    throw invalidSpec("spec.redis.url", "name a database 0 to 15", JSON.stringify(url.pathname));
  }
  if (url.search !== "" || url.hash !== "") {
    throw invalidSpec(
      "spec.redis.url",
      "have no query or fragment",
      JSON.stringify(url.search + url.hash),
    );
  }
  return { url, tls: url.protocol === "rediss:", port: Number(url.port || 6379), db };
}

/** Compares two stream entry ids ("<ms>-<seq>", decimal digits), without parsing them. */
export function compareIds(a: string, b: string): number {
  const i = a.indexOf("-");
  const j = b.indexOf("-");
  return compareDigits(a.slice(0, i), b.slice(0, j)) ||
    compareDigits(a.slice(i + 1), b.slice(j + 1));
}

/** Compares two decimal numbers written without leading zeros: the longer is the larger. */
function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** The JSON text of an entry: its `field`'s value, or its fields as an object of strings. */
function entryText(fields: string[], field: string): string | undefined {
  if (field === "") {
    const object: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) object[fields[i]!] = fields[i + 1]!;
    return JSON.stringify(object);
  }
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === field) return fields[i + 1];
  return undefined;
}

type Entry = [id: string, fields: string[] | null];
type ReadReply = [stream: string, entries: Entry[]][] | null;

/**
 * Starts reading the spec's stream. The spec must be validated, defaulted and of the `redis`
 * kind; the source only runs with a live table.
 */
export function createRedisSource(spec: SourceSpec, context: SourceContext): Source {
  if (spec.kind?.$case !== "redis") {
    throw new TypeError(
      `Cannot create Redis source as 'spec.kind' must be redis: current value is ${spec.kind?.$case}`,
    );
  }
  if (!context.live) {
    throw new FailedPreconditionError(
      "Cannot add a Redis source as the ingest service has no state store (POLAROID_STATE_DIR or POLAROID_S3_BUCKET): its entries are acknowledged once durable there",
      { metadata: { field: "spec.kind" } },
    );
  }
  const { stream, group, start, field } = spec.kind.value;
  const target = parseRedisUrl(spec.kind.value.url);
  const consumer = `polaroid-${context.tenant}-${spec.name}`;
  const offsetKey = `redis:${stream}`;
  /** The last id the table holds; the last id taken into a batch. */
  let committed = context.live.writer.offsets[offsetKey] ?? "0-0";
  let seen = committed;
  /** The reader and the acknowledging connection of the attempt under way. */
  const pair: Redis[] = [];
  let acks: Redis | undefined;
  const core = new SourceCore(spec, context, {
    offsets: (marks, before) => {
      const last = marks.at(-1) as string | undefined;
      return last === undefined ? { ...before } : { ...before, [offsetKey]: last };
    },
    acknowledge: async (marks) => {
      const ids = marks as string[];
      if (ids.length === 0) return;
      if (compareIds(ids.at(-1)!, committed) > 0) committed = ids.at(-1)!;
      // Best effort: an entry left unacknowledged is read again and skipped after a restart.
      await acks?.xack(stream, group, ...ids).catch(() => {});
    },
  });
  const stop = new AbortController();
  const connect = async (): Promise<Redis> => {
    // The host is checked against the outbound policy; the connection goes to the address
    // checked (no second DNS answer), TLS still verifying the name.
    const addresses = await checkOutbound(target.url, context.outbound);
    const host = target.url.hostname.replace(/^\[|\]$/g, "");
    const redis = new Redis({
      host: addresses[0]!,
      port: target.port,
      db: target.db,
      lazyConnect: true,
      // The source's own loop retries, with backoff; ioredis does not.
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: 5000,
      ...(target.tls ? { tls: { servername: host } } : {}),
    });
    redis.on("error", () => {}); // reported through the failing command
    pair.push(redis);
    await redis.connect();
    return redis;
  };
  const take = (entries: Entry[], reader: Redis): string | undefined => {
    let last: string | undefined;
    const done: string[] = [];
    for (const [id, fields] of entries) {
      last = id;
      if (compareIds(id, committed) <= 0 || fields === null) {
        // In the table already (read again after a crash), or deleted meanwhile.
        done.push(id);
      } else if (compareIds(id, seen) > 0) {
        seen = id;
        const text = entryText(fields, field);
        core.push(text ?? `{"__missing_field__":${JSON.stringify(field)}}`, id);
      }
    }
    if (done.length > 0) void reader.xack(stream, group, ...done).catch(() => {});
    return last;
  };
  const run = (async () => {
    let failures = 0;
    while (!stop.signal.aborted) {
      try {
        const reader = await connect();
        acks = await connect();
        await reader.xgroup("CREATE", stream, group, start === "latest" ? "$" : "0", "MKSTREAM")
          .catch((error: Error) => {
            if (!/BUSYGROUP/.test(error.message)) throw error;
          });
        // What the group's consumers left pending (a dead one's too) becomes this one's.
        for (let cursor = "0-0";;) {
          const reply = await reader.xautoclaim(
            stream,
            group,
            consumer,
            0,
            cursor,
            "COUNT",
            1000,
          ) as [
            string,
            unknown[],
            unknown[]?,
          ];
          cursor = reply[0];
          if (cursor === "0-0") break;
        }
        // Its own pending entries first, in id order; then new ones.
        for (let after = "0";;) {
          await core.room();
          const reply = await reader.xreadgroup(
            "GROUP",
            group,
            consumer,
            "COUNT",
            READ_COUNT,
            "STREAMS",
            stream,
            after,
          ) as ReadReply;
          const entries = reply?.[0]?.[1] ?? [];
          if (entries.length === 0) break;
          after = take(entries, reader) ?? after;
        }
        if (core.state === "retrying") core.running();
        failures = 0;
        while (!stop.signal.aborted) {
          await core.room();
          if (stop.signal.aborted) break;
          const reply = await reader.xreadgroup(
            "GROUP",
            group,
            consumer,
            "COUNT",
            READ_COUNT,
            "BLOCK",
            BLOCK_MS,
            "STREAMS",
            stream,
            ">",
          ) as ReadReply;
          take(reply?.[0]?.[1] ?? [], reader);
        }
      } catch (error) {
        if (stop.signal.aborted) break;
        // The pair is replaced as a whole (what was read and not acknowledged is read again).
        for (const redis of pair.splice(0)) redis.disconnect();
        failures++;
        const delay = backoffMs(failures);
        core.retrying(
          `Cannot read Redis stream ${JSON.stringify(stream)}: ${
            error instanceof Error ? error.message : String(error)
          }`,
          Date.now() + delay,
        );
        await pause(delay, stop.signal);
      }
    }
  })();
  return core.source({
    close: async () => {
      stop.abort();
      // A blocked read ends within BLOCK_MS.
      await within(run, BLOCK_MS * 3);
    },
    // After the last commits' acknowledgements.
    closed: () => {
      for (const redis of pair.splice(0)) redis.disconnect();
    },
  });
}
