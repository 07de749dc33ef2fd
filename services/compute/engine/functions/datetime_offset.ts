/**
 * `dt.offsetBy(by)`, Python Polars' `dt.offset_by`, which nodejs-polars lacks. The engine's
 * binding exposes no offset function and an expression cannot see its input's type, so the
 * offset is exact integer arithmetic in nanoseconds that works for Date and Datetime of any
 * unit and time zone alike:
 *
 * - an Int64 count of nanoseconds cast to Duration("ns") and added to x keeps x's type
 *   (truncated to x's unit, as Polars adds a duration), so any instant is reached from x;
 * - calendar parts (mo/q/y, w, d) move the local wall-clock time: the UTC offset of an
 *   instant is read from its text form ("...-05:00"; naive values and dates have none), the
 *   target wall time is computed (months clamp the day to the month's end, as Polars does),
 *   then placed back in the zone with the offsets one day before and after it; a target that
 *   falls in a daylight-saving gap or overlap fails the query, as Polars raises;
 * - the fixed part (ns to h) is then added to the instant, truncated to x's unit as Polars
 *   does (a Date floors to the day).
 *
 * A duration may combine fixed units with at most one calendar unit (Polars applies mixed
 * calendar units inconsistently in time zones): chain offsetBy calls to combine them.
 * Offsets are read to the minute (the text form has no seconds), which is exact for every
 * zone since local mean time ended (around 1900). Calendar units cost about 10 µs per row
 * (text round trips); fixed units run at the engine's speed.
 *
 * @module
 */

import pl, { _Expr } from "nodejs-polars";
import type { Call } from "./call.ts";
import { type Duration, parseDuration } from "./datetime_duration.ts";
import type { FunctionTable } from "./spec.ts";
import { int64, zeroUnless } from "./string_args.ts";

/** Largest calendar part of an offset: 100 years (the result must fit Int64 nanoseconds). */
export const MAX_OFFSET = { months: 1200, weeks: 5218, days: 36_525 } as const;

const NS_PER_DAY = 86_400_000_000_000n;
/** Largest fixed part of an offset: 100 years' worth of days, in nanoseconds. */
const MAX_NANOS = BigInt(MAX_OFFSET.days) * NS_PER_DAY;
const EPOCH_WALL = "1970-01-01 00:00:00";
const OFFSET_FORMAT = "%Y-%m-%d %H:%M:%S%:z";

function floorDiv(a: pl.Expr, b: pl.Expr | number): pl.Expr {
  return _Expr(a._expr.floordiv((typeof b === "number" ? int64(b) : b)._expr));
}

function flag(condition: pl.Expr): pl.Expr {
  return condition.cast(pl.Int64);
}

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). The
 * date functions here use arithmetic on 0/1 flags rather than when/then, which the engine
 * shares less well between the many copies of a subexpression this module builds.
 */
function civilDays(y: pl.Expr, m: pl.Expr, d: pl.Expr): pl.Expr {
  const early = flag(m.ltEq(int64(2)));
  const year = y.sub(early);
  const era = floorDiv(year, 400);
  const yoe = year.sub(era.mul(int64(400)));
  const mp = m.sub(int64(3)).add(early.mul(int64(12)));
  const doy = floorDiv(mp.mul(int64(153)).add(int64(2)), 5).add(d).sub(int64(1));
  const doe = yoe.mul(int64(365)).add(floorDiv(yoe, 4)).sub(floorDiv(yoe, 100)).add(doy);
  return era.mul(int64(146_097)).add(doe).sub(int64(719_468));
}

function daysInMonth(y: pl.Expr, m: pl.Expr): pl.Expr {
  const divides = (n: number) => y.sub(floorDiv(y, n).mul(int64(n))).eq(int64(0));
  const leap = flag(divides(4).and(divides(100).not()).or(divides(400)));
  const short = flag(m.eq(int64(4)).or(m.eq(int64(6))).or(m.eq(int64(9))).or(m.eq(int64(11))));
  const february = flag(m.eq(int64(2)));
  return int64(31).sub(short).sub(february.mul(int64(3).sub(leap)));
}

function nanos(n: pl.Expr | bigint): pl.Expr {
  return (typeof n === "bigint" ? int64(n) : n).cast(pl.Duration("ns"));
}

/** x's instant in nanoseconds since the epoch (a Date: its midnight UTC). */
function instant(x: pl.Expr): pl.Expr {
  return x.cast(pl.Datetime("ns")).cast(pl.Int64);
}

/** The value of x's type at `ns` (nanoseconds since the epoch). */
function at(x: pl.Expr, ns: pl.Expr): pl.Expr {
  return x.add(nanos(ns.sub(instant(x))));
}

