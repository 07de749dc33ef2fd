/**
 * Micro-batching of JSON messages: each message is checked to be a JSON object, kept as
 * text, and the open batch closes at `maxBatchRows` rows or `maxBatchDelayMs` after its
 * first row. A closed batch becomes Arrow (see json_batch.ts) and joins the buffer. Time
 * comes from injectable timers, so tests drive it without waiting.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import pl from "nodejs-polars";
import { BatchBuffer } from "./batch_buffer.ts";
import { parseJsonBatch } from "./json_batch.ts";

/** Timers the batcher uses for its delay trigger. */
export interface Timers {
  /** Schedules `callback`; returns an id for clear(). */
  set(callback: () => void, ms: number): unknown;
  clear(id: unknown): void;
}

/** The runtime's setTimeout/clearTimeout. */
export const systemTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (id) => clearTimeout(id as number),
};

/** Told of what the batcher counts, e.g. to keep metrics. */
export interface BatcherObserver {
  /** A message arrived (accepted or not). */
  onMessage?(): void;
  /** The source lost its upstream (a possible gap in the data). */
  onGap?(): void;
  /** Messages were rejected. */
  onRejected?(count: number): void;
  /** A batch of `rows` rows closed; the buffer now holds `bufferedBytes`. */
  onBatch?(rows: number, bufferedBytes: number): void;
  /** Rows were dropped from the buffer for its byte limit. */
  onDropped?(rows: number, bufferedBytes: number): void;
  /**
   * A batch of `rows` rows is durable in the live table (and acknowledged upstream),
   * `lagSeconds` after its first message arrived.
   */
  onCommitted?(rows: number, lagSeconds: number): void;
}

/** Rows as an Arrow IPC file (parsed elsewhere), told apart from a frame by its class. */
export class IpcRows {
  constructor(readonly ipc: Uint8Array, readonly rows: number) {}
}

/** A closed micro-batch, as an output takes it. */
export interface ClosedBatch {
  /** The kept rows (a frame, or an Arrow IPC file); absent when every message was rejected. */
  frame: pl.DataFrame | IpcRows | undefined;
  /** The marks of every message of the batch (kept or rejected), in arrival order. */
  marks: readonly unknown[];
  /** The size of the kept messages' text: what the batch holds while it waits. */
  bytes: number;
  /** `bytes` were reserved (reserve()) when the batch closed, before its parse. */
  reserved?: boolean;
  /** The batch could not be parsed at all: its marks must not be acknowledged. */
  error?: Error;
  /** When its first message arrived (performance.now()): its oldest row waits from then. */
  arrivedAt?: number;
}

/** Where closed batches go instead of the batcher's own memory buffer (a live table). */
export interface BatchOutput {
  closed(batch: ClosedBatch): void;
  /** Counts bytes of a batch being parsed as waiting (backpressure). @default none */
  reserve?(bytes: number): void;
}

/** Parses batches off the event loop (parse_pool.ts); results are applied in order. */
export interface BatchParser {
  parse(texts: string[]): Promise<{
    ipc?: Uint8Array;
    rows: number;
    rejected: { index: number; error: string }[];
  }>;
}

/** Options of Batcher. */
export interface BatcherOptions {
  /** A batch closes at this many rows. */
  maxBatchRows: number;
  /** ...or this long after its first row. */
  maxBatchDelayMs: number;
  /** Bytes of Arrow IPC the buffer keeps; the oldest batches are dropped past it. */
  maxBufferBytes: number;
  /** Takes the closed batches (the memory buffer then stays empty). @default the buffer */
  output?: BatchOutput;
  /** Applied to each batch's frame (e.g. casts); a throw rejects the batch. @default none */
  transform?: (frame: pl.DataFrame) => pl.DataFrame;
  /** With an output: parses batches off the event loop. @default parsed here */
  parser?: BatchParser;
  /** @default systemTimers */
  timers?: Timers;
  /** @default none */
  observer?: BatcherObserver;
}

/** The batcher's counters. */
export interface BatcherStats {
  messages: number;
  rows: number;
  rejected: number;
  batches: number;
  bufferedRows: number;
  bufferedBytes: number;
  droppedRows: number;
  lastError: string;
  /** The last rejected messages, newest last (at most MAX_RECENT_REJECTIONS). */
  recentRejections: RecentRejection[];
}

