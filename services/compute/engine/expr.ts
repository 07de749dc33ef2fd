/**
 * Expressions: proto Expr → nodejs-polars Expr. Recursive; callers bound the depth first
 * (see validate.ts).
 *
 * @module
 */

import pl, { _Expr } from "nodejs-polars";
import { InvalidPlanError } from "../../../shared/errors.ts";
import {
  AggKind,
  type Aggregate,
  BinaryOp,
  type Expr,
  QuantileInterpolation,
  UnaryOp,
  type WhenThen,
} from "../../../shared/gen/polaroid/v1/expr.ts";
import { toPolarsType } from "./dtypes.ts";
import { buildFunction } from "./functions/registry.ts";
import { buildLiteral } from "./literal.ts";

type Interpolation = "nearest" | "higher" | "lower" | "midpoint" | "linear";

const INTERPOLATIONS: ReadonlyMap<QuantileInterpolation, Interpolation> = new Map([
  [QuantileInterpolation.QUANTILE_INTERPOLATION_UNSPECIFIED, "nearest"],
  [QuantileInterpolation.QUANTILE_INTERPOLATION_NEAREST, "nearest"],
  [QuantileInterpolation.QUANTILE_INTERPOLATION_HIGHER, "higher"],
  [QuantileInterpolation.QUANTILE_INTERPOLATION_LOWER, "lower"],
  [QuantileInterpolation.QUANTILE_INTERPOLATION_MIDPOINT, "midpoint"],
  [QuantileInterpolation.QUANTILE_INTERPOLATION_LINEAR, "linear"],
]);

/** Polars' default delta degrees of freedom for std and var. */
const DEFAULT_DDOF = 1;

function invalid(field: string, value: unknown): InvalidPlanError {
  return new InvalidPlanError(
    `Cannot build the expression as '${field}' must be set to a known value: current value is ${
      String(value ?? "unset")
    }`,
  );
}

function need(expr: Expr | undefined, field: string): pl.Expr {
  if (expr === undefined) throw invalid(field, undefined);
  return buildExpr(expr);
}

/** A binary method nodejs-polars wraps only natively (no JS method of that name). */
function native(left: pl.Expr, method: "truediv" | "floordiv" | "xor", right: pl.Expr): pl.Expr {
  return _Expr(left._expr[method](right._expr));
}

function binary(op: BinaryOp, l: pl.Expr, r: pl.Expr): pl.Expr {
  switch (op) {
    case BinaryOp.BINARY_OP_ADD:
      return l.add(r);
    case BinaryOp.BINARY_OP_SUB:
      return l.sub(r);
    case BinaryOp.BINARY_OP_MUL:
      return l.mul(r);
    case BinaryOp.BINARY_OP_TRUE_DIV:
      return native(l, "truediv", r);
    case BinaryOp.BINARY_OP_FLOOR_DIV:
      return native(l, "floordiv", r);
    case BinaryOp.BINARY_OP_MOD:
      return l.modulo(r);
    case BinaryOp.BINARY_OP_EQ:
      return l.eq(r);
    case BinaryOp.BINARY_OP_NEQ:
      return l.neq(r);
    case BinaryOp.BINARY_OP_LT:
      return l.lt(r);
    case BinaryOp.BINARY_OP_LT_EQ:
      return l.ltEq(r);
    case BinaryOp.BINARY_OP_GT:
      return l.gt(r);
    case BinaryOp.BINARY_OP_GT_EQ:
      return l.gtEq(r);
    case BinaryOp.BINARY_OP_AND:
      return l.and(r);
    case BinaryOp.BINARY_OP_OR:
      return l.or(r);
    case BinaryOp.BINARY_OP_XOR:
      return native(l, "xor", r);
  }
  throw invalid("binary.op", op);
}

