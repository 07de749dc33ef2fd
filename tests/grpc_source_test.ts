/**
 * The gRPC stream source against real grpc-js servers speaking a .proto the test writes:
 * rows with exact 64-bit integers, metadata from a credential, reconnection round two
 * targets when a stream ends, bad specs refused by field.
 */

import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import protobuf from "protobufjs";
import { InvalidArgumentError } from "../shared/errors.ts";
import { connect, connectIngest, type SourceInfo } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { waitForSource } from "./_ingest.ts";
import { makeCertificates } from "../scripts/_certs.ts";
import { startGrpcServer } from "../shared/grpc/server.ts";
import { bind } from "../shared/grpc/types.ts";
import { createLogger } from "../shared/telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../shared/telemetry/metrics.ts";

const PROTO = `
syntax = "proto3";
package md.v1;
message Subscribe { repeated string symbols = 1; }
message Quote { string sym = 1; int64 seq = 2; double px = 3; Venue venue = 4; }
message Venue { string mic = 1; uint32 lot = 2; }
service Quotes { rpc Stream(Subscribe) returns (stream Quote); rpc Once(Subscribe) returns (Quote); }
`;
const root = protobuf.parse(PROTO, { keepCase: true }).root;
const Subscribe = root.lookupType("md.v1.Subscribe");
const Quote = root.lookupType("md.v1.Quote");

