/**
 * Expressions, with the method names and aliases of nodejs-polars' `Expr`. An Expr only
 * records protobuf nodes; nothing runs until a plan is sent.
 *
 * @module
 */

import { Series } from "./series.ts";
import {
  AggKind,
  type Aggregate,
  type Arg,
  BinaryOp,
  type Expr as ProtoExpr,
  QuantileInterpolation,
  UnaryOp,
} from "../shared/gen/polaroid/v1/expr.ts";
import { DataType } from "./datatypes.ts";
import { ExprDateTime } from "./expr/datetime.ts";
import { ExprList } from "./expr/list.ts";
import { ExprString } from "./expr/string.ts";
import { ExprStruct } from "./expr/struct.ts";
import {
  type ClosedInterval,
  type EwmOptions,
  ewmOptions,
  type FillNullStrategy,
  isOptions,
  option,
  pick,
  plainArg,
  type RankMethod,
  type RollingOptions,
  rollingOptions,
  type RollingQuantileOptions,
  type RollingSkewOptions,
  type RoundMode,
  type SampleOptions,
  valueListOptions,
} from "./expr/_core_args.ts";
import { literalProto, type LiteralValue } from "./literal.ts";
import { refuseOptions } from "./option_audit.ts";

/** An expression or a plain value (wrapped in `lit()`). */
export type ExprOrValue = Expr | LiteralValue;

/** How `quantile()` picks between two values. */
export type InterpolationMethod = "nearest" | "higher" | "lower" | "midpoint" | "linear";

const INTERPOLATION: Readonly<Record<InterpolationMethod, QuantileInterpolation>> = {
  nearest: QuantileInterpolation.QUANTILE_INTERPOLATION_NEAREST,
  higher: QuantileInterpolation.QUANTILE_INTERPOLATION_HIGHER,
  lower: QuantileInterpolation.QUANTILE_INTERPOLATION_LOWER,
  midpoint: QuantileInterpolation.QUANTILE_INTERPOLATION_MIDPOINT,
  linear: QuantileInterpolation.QUANTILE_INTERPOLATION_LINEAR,
};

/**
 * An argument of a server-side function: an expression, a plain value, a data type or a
 * list of those. Integers that are safe travel as int, other numbers as float, a bigint as
 * int (uint above Int64).
 */
export type ArgValue =
  | Expr
  | DataType
  | null
  | boolean
  | number
  | bigint
  | string
  | readonly ArgValue[];

const INT64_MAX = 2n ** 63n - 1n;

/** One argument in its protobuf form. */
export function toArg(value: ArgValue): Arg {
  if (value instanceof Expr) return { value: { $case: "expr", value: value.toProto() } };
  if (value instanceof DataType) return { value: { $case: "dtype", value: value.toProto() } };
  if (value === null) return { value: { $case: "null", value: {} } };
  if (Array.isArray(value)) {
    return { value: { $case: "list", value: { items: value.map((v: ArgValue) => toArg(v)) } } };
  }
  switch (typeof value) {
    case "boolean":
      return { value: { $case: "bool", value } };
    case "string":
      return { value: { $case: "string", value } };
    case "bigint":
      return value > INT64_MAX
        ? { value: { $case: "uint", value } }
        : { value: { $case: "int", value } };
    case "number":
      return Number.isSafeInteger(value)
        ? { value: { $case: "int", value: BigInt(value) } }
        : { value: { $case: "float", value } };
  }
  throw new TypeError(
    `Cannot pass argument as it must be an Expr, a DataType, a plain value or a list of those: current value is ${
      String(value)
    }`,
  );
}

/** Options of a server-side function; undefined entries are left out. */
export type ArgOptions = Readonly<Record<string, ArgValue | undefined>>;

function optionArgs(options: ArgOptions): Record<string, Arg> {
  const out: Record<string, Arg> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) out[key] = toArg(value);
  }
  return out;
}

/**
 * A call of the server-side function `name` with `receiver` as its first argument (applied
 * to each column the receiver stands for), then `args`, then `options`. The names are
 * nodejs-polars' method names; namespaces are prefixed ("str.contains").
 */
export function callMethod(
  receiver: Expr,
  name: string,
  args: readonly ArgValue[] = [],
  options: ArgOptions = {},
): Expr {
  const rest = args.map(toArg);
  const opts = optionArgs(options);
  return new Expr(
    receiver.toProtos().map((input): ProtoExpr => ({
      kind: {
        $case: "function",
        value: { name, args: [{ value: { $case: "expr", value: input } }, ...rest], options: opts },
      },
    })),
  );
}

/** A call of the top-level server-side function `name` ("pl.concatList"). */
export function callFunction(
  name: string,
  args: readonly ArgValue[] = [],
  options: ArgOptions = {},
): Expr {
  return new Expr({
    kind: {
      $case: "function",
      value: { name, args: args.map(toArg), options: optionArgs(options) },
    },
  });
}

/** Wraps a plain value in a literal; an Expr passes through. */
export function toExpr(value: ExprOrValue): Expr {
  return value instanceof Expr ? value : new Expr(literalProto(value));
}

/** A column by name; an Expr passes through; another plain value becomes a literal. */
export function toExprOrColumn(value: ExprOrValue): Expr {
  if (typeof value === "string") {
    return new Expr({ kind: { $case: "column", value: { name: value } } });
  }
  return toExpr(value);
}

