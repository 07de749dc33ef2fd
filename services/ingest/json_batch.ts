/**
 * Turns a micro-batch of JSON object texts into a frame without passing values through
 * JS numbers: the texts are joined as NDJSON and parsed by Polars, so an Int64 above 2^53
 * stays exact. A batch that Polars refuses as a whole is parsed message by message and only
 * the messages that do not fit are rejected.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import pl from "nodejs-polars";

/** A message of the batch that was not kept, by its index in the batch. */
export interface Rejection {
  index: number;
  error: string;
}

/** What parseJsonBatch() made of a batch. */
export interface ParsedBatch {
  /** The kept rows; absent when no row was kept. */
  frame: pl.DataFrame | undefined;
  rows: number;
  /** The 0-row frame whose schema covers every batch so far (this one included). */
  schema: pl.DataFrame | undefined;
  rejected: Rejection[];
}

/**
 * Parses JSON object texts (one object per text, no raw newlines) into one Arrow batch.
 * `schema` is the 0-row frame of the batches before: a batch must be concatenable with it
 * (Polars' relaxed diagonal concat: new columns are added, types widen to a supertype such
 * as Int64 + Float64 → Float64 or anything + String → String).
 */
export function parseJsonBatch(texts: readonly string[], schema?: pl.DataFrame): ParsedBatch {
  if (texts.length === 0) return { frame: undefined, rows: 0, schema, rejected: [] };
  try {
    const frame = readLines(texts.join("\n"));
    const merged = widen(schema, frame);
    return { frame, rows: frame.height, schema: merged, rejected: [] };
  } catch {
    return parseOneByOne(texts, schema);
  }
}

function parseOneByOne(texts: readonly string[], schema?: pl.DataFrame): ParsedBatch {
  const frames: pl.DataFrame[] = [];
  const rejected: Rejection[] = [];
  let merged = schema;
  texts.forEach((text, index) => {
    try {
      JSON.parse(text);
    } catch (error) {
      rejected.push({ index, error: `Cannot ingest message as it must be JSON: ${String(error)}` });
      return;
    }
    try {
      const frame = readLines(text);
      merged = widen(merged, frame);
      frames.push(frame);
    } catch (error) {
      rejected.push({ index, error: describe(error) });
    }
  });
  if (frames.length === 0) return { frame: undefined, rows: 0, schema, rejected };
  try {
    const frame = frames.length === 1 ? frames[0]! : pl.concat(frames, { how: "diagonalRelaxed" });
    return { frame, rows: frame.height, schema: merged, rejected };
  } catch (error) {
    const reason = describe(error);
    const all = texts.map((_, index) => ({ index, error: reason }));
    return { frame: undefined, rows: 0, schema, rejected: all };
  }
}

/** Parses NDJSON with a full-scan schema and checks every dtype is one JS can handle. */
function readLines(text: string): pl.DataFrame {
  const frame = pl.readJSON(Buffer.from(text, "utf8"), {
    format: "lines",
    inferSchemaLength: null,
  });
  // Reading the dtypes throws for types nodejs-polars cannot represent (e.g. Int128, which
  // Polars infers for integers beyond the Int64 range): such rows are refused here.
  void frame.dtypes;
  return frame;
}

/** The 0-row frame whose schema covers `schema` and `frame`; throws when they conflict. */
function widen(schema: pl.DataFrame | undefined, frame: pl.DataFrame): pl.DataFrame {
  const empty = frame.head(0);
  if (!schema) return empty;
  const merged = pl.concat([schema, empty], { how: "diagonalRelaxed" });
  void merged.dtypes;
  return merged;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `Cannot ingest message as its fields must fit one Arrow schema: ${message.slice(0, 300)}`;
}
