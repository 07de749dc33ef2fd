import assert from "node:assert/strict";
import { pickClusterPorts } from "./_cluster_ports.ts";

Deno.test("pickClusterPorts() keeps fixed ports and picks distinct free ones for the rest", () => {
  const { ports, workers } = pickClusterPorts({ compute: 50051, handles: 50052 }, { workers: 3 });
  assert.equal(ports.compute, 50051);
  assert.equal(ports.handles, 50052);
  assert.deepEqual(workers[0], { grpc: 50051, http: ports.computeHttp });
  assert.equal(workers.length, 3);
  assert.equal(ports.balancer, 0, "no balancer port unless asked");
  const all = [
    ...Object.entries(ports).filter(([k]) => !k.startsWith("balancer")).map(([, p]) => p),
    ...workers.slice(1).flatMap((w) => [w.grpc, w.http]),
  ];
  assert.equal(new Set(all).size, all.length, "every port is distinct");
});

Deno.test("pickClusterPorts() picks the balancer's ports when asked", () => {
  const { ports, workers } = pickClusterPorts({ balancer: 50050 }, { balancer: true });
  assert.equal(ports.balancer, 50050);
  assert.ok(ports.balancerHttp > 0 && ports.balancerHttp !== ports.balancer);
  assert.equal(workers.length, 1);
});
