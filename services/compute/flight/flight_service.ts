/**
 * Arrow Flight and Flight SQL on the compute endpoint (same port, TLS and authentication as
 * its gRPC services): pyarrow.flight, ADBC, JDBC and BI tools reach the caller's handles
 * without a Polaroid client. Every call goes through the PlanExecutor with the call's
 * context, exactly as DataFrameService's calls do; nothing here holds state between calls
 * (tickets and prepared statements carry what they need), so any worker serves any call.
 *
 * - GetFlightInfo / GetSchema / PollFlightInfo: a path descriptor names a handle (id or
 *   name); a command is SQL text, a Flight SQL command or a polaroid.v1.Plan, packed in an Any.
 * - DoGet: a ticket from GetFlightInfo (or a handle's id or name as plain bytes) streams
 *   batches of about {@link FLIGHT_BATCH_BYTES}, as fast as the client reads.
 * - DoPut: an Arrow stream into a new handle, named by a one-part path descriptor.
 * - ListFlights: the caller's handles. DoAction: release, pin, unpin, and Flight SQL's
 *   prepared statements (stateless: the statement handle is the query).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import pl from "nodejs-polars";
import {
  HandleNotFoundError,
  InvalidArgumentError,
  PermissionDeniedError,
  UnimplementedError,
} from "../../../shared/errors.ts";
import { Any } from "../../../shared/gen/google/protobuf/any.ts";
import {
  type Action,
  type ActionType,
  type FlightData,
  type FlightDescriptor,
  FlightDescriptor_DescriptorType,
  type FlightInfo,
  FlightServiceService,
  type Result,
} from "../../../shared/gen/arrow/flight/protocol/Flight.ts";
import {
  ActionClosePreparedStatementRequest,
  ActionCreatePreparedStatementRequest,
  ActionCreatePreparedStatementResult,
} from "../../../shared/gen/arrow/flight/protocol/sql/FlightSql.ts";
import type { Schema } from "../../../shared/gen/polaroid/v1/types.ts";
import type { HandleInfo } from "../../../shared/gen/polaroid/v1/handle.ts";
import { grants } from "../../../shared/auth/roles.ts";
import { basicPassword } from "../../../shared/auth/authenticator.ts";
import { bind, type CallContext, type ServiceBinding } from "../../../shared/grpc/types.ts";
import { frameToIpc, toPolarsType } from "../engine/mod.ts";
import type { PlanExecutor } from "../executor.ts";
import type { HeldFrames } from "../held_frames.ts";
import type { HandlesClient } from "../resolver.ts";
import {
  type FlightTarget,
  pack,
  preparedQuery,
  sqlPlan,
  targetOfDescriptor,
  targetOfTicket,
  ticketFor,
  utf8Text,
} from "./commands.ts";
import {
  flightDataToIpc,
  IPC_EOS,
  ipcToFlightData,
  schemaMessage,
  serializeFlightData,
} from "./flight_data.ts";
import { metadataTable, ownedHandles } from "./sql_catalog.ts";
import { releaseThroughWorker } from "../handle_service.ts";
import { tableIpc } from "./sql_metadata.ts";
import { Engine } from "../../../shared/gen/polaroid/v1/dataframe.ts";

/** About how many bytes of data one DoGet message carries. */
export const FLIGHT_BATCH_BYTES = 4 * 1024 * 1024;
/** Handshake messages a client may send (basic authentication needs one). */
const MAX_HANDSHAKE_MESSAGES = 8;

/** The actions of DoAction, as ListActions describes them. */
export const FLIGHT_ACTIONS: readonly ActionType[] = [
  { type: "release", description: "Release a handle (body: its id or name); needs write" },
  {
    type: "pin",
    description: "Pin a handle (body: its id or name): it never expires; needs write",
  },
  { type: "unpin", description: "Unpin a handle (body: its id or name); needs write" },
  {
    type: "CreatePreparedStatement",
    description: "Flight SQL: prepare a query (an ActionCreatePreparedStatementRequest in an Any)",
  },
  {
    type: "ClosePreparedStatement",
    description: "Flight SQL: close a prepared statement (nothing is held: always succeeds)",
  },
];