/** A rejected message, kept for debugging a feed. */
export interface RecentRejection {
  atMs: number;
  /** Why, cut to REJECTION_TEXT characters. */
  error: string;
  /** The message's start, cut to REJECTION_TEXT characters. */
  sample: string;
}

/** Rejected messages a source keeps. */
export const MAX_RECENT_REJECTIONS = 16;
/** Characters kept of a rejection's error and of its message. */
export const REJECTION_TEXT = 256;

/** Turns a stream of JSON messages into buffered Arrow micro-batches. */
export class Batcher {
  readonly #options: BatcherOptions;
  readonly #timers: Timers;
  readonly #observer: BatcherObserver;
  readonly #buffer: BatchBuffer;
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });
  #open: string[] = [];
  /** The marks of the open batch's messages, rejected ones included. */
  #marks: unknown[] = [];
  /** When the open batch's first message arrived (performance.now()). */
  #arrivedAt: number | undefined;
  /** The batches being parsed by the parser, in order. */
  #parsing: Promise<void> = Promise.resolve();
  #timer: unknown;
  /** The 0-row frame whose schema covers every batch so far. */
  #schema: pl.DataFrame | undefined;
  #closed = false;
  readonly #stats = {
    messages: 0,
    rows: 0,
    rejected: 0,
    batches: 0,
    droppedRows: 0,
    lastError: "",
    recentRejections: [] as RecentRejection[],
  };

  constructor(options: BatcherOptions) {
    for (const key of ["maxBatchRows", "maxBatchDelayMs", "maxBufferBytes"] as const) {
      if (!(Number.isSafeInteger(options[key]) && options[key] > 0)) {
        throw new RangeError(
          `Cannot create batcher as '${key}' must be a positive integer: current value is ${
            options[key]
          }`,
        );
      }
    }
    this.#options = options;
    this.#timers = options.timers ?? systemTimers;
    this.#observer = options.observer ?? {};
    this.#buffer = new BatchBuffer(options.maxBufferBytes);
  }

  /**
   * Takes one message, with the source's mark of it (e.g. its offset, handed to the output
   * with the batch); returns whether it joined the open batch. Never throws.
   */
  push(data: Uint8Array | string, mark?: unknown): boolean {
    if (this.#closed) return false;
    this.#stats.messages++;
    this.#observer.onMessage?.();
    this.#arrivedAt ??= performance.now();
    let text: string;
    try {
      text = this.#objectText(data);
    } catch (error) {
      this.#reject(1, error instanceof Error ? error.message : String(error), [data]);
      // An output still learns of it, so that the source can acknowledge it.
      if (this.#options.output) this.#marks.push(mark);
      this.#armTimer();
      return false;
    }
    this.#open.push(text);
    if (this.#options.output) this.#marks.push(mark);
    this.#armTimer();
    if (this.#open.length >= this.#options.maxBatchRows) this.flush();
    return true;
  }

  /**
   * Counts a message the source could not turn into records (e.g. a record path that leads
   * nowhere) as rejected, keeping it for debugging. Never throws.
   */
  rejectMessage(data: Uint8Array | string, error: string, mark?: unknown): void {
    if (this.#closed) return;
    this.#stats.messages++;
    this.#observer.onMessage?.();
    this.#arrivedAt ??= performance.now();
    this.#reject(1, error, [data]);
    if (this.#options.output) {
      this.#marks.push(mark);
      this.#armTimer();
    }
  }

  /** Starts the delay trigger at the open batch's first message. */
  #armTimer(): void {
    if (this.#timer === undefined && (this.#open.length > 0 || this.#marks.length > 0)) {
      this.#timer = this.#timers.set(() => {
        this.#timer = undefined;
        this.flush();
      }, this.#options.maxBatchDelayMs);
    }
  }

  /** Closes the open batch now (if it has rows). Never throws. */
  flush(): void {
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
    const marks = this.#marks;
    this.#marks = [];
    const arrivedAt = this.#arrivedAt;
    this.#arrivedAt = undefined;
    const output = this.#options.output;
    if (this.#open.length === 0) {
      if (output && marks.length > 0) output.closed({ frame: undefined, marks, bytes: 0 });
      return;
    }
    const texts = this.#open;
    this.#open = [];
    if (output && this.#options.parser) {
      this.#parseElsewhere(texts, marks, output, this.#options.parser, arrivedAt);
      return;
    }
    let frame: pl.DataFrame | undefined;
    try {
      const parsed = parseJsonBatch(texts, this.#schema);
      this.#schema = parsed.schema;
      if (parsed.rejected.length > 0) {
        this.#reject(
          parsed.rejected.length,
          parsed.rejected.at(-1)!.error,
          parsed.rejected.slice(-MAX_RECENT_REJECTIONS).map((r) => texts[r.index] ?? ""),
          parsed.rejected.slice(-MAX_RECENT_REJECTIONS).map((r) => r.error),
        );
      }
      if (parsed.frame && parsed.rows > 0) {
        frame = this.#options.transform ? this.#options.transform(parsed.frame) : parsed.frame;
        this.#stats.rows += parsed.rows;
        this.#stats.batches++;
        if (!output) {
          const ipc = frame.writeIPCStream();
          const dropped = this.#buffer.add({ ipc, rows: parsed.rows });
          this.#observer.onBatch?.(parsed.rows, this.#buffer.bytes);
          if (dropped > 0) {
            this.#stats.droppedRows += dropped;
            this.#observer.onDropped?.(dropped, this.#buffer.bytes);
          }
        } else {
          this.#observer.onBatch?.(parsed.rows, 0);
        }
      }
    } catch (error) {
      frame = undefined;
      this.#reject(texts.length, `Cannot close batch: ${String(error)}`, texts.slice(-1));
    }
    output?.closed({
      frame,
      marks,
      bytes: frame ? texts.reduce((n, t) => n + t.length, 0) : 0,
      ...(arrivedAt === undefined ? {} : { arrivedAt }),
    });
  }

  /** A batch parsed by the parser, handed to the output once parsed, after those before. */
  #parseElsewhere(
    texts: string[],
    marks: unknown[],
    output: BatchOutput,
    parser: BatchParser,
    arrivedAt: number | undefined,
  ): void {
    const arrival = arrivedAt === undefined ? {} : { arrivedAt };
    const bytes = texts.reduce((n, t) => n + t.length, 0);
    output.reserve?.(bytes);
    const parsing = parser.parse(texts);
    this.#parsing = this.#parsing.then(async () => {
      let parsed: Awaited<ReturnType<BatchParser["parse"]>>;
      try {
        parsed = await parsing;
      } catch (error) {
        const cause = error instanceof Error ? error : new Error(String(error));
        output.closed({ frame: undefined, marks, bytes, reserved: true, error: cause });
        return;
      }
      if (parsed.rejected.length > 0) {
        const last = parsed.rejected.slice(-MAX_RECENT_REJECTIONS);
        this.#reject(
          parsed.rejected.length,
          parsed.rejected.at(-1)!.error,
          last.map((r) => texts[r.index] ?? ""),
          last.map((r) => r.error),
        );
      }
      let frame: ClosedBatch["frame"];
      if (parsed.ipc && parsed.rows > 0) {
        try {
          frame = this.#options.transform
            ? this.#options.transform(
              pl.readIPC(
                Buffer.from(parsed.ipc.buffer, parsed.ipc.byteOffset, parsed.ipc.byteLength),
              ),
            )
            : new IpcRows(parsed.ipc, parsed.rows);
          this.#stats.rows += parsed.rows;
          this.#stats.batches++;
          this.#observer.onBatch?.(parsed.rows, 0);
        } catch (error) {
          frame = undefined;
          this.#reject(texts.length, `Cannot close batch: ${String(error)}`, texts.slice(-1));
        }
      }
      output.closed({ frame, marks, bytes, reserved: true, ...arrival });
    });
  }

  /** Resolves once the batches being parsed were handed to the output. */
  parsed(): Promise<void> {
    return this.#parsing;
  }

  /**
   * Closes the open batch and returns everything buffered as one uncompressed Arrow IPC
   * stream (a relaxed diagonal concat; 0 rows if everything was dropped), or undefined when
   * no batch ever closed (no schema is known). The buffer is kept.
   */
  snapshot(): Buffer | undefined {
    this.flush();
    if (!this.#schema) return undefined;
    const frames = [
      this.#schema,
      ...this.#buffer.batches.map(({ ipc }) =>
        pl.readIPCStream(Buffer.from(ipc.buffer, ipc.byteOffset, ipc.byteLength))
      ),
    ];
    const frame = frames.length === 1 ? frames[0]! : pl.concat(frames, { how: "diagonalRelaxed" });
    return frame.writeIPCStream();
  }

  /** The counters now. */
  stats(): BatcherStats {
    return {
      ...this.#stats,
      recentRejections: [...this.#stats.recentRejections],
      bufferedRows: this.#buffer.rows,
      bufferedBytes: this.#buffer.bytes,
    };
  }

  /** Stops the delay timer; later messages are ignored. The buffer stays readable. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
    this.#open = [];
    this.#marks = [];
    this.#arrivedAt = undefined;
  }

  /** Records an error that came from outside the batcher (e.g. the subscription). */
  recordError(message: string): void {
    this.#stats.lastError = message;
  }

  /**
   * Counts `count` rejected messages; keeps the last of `messages` (with their own errors
   * when given, else `error`) for debugging, cut short.
   */
  #reject(
    count: number,
    error: string,
    messages: readonly (Uint8Array | string)[] = [],
    errors?: readonly string[],
  ): void {
    this.#stats.rejected += count;
    this.#stats.lastError = error;
    const kept = this.#stats.recentRejections;
    const atMs = Date.now();
    messages.forEach((message, i) => {
      kept.push({
        atMs,
        error: (errors?.[i] ?? error).slice(0, REJECTION_TEXT),
        sample: sampleOf(message),
      });
    });
    if (kept.length > MAX_RECENT_REJECTIONS) kept.splice(0, kept.length - MAX_RECENT_REJECTIONS);
    this.#observer.onRejected?.(count);
  }

  /** The message as one line of JSON text, or an Error saying why it is not an object. */
  #objectText(data: Uint8Array | string): string {
    let text: string;
    try {
      text = typeof data === "string" ? data : this.#decoder.decode(data);
    } catch {
      throw new Error("Cannot ingest message as it must be UTF-8 text: current value is not");
    }
    // An object starts with "{" and ends with "}": checked here without parsing (the batch's
    // parse checks the rest, and a batch Polars refuses is parsed message by message).
    if (!looksLikeObject(text)) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new Error(
          `Cannot ingest message as it must be JSON: ${
            error instanceof Error ? error.message : error
          }`,
        );
      }
      const kind = value === null
        ? "null"
        : Array.isArray(value)
        ? "an array"
        : typeof value === "object"
        ? "an object with text around it"
        : `a ${typeof value}`;
      throw new Error(
        `Cannot ingest message as it must be a JSON object: current value is ${kind}`,
      );
    }
    // Raw line breaks can only be whitespace between tokens in valid JSON: one line per row.
    return /[\r\n]/.test(text) ? text.replace(/[\r\n]+/g, " ") : text;
  }
}

/** Whether the text's first and last characters other than whitespace are "{" and "}". */
function looksLikeObject(text: string): boolean {
  let first = 0;
  let last = text.length - 1;
  while (first <= last && isSpace(text.charCodeAt(first))) first++;
  while (last > first && isSpace(text.charCodeAt(last))) last--;
  return text.charCodeAt(first) === 0x7b && text.charCodeAt(last) === 0x7d && last > first;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** A message's first REJECTION_TEXT characters (invalid UTF-8 replaced). */
function sampleOf(message: Uint8Array | string): string {
  if (typeof message === "string") return message.slice(0, REJECTION_TEXT);
  // Four bytes at most per character: decode only what can be kept.
  const head = message.subarray(0, REJECTION_TEXT * 4);
  return new TextDecoder("utf-8", { fatal: false }).decode(head).slice(0, REJECTION_TEXT);
}
