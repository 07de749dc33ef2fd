/**
 * The files the migration examples read: trades.parquet (ts, symbol, side, price, qty),
 * quotes.parquet (ts, symbol, bid, ask) and symbols.csv (symbol, sector, lot), written
 * deterministically into a directory that is also the server's data root.
 *
 * @module
 */

import pl from "nodejs-polars";

const SYMBOLS = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "META", "TSLA", "JPM"];
const SECTORS = ["tech", "tech", "tech", "retail", "tech", "tech", "auto", "banks"];
const START_MS = Date.UTC(2026, 2, 6, 14, 30); // 09:30 New York, the Friday before DST

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function timestamps(name: string, ms: Float64Array): pl.Series {
  const us = BigInt64Array.from(ms, (m) => BigInt(Math.round(m)) * 1000n);
  return pl.Series(name, us, pl.Int64).cast(pl.Datetime("us", "UTC"));
}

/** `rows` trades over about six trading hours. */
export function tradesFrame(rows: number, seed = 7): pl.DataFrame {
  const next = random(seed);
  const ts = new Float64Array(rows);
  const symbol = new Array<string>(rows);
  const side = new Array<string>(rows);
  const price = new Float64Array(rows);
  const qty = new BigInt64Array(rows);
  let t = START_MS;
  for (let i = 0; i < rows; i++) {
    t += Math.floor(next() * (6 * 3_600_000 / rows) * 2);
    ts[i] = t;
    const s = Math.floor(next() * SYMBOLS.length);
    symbol[i] = SYMBOLS[s]!;
    side[i] = next() < 0.5 ? "buy" : "sell";
    price[i] = Math.round((50 + s * 40 + next() * 10) * 100) / 100;
    qty[i] = BigInt(1 + Math.floor(next() * 500));
  }
  return pl.DataFrame([
    timestamps("ts", ts),
    pl.Series("symbol", symbol),
    pl.Series("side", side),
    pl.Series("price", price),
    pl.Series("qty", qty, pl.Int64),
  ]);
}

/** Quotes every ~30 s per symbol. */
export function quotesFrame(seed = 11): pl.DataFrame {
  const next = random(seed);
  const ts: number[] = [];
  const symbol: string[] = [];
  const bid: number[] = [];
  const ask: number[] = [];
  for (let t = START_MS - 60_000; t < START_MS + 6 * 3_600_000; t += 30_000) {
    SYMBOLS.forEach((sym, s) => {
      const mid = 55 + s * 40 + next() * 5;
      ts.push(t + s * 1000);
      symbol.push(sym);
      bid.push(Math.round((mid - 0.01) * 100) / 100);
      ask.push(Math.round((mid + 0.01) * 100) / 100);
    });
  }
  return pl.DataFrame([
    timestamps("ts", Float64Array.from(ts)),
    pl.Series("symbol", symbol),
    pl.Series("bid", bid),
    pl.Series("ask", ask),
  ]).sort("ts");
}

/** Writes trades.parquet, quotes.parquet and symbols.csv into `dir`. */
export function writeMigrationData(dir: string, rows = 20_000): void {
  tradesFrame(rows).writeParquet(`${dir}/trades.parquet`, { compression: "zstd" });
  quotesFrame().writeParquet(`${dir}/quotes.parquet`, { compression: "zstd" });
  const lots = SYMBOLS.map((_, i) => (i % 3 === 0 ? 100 : 10));
  pl.DataFrame({ symbol: SYMBOLS, sector: SECTORS, lot: lots }).writeCSV(`${dir}/symbols.csv`);
}