/** Column names and Exprs (nested arrays flattened) as one Expr per column. */
export function exprList(items: unknown): Expr[] {
  const out: Expr[] = [];
  const visit = (item: unknown): void => {
    if (Array.isArray(item)) item.forEach(visit);
    else if (item instanceof Expr) out.push(...item.toProtos().map((p) => new Expr(p)));
    else if (typeof item === "string") out.push(toExprOrColumn(item));
    else {
      throw new TypeError(
        `Cannot use value as it must be a column name or an Expr: current value is ${String(item)}`,
      );
    }
  };
  visit(items);
  return out;
}

const FILL_STRATEGIES: ReadonlySet<string> = new Set<FillNullStrategy>([
  "backward",
  "forward",
  "mean",
  "min",
  "max",
  "zero",
  "one",
]);

/** A value of replace(): an Expr, a list of plain values or one plain value. */
function replaceValue(value: unknown): ArgValue {
  if (value instanceof Expr) return value;
  if (value instanceof Date) return toExpr(value);
  if (Array.isArray(value)) return value.map(plainArg);
  return plainArg(value);
}

/** The old and new values of replace()/replaceStrict() in either of nodejs-polars' forms. */
function replacePairs(old: unknown, new_: unknown): [ArgValue, ArgValue] {
  if (isOptions(old)) {
    const mapping = old.old;
    if (isOptions(mapping)) {
      // nodejs-polars drops a new_ given with a mapping; Python Polars refuses it.
      const ignored = old.new_ ?? new_;
      if (ignored !== undefined) {
        throw new TypeError(
          `Cannot replace values as 'new_' must be unset when 'old' is a mapping: current value is ${
            String(ignored)
          }`,
        );
      }
      return [Object.keys(mapping), Object.values(mapping).map(plainArg)];
    }
    return [replaceValue(mapping), replaceValue(old.new_ ?? new_)];
  }
  return [replaceValue(old), replaceValue(new_)];
}

/** The arguments of a rolling statistic, positional as nodejs-polars takes them. */
type RollingArgs = [
  windowSize: number | RollingOptions,
  weights?: number[],
  minPeriods?: number,
  center?: boolean,
];
/** RollingArgs and a delta degrees of freedom (std and var). */
type RollingDdofArgs = [...RollingArgs, ddof?: number];
/**
 * The options of a rolling statistic that takes no ddof (all but std and var): a ddof other
 * than nodejs-polars' default is refused (sdk/option_audit_expr.ts), its default not sent.
 */
function windowOptions(method: string, ...args: RollingArgs): ArgOptions {
  refuseOptions(method, args[0]);
  const { ddof: _ddof, ...options } = rollingOptions(...args);
  return options;
}

/** The arguments of an exponentially weighted statistic (see EwmOptions). */
type EwmArgs = [
  alpha?: number | EwmOptions,
  adjust?: boolean,
  minPeriods?: number,
  bias?: boolean,
  ignoreNulls?: boolean,
];

/**
 * A column expression. Build one with `col()`, `lit()`, `when()` or `len()`. `col(["a", "b"])`
 * is one Expr standing for several columns: its methods apply to each, and a frame method
 * receiving it gets one expression per column.
 */
export class Expr {
  readonly #protos: readonly ProtoExpr[];

  /** Wraps protobuf expressions; prefer `col()`, `lit()`, `when()` and `len()`. */
  constructor(protos: ProtoExpr | readonly ProtoExpr[]) {
    const list = Array.isArray(protos) ? [...protos] : [protos as ProtoExpr];
    if (list.length === 0) {
      throw new TypeError(
        "Cannot build expression as 'protos' must not be empty: current value is []",
      );
    }
    this.#protos = Object.freeze(list);
  }

  /** Whether `value` is an Expr. */
  static isExpr(value: unknown): value is Expr {
    return value instanceof Expr;
  }

  /** The protobuf form; throws TypeError when the Expr stands for several columns. */
  toProto(): ProtoExpr {
    if (this.#protos.length !== 1) {
      throw new TypeError(
        `Cannot use expression here as it must stand for one column: current value stands for ${this.#protos.length}`,
      );
    }
    return this.#protos[0]!;
  }

  /** The protobuf forms, one per column this Expr stands for. */
  toProtos(): ProtoExpr[] {
    return [...this.#protos];
  }

  /** The protobuf form as JSON text (for debugging and logs). */
  toString(): string {
    return JSON.stringify(
      this.#protos.length === 1 ? this.#protos[0] : this.#protos,
      (_, v) => typeof v === "bigint" ? `${v}n` : v,
    );
  }

  #map(fn: (proto: ProtoExpr) => ProtoExpr): Expr {
    return new Expr(this.#protos.map(fn));
  }

  #binary(op: BinaryOp, other: ExprOrValue): Expr {
    const right = toExpr(other).toProtos();
    const left = this.#protos;
    if (left.length > 1 && right.length > 1) {
      throw new TypeError(
        `Cannot combine expressions as only one side may stand for several columns: current sides stand for ${left.length} and ${right.length}`,
      );
    }
    const make = (l: ProtoExpr, r: ProtoExpr): ProtoExpr => ({
      kind: { $case: "binary", value: { op, left: l, right: r } },
    });
    return right.length > 1
      ? new Expr(right.map((r) => make(left[0]!, r)))
      : new Expr(left.map((l) => make(l, right[0]!)));
  }

