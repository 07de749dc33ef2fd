/**
 * A test server that drains again and again: a Polaroid gRPC server (shared/grpc/server.ts,
 * which drains with GOAWAY) serving a DataFrameService whose calls take a while, closed
 * gracefully every `--serve-ms` and started again on the same port after `--gap-ms`, for
 * `--cycles` drains; then it serves until its stdin closes, and exits 0. One JSON line per
 * event on stdout.
 *
 * `deno run -A tests/_goaway_server.ts --port 0 --cycles 8 --serve-ms 500 --gap-ms 200`
 *
 * Collect reads its shape from the handle it is asked for, "<messages>x<bytes>"; Upload
 * answers with the number of bytes it received as the handle id.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { DataFrameServiceService, ExecuteResponse } from "../shared/gen/polaroid/v1/dataframe.ts";
import { HandleInfo } from "../shared/gen/polaroid/v1/handle.ts";
import { InvalidArgumentError, NotFoundError } from "../shared/errors.ts";
import { startGrpcServer } from "../shared/grpc/server.ts";
import { bind } from "../shared/grpc/types.ts";
import { createLogger } from "../shared/telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../shared/telemetry/metrics.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    port: { type: "string", default: "0" },
    cycles: { type: "string", default: "8" },
    "serve-ms": { type: "string", default: "500" },
    "gap-ms": { type: "string", default: "200" },
    "grace-ms": { type: "string", default: "10000" },
  },
});
const cycles = Number(values.cycles);
const serveMs = Number(values["serve-ms"]);
const gapMs = Number(values["gap-ms"]);
const graceMs = Number(values["grace-ms"]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (event: Record<string, unknown>) => console.log(JSON.stringify(event));

let executed = 0;
const binding = bind(DataFrameServiceService, {
  async execute() {
    await sleep(Math.random() * 20);
    return ExecuteResponse.fromPartial({ handle: { id: `h${++executed}` } });
  },
  schema: () => Promise.reject(new NotFoundError("no schema here")),
  explain: () => Promise.reject(new NotFoundError("no plan here")),
  sink: () => Promise.reject(new NotFoundError("no output here")),
  async *collect(request) {
    const shape = request.source?.$case === "handle" ? request.source.value : "";
    const match = /^(\d+)x(\d+)$/.exec(shape);
    if (!match) {
      throw new InvalidArgumentError(`Cannot collect as the handle must be NxB: ${shape}`);
    }
    const payload = Buffer.alloc(Number(match[2]), 7);
    for (let i = 0; i < Number(match[1]); i++) {
      yield { arrowIpc: payload, rows: 1n, batchIndex: BigInt(i) };
    }
  },
  async upload(requests) {
    let bytes = 0;
    for await (const request of requests) bytes += request.arrowIpc.length;
    return { handle: HandleInfo.fromPartial({ id: String(bytes) }) };
  },
});

const start = (port: number) =>
  startGrpcServer({
    host: "127.0.0.1",
    port,
    services: [binding],
    maxMessageBytes: 64 << 20,
    logger: createLogger("goaway-server", { write: () => {} }),
    metrics: createRpcMetrics(createRegistry("goaway_server")),
  });

let server = await start(Number(values.port));
const port = server.port;
say({ event: "listening", port });
for (let cycle = 1; cycle <= cycles; cycle++) {
  await sleep(serveMs);
  const started = performance.now();
  const active = server.activeCalls;
  await server.close(graceMs);
  say({
    event: "drained",
    cycle,
    activeCalls: active,
    ms: Math.round(performance.now() - started),
  });
  await sleep(gapMs);
  server = await start(port);
}
say({ event: "done", executed });
for await (const _ of Deno.stdin.readable) {
  // serves until stdin closes
}
await server.close(graceMs);
