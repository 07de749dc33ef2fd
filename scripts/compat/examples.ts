/**
 * Compatibility measured per example of real code: every example in nodejs-polars' typings
 * (scripts/compat/examples_extract.ts), classified (examples_prepare.ts), and each lazy one
 * run in-process and through the SDK (examples_run.ts).
 *
 * @module
 */

import type { Client } from "../../sdk/mod.ts";
import { docExamples } from "./examples_extract.ts";
import { KNOWN_WRONG_RESULTS } from "./examples_known.ts";
import { prepareExample } from "./examples_prepare.ts";
import { runExample } from "./examples_run.ts";
import { polarsMembers } from "./polars_members.ts";

/** What happened to one example. */
export type Outcome =
  | "pass"
  | "refused"
  | "wrong"
  | "broken"
  | "not lazy"
  | "not runnable"
  | "not translatable";

/** Every outcome, in the order reports list them. */
export const OUTCOMES: readonly Outcome[] = [
  "pass",
  "refused",
  "wrong",
  "broken",
  "not translatable",
  "not lazy",
  "not runnable",
];

/** One example's outcome. */
export interface ExampleResult {
  id: string;
  interface: string;
  outcome: Outcome;
  /** Why, for every outcome but "pass". */
  reason?: string;
  /** For "wrong": both results, as text. */
  inProcess?: string;
  sdk?: string;
  /** For a "wrong" result tolerated for now: why (scripts/compat/examples_known.ts). */
  known?: string;
}

/** Counts of one interface's examples. */
export interface ExampleCounts {
  interface: string;
  counts: Record<Outcome, number>;
}

/** The per-example measure, as docs/compat.json keeps it. */
export interface ExamplesReport {
  /** Examples per interface, then all together ("all"). */
  totals: ExampleCounts[];
  results: ExampleResult[];
}

function zero(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

/** Counts per interface (in the order first met) and overall. */
export function countResults(results: readonly ExampleResult[]): ExampleCounts[] {
  const by = new Map<string, Record<Outcome, number>>();
  const all = zero();
  for (const r of results) {
    if (!by.has(r.interface)) by.set(r.interface, zero());
    by.get(r.interface)![r.outcome]++;
    all[r.outcome]++;
  }
  return [...[...by].map(([iface, counts]) => ({ interface: iface, counts })), {
    interface: "all",
    counts: all,
  }];
}

/** The names an example may use without `pl.`: the top-level functions and data types. */
export function exampleScope(functions: readonly string[]): string[] {
  return ["pl", ...functions, "DataFrame", "Series", "DataType", "Field", "when"];
}

/** Options of measureExamples(). */
export interface MeasureOptions {
  /** Called after each example (progress). @default nothing */
  onResult?: (result: ExampleResult) => void;
}

/** Runs every example through `client` and nodejs-polars. */
export async function measureExamples(
  client: Client,
  options: MeasureOptions = {},
): Promise<ExamplesReport> {
  const members = polarsMembers();
  const lazyMethods = new Set([...members.LazyDataFrame ?? [], ...members.LazyGroupBy ?? []]);
  const scope = exampleScope(members.pl ?? []);
  const results: ExampleResult[] = [];
  for (const example of docExamples()) {
    const prepared = prepareExample(example.code, { lazyMethods, scope });
    const base = { id: example.id, interface: example.interface };
    const result: ExampleResult = prepared.kind === "lazy"
      ? { ...base, ...await runExample(client, prepared, { scope }) }
      : { ...base, outcome: prepared.kind, reason: prepared.reason };
    const known = KNOWN_WRONG_RESULTS[example.id];
    if (result.outcome === "wrong" && known !== undefined) result.known = known;
    results.push(result);
    options.onResult?.(result);
  }
  return { totals: countResults(results), results };
}
