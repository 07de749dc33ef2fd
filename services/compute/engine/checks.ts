/**
 * Structural checks of one plan node or one expression node (its own fields, not its
 * children): set oneofs, known enum values, required inputs, option ranges. Each failure is
 * an InvalidPlanError. Plan nodes are checked by their specs (nodes/).
 *
 * @module
 */

import { InvalidPlanError } from "../../../shared/errors.ts";
import {
  AggKind,
  type Arg,
  BinaryOp,
  type Expr,
  type FunctionCall,
  type Literal,
  QuantileInterpolation,
  UnaryOp,
} from "../../../shared/gen/polaroid/v1/expr.ts";
import { type DataType, DataType_Kind, TimeUnit } from "../../../shared/gen/polaroid/v1/types.ts";
import { FUNCTIONS } from "./functions/registry.ts";

/** Deepest nesting of a DataType (lists of lists, structs of structs). */
export const MAX_DTYPE_DEPTH = 64;

/** Polars takes ddof as an 8-bit unsigned integer. */
const MAX_DDOF = 255;

function enumValues(e: Record<string, string | number>, allowZero: boolean): Set<number> {
  return new Set(
    Object.values(e).filter((v): v is number =>
      typeof v === "number" && (v > 0 || (allowZero && v === 0))
    ),
  );
}

const BINARY_OPS = enumValues(BinaryOp, false);
const UNARY_OPS = enumValues(UnaryOp, false);
const AGG_KINDS = enumValues(AggKind, false);
const INTERPOLATIONS = enumValues(QuantileInterpolation, true);
const DTYPE_KINDS = enumValues(DataType_Kind, false);
const TIME_UNITS = enumValues(TimeUnit, true);

/** Throws InvalidPlanError: "Cannot run the plan as 'field' must rule: current value is V". */
export function fail(field: string, rule: string, value: unknown): never {
  const shown = typeof value === "string" ? JSON.stringify(value.slice(0, 100)) : String(value);
  throw new InvalidPlanError(
    `Cannot run the plan as '${field}' must ${rule}: current value is ${shown}`,
  );
}

/** Throws InvalidPlanError when a required field is unset. */
export function required(value: unknown, field: string): void {
  if (value === undefined || value === null) fail(field, "be set", "unset");
}

function oneOf(value: number, allowed: Set<number>, field: string): void {
  if (!allowed.has(value)) fail(field, "be a known enum value", value);
}

/** Checks a data type and its children (recursion bounded by MAX_DTYPE_DEPTH). */
export function checkDataType(dtype: DataType | undefined, field: string): void {
  checkNested(dtype, field, 0);
}

function checkNested(dtype: DataType | undefined, field: string, depth: number): void {
  if (dtype === undefined) fail(field, "be set", "unset");
  const dt = dtype;
  if (depth > MAX_DTYPE_DEPTH) fail(field, `nest at most ${MAX_DTYPE_DEPTH} levels`, depth);
  oneOf(dt.kind, DTYPE_KINDS, `${field}.kind`);
  oneOf(dt.timeUnit, TIME_UNITS, `${field}.time_unit`);
  switch (dt.kind) {
    case DataType_Kind.KIND_LIST:
      checkNested(dt.inner, `${field}.inner`, depth + 1);
      break;
    case DataType_Kind.KIND_STRUCT:
      for (const f of dt.fields) {
        if (f.name === "") fail(`${field}.fields.name`, "not be empty", f.name);
        checkNested(f.dtype, `${field}.fields.dtype`, depth + 1);
      }
      break;
    case DataType_Kind.KIND_DECIMAL:
      if (dt.precision < 1 || dt.precision > 38) {
        fail(`${field}.precision`, "be in [1, 38]", dt.precision);
      }
      if (dt.scale > dt.precision) fail(`${field}.scale`, "not exceed the precision", dt.scale);
      break;
    case DataType_Kind.KIND_BINARY:
      fail(`${field}.kind`, "be a type the engine supports (not BINARY)", "KIND_BINARY");
  }
}

function checkLiteral(lit: Literal): void {
  const value = lit.value;
  if (value === undefined) fail("literal.value", "be set", "unset");
  if (lit.dtype !== undefined) checkDataType(lit.dtype, "literal.dtype");
  if (value.$case === "date" && !Number.isInteger(value.value)) {
    fail("literal.date", "be an integer", value.value);
  }
}

