/**
 * Sql nodes: a SQL query over named tables, each table a plan (its inputs). Its rows are
 * not known before it runs; a query with CROSS JOIN is bounded from its tables' row bounds
 * and, when those allow more than `maxCrossJoinRows`, from their exact row counts (counted
 * by the engine, off the event loop), before it runs.
 *
 * @module
 */

import { LimitExceededError } from "../../../../shared/errors.ts";
import { buildSql, checkSqlCrossJoins, sqlCrosses, sqlReferences } from "../sql.ts";
import { countRows } from "./_sized.ts";
import type { NodeTable } from "./spec.ts";

/** Sql nodes. */
export const SQL_NODES: NodeTable = {
  sql: {
    inputs: (node) => Object.values(node.tables),
    exprs: () => [],
    check: () => {},
    reads(node, found) {
      if (!node.ownedHandles) return;
      found.ownedSql(node);
      // The caller's named handles change as they make and release them.
      found.uncacheable();
    },
    guards: (node) => sqlCrosses(node.query) > 0 ? "rows" : undefined,
    async rows(node, inputs, ctx) {
      if (sqlCrosses(node.query) === 0) return Infinity;
      const names = Object.keys(node.tables);
      const limit = ctx.limits.maxCrossJoinRows;
      const bounds = new Map(names.map((name, i) => [name, inputs[i] ?? NaN]));
      try {
        checkSqlCrossJoins(node.query, bounds, limit);
      } catch (error) {
        if (!(error instanceof LimitExceededError)) throw error;
        // The bounds allow too many rows: count the tables the query names.
        const named = sqlReferences(node.query, names);
        const counts = await Promise.all(
          names.map((_, i) => named[i] ? countRows(ctx.input(i)) : 0),
        );
        checkSqlCrossJoins(node.query, new Map(names.map((name, i) => [name, counts[i]!])), limit);
      }
      return Infinity;
    },
    build: (node, inputs) =>
      buildSql(node, new Map(Object.keys(node.tables).map((name, i) => [name, inputs[i]!]))),
  },
};
