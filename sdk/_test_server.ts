/**
 * A small in-process DataFrameService + HandleService over real gRPC, for the SDK's client
 * tests: it stores uploads as Arrow tables, serves them back in batches, runs plans made of
 * a handle scan and slices, and keeps a catalog with reference counts. It records what it
 * received so tests can check the wire.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import * as arrow from "apache-arrow";
import { HandleNotFoundError, InvalidPlanError, NotFoundError } from "../shared/errors.ts";
import { DataFrameServiceService } from "../shared/gen/polaroid/v1/dataframe.ts";
import type { HandleInfo } from "../shared/gen/polaroid/v1/handle.ts";
import { HandleServiceService } from "../shared/gen/polaroid/v1/handles.ts";
import type { Plan } from "../shared/gen/polaroid/v1/plan.ts";
import type { Schema as ProtoSchema } from "../shared/gen/polaroid/v1/types.ts";
import { type GrpcServer, startGrpcServer } from "../shared/grpc/server.ts";
import { bind, type CallContext } from "../shared/grpc/types.ts";
import { newHandleId } from "../shared/ids.ts";
import { createLogger } from "../shared/telemetry/log.ts";
import { createRegistry, createRpcMetrics } from "../shared/telemetry/metrics.ts";
import { DataType } from "./datatypes.ts";

/** One call the server received. */
export interface Received {
  method: string;
  tenant: string;
  request: unknown;
}

export interface TestServer extends AsyncDisposable {
  readonly endpoint: string;
  readonly received: Received[];
  readonly tables: Map<string, arrow.Table>;
  readonly infos: Map<string, HandleInfo>;
  /** Byte sizes of the chunks of each upload. */
  readonly uploads: { chunks: number[]; ttlSeconds: bigint }[];
}

function dtypeOf(type: arrow.DataType): DataType {
  if (arrow.DataType.isInt(type)) {
    return type.isSigned ? DataType.Int64 : DataType.UInt64;
  }
  if (arrow.DataType.isFloat(type)) return DataType.Float64;
  if (arrow.DataType.isBool(type)) return DataType.Bool;
  if (arrow.DataType.isUtf8(type) || arrow.DataType.isLargeUtf8(type)) return DataType.String;
  if (arrow.DataType.isDictionary(type)) return DataType.Categorical;
  if (arrow.DataType.isTimestamp(type)) return DataType.Datetime("ms");
  return DataType.Null;
}

function schemaOf(table: arrow.Table): ProtoSchema {
  return {
    fields: table.schema.fields.map((f) => ({ name: f.name, dtype: dtypeOf(f.type).toProto() })),
  };
}

