/**
 * `deno task fuzz:arrow`: the Arrow upload fuzz test (tests/arrow_fuzz_test.ts) for longer —
 * a local cluster, then `--count` inputs (default 50,000) from `--seed` (default random)
 * through the compute worker's Upload RPC, with a progress line every few seconds: inputs per
 * second, outcomes by gRPC code, the worker's RSS. Exits 1 if an input was answered other
 * than OK or INVALID_ARGUMENT (each is written to a file to replay), or the worker died.
 *
 * ```sh
 * deno task fuzz:arrow --seed 12345 --count 50000 [--concurrency 4]
 * ```
 *
 * @module
 */

import { intOption } from "../bench/args.ts";
import { startCluster } from "./cluster.ts";
import { fuzzInputs } from "../tests/_arrow_fuzz_inputs.ts";
import { type FuzzReport, runFuzz } from "../tests/_arrow_fuzz_run.ts";

const MIB = 1024 * 1024;

function progress(report: FuzzReport, count: number): string {
  const rate = report.inputs / (report.elapsedMs / 1000);
  const outcomes = Object.entries(report.outcomes).map(([k, v]) => `${k} ${v}`).join(", ");
  const { min, max, last } = report.rss;
  return `${report.inputs}/${count} inputs, ${rate.toFixed(0)}/s — ${outcomes} — worker RSS ${
    (last / MIB).toFixed(0)
  } MiB (${(min / MIB).toFixed(0)}–${(max / MIB).toFixed(0)})`;
}

async function main(args: readonly string[]): Promise<number> {
  const seed = intOption(args, "seed", 1 + Math.floor(Math.random() * (2 ** 31 - 1)));
  const count = intOption(args, "count", 50_000);
  const concurrency = intOption(args, "concurrency", 4);
  const failureDir = await Deno.makeTempDir({ prefix: "arrow-fuzz-" });
  console.log(`arrow fuzz: seed ${seed}, ${count} inputs, ${concurrency} at once`);
  console.log(`replay: deno task fuzz:arrow --seed ${seed} --count ${count}`);
  await using cluster = await startCluster({ quiet: true, restart: false, notice: () => {} });
  let printed = 0;
  const report = await runFuzz(
    { endpoint: cluster.endpoints.compute, pid: () => cluster.pids().compute },
    fuzzInputs(seed, count),
    {
      concurrency,
      failureDir,
      onRound: (r) => {
        if (r.elapsedMs - printed < 3000 && r.inputs < count && !r.died) return;
        printed = r.elapsedMs;
        console.log(progress(r, count));
      },
    },
  );
  console.log(
    `done: ${report.inputs} inputs in ${(report.elapsedMs / 1000).toFixed(1)} s, ${
      JSON.stringify(report.outcomes)
    }, worker RSS ${(report.rss.first / MIB).toFixed(0)} MiB at start, ${
      (report.rss.min / MIB).toFixed(0)
    }–${(report.rss.max / MIB).toFixed(0)} MiB`,
  );
  for (const f of report.failures.slice(0, 20)) {
    console.log(`failure: input ${f.index} (${f.kind}) → ${f.outcome}; bytes in ${f.file}`);
  }
  if (report.died) console.log(`the worker died: ${report.died}`);
  if (report.failures.length === 0) await Deno.remove(failureDir, { recursive: true });
  return report.died || report.failures.length > 0 ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
