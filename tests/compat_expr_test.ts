/**
 * Expr methods and top-level functions, remote against in-process: every case in
 * tests/compat/expr_*.ts and tests/compat/toplevel*.ts.
 */

import { connect } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { prepare, runCases } from "./compat/_harness.ts";
import { EXPR_AGG_CASES } from "./compat/expr_agg.ts";
import { EXPR_BASICS_CASES } from "./compat/expr_basics.ts";
import { EXPR_CORE_CASES } from "./compat/expr_core.ts";
import { EXPR_MATH_CASES } from "./compat/expr_math.ts";
import { EXPR_ROLLING_CASES } from "./compat/expr_rolling.ts";
import { EXPR_ROWS_CASES } from "./compat/expr_rows.ts";
import { EXPR_VALUES_CASES } from "./compat/expr_values.ts";
import { EXPR_WINDOW_CASES } from "./compat/expr_window.ts";
import { TOPLEVEL_CASES } from "./compat/toplevel.ts";

const CASES = {
  basics: EXPR_BASICS_CASES,
  core: EXPR_CORE_CASES,
  math: EXPR_MATH_CASES,
  agg: EXPR_AGG_CASES,
  window: EXPR_WINDOW_CASES,
  rolling: EXPR_ROLLING_CASES,
  rows: EXPR_ROWS_CASES,
  values: EXPR_VALUES_CASES,
  toplevel: TOPLEVEL_CASES,
};

const cluster = await testCluster();

for (const [family, cases] of Object.entries(CASES)) {
  Deno.test({
    name: `Expr methods (${family}) give nodejs-polars' results through the SDK`,
    ...INTEGRATION,
    async fn(t) {
      await using client = await connect({ endpoint: cluster.endpoints.compute });
      const ctx = await prepare(client);
      await runCases(t, ctx, cases);
    },
  });
}
