/**
 * Command-line options of `deno task bench` (bench/main.ts).
 *
 * @module
 */

import { intOption, listOption, optionText } from "./args.ts";

/** The parts of the run, in the order they run. */
export const PARTS = ["queries", "results", "latency", "upload", "store"] as const;

/** One part of the run. */
export type Part = typeof PARTS[number];

/** The options of a run. */
export interface BenchArgs {
  /** Rows of the fact table. @default 10_000_000 */
  rows: number;
  /** Timed runs of each side. @default 5 */
  reps: number;
  /** head(10) requests of the single client (each of 64 sends max(20, N/16)). @default 2000 */
  latencyRequests: number;
  /** Rows of the store part's base frame. @default 1_000_000 */
  storeRows: number;
  /** Steps of the store part's pipeline. @default 20 */
  storeSteps: number;
  /** The parts to run. @default every part */
  only: Set<Part>;
}

/** The parts named by `--only` (every part when absent); RangeError for an unknown one. */
export function parseParts(text: string | undefined): Set<Part> {
  return listOption("only", PARTS, text);
}

/** The options; numbers may group digits with "_" (`--rows 200_000`). */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args = argv.map((a) => /^\d[\d_]*$/.test(a) ? a.replaceAll("_", "") : a);
  const get = (name: string, fallback: number) => intOption(args, name, fallback);
  return {
    rows: get("rows", 10_000_000),
    reps: get("reps", 5),
    latencyRequests: get("latency-requests", 2000),
    storeRows: get("store-rows", 1_000_000),
    storeSteps: get("store-steps", 20),
    only: parseParts(optionText(args, "only")),
  };
}
