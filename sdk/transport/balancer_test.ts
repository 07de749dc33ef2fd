import assert from "node:assert/strict";
import type { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import { Balancer, firstHandleId, rendezvousOrder, sourceHandleId } from "./balancer.ts";

const ENDPOINTS = ["10.0.0.1:50051", "10.0.0.2:50051", "10.0.0.3:50051"];

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

function keys(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `default.${i.toString(32).padStart(26, "a")}`);
}

Deno.test("Balancer.pick() goes round robin over the endpoints", () => {
  const balancer = new Balancer(ENDPOINTS);
  const picks = Array.from({ length: 7 }, () => balancer.pick());
  assert.deepEqual(picks, [...ENDPOINTS, ...ENDPOINTS, ENDPOINTS[0]]);
  assert.equal(balancer.mode, "round_robin");
});

Deno.test("Balancer.pick() skips an endpoint in its cool-down until it ends", () => {
  const { now, advance } = clock();
  const balancer = new Balancer(ENDPOINTS, { coolDownMs: 1000, now });
  balancer.markDown(ENDPOINTS[1]!);
  const during = Array.from({ length: 4 }, () => balancer.pick());
  assert.deepEqual(during, [ENDPOINTS[0], ENDPOINTS[2], ENDPOINTS[0], ENDPOINTS[2]]);
  advance(999);
  assert.equal(balancer.isDown(ENDPOINTS[1]!), true);
  advance(1);
  assert.equal(balancer.isDown(ENDPOINTS[1]!), false);
  assert.deepEqual([balancer.pick(), balancer.pick()], [ENDPOINTS[0], ENDPOINTS[1]]);
  // markUp() ends a cool-down at once.
  balancer.markDown(ENDPOINTS[2]!);
  balancer.markUp(ENDPOINTS[2]!);
  assert.equal(balancer.pick(), ENDPOINTS[2]);
});

Deno.test("Balancer.pick() still picks when every endpoint is down", () => {
  const { now } = clock();
  const balancer = new Balancer(ENDPOINTS, { now });
  for (const e of ENDPOINTS) balancer.markDown(e);
  assert.deepEqual(Array.from({ length: 3 }, () => balancer.pick()), ENDPOINTS);
});

Deno.test("Balancer.pick() avoids endpoints a call failed on, preferring one that is up", () => {
  const { now } = clock();
  const balancer = new Balancer(ENDPOINTS, { now });
  const [a, b, c] = ENDPOINTS as [string, string, string];
  assert.equal(balancer.pick(undefined, new Set([a])), b);
  assert.equal(balancer.pick(undefined, new Set([a, c])), b);
  balancer.markDown(c);
  // a failed this call but is up; c was not tried but is down; b was tried: a wins.
  assert.equal(balancer.pick(undefined, new Set([a, b])), a);
  // Every endpoint tried and down: an untried one does not exist, any is returned.
  for (const e of ENDPOINTS) balancer.markDown(e);
  assert.ok(ENDPOINTS.includes(balancer.pick(undefined, new Set(ENDPOINTS))));
});

Deno.test("Balancer.pick() with affinity sends one handle to one endpoint, others round robin", () => {
  const { now } = clock();
  const balancer = new Balancer(ENDPOINTS, { mode: "affinity", now });
  const [key] = keys(1) as [string];
  const home = rendezvousOrder(key, ENDPOINTS);
  const picks = new Set(Array.from({ length: 20 }, () => balancer.pick(key)));
  assert.deepEqual([...picks], [home[0]]);
  assert.deepEqual(Array.from({ length: 3 }, () => balancer.pick()), ENDPOINTS);
  // Its home down: the key's second choice, the same on every client.
  balancer.markDown(home[0]!);
  assert.equal(balancer.pick(key), home[1]);
  assert.equal(balancer.pick(key, new Set([home[1]!])), home[2]);
  // Different handles spread over every endpoint.
  const spread = new Set(
    keys(30).map((k) => new Balancer(ENDPOINTS, { mode: "affinity" }).pick(k)),
  );
  assert.equal(spread.size, 3);
});

Deno.test("new Balancer() rejects no endpoints and an unknown mode; duplicates count once", () => {
  assert.throws(() => new Balancer([]), /at least one endpoint/);
  assert.throws(
    () => new Balancer(ENDPOINTS, { mode: "random" as "affinity" }),
    /'balance' must be one of "round_robin", "affinity": current value is "random"/,
  );
  const balancer = new Balancer([ENDPOINTS[0]!, ENDPOINTS[0]!, ENDPOINTS[1]!]);
  assert.deepEqual(balancer.endpoints, [ENDPOINTS[0], ENDPOINTS[1]]);
});

