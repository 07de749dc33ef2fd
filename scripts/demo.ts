/**
 * The demo job: generates synthetic trades locally, uploads them, runs filter → group_by →
 * sort on the cluster through the SDK, and prints the result.
 *
 * Run against a running cluster: deno task demo [endpoint]
 *
 * @module
 */

import { makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import { col, connect } from "../sdk/mod.ts";
import { formatTable } from "./format_table.ts";

const SYMBOLS = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "JPM"];

/** Deterministic synthetic trades: symbol, price, qty (Int64), side. */
export function syntheticTrades(rows: number, seed = 42): Table {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const symbol = new Array<string>(rows);
  const price = new Float64Array(rows);
  const qty = new BigInt64Array(rows);
  const side = new Array<string>(rows);
  for (let i = 0; i < rows; i++) {
    const s = Math.floor(next() * SYMBOLS.length);
    symbol[i] = SYMBOLS[s]!;
    price[i] = Math.round((50 + s * 40 + next() * 10) * 100) / 100;
    qty[i] = BigInt(1 + Math.floor(next() * 500));
    side[i] = next() < 0.5 ? "buy" : "sell";
  }
  return new Table({
    symbol: vectorFromArray(symbol, new Utf8()),
    price: makeVector(price),
    qty: makeVector(qty),
    side: vectorFromArray(side, new Utf8()),
  });
}

/** Options of runDemo(). */
export interface DemoOptions {
  /** @default 1_000_000 */
  rows?: number;
  /** @default console.log */
  print?: (line: string) => void;
  /** The caller's API key or JWT, for clusters with authentication on. @default none */
  token?: string;
  /**
   * TLS to the endpoint (PEM texts): the CA, and a client certificate and key for clusters
   * with mTLS authentication. @default plaintext
   */
  tls?: { ca: string; cert?: string; key?: string };
}

/** Runs the demo against a compute endpoint and returns the result table. */
export async function runDemo(endpoint: string, options: DemoOptions = {}): Promise<Table> {
  const rows = options.rows ?? 1_000_000;
  const print = options.print ?? console.log;
  await using client = await connect({
    endpoint,
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.tls === undefined ? {} : { tls: options.tls }),
  });
  let started = performance.now();
  const table = syntheticTrades(rows);
  print(`demo: generated ${rows.toLocaleString("en-US")} synthetic trades in ${ms(started)}`);
  started = performance.now();
  await using trades = await client.fromArrow(table);
  print(`demo: uploaded as handle ${trades.id} (${trades.height} rows) in ${ms(started)}`);
  const query = trades.lazy()
    .filter(col("qty").gtEq(100).and(col("side").eq("buy")))
    .groupBy("symbol")
    .agg(
      col("qty").sum().alias("volume"),
      col("price").mean().alias("avg_price"),
      col("price").max().alias("high"),
      col("qty").count().alias("trades"),
    )
    .sort("volume", true);
  const t0 = performance.now();
  const result = await query.toArrow();
  print(`demo: filter → group_by → agg → sort ran on the cluster in ${ms(t0)}`);
  print(formatTable(result));
  return result;
}

function ms(since: number): string {
  return `${(performance.now() - since).toFixed(1)} ms`;
}

if (import.meta.main) {
  const endpoint = Deno.args[0] ?? Deno.env.get("POLAROID_ENDPOINT") ?? "127.0.0.1:50051";
  // A cluster with POLAROID_AUTH=token wants a credential (docs/security.md).
  const token = Deno.env.get("POLAROID_TOKEN");
  await runDemo(endpoint, token === undefined ? {} : { token });
}
