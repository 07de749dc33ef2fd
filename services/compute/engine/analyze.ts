/**
 * One analysis pass over a decoded plan, before anything else reads it: every plan and
 * expression node is visited once, without recursion (plans may nest thousands deep), and
 * checked (structure, node count, depth, literal sizes), and what the other steps of a call
 * need is gathered on the way: the handles to resolve, the files scanned, the SQL nodes
 * that read the caller's named handles, whether the result may be cached, and each node's
 * place in the tree. The bounds that need data (handle heights, file row counts, key
 * multiplicities) are computed from this by prepare.ts, after the handles are resolved and
 * before the engine runs.
 *
 * @module
 */

import type { ComputeLimits } from "../../../shared/config_limits.ts";
import { LimitExceededError } from "../../../shared/errors.ts";
import type { Expr } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { FileScan, Plan, Sql } from "../../../shared/gen/polaroid/v1/plan.ts";
import type { Reads } from "./nodes/spec.ts";
import { checkExprNode } from "./checks.ts";
import { type ExprFacts, exprMakes, isSized, NO_FACTS } from "./expr_size.ts";
import { argBytes, utf8Bytes } from "./expr_size_rules.ts";
import { type NodeEntry, nodeSpec } from "./nodes/registry.ts";
import { exprChildren } from "./walk.ts";

/** Size of a plan. */
export interface PlanShape {
  /** Plan and expression nodes. */
  nodes: number;
  /** Nesting of plan nodes (a lone scan is 1). */
  planDepth: number;
  /** Nesting of the deepest expression tree (a lone column is 1). */
  exprDepth: number;
  /** Plan nesting down to a node plus the nesting of that node's expressions, at most. */
  combinedDepth: number;
}

/** One plan node as the analysis found it. */
export interface AnalyzedNode extends NodeEntry {
  plan: Plan;
  /** Indices (in PlanAnalysis.nodes) of its inputs, in order. */
  inputs: number[];
  /** What its expressions can make. */
  facts: ExprFacts;
}

/** What one pass over a plan found. */
export interface PlanAnalysis {
  plan: Plan;
  shape: PlanShape;
  /** Handle ids the scans read, each once, in order of appearance. */
  handleIds: string[];
  /** Files the scans read, in order of appearance. */
  files: FileScan[];
  /** Live tables the scans read, each once, in order of appearance. */
  liveTables: string[];
  /** Sql nodes that also read the caller's named handles (owned_handles). */
  ownedSql: Sql[];
  /** Whether the result is a function of immutable inputs (handles only): it may be cached. */
  cacheable: boolean;
  /** Bytes of all the plan's literals. */
  literalBytes: number;
  /** Every plan node, parents before children (its inputs in order). */
  nodes: AnalyzedNode[];
}

/** Limits the analysis checks (all of ComputeLimits in production). */
export type AnalysisLimits = Pick<
  ComputeLimits,
  "maxPlanNodes" | "maxPlanDepth" | "maxLiteralBytes" | "maxPlanLiteralBytes"
>;

type Item =
  | { plan: Plan; depth: number; parent: number }
  | { expr: Expr; depth: number; base: number; owner: number };

function tooDeep(depth: number, limits: AnalysisLimits, what: string): void {
  if (depth > limits.maxPlanDepth) {
    throw new LimitExceededError(
      `Cannot run the plan as it must nest ${what} at most ${limits.maxPlanDepth} deep: current value is more`,
    );
  }
}

/**
 * Checks the plan and gathers what the rest of a call needs. Throws InvalidPlanError for a
 * malformed node (missing input, unset oneof, unknown enum value, bad option),
 * UnimplementedError for a node the engine does not know, and LimitExceededError as soon as
 * the plan has more than `maxPlanNodes` nodes, nests deeper than `maxPlanDepth`, or holds a
 * literal over `maxLiteralBytes` or literals over `maxPlanLiteralBytes` in all.
 */
