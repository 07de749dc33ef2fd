/**
 * What a Flight descriptor or ticket asks for, decoded and checked before any work: a handle
 * (by id or name), a plan, a SQL query, or one of Flight SQL's metadata commands. Commands
 * travel packed in a google.protobuf.Any, as Flight SQL packs them; a descriptor's command
 * that is not an Any is SQL text, and a ticket that is not one names a handle (docs/flight.md).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { InvalidArgumentError, UnimplementedError } from "../../../shared/errors.ts";
import { Any } from "../../../shared/gen/google/protobuf/any.ts";
import {
  type FlightDescriptor,
  FlightDescriptor_DescriptorType,
} from "../../../shared/gen/arrow/flight/protocol/Flight.ts";
import {
  CommandGetCatalogs,
  CommandGetCrossReference,
  CommandGetDbSchemas,
  CommandGetExportedKeys,
  CommandGetImportedKeys,
  CommandGetPrimaryKeys,
  CommandGetSqlInfo,
  CommandGetTables,
  CommandGetTableTypes,
  CommandPreparedStatementQuery,
  CommandStatementQuery,
  TicketStatementQuery,
} from "../../../shared/gen/arrow/flight/protocol/sql/FlightSql.ts";
import { FlightTicket } from "../../../shared/gen/polaroid/v1/flight.ts";
import { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";

/** Where Any's type URLs start. */
export const TYPE_URL_PREFIX = "type.googleapis.com/";
const SQL_PACKAGE = "arrow.flight.protocol.sql.";

/** A Flight SQL metadata command, decoded. */
export type MetadataCommand =
  | { $case: "sqlInfo"; value: CommandGetSqlInfo }
  | { $case: "catalogs"; value: CommandGetCatalogs }
  | { $case: "dbSchemas"; value: CommandGetDbSchemas }
  | { $case: "tables"; value: CommandGetTables }
  | { $case: "tableTypes"; value: CommandGetTableTypes }
  | { $case: "primaryKeys"; value: CommandGetPrimaryKeys }
  | { $case: "exportedKeys"; value: CommandGetExportedKeys }
  | { $case: "importedKeys"; value: CommandGetImportedKeys }
  | { $case: "crossReference"; value: CommandGetCrossReference };

/** What a descriptor or ticket names. */
export type FlightTarget =
  | { kind: "handle"; ref: string }
  | { kind: "plan"; plan: Plan }
  | { kind: "sql"; query: string }
  | { kind: "metadata"; command: MetadataCommand; any: Any };

/** The metadata commands by their message name, with their decoders. */
const METADATA: Record<string, (value: Uint8Array) => MetadataCommand> = {
  CommandGetSqlInfo: (v) => ({ $case: "sqlInfo", value: CommandGetSqlInfo.decode(v) }),
  CommandGetCatalogs: (v) => ({ $case: "catalogs", value: CommandGetCatalogs.decode(v) }),
  CommandGetDbSchemas: (v) => ({ $case: "dbSchemas", value: CommandGetDbSchemas.decode(v) }),
  CommandGetTables: (v) => ({ $case: "tables", value: CommandGetTables.decode(v) }),
  CommandGetTableTypes: (v) => ({ $case: "tableTypes", value: CommandGetTableTypes.decode(v) }),
  CommandGetPrimaryKeys: (v) => ({
    $case: "primaryKeys",
    value: CommandGetPrimaryKeys.decode(v),
  }),
  CommandGetExportedKeys: (v) => ({
    $case: "exportedKeys",
    value: CommandGetExportedKeys.decode(v),
  }),
  CommandGetImportedKeys: (v) => ({
    $case: "importedKeys",
    value: CommandGetImportedKeys.decode(v),
  }),
  CommandGetCrossReference: (v) => ({
    $case: "crossReference",
    value: CommandGetCrossReference.decode(v),
  }),
};

/** Flight SQL commands the endpoint knows but does not run, with why. */
const REFUSED: Record<string, string> = {
  CommandStatementUpdate: "Polaroid's SQL endpoint is read-only (SELECT queries over handles)",
  CommandPreparedStatementUpdate:
    "Polaroid's SQL endpoint is read-only (SELECT queries over handles)",
  CommandStatementSubstraitPlan: "Substrait plans are not supported: send SQL",
  CommandStatementIngest:
    "bulk ingestion is not supported: DoPut with a path descriptor uploads a named handle",
  CommandGetXdbcTypeInfo: "XDBC type information is not provided",
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes as UTF-8 text; INVALID_ARGUMENT naming `what` when they are not. */
export function utf8Text(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new InvalidArgumentError(`Cannot read ${what} as it is not UTF-8 text`);
  }
}

/** The bytes as an Any with a type URL, or undefined when they are not one. */
function asAny(bytes: Uint8Array): Any | undefined {
  let any: Any;
  try {
    any = Any.decode(bytes);
  } catch {
    return undefined;
  }
  return any.typeUrl.startsWith(TYPE_URL_PREFIX) ? any : undefined;
}

function decoded<T>(what: string, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    throw new InvalidArgumentError(`Cannot read ${what} as it is not a valid message`, {
      cause: error,
    });
  }
}

