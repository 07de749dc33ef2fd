import { startGrpcServer } from "file:///work/main/shared/grpc/server.ts";
import { bind } from "file:///work/main/shared/grpc/types.ts";
import { DataFrameServiceService } from "file:///work/main/shared/gen/polaroid/v1/dataframe.ts";
import { HandleInfo } from "file:///work/main/shared/gen/polaroid/v1/handle.ts";
import { createLogger } from "file:///work/main/shared/telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "file:///work/main/shared/telemetry/metrics.ts";
const none = () => Promise.reject(new Error("unused"));
const binding = bind(DataFrameServiceService, {
  execute: none,
  schema: none,
  explain: none,
  async *collect() {},
  async upload(requests) {
    let n = 0;
    for await (const r of requests) n += r.arrowIpc.length;
    return { handle: HandleInfo.fromPartial({ id: String(n) }) };
  },
});
const server = await startGrpcServer({
  host: "127.0.0.1",
  port: 0,
  services: [binding],
  maxMessageBytes: 64 << 20,
  logger: createLogger("t", { write: () => {} }),
  metrics: createRpcMetrics(createRegistry("t")),
});
console.log(server.port);
await new Promise(() => {});
