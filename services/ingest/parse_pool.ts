/**
 * Parsing micro-batches off the event loop: one worker (parse_worker.ts) that turns a batch's
 * JSON texts into an Arrow IPC file, so that the ingest service goes on reading its sources
 * (and serving calls) while Polars parses. Batches of one source are answered in the order
 * they were sent. A worker that dies fails the batches it had (their sources then stop without
 * acknowledging them) and is replaced.
 *
 * @module
 */

import type { ParseAnswer, ParseRequest } from "./parse_worker.ts";

/** What a parse gives back. */
export type ParseResult = Omit<ParseAnswer, "job" | "error">;

/** The worker and the batches it has. */
export class ParsePool {
  #worker: Worker | undefined;
  #nextJob = 1;
  #nextSource = 1;
  readonly #pending = new Map<number, PromiseWithResolvers<ParseResult>>();
  #closed = false;

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL("./parse_worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<ParseAnswer>) => {
      const { job, error, ...result } = event.data;
      const waiting = this.#pending.get(job);
      this.#pending.delete(job);
      if (!waiting) return;
      if (error !== undefined) waiting.reject(new Error(`the parse failed: ${error}`));
      else waiting.resolve(result);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.#fail(new Error(`the parse worker died: ${event.message}`));
    };
    this.#worker = worker;
    return worker;
  }

  #fail(error: Error): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }

  /** A new source's id (its schema is kept apart). */
  source(): number {
    return this.#nextSource++;
  }

  /** Parses a batch of `source`. */
  parse(source: number, texts: string[]): Promise<ParseResult> {
    if (this.#closed) return Promise.reject(new Error("the parse pool is closed"));
    const job = this.#nextJob++;
    const waiting = Promise.withResolvers<ParseResult>();
    this.#pending.set(job, waiting);
    const request: ParseRequest = { op: "parse", job, source, texts };
    this.#start().postMessage(request);
    return waiting.promise;
  }

  /** Drops a removed source's schema. */
  forget(source: number): void {
    if (!this.#worker || this.#closed) return;
    const request: ParseRequest = { op: "forget", source };
    this.#worker.postMessage(request);
  }

  /** Stops the worker; batches still being parsed fail. */
  close(): void {
    this.#closed = true;
    this.#fail(new Error("the parse pool is closed"));
  }
}
