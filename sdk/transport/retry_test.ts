import assert from "node:assert/strict";
import fc from "fast-check";
import {
  CancelledError,
  DeadlineExceededError,
  HandleNotFoundError,
  InvalidPlanError,
  LimitExceededError,
  type PolaroidError,
  UnavailableError,
} from "../../shared/errors.ts";
import { fromServiceError, toStatusObject } from "../../shared/grpc/status.ts";
import { Balancer } from "./balancer.ts";
import {
  type Attempt,
  backoffDelay,
  isRetryable,
  RETRY_CODES,
  retryAfter,
  retryCall,
  type RetryMethod,
  type RetryPlan,
  retryStream,
} from "./retry.ts";

const ENDPOINTS = ["a:1", "b:1", "c:1"];

/** An error as a Polaroid server sends it (status details included). */
function sent(error: PolaroidError): PolaroidError {
  return fromServiceError({ ...toStatusObject(error), message: error.message });
}

/** A fake clock whose sleep advances it, and the waits asked for. */
function fakeTime() {
  let t = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    advance: (ms: number) => void (t += ms),
    sleep: (ms: number) => {
      waits.push(ms);
      t += ms;
      return Promise.resolve();
    },
  };
}

function plan(overrides: Partial<RetryPlan> = {}): RetryPlan & ReturnType<typeof fakeTime> {
  const time = fakeTime();
  return {
    ...time,
    balancer: new Balancer(ENDPOINTS, { now: time.now }),
    deadline: 10_000,
    random: () => 0.5,
    ...overrides,
  };
}

Deno.test("backoffDelay() stays in [0, min(maxDelayMs, baseDelayMs * 2^retry))", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 1, max: 1000 }),
      fc.integer({ min: 1, max: 60_000 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (retry, baseDelayMs, maxDelayMs, r) => {
        const cap = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
        const delay = backoffDelay(retry, { baseDelayMs, maxDelayMs, random: () => r });
        return Number.isInteger(delay) && delay >= 0 && delay < cap;
      },
    ),
  );
  // The defaults: caps of 50, 100, 200, ... ms up to 2 s.
  const top = (retry: number) => backoffDelay(retry, { random: () => 0.999999 });
  assert.deepEqual([0, 1, 2, 3, 5, 6, 10].map(top), [49, 99, 199, 399, 1599, 1999, 1999]);
  assert.equal(backoffDelay(3, { random: () => 0 }), 0);
});

Deno.test("backoffDelay() jitter covers the whole range uniformly", () => {
  const samples = Array.from({ length: 20_000 }, () => backoffDelay(4)); // cap 800 ms
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  assert.ok(Math.min(...samples) < 10, "waits near 0 occur");
  assert.ok(Math.max(...samples) > 790 && Math.max(...samples) < 800, "waits near the cap occur");
  assert.ok(Math.abs(mean - 400) < 15, `mean ${mean}`);
  const quarters = [0, 0, 0, 0];
  for (const s of samples) quarters[Math.floor(s / 200)]!++;
  for (const q of quarters) assert.ok(Math.abs(q / samples.length - 0.25) < 0.02, `${quarters}`);
});

Deno.test("isRetryable() classifies failures by call", () => {
  const unavailable = new UnavailableError("No connection established");
  const deadline = new DeadlineExceededError("Deadline exceeded");
  const busy = sent(
    new LimitExceededError("too many concurrent calls", { metadata: { retryable: "true" } }),
  );
  const methods = Object.keys(RETRY_CODES) as RetryMethod[];
  const table = Object.fromEntries(
    methods.map((m) => [m, [unavailable, deadline, busy].map((e) => isRetryable(e, m))]),
  );
  assert.deepEqual(table, {
    collect: [true, true, true],
    schema: [true, true, true],
    explain: [true, true, true],
    describeHandle: [true, true, true],
    resolveHandle: [true, true, true],
    listHandles: [true, true, true],
    // Execute, Upload, Retain and Release may have run when their deadline passed.
    execute: [true, false, true],
    retainHandle: [true, false, true],
    releaseHandle: [true, false, true],
    pinHandle: [true, true, true],
    unpinHandle: [true, true, true],
    upload: [true, false, true],
    // A sink may have written when its deadline passed.
    sink: [true, false, true],
    // A job id submitted twice is one job.
    submitJob: [true, true, true],
    getJob: [true, true, true],
    watchJob: [true, true, true],
  });
  for (const m of methods) {
    assert.equal(isRetryable(new InvalidPlanError("bad"), m), false);
    assert.equal(isRetryable(sent(new HandleNotFoundError("gone")), m), false);
    assert.equal(isRetryable(new Error("plain"), m), false);
    // The client's own message size limit is not a server's refusal, nor is a limit of
    // the query itself (it fails the same way on every worker).
    assert.equal(isRetryable(new LimitExceededError("Received message larger than max"), m), false);
    assert.equal(isRetryable(sent(new LimitExceededError("too many result rows")), m), false);
  }
});

