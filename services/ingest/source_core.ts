/**
 * What every kind of source shares: the batcher its messages go through, the live table its
 * batches are committed to (when the service has a state store), its state, counters and
 * overflow policy, and the Source its kind returns. A kind's own file only reads its
 * upstream and calls push(), lost(), back() and retrying().
 *
 * @module
 */

import type pl from "nodejs-polars";
import { FailedPreconditionError } from "../../shared/errors.ts";
import type { SourceInfo, SourceSpec } from "../../shared/gen/polaroid/v1/ingest.ts";
import { Batcher } from "./batcher.ts";
import { LiveOutput, type MarkHandling } from "./live_output.ts";
import { type ConnectionEvent, type Source, type SourceState, toSourceInfo } from "./source.ts";
import type { SourceContext } from "./sources/kind.ts";

/** The state, batcher and live table of one source. */
export class SourceCore {
  readonly spec: SourceSpec;
  readonly batcher: Batcher;
  /** The live table's side; undefined without a state store. */
  readonly output: LiveOutput | undefined;
  readonly #context: SourceContext;
  #state: SourceState = "running";
  #gaps = 0;
  #dropped = 0;
  #nextAttemptAtMs = 0;
  /** The source's id in the parse pool, when it parses there. */
  readonly #parserSource: number | undefined;

