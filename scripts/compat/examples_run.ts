/**
 * Runs one lazy example on both engines: in-process with nodejs-polars, then through the
 * SDK against a compute server, and compares every frame the example's statements produce.
 *
 * In-process, the example's `pl` (and the bare names it may use) are nodejs-polars'. Through
 * the SDK they are the SDK's `pl` namespace; data stays nodejs-polars': each frame the
 * example builds in-process is uploaded (`client.fromArrow` of its Arrow IPC) and stands for
 * the `pl.DataFrame(...)` call, and `pl.Series` is nodejs-polars' (a Series is data; the SDK
 * decides whether it takes one). A name the SDK lacks throws a TypeError naming it.
 *
 * @module
 */

import { type Table, tableFromIPC } from "apache-arrow";
import pl from "nodejs-polars";
import sdkPl, { type Client, RemoteDataFrame, RemoteLazyFrame } from "../../sdk/mod.ts";
import { showTable, tableDifference } from "./examples_compare.ts";
import { codeSpan, type LazyExample } from "./examples_prepare.ts";

/** What running one lazy example gave. */
export type RunOutcome =
  | { outcome: "pass" }
  | { outcome: "refused"; reason: string }
  | { outcome: "wrong"; reason: string; inProcess: string; sdk: string }
  | { outcome: "broken"; reason: string }
  | { outcome: "not translatable"; reason: string };

/** Options of runExample(). */
export interface RunOptions {
  /** The names an example may use (`pl` first), as given to prepareExample(). */
  scope: readonly string[];
  /** Bound on each engine's run of one example, in ms. @default 30000 */
  timeoutMs?: number;
}

type Scope = Record<string, unknown>;
type Fn = (...args: unknown[]) => Promise<void>;

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => Fn;

class NotTranslatable extends Error {}

/** Stands for a name the SDK lacks: throws when called, with or without `new`. */
function refuser(name: string): () => never {
  return function () {
    throw new TypeError(`pl.${name} is not in the Polaroid SDK`);
  };
}

function localScope(names: readonly string[]): Scope {
  const all = pl as unknown as Record<string, unknown>;
  return Object.fromEntries(names.map((n) => [n, n === "pl" ? pl : all[n]]));
}

function sdkScope(names: readonly string[]): Scope {
  const sdk = sdkPl as unknown as Record<string, unknown>;
  const member = (name: string): unknown =>
    name === "Series" ? pl.Series : name in sdk ? sdk[name] : refuser(name);
  const namespace = new Proxy({}, {
    get: (_, name) => typeof name === "string" ? member(name) : undefined,
  });
  return Object.fromEntries(names.map((n) => [n, n === "pl" ? namespace : member(n)]));
}

/** A message's first line, without what changes from run to run (ids, ports). */
export function describeError(error: unknown): string {
  const name = error instanceof Error ? error.name : "Error";
  const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
  const stable = message
    .replace(/\b\d{1,3}(\.\d{1,3}){3}:\d+\b/g, "<address>")
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>");
  return `${name}: ${stable.length > 300 ? stable.slice(0, 300) + "…" : stable}`;
}

async function bounded<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the body, collecting each top-level statement's value (promises kept, not awaited). */
async function evaluate(
  fn: Fn,
  scope: Scope,
  names: readonly string[],
  frame: (build: (...args: unknown[]) => unknown) => unknown,
): Promise<unknown[]> {
  const outputs: unknown[] = [];
  const out = (value: unknown) => {
    if (value instanceof Promise) value.catch(() => {}); // awaited later, in order
    outputs.push(value);
    return value;
  };
  await fn(...names.map((n) => scope[n]), frame, out);
  return outputs;
}

function localTable(value: unknown): Table | undefined {
  const v = value as { writeIPCStream?: () => Uint8Array; collectSync?: () => unknown };
  if (typeof v?.writeIPCStream === "function") return tableFromIPC(v.writeIPCStream());
  if (typeof v?.collectSync === "function") return localTable(v.collectSync());
  return undefined;
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  return (value as object).constructor?.name ?? typeof value;
}

/** Runs one example on both engines and compares. */
export async function runExample(
  client: Client,
  example: LazyExample,
  options: RunOptions,
): Promise<RunOutcome> {
  const names = options.scope;
  const timeoutMs = options.timeoutMs ?? 30_000;
  let fn: Fn;
  try {
    fn = new AsyncFunction(...names, "__frame", "__out", `"use strict";\n${example.body}`);
  } catch (error) {
    return { outcome: "not translatable", reason: `does not compile: ${describeError(error)}` };
  }
  if (example.unseeded) {
    return { outcome: "not translatable", reason: "random without a seed: no result to compare" };
  }

  // In-process.
  const local = localScope(names);
  const built: pl.DataFrame[] = [];
  const expected: (Table | undefined)[] = [];
  try {
    await bounded(
      (async () => {
        const outputs = await evaluate(fn, local, names, (build) => {
          const df = build(...names.map((n) => local[n])) as pl.DataFrame;
          built.push(df);
          return df;
        });
        for (const o of outputs) expected.push(localTable(await o));
      })(),
      timeoutMs,
      "the in-process run",
    );
  } catch (error) {
    return { outcome: "broken", reason: describeError(error) };
  }
  if (expected.every((t) => t === undefined)) {
    return { outcome: "not translatable", reason: "no statement gives a frame in-process" };
  }

  // Through the SDK.
  const uploads: RemoteDataFrame[] = [];
  const remote = sdkScope(names);
  try {
    return await bounded(
      (async (): Promise<RunOutcome> => {
        for (const df of built) {
          uploads.push(await client.fromArrow(tableFromIPC(df.writeIPCStream())));
        }
        let next = 0;
        const outputs = await evaluate(fn, remote, names, () => {
          const upload = uploads[next++];
          if (!upload) throw new NotTranslatable("the SDK run builds more frames than in-process");
          return upload;
        });
        for (const [i, want] of expected.entries()) {
          const got = await outputs[i];
          if (want === undefined) continue;
          const statement = codeSpan(example.statements[i] ?? "");
          if (!(got instanceof RemoteLazyFrame) && !(got instanceof RemoteDataFrame)) {
            return {
              outcome: "wrong",
              reason: `${statement} gives a ${kindOf(got)} through the SDK, a frame in-process`,
              inProcess: showTable(want),
              sdk: String(got),
            };
          }
          const table = await got.toArrow();
          if (got instanceof RemoteDataFrame && !uploads.includes(got)) await got.release();
          const difference = tableDifference(want, table, example.unordered);
          if (difference !== undefined) {
            return {
              outcome: "wrong",
              reason: `${statement}: ${difference}`,
              inProcess: showTable(want),
              sdk: showTable(table),
            };
          }
        }
        return { outcome: "pass" };
      })(),
      timeoutMs,
      "the SDK run",
    );
  } catch (error) {
    if (error instanceof NotTranslatable) {
      return { outcome: "not translatable", reason: error.message };
    }
    return { outcome: "refused", reason: describeError(error) };
  } finally {
    // The uploads only served this example; a failed release changes nothing it measured.
    await Promise.allSettled(uploads.map((u) => u.release()));
  }
}
