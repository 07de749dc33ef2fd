import assert from "node:assert/strict";
import { parseUpFlags, planPorts, WELL_KNOWN_PORTS } from "./_up.ts";

Deno.test("parseUpFlags() reads the flags of deno task up", () => {
  assert.deepEqual(parseUpFlags([]), { demo: true, exitAfterDemo: false, freePorts: false });
  assert.deepEqual(parseUpFlags(["--no-demo", "--free-ports"]), {
    demo: false,
    exitAfterDemo: false,
    freePorts: true,
  });
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
    false,
    isFree,
  );
  assert.equal(plan.ports.handles, 6000);
  assert.equal(plan.ports.ingest, WELL_KNOWN_PORTS.ingest);
  assert.equal(plan.ports.compute, undefined, "busy default left to be picked free");
  assert.deepEqual(plan.replaced, ["50051 (compute)"]);
  assert.deepEqual(plan.busyConfigured, ["7000 (POLAROID_NATS_PORT)"]);
  assert.deepEqual(planPorts({}, true, isFree).ports, {});
  assert.throws(
    () => planPorts({ POLAROID_COMPUTE_PORT: "http" }, false, isFree),
    /POLAROID_COMPUTE_PORT/,
  );
});
