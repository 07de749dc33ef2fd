/**
 * A source that loads a paginated REST (JSON over HTTP) history, once or polling: pages by
 * offset/limit, page number, a cursor taken from each body, or the `Link: <...>; rel="next"`
 * header (RFC 8288); requests at most `requestsPerSecond` (a token bucket), several pages at
 * once where the pagination allows; `429` waits for `Retry-After`, 5xx and timeouts are tried
 * again with backoff. A polling source reads again every `pollIntervalMs`, asking only for
 * records past its watermark.
 *
 * Its position (the page and the records of it taken, or the watermark) is committed with
 * each segment: a restarted source resumes there, so a crash duplicates and loses nothing of
 * a stable history.
 *
 * @module
 */

import pl from "nodejs-polars";
import type { SourceSpec } from "../../../shared/gen/polaroid/v1/ingest.ts";
import { checkOutbound } from "../../../shared/outbound.ts";
import { SourceCore } from "../source_core.ts";
import { backoffMs, pause } from "./backoff.ts";
import type { Source } from "../source.ts";
import { jsonRecords, parseRecordPath, type RecordPath } from "../records.ts";
import { invalidSpec, type SourceContext, type SourceKind } from "./kind.ts";

/** A page past this fails the source (an answer that large is not a page of records). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 30_000;
const PAGINATIONS = ["none", "offset", "page", "cursor", "link"] as const;
const SCHEMA_TYPES = ["Int64", "Float64", "String", "Boolean", "Datetime"] as const;
const PARAM = /^[A-Za-z0-9_.\-\[\]]{1,64}$/;
const POSITION = "rest:position";
const WATERMARK = "rest:watermark";

type Pagination = typeof PAGINATIONS[number];

/** REST sources. */
export const REST_SOURCE: SourceKind<"rest"> = {
  resolve(value) {
    parseHttpUrl(value.url);
    const pagination = (value.pagination || "none") as Pagination;
    if (!PAGINATIONS.includes(pagination)) {
      throw invalidSpec(
        "spec.rest.pagination",
        `be one of ${PAGINATIONS.join(", ")}`,
        JSON.stringify(value.pagination.slice(0, 40)),
      );
    }
    for (const [field, path] of [["records", value.records], ["cursor_path", value.cursorPath]]) {
      try {
        parseRecordPath(path!);
      } catch (error) {
        throw invalidSpec(
          `spec.rest.${field}`,
          (error as Error).message.replace(/^must /, ""),
          JSON.stringify(path!.slice(0, 80)),
        );
      }
    }
    if (pagination === "cursor" && value.cursorPath === "") {
      throw invalidSpec("spec.rest.cursor_path", "be set with cursor pagination", '""');
    }
    const params = {
      offsetParam: value.offsetParam || "offset",
      limitParam: value.limitParam || "limit",
      pageParam: value.pageParam || "page",
      cursorParam: value.cursorParam || "cursor",
      watermarkParam: value.watermarkParam,
    };
    for (const [key, param] of Object.entries(params)) {
      if (param !== "" && !PARAM.test(param)) {
        const field = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
        throw invalidSpec(
          `spec.rest.${field}`,
          `match ${PARAM.source}`,
          JSON.stringify(param.slice(0, 80)),
        );
      }
    }
    const pageSize = value.pageSize || 100;
    if (pageSize > 100_000) {
      throw invalidSpec("spec.rest.page_size", "be at most 100000", String(pageSize));
    }
    const rate = value.requestsPerSecond || 10;
    if (!(rate > 0 && rate <= 1000)) {
      throw invalidSpec(
        "spec.rest.requests_per_second",
        "be in (0, 1000]",
        String(value.requestsPerSecond),
      );
    }
    const concurrency = value.concurrency || 1;
    if (concurrency > 8) {
      throw invalidSpec("spec.rest.concurrency", "be at most 8", String(concurrency));
    }
    if (concurrency > 1 && pagination !== "offset" && pagination !== "page") {
      throw invalidSpec(
        "spec.rest.concurrency",
        "be 1 unless pages are numbered (offset or page pagination): each page names the next",
        String(concurrency),
      );
    }
    if (
      value.pollIntervalMs !== 0 &&
      (value.pollIntervalMs < 100 || value.pollIntervalMs > 86_400_000)
    ) {
      throw invalidSpec(
        "spec.rest.poll_interval_ms",
        "be 0 or 100 to 86400000",
        String(value.pollIntervalMs),
      );
    }
    if ((value.watermarkField === "") !== (value.watermarkParam === "")) {
      throw invalidSpec(
        "spec.rest.watermark_field",
        "be set together with watermark_param",
        JSON.stringify(value.watermarkField),
      );
    }
    if (value.watermarkField !== "" && !/^[A-Za-z0-9_$-]{1,128}$/.test(value.watermarkField)) {
      throw invalidSpec(
        "spec.rest.watermark_field",
        "be a field name",
        JSON.stringify(value.watermarkField.slice(0, 80)),
      );
    }
    for (const [column, type] of Object.entries(value.schema)) {
      if (!SCHEMA_TYPES.includes(type as typeof SCHEMA_TYPES[number]) || column.length > 256) {
        throw invalidSpec(
          `spec.rest.schema[${JSON.stringify(column.slice(0, 40))}]`,
          `be one of ${SCHEMA_TYPES.join(", ")}`,
          JSON.stringify(type.slice(0, 40)),
        );
      }
    }
    if (value.credential !== "" && !/^[A-Za-z0-9_-]{1,64}$/.test(value.credential)) {
      throw invalidSpec(
        "spec.rest.credential",
        "name a credential ([A-Za-z0-9_-]{1,64})",
        JSON.stringify(value.credential.slice(0, 80)),
      );
    }
    return { ...value, ...params, pagination, pageSize, requestsPerSecond: rate, concurrency };
  },
  canPause: true,
  create: async (spec, context) => {
    if (spec.kind?.$case === "rest") {
      await checkOutbound(parseHttpUrl(spec.kind.value.url), context.outbound);
      if (spec.kind.value.credential !== "" && !credentialOf(context, spec.kind.value.credential)) {
        throw invalidSpec(
          "spec.rest.credential",
          "name a credential of the tenant in POLAROID_INGEST_CREDENTIALS_FILE",
          JSON.stringify(spec.kind.value.credential),
        );
      }
    }
    return createRestSource(spec, context);
  },
};