Deno.test("retryCall() tries the next endpoint after UNAVAILABLE and cools the failed one down", async () => {
  const p = plan();
  const seen: Attempt[] = [];
  const result = await retryCall("schema", (attempt) => {
    seen.push(attempt);
    if (attempt.endpoint === "a:1") throw new UnavailableError("No connection established");
    return Promise.resolve(`answer from ${attempt.endpoint}`);
  }, p);
  assert.equal(result, "answer from b:1");
  assert.deepEqual(seen.map((a) => [a.endpoint, a.number]), [["a:1", 1], ["b:1", 2]]);
  assert.deepEqual(p.waits, [25], "half of the first cap with random() = 0.5");
  assert.equal(seen[1]!.timeoutMs, 10_000 - 25, "the second attempt gets what is left");
  assert.equal(p.balancer.isDown("a:1"), true);
  // The next calls round-robin over the endpoints that answer.
  assert.deepEqual([p.balancer.pick(), p.balancer.pick(), p.balancer.pick()], [
    "c:1",
    "b:1",
    "c:1",
  ]);
});

Deno.test("retryCall() gives up after `attempts` with the last error and the attempt count", async () => {
  const p = plan({ attempts: 3 });
  const endpoints: string[] = [];
  await assert.rejects(
    retryCall("collect", (a) => {
      endpoints.push(a.endpoint);
      return Promise.reject(
        sent(new LimitExceededError(`busy ${a.number}`, { metadata: { retryable: "true" } })),
      );
    }, p),
    (e: unknown) => {
      assert.ok(e instanceof LimitExceededError);
      assert.equal(e.message, "busy 3 (after 3 attempts, the last on c:1)");
      return true;
    },
  );
  assert.deepEqual(endpoints, ENDPOINTS);
  assert.deepEqual(p.waits, [25, 50], "exponential caps 50 and 100, jittered at 0.5");
  assert.equal(p.balancer.isDown("a:1"), false, "RESOURCE_EXHAUSTED does not cool down");
});

Deno.test("retryCall() does not repeat what a call may not repeat", async () => {
  for (
    const [method, error] of [
      ["execute", new DeadlineExceededError("Deadline exceeded")],
      ["releaseHandle", new DeadlineExceededError("Deadline exceeded")],
      ["upload", new DeadlineExceededError("Deadline exceeded")],
      ["collect", new InvalidPlanError("bad plan")],
    ] as const
  ) {
    const p = plan();
    let calls = 0;
    await assert.rejects(
      retryCall(method, () => (calls++, Promise.reject(error)), p),
      (e: unknown) => e === error && !/attempts/.test((e as Error).message),
    );
    assert.equal(calls, 1, method);
    assert.deepEqual(p.waits, []);
  }
});

Deno.test("retryCall() keeps the call's deadline: no wait or attempt goes past it", async () => {
  const p = plan({ deadline: 1000, attempts: 10, baseDelayMs: 200, random: () => 0.99 });
  const attempts: Attempt[] = [];
  await assert.rejects(
    retryCall("describeHandle", (a) => {
      attempts.push(a);
      p.advance(100); // each attempt takes 100 ms
      return Promise.reject(new UnavailableError("No connection established"));
    }, p),
    (e: unknown) => e instanceof UnavailableError && /after 3 attempts/.test(e.message),
  );
  // 0..100 first attempt, wait 198 → 298..398, wait 396 → 794..894; the next wait (792)
  // would end past 1000 ms, so the call stops there.
  assert.deepEqual(attempts.map((a) => a.timeoutMs), [1000, 702, 206]);
  assert.deepEqual(p.waits, [198, 396]);
  assert.ok(p.now() <= 1000);
  // A deadline already passed: no attempt at all.
  const late = plan({ deadline: -1 });
  await assert.rejects(
    retryCall("schema", () => Promise.resolve(1), late),
    (e: unknown) => e instanceof DeadlineExceededError && /deadline passed/.test(e.message),
  );
});

