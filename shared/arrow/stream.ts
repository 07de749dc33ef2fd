/**
 * The Arrow IPC stream format: a Schema message, then dictionary and record batches, then
 * optionally the end-of-stream marker — and nothing after it.
 *
 * @module
 */

import type { Budget } from "./budget.ts";
import { checkDataMessage } from "./data_message.ts";
import { MessageHeader, readFramed } from "./message.ts";
import { type ArrowSchema, readSchema, type SchemaLimits } from "./schema.ts";
import { flatOrInvalid, invalid } from "./_invalid.ts";

/** What a stream held. */
export interface StreamContents {
  readonly schema: ArrowSchema;
  /** Messages after the schema (dictionary and record batches). */
  readonly batches: number;
}

/** Checks every message of a stream, with the schema's limits and the upload's budget. */
export function checkStream(
  bytes: Uint8Array,
  { limits, budget }: { limits: SchemaLimits; budget: Budget },
): StreamContents {
  let schema: ArrowSchema | undefined;
  let at = 0;
  let index = 0;
  while (at < bytes.byteLength) {
    const what = `message ${index} (at byte ${at})`;
    const message = flatOrInvalid(
      what,
      () => readFramed(bytes, { at, limit: bytes.byteLength, what }),
    );
    if (message === "eos") {
      at += 8;
      if (at !== bytes.byteLength) {
        throw invalid(
          `the stream must end at its end-of-stream marker: current value is ${
            bytes.byteLength - at
          } bytes after it`,
        );
      }
      break;
    }
    if (schema === undefined) {
      if (message.headerType !== MessageHeader.Schema) {
        throw invalid(`the stream must start with a Schema message: current value is another`);
      }
      if (message.bodyLength !== 0) {
        throw invalid(
          `${what} (a schema) must have no body: current value is ${message.bodyLength} bytes`,
        );
      }
      schema = flatOrInvalid(what, () => readSchema(message.header, limits));
    } else {
      if (message.headerType === MessageHeader.Schema) {
        throw invalid(`the stream must have one Schema message: ${what} is another`);
      }
      const known = schema;
      flatOrInvalid(what, () => checkDataMessage(message, { schema: known, bytes, budget, what }));
    }
    at = message.end;
    index++;
  }
  if (schema === undefined) {
    throw invalid("the stream must start with a Schema message: current value is none");
  }
  return { schema, batches: Math.max(0, index - 1) };
}
