import assert from "node:assert/strict";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { HealthService } from "../gen/grpc/health/v1/health.ts";
import { DataFrameServiceService, ExecuteRequest } from "../gen/polaroid/v1/dataframe.ts";
import { HandleServiceService } from "../gen/polaroid/v1/handles.ts";
import { IngestServiceService } from "../gen/polaroid/v1/ingest.ts";
import { JobServiceService } from "../gen/polaroid/v1/jobs.ts";
import { InvalidArgumentError, LimitExceededError } from "../errors.ts";
import { guardDecoding, MalformedRequest } from "./decode_guard.ts";
import type { AnyMethod } from "./types.ts";

const LIMITS = { maxRequestBytes: 16 * 1024 * 1024, maxRequestFields: 2_000_000 };

/** An Execute request whose plan is a select of `n` empty expressions (2 bytes each). */
function emptyExpressions(n: number): Buffer {
  const select = new BinaryWriter();
  const scan = new BinaryWriter().uint32(10).bytes(new Uint8Array()).finish(); // Plan.scan
  select.uint32(10).bytes(scan); // Select.input
  for (let i = 0; i < n; i++) select.uint32(18).bytes(new Uint8Array()); // Select.exprs
  const plan = new BinaryWriter().uint32(26).bytes(select.finish()).finish(); // Plan.select
  return Buffer.from(new BinaryWriter().uint32(10).bytes(plan).finish()); // ExecuteRequest.plan
}

Deno.test("guardDecoding() decodes a valid request as the generated decoder does", () => {
  const request = ExecuteRequest.fromPartial({ name: "x", ttlSeconds: 5n });
  const bytes = Buffer.from(ExecuteRequest.encode(request).finish());
  const decoded = guardDecoding(DataFrameServiceService.execute, LIMITS).requestDeserialize(bytes);
  assert.deepEqual(decoded, ExecuteRequest.decode(bytes));
});

Deno.test("every generated method decodes through the field budget", () => {
  const services = [
    DataFrameServiceService,
    HandleServiceService,
    IngestServiceService,
    JobServiceService,
    HealthService,
  ] as Record<string, AnyMethod>[];
  for (const service of services) {
    for (const method of Object.values(service)) {
      // Three fields (an unknown varint field 15 repeated): a budget of two stops decoding.
      const body = Buffer.from([0x78, 0x01, 0x78, 0x01, 0x78, 0x01]);
      const result = guardDecoding(method, { ...LIMITS, maxRequestFields: 2 })
        .requestDeserialize(body);
      assert.ok(result instanceof MalformedRequest, `${method.path} ignored the budget`);
      assert.ok(result.error instanceof LimitExceededError);
    }
  }
});

Deno.test("a body of millions of empty expressions is refused after bounded work", () => {
  const bytes = emptyExpressions(1_000_000); // 2 MB
  const guarded = guardDecoding(DataFrameServiceService.execute, {
    ...LIMITS,
    maxRequestFields: 200_000,
  });
  const started = performance.now();
  const result = guarded.requestDeserialize(bytes);
  const ms = performance.now() - started;
  assert.ok(result instanceof MalformedRequest);
  assert.ok(result.error instanceof LimitExceededError);
  assert.match(
    result.error.message,
    /at most 200000 protobuf fields \(POLAROID_MAX_REQUEST_FIELDS\)/,
  );
  console.log(`2 MB of empty expressions refused after ${ms.toFixed(0)} ms`);
  // Unguarded, the same bytes decode into 1M objects; the budget stops after 100k of them.
  assert.ok(ms < 2000, `refused after ${ms} ms`);
});

Deno.test("a request over maxRequestBytes is refused before it is decoded", () => {
  const bytes = emptyExpressions(1000);
  const result = guardDecoding(DataFrameServiceService.execute, {
    ...LIMITS,
    maxRequestBytes: 100,
  }).requestDeserialize(bytes);
  assert.ok(result instanceof MalformedRequest);
  assert.ok(result.error instanceof LimitExceededError);
  assert.match(result.error.message, /at most 100 bytes \(POLAROID_MAX_REQUEST_BYTES\)/);
  // A streamed request's messages are bounded by the message size instead.
  const upload = guardDecoding(DataFrameServiceService.upload, { ...LIMITS, maxRequestBytes: 1 });
  assert.ok(!(upload.requestDeserialize(Buffer.from([0x0a, 0x00])) instanceof MalformedRequest));
});

Deno.test("random bytes decode to a request or to INVALID_ARGUMENT, never a throw", () => {
  const guarded = guardDecoding(DataFrameServiceService.execute, LIMITS);
  let seed = 20261207;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  let malformed = 0;
  for (let i = 0; i < 2000; i++) {
    const bytes = Buffer.from(
      Array.from({ length: 1 + Math.floor(next() * 64) }, () => Math.floor(next() * 256)),
    );
    const result = guarded.requestDeserialize(bytes);
    if (result instanceof MalformedRequest) {
      malformed++;
      assert.ok(
        result.error instanceof InvalidArgumentError || result.error instanceof LimitExceededError,
        String(result.error),
      );
    }
  }
  assert.ok(malformed > 0, "some random bodies are malformed");
});

Deno.test("a plan nested past the decoder's recursion limit is INVALID_ARGUMENT", () => {
  // Plan.filter(1 = input Plan) nested 5000 deep.
  let plan: Uint8Array = new BinaryWriter().uint32(10).bytes(new Uint8Array()).finish();
  for (let i = 0; i < 5000; i++) {
    const filter = new BinaryWriter().uint32(10).bytes(plan).finish();
    plan = new BinaryWriter().uint32(18).bytes(filter).finish();
  }
  const bytes = Buffer.from(new BinaryWriter().uint32(10).bytes(plan).finish());
  const result = guardDecoding(DataFrameServiceService.execute, LIMITS).requestDeserialize(bytes);
  assert.ok(result instanceof MalformedRequest);
  assert.ok(result.error instanceof InvalidArgumentError, String(result.error));
});
