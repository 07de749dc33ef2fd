/**
 * SQL as a plan: `client.sql(query, { tables })` records a Sql node whose tables are the
 * plans of lazy frames or stored frames. The server runs the query with Polars' SQL engine
 * as one lazy plan, so the returned frame composes with any other method.
 *
 * @module
 */

import type { Plan } from "../shared/gen/polaroid/v1/plan.ts";
import { RemoteDataFrame, RemoteLazyFrame } from "./frame/lazy_frame.ts";

/** Options of `client.sql()`. */
export interface SqlOptions {
  /** Tables by name: lazy frames (any query) or stored frames. @default {} */
  tables?: Record<string, RemoteLazyFrame | RemoteDataFrame>;
  /**
   * Also read every named handle of the caller (see the `name` option of uploads and of
   * `collect()`) as a table of its name; `tables` win on a clash. @default false
   */
  ownedHandles?: boolean;
}

/** The plan of a SQL query over named tables. */
export function sqlPlan(query: string, options: SqlOptions = {}): Plan {
  if (typeof query !== "string" || query.trim() === "") {
    throw new TypeError(
      `Cannot build a SQL query as 'query' must be a non-empty string: current value is ${
        JSON.stringify(query)
      }`,
    );
  }
  const tables: Record<string, Plan> = {};
  for (const [name, frame] of Object.entries(options.tables ?? {})) {
    if (name === "") {
      throw new TypeError("Cannot build a SQL query as table names must not be empty");
    }
    // defineProperty: a table may be named "__proto__".
    Object.defineProperty(tables, name, {
      value: tablePlan(name, frame),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return {
    node: {
      $case: "sql",
      value: { query, tables, ownedHandles: options.ownedHandles ?? false },
    },
  };
}

function tablePlan(name: string, frame: RemoteLazyFrame | RemoteDataFrame): Plan {
  if (frame instanceof RemoteLazyFrame) return frame.plan;
  if (frame instanceof RemoteDataFrame) return frame.lazy().plan;
  throw new TypeError(
    `Cannot build a SQL query as table ${
      JSON.stringify(name)
    } must be a RemoteLazyFrame or RemoteDataFrame: current value is ${String(frame)}`,
  );
}
