import assert from "node:assert/strict";
import { type BenchRun, renderMarkdown } from "./report.ts";
import { type Engine, ENGINES } from "./queries.ts";
import { atLeast, atMost } from "./targets.ts";

const perEngine = (f: (e: Engine, i: number) => number) =>
  Object.fromEntries(ENGINES.map((e, i) => [e, f(e, i)])) as Record<Engine, number>;

const RUN: BenchRun = {
  at: "2026-01-01T00:00:00.000Z",
  command: "deno task bench --rows 1000",
  machine: { cores: 2, deno: "2.9.6", os: "linux", nodejsPolars: "0.25.2" },
  rows: 1000,
  reps: 3,
  uploadMs: 12,
  queries: [{
    id: "sort",
    query: "sort(value)",
    rows: 1000,
    checksum: 1,
    ms: perEngine((_, i) => 10 + i),
    ratios: perEngine((_, i) => (10 + i) / 12),
    bestPeer: "node",
    samples: perEngine(() => 0) as never,
  }],
  results: {
    rows: 1000,
    bytes: 2e6,
    sdkMs: 10,
    rawMs: 9,
    speed: 0.9,
    target: atLeast(0.8),
    samples: { sdk: [], raw: [] },
  },
  latency: [{
    clients: 1,
    polaroid: { requests: 10, p50Ms: 1.5, p99Ms: 3, throughputPerSec: 600 },
    echo: { requests: 10, p50Ms: 1, p99Ms: 2, throughputPerSec: 900 },
    ratio: 1.5,
    target: atMost(1.2),
    execute: { requests: 10, p50Ms: 2.5, p99Ms: 4, throughputPerSec: 380 },
  }],
};

Deno.test("renderMarkdown() gives one table per part that ran, each with its verdict", () => {
  const md = renderMarkdown(RUN, "bench/results/x.json");
  assert.match(md, /deno task bench --rows 1000/);
  assert.match(md, /\| sort\(value\) \| 1,000 \| 10\.0 \(0\.83×\) \| .*\*\*12\.0 \(1\.00×\)\*\*/);
  assert.match(md, /\| 0\.77× met \| 0\.92× met \|/);
  assert.match(
    md,
    /\| toArrow\(\), bulk port \| 1,000 \| 2\.0 \| 10\.0 \| 9\.0 \(raw TCP\) \| 0\.900 \| ≥ 0\.8× met \|/,
  );
  assert.match(md, /\| 1\.500 \(p50\) \| ≤ 1\.2× not met \|/);
  assert.match(
    md,
    /\| 1 \| Polaroid Execute head\(10\), kept \| 10 \| 2\.500 \| 4\.000 \| 380 \| 2\.500 \(p50\) \| \|/,
  );
  assert.doesNotMatch(md, /\| fromArrow\(\)|\| toArrow\(\), gRPC only|External handle stores/);
});
