/**
 * The load of the soak (scripts/soak.ts): clients, each its own tenant, that upload, query,
 * cancel, release and read slowly, checking every answer against what they sent. Each
 * client counts its operations and keeps every error it did not cause itself.
 *
 * @module
 */

import { tableFromArrays } from "apache-arrow";
import { type Client, col, connect, type RemoteDataFrame } from "../sdk/mod.ts";
import { CancelledError, PolaroidError } from "../shared/errors.ts";
import { uniform } from "../tests/_random.ts";

/** What one client did. */
export interface ClientReport {
  tenant: string;
  ops: Record<string, number>;
  /** Errors the client did not cause (its own cancels are not here). */
  unexpected: string[];
  /**
   * Handles it holds at the end, by id: the rows each must have and the references it holds
   * (an equal query answered from the plan cache is the same handle, one reference more).
   */
  held: Map<string, { rows: number; refs: number }>;
}

/** Options of {@link runClient}. */
export interface ClientOptions {
  endpoints: readonly string[];
  tenant: string;
  seed: number;
  /** The load stops when this aborts. */
  stop: AbortSignal;
  /** Handles a client keeps at most before it releases one. @default 6 */
  maxHeld?: number;
}

/** A frame the client uploaded or made, and what it must contain. */
interface Owned {
  df: RemoteDataFrame;
  /** Rows, and for each `k` in 0..9 its rows and the sum of its `v`. */
  rows: number;
  perKey: number[];
  sums: number[];
}

const KEYS = 10;

/** Runs one client until `stop` aborts; resolves with what it did. */
export async function runClient(options: ClientOptions): Promise<ClientReport> {
  const u = uniform(options.seed);
  const report: ClientReport = {
    tenant: options.tenant,
    ops: {},
    unexpected: [],
    held: new Map(),
  };
  const maxHeld = options.maxHeld ?? 6;
  await using client = await connect({
    endpoints: options.endpoints,
    tenant: options.tenant,
    timeoutMs: 120_000,
    retry: { budgetMs: 60_000 },
  });
  const owned: Owned[] = [];
  const count = (op: string) => report.ops[op] = (report.ops[op] ?? 0) + 1;
  const pick = () => owned[Math.floor(u() * owned.length)]!;
  const ops: Record<string, () => Promise<void>> = {
    upload: async () => void owned.push(await upload(client, u)),
    query: async () => {
      const from = pick();
      const df = await from.df.lazy()
        .filter(col("k").ltEq(KEYS / 2 - 1))
        .withColumns(col("v").mul(2).alias("v"))
        .collect();
      const perKey = from.perKey.map((n, k) => k < KEYS / 2 ? n : 0);
      const sums = from.sums.map((s, k) => k < KEYS / 2 ? s * 2 : 0);
      const rows = perKey.reduce((a, b) => a + b, 0);
      owned.push({ df, rows, perKey, sums });
      if (Number(df.info.rows) !== rows) {
        throw new Error(`query made ${df.info.rows} rows, expected ${rows}`);
      }
    },
    aggregate: async () => {
      const from = pick();
      const table = await from.df.lazy().groupBy("k").agg(col("v").sum().alias("s"))
        .sort("k").toArrow();
      const ks = table.getChild("k")!.toArray();
      const ss = table.getChild("s")!.toArray();
      const present = from.perKey.filter((n) => n > 0).length;
      if (table.numRows !== present) {
        throw new Error(`${table.numRows} groups, expected ${present}`);
      }
      for (let i = 0; i < table.numRows; i++) {
        const want = from.sums[Number(ks[i])]!;
        if (Math.abs(Number(ss[i]) - want) > 1e-6 * Math.max(1, Math.abs(want))) {
          throw new Error(`sum of k=${ks[i]} is ${ss[i]}, expected ${want}`);
        }
      }
    },
    cancel: async () => {
      const controller = new AbortController();
      try {
        for await (const _ of pick().df.stream({ batchSize: 512, signal: controller.signal })) {
          controller.abort();
        }
      } catch (error) {
        if (!(error instanceof CancelledError)) throw error;
      }
    },
    slowRead: async () => {
      const from = pick();
      let rows = 0;
      for await (const batch of from.df.stream({ batchSize: Math.max(1, from.rows >> 2) })) {
        rows += batch.numRows;
        await new Promise((r) => setTimeout(r, 50 + u() * 150));
      }
      if (rows !== from.rows) throw new Error(`read ${rows} rows of ${from.rows}`);
    },
    release: async () => {
      const i = Math.floor(u() * owned.length);
      const [gone] = owned.splice(i, 1);
      await gone!.df.release();
    },
  };
  const weights: Array<[string, number]> = [
    ["query", 3],
    ["aggregate", 3],
    ["cancel", 2],
    ["slowRead", 1],
    ["upload", 1],
  ];
  const total = weights.reduce((a, [, w]) => a + w, 0);
  while (!options.stop.aborted) {
    let op = "upload";
    if (owned.length >= maxHeld) op = "release";
    else if (owned.length > 0) {
      let r = u() * total;
      for (const [name, w] of weights) if ((r -= w) < 0) (op = name, r = Infinity);
    }
    try {
      await ops[op]!();
      count(op);
    } catch (error) {
      count(`${op}:failed`);
      report.unexpected.push(`${new Date().toISOString()} ${op}: ${describe(error)}`);
    }
  }
  for (const o of owned) {
    const held = report.held.get(o.df.id);
    report.held.set(o.df.id, { rows: o.rows, refs: (held?.refs ?? 0) + 1 });
  }
  return report;
}

/** Uploads a random frame of 1k–20k rows with columns `k` (0..9) and `v`. */
async function upload(client: Client, u: () => number): Promise<Owned> {
  const rows = 1000 + Math.floor(u() * 19_000);
  const k = new Int32Array(rows);
  const v = new Float64Array(rows);
  const perKey = new Array<number>(KEYS).fill(0);
  const sums = new Array<number>(KEYS).fill(0);
  for (let i = 0; i < rows; i++) {
    const key = Math.floor(u() * KEYS);
    k[i] = key;
    v[i] = Math.round(u() * 1e6) / 100;
    perKey[key]!++;
    sums[key] = sums[key]! + v[i]!;
  }
  const df = await client.fromArrow(tableFromArrays({ k, v }));
  if (Number(df.info.rows) !== rows) throw new Error(`uploaded ${rows}, stored ${df.info.rows}`);
  return { df, rows, perKey, sums };
}

function describe(error: unknown): string {
  if (error instanceof PolaroidError) return `${error.reason}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
