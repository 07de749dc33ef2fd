/**
 * Every plan node the engine runs, gathered from one table per family the way
 * functions/registry.ts gathers functions. A case missing from the registry — a node added
 * to the proto and not here — fails loudly: nodeSpec() throws UnimplementedError, and the
 * registry test reads every case of the generated oneof.
 *
 * @module
 */

import { UnimplementedError } from "../../../../shared/errors.ts";
import type { Plan } from "../../../../shared/gen/polaroid/v1/plan.ts";
import { fail } from "./_checks.ts";
import { COLUMN_NODES } from "./columns.ts";
import { GROUP_NODES } from "./group.ts";
import { JOIN_NODES } from "./join.ts";
import { PIVOT_NODES } from "./pivot.ts";
import { RESHAPE_NODES } from "./reshape.ts";
import { ROWS_NODES } from "./rows.ts";
import { SCAN_NODES } from "./scan.ts";
import { SQL_NODES } from "./sql.ts";
import type { NodeCase, NodeOf, NodeSpec, NodeTable, PlanNode } from "./spec.ts";
import { STAT_TEST_NODES } from "./stat_tests.ts";

function merge(tables: readonly NodeTable[]): ReadonlyMap<string, NodeSpec<NodeCase>> {
  const all = new Map<string, NodeSpec<NodeCase>>();
  for (const table of tables) {
    for (const [name, spec] of Object.entries(table)) {
      if (all.has(name)) throw new Error(`Plan node ${name} is registered twice`);
      all.set(name, spec as NodeSpec<NodeCase>);
    }
  }
  return all;
}

/** Every plan node the engine runs, by oneof case. */
export const NODES: ReadonlyMap<string, NodeSpec<NodeCase>> = merge([
  SCAN_NODES,
  ROWS_NODES,
  COLUMN_NODES,
  JOIN_NODES,
  GROUP_NODES,
  RESHAPE_NODES,
  PIVOT_NODES,
  SQL_NODES,
  STAT_TEST_NODES,
]);

/** A node's spec and message, typed together. */
export interface NodeEntry<K extends NodeCase = NodeCase> {
  spec: NodeSpec<K>;
  value: NodeOf<K>;
}

/**
 * The spec of a plan's node and its message: InvalidPlanError for an unset node,
 * UnimplementedError for a case the registry does not hold.
 */
export function nodeSpec(plan: Plan): NodeEntry {
  const node: PlanNode | undefined = plan.node;
  if (node === undefined) fail("plan.node", "be set", "unset");
  const spec = NODES.get(node.$case);
  if (spec === undefined) {
    throw new UnimplementedError(
      `Cannot run the plan as its '${String(node.$case)}' node is not implemented yet`,
    );
  }
  return { spec, value: node.value as NodeOf<NodeCase> };
}

/** Checks one plan node's own fields (its inputs and expressions are checked as nodes). */
export function checkPlanNode(plan: Plan): void {
  const { spec, value } = nodeSpec(plan);
  spec.check(value);
}
