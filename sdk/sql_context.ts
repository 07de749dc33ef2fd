/**
 * `pl.SQLContext`, as nodejs-polars': remote frames registered under table names, and SQL
 * queries over them that return a lazy frame running on the server (the same plan as
 * `client.sql(query, { tables })`).
 *
 * ```ts
 * const ctx = pl.SQLContext({ trades: await client.fromRecords(rows) });
 * const volume = await ctx.execute("SELECT symbol, SUM(qty) AS v FROM trades GROUP BY symbol")
 *   .toRecords();
 * ```
 *
 * Differences from nodejs-polars, each refused with a TypeError that names it: `eager: true`
 * (remote results stay lazy: call `collect()` or `toArrow()`), registering `null` (register an
 * empty remote frame instead), and a query before any frame is registered (a remote query
 * needs a connection, which the frames carry).
 *
 * @module
 */

import type { Plan } from "../shared/gen/polaroid/v1/plan.ts";
import { RemoteDataFrame, RemoteLazyFrame } from "./frame/lazy_frame.ts";

/** A frame a context takes. */
export type SqlFrame = RemoteLazyFrame | RemoteDataFrame;

function refuse(what: string, must: string, value: unknown): never {
  throw new TypeError(`Cannot ${what} as ${must}: current value is ${String(value)}`);
}

function lazyOf(name: string, frame: unknown): RemoteLazyFrame {
  if (frame instanceof RemoteLazyFrame) return frame;
  if (frame instanceof RemoteDataFrame) return frame.lazy();
  if (frame === null || frame === undefined) {
    return refuse(
      `register table ${JSON.stringify(name)}`,
      "the frame must be a remote frame (nodejs-polars' null, an empty table, is not supported: register an empty remote frame)",
      frame,
    );
  }
  return refuse(
    `register table ${JSON.stringify(name)}`,
    "the frame must be a RemoteLazyFrame or RemoteDataFrame",
    frame,
  );
}

/** Remote frames by table name, and SQL over them. */
export class SQLContext {
  readonly #tables = new Map<string, RemoteLazyFrame>();

  constructor(frames?: Record<string, SqlFrame>) {
    if (frames !== undefined) this.registerMany(frames);
  }

  /** Registers `frame` as table `name` (replacing one of that name). */
  register(name: string, frame: SqlFrame): this {
    if (typeof name !== "string" || name === "") {
      refuse("register a table", "'name' must be a non-empty string", JSON.stringify(name));
    }
    this.#tables.set(name, lazyOf(name, frame));
    return this;
  }

  /** Registers every frame of `frames` under its key. */
  registerMany(frames: Record<string, SqlFrame>): this {
    if (typeof frames !== "object" || frames === null) {
      refuse("register tables", "'frames' must be an object of name → frame", frames);
    }
    for (const [name, frame] of Object.entries(frames)) this.register(name, frame);
    return this;
  }

  /** Forgets the tables of these names (unknown names are ignored, as nodejs-polars). */
  unregister(names: string | string[]): this {
    for (const name of typeof names === "string" ? [names] : names) this.#tables.delete(name);
    return this;
  }

  /** The registered table names, sorted. */
  tables(): string[] {
    return [...this.#tables.keys()].sort();
  }

  /** The query over the registered tables, as a lazy frame on the server. */
  execute(query: string, options: { eager?: boolean } = {}): RemoteLazyFrame {
    if (options?.eager) {
      refuse(
        "execute SQL",
        "option 'eager' must be false: remote results stay lazy (call collect() or toArrow())",
        options.eager,
      );
    }
    if (typeof query !== "string" || query.trim() === "") {
      refuse("execute SQL", "'query' must be a non-empty string", JSON.stringify(query));
    }
    const names = [...this.#tables.keys()];
    if (names.length === 0) {
      refuse(
        "execute SQL",
        "at least one frame must be registered (a remote query runs where its frames are)",
        "no tables",
      );
    }
    const frames = names.map((name) => this.#tables.get(name)!);
    return RemoteLazyFrame.combine(frames, (plans): Plan => {
      const tables: Record<string, Plan> = {};
      names.forEach((name, i) =>
        // defineProperty: a table may be named "__proto__".
        Object.defineProperty(tables, name, {
          value: plans[i],
          enumerable: true,
          writable: true,
          configurable: true,
        })
      );
      return { node: { $case: "sql", value: { query, tables, ownedHandles: false } } };
    });
  }
}

/** nodejs-polars' `pl.SQLContext(frames?)`: a new context. */
export function sqlContext(frames?: Record<string, SqlFrame>): SQLContext {
  return new SQLContext(frames);
}
