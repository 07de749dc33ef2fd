/**
 * Named handles as SQL tables: before a plan's handles are resolved, every Sql node that
 * asks for `owned_handles` gets a handle scan for each named handle of the caller that its
 * query may read (its name occurs in the query as a word), unless `tables` already has a
 * table of that name. The frames of those scans are then resolved like any other scan.
 *
 * @module
 */

import type {
  ListHandlesRequest,
  ListHandlesResponse,
} from "../../../shared/gen/polaroid/v1/handles.ts";
import type { Sql } from "../../../shared/gen/polaroid/v1/plan.ts";
import { sqlWords } from "./sql_text.ts";

/** One ListHandles call for the calling tenant. */
export type ListHandles = (request: ListHandlesRequest) => Promise<ListHandlesResponse>;

/** Handles per ListHandles page asked for. */
const PAGE_SIZE = 1000;

/** Names one ListHandles call may ask for (the handles service's bound). */
const MAX_NAMES = 1000;

/**
 * The caller's named handles, name → handle id: only those named in `candidates` when
 * given (one ListHandles call per 1000 names), else every one (all pages).
 */
export async function listNamedHandles(
  list: ListHandles,
  candidates?: Iterable<string>,
): Promise<Map<string, string>> {
  const named = new Map<string, string>();
  if (candidates !== undefined) {
    const names = [...new Set(candidates)];
    for (let i = 0; i < names.length; i += MAX_NAMES) {
      const page = await list({ limit: 0, after: "", names: names.slice(i, i + MAX_NAMES) });
      for (const handle of page.handles) named.set(handle.name, handle.id);
    }
    return named;
  }
  let after = "";
  do {
    const page = await list({ limit: PAGE_SIZE, after, names: [] });
    for (const handle of page.handles) if (handle.name !== "") named.set(handle.name, handle.id);
    after = page.nextAfter;
  } while (after !== "");
  return named;
}

/**
 * Adds, IN PLACE, a handle scan table to every Sql node given (those of a plan that ask for
 * `owned_handles`, as analyzePlan() finds them), for each named handle of the caller whose
 * name occurs in its query (explicit tables win). Lists the handles only when there is such
 * a node. Returns the number of tables added.
 */
export async function addOwnedHandleTables(
  nodes: readonly Sql[],
  list: ListHandles,
): Promise<number> {
  if (nodes.length === 0) return 0;
  // Only words of the queries can name a table: ask the catalog for those names alone.
  const named = await listNamedHandles(list, nodes.flatMap((sql) => [...sqlWords(sql.query)]));
  let added = 0;
  for (const sql of nodes) {
    const words = sqlWords(sql.query);
    for (const [name, id] of named) {
      if (!words.has(name) || Object.hasOwn(sql.tables, name)) continue;
      // defineProperty: a name such as "__proto__" must become a table, not a prototype.
      Object.defineProperty(sql.tables, name, {
        value: { node: { $case: "scan", value: { source: { $case: "handle", value: id } } } },
        enumerable: true,
        writable: true,
        configurable: true,
      });
      added++;
    }
  }
  return added;
}
