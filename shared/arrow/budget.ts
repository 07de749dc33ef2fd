/**
 * What one upload may make the engine hold: decoded bytes (every buffer at its declared
 * uncompressed size) and rows, counted as the batches are checked so the first one over
 * stops the check.
 *
 * @module
 */

import { invalid } from "./_invalid.ts";

/** Limits on what the bytes of one upload may decode to. */
export interface BudgetLimits {
  /** Decoded bytes of one upload (POLAROID_MAX_UPLOAD_DECODED_BYTES). */
  maxDecodedBytes: number;
  /** Decoded bytes per byte received (POLAROID_MAX_IPC_EXPANSION). */
  maxExpansion: number;
  /** Decoded bytes any upload may reach whatever its ratio (POLAROID_IPC_EXPANSION_FLOOR). */
  expansionFloorBytes: number;
  /** Rows of one upload, and slots of any one field node (POLAROID_MAX_RESULT_ROWS). */
  maxRows: number;
}

/**
 * Bytes the engine holds per array whatever its length, counted for every field node: a
 * stream of empty batches decodes to nothing, yet nodejs-polars 0.25.2 held about 570 bytes
 * per array read (2,000 columns × 500 empty batches: 46 MiB sent, 568 MiB held).
 */
export const BYTES_PER_NODE = 512;

/** Decoded bytes and rows of one upload so far, against their limits. */
export class Budget {
  readonly maxRows: number;
  readonly #received: number;
  readonly #limits: BudgetLimits;
  /** The least of the absolute and the ratio limits. */
  readonly #allowance: number;
  #decoded = 0;
  #nodes = 0;
  #rows = 0;

  constructor(receivedBytes: number, limits: BudgetLimits) {
    this.#received = receivedBytes;
    this.#limits = limits;
    this.maxRows = limits.maxRows;
    const byRatio = Math.max(limits.expansionFloorBytes, limits.maxExpansion * receivedBytes);
    this.#allowance = Math.min(limits.maxDecodedBytes, byRatio);
  }

  /** Decoded bytes of the buffers so far. */
  get decoded(): number {
    return this.#decoded;
  }

  /** Rows so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Bytes still allowed (decoded buffers and field nodes count). */
  get remaining(): number {
    return this.#allowance - this.#decoded - this.#nodes * BYTES_PER_NODE;
  }

  /** Counts `bytes` (may be a bigint of any size) decoded for `what`. */
  addDecoded(bytes: number | bigint, what: string): void {
    if (BigInt(bytes) > BigInt(this.remaining)) this.#refuse(BigInt(bytes), what);
    this.#decoded += Number(bytes);
  }

  /** Counts the field nodes of a batch (each an array the engine holds). */
  addNodes(count: number, what: string): void {
    const bytes = count * BYTES_PER_NODE;
    if (bytes > this.remaining) this.#refuse(BigInt(bytes), what);
    this.#nodes += count;
  }

  #refuse(bytes: bigint, what: string): never {
    const total = BigInt(this.#allowance - this.remaining) + bytes;
    const { maxDecodedBytes, maxExpansion, expansionFloorBytes } = this.#limits;
    const size =
      `the upload's decoded size (its buffers, and ${BYTES_PER_NODE} bytes per field node)`;
    if (total > BigInt(maxDecodedBytes)) {
      throw invalid(
        `${what} must keep ${size} at most ${maxDecodedBytes} bytes (POLAROID_MAX_UPLOAD_DECODED_BYTES): current value is at least ${total}`,
        { limit: "POLAROID_MAX_UPLOAD_DECODED_BYTES" },
      );
    }
    throw invalid(
      `${what} must keep ${size} at most ${maxExpansion}× the ${this.#received} bytes received, or ${expansionFloorBytes} bytes (POLAROID_MAX_IPC_EXPANSION, POLAROID_IPC_EXPANSION_FLOOR): current value is at least ${total}`,
      { limit: "POLAROID_MAX_IPC_EXPANSION" },
    );
  }

  /** Counts the rows of a record batch. */
  addRows(rows: number, what: string): void {
    if (rows > this.maxRows - this.#rows) {
      throw invalid(
        `${what} must keep the upload at most ${this.maxRows} rows (POLAROID_MAX_RESULT_ROWS): current value is at least ${
          this.#rows + rows
        }`,
        { limit: "POLAROID_MAX_RESULT_ROWS" },
      );
    }
    this.#rows += rows;
  }
}
