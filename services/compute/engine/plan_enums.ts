/**
 * The protocol's plan enums and the nodejs-polars option values they stand for. Checks use
 * the keys (a value not listed is refused), builders the values.
 *
 * @module
 */

import { InvalidPlanError } from "../../../shared/errors.ts";
import {
  AsofStrategy,
  ClosedWindow,
  ConcatHow,
  GroupByOutput,
  JoinMaintainOrder,
  JoinType,
  PivotAgg,
  StartBy,
  UniqueKeep,
  WindowLabel,
} from "../../../shared/gen/polaroid/v1/plan.ts";

/** nodejs-polars' join types. */
export type How = "inner" | "left" | "full" | "semi" | "anti" | "cross";

export const JOIN_HOW: ReadonlyMap<JoinType, How> = new Map<JoinType, How>([
  [JoinType.JOIN_TYPE_UNSPECIFIED, "inner"],
  [JoinType.JOIN_TYPE_INNER, "inner"],
  [JoinType.JOIN_TYPE_LEFT, "left"],
  [JoinType.JOIN_TYPE_FULL, "full"],
  [JoinType.JOIN_TYPE_SEMI, "semi"],
  [JoinType.JOIN_TYPE_ANTI, "anti"],
  [JoinType.JOIN_TYPE_CROSS, "cross"],
]);

/** Which side's row order a join keeps (nodejs-polars' and Polars' `maintainOrder`). */
export type JoinOrder = "none" | "left" | "right" | "left_right" | "right_left";

export const JOIN_ORDER: ReadonlyMap<JoinMaintainOrder, JoinOrder> = new Map<
  JoinMaintainOrder,
  JoinOrder
>([
  [JoinMaintainOrder.JOIN_MAINTAIN_ORDER_UNSPECIFIED, "none"],
  [JoinMaintainOrder.JOIN_MAINTAIN_ORDER_NONE, "none"],
  [JoinMaintainOrder.JOIN_MAINTAIN_ORDER_LEFT, "left"],
  [JoinMaintainOrder.JOIN_MAINTAIN_ORDER_RIGHT, "right"],
  [JoinMaintainOrder.JOIN_MAINTAIN_ORDER_LEFT_RIGHT, "left_right"],
  [JoinMaintainOrder.JOIN_MAINTAIN_ORDER_RIGHT_LEFT, "right_left"],
]);

/** Which duplicate `unique` keeps. */
export type Keep = "any" | "first" | "last" | "none";

export const KEEP: ReadonlyMap<UniqueKeep, Keep> = new Map<UniqueKeep, Keep>([
  [UniqueKeep.UNIQUE_KEEP_UNSPECIFIED, "any"],
  [UniqueKeep.UNIQUE_KEEP_ANY, "any"],
  [UniqueKeep.UNIQUE_KEEP_FIRST, "first"],
  [UniqueKeep.UNIQUE_KEEP_LAST, "last"],
  [UniqueKeep.UNIQUE_KEEP_NONE, "none"],
]);

/** nodejs-polars' `concat` modes. */
export type ConcatMode =
  | "vertical"
  | "verticalRelaxed"
  | "horizontal"
  | "diagonal"
  | "diagonalRelaxed"
  | "align"
  | "alignInner"
  | "alignFull"
  | "alignLeft"
  | "alignRight";

export const CONCAT_HOW: ReadonlyMap<ConcatHow, ConcatMode> = new Map<ConcatHow, ConcatMode>([
  [ConcatHow.CONCAT_HOW_UNSPECIFIED, "vertical"],
  [ConcatHow.CONCAT_HOW_VERTICAL, "vertical"],
  [ConcatHow.CONCAT_HOW_VERTICAL_RELAXED, "verticalRelaxed"],
  [ConcatHow.CONCAT_HOW_HORIZONTAL, "horizontal"],
  [ConcatHow.CONCAT_HOW_DIAGONAL, "diagonal"],
  [ConcatHow.CONCAT_HOW_DIAGONAL_RELAXED, "diagonalRelaxed"],
  [ConcatHow.CONCAT_HOW_ALIGN, "align"],
  [ConcatHow.CONCAT_HOW_ALIGN_INNER, "alignInner"],
  [ConcatHow.CONCAT_HOW_ALIGN_FULL, "alignFull"],
  [ConcatHow.CONCAT_HOW_ALIGN_LEFT, "alignLeft"],
  [ConcatHow.CONCAT_HOW_ALIGN_RIGHT, "alignRight"],
]);

/** The `concat` modes that join their inputs on their common columns. */
export const CONCAT_ALIGN: ReadonlySet<ConcatHow> = new Set([
  ConcatHow.CONCAT_HOW_ALIGN,
  ConcatHow.CONCAT_HOW_ALIGN_INNER,
  ConcatHow.CONCAT_HOW_ALIGN_FULL,
  ConcatHow.CONCAT_HOW_ALIGN_LEFT,
  ConcatHow.CONCAT_HOW_ALIGN_RIGHT,
]);