  #unary(op: UnaryOp): Expr {
    return this.#map((input) => ({ kind: { $case: "unary", value: { op, input } } }));
  }

  #agg(kind: AggKind, extra: Partial<Aggregate> = {}): Expr {
    return this.#map((input) => ({
      kind: {
        $case: "aggregate",
        value: { kind, input, quantile: 0, interpolation: 0, ...extra },
      },
    }));
  }

  /** String functions. */
  get str(): ExprString {
    return new ExprString(this);
  }
  /** Temporal functions. */
  get dt(): ExprDateTime {
    return new ExprDateTime(this);
  }
  /** List functions. */
  get lst(): ExprList {
    return new ExprList(this);
  }
  /** List functions (the name nodejs-polars prefers to `lst`). */
  get list(): ExprList {
    return new ExprList(this);
  }
  /** Struct functions. */
  get struct(): ExprStruct {
    return new ExprStruct(this);
  }

  /** Renames the result. */
  alias(name: string): Expr {
    if (typeof name !== "string") {
      throw new TypeError(
        `Cannot alias expression as 'name' must be a string: current value is ${String(name)}`,
      );
    }
    if (this.#protos.length > 1) {
      throw new TypeError(
        `Cannot alias expression as it must stand for one column: current value stands for ${this.#protos.length}`,
      );
    }
    return this.#map((input) => ({ kind: { $case: "alias", value: { input, name } } }));
  }
  /** Alias of `alias()`. */
  as(name: string): Expr {
    return this.alias(name);
  }

  add(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_ADD, other);
  }
  plus(other: ExprOrValue): Expr {
    return this.add(other);
  }
  sub(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_SUB, other);
  }
  minus(other: ExprOrValue): Expr {
    return this.sub(other);
  }
  mul(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_MUL, other);
  }
  multiplyBy(other: ExprOrValue): Expr {
    return this.mul(other);
  }
  /** True division (integers give a float). */
  div(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_TRUE_DIV, other);
  }
  divideBy(other: ExprOrValue): Expr {
    return this.div(other);
  }
  floorDiv(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_FLOOR_DIV, other);
  }
  rem(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_MOD, other);
  }
  modulo(other: ExprOrValue): Expr {
    return this.rem(other);
  }

  eq(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_EQ, other);
  }
  equals(other: ExprOrValue): Expr {
    return this.eq(other);
  }
  neq(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_NEQ, other);
  }
  notEquals(other: ExprOrValue): Expr {
    return this.neq(other);
  }
  lt(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_LT, other);
  }
  less(other: ExprOrValue): Expr {
    return this.lt(other);
  }
  lessThan(other: ExprOrValue): Expr {
    return this.lt(other);
  }
  ltEq(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_LT_EQ, other);
  }
  lessThanEquals(other: ExprOrValue): Expr {
    return this.ltEq(other);
  }
  gt(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_GT, other);
  }
  greater(other: ExprOrValue): Expr {
    return this.gt(other);
  }
  greaterThan(other: ExprOrValue): Expr {
    return this.gt(other);
  }
  gtEq(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_GT_EQ, other);
  }
  greaterThanEquals(other: ExprOrValue): Expr {
    return this.gtEq(other);
  }

  and(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_AND, other);
  }
  or(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_OR, other);
  }
  xor(other: ExprOrValue): Expr {
    return this.#binary(BinaryOp.BINARY_OP_XOR, other);
  }
  not(): Expr {
    return this.#unary(UnaryOp.UNARY_OP_NOT);
  }
  isNull(): Expr {
    return this.#unary(UnaryOp.UNARY_OP_IS_NULL);
  }
  isNotNull(): Expr {
    return this.#unary(UnaryOp.UNARY_OP_IS_NOT_NULL);
  }

  /** Casts to `dtype`. @param strict fail on values that do not fit (else null) @default false */
  cast(dtype: DataType, strict = false): Expr {
    if (!(dtype instanceof DataType)) {
      throw new TypeError(
        `Cannot cast as 'dtype' must be a DataType: current value is ${String(dtype)}`,
      );
    }
    const proto = dtype.toProto();
    return this.#map((input) => ({
      kind: { $case: "cast", value: { input, dtype: proto, strict } },
    }));
  }

  sum(): Expr {
    return this.#agg(AggKind.AGG_KIND_SUM);
  }
  mean(): Expr {
    return this.#agg(AggKind.AGG_KIND_MEAN);
  }
  min(): Expr {
    return this.#agg(AggKind.AGG_KIND_MIN);
  }
  max(): Expr {
    return this.#agg(AggKind.AGG_KIND_MAX);
  }
  /** The number of non-null values. */
  count(): Expr {
    return this.#agg(AggKind.AGG_KIND_COUNT);
  }
  /** The number of values, nulls included. */
  len(): Expr {
    return this.#agg(AggKind.AGG_KIND_LEN);
  }
  first(): Expr {
    return this.#agg(AggKind.AGG_KIND_FIRST);
  }
  last(): Expr {
    return this.#agg(AggKind.AGG_KIND_LAST);
  }
  /** Standard deviation. @param ddof delta degrees of freedom @default 1 */
  std(ddof?: number): Expr {
    return this.#agg(AggKind.AGG_KIND_STD, ddofOf(ddof));
  }
  /** Variance. @param ddof delta degrees of freedom @default 1 */
  var(ddof?: number): Expr {
    return this.#agg(AggKind.AGG_KIND_VAR, ddofOf(ddof));
  }
  median(): Expr {
    return this.#agg(AggKind.AGG_KIND_MEDIAN);
  }
  nUnique(): Expr {
    return this.#agg(AggKind.AGG_KIND_N_UNIQUE);
  }
  /** Absolute value. */
  abs(): Expr {
    return callMethod(this, "abs");
  }
  /** Square root (NaN below zero). */
  sqrt(): Expr {
    return callMethod(this, "sqrt");
  }
  /** The expression evaluated per group of `by` (a window), aligned to the rows. */
  over(by: string | Expr | readonly (string | Expr)[], ...more: (string | Expr)[]): Expr {
    const keys = [...(Array.isArray(by) ? by : [by]), ...more].map((k: string | Expr) =>
      typeof k === "string" ? new Expr({ kind: { $case: "column", value: { name: k } } }) : k
    );
    return callMethod(this, "over", [keys]);
  }
  /**
   * The `quantile` (in [0, 1], or an expression giving one) of the values.
   * @param interpolation @default "nearest"
   */
  quantile(quantile: number | Expr, interpolation: InterpolationMethod = "nearest"): Expr {
    const method = INTERPOLATION[interpolation];
    if (method === undefined) {
      throw new TypeError(
        `Cannot build quantile as 'interpolation' must be one of ${
          Object.keys(INTERPOLATION).join(", ")
        }: current value is ${JSON.stringify(interpolation)}`,
      );
    }
    if (quantile instanceof Expr) {
      return this.#agg(AggKind.AGG_KIND_QUANTILE, {
        quantile: 0,
        quantileExpr: quantile.toProto(),
        interpolation: method,
      });
    }
    if (typeof quantile !== "number" || !(quantile >= 0 && quantile <= 1)) {
      throw new RangeError(
        `Cannot build quantile as 'quantile' must be a number in [0, 1]: current value is ${
          String(quantile)
        }`,
      );
    }
    return this.#agg(AggKind.AGG_KIND_QUANTILE, { quantile, interpolation: method });
  }

  // ---- Math ---------------------------------------------------------------------------

  /** Sine (radians). */
  sin(): Expr {
    return callMethod(this, "sin");
  }
  /** Cosine (radians). */
  cos(): Expr {
    return callMethod(this, "cos");
  }
  /** Tangent (radians). */
  tan(): Expr {
    return callMethod(this, "tan");
  }
  /** Cotangent (radians). */
  cot(): Expr {
    return callMethod(this, "cot");
  }
  /** Inverse sine, in radians. */
  arcsin(): Expr {
    return callMethod(this, "arcsin");
  }
  /** Inverse cosine, in radians. */
  arccos(): Expr {
    return callMethod(this, "arccos");
  }
  /** Inverse tangent, in radians. */
  arctan(): Expr {
    return callMethod(this, "arctan");
  }
  /** Two-argument inverse tangent of this (y) and `other` (x; a string names a column). */
  arctan2(other: ExprOrValue): Expr {
    return callMethod(this, "arctan2", [toExprOrColumn(other)]);
  }
  /** Hyperbolic sine. */
  sinh(): Expr {
    return callMethod(this, "sinh");
  }
  /** Hyperbolic cosine. */
  cosh(): Expr {
    return callMethod(this, "cosh");
  }
  /** Hyperbolic tangent. */
  tanh(): Expr {
    return callMethod(this, "tanh");
  }
  /** Inverse hyperbolic sine. */
  arcsinh(): Expr {
    return callMethod(this, "arcsinh");
  }
  /** Inverse hyperbolic cosine. */
  arccosh(): Expr {
    return callMethod(this, "arccosh");
  }
  /** Inverse hyperbolic tangent. */
  arctanh(): Expr {
    return callMethod(this, "arctanh");
  }
  /** Radians to degrees. */
  degrees(): Expr {
    return callMethod(this, "degrees");
  }
  /** Degrees to radians. */
  radians(): Expr {
    return callMethod(this, "radians");
  }
  /** e to the power of the values. */
  exp(): Expr {
    return callMethod(this, "exp");
  }
  /** Natural logarithm of 1 + the values. */
  log1p(): Expr {
    return callMethod(this, "log1p");
  }
  /** Logarithm in `base`. @default Math.E */
  log(base?: number): Expr {
    return callMethod(this, "log", [], { base });
  }
  /** The values to the power `exponent`. */
  pow(exponent: number | { exponent: number }): Expr {
    return callMethod(this, "pow", [pick<number>(exponent, "exponent") ?? null]);
  }
  /** Smallest integer not below each value. */
  ceil(): Expr {
    return callMethod(this, "ceil");
  }
  /** Largest integer not above each value. */
  floor(): Expr {
    return callMethod(this, "floor");
  }
  /**
   * Rounds to `decimals` digits (in [0, 2^32 - 1]).
   * @param mode @default "halftoeven"
   */
  round(
    decimals: number | { decimals: number; mode?: RoundMode },
    mode?: RoundMode,
  ): Expr {
    return callMethod(this, "round", [], {
      decimals: pick<number>(decimals, "decimals"),
      mode: option<RoundMode>(decimals, "mode") ?? mode,
    });
  }
  /** Limits the values to [min, max] (bounds cast to the column's type; null: no bound). */
  clip(
    min: ExprOrValue | { min: ExprOrValue; max: ExprOrValue },
    max?: ExprOrValue,
  ): Expr {
    const lower = isOptions(min) ? min.min as ExprOrValue : min;
    const upper = isOptions(min) ? min.max as ExprOrValue : max;
    const bound = (v: ExprOrValue) => v === null || v === undefined ? null : toExpr(v);
    return callMethod(this, "clip", [bound(lower), bound(upper)]);
  }
  /**
   * Whether each value lies between `lower` and `upper` (Python Polars' is_between; strings
   * name columns). @param closed inclusive ends @default "both"
   */
  isBetween(lower: ExprOrValue, upper: ExprOrValue, closed: ClosedInterval = "both"): Expr {
    return callMethod(this, "isBetween", [toExprOrColumn(lower), toExprOrColumn(upper)], {
      closed,
    });
  }
  /** Whether each value is NaN. */
  isNan(): Expr {
    return callMethod(this, "isNan");
  }
  /** Whether each value is not NaN. */
  isNotNan(): Expr {
    return callMethod(this, "isNotNan");
  }
  /** Whether each value is finite. */
  isFinite(): Expr {
    return callMethod(this, "isFinite");
  }
  /** Whether each value is infinite. */
  isInfinite(): Expr {
    return callMethod(this, "isInfinite");
  }
  /** The physical representation (a Date's days, a Categorical's codes, ...). */
  toPhysical(): Expr {
    return callMethod(this, "toPhysical");
  }
  /** Reinterprets 64-bit integers' bits as signed or unsigned. @param signed @default true */
  reinterpret(signed?: boolean | { signed: boolean }): Expr {
    return callMethod(this, "reinterpret", [], { signed: pick<boolean>(signed, "signed") });
  }
  /**
   * A UInt64 hash of each value, seeded by k0..k3 (each in [0, 2^53)).
   * @default k0 0, k1 1, k2 2, k3 3
   */
  hash(
    k0: number | bigint | {
      k0?: number | bigint;
      k1?: number | bigint;
      k2?: number | bigint;
      k3?: number | bigint;
    } = 0,
    k1: number | bigint = 1,
    k2: number | bigint = 2,
    k3: number | bigint = 3,
  ): Expr {
    const o = isOptions(k0) ? k0 : { k0 };
    return callMethod(this, "hash", [o.k0 ?? 0, o.k1 ?? k1, o.k2 ?? k2, o.k3 ?? k3]);
  }
  /** The dot product with `other` (a string names a column). */
  dot(other: ExprOrValue): Expr {
    return callMethod(this, "dot", [toExprOrColumn(other)]);
  }

  // ---- Reductions -----------------------------------------------------------------------

  /** Whether every value is true. @param ignoreNulls @default true */
  all(ignoreNulls?: boolean | { ignoreNulls?: boolean }): Expr {
    return callMethod(this, "all", [], { ignoreNulls: pick<boolean>(ignoreNulls, "ignoreNulls") });
  }
  /** Whether any value is true. @param ignoreNulls @default true */
  any(ignoreNulls?: boolean | { ignoreNulls?: boolean }): Expr {
    return callMethod(this, "any", [], { ignoreNulls: pick<boolean>(ignoreNulls, "ignoreNulls") });
  }
  /** Index of the largest value. */
  argMax(): Expr {
    return callMethod(this, "argMax");
  }
  /** Index of the smallest value. */
  argMin(): Expr {
    return callMethod(this, "argMin");
  }
  /** Indexes of the first occurrence of each distinct value. */
  argUnique(): Expr {
    return callMethod(this, "argUnique");
  }
  /** Product of the values (1 when there are none). */
  product(): Expr {
    return callMethod(this, "product");
  }
  /** The most frequent values. */
  mode(): Expr {
    return callMethod(this, "mode");
  }
  /** The number of nulls. */
  nullCount(): Expr {
    return callMethod(this, "nullCount");
  }
  /** The smallest value of the type. */
  lowerBound(): Expr {
    return callMethod(this, "lowerBound");
  }
  /** The largest value of the type. */
  upperBound(): Expr {
    return callMethod(this, "upperBound");
  }
  /** The values as one list. */
  implode(): Expr {
    return callMethod(this, "implode");
  }
  /** How often each distinct value occurs, in order of first occurrence. */
  uniqueCounts(): Expr {
    return callMethod(this, "uniqueCounts");
  }
  /**
   * Entropy of the values as a distribution.
   * @param base @default Math.E
   * @param normalize divide the values by their sum first @default true
   */
  entropy(
    base?: number | { base?: number; normalize?: boolean },
    normalize?: boolean,
  ): Expr {
    return callMethod(this, "entropy", [], {
      base: pick<number>(base, "base"),
      normalize: option<boolean>(base, "normalize") ?? normalize,
    });
  }
  /**
   * Kurtosis. @param fisher excess kurtosis (normal = 0) @default true
   * @param bias biased estimate @default true
   */
  kurtosis(fisher?: boolean | { fisher?: boolean; bias?: boolean }, bias?: boolean): Expr {
    return callMethod(this, "kurtosis", [], {
      fisher: pick<boolean>(fisher, "fisher"),
      bias: option<boolean>(fisher, "bias") ?? bias,
    });
  }
  /** Skewness. @param bias biased estimate @default true */
  skew(bias?: boolean | { bias: boolean }): Expr {
    return callMethod(this, "skew", [], { bias: pick<boolean>(bias, "bias") });
  }
  /**
   * Each distinct value with its count, as a struct.
   * @param sort most frequent first @default false
   * @param parallel @default false
   * @param name the count field @default "count" ("proportion" when normalized)
   * @param normalize proportions instead of counts @default false
   */
  valueCounts(sort?: boolean, parallel?: boolean, name?: string, normalize?: boolean): Expr {
    return callMethod(this, "valueCounts", [], { sort, parallel, name, normalize });
  }

  // ---- Windows, cumulative ops and fills ---------------------------------------------------

  /** Running count, from the end when `reverse`. @default false */
  cumCount(reverse?: boolean | { reverse: boolean }): Expr {
    return callMethod(this, "cumCount", [], { reverse: pick<boolean>(reverse, "reverse") });
  }
  /** Running maximum, from the end when `reverse`. @default false */
  cumMax(reverse?: boolean | { reverse: boolean }): Expr {
    return callMethod(this, "cumMax", [], { reverse: pick<boolean>(reverse, "reverse") });
  }
  /** Running minimum, from the end when `reverse`. @default false */
  cumMin(reverse?: boolean | { reverse: boolean }): Expr {
    return callMethod(this, "cumMin", [], { reverse: pick<boolean>(reverse, "reverse") });
  }
  /** Running product, from the end when `reverse`. @default false */
  cumProd(reverse?: boolean | { reverse: boolean }): Expr {
    return callMethod(this, "cumProd", [], { reverse: pick<boolean>(reverse, "reverse") });
  }
  /** Running sum, from the end when `reverse`. @default false */
  cumSum(reverse?: boolean | { reverse: boolean }): Expr {
    return callMethod(this, "cumSum", [], { reverse: pick<boolean>(reverse, "reverse") });
  }
  /**
   * Difference with the value `n` rows before. @param n @default 1
   * @param nullBehavior "drop" removes the first n rows @default "ignore"
   */
  diff(
    n?: number | { n: number; nullBehavior: "ignore" | "drop" },
    nullBehavior?: "ignore" | "drop",
  ): Expr {
    return callMethod(this, "diff", [], {
      n: pick<number>(n, "n"),
      nullBehavior: option<"ignore" | "drop">(n, "nullBehavior") ?? nullBehavior,
    });
  }
  /** Relative change from the value `n` rows before (a string names a column). @default 1 */
  pctChange(n?: number | Expr | string | { n: number | Expr }): Expr {
    const periods = pick<number | Expr | string>(n, "n") ?? 1;
    return callMethod(this, "pctChange", [
      typeof periods === "number" ? periods : toExprOrColumn(periods),
    ]);
  }
  /** The values moved down by `periods` rows (up when negative). @default 1 */
  shift(periods?: number | Expr | { periods: number | Expr }): Expr {
    return callMethod(this, "shift", [pick<number | Expr>(periods, "periods") ?? 1]);
  }
  /** `shift()` filling the vacated rows with `fillValue` (a plain value). */
  shiftAndFill(
    periods: number | { periods: number; fillValue: LiteralValue },
    fillValue?: LiteralValue,
  ): Expr {
    const o = isOptions(periods) ? periods : { periods, fillValue };
    return callMethod(this, "shiftAndFill", [o.periods as number, plainArg(o.fillValue)]);
  }
  /**
   * Ranks of the values. @param method tie handling @default "average"
   * @param descending @default false
   * @param seed for "random" (Python Polars' seed; in [0, 2^53)) @default random
   */
  rank(
    method?: RankMethod | { method?: RankMethod; descending?: boolean; seed?: number },
    descending?: boolean,
    seed?: number,
  ): Expr {
    return callMethod(this, "rank", [], {
      method: pick<RankMethod>(method, "method"),
      descending: option<boolean>(method, "descending") ?? descending,
      seed: option<number>(method, "seed") ?? seed,
    });
  }
  /** Fills nulls by interpolating between neighbours. @param method @default "linear" */
  interpolate(method?: "linear" | "nearest"): Expr {
    return callMethod(this, "interpolate", [], { method });
  }
  /**
   * Fills nulls with a value (an Expr, or a plain value as a literal) or by a strategy.
   * @param limit most consecutive nulls a "forward"/"backward" strategy fills
   */
  fillNull(value: ExprOrValue | FillNullStrategy, limit?: number): Expr {
    if (typeof value === "string" && FILL_STRATEGIES.has(value)) {
      return callMethod(this, "fillNull", [], { strategy: value, limit });
    }
    return callMethod(this, "fillNull", [toExpr(value)]);
  }
  /** Fills NaN with a value (an Expr, or a plain value as a literal). */
  fillNan(value: ExprOrValue): Expr {
    return callMethod(this, "fillNan", [toExpr(value)]);
  }
  /** Fills nulls with the last value before them. */
  forwardFill(): Expr {
    return callMethod(this, "forwardFill");
  }
  /** Fills nulls with the next value after them. */
  backwardFill(): Expr {
    return callMethod(this, "backwardFill");
  }

  // ---- Rolling and exponentially weighted statistics --------------------------------------

  /** Moving maximum over `windowSize` rows (see RollingOptions). */
  rollingMax(...args: RollingArgs): Expr {
    return callMethod(this, "rollingMax", [], windowOptions("Expr.rollingMax", ...args));
  }
  /** Moving mean over `windowSize` rows (see RollingOptions). */
  rollingMean(...args: RollingArgs): Expr {
    return callMethod(this, "rollingMean", [], windowOptions("Expr.rollingMean", ...args));
  }
  /** Moving minimum over `windowSize` rows (see RollingOptions). */
  rollingMin(...args: RollingArgs): Expr {
    return callMethod(this, "rollingMin", [], windowOptions("Expr.rollingMin", ...args));
  }
  /** Moving sum over `windowSize` rows (see RollingOptions). */
  rollingSum(...args: RollingArgs): Expr {
    return callMethod(this, "rollingSum", [], windowOptions("Expr.rollingSum", ...args));
  }
  /** Moving median over `windowSize` rows (see RollingOptions). */
  rollingMedian(...args: RollingArgs): Expr {
    return callMethod(this, "rollingMedian", [], windowOptions("Expr.rollingMedian", ...args));
  }
  /** Moving standard deviation over `windowSize` rows. @param ddof @default 1 */
  rollingStd(...args: RollingDdofArgs): Expr {
    return callMethod(this, "rollingStd", [], rollingOptions(...args));
  }
  /** Moving variance over `windowSize` rows. @param ddof @default 1 */
  rollingVar(...args: RollingDdofArgs): Expr {
    return callMethod(this, "rollingVar", [], rollingOptions(...args));
  }
  /** Moving quantile (in [0, 1]) over `windowSize` rows. @param interpolation @default "nearest" */
  rollingQuantile(
    quantile: number | RollingQuantileOptions,
    interpolation?: InterpolationMethod,
    windowSize?: number,
    weights?: number[],
    minPeriods?: number,
    center?: boolean,
  ): Expr {
    const o: Partial<RollingQuantileOptions> = typeof quantile === "number"
      ? { quantile, interpolation, windowSize: windowSize! }
      : quantile;
    return callMethod(this, "rollingQuantile", [], {
      ...windowOptions("Expr.rollingQuantile", o as RollingOptions, weights, minPeriods, center),
      quantile: o.quantile,
      interpolation: o.interpolation,
    });
  }
  /** Moving skewness over `windowSize` rows. @param bias @default true */
  rollingSkew(windowSize: number | RollingSkewOptions, bias?: boolean): Expr {
    const o = typeof windowSize === "number" ? { windowSize, bias } : windowSize;
    return callMethod(this, "rollingSkew", [], { windowSize: o.windowSize, bias: o.bias ?? bias });
  }
  /** Exponentially weighted mean (see EwmOptions). */
  ewmMean(...args: EwmArgs): Expr {
    return callMethod(this, "ewmMean", [], ewmOptions(...args));
  }
  /** Exponentially weighted standard deviation (see EwmOptions). */
  ewmStd(...args: EwmArgs): Expr {
    return callMethod(this, "ewmStd", [], ewmOptions(...args));
  }
  /** Exponentially weighted variance (see EwmOptions). */
  ewmVar(...args: EwmArgs): Expr {
    return callMethod(this, "ewmVar", [], ewmOptions(...args));
  }

  // ---- Rows ----------------------------------------------------------------------------

  /** The first `length` values. @default 10 */
  head(length?: number | { length: number }): Expr {
    return callMethod(this, "head", [pick<number>(length, "length") ?? 10]);
  }
  /** The last `length` values. @default 10 */
  tail(length?: number | { length: number }): Expr {
    return callMethod(this, "tail", [pick<number>(length, "length") ?? 10]);
  }
  /** `length` values from `offset` (negative: from the end; null length: to the end). */
  slice(
    offset: number | Expr | { offset: number | Expr; length: number | Expr | null },
    length?: number | Expr | null,
  ): Expr {
    const o = isOptions(offset) ? offset : { offset, length };
    return callMethod(this, "slice", [o.offset as number | Expr, (o.length ?? null) as ArgValue]);
  }
  /** The values at `index` (a list of integers or an integer expression). */
  gather(index: Expr | number | number[] | Series | { index: Expr | number | number[] }): Expr {
    if (index instanceof Series) return this.gather(index.values as number[]);
    const i = pick<Expr | number | number[]>(index, "index");
    return callMethod(this, "gather", [Array.isArray(i) ? i : toExpr(i as ExprOrValue)]);
  }
  /** Every `n`th value (n >= 1), starting at `offset`. @param offset @default 0 */
  gatherEvery(n: number, offset?: number): Expr {
    return callMethod(this, "gatherEvery", offset === undefined ? [n] : [n, offset]);
  }
  /**
   * The values sorted. @param descending @default false
   * @param nullsLast @default false
   * @param maintainOrder keep equal values in order @default false
   */
  sort(
    descending?:
      | boolean
      | { descending?: boolean; nullsLast?: boolean; maintainOrder?: boolean },
    nullsLast?: boolean,
    maintainOrder?: boolean,
  ): Expr {
    return callMethod(this, "sort", [], {
      descending: pick<boolean>(descending, "descending"),
      nullsLast: option<boolean>(descending, "nullsLast") ?? nullsLast,
      maintainOrder: option<boolean>(descending, "maintainOrder") ?? maintainOrder,
    });
  }
  /** The values sorted by other columns. @param descending one flag or one per key @default false */
  sortBy(
    by:
      | string
      | Expr
      | readonly (string | Expr)[]
      | { by: string | Expr | readonly (string | Expr)[]; descending?: boolean | boolean[] },
    descending?: boolean | boolean[],
  ): Expr {
    const keys = isOptions(by) ? by.by : by;
    const desc = (isOptions(by) ? by.descending : descending) ?? false;
    return callMethod(this, "sortBy", [exprList(keys)], {
      descending: Array.isArray(desc) ? desc : [desc],
    });
  }
  /** Indexes that would sort the values. @param descending @default false @param nullsLast @default false */
  argSort(
    descending?: boolean | { descending?: boolean; nullsLast?: boolean },
    nullsLast?: boolean,
  ): Expr {
    return callMethod(this, "argSort", [], {
      descending: pick<boolean>(descending, "descending"),
      nullsLast: option<boolean>(descending, "nullsLast") ?? nullsLast,
    });
  }
  /** The values in reverse order. */
  reverse(): Expr {
    return callMethod(this, "reverse");
  }
  /** The distinct values. @param maintainOrder in order of first occurrence @default false */
  unique(maintainOrder?: boolean | { maintainOrder: boolean }): Expr {
    return callMethod(this, "unique", [], {
      maintainOrder: pick<boolean>(maintainOrder, "maintainOrder"),
    });
  }
  /** The values where `predicate` holds. */
  filter(predicate: Expr): Expr {
    return callMethod(this, "filter", [predicate]);
  }
  /** Alias of `filter()`. */
  where(predicate: Expr): Expr {
    return callMethod(this, "where", [predicate]);
  }
  /** The values without nulls. */
  dropNulls(): Expr {
    return callMethod(this, "dropNulls");
  }
  /** The values without NaN. */
  dropNans(): Expr {
    return callMethod(this, "dropNans");
  }
  /** One row per list element. */
  explode(): Expr {
    return callMethod(this, "explode");
  }
  /** Alias of `explode()`. */
  flatten(): Expr {
    return callMethod(this, "flatten");
  }
  /** The values followed by `n` (at most 10,000,000) copies of a plain `value`. */
  extendConstant(
    value: LiteralValue | { value: LiteralValue; n: number },
    n?: number,
  ): Expr {
    const o = isOptions(value) ? value : { value, n };
    return callMethod(this, "extendConstant", [plainArg(o.value), o.n as number]);
  }
  /** Each value repeated `by` times, as a list (`by` adds up to at most 10,000,000). */
  repeatBy(by: Expr | string | number): Expr {
    return callMethod(this, "repeatBy", [toExprOrColumn(by)]);
  }
  /** The values in the shape `dims` (1 to 8 dimensions, -1 inferred once). */
  reshape(dims: number[]): Expr {
    return callMethod(this, "reshape", [dims]);
  }
  /** A random sample of `n` values or a fraction `frac` of them (see SampleOptions). */
  sample(
    n?: number | SampleOptions,
    frac?: number,
    withReplacement?: boolean,
    seed?: number | bigint,
    shuffle?: boolean,
  ): Expr {
    const o: SampleOptions = isOptions(n) ? n : { n, frac, withReplacement, seed, shuffle };
    return callMethod(this, "sample", [], { ...o, shuffle: o.shuffle ?? shuffle });
  }
  /** The values in random order. @param seed in [0, 2^53) @default random */
  shuffle(seed?: number | bigint | { seed?: number | bigint }): Expr {
    return callMethod(this, "shuffle", [], { seed: pick<number | bigint>(seed, "seed") });
  }
  /** Whether each value occurs more than once. */
  isDuplicated(): Expr {
    return callMethod(this, "isDuplicated");
  }
  /** Whether each value occurs once. */
  isUnique(): Expr {
    return callMethod(this, "isUnique");
  }
  /** Whether each value is the first of its kind. */
  isFirstDistinct(): Expr {
    return callMethod(this, "isFirstDistinct");
  }
  /** Whether each value is above both neighbours. */
  peakMax(): Expr {
    return callMethod(this, "peakMax");
  }
  /** Whether each value is below both neighbours. */
  peakMin(): Expr {
    return callMethod(this, "peakMin");
  }

  // ---- Values and names ------------------------------------------------------------------

  /**
   * Whether each value is in `other`: a list of plain values (a bigint makes it exact
   * Int64), an Expr, or a column name. @param nullsEquals null matches null @default false
   */
  isIn(other: Expr | string | readonly LiteralValue[] | Series, nullsEquals?: boolean): Expr {
    if (other instanceof Series) {
      const values = other.values.map(plainArg);
      const dtype = other.dtype ? { dtype: other.dtype } : valueListOptions(other.values);
      return callMethod(this, "isIn", [values], { nullsEquals, ...dtype });
    }
    if (Array.isArray(other)) {
      const values = other.map(plainArg);
      return callMethod(this, "isIn", [values], { nullsEquals, ...valueListOptions(other) });
    }
    return callMethod(this, "isIn", [toExprOrColumn(other as Expr | string)], { nullsEquals });
  }
  /** Replaces `old` values by `new_` ones (lists pair up; `{old: mapping}` also works). */
  replace(
    old: ExprOrValue | readonly LiteralValue[] | { old: unknown; new_?: unknown },
    new_?: ExprOrValue | readonly LiteralValue[],
  ): Expr {
    const [from, to] = replacePairs(old, new_);
    return callMethod(this, "replace", [from, to]);
  }
  /**
   * Replaces every value: `old` ones by `new_` ones, others by `default_` (an error when
   * unset and a value matches nothing). @param returnDtype the result's type
   */
  replaceStrict(
    old:
      | ExprOrValue
      | readonly LiteralValue[]
      | { old: unknown; new_?: unknown; default_?: unknown; returnDtype?: DataType },
    new_?: ExprOrValue | readonly LiteralValue[],
    default_?: ExprOrValue | readonly LiteralValue[],
    returnDtype?: DataType,
  ): Expr {
    const [from, to] = replacePairs(old, new_);
    const o = isOptions(old) ? old : { default_, returnDtype };
    // An explicit null default (Python Polars' default=None) makes unmatched values null.
    const fallback = o.default_ !== undefined ? o.default_ : default_;
    return callMethod(this, "replaceStrict", [from, to], {
      default: fallback === undefined ? undefined : replaceValue(fallback),
      returnDtype: (o.returnDtype ?? returnDtype) as DataType | undefined,
    });
  }
  /** Every column but these (`col("*").exclude("a")`). */
  exclude(column: string | readonly string[], ...columns: string[]): Expr {
    return callMethod(this, "exclude", [[column, ...columns].flat()]);
  }
  /** Keeps the input's name through the expression. */
  keepName(): Expr {
    return callMethod(this, "keepName");
  }
  /** Prefixes the output name. */
  prefix(prefix: string): Expr {
    return callMethod(this, "prefix", [prefix]);
  }
  /** Suffixes the output name. */
  suffix(suffix: string): Expr {
    return callMethod(this, "suffix", [suffix]);
  }

  /** The protobuf form as JSON text (what `toString()` gives). */
  toJSON(): string {
    return this.toString();
  }
  /** The protobuf form this Expr sends (one column). */
  inner(): ProtoExpr {
    return this.toProto();
  }
}

function ddofOf(ddof: number | undefined): Partial<Aggregate> {
  if (ddof === undefined) return {};
  if (!Number.isSafeInteger(ddof) || ddof < 0) {
    throw new RangeError(
      `Cannot build aggregation as 'ddof' must be a non-negative integer: current value is ${ddof}`,
    );
  }
  return { ddof };
}