/** FlightService with DoGet's messages sent as laid out by flight_data.ts. */
const FLIGHT_SERVICE: typeof FlightServiceService = {
  ...FlightServiceService,
  doGet: { ...FlightServiceService.doGet, responseSerialize: serializeFlightData },
};

/** What the Flight endpoint needs. */
export interface FlightServiceDeps {
  executor: PlanExecutor;
  handles: HandlesClient;
  frames: HeldFrames;
}

/** An empty frame of a schema, as the IPC-encapsulated Schema message Flight sends. */
export function schemaIpc(schema: Schema | undefined): Buffer {
  const columns = (schema?.fields ?? []).map((f) =>
    pl.Series(f.name, [], toPolarsType(f.dtype ?? { kind: 0 } as never))
  );
  return Buffer.from(schemaMessage(frameToIpc(pl.DataFrame(columns))));
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/** Throws PERMISSION_DENIED unless the caller may write. */
function requireWrite(ctx: CallContext, what: string): void {
  if (!grants(ctx.identity.roles, "write")) {
    throw new PermissionDeniedError(`Cannot ${what} as it needs the role write`);
  }
}

export function flightService(deps: FlightServiceDeps): ServiceBinding {
  const { executor, handles, frames } = deps;

  /** A handle's id from its id or name (a name has no dot). */
  const handleId = async (ref: string, ctx: CallContext): Promise<string> => {
    if (ref.includes(".")) return ref;
    const found = await handles.unary("listHandles", { names: [ref], limit: 1, after: "" }, {
      tenant: ctx.tenant,
    });
    const id = found.handles[0]?.id;
    if (!id) {
      throw new HandleNotFoundError(
        `Cannot find a handle named ${JSON.stringify(ref.slice(0, 64))}`,
      );
    }
    return id;
  };

  /** The FlightInfo of a target, with the descriptor that asked. */
  const info = async (
    target: FlightTarget,
    descriptor: FlightDescriptor,
    ctx: CallContext,
  ): Promise<FlightInfo> => {
    ctx.log.flight = target.kind;
    const endpoint = (ticket: Uint8Array) => ({
      ticket: { ticket: Buffer.from(ticket) },
      location: [],
      expirationTime: undefined,
      appMetadata: Buffer.alloc(0),
    });
    const base = { flightDescriptor: descriptor, ordered: true, appMetadata: Buffer.alloc(0) };
    if (target.kind === "metadata") {
      const ipc = tableIpc(await metadataTable(target.command, { handles, ctx, schemaIpc }));
      return {
        ...base,
        schema: Buffer.from(schemaMessage(ipc)),
        endpoint: [endpoint(Any.encode(target.any).finish())],
        totalRecords: -1n,
        totalBytes: -1n,
      };
    }
    if (target.kind === "handle") {
      const id = await handleId(target.ref, ctx);
      const { schema, rows } = await executor.schema(
        { source: { $case: "handle", value: id } },
        ctx,
      );
      return {
        ...base,
        schema: schemaIpc(schema),
        endpoint: [endpoint(ticketFor({ $case: "handle", value: id }))],
        totalRecords: rows ?? -1n,
        totalBytes: -1n,
      };
    }
    const plan = target.kind === "sql" ? sqlPlan(target.query) : target.plan;
    const { schema } = await executor.schema({ source: { $case: "plan", value: plan } }, ctx);
    return {
      ...base,
      schema: schemaIpc(schema),
      endpoint: [endpoint(ticketFor({ $case: "plan", value: plan }))],
      totalRecords: -1n,
      totalBytes: -1n,
    };
  };

  /** The FlightInfo of one of the caller's handles, from its catalog entry. */
  const handleInfo = (handle: HandleInfo): FlightInfo => ({
    schema: schemaIpc(handle.schema),
    flightDescriptor: {
      type: FlightDescriptor_DescriptorType.PATH,
      cmd: Buffer.alloc(0),
      path: [handle.id],
    },
    endpoint: [{
      ticket: { ticket: Buffer.from(ticketFor({ $case: "handle", value: handle.id })) },
      location: [],
      expirationTime: undefined,
      appMetadata: Buffer.alloc(0),
    }],
    totalRecords: handle.rows,
    totalBytes: handle.bytes,
    ordered: true,
    appMetadata: json({ name: handle.name, pinned: handle.pinned }),
  });

  /** The UTF-8 body of a handle action, as a handle id. */
  const actionHandle = (action: Action, ctx: CallContext) => {
    requireWrite(ctx, `run the action ${action.type}`);
    return handleId(utf8Text(action.body, `the body of the action ${action.type}`), ctx);
  };

  /** An Any-packed Flight SQL action body of the expected message. */
  const sqlActionBody = (action: Action, message: string): Uint8Array => {
    let any: Any;
    try {
      any = Any.decode(action.body);
    } catch (error) {
      throw new InvalidArgumentError(
        `Cannot run the action ${action.type} as its body is not an Any`,
        { cause: error },
      );
    }
    const expected = `type.googleapis.com/arrow.flight.protocol.sql.${message}`;
    if (any.typeUrl !== expected) {
      throw new InvalidArgumentError(
        `Cannot run the action ${action.type} as its body must pack a ${message}: current type is ${
          JSON.stringify(any.typeUrl.slice(0, 120))
        }`,
      );
    }
    return any.value;
  };

  async function* doAction(action: Action, ctx: CallContext): AsyncGenerator<Result> {
    ctx.log.action = action.type.slice(0, 64);
    switch (action.type) {
      case "release": {
        const id = await actionHandle(action, ctx);
        const released = await releaseThroughWorker(handles, frames, id, ctx.tenant);
        yield { body: json({ id, refcount: released.refcount, freed: released.freed }) };
        return;
      }
      case "pin":
      case "unpin": {
        const id = await actionHandle(action, ctx);
        const method = action.type === "pin" ? "pinHandle" : "unpinHandle";
        const handle = await handles.unary(method, { id }, { tenant: ctx.tenant });
        yield { body: json({ id, pinned: handle.pinned, refcount: handle.refcount }) };
        return;
      }
      case "CreatePreparedStatement": {
        const request = ActionCreatePreparedStatementRequest.decode(
          sqlActionBody(action, "ActionCreatePreparedStatementRequest"),
        );
        const handle = Buffer.from(request.query, "utf8");
        const target = preparedQuery(handle, "the prepared statement");
        if (request.transactionId && request.transactionId.byteLength > 0) {
          throw new UnimplementedError(
            "Cannot prepare a statement in a transaction as Polaroid's SQL endpoint has no transactions",
          );
        }
        const plan = sqlPlan(target.kind === "sql" ? target.query : request.query);
        const { schema } = await executor.schema({ source: { $case: "plan", value: plan } }, ctx);
        const result = ActionCreatePreparedStatementResult.encode({
          preparedStatementHandle: handle,
          datasetSchema: schemaIpc(schema),
          parameterSchema: Buffer.alloc(0),
        }).finish();
        yield {
          body: Buffer.from(
            pack("arrow.flight.protocol.sql.ActionCreatePreparedStatementResult", result),
          ),
        };
        return;
      }
      case "ClosePreparedStatement":
        // Nothing is held for a prepared statement: the body is checked, nothing else.
        ActionClosePreparedStatementRequest.decode(
          sqlActionBody(action, "ActionClosePreparedStatementRequest"),
        );
        return;
      default:
        throw new UnimplementedError(
          `Cannot run the action ${
            JSON.stringify(action.type.slice(0, 64))
          } as Polaroid's Flight endpoint runs only ${
            FLIGHT_ACTIONS.map((a) => a.type).join(", ")
          }`,
        );
    }
  }

  async function* doGet(ticket: Uint8Array, ctx: CallContext): AsyncGenerator<FlightData> {
    const target = targetOfTicket(ticket);
    ctx.log.flight = target.kind;
    if (target.kind === "metadata") {
      const table = await metadataTable(target.command, { handles, ctx, schemaIpc });
      const ipc = tableIpc(table);
      yield* ipcToFlightData({ chunks: [ipc], byteLength: ipc.byteLength }, { skipSchema: false });
      return;
    }
    const source = target.kind === "handle"
      ? { $case: "handle" as const, value: await handleId(target.ref, ctx) }
      : {
        $case: "plan" as const,
        value: target.kind === "sql" ? sqlPlan(target.query) : target.plan,
      };
    let first = true;
    const batches = executor.collectBatches(
      {
        source,
        batchSize: 0,
        startBatch: 0n,
        streaming: false,
        engine: Engine.ENGINE_UNSPECIFIED,
        bulk: false,
      },
      ctx,
      { targetBatchBytes: FLIGHT_BATCH_BYTES },
    );
    for await (const batch of batches) {
      yield* ipcToFlightData(batch.ipc, { skipSchema: !first });
      first = false;
    }
  }

  async function* doPut(
    requests: AsyncIterable<FlightData>,
    ctx: CallContext,
  ): AsyncGenerator<{ appMetadata: Buffer }> {
    let name: string | undefined;
    const uploads = async function* () {
      for await (const data of requests) {
        if (name === undefined) name = putName(data.flightDescriptor);
        for (const piece of flightDataToIpc(data)) {
          yield {
            arrowIpc: Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength),
            ttlSeconds: 0n,
            name,
            bulkBytes: 0n,
          };
        }
      }
      yield { arrowIpc: Buffer.from(IPC_EOS), ttlSeconds: 0n, name: name ?? "", bulkBytes: 0n };
    };
    const { handle } = await executor.upload(uploads(), ctx);
    yield {
      appMetadata: json({ id: handle?.id, name: handle?.name, rows: Number(handle?.rows ?? 0) }),
    };
  }

  return bind(FLIGHT_SERVICE, {
    async *handshake(requests, ctx) {
      let count = 0;
      for await (const _ of requests) {
        if (++count > MAX_HANDSHAKE_MESSAGES) {
          throw new InvalidArgumentError(
            `Cannot finish the handshake as a client may send at most ${MAX_HANDSHAKE_MESSAGES} messages`,
          );
        }
      }
      // Basic authentication: the password was the credential; from now on it is the bearer.
      const header = ctx.metadata.get("authorization")[0];
      const password = typeof header === "string" ? basicPassword(header) : undefined;
      if (password !== undefined) ctx.sendHeaders?.({ authorization: `Bearer ${password}` });
      yield { protocolVersion: 0n, payload: Buffer.alloc(0) };
    },
    async *listFlights(criteria, ctx) {
      if (criteria.expression.byteLength > 0) {
        throw new InvalidArgumentError(
          "Cannot list flights by an expression: send empty criteria to list the caller's handles",
        );
      }
      for await (const handle of ownedHandles(handles, ctx.tenant)) yield handleInfo(handle);
    },
    getFlightInfo: (descriptor, ctx) => info(targetOfDescriptor(descriptor), descriptor, ctx),
    async pollFlightInfo(descriptor, ctx) {
      const flightInfo = await info(targetOfDescriptor(descriptor), descriptor, ctx);
      // The query runs when its ticket is redeemed: the info is complete at once.
      return {
        info: flightInfo,
        flightDescriptor: undefined,
        progress: 1,
        expirationTime: undefined,
      };
    },
    async getSchema(descriptor, ctx) {
      return { schema: (await info(targetOfDescriptor(descriptor), descriptor, ctx)).schema };
    },
    doGet: (request, ctx) => doGet(request.ticket, ctx),
    doPut,
    doExchange: () => {
      throw new UnimplementedError(
        "Cannot exchange data as Polaroid's Flight endpoint has no DoExchange",
      );
    },
    doAction,
    async *listActions() {
      yield* FLIGHT_ACTIONS;
    },
  });
}

/** The name of the handle a DoPut makes, from its descriptor ("" for none). */
function putName(descriptor: FlightDescriptor | undefined): string {
  if (!descriptor || descriptor.type === FlightDescriptor_DescriptorType.UNKNOWN) return "";
  if (descriptor.type === FlightDescriptor_DescriptorType.CMD) {
    const target = targetOfDescriptor(descriptor);
    throw new UnimplementedError(
      target.kind === "sql"
        ? "Cannot bind parameters or run updates through DoPut as Polaroid's SQL endpoint is read-only with no parameters: DoPut with a path descriptor uploads a named handle"
        : "Cannot upload to a command: DoPut takes a path descriptor naming the new handle",
    );
  }
  if (descriptor.path.length > 1) {
    throw new InvalidArgumentError(
      `Cannot upload as a path descriptor must be one handle name: current value has ${descriptor.path.length} parts`,
    );
  }
  return descriptor.path[0] ?? "";
}
