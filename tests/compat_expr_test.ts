/**
 * Expr methods, remote against in-process: every case in tests/compat/expr_core.ts.
 */

import { connect } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { prepare, runCases } from "./compat/_harness.ts";
import { EXPR_CORE_CASES } from "./compat/expr_core.ts";

const cluster = await testCluster();

Deno.test({
  name: "Expr methods give nodejs-polars' results through the SDK",
  ...INTEGRATION,
  async fn(t) {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const ctx = await prepare(client);
    await runCases(t, ctx, EXPR_CORE_CASES);
  },
});
