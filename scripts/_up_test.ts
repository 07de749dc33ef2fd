import assert from "node:assert/strict";
import { busyPorts, parseUpFlags, WELL_KNOWN_PORTS } from "./_up.ts";
import { freePorts } from "./_ports.ts";

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

Deno.test("busyPorts() names the ports something listens on", () => {
  const free = freePorts(8);
  const ports = Object.fromEntries(
    Object.keys(WELL_KNOWN_PORTS).map((key, i) => [key, free[i]!]),
  ) as typeof WELL_KNOWN_PORTS;
  const listener = Deno.listen({ hostname: "127.0.0.1", port: ports.compute });
  try {
    assert.deepEqual(busyPorts(ports), [`${ports.compute} (compute)`]);
  } finally {
    listener.close();
  }
  assert.deepEqual(busyPorts(ports), []);
});
