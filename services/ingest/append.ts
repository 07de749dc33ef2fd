/**
 * Append: producers push rows into a live table over gRPC (a client stream of Arrow IPC
 * streams or NDJSON text). Every row of one call becomes one segment, committed when the
 * call ends; a call that breaks or is refused commits nothing. Idempotent producers name
 * themselves and number their calls: the sequence committed for each producer is kept in the
 * table's offsets, so a retried call (its answer lost) is answered as a duplicate.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import pl from "nodejs-polars";
import { InvalidArgumentError, LimitExceededError } from "../../shared/errors.ts";
import type { AppendRequest, AppendResponse } from "../../shared/gen/polaroid/v1/ingest.ts";
import { validateIpc } from "../../shared/arrow/validate_ipc.ts";
import { validateLiveTableName } from "../../shared/live_table.ts";
import type { CallContext } from "../../shared/grpc/types.ts";
import type { LiveWriter } from "./live_writer.ts";
import { parseJsonBatch } from "./json_batch.ts";

/** Producers whose sequence a table keeps; the least recently seen go past it. */
export const MAX_PRODUCERS = 1024;
const PRODUCER = /^[A-Za-z0-9._-]{1,128}$/;

/** What Append needs. */
export interface AppendDeps {
  /** The writer of the tenant's table (opened once); refuses tables a source writes. */
  writer(tenant: string, table: string): Promise<LiveWriter>;
  /** Bytes one call may send (POLAROID_INGEST_MAX_APPEND_BYTES). */
  maxBytes: number;
  /**
   * Bytes all calls under way may hold together (POLAROID_INGEST_MAX_APPEND_BUFFER_BYTES); a
   * call past it is refused, to be tried again. @default maxBytes × 4
   */
  maxBufferedBytes?: number;
}

/** The Append handler. */
export function appendHandler(deps: AppendDeps) {
  const budget = deps.maxBufferedBytes ?? deps.maxBytes * 4;
  /** Bytes the calls under way hold. */
  let buffered = 0;
  return async (
    requests: AsyncIterable<AppendRequest>,
    ctx: CallContext,
  ): Promise<AppendResponse> => {
    let held = 0;
    const take = (size: number) => {
      if (buffered + size > budget) {
        throw new LimitExceededError(
          `Cannot append now as the calls under way hold ${buffered} bytes and may hold at most ${budget} (POLAROID_INGEST_MAX_APPEND_BUFFER_BYTES): try again`,
          { metadata: { limit: "max_append_buffer_bytes", retryable: "true" } },
        );
      }
      buffered += size;
      held += size;
    };
    try {
      return await appendCall(requests, ctx, take);
    } finally {
      buffered -= held;
    }
  };

  async function appendCall(
    requests: AsyncIterable<AppendRequest>,
    ctx: CallContext,
    take: (size: number) => void,
  ): Promise<AppendResponse> {
    let table: string | undefined;
    let producer = "";
    let sequence = 0n;
    let bytes = 0;
    const frames: pl.DataFrame[] = [];
    let schema: pl.DataFrame | undefined;
    for await (const request of requests) {
      if (table === undefined) {
        table = validateLiveTableName(request.table, "table");
        ctx.log.table = table;
        producer = request.producerId;
        sequence = request.sequence;
        if (producer !== "" && !PRODUCER.test(producer)) {
          throw new InvalidArgumentError(
            `Cannot append as 'producer_id' must match ${PRODUCER.source}: current value is ${
              JSON.stringify(producer.slice(0, 80))
            }`,
            { metadata: { field: "producer_id" } },
          );
        }
        if (producer !== "" && sequence === 0n) {
          throw new InvalidArgumentError(
            "Cannot append as 'sequence' must be positive with a 'producer_id': current value is 0",
            { metadata: { field: "sequence" } },
          );
        }
      }
      const rows = request.rows;
      if (!rows) continue;
      const size = rows.$case === "arrowIpc" ? rows.value.byteLength : rows.value.length;
      bytes += size;
      if (bytes > deps.maxBytes) {
        throw new LimitExceededError(
          `Cannot append more than ${deps.maxBytes} bytes in one call (POLAROID_INGEST_MAX_APPEND_BYTES): split it`,
          { metadata: { limit: "max_append_bytes" } },
        );
      }
      take(size);
      if (rows.$case === "arrowIpc") {
        validateIpc(rows.value, { maxBytes: deps.maxBytes });
        const buffer = Buffer.from(rows.value.buffer, rows.value.byteOffset, rows.value.byteLength);
        let frame: pl.DataFrame;
        try {
          frame = pl.readIPCStream(buffer);
          void frame.dtypes;
        } catch (error) {
          throw new InvalidArgumentError(
            `Cannot append as 'arrow_ipc' must be an Arrow IPC stream of types the engine supports: ${
              String(error).slice(0, 300)
            }`,
            { metadata: { field: "arrow_ipc" } },
          );
        }
        frames.push(frame);
      } else {
        const lines = rows.value.split("\n").filter((line) => line.trim() !== "");
        const parsed = parseJsonBatch(lines.map((l) => l.replace(/\r$/, "")), schema);
        if (parsed.rejected.length > 0) {
          const first = parsed.rejected[0]!;
          throw new InvalidArgumentError(
            `Cannot append as line ${
              first.index + 1
            } of 'json_rows' must be a JSON object fitting the others: ${first.error}`,
            { metadata: { field: "json_rows" } },
          );
        }
        schema = parsed.schema;
        if (parsed.frame) frames.push(parsed.frame);
      }
    }
    if (table === undefined) {
      throw new InvalidArgumentError("Cannot append as the call sent no message: name the table");
    }
    const writer = await deps.writer(ctx.tenant, table);
    const key = `append:${producer}`;
    const duplicate = (offsets: Readonly<Record<string, string>>) =>
      producer !== "" && offsets[key] !== undefined && BigInt(offsets[key]!) >= sequence;
    const frame = frames.length === 0
      ? undefined
      : frames.length === 1
      ? frames[0]!
      : pl.concat(frames, { how: "diagonalRelaxed" });
    if (!frame || frame.height === 0) {
      const end = BigInt(writer.nextRow);
      return { rows: 0n, firstRow: end, nextRow: end, duplicate: duplicate(writer.offsets) };
    }
    // The producer's sequence is checked, and recorded, in the writer's turn: concurrent calls
    // of several producers keep each other's sequences.
    const appended = await writer.appendWith(frame, (current) => {
      if (duplicate(current)) return undefined;
      const offsets = { ...current };
      if (producer === "") return offsets;
      // Most recently seen last; the oldest producers go past MAX_PRODUCERS.
      delete offsets[key];
      offsets[key] = String(sequence);
      const producers = Object.keys(offsets).filter((k) => k.startsWith("append:"));
      for (const old of producers.slice(0, Math.max(0, producers.length - MAX_PRODUCERS))) {
        delete offsets[old];
      }
      return offsets;
    });
    if (!appended) {
      return { rows: 0n, firstRow: 0n, nextRow: BigInt(writer.nextRow), duplicate: true };
    }
    ctx.log.rows = frame.height;
    return {
      rows: BigInt(frame.height),
      firstRow: BigInt(appended.firstRow),
      nextRow: BigInt(appended.firstRow + frame.height),
      duplicate: false,
    };
  }
}
