import assert from "node:assert/strict";
import * as grpc from "@grpc/grpc-js";
import { InternalError, UnavailableError } from "../errors.ts";
import { fromServiceError, toStatusObject } from "./status.ts";

Deno.test("fromServiceError() reads an INTERNAL no server sent (a lost connection) as UNAVAILABLE", () => {
  for (
    const details of [
      "Received RST_STREAM with code 2 triggered by internal client error: write EPIPE",
      "Received RST_STREAM with code 2 triggered by internal client error: read ECONNRESET",
    ]
  ) {
    const lost = { code: grpc.status.INTERNAL, details, metadata: new grpc.Metadata() };
    assert.ok(fromServiceError(lost) instanceof UnavailableError, details);
  }
  // A server's own INTERNAL keeps its class, whatever its message says.
  const server = toStatusObject(new InternalError("write EPIPE while spilling"));
  const decoded = fromServiceError({ ...server, message: server.details });
  assert.ok(decoded instanceof InternalError);
  // Any INTERNAL without a server's details is the client library's own: no server answered.
  const other = { code: grpc.status.INTERNAL, details: "bad frame", metadata: new grpc.Metadata() };
  assert.ok(fromServiceError(other) instanceof UnavailableError);
});
