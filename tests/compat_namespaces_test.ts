/**
 * Expression namespaces (`str`, `dt`, `lst`, `struct`), remote against in-process (or,
 * where nodejs-polars lacks or misbehaves, against Python Polars' results): every case in
 * tests/compat/{string,datetime,list,struct}*.ts.
 */

import { connect } from "../sdk/mod.ts";
import { INTEGRATION, testCluster } from "./_harness.ts";
import { prepare, runCases } from "./compat/_harness.ts";
import { DATETIME_CASES } from "./compat/datetime.ts";
import { DATETIME_EXPECTED_CASES } from "./compat/datetime_expected.ts";
import { LIST_CASES } from "./compat/list.ts";
import { LIST_EXPECTED_CASES } from "./compat/list_expected.ts";
import { STRING_CASES } from "./compat/string.ts";
import { STRING_EXPECTED_CASES } from "./compat/string_expected.ts";
import { STRING_TEMPORAL_CASES } from "./compat/string_temporal.ts";
import { STRUCT_CASES } from "./compat/struct.ts";

const cluster = await testCluster();

Deno.test({
  name: "Namespace methods give nodejs-polars' (or Python Polars') results through the SDK",
  ...INTEGRATION,
  async fn(t) {
    await using client = await connect({ endpoint: cluster.endpoints.compute });
    const ctx = await prepare(client);
    await t.step(
      "str",
      (t) =>
        runCases(t, ctx, [...STRING_CASES, ...STRING_EXPECTED_CASES, ...STRING_TEMPORAL_CASES]),
    );
    await t.step("dt", (t) => runCases(t, ctx, [...DATETIME_CASES, ...DATETIME_EXPECTED_CASES]));
    await t.step("lst", (t) => runCases(t, ctx, [...LIST_CASES, ...LIST_EXPECTED_CASES]));
    await t.step("struct", (t) => runCases(t, ctx, STRUCT_CASES));
  },
});
