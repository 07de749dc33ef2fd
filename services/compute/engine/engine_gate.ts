/**
 * Which Polars engine a plan's collect runs on. nodejs-polars 0.25.2's async `collect()` takes
 * no engine: it reads `POLARS_FORCE_STREAMING` from the process environment when it starts
 * (measured: set or removed at run time, the next collect follows it). So the worker's default
 * engine is that variable, set once at start (POLAROID_ENGINE, default in-memory), and a plan
 * that asks for the other engine runs alone: it waits until the collects under way have ended,
 * holds new ones back, switches the variable, runs, and switches it back (docs/adr/0015). Both
 * engines compute the same values; rows an operation leaves unordered may come in another
 * order on the streaming one.
 *
 * A peek (a small slice of frames in memory, run on the calling thread) always runs on the
 * in-memory engine: the streaming engine's fixed cost is 5× the peek's whole cost (measured:
 * head(10) of a 10M-row frame 61 µs in memory, 325 µs streaming).
 *
 * @module
 */

import { InvalidArgumentError } from "../../../shared/errors.ts";
import { Engine } from "../../../shared/gen/polaroid/v1/dataframe.ts";

/** A Polars engine. */
export type EngineName = "streaming" | "in-memory";

const VARIABLE = "POLARS_FORCE_STREAMING";

function select(engine: EngineName): void {
  if (engine === "streaming") Deno.env.set(VARIABLE, "1");
  else Deno.env.delete(VARIABLE);
}

/** The collects of one process, on its default engine or, one at a time, on the other. */
export class EngineGate {
  readonly #default: EngineName;
  /** Collects on the default engine under way. */
  #shared = 0;
  /** The run on the other engine under way, if any. */
  #exclusive: Promise<void> | undefined;
  /** Runs on the other engine waiting, in order. */
  readonly #waiting: (() => void)[] = [];
  /** Wakes the first waiting run when the shared collects reach zero. */
  #drained: (() => void) | undefined;

  /** Sets the process's default engine. */
  constructor(defaultEngine: EngineName) {
    this.#default = defaultEngine;
    select(defaultEngine);
  }

  /** The engine plans run on unless they ask for the other. */
  get defaultEngine(): EngineName {
    return this.#default;
  }

  /** Runs `collect` on `engine` (the default when undefined). */
  async run<T>(engine: EngineName | undefined, collect: () => Promise<T>): Promise<T> {
    if (engine === undefined || engine === this.#default) {
      while (this.#exclusive) await this.#turn();
      this.#shared++;
      try {
        return await collect();
      } finally {
        this.#shared--;
        if (this.#shared === 0) this.#drained?.();
      }
    }
    while (this.#exclusive) await this.#turn();
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#exclusive = promise;
    try {
      if (this.#shared > 0) await new Promise<void>((wake) => this.#drained = wake);
      this.#drained = undefined;
      select(engine);
      try {
        return await collect();
      } finally {
        select(this.#default);
      }
    } finally {
      this.#exclusive = undefined;
      resolve();
      for (const wake of this.#waiting.splice(0)) wake();
    }
  }

  /**
   * Runs synchronous `collect` (a peek) on the in-memory engine. Nothing else runs on this
   * thread meanwhile, and the variable is put back as it was, so the gate's state holds.
   */
  peek<T>(collect: () => T): T {
    const before = Deno.env.get(VARIABLE);
    if (before === undefined) return collect();
    Deno.env.delete(VARIABLE);
    try {
      return collect();
    } finally {
      Deno.env.set(VARIABLE, before);
    }
  }

  /** Waits until the run on the other engine under way has ended. */
  #turn(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}

/** The engine a request names (its wire enum); undefined for the worker's default. */
export function requestedEngine(engine: Engine | undefined): EngineName | undefined {
  switch (engine) {
    case Engine.ENGINE_STREAMING:
      return "streaming";
    case Engine.ENGINE_IN_MEMORY:
      return "in-memory";
    case undefined:
    case Engine.ENGINE_UNSPECIFIED:
      return undefined;
    default:
      throw new InvalidArgumentError(
        `Cannot run the plan as 'engine' must be ENGINE_UNSPECIFIED, ENGINE_STREAMING or ENGINE_IN_MEMORY: current value is ${engine}`,
        { metadata: { field: "engine" } },
      );
  }
}
