/**
 * Argument checks of the finance operations (`lf.finance`): column names, windows and
 * numeric parameters, refused in the SDK before a plan is built.
 *
 * @module
 */

/** Per-symbol grouping: one column name or several. */
export type ByColumns = string | string[];

function shown(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  return JSON.stringify(value) ?? String(value);
}

/** A non-empty column name, or a TypeError naming `what`. */
export function columnName(op: string, what: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw new TypeError(
      `Cannot compute ${op} as '${what}' must be a column name: current value is ${shown(value)}`,
    );
  }
  return value;
}

/** The `by` columns as a list (empty when absent). */
export function byColumns(op: string, by: unknown): string[] {
  if (by === undefined) return [];
  const list = Array.isArray(by) ? by : [by];
  list.forEach((name) => columnName(op, "by", name));
  return list as string[];
}

/** An integer in [min, 2^32 - 1], or a RangeError (a TypeError when not a number). */
export function integer(op: string, what: string, value: unknown, min: number): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Cannot compute ${op} as '${what}' must be a number: current value is ${shown(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < min || value > 2 ** 32 - 1) {
    throw new RangeError(
      `Cannot compute ${op} as '${what}' must be an integer in [${min}, 4294967295]: ` +
        `current value is ${value}`,
    );
  }
  return value;
}

/** A finite number with `check` true, or a RangeError saying `must`. */
export function real(
  op: string,
  what: string,
  value: unknown,
  must: string,
  check: (x: number) => boolean,
): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Cannot compute ${op} as '${what}' must be a number: current value is ${shown(value)}`,
    );
  }
  if (!Number.isFinite(value) || !check(value)) {
    throw new RangeError(
      `Cannot compute ${op} as '${what}' must be ${must}: current value is ${value}`,
    );
  }
  return value;
}

/** One of `choices`, or a TypeError listing them. */
export function oneOf<T extends string>(
  op: string,
  what: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (!choices.includes(value as T)) {
    throw new TypeError(
      `Cannot compute ${op} as '${what}' must be one of ${choices.join(", ")}: ` +
        `current value is ${shown(value)}`,
    );
  }
  return value as T;
}
