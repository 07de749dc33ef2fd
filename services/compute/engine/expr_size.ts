/**
 * Sizes of expressions before they run: how many values each yields over an input of R
 * rows, how many of those the plan itself generates (ranges, repeats, list fan-out), and
 * how many bytes per value it makes out of the plan (literal strings, padding) — so a node
 * that would generate too many values or broadcast too many bytes is refused before the
 * engine allocates them (a failed allocation aborts the process). Iterative: expressions
 * may nest as deep as the plan limits allow.
 *
 * @module
 */

import type { ComputeLimits } from "../../../shared/config_limits.ts";
import { LimitExceededError } from "../../../shared/errors.ts";
import type { Arg, Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import { AggKind, BinaryOp } from "../../../shared/gen/polaroid/v1/expr.ts";
import {
  argBytes,
  broadcast,
  defaultRule,
  elementwise,
  type ExprSize,
  isNumeric,
  MAKERS,
  scalar,
  SIZE_RULES,
  type SizeCall,
  times,
  utf8Bytes,
} from "./expr_size_rules.ts";
import { argExprs, exprChildren } from "./walk.ts";

export type { ExprSize } from "./expr_size_rules.ts";

/** What the analysis walk found in one plan node's expressions. */
export interface ExprFacts {
  /**
   * Whether they can generate values or make bytes (ranges, repeats, list concatenations,
   * literal strings, padding): the node's bound then checks them.
   */
  sized: boolean;
}

/** Facts of a node without expressions. */
export const NO_FACTS: ExprFacts = { sized: false };

/**
 * Whether one expression node (not its children) can generate values or make bytes: a
 * string literal, a generating or padding function, or a function given plain strings.
 */
export function exprMakes(expr: Expr): boolean {
  const kind = expr.kind;
  if (kind?.$case === "literal") return kind.value.value?.$case === "string";
  if (kind?.$case !== "function") return false;
  if (MAKERS.has(kind.value.name)) return true;
  const plain = (arg: Arg) => arg.value?.$case === "string" || arg.value?.$case === "list";
  if (isNumeric(kind.value.name)) return false;
  return kind.value.args.some(plain) || Object.values(kind.value.options).some(plain);
}

/**
 * Whether a node's expressions, once sized, generate values or make bytes that reach their
 * output (a literal compared with a column makes none): only then is the node's bound checked.
 */
export function isSized(exprs: readonly Expr[]): boolean {
  return sizeExprs(exprs, 1).some((s) => s.made > 0 || s.width > 0);
}

/** Options of {@link sizeExprs}. */
export interface SizeOptions {
  /** Evaluated per group (group-by aggregations). @default false */
  agg?: boolean;
}

const AGG_KEEPS_VALUES = new Set([
  AggKind.AGG_KIND_FIRST,
  AggKind.AGG_KIND_LAST,
  AggKind.AGG_KIND_MIN,
  AggKind.AGG_KIND_MAX,
]);

/** Sizes of expressions evaluated over `rows` input rows (each tree walked without recursion). */
export function sizeExprs(
  exprs: readonly Expr[],
  rows: number,
  options: SizeOptions = {},
): ExprSize[] {
  const agg = options.agg ?? false;
  const sizes = new Map<Expr, ExprSize>();
  const size = (expr: Expr | undefined): ExprSize =>
    expr === undefined ? scalar() : sizes.get(expr) ?? scalar();
  for (const root of exprs) {
    const stack: { expr: Expr; open: boolean }[] = [{ expr: root, open: false }];
    while (stack.length > 0) {
      const top = stack.pop()!;
      if (sizes.has(top.expr)) continue;
      if (!top.open) {
        stack.push({ expr: top.expr, open: true });
        for (const child of exprChildren(top.expr)) stack.push({ expr: child, open: false });
        continue;
      }
      sizes.set(top.expr, sizeOne(top.expr, rows, agg, size));
    }
  }
  return exprs.map(size);
}

function sizeOne(
  expr: Expr,
  rows: number,
  agg: boolean,
  size: (expr: Expr | undefined) => ExprSize,
): ExprSize {
  const kind = expr.kind;
  switch (kind?.$case) {
    case undefined:
    case "len":
      return scalar();
    case "column":
      return {
        rows,
        items: Infinity,
        values: Infinity,
        made: 0,
        width: 0,
        column: kind.value.name,
      };
    case "literal": {
      const value = kind.value.value;
      return scalar(value?.$case === "string" ? utf8Bytes(value.value) : 0);
    }
    case "alias":
    case "cast":
      return size(kind.value.input);
    case "unary":
      return elementwise([size(kind.value.input)], 0);
    case "binary": {
      const [left, right] = [size(kind.value.left), size(kind.value.right)];
      const width = kind.value.op === BinaryOp.BINARY_OP_ADD ? left.width + right.width : 0;
      return elementwise([left, right], width);
    }
    case "when": {
      const thens = [...kind.value.branches.map((b) => size(b.then)), size(kind.value.otherwise)];
      const parts = [...kind.value.branches.map((b) => size(b.when)), ...thens];
      return elementwise(parts, Math.max(...thens.map((t) => t.width)));
    }
    case "aggregate": {
      const input = size(kind.value.input);
      const keeps = AGG_KEEPS_VALUES.has(kind.value.kind);
      const items = keeps ? input.items : 1;
      // A quantile given as an expression is made too (a scalar, once it is checked).
      const made = input.made +
        (kind.value.quantileExpr === undefined ? 0 : size(kind.value.quantileExpr).made);
      return { rows: 1, items, values: items, made, width: keeps ? input.width : 0 };
    }
    case "function": {
      const fn = kind.value;
      const call = sizeCall(fn.args, fn.options, rows, agg, size);
      return (SIZE_RULES.get(fn.name) ?? defaultRule)({ ...call, fn });
    }
  }
}

function sizeCall(
  args: readonly Arg[],
  options: Readonly<Record<string, Arg>>,
  rows: number,
  agg: boolean,
  size: (expr: Expr | undefined) => ExprSize,
): Omit<SizeCall, "fn"> {
  const get = (key: number | string) => typeof key === "number" ? args[key] : options[key];
  const argSize = (arg: Arg | undefined): ExprSize =>
    arg?.value?.$case === "expr" ? size(arg.value.value) : scalar(arg ? plainWidth(arg) : 0);
  const every = [...args, ...Object.values(options)];
  return {
    rows,
    agg,
    size: (key) => argSize(get(key)),
    sizes: (key) => {
      const value = get(key)?.value;
      return value?.$case === "list" ? value.value.items.map(argSize) : [argSize(get(key))];
    },
    int: (key) => {
      const value = get(key)?.value;
      return value?.$case === "int" || value?.$case === "uint" ? Number(value.value) : undefined;
    },
    count: (key) => {
      const value = get(key)?.value;
      return value?.$case === "list" ? value.value.items.length : undefined;
    },
    width: (key) => argSize(get(key)).width,
    all: () => argExprs(every).map(size),
    widest: () => Math.max(0, ...every.map((a) => argSize(a).width)),
  };
}

/** Bytes per value of a plain argument: a string's, or the widest string of a list. */
function plainWidth(arg: Arg): number {
  const value = arg.value;
  if (value?.$case === "string") return utf8Bytes(value.value);
  if (value?.$case !== "list") return 0;
  return Math.max(0, ...value.value.items.map((item) => argBytes(item)));
}

/** What a node's expressions yield together. */
export interface NodeSize {
  /** Rows of the node's output, at most (its longest expression, scalars broadcast). */
  rows: number;
  /** Values the plan generates. */
  made: number;
  /** Bytes the plan makes (per-value bytes × the values they are broadcast over). */
  bytes: number;
  /** The widest per-value bytes and the rows behind `bytes`, for the message. */
  width: number;
}

/** Sums the sizes of a node's expressions, their output broadcast to `outRows` rows. */
export function nodeSize(sizes: readonly ExprSize[], outRows?: number): NodeSize {
  const rows = outRows ?? Math.max(0, ...sizes.map((s) => s.rows));
  let made = 0;
  let bytes = 0;
  let width = 0;
  for (const s of sizes) {
    const b = broadcast(s, rows);
    made += times(b, s.made);
    const leaves = Number.isFinite(s.values) ? s.values : s.rows;
    bytes += times(times(b, leaves), s.width);
    width = Math.max(width, s.width);
  }
  return { rows, made, bytes, width };
}

/**
 * Throws LimitExceededError when a node (`what`, e.g. "select") would generate more values
 * than `limits.maxGeneratedValues` or make more bytes than `limits.maxGeneratedBytes`.
 */
export function checkNodeSize(what: string, size: NodeSize, limits: ComputeLimits): void {
  const { maxGeneratedValues, maxGeneratedBytes } = limits;
  if (size.made > maxGeneratedValues) {
    throw new LimitExceededError(
      `Cannot run the plan as its ${what} must generate at most ${maxGeneratedValues} values (POLAROID_MAX_GENERATED_VALUES): current value is up to ${size.made}`,
      { metadata: { limit: String(maxGeneratedValues) } },
    );
  }
  if (size.bytes > maxGeneratedBytes) {
    throw new LimitExceededError(
      `Cannot run the plan as its ${what} must make at most ${maxGeneratedBytes} bytes out of literals, padding and separators (POLAROID_MAX_GENERATED_BYTES): current value is up to ${size.bytes} (up to ${size.width} bytes per value over ${size.rows} rows)`,
      { metadata: { limit: String(maxGeneratedBytes) } },
    );
  }
}
