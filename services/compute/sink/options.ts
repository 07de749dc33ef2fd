/**
 * A sink's nodejs-polars options, from the request's `SinkOptions`: each set field becomes
 * the option of the same meaning in nodejs-polars' own spelling, so a sink writes exactly
 * what `lf.sinkParquet(path, options)` (or CSV, IPC, NDJSON) writes in-process. A field the
 * format does not take, and any value out of bounds, is InvalidArgumentError naming it,
 * checked before anything runs. `mkdir` is the caller's (the sink creates directories itself,
 * checked against the output root) and never reaches the engine.
 *
 * @module
 */

import { InvalidArgumentError } from "../../../shared/errors.ts";
import { FileFormat } from "../../../shared/gen/polaroid/v1/plan.ts";
import type { SinkOptions } from "../../../shared/gen/polaroid/v1/sink.ts";

/** Longest text option (a format string, a null value, a line terminator). */
const MAX_TEXT = 256;
/** Most digits a float may be written with. */
export const MAX_FLOAT_PRECISION = 64;

type Field = keyof SinkOptions;

const COMMON: readonly Field[] = ["maintainOrder", "mkdir", "syncOnClose", "compression"];

/** The fields each format takes (nodejs-polars' typings of its sink). */
const TAKES: Readonly<Record<number, ReadonlySet<Field>>> = {
  [FileFormat.FILE_FORMAT_PARQUET]: new Set<Field>([
    ...COMMON,
    "compressionLevel",
    "statistics",
    "rowGroupSize",
    "dataPagesizeLimit",
  ]),
  [FileFormat.FILE_FORMAT_CSV]: new Set<Field>([
    ...COMMON,
    "compressionLevel",
    "checkExtension",
    "includeBom",
    "includeHeader",
    "separator",
    "quoteChar",
    "lineTerminator",
    "batchSize",
    "datetimeFormat",
    "dateFormat",
    "timeFormat",
    "floatScientific",
    "floatPrecision",
    "decimalComma",
    "nullValue",
    "quoteStyle",
  ]),
  [FileFormat.FILE_FORMAT_IPC]: new Set<Field>([...COMMON, "compatLevel"]),
  [FileFormat.FILE_FORMAT_NDJSON]: new Set<Field>([
    ...COMMON,
    "compressionLevel",
    "checkExtension",
  ]),
};

/** Codecs per format: nodejs-polars' typings (IPC: Polars' IPC codecs). */
const CODECS: Readonly<Record<number, readonly string[]>> = {
  [FileFormat.FILE_FORMAT_PARQUET]: [
    "uncompressed",
    "snappy",
    "gzip",
    "lzo",
    "brotli",
    "lz4",
    "zstd",
  ],
  [FileFormat.FILE_FORMAT_CSV]: ["uncompressed", "gzip", "zstd"],
  [FileFormat.FILE_FORMAT_IPC]: ["uncompressed", "lz4", "zstd"],
  [FileFormat.FILE_FORMAT_NDJSON]: ["uncompressed", "gzip", "zstd"],
};

function fail(name: string, must: string, value: unknown): never {
  throw new InvalidArgumentError(
    `Cannot write the file as 'options.${name}' must ${must}: current value is ${
      typeof value === "bigint" ? String(value) : JSON.stringify(value)?.slice(0, 200)
    }`,
  );
}

function oneOf(name: string, value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value)) fail(name, `be one of ${allowed.join(", ")}`, value);
  return value;
}

function text(name: string, value: string): string {
  if (value.length > MAX_TEXT) fail(name, `have at most ${MAX_TEXT} characters`, value);
  return value;
}

/** One ASCII character other than a line break (nodejs-polars writes the first byte only). */
function character(name: string, value: string): string {
  if (!/^[\x20-\x7e\t]$/.test(value)) fail(name, "be one printable ASCII character", value);
  return value;
}

function count(name: string, value: bigint, min: bigint, max: bigint): number {
  if (value < min || value > max) fail(name, `be an integer in [${min}, ${max}]`, value);
  return Number(value);
}

/** What the caller asked of the sink besides the engine's options. */
export interface SinkPlanOptions {
  /** Create the path's missing directories. */
  mkdir: boolean;
  /** nodejs-polars' options of the format's sink. */
  engine: Record<string, unknown>;
}

/**
 * The engine's options for `format` from `options` (unset fields left to nodejs-polars'
 * defaults). `maxBatchSize` bounds the CSV writer's batch size (POLAROID_MAX_BATCH_SIZE).
 */
export function sinkOptions(
  format: FileFormat,
  options: SinkOptions | undefined,
  maxBatchSize: number,
): SinkPlanOptions {
  const takes = TAKES[format];
  if (takes === undefined) {
    throw new InvalidArgumentError(
      `Cannot write the file as 'target.format' must be Parquet, CSV, IPC or NDJSON: current value is ${format}`,
    );
  }
  const out: Record<string, unknown> = {};
  let mkdir = false;
  for (const [name, value] of Object.entries(options ?? {}) as [Field, unknown][]) {
    if (value === undefined) continue;
    if (!takes.has(name)) fail(name, "not be set for this format", value);
    switch (name) {
      case "mkdir":
        mkdir = value as boolean;
        break;
      case "syncOnClose":
        out[name] = oneOf(name, value as string, ["none", "data", "all"]);
        break;
      case "compression":
        out[name] = oneOf(name, value as string, CODECS[format]!);
        break;
      case "compressionLevel":
        out[name] = count(name, BigInt(value as number), 0n, 22n);
        break;
      case "compatLevel":
        out[name] = oneOf(name, value as string, ["newest", "oldest"]);
        break;
      case "quoteStyle":
        out[name] = oneOf(name, value as string, ["always", "necessary", "non_numeric", "never"]);
        break;
      case "rowGroupSize":
      case "dataPagesizeLimit":
        out[name] = count(name, value as bigint, 1n, BigInt(Number.MAX_SAFE_INTEGER));
        break;
      case "batchSize":
        out[name] = count(name, value as bigint, 1n, BigInt(maxBatchSize));
        break;
      case "floatPrecision":
        out[name] = count(name, BigInt(value as number), 0n, BigInt(MAX_FLOAT_PRECISION));
        break;
      case "separator":
      case "quoteChar":
        out[name] = character(name, value as string);
        break;
      case "lineTerminator":
        if (value === "") fail(name, "not be empty", value);
        out[name] = text(name, value as string);
        break;
      case "datetimeFormat":
      case "dateFormat":
      case "timeFormat":
      case "nullValue":
        out[name] = text(name, value as string);
        break;
      case "statistics":
        out[name] = statistics(value as NonNullable<SinkOptions["statistics"]>);
        break;
      default:
        // The flags: maintainOrder, checkExtension, includeBom, includeHeader,
        // floatScientific, decimalComma.
        out[name] = value as boolean;
    }
  }
  return { mkdir, engine: out };
}

function statistics(value: NonNullable<SinkOptions["statistics"]>): unknown {
  const kind = value.kind;
  if (kind === undefined) fail("statistics", "be set", "unset");
  if (kind.$case === "enabled") return kind.value;
  if (kind.$case === "full") {
    if (!kind.value) fail("statistics.full", "be true when set", false);
    return "full";
  }
  const { min, max, distinctCount, nullCount } = kind.value;
  return { min, max, distinctCount, nullCount };
}