/** A server that streams `count` quotes per call, then ends the stream. */
async function quoteServer(name: string, count: number) {
  const calls: { symbols: string[]; token: string | undefined }[] = [];
  const server = new grpc.Server();
  server.addService({
    Stream: {
      path: "/md.v1.Quotes/Stream",
      requestStream: false,
      responseStream: true,
      requestDeserialize: (bytes: Buffer) => Subscribe.toObject(Subscribe.decode(bytes)),
      responseSerialize: (quote: Record<string, unknown>) =>
        Buffer.from(Quote.encode(Quote.fromObject(quote)).finish()),
    },
  } as unknown as grpc.ServiceDefinition, {
    Stream: (call: grpc.ServerWritableStream<{ symbols: string[] }, Record<string, unknown>>) => {
      calls.push({
        symbols: call.request.symbols,
        token: call.metadata.get("x-api-key")[0]?.toString(),
      });
      const base = calls.length * 1000;
      for (let i = 0; i < count; i++) {
        call.write({
          sym: call.request.symbols[i % call.request.symbols.length],
          seq: String(9_007_199_254_740_000n + BigInt(base + i)),
          px: 100 + i / 10,
          venue: { mic: name, lot: 100 },
        });
      }
      call.end();
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      "127.0.0.1:0",
      grpc.ServerCredentials.createInsecure(),
      (e, p) => e ? reject(e) : resolve(p),
    )
  );
  return { target: `127.0.0.1:${port}`, calls, stop: () => server.forceShutdown() };
}

const stateDir = await Deno.makeTempDir({ prefix: "polaroid-grpc-state-" });
const certs = await makeCertificates(`${stateDir}/certs`, ["server", "client"]);
const pem = (path: string) => Deno.readTextFileSync(path);
const credentials = await Deno.makeTempFile({ suffix: ".json" });
await Deno.writeTextFile(
  credentials,
  JSON.stringify({
    default: {
      quotes: { headers: { "x-api-key": "k-123" } },
      mtls: {
        tls: {
          ca: pem(certs.ca),
          cert: pem(certs.issued.client!.cert),
          key: pem(certs.issued.client!.key),
        },
      },
    },
  }),
);
const cluster = await testCluster({
  env: { POLAROID_STATE_DIR: stateDir, POLAROID_INGEST_MAX_BATCH_DELAY_MS: "20" },
  serviceEnv: {
    ingest: {
      POLAROID_INGEST_ALLOW_HOSTS: "127.0.0.1",
      POLAROID_INGEST_CREDENTIALS_FILE: credentials,
    },
  },
});

/** Polls the source until `ok` holds. */
function waitFor(name: string, ok: (info: SourceInfo) => boolean): Promise<SourceInfo> {
  return waitForSource(cluster.endpoints.ingest, name, ok, 60_000);
}

Deno.test({
  name: "a server stream's messages become rows; the call is made again round the targets",
  ...INTEGRATION,
  async fn() {
    const a = await quoteServer("XNAS", 100);
    const b = await quoteServer("XNYS", 100);
    try {
      await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
      await using client = await connect({ endpoint: cluster.endpoints.compute });
      await ingest.addGrpcSource({
        name: "quotes",
        targets: [a.target, b.target],
        proto: PROTO,
        method: "md.v1.Quotes/Stream",
        request: { symbols: ["AAPL", "MSFT"] },
        credential: "quotes",
      });
      // Each call streams 100 and ends: the source calls again, alternating servers.
      const info = await waitFor("quotes", (s) => s.committedRows >= 400n && s.reconnectGaps >= 3n);
      assert.equal(info.rejected, 0n);
      assert.ok(a.calls.length >= 2 && b.calls.length >= 2, `${a.calls.length} ${b.calls.length}`);
      assert.deepEqual(a.calls[0], { symbols: ["AAPL", "MSFT"], token: "k-123" });
      const rows = await client.scanLive("quotes").head(2).toRecords();
      assert.equal(typeof rows[0]!.seq, "bigint");
      assert.ok((rows[0]!.seq as bigint) > 9_007_199_254_740_000n, "int64 past 2^53, exact");
      assert.equal((rows[0]!.venue as { lot: bigint }).lot, 100n, "a nested message is a struct");
      const venues = await client.scanLive("quotes").select("venue").toRecords();
      const mics = new Set(venues.map((r) => (r.venue as { mic: string }).mic));
      assert.deepEqual([...mics].sort(), ["XNAS", "XNYS"]);
      await ingest.removeSource("quotes");
    } finally {
      a.stop();
      b.stop();
    }
  },
});

Deno.test({
  name: "a gRPC source calls over mutual TLS with the credential's CA and client certificate",
  ...INTEGRATION,
  async fn() {
    // The project's own server ends TLS (ADR 0011) and asks for a client certificate.
    const definition = {
      stream: {
        path: "/md.v1.Quotes/Stream",
        requestStream: false,
        responseStream: true,
        requestSerialize: (v: Record<string, unknown>) =>
          Buffer.from(Subscribe.encode(Subscribe.fromObject(v)).finish()),
        requestDeserialize: (bytes: Buffer) =>
          Subscribe.toObject(Subscribe.decode(Uint8Array.from(bytes))),
        responseSerialize: (quote: Record<string, unknown>) =>
          Buffer.from(Quote.encode(Quote.fromObject(quote)).finish()),
        responseDeserialize: (bytes: Buffer) => Quote.toObject(Quote.decode(bytes)),
      },
    } as const;
    const server = await startGrpcServer({
      host: "127.0.0.1",
      port: 0,
      services: [bind(definition as never, {
        async *stream() {
          for (let i = 0; i < 50; i++) {
            yield { sym: "VOD", seq: String(i), px: 1, venue: { mic: "XLON", lot: 1 } };
          }
        },
      } as never)],
      maxMessageBytes: 1024 * 1024,
      logger: createLogger("grpc-source-tls", { write: () => {} }),
      metrics: createRpcMetrics(createRegistry("grpc_source_tls")),
      tls: {
        cert: pem(certs.issued.server!.cert),
        key: pem(certs.issued.server!.key),
        clientCa: pem(certs.ca),
      },
    });
    const secure = { target: `127.0.0.1:${server.port}`, stop: () => server.close(0) };
    try {
      await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
      await ingest.addGrpcSource({
        name: "secure",
        targets: [secure.target],
        proto: PROTO,
        method: "md.v1.Quotes/Stream",
        request: { symbols: ["VOD"] },
        credential: "mtls",
      });
      await waitFor("secure", (s) => s.committedRows >= 50n);
      // Without the client certificate the server refuses the connection.
      await ingest.addGrpcSource({
        name: "insecure",
        targets: [secure.target],
        proto: PROTO,
        method: "md.v1.Quotes/Stream",
        tls: true,
      });
      const refused = await waitFor("insecure", (s) => s.state === "retrying");
      assert.equal(refused.committedRows, 0n);
      await ingest.removeSource("secure");
      await ingest.removeSource("insecure");
    } finally {
      await secure.stop();
    }
  },
});

Deno.test({
  name: "a gRPC source: a bad .proto, method, request or target is refused by field",
  ...INTEGRATION,
  async fn() {
    await using ingest = await connectIngest({ endpoint: cluster.endpoints.ingest });
    const base = {
      name: "x",
      targets: ["127.0.0.1:1"],
      proto: PROTO,
      method: "md.v1.Quotes/Stream",
    };
    const cases: [Parameters<typeof ingest.addGrpcSource>[0], RegExp][] = [
      [{ ...base, proto: "syntax = nonsense" }, /'spec\.grpc\.proto'/],
      [{ ...base, proto: `import "other.proto";\n${PROTO}` }, /'spec\.grpc\.proto'/],
      [{ ...base, method: "md.v1.Quotes/Missing" }, /'spec\.grpc\.method'/],
      [{ ...base, method: "md.v1.Quotes/Once" }, /server-streaming/],
      [{ ...base, request: { symbols: 5 } }, /'spec\.grpc\.request_json'/],
      [{ ...base, targets: ["no-port"] }, /'spec\.grpc\.targets\[0\]'/],
      [{ ...base, credential: "nobody" }, /'spec\.grpc\.credential'/],
    ];
    for (const [options, message] of cases) {
      await assert.rejects(ingest.addGrpcSource(options), (e) => {
        assert.ok(e instanceof InvalidArgumentError, String(e));
        assert.match(e.message, message);
        return true;
      });
    }
    assert.deepEqual(await ingest.listSources(), []);
  },
});

Deno.test({
  name: "grpc source cluster stops",
  ...INTEGRATION,
  async fn() {
    await cluster.stop();
    await Deno.remove(stateDir, { recursive: true });
    await Deno.remove(credentials);
  },
});
