/**
 * Polars' duration language ("1h30m", "1mo", "-2d", "10i"), parsed to check plans before
 * they reach the engine (Polars panics on some malformed durations) and to bound the
 * number of windows a dynamic group-by allocates.
 *
 * @module
 */

import { InvalidPlanError } from "../../../shared/errors.ts";

/** A parsed duration. */
export interface Duration {
  /** True when the text starts with "-". */
  negative: boolean;
  /** Calendar months ("mo", "q" = 3, "y" = 12). */
  months: number;
  /** The fixed part, in nanoseconds ("ns" ... "w"). */
  nanos: number;
  /** Index counts ("i"), for integer index columns. */
  index: number;
}

const NANOS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  "µs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86_400e9,
  w: 604_800e9,
};

const MONTHS: Readonly<Record<string, number>> = { mo: 1, q: 3, y: 12 };

/** Shortest calendar month, in nanoseconds (February). */
const MIN_MONTH_NANOS = 28 * 86_400e9;

const PART = /(\d+)(ns|us|µs|ms|mo|s|m|h|d|w|q|y|i)/y;

/** Longest duration text accepted. */
const MAX_LENGTH = 100;

function invalid(field: string, text: string): never {
  throw new InvalidPlanError(
    `Cannot run the plan as '${field}' must be a Polars duration such as "1h30m", "1mo" or "10i": current value is ${
      JSON.stringify(text.slice(0, MAX_LENGTH))
    }`,
  );
}

/** Parses `text`; throws InvalidPlanError naming `field` when it is not a duration. */
export function parseDuration(text: string, field: string): Duration {
  if (text.length === 0 || text.length > MAX_LENGTH) invalid(field, text);
  const negative = text.startsWith("-");
  const duration: Duration = { negative, months: 0, nanos: 0, index: 0 };
  PART.lastIndex = negative ? 1 : 0;
  if (PART.lastIndex === text.length) invalid(field, text);
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (match === null) invalid(field, text);
    const count = Number(match[1]);
    const unit = match[2]!;
    if (!Number.isSafeInteger(count)) invalid(field, text);
    if (unit === "i") duration.index += count;
    else if (unit in MONTHS) duration.months += count * MONTHS[unit]!;
    else duration.nanos += count * NANOS[unit]!;
  }
  if (duration.index > 0 && (duration.months > 0 || duration.nanos > 0)) invalid(field, text);
  return duration;
}

/** Whether the duration is zero ("0ns", "0i"). */
export function isZero(d: Duration): boolean {
  return d.months === 0 && d.nanos === 0 && d.index === 0;
}

/**
 * A lower bound of the span the duration covers, in units of an index column: `unitNanos`
 * nanoseconds per unit for temporal columns (calendar months counted as 28 days), or index
 * counts when `unitNanos` is undefined (integer columns). A unit that does not suit the
 * column counts as one unit (Polars refuses it; the bound stays safe). A negative duration
 * gives its absolute length.
 */
export function shortestSpan(d: Duration, unitNanos: number | undefined): number {
  if (unitNanos === undefined) return d.index > 0 ? d.index : 1;
  if (d.index > 0) return 1;
  return (d.nanos + d.months * MIN_MONTH_NANOS) / unitNanos;
}
