/**
 * `deno task bench:engine-rss`: how much the engine's resident memory grows per operation, in
 * process, with nothing of Polaroid around it. Each operation runs `--ops` times (default
 * 20,000) after a warm-up of 3,000, with a full GC every 1,000; the growth of RSS over the
 * measured runs, divided by their number, is the figure. A sort is the control: it returns to
 * a plateau, so its figure is noise around 0.
 *
 * nodejs-polars 0.25.2 keeps about 2 KB per group-by for good (lazy or eager, any thread
 * count, any malloc arena setting); the soak allows compute workers that growth
 * (`ENGINE_GROUP_BY_GROWTH_BYTES` in scripts/soak.ts, docs/benchmarks.md "Soak"). Run this
 * after an engine upgrade to see whether it still holds.
 *
 * ```sh
 * deno task bench:engine-rss [--ops 20000]
 * ```
 *
 * @module
 */

import pl from "nodejs-polars";
import { intOption, optionText } from "./args.ts";

const ROWS = 5000;
const WARM_UP = 40_000;
const ROUNDS = 4;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  throw new Error("run with --v8-flags=--expose-gc (deno task bench:engine-rss)");
}

const df = pl.DataFrame({
  k: pl.Series("k", Int32Array.from({ length: ROWS }, (_, i) => i % 10)),
  v: pl.Series("v", Float64Array.from({ length: ROWS }, (_, i) => (i * 7919) % 1000 / 10)),
});

/** The operations measured, by name. */
export const OPERATIONS: Record<string, () => unknown> = {
  "group-by (lazy)": () => df.lazy().groupBy("k").agg(pl.col("v").sum().alias("s")).collectSync(),
  "group-by (eager)": () => df.groupBy("k").agg(pl.col("v").sum().alias("s")),
  "sort (control)": () => df.lazy().sort("k").collectSync(),
};

async function settle(): Promise<number> {
  gc!();
  await new Promise((r) => setTimeout(r, 50));
  return Deno.memoryUsage().rss;
}

async function runs(op: () => unknown, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    op();
    if (i % 1000 === 999) {
      gc!();
      await new Promise((r) => setTimeout(r, 0));
    }
  }
}

/** Bytes of RSS kept per run of `op`: the slope over the rounds of `ops` runs after warm-up. */
export async function growthPerOp(op: () => unknown, ops: number): Promise<number> {
  await runs(op, WARM_UP);
  const points: Array<[number, number]> = [[0, await settle()]];
  const perRound = Math.ceil(ops / ROUNDS);
  for (let r = 1; r <= ROUNDS; r++) {
    await runs(op, perRound);
    points.push([r * perRound, await settle()]);
  }
  const mx = points.reduce((a, [x]) => a + x, 0) / points.length;
  const my = points.reduce((a, [, y]) => a + y, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return num / den;
}

async function measureInChild(name: string, ops: number): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      import.meta.filename!,
      "--ops",
      String(ops),
      "--only",
      name,
    ],
    stdout: "piped",
    stderr: "inherit",
  });
  const out = await child.output();
  if (!out.success) throw new Error(`measuring ${name} failed (exit ${out.code})`);
  return Number(new TextDecoder().decode(out.stdout).trim());
}

if (import.meta.main) {
  const ops = intOption(Deno.args, "ops", 20_000);
  const only = optionText(Deno.args, "only");
  if (only !== undefined) {
    const op = OPERATIONS[only];
    if (op === undefined) throw new RangeError(`--only names no operation: ${only}`);
    console.log(await growthPerOp(op, ops));
  } else {
    console.log(`engine RSS growth per operation, ${ops} runs each on ${ROWS} rows, after warm-up`);
    for (const name of Object.keys(OPERATIONS)) {
      const started = performance.now();
      const bytes = await measureInChild(name, ops);
      console.log(
        `${name.padEnd(18)} ${(bytes / 1024).toFixed(2).padStart(6)} KiB/op` +
          `  (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
    }
  }
}