function credentialOf(context: SourceContext, name: string): Record<string, string> | undefined {
  return context.credentials?.get(`${context.tenant}/${name}`)?.headers;
}

/** A checked http:// or https:// URL without credentials. */
export function parseHttpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidSpec(
      "spec.rest.url",
      "be an http:// or https:// URL",
      JSON.stringify(text.slice(0, 80)),
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalidSpec(
      "spec.rest.url",
      "be an http:// or https:// URL",
      JSON.stringify(url.protocol),
    );
  }
  if (url.username !== "" || url.password !== "") {
    throw invalidSpec(
      "spec.rest.url",
      "carry no credentials (name one in spec.rest.credential)",
      "a URL with user information",
    );
  }
  if (text.length > 4096) {
    throw invalidSpec("spec.rest.url", "have at most 4096 characters", String(text.length));
  }
  return url;
}

/** Where a load is: the page to read, and how many of its records are in the table. */
interface Position {
  /** The page's URL (link pagination), or undefined for the first. */
  url?: string;
  offset?: number;
  page?: number;
  cursor?: string;
  /** Records of that page already taken. */
  skip: number;
  /** A one-off load finished. */
  done?: boolean;
}

interface Mark {
  /** Where to resume after this record. */
  position: Position;
  watermark?: string;
}

