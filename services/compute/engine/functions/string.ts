/**
 * String functions (`expr.str`): entries named "str.<method>", with nodejs-polars' argument
 * order. Matching, replacing, case, stripping, slicing and splitting live here; parsing and
 * encoding in string_parse.ts, padding (bounded widths) in string_pad.ts.
 *
 * @module
 */

import pl, { _Expr } from "nodejs-polars";
import type { Call } from "./call.ts";
import { type FunctionSpec, type FunctionTable, unary } from "./spec.ts";
import { exprOrInt, exprOrLit, exprOrString } from "./string_args.ts";
import { STRING_PAD_FUNCTIONS } from "./string_pad.ts";
import { STRING_PARSE_FUNCTIONS } from "./string_parse.ts";

/** A native method of the receiver taking nothing but the receiver. */
function native(method: string): FunctionSpec {
  return unary((input) => _Expr(input._expr[method]()));
}

/** strip_chars on either or both ends; a null or absent pattern strips whitespace. */
function stripChars(start: boolean, end: boolean): FunctionSpec {
  return {
    args: [1, 2],
    build: (call) => _Expr(call.expr(0)._expr.strStripChars(exprOrLit(call, 1)._expr, start, end)),
  };
}

function replace(call: Call): pl.Expr {
  const literal = call.bool(3, false);
  const n = call.int(4, { min: 0 }, 1);
  if (!literal && n !== 1) {
    // The engine's binding replaces only the first regex match (its n applies to literals).
    call.fail(4, "be 1 for a regex pattern (use replaceAll, or literal: true)", n);
  }
  return _Expr(
    call.expr(0)._expr.strReplace(exprOrLit(call, 1)._expr, exprOrLit(call, 2)._expr, literal, n),
  );
}

function split(call: Call): pl.Expr {
  const input = call.expr(0);
  const by = exprOrString(call, 1);
  // nodejs-polars drops `inclusive`; the engine's inclusive split keeps each separator.
  return call.bool(2, false)
    ? _Expr(input._expr.strSplitInclusive(by))
    : _Expr(input._expr.strSplit(by._expr));
}

function slice(call: Call): pl.Expr {
  const length = call.isNull(2) ? pl.lit(null) : exprOrInt(call, 2, { min: 0 });
  return _Expr(call.expr(0)._expr.strSlice(exprOrInt(call, 1)._expr, length._expr));
}

const STRING_TEXT_FUNCTIONS: FunctionTable = {
  "str.concat": {
    args: [2, 3],
    build: (call) => _Expr(call.expr(0)._expr.strConcat(call.string(1), call.bool(2, true))),
  },
  "str.contains": {
    args: [2, 4],
    build: (call) =>
      _Expr(
        call.expr(0)._expr.strContains(
          exprOrLit(call, 1)._expr,
          call.bool(2, false),
          call.bool(3, true),
        ),
      ),
  },
  "str.startsWith": {
    args: [2, 2],
    build: (call) => _Expr(call.expr(0)._expr.strStartsWith(exprOrLit(call, 1)._expr)),
  },
  "str.endsWith": {
    args: [2, 2],
    build: (call) => _Expr(call.expr(0)._expr.strEndsWith(exprOrLit(call, 1)._expr)),
  },
  "str.extract": {
    args: [3, 3],
    build: (call) =>
      _Expr(
        call.expr(0)._expr.strExtract(
          exprOrLit(call, 1)._expr,
          call.int(2, { min: 0, max: 0xffff }),
        ),
      ),
  },
  "str.replace": { args: [3, 5], build: replace },
  "str.replaceAll": {
    args: [3, 4],
    build: (call) =>
      _Expr(
        call.expr(0)._expr.strReplaceAll(
          exprOrLit(call, 1)._expr,
          exprOrLit(call, 2)._expr,
          call.bool(3, false),
        ),
      ),
  },
  // The engine's char count is declared with its input's type (String); the cast states
  // UInt32, so arithmetic on the result plans correctly (Python Polars' len_chars).
  "str.lengths": unary((e) => _Expr(e._expr.strLengths()).cast(pl.UInt32)),
  "str.toLowerCase": native("strToLowercase"),
  "str.toUpperCase": native("strToUppercase"),
  "str.strip": native("strStrip"),
  "str.lstrip": native("strLstrip"),
  "str.rstrip": native("strRstrip"),
  "str.stripChars": stripChars(true, true),
  "str.stripCharsStart": stripChars(true, false),
  "str.stripCharsEnd": stripChars(false, true),
  "str.slice": { args: [2, 3], build: slice },
  "str.split": { args: [2, 3], build: split },
};

/** String functions (`expr.str`). */
export const STRING_FUNCTIONS: FunctionTable = {
  ...STRING_TEXT_FUNCTIONS,
  ...STRING_PARSE_FUNCTIONS,
  ...STRING_PAD_FUNCTIONS,
};
