/**
 * The first methods of an Expr, those the protocol has nodes of its own for: naming
 * (`alias`), arithmetic, comparison and logic operators, casts and aggregations, with
 * `over()` and `quantile()`. Each returns a new expression, of the class R its final class
 * names (expr.ts: Expr); expr.ts makes the Expr class of them (see call.ts for the plumbing).
 *
 * @module
 */

import {
  AggKind,
  type Aggregate,
  BinaryOp,
  type Expr as ProtoExpr,
  QuantileInterpolation,
  UnaryOp,
} from "../../shared/gen/polaroid/v1/expr.ts";
import { DataType } from "../datatypes.ts";
import type { InterpolationMethod } from "./_core_args.ts";
import {
  callMethod,
  columnNode,
  DERIVE,
  derive,
  ExprNode,
  literalNode,
  type NodeOrValue,
} from "./call.ts";

const INTERPOLATION: Readonly<Record<InterpolationMethod, QuantileInterpolation>> = {
  nearest: QuantileInterpolation.QUANTILE_INTERPOLATION_NEAREST,
  higher: QuantileInterpolation.QUANTILE_INTERPOLATION_HIGHER,
  lower: QuantileInterpolation.QUANTILE_INTERPOLATION_LOWER,
  midpoint: QuantileInterpolation.QUANTILE_INTERPOLATION_MIDPOINT,
  linear: QuantileInterpolation.QUANTILE_INTERPOLATION_LINEAR,
};

/** An expression's operators, casts and aggregations, returning R (see expr.ts). */
export abstract class ExprOperators<R extends ExprNode> extends ExprNode {
  /** A new expression of the kind this one's methods return. */
  abstract [DERIVE](protos: ProtoExpr | readonly ProtoExpr[]): R;

