import assert from "node:assert/strict";
import { parseParts } from "./scaleout.ts";
import { renderScaleout } from "./scaleout_report.ts";

Deno.test("parseParts() reads a list of parts, every part when absent", () => {
  assert.deepEqual([...parseParts(undefined)], ["pipeline", "cache", "throughput"]);
  assert.deepEqual([...parseParts("cache, throughput")], ["cache", "throughput"]);
  assert.throws(() => parseParts("cache,disk"), /--parts must be .*current value is cache,disk/);
  assert.throws(() => parseParts(","), /--parts/);
});

Deno.test("renderScaleout() renders ratios, hit ratios and CPU per query", () => {
  const md = renderScaleout({
    command: "deno task bench:scaleout",
    source: "bench/results/scaleout-x.json",
    cores: 2,
    rows: 1000,
    steps: 2,
    reps: 1,
    clients: 4,
    seconds: 1,
    throughputRows: 100,
    pipeline: [
      { store: "memory", uploadMs: 5, stepMs: [2, 2], medianStepMs: 2, ratioToMemory: 1 },
      { store: "fs", uploadMs: 6, stepMs: [5, 5], medianStepMs: 5, ratioToMemory: 2.5 },
    ],
    cache: {
      cacheBytes: 1000,
      download: { rows: 1000, coldMs: 30, warmMs: 10, creatorMs: 9 },
      aggregate: { coldMs: 8, warmMs: 2, creatorMs: 2 },
      series: [{
        balance: "affinity",
        reads: 10,
        hits: 9,
        misses: 1,
        evictions: 0,
        hitRatio: 0.9,
        medianReadMs: 1.5,
        totalMs: 20,
      }],
      handles: 12,
      handleRows: 250,
    },
    throughput: [{
      workers: 1,
      route: "sdk",
      clients: 4,
      seconds: 1,
      queries: 100,
      errors: 0,
      queriesPerSecond: 100,
      p50Ms: 3,
      p99Ms: 9,
      cpuSeconds: { compute: 0.5, client: 0.2, nats: 0.01 },
      cpuMsPerQuery: { compute: 5, client: 2, nats: 0.1 },
      machineBusy: 0.35,
      windowSeconds: 1,
    }],
  });
  assert.match(md, /\| external, directory \| 6\.0 \| 5\.0 \| 2\.50× \|/);
  assert.match(md, /\| `toArrow\(\)` of 1,000 rows \| 30\.0 \| 10\.0 \| 9\.0 \| 3\.00× \|/);
  assert.match(md, /\| affinity \| 10 \| 9 \| 1 \| 0 \| 0\.90 \| 1\.5 \| 20 \|/);
  assert.match(md, /\| workers \| route \| compute \| client \|/);
  assert.match(md, /\| 1 \| sdk \| 0\.5 s \(5\.00 ms\/q\) \| 0\.2 s \(2\.00 ms\/q\) \|/);
  assert.match(md, /\| 1 \| sdk \| 100 \| 3\.0 \| 9\.0 \| 0 \| 35% \|/);
  assert.doesNotMatch(md, /nats \|/);
});
