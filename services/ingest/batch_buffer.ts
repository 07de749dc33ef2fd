/**
 * The buffer of a source: closed micro-batches kept as Arrow IPC bytes, oldest first, within
 * a byte limit. Keeping bytes (not engine frames) makes the size exact and the memory
 * visible to the JS heap accounting.
 *
 * @module
 */

/** One closed micro-batch. */
export interface BufferedBatch {
  /** Uncompressed Arrow IPC stream. */
  readonly ipc: Uint8Array;
  readonly rows: number;
}

/** Closed micro-batches within `maxBytes`; the oldest go first when it is exceeded. */
export class BatchBuffer {
  readonly #maxBytes: number;
  readonly #batches: BufferedBatch[] = [];
  #bytes = 0;
  #rows = 0;

  constructor(maxBytes: number) {
    if (!(maxBytes > 0)) {
      throw new RangeError(
        `Cannot create buffer as 'maxBytes' must be positive: current value is ${maxBytes}`,
      );
    }
    this.#maxBytes = maxBytes;
  }

  /**
   * Appends a batch, then drops the oldest batches while the buffer holds more than
   * `maxBytes` (a batch larger than the whole buffer is dropped too). Returns the rows dropped.
   */
  add(batch: BufferedBatch): number {
    this.#batches.push(batch);
    this.#bytes += batch.ipc.byteLength;
    this.#rows += batch.rows;
    let dropped = 0;
    while (this.#bytes > this.#maxBytes) {
      const oldest = this.#batches.shift()!;
      this.#bytes -= oldest.ipc.byteLength;
      this.#rows -= oldest.rows;
      dropped += oldest.rows;
    }
    return dropped;
  }

  /** The batches held, oldest first. */
  get batches(): readonly BufferedBatch[] {
    return this.#batches;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get rows(): number {
    return this.#rows;
  }
}
