/**
 * SQL through a live cluster: `client.sql()` over lazy frames, stored frames and the
 * caller's named frames gives what nodejs-polars' SQLContext gives in process; SQL errors
 * carry the engine's own message; handle names are unique per tenant and freed with their
 * frames.
 */

import assert from "node:assert/strict";
import pl from "nodejs-polars";
import {
  AlreadyExistsError,
  col,
  connect,
  InvalidArgumentError,
  lit,
  QueryError,
} from "../sdk/mod.ts";
import { assertSameTable, frameToTable, INTEGRATION, testCluster } from "./_harness.ts";

const cluster = await testCluster();
const endpoint = cluster.endpoints.compute;

const int64 = (name: string, values: bigint[]) =>
  pl.Series(name, new BigInt64Array(values) as unknown as number[]);

/** Trades: Int64 quantities (one above 2^53), prices with a null, symbols and sides. */
function tradesFrame(): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("sym", ["AAPL", "MSFT", "AAPL", "GOOG", "MSFT", "AAPL", "TSLA", "GOOG"]),
    int64("qty", [100n, 250n, 2n ** 53n + 1n, 75n, 300n, 50n, 10n, 125n]),
    pl.Series("price", [189.5, 402.25, 190.0, null, 401.0, 188.75, 250.5, 141.0]),
    pl.Series("side", ["buy", "sell", "buy", "buy", "buy", "sell", "sell", "buy"]),
  ]);
}

function symbolsFrame(): pl.DataFrame {
  return pl.DataFrame([
    pl.Series("sym", ["AAPL", "MSFT", "GOOG", "NVDA"]),
    pl.Series("sector", ["tech", "tech", "media", "chips"]),
    int64("lot", [100n, 50n, 25n, 10n]),
  ]);
}

/** The in-process twin: the same tables through nodejs-polars' own SQLContext. */
function localSql(query: string): pl.DataFrame {
  const trades = tradesFrame();
  const symbols = symbolsFrame().lazy().filter(pl.col("sector").neq(pl.lit("chips")));
  return pl.SQLContext({ trades, symbols }).execute(query).collectSync();
}

const QUERIES = [
  "SELECT sym, qty FROM trades WHERE side = 'buy' AND price > 150 ORDER BY qty",
  "SELECT sym, SUM(qty) AS volume, AVG(price) AS avg_price, COUNT(*) AS n FROM trades GROUP BY sym ORDER BY sym",
  "SELECT t.sym, t.qty, s.sector FROM trades t JOIN symbols s ON t.sym = s.sym ORDER BY t.qty, t.sym",
  "SELECT t.sym, s.lot FROM trades t LEFT JOIN symbols s ON t.sym = s.sym ORDER BY t.sym, t.qty",
  "SELECT sym, price FROM trades WHERE price IS NOT NULL ORDER BY price DESC LIMIT 3",
  "WITH big AS (SELECT * FROM trades WHERE qty >= 100) SELECT side, COUNT(*) AS n FROM big GROUP BY side ORDER BY side",
  "SELECT sym, qty, SUM(qty) OVER (PARTITION BY sym) AS sym_qty, ROW_NUMBER() OVER (PARTITION BY sym ORDER BY qty) AS rn FROM trades ORDER BY sym, qty",
  "SELECT DISTINCT side FROM trades ORDER BY side",
  "SELECT sym, SUM(qty) AS v FROM trades GROUP BY sym HAVING SUM(qty) > 200 ORDER BY sym",
  // Without ORDER BY, SQL defines no order of a union's rows (the streaming engine's differs).
  "SELECT sym FROM trades UNION ALL SELECT sym FROM symbols ORDER BY sym",
  "SELECT sym, CASE WHEN qty > 100 THEN 'big' ELSE 'small' END AS size, UPPER(side) AS s FROM trades ORDER BY sym, qty",
];

Deno.test({
  name: "client.sql() over stored and lazy frames gives nodejs-polars' SQLContext results",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    await using trades = await client.fromArrow(frameToTable(tradesFrame()));
    await using symbolsDf = await client.fromArrow(frameToTable(symbolsFrame()));
    const symbols = symbolsDf.lazy().filter(col("sector").neq(lit("chips")));
    for (const query of QUERIES) {
      const remote = await client.sql(query, { tables: { trades, symbols } }).toArrow();
      assertSameTable(remote, frameToTable(localSql(query)), query);
    }
  },
});

Deno.test({
  name: "client.sql() composes with frame methods, collect() and explain as one plan",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    await using trades = await client.fromArrow(frameToTable(tradesFrame()));
    const query = "SELECT sym, qty, price FROM trades WHERE side = 'buy'";
    const lf = client.sql(query, { tables: { trades: trades.lazy().filter(col("qty").gt(60n)) } })
      .filter(col("price").gt(lit(150)))
      .select(col("sym"), col("qty"));
    const expected = tradesFrame().lazy().filter(pl.col("qty").gt(pl.lit(60).cast(pl.Int64)))
      .filter(pl.col("side").eq(pl.lit("buy")))
      .filter(pl.col("price").gt(150))
      .select("sym", "qty")
      .collectSync();
    assertSameTable(await lf.toArrow(), frameToTable(expected));
    await using stored = await lf.collect();
    assert.equal(stored.height, 3);
    assert.deepEqual(stored.columns, ["sym", "qty"]);
    const optimized = await lf.describeOptimizedPlan();
    // The table's filter, the SQL WHERE and the frame's filter are optimised into one.
    assert.equal(optimized.match(/FILTER/g)?.length, 1, optimized);
    const filter = optimized.split("\n").find((line) => line.includes("FILTER"))!;
    for (const column of ["qty", "price", "side"]) assert.ok(filter.includes(`col("${column}")`));
  },
});