/** A SQL query from a command or a prepared statement, checked to be a query at all. */
function sqlQuery(query: string, transactionId: Uint8Array, what: string): FlightTarget {
  if (transactionId.byteLength > 0) {
    throw new UnimplementedError(
      `Cannot run ${what} in a transaction as Polaroid's SQL endpoint has no transactions`,
    );
  }
  if (query.trim() === "") {
    throw new InvalidArgumentError(`Cannot run ${what} as its query is empty`);
  }
  return { kind: "sql", query };
}

/** What an Any-packed command asks for. */
function fromAny(any: Any, what: string): FlightTarget {
  const type = any.typeUrl.slice(TYPE_URL_PREFIX.length);
  if (type === "polaroid.v1.Plan") {
    return { kind: "plan", plan: decoded(`${what}'s plan`, () => Plan.decode(any.value)) };
  }
  if (type === "polaroid.v1.FlightTicket") {
    const ticket = decoded(`${what}'s ticket`, () => FlightTicket.decode(any.value));
    const source = ticket.source;
    if (source?.$case === "handle") return { kind: "handle", ref: source.value };
    if (source?.$case === "plan") return { kind: "plan", plan: source.value };
    throw new InvalidArgumentError(`Cannot read ${what} as its ticket names no handle or plan`);
  }
  if (type.startsWith(SQL_PACKAGE)) {
    const name = type.slice(SQL_PACKAGE.length);
    if (name === "CommandStatementQuery") {
      const command = decoded(what, () => CommandStatementQuery.decode(any.value));
      return sqlQuery(command.query, command.transactionId ?? new Uint8Array(0), what);
    }
    if (name === "CommandPreparedStatementQuery") {
      const command = decoded(what, () => CommandPreparedStatementQuery.decode(any.value));
      return preparedQuery(command.preparedStatementHandle, what);
    }
    if (name === "TicketStatementQuery") {
      const ticket = decoded(what, () => TicketStatementQuery.decode(any.value));
      return sqlQuery(
        utf8Text(ticket.statementHandle, `${what}'s statement handle`),
        new Uint8Array(0),
        what,
      );
    }
    const metadata = METADATA[name];
    if (metadata) {
      return {
        kind: "metadata",
        command: decoded(what, () => metadata(any.value)),
        any,
      };
    }
    const refused = REFUSED[name];
    if (refused) throw new UnimplementedError(`Cannot run ${name} as ${refused}`);
  }
  throw new InvalidArgumentError(
    `Cannot read ${what} as its type ${
      JSON.stringify(type.slice(0, 120))
    } is not one Polaroid runs: a Flight SQL query or metadata command, a polaroid.v1.Plan or a polaroid.v1.FlightTicket (docs/flight.md)`,
  );
}

/** Prepared statements are stateless: the handle is the query's UTF-8 text. */
export function preparedQuery(handle: Uint8Array, what: string): FlightTarget {
  return sqlQuery(utf8Text(handle, `${what}'s prepared statement handle`), new Uint8Array(0), what);
}

/** What a FlightDescriptor asks for. */
export function targetOfDescriptor(descriptor: FlightDescriptor | undefined): FlightTarget {
  if (!descriptor) throw new InvalidArgumentError("Cannot serve the call as it has no descriptor");
  if (descriptor.type === FlightDescriptor_DescriptorType.PATH) {
    if (descriptor.path.length !== 1 || descriptor.path[0] === "") {
      throw new InvalidArgumentError(
        `Cannot read the descriptor as a path must be one handle id or name: current value has ${descriptor.path.length} parts`,
      );
    }
    return { kind: "handle", ref: descriptor.path[0]! };
  }
  if (descriptor.type === FlightDescriptor_DescriptorType.CMD) {
    const any = asAny(descriptor.cmd);
    if (any) return fromAny(any, "the descriptor's command");
    return sqlQuery(utf8Text(descriptor.cmd, "the descriptor's command"), new Uint8Array(0), "SQL");
  }
  throw new InvalidArgumentError(
    `Cannot read the descriptor as its type must be PATH or CMD: current value is ${descriptor.type}`,
  );
}

/** What a ticket names. */
export function targetOfTicket(ticket: Uint8Array): FlightTarget {
  if (ticket.byteLength === 0) throw new InvalidArgumentError("Cannot redeem an empty ticket");
  const any = asAny(ticket);
  if (any) return fromAny(any, "the ticket");
  return { kind: "handle", ref: utf8Text(ticket, "the ticket") };
}

/** A message packed in an Any. */
export function pack(type: string, value: Uint8Array): Uint8Array {
  return Any.encode({ typeUrl: `${TYPE_URL_PREFIX}${type}`, value: Buffer.from(value) })
    .finish();
}

/** The ticket of a handle or a plan. */
export function ticketFor(source: FlightTicket["source"]): Uint8Array {
  return pack("polaroid.v1.FlightTicket", FlightTicket.encode({ source }).finish());
}

/** The SQL plan of a Flight SQL query: SQL over the caller's named handles. */
export function sqlPlan(query: string): Plan {
  return { node: { $case: "sql", value: { query, tables: {}, ownedHandles: true } } };
}
