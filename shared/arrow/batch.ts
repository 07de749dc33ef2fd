/**
 * One record batch (or a dictionary's) against the layout its schema gives it: as many field
 * nodes and buffers as the types carry, every length within the rows bound, every buffer
 * inside the message body and large enough for its node's length, and — for compressed
 * bodies — every buffer's declared uncompressed length read from its 8-byte prefix and
 * counted against the upload's budget. The engine sizes allocations from these numbers, so
 * a lie is refused here rather than allocated there.
 *
 * @module
 */

import type { Budget } from "./budget.ts";
import { type BufferRole, DATA, type FieldLayout, minimumBytes, VALIDITY } from "./layout.ts";
import { type Message, type RecordBatch, V4 } from "./message.ts";
import { invalid } from "./_invalid.ts";

/** Where the batch is, for the checks and their messages. */
export interface BatchContext {
  /** The field nodes the batch must have, in pre-order. */
  readonly layout: readonly FieldLayout[];
  /** The whole upload (buffers are read from it). */
  readonly bytes: Uint8Array;
  readonly message: Message;
  readonly budget: Budget;
  /** Names the batch in errors ("record batch 3"). */
  readonly what: string;
}

/** Reads a FieldNode or Buffer struct's two int64s. */
function pair(batch: RecordBatch, start: number, index: number, what: string): [number, number] {
  const at = start + 16 * index;
  return [batch.flat.safeInt64(at, what), batch.flat.safeInt64(at + 8, what)];
}

/** The buffers a field carries before its variadic ones. */
function rolesOf(field: FieldLayout, version: number): readonly BufferRole[] {
  return field.union && version === V4 ? [VALIDITY, ...field.buffers] : field.buffers;
}

/** Checks the counts of nodes and buffers; returns the variadic buffer count per view field. */
function checkCounts(batch: RecordBatch, ctx: BatchContext) {
  const { what, layout } = ctx;
  if (batch.nodes.length !== layout.length) {
    throw invalid(
      `${what} must have ${layout.length} field nodes, one per field of its schema: current value is ${batch.nodes.length}`,
    );
  }
  const viewFields = layout.filter((f) => f.views).length;
  if (batch.variadicCounts.length !== viewFields) {
    throw invalid(
      `${what} must have ${viewFields} variadic buffer counts, one per view field: current value is ${batch.variadicCounts.length}`,
    );
  }
  const variadic: number[] = [];
  let expected = 0;
  for (let i = 0; i < viewFields; i++) {
    const count = batch.flat.safeInt64(batch.variadicCounts.start + 8 * i, "a variadic count");
    if (count < 0 || count > batch.buffers.length) {
      throw invalid(
        `${what} must have variadic buffer counts in [0, ${batch.buffers.length}]: current value is ${count}`,
      );
    }
    variadic.push(count);
    expected += count;
  }
  for (const field of layout) expected += rolesOf(field, ctx.message.version).length;
  if (batch.buffers.length !== expected) {
    throw invalid(
      `${what} must have ${expected} buffers for its schema's types: current value is ${batch.buffers.length}`,
    );
  }
  return variadic;
}

/** The decoded size of buffer `index`, after checking it lies inside the body. */
function bufferSize(batch: RecordBatch, index: number, ctx: BatchContext): number {
  const { message, what, budget } = ctx;
  const [offset, length] = pair(batch, batch.buffers.start, index, "a buffer offset or length");
  if (offset < 0 || length < 0 || offset + length > message.bodyLength) {
    throw invalid(
      `${what} buffer ${index} must lie inside the ${message.bodyLength}-byte body: current range is [${offset}, ${
        offset + length
      })`,
    );
  }
  if (batch.codec === undefined || length === 0) {
    budget.addDecoded(length, `${what} buffer ${index}`);
    return length;
  }
  if (length < 8) {
    throw invalid(
      `${what} buffer ${index} (compressed) must start with an 8-byte uncompressed length: current length is ${length}`,
    );
  }
  const at = message.bodyStart + offset;
  const view = new DataView(ctx.bytes.buffer, ctx.bytes.byteOffset + at, 8);
  const declared = view.getBigInt64(0, true);
  if (declared === -1n) {
    budget.addDecoded(length - 8, `${what} buffer ${index}`);
    return length - 8;
  }
  if (declared < 0n) {
    throw invalid(
      `${what} buffer ${index} must declare an uncompressed length of at least 0, or -1 (stored uncompressed): current value is ${declared}`,
    );
  }
  budget.addDecoded(declared, `${what} buffer ${index} (declaring ${declared} bytes)`);
  return Number(declared);
}

