import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { LimitExceededError, QueryError } from "../../../shared/errors.ts";
import { BinaryOp } from "../../../shared/gen/polaroid/v1/expr.ts";
import type { Plan } from "../../../shared/gen/polaroid/v1/plan.ts";
import { assertFramesEqual, E, P, sampleFrame, testContext } from "./_testing.ts";
import { planSchema, runPlan } from "./run.ts";
import { frameSchema } from "./dtypes.ts";

const sql = (query: string, tables: Record<string, Plan>, ownedHandles = false): Plan => ({
  node: { $case: "sql", value: { query, tables, ownedHandles } },
});

function frames() {
  return {
    t: sampleFrame(),
    u: pl.DataFrame({ g: ["a", "b", "d"], label: ["A", "B", "D"] }),
  };
}

/** The same query through nodejs-polars' own SQLContext, in process. */
function local(query: string): pl.DataFrame {
  const { t, u } = frames();
  return pl.SQLContext({ t, u }).execute(query).collectSync();
}

async function assertSameAsLocal(query: string): Promise<void> {
  const actual = await runPlan(
    sql(query, { t: P.handle("t"), u: P.handle("u") }),
    testContext(frames()),
  );
  assertFramesEqual(actual, local(query));
}

Deno.test("buildSql() runs queries as nodejs-polars' SQLContext does", async () => {
  for (
    const query of [
      "SELECT g, i FROM t WHERE i > 0 ORDER BY i, g",
      "SELECT g, SUM(i) AS s, COUNT(*) AS n FROM t GROUP BY g ORDER BY g",
      "SELECT t.g, i, label FROM t JOIN u ON t.g = u.g ORDER BY i",
      "WITH big AS (SELECT * FROM t WHERE f > 0) SELECT g, MAX(f) AS m FROM big GROUP BY g ORDER BY g",
      "SELECT g, i, ROW_NUMBER() OVER (PARTITION BY g ORDER BY i) AS rn FROM t ORDER BY g, i",
      "SELECT g FROM t ORDER BY g DESC LIMIT 2",
    ]
  ) {
    await assertSameAsLocal(query);
  }
});

Deno.test("buildSql() composes with the plan nodes around it and inside its tables", async () => {
  const filtered = P.filter(P.handle("t"), E.bin(BinaryOp.BINARY_OP_GT, E.col("f"), E.f64(0)));
  const plan = P.select(sql("SELECT g, f FROM pos ORDER BY f", { pos: filtered }), [E.col("g")]);
  const actual = await runPlan(plan, testContext(frames()));
  const expected = sampleFrame().lazy().filter(pl.col("f").gt(0)).sort("f").select("g")
    .collectSync();
  assertFramesEqual(actual, expected);
  assert.deepEqual(await planSchema(plan, testContext(frames())), frameSchema(expected.head(0)));
});

Deno.test("buildSql() turns the engine's lost SQL errors into QueryError with its message", async () => {
  const cases: [string, RegExp, Record<string, string>][] = [
    ["SELEC g FROM t", /sql parser error: Expected: an SQL statement, found: SELEC/, {}],
    ["SELECT g FROM nope", /relation 'nope' was not found \(tables: t, u;/, { table: "nope" }],
    ["SELECT zz FROM t", /unable to find column "zz"; valid columns/, { column: "zz" }],
    ["SELECT REPEAT(g, 2) FROM t", /unsupported function 'repeat'/, {}],
  ];
  for (const [query, message, metadata] of cases) {
    await assert.rejects(
      runPlan(sql(query, { t: P.handle("t"), u: P.handle("u") }), testContext(frames())),
      (e: unknown) => {
        assert.ok(e instanceof QueryError, `${query}: ${e}`);
        assert.match(e.message, message);
        assert.doesNotMatch(e.message, /collectSync/);
        for (const [key, value] of Object.entries(metadata)) assert.equal(e.metadata[key], value);
        return true;
      },
    );
  }
});

Deno.test("buildSql() refuses table functions and statements other than queries", async () => {
  for (
    const query of [
      "SELECT * FROM read_csv('/etc/passwd')",
      "SELECT * FROM READ_PARQUET /* c */ ('/etc/x.parquet')",
      "SELECT * FROM \"read_csv\"('/etc/passwd')",
      "SELECT * FROM read_csv.x('/etc/passwd')",
      "SELECT * FROM t WHERE i IN (SELECT a FROM read_ipc('/etc/x'))",
      "SHOW TABLES",
      "DROP TABLE t",
      "CREATE TABLE z AS SELECT * FROM t",
    ]
  ) {
    await assert.rejects(
      runPlan(sql(query, { t: P.handle("t") }), testContext(frames())),
      (e: unknown) =>
        e instanceof QueryError && /Cannot run the SQL query as it must/.test(e.message),
      query,
    );
  }
});

Deno.test("buildSql() bounds LPAD/RPAD widths and cross joins", async () => {
  const ctx = testContext(frames(), { limits: { maxCrossJoinRows: 100 } });
  const ok = await runPlan(sql("SELECT LPAD(g, 3, '.') AS p FROM t", { t: P.handle("t") }), ctx);
  assert.deepEqual(ok.getColumn("p").toArray().slice(0, 2), ["..a", "..b"]);
  for (const query of ["SELECT LPAD(g, 100000000000) FROM t", "SELECT RPAD(g, i) FROM t"]) {
    await assert.rejects(
      runPlan(sql(query, { t: P.handle("t") }), ctx),
      (e: unknown) => e instanceof LimitExceededError && /LPAD\/RPAD widths/.test(e.message),
      query,
    );
  }
  const cross = await runPlan(sql("SELECT * FROM u a CROSS JOIN u b", { u: P.handle("u") }), ctx);
  assert.equal(cross.height, 9);
  await assert.rejects(
    runPlan(sql("SELECT * FROM t a CROSS JOIN t b CROSS JOIN t c", { t: P.handle("t") }), ctx),
    (e: unknown) => e instanceof LimitExceededError && /at most 100 rows/.test(e.message),
  );
});

Deno.test("buildSql() reads no table it is not given and ignores unused ones", async () => {
  const ctx = testContext(frames());
  const result = await runPlan(
    sql("WITH c AS (SELECT g FROM t) SELECT COUNT(*) AS n FROM c", {
      t: P.handle("t"),
      unused: P.handle("u"),
    }),
    ctx,
  );
  assert.equal(Number(result.getColumn("n").get(0)), 6);
  await assert.rejects(
    runPlan(sql("SELECT 1", { "": P.handle("t") }), ctx),
    (e: unknown) => e instanceof QueryError && /table names must be 1 to 256/.test(e.message),
  );
});
