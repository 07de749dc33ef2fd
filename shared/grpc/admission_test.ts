import assert from "node:assert/strict";
import { LimitExceededError } from "../errors.ts";
import { Admission, type Slot } from "./admission.ts";

function slot(admission: Admission): Slot {
  const s = admission.admit();
  assert.ok(!(s instanceof Error), String(s));
  return s as Slot;
}

Deno.test("Admission gives a slot back once, however often it is released", () => {
  const admission = new Admission({ maxCalls: 2 });
  const a = slot(admission);
  slot(admission);
  assert.ok(admission.admit() instanceof LimitExceededError);
  a.release();
  a.release();
  assert.equal(admission.inFlight, 1);
  assert.equal(admission.abandoned, 1, "released before its handler settled");
  a.settle();
  a.settle();
  assert.equal(admission.abandoned, 0);
  slot(admission);
  assert.equal(admission.inFlight, 2);
});

Deno.test("Admission refuses while abandoned handlers fill their budget", () => {
  const admission = new Admission({ maxCalls: 1 });
  const a = slot(admission);
  a.release();
  const refused = admission.admit();
  assert.ok(refused instanceof LimitExceededError);
  assert.match(refused.message, /1 calls that ended early still run/);
  assert.equal(refused.metadata.retryable, "true");
  a.settle();
  slot(admission);
});

Deno.test("Admission is stuck only when full and nothing came back for stuckAfterMs", () => {
  let now = 0;
  const admission = new Admission({ maxCalls: 1, stuckAfterMs: 100, now: () => now });
  const a = slot(admission);
  now = 150;
  assert.equal(admission.stuck, true);
  a.settle();
  a.release();
  assert.equal(admission.stuck, false);
  slot(admission);
  now = 200;
  assert.equal(admission.stuck, false, "a slot came back 50 ms ago");
  now = 300;
  assert.equal(admission.stuck, true);
  assert.equal(new Admission({ maxCalls: 0 }).stuck, false, "no bound, never stuck");
});

Deno.test("a draining Admission still admits, and wakes idle() at the last release", async () => {
  const admission = new Admission({ maxCalls: 0 });
  const a = slot(admission);
  admission.drain();
  assert.equal(admission.draining, true);
  slot(admission).release();
  let idle = false;
  const waiting = admission.idle().then(() => idle = true);
  await Promise.resolve();
  assert.equal(idle, false);
  a.release();
  await waiting;
  assert.equal(idle, true);
});

Deno.test("Admission refuses a negative or fractional bound", () => {
  assert.throws(() => new Admission({ maxCalls: -1 }), RangeError);
  assert.throws(() => new Admission({ maxCalls: 1.5 }), RangeError);
});