Deno.test({
  name: "ownedHandles reads the caller's named frames as tables; explicit tables win",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint, tenant: "sqlowned" });
    await using trades = await client.fromArrow(frameToTable(tradesFrame()), {
      name: "trades",
    });
    await using all = await client.fromArrow(frameToTable(symbolsFrame()));
    await using symbols = await client.sql("SELECT * FROM s WHERE sector <> 'chips'", {
      tables: { s: all },
    }).collect({ name: "symbols" });
    assert.equal(trades.name, "trades");
    assert.equal(symbols.name, "symbols");
    assert.equal((await client.handle(trades.id)).name, "trades");
    for (const query of QUERIES) {
      const remote = await client.sql(query, { ownedHandles: true }).toArrow();
      assertSameTable(remote, frameToTable(localSql(query)), query);
    }
    const lf = client.sql("SELECT sym, lot FROM symbols", { ownedHandles: true });
    assert.deepEqual(await lf.columns(), ["sym", "lot"]);
    assert.equal(String((await lf.schema()).lot), "Int64");
    // An explicit table of the same name wins over the named frame.
    const few = trades.lazy().filter(col("sym").eq(lit("TSLA")));
    const [row] = await client.sql("SELECT COUNT(*) AS n FROM trades", {
      tables: { trades: few },
      ownedHandles: true,
    }).toRecords();
    assert.equal(Number(row!.n), 1);
    // Another tenant sees none of these names.
    await using other = await connect({ endpoint, tenant: "sqlother" });
    await assert.rejects(
      other.sql("SELECT * FROM trades", { ownedHandles: true }).toArrow(),
      (e: unknown) => e instanceof QueryError && /relation 'trades' was not found/.test(e.message),
    );
  },
});

Deno.test({
  name: "a name is unique among live frames and free again once its frame is released",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint, tenant: "sqlnames" });
    const first = await client.fromRecords([{ v: 1n }], undefined, { name: "latest" });
    await assert.rejects(
      client.fromRecords([{ v: 2n }], undefined, { name: "latest" }),
      (e: unknown) => e instanceof AlreadyExistsError && /'name' must be unique/.test(e.message),
    );
    await assert.rejects(
      first.lazy().collect({ name: "latest" }),
      (e: unknown) => e instanceof AlreadyExistsError && e.message.includes(first.id),
    );
    const read = () =>
      client.sql("SELECT v FROM latest", { ownedHandles: true }).toRecords().then((r) => r[0]!.v);
    assert.equal(await read(), 1n);
    await first.release();
    await using second = await client.fromRecords([{ v: 2n }], undefined, { name: "latest" });
    assert.equal(second.name, "latest");
    assert.equal(await read(), 2n, "the name now reads the new frame");
    const names = (await client.listHandles()).map((h) => h.name);
    assert.deepEqual(names, ["latest"]);
  },
});

Deno.test({
  name: "a bad name is InvalidArgumentError, for uploads and for collect()",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint, tenant: "sqlbadnames" });
    for (const name of ["1st", "a-b", "with space", "x".repeat(65), "drop;table"]) {
      await assert.rejects(
        client.fromRecords([{ v: 1n }], undefined, { name }),
        (e: unknown) => e instanceof InvalidArgumentError && /'name' must/.test(e.message),
        name,
      );
    }
    await using df = await client.fromRecords([{ v: 1n }]);
    assert.equal(df.name, "");
    await assert.rejects(df.lazy().collect({ name: "bad name" }), InvalidArgumentError);
    assert.equal((await client.listHandles()).length, 1, "nothing was stored under a bad name");
  },
});

Deno.test({
  name: "SQL errors are QueryError with the engine's message, naming unknown tables and columns",
  ...INTEGRATION,
  async fn() {
    await using client = await connect({ endpoint });
    await using trades = await client.fromArrow(frameToTable(tradesFrame()));
    const cases: [string, RegExp][] = [
      ["SELEC sym FROM trades", /sql parser error: Expected: an SQL statement, found: SELEC/],
      ["SELECT sym FROM trade", /relation 'trade' was not found \(tables: trades/],
      ["SELECT symbol FROM trades", /unable to find column "symbol"; valid columns: \["sym"/],
      ["SELECT sym FROM trades WHERE", /sql parser error: Expected: an expression/],
      ["SELECT * FROM read_csv('/etc/passwd')", /read_csv.*reads server files/],
    ];
    for (const [query, message] of cases) {
      await assert.rejects(
        client.sql(query, { tables: { trades } }).toArrow(),
        (e: unknown) => {
          assert.ok(e instanceof QueryError, `${query}: ${e}`);
          assert.match(e.message, message, query);
          assert.doesNotMatch(e.message, /collectSync/);
          return true;
        },
      );
    }
    // Errors found when the plan is resolved also keep the engine's message.
    await assert.rejects(
      client.sql("SELECT sym + qty AS x FROM trades", { tables: { trades } }).toArrow(),
      (e: unknown) => e instanceof QueryError && /arithmetic on string and numeric/.test(e.message),
    );
  },
});
