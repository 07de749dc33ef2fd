/**
 * Test helper: the server-side function call an SDK Expr records, in plain values.
 *
 * @module
 */

import type { Arg } from "../../shared/gen/polaroid/v1/expr.ts";
import type { ExprNode } from "./call.ts";

/** An argument as a plain value: an expression by its kind, a list item by item. */
function plain(arg: Arg): unknown {
  const v = arg.value;
  switch (v?.$case) {
    case "expr":
      return `<${v.value.kind?.$case}>`;
    case "list":
      return v.value.items.map(plain);
    case "null":
      return null;
    case "dtype":
      return `<dtype ${v.value.kind}>`;
    default:
      return v?.value;
  }
}

/** The function call an Expr records: its name, arguments after the receiver, options. */
export function recorded(expr: ExprNode): { name: string; args: unknown[]; options: unknown } {
  const kind = expr.toProto().kind;
  if (kind?.$case !== "function") throw new Error(`not a function call: ${kind?.$case}`);
  const { name, args, options } = kind.value;
  return {
    name,
    args: args.slice(1).map(plain),
    options: Object.fromEntries(Object.entries(options).map(([k, a]) => [k, plain(a)])),
  };
}
