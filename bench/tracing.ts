/**
 * `deno task bench:tracing`: the cost of tracing, side by side in one run. Two clusters on
 * the same machine, one with every service exporting its spans (`OTEL_DENO=true`, OTLP/HTTP to
 * the project's trace sink in its own process) and one without; the same client measures both,
 * alternating:
 *
 * - head(10) of a stored frame: p50 and p99 of --requests calls (after a warm-up);
 * - group_by(key).agg(mean, sum) of the --rows-row frame kept as a handle: median of --reps runs.
 *
 * Writes bench/results/tracing-<stamp>.json and the "tracing" section of docs/benchmarks.md.
 *
 * @module
 */

import { tableFromIPC } from "apache-arrow";
import { col, connect } from "../sdk/mod.ts";
import { type Cluster, startCluster } from "../scripts/cluster.ts";
import { intOption } from "./args.ts";
import { factFrame } from "./data.ts";
import { writeSection } from "./sections.ts";
import { median, quantile } from "./stats.ts";

const ROWS = intOption(Deno.args, "rows", 10_000_000);
const REPS = intOption(Deno.args, "reps", 5);
const REQUESTS = intOption(Deno.args, "requests", 2000);
const ROOT = new URL("..", import.meta.url).pathname;

/** Starts the trace sink in its own process; its URL. */
async function startSinkProcess(): Promise<{ url: string; stop(): Promise<void> }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-env",
      `${ROOT}services/observability/trace_sink.ts`,
      "--port",
      "0",
    ],
    stdout: "piped",
    stderr: "inherit",
    stdin: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + 30_000;
  while (!/http:\/\/[0-9.]+:\d+/.test(text)) {
    if (Date.now() > deadline) throw new Error("the trace sink did not start in 30 s");
    const { value, done } = await reader.read();
    if (done) throw new Error("the trace sink exited");
    text += value;
  }
  reader.releaseLock();
  const url = /http:\/\/[0-9.]+:\d+/.exec(text)![0];
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
      await child.stdout.cancel().catch(() => {});
    },
  };
}

interface Side {
  name: "off" | "on";
  cluster: Cluster;
  headMs: number[];
  groupByMs: number[];
}

const sink = await startSinkProcess();
const otel = {
  OTEL_DENO: "true",
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
  OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
  OTEL_DENO_CONSOLE: Deno.env.get("OTEL_DENO_CONSOLE") ?? "ignore",
};
console.error(`bench: two clusters (tracing off, on), ${ROWS} rows`);
const sides: Side[] = [];
try {
  for (const name of ["off", "on"] as const) {
    sides.push({
      name,
      cluster: await startCluster({
        quiet: true,
        restart: false,
        ...(name === "on" ? { env: otel } : {}),
      }),
      headMs: [],
      groupByMs: [],
    });
  }
  const fact = tableFromIPC(factFrame(ROWS).writeIPCStream());
  const clients = await Promise.all(
    sides.map((s) => connect({ endpoint: s.cluster.endpoints.compute, timeoutMs: 600_000 })),
  );
  const frames = await Promise.all(clients.map((c) => c.fromArrow(fact)));
  for (const frame of frames) {
    for (let k = 0; k < 50; k++) await frame.lazy().head(10).toArrow();
  }
  // Alternate in blocks so that neither side always runs on a warmer machine.
  const block = 100;
  for (let done = 0; done < REQUESTS; done += block) {
    for (const [i, side] of sides.entries()) {
      for (let k = 0; k < Math.min(block, REQUESTS - done); k++) {
        const started = performance.now();
        await frames[i]!.lazy().head(10).toArrow();
        side.headMs.push(performance.now() - started);
      }
    }
  }
  for (let rep = 0; rep <= REPS; rep++) {
    for (const [i, side] of sides.entries()) {
      const started = performance.now();
      const out = await frames[i]!.lazy().groupBy("key")
        .agg(col("value").mean().alias("m"), col("qty").sum().alias("s"))
        .collect({ cache: false });
      const ms = performance.now() - started;
      await out.release();
      if (rep > 0) side.groupByMs.push(ms);
    }
  }
  for (const frame of frames) await frame.release();
  for (const client of clients) await client.close();
} finally {
  for (const side of sides) await side.cluster[Symbol.asyncDispose]();
  await sink.stop();
}

const [off, on] = sides as [Side, Side];
const figures = {
  rows: ROWS,
  reps: REPS,
  requests: REQUESTS,
  head: {
    off: { p50: quantile(off.headMs, 0.5), p99: quantile(off.headMs, 0.99) },
    on: { p50: quantile(on.headMs, 0.5), p99: quantile(on.headMs, 0.99) },
  },
  groupBy: { off: median(off.groupByMs), on: median(on.groupByMs) },
};
const pct = (a: number, b: number) => `${((b / a - 1) * 100).toFixed(1)}%`;
const stamp = new Date().toISOString().replaceAll(":", "-").replaceAll(".", "-");
const file = `tracing-${stamp}.json`;
await Deno.mkdir(`${ROOT}bench/results`, { recursive: true });
await Deno.writeTextFile(`${ROOT}bench/results/${file}`, JSON.stringify(figures, null, 2));
const markdown = [
  "## Tracing overhead",
  "",
  `Produced by \`deno task bench:tracing\` (bench/tracing.ts); raw figures in \`bench/results/${file}\`.`,
  "Two clusters side by side in one run, one exporting every span to the trace sink (its own",
  "process) and one with tracing off; one client alternates between them. Target: ≤ 5% overhead.",
  "",
  "| measure | tracing off | tracing on | overhead |",
  "| --- | ---: | ---: | ---: |",
  `| head(10) p50, ${REQUESTS} calls | ${figures.head.off.p50.toFixed(3)} ms | ${
    figures.head.on.p50.toFixed(3)
  } ms | ${pct(figures.head.off.p50, figures.head.on.p50)} |`,
  `| head(10) p99 | ${figures.head.off.p99.toFixed(3)} ms | ${
    figures.head.on.p99.toFixed(3)
  } ms | ${pct(figures.head.off.p99, figures.head.on.p99)} |`,
  `| group_by(key).agg(mean, sum), ${ROWS.toLocaleString("en-US")} rows, median of ${REPS} | ${
    figures.groupBy.off.toFixed(1)
  } ms | ${figures.groupBy.on.toFixed(1)} ms | ${pct(figures.groupBy.off, figures.groupBy.on)} |`,
].join("\n");
await writeSection("tracing", markdown);
console.log(markdown);