/** Checks one expression node's own fields. */
export function checkExprNode(expr: Expr): void {
  const kind = expr.kind;
  if (kind === undefined) fail("expr.kind", "be set", "unset");
  switch (kind.$case) {
    case "column":
      if (kind.value.name === "") fail("column.name", "not be empty", "");
      break;
    case "literal":
      checkLiteral(kind.value);
      break;
    case "binary":
      oneOf(kind.value.op, BINARY_OPS, "binary.op");
      required(kind.value.left, "binary.left");
      required(kind.value.right, "binary.right");
      break;
    case "unary":
      oneOf(kind.value.op, UNARY_OPS, "unary.op");
      required(kind.value.input, "unary.input");
      break;
    case "alias":
      required(kind.value.input, "alias.input");
      break;
    case "when":
      if (kind.value.branches.length === 0) fail("when.branches", "not be empty", "[]");
      for (const b of kind.value.branches) {
        required(b.when, "when.branches.when");
        required(b.then, "when.branches.then");
      }
      break;
    case "aggregate": {
      const agg = kind.value;
      oneOf(agg.kind, AGG_KINDS, "aggregate.kind");
      oneOf(agg.interpolation, INTERPOLATIONS, "aggregate.interpolation");
      required(agg.input, "aggregate.input");
      if (agg.ddof !== undefined && (!Number.isInteger(agg.ddof) || agg.ddof > MAX_DDOF)) {
        fail("aggregate.ddof", `be an integer in [0, ${MAX_DDOF}]`, agg.ddof);
      }
      if (agg.quantileExpr !== undefined && agg.kind !== AggKind.AGG_KIND_QUANTILE) {
        fail("aggregate.quantile_expr", "be set on QUANTILE only", agg.kind);
      }
      if (
        agg.kind === AggKind.AGG_KIND_QUANTILE && agg.quantileExpr === undefined &&
        !(agg.quantile >= 0 && agg.quantile <= 1)
      ) {
        fail("aggregate.quantile", "be in [0, 1]", agg.quantile);
      }
      break;
    }
    case "cast":
      required(kind.value.input, "cast.input");
      checkDataType(kind.value.dtype, "cast.dtype");
      break;
    case "len":
      break;
    case "function":
      checkFunctionCall(kind.value);
      break;
  }
}

/** Deepest nesting of argument lists in a function call. */
const MAX_ARG_DEPTH = 8;

function checkFunctionCall(fn: FunctionCall): void {
  const spec = FUNCTIONS.get(fn.name);
  if (spec === undefined) fail("function.name", "name a known function", fn.name);
  const [min, max] = spec.args;
  if (fn.args.length < min || fn.args.length > max) {
    fail(
      `${fn.name}.args`,
      min === max ? `hold ${min} arguments` : `hold ${min} to ${max} arguments`,
      fn.args.length,
    );
  }
  const allowed = spec.options ?? [];
  for (const key of Object.keys(fn.options)) {
    if (!allowed.includes(key)) {
      fail(
        `${fn.name}.options`,
        allowed.length === 0
          ? "be empty"
          : `hold only ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
        key,
      );
    }
  }
  const stack: { arg: Arg; depth: number; field: string }[] = [
    ...fn.args.map((arg, i) => ({ arg, depth: 0, field: `${fn.name}.args[${i}]` })),
    ...Object.entries(fn.options).map(([k, arg]) => ({ arg, depth: 0, field: `${fn.name}.${k}` })),
  ];
  while (stack.length > 0) {
    const { arg, depth, field } = stack.pop()!;
    const value = arg.value;
    if (value === undefined) fail(field, "be set", "unset");
    if (value.$case === "dtype") checkDataType(value.value, field);
    if (value.$case === "list") {
      if (depth >= MAX_ARG_DEPTH) fail(field, `nest lists at most ${MAX_ARG_DEPTH} deep`, depth);
      value.value.items.forEach((item, i) =>
        stack.push({ arg: item, depth: depth + 1, field: `${field}[${i}]` })
      );
    }
  }
}
