/**
 * Polars' duration strings ("1d", "-2h30m", "1mo", "3q", "1y2w"): parsed into calendar parts
 * (months, weeks, days) and a fixed part (nanoseconds), as the engine reads them.
 *
 * @module
 */

/** A parsed duration; every part carries the sign. */
export interface Duration {
  /** Calendar months ("mo"; "q" is 3, "y" is 12). */
  months: number;
  /** Calendar weeks ("w"). */
  weeks: number;
  /** Calendar days ("d"). */
  days: number;
  /** The fixed part ("ns", "us", "ms", "s", "m", "h"), in nanoseconds. */
  nanos: bigint;
}

const NANOS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MONTHS: Readonly<Record<string, number>> = { mo: 1, q: 3, y: 12 };

/** Longest duration text accepted (digits beyond this cannot be meant). */
const MAX_TEXT = 64;

/** Parses a duration string, or returns why it is not one. */
export function parseDuration(text: string): Duration | string {
  if (text.length === 0 || text.length > MAX_TEXT) {
    return `be a duration of 1 to ${MAX_TEXT} characters such as "1d" or "-2h30m"`;
  }
  const negative = text.startsWith("-");
  const sign = negative ? -1n : 1n;
  const out: Duration = { months: 0, weeks: 0, days: 0, nanos: 0n };
  const part = /(\d+)(ns|us|ms|mo|s|m|h|d|w|q|y)/y;
  part.lastIndex = negative ? 1 : 0;
  if (part.lastIndex === text.length) return 'be a duration such as "1d" or "-2h30m"';
  while (part.lastIndex < text.length) {
    const match = part.exec(text);
    if (match === null) {
      return "be a duration of <integer><unit> parts with units ns, us, ms, s, m, h, d, w, mo, q, y";
    }
    const count = BigInt(match[1]!) * sign;
    const unit = match[2]!;
    if (unit in NANOS) out.nanos += count * NANOS[unit]!;
    else if (unit in MONTHS) out.months += Number(count) * MONTHS[unit]!;
    else if (unit === "w") out.weeks += Number(count);
    else out.days += Number(count);
  }
  return out;
}
