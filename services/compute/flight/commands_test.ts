import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { InvalidArgumentError, UnimplementedError } from "../../../shared/errors.ts";
import { Any } from "../../../shared/gen/google/protobuf/any.ts";
import { FlightDescriptor_DescriptorType } from "../../../shared/gen/arrow/flight/protocol/Flight.ts";
import {
  CommandGetTables,
  CommandPreparedStatementQuery,
  CommandStatementQuery,
  CommandStatementUpdate,
} from "../../../shared/gen/arrow/flight/protocol/sql/FlightSql.ts";
import { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { pack, sqlPlan, targetOfDescriptor, targetOfTicket, ticketFor } from "./commands.ts";

const cmd = (bytes: Uint8Array) => ({
  type: FlightDescriptor_DescriptorType.CMD,
  cmd: Buffer.from(bytes),
  path: [],
});
const path = (...parts: string[]) => ({
  type: FlightDescriptor_DescriptorType.PATH,
  cmd: Buffer.alloc(0),
  path: parts,
});
const sql = (name: string, bytes: Uint8Array) => pack(`arrow.flight.protocol.sql.${name}`, bytes);

Deno.test("descriptors: a path names a handle, a command is SQL text or a packed command", () => {
  assert.deepEqual(targetOfDescriptor(path("trades")), { kind: "handle", ref: "trades" });
  assert.deepEqual(targetOfDescriptor(cmd(new TextEncoder().encode("select 1"))), {
    kind: "sql",
    query: "select 1",
  });
  const query = CommandStatementQuery.encode({ query: "select 2" }).finish();
  assert.deepEqual(targetOfDescriptor(cmd(sql("CommandStatementQuery", query))), {
    kind: "sql",
    query: "select 2",
  });
  const prepared = CommandPreparedStatementQuery.encode({
    preparedStatementHandle: Buffer.from("select 3"),
  }).finish();
  assert.deepEqual(targetOfDescriptor(cmd(sql("CommandPreparedStatementQuery", prepared))), {
    kind: "sql",
    query: "select 3",
  });
  const plan = sqlPlan("select 4");
  assert.deepEqual(
    targetOfDescriptor(cmd(pack("polaroid.v1.Plan", Plan.encode(plan).finish()))),
    { kind: "plan", plan },
  );
  const tables = targetOfDescriptor(
    cmd(
      sql(
        "CommandGetTables",
        CommandGetTables.encode({ tableTypes: [], includeSchema: true }).finish(),
      ),
    ),
  );
  assert.equal(tables.kind, "metadata");
  assert.equal(tables.kind === "metadata" && tables.command.$case, "tables");
});

Deno.test("descriptors: what Polaroid does not run is refused, naming it", () => {
  assert.throws(() => targetOfDescriptor(undefined), InvalidArgumentError);
  assert.throws(() => targetOfDescriptor(path()), /one handle id or name/);
  assert.throws(() => targetOfDescriptor(path("a", "b")), /2 parts/);
  assert.throws(
    () => targetOfDescriptor({ ...path("a"), type: FlightDescriptor_DescriptorType.UNKNOWN }),
    /PATH or CMD/,
  );
  assert.throws(() => targetOfDescriptor(cmd(new Uint8Array([0xff, 0xfe]))), /not UTF-8/);
  assert.throws(() => targetOfDescriptor(cmd(new TextEncoder().encode("  "))), /empty/);
  const update = CommandStatementUpdate.encode({ query: "delete from t" }).finish();
  assert.throws(
    () => targetOfDescriptor(cmd(sql("CommandStatementUpdate", update))),
    (e) => e instanceof UnimplementedError && /read-only/.test(e.message),
  );
  const inTransaction = CommandStatementQuery.encode({
    query: "select 1",
    transactionId: Buffer.from("t1"),
  }).finish();
  assert.throws(
    () => targetOfDescriptor(cmd(sql("CommandStatementQuery", inTransaction))),
    /no transactions/,
  );
  assert.throws(
    () => targetOfDescriptor(cmd(pack("some.Other", new Uint8Array(0)))),
    /is not one Polaroid runs/,
  );
  assert.throws(
    () => targetOfDescriptor(cmd(pack("polaroid.v1.Plan", new Uint8Array([0x0a, 0xff])))),
    /not a valid message/,
  );
});

Deno.test("tickets: Polaroid's own, plain handle references and Flight SQL's commands", () => {
  assert.deepEqual(targetOfTicket(ticketFor({ $case: "handle", value: "acme.x" })), {
    kind: "handle",
    ref: "acme.x",
  });
  const plan = sqlPlan("select 1");
  assert.deepEqual(targetOfTicket(ticketFor({ $case: "plan", value: plan })), {
    kind: "plan",
    plan,
  });
  assert.deepEqual(targetOfTicket(new TextEncoder().encode("trades")), {
    kind: "handle",
    ref: "trades",
  });
  assert.throws(() => targetOfTicket(new Uint8Array(0)), /empty ticket/);
  assert.throws(() => targetOfTicket(ticketFor(undefined)), /names no handle or plan/);
  // An Any without Google's prefix is not a command: its bytes are read as a reference.
  const odd = Any.encode({ typeUrl: "x/y", value: Buffer.alloc(0) }).finish();
  assert.equal(targetOfTicket(odd).kind, "handle");
});
