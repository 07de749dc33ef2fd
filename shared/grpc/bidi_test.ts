import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import * as grpc from "@grpc/grpc-js";
import {
  type FlightData,
  FlightServiceService,
  type PutResult,
} from "../gen/arrow/flight/protocol/Flight.ts";
import { UnimplementedError } from "../errors.ts";
import { createLogger } from "../telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../telemetry/metrics.ts";
import { startGrpcServer } from "./server.ts";
import { bind, type Handlers } from "./types.ts";

const refuse = () => {
  throw new UnimplementedError("not in this test");
};

Deno.test("a bidirectional call answers after reading its whole request stream", async () => {
  const doPut: Handlers<typeof FlightServiceService>["doPut"] = async function* (requests, ctx) {
    let bytes = 0;
    for await (const data of requests) bytes += data.dataBody.byteLength;
    ctx.sendHeaders?.({ "x-seen": String(bytes) });
    // Reading to the end must leave the response side open (a stream's own iterator would
    // destroy the whole call).
    yield { appMetadata: Buffer.from(`read ${bytes}`) };
    yield { appMetadata: Buffer.from("done") };
  };
  const handlers = {
    ...Object.fromEntries(Object.keys(FlightServiceService).map((k) => [k, refuse])),
    doPut,
  } as unknown as Handlers<typeof FlightServiceService>;
  const server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [bind(FlightServiceService, handlers)],
    maxMessageBytes: 1024 * 1024,
    logger: createLogger("test", { write: () => {} }),
    metrics: createRpcMetrics(createRegistry("test")),
  });
  const Client = grpc.makeGenericClientConstructor(FlightServiceService, "FlightService");
  const client = new Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  try {
    const call = (client as unknown as {
      doPut(): grpc.ClientDuplexStream<FlightData, PutResult>;
    }).doPut();
    const headers = new Promise<grpc.Metadata>((resolve) => call.once("metadata", resolve));
    for (let i = 0; i < 3; i++) {
      call.write({
        flightDescriptor: undefined,
        dataHeader: Buffer.alloc(0),
        appMetadata: Buffer.alloc(0),
        dataBody: Buffer.alloc(100),
      });
    }
    call.end();
    const answers: string[] = [];
    for await (const result of call as AsyncIterable<PutResult>) {
      answers.push(Buffer.from(result.appMetadata).toString());
    }
    assert.deepEqual(answers, ["read 300", "done"]);
    assert.deepEqual((await headers).get("x-seen"), ["300"]);
  } finally {
    client.close();
    await server.close(0);
  }
});
