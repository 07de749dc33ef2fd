/**
 * What `asTimeSeries()` finds out about a frame: the index and symbol columns, the checks
 * (nulls, order, duplicate instants per symbol) and the sampling frequency, computed on the
 * server by one small aggregation. The same facts travel on the handle as the metadata entry
 * TIME_SERIES_METADATA, so a frame opened later is a time series without new arguments.
 *
 * @module
 */

import { DataType, type Schema } from "../datatypes.ts";
import { col, len } from "../functions.ts";
import type { LazyQuery } from "../frame/lazy_query.ts";
import { perGroup } from "./per_group.ts";

/** The handle metadata key of a time-series frame. */
export const TIME_SERIES_METADATA = "polaroid.timeseries";

/** Index types a time series may have. */
export type IndexKind = "datetime" | "date" | "integer";

const INTEGERS = new Set(["Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32"]);

/** How regularly a time series is sampled, from the positive steps between rows. */
export interface Frequency {
  /** Every positive step between consecutive rows of a symbol is the same. */
  regular: boolean;
  /**
   * The median positive step as a duration ("1m", "250ms", "1d" for a Date index, "5i" for
   * an integer index); null with fewer than two distinct instants per symbol.
   */
  step: string | null;
  /** The shortest and longest positive steps, in the same form. */
  minStep: string | null;
  maxStep: string | null;
}

/** The facts of a validated time series. */
export interface TimeSeriesInfo {
  /** The time column. */
  index: string;
  /** The symbol columns (empty: one series). */
  by: string[];
  /** What the index holds. */
  kind: IndexKind;
  /** Datetime index only: its unit and zone ("" when naive). */
  timeUnit?: "ns" | "us" | "ms";
  timeZone?: string;
  rows: number;
  /** Distinct symbols (1 without `by`). */
  symbols: number;
  /** Rows sharing their symbol's previous instant (kept under `duplicates: "keep"`). */
  duplicates: number;
  /** First and last instant, as text; null for an empty frame. */
  start: string | null;
  end: string | null;
  frequency: Frequency;
}

/** The raw counts of one inspection. */
export interface Inspection {
  info: TimeSeriesInfo;
  /** Null index values. */
  nulls: number;
  /** Rows whose instant is earlier than their symbol's previous row. */
  unsorted: number;
}

function fail(name: string, must: string, value: unknown): never {
  throw new TypeError(
    `Cannot make a time series as '${name}' must be ${must}: current value is ${
      JSON.stringify(value) ?? String(value)
    }`,
  );
}

/** The index kind (and unit/zone) of a column type; TypeError for other types. */
export function indexKind(
  index: string,
  dtype: DataType | undefined,
): Pick<TimeSeriesInfo, "kind" | "timeUnit" | "timeZone"> {
  if (dtype === undefined) fail("index", "a column of the frame", index);
  if (dtype.variant === "Datetime") {
    return { kind: "datetime", timeUnit: dtype.timeUnit ?? "us", timeZone: dtype.timeZone ?? "" };
  }
  if (dtype.variant === "Date") return { kind: "date" };
  if (INTEGERS.has(dtype.variant)) return { kind: "integer" };
  fail("index", "a Datetime, Date or integer column", `${index}: ${dtype.variant}`);
}

const UNIT_NS = { ns: 1, us: 1_000, ms: 1_000_000 } as const;
const PARTS: readonly [string, bigint][] = [
  ["h", 3_600_000_000_000n],
  ["m", 60_000_000_000n],
  ["s", 1_000_000_000n],
  ["ms", 1_000_000n],
  ["us", 1_000n],
  ["ns", 1n],
];

/** A step in index units as a duration text: "1h30m", "250ms", "2d" (Date), "5i" (integer). */
export function stepText(
  step: number | null,
  kind: IndexKind,
  timeUnit: "ns" | "us" | "ms" = "us",
): string | null {
  if (step === null || !Number.isFinite(step)) return null;
  if (kind === "integer") return `${step}i`;
  if (kind === "date") return `${step}d`;
  let rest = BigInt(Math.round(step)) * BigInt(UNIT_NS[timeUnit]);
  let text = "";
  for (const [unit, ns] of PARTS) {
    if (rest >= ns) {
      text += `${rest / ns}${unit}`;
      rest %= ns;
    }
  }
  return text === "" ? "0ns" : text;
}

