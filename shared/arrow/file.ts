/**
 * The Arrow IPC file format: `ARROW1`, padding, a stream, the Footer, its int32 length and
 * `ARROW1` again. A reader goes through the footer — its schema and the blocks that point at
 * each dictionary and record batch — so that is what is checked: every block inside the
 * file before the footer, no two overlapping (one message cannot be counted twice), each
 * pointing at a message of the kind its list says, whose framing and body agree with it.
 *
 * @module
 */

import type { Budget } from "./budget.ts";
import { checkDataMessage } from "./data_message.ts";
import { FlatBuffer, type Table, type VectorRange } from "./flatbuffer.ts";
import { type Message, MessageHeader, readFramed, V4, V5 } from "./message.ts";
import { type ArrowSchema, readSchema, type SchemaLimits } from "./schema.ts";
import { flatOrInvalid, invalid } from "./_invalid.ts";

/** "ARROW1": opens and closes an Arrow IPC file (a stream starts otherwise). */
export const ARROW_FILE_MAGIC: readonly number[] = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31];

/** Whether the bytes start like an Arrow IPC file (the engine reads them as one if so). */
export function isArrowFile(bytes: Uint8Array): boolean {
  return ARROW_FILE_MAGIC.every((b, i) => bytes[i] === b);
}

/** What a file held. */
export interface FileContents {
  readonly schema: ArrowSchema;
  /** Blocks of the footer (dictionary and record batches). */
  readonly batches: number;
}

/** File.fbs `struct Block { offset: long; metaDataLength: int; bodyLength: long }`. */
interface Block {
  readonly offset: number;
  readonly metaDataLength: number;
  readonly bodyLength: number;
  readonly header: number;
  readonly what: string;
}

const BLOCK_SIZE = 24;
const START = 8; // magic and padding
const END = 10; // footer length and magic

function readBlocks(
  flat: FlatBuffer,
  range: VectorRange,
  header: number,
  kind: string,
  footerStart: number,
): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < range.length; i++) {
    const at = range.start + BLOCK_SIZE * i;
    const what = `${kind} block ${i}`;
    const offset = flat.safeInt64(at, "a block offset");
    const metaDataLength = flat.int32(at + 8);
    const bodyLength = flat.safeInt64(at + 16, "a block body length");
    if (
      offset < START || metaDataLength <= 8 || bodyLength < 0 ||
      offset + metaDataLength + bodyLength > footerStart
    ) {
      throw invalid(
        `${what} must lie between byte ${START} and the footer at byte ${footerStart}: current value is offset ${offset}, metadata ${metaDataLength} bytes, body ${bodyLength} bytes`,
      );
    }
    blocks.push({ offset, metaDataLength, bodyLength, header, what });
  }
  return blocks;
}

function checkNoOverlap(blocks: Block[]): void {
  const sorted = [...blocks].sort((a, b) => a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1]!;
    const end = before.offset + before.metaDataLength + before.bodyLength;
    if (sorted[i]!.offset < end) {
      throw invalid(
        `${sorted[i]!.what} must not overlap ${before.what}: current value starts at byte ${
          sorted[i]!.offset
        }, before ${end}`,
      );
    }
  }
}

/** The message a block points at, checked against the block. */
function blockMessage(bytes: Uint8Array, block: Block, footerStart: number): Message {
  const { what } = block;
  const message = flatOrInvalid(
    what,
    () => readFramed(bytes, { at: block.offset, limit: footerStart, what }),
  );
  if (message === "eos" || message.bodyStart !== block.offset + block.metaDataLength) {
    throw invalid(
      `${what} must point at a message whose framing is its metaDataLength (${block.metaDataLength} bytes)`,
    );
  }
  if (message.bodyLength !== block.bodyLength) {
    throw invalid(
      `${what} must have the body length of its message (${message.bodyLength}): current value is ${block.bodyLength}`,
    );
  }
  if (message.headerType !== block.header) {
    throw invalid(
      `${what} must point at a ${
        block.header === MessageHeader.RecordBatch ? "record" : "dictionary"
      } batch`,
    );
  }
  return message;
}

function footerTable(bytes: Uint8Array): { footer: Table; footerStart: number } {
  const n = bytes.byteLength;
  const trailer = ARROW_FILE_MAGIC.every((b, i) => bytes[n - 6 + i] === b);
  if (n < START + END + 4 || !trailer) {
    throw invalid(`the file must end with "ARROW1" after its footer (${n} bytes in all)`);
  }
  const footerLength = new DataView(bytes.buffer, bytes.byteOffset + n - END, 4).getInt32(0, true);
  const footerStart = n - END - footerLength;
  if (footerLength <= 0 || footerStart < START) {
    throw invalid(
      `the file's footer length must be in [1, ${
        n - END - START
      }]: current value is ${footerLength}`,
    );
  }
  const flat = new FlatBuffer(bytes.subarray(footerStart, n - END));
  return { footer: flatOrInvalid("the footer", () => flat.root()), footerStart };
}

/** Checks a file through its footer, with the schema's limits and the upload's budget. */
export function checkFile(
  bytes: Uint8Array,
  { limits, budget }: { limits: SchemaLimits; budget: Budget },
): FileContents {
  const { footer, footerStart } = footerTable(bytes);
  return flatOrInvalid("the footer", () => {
    const version = footer.int16(0, 0);
    if (version !== V4 && version !== V5) {
      throw invalid(
        `the footer must have metadata version V4 or V5 (3 or 4): current value is ${version}`,
      );
    }
    const schemaTable = footer.table(1);
    if (schemaTable === undefined) {
      throw invalid("the footer must have a schema: current value is none");
    }
    const schema = readSchema(schemaTable, limits);
    const empty = { start: 0, length: 0 };
    const dictionaries = readBlocks(
      footer.buffer,
      footer.vector(2, BLOCK_SIZE) ?? empty,
      MessageHeader.DictionaryBatch,
      "dictionary",
      footerStart,
    );
    const records = readBlocks(
      footer.buffer,
      footer.vector(3, BLOCK_SIZE) ?? empty,
      MessageHeader.RecordBatch,
      "record batch",
      footerStart,
    );
    const blocks = [...dictionaries, ...records];
    checkNoOverlap(blocks);
    for (const block of blocks) {
      const message = blockMessage(bytes, block, footerStart);
      flatOrInvalid(
        block.what,
        () => checkDataMessage(message, { schema, bytes, budget, what: block.what }),
      );
    }
    return { schema, batches: blocks.length };
  });
}
