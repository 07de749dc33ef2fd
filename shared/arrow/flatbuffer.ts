/**
 * A strict reader of FlatBuffers from untrusted bytes: every offset, length and vtable entry
 * is checked against the buffer before it is followed, and anything out of range throws a
 * {@link FlatBufferError}. Reading is by accessor, never recursive: a caller walks a tree of
 * tables itself, with its own bounds on depth and count.
 *
 * Only what Arrow's metadata needs: tables, unions, vectors of tables, of structs and of
 * scalars, and strings. Alignment is not required (reads go through a DataView).
 *
 * @module
 */

/** The bytes are not a FlatBuffer, or a value in it is out of range. */
export class FlatBufferError extends Error {
  override name = "FlatBufferError";
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** One FlatBuffer: a view over bytes whose reads are all bounds-checked. */
export class FlatBuffer {
  readonly bytes: Uint8Array;
  readonly #view: DataView;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes in the buffer. */
  get length(): number {
    return this.bytes.byteLength;
  }

  /** The root table (the first 4 bytes are its offset). */
  root(): Table {
    return this.tableAt(this.uoffsetTarget(0));
  }

  /** Throws unless `[at, at + size)` lies inside the buffer. */
  check(at: number, size: number, what: string): void {
    if (!Number.isSafeInteger(at) || at < 0 || size < 0 || at + size > this.length) {
      throw new FlatBufferError(
        `Cannot read ${what} as it must lie inside the ${this.length}-byte buffer: current range is [${at}, ${
          at + size
        })`,
      );
    }
  }

  uint8(at: number): number {
    this.check(at, 1, "a uint8");
    return this.#view.getUint8(at);
  }

  int8(at: number): number {
    this.check(at, 1, "an int8");
    return this.#view.getInt8(at);
  }

  uint16(at: number): number {
    this.check(at, 2, "a uint16");
    return this.#view.getUint16(at, true);
  }

  int16(at: number): number {
    this.check(at, 2, "an int16");
    return this.#view.getInt16(at, true);
  }

  uint32(at: number): number {
    this.check(at, 4, "a uint32");
    return this.#view.getUint32(at, true);
  }

  int32(at: number): number {
    this.check(at, 4, "an int32");
    return this.#view.getInt32(at, true);
  }

  /** A little-endian int64 as a bigint (any value). */
  bigInt64(at: number): bigint {
    this.check(at, 8, "an int64");
    return this.#view.getBigInt64(at, true);
  }

  /** A little-endian int64 that must be a safe integer (|v| ≤ 2^53 − 1). */
  safeInt64(at: number, what: string): number {
    const value = this.bigInt64(at);
    if (value > MAX_SAFE || value < -MAX_SAFE) {
      throw new FlatBufferError(
        `Cannot read ${what} as it must be an integer of at most 2^53 in magnitude: current value is ${value}`,
      );
    }
    return Number(value);
  }

  /** Where the uoffset stored at `at` points. */
  uoffsetTarget(at: number): number {
    const target = at + this.uint32(at);
    this.check(target, 4, "the target of an offset");
    return target;
  }

  /** The table at `position`, its vtable checked. */
  tableAt(position: number): Table {
    this.check(position, 4, "a table");
    const vtable = position - this.int32(position);
    this.check(vtable, 4, "a vtable");
    const vtableSize = this.uint16(vtable);
    const inlineSize = this.uint16(vtable + 2);
    if (vtableSize < 4 || vtableSize % 2 !== 0) {
      throw new FlatBufferError(
        `Cannot read a table as its vtable size must be even and at least 4: current value is ${vtableSize}`,
      );
    }
    this.check(vtable, vtableSize, "a vtable");
    if (inlineSize < 4) {
      throw new FlatBufferError(
        `Cannot read a table as its inline size must be at least 4: current value is ${inlineSize}`,
      );
    }
    this.check(position, inlineSize, "a table's inline fields");
    return new Table(this, position, vtable, vtableSize, inlineSize);
  }
}

/** A vector: `length` elements of `elementSize` bytes from `start`, all inside the buffer. */
export interface VectorRange {
  readonly start: number;
  readonly length: number;
}

/** One table of a FlatBuffer; fields are read by slot (their index in the schema). */
export class Table {
  readonly buffer: FlatBuffer;
  readonly position: number;
  readonly #vtable: number;
  readonly #vtableSize: number;
  readonly #inlineSize: number;