/** What a group-by yields. */
export type GroupOutput = "agg" | "head" | "tail" | "len";

export const GROUP_OUTPUT: ReadonlyMap<GroupByOutput, GroupOutput> = new Map<
  GroupByOutput,
  GroupOutput
>([
  [GroupByOutput.GROUP_BY_OUTPUT_UNSPECIFIED, "agg"],
  [GroupByOutput.GROUP_BY_OUTPUT_AGG, "agg"],
  [GroupByOutput.GROUP_BY_OUTPUT_HEAD, "head"],
  [GroupByOutput.GROUP_BY_OUTPUT_TAIL, "tail"],
  [GroupByOutput.GROUP_BY_OUTPUT_LEN, "len"],
]);

/** nodejs-polars' pivot aggregations. */
export type PivotAggName =
  | "first"
  | "sum"
  | "max"
  | "min"
  | "mean"
  | "median"
  | "last"
  | "count";

export const PIVOT_AGG: ReadonlyMap<PivotAgg, PivotAggName> = new Map<PivotAgg, PivotAggName>([
  [PivotAgg.PIVOT_AGG_UNSPECIFIED, "first"],
  [PivotAgg.PIVOT_AGG_FIRST, "first"],
  [PivotAgg.PIVOT_AGG_SUM, "sum"],
  [PivotAgg.PIVOT_AGG_MAX, "max"],
  [PivotAgg.PIVOT_AGG_MIN, "min"],
  [PivotAgg.PIVOT_AGG_MEAN, "mean"],
  [PivotAgg.PIVOT_AGG_MEDIAN, "median"],
  [PivotAgg.PIVOT_AGG_LAST, "last"],
  [PivotAgg.PIVOT_AGG_COUNT, "count"],
]);

/** Which window bounds are inside the window; UNSPECIFIED is the operation's default. */
export type Closed = "left" | "right" | "both" | "none";

export const CLOSED: ReadonlyMap<ClosedWindow, Closed | undefined> = new Map<
  ClosedWindow,
  Closed | undefined
>([
  [ClosedWindow.CLOSED_WINDOW_UNSPECIFIED, undefined],
  [ClosedWindow.CLOSED_WINDOW_LEFT, "left"],
  [ClosedWindow.CLOSED_WINDOW_RIGHT, "right"],
  [ClosedWindow.CLOSED_WINDOW_BOTH, "both"],
  [ClosedWindow.CLOSED_WINDOW_NONE, "none"],
]);

/** Which bound labels a dynamic window. */
export type Label = "left" | "right" | "datapoint";

export const LABEL: ReadonlyMap<WindowLabel, Label> = new Map<WindowLabel, Label>([
  [WindowLabel.WINDOW_LABEL_UNSPECIFIED, "left"],
  [WindowLabel.WINDOW_LABEL_LEFT, "left"],
  [WindowLabel.WINDOW_LABEL_RIGHT, "right"],
  [WindowLabel.WINDOW_LABEL_DATAPOINT, "datapoint"],
]);

/** Where the first dynamic window starts. */
export type Start =
  | "window"
  | "datapoint"
  | "monday"
  | "tuesday"
  | "wednesday"
  | "thursday"
  | "friday"
  | "saturday"
  | "sunday";

export const START_BY: ReadonlyMap<StartBy, Start> = new Map<StartBy, Start>([
  [StartBy.START_BY_UNSPECIFIED, "window"],
  [StartBy.START_BY_WINDOW, "window"],
  [StartBy.START_BY_DATAPOINT, "datapoint"],
  [StartBy.START_BY_MONDAY, "monday"],
  [StartBy.START_BY_TUESDAY, "tuesday"],
  [StartBy.START_BY_WEDNESDAY, "wednesday"],
  [StartBy.START_BY_THURSDAY, "thursday"],
  [StartBy.START_BY_FRIDAY, "friday"],
  [StartBy.START_BY_SATURDAY, "saturday"],
  [StartBy.START_BY_SUNDAY, "sunday"],
]);

/** How an as-of join searches. */
export type Strategy = "backward" | "forward" | "nearest";

export const ASOF_STRATEGY: ReadonlyMap<AsofStrategy, Strategy> = new Map<AsofStrategy, Strategy>([
  [AsofStrategy.ASOF_STRATEGY_UNSPECIFIED, "backward"],
  [AsofStrategy.ASOF_STRATEGY_BACKWARD, "backward"],
  [AsofStrategy.ASOF_STRATEGY_FORWARD, "forward"],
  [AsofStrategy.ASOF_STRATEGY_NEAREST, "nearest"],
]);

/** The value `key` stands for; an unknown key is an InvalidPlanError naming `field`. */
export function lookup<K, V>(map: ReadonlyMap<K, V>, key: K, field: string): V {
  if (!map.has(key)) {
    throw new InvalidPlanError(
      `Cannot run the plan as '${field}' must be a known enum value: current value is ${
        String(key)
      }`,
    );
  }
  return map.get(key) as V;
}