/** Starts the server on a free port. */
export async function startTestServer(): Promise<TestServer> {
  const received: Received[] = [];
  const tables = new Map<string, arrow.Table>();
  const infos = new Map<string, HandleInfo>();
  const uploads: TestServer["uploads"] = [];
  const log = (method: string, ctx: CallContext, request: unknown) =>
    received.push({ method, tenant: ctx.tenant, request });

  const info = (id: string): HandleInfo => {
    const found = infos.get(id);
    if (!found) {
      throw new HandleNotFoundError(`Cannot find handle as it is unknown: current value is ${id}`);
    }
    return found;
  };
  const store = (ctx: CallContext, table: arrow.Table, ttlSeconds: bigint): HandleInfo => {
    const id = newHandleId(ctx.tenant);
    const handle: HandleInfo = {
      id,
      owner: ctx.tenant,
      schema: schemaOf(table),
      rows: BigInt(table.numRows),
      bytes: 0n,
      createdAtMs: 0n,
      ttlSeconds,
      expiresAtMs: 0n,
      name: "",
      refcount: 1,
      worker: "test",
      metadata: {},
      objectKey: "",
      objectPending: false,
      pinned: false,
      lost: false,
    };
    tables.set(id, table);
    infos.set(id, handle);
    return handle;
  };
  const run = (plan: Plan | undefined): arrow.Table => {
    const node = plan?.node;
    if (node?.$case === "scan" && node.value.source?.$case === "handle") {
      info(node.value.source.value);
      return tables.get(node.value.source.value)!;
    }
    if (node?.$case === "slice") {
      const input = run(node.value.input);
      const start = Number(node.value.offset);
      const end = node.value.length === undefined ? undefined : start + Number(node.value.length);
      return input.slice(start, end);
    }
    throw new InvalidPlanError(
      `Cannot run plan as the test server runs scans and slices only: current node is ${node?.$case}`,
    );
  };

  const frames = bind(DataFrameServiceService, {
    execute(request, ctx) {
      log("execute", ctx, request);
      return Promise.resolve({
        handle: store(ctx, run(request.plan), request.ttlSeconds),
        cached: false,
      });
    },
    async *collect(request, ctx) {
      log("collect", ctx, request);
      const source = request.source;
      if (source?.$case === "bulkTicket") throw new NotFoundError("no bulk port here");
      const table = source?.$case === "handle"
        ? (info(source.value), tables.get(source.value)!)
        : run(source?.value);
      const size = request.batchSize || 1000;
      let index = 0n;
      for (let offset = 0; offset === 0 || offset < table.numRows; offset += size) {
        const part = table.slice(offset, offset + size);
        yield {
          arrowIpc: Buffer.from(arrow.tableToIPC(part, "stream")),
          rows: BigInt(part.numRows),
          batchIndex: index++,
        };
      }
    },
    async upload(requests, ctx) {
      const chunks: Buffer[] = [];
      let ttlSeconds = 0n;
      for await (const request of requests) {
        if (chunks.length === 0) ttlSeconds = request.ttlSeconds;
        chunks.push(request.arrowIpc);
      }
      log("upload", ctx, { chunks: chunks.length });
      uploads.push({ chunks: chunks.map((c) => c.byteLength), ttlSeconds });
      const table = arrow.tableFromIPC(Buffer.concat(chunks));
      return { handle: store(ctx, table, ttlSeconds) };
    },
    schema(request, ctx) {
      log("schema", ctx, request);
      const source = request.source;
      if (source?.$case === "handle") {
        const found = info(source.value);
        return Promise.resolve({ schema: found.schema, rows: found.rows });
      }
      return Promise.resolve({ schema: schemaOf(run(source?.value)) });
    },
    explain(request, ctx) {
      log("explain", ctx, request);
      return Promise.resolve({
        logical: `LOGICAL ${request.plan?.node?.$case}`,
        optimized: "OPTIMIZED",
      });
    },
    // Writes nothing: answers with the rows of the plan's result and the path it was given.
    sink(request, ctx) {
      log("sink", ctx, request);
      const rows = BigInt(run(request.plan).numRows);
      return Promise.resolve({ path: request.target?.path ?? "", rows, bytes: 0n });
    },
  });

  const handles = bind(HandleServiceService, {
    registerHandle() {
      return Promise.reject(new InvalidPlanError("not served by the test server"));
    },
    resolveHandle(request, ctx) {
      log("resolveHandle", ctx, request);
      return Promise.resolve(info(request.id));
    },
    describeHandle(request, ctx) {
      log("describeHandle", ctx, request);
      return Promise.resolve(info(request.id));
    },
    listHandles(request, ctx) {
      log("listHandles", ctx, request);
      const ids = [...infos.keys()].sort().filter((id) => id > request.after);
      const page = ids.slice(0, 2);
      const more = ids.length > 2;
      return Promise.resolve({
        handles: page.map(info),
        nextAfter: more ? page.at(-1)! : "",
      });
    },
    retainHandle(request, ctx) {
      log("retainHandle", ctx, request);
      const found = info(request.id);
      found.refcount++;
      return Promise.resolve(found);
    },
    releaseHandle(request, ctx) {
      log("releaseHandle", ctx, request);
      const found = info(request.id);
      found.refcount--;
      if (found.refcount === 0) {
        infos.delete(request.id);
        tables.delete(request.id);
      }
      return Promise.resolve({ refcount: found.refcount, freed: found.refcount === 0 });
    },
    pinHandle(request, ctx) {
      log("pinHandle", ctx, request);
      const found = info(request.id);
      found.pinned = true;
      return Promise.resolve(found);
    },
    unpinHandle(request, ctx) {
      log("unpinHandle", ctx, request);
      const found = info(request.id);
      found.pinned = false;
      return Promise.resolve(found);
    },
    deleteHandle(request, ctx) {
      log("deleteHandle", ctx, request);
      const freed = infos.delete(request.id);
      tables.delete(request.id);
      return Promise.resolve({ freed });
    },
  });

  const server: GrpcServer = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    services: [frames, handles],
    maxMessageBytes: 8 * 1024 * 1024,
    logger: createLogger("sdk-test", { write: () => {} }),
    metrics: createRpcMetrics(createRegistry("sdk_test")),
  });
  return {
    endpoint: `127.0.0.1:${server.port}`,
    received,
    tables,
    infos,
    uploads,
    [Symbol.asyncDispose]: () => server.close(0),
  };
}