/** One field node as read, with its layout. */
interface Node {
  readonly field: FieldLayout;
  readonly length: number;
  readonly nullCount: number;
  readonly label: string;
}

/** The nodes of one batch checked so far. */
interface Nodes {
  readonly layout: readonly FieldLayout[];
  /** Lengths of the nodes before this one, by index. */
  readonly lengths: Float64Array;
  readonly batchLength: number;
  readonly maxRows: number;
}

/** Checks one node's length and null count, and its length against its parent's. */
function checkNodeLength(node: Node, nodes: Nodes): void {
  const { field, length, nullCount, label } = node;
  const { layout, lengths, batchLength, maxRows } = nodes;
  if (length < 0 || length > maxRows) {
    throw invalid(
      `${label} must have a length in [0, ${maxRows}] (POLAROID_MAX_RESULT_ROWS): current value is ${length}`,
      { limit: "POLAROID_MAX_RESULT_ROWS" },
    );
  }
  if (nullCount < 0 || nullCount > length) {
    throw invalid(
      `${label} must have a null count in [0, ${length}]: current value is ${nullCount}`,
    );
  }
  if (field.parent < 0) {
    if (length !== batchLength) {
      throw invalid(
        `${label} must have the batch's length ${batchLength}: current value is ${length}`,
      );
    }
    return;
  }
  const parent = layout[field.parent]!;
  const parentLength = lengths[field.parent]!;
  const least = parent.childRule === "atLeastParent"
    ? parentLength
    : parent.childRule === "timesListSize"
    ? parentLength * parent.listSize
    : 0;
  if (length < least) {
    throw invalid(
      `${label} (a child of a ${parent.type} of length ${parentLength}) must have at least ${least} slots: current value is ${length}`,
    );
  }
}

/** Checks a record batch (or a dictionary batch's data) against `ctx.layout`. */
export function checkBatch(batch: RecordBatch, ctx: BatchContext): void {
  const { what, budget, layout } = ctx;
  if (batch.length > budget.maxRows) {
    throw invalid(
      `${what} must have at most ${budget.maxRows} rows (POLAROID_MAX_RESULT_ROWS): current value is ${batch.length}`,
      { limit: "POLAROID_MAX_RESULT_ROWS" },
    );
  }
  const variadic = checkCounts(batch, ctx);
  budget.addNodes(layout.length, `${what} (${layout.length} field nodes)`);
  const nodes: Nodes = {
    layout,
    lengths: new Float64Array(layout.length),
    batchLength: batch.length,
    maxRows: budget.maxRows,
  };
  let buffer = 0;
  let view = 0;
  layout.forEach((field, i) => {
    const label = `${what} field node ${i} (${field.type})`;
    const [length, nullCount] = pair(batch, batch.nodes.start, i, "a field node length");
    checkNodeLength({ field, length, nullCount, label }, nodes);
    nodes.lengths[i] = length;
    if (rolesOf(field, ctx.message.version).length === 0) {
      // Null and run-end encoded fields send no buffers of their own, yet a plan over them
      // sizes its work from their length: they count as a bit per slot, like a bitmap.
      budget.addDecoded(Math.ceil(length / 8), `${label} (${length} slots without buffers)`);
    }
    const check = (role: BufferRole) => {
      const size = bufferSize(batch, buffer, ctx);
      const least = minimumBytes(role, length);
      const absentValidity = role.kind === "validity" && size === 0 && nullCount === 0;
      if (size < least && !absentValidity) {
        throw invalid(
          `${label} buffer ${buffer} (${role.kind}) must have at least ${least} bytes for ${length} slots${
            batch.codec ? " once decoded" : ""
          }: current value is ${size}`,
        );
      }
      buffer++;
    };
    for (const role of rolesOf(field, ctx.message.version)) check(role);
    if (field.views) {
      for (let v = variadic[view++]!; v > 0; v--) check(DATA);
    }
  });
}
