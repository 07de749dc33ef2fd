/**
 * Read a large result batch by batch
 *
 * Instead of one large download, iterate Arrow record batches; memory stays bounded on
 * both sides.
 *
 * @module
 */

import { makeVector, Table, Utf8, vectorFromArray } from "apache-arrow";
import type { Client } from "../../../sdk/mod.ts";

export async function run(client: Client): Promise<Table> {
  const totals = new Map<string, bigint>();
  const lf = client.scanParquet("trades.parquet").select("symbol", "qty");
  for await (const batch of lf.stream({ batchSize: 4096 })) {
    const symbols = batch.getChild("symbol")!;
    const qty = batch.getChild("qty")!;
    for (let i = 0; i < batch.numRows; i++) {
      const s = symbols.get(i) as string;
      totals.set(s, (totals.get(s) ?? 0n) + (qty.get(i) as bigint));
    }
  }
  const symbols = [...totals.keys()].sort();
  return new Table({
    symbol: vectorFromArray(symbols, new Utf8()),
    qty: makeVector(BigInt64Array.from(symbols, (s) => totals.get(s)!)),
  });
}
