/**
 * Ratios and targets of `deno task bench`: each part compares Polaroid with a baseline and
 * states a target on the ratio, e.g. "≥ 0.8× raw TCP" or "≤ 1.2× the echo's p50".
 *
 * @module
 */

import { median } from "./stats.ts";

/** A bound on a ratio. */
export interface Target {
  /** "max": the ratio must be at most `value`; "min": at least. */
  bound: "max" | "min";
  value: number;
}

/** At most `value`. */
export function atMost(value: number): Target {
  return { bound: "max", value };
}

/** At least `value`. */
export function atLeast(value: number): Target {
  return { bound: "min", value };
}

/** Whether `ratio` meets `target`; a ratio that is not a number never does. */
export function meets(ratio: number, target: Target): boolean {
  if (!Number.isFinite(ratio)) return false;
  return target.bound === "max" ? ratio <= target.value : ratio >= target.value;
}

/** "met" or "not met". */
export function verdict(ratio: number, target: Target): "met" | "not met" {
  return meets(ratio, target) ? "met" : "not met";
}

/** The target as text: `≤ 1.2×`, `≥ 0.8×`. */
export function targetText(target: Target): string {
  return `${target.bound === "max" ? "≤" : "≥"} ${target.value}×`;
}

/**
 * Speed relative to a baseline from paired runs: the median over reps of baseline time over
 * measured time (1: as fast; below 1: slower). Each rep's sides ran back to back, so the
 * median of per-rep ratios is less exposed to the machine's drift than a ratio of medians.
 */
export function pairedSpeed(baseline: readonly number[], measured: readonly number[]): number {
  if (baseline.length !== measured.length || baseline.length === 0) {
    throw new RangeError(
      `Cannot pair runs as both sides need the same number of runs: current values are ${baseline.length} and ${measured.length}`,
    );
  }
  return median(baseline.map((b, i) => b / measured[i]!));
}

/** The engine with the smallest time among `peers` (names of `times`), and that time. */
export function best(
  times: Readonly<Record<string, number>>,
  peers: readonly string[],
): { engine: string; ms: number } {
  let found: { engine: string; ms: number } | undefined;
  for (const engine of peers) {
    const ms = times[engine];
    if (ms === undefined || !Number.isFinite(ms)) continue;
    if (found === undefined || ms < found.ms) found = { engine, ms };
  }
  if (found === undefined) {
    throw new RangeError(
      `Cannot pick the best peer as none has a time: current peers are ${peers.join(", ")}`,
    );
  }
  return found;
}

/** Every engine's time divided by the best peer's (1: the best; 1.5: 50% slower). */
export function ratiosToBest(
  times: Readonly<Record<string, number>>,
  peers: readonly string[],
): Record<string, number> {
  const { ms } = best(times, peers);
  return Object.fromEntries(Object.entries(times).map(([engine, t]) => [engine, t / ms]));
}
