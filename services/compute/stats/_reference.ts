// Runs services/compute/stats/reference.py (statsmodels) on a batch of cases and compares.
import assert from "node:assert/strict";
import { runPython } from "../../../scripts/_python.ts";

/** One reference computation: a function name known to reference.py and its arguments. */
export interface ReferenceCase {
  readonly fn: string;
  readonly args: Record<string, unknown>;
}

/** A JSON result object from reference.py. */
export type ReferenceResult = Record<string, unknown>;

const SCRIPT = new URL("./reference.py", import.meta.url).pathname;

function toJson(cases: readonly ReferenceCase[]): string {
  return JSON.stringify({ cases }, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v));
}

/**
 * Runs the reference script with python3; fails loudly when python3 or statsmodels is absent.
 */
export async function reference(cases: readonly ReferenceCase[]): Promise<ReferenceResult[]> {
  const input = await Deno.makeTempFile({ prefix: "polaroid-stats-", suffix: ".json" });
  try {
    await Deno.writeTextFile(input, toJson(cases));
    const stdout = await runPython(SCRIPT, await Deno.readTextFile(input));
    const parsed = JSON.parse(stdout) as {
      results: ReferenceResult[];
    };
    return parsed.results;
  } finally {
    await Deno.remove(input);
  }
}

/** Converts a reference value (numbers, "inf"/"nan" strings) to a number. */
export function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  if (v === "nan") return NaN;
  throw new TypeError(`expected a number, got ${JSON.stringify(v)}`);
}

/** Asserts |actual - expected| <= rel * |expected| (absolute floor 1e-12). */
export function assertRel(actual: number, expected: unknown, rel: number, what: string): void {
  const e = num(expected);
  if (Number.isNaN(e) && Number.isNaN(actual)) return;
  if (actual === e) return;
  const tol = Math.max(rel * Math.abs(e), 1e-12);
  assert.ok(
    Math.abs(actual - e) <= tol,
    `${what}: got ${actual}, statsmodels ${e} (diff ${Math.abs(actual - e)} > ${tol})`,
  );
}

/** Asserts |actual - expected| <= abs. */
export function assertAbs(actual: number, expected: unknown, abs: number, what: string): void {
  const e = num(expected);
  if (actual === e) return;
  assert.ok(
    Math.abs(actual - e) <= abs,
    `${what}: got ${actual}, statsmodels ${e} (diff ${Math.abs(actual - e)} > ${abs})`,
  );
}

/** Asserts element-wise relative agreement of two vectors. */
export function assertRelAll(
  actual: ArrayLike<number>,
  expected: unknown,
  rel: number,
  what: string,
): void {
  const e = expected as unknown[];
  assert.equal(actual.length, e.length, `${what}: length`);
  for (let i = 0; i < e.length; i++) assertRel(actual[i]!, e[i], rel, `${what}[${i}]`);
}

/** Statistics tolerance of the reference tests (relative). */
export const STAT_REL = 1e-6;
/** p-value tolerance of the reference tests (absolute). */
export const P_ABS = 1e-4;
