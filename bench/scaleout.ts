/**
 * Scale-out benchmark: the per-step cost of the external handle stores (directory, S3)
 * against the memory store on the same pipeline, the effect of the workers' frame cache
 * (cold and warm reads; SDK affinity against round robin), and the throughput of many
 * concurrent SDK clients against 1, 2 and 3 workers with the CPU time of every process.
 * Writes bench/results/scaleout-<stamp>.json and the "scaleout" section of
 * docs/benchmarks.md; progress lines go to stderr.
 *
 * `deno task bench:scaleout [--rows N] [--steps N] [--reps N] [--clients N] [--seconds N]
 * [--throughput-rows N] [--parts pipeline,cache,throughput]`
 *
 * Defaults: 1,000,000 rows, 20 steps, 3 reps, 64 clients, 10 s per throughput window,
 * 100,000 rows per shared handle of the throughput part, every part.
 *
 * @module
 */

import pl from "nodejs-polars";
import { type Table, tableFromIPC } from "apache-arrow";
import { intOption, listOption, optionText } from "./args.ts";
import { factFrame } from "./data.ts";
import { writeSection } from "./sections.ts";
import { clockTicks } from "./scaleout_cpu.ts";
import { nativeFrame } from "../services/compute/engine/frame_access.ts";
import { runPipelines } from "./scaleout_pipeline.ts";
import { runCache } from "./scaleout_cache.ts";
import { runThroughput } from "./scaleout_throughput.ts";
import { renderScaleout, type ScaleoutReport } from "./scaleout_report.ts";

const PARTS = ["pipeline", "cache", "throughput"] as const;
type Part = typeof PARTS[number];

/** The parts named by `--parts` (every part when absent). */
export function parseParts(text: string | undefined): Set<Part> {
  return listOption("parts", PARTS, text);
}

function arrow(df: pl.DataFrame): Table {
  return tableFromIPC(df.writeIPCStream());
}

async function main(): Promise<void> {
  const option = (name: string, fallback: number) => intOption(Deno.args, name, fallback);
  const rows = option("rows", 1_000_000);
  const steps = option("steps", 20);
  const reps = option("reps", 3);
  const clients = option("clients", 64);
  const seconds = option("seconds", 10);
  const throughputRows = option("throughput-rows", 100_000);
  const parts = parseParts(optionText(Deno.args, "parts"));
  const log = (line: string) => console.error(`scaleout: ${line}`);
  const env = { POLAROID_PLAN_CACHE_ENTRIES: "0", POLAROID_LOG_LEVEL: "warn" };

  const base = factFrame(rows);
  const small = factFrame(Math.max(1, Math.floor(rows / 4)), 11);
  const table = arrow(base);
  const at = new Date().toISOString();
  const stamp = at.replaceAll(":", "-").replaceAll(".", "-");
  const source = `bench/results/scaleout-${stamp}.json`;
  const report: ScaleoutReport = {
    command: ["deno task bench:scaleout", ...Deno.args].join(" "),
    source,
    cores: navigator.hardwareConcurrency,
    rows,
    steps,
    reps,
    clients,
    seconds,
    throughputRows,
  };
  const started = performance.now();
  if (parts.has("pipeline")) {
    report.pipeline = await runPipelines({ table, steps, reps, env, log });
  }
  if (parts.has("cache")) {
    report.cache = await runCache({
      table,
      smallTable: arrow(small),
      // The engine's own estimate, as a worker's cache counts it.
      smallBytes: Number(nativeFrame(small).estimatedSize()),
      reps,
      env,
      log,
    });
  }
  if (parts.has("throughput")) {
    report.throughput = await runThroughput({
      clients,
      table: arrow(factFrame(throughputRows, 13)),
      seconds,
      ticksPerSecond: await clockTicks(),
      env,
      log,
    });
  }
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  const result = {
    at,
    machine: { cores: navigator.hardwareConcurrency, deno: Deno.version.deno, os: Deno.build.os },
    ...report,
  };
  await Deno.writeTextFile(
    new URL(`../${source}`, import.meta.url),
    JSON.stringify(result, null, 2) + "\n",
  );
  const markdown = renderScaleout(report);
  console.log(markdown);
  await writeSection("scaleout", markdown);
}

if (import.meta.main) await main();
