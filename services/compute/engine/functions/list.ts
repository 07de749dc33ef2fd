/**
 * List functions (`expr.lst`): entries named "lst.<method>", with nodejs-polars' argument
 * order and defaults.
 *
 * @module
 */

import pl, { _Expr } from "nodejs-polars";
import type { Call } from "./call.ts";
import { type FunctionSpec, type FunctionTable, unary } from "./spec.ts";
import { exprOrInt, exprOrLit, exprOrString, int64 } from "./string_args.ts";

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const NULL_BEHAVIORS = ["ignore", "drop"] as const;

function native(method: string): FunctionSpec {
  return unary((input) => _Expr(input._expr[method]()));
}

function get(input: pl.Expr, index: pl.Expr, nullOnOob: boolean): pl.Expr {
  return _Expr(input._expr.listGet(index._expr, nullOnOob));
}

function slice(input: pl.Expr, offset: pl.Expr, length: pl.Expr): pl.Expr {
  return _Expr(input._expr.listSlice(offset._expr, length._expr));
}

function ends(first: boolean): FunctionSpec {
  return unary((input) => get(input, int64(first ? 0 : -1), true));
}

function part(head: boolean): FunctionSpec {
  return {
    args: [1, 2],
    build: (call) => {
      const n = call.int(1, { min: 0, max: INT32.max }, 5);
      return slice(call.expr(0), int64(head ? 0 : -n), int64(n));
    },
  };
}

function perElement(fn: (element: pl.Expr) => pl.Expr): FunctionSpec {
  return unary((input) => _Expr(input._expr.listEval(fn(pl.element())._expr)));
}

function join(call: Call): pl.Expr {
  const separator = call.isNull(1) ? pl.lit(",") : exprOrString(call, 1);
  return _Expr(call.expr(0)._expr.listJoin(separator._expr, call.bool(2, false)));
}

/** List functions (`expr.lst`). */
export const LIST_FUNCTIONS: FunctionTable = {
  "lst.argMin": native("listArgMin"),
  "lst.argMax": native("listArgMax"),
  "lst.lengths": native("listLengths"),
  "lst.max": native("listMax"),
  "lst.mean": native("listMean"),
  "lst.min": native("listMin"),
  "lst.sum": native("listSum"),
  "lst.first": ends(true),
  "lst.last": ends(false),
  "lst.head": part(true),
  "lst.tail": part(false),
  "lst.reverse": perElement((e) => e.reverse()),
  "lst.unique": perElement((e) => e.unique()),
  "lst.concat": {
    args: [2, 2],
    build: (call) => pl.concatList([call.expr(0), ...call.exprs(1)]),
  },
  "lst.contains": {
    args: [2, 3],
    build: (call) =>
      _Expr(call.expr(0)._expr.listContains(exprOrLit(call, 1)._expr, call.bool(2, true))),
  },
  "lst.diff": {
    args: [1, 3],
    build: (call) =>
      _Expr(
        call.expr(0)._expr.listDiff(
          call.int(1, INT32, 1),
          call.string(2, NULL_BEHAVIORS, "ignore"),
        ),
      ),
  },
  "lst.get": {
    args: [2, 3],
    build: (call) => get(call.expr(0), exprOrInt(call, 1), call.bool(2, true)),
  },
  "lst.eval": {
    args: [2, 2],
    build: (call) => _Expr(call.expr(0)._expr.listEval(call.expr(1)._expr)),
  },
  "lst.join": { args: [1, 3], build: join },
  "lst.shift": {
    args: [2, 2],
    build: (call) => _Expr(call.expr(0)._expr.listShift(exprOrInt(call, 1, INT32)._expr)),
  },
  "lst.slice": {
    args: [2, 3],
    build: (call) =>
      slice(
        call.expr(0),
        exprOrInt(call, 1),
        call.isNull(2) ? pl.lit(null) : exprOrInt(call, 2, { min: 0 }),
      ),
  },
  "lst.sort": {
    args: [1, 2],
    build: (call) => _Expr(call.expr(0)._expr.listSort(call.bool(1, false))),
  },
};
