/**
 * Checks untrusted Arrow IPC — a stream, or a file through its footer — before an engine
 * reads it, so that nothing it declares can make the engine allocate more than the limits
 * allow or read outside the bytes: framing and lengths, the schema's shape, each batch's
 * layout against its schema, and the decoded size of compressed buffers. Only metadata and
 * the 8-byte length prefixes of compressed buffers are read, never the data itself: the
 * engine still checks values (offsets, UTF-8, dictionary indices).
 *
 * ```ts
 * const summary = validateIpc(bytes, { maxDecodedBytes: 1 << 30 });
 * ```
 *
 * @module
 */

import { Budget, type BudgetLimits } from "./budget.ts";
import { checkFile, isArrowFile } from "./file.ts";
import type { SchemaLimits } from "./schema.ts";
import { checkStream } from "./stream.ts";
import { invalid } from "./_invalid.ts";

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** Every limit the check applies; each names the variable that sets it in a service. */
export interface IpcLimits extends SchemaLimits, BudgetLimits {
  /** Bytes of the whole input (POLAROID_MAX_UPLOAD_BYTES). */
  maxBytes: number;
}

/** Options of validateIpc(): limits, each defaulting as documented. */
export interface ValidateIpcOptions {
  /** Bytes of the whole input (POLAROID_MAX_UPLOAD_BYTES). @default 4GiB */
  maxBytes?: number;
  /** Decoded bytes of the whole input (POLAROID_MAX_UPLOAD_DECODED_BYTES). @default 16GiB */
  maxDecodedBytes?: number;
  /** Decoded bytes per byte of input (POLAROID_MAX_IPC_EXPANSION). @default 100 */
  maxExpansion?: number;
  /**
   * Decoded bytes any input may reach whatever its ratio (POLAROID_IPC_EXPANSION_FLOOR).
   * @default 64MiB
   */
  expansionFloorBytes?: number;
  /** Rows in all, and slots of any field node (POLAROID_MAX_RESULT_ROWS). @default 2000000000 */
  maxRows?: number;
  /** Top-level fields (POLAROID_MAX_RESULT_COLUMNS). @default 10000 */
  maxColumns?: number;
  /** Fields at all levels (POLAROID_MAX_SCHEMA_FIELDS). @default 100000 */
  maxFields?: number;
  /** Nesting of fields; top-level is 1 (POLAROID_MAX_SCHEMA_DEPTH). @default 64 */
  maxDepth?: number;
}

/** The defaults of {@link ValidateIpcOptions}. */
export const DEFAULT_IPC_LIMITS: Readonly<IpcLimits> = {
  maxBytes: 4 * GIB,
  maxDecodedBytes: 16 * GIB,
  maxExpansion: 100,
  expansionFloorBytes: 64 * MIB,
  maxRows: 2_000_000_000,
  maxColumns: 10_000,
  maxFields: 100_000,
  maxDepth: 64,
};

/** What the checked input holds. */
export interface IpcSummary {
  readonly format: "stream" | "file";
  /** Top-level columns. */
  readonly columns: number;
  /** Rows of every record batch together. */
  readonly rows: number;
  /** Dictionary and record batches. */
  readonly batches: number;
  /** Bytes of every buffer once decoded (declared sizes of compressed ones). */
  readonly decodedBytes: number;
}

/**
 * Checks Arrow IPC bytes from an untrusted source; throws InvalidArrowError (naming the
 * limit and its variable when one refused) on anything malformed, inconsistent or too large.
 */
export function validateIpc(bytes: Uint8Array, options: ValidateIpcOptions = {}): IpcSummary {
  const limits: IpcLimits = { ...DEFAULT_IPC_LIMITS, ...options };
  if (bytes.byteLength === 0) {
    throw invalid("the bytes must not be empty: current value is 0 bytes");
  }
  if (bytes.byteLength > limits.maxBytes) {
    throw invalid(
      `the bytes must be at most ${limits.maxBytes} (POLAROID_MAX_UPLOAD_BYTES): current value is ${bytes.byteLength}`,
      { limit: "POLAROID_MAX_UPLOAD_BYTES" },
    );
  }
  const budget = new Budget(bytes.byteLength, limits);
  const file = isArrowFile(bytes);
  const { schema, batches } = file
    ? checkFile(bytes, { limits, budget })
    : checkStream(bytes, { limits, budget });
  return {
    format: file ? "file" : "stream",
    columns: schema.columns,
    rows: budget.rows,
    batches,
    decodedBytes: budget.decoded,
  };
}
