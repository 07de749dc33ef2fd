import assert from "node:assert/strict";
import { backoffMs, pause, within } from "./backoff.ts";

Deno.test("backoffMs() draws from 0 to base × 2^failures, capped", () => {
  for (let i = 0; i < 200; i++) {
    const wait = backoffMs(3, 100, 10_000);
    assert.ok(Number.isInteger(wait) && wait >= 0 && wait <= 800);
    assert.ok(backoffMs(40, 100, 10_000) <= 10_000);
  }
});

Deno.test("pause() ends early when the signal aborts; within() bounds a wait", async () => {
  const stop = new AbortController();
  const started = performance.now();
  const waiting = pause(10_000, stop.signal);
  stop.abort();
  await waiting;
  assert.ok(performance.now() - started < 1000);
  const t = performance.now();
  await within(new Promise(() => {}), 20);
  assert.ok(performance.now() - t < 1000);
});
