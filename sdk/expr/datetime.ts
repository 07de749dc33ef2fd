/**
 * Temporal functions of an expression (`expr.dt`), named as nodejs-polars' `ExprDateTime`,
 * plus Python Polars' functions nodejs-polars lacks (quarter, millisecond, microsecond,
 * epoch, exact timestamp units, offsetBy, castTimeUnit). Each method records a call of the
 * server-side function "dt.<method>".
 *
 * @module
 */

import type { TimeUnit } from "../datatypes.ts";
import {
  type ArgOptions,
  type ArgValue,
  callMethod,
  type ExprNode,
  type ExprNodeOf,
} from "./call.ts";
import { args } from "./_args.ts";

/** Units of `epoch`: a time unit, seconds or days. */
export type EpochUnit = TimeUnit | "s" | "d";

/** How a local time that occurs twice (a daylight-saving overlap) is resolved. */
export type Ambiguous = "raise" | "earliest" | "latest" | "null";

/** The calendar part of an offsetBy duration may span at most 100 years (server bound). */
export const MAX_OFFSET = { months: 1200, weeks: 5218, days: 36_525 } as const;

/** `expr.dt`: temporal functions. */
export class ExprDateTime<R> {
  readonly #expr: ExprNodeOf<R>;

  constructor(expr: ExprNodeOf<R>) {
    this.#expr = expr;
  }

  #call(method: string, list: readonly (ArgValue | undefined)[] = [], options: ArgOptions = {}) {
    return callMethod(this.#expr, `dt.${method}`, args(list), options);
  }

  /** The year (Int32). */
  year(): R {
    return this.#call("year");
  }
  /** The quarter, 1 to 4 (Int8). */
  quarter(): R {
    return this.#call("quarter");
  }
  /** The month, 1 to 12 (Int8). */
  month(): R {
    return this.#call("month");
  }
  /** The ISO week, 1 to 53 (Int8). */
  week(): R {
    return this.#call("week");
  }
  /** The ISO weekday, Monday 1 to Sunday 7 (Int8). */
  weekday(): R {
    return this.#call("weekday");
  }
  /** The day of the month, 1 to 31 (Int8). */
  day(): R {
    return this.#call("day");
  }
  /** The day of the year, 1 to 366 (Int16). */
  ordinalDay(): R {
    return this.#call("ordinalDay");
  }
  /** The hour, 0 to 23 (Int8). */
  hour(): R {
    return this.#call("hour");
  }
  /** The minute, 0 to 59 (Int8). */
  minute(): R {
    return this.#call("minute");
  }
  /** The second, 0 to 59 (Int8). */
  second(): R {
    return this.#call("second");
  }
  /** Milliseconds within the second (Int32). */
  millisecond(): R {
    return this.#call("millisecond");
  }
  /** Microseconds within the second (Int32). */
  microsecond(): R {
    return this.#call("microsecond");
  }
  /** Nanoseconds within the second (Int32). */
  nanosecond(): R {
    return this.#call("nanosecond");
  }
  /** Formats each value (chrono strftime syntax). */
  strftime(fmt: string): R {
    return this.#call("strftime", [fmt]);
  }
  /**
   * Time since 1970-01-01 UTC in `unit` (Int64), exactly (a Date counts from its midnight).
   * `unit` @default "ms" (nodejs-polars; Python Polars defaults to "us").
   */
  timestamp(unit?: TimeUnit): R {
    return this.#call("timestamp", [unit]);
  }
  /**
   * Time since 1970-01-01 UTC in `unit`: "ns", "us", "ms" as timestamp, "s" (Int64, toward
   * zero) or "d" (Int32). @default "us"
   */
  epoch(unit?: EpochUnit): R {
    return this.#call("epoch", [unit]);
  }
  /** The same instants in another time unit. */
  castTimeUnit(unit: TimeUnit): R {
    return this.#call("castTimeUnit", [unit]);
  }
  /** Each value moved to the start of its `every` bucket ("1h", "1d", "1mo", ...; local calendar). */
  truncate(every: string | ExprNode): R {
    return this.#call("truncate", [every]);
  }
  /** Each value moved to the nearest `every` bucket boundary (halfway goes to the start). */
  round(every: string | ExprNode): R {
    return this.#call("round", [every]);
  }
  /**
   * Each value moved by a duration ("1d", "-2h30m", "1mo", "1y"): calendar units (d, w, mo,
   * q, y) move the local wall-clock time (a result in a daylight-saving gap or overlap fails
   * the query), fixed units (ns to h) the instant. At most one calendar unit per call, and
   * each part at most 100 years (MAX_OFFSET). Fixed units run at the engine's speed;
   * calendar units are computed through the values' text (about 10 µs per row).
   */
  offsetBy(by: string): R {
    return this.#call("offsetBy", [by]);
  }
  /** The same instants shown in another time zone. */
  convertTimeZone(timeZone: string): R {
    return this.#call("convertTimeZone", [timeZone]);
  }
  /**
   * The same wall-clock times in another time zone (null: without one). `ambiguous`
   * @default "raise", `nonExistent` @default "raise".
   */
  replaceTimeZone(
    timeZone: string | null,
    ambiguous?: Ambiguous | ExprNode,
    nonExistent?: "raise" | "null",
  ): R {
    return this.#call("replaceTimeZone", [timeZone, ambiguous, nonExistent]);
  }
}
