/**
 * Benchmark data, generated deterministically in-process from typed arrays.
 *
 * @module
 */

import pl from "nodejs-polars";

/** Options of factFrame(). */
export interface FactOptions {
  /**
   * Add `k2` and `k3` (Int32, 10 values each): with `key`, about 100,000 groups of three
   * keys. They come from a second generator, so the other columns stay as without them.
   * @default false
   */
  subKeys?: boolean;
}

/**
 * A fact table: id, key (1000 groups), value (Float64), qty (Int64); with `subKeys`, also
 * k2 and k3.
 */
export function factFrame(rows: number, seed = 7, options: FactOptions = {}): pl.DataFrame {
  let state = seed >>> 0;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const id = new BigInt64Array(rows);
  const key = new Int32Array(rows);
  const value = new Float64Array(rows);
  const qty = new BigInt64Array(rows);
  for (let i = 0; i < rows; i++) {
    id[i] = BigInt(i);
    key[i] = Math.floor(next() * 1000);
    value[i] = next();
    qty[i] = BigInt(Math.floor(next() * 1000));
  }
  const columns: pl.Series[] = [
    pl.Series("id", id),
    pl.Series("key", key),
    pl.Series("value", value),
    pl.Series("qty", qty),
  ];
  if (options.subKeys) columns.push(...subKeys(rows, seed));
  return pl.DataFrame(columns);
}

function subKeys(rows: number, seed: number): pl.Series[] {
  let state = (seed ^ 0x9e3779b9) >>> 0;
  const next = () => (state = (Math.imul(state, 22695477) + 1) >>> 0) / 2 ** 32;
  const k2 = new Int32Array(rows);
  const k3 = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    k2[i] = Math.floor(next() * 10);
    k3[i] = Math.floor(next() * 10);
  }
  return [pl.Series("k2", k2), pl.Series("k3", k3)];
}

/** A dimension table keyed by `key`: 1000 rows. */
export function dimFrame(): pl.DataFrame {
  const key = new Int32Array(1000);
  const weight = new Float64Array(1000);
  const region = new Array<string>(1000);
  for (let i = 0; i < 1000; i++) {
    key[i] = i;
    weight[i] = (i % 17) / 17;
    region[i] = ["emea", "amer", "apac"][i % 3]!;
  }
  return pl.DataFrame([
    pl.Series("key", key),
    pl.Series("weight", weight),
    pl.Series("region", region),
  ]);
}
