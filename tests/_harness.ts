/**
 * Integration-test helpers: a real cluster (nats-server and the three services as
 * processes) per test file, and comparisons of Arrow results.
 *
 * @module
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { type Table, tableFromIPC, tableToIPC, Vector } from "apache-arrow";
import { type Cluster, type ClusterOptions, startCluster } from "../scripts/cluster.ts";
import { newApiKey } from "../shared/auth/api_keys.ts";

export type { Cluster };

/** Integration tests hold sockets and child processes across awaits on purpose. */
export const INTEGRATION = { sanitizeOps: false, sanitizeResources: false } as const;

/** Starts a quiet cluster for one test file, with a temporary data root. */
export async function testCluster(
  options: ClusterOptions = {},
): Promise<Cluster & { dataRoot: string }> {
  const dataRoot = options.dataRoot ?? await Deno.makeTempDir({ prefix: "polaroid-data-" });
  const cluster = await startCluster({
    quiet: true,
    restart: false,
    exitOnSignal: false,
    ...options,
    dataRoot,
  });
  return Object.assign(cluster, { dataRoot });
}

/**
 * Token authentication for a test cluster: writes `<dir>/api-keys.json` (the records of `keys`
 * and of a service key) and `<dir>/service-token`; the environment that turns it on.
 */
export async function tokenAuthEnv(
  dir: string,
  keys: readonly { record: unknown }[],
): Promise<Record<string, string>> {
  const service = newApiKey("polaroid", ["service"]);
  await Deno.writeTextFile(
    `${dir}/api-keys.json`,
    JSON.stringify([service, ...keys].map((k) => k.record)),
  );
  await Deno.writeTextFile(`${dir}/service-token`, service.key);
  return {
    POLAROID_AUTH: "token",
    POLAROID_AUTH_API_KEYS_FILE: `${dir}/api-keys.json`,
    POLAROID_SERVICE_TOKEN_FILE: `${dir}/service-token`,
  };
}

/** A nodejs-polars frame as an apache-arrow table (through IPC, never JS values). */
export function frameToTable(df: pl.DataFrame): Table {
  return tableFromIPC(df.writeIPCStream());
}

/** An apache-arrow table as a nodejs-polars frame (through IPC). */
export function tableToFrame(table: Table): pl.DataFrame {
  const bytes = tableToIPC(table, "stream");
  return pl.readIPCStream(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** Rows of a table as plain objects, with bigint kept and floats rounded to `digits`. */
export function rowsOf(table: Table, digits = 9): Record<string, unknown>[] {
  const names = table.schema.fields.map((f) => f.name);
  const out: Record<string, unknown>[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const row: Record<string, unknown> = {};
    names.forEach((name, c) => {
      row[name] = cellOf(table.getChildAt(c)?.get(r), digits);
    });
    out.push(row);
  }
  return out;
}

/** A cell as a plain value: lists as arrays and structs as objects, recursively. */
function cellOf(v: unknown, digits: number): unknown {
  if (typeof v === "number" && !Number.isInteger(v)) return Number(v.toPrecision(digits));
  if (v instanceof Vector) return [...v].map((x) => cellOf(x, digits));
  if (v !== null && typeof v === "object" && !(v instanceof Date) && "toJSON" in v) {
    const fields = (v as { toJSON(): Record<string, unknown> }).toJSON();
    return Object.fromEntries(Object.entries(fields).map(([k, x]) => [k, cellOf(x, digits)]));
  }
  return v;
}

/** Asserts equal column names, types and values, in order. */
export function assertSameTable(actual: Table, expected: Table, message?: string): void {
  assert.deepEqual(
    actual.schema.fields.map((f) => `${f.name}:${normaliseType(String(f.type))}`),
    expected.schema.fields.map((f) => `${f.name}:${normaliseType(String(f.type))}`),
    message,
  );
  assert.equal(actual.numRows, expected.numRows, message);
  assert.deepEqual(rowsOf(actual), rowsOf(expected), message);
}

/** Utf8, LargeUtf8 and Utf8View are one logical type, nested ones too. */
function normaliseType(type: string): string {
  return type.replace(/\b(Large)?Utf8(View)?\b/g, "Utf8");
}
