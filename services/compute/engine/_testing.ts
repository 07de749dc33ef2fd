/**
 * Test helpers: builders of complete proto plans and expressions (no recursion, so deep
 * plans are cheap), a test context, and frame equality through Arrow IPC.
 *
 * @module
 */

import assert from "node:assert/strict";
import { DataType as ArrowType, tableFromIPC, Vector } from "apache-arrow";
import pl from "nodejs-polars";
import { loadComputeConfig } from "../../../shared/config.ts";
import type { ComputeLimits } from "../../../shared/config_limits.ts";
import {
  type AggKind,
  type Aggregate,
  type BinaryOp,
  type Expr,
  type Literal,
  QuantileInterpolation,
  type UnaryOp,
} from "../../../shared/gen/polaroid/v1/expr.ts";
import {
  FileFormat,
  type FileScan,
  type Join,
  JoinMaintainOrder,
  JoinType,
  type Plan,
  UniqueKeep,
} from "../../../shared/gen/polaroid/v1/plan.ts";
import { DataType, DataType_Kind, TimeUnit } from "../../../shared/gen/polaroid/v1/types.ts";
import { frameToIpc } from "./ipc.ts";
import type { EngineContext } from "./plan.ts";
import { runPlan } from "./run.ts";

/** The default compute limits, with overrides. */
export function testLimits(overrides: Partial<ComputeLimits> = {}): ComputeLimits {
  return { ...loadComputeConfig({}).limits, ...overrides };
}

/** An engine context over named frames. */
export function testContext(
  frames: Record<string, pl.DataFrame> = {},
  options: { dataRoot?: string; limits?: Partial<ComputeLimits> } = {},
): EngineContext {
  return {
    frames: new Map(Object.entries(frames)),
    dataRoot: options.dataRoot ?? "/nonexistent-data-root",
    limits: testLimits(options.limits),
  };
}

/** Runs a plan over the frames. */
export function run(plan: Plan, frames: Record<string, pl.DataFrame>): Promise<pl.DataFrame> {
  return runPlan(plan, testContext(frames));
}

/** A temporary directory (its real path), removed on dispose. */
export async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.realPath(await Deno.makeTempDir({ prefix: "polaroid-engine-" }));
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

/** A data type. */
export function dtype(kind: DataType_Kind, extra: Partial<DataType> = {}): DataType {
  return { ...DataType.fromPartial({ kind }), ...extra };
}

/** Expression builders. */
export const E = {
  col: (name: string): Expr => ({ kind: { $case: "column", value: { name } } }),
  lit: (value: NonNullable<Literal["value"]>, type?: DataType): Expr => ({
    kind: { $case: "literal", value: { value, dtype: type } },
  }),
  i64: (value: bigint | number): Expr => E.lit({ $case: "int64", value: BigInt(value) }),
  f64: (value: number): Expr => E.lit({ $case: "float64", value }),
  str: (value: string): Expr => E.lit({ $case: "string", value }),
  bool: (value: boolean): Expr => E.lit({ $case: "bool", value }),
  null: (type?: DataType): Expr => E.lit({ $case: "null", value: {} }, type),
  bin: (op: BinaryOp, left: Expr, right: Expr): Expr => ({
    kind: { $case: "binary", value: { op, left, right } },
  }),
  un: (op: UnaryOp, input: Expr): Expr => ({ kind: { $case: "unary", value: { op, input } } }),
  alias: (input: Expr, name: string): Expr => ({
    kind: { $case: "alias", value: { input, name } },
  }),
  when: (branches: [Expr, Expr][], otherwise?: Expr): Expr => ({
    kind: {
      $case: "when",
      value: { branches: branches.map(([when, then]) => ({ when, then })), otherwise },
    },
  }),
  agg: (kind: AggKind, input: Expr, extra: Partial<Aggregate> = {}): Expr => ({
    kind: {
      $case: "aggregate",
      value: {
        kind,
        input,
        ddof: undefined,
        quantile: 0,
        interpolation: QuantileInterpolation.QUANTILE_INTERPOLATION_UNSPECIFIED,
        ...extra,
      },
    },
  }),
  cast: (input: Expr, type: DataType, strict = true): Expr => ({
    kind: { $case: "cast", value: { input, dtype: type, strict } },
  }),
  len: (): Expr => ({ kind: { $case: "len", value: {} } }),
};