  constructor(
    spec: SourceSpec,
    context: SourceContext,
    marks?: MarkHandling,
    transform?: (frame: pl.DataFrame) => pl.DataFrame,
  ) {
    this.spec = spec;
    this.#context = context;
    const live = context.live;
    this.output = live &&
      new LiveOutput({
        writer: live.writer,
        store: live.store,
        tenant: context.tenant,
        table: spec.table,
        source: spec.name,
        maxPendingBytes: Number(spec.maxBufferBytes),
        ...(marks ? { marks } : {}),
        onError: (error) => this.fail(`Cannot commit a batch to the live table: ${error.message}`),
        onCommitted: ({ rows, lagSeconds }) => {
          if (this.#state === "retrying" && this.#nextAttemptAtMs !== 0) this.running();
          if (rows > 0 && lagSeconds !== undefined) {
            context.observer?.onCommitted?.(rows, lagSeconds);
          }
        },
      });
    const pool = this.output ? context.parser : undefined;
    this.#parserSource = pool?.source();
    const parserSource = this.#parserSource;
    this.batcher = new Batcher({
      maxBatchRows: spec.maxBatchRows,
      maxBatchDelayMs: spec.maxBatchDelayMs,
      maxBufferBytes: Number(spec.maxBufferBytes),
      ...(context.timers ? { timers: context.timers } : {}),
      ...(context.observer ? { observer: context.observer } : {}),
      ...(this.output ? { output: this.output } : {}),
      ...(transform ? { transform } : {}),
      ...(pool && parserSource !== undefined
        ? { parser: { parse: (texts: string[]) => pool.parse(parserSource, texts) } }
        : {}),
    });
  }

  get state(): SourceState {
    return this.#state;
  }

  /** Whether the source stopped for good (removed, or failed). */
  get ended(): boolean {
    return this.#state === "stopped" || this.#state === "failed" || this.#state === "done";
  }

  /**
   * Takes one message. With a live table whose pending batches are past the bound: dropped
   * and counted under the "drop" overflow policy; under "block" the kind must wait for
   * room() before reading more, so it is taken.
   */
  push(data: Uint8Array | string, mark?: unknown): boolean {
    if (this.ended) return false;
    if (this.output?.full && this.spec.overflow === "drop") {
      this.#dropped++;
      this.#context.observer?.onDropped?.(1, this.output.pending.bytes);
      return false;
    }
    return this.batcher.push(data, mark);
  }

  /** Resolves when a blocking source may read again. */
  room(): Promise<void> {
    return this.output?.room() ?? Promise.resolve();
  }

  /** The upstream is unreachable: "retrying", with the error and when the next try is. */
  retrying(error: string, nextAttemptAtMs = 0): void {
    if (this.ended) return;
    this.#state = "retrying";
    this.#nextAttemptAtMs = nextAttemptAtMs;
    this.batcher.recordError(error);
  }

  /** The upstream is back. */
  running(): void {
    if (this.ended) return;
    this.#state = "running";
    this.#nextAttemptAtMs = 0;
  }

  /** The upstream was lost where it cannot replay: a gap is counted. */
  gap(error: string, nextAttemptAtMs = 0): void {
    if (this.ended) return;
    this.#gaps++;
    this.#context.observer?.onGap?.();
    this.retrying(error, nextAttemptAtMs);
  }

  /** A one-off load finished: its last batch is closed, and "done" once it is committed. */
  async finish(): Promise<void> {
    if (this.ended) return;
    this.batcher.flush();
    await this.batcher.parsed();
    await this.#context.live?.writer.flushed();
    if (!this.ended) this.#state = "done";
  }

  /** Stops on an error that retrying cannot mend. */
  fail(error: string): void {
    if (this.ended) return;
    this.#state = "failed";
    this.batcher.recordError(error);
  }

  /** The Source a kind returns, with its own info fields and its own closing. */
  source(own: {
    info?: () => Partial<SourceInfo>;
    connection?: (event: ConnectionEvent) => void;
    /** Stops reading the upstream (the batches taken are then committed). */
    close: () => Promise<void> | void;
    /** Runs last, once the batches taken are committed and acknowledged. @default none */
    closed?: () => void;
  }): Source {
    return {
      spec: this.spec,
      info: () => this.info(own.info?.() ?? {}),
      ...(own.connection ? { connection: own.connection } : {}),
      snapshot: () => this.snapshot(),
      close: async () => {
        this.#state = "stopped";
        // The open batch is committed (and acknowledged) when it can be, before the end.
        this.batcher.flush();
        this.batcher.close();
        await own.close();
        await this.#settle();
        this.output?.close();
        if (this.#parserSource !== undefined) this.#context.parser?.forget(this.#parserSource);
        own.closed?.();
      },
    };
  }

  /** Waits (bounded) for the batches already closed to be committed. */
  async #settle(): Promise<void> {
    const writer = this.#context.live?.writer;
    if (!writer) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const settled = this.batcher.parsed().then(() => writer.flushed());
    await Promise.race([settled, new Promise((r) => (timer = setTimeout(r, 5000)))]);
    clearTimeout(timer);
  }

  info(own: Partial<SourceInfo>): SourceInfo {
    const stats = this.batcher.stats();
    const base = toSourceInfo(this.spec, this.#state, stats, this.#gaps);
    const table = this.output?.stats;
    return {
      ...base,
      droppedRows: base.droppedRows + BigInt(this.#dropped),
      liveTable: this.output ? this.spec.table : "",
      committedRows: BigInt(table?.rows ?? 0),
      segments: BigInt(table?.segments ?? 0),
      pendingBytes: BigInt(this.output?.pending.bytes ?? 0),
      nextAttemptAtMs: BigInt(this.#state === "retrying" ? Math.round(this.#nextAttemptAtMs) : 0),
      committedOffsets: { ...(this.output?.committedOffsets ?? {}) },
      ...own,
    };
  }

  /**
   * Everything the source took so far as one Arrow IPC stream: its live table (once the open
   * batch and those being parsed or committed are in it), or its buffer.
   */
  async snapshot(): Promise<Uint8Array> {
    if (this.output) {
      this.batcher.flush();
      await this.batcher.parsed();
      await this.#context.live?.writer.flushed();
    }
    const ipc = this.output ? await this.output.snapshot() : this.batcher.snapshot();
    if (!ipc) {
      throw new FailedPreconditionError(`source ${this.spec.name} has no data yet`, {
        metadata: { source: this.spec.name },
      });
    }
    return ipc;
  }
}
