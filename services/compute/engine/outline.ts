/**
 * A plan's outline for people: its nodes' kinds in the order data flows through them
 * (`handle → filter → group_by → sort`; a node of several inputs lists them,
 * `join(handle → filter, handle)`), with no literal, column or handle in it, so that it may be
 * logged and shown in the console whatever the plan holds. Cut at `MAX_OUTLINE_CHARS`.
 *
 * @module
 */

import type { PlanAnalysis } from "./analyze.ts";

/** The longest outline. */
export const MAX_OUTLINE_CHARS = 256;

/** The outline of an analysed plan. */
export function planOutline(analysis: Pick<PlanAnalysis, "nodes">): string {
  const { nodes } = analysis;
  const texts: string[] = new Array(nodes.length);
  // Parents come before their inputs in `nodes`: walking backwards meets inputs first.
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    const name = snakeCase(node.plan.node?.$case ?? "unset");
    const inputs = node.inputs.map((input) => texts[input] ?? "?");
    const text = inputs.length === 0
      ? name
      : inputs.length === 1
      ? `${inputs[0]} → ${name}`
      : `${name}(${inputs.join(", ")})`;
    texts[i] = cut(text);
  }
  return texts[0] ?? "";
}

function cut(text: string): string {
  return text.length <= MAX_OUTLINE_CHARS ? text : `${text.slice(0, MAX_OUTLINE_CHARS - 1)}…`;
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