/**
 * The UTC offset of a value, in nanoseconds, read from the end of its text ("...-05:00",
 * parsed as the offset of the epoch's wall time); 0 for a Date or a naive value.
 */
function offsetOf(value: pl.Expr): pl.Expr {
  const zone = pl.lit(EPOCH_WALL).add(value.cast(pl.Utf8).str.slice(-6));
  const utc = _Expr(
    zone._expr.strToDatetime(OFFSET_FORMAT, "ns", "UTC", false, true, true, pl.lit("raise")),
  );
  return int64(0).sub(utc.cast(pl.Int64)).fillNull(int64(0));
}

/** The local wall time moved by the calendar part, in nanoseconds. */
function targetWall(x: pl.Expr, d: Duration): pl.Expr {
  const wall = instant(x).add(offsetOf(x));
  if (d.months === 0) return wall.add(int64(BigInt(d.days + 7 * d.weeks) * NS_PER_DAY));
  const y = x.dt.year().cast(pl.Int64);
  const m = x.dt.month().cast(pl.Int64);
  const day = x.dt.day().cast(pl.Int64);
  const timeOfDay = wall.sub(civilDays(y, m, day).mul(int64(NS_PER_DAY)));
  const total = y.mul(int64(12)).add(m).sub(int64(1)).add(int64(d.months));
  const y2 = floorDiv(total, 12);
  const m2 = total.sub(y2.mul(int64(12))).add(int64(1));
  const last = daysInMonth(y2, m2);
  const clamped = day.sub(day.sub(last).mul(flag(day.gt(last))));
  return civilDays(y2, m2, clamped).mul(int64(NS_PER_DAY)).add(timeOfDay);
}

const LOCAL_TIME_ERROR =
  "Cannot offset a datetime as the result is a local time that does not exist or is ambiguous in its time zone (a daylight-saving change)";

/**
 * x moved to the instant showing the local wall time `wall`, found with the zone's offsets
 * one day before and after it; a wall time in a gap or an overlap fails the query.
 */
function localize(x: pl.Expr, wall: pl.Expr): pl.Expr {
  const offsetAt = (ns: pl.Expr) => offsetOf(at(x, ns));
  const before = offsetAt(wall.sub(int64(NS_PER_DAY)));
  const after = offsetAt(wall.add(int64(NS_PER_DAY)));
  const early = wall.sub(before);
  const late = wall.sub(after);
  const earlyValid = offsetAt(early).eq(before);
  const lateValid = offsetAt(late).eq(after);
  const bad = before.neq(after).and(earlyValid.eq(lateValid));
  // early when valid, else late.
  const moved = late.add(early.sub(late).mul(flag(earlyValid)));
  return at(x, moved.add(zeroUnless(bad, LOCAL_TIME_ERROR)));
}

/**
 * y moved by the fixed part, truncated to y's unit; the engine adds a duration to a Date
 * through Datetime(ms) and floors back to the day, as Python Polars' offset_by does.
 */
function addFixed(y: pl.Expr, fixed: bigint): pl.Expr {
  return fixed >= 0n ? y.add(nanos(fixed)) : y.sub(nanos(-fixed));
}

function checkBounds(call: Call, by: string, d: Duration): void {
  const calendar = [d.months, d.weeks, d.days].filter((n) => n !== 0).length;
  if (calendar > 1) {
    call.fail(1, "use at most one calendar unit (mo/q/y, w or d): chain offsetBy calls", by);
  }
  const big = Math.abs(d.months) > MAX_OFFSET.months || Math.abs(d.weeks) > MAX_OFFSET.weeks ||
    Math.abs(d.days) > MAX_OFFSET.days || d.nanos > MAX_NANOS || -d.nanos > MAX_NANOS;
  if (big) call.fail(1, "span at most 100 years in its calendar part and in its fixed part", by);
}

function offsetBy(call: Call): pl.Expr {
  if (call.kind(1) === "expr") return call.fail(1, "be a duration string", "an expression");
  const by = call.string(1);
  const d = parseDuration(by);
  if (typeof d === "string") return call.fail(1, d, by);
  checkBounds(call, by, d);
  const x = call.expr(0);
  const calendar = d.months !== 0 || d.weeks !== 0 || d.days !== 0;
  const moved = calendar ? localize(x, targetWall(x, d)) : x;
  return d.nanos === 0n ? moved : addFixed(moved, d.nanos);
}

/** `dt.offsetBy`. */
export const DATETIME_OFFSET_FUNCTIONS: FunctionTable = {
  "dt.offsetBy": { args: [2, 2], build: offsetBy },
};