  #map(fn: (proto: ProtoExpr) => ProtoExpr): R {
    return derive(this, this.toProtos().map(fn));
  }

  #binary(op: BinaryOp, other: NodeOrValue): R {
    const right = literalNode(other).toProtos();
    const left = this.toProtos();
    if (left.length > 1 && right.length > 1) {
      throw new TypeError(
        `Cannot combine expressions as only one side may stand for several columns: current sides stand for ${left.length} and ${right.length}`,
      );
    }
    const make = (l: ProtoExpr, r: ProtoExpr): ProtoExpr => ({
      kind: { $case: "binary", value: { op, left: l, right: r } },
    });
    return right.length > 1
      ? derive(this, right.map((r) => make(left[0]!, r)))
      : derive(this, left.map((l) => make(l, right[0]!)));
  }

  #unary(op: UnaryOp): R {
    return this.#map((input) => ({ kind: { $case: "unary", value: { op, input } } }));
  }

  #agg(kind: AggKind, extra: Partial<Aggregate> = {}): R {
    return this.#map((input) => ({
      kind: {
        $case: "aggregate",
        value: { kind, input, quantile: 0, interpolation: 0, ...extra },
      },
    }));
  }

  /** Renames the result. */
  alias(name: string): R {
    if (typeof name !== "string") {
      throw new TypeError(
        `Cannot alias expression as 'name' must be a string: current value is ${String(name)}`,
      );
    }
    const columns = this.toProtos().length;
    if (columns > 1) {
      throw new TypeError(
        `Cannot alias expression as it must stand for one column: current value stands for ${columns}`,
      );
    }
    return this.#map((input) => ({ kind: { $case: "alias", value: { input, name } } }));
  }
  /** Alias of `alias()`. */
  as(name: string): R {
    return this.alias(name);
  }

  add(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_ADD, other);
  }
  plus(other: NodeOrValue): R {
    return this.add(other);
  }
  sub(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_SUB, other);
  }
  minus(other: NodeOrValue): R {
    return this.sub(other);
  }
  mul(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_MUL, other);
  }
  multiplyBy(other: NodeOrValue): R {
    return this.mul(other);
  }
  /** True division (integers give a float). */
  div(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_TRUE_DIV, other);
  }
  divideBy(other: NodeOrValue): R {
    return this.div(other);
  }
  floorDiv(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_FLOOR_DIV, other);
  }
  rem(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_MOD, other);
  }
  modulo(other: NodeOrValue): R {
    return this.rem(other);
  }

  eq(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_EQ, other);
  }
  equals(other: NodeOrValue): R {
    return this.eq(other);
  }
  neq(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_NEQ, other);
  }
  notEquals(other: NodeOrValue): R {
    return this.neq(other);
  }
  lt(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_LT, other);
  }
  less(other: NodeOrValue): R {
    return this.lt(other);
  }
  lessThan(other: NodeOrValue): R {
    return this.lt(other);
  }
  ltEq(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_LT_EQ, other);
  }
  lessThanEquals(other: NodeOrValue): R {
    return this.ltEq(other);
  }
  gt(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_GT, other);
  }
  greater(other: NodeOrValue): R {
    return this.gt(other);
  }
  greaterThan(other: NodeOrValue): R {
    return this.gt(other);
  }
  gtEq(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_GT_EQ, other);
  }
  greaterThanEquals(other: NodeOrValue): R {
    return this.gtEq(other);
  }

  and(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_AND, other);
  }
  or(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_OR, other);
  }
  xor(other: NodeOrValue): R {
    return this.#binary(BinaryOp.BINARY_OP_XOR, other);
  }
  not(): R {
    return this.#unary(UnaryOp.UNARY_OP_NOT);
  }
  isNull(): R {
    return this.#unary(UnaryOp.UNARY_OP_IS_NULL);
  }
  isNotNull(): R {
    return this.#unary(UnaryOp.UNARY_OP_IS_NOT_NULL);
  }

  /** Casts to `dtype`. @param strict fail on values that do not fit (else null) @default false */
  cast(dtype: DataType, strict = false): R {
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

  sum(): R {
    return this.#agg(AggKind.AGG_KIND_SUM);
  }
  mean(): R {
    return this.#agg(AggKind.AGG_KIND_MEAN);
  }
  min(): R {
    return this.#agg(AggKind.AGG_KIND_MIN);
  }
  max(): R {
    return this.#agg(AggKind.AGG_KIND_MAX);
  }
  /** The number of non-null values. */
  count(): R {
    return this.#agg(AggKind.AGG_KIND_COUNT);
  }
  /** The number of values, nulls included. */
  len(): R {
    return this.#agg(AggKind.AGG_KIND_LEN);
  }
  first(): R {
    return this.#agg(AggKind.AGG_KIND_FIRST);
  }
  last(): R {
    return this.#agg(AggKind.AGG_KIND_LAST);
  }
  /** Standard deviation. @param ddof delta degrees of freedom @default 1 */
  std(ddof?: number): R {
    return this.#agg(AggKind.AGG_KIND_STD, ddofOf(ddof));
  }
  /** Variance. @param ddof delta degrees of freedom @default 1 */
  var(ddof?: number): R {
    return this.#agg(AggKind.AGG_KIND_VAR, ddofOf(ddof));
  }
  median(): R {
    return this.#agg(AggKind.AGG_KIND_MEDIAN);
  }
  nUnique(): R {
    return this.#agg(AggKind.AGG_KIND_N_UNIQUE);
  }
  /** Absolute value. */
  abs(): R {
    return callMethod(this, "abs");
  }
  /** Square root (NaN below zero). */
  sqrt(): R {
    return callMethod(this, "sqrt");
  }
  /** The expression evaluated per group of `by` (a window), aligned to the rows. */
  over(
    by: string | ExprNode | readonly (string | ExprNode)[],
    ...more: (string | ExprNode)[]
  ): R {
    const keys = [...(Array.isArray(by) ? by : [by]), ...more].map((k: string | ExprNode) =>
      typeof k === "string" ? columnNode(k) : k
    );
    return callMethod(this, "over", [keys]);
  }
  /**
   * The `quantile` (in [0, 1], or an expression giving one) of the values.
   * @param interpolation @default "nearest"
   */
  quantile(quantile: number | ExprNode, interpolation: InterpolationMethod = "nearest"): R {
    const method = INTERPOLATION[interpolation];
    if (method === undefined) {
      throw new TypeError(
        `Cannot build quantile as 'interpolation' must be one of ${
          Object.keys(INTERPOLATION).join(", ")
        }: current value is ${JSON.stringify(interpolation)}`,
      );
    }
    if (quantile instanceof ExprNode) {
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
