/**
 * A message that carries data — a record batch or a dictionary batch — checked against the
 * schema it belongs to, its rows and decoded bytes counted.
 *
 * @module
 */

import type { Budget } from "./budget.ts";
import { checkBatch } from "./batch.ts";
import { type Message, MessageHeader, readDictionaryBatch, readRecordBatch } from "./message.ts";
import type { ArrowSchema } from "./schema.ts";
import { invalid } from "./_invalid.ts";

/** What a data message is checked against. */
export interface DataContext {
  readonly schema: ArrowSchema;
  /** The whole upload. */
  readonly bytes: Uint8Array;
  readonly budget: Budget;
  /** Names the message in errors. */
  readonly what: string;
}

/** Checks a RecordBatch or DictionaryBatch message; a Schema message is refused here. */
export function checkDataMessage(message: Message, ctx: DataContext): void {
  const { schema, bytes, budget, what } = ctx;
  if (message.headerType === MessageHeader.RecordBatch) {
    const batch = readRecordBatch(message.header, what);
    budget.addRows(batch.length, what);
    checkBatch(batch, { layout: schema.batchLayout, bytes, message, budget, what });
    return;
  }
  if (message.headerType === MessageHeader.DictionaryBatch) {
    const { id, data } = readDictionaryBatch(message.header, what);
    const layout = schema.dictionaries.get(id);
    if (layout === undefined) {
      throw invalid(
        `${what} must be for a dictionary id of the schema: current value is ${id}`,
      );
    }
    checkBatch(data, { layout, bytes, message, budget, what: `${what} (dictionary ${id})` });
    return;
  }
  throw invalid(`${what} must be a record batch or a dictionary batch: current value is a schema`);
}
