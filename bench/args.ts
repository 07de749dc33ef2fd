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
