import assert from "node:assert/strict";
import { freePort, freePorts, freePortsBesides } from "./_ports.ts";

Deno.test("freePort() returns a port that can be bound", () => {
  const port = freePort();
  assert.ok(port > 0 && port < 65536);
  const listener = Deno.listen({ hostname: "127.0.0.1", port });
  assert.equal((listener.addr as Deno.NetAddr).port, port);
  listener.close();
});

Deno.test("freePorts() returns distinct ports", () => {
  const ports = freePorts(8);
  assert.equal(ports.length, 8);
  assert.equal(new Set(ports).size, 8);
});

Deno.test("freePorts() rejects a negative count", () => {
  assert.throws(() => freePorts(-1), RangeError);
});

Deno.test("freePortsBesides() picks distinct free ports outside the taken ones", () => {
  const taken = freePorts(5);
  const picked = freePortsBesides(4, taken);
  assert.equal(new Set(picked).size, 4);
  for (const p of picked) assert.ok(!taken.includes(p), `${p} was taken`);
});
