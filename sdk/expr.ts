/**
 * Expressions, with the method names and aliases of nodejs-polars' `Expr`. An Expr only
 * records protobuf nodes; nothing runs until a plan is sent.
 *
 * @module
 */

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
import { literalProto, type LiteralValue } from "./literal.ts";

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
  /** The `quantile` (in [0, 1]) of the values. @param interpolation @default "nearest" */
  quantile(quantile: number, interpolation: InterpolationMethod = "nearest"): Expr {
    if (typeof quantile !== "number" || !(quantile >= 0 && quantile <= 1)) {
      throw new RangeError(
        `Cannot build quantile as 'quantile' must be a number in [0, 1]: current value is ${
          String(quantile)
        }`,
      );
    }
    const method = INTERPOLATION[interpolation];
    if (method === undefined) {
      throw new TypeError(
        `Cannot build quantile as 'interpolation' must be one of ${
          Object.keys(INTERPOLATION).join(", ")
        }: current value is ${JSON.stringify(interpolation)}`,
      );
    }
    return this.#agg(AggKind.AGG_KIND_QUANTILE, { quantile, interpolation: method });
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
