/**
 * Writing results out: `lf.sinkParquet(path).collect()` (and `sinkCSV`, `sinkIpc`,
 * `sinkNdJson`) and `df.writeParquet(path)` (and `writeCSV`, `writeIPC`, `writeJSON`) run on
 * the server, which writes the file under its output root (POLAROID_OUTPUT_ROOT, the tenant's
 * directory when authentication is on) or, for a path `s3://<bucket>/<key>`, to its S3 output
 * bucket; atomically (no reader ever sees a partial file) and on Polars' streaming engine
 * (results larger than memory). nodejs-polars' options are sent as `SinkOptions` (checked
 * here, TypeError naming the option, and again on the server); refused ones are in
 * sdk/option_audit_sink.ts.
 *
 * ```ts
 * const written = await client.scanParquet("trades.parquet")
 *   .filter(pl.col("qty").gt(0))
 *   .sinkParquet("out/trades.parquet", { compression: "zstd" })
 *   .collect(); // { path: "out/trades.parquet", rows: 1234, bytes: 56789 }
 * ```
 *
 * @module
 */

import { FileFormat, type Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import {
  OutputStore,
  type ParquetStatistics,
  type SinkOptions,
  type SinkRequest,
  type SinkTarget,
} from "../../shared/gen/polaroid/v1/sink.ts";
import { refuseOptions } from "../option_audit.ts";
import { refuseWriteOptions } from "../option_audit_sink.ts";
import type { Session, SinkCallOptions } from "../transport/session.ts";

/** What a sink or a write did. */
export interface SinkResult {
  /** Where the result is: the path as given, or `s3://<bucket>/<key>` (the object's key). */
  path: string;
  /** Rows written: known for Parquet and IPC, undefined for CSV and NDJSON. */
  rows: number | undefined;
  /** Size of the file or object. */
  bytes: number;
}

/** Options of `sink.collect()`: nodejs-polars' collect options, and the call's own. */
export interface SinkCollectOptions extends SinkCallOptions {
  /** Sinks always run on Polars' streaming engine. */
  streaming?: boolean;
}

/** The options every sink of nodejs-polars takes. */
export interface SinkCommonOptions {
  maintainOrder?: boolean;
  /** Refused: results go to the server's output root or S3 output bucket. */
  cloudOptions?: Record<string, string | number | boolean>;
  syncOnClose?: "none" | "data" | "all";
  mkdir?: boolean;
}

/** nodejs-polars' `sinkCSV` / `writeCSV` options. */
export interface SinkCsvOptions extends SinkCommonOptions {
  includeBom?: boolean;
  includeHeader?: boolean;
  separator?: string;
  quoteChar?: string;
  lineTerminator?: string;
  batchSize?: number;
  datetimeFormat?: string;
  dateFormat?: string;
  timeFormat?: string;
  floatScientific?: boolean;
  floatPrecision?: number;
  decimalComma?: boolean;
  nullValue?: string;
  quoteStyle?: "always" | "necessary" | "non_numeric" | "never";
  compression?: "uncompressed" | "gzip" | "zstd";
  compressionLevel?: number;
  checkExtension?: boolean;
}

/** nodejs-polars' `sinkParquet` options. */
export interface SinkParquetOptions extends SinkCommonOptions {
  compression?: "uncompressed" | "snappy" | "gzip" | "lzo" | "brotli" | "lz4" | "zstd";
  compressionLevel?: number;
  statistics?: boolean | "full" | {
    min?: boolean;
    max?: boolean;
    distinctCount?: boolean;
    nullCount?: boolean;
  };
  rowGroupSize?: number;
  dataPagesizeLimit?: number;
}

/** nodejs-polars' `sinkIpc` options (codecs: uncompressed, lz4, zstd). */
export interface SinkIpcOptions extends SinkCommonOptions {
  compression?: "uncompressed" | "lz4" | "zstd";
  compatLevel?: "newest" | "oldest";
}

/** nodejs-polars' `sinkNdJson` options. */
export interface SinkNdJsonOptions extends SinkCommonOptions {
  compression?: "uncompressed" | "gzip" | "zstd";
  compressionLevel?: number;
  checkExtension?: boolean;
}

/** The formats, by the name the wire gives them. */
export const SINK_FORMAT = {
  parquet: FileFormat.FILE_FORMAT_PARQUET,
  csv: FileFormat.FILE_FORMAT_CSV,
  ipc: FileFormat.FILE_FORMAT_IPC,
  ndjson: FileFormat.FILE_FORMAT_NDJSON,
} as const;

function fail(method: string, name: string, must: string, value: unknown): never {
  throw new TypeError(
    `Cannot call ${method} as ${
      name === "path" ? "" : "option "
    }'${name}' must ${must}: current value is ${
      JSON.stringify(value)?.slice(0, 200) ?? String(value)
    }`,
  );
}

/** The options the SDK sends, by nodejs-polars' name and their kind on the wire. */
const KINDS: Readonly<Record<string, "flag" | "text" | "count" | "level" | "statistics">> = {
  maintainOrder: "flag",
  mkdir: "flag",
  syncOnClose: "text",
  compression: "text",
  compressionLevel: "level",
  checkExtension: "flag",
  statistics: "statistics",
  rowGroupSize: "count",
  dataPagesizeLimit: "count",
  compatLevel: "text",
  includeBom: "flag",
  includeHeader: "flag",
  separator: "text",
  quoteChar: "text",
  lineTerminator: "text",
  batchSize: "count",
  datetimeFormat: "text",
  dateFormat: "text",
  timeFormat: "text",
  floatScientific: "flag",
  floatPrecision: "level",
  decimalComma: "flag",
  nullValue: "text",
  quoteStyle: "text",
};

/**
 * The wire's SinkOptions from nodejs-polars' `options` of `method` (refused options throw
 * first). Options the SDK does not know are TypeErrors: none is dropped.
 */
export function sinkOptionsProto(method: string, options: unknown): SinkOptions {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) {
    fail(method, "options", "be an object", options);
  }
  if (method.startsWith("DataFrame.")) refuseWriteOptions(method, options);
  else refuseOptions(method, options);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    switch (KINDS[name]) {
      case "flag":
        if (typeof value !== "boolean") fail(method, name, "be true or false", value);
        out[name] = value;
        break;
      case "text":
        if (typeof value !== "string") fail(method, name, "be a string", value);
        out[name] = value;
        break;
      case "level":
        if (!Number.isSafeInteger(value) || (value as number) < 0) {
          fail(method, name, "be an integer >= 0", value);
        }
        out[name] = value;
        break;
      case "count":
        if (!Number.isSafeInteger(value) || (value as number) < 1) {
          fail(method, name, "be an integer >= 1", value);
        }
        out[name] = BigInt(value as number);
        break;
      case "statistics":
        out.statistics = statistics(method, value);
        break;
      default:
        fail(method, name, "be one of nodejs-polars' options of this method", value);
    }
  }
  return out as SinkOptions;
}

