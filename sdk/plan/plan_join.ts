/**
 * Pure builder of as-of join plan nodes, with nodejs-polars' options and defaults.
 *
 * @module
 */

import { AsofStrategy, type JoinAsof, type Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import { columnNames } from "./plan_reshape.ts";

/** How an as-of join searches the right frame. */
export type AsofStrategyName = "backward" | "forward" | "nearest";

/** Options of `joinAsof()`, as nodejs-polars'. */
export interface JoinAsofOptions {
  /** Key column of the left frame (with `rightOn`). */
  leftOn?: string;
  /** Key column of the right frame (with `leftOn`). */
  rightOn?: string;
  /** Key column of both frames. */
  on?: string;
  /** Match only rows with equal values in these left columns (with `byRight`). */
  byLeft?: string | string[];
  /** Match only rows with equal values in these right columns (with `byLeft`). */
  byRight?: string | string[];
  /** Match only rows with equal values in these columns of both frames. */
  by?: string | string[];
  /** @default "backward" */
  strategy?: AsofStrategyName;
  /** Appended to clashing right-hand column names. @default "_right" */
  suffix?: string;
  /** Farthest match: a number for numeric keys, a duration ("2m", "1d") for temporal keys. */
  tolerance?: number | string;
  /** Accepted for nodejs-polars compatibility; the server decides. */
  allowParallel?: boolean;
  /** Accepted for nodejs-polars compatibility; the server decides. */
  forceParallel?: boolean;
  /** Fail when the keys are not sorted. @default true */
  checkSortedness?: boolean;
  /** Keep one key column when `on` names both keys. @default true */
  coalesce?: boolean;
  /** Also match equal keys. @default true */
  allowExactMatches?: boolean;
}

const STRATEGY: Readonly<Record<AsofStrategyName, AsofStrategy>> = {
  backward: AsofStrategy.ASOF_STRATEGY_BACKWARD,
  forward: AsofStrategy.ASOF_STRATEGY_FORWARD,
  nearest: AsofStrategy.ASOF_STRATEGY_NEAREST,
};

function fail(must: string, value: unknown): never {
  throw new TypeError(
    `Cannot join as of as ${must}: current value is ${JSON.stringify(value) ?? String(value)}`,
  );
}

function key(value: unknown, name: string): string {
  if (typeof value !== "string" || value === "") fail(`'${name}' must be a column name`, value);
  return value;
}

function tolerance(value: unknown): JoinAsof["tolerance"] {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return { $case: "toleranceDuration", value };
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) {
    return { $case: "toleranceNumber", value };
  }
  return fail("'tolerance' must be a number >= 0 or a duration", value);
}

/** Each left row joined to the nearest right row by key (both frames sorted by it). */
export function joinAsofPlan(left: Plan, right: Plan, options: JoinAsofOptions): Plan {
  if (typeof options !== "object" || options === null) fail("'options' must be an object", options);
  let leftOn: string;
  let rightOn: string;
  if (options.on !== undefined) {
    leftOn = rightOn = key(options.on, "on");
  } else if (options.leftOn !== undefined && options.rightOn !== undefined) {
    leftOn = key(options.leftOn, "leftOn");
    rightOn = key(options.rightOn, "rightOn");
  } else {
    return fail("'on' or both 'leftOn' and 'rightOn' must be given", Object.keys(options));
  }
  const byLeft = columnNames(options.by ?? options.byLeft, "join as of");
  const byRight = columnNames(options.by ?? options.byRight, "join as of");
  if (byLeft.length !== byRight.length) {
    fail(`'byRight' must name as many columns as 'byLeft' (${byLeft.length})`, byRight);
  }
  const strategy = STRATEGY[options.strategy ?? "backward"];
  if (strategy === undefined) {
    fail(`'strategy' must be one of ${Object.keys(STRATEGY).join(", ")}`, options.strategy);
  }
  return {
    node: {
      $case: "joinAsof",
      value: {
        left,
        right,
        leftOn,
        rightOn,
        byLeft,
        byRight,
        strategy,
        tolerance: tolerance(options.tolerance),
        suffix: options.suffix ?? "",
        allowExactMatches: options.allowExactMatches,
        checkSortedness: options.checkSortedness ?? true,
        coalesce: options.coalesce ?? true,
      },
    },
  };
}
