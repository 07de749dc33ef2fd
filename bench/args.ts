/**
 * Command-line options of the benchmarks: `--name value` pairs.
 *
 * @module
 */

/** The text after `--name`, or undefined when the option is absent. */
export function optionText(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? undefined : args[i + 1];
}

/** A positive integer option; RangeError naming the option when it is not one. */
export function intOption(args: readonly string[], name: string, fallback: number): number {
  const text = optionText(args, name);
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isSafeInteger(n) || n <= 0) {
    throw new RangeError(`--${name} must be a positive integer: current value is ${text}`);
  }
  return n;
}

/**
 * The names a `--name a,b` option lists, each one of `all` (every one when the option is
 * absent); RangeError naming the option for an unknown or empty list.
 */
export function listOption<T extends string>(
  name: string,
  all: readonly T[],
  text: string | undefined,
): Set<T> {
  if (text === undefined) return new Set(all);
  const names = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const bad = names.filter((n) => !(all as readonly string[]).includes(n));
  if (names.length === 0 || bad.length > 0) {
    throw new RangeError(
      `--${name} must be a comma-separated list of ${all.join(", ")}: current value is ${text}`,
    );
  }
  return new Set(names as T[]);
}
