import assert from "node:assert/strict";
import {
  cacheLookups,
  clockTicks,
  cpuDelta,
  processCpuSeconds,
  processEnv,
  sampleCpu,
  statTicks,
  treeCpuSeconds,
  workerStatusUrls,
} from "./scaleout_cpu.ts";

Deno.test("statTicks() adds utime and stime after a command name with spaces", () => {
  const stat = "1234 (nginx: (worker) x) S 1 1234 1234 0 -1 4194560 100 0 0 0 " +
    "250 37 0 0 20 0 1 0 100 1000 10";
  assert.equal(statTicks(stat), 287);
});

Deno.test("statTicks() rejects a line without CPU fields", () => {
  assert.throws(() => statTicks("1 (x) S 1"), /fields 14 and 15/);
});

Deno.test("treeCpuSeconds() counts a busy child process, also in its parent's tree", async () => {
  const ticks = await clockTicks();
  assert.ok(ticks > 0);
  const child = new Deno.Command("sh", {
    args: ["-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 5"],
    stdout: "null",
  }).spawn();
  try {
    // The shell busy-loops, then sleeps: its CPU time stops growing once it sleeps.
    let seconds = 0;
    const deadline = Date.now() + 10_000;
    while (seconds < 0.05 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      seconds = treeCpuSeconds(child.pid, ticks);
    }
    assert.ok(seconds >= 0.05, `the busy shell used ${seconds} s`);
    const sample = sampleCpu({ shell: child.pid, gone: 2 ** 22 + 7 }, ticks);
    assert.ok(sample.shell! >= seconds);
    assert.equal(sample.gone, 0);
    // This process's tree holds the shell: its time counts in ours.
    const own = statTicks(Deno.readTextFileSync(`/proc/${Deno.pid}/stat`)) / ticks;
    assert.ok(treeCpuSeconds(Deno.pid, ticks) >= own + seconds - 1e-9);
    // Alone, this process does not count the shell's time.
    const alone = processCpuSeconds(Deno.pid, ticks);
    assert.ok(alone >= own && alone < treeCpuSeconds(Deno.pid, ticks));
    assert.equal(processCpuSeconds(2 ** 22 + 7, ticks), 0);
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
});

Deno.test("cpuDelta() subtracts per name", () => {
  assert.deepEqual(cpuDelta({ a: 1, b: 2 }, { a: 1.5, b: 2, c: 3 }), { a: 0.5, b: 0, c: 3 });
});

Deno.test("cacheLookups() reads the counters of /metrics", () => {
  const text = [
    "# HELP polaroid_frame_cache_lookups Handles read by plans",
    'polaroid_frame_cache_lookups{result="hit",service="compute"} 12',
    'polaroid_frame_cache_lookups{result="miss",service="compute"} 3',
    'polaroid_frame_cache_lookups{result="eviction",service="compute"} 1',
    'polaroid_plan_cache_lookups{result="hit",service="compute"} 99',
  ].join("\n");
  assert.deepEqual(cacheLookups(text), { hit: 12, miss: 3, eviction: 1 });
  assert.deepEqual(cacheLookups(""), { hit: 0, miss: 0, eviction: 0 });
});

Deno.test("processEnv() reads a child's environment", async () => {
  const child = new Deno.Command("sleep", { args: ["5"], env: { SCALEOUT_PROBE: "42" } }).spawn();
  try {
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(processEnv(child.pid, "SCALEOUT_PROBE"), "42");
    assert.equal(processEnv(child.pid, "SCALEOUT_ABSENT"), undefined);
    assert.deepEqual(workerStatusUrls({ nats: child.pid }, "127.0.0.1"), []);
    assert.throws(() => workerStatusUrls({ compute: child.pid }, "127.0.0.1"), /HTTP_PORT/);
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
});