/** Plan builders. */
export const P = {
  handle: (id: string): Plan => ({
    node: { $case: "scan", value: { source: { $case: "handle", value: id } } },
  }),
  file: (format: FileFormat, path: string, extra: Partial<FileScan> = {}): Plan => ({
    node: {
      $case: "scan",
      value: { source: { $case: "file", value: { format, path, ...extra } } },
    },
  }),
  filter: (input: Plan, predicate: Expr): Plan => ({
    node: { $case: "filter", value: { input, predicate } },
  }),
  select: (input: Plan, exprs: Expr[]): Plan => ({
    node: { $case: "select", value: { input, exprs } },
  }),
  withColumns: (input: Plan, exprs: Expr[]): Plan => ({
    node: { $case: "withColumns", value: { input, exprs } },
  }),
  sort: (
    input: Plan,
    by: Expr[],
    opts: { descending?: boolean[]; nullsLast?: boolean; maintainOrder?: boolean } = {},
  ): Plan => ({
    node: {
      $case: "sort",
      value: {
        input,
        by,
        descending: opts.descending ?? [],
        nullsLast: opts.nullsLast ?? false,
        maintainOrder: opts.maintainOrder ?? false,
      },
    },
  }),
  slice: (input: Plan, offset: bigint, length?: bigint): Plan => ({
    node: { $case: "slice", value: { input, offset, length } },
  }),
  tail: (input: Plan, n: bigint): Plan => ({ node: { $case: "tail", value: { input, n } } }),
  groupBy: (input: Plan, keys: Expr[], aggs: Expr[], maintainOrder = true): Plan => ({
    node: { $case: "groupBy", value: { input, keys, aggs, maintainOrder, output: 0, n: 0n } },
  }),
  join: (left: Plan, right: Plan, opts: Partial<Join> = {}): Plan => ({
    node: {
      $case: "join",
      value: {
        left,
        right,
        how: JoinType.JOIN_TYPE_INNER,
        leftOn: [],
        rightOn: [],
        maintainOrder: JoinMaintainOrder.JOIN_MAINTAIN_ORDER_UNSPECIFIED,
        ...opts,
      },
    },
  }),
  unique: (
    input: Plan,
    opts: { subset?: string[]; keep?: UniqueKeep; maintainOrder?: boolean } = {},
  ): Plan => ({
    node: {
      $case: "unique",
      value: {
        input,
        subset: opts.subset ?? [],
        keep: opts.keep ?? UniqueKeep.UNIQUE_KEEP_ANY,
        maintainOrder: opts.maintainOrder ?? false,
      },
    },
  }),
  drop: (input: Plan, columns: string[]): Plan => ({
    node: { $case: "drop", value: { input, columns } },
  }),
  rename: (input: Plan, mapping: Record<string, string>): Plan => ({
    node: { $case: "rename", value: { input, mapping } },
  }),
  cast: (input: Plan, dtypes: Record<string, DataType>, strict = true): Plan => ({
    node: { $case: "cast", value: { input, dtypes, strict } },
  }),
};

export { DataType_Kind as Kind, FileFormat, JoinMaintainOrder, JoinType, TimeUnit, UniqueKeep };

/** An exact Int64 series (the typings do not admit BigInt64Array). */
export function int64Series(name: string, values: bigint[]): pl.Series {
  return pl.Series(name, new BigInt64Array(values) as unknown as number[]);
}

/** A frame with Int64 (with nulls), Float64, String, Bool, Date and Datetime columns. */
export function sampleFrame(): pl.DataFrame {
  return pl.DataFrame({
    g: ["a", "b", "a", "c", "b", "a"],
    i: pl.Series("i", [5, null, -3, 8, 2, 5]).cast(pl.Int64),
    f: [1.5, 2.5, null, -4.0, 0.25, 8.0],
    s: ["x", "y", null, "zz", "x", "w"],
    b: [true, false, null, true, true, false],
  }).withColumns(
    pl.lit("1700000000000000").cast(pl.Int64).add(
      pl.col("i").fillNull(0).mul(pl.lit(1_000_000).cast(pl.Int64)),
    )
      .cast(pl.Datetime("us", "UTC")).alias("t"),
    pl.col("i").fillNull(0).add(19000).cast(pl.Int32).cast(pl.Date).alias("d"),
  );
}

function plain(value: unknown): unknown {
  if (value instanceof Vector) return [...value].map(plain);
  if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value)) {
    const json = (value as { toJSON?: () => unknown }).toJSON?.() ?? value;
    return Object.fromEntries(
      Object.entries(json as Record<string, unknown>).map(([k, v]) => [k, plain(v)]),
    );
  }
  return value;
}

/** Arrow view of a frame: column names and types, and every value as plain JS. */
export function arrowView(df: pl.DataFrame): { fields: string[]; columns: unknown[][] } {
  const table = tableFromIPC(frameToIpc(df));
  return {
    fields: table.schema.fields.map((f) => `${f.name}: ${f.type}`),
    columns: table.schema.fields.map((_, i) => {
      const column = table.getChildAt(i)!;
      // Timestamps, times and durations: get() gives lossy milliseconds, toArray() raw units.
      const raw = ArrowType.isTimestamp(column.type) || ArrowType.isTime(column.type) ||
          ArrowType.isDuration(column.type)
        ? column.toArray() as ArrayLike<unknown>
        : undefined;
      return Array.from(
        { length: column.length },
        (_, row) => raw ? (column.isValid(row) ? raw[row] : null) : plain(column.get(row)),
      );
    }),
  };
}

/** Asserts both frames have the same columns, types and values (compared through Arrow). */
export function assertFramesEqual(actual: pl.DataFrame, expected: pl.DataFrame): void {
  const a = arrowView(actual);
  const e = arrowView(expected);
  assert.deepStrictEqual(a.fields, e.fields);
  assert.deepStrictEqual(a.columns, e.columns);
}