Deno.test("retryStream() retries until the first message, never after", async () => {
  const p = plan();
  const opened: string[] = [];
  const stream = retryStream("collect", async function* (a) {
    opened.push(a.endpoint);
    if (a.number === 1) throw new UnavailableError("No connection established");
    yield 1;
    yield 2;
    throw new UnavailableError("Connection dropped");
  }, p);
  const got: number[] = [];
  await assert.rejects(
    (async () => {
      for await (const m of stream) got.push(m);
    })(),
    (e: unknown) => e instanceof UnavailableError && e.message === "Connection dropped",
  );
  assert.deepEqual(got, [1, 2]);
  assert.deepEqual(opened, ["a:1", "b:1"]);
  assert.equal(p.balancer.isDown("b:1"), true, "the endpoint that broke cools down too");
});

Deno.test("retryStream() shares `tried` so a resumed stream avoids the endpoint that broke", async () => {
  const p = plan({ balancer: new Balancer(ENDPOINTS, { mode: "affinity" }), key: "t.k" });
  const tried = new Set<string>();
  const first: string[] = [];
  const open = async function* (a: Attempt) {
    first.push(a.endpoint);
    yield a.endpoint;
  };
  for await (const _ of retryStream("collect", open, { ...p, tried })) break;
  tried.add(first[0]!); // the stream broke there
  for await (const _ of retryStream("collect", open, { ...p, tried })) break;
  assert.equal(first.length, 2);
  assert.notEqual(first[1], first[0]);
});

Deno.test("retryCall() stops waiting when the call is aborted", async () => {
  const controller = new AbortController();
  const p = plan({
    signal: controller.signal,
    sleep: (_ms, signal) =>
      new Promise((_resolve, reject) => {
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      }),
  });
  const call = retryCall("schema", () => Promise.reject(new UnavailableError("down")), p);
  setTimeout(() => controller.abort(new Error("stop")), 10);
  await assert.rejects(
    call,
    (e: unknown) => e instanceof CancelledError && /aborted/.test(e.message),
  );
});

Deno.test("retryCall() goes on past any count while its time budget lasts, then stops", async () => {
  const p = plan({ deadline: 1_000_000, budgetMs: 20_000, maxDelayMs: 1000 });
  let attempts = 0;
  await assert.rejects(
    retryCall("schema", () => {
      attempts++;
      return Promise.reject(new UnavailableError("No connection established"));
    }, p),
    (e: unknown) => e instanceof UnavailableError && /after \d+ attempts/.test(e.message),
  );
  assert.ok(attempts > 20, `${attempts} attempts in a 20 s budget with waits under 1 s`);
  const waited = p.waits.reduce((a, b) => a + b, 0);
  assert.ok(waited < 20_000, `every wait ends inside the budget: ${waited} ms`);
});

Deno.test("retryCall() waits at least the `retryAfterMs` a tenant quota's refusal asks for", async () => {
  const p = plan();
  let calls = 0;
  const result = await retryCall("collect", () => {
    calls++;
    if (calls === 1) {
      return Promise.reject(
        sent(
          new LimitExceededError("Cannot take the call as tenant 'acme' may start at most 2", {
            metadata: { limit: "tenant_rate", retryAfterMs: "400", retryable: "true" },
          }),
        ),
      );
    }
    return Promise.resolve("done");
  }, p);
  assert.equal(result, "done");
  assert.deepEqual(p.waits, [400], "the server's wait, longer than the 25 ms backoff");
  // A wait the budget cannot hold ends the call with the refusal rather than a late attempt.
  const short = plan({ budgetMs: 300 });
  await assert.rejects(
    retryCall("collect", () =>
      Promise.reject(
        sent(
          new LimitExceededError("over quota", {
            metadata: { limit: "tenant_rate", retryAfterMs: "400", retryable: "true" },
          }),
        ),
      ), short),
    (e: unknown) => e instanceof LimitExceededError && !/attempts/.test(e.message),
  );
  assert.deepEqual(short.waits, []);
});

Deno.test("retryAfter() reads a positive wait and ignores anything else", () => {
  const withWait = (v: string) =>
    new LimitExceededError("x", { metadata: { retryAfterMs: v, retryable: "true" } });
  assert.equal(retryAfter(withWait("250")), 250);
  assert.equal(retryAfter(withWait("10000000")), 60_000, "capped at one minute");
  for (const bad of ["", "-5", "NaN", "1e400", "abc"]) assert.equal(retryAfter(withWait(bad)), 0);
  assert.equal(retryAfter(new Error("plain")), 0);
});
