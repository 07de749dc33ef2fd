/**
 * A group-by: `lf.groupBy(keys)`, `lf.groupByDynamic(...)` or `lf.groupByRolling(...)`
 * waiting for its aggregations, as nodejs-polars' LazyGroupBy. Written over the lazy frame
 * class L its aggregations return: RemoteLazyGroupBy (lazy_frame.ts) is the LazyGroupBy of
 * RemoteLazyFrames.
 *
 * @module
 */

import type { Plan } from "../../shared/gen/polaroid/v1/plan.ts";
import type { Expr } from "../expr/expr.ts";
import { col, type ColumnsOrExpr, len } from "../functions.ts";
import { groupByPlan } from "../plan/plan.ts";
import {
  type GroupByDynamicOptions,
  groupByDynamicPlan,
  groupByOutputPlan,
  type GroupByRollingOptions,
  groupByRollingPlan,
  type GroupOutputName,
} from "../plan/plan_group.ts";

/** How the groups are formed. */
export type Grouping =
  | { kind: "keys"; keys: ColumnsOrExpr; maintainOrder: boolean }
  | { kind: "dynamic"; options: GroupByDynamicOptions }
  | { kind: "rolling"; options: GroupByRollingOptions };

/**
 * Builds the frame of a plan made from the grouped frame's plan (`build` runs at once, or
 * once the grouped frame's plan is known; its argument errors are thrown at once either way).
 */
export type Finish<L> = (build: (input: Plan) => Plan) => L;

/** A grouping waiting for `agg()` (or one of its shortcuts), which return an L. */
export class LazyGroupBy<L> {
  readonly #grouping: Grouping;
  readonly #finish: Finish<L>;

  /** Made by `RemoteLazyFrame.groupBy()`, `groupByDynamic()` and `groupByRolling()`. */
  constructor(grouping: Grouping, finish: Finish<L>) {
    this.#grouping = grouping;
    this.#finish = finish;
  }

  /** One row per group (or window): the keys, then each aggregation. */
  agg(...aggs: ColumnsOrExpr[]): L {
    const g = this.#grouping;
    switch (g.kind) {
      case "keys":
        return this.#finish((input) => groupByPlan(input, g.keys, aggs, g.maintainOrder));
      case "dynamic":
        return this.#finish((input) => groupByDynamicPlan(input, g.options, aggs));
      case "rolling":
        return this.#finish((input) => groupByRollingPlan(input, g.options, aggs));
    }
  }

  /** The first `n` rows of each group. @default 5 */
  head(n = 5): L {
    return this.#output("head", n);
  }

  /** The last `n` rows of each group. @default 5 */
  tail(n = 5): L {
    return this.#output("tail", n);
  }

  /** The number of rows of each group, in a column `name`. @default "len" */
  len(name?: string): L {
    if (name !== undefined || this.#grouping.kind !== "keys") {
      return this.agg(name ? len().alias(name) : len());
    }
    return this.#output("len", 0);
  }

  #output(output: GroupOutputName, n: number): L {
    const g = this.#grouping;
    if (g.kind !== "keys") {
      throw new TypeError(
        `Cannot take the ${output} of ${g.kind} windows as only key groups have one: current grouping is ${g.kind} (nodejs-polars fails here too)`,
      );
    }
    return this.#finish((input) => groupByOutputPlan(input, g.keys, g.maintainOrder, output, n));
  }

  /** The first value of every other column. */
  first(): L {
    return this.#all((e) => e.first());
  }
  /** The last value of every other column. */
  last(): L {
    return this.#all((e) => e.last());
  }
  /** The sum of every other column. */
  sum(): L {
    return this.#all((e) => e.sum());
  }
  /** The mean of every other column. */
  mean(): L {
    return this.#all((e) => e.mean());
  }
  /** The minimum of every other column. */
  min(): L {
    return this.#all((e) => e.min());
  }
  /** The maximum of every other column. */
  max(): L {
    return this.#all((e) => e.max());
  }
  /** The median of every other column. */
  median(): L {
    return this.#all((e) => e.median());
  }

  #all(fn: (e: Expr) => Expr): L {
    return this.agg(fn(col("*")));
  }
}
