/**
 * What each RPC needs of its caller: a role, granted by the caller's verified identity.
 *
 * - `read`: see the tenant's handles and their data (describe, list, collect, schema).
 * - `write`: make, change and remove them (upload, execute, pin, release, delete, jobs,
 *   ingest sources) and write results out (sink); a writer may read.
 * - `admin`: everything a tenant may do (read and write).
 * - `service`: the services' own calls to each other (registering handles, worker leases);
 *   only a service may act for another tenant (`x-polaroid-tenant`).
 *
 * Every method of every served service is in {@link METHOD_ROLES}; a method missing from it is
 * refused (roles_test.ts checks that the table covers the generated definitions).
 *
 * @module
 */

/** A role an identity may hold. */
export type Role = "read" | "write" | "admin" | "service";

/** Every role, in order. */
export const ROLES: readonly Role[] = ["read", "write", "admin", "service"];

/** The console's API, as a method: its requests are checked like calls of it. */
export const CONSOLE_VIEW = "/polaroid.console/View";

/** The role each RPC needs, by method path. */
export const METHOD_ROLES: Readonly<Record<string, Role>> = {
  "/polaroid.v1.DataFrameService/Execute": "write",
  "/polaroid.v1.DataFrameService/Collect": "read",
  "/polaroid.v1.DataFrameService/Upload": "write",
  "/polaroid.v1.DataFrameService/Schema": "read",
  "/polaroid.v1.DataFrameService/Explain": "read",
  "/polaroid.v1.DataFrameService/Sink": "write",
  "/polaroid.v1.HandleService/RegisterHandle": "service",
  "/polaroid.v1.HandleService/ResolveHandle": "read",
  "/polaroid.v1.HandleService/DescribeHandle": "read",
  "/polaroid.v1.HandleService/ListHandles": "read",
  "/polaroid.v1.HandleService/RetainHandle": "write",
  "/polaroid.v1.HandleService/ReleaseHandle": "write",
  "/polaroid.v1.HandleService/DeleteHandle": "write",
  "/polaroid.v1.HandleService/PinHandle": "write",
  "/polaroid.v1.HandleService/UnpinHandle": "write",
  "/polaroid.v1.HandleWorkerService/Heartbeat": "service",
  "/polaroid.v1.HandleWorkerService/EndLease": "service",
  "/polaroid.v1.HandleWorkerService/CheckHandles": "service",
  "/polaroid.v1.HandleWorkerService/SetHandleObject": "service",
  "/polaroid.v1.HandleWorkerService/RegisterHandles": "service",
  "/polaroid.v1.IngestService/AddSource": "write",
  "/polaroid.v1.IngestService/ListSources": "read",
  "/polaroid.v1.IngestService/RemoveSource": "write",
  "/polaroid.v1.IngestService/SnapshotSource": "write",
  "/polaroid.v1.IngestService/Follow": "read",
  "/polaroid.v1.IngestService/Append": "write",
  "/polaroid.v1.JobService/SubmitJob": "write",
  "/polaroid.v1.JobService/GetJob": "read",
  "/polaroid.v1.JobService/WatchJob": "read",
  // Arrow Flight (services/compute/flight): DoAction's actions that change a handle need the
  // role write, checked by the action itself.
  "/arrow.flight.protocol.FlightService/Handshake": "read",
  "/arrow.flight.protocol.FlightService/ListFlights": "read",
  "/arrow.flight.protocol.FlightService/GetFlightInfo": "read",
  "/arrow.flight.protocol.FlightService/PollFlightInfo": "read",
  "/arrow.flight.protocol.FlightService/GetSchema": "read",
  "/arrow.flight.protocol.FlightService/DoGet": "read",
  "/arrow.flight.protocol.FlightService/DoPut": "write",
  "/arrow.flight.protocol.FlightService/DoExchange": "write",
  "/arrow.flight.protocol.FlightService/DoAction": "read",
  "/arrow.flight.protocol.FlightService/ListActions": "read",
  // The web console on the handles service's HTTP port (services/handles/console): verified
  // like a read; the console then lets in a tenant's admin (the tenant) and a service
  // credential (an operator's: every tenant) only.
  [CONSOLE_VIEW]: "read",
};

/** The roles a held role implies: a writer reads, an admin reads and writes. */
const IMPLIED: Readonly<Record<Role, readonly Role[]>> = {
  read: ["read"],
  write: ["read", "write"],
  admin: ["read", "write", "admin"],
  service: ["read", "write", "service"],
};

/** True when `held` grants `needed`. */
export function grants(held: ReadonlySet<Role>, needed: Role): boolean {
  for (const role of held) if (IMPLIED[role].includes(needed)) return true;
  return false;
}

/** Parses a list of role names; throws naming the first unknown one. */
export function parseRoles(names: unknown, where: string): Set<Role> {
  if (!Array.isArray(names) || names.length === 0) {
    throw new TypeError(`${where} must be a non-empty list of roles (${ROLES.join(", ")})`);
  }
  const out = new Set<Role>();
  for (const name of names) {
    if (!ROLES.includes(name as Role)) {
      throw new TypeError(
        `${where} names an unknown role ${JSON.stringify(String(name).slice(0, 32))}: roles are ${
          ROLES.join(", ")
        }`,
      );
    }
    out.add(name as Role);
  }
  return out;
}

/** The methods that leave an audit line (server.ts), with the action each one is. */
export const AUDITED_METHODS: Readonly<Record<string, string>> = {
  "/polaroid.v1.DataFrameService/Execute": "handle.create",
  "/polaroid.v1.DataFrameService/Upload": "handle.create",
  "/polaroid.v1.DataFrameService/Collect": "handle.read",
  "/polaroid.v1.DataFrameService/Sink": "file.write",
  "/polaroid.v1.HandleService/RegisterHandle": "handle.create",
  "/polaroid.v1.HandleService/DescribeHandle": "handle.read",
  "/polaroid.v1.HandleService/ResolveHandle": "handle.read",
  "/polaroid.v1.HandleService/ReleaseHandle": "handle.delete",
  "/polaroid.v1.HandleService/DeleteHandle": "handle.delete",
  "/polaroid.v1.HandleService/PinHandle": "handle.pin",
  "/polaroid.v1.HandleService/UnpinHandle": "handle.pin",
  "/polaroid.v1.IngestService/AddSource": "source.add",
  "/polaroid.v1.IngestService/RemoveSource": "source.remove",
  "/polaroid.v1.IngestService/SnapshotSource": "handle.create",
  "/polaroid.v1.IngestService/Follow": "table.read",
  "/polaroid.v1.IngestService/Append": "table.append",
  "/polaroid.v1.JobService/SubmitJob": "job.submit",
  "/arrow.flight.protocol.FlightService/DoGet": "handle.read",
  "/arrow.flight.protocol.FlightService/DoPut": "handle.create",
  "/arrow.flight.protocol.FlightService/DoAction": "flight.action",
};
