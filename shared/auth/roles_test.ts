import assert from "node:assert/strict";
import { DataFrameServiceService } from "../gen/polaroid/v1/dataframe.ts";
import { HandleServiceService, HandleWorkerServiceService } from "../gen/polaroid/v1/handles.ts";
import { IngestServiceService } from "../gen/polaroid/v1/ingest.ts";
import { JobServiceService } from "../gen/polaroid/v1/jobs.ts";
import { FlightServiceService } from "../gen/arrow/flight/protocol/Flight.ts";
import { AUDITED_METHODS, CONSOLE_VIEW, grants, METHOD_ROLES, parseRoles } from "./roles.ts";

const SERVICES = [
  DataFrameServiceService,
  HandleServiceService,
  HandleWorkerServiceService,
  IngestServiceService,
  JobServiceService,
  FlightServiceService,
];

Deno.test("every method of every served service needs a role, and the table names no other but the console", () => {
  const paths = SERVICES.flatMap((s) => Object.values(s).map((m) => m.path as string));
  for (const path of paths) assert.ok(METHOD_ROLES[path], `${path} has no role`);
  assert.deepEqual(Object.keys(METHOD_ROLES).sort(), [...paths, CONSOLE_VIEW].sort());
  for (const path of Object.keys(AUDITED_METHODS)) assert.ok(paths.includes(path), path);
});

Deno.test("roles imply what they should and nothing more", () => {
  assert.ok(grants(new Set(["write"]), "read"));
  assert.ok(!grants(new Set(["read"]), "write"));
  assert.ok(grants(new Set(["admin"]), "write"));
  assert.ok(!grants(new Set(["admin"]), "service"), "an admin is not a service");
  assert.ok(grants(new Set(["service"]), "write"));
  assert.ok(!grants(new Set(), "read"));
});

Deno.test("parseRoles refuses empty lists, non-lists and unknown names", () => {
  assert.deepEqual(parseRoles(["read", "read"], "x"), new Set(["read"]));
  assert.throws(() => parseRoles([], "x"), /non-empty list/);
  assert.throws(() => parseRoles("read", "x"), /non-empty list/);
  assert.throws(() => parseRoles(["root"], "x"), /unknown role "root"/);
});
