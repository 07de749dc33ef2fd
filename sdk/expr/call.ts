/**
 * The call plumbing of expressions: ExprNode, the protobuf nodes an expression stands for,
 * and how a method becomes a node, a call of a server-side function (`callMethod`) whose
 * arguments and options travel as `Arg`s (`toArg`). The Expr class (expr.ts, over
 * operators.ts and numeric.ts) and its namespaces (datetime.ts, list.ts, string.ts,
 * struct.ts) are built on these; nothing here knows them: an expression makes the ones its
 * methods return itself (its `[DERIVE]` method: an Expr makes Exprs).
 *
 * @module
 */

import type { Arg, Expr as ProtoExpr } from "../../shared/gen/polaroid/v1/expr.ts";
import { DataType } from "../datatypes.ts";
import { literalProto, type LiteralValue } from "../literal.ts";

/**
 * The protobuf nodes of an expression: one, or one per column when it stands for several
 * (`col(["a", "b"])`). Every Expr is one; its methods make new ones of the same class.
 */
export class ExprNode {
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

  /** The protobuf form as JSON text (what `toString()` gives). */
  toJSON(): string {
    return this.toString();
  }

  /** The protobuf form this Expr sends (one column). */
  inner(): ProtoExpr {
    return this.toProto();
  }
}

/** An expression or a plain value (wrapped in a literal). */
export type NodeOrValue = ExprNode | LiteralValue;

/** The key of the method an expression makes the expressions its methods return with. */
export const DERIVE: unique symbol = Symbol("polaroid.Expr.derive");

/** An expression whose methods return R (an Expr's return Exprs, also a `Then`'s). */
export type ExprNodeOf<R> = ExprNode & {
  [DERIVE](protos: ProtoExpr | readonly ProtoExpr[]): R;
};

/** A new expression from protobuf nodes, of the kind `like`'s methods return. */
export function derive<R>(like: ExprNodeOf<R>, protos: ProtoExpr | readonly ProtoExpr[]): R {
  return like[DERIVE](protos);
}

/** The node of a column named `name`. */
export function columnProto(name: string): ProtoExpr {
  return { kind: { $case: "column", value: { name } } };
}

/** Wraps a plain value in a literal; an expression passes through. */
export function literalNode(value: NodeOrValue): ExprNode {
  return value instanceof ExprNode ? value : new ExprNode(literalProto(value));
}

/** A column by name; an expression passes through; another plain value becomes a literal. */
export function columnNode(value: NodeOrValue): ExprNode {
  return typeof value === "string" ? new ExprNode(columnProto(value)) : literalNode(value);
}

/** Column names and expressions (nested arrays flattened) as one node per column. */
export function columnProtos(items: unknown): ProtoExpr[] {
  const out: ProtoExpr[] = [];
  const visit = (item: unknown): void => {
    if (Array.isArray(item)) item.forEach(visit);
    else if (item instanceof ExprNode) out.push(...item.toProtos());
    else if (typeof item === "string") out.push(columnProto(item));
    else {
      throw new TypeError(
        `Cannot use value as it must be a column name or an Expr: current value is ${String(item)}`,
      );
    }
  };
  visit(items);
  return out;
}

/** Column names and expressions (nested arrays flattened) as one expression per column. */
export function nodeList(items: unknown): ExprNode[] {
  return columnProtos(items).map((proto) => new ExprNode(proto));
}

/**
 * An argument of a server-side function: an expression, a plain value, a data type or a
 * list of those. Integers that are safe travel as int, other numbers as float, a bigint as
 * int (uint above Int64).
 */
export type ArgValue =
  | ExprNode
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
  if (value instanceof ExprNode) return { value: { $case: "expr", value: value.toProto() } };
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
 * to each column the receiver stands for), then `args`, then `options`, as an expression of
 * the kind the receiver's methods return. The names are nodejs-polars' method names; namespaces are prefixed
 * ("str.contains").
 */
export function callMethod<R>(
  receiver: ExprNodeOf<R>,
  name: string,
  args: readonly ArgValue[] = [],
  options: ArgOptions = {},
): R {
  const rest = args.map(toArg);
  const opts = optionArgs(options);
  return derive(
    receiver,
    receiver.toProtos().map((input): ProtoExpr => ({
      kind: {
        $case: "function",
        value: { name, args: [{ value: { $case: "expr", value: input } }, ...rest], options: opts },
      },
    })),
  );
}

/** The node of a call of the top-level server-side function `name` ("pl.concatList"). */
export function functionProto(
  name: string,
  args: readonly ArgValue[] = [],
  options: ArgOptions = {},
): ProtoExpr {
  return {
    kind: {
      $case: "function",
      value: { name, args: args.map(toArg), options: optionArgs(options) },
    },
  };
}