function statistics(method: string, value: unknown): ParquetStatistics {
  if (typeof value === "boolean") return { kind: { $case: "enabled", value } };
  if (value === "full") return { kind: { $case: "full", value: true } };
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const set = value as Record<string, unknown>;
    const known = ["min", "max", "distinctCount", "nullCount"];
    for (const [key, v] of Object.entries(set)) {
      if (!known.includes(key) || (v !== undefined && typeof v !== "boolean")) {
        fail(method, "statistics", `name only ${known.join(", ")} (true or false)`, value);
      }
    }
    return {
      kind: {
        $case: "set",
        value: {
          min: set.min === true,
          max: set.max === true,
          distinctCount: set.distinctCount === true,
          nullCount: set.nullCount === true,
        },
      },
    };
  }
  return fail(method, "statistics", 'be true, false, "full" or an object of statistics', value);
}

/** The target of `path`: `s3://<bucket>/<key>` names the S3 output bucket, else a file. */
export function sinkTarget(method: string, format: FileFormat, path: unknown): SinkTarget {
  if (typeof path !== "string" || path === "") {
    fail(
      method,
      "path",
      "be a non-empty path (a stream or no destination is not written remotely)",
      typeof path === "string" ? path : String(path),
    );
  }
  const s3 = /^s3:\/\/([^/]*)\/(.*)$/s.exec(path);
  if (s3) {
    return { format, path: s3[2]!, store: OutputStore.OUTPUT_STORE_S3, bucket: s3[1]! };
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(path)) {
    fail(method, "path", "be relative to the server's output root, or s3://<bucket>/<key>", path);
  }
  return { format, path, store: OutputStore.OUTPUT_STORE_FILES, bucket: "" };
}