export function analyzePlan(plan: Plan, limits: AnalysisLimits): PlanAnalysis {
  const shape: PlanShape = { nodes: 0, planDepth: 0, exprDepth: 0, combinedDepth: 0 };
  const out: PlanAnalysis = {
    plan,
    shape,
    handleIds: [],
    liveTables: [],
    files: [],
    ownedSql: [],
    cacheable: true,
    literalBytes: 0,
    nodes: [],
  };
  const reads = gatherer(out);
  const makes = new Set<number>();
  const literal = (bytes: number) => {
    if (bytes > limits.maxLiteralBytes) {
      throw new LimitExceededError(
        `Cannot run the plan as a literal must hold at most ${limits.maxLiteralBytes} bytes (POLAROID_MAX_LITERAL_BYTES): current value is ${bytes}`,
        { metadata: { limit: String(limits.maxLiteralBytes) } },
      );
    }
    out.literalBytes += bytes;
    if (out.literalBytes > limits.maxPlanLiteralBytes) {
      throw new LimitExceededError(
        `Cannot run the plan as its literals must hold at most ${limits.maxPlanLiteralBytes} bytes together (POLAROID_MAX_PLAN_LITERAL_BYTES): current value is more than ${out.literalBytes}`,
        { metadata: { limit: String(limits.maxPlanLiteralBytes) } },
      );
    }
  };
  const stack: Item[] = [{ plan, depth: 1, parent: -1 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    shape.nodes++;
    if (shape.nodes > limits.maxPlanNodes) {
      throw new LimitExceededError(
        `Cannot run the plan as it must have at most ${limits.maxPlanNodes} nodes: current value is more`,
      );
    }
    if ("plan" in item) {
      tooDeep(item.depth, limits, "plan nodes");
      shape.planDepth = Math.max(shape.planDepth, item.depth);
      shape.combinedDepth = Math.max(shape.combinedDepth, item.depth);
      const entry = nodeSpec(item.plan);
      entry.spec.check(entry.value);
      const index = out.nodes.length;
      out.nodes.push({ ...entry, plan: item.plan, inputs: [], facts: NO_FACTS });
      out.nodes[item.parent]?.inputs.push(index);
      entry.spec.reads?.(entry.value, reads);
      const inputs = entry.spec.inputs(entry.value);
      for (let i = inputs.length - 1; i >= 0; i--) {
        stack.push({ plan: inputs[i]!, depth: item.depth + 1, parent: index });
      }
      for (const expr of entry.spec.exprs(entry.value)) {
        stack.push({ expr, depth: 1, base: item.depth, owner: index });
      }
    } else {
      tooDeep(item.depth, limits, "expressions");
      shape.exprDepth = Math.max(shape.exprDepth, item.depth);
      shape.combinedDepth = Math.max(shape.combinedDepth, item.base + item.depth);
      checkExprNode(item.expr);
      literalsOf(item.expr, literal);
      if (exprMakes(item.expr)) makes.add(item.owner);
      for (const child of exprChildren(item.expr)) {
        stack.push({ expr: child, depth: item.depth + 1, base: item.base, owner: item.owner });
      }
    }
  }
  for (const index of makes) {
    const node = out.nodes[index]!;
    if (isSized(node.spec.exprs(node.value))) node.facts = { sized: true };
  }
  return out;
}

/** What the nodes' reads() add to the analysis: handles, files, live tables, owned SQL. */
function gatherer(out: PlanAnalysis): Reads {
  const handles = new Set<string>();
  return {
    handle(id) {
      if (!handles.has(id)) out.handleIds.push(id);
      handles.add(id);
    },
    file: (scan) => out.files.push(scan),
    live(table) {
      if (!out.liveTables.includes(table)) out.liveTables.push(table);
    },
    ownedSql: (sql) => out.ownedSql.push(sql),
    uncacheable: () => (out.cacheable = false),
  };
}

/** Reports the bytes of each literal of one expression node (not its children). */
function literalsOf(expr: Expr, literal: (bytes: number) => void): void {
  const kind = expr.kind;
  if (kind?.$case === "literal") {
    if (kind.value.value?.$case === "string") literal(utf8Bytes(kind.value.value.value));
    return;
  }
  if (kind?.$case !== "function") return;
  for (const arg of [...kind.value.args, ...Object.values(kind.value.options)]) {
    const value = arg.value;
    if (value?.$case === "string" || value?.$case === "list") literal(argBytes(arg));
  }
}

/** Records the tables an owned-handles Sql node gained (scans of handles) in the analysis. */
export function addHandleIds(analysis: PlanAnalysis, ids: Iterable<string>): void {
  const known = new Set(analysis.handleIds);
  for (const id of ids) {
    if (!known.has(id)) analysis.handleIds.push(id);
    known.add(id);
  }
}