Deno.test("rendezvousOrder() spreads keys evenly and is the same for any endpoint order", () => {
  const all = keys(30_000);
  const counts = new Map<string, number>();
  for (const key of all) {
    const [first] = rendezvousOrder(key, ENDPOINTS);
    counts.set(first!, (counts.get(first!) ?? 0) + 1);
  }
  for (const e of ENDPOINTS) {
    const share = counts.get(e)! / all.length;
    assert.ok(Math.abs(share - 1 / 3) < 0.02, `${e} got ${share}`);
  }
  const reversed = [...ENDPOINTS].reverse();
  for (const key of all.slice(0, 500)) {
    assert.deepEqual(rendezvousOrder(key, reversed), rendezvousOrder(key, ENDPOINTS));
  }
});

Deno.test("rendezvousOrder(): adding an endpoint moves about 1/N of the keys, all to it", () => {
  const all = keys(30_000);
  const added = "10.0.0.4:50051";
  const four = [...ENDPOINTS, added];
  let moved = 0;
  for (const key of all) {
    const before = rendezvousOrder(key, ENDPOINTS)[0];
    const after = rendezvousOrder(key, four)[0];
    if (before !== after) {
      moved++;
      assert.equal(after, added, "a key moves only to the new endpoint");
    }
  }
  const share = moved / all.length;
  assert.ok(Math.abs(share - 1 / 4) < 0.02, `${share} of the keys moved`);
  // Removing an endpoint moves only the keys it held.
  for (const key of all.slice(0, 3000)) {
    const before = rendezvousOrder(key, four);
    const after = rendezvousOrder(key, ENDPOINTS);
    assert.deepEqual(after, before.filter((e) => e !== added));
  }
});

function scanHandle(id: string): Plan {
  return { node: { $case: "scan", value: { source: { $case: "handle", value: id } } } };
}

function scanFile(path: string): Plan {
  return {
    node: { $case: "scan", value: { source: { $case: "file", value: { path, format: 1 } } } },
  };
}

Deno.test("firstHandleId() finds the first handle a plan scans, depth first", () => {
  assert.equal(firstHandleId(scanHandle("t.a")), "t.a");
  assert.equal(firstHandleId(scanFile("x.parquet")), undefined);
  assert.equal(firstHandleId(undefined), undefined);
  const join: Plan = {
    node: {
      $case: "join",
      value: {
        left: { node: { $case: "filter", value: { input: scanFile("x.parquet") } } },
        right: scanHandle("t.right"),
        how: 0,
        leftOn: [],
        rightOn: [],
        suffix: "",
        coalesce: false,
        maintainOrder: 0,
      },
    },
  };
  assert.equal(firstHandleId(join), "t.right");
  const sql: Plan = {
    node: {
      $case: "sql",
      value: {
        query: "select 1",
        tables: { a: scanFile("a.csv"), b: scanHandle("t.b") },
        ownedHandles: false,
      },
    },
  };
  assert.equal(firstHandleId(sql), "t.b");
  // A plan thousands of nodes deep does not overflow the stack.
  let deep = scanHandle("t.deep");
  for (let i = 0; i < 50_000; i++) deep = { node: { $case: "cache", value: { input: deep } } };
  assert.equal(firstHandleId(deep), "t.deep");
  assert.equal(sourceHandleId({ $case: "handle", value: "t.h" }), "t.h");
  assert.equal(sourceHandleId({ $case: "plan", value: join }), "t.right");
});

Deno.test("a retry goes to an endpoint known to be up before one not heard from", () => {
  const { now, advance } = clock();
  const balancer = new Balancer(ENDPOINTS, { now, upWindowMs: 5000 });
  const [a, b, c] = ENDPOINTS as [string, string, string];
  balancer.markUp(c);
  // A first attempt round-robins over every endpoint not cooling down.
  assert.equal(balancer.pick(), a);
  // A retry after a failed on a: c answered lately, b never did.
  assert.equal(balancer.pick(undefined, new Set([a])), c);
  // Once c's answer is older than the window, it is no better known than b.
  advance(5001);
  assert.equal(balancer.isUp(c), false);
  assert.ok([b, c].includes(balancer.pick(undefined, new Set([a]))));
  // A cool-down ends what was known.
  balancer.markUp(b);
  balancer.markDown(b);
  assert.equal(balancer.isUp(b), false);
});

Deno.test("when every endpoint cools down, a retry takes the one back first", () => {
  const { now, advance } = clock();
  const balancer = new Balancer(ENDPOINTS, { now, coolDownMs: 1000 });
  const [a, b, c] = ENDPOINTS as [string, string, string];
  balancer.markDown(b);
  advance(10);
  balancer.markDown(a);
  advance(10);
  balancer.markDown(c);
  assert.equal(balancer.pick(undefined, new Set([a])), b);
  assert.equal(balancer.pick(), b);
});
