/**
 * TLS on a gRPC server (connections.ts) and its clients (RpcClient `tls`): a client trusting
 * the CA calls it; a plaintext client and a client trusting another CA do not get through;
 * the server's GOAWAY shield and filter work over TLS (a drain under a TLS connection).
 * Certificates come from a local CA made with openssl (scripts/_certs.ts).
 */

import assert from "node:assert/strict";
import { makeCertificates } from "../../scripts/_certs.ts";
import { HealthService } from "../gen/grpc/health/v1/health.ts";
import { createLogger } from "../telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../telemetry/metrics.ts";
import { RpcClient } from "./client.ts";
import { ServingStatus } from "./health.ts";
import { startGrpcServer } from "./server.ts";

const dir = await Deno.makeTempDir({ prefix: "polaroid-tls-" });
const certs = await makeCertificates(`${dir}/a`, ["server"]);
const other = await makeCertificates(`${dir}/b`, ["server"]);
const read = (path: string) => Deno.readTextFile(path);
const ca = await read(certs.ca);
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

async function tlsServer(files = certs.issued.server!) {
  return await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [],
    maxMessageBytes: 1024 * 1024,
    tls: { cert: await read(files.cert), key: await read(files.key) },
    logger: createLogger("test", { write: () => {} }),
    metrics: createRpcMetrics(createRegistry("test")),
  });
}

Deno.test("a client that trusts the CA calls a TLS server; others do not get through", async () => {
  await using server = await tlsServer();
  const at = `localhost:${server.port}`;
  const good = new RpcClient(at, HealthService, { tls: { ca }, timeoutMs: 5000 });
  const plain = new RpcClient(at, HealthService, { timeoutMs: 2000 });
  const stranger = new RpcClient(at, HealthService, {
    tls: { ca: await read(other.ca) },
    timeoutMs: 2000,
  });
  try {
    for (let i = 0; i < 20; i++) {
      assert.equal((await good.unary("check", { service: "" })).status, ServingStatus.SERVING);
    }
    await assert.rejects(plain.unary("check", { service: "" }));
    await assert.rejects(stranger.unary("check", { service: "" }));
  } finally {
    good.close();
    plain.close();
    stranger.close();
  }
});

Deno.test("a TLS server drains: calls on a TLS connection finish, the client moves on", async () => {
  const server = await tlsServer();
  const at = `localhost:${server.port}`;
  const client = new RpcClient(at, HealthService, { tls: { ca }, timeoutMs: 5000 });
  try {
    assert.equal((await client.unary("check", { service: "" })).status, ServingStatus.SERVING);
    await server.close(2000);
    // The process is alive and the client fails cleanly (UNAVAILABLE), not with a crash.
    await assert.rejects(client.unary("check", { service: "" }, { timeoutMs: 1000 }));
  } finally {
    client.close();
  }
});

Deno.test("the server's certificate must name the address called: an IP address or a host name", async () => {
  await using server = await tlsServer();
  const byIp = new RpcClient(`127.0.0.1:${server.port}`, HealthService, { tls: { ca } });
  try {
    assert.equal((await byIp.unary("check", { service: "" })).status, ServingStatus.SERVING);
  } finally {
    byIp.close();
  }
  // A certificate for another name only: neither the IP address nor localhost matches it.
  const elsewhere = await makeCertificates(`${dir}/c`, ["server"], ["example.com"]);
  await using wrong = await tlsServer(elsewhere.issued.server!);
  const trusting = await read(elsewhere.ca);
  for (const host of ["127.0.0.1", "localhost"]) {
    const client = new RpcClient(`${host}:${wrong.port}`, HealthService, {
      tls: { ca: trusting },
      timeoutMs: 2000,
    });
    try {
      await assert.rejects(
        client.unary("check", { service: "" }),
        /altnames|not in the cert|does not match|certificate/i,
        host,
      );
    } finally {
      client.close();
    }
  }
});
