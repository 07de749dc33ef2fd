/**
 * Input access of the node builders: a missing input is an InvalidPlanError (the analysis
 * refuses such plans first; a builder called on its own still fails cleanly).
 *
 * @module
 */

import type pl from "nodejs-polars";
import { InvalidPlanError } from "../../../../shared/errors.ts";

/** Input `index` of a node named `field` ("filter.input", "join.left"). */
export function inputAt(
  inputs: readonly pl.LazyDataFrame[],
  index: number,
  field: string,
): pl.LazyDataFrame {
  const input = inputs[index];
  if (input === undefined) {
    throw new InvalidPlanError(
      `Cannot run the plan as '${field}' must be set: current value is unset`,
    );
  }
  return input;
}
