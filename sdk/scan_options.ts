/**
 * nodejs-polars' scan options as the plan sends them (`FileScan.options`): each honoured
 * option in nodejs-polars' spelling becomes its field, checked here (TypeError naming it) and
 * again on the server, which applies it with nodejs-polars itself. Which options each scan
 * honours, and which it refuses, is sdk/option_audit.ts's table.
 *
 * @module
 */

import type { ScanOptions } from "../shared/gen/polaroid/v1/plan.ts";
import { DataType } from "./datatypes.ts";
import { OPTION_AUDIT, refuseOptions } from "./option_audit.ts";

/** nodejs-polars' scans, as the audit names them. */
export type ScanMethod = "pl.scanCSV" | "pl.scanParquet" | "pl.scanIPC" | "pl.scanJson";

function fail(method: string, name: string, must: string, value: unknown): never {
  throw new TypeError(
    `Cannot call ${method} as option '${name}' must ${must}: current value is ${
      JSON.stringify(value) ?? String(value)
    }`,
  );
}

const count = (method: string, name: string, value: unknown): bigint => {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    fail(method, name, "be an integer >= 0", value);
  }
  return BigInt(value);
};

const flag = (method: string, name: string, value: unknown): boolean => {
  if (typeof value !== "boolean") fail(method, name, "be true or false", value);
  return value;
};

const string = (method: string, name: string, value: unknown): string => {
  if (typeof value !== "string") fail(method, name, "be a string", value);
  return value;
};

/**
 * The plan's scan options from nodejs-polars' `options` of `method` (refused options throw
 * first); undefined when none is set. `hasHeader` and `sep` travel apart (the caller's).
 */
export function scanOptionsProto(method: ScanMethod, options: unknown): ScanOptions | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== "object") fail(method, "options", "be an object", options);
  refuseOptions(method, options);
  const given = options as Record<string, unknown>;
  const honoured = new Set(OPTION_AUDIT[method]?.honoured ?? []);
  const out: ScanOptions = { schema: [] };
  let any = false;
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined || !honoured.has(name) || name === "hasHeader" || name === "sep") {
      continue;
    }
    any = true;
    switch (name) {
      case "nRows":
      case "rowIndexOffset":
      case "skipRows":
      case "skipLines":
      case "skipRowsAfterHeader":
        out[name] = count(method, name, value);
        break;
      case "inferSchemaLength":
        // nodejs-polars' null: every row.
        if (value === null) out.inferSchemaAll = true;
        else out.inferSchemaLength = count(method, name, value);
        break;
      case "rechunk":
      case "cache":
      case "lowMemory":
      case "ignoreErrors":
      case "missingUtf8IsEmptyString":
      case "raiseIfEmpty":
      case "truncateRaggedLines":
      case "decimalComma":
      case "parseDates":
      case "useStatistics":
      case "hivePartitioning":
      case "allowMissingColumns":
        out[name] = flag(method, name, value);
        break;
      case "rowIndexName":
      case "commentPrefix":
      case "eolChar":
      case "encoding":
      case "parallel":
        out[name] = string(method, name, value);
        break;
      case "quoteChar":
        // nodejs-polars' null turns quoting off: "" on the wire.
        out.quoteChar = value === null ? "" : string(method, name, value);
        break;
      case "nullValues":
        out.nullValues = nullValues(method, value);
        break;
      case "schema":
        out.schema = schemaFields(method, value);
        break;
      default:
        fail(method, name, "be one the SDK sends (an option the audit honours)", value);
    }
  }
  return any ? out : undefined;
}

function nullValues(method: string, value: unknown): ScanOptions["nullValues"] {
  if (typeof value === "string") return { $case: "nullValue", value };
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    return { $case: "nullValueList", value: { values: value } };
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.every(([, v]) => typeof v === "string")) {
      return { $case: "nullValueMap", value: { values: Object.fromEntries(entries) } };
    }
  }
  return fail(
    method,
    "nullValues",
    "be a string, an array of strings or an object of column → string",
    value,
  );
}

function schemaFields(method: string, value: unknown): ScanOptions["schema"] {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(method, "schema", "be an object of column → DataType", value);
  }
  return Object.entries(value).map(([name, dtype]) => {
    if (!(dtype instanceof DataType)) {
      fail(method, "schema", `map '${name}' to a DataType (pl.Int64, ...)`, String(dtype));
    }
    return { name, dtype: dtype.toProto() };
  });
}
