/**
 * Deep plans: a chain of N `withColumns` calls (default 500) built and run through the SDK
 * against the same chain built and run in-process on nodejs-polars, side by side, median of
 * `--reps` runs each. Both sides include building the chain (the user's program builds it
 * either way). Prints a markdown table and writes bench/results/deep-plans-<stamp>.json.
 *
 * Options: --depth N (500), --rows N (100000), --reps N (7).
 *
 * @module
 */

import pl from "nodejs-polars";
import { tableFromIPC } from "apache-arrow";
import { col, connect, lit } from "../sdk/mod.ts";
import { startCluster } from "../scripts/cluster.ts";
import { intOption } from "./args.ts";
import { writeSection } from "./sections.ts";
import { median } from "./stats.ts";

const option = (name: string, fallback: number) => intOption(Deno.args, name, fallback);

const depth = option("depth", 500);
const rows = option("rows", 100_000);
const reps = option("reps", 7);

const local = pl.DataFrame({
  a: pl.Series("a", Float64Array.from({ length: rows }, (_, i) => i / 2)),
});
const cluster = await startCluster({ quiet: true, restart: false, exitOnSignal: false });
try {
  await using client = await connect({ endpoint: cluster.endpoints.compute });
  await using remote = await client.fromArrow(tableFromIPC(local.writeIPCStream()));
  const remoteMs: number[] = [];
  const localMs: number[] = [];
  for (let rep = 0; rep <= reps; rep++) {
    let started = performance.now();
    let lf = remote.lazy();
    for (let i = 0; i < depth; i++) lf = lf.withColumns(col("a").add(lit(i)).alias(`c${i % 10}`));
    const got = await lf.select(col("c0").sum()).toRecords();
    const r = performance.now() - started;
    started = performance.now();
    let llf = local.lazy();
    for (let i = 0; i < depth; i++) {
      llf = llf.withColumns(pl.col("a").add(pl.lit(i)).alias(`c${i % 10}`));
    }
    const want = llf.select(pl.col("c0").sum()).collectSync().getColumn("c0").get(0);
    const l = performance.now() - started;
    if (got[0]?.c0 !== want) throw new Error(`results differ: ${got[0]?.c0} vs ${want}`);
    if (rep === 0) continue; // warm-up
    remoteMs.push(r);
    localMs.push(l);
    console.error(`rep ${rep}: remote ${r.toFixed(1)} ms, in-process ${l.toFixed(1)} ms`);
  }
  const result = {
    depth,
    rows,
    reps,
    remoteMs: median(remoteMs),
    localMs: median(localMs),
    ratio: median(remoteMs) / median(localMs),
  };
  const stamp = new Date().toISOString().replaceAll(":", "-").replace(".", "-");
  const source = `bench/results/deep-plans-${stamp}.json`;
  await Deno.writeTextFile(
    new URL(`../${source}`, import.meta.url),
    JSON.stringify(result, null, 2) + "\n",
  );
  const table = [
    "## Deep plans: a chain of withColumns",
    "",
    `Produced by \`deno run -A bench/deep_plans.ts\`; raw figures in \`${source}\`.`,
    "Both sides build the chain and run it (the program builds it either way); median of",
    `${reps} runs after a warm-up. Target: Polaroid under 2× in-process.`,
    "",
    "| withColumns chain | Polaroid ms | in-process ms | ratio | target |",
    "|---|---:|---:|---:|---|",
    `| ${depth} deep, ${rows.toLocaleString("en-US")} rows | ${result.remoteMs.toFixed(1)} | ${
      result.localMs.toFixed(1)
    } | ${result.ratio.toFixed(2)} | ${result.ratio < 2 ? "met" : "not met"} |`,
  ].join("\n");
  console.log(table);
  await writeSection("deep-plans", table);
} finally {
  await cluster.stop();
}
