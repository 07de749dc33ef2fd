/**
 * String parsing and encoding (`expr.str`): strptime with any time unit and time zone, JSON
 * decoding and JSON path matching, hex and base64.
 *
 * @module
 */

import pl, { _Expr } from "nodejs-polars";
import { DataType_Kind as Kind } from "../../../../shared/gen/polaroid/v1/types.ts";
import { unitName } from "../dtypes.ts";
import type { ArgKey, Call } from "./call.ts";
import type { FunctionTable } from "./spec.ts";

const ENCODINGS = ["hex", "base64"] as const;
const AMBIGUOUS = ["raise", "earliest", "latest", "null"] as const;

/**
 * Refuses a time zone the engine does not know. The binding does not throw for one: it
 * builds an expression that prints as "Error: ..." and fails when the query runs.
 */
export function checkZone(call: Call, key: ArgKey, zone: string): void {
  const probe = String(pl.lit(null)._expr.dtConvertTimeZone(zone).toString());
  if (probe.startsWith("Error:")) {
    const reason = probe.replace(/^Error:\s*/, "").split("\n")[0];
    call.fail(key, `name a time zone the engine knows (${reason})`, zone);
  }
}

/** A string option, or an expression, as the engine's `ambiguous` argument. */
export function ambiguousArg(call: Call, key: ArgKey): pl.Expr {
  return call.kind(key) === "expr" ? call.expr(key) : pl.lit(call.string(key, AMBIGUOUS, "raise"));
}

/**
 * strptime(dtype, fmt?) with options strict, exact, cache (all false by default, as
 * nodejs-polars passes them) and ambiguous ("raise"). A Datetime keeps its time unit and
 * time zone; the string "Datetime" (the type given uninstantiated) lets the engine infer the
 * unit from the format, as nodejs-polars does for every Datetime.
 */
function strptime(call: Call): pl.Expr {
  const input = call.expr(0)._expr;
  const format = call.maybeString(2);
  const strict = call.bool("strict", false);
  const exact = call.bool("exact", false);
  const cache = call.bool("cache", false);
  if (call.kind(1) === "string") {
    call.string(1, ["Datetime"]);
    return _Expr(
      input.strToDatetime(
        format,
        undefined,
        undefined,
        strict,
        exact,
        cache,
        ambiguousArg(call, "ambiguous"),
      ),
    );
  }
  const dtype = call.protoDtype(1);
  if (dtype.kind === Kind.KIND_DATE) {
    if (call.has("ambiguous")) call.fail("ambiguous", "be unset for a Date", "set");
    return _Expr(input.strToDate(format, strict, exact, cache));
  }
  if (dtype.kind !== Kind.KIND_DATETIME) {
    return call.fail(1, "be Date or Datetime", Kind[dtype.kind] ?? dtype.kind);
  }
  const zone = dtype.timeZone === "" ? undefined : dtype.timeZone;
  if (zone !== undefined) checkZone(call, 1, zone);
  const ambiguous = ambiguousArg(call, "ambiguous");
  return _Expr(
    input.strToDatetime(
      format,
      unitName(dtype.timeUnit),
      zone,
      strict,
      exact,
      cache,
      ambiguous,
    ),
  );
}

/** Parsing and encoding functions of `expr.str`. */
export const STRING_PARSE_FUNCTIONS: FunctionTable = {
  "str.strptime": {
    args: [2, 3],
    options: ["strict", "exact", "cache", "ambiguous"],
    build: strptime,
  },
  "str.jsonDecode": {
    args: [2, 2],
    build: (call) => _Expr(call.expr(0)._expr.strJsonDecode(call.dtype(1))),
  },
  "str.jsonPathMatch": {
    args: [2, 2],
    build: (call) => call.expr(0).str.jsonPathMatch(call.string(1)),
  },
  // The result holds Binary values (Python Polars' type); the engine declares it String.
  "str.decode": {
    args: [2, 3],
    build: (call) => call.expr(0).str.decode(call.string(1, ENCODINGS), call.bool(2, false)),
  },
  "str.encode": {
    args: [2, 2],
    build: (call) => call.expr(0).str.encode(call.string(1, ENCODINGS)),
  },
};
