import assert from "node:assert/strict";
import { parseUpFlags, planHandleStore, planPorts, WELL_KNOWN_PORTS } from "./_up.ts";

Deno.test("parseUpFlags() reads the flags of deno task up", () => {
  assert.deepEqual(parseUpFlags([]), {
    demo: true,
    exitAfterDemo: false,
    freePorts: false,
    tls: false,
    mtls: false,
    observability: false,
    bulk: false,
  });
  assert.deepEqual(parseUpFlags(["--no-demo", "--free-ports", "--tls"]), {
    demo: false,
    exitAfterDemo: false,
    freePorts: true,
    tls: true,
    mtls: false,
    observability: false,
    bulk: false,
  });
  assert.equal(parseUpFlags(["--bulk"]).bulk, true);
  assert.equal(parseUpFlags(["--observability"]).observability, true);
  assert.equal(parseUpFlags(["--tls", "--workers", "2"]).workers, 2, "TLS behind the balancer");
  assert.deepEqual([parseUpFlags(["--mtls"]).tls, parseUpFlags(["--mtls"]).mtls], [true, true]);
  assert.throws(() => parseUpFlags(["--mtls", "--workers", "2"]), /'--mtls' does not go with/);
  assert.equal(parseUpFlags(["--exit-after-demo"]).exitAfterDemo, true);
});

Deno.test("parseUpFlags() rejects an unknown flag with the usage", () => {
  assert.throws(
    () => parseUpFlags(["--demo-only"]),
    /Cannot start as '--demo-only' is not a flag of deno task up\nusage: deno task up/,
  );
});

Deno.test("planPorts() keeps configured ports, uses free defaults, replaces busy ones", () => {
  const busy = new Set([50051, 7000]);
  const isFree = (port: number) => !busy.has(port);
  const plan = planPorts(
    { POLAROID_HANDLES_PORT: "6000", POLAROID_NATS_PORT: "7000" },
    { isFree },
  );
  assert.equal(plan.ports.handles, 6000);
  assert.equal(plan.ports.ingest, WELL_KNOWN_PORTS.ingest);
  assert.equal(plan.ports.compute, undefined, "busy default left to be picked free");
  assert.deepEqual(plan.replaced, ["50051 (compute)"]);
  assert.deepEqual(plan.busyConfigured, ["7000 (POLAROID_NATS_PORT)"]);
  assert.equal(plan.ports.balancer, undefined, "no balancer ports without a balancer");
  assert.deepEqual(planPorts({}, { freePorts: true, isFree }).ports, {});
  assert.throws(
    () => planPorts({ POLAROID_COMPUTE_PORT: "http" }, { isFree }),
    /POLAROID_COMPUTE_PORT/,
  );
});

Deno.test("parseUpFlags() reads --workers N and --workers=N, refusing a bad count", () => {
  assert.equal(parseUpFlags([]).workers, undefined);
  assert.equal(parseUpFlags(["--workers", "3", "--no-demo"]).workers, 3);
  assert.equal(parseUpFlags(["--workers=2"]).workers, 2);
  for (const bad of [["--workers"], ["--workers", "0"], ["--workers=two"], ["--workers", "1.5"]]) {
    assert.throws(() => parseUpFlags(bad), /'--workers' must be an integer in \[1, 64\]/);
  }
});

Deno.test("planPorts() plans the balancer's ports only with a balancer", () => {
  const plan = planPorts({ POLAROID_BALANCER_PORT: "6100" }, {
    balancer: true,
    isFree: () => true,
  });
  assert.equal(plan.ports.balancer, 6100);
  assert.equal(plan.ports.balancerHttp, WELL_KNOWN_PORTS.balancerHttp);
});

Deno.test("planHandleStore() gives live tables a store, and shares it between several workers", () => {
  let made = 0;
  const stateDir = () => `/tmp/state-${++made}`;
  // One worker: a state directory for live tables only (handles stay in the worker).
  assert.deepEqual(planHandleStore({}, { workers: 1, stateDir }).env, {
    POLAROID_STATE_DIR: "/tmp/state-1",
  });
  assert.deepEqual(
    planHandleStore({ POLAROID_STATE_DIR: "/kept" }, { workers: 1, stateDir }),
    { env: {} },
  );
  made = 0;
  const shared = planHandleStore({}, { workers: 3, stateDir });
  assert.deepEqual(shared.env, {
    POLAROID_HANDLE_STORE: "external",
    POLAROID_STATE_DIR: "/tmp/state-1",
  });
  assert.match(shared.message!, /3 workers share the external handle store in \/tmp\/state-1/);
  const kept = planHandleStore({ POLAROID_HANDLE_STORE: "external" }, { workers: 2, stateDir });
  assert.deepEqual(kept.env, {});
  assert.equal(made, 1, "no directory is made when the environment names the store");
  assert.match(
    planHandleStore({ POLAROID_HANDLE_STORE: "memory" }, { workers: 2, stateDir }).message!,
    /^warning: POLAROID_HANDLE_STORE=memory/,
  );
});