function unary(op: UnaryOp, input: pl.Expr): pl.Expr {
  switch (op) {
    case UnaryOp.UNARY_OP_NOT:
      return input.not();
    case UnaryOp.UNARY_OP_NEG:
      // nodejs-polars has no negation; -1 as Int8 keeps the input's type (its supertype).
      return input.mul(pl.lit(-1).cast(pl.Int8, true));
    case UnaryOp.UNARY_OP_IS_NULL:
      return input.isNull();
    case UnaryOp.UNARY_OP_IS_NOT_NULL:
      return input.isNotNull();
  }
  throw invalid("unary.op", op);
}

function aggregate(agg: Aggregate): pl.Expr {
  const input = need(agg.input, "aggregate.input");
  switch (agg.kind) {
    case AggKind.AGG_KIND_SUM:
      return input.sum();
    case AggKind.AGG_KIND_MEAN:
      return input.mean();
    case AggKind.AGG_KIND_MIN:
      return input.min();
    case AggKind.AGG_KIND_MAX:
      return input.max();
    case AggKind.AGG_KIND_COUNT:
      return input.count();
    case AggKind.AGG_KIND_LEN:
      // Expr.len() is missing: is_null() is never null, so its count counts every row.
      return input.isNull().count();
    case AggKind.AGG_KIND_FIRST:
      return input.first();
    case AggKind.AGG_KIND_LAST:
      return input.last();
    case AggKind.AGG_KIND_STD:
      return _Expr(input._expr.std(agg.ddof ?? DEFAULT_DDOF));
    case AggKind.AGG_KIND_VAR:
      return _Expr(input._expr.var(agg.ddof ?? DEFAULT_DDOF));
    case AggKind.AGG_KIND_MEDIAN:
      return input.median();
    case AggKind.AGG_KIND_N_UNIQUE:
      return input.nUnique();
    case AggKind.AGG_KIND_QUANTILE: {
      const method = INTERPOLATIONS.get(agg.interpolation);
      if (!method) throw invalid("aggregate.interpolation", agg.interpolation);
      // A quantile given as an expression: Polars checks it is a scalar in [0, 1].
      const q = agg.quantileExpr === undefined ? agg.quantile : buildExpr(agg.quantileExpr);
      return input.quantile(q, method);
    }
  }
  throw invalid("aggregate.kind", agg.kind);
}

function whenThen(w: WhenThen): pl.Expr {
  const [first, ...rest] = w.branches;
  if (!first) throw invalid("when.branches", "[]");
  let chain = pl.when(need(first.when, "when.branches.when"))
    .then(need(first.then, "when.branches.then"));
  for (const branch of rest) {
    chain = chain.when(need(branch.when, "when.branches.when"))
      .then(need(branch.then, "when.branches.then"));
  }
  return chain.otherwise(w.otherwise ? buildExpr(w.otherwise) : pl.lit(null));
}

/** A proto expression as a nodejs-polars expression. */
export function buildExpr(expr: Expr): pl.Expr {
  const kind = expr.kind;
  if (!kind) throw invalid("expr.kind", undefined);
  switch (kind.$case) {
    case "column":
      return pl.col(kind.value.name);
    case "literal":
      return buildLiteral(kind.value);
    case "binary":
      return binary(
        kind.value.op,
        need(kind.value.left, "binary.left"),
        need(kind.value.right, "binary.right"),
      );
    case "unary":
      return unary(kind.value.op, need(kind.value.input, "unary.input"));
    case "alias":
      return need(kind.value.input, "alias.input").alias(kind.value.name);
    case "when":
      return whenThen(kind.value);
    case "aggregate":
      return aggregate(kind.value);
    case "cast": {
      if (!kind.value.dtype) throw invalid("cast.dtype", undefined);
      return need(kind.value.input, "cast.input").cast(
        toPolarsType(kind.value.dtype),
        kind.value.strict,
      );
    }
    case "len":
      return pl.len();
    case "function":
      return buildFunction(kind.value, buildExpr);
  }
}