  constructor(
    buffer: FlatBuffer,
    position: number,
    vtable: number,
    vtableSize: number,
    inlineSize: number,
  ) {
    this.buffer = buffer;
    this.position = position;
    this.#vtable = vtable;
    this.#vtableSize = vtableSize;
    this.#inlineSize = inlineSize;
  }

  /** Absolute position of a present field of `size` bytes, or undefined when absent. */
  field(slot: number, size: number): number | undefined {
    const entry = 4 + 2 * slot;
    if (entry + 2 > this.#vtableSize) return undefined;
    const offset = this.buffer.uint16(this.#vtable + entry);
    if (offset === 0) return undefined;
    if (offset < 4 || offset + size > this.#inlineSize) {
      throw new FlatBufferError(
        `Cannot read field ${slot} as it must lie inside its table's ${this.#inlineSize} inline bytes: current offset is ${offset}`,
      );
    }
    return this.position + offset;
  }

  uint8(slot: number, fallback: number): number {
    const at = this.field(slot, 1);
    return at === undefined ? fallback : this.buffer.uint8(at);
  }

  int8(slot: number, fallback: number): number {
    const at = this.field(slot, 1);
    return at === undefined ? fallback : this.buffer.int8(at);
  }

  bool(slot: number, fallback: boolean): boolean {
    const at = this.field(slot, 1);
    return at === undefined ? fallback : this.buffer.uint8(at) !== 0;
  }

  int16(slot: number, fallback: number): number {
    const at = this.field(slot, 2);
    return at === undefined ? fallback : this.buffer.int16(at);
  }

  int32(slot: number, fallback: number): number {
    const at = this.field(slot, 4);
    return at === undefined ? fallback : this.buffer.int32(at);
  }

  /** An int64 field that must be a safe integer. */
  safeInt64(slot: number, fallback: number, what: string): number {
    const at = this.field(slot, 8);
    return at === undefined ? fallback : this.buffer.safeInt64(at, what);
  }

  /** The table a field points to, or undefined when absent. */
  table(slot: number): Table | undefined {
    const at = this.field(slot, 4);
    return at === undefined ? undefined : this.buffer.tableAt(this.buffer.uoffsetTarget(at));
  }

  /** The elements of a vector field, or undefined when absent. */
  vector(slot: number, elementSize: number): VectorRange | undefined {
    const at = this.field(slot, 4);
    if (at === undefined) return undefined;
    const header = this.buffer.uoffsetTarget(at);
    const length = this.buffer.uint32(header);
    const start = header + 4;
    this.buffer.check(start, length * elementSize, `a vector of ${length} elements`);
    return { start, length };
  }

  /** The i-th table of a vector of tables. */
  vectorTable(vector: VectorRange, index: number): Table {
    if (!Number.isSafeInteger(index) || index < 0 || index >= vector.length) {
      throw new RangeError(
        `Cannot read a vector element as 'index' must be in [0, ${vector.length}): current value is ${index}`,
      );
    }
    return this.buffer.tableAt(this.buffer.uoffsetTarget(vector.start + 4 * index));
  }

  /** The bytes of a string field (in range; not decoded), or undefined when absent. */
  string(slot: number): Uint8Array | undefined {
    const range = this.vector(slot, 1);
    return range === undefined
      ? undefined
      : this.buffer.bytes.subarray(range.start, range.start + range.length);
  }
}
