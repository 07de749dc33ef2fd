/**
 * What a plan node is, in one place per node family: its inputs and expressions (for the
 * analysis walk), its structural checks, the upper bound of the rows it yields (where the
 * limits that can allocate are checked), how it becomes a LazyFrame, and, for the nodes whose
 * output depends on the data (pivot, statistical tests), how it runs before the plan does.
 * nodes/registry.ts merges the families into one table keyed by the proto oneof case.
 *
 * @module
 */

import type pl from "nodejs-polars";
import type { ComputeLimits } from "../../../../shared/config_limits.ts";
import type { Expr } from "../../../../shared/gen/polaroid/v1/expr.ts";
import type { FileScan, Plan, Sql } from "../../../../shared/gen/polaroid/v1/plan.ts";
import type { Held } from "../frame_access.ts";
import type { ExprFacts } from "../expr_size.ts";

/** The oneof of a plan node. */
export type PlanNode = NonNullable<Plan["node"]>;

/** The proto oneof case of a plan node ("scan", "filter", "groupBy", ...). */
export type NodeCase = PlanNode["$case"];

/** The message of a plan node of case K. */
export type NodeOf<K extends NodeCase> = Extract<PlanNode, { $case: K }>["value"];

/** What the data-reading parts of the analysis read. */
export interface DataSources {
  /** Frames of the handles the plan references (the caller resolved them). */
  frames: ReadonlyMap<string, Held>;
  /** Absolute, real path of the data root; scans must stay inside it. */
  dataRoot: string;
}

/** What a node's builder reads. */
export interface BuildContext extends DataSources {
  /** Read every source with no rows (the result has the plan's schema and no data). */
  readonly empty: boolean;
  /** Results of the nodes that ran before the plan (pivot, statistical tests), by node message. */
  readonly ran: ReadonlyMap<object, pl.DataFrame>;
  readonly limits?: ComputeLimits;
}

/** What a node's bound reads, once its inputs' bounds are known. */
export interface RowContext extends DataSources {
  readonly limits: ComputeLimits;
  /** The plan node whose bound is asked for. */
  readonly plan: Plan;
  /** Its input `index` as the engine will run it (for bounds and guards that read data). */
  input(index: number): pl.LazyDataFrame;
  /** Any plan under the node, built as the engine will run it. */
  build(plan: Plan): pl.LazyDataFrame;
  /** What the static analysis found in the node's expressions. */
  readonly facts: ExprFacts;
  /**
   * Whether scans count the rows of CSV and NDJSON files (reading them); otherwise their
   * bound is the file's size in bytes (each row takes one at least).
   */
  readonly exactFiles: boolean;
  /** Records a figure of the analysis (milliseconds of a data guard) for the call's log. */
  note(name: string, value: number): void;
}

/** What the analysis gathers of the sources a node reads besides its inputs. */
export interface Reads {
  /** A handle the call resolves before the plan runs. */
  handle(id: string): void;
  /** A file (or glob) under the data root. */
  file(scan: FileScan): void;
  /** A live table (its name checked); the call takes a snapshot of it. */
  live(table: string): void;
  /** A SQL node that also reads the caller's named handles (the call adds them as tables). */
  ownedSql(sql: Sql): void;
  /** The result is not a function of immutable inputs: it must not be cached. */
  uncacheable(): void;
}

/** One plan node family member. */
export interface NodeSpec<K extends NodeCase> {
  /** The input plans, in order (absent ones left out: check() refuses those). */
  inputs(node: NodeOf<K>): Plan[];
  /** The expressions the node holds directly, in order. */
  exprs(node: NodeOf<K>): Expr[];
  /** Structural checks of the node's own fields; InvalidPlanError on the first failure. */
  check(node: NodeOf<K>): void;
  /** The sources the node reads besides its inputs (handles, files, live tables). Absent: none. */
  reads?(node: NodeOf<K>, found: Reads): void;
  /**
   * Whether rows() may answer from a file's size rather than its rows (CSV, NDJSON): a
   * check refused on such a bound is asked again with `exactFiles` (prepare.ts).
   */
  loose?(node: NodeOf<K>): boolean;
  /**
   * Whether rows() must run even when nothing above the node needs its bound: "rows" when
   * it checks a limit from its inputs' bounds (which are then computed too), "data" when it
   * reads data for it (its inputs' bounds are not needed). Absent: only when asked.
   */
  guards?(node: NodeOf<K>, facts: ExprFacts): "rows" | "data" | undefined;
  /**
   * Upper bound of the rows the node yields, given its inputs' bounds (NaN for an input
   * whose bound nobody asked for); throws LimitExceededError for a limit the node can pass.
   */
  rows(node: NodeOf<K>, inputs: readonly number[], ctx: RowContext): number | Promise<number>;
  /** The node as a LazyFrame over its inputs' LazyFrames (one per inputs() item). */
  build(
    node: NodeOf<K>,
    inputs: readonly pl.LazyDataFrame[],
    ctx: BuildContext,
  ): pl.LazyDataFrame;
  /**
   * For nodes whose output depends on the data: runs the node over its input (collected
   * off the event loop) before the plan runs; build() then reads the result from `ran`.
   */
  run?(node: NodeOf<K>, input: pl.LazyDataFrame, ctx: RowContext): Promise<pl.DataFrame>;
}

/** Node specs by case (one family's share of the registry). */
export type NodeTable = { readonly [K in NodeCase]?: NodeSpec<K> };

/** The items that are set, in order. */
export function present<T>(items: readonly (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}

/** The only input of a single-input node. */
export function single(node: { input?: Plan | undefined }): Plan[] {
  return node.input === undefined ? [] : [node.input];
}

/** The first input's bound (single-input nodes that never yield more rows than they read). */
export function sameRows(_node: unknown, inputs: readonly number[]): number {
  return inputs[0] ?? NaN;
}

/** Product of two row bounds where 0 wins over Infinity (0 × ∞ rows is no row). */
export function times(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a * b;
}
