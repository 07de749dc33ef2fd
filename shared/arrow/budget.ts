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

/** Decoded bytes and rows of one upload so far, against their limits. */
export class Budget {
  readonly maxRows: number;
  readonly #received: number;
  readonly #limits: BudgetLimits;
  /** The least of the absolute and the ratio limits. */
  readonly #allowance: number;
  #decoded = 0;
  #rows = 0;

  constructor(receivedBytes: number, limits: BudgetLimits) {
    this.#received = receivedBytes;
    this.#limits = limits;
    this.maxRows = limits.maxRows;
    const byRatio = Math.max(limits.expansionFloorBytes, limits.maxExpansion * receivedBytes);
    this.#allowance = Math.min(limits.maxDecodedBytes, byRatio);
  }

  /** Decoded bytes so far. */
  get decoded(): number {
    return this.#decoded;
  }

  /** Rows so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Decoded bytes still allowed. */
  get remaining(): number {
    return this.#allowance - this.#decoded;
  }

  /** Counts `bytes` (may be a bigint of any size) decoded for `what`. */
  addDecoded(bytes: number | bigint, what: string): void {
    if (BigInt(bytes) > BigInt(this.remaining)) {
      const total = BigInt(this.#decoded) + BigInt(bytes);
      const { maxDecodedBytes, maxExpansion, expansionFloorBytes } = this.#limits;
      if (total > BigInt(maxDecodedBytes)) {
        throw invalid(
          `${what} must keep the upload's decoded size at most ${maxDecodedBytes} bytes (POLAROID_MAX_UPLOAD_DECODED_BYTES): current value is at least ${total}`,
          "POLAROID_MAX_UPLOAD_DECODED_BYTES",
        );
      }
      throw invalid(
        `${what} must keep the upload's decoded size at most ${maxExpansion}× the ${this.#received} bytes received, or ${expansionFloorBytes} bytes (POLAROID_MAX_IPC_EXPANSION, POLAROID_IPC_EXPANSION_FLOOR): current value is at least ${total}`,
        "POLAROID_MAX_IPC_EXPANSION",
      );
    }
    this.#decoded += Number(bytes);
  }

  /** Counts the rows of a record batch. */
  addRows(rows: number, what: string): void {
    if (rows > this.maxRows - this.#rows) {
      throw invalid(
        `${what} must keep the upload at most ${this.maxRows} rows (POLAROID_MAX_RESULT_ROWS): current value is at least ${
          this.#rows + rows
        }`,
        "POLAROID_MAX_RESULT_ROWS",
      );
    }
    this.#rows += rows;
  }
}
