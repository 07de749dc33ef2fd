/**
 * The worker of ParsePool (parse_pool.ts): parses micro-batches of JSON object texts into Arrow
 * IPC files off the ingest service's event loop, keeping each source's merged schema (so that
 * batches widen as they do on the event loop).
 *
 * @module
 */

/// <reference lib="deno.worker" />

import type pl from "nodejs-polars";
import { parseJsonBatch } from "./json_batch.ts";

/** A request to the worker. */
export type ParseRequest =
  | { op: "parse"; job: number; source: number; texts: string[] }
  | { op: "forget"; source: number };

/** The worker's answer to a parse. */
export interface ParseAnswer {
  job: number;
  /** The kept rows as an Arrow IPC file; absent when none was kept. */
  ipc?: Uint8Array;
  rows: number;
  rejected: { index: number; error: string }[];
  /** The parse itself failed (not a message: the batch must not be acknowledged). */
  error?: string;
}

const schemas = new Map<number, pl.DataFrame>();

self.onmessage = (event: MessageEvent<ParseRequest>) => {
  const request = event.data;
  if (request.op === "forget") {
    schemas.delete(request.source);
    return;
  }
  let answer: ParseAnswer;
  try {
    const parsed = parseJsonBatch(request.texts, schemas.get(request.source));
    if (parsed.schema) schemas.set(request.source, parsed.schema);
    const ipc = parsed.frame && parsed.rows > 0 ? parsed.frame.writeIPC() : undefined;
    answer = {
      job: request.job,
      // A copy of its own: the Buffer may share a pooled ArrayBuffer, which must not move.
      ...(ipc ? { ipc: new Uint8Array(ipc) } : {}),
      rows: parsed.rows,
      rejected: parsed.rejected,
    };
  } catch (error) {
    answer = { job: request.job, rows: 0, rejected: [], error: String(error) };
  }
  self.postMessage(answer, answer.ipc ? [answer.ipc.buffer as ArrayBuffer] : []);
};