/** A token bucket: `take()` resolves when a request may go. */
class TokenBucket {
  #tokens: number;
  #last = performance.now();
  constructor(readonly rate: number, readonly burst = Math.max(1, Math.ceil(rate))) {
    this.#tokens = burst;
  }
  async take(signal: AbortSignal): Promise<void> {
    for (;;) {
      const now = performance.now();
      this.#tokens = Math.min(this.burst, this.#tokens + ((now - this.#last) / 1000) * this.rate);
      this.#last = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await pause(((1 - this.#tokens) / this.rate) * 1000, signal);
    }
  }
}

/** The `rel="next"` target of a Link header (RFC 8288), resolved against `base`. */
export function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*((?:;[^;]*)*)$/.exec(part);
    if (!match) continue;
    const rels = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;]+))/i.exec(match[2]!);
    const rel = (rels?.[1] ?? rels?.[2] ?? "").toLowerCase().split(/\s+/);
    if (rel.includes("next")) return new URL(match[1]!, base).toString();
  }
  return undefined;
}

/** Seconds or an HTTP date of a Retry-After header, as milliseconds (bounded). */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(Math.max(0, ms), 300_000);
}

/** Starts the load. The spec must be validated, defaulted and of the `rest` kind. */
export function createRestSource(spec: SourceSpec, context: SourceContext): Source {
  if (spec.kind?.$case !== "rest") {
    throw new TypeError(
      `Cannot create REST source as 'spec.kind' must be rest: current value is ${spec.kind?.$case}`,
    );
  }
  const rest = spec.kind.value;
  const base = parseHttpUrl(rest.url);
  const records: RecordPath = parseRecordPath(rest.records);
  const cursorPath: RecordPath = parseRecordPath(rest.cursorPath);
  const headers = credentialOf(context, rest.credential) ?? {};
  const polling = rest.pollIntervalMs > 0;
  const core = new SourceCore(spec, context, {
    offsets: (marks, before) => {
      const last = marks.at(-1) as Mark | undefined;
      if (!last) return { ...before };
      const out: Record<string, string> = { ...before, [POSITION]: JSON.stringify(last.position) };
      const watermarks = (marks as Mark[]).map((m) => m.watermark).filter((w) => w !== undefined);
      if (watermarks.length > 0) {
        const newest = watermarks.reduce((a, b) => (compareWatermarks(a!, b!) >= 0 ? a : b))!;
        const was = before[WATERMARK];
        if (was === undefined || compareWatermarks(newest, was) > 0) out[WATERMARK] = newest;
      }
      return out;
    },
  }, schemaTransform(rest.schema));
  const committed = context.live?.writer.offsets ?? {};
  let position: Position = committed[POSITION] ? JSON.parse(committed[POSITION]) : { skip: 0 };
  let watermark = committed[WATERMARK];
  const bucket = new TokenBucket(rest.requestsPerSecond);
  const stop = new AbortController();

  /** The URL of a page. */
  const pageUrl = (at: Position): URL => {
    const url = new URL(at.url ?? base.toString());
    if (at.url === undefined) {
      if (rest.pagination === "offset") {
        url.searchParams.set(rest.offsetParam, String(at.offset ?? 0));
        url.searchParams.set(rest.limitParam, String(rest.pageSize));
      } else if (rest.pagination === "page") {
        url.searchParams.set(rest.pageParam, String(at.page ?? 1));
        url.searchParams.set(rest.limitParam, String(rest.pageSize));
      } else if (rest.pagination === "cursor" && at.cursor !== undefined) {
        url.searchParams.set(rest.cursorParam, at.cursor);
      }
      if (watermark !== undefined && rest.watermarkParam !== "") {
        url.searchParams.set(rest.watermarkParam, watermark);
      }
    }
    return url;
  };

  /** One page's body and Link header, with retries; undefined when the source stops. */
  const fetchPage = async (
    url: URL,
  ): Promise<{ text: string; link: string | null } | undefined> => {
    for (let attempt = 1; !stop.signal.aborted; attempt++) {
      await bucket.take(stop.signal);
      let wait: number;
      let why: string;
      try {
        const addresses = await checkOutbound(url, context.outbound);
        void addresses;
        const response = await fetch(url, {
          headers: { accept: "application/json", ...headers },
          signal: AbortSignal.any([stop.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
          redirect: "error",
        });
        if (response.ok) {
          const text = await boundedText(response);
          if (core.state === "retrying") core.running();
          return { text, link: response.headers.get("link") };
        }
        await response.body?.cancel();
        if (response.status === 429) {
          wait = retryAfterMs(response.headers.get("retry-after")) ??
            backoffMs(attempt, 500, 30_000);
          why = "HTTP 429 (rate limited)";
        } else if (response.status >= 500) {
          wait = backoffMs(attempt, 200, 30_000);
          why = `HTTP ${response.status}`;
        } else {
          // A client error will not mend itself.
          throw new Error(`HTTP ${response.status} for ${url.pathname}`);
        }
      } catch (error) {
        if (stop.signal.aborted) return undefined;
        const message = error instanceof Error ? error.message : String(error);
        if (/^HTTP 4\d\d for /.test(message) || /must be at most/.test(message)) throw error;
        wait = backoffMs(attempt, 200, 30_000);
        why = message;
      }
      // The request (its query shown, never its credential headers) and what failed.
      core.retrying(`GET ${url.origin}${url.pathname}: ${why}`, Date.now() + wait);
      await pause(wait, stop.signal);
    }
    return undefined;
  };

  /** Reads every page from `position` on; false when stopped. */
  const pass = async (): Promise<boolean> => {
    let pages = 0;
    const numbered = rest.pagination === "offset" || rest.pagination === "page";
    const after = (at: Position, k: number): Position =>
      rest.pagination === "offset"
        ? { offset: (at.offset ?? 0) + k * rest.pageSize, skip: 0 }
        : { page: (at.page ?? 1) + k, skip: 0 };
    while (!stop.signal.aborted) {
      // Numbered pages load several at once; the others one after another.
      const batch = numbered ? Math.max(1, rest.concurrency) : 1;
      const targets = Array.from(
        { length: batch },
        (_, k) => (k === 0 ? position : after(position, k)),
      )
        .slice(0, rest.maxPages > 0 ? Math.max(0, rest.maxPages - pages) : batch);
      if (targets.length === 0) return true;
      const bodies = await Promise.all(targets.map((at) => fetchPage(pageUrl(at))));
      for (let k = 0; k < targets.length; k++) {
        const at = targets[k]!;
        const body = bodies[k];
        if (!body) return false;
        pages++;
        let rows: string[];
        try {
          rows = jsonRecords(body.text, records);
        } catch (error) {
          throw new Error(`the page's records: ${(error as Error).message}`);
        }
        let next: Position | undefined;
        if (numbered) next = rows.length === 0 ? undefined : after(at, 1);
        else if (rest.pagination === "cursor") {
          const cursor = cursorOf(body.text, cursorPath);
          next = cursor === undefined ? undefined : { cursor, skip: 0 };
        } else if (rest.pagination === "link") {
          const link = nextLink(body.link, pageUrl(at).toString());
          next = link === undefined ? undefined : { url: link, skip: 0 };
        }
        if (rest.maxPages > 0 && pages >= rest.maxPages) next = undefined;
        const end: Position = next ?? (polling ? { skip: 0 } : { skip: 0, done: true });
        for (let i = at.skip; i < rows.length; i++) {
          await core.room();
          const row = rows[i]!;
          const mark: Mark = {
            position: i === rows.length - 1 ? end : { ...at, skip: i + 1 },
          };
          if (rest.watermarkField !== "") {
            const value = watermarkOf(row, rest.watermarkField);
            // Polling reads the newest records again: what is not past the watermark is skipped.
            if (
              value !== undefined && watermark !== undefined &&
              compareWatermarks(value, watermark) <= 0
            ) {
              continue;
            }
            if (value !== undefined) mark.watermark = value;
          }
          core.push(row, mark);
        }
        if (!next) {
          position = end;
          return true;
        }
        position = next;
      }
    }
    return false;
  };

  const run = (async () => {
    try {
      if (position.done) return; // loaded before a restart
      for (;;) {
        if (!(await pass())) return;
        if (!polling) {
          await core.finish();
          return;
        }
        core.batcher.flush();
        await pause(rest.pollIntervalMs, stop.signal);
        if (stop.signal.aborted) return;
        // The next pass asks from the watermark committed (or taken) so far.
        watermark = context.live?.writer.offsets[WATERMARK] ?? watermark;
        position = { skip: 0 };
      }
    } catch (error) {
      if (!stop.signal.aborted) core.fail(`REST source: ${(error as Error).message}`);
    } finally {
      core.batcher.flush();
    }
  })();
  return core.source({
    close: async () => {
      stop.abort();
      await run;
    },
  });
}

/** Casts of the columns a spec's `schema` names (those present in a batch). */
function schemaTransform(
  schema: Record<string, string>,
): ((frame: pl.DataFrame) => pl.DataFrame) | undefined {
  const entries = Object.entries(schema);
  if (entries.length === 0) return undefined;
  return (frame) => {
    const types = frame.schema as Record<string, pl.DataType>;
    const casts = entries.filter(([column]) => column in types).map(([column, type]) => {
      const c = pl.col(column);
      switch (type) {
        case "Int64":
          return c.cast(pl.Int64, true);
        case "Float64":
          return c.cast(pl.Float64, true);
        case "Boolean":
          return c.cast(pl.Bool, true);
        case "String":
          return c.cast(pl.Utf8, true);
        default:
          // Datetime: text parsed as a date-time, numbers as milliseconds since the epoch.
          return String(types[column]) === String(pl.Utf8)
            ? c.str.strptime(pl.Datetime("ms"))
            : c.cast(pl.Int64, true).cast(pl.Datetime("ms"), true);
      }
    });
    return casts.length === 0 ? frame : frame.withColumns(...casts);
  };
}

/** The cursor at `path` in a body: a string or number; undefined for null, "" or absent. */
function cursorOf(text: string, path: RecordPath): string | undefined {
  let found: string[];
  try {
    found = jsonRecords(text, path);
  } catch {
    return undefined;
  }
  if (found.length !== 1) return undefined;
  const value = JSON.parse(found[0]!) as unknown;
  if (typeof value === "number" && Number.isFinite(value)) return found[0]!.trim();
  if (typeof value === "string" && value !== "") return value;
  return undefined;
}

/** A record's watermark field as text (a number's digits as sent), or undefined. */
function watermarkOf(row: string, field: string): string | undefined {
  try {
    const [text] = jsonRecords(row, [{ key: field, each: false }]);
    const value = JSON.parse(text!) as unknown;
    if (typeof value === "string") return value;
    if (typeof value === "number") return text!.trim();
  } catch {
    // No such field: no watermark.
  }
  return undefined;
}

/** Numbers by value (digits, exact), anything else as text (ISO times sort as text). */
export function compareWatermarks(a: string, b: string): number {
  const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
  if (number.test(a) && number.test(b)) {
    if (/^-?\d+$/.test(a) && /^-?\d+$/.test(b)) {
      const x = BigInt(a);
      const y = BigInt(b);
      return x === y ? 0 : x < y ? -1 : 1;
    }
    return Math.sign(Number(a) - Number(b));
  }
  return a === b ? 0 : a < b ? -1 : 1;
}

/** The body as text, refusing more than MAX_BODY_BYTES. */
async function boundedText(response: Response): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) {
    await response.body?.cancel();
    throw new Error(`a page must be at most ${MAX_BODY_BYTES} bytes: current value is ${declared}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) {
      throw new Error(`a page must be at most ${MAX_BODY_BYTES} bytes: current value is more`);
    }
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(out);
}