/**
 * A sink waiting to run, as nodejs-polars' `lf.sinkParquet(path)` is: `collect()` writes the
 * result on the server. Arguments were checked when it was made.
 */
export class RemoteSink {
  readonly #session: Session;
  readonly #plan: Promise<Plan>;
  readonly #target: SinkTarget;
  readonly #options: SinkOptions;

  /** Sinks come from a frame (`lf.sinkParquet(path)`, ...), not from this constructor. */
  constructor(session: Session, plan: Promise<Plan>, target: SinkTarget, options: SinkOptions) {
    this.#session = session;
    this.#plan = plan;
    this.#target = target;
    this.#options = options;
    plan.catch(() => {}); // reported by collect()
  }

  /** Where it writes (the wire's target). */
  get target(): Readonly<SinkTarget> {
    return this.#target;
  }

  /**
   * Runs the plan and writes its result (nodejs-polars' optimizer switches are refused, as
   * for LazyDataFrame.collect). `signal` stops the write: nothing is left at the path.
   */
  async collect(options: SinkCollectOptions = {}): Promise<SinkResult> {
    const { signal, timeoutMs, streaming: _streaming, ...rest } = options;
    refuseOptions("LazyDataFrame.collect", rest);
    const request: SinkRequest = {
      plan: await this.#plan,
      target: this.#target,
      options: this.#options,
    };
    const call: SinkCallOptions = {
      ...(signal ? { signal } : {}),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    };
    const response = await this.#session.sink(request, call);
    return {
      path: response.path,
      rows: response.rows === undefined ? undefined : Number(response.rows),
      bytes: Number(response.bytes),
    };
  }
}

/** A sink of `plan` by `method`, its path and options checked at once. */
export function remoteSink(
  session: Session,
  plan: Promise<Plan>,
  method: string,
  format: FileFormat,
  path: string,
  options: unknown,
): RemoteSink {
  const target = sinkTarget(method, format, path);
  return new RemoteSink(session, plan, target, sinkOptionsProto(method, options));
}

/** nodejs-polars' DataFrame write defaults, which differ from its sinks'. */
const WRITE_DEFAULTS: Readonly<Record<string, SinkOptions>> = {
  // Eager writes: Parquet and IPC uncompressed; CSV never checks the extension.
  "DataFrame.writeParquet": { compression: "uncompressed" },
  "DataFrame.writeIPC": { compression: "uncompressed" },
  "DataFrame.writeCSV": { checkExtension: false },
  "DataFrame.writeJSON": {},
};

/** Writes a stored frame (`plan` scans its handle) as nodejs-polars' `df.write*(path)` does. */
export function writeFrame(
  session: Session,
  plan: Plan,
  method: "DataFrame.writeParquet" | "DataFrame.writeCSV" | "DataFrame.writeIPC",
  format: FileFormat,
  path: string,
  options: unknown,
): Promise<SinkResult> {
  return Promise.try(() => {
    const target = sinkTarget(method, format, path);
    const given = sinkOptionsProto(method, options);
    const defaults = WRITE_DEFAULTS[method]!;
    const merged = { ...defaults, ...dropUndefined(given) };
    return new RemoteSink(session, Promise.resolve(plan), target, merged).collect();
  });
}

/** nodejs-polars' `df.writeJSON(path, { format })`: "lines" (its default) only. */
export function writeJson(
  session: Session,
  plan: Plan,
  path: string,
  options: unknown,
): Promise<SinkResult> {
  return Promise.try(() => {
    const method = "DataFrame.writeJSON";
    const target = sinkTarget(method, FileFormat.FILE_FORMAT_NDJSON, path);
    if (options !== undefined && options !== null) {
      if (typeof options !== "object") fail(method, "options", "be an object", options);
      for (const [name, value] of Object.entries(options)) {
        if (name !== "format") {
          fail(method, name, "be one of nodejs-polars' options of this method", value);
        }
        if (value !== "lines") {
          throw new TypeError(
            `Cannot call ${method} with option 'format' other than "lines" as the server writes newline-delimited JSON only (a JSON array is not streamed; Polaroid refuses it rather than write another format): current value is ${
              JSON.stringify(value)
            }`,
          );
        }
      }
    }
    return new RemoteSink(session, Promise.resolve(plan), target, {}).collect();
  });
}

function dropUndefined(options: SinkOptions): SinkOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as SinkOptions;
}
