/**
 * The result of a node that ran before the plan (pivot, statistical tests), as its builder
 * reads it.
 *
 * @module
 */

import type pl from "nodejs-polars";
import type { BuildContext } from "./spec.ts";

/** The frame `node` ran into; a plan built without running it first is a programming error. */
export function ranResult(node: object, ctx: BuildContext, what: string): pl.DataFrame {
  const df = ctx.ran.get(node);
  if (df === undefined) {
    throw new TypeError(
      `Cannot build the ${what} node as it must run before the plan (preparePlan): current value is not run`,
    );
  }
  return df;
}
