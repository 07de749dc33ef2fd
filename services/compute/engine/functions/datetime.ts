/**
 * Temporal functions (`expr.dt`): entries named "dt.<method>", with nodejs-polars' argument
 * order. Parts, formatting, truncation, time zones and exact timestamps live here; offsetBy
 * in datetime_offset.ts.
 *
 * @module
 */

import pl, { _Expr } from "nodejs-polars";
import type { Call } from "./call.ts";
import { DATETIME_OFFSET_FUNCTIONS } from "./datetime_offset.ts";
import { type FunctionSpec, type FunctionTable, unary } from "./spec.ts";
import { int64 } from "./string_args.ts";
import { ambiguousArg, checkZone } from "./string_parse.ts";

const UNITS = ["ns", "us", "ms"] as const;
const EPOCH_UNITS = ["ns", "us", "ms", "s", "d"] as const;
const NON_EXISTENT = ["raise", "null"] as const;

function native(method: string): FunctionSpec {
  return unary((input) => _Expr(input._expr[method]()));
}

function floorDiv(a: pl.Expr, b: pl.Expr): pl.Expr {
  return _Expr(a._expr.floordiv(b._expr));
}

/** A part derived by integer division of another part (typed as the engine types it). */
function divided(
  method: "month" | "nanosecond",
  type: pl.DataType,
  by: number,
  plus = 0,
): FunctionSpec {
  const lit = (n: number) => pl.lit(n).cast(type);
  return unary((input) => {
    const part = _Expr(input._expr[method]());
    const base = method === "month" ? part.sub(lit(1)) : part;
    const q = floorDiv(base, lit(by));
    return plus === 0 ? q : q.add(lit(plus));
  });
}

/** Python Polars' timestamp(unit): the value cast to a naive Datetime of that unit, as Int64. */
function timestampIn(input: pl.Expr, unit: (typeof UNITS)[number]): pl.Expr {
  return input.cast(pl.Datetime(unit)).cast(pl.Int64);
}

function timestamp(call: Call): pl.Expr {
  const input = call.expr(0);
  // No unit: milliseconds, as nodejs-polars (Python Polars defaults to "us").
  return call.isNull(1) ? input.dt.timestamp() : timestampIn(input, call.string(1, UNITS));
}

function epoch(call: Call): pl.Expr {
  const input = call.expr(0);
  const unit = call.string(1, EPOCH_UNITS, "us");
  switch (unit) {
    case "s": {
      // Python Polars: milliseconds divided by 1000 in Rust integer division (toward zero).
      const ms = timestampIn(input, "ms");
      const thousand = int64(1000);
      // The input leads each branch so that the result keeps its name (as Python Polars').
      const minusOne = int64(-1);
      return pl.when(ms.lt(int64(0)))
        .then(floorDiv(ms.mul(minusOne), thousand).mul(minusOne))
        .otherwise(floorDiv(ms, thousand));
    }
    case "d":
      return input.cast(pl.Date).cast(pl.Int32);
    default:
      return timestampIn(input, unit);
  }
}

function replaceTimeZone(call: Call): pl.Expr {
  const input = call.expr(0);
  const ambiguous = ambiguousArg(call, 2)._expr;
  const nonExistent = call.string(3, NON_EXISTENT, "raise");
  if (call.isNull(1)) {
    // Python Polars: null removes the zone, keeping the wall clock (nodejs-polars sets UTC).
    // Wall clock as UTC, then naive: epoch(ns) + (x - epoch(ns, UTC)) keeps x's unit.
    const utc = _Expr(input._expr.dtReplaceTimeZone("UTC", ambiguous, nonExistent));
    const epoch = (zone?: string) => int64(0).cast(pl.Datetime("ns", zone));
    return epoch().add(utc.sub(epoch("UTC")));
  }
  const zone = call.string(1);
  checkZone(call, 1, zone);
  return _Expr(input._expr.dtReplaceTimeZone(zone, ambiguous, nonExistent));
}

function everyArg(call: Call): pl.Expr {
  return call.kind(1) === "expr" ? call.expr(1) : pl.lit(call.string(1));
}

const DATETIME_PART_FUNCTIONS: FunctionTable = {
  "dt.year": native("year"),
  "dt.quarter": divided("month", pl.Int8, 3, 1),
  "dt.month": native("month"),
  "dt.week": native("week"),
  "dt.weekday": native("weekday"),
  "dt.day": native("day"),
  "dt.ordinalDay": native("ordinalDay"),
  "dt.hour": native("hour"),
  "dt.minute": native("minute"),
  "dt.second": native("second"),
  "dt.millisecond": divided("nanosecond", pl.Int32, 1_000_000),
  "dt.microsecond": divided("nanosecond", pl.Int32, 1_000),
  "dt.nanosecond": native("nanosecond"),
};

/** Temporal functions (`expr.dt`). */
export const DATETIME_FUNCTIONS: FunctionTable = {
  ...DATETIME_PART_FUNCTIONS,
  ...DATETIME_OFFSET_FUNCTIONS,
  "dt.strftime": {
    args: [2, 2],
    build: (call) => call.expr(0).dt.strftime(call.string(1)),
  },
  "dt.timestamp": { args: [1, 2], build: timestamp },
  "dt.epoch": { args: [1, 2], build: epoch },
  "dt.castTimeUnit": {
    args: [2, 2],
    build: (call) => _Expr(call.expr(0)._expr.dtCastTimeUnit(call.string(1, UNITS))),
  },
  "dt.truncate": {
    args: [2, 2],
    build: (call) => _Expr(call.expr(0)._expr.dtTruncate(everyArg(call)._expr)),
  },
  "dt.round": {
    args: [2, 2],
    build: (call) => _Expr(call.expr(0)._expr.dtRound(everyArg(call)._expr)),
  },
  "dt.convertTimeZone": {
    args: [2, 2],
    build: (call) => {
      const zone = call.string(1);
      checkZone(call, 1, zone);
      return _Expr(call.expr(0)._expr.dtConvertTimeZone(zone));
    },
  },
  "dt.replaceTimeZone": { args: [2, 4], build: replaceTimeZone },
};