/** Runs the checks of `lf` as a time series indexed by `index` per `by` on the server. */
export async function inspect<L extends LazyQuery<L, unknown>>(
  lf: L,
  schema: Schema,
  index: string,
  by: string[],
): Promise<Inspection> {
  for (const name of by) {
    if (schema[name] === undefined) fail("by", "columns of the frame", name);
    if (name === index) fail("by", "columns other than the index", name);
  }
  const { kind } = indexKind(index, schema[index]);
  const t = col("_t");
  const d = col("_d");
  const positive = d.filter(d.gt(0)).cast(DataType.Float64);
  const stats = lf.select(
    ...by,
    col(index).alias("_index"),
    col(index).cast(DataType.Int64).alias("_t"),
  )
    .withColumns(perGroup(t.diff(), by).alias("_d"))
    .select(
      len().cast(DataType.Float64).alias("rows"),
      t.nullCount().cast(DataType.Float64).alias("nulls"),
      d.lt(0).sum().cast(DataType.Float64).alias("unsorted"),
      d.eq(0).sum().cast(DataType.Float64).alias("duplicates"),
      positive.min().alias("min_step"),
      positive.max().alias("max_step"),
      positive.median().alias("median_step"),
      col("_index").min().cast(DataType.String).alias("start"),
      col("_index").max().cast(DataType.String).alias("end"),
    );
  const symbols = by.length === 0
    ? undefined
    : lf.select(...by).unique({ subset: by }).select(len().cast(DataType.Float64).alias("n"));
  const [row, groups] = await Promise.all([firstRow(stats), symbols && firstRow(symbols)]);
  const num = (name: string) => row[name] === null ? null : Number(row[name]);
  const info: TimeSeriesInfo = {
    index,
    by,
    ...indexKind(index, schema[index]),
    rows: num("rows") ?? 0,
    symbols: groups === undefined ? 1 : Number(groups.n),
    duplicates: num("duplicates") ?? 0,
    start: row.start === null ? null : String(row.start),
    end: row.end === null ? null : String(row.end),
    frequency: frequency(num("min_step"), num("max_step"), num("median_step"), kind, schema[index]),
  };
  return { info, nulls: num("nulls") ?? 0, unsorted: num("unsorted") ?? 0 };
}

function frequency(
  min: number | null,
  max: number | null,
  median: number | null,
  kind: IndexKind,
  dtype: DataType | undefined,
): Frequency {
  const unit = dtype?.timeUnit;
  return {
    regular: min !== null && min === max,
    step: stepText(median, kind, unit),
    minStep: stepText(min, kind, unit),
    maxStep: stepText(max, kind, unit),
  };
}

async function firstRow<L extends LazyQuery<L, unknown>>(
  lf: L,
): Promise<Record<string, unknown>> {
  const table = await lf.toArrow();
  const row = table.get(0);
  if (row === null) throw new Error("Cannot inspect a time series as the check returned no row");
  return row.toJSON() as Record<string, unknown>;
}

/** The metadata entry of a time series. */
export function encodeInfo(info: TimeSeriesInfo): Record<string, string> {
  return { [TIME_SERIES_METADATA]: JSON.stringify({ version: 1, ...info }) };
}

/** The time series facts kept on a handle; TypeError when it has none. */
export function decodeInfo(metadata: Readonly<Record<string, string>>, id: string): TimeSeriesInfo {
  const text = metadata[TIME_SERIES_METADATA];
  if (text === undefined) {
    fail(
      "options",
      `given for a frame not made by asTimeSeries() (its metadata has no '${TIME_SERIES_METADATA}')`,
      id,
    );
  }
  const parsed = JSON.parse(text) as TimeSeriesInfo & { version?: number };
  if (parsed.version !== 1 || typeof parsed.index !== "string" || !Array.isArray(parsed.by)) {
    fail(TIME_SERIES_METADATA, "version 1 metadata with 'index' and 'by'", text.slice(0, 200));
  }
  const { version: _version, ...info } = parsed;
  return info;
}
